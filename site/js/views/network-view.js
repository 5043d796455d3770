// The network diagram every lab shows: an SVG of neurons and connections drawn from numbers
// the simulator computed. It does no network maths.
//
//   const view = createNetworkView(container, {
//     inputGrid: null | {rows, cols},      draw layer 0 as a grid of squares (digits: 5x5)
//     layerColours: null | [css colour],   per layer: the dark end of the neuron fill and ring
//     layerLabels: true | false | [text],  captions above the columns (default Input, Hidden, Output)
//     outputLabels: null | [text],         short names drawn right of the output neurons ("0".."9")
//   });
//   view.render({layers, weights, biases, activations, z})
//       layers [n0..nL]; weights[l][j][i] from neuron i of layer l to neuron j of layer l+1;
//       biases[l][j] or null; activations: a list per layer (a[0] = input) or null before any
//       forward pass; z (optional): per non-input layer. Cheap when the shape is unchanged
//       (existing elements are updated), so it can run 30 times a second.
//   view.highlight({neurons: [[l, j]], connections: [[l, j, i]]})   empty lists clear it
//   view.onSelect((item) => ...)     item {kind: 'neuron', l, j} | {kind: 'connection', l, j, i};
//                                    fires on click, Enter or Space
//   view.anchor(l, j) -> {x, y}                neuron centre in SVG coordinates
//   view.connectionPath(l, j, i) -> {x1, y1, x2, y2}   from neuron i of l to neuron j of l+1
//   view.svg                                   the <svg>; labs may append their own layers
//
// Look: neuron fill from light (|a| = 0) to dark (|a| >= 1), value printed inside when the
// circle is big enough; connections red (positive) or blue and dashed (negative), wider and
// more opaque with |w| relative to the largest |w| (at least 1). Hover or focus shows exact
// numbers in a tooltip and emphasises the item's connections; highlight() marks neurons with
// a thick ring and connections with a halo. Keys: see network-keys.js (the view is one tab stop).

import {svgElement, setAttributeIfChanged} from './svg.js';
import {formatNumber} from './format.js';
import {createTooltip} from './tooltip.js';
import {layoutNetwork} from './network-layout.js';
import {createConnections} from './network-connections.js';
import {KEY_HELP, nextItem, connectionsOf} from './network-keys.js';
import * as text from './network-text.js';

const DIGIT_WIDTH = 6.8;        // px per character of the 12px value text
const LABEL_CHAR_WIDTH = 8;     // px per character of the 13px bold layer captions
const POINTER_CLEARANCE = 14;   // keeps the tooltip clear of the mouse pointer
let viewCount = 0;

