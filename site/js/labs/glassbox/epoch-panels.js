// The panels of the epoch on show: the chain rule of the selected parameter, the loss lines and
// the tables of a, δ and the parameters, all as the simulator wrote them (nnsim.explain.panels),
// with a note saying whether the epoch was just taken or is a preview of the next one.
// They typeset formulas, so nothing is drawn until `ready()` (KaTeX loaded).

import {createChainRulePanel, fillLoss, fillActivations, fillDeltas, fillParameters} from './panels.js';

export function createEpochPanels(root, {diverged}) {
  const chainRule = createChainRulePanel(root.querySelector('.gb-chain-panel'));
  const panel = name => root.querySelector(`[data-panel="${name}"]`);
  const note = root.querySelector('.gb-epoch-note');
  let ready = false;
  let drawnAt = 0;

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
    // shown: {trace, taken, panels}; focus: a sample index or 'average'.
    render({trace, taken, panels}, focus) {
      if (!ready) return;
      drawnAt = performance.now();
      chainRule.render({chain: panels?.chain, trace: panels && trace, numbers: panels?.numbers, taken, focus, diverged});
      if (!trace || !panels) return;
      note.textContent = taken
        ? `The numbers below are epoch ${trace.epoch + 1}'s, just taken: its forward pass used the weights before its update.`
        : `The numbers below preview epoch ${trace.epoch + 1}, which has not been taken yet: press Step to take it.`;
      fillLoss(panel('loss'), panels, trace, focus);
      fillActivations(panel('a'), panels, trace, focus);
      fillDeltas(panel('delta'), panels, trace, focus);
      fillParameters(panel('w'), panels, trace);
    },
  };
}
