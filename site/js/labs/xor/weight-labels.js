// Weight values written on the connections, as the reference simulator does, so a student can
// follow each weight as it changes. Each label sits near the end of its connection at the
// layer with more neurons, where the lines are furthest apart.
//
//   const labels = createWeightLabels(view, {signal});
//   labels.update(texts, marked)   texts[l][j][i]: each weight as the simulator wrote it (with
//                                  the formulas' digits); marked: the [l, j, i] of the
//                                  connections the current step is about

import {createViewLabels} from '../../views/view-labels.js';

const NEAR_END = 0.27;   // fraction of the connection's length from that end

export function createWeightLabels(view, {signal}) {
  const labels = createViewLabels(view, {className: 'xw-weights', signal});

  function update(texts, marked = []) {
    const isMarked = new Set(marked.map(c => c.join(',')));
    labels.show(() => texts.flatMap((matrix, l) => matrix.flatMap((row, j) => row.map((text, i) => {
      const {x1, y1, x2, y2} = view.connectionPath(l, j, i);
      const along = row.length >= matrix.length ? NEAR_END : 1 - NEAR_END;
      return {x: x1 + (x2 - x1) * along, y: y1 + (y2 - y1) * along - 4,
              text, marked: isMarked.has(`${l},${j},${i}`)};
    }))));
  }

  return {update};
}
