// Weight values written on the connections of a small network view, as the reference
// simulator does, so a student can follow each weight as it changes. Each label sits near the
// end of its connection at the layer with more neurons, where the lines are furthest apart.
//
//   const labels = createWeightLabels(view);
//   labels.update(weights, marked)   weights[l][j][i] (numbers from the simulator), marked: the
//                                    [l, j, i] of the connections the current step is about

import {svgElement} from '../../svg.js';
import {formatNumber} from '../../format.js';

const NEAR_END = 0.27;   // fraction of the connection's length from that end

export function createWeightLabels(view, {signal}) {
  const group = svgElement('g', {class: 'xw-weights', 'aria-hidden': 'true'}, view.svg);
  let shown = null;

  function update(weights, marked = []) {
    shown = {weights, marked};
    const isMarked = new Set(marked.map(c => c.join(',')));
    const texts = [];
    weights.forEach((matrix, l) => matrix.forEach((row, j) => row.forEach((w, i) => {
      const {x1, y1, x2, y2} = view.connectionPath(l, j, i);
      const along = row.length >= matrix.length ? NEAR_END : 1 - NEAR_END;
      texts.push({x: x1 + (x2 - x1) * along, y: y1 + (y2 - y1) * along, w, strong: isMarked.has(`${l},${j},${i}`)});
    })));
    while (group.children.length > texts.length) group.lastChild.remove();
    while (group.children.length < texts.length) {
      svgElement('text', {class: 'xw-weight', 'text-anchor': 'middle', dy: '-0.3em'}, group);
    }
    texts.forEach(({x, y, w, strong}, k) => {
      const text = group.children[k];
      text.setAttribute('x', x.toFixed(1));
      text.setAttribute('y', y.toFixed(1));
      text.classList.toggle('xw-weight-marked', strong);
      text.textContent = formatNumber(w, 3);
    });
  }

  // The view lays itself out again when its width changes; follow it.
  window.addEventListener('resize', () => requestAnimationFrame(() => shown && update(shown.weights, shown.marked)), {signal});
  return {update};
}
