// The panels of the epoch on show: the chain rule of the selected parameter, the loss lines and
// the tables of a, δ and the parameters, all as the simulator wrote them (nnsim.explain.panels),
// with a note saying whether the epoch was just taken or is a preview of the next one.
// They typeset formulas, so nothing is drawn until `ready()` (KaTeX loaded).
//
// While playing, a panel out of view is not redrawn: typesetting and laying out a panel
// nobody sees cost a frame of 50-300 ms every epoch or two on two cores (bench_startup.py
// --play). It is brought up to date as it comes into view, and every panel is drawn at once
// whenever the lab is not playing (a Step, a Pause, the run's last epoch, a new selection), so
// whoever reads the page then, by eye, screen reader or test, reads the epoch on show.

import {createChainRulePanel, fillLoss, fillActivations, fillDeltas, fillParameters} from './panels.js';

// Drawn a little before they scroll into view, so the reader never meets a stale one.
const VIEW_MARGIN = '200px 0px';

export function createEpochPanels(root, {diverged, signal}) {
  const chainRule = createChainRulePanel(root.querySelector('.gb-chain-panel'));
  const panel = name => root.querySelector(`[data-panel="${name}"]`);
  const note = root.querySelector('.gb-epoch-note');
  let ready = false;
  let drawnAt = 0;

  // Each part's drawing of the latest epoch, kept while the part is out of view.
  const late = new Map();   // element -> () => void
  const inView = new Set();
  const observer = new IntersectionObserver(entries => {
    for (const entry of entries) {
      if (!entry.isIntersecting) {
        inView.delete(entry.target);
        continue;
      }
      inView.add(entry.target);
      late.get(entry.target)?.();
      late.delete(entry.target);
    }
  }, {rootMargin: VIEW_MARGIN});
  signal?.addEventListener('abort', () => observer.disconnect());

  // data-trace-epoch: the epoch counter of the trace a part shows (the trace's `epoch`), for
  // readers of the DOM such as the end-to-end tests.
  function draw(element, trace, drawing, playing) {
    const drawn = () => {
      drawing();
      if (trace) element.dataset.traceEpoch = String(trace.epoch);
    };
    if (playing && !inView.has(element)) {
      late.set(element, drawn);
      return;
    }
    late.delete(element);
    drawn();
  }

  const parts = {
    chain: root.querySelector('.gb-chain-panel'),
    loss: panel('loss'),
    a: panel('a'),
    delta: panel('delta'),
    w: panel('w'),
  };
  for (const element of Object.values(parts)) observer.observe(element);

  return {
    ready() {
      ready = true;
    },
    // performance.now() of the last drawing (a fast Play throttles by it).
    get drawnAt() {
      return drawnAt;
    },
    // A chunked run brings no traces: the panels stay as they were, and say so.
    hold() {
      note.textContent = 'Training in chunks, without packets: the chain rule and the tables stay on the epoch they showed until the run stops.';
    },
    // shown: {trace, taken, panels}; focus: a sample index or 'average'; playing: more epochs
    // follow at once (a panel out of view may wait until it comes into view).
    render({trace, taken, panels}, focus, {playing = false} = {}) {
      if (!ready) return;
      drawnAt = performance.now();
      draw(parts.chain, panels && trace, () => chainRule.render({chain: panels?.chain, trace: panels && trace, taken, focus, diverged}), playing);
      if (!trace || !panels) return;
      note.textContent = taken
        ? `The numbers below are epoch ${trace.epoch + 1}'s, just taken: its forward pass used the weights before its update.`
        : `The numbers below preview epoch ${trace.epoch + 1}, which has not been taken yet: press Step to take it.`;
      draw(parts.loss, trace, () => fillLoss(parts.loss, panels, trace, focus), playing);
      draw(parts.a, trace, () => fillActivations(parts.a, panels, trace, focus), playing);
      draw(parts.delta, trace, () => fillDeltas(parts.delta, panels, trace, focus), playing);
      draw(parts.w, trace, () => fillParameters(parts.w, panels, trace), playing);
    },
  };
}
