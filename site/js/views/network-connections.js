// The connections of the network view. Thousands of <line> elements make every redraw pay
// for style and layout of each one (25-64-10: 2,240 lines, ~50 ms a frame), so connections
// are drawn as a few <path>s, one per (sign, strength level), plus individual <line>s only for
// the few connections being emphasised. Hit-testing is geometric, so no hidden elements either.
//
//   const connections = createConnections(bucketGroup, emphasisGroup)
//   connections.build(layers)              new shape
//   connections.place(segment)             segment(l, j, i) -> {x1, y1, x2, y2}; after layout
//   connections.draw(weights)              redraw from weights[l][j][i]
//   connections.emphasise(items)           items [{l, j, i}] drawn on top, at exact strength
//   connections.nearest({x, y}) -> {l, j, i} | null   the connection under the pointer
//   connections.many                       true above MANY connections: thinner, weak ones fade

import {svgElement} from './svg.js';

const MANY = 150;
const LEVELS = 12;      // strength levels per sign: finer steps are not visible
const SIGNS = ['pos', 'neg'];

export function createConnections(bucketGroup, emphasisGroup) {
  let layers = [];
  let segments = [];    // flat, in weights order: {l, j, i, x1, y1, x2, y2, text}
  let buckets = {};     // 'pos3' -> <path>
  let offsets = [];     // index in segments of weights[l][0][0]
  let weights = null;
  let largest = 1;
  let emphasised = [];
  const api = {many: false, build, place, draw, emphasise, nearest};

  function build(nextLayers) {
    layers = nextLayers;
    offsets = layers.slice(1).map((_, l) => layers.slice(1, l + 1).reduce((sum, n, k) => sum + n * layers[k], 0));
    api.many = layers.slice(1).reduce((sum, n, l) => sum + n * layers[l], 0) > MANY;
    bucketGroup.replaceChildren();
    emphasisGroup.replaceChildren();
    buckets = {};
    segments = [];
    weights = null;
    emphasised = [];
    for (const sign of SIGNS) {
      for (let level = 0; level < LEVELS; level++) {
        const {width, opacity} = strokeFor((level + 0.5) / LEVELS);
        buckets[sign + level] = svgElement('path', {
          class: `nv-conn${sign === 'neg' ? ' nv-neg' : ''}`,
          'stroke-width': width.toFixed(2),
          style: `--stroke: ${width.toFixed(2)}px`,   // display.css's projector mode doubles it
          'stroke-opacity': opacity.toFixed(2),
          'data-sign': sign,
          'data-level': level,
        }, bucketGroup);
      }
    }
  }

  function place(segment) {
    segments = [];
    layers.slice(1).forEach((n, l) => {
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < layers[l]; i++) {
          const s = segment(l, j, i);
          segments.push({l, j, i, ...s, text: `M${s.x1.toFixed(1)} ${s.y1.toFixed(1)}L${s.x2.toFixed(1)} ${s.y2.toFixed(1)}`});
        }
      }
    });
    if (weights) draw(weights);
  }

  function draw(nextWeights) {
    weights = nextWeights;
    largest = 1;
    for (const matrix of weights) for (const row of matrix) for (const w of row) largest = Math.max(largest, Math.abs(w));
    const paths = {};
    for (const key of Object.keys(buckets)) paths[key] = [];
    for (const s of segments) {
      const w = weights[s.l][s.j][s.i];
      const level = Math.min(LEVELS - 1, Math.floor(strength(w) * LEVELS));
      paths[(w < 0 ? 'neg' : 'pos') + level].push(s.text);
    }
    for (const [key, parts] of Object.entries(paths)) {
      const d = parts.join('');
      if (buckets[key].__d !== d) buckets[key].setAttribute('d', (buckets[key].__d = d));
    }
    emphasise(emphasised);
  }

  // Connections stay in scale with each other: |w| relative to the largest |w| (at least 1).
  function strength(w) {
    return Number.isFinite(w) ? Math.min(1, Math.abs(w) / largest) : 1;
  }

  function strokeFor(size) {
    return api.many
      ? {width: 0.5 + 2.5 * size, opacity: 0.06 + 0.8 * size * size}
      : {width: 1 + 5 * size, opacity: 0.35 + 0.65 * size};
  }

  function emphasise(items) {
    emphasised = items;
    emphasisGroup.replaceChildren();
    if (!weights) return;
    for (const {l, j, i} of items) {
      const s = segments[offsets[l] + j * layers[l] + i];
      const w = weights[l][j][i];
      const width = strokeFor(strength(w)).width.toFixed(2);
      svgElement('line', {
        class: `nv-conn nv-emph${w < 0 ? ' nv-neg' : ''}`,
        x1: s.x1, y1: s.y1, x2: s.x2, y2: s.y2,
        'stroke-width': width,
        style: `--stroke: ${width}px`,
        'data-l': l, 'data-j': j, 'data-i': i,
      }, emphasisGroup);
    }
  }

  // Distance from the pointer to each segment; the closest within reach wins.
  function nearest({x, y}) {
    let best = null;
    let bestDistance = api.many ? 3 : 6;
    for (const s of segments) {
      const distance = distanceToSegment(x, y, s);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = s;
      }
    }
    return best && {l: best.l, j: best.j, i: best.i};
  }

  return api;
}

function distanceToSegment(x, y, {x1, y1, x2, y2}) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy));
}
