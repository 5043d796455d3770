// The panels of the epoch on show: the chain rule of the selected parameter, the loss lines and
// the tables of a, δ and the parameters, all as the simulator wrote them (nnsim.explain.panels),
// with a note saying whether the epoch was just taken or is a preview of the next one.
// They typeset formulas, so nothing is drawn until `ready()` (KaTeX loaded).
//
// While playing, a panel is drawn when it is in view (views/in-view.js: one out of view waits
// until it comes into view, one in view is drawn in the frame after the network's), so no frame
// carries the typesetting and layout of every panel (bench_startup.py --play). Whenever the lab
// is not playing (a Step, a Pause, the run's last epoch, a new selection) every panel is drawn
// at once, so whoever reads the page then, by eye, screen reader or test, reads the epoch on show.

import {createChainRulePanel, fillLoss, fillActivations, fillDeltas, fillParameters} from './panels.js';
import {createInViewDrawing} from '../../views/in-view.js';
import {afterNextPaint} from '../../shell/next-frame.js';

export function createEpochPanels(root, {diverged, signal}) {
  const chainRule = createChainRulePanel(root.querySelector('.gb-chain-panel'));
  const panel = name => root.querySelector(`[data-panel="${name}"]`);
  const note = root.querySelector('.gb-epoch-note');
  let ready = false;
  let drawnAt = 0;
  let renders = 0;   // which render() is the latest

  const inView = createInViewDrawing({signal});

  // data-trace-epoch: the epoch counter of the trace a part shows (the trace's `epoch`), for
  // readers of the DOM such as the end-to-end tests.
  function draw(element, trace, drawing, playing) {
    inView.draw(element, () => {
      drawing();
      if (trace) element.dataset.traceEpoch = String(trace.epoch);
    }, {wait: playing});
  }

  const parts = {
    chain: root.querySelector('.gb-chain-panel'),
    loss: panel('loss'),
    a: panel('a'),
    delta: panel('delta'),
    w: panel('w'),
  };
  for (const element of Object.values(parts)) inView.observe(element);

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
    // follow at once (a panel out of view may wait until it comes into view). Resolves once
    // every panel is drawn, or a later render has taken over. Not playing, the panels are drawn
    // one a frame, the chain rule first: all in one frame they made a frame of about 90 ms of
    // typesetting, and then its layout, when Python got ready (bench_startup.py).
    async render({trace, taken, panels}, focus, {playing = false} = {}) {
      if (!ready) return;
      const render = ++renders;
      drawnAt = performance.now();
      const drawings = [[parts.chain, panels && trace,
        () => chainRule.render({chain: panels?.chain, trace: panels && trace, numbers: panels?.numbers,
                              taken, focus, diverged})]];
      if (trace && panels) {
        note.textContent = taken
          ? `The numbers below are epoch ${trace.epoch + 1}'s, just taken: its forward pass used the weights before its update.`
          : `The numbers below preview epoch ${trace.epoch + 1}, which has not been taken yet: press Step to take it.`;
        drawings.push([parts.loss, trace, () => fillLoss(parts.loss, panels, trace, focus)],
                      [parts.a, trace, () => fillActivations(parts.a, panels, trace, focus)],
                      [parts.delta, trace, () => fillDeltas(parts.delta, panels, trace, focus)],
                      [parts.w, trace, () => fillParameters(parts.w, panels, trace)]);
      }
      for (const [k, [element, shownTrace, drawing]] of drawings.entries()) {
        if (k > 0 && !playing) {
          await afterNextPaint();
          if (render !== renders) return;
        }
        draw(element, shownTrace, drawing, playing);
      }
    },
  };
}
