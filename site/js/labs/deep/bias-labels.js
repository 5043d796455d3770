// Each neuron's bias written under it on the network view ("b 0.100"), as the reference page
// lists them, so the view shows both numbers every neuron adds: its bias and its activation.
//
//   const labels = createBiasLabels(view, {signal});
//   labels.update(biases)   biases[l][j] for neuron j of layer l+1, from the simulator

import {svgElement} from '../../svg.js';
import {formatNumber} from '../../format.js';

const GAP = 13;   // px between the circle and the label's baseline

export function createBiasLabels(view, {signal}) {
  const group = svgElement('g', {class: 'db-biases', 'aria-hidden': 'true'}, view.svg);
  let shown = null;

  function update(biases) {
    shown = biases;
    const spots = [];
    biases.forEach((layer, l) => layer.forEach((b, j) => {
      const {x, y} = view.anchor(l + 1, j);
      const body = view.svg.querySelector(`.nv-neuron[data-l="${l + 1}"][data-j="${j}"] .nv-body`);
      const r = Number(body?.getAttribute('r') || 20);
      spots.push({x, y: y + r + GAP, text: `b ${formatNumber(b, 3)}`});
    }));
    while (group.children.length < spots.length) svgElement('text', {class: 'db-bias', 'text-anchor': 'middle'}, group);
    spots.forEach(({x, y, text}, k) => {
      const label = group.children[k];
      label.setAttribute('x', x.toFixed(1));
      label.setAttribute('y', y.toFixed(1));
      label.textContent = text;
    });
  }

  window.addEventListener('resize', () => requestAnimationFrame(() => shown && update(shown)), {signal});
  return {update};
}
