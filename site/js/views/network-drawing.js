// The network view's drawing: the SVG elements of neurons, printed values and captions, laid
// out for the host's width (network-layout.js), and the neurons filled from the activations.
// It draws numbers the simulator computed and does no network maths.
//
// scene (shared with network-view.js and network-items.js): {root, svg, groups, connections,
// options, state, notation}; the drawing sets scene.names, scene.layout, scene.neurons
// ([l][j] -> <g>).

import {svgElement, setAttributeIfChanged} from './svg.js';
import {layoutNetwork} from './network-layout.js';
import * as text from './network-text.js';

const DIGIT_WIDTH = 6.8;        // px per character of the 12px value text
const SMALLEST_FIT = 0.6;       // a value's font shrinks to fit its circle, down to 60 % (7 px)
const LABEL_CHAR_WIDTH = 8;     // px per character of the 13px bold layer captions

export function createNetworkDrawing(scene) {
  const {svg, groups, connections} = scene;
  const {inputGrid, layerColours, layerLabels, outputLabels} = scene.options;
  let values = [];        // [l][j] -> <text> printed over the neuron

  // New elements for a network of this shape (none positioned yet: place() does that).
  function build(layers) {
    for (const name of ['halos', 'neurons', 'values', 'labels']) groups[name].replaceChildren();
    connections.build(layers);
    svg.classList.toggle('nv-many', connections.many);
    const given = Array.isArray(layerLabels) ? layerLabels : [];
    const {notation} = scene;
    scene.names = {layers, inputGrid, outputLabels, notation, layerLabels: text.layerLabels(notation, given)};
    scene.neurons = layers.map((count, l) => Array.from({length: count}, (_, j) => {
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
  }

  // Positions every element for the host's width.
  function place(width) {
    const {layers} = scene.names;
    const longest = Math.max(0, ...(outputLabels || []).map(label => String(label).length));
    const layout = scene.layout = layoutNetwork(layers, {
      width: width || 640,
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
  }

  // Full captions when they fit between columns, short ones ("H1") when they would collide.
  function captionLayers() {
    const {layout, names} = scene;
    const gap = layout.columns.length > 1 ? layout.columns[1] - layout.columns[0] : Infinity;
    const longest = Math.max(...names.layerLabels.map(label => label.length));
    const short = longest * LABEL_CHAR_WIDTH > gap - 8;
    names.layerLabels.forEach((label, l) => {
      groups.labels.children[l].textContent = short ? text.shortLayerLabel(label) : label;
    });
  }

  function placeNeuron(l, j, {x, y, r, square}) {
    const g = scene.neurons[l][j];
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

  function drawNeurons() {
    const {state} = scene;
    scene.neurons.forEach((column, l) => column.forEach((g, j) => {
      const a = state.activations?.[l]?.[j];
      const known = typeof a === 'number' && Number.isFinite(a);
      const strength = known ? Math.round(Math.min(1, Math.abs(a)) * 100) : 0;
      setAttributeIfChanged(g, 'style', `--nv-fill:${strength}%` + (layerColours?.[l] ? `;--nv-layer:${layerColours[l]}` : ''));
      g.classList.toggle('nv-unknown', !known);
      const label = values[l][j];
      label.classList.toggle('nv-on-dark', strength > 55);
      const written = known ? state.activationLabels?.[l]?.[j] ?? '' : '';
      const fit = written ? Math.min(1, g.__room / (written.length * DIGIT_WIDTH)) : 1;
      const value = fit >= SMALLEST_FIT ? written : '';
      setAttributeIfChanged(label, 'style', fit < 1 && value ? `--nv-fit:${fit.toFixed(2)}` : '');
      if (label.textContent !== value) label.textContent = value;
    }));
  }

  // From neuron i of layer l to neuron j of layer l+1, centre to centre.
  function connectionPath(l, j, i) {
    const from = scene.layout.neurons[l][i];
    const to = scene.layout.neurons[l + 1][j];
    return {x1: from.x, y1: from.y, x2: to.x, y2: to.y};
  }

  return {build, place, drawNeurons, connectionPath};
}
