// A small SVG line chart (loss curves, accuracy) with axes, ticks, a legend and a text summary
// for screen readers. It scales its axes to the data; it computes nothing else.
//
//   const chart = createLineChart(container, {title, xLabel, yLabel, logY: false, height: 220});
//   chart.update([{name: 'training', points: [[x, y], ...], lastLabel, dash: false, band}, ...]);
//   chart.svg   the <svg> (role="img"; its aria-label names each series' last value: lastLabel,
//               the last y as the simulator wrote it, at that x, a count)
//
// Series take colours --series-1..6 in order; dash: true draws the line dashed, and the legend
// repeats colour and dash next to the name, so colour is not the only cue. Points whose y is
// not finite (or not positive with logY) break the line instead of bending it. band:
// [[x, low, high], ...] shades the range each point stands for (the spread of the values a
// mean was taken over) behind the series' line, in its colour.

import {svgElement} from './svg.js';
import {formatCount, formatTick} from './format.js';

const MARGIN = {top: 30, right: 14, bottom: 40, left: 56};
const CHAR_WIDTH = 7;           // px per character of the 12px legend text
const DASH = '7 5';
const SAMPLE = 24;              // length of the legend's line sample
const TITLE_CHAR_WIDTH = 8.5;   // px per character of the 14px bold title
const ROW = 20;                 // height of a second title/legend row
const FALLBACK_WIDTH = 480;     // px, until the chart's host has been laid out

