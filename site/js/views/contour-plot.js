// A loss surface over two parameters, painted as bands (light: low loss, dark: high), with
// paths drawn over it (optimisers' runs). The grid's values come from the simulator
// (nnsim.compare.loss_surface); this view maps them to shades and positions, nothing else.
//
//   const plot = createContourPlot(container, {title, xLabel, yLabel, size: 360});
//   plot.update(surface, paths, labels)   surface {x, y, loss[r][c] at (x[c], y[r]), min, max};
//                                 paths [{name, points: [[px, py], ...], endLabels}], drawn in
//                                 --series-1.. colours, every other one dashed, each named
//                                 at its end (so colour is not the only cue); labels {min, max}
//                                 and each path's endLabels [px, py]: the simulator's text of
//                                 those numbers, for the summary (only the ticks are the view's)

import {svgElement} from './svg.js';
import {formatTick} from './format.js';

const MARGIN = {top: 30, right: 16, bottom: 44, left: 56};
const BANDS = 12;
const DASH = '7 5';
let plotCount = 0;

export function createContourPlot(container, {title = '', xLabel = '', yLabel = '', size = 360} = {}) {
  const root = document.createElement('div');
  root.className = 'cp';
  container.append(root);
  const svg = svgElement('svg', {class: 'cp-svg', role: 'img'}, root);

  function update(surface, paths, labels) {
    const width = Math.min(root.clientWidth || size, size + MARGIN.left + MARGIN.right);
    const inner = width - MARGIN.left - MARGIN.right;
    const height = inner + MARGIN.top + MARGIN.bottom;
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    svg.replaceChildren();
    const {x, y, loss, min, max} = surface;
    const sx = v => MARGIN.left + (v - x[0]) / (x[x.length - 1] - x[0]) * inner;
    const sy = v => MARGIN.top + inner - (v - y[0]) / (y[y.length - 1] - y[0]) * inner;
    const cellW = inner / (x.length - 1);
    const cellH = inner / (y.length - 1);
    // Square root of the height above the lowest value: a bowl's bands come out evenly spaced.
    const band = value => Math.min(BANDS - 1, Math.floor(BANDS * Math.sqrt((value - min) / (max - min || 1))));
    const cells = svgElement('g', {class: 'cp-cells', 'aria-hidden': 'true'}, svg);
    loss.forEach((row, r) => row.forEach((value, c) => {
      svgElement('rect', {
        x: (sx(x[c]) - cellW / 2).toFixed(1), y: (sy(y[r]) - cellH / 2).toFixed(1),
        width: (cellW + 0.6).toFixed(1), height: (cellH + 0.6).toFixed(1),
        class: value === null ? 'cp-off' : 'cp-band',
        ...(value === null ? {} : {fill: `hsl(220 30% ${(97 - 45 * band(value) / (BANDS - 1)).toFixed(0)}%)`}),
      }, cells);
    }));
    axes(sx, sy, x, y, inner);
    // Paths that leave the grid are cut at its edge.
    const clip = `cp-clip-${++plotCount}`;
    svgElement('rect', {x: MARGIN.left, y: MARGIN.top, width: inner, height: inner},
               svgElement('clipPath', {id: clip}, svg));
    const pathGroup = svgElement('g', {'clip-path': `url(#${clip})`}, svg);
    paths.forEach((path, k) => drawPath(pathGroup, path, k, sx, sy));
    svg.setAttribute('aria-label', `${title}. ${yLabel} against ${xLabel}; loss from ` +
      `${labels.min} (lightest) to ${labels.max} (darkest). ` +
      paths.map(path => `${path.name} ends at (${path.endLabels.join(', ')})`).join('; ') + '.');
  }

  function axes(sx, sy, x, y, inner) {
    const group = svgElement('g', {class: 'cp-axes'}, svg);
    svgElement('rect', {x: MARGIN.left, y: MARGIN.top, width: inner, height: inner, class: 'cp-frame'}, group);
    for (const value of ticks(x[0], x[x.length - 1])) {
      text(group, sx(value), MARGIN.top + inner + 16, formatTick(value, 1), 'middle');
    }
    for (const value of ticks(y[0], y[y.length - 1])) {
      text(group, MARGIN.left - 6, sy(value) + 4, formatTick(value, 1), 'end');
    }
    text(group, MARGIN.left + inner / 2, MARGIN.top + inner + 36, xLabel, 'middle');
    const label = text(group, 14, MARGIN.top + inner / 2, yLabel, 'middle');
    label.setAttribute('transform', `rotate(-90 14 ${MARGIN.top + inner / 2})`);
    text(group, MARGIN.left, 18, title, 'start').classList.add('cp-title');
  }

  function drawPath(parent, path, k, sx, sy) {
    const group = svgElement('g', {class: `cp-path lc-series-${(k % 6) + 1}`, 'data-run': path.name}, parent);
    const points = path.points.map(([px, py]) => `${sx(px).toFixed(1)},${sy(py).toFixed(1)}`).join(' ');
    svgElement('polyline', {points, fill: 'none', 'stroke-width': 2, ...(k % 2 ? {'stroke-dasharray': DASH} : {})}, group);
    const [x0, y0] = path.points[0];
    svgElement('circle', {cx: sx(x0), cy: sy(y0), r: 4, class: 'cp-start'}, group);
    const [x1, y1] = path.points[path.points.length - 1];
    svgElement('circle', {cx: sx(x1), cy: sy(y1), r: 3.5, class: 'cp-end'}, group);
    // Named beside its end, on the side with room (about 7 px per character).
    const right = sx(x1) + 7 + path.name.length * 7 < Number(svg.getAttribute('width'));
    text(group, sx(x1) + (right ? 7 : -7), sy(y1) - 7 + k * 16, path.name, right ? 'start' : 'end').classList.add('cp-name');
  }

  function text(parent, x, y, content, anchor) {
    const element = svgElement('text', {x: x.toFixed(1), y: y.toFixed(1), 'text-anchor': anchor}, parent);
    element.textContent = content;
    return element;
  }

  return {update, svg};
}

// About five round tick values between low and high.
function ticks(low, high) {
  const raw = (high - low) / 5;
  const step = [1, 2, 5].map(f => f * 10 ** Math.floor(Math.log10(raw))).find(s => s >= raw) ?? 10 ** Math.ceil(Math.log10(raw));
  const values = [];
  for (let v = Math.ceil(low / step) * step; v <= high + 1e-9; v += step) values.push(Math.round(v / step) * step);
  return values;
}
