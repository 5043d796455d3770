// Animated packets over the network view: in the forward pass a packet leaves every neuron
// along each outgoing connection carrying its activation a; in the backward pass a packet
// leaves every non-input neuron along each incoming connection carrying its delta.
// When a neuron sends its delta back, a badge under it keeps the value in sight until the pass
// ends. The values are the simulator's (one sample of a batch trace); this module only moves
// them (the positions in between are drawing, not network maths).
import {svgElement} from '../../views/svg.js';

export const PHASE_MS = 1100; // one layer-to-layer move at normal speed
const EDGE = 0.14; // share of a connection's length hidden under each neuron's circle
const BADGE_DROP = 40; // px from a neuron's centre down to its delta badge

// The phases of one sample's pass, in order. Each phase moves packets between two layers.
// written: the sample's numbers as the simulator wrote them (panels.numbers.examples[n]).
export function passPhases(trace, sampleIndex, written) {
  const ex = trace.examples[sampleIndex];
  const last = trace.layers.length - 1;
  const connections = l => trace.weights_before[l].flatMap((row, j) => row.map((_, i) => ({l, j, i})));
  const phases = [];
  for (let l = 0; l < last; l += 1) {
    phases.push({
      direction: 'forward',
      l,
      packets: connections(l).map(c => ({...c, value: ex.a[l][c.i], text: written.a[l][c.i], symbol: 'a'})),
    });
  }
  for (let l = last - 1; l >= 0; l -= 1) {
    phases.push({
      direction: 'backward',
      l,
      packets: connections(l).map(c => ({...c, value: ex.delta[l][c.j], text: written.delta[l][c.j], symbol: 'δ'})),
    });
  }
  return phases;
}

export function createPacketAnimator(view) {
  const badges = svgElement('g', {class: 'gb-badges', 'aria-hidden': 'true'}, view.svg);
  const layer = svgElement('g', {class: 'gb-packets', 'aria-hidden': 'true'}, view.svg);
  let runId = 0;

  // One badge per sending neuron of a backward phase: neuron j of layer l+1 and its delta.
  function showDeltas(phase) {
    const sent = new Map(phase.packets.map(p => [p.j, p.text]));
    for (const [j, delta] of sent) {
      const {x, y} = view.anchor(phase.l + 1, j);
      const text = svgElement('text', {class: 'gb-badge', x, y: y + BADGE_DROP, 'text-anchor': 'middle'}, badges);
      text.textContent = `δ = ${delta}`;
    }
  }

  function clear() {
    layer.replaceChildren();
    badges.replaceChildren();
  }

  function makePacket(packet, direction) {
    const g = svgElement(
      'g',
      {
        class: `gb-packet gb-packet--${direction}`,
        'data-connection': `${packet.l},${packet.j},${packet.i}`,
        'data-value': String(packet.value),
      },
      layer,
    );
    svgElement('circle', {r: '7'}, g);
    svgElement('text', {dy: '-10', 'text-anchor': 'middle'}, g).textContent =
      `${packet.symbol} ${packet.text}`;
    return g;
  }

  function animatePhase(phase, durationMs, id) {
    const moving = phase.packets.map(packet => ({
      line: view.connectionPath(packet.l, packet.j, packet.i),
      element: makePacket(packet, phase.direction),
    }));
    return new Promise(resolve => {
      const start = performance.now();
      function frame(now) {
        if (id !== runId) {
          resolve(false);
          return;
        }
        const t = Math.min(1, (now - start) / durationMs);
        // Ease in and out so packets visibly leave and arrive.
        const eased = t < 0.5 ? 2 * t * t : 1 - 2 * (1 - t) * (1 - t);
        // Connections run from the sending neuron's centre (x1, y1) to the receiving one's
        // (x2, y2); packets travel the stretch between the circles, not over their values.
        const along = EDGE + (1 - 2 * EDGE) * (phase.direction === 'forward' ? eased : 1 - eased);
        for (const {line, element} of moving) {
          const x = line.x1 + (line.x2 - line.x1) * along;
          const y = line.y1 + (line.y2 - line.y1) * along;
          element.setAttribute('transform', `translate(${x.toFixed(1)},${y.toFixed(1)})`);
        }
        if (t < 1) requestAnimationFrame(frame);
        else {
          layer.replaceChildren();
          resolve(true);
        }
      }
      requestAnimationFrame(frame);
    });
  }

  return {
    // Plays the phases; onPhase(phase, "start" | "end") lets the lab update the view between
    // them. Resolves true when every phase ran, false when cancelled.
    async run(phases, {phaseMs = PHASE_MS, onPhase = () => {}} = {}) {
      runId += 1;
      const id = runId;
      for (const phase of phases) {
        onPhase(phase, 'start');
        if (phase.direction === 'backward') showDeltas(phase);
        const finished = await animatePhase(phase, phaseMs, id);
        if (!finished) return false;
        onPhase(phase, 'end');
      }
      clear();
      return true;
    },
    cancel() {
      runId += 1;
      clear();
    },
  };
}
