// Neuron markers drawn over the network view: a lock on saturated neurons and a "dead" sign on
// ReLU neurons that are off for every sample. The simulator decides which neurons are flagged
// and says why (state().neuron_flags); this module only draws them and shows its words.
import {svgElement} from '../../views/svg.js';
import {createTooltip} from '../../views/tooltip.js';

// Where a marker sits from the neuron's centre: on the upper right edge of its circle.
const MARKER_OFFSET = {x: 20, y: -22};

// Room the tooltip leaves around a marker's centre: enough to keep its neuron in view too.
const TIP_CLEARANCE = 50;

// A padlock: shackle arc above a body, in a 16 x 16 box centred on the origin.
const LOCK_PATH = 'M-4,-1 v-3 a4,4 0 0 1 8,0 v3 M-6,-1 h12 v8 h-12 z';
// A circle with a slash: "nothing gets through".
const DEAD_PATH = 'M0,-7 a7,7 0 1 0 0.01,0 z M-5,5 L5,-5';

// host: the positioned element around the view, where the explaining tooltip appears.
export function createMarkers(view, host) {
  const layer = svgElement('g', {class: 'gb-markers'}, view.svg);
  const tip = createTooltip(host);

  function showTip(marker, text) {
    const box = marker.getBoundingClientRect();
    const origin = host.getBoundingClientRect();
    tip.show([text], {
      x: box.left + box.width / 2 - origin.left,
      y: box.top + box.height / 2 - origin.top,
      clearance: TIP_CLEARANCE,
    });
  }

  function drawMarker(kind, [l, j], slot, notation, text) {
    const anchor = view.anchor(l, j);
    // Side by side when a neuron carries both markers.
    const g = svgElement(
      'g',
      {
        class: `gb-marker gb-marker--${kind}`,
        'data-neuron': `${l},${j}`,
        tabindex: '0',
        role: 'img',
        'aria-label': `${kind === 'saturated' ? 'Locked' : 'Dead'}: ${notation.layers[l].label} ${notation.layers[l].names[j]}. ${text}`,
        transform: `translate(${anchor.x + MARKER_OFFSET.x + slot * 22},${anchor.y + MARKER_OFFSET.y})`,
      },
      layer,
    );
    svgElement('title', {}, g).textContent = text;
    svgElement('circle', {r: '10', class: 'gb-marker-backdrop'}, g);
    svgElement('path', {d: kind === 'saturated' ? LOCK_PATH : DEAD_PATH, class: 'gb-marker-icon'}, g);
    g.addEventListener('mouseenter', () => showTip(g, text));
    g.addEventListener('focus', () => showTip(g, text));
    g.addEventListener('mouseleave', tip.hide);
    g.addEventListener('blur', tip.hide);
  }

  return {
    // flags: {saturated: [[layer, j]], dead_relu: [[layer, j]], why: {kind: words}}; notation:
    // the simulator's names (state.notation).
    render(flags, notation) {
      layer.replaceChildren();
      tip.hide();
      const slots = new Map();
      for (const kind of ['saturated', 'dead_relu']) {
        for (const neuron of flags?.[kind] ?? []) {
          const key = neuron.join(',');
          const slot = slots.get(key) ?? 0;
          slots.set(key, slot + 1);
          drawMarker(kind, neuron, slot, notation, flags.why[kind]);
        }
      }
    },
  };
}
