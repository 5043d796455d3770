// The network diagram every lab shows: an SVG of neurons and connections drawn from numbers
// the simulator computed. It does no network maths.
//
//   const view = createNetworkView(container, {
//     inputGrid: null | {rows, cols},      draw layer 0 as a grid of squares (digits: 5x5)
//     layerColours: null | [css colour],   per layer: the dark end of the neuron fill and ring
//     layerLabels: true | false | [text],  captions above the columns (default Input, Hidden, Output)
//     outputLabels: null | [text],         short names drawn right of the output neurons ("0".."9")
//   });
//   view.render({layers, weights, weightLabels, biases, biasLabels, activations, activationLabels, notation})
//       notation: the simulator's names and symbols for this network (state.notation, which
//       every state with a schema carries); needed with the first state of each shape, kept
//       until the next one comes.
//       layers [n0..nL]; weights[l][j][i] from neuron i of layer l to neuron j of layer l+1;
//       biases[l][j] or null; activations: a list per layer (a[0] = input) or null before any
//       forward pass. weightLabels, biasLabels (null without biases), activationLabels: those
//       numbers as the simulator wrote them, in the same shapes: the text printed in the neurons
//       and the tooltips (the view writes no number itself; without activationLabels none is
//       printed). Cheap when the shape is unchanged
//       (existing elements are updated), so it can run 30 times a second.
//   view.highlight({neurons: [[l, j]], connections: [[l, j, i]]})   empty lists clear it
//   view.onPreview(item => ...)     the item hovered or focused now, or null when none is
//                                    (a lab may preview what a click would select)
//   view.onSelect((item) => ...)     item {kind: 'neuron', l, j} | {kind: 'connection', l, j, i};
//                                    fires on click, Enter or Space
//   view.anchor(l, j) -> {x, y}                neuron centre in SVG coordinates
//   view.connectionPath(l, j, i) -> {x1, y1, x2, y2}   from neuron i of l to neuron j of l+1
//   view.svg                                   the <svg>; labs may append their own layers
//
// Look: neuron fill from light (|a| = 0) to dark (|a| >= 1), value printed inside when the
// circle is big enough (a smaller font when it needs one, never fewer digits); connections red (positive) or blue and dashed (negative), wider and
// more opaque with |w| relative to the largest |w| (at least 1). Hover or focus shows the
// item's numbers (the simulator's text) in a tooltip and emphasises the item's connections; highlight() marks neurons with
// a thick ring and connections with a halo. Keys: see network-keys.js (the view is one tab stop).
//
// Its parts: network-drawing.js (elements, layout, fills), network-items.js (tab stop, keys,
// tooltip, emphasis, callbacks), network-connections.js, network-text.js (names and labels).

import {svgElement} from './svg.js';
import {createTooltip} from './tooltip.js';
import {createConnections} from './network-connections.js';
import {KEY_HELP} from './network-keys.js';
import {createNetworkDrawing} from './network-drawing.js';
import {createNetworkItems} from './network-items.js';

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

  // Drawing order: halos under connections, emphasised connections over them, neurons on top.
  // Printed values sit outside the neurons' focusable <g>s so a neuron's name is its aria-label.
  const groups = {};
  for (const name of ['halos', 'connections', 'emphasis', 'focus', 'neurons', 'values', 'labels']) {
    groups[name] = svgElement('g', {class: `nv-${name}`}, svg);
  }
  // What the parts share: the elements, the options, and the network now on show.
  const scene = {
    root, svg, groups,
    connections: createConnections(groups.connections, groups.emphasis),
    // The one element that takes keyboard focus for a connection, moved onto whichever is active.
    focusLine: svgElement('line', {class: 'nv-focus-line', 'data-kind': 'connection'}, groups.focus),
    tooltip: createTooltip(root),
    options: {inputGrid, layerColours, layerLabels, outputLabels},
    state: null, notation: null, names: null, layout: null, neurons: [],
  };
  const drawing = createNetworkDrawing(scene);
  const items = createNetworkItems(scene, drawing);
  let shapeKey = '';
  let placedFor = 0;      // the host width the layout was made for

  function build(layers) {
    // Measured before the new elements exist: read after, the width would force the style
    // and layout of hundreds of new connections inside this task instead of in the next frame.
    const width = root.clientWidth;
    drawing.build(layers);
    items.reset();
    place(width);
    items.first();
  }

  // Positions every element for the host's width; runs on build and when the width changes.
  function place(width) {
    placedFor = width;
    drawing.place(width);
    items.placed();
    if (scene.state) draw();
  }

  function draw() {
    drawing.drawNeurons();
    scene.connections.draw(scene.state.weights);
    items.drawn();
  }

  function render(next) {
    const key = `${next.layers.join('-')}|${inputGrid ? 'grid' : ''}`;
    scene.state = next;
    if (next.notation) scene.notation = next.notation;
    if (key !== shapeKey) {
      const sizes = scene.notation?.layers.map(layer => layer.names.length).join('-');
      if (sizes !== next.layers.join('-')) throw new Error('The network view needs the simulator\'s notation for a network of this shape.');
      shapeKey = key;
      build(next.layers);
      return;
    }
    draw();
  }

  new ResizeObserver(() => {
    if (scene.names && root.clientWidth !== placedFor) place(root.clientWidth);
  }).observe(root);

  return {
    render,
    highlight: items.highlight,
    onSelect: items.onSelect,
    onPreview: items.onPreview,
    anchor(l, j) {
      const {x, y} = scene.layout.neurons[l][j];
      return {x, y};
    },
    connectionPath: drawing.connectionPath,
    svg,
  };
}
