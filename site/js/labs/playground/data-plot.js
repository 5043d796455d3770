// The data plot: the output heatmap on a canvas, the data points over it in an SVG. Points
// have a shape per class (circle, square, triangle, diamond) besides their colour, and test
// points are hollow, so neither colour nor fill alone carries the meaning.
//
//   const plot = createDataPlot(host, {onClick});
//   plot.showPoints(data, {showTest})   data as PlaygroundSession.data() answers it
//   plot.canvas                         the heatmap's canvas (heatmap-paint.js paints it)
//   plot.mark(index)                    ring the followed point (null: none)
//   plot.nearest(x1, x2) -> index | null   the point drawn nearest (within reach of a click)
//   onClick({x1, x2, shift})            a click on the plot, in the data's coordinates

import {svgElement} from '../../views/svg.js';

const DOMAIN = 6;       // the data's square is [-6, 6]²: the simulator's heatmaps.domain
const R = 0.17;         // point size, in data units
const REACH = 0.45;     // a click this close to a point picks it

const SHAPES = [
  (x, y) => `M${x - R},${y}a${R},${R} 0 1,0 ${2 * R},0a${R},${R} 0 1,0 ${-2 * R},0Z`,
  (x, y) => `M${x - R},${y - R}h${2 * R}v${2 * R}h${-2 * R}Z`,
  (x, y) => `M${x},${y - 1.2 * R}L${x + 1.1 * R},${y + 0.8 * R}H${x - 1.1 * R}Z`,
  (x, y) => `M${x},${y - 1.3 * R}L${x + 1.3 * R},${y}L${x},${y + 1.3 * R}L${x - 1.3 * R},${y}Z`,
];

export function createDataPlot(host, {onClick}) {
  host.innerHTML = '<canvas class="pg-heatmap" aria-hidden="true"></canvas>';
  const canvas = host.querySelector('canvas');
  const svg = svgElement('svg', {class: 'pg-points', viewBox: `${-DOMAIN} ${-DOMAIN} ${2 * DOMAIN} ${2 * DOMAIN}`,
                                 role: 'img'}, host);
  const axes = svgElement('g', {class: 'pg-axes'}, svg);
  svgElement('line', {x1: -DOMAIN, y1: 0, x2: DOMAIN, y2: 0}, axes);
  svgElement('line', {x1: 0, y1: -DOMAIN, x2: 0, y2: DOMAIN}, axes);
  const groups = [0, 1, 2, 3].map(k => svgElement('path', {class: `pg-class-${k}`}, svg));
  const testGroups = [0, 1, 2, 3].map(k => svgElement('path', {class: `pg-class-${k} pg-test`}, svg));
  const valueGroup = svgElement('g', {class: 'pg-values'}, svg);
  const ring = svgElement('circle', {class: 'pg-followed', r: 0.4, visibility: 'hidden'}, svg);
  let shown = null;   // {data, showTest}

  svg.addEventListener('click', event => {
    const point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    const at = point.matrixTransform(svg.getScreenCTM().inverse());
    onClick({x1: at.x, x2: -at.y, shift: event.shiftKey});
  });

  function describe(data) {
    const test = data.test.filter(Boolean).length;
    return `${data.x1.length} data points in the square from -6 to 6: ` +
      `${data.x1.length - test} training points (filled) and ${test} test points (hollow).`;
  }

  return {
    canvas,
    showPoints(data, {showTest}) {
      shown = {data, showTest};
      const classification = data.task.kind === 'classification';
      const paths = {train: [[], [], [], []], test: [[], [], [], []]};
      valueGroup.replaceChildren();
      data.x1.forEach((x1, n) => {
        if (data.test[n] && !showTest) return;
        const x = x1;
        const y = -data.x2[n];
        if (classification) {
          paths[data.test[n] ? 'test' : 'train'][data.label[n]].push(SHAPES[data.label[n]](x, y));
        } else {
          // Regression: a circle coloured by the sign of the label, its size by its size.
          const value = data.label[n];
          svgElement('circle', {cx: x, cy: y, r: R * (0.6 + Math.min(1, Math.abs(value))),
                                class: `pg-class-${value < 0 ? 0 : 1}${data.test[n] ? ' pg-test' : ''}`},
                     valueGroup);
        }
      });
      groups.forEach((path, k) => path.setAttribute('d', paths.train[k].join('')));
      testGroups.forEach((path, k) => path.setAttribute('d', paths.test[k].join('')));
      svg.setAttribute('aria-label', describe(data));
    },
    mark(index) {
      if (index === null || !shown || index >= shown.data.x1.length) {
        ring.setAttribute('visibility', 'hidden');
        return;
      }
      ring.setAttribute('cx', shown.data.x1[index]);
      ring.setAttribute('cy', -shown.data.x2[index]);
      ring.setAttribute('visibility', 'visible');
    },
    nearest(x1, x2) {
      if (!shown) return null;
      const {data, showTest} = shown;
      let best = null;
      let bestDistance = REACH * REACH;
      data.x1.forEach((x, n) => {
        if (data.test[n] && !showTest) return;
        const d = (x - x1) ** 2 + (data.x2[n] - x2) ** 2;
        if (d < bestDistance) {
          best = n;
          bestDistance = d;
        }
      });
      return best;
    },
  };
}
