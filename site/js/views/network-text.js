// Words for the network view: layer and neuron names, tooltip rows and aria-labels. Every name,
// symbol and index is the simulator's (nnsim.explain.view_notation, which a state carries with
// its schema: `state.notation`), so the display notation of docs/architecture.md is written in
// one place; this module only puts the pieces together.

import {formatNumber} from './format.js';

// names: {notation, layerLabels: [string per layer], outputLabels: null | [string]}
// A lab's own captions (given[l]) win over the notation's.
export function layerLabels(notation, given) {
  return notation.layers.map((layer, l) => given[l] || layer.label);
}

// "Hidden 2" -> "H2", "Input" -> "In", "Output" -> "Out": captions for narrow columns.
export function shortLayerLabel(label) {
  const known = {Input: 'In', Output: 'Out'};
  if (known[label]) return known[label];
  const match = /^Hidden\s*(\d*)$/.exec(label);
  return match ? `H${match[1]}` : label;
}

export function neuronName(names, l, j) {
  const output = l === names.layerLabels.length - 1 && names.outputLabels ? ` (${names.outputLabels[j]})` : '';
  return `${names.layerLabels[l]} ${names.notation.layers[l].names[j]}${output}`;
}

// The numbers shown for a neuron: activation, and for non-input layers bias and z when known.
function neuronValues(names, state, l, j) {
  const {symbols} = names.notation.layers[l];
  const values = [{symbol: symbols.a, name: 'activation', value: state.activations?.[l]?.[j]}];
  if (symbols.b && state.biases) values.push({symbol: symbols.b, name: 'bias', value: state.biases[l - 1][j]});
  if (symbols.z && state.z) values.push({symbol: symbols.z, name: 'z', value: state.z[l - 1][j]});
  return values;
}

function exact(value, signed = false) {
  return value === undefined || value === null ? 'not computed yet' : formatNumber(value, 3, {exact: true, signed});
}

export function neuronLabel(names, state, l, j) {
  const values = neuronValues(names, state, l, j).map(({name, value}) => `${name} ${exact(value)}`);
  return `${neuronName(names, l, j)}: ${values.join(', ')}`;
}

export function neuronTooltip(names, state, l, j) {
  const layer = names.notation.layers[l];
  const rows = neuronValues(names, state, l, j).map(({symbol, value}) =>
    notation(symbol, layer.subscripts[j], layer.superscript, exact(value)));
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
  const {symbol, subscripts, superscript} = names.notation.weights[l];
  return [
    strong(`${neuronName(names, l, i)} →`),
    strong(neuronName(names, l + 1, j)),
    notation(symbol, subscripts[j][i], superscript, `${exact(weight, true)} (${signWord(weight)})`),
  ];
}

// "a₂⁽³⁾ = 0.731" as symbol<sub>2</sub><sup>(3)</sup>, built from text nodes.
function notation(symbol, subscript, superscript, valueText) {
  const row = document.createElement('span');
  const sub = document.createElement('sub');
  sub.textContent = subscript;
  row.append(symbol, sub);
  if (superscript) {
    const sup = document.createElement('sup');
    sup.textContent = superscript;
    row.append(sup);
  }
  row.append(` = ${valueText}`);
  return row;
}

function strong(text) {
  const element = document.createElement('strong');
  element.textContent = text;
  return element;
}