export function createNetworkView(container, options = {}) {
  const {inputGrid = null, layerColours = null, layerLabels = true, outputLabels = null} = options;
  const root = document.createElement('div');
  root.className = 'nv';
  container.appendChild(root);
  const svg = svgElement('svg', {class: 'nv-svg', role: 'application', 'aria-roledescription': 'network diagram'}, root);
  const help = document.createElement('p');
  help.className = 'nv-keys';
  help.id = `nv-keys-${++viewCount}`;
  help.textContent = KEY_HELP;
  root.appendChild(help);
  svg.setAttribute('aria-describedby', help.id);
  const tooltip = createTooltip(root);

  // Drawing order: halos under connections, emphasised connections over them, neurons on top.
  // Printed values sit outside the neurons' focusable <g>s so a neuron's name is its aria-label.
  const groups = {};
  for (const name of ['halos', 'connections', 'emphasis', 'focus', 'neurons', 'values', 'labels']) {
    groups[name] = svgElement('g', {class: `nv-${name}`}, svg);
  }
  const connections = createConnections(groups.connections, groups.emphasis);
  // The one element that takes keyboard focus for a connection, moved onto whichever is active.
  const focusLine = svgElement('line', {class: 'nv-focus-line', 'data-kind': 'connection'}, groups.focus);

  let state = null;
  let shapeKey = '';
  let names = null;
  let layout = null;
  let placedFor = 0;      // the host width the layout was made for
  let neurons = [];       // [l][j] -> <g>
  let values = [];        // [l][j] -> <text> printed over the neuron
  let active = null;      // the item that holds the tab stop
  let hovered = null;
  let focused = null;
  let marked = {neurons: [], connections: []};
  const selectCallbacks = [];

  function build(layers) {
    // Measured before the new elements exist: read after, the width would force the style
    // and layout of hundreds of new connections inside this task instead of in the next frame.
    const width = root.clientWidth;
    for (const name of ['halos', 'neurons', 'values', 'labels']) groups[name].replaceChildren();
    connections.build(layers);
    svg.classList.toggle('nv-many', connections.many);
    const given = Array.isArray(layerLabels) ? layerLabels : [];
    names = {layers, inputGrid, outputLabels, layerLabels: text.defaultLayerLabels(layers.length).map((d, l) => given[l] || d)};
    neurons = layers.map((count, l) => Array.from({length: count}, (_, j) => {
      const g = svgElement('g', {class: 'nv-neuron', 'data-kind': 'neuron', 'data-l': l, 'data-j': j}, groups.neurons);
      svgElement(l === 0 && inputGrid ? 'rect' : 'circle', {class: 'nv-body'}, g);
      return g;
    }));
    values = layers.map((count, l) => Array.from({length: count}, (_, j) =>
      svgElement('text', {class: 'nv-value', 'text-anchor': 'middle', dy: '0.35em', 'data-l': l, 'data-j': j}, groups.values)));
    for (let l = 0; layerLabels && l < layers.length; l++) {
      svgElement('text', {class: 'nv-layer-label', 'text-anchor': 'middle'}, groups.labels);   // text: captionLayers
    }
    for (const label of outputLabels || []) {
      svgElement('text', {class: 'nv-output-label', dy: '0.35em'}, groups.labels).textContent = label;
    }
    svg.setAttribute('aria-label', `Network diagram, layers ${layers.join('-')}`);
    active = hovered = focused = null;
    tooltip.hide();
    place(width);
    setActive({kind: 'neuron', l: 0, j: 0});
  }

  // Positions every element for the host's width; runs on build and when the width changes.
  function place(width) {
    const {layers} = names;
    const longest = Math.max(0, ...(outputLabels || []).map(label => String(label).length));
    placedFor = width;
    layout = layoutNetwork(layers, {
      width: placedFor || 640,
      inputGrid,
      labelTop: Boolean(layerLabels),
      labelRight: longest ? 10 + longest * DIGIT_WIDTH : 0,
    });
    svg.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
    svg.setAttribute('width', layout.width);
    svg.setAttribute('height', layout.height);
    layout.neurons.forEach((column, l) => column.forEach((spot, j) => placeNeuron(l, j, spot)));
    connections.place(connectionPath);
    const spots = [
      ...(layerLabels ? layout.columns.map(x => ({x, y: 20})) : []),
      ...(outputLabels ? layout.neurons[layers.length - 1].map(({x, y, r}) => ({x: x + r + 6, y})) : []),
    ];
    spots.forEach(({x, y}, index) => {
      groups.labels.children[index].setAttribute('x', x.toFixed(1));
      groups.labels.children[index].setAttribute('y', y.toFixed(1));
    });
    if (layerLabels) captionLayers();
    if (active?.kind === 'connection') placeFocusLine(active);
    showMarks();
    if (state) draw();
  }

  // Full captions when they fit between columns, short ones ("H1") when they would collide.
  function captionLayers() {
    const gap = layout.columns.length > 1 ? layout.columns[1] - layout.columns[0] : Infinity;
    const longest = Math.max(...names.layerLabels.map(label => label.length));
    const short = longest * LABEL_CHAR_WIDTH > gap - 8;
    names.layerLabels.forEach((label, l) => {
      groups.labels.children[l].textContent = short ? text.shortLayerLabel(label) : label;
    });
  }

  function placeNeuron(l, j, {x, y, r, square}) {
    const g = neurons[l][j];
    const at = `translate(${x.toFixed(1)} ${y.toFixed(1)})`;
    g.setAttribute('transform', at);
    values[l][j].setAttribute('transform', at);
    const body = g.firstChild;
    if (square) {
      for (const [name, value] of Object.entries({x: -r, y: -r, width: 2 * r, height: 2 * r})) body.setAttribute(name, value);
    } else {
      body.setAttribute('r', r);
    }
    g.__room = square ? 0 : 2 * r - 6;   // width available for the printed value
  }

  function render(next) {
    const key = `${next.layers.join('-')}|${inputGrid ? 'grid' : ''}`;
    state = next;
    if (key !== shapeKey) {
      shapeKey = key;
      build(next.layers);
      return;
    }
    draw();
  }

  function draw() {
    drawNeurons();
    connections.draw(state.weights);
    if (active) active.element.setAttribute('aria-label', describe(active));
    const shown = hovered || focused;
    if (shown && !tooltip.element.hidden) showTooltip(shown);
  }

  function drawNeurons() {
    neurons.forEach((column, l) => column.forEach((g, j) => {
      const a = state.activations?.[l]?.[j];
      const known = typeof a === 'number' && Number.isFinite(a);
      const strength = known ? Math.round(Math.min(1, Math.abs(a)) * 100) : 0;
      setAttributeIfChanged(g, 'style', `--nv-fill:${strength}%` + (layerColours?.[l] ? `;--nv-layer:${layerColours[l]}` : ''));
      g.classList.toggle('nv-unknown', !known);
      const label = values[l][j];
      label.classList.toggle('nv-on-dark', strength > 55);
      const value = known ? fittingValue(a, g.__room) : '';
      if (label.textContent !== value) label.textContent = value;
    }));
  }

  function fittingValue(a, room) {
    for (const decimals of [3, 2]) {
      const value = formatNumber(a, decimals);
      if (value.length * DIGIT_WIDTH <= room) return value;
    }
    return '';
  }

  // ---- items: the neuron or connection under the pointer or the focus -------------------

  function itemOf(element) {
    const target = element?.closest?.('[data-kind]');
    if (!target || !svg.contains(target)) return null;
    const {kind, l, j, i} = target.dataset;
    return kind === 'neuron' ? {kind, l: +l, j: +j} : {kind, l: +l, j: +j, i: +i};
  }

  function describe(item) {
    if (item.kind === 'neuron') return text.neuronLabel(names, state || {}, item.l, item.j);
    return text.connectionLabel(names, state, item.l, item.j, item.i);
  }

  function placeFocusLine({l, j, i}) {
    const path = connectionPath(l, j, i);
    for (const [name, value] of Object.entries(path)) focusLine.setAttribute(name, value.toFixed(1));
    Object.assign(focusLine.dataset, {l, j, i});
  }

  // Roving tab stop: only the active item is focusable and named.
  function setActive(item) {
    if (active) {
      for (const name of ['tabindex', 'role', 'aria-label']) active.element.removeAttribute(name);
    }
    if (item.kind === 'connection') placeFocusLine(item);
    focusLine.classList.toggle('nv-shown', item.kind === 'connection');
    const element = item.kind === 'neuron' ? neurons[item.l][item.j] : focusLine;
    active = {...item, element};
    element.setAttribute('tabindex', '0');
    element.setAttribute('role', 'button');
    element.setAttribute('aria-label', describe(item));
  }

  function showTooltip(item) {
    const rows = item.kind === 'neuron'
      ? text.neuronTooltip(names, state, item.l, item.j)
      : text.connectionTooltip(names, state, item.l, item.j, item.i);
    let point;
    if (item.kind === 'neuron') {
      const {x, y, r} = layout.neurons[item.l][item.j];
      point = {x, y, clearance: r};
    } else {
      const {x1, y1, x2, y2} = connectionPath(item.l, item.j, item.i);
      point = item.at ? {...item.at, clearance: POINTER_CLEARANCE} : {x: (x1 + x2) / 2, y: (y1 + y2) / 2, clearance: 4};
    }
    // SVG units are pixels of the drawing; the drawing is centred in the host.
    const svgBox = svg.getBoundingClientRect();
    const rootBox = root.getBoundingClientRect();
    tooltip.show(rows, {...point, x: point.x + svgBox.left - rootBox.left, y: point.y + svgBox.top - rootBox.top});
  }

  // Connections to emphasise: the hovered/focused item's, else the highlight's.
  function emphasis() {
    const item = hovered || focused;
    if (item) return item.kind === 'neuron' ? connectionsOf(names.layers, item.l, item.j) : [item];
    if (marked.connections.length) return marked.connections.map(([l, j, i]) => ({l, j, i}));
    return marked.neurons.flatMap(([l, j]) => connectionsOf(names.layers, l, j));
  }

  function showEmphasis() {
    const items = emphasis();
    connections.emphasise(items);
    svg.classList.toggle('nv-dimmed', items.length > 0);
  }

  function showMarks() {
    groups.halos.replaceChildren();
    for (const g of groups.neurons.querySelectorAll('.nv-marked')) g.classList.remove('nv-marked');
    for (const [l, j] of marked.neurons) neurons[l]?.[j]?.classList.add('nv-marked');
    for (const [l, j, i] of marked.connections) {
      svgElement('line', {class: 'nv-halo', ...connectionPath(l, j, i)}, groups.halos);
    }
    showEmphasis();
  }

  function highlight({neurons: markedNeurons = [], connections: markedConnections = []} = {}) {
    marked = {neurons: markedNeurons, connections: markedConnections};
    if (names) showMarks();
  }

  // ---- events --------------------------------------------------------------------------

  // What the pointer is on: a neuron (its element) or else the nearest connection.
  function itemAt(event) {
    const onNeuron = itemOf(event.target);
    if (onNeuron?.kind === 'neuron') return onNeuron;
    const box = svg.getBoundingClientRect();
    const at = {x: event.clientX - box.left, y: event.clientY - box.top};
    const near = connections.nearest(at);
    return near && {kind: 'connection', ...near, at};
  }

  function sameItem(a, b) {
    return a && b && a.kind === b.kind && a.l === b.l && a.j === b.j && a.i === b.i;
  }

  function setHovered(item) {
    if (sameItem(item, hovered) || (!item && !hovered)) return;
    hovered = item;
    const shown = hovered || focused;
    if (shown) showTooltip(shown);
    else tooltip.hide();
    showEmphasis();
  }

  function focusItem(item) {
    focused = item;
    showTooltip(item);
    showEmphasis();
  }

  svg.addEventListener('pointermove', event => {
    if (state) setHovered(itemAt(event));
  });
  svg.addEventListener('pointerleave', () => setHovered(null));

  // Focus listeners sit on the wrapper: Chromium makes an <svg> with focus listeners a tab stop.
  root.addEventListener('focusin', event => {
    const item = itemOf(event.target);
    if (item) focusItem(item);
  });

  root.addEventListener('focusout', event => {
    if (itemOf(event.relatedTarget)) return;
    focused = null;
    if (hovered) showTooltip(hovered);
    else tooltip.hide();
    showEmphasis();
  });

  svg.addEventListener('click', event => {
    const item = state && itemAt(event);
    if (!item) return;
    setActive(item);   // the tab stop follows the last item clicked
    setHovered(item);  // a tap on a touch screen has no hover: show the values now
    select(item);
  });

  svg.addEventListener('keydown', event => {
    const item = itemOf(event.target);
    if (!item || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      select(item);
      return;
    }
    const next = nextItem(event.key, {...item, pivot: active?.pivot}, names);
    if (!next) return;
    event.preventDefault();
    setActive(next);
    active.element.focus();
    focusItem(next);   // moving between connections keeps the same element focused: no focusin
  });

  function select({kind, l, j, i}) {
    const item = kind === 'neuron' ? {kind, l, j} : {kind, l, j, i};
    for (const callback of selectCallbacks) callback(item);
  }

  new ResizeObserver(() => {
    if (names && root.clientWidth !== placedFor) place(root.clientWidth);
  }).observe(root);

  function anchor(l, j) {
    const {x, y} = layout.neurons[l][j];
    return {x, y};
  }

  function connectionPath(l, j, i) {
    const from = layout.neurons[l][i];
    const to = layout.neurons[l + 1][j];
    return {x1: from.x, y1: from.y, x2: to.x, y2: to.y};
  }

  return {
    render,
    highlight,
    onSelect: callback => selectCallbacks.push(callback),
    anchor,
    connectionPath,
    svg,
  };
}
