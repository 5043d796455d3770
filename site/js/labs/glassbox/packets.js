// Animated packets over the network view: in the forward pass a packet leaves every neuron
// along each outgoing connection carrying its activation a; in the backward pass a packet
// leaves every non-input neuron along each incoming connection carrying its delta.
// The values are the simulator's (one sample of a batch trace); this module only moves them.
import { numberText } from "./numbers.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const BASE_PHASE_MS = 1100;

// The phases of one sample's pass, in order. Each phase moves packets between two layers.
export function passPhases(trace, sampleIndex) {
  const ex = trace.examples[sampleIndex];
  const last = trace.layers.length - 1;
  const connections = (l) => trace.weights_before[l].flatMap((row, j) => row.map((_, i) => ({ l, j, i })));
  const phases = [];
  for (let l = 0; l < last; l += 1) {
    phases.push({
      direction: "forward", l,
      packets: connections(l).map((c) => ({ ...c, value: ex.a[l][c.i], symbol: "a" })),
    });
  }
  for (let l = last - 1; l >= 0; l -= 1) {
    phases.push({
      direction: "backward", l,
      packets: connections(l).map((c) => ({ ...c, value: ex.delta[l][c.j], symbol: "δ" })),
    });
  }
  return phases;
}

export function createPacketAnimator(view) {
  const layer = document.createElementNS(SVG_NS, "g");
  layer.setAttribute("class", "gb-packets");
  layer.setAttribute("aria-hidden", "true");
  view.svg.appendChild(layer);
  let runId = 0;

  // The geometry of a connection as a path element we can measure.
  function pathOf({ l, j, i }) {
    const path = view.connectionPath(l, j, i);
    if (path && typeof path.getPointAtLength === "function") return path;
    const probe = document.createElementNS(SVG_NS, "path");
    probe.setAttribute("d", path);
    probe.setAttribute("class", "gb-packet-probe");
    layer.appendChild(probe);
    return probe;
  }

  function makePacket(packet, direction) {
    const g = document.createElementNS(SVG_NS, "g");
    g.setAttribute("class", `gb-packet gb-packet--${direction}`);
    g.dataset.connection = `${packet.l},${packet.j},${packet.i}`;
    g.dataset.value = String(packet.value);
    const dot = document.createElementNS(SVG_NS, "circle");
    dot.setAttribute("r", "7");
    const label = document.createElementNS(SVG_NS, "text");
    label.setAttribute("dy", "-10");
    label.setAttribute("text-anchor", "middle");
    label.textContent = `${packet.symbol} ${numberText(packet.value)}`;
    g.append(dot, label);
    layer.appendChild(g);
    return g;
  }

  function animatePhase(phase, durationMs, id) {
    const moving = phase.packets.map((packet) => {
      const path = pathOf(packet);
      return { path, length: path.getTotalLength(), element: makePacket(packet, phase.direction) };
    });
    return new Promise((resolve) => {
      const start = performance.now();
      function frame(now) {
        if (id !== runId) { resolve(false); return; }
        const t = Math.min(1, (now - start) / durationMs);
        // Ease in and out so packets visibly leave and arrive.
        const eased = t < 0.5 ? 2 * t * t : 1 - 2 * (1 - t) * (1 - t);
        for (const m of moving) {
          const along = phase.direction === "forward" ? eased : 1 - eased;
          const p = m.path.getPointAtLength(along * m.length);
          m.element.setAttribute("transform", `translate(${p.x},${p.y})`);
        }
        if (t < 1) requestAnimationFrame(frame);
        else { layer.replaceChildren(); resolve(true); }
      }
      requestAnimationFrame(frame);
    });
  }

  return {
    // Plays the phases; onPhase(phase, "start" | "end") lets the lab update the view between
    // them. Resolves true when every phase ran, false when cancelled.
    async run(phases, { speed = 1, onPhase = () => {} } = {}) {
      runId += 1;
      const id = runId;
      view.svg.appendChild(layer); // keep packets above a redrawn view
      for (const phase of phases) {
        onPhase(phase, "start");
        const finished = await animatePhase(phase, BASE_PHASE_MS / speed, id);
        if (!finished) return false;
        onPhase(phase, "end");
      }
      return true;
    },
    cancel() {
      runId += 1;
      layer.replaceChildren();
    },
    get running() { return layer.childElementCount > 0; },
  };
}
