// Neuron markers drawn over the network view: a lock on saturated neurons (slope below 0.01)
// and a "dead" sign on ReLU neurons that are off for every sample. The simulator decides which
// neurons are flagged (state().neuron_flags); this module only draws and explains them.

const SVG_NS = "http://www.w3.org/2000/svg";

export const MARKER_TEXT = {
  saturated: "Saturated: this neuron's slope σ′(z) is below 0.01, so any error reaching it is multiplied by almost zero and the weights into it barely learn.",
  dead_relu: "Dying ReLU: this neuron's pre-activation z is at or below 0 for every training sample, so it always outputs 0 with slope 0 and no gradient can bring it back.",
};

// A padlock: shackle arc above a body, in a 16 x 16 box centred on the origin.
const LOCK_PATH = "M-4,-1 v-3 a4,4 0 0 1 8,0 v3 M-6,-1 h12 v8 h-12 z";
// A circle with a slash: "nothing gets through".
const DEAD_PATH = "M0,-7 a7,7 0 1 0 0.01,0 z M-5,5 L5,-5";

export function createMarkers(view, tooltip) {
  const layer = document.createElementNS(SVG_NS, "g");
  layer.setAttribute("class", "gb-markers");
  view.svg.appendChild(layer);

  function showTip(marker, text) {
    const box = marker.getBoundingClientRect();
    const host = tooltip.offsetParent?.getBoundingClientRect() ?? { left: 0, top: 0 };
    tooltip.textContent = text;
    tooltip.hidden = false;
    tooltip.style.left = `${box.right - host.left + 6}px`;
    tooltip.style.top = `${box.top - host.top}px`;
  }
  function hideTip() { tooltip.hidden = true; }

  function drawMarker(kind, [l, j], slot, layers) {
    const anchor = view.anchor(l, j);
    const g = document.createElementNS(SVG_NS, "g");
    const text = MARKER_TEXT[kind];
    g.setAttribute("class", `gb-marker gb-marker--${kind}`);
    g.setAttribute("data-neuron", `${l},${j}`);
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "img");
    g.setAttribute("aria-label", `${kind === "saturated" ? "Locked" : "Dead"} neuron (layer ${l + 1}, neuron ${j + 1} of ${layers[l]}). ${text}`);
    // Side by side when a neuron carries both markers.
    g.setAttribute("transform", `translate(${anchor.x + anchor.r * 0.75 + slot * 18},${anchor.y - anchor.r * 0.9})`);
    const backdrop = document.createElementNS(SVG_NS, "circle");
    backdrop.setAttribute("r", "10");
    backdrop.setAttribute("class", "gb-marker-backdrop");
    const icon = document.createElementNS(SVG_NS, "path");
    icon.setAttribute("d", kind === "saturated" ? LOCK_PATH : DEAD_PATH);
    icon.setAttribute("class", "gb-marker-icon");
    const title = document.createElementNS(SVG_NS, "title");
    title.textContent = text;
    g.append(title, backdrop, icon);
    g.addEventListener("mouseenter", () => showTip(g, text));
    g.addEventListener("focus", () => showTip(g, text));
    g.addEventListener("mouseleave", hideTip);
    g.addEventListener("blur", hideTip);
    layer.appendChild(g);
  }

  return {
    // flags: {saturated: [[layer, j]], dead_relu: [[layer, j]]}; layers: sizes.
    render(flags, layers) {
      layer.replaceChildren();
      hideTip();
      // Redraws of the view may have put its own elements after ours: stay on top.
      view.svg.appendChild(layer);
      const slots = new Map();
      for (const kind of ["saturated", "dead_relu"]) {
        for (const neuron of flags?.[kind] ?? []) {
          const key = neuron.join(",");
          const slot = slots.get(key) ?? 0;
          slots.set(key, slot + 1);
          drawMarker(kind, neuron, slot, layers);
        }
      }
    },
  };
}
