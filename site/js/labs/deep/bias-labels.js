// Each neuron's bias written under it ("b 0.100"), as the reference page lists them, so the
// view shows both numbers a neuron adds: its bias, and (inside) its activation.
//
//   const labels = createBiasLabels(view, {signal});
//   labels.update(texts)   texts[l][j]: the bias of neuron j of layer l+1 as the simulator wrote
//                          it (with the formulas' digits)

import {createViewLabels} from '../../views/view-labels.js';

const GAP = 13;   // px from the circle's edge to the label's baseline

export function createBiasLabels(view, {signal}) {
  const labels = createViewLabels(view, {className: 'db-biases', signal});

  function radius(l, j) {
    const body = view.svg.querySelector(`.nv-neuron[data-l="${l}"][data-j="${j}"] .nv-body`);
    return Number(body?.getAttribute('r') || 20);
  }

  function update(texts) {
    labels.show(() => texts.flatMap((layer, l) => layer.map((text, j) => {
      const {x, y} = view.anchor(l + 1, j);
      return {x, y: y + radius(l + 1, j) + GAP, text: `b ${text}`};
    })));
  }

  return {update};
}
