// Words for the network view: layer and neuron names, tooltip rows and aria-labels.
// Code indices are 0-based; what a student reads follows the display notation of
// docs/architecture.md: layers and neurons 1-based, w_{ij}^{(l)} from neuron i of layer l-1.

import {formatNumber} from './format.js';

// names: {layers: [sizes], layerLabels: [string per layer], outputLabels: null | [string],
//         inputGrid: null | {rows, cols}}
export function defaultLayerLabels(count) {
  return Array.from({length: count}, (_, l) => {
    if (l === 0) return 'Input';
    if (l === count - 1) return 'Output';
    return count > 3 ? `Hidden ${l}` : 'Hidden';
  });
}

// "Hidden 2" -> "H2", "Input" -> "In", "Output" -> "Out": captions for narrow columns.
export function shortLayerLabel(label) {
  const known = {Input: 'In', Output: 'Out'};
  if (known[label]) return known[label];
  const match = /^Hidden\s*(\d*)$/.exec(label);
  return match ? `H${match[1]}` : label;
}

export function neuronName(names, l, j) {
  const layer = names.layerLabels[l];
  if (l === 0 && names.inputGrid) {
    const {cols} = names.inputGrid;
    return `${layer} pixel ${j + 1} (row ${Math.floor(j / cols) + 1}, column ${(j % cols) + 1})`;
  }
  const label = l === names.layers.length - 1 && names.outputLabels ? ` (${names.outputLabels[j]})` : '';
  return `${layer} neuron ${j + 1}${label}`;
}

// The numbers shown for a neuron: activation, and for non-input layers bias and z when known.
function neuronValues(state, l, j) {
  const values = [{symbol: 'a', name: 'activation', value: state.activations?.[l]?.[j]}];
  if (l > 0 && state.biases) values.push({symbol: 'b', name: 'bias', value: state.biases[l - 1][j]});
  if (l > 0 && state.z) values.push({symbol: 'z', name: 'z', value: state.z[l - 1][j]});
  return values;
}

function exact(value, signed = false) {
  return value === undefined || value === null ? 'not computed yet' : formatNumber(value, 3, {exact: true, signed});
}

export function neuronLabel(names, state, l, j) {
  const values = neuronValues(state, l, j).map(({name, value}) => `${name} ${exact(value)}`);
  return `${neuronName(names, l, j)}: ${values.join(', ')}`;
}

export function neuronTooltip(names, state, l, j) {
  const rows = neuronValues(state, l, j).map(({symbol, value}) => notation(symbol, `${j + 1}`, l + 1, exact(value)));
  return [strong(neuronName(names, l, j)), ...rows];
}

function signWord(weight) {
  if (weight > 0) return 'positive';
  return weight < 0 ? 'negative' : 'zero';
}

export function connectionLabel(names, state, l, j, i) {
  const weight = state.weights[l][j][i];
  return `Weight from ${neuronName(names, l, i)} to ${neuronName(names, l + 1, j)}: ` +
    `${exact(weight, true)}, ${signWord(weight)}`;
}

export function connectionTooltip(names, state, l, j, i) {
  const weight = state.weights[l][j][i];
  const index = l + 1 >= 10 || i + 1 >= 10 || j + 1 >= 10 ? `${i + 1},${j + 1}` : `${i + 1}${j + 1}`;
  return [
    strong(`${neuronName(names, l, i)} →`),
    strong(neuronName(names, l + 1, j)),
    notation('w', index, l + 2, `${exact(weight, true)} (${signWord(weight)})`),
  ];
}

// "a₂⁽³⁾ = 0.731" as symbol<sub>2</sub><sup>(3)</sup>, built from text nodes.
function notation(symbol, subscript, layer, valueText) {
  const row = document.createElement('span');
  const sub = document.createElement('sub');
  const sup = document.createElement('sup');
  sub.textContent = subscript;
  sup.textContent = `(${layer})`;
  row.append(symbol, sub, sup, ` = ${valueText}`);
  return row;
}

function strong(text) {
  const element = document.createElement('strong');
  element.textContent = text;
  return element;
}
