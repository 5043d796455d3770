// Weights that are exactly 0 (L1 stops weights there) marked on their connections with the
// text "0" in a ring, as TF Playground marks dead weights: a mark in words, not only a colour.
// The connection itself is drawn by the view, thin as any weight near 0.
//
//   const marks = createZeroMarks(view, {signal});
//   marks.update(weights) -> how many weights are exactly 0

import {createViewLabels} from './view-labels.js';

export function createZeroMarks(view, {signal}) {
  const labels = createViewLabels(view, {className: 'dz-zeros', signal});

  function update(weights) {
    const zeros = weights.flatMap((matrix, l) => matrix.flatMap((row, j) =>
      row.flatMap((w, i) => (w === 0 ? [{l, j, i}] : []))));
    labels.show(() => zeros.map(({l, j, i}) => {
      const {x1, y1, x2, y2} = view.connectionPath(l, j, i);
      return {x: (x1 + x2) / 2, y: (y1 + y2) / 2 + 4, text: '0'};
    }));
    return zeros.length;
  }

  return {update};
}