export function createLineChart(container, {title = '', xLabel = '', yLabel = '', logY = false, height = 220} = {}) {
  const root = document.createElement('div');
  root.className = 'lc';
  container.appendChild(root);
  const svg = svgElement('svg', {class: 'lc-svg', role: 'img'}, root);
  const frame = svgElement('g', {}, svg);
  const bandsGroup = svgElement('g', {}, svg);
  const linesGroup = svgElement('g', {}, svg);
  let series = [];
  let width = 0;
  // The host's width as the ResizeObserver last saw it laid out (0 until then). Read in update,
  // clientWidth would force a layout in the middle of a lab's first draw (the glass box: 34 ms)
  // and of every redraw while it plays. Until the observer's first report, which comes after
  // the next layout and before that frame is painted, the chart is drawn FALLBACK_WIDTH wide.
  let laidOutWidth = 0;

  function update(nextSeries) {
    series = nextSeries;
    width = laidOutWidth || FALLBACK_WIDTH;
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    svg.setAttribute('aria-label', summary());
    frame.replaceChildren();
    const legendRow = drawTitleAndLegend();
    const top = MARGIN.top + (legendRow - 1) * ROW;
    const plot = {left: MARGIN.left, top, right: width - MARGIN.right, bottom: height - MARGIN.bottom};
    drawAxisLabels(plot);
    const drawable = ([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0);
    const usable = series.map(s => s.points.filter(drawable));
    if (!usable.some(points => points.length)) {
      linesGroup.replaceChildren();
      bandsGroup.replaceChildren();
      drawAxes(plot);
      svgElement('text', {class: 'lc-empty', x: (plot.left + plot.right) / 2, y: (plot.top + plot.bottom) / 2, 'text-anchor': 'middle'}, frame)
        .textContent = 'No data yet';
      return;
    }
    const bandEdges = series.map(s => (s.band || []).flatMap(([x, low, high]) => [[x, low], [x, high]]).filter(drawable));
    const scales = scalesFor([...usable, ...bandEdges], plot);
    drawTicks(scales, plot);
    drawBands(scales);
    drawLines(scales, plot);
  }

  function summary() {
    const parts = series.map(({name, points, lastLabel}) => {
      const last = points[points.length - 1];
      return last ? `${name} ${lastLabel} at ${xLabel || 'x'} ${formatCount(last[0])}` : `${name}: no data yet`;
    });
    return `${title || yLabel || 'Chart'}${parts.length ? `: ${parts.join('; ')}` : ': no data yet'}`;
  }

  // Title on the left of the top row, legend entries right-aligned after it, or from the
  // second row on, wrapped into as many rows as a narrow chart needs. Returns the last row the
  // legend took (1, 2, ...).
  function drawTitleAndLegend() {
    if (title) svgElement('text', {class: 'lc-title', x: 0, y: 16}, frame).textContent = title;
    const entryWidth = ({name}) => SAMPLE + 6 + name.length * CHAR_WIDTH + 14;
    const right = width - MARGIN.right + 14;
    let x = right - series.reduce((sum, s) => sum + entryWidth(s), 0);
    let row = 1;
    if (title && x < title.length * TITLE_CHAR_WIDTH + 16) {
      row = 2;
      x = 0;
    }
    series.forEach(({name, dash}, k) => {
      if (row > 1 && x > 0 && x + entryWidth({name}) > right) {
        row += 1;
        x = 0;
      }
      const y = 16 + (row - 1) * ROW;
      svgElement('line', {class: `lc-line ${seriesClass(k)}`, x1: x, y1: y - 4, x2: x + SAMPLE, y2: y - 4, 'stroke-dasharray': dash ? DASH : 'none'}, frame);
      svgElement('text', {class: 'lc-legend', x: x + SAMPLE + 6, y}, frame).textContent = name;
      x += entryWidth({name});
    });
    return row;
  }

  function drawAxisLabels(plot) {
    if (xLabel) {
      svgElement('text', {class: 'lc-axis-label', x: (plot.left + plot.right) / 2, y: height - 6, 'text-anchor': 'middle'}, frame).textContent = xLabel;
    }
    if (yLabel) {
      const y = (plot.top + plot.bottom) / 2;
      svgElement('text', {class: 'lc-axis-label', x: 12, y, 'text-anchor': 'middle', transform: `rotate(-90 12 ${y})`}, frame)
        .textContent = logY && !/log/i.test(yLabel) ? `${yLabel} (log scale)` : yLabel;
    }
  }

  function scalesFor(usable, plot) {
    const [xLow, xHigh] = extent(usable, ([x]) => x);
    const xDomain = spread(xLow, xHigh);
    if (xLow >= 0) xDomain[0] = Math.max(0, xDomain[0]);   // iterations never go below zero
    let [yLow, yHigh] = extent(usable, ([, y]) => (logY ? Math.log10(y) : y));
    if (!logY && yLow >= 0) yLow = 0;   // non-negative curves (loss, accuracy) start at zero
    const yTicks = logY ? logTicks(yLow, yHigh) : niceTicks(...spread(yLow, yHigh), 5);
    const yDomain = logY ? [Math.floor(yLow), Math.ceil(yHigh) === Math.floor(yLow) ? Math.floor(yLow) + 1 : Math.ceil(yHigh)] : [yTicks[0], yTicks[yTicks.length - 1]];
    const countsOnX = usable.every(points => points.every(([x]) => Number.isInteger(x)));
    const xTicks = niceTicks(...xDomain, Math.max(2, Math.floor((plot.right - plot.left) / 80)), countsOnX)
      .filter(t => t >= xDomain[0] && t <= xDomain[1]);
    return {
      x: x => plot.left + ((x - xDomain[0]) / (xDomain[1] - xDomain[0])) * (plot.right - plot.left),
      y: y => plot.bottom - (((logY ? Math.log10(y) : y) - yDomain[0]) / (yDomain[1] - yDomain[0])) * (plot.bottom - plot.top),
      xTicks,
      yTicks: logY ? yTicks.map(power => 10 ** power) : yTicks,
    };
  }

  function drawTicks(scales, plot) {
    const yLabels = tickLabels(scales.yTicks, logY);
    const xLabels = tickLabels(scales.xTicks, false);
    scales.yTicks.forEach((tick, k) => {
      const y = scales.y(tick);
      svgElement('line', {class: 'lc-grid', x1: plot.left, x2: plot.right, y1: y, y2: y}, frame);
      svgElement('text', {class: 'lc-tick', x: plot.left - 6, y, dy: '0.35em', 'text-anchor': 'end'}, frame).textContent = yLabels[k];
    });
    scales.xTicks.forEach((tick, k) => {
      const x = scales.x(tick);
      svgElement('line', {class: 'lc-axis', x1: x, x2: x, y1: plot.bottom, y2: plot.bottom + 4}, frame);
      svgElement('text', {class: 'lc-tick', x, y: plot.bottom + 17, 'text-anchor': 'middle'}, frame).textContent = xLabels[k];
    });
    drawAxes(plot);
  }

  function drawAxes(plot) {
    svgElement('line', {class: 'lc-axis', x1: plot.left, x2: plot.right, y1: plot.bottom, y2: plot.bottom}, frame);
    svgElement('line', {class: 'lc-axis', x1: plot.left, x2: plot.left, y1: plot.top, y2: plot.bottom}, frame);
  }

  function drawLines(scales, plot) {
    while (linesGroup.children.length > series.length) linesGroup.lastChild.remove();
    while (linesGroup.children.length < series.length) svgElement('path', {}, linesGroup);
    series.forEach(({points, dash}, k) => {
      const path = linesGroup.children[k];
      path.setAttribute('class', `lc-line ${seriesClass(k)}`);
      path.setAttribute('stroke-dasharray', dash ? DASH : 'none');
      path.setAttribute('d', pathData(thin(points, plot.right - plot.left), scales));
    });
  }

  // Each band is one closed area: along the highs, then back along the lows.
  function drawBands(scales) {
    bandsGroup.replaceChildren();
    series.forEach(({band}, k) => {
      const points = (band || []).filter(([x, low, high]) => Number.isFinite(x) && Number.isFinite(low) && Number.isFinite(high) && (!logY || low > 0));
      if (points.length < 2) return;
      const at = (x, y) => `${scales.x(x).toFixed(1)} ${scales.y(y).toFixed(1)}`;
      const d = `M${points.map(([x, , high]) => at(x, high)).join('L')}L${points.reverse().map(([x, low]) => at(x, low)).join('L')}Z`;
      svgElement('path', {class: `lc-band ${seriesClass(k)}`, d}, bandsGroup);
    });
  }

  // A new "M" wherever a point cannot be drawn, so gaps show as gaps. Each "M" is followed by
  // a zero-length "h0", which the round line cap draws as a dot: a lone point stays visible.
  function pathData(points, scales) {
    let d = '';
    let pen = 'M';
    for (const [x, y] of points) {
      if (!Number.isFinite(x) || !Number.isFinite(y) || (logY && y <= 0)) {
        pen = 'M';
        continue;
      }
      d += `${pen}${scales.x(x).toFixed(1)} ${scales.y(y).toFixed(1)}${pen === 'M' ? 'h0' : ''}`;
      pen = 'L';
    }
    return d;
  }

  new ResizeObserver(() => {
    laidOutWidth = root.clientWidth;   // layout is up to date in a ResizeObserver's callback
    if (laidOutWidth && Math.abs(laidOutWidth - width) > 1) update(series);
  }).observe(root);

  update([]);
  return {update, svg};
}

function seriesClass(k) {
  return `lc-series-${(k % 6) + 1}`;
}

// More points than two per pixel column cannot be seen: keep each column's first, lowest and
// highest point, so spikes (a diverging run) stay visible.
function thin(points, pixels) {
  if (points.length <= pixels * 2) return points;
  const perColumn = points.length / pixels;
  const kept = [];
  for (let start = 0; start < points.length; start += perColumn) {
    const column = points.slice(Math.floor(start), Math.floor(start + perColumn));
    if (!column.length) continue;
    const finite = column.filter(([, y]) => Number.isFinite(y));
    kept.push(column[0]);
    if (finite.length) {
      const low = finite.reduce((a, b) => (b[1] < a[1] ? b : a));
      const high = finite.reduce((a, b) => (b[1] > a[1] ? b : a));
      kept.push(...(low[0] <= high[0] ? [low, high] : [high, low]));
    }
  }
  kept.push(points[points.length - 1]);
  return kept;
}

// Smallest and largest value over all series (a loop: spreading 10^5 points into Math.min fails).
function extent(seriesPoints, value) {
  let low = Infinity;
  let high = -Infinity;
  for (const points of seriesPoints) {
    for (const point of points) {
      const v = value(point);
      if (v < low) low = v;
      if (v > high) high = v;
    }
  }
  return [low, high];
}

function spread(low, high) {
  if (low !== high) return [low, high];
  const pad = Math.abs(low) * 0.1 || 1;
  return [low - pad, high + pad];
}

// Round tick values (1, 2 or 5 times a power of ten) covering [low, high].
// integer: the data are counts (iterations, epochs), so no tick falls between two of them.
function niceTicks(low, high, count, integer = false) {
  const rough = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const nice = [1, 2, 5, 10].map(m => m * power).find(s => s >= rough);
  const step = integer ? Math.max(1, nice) : nice;
  const ticks = [];
  for (let t = Math.floor(low / step) * step; t <= high + step * 0.999; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function logTicks(lowPower, highPower) {
  const ticks = [];
  for (let p = Math.floor(lowPower); p <= Math.max(Math.ceil(highPower), Math.floor(lowPower) + 1); p++) ticks.push(p);
  return ticks;
}

// Evenly spaced ticks share their decimals ("0.8", "1.0"); log ticks (powers of ten) vary.
function tickLabels(ticks, logScale) {
  if (logScale || ticks.length < 2) return ticks.map(t => formatTick(t));
  const decimals = Math.max(0, Math.ceil(-Math.log10(ticks[1] - ticks[0]) - 1e-9));
  return ticks.map(t => formatTick(t, decimals));
}
