// Display names for the glass box's neurons and connections.
// Code indices are 0-based (layer 0 = input); the page speaks the reference's 1-based
// notation: a_j^(l) is neuron j of layer l, w_ij^(l) goes from neuron i of layer l-1 to
// neuron j of layer l. This module is the only place in the lab that turns one into the other.

import {renderTex} from '../../views/formula.js';

// Plain-words role of a layer: "input", "hidden" or "output".
function layerRole(layer, layerCount) {
  if (layer === 0) return 'input';
  return layer === layerCount - 1 ? 'output' : 'hidden';
}

// "hidden 2", "input 1", "output" (a single output neuron needs no number).
export function neuronName(layer, j, layers) {
  const role = layerRole(layer, layers.length);
  return layers[layer] === 1 ? role : `${role} ${j + 1}`;
}

// HTML for a symbol in display notation, e.g. a<sub>1</sub><sup>(2)</sup>.
function symbolHtml(letter, sub, layer) {
  return `<var>${letter}</var><sub>${sub}</sub><sup>(${layer})</sup>`;
}

// Code neuron (layer, j) -> a_{j+1}^{(layer+1)}.
export function activationSymbol(layer, j) {
  return symbolHtml('a', j + 1, layer + 1);
}

export function deltaSymbol(layer, j) {
  return symbolHtml('δ', j + 1, layer + 1);
}

export function preactivationSymbol(layer, j) {
  return symbolHtml('z', j + 1, layer + 1);
}

// Code weights[l][j][i] -> w_{(i+1)(j+1)}^{(l+2)}.
export function weightSymbol(l, j, i) {
  return symbolHtml('w', `${i + 1}${j + 1}`, l + 2);
}

// Code biases[l][j] (neuron j of layer l+1) -> b_{j+1}^{(l+2)}.
export function biasSymbol(l, j) {
  return symbolHtml('b', j + 1, l + 2);
}

// Which sample a panel describes, for headings: "Sample 2 of 4" / "Average over 4 samples".
export function sampleLabel(focus, count) {
  return focus === 'average' ? `Average over the ${count} samples` : `Sample ${focus + 1} of ${count}`;
}

// TeX for the same symbols, for general formulas typeset with KaTeX.
export const tex = {
  a: (layer, j) => `a_{${j + 1}}^{(${layer + 1})}`,
  z: (layer, j) => `z_{${j + 1}}^{(${layer + 1})}`,
  delta: (layer, j) => `\\delta_{${j + 1}}^{(${layer + 1})}`,
  w: (l, j, i) => `w_{${i + 1}${j + 1}}^{(${l + 2})}`,
  b: (l, j) => `b_{${j + 1}}^{(${l + 2})}`,
};

// A general formula typeset by KaTeX, as HTML to place in a panel.
export function formulaHtml(source) {
  return renderTex(source).outerHTML;
}
