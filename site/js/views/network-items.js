// The network view's items, the neuron or connection under the pointer or the keyboard focus:
// the roving tab stop and its keys (network-keys.js), the tooltip with the exact numbers,
// emphasis and the lab's highlight, and the preview and select callbacks.
//
// scene: see network-drawing.js; also {tooltip, focusLine}.

import {svgElement} from './svg.js';
import {nextItem, connectionsOf} from './network-keys.js';
import * as text from './network-text.js';

const POINTER_CLEARANCE = 14;   // keeps the tooltip clear of the mouse pointer

const sameItem = (a, b) => a && b && a.kind === b.kind && a.l === b.l && a.j === b.j && a.i === b.i;
// An item as the callbacks get it, without the pointer position.
const plain = ({kind, l, j, i}) => (kind === 'neuron' ? {kind, l, j} : {kind, l, j, i});

// The item (neuron or connection) an element of the drawing stands for, or null.
function itemOfElement(svg, element) {
  const target = element?.closest?.('[data-kind]');
  if (!target || !svg.contains(target)) return null;
  const {kind, l, j, i} = target.dataset;
  return kind === 'neuron' ? {kind, l: +l, j: +j} : {kind, l: +l, j: +j, i: +i};
}

// Connections to emphasise: the hovered/focused item's, else the highlight's.
function emphasis(item, marked, layers) {
  if (item) return item.kind === 'neuron' ? connectionsOf(layers, item.l, item.j) : [item];
  if (marked.connections.length) return marked.connections.map(([l, j, i]) => ({l, j, i}));
  return marked.neurons.flatMap(([l, j]) => connectionsOf(layers, l, j));
}

// The tooltip with the item's exact numbers, beside the neuron, the pointer or the line's middle.
function showTooltipOf(scene, item, connectionPath) {
  const {svg, root, tooltip, names, state, layout} = scene;
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

export function createNetworkItems(scene, {connectionPath}) {
  const {root, svg, groups, connections, tooltip, focusLine} = scene;
  let active = null;      // the item that holds the tab stop
  let hovered = null;
  let focused = null;
  let previewed = null;
  let marked = {neurons: [], connections: []};
  const selectCallbacks = [];
  const previewCallbacks = [];

  const itemOf = element => itemOfElement(svg, element);

  function describe(item) {
    if (item.kind === 'neuron') return text.neuronLabel(scene.names, scene.state || {}, item.l, item.j);
    return text.connectionLabel(scene.names, scene.state, item.l, item.j, item.i);
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
    const element = item.kind === 'neuron' ? scene.neurons[item.l][item.j] : focusLine;
    active = {...item, element};
    element.setAttribute('tabindex', '0');
    element.setAttribute('role', 'button');
    element.setAttribute('aria-label', describe(item));
  }

  const showTooltip = item => showTooltipOf(scene, item, connectionPath);

  function showEmphasis() {
    const items = emphasis(hovered || focused, marked, scene.names.layers);
    connections.emphasise(items);
    svg.classList.toggle('nv-dimmed', items.length > 0);
  }

  function showMarks() {
    groups.halos.replaceChildren();
    for (const g of groups.neurons.querySelectorAll('.nv-marked')) g.classList.remove('nv-marked');
    for (const [l, j] of marked.neurons) scene.neurons[l]?.[j]?.classList.add('nv-marked');
    for (const [l, j, i] of marked.connections) {
      svgElement('line', {class: 'nv-halo', ...connectionPath(l, j, i)}, groups.halos);
    }
    showEmphasis();
  }

  // What the pointer is on: a neuron (its element) or else the nearest connection.
  function itemAt(event) {
    const onNeuron = itemOf(event.target);
    if (onNeuron?.kind === 'neuron') return onNeuron;
    const box = svg.getBoundingClientRect();
    const at = {x: event.clientX - box.left, y: event.clientY - box.top};
    const near = connections.nearest(at);
    return near && {kind: 'connection', ...near, at};
  }

  function setHovered(item) {
    if (sameItem(item, hovered) || (!item && !hovered)) return;
    hovered = item;
    const shown = hovered || focused;
    if (shown) showTooltip(shown);
    else tooltip.hide();
    showEmphasis();
    announcePreview();
  }

  function focusItem(item) {
    focused = item;
    showTooltip(item);
    showEmphasis();
    announcePreview();
  }

  function announcePreview() {
    const shown = hovered || focused || null;
    if (sameItem(shown, previewed) || (!shown && !previewed)) return;
    previewed = shown;
    for (const callback of previewCallbacks) callback(shown && plain(shown));
  }

  function select(item) {
    for (const callback of selectCallbacks) callback(plain(item));
  }

  listen({svg, root, scene, itemOf, itemAt, setHovered, focusItem, setActive, select,
          active: () => active,
          blur() {
            focused = null;
            if (hovered) showTooltip(hovered);
            else tooltip.hide();
            showEmphasis();
            announcePreview();
          }});

  return {
    // A new network: no item active, hovered or focused; the tab stop on the first input.
    reset() {
      active = hovered = focused = null;
      tooltip.hide();
    },
    first: () => setActive({kind: 'neuron', l: 0, j: 0}),
    // After the elements moved (a new width): the focus line and the marks follow.
    placed() {
      if (active?.kind === 'connection') placeFocusLine(active);
      showMarks();
    },
    // After new numbers: the active item's name and an open tooltip follow.
    drawn() {
      if (active) active.element.setAttribute('aria-label', describe(active));
      const shown = hovered || focused;
      if (shown && !tooltip.element.hidden) showTooltip(shown);
    },
    highlight({neurons = [], connections: lines = []} = {}) {
      marked = {neurons, connections: lines};
      if (scene.names) showMarks();
    },
    onSelect: callback => selectCallbacks.push(callback),
    onPreview: callback => previewCallbacks.push(callback),
  };
}

// The pointer, focus, click and key listeners.
function listen({svg, root, scene, itemOf, itemAt, setHovered, focusItem, setActive, select, active, blur}) {
  svg.addEventListener('pointermove', event => {
    if (scene.state) setHovered(itemAt(event));
  });
  svg.addEventListener('pointerleave', () => setHovered(null));

  // Focus listeners sit on the wrapper: Chromium makes an <svg> with focus listeners a tab stop.
  root.addEventListener('focusin', event => {
    const item = itemOf(event.target);
    if (item) focusItem(item);
  });
  root.addEventListener('focusout', event => {
    if (!itemOf(event.relatedTarget)) blur();
  });

  svg.addEventListener('click', event => {
    const item = scene.state && itemAt(event);
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
    const next = nextItem(event.key, {...item, pivot: active()?.pivot}, scene.names);
    if (!next) return;
    event.preventDefault();
    setActive(next);
    active().element.focus();
    focusItem(next);   // moving between connections keeps the same element focused: no focusin
  });
}
