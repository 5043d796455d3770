// Words for the network view: layer and neuron names, tooltip rows and aria-labels. Every name,
// symbol and index is the simulator's (nnsim.explain.view_notation, which a state carries with
// its schema: `state.notation`), so the display notation of docs/architecture.md is written in
// one place; this module only puts the pieces together. Every number is text the simulator
// wrote (the view's *Labels), printed as it came.

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

// The numbers shown for a neuron, as the simulator wrote them (the view's activationLabels,
// biasLabels): activation, and for non-input layers the bias.
function neuronValues(names, state, l, j) {
  const {symbols} = names.notation.layers[l];
  const known = state.activations?.[l] && state.activationLabels?.[l];
  const values = [{symbol: symbols.a, name: 'activation', text: known ? state.activationLabels[l][j] : null}];
  if (symbols.b && state.biases) values.push({symbol: symbols.b, name: 'bias', text: state.biasLabels[l - 1][j]});
  return values;
}

const shown = text => text ?? 'not computed yet';

export function neuronLabel(names, state, l, j) {
  const values = neuronValues(names, state, l, j).map(({name, text}) => `${name} ${shown(text)}`);
  return `${neuronName(names, l, j)}: ${values.join(', ')}`;
}

export function neuronTooltip(names, state, l, j) {
  const layer = names.notation.layers[l];
  const rows = neuronValues(names, state, l, j).map(({symbol, text}) =>
    notation(symbol, layer.subscripts[j], layer.superscript, shown(text)));
  return [strong(neuronName(names, l, j)), ...rows];
}

function signWord(weight) {
  if (weight > 0) return 'positive';
  return weight < 0 ? 'negative' : 'zero';
}

export function connectionLabel(names, state, l, j, i) {
  const weight = state.weights[l][j][i];
  return `Weight from ${neuronName(names, l, i)} to ${neuronName(names, l + 1, j)}: ` +
    `${state.weightLabels[l][j][i]}, ${signWord(weight)}`;
}

export function connectionTooltip(names, state, l, j, i) {
  const weight = state.weights[l][j][i];
  const {symbol, subscripts, superscript} = names.notation.weights[l];
  return [
    strong(`${neuronName(names, l, i)} →`),
    strong(neuronName(names, l + 1, j)),
    notation(symbol, subscripts[j][i], superscript, `${state.weightLabels[l][j][i]} (${signWord(weight)})`),
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
