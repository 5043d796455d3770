// Which parameter the chain rule and the editor describe: the item of the network view a click
// pinned (at first the connection from hidden neuron 1 to the output), or the one the pointer or
// keyboard focus rests on, previewed until it leaves (as the reference does on hover).
//
//   const selection = createSelection(view, {onPreview, onPin});
//   selection.pinned        {kind: 'connection', l, j, i} or {kind: 'neuron', l, j}
//   selection.previewing    whether a hovered item is shown instead of the pinned one
//   selection.parameter()   the shown item as the simulator's panels name a parameter
//   selection.highlight()   light up the shown item in the view

const PREVIEW_DELAY_MS = 80; // a pointer crossing the network does not ask for every connection

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

export function createSelection(view, {onPreview, onPin}) {
  let pinned = {kind: 'connection', l: 1, j: 0, i: 0};
  let previewed = null;
  let timer = null;

  const shown = () => previewed ?? pinned;

  function highlight() {
    const {kind, l, j, i} = shown();
    if (kind === 'connection') view.highlight({neurons: [[l, i], [l + 1, j]], connections: [[l, j, i]]});
    else view.highlight({neurons: [[l, j]], connections: []});
  }

  view.onPreview(item => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (same(item, previewed)) return;
      previewed = item && !same(item, pinned) ? item : null;
      highlight();
      onPreview();
    }, PREVIEW_DELAY_MS);
  });
  view.onSelect(picked => {
    clearTimeout(timer);
    previewed = null;
    pinned = picked;
    highlight();
    onPin(pinned);
  });

  return {
    highlight,
    get pinned() {
      return pinned;
    },
    get previewing() {
      return previewed !== null;
    },
    // A connection's weight or a neuron's bias (code indices); an input neuron has neither.
    parameter() {
      const {kind, l, j, i} = shown();
      if (kind === 'connection') return {kind: 'weight', index: [l, j, i]};
      return l === 0 ? null : {kind: 'bias', index: [l - 1, j]};
    },
  };
}
