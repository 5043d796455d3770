// Keyboard movement in the network view. The view has one tab stop (roving focus); inside it:
//
//   on a neuron       ←/→ previous/next layer (nearest neuron), ↑/↓ previous/next neuron,
//                     Home/End first/last neuron of the layer; in an input grid the arrows
//                     move between pixels and → from the right edge goes on to layer 1.
//                     C (Shift+C backwards) steps onto the neuron's connections.
//   on a connection   ↑/↓ or C/Shift+C previous/next connection of that neuron (incoming,
//                     then outgoing, wrapping), ← its source neuron, → its target neuron,
//                     Esc back to the neuron the stepping started from.
//   anywhere          Enter or Space selects (the view's onSelect callbacks fire).
//
// nextItem(key, item, shape) -> the item to focus, or null if the key does nothing here.
// item: {kind: 'neuron', l, j} | {kind: 'connection', l, j, i, pivot: neuron item}
// shape: {layers, inputGrid}

export const KEY_HELP = 'Arrow keys move between neurons. C steps through the connections of ' +
  'the focused neuron, arrows then move along them and Esc goes back. Enter selects.';

export function nextItem(key, item, shape) {
  if (item.kind === 'neuron') return fromNeuron(key, item, shape);
  return fromConnection(key, item, shape);
}

// Incoming connections first, then outgoing: the order a forward pass reads them.
export function connectionsOf(layers, l, j) {
  const incoming = l > 0 ? range(layers[l - 1]).map(i => ({kind: 'connection', l: l - 1, j, i})) : [];
  const outgoing = l < layers.length - 1 ? range(layers[l + 1]).map(k => ({kind: 'connection', l, j: k, i: j})) : [];
  return [...incoming, ...outgoing];
}

function fromNeuron(key, item, shape) {
  const {layers, inputGrid} = shape;
  const {l, j} = item;
  const count = layers[l];
  if (key === 'c' || key === 'C') {
    const list = connectionsOf(layers, l, j);
    if (!list.length) return null;
    const pick = key === 'c' ? list[0] : list[list.length - 1];
    return {...pick, pivot: item};
  }
  if (key === 'Home') return neuron(l, 0);
  if (key === 'End') return neuron(l, count - 1);
  if (l === 0 && inputGrid) return fromGridCell(key, j, shape);
  if (key === 'ArrowUp') return neuron(l, Math.max(0, j - 1));
  if (key === 'ArrowDown') return neuron(l, Math.min(count - 1, j + 1));
  if (key === 'ArrowLeft' && l > 0) return enterLayer(shape, l - 1, j / Math.max(1, count - 1));
  if (key === 'ArrowRight' && l < layers.length - 1) return enterLayer(shape, l + 1, j / Math.max(1, count - 1));
  return null;
}

function fromGridCell(key, j, {layers, inputGrid}) {
  const {cols} = inputGrid;
  const count = layers[0];
  const rows = Math.ceil(count / cols);
  const column = j % cols;
  if (key === 'ArrowUp' && j - cols >= 0) return neuron(0, j - cols);
  if (key === 'ArrowDown' && j + cols < count) return neuron(0, j + cols);
  if (key === 'ArrowLeft' && column > 0) return neuron(0, j - 1);
  if (key === 'ArrowRight' && column < cols - 1 && j + 1 < count) return neuron(0, j + 1);
  if (key === 'ArrowRight' && layers.length > 1) {
    return enterLayer({layers, inputGrid}, 1, Math.floor(j / cols) / Math.max(1, rows - 1));
  }
  return null;
}

// The neuron of layer l at the same relative height (0 = top, 1 = bottom).
function enterLayer({layers, inputGrid}, l, position) {
  if (l === 0 && inputGrid) {
    const {cols} = inputGrid;
    const rows = Math.ceil(layers[0] / cols);
    const row = Math.round(position * (rows - 1));
    return neuron(0, Math.min(layers[0] - 1, row * cols + cols - 1));
  }
  return neuron(l, Math.round(position * (layers[l] - 1)));
}

function fromConnection(key, item, shape) {
  const {layers} = shape;
  const pivot = item.pivot || neuron(item.l + 1, item.j);
  if (key === 'ArrowLeft') return neuron(item.l, item.i);
  if (key === 'ArrowRight') return neuron(item.l + 1, item.j);
  if (key === 'Escape') return pivot;
  const step = {ArrowDown: 1, c: 1, ArrowUp: -1, C: -1}[key];
  if (!step) return null;
  const list = connectionsOf(layers, pivot.l, pivot.j);
  const at = list.findIndex(c => c.l === item.l && c.j === item.j && c.i === item.i);
  const next = list[(at + step + list.length) % list.length];
  return {...next, pivot};
}

function neuron(l, j) {
  return {kind: 'neuron', l, j};
}

function range(n) {
  return Array.from({length: n}, (_, i) => i);
}
