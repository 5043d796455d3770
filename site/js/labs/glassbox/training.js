// The glass box's runs on the shell's training loop (shell/training-loop.js): Step takes one
// epoch and Play keeps taking them, each one `step` round trip whose answer the packets replay
// (the loop's animation hook) at the chosen epoch rate; a fast Play and Train 100 / 1,000 run in
// `train` chunks without packets, the network, chart and caption following the chunks, and land
// on a preview of the next epoch when they stop. Pause answers within one chunk or one epoch.
//
//   const training = createTraining(ctx, {lab, controls, chart, queue, animation, panels});
//   training.step() | play() | train(n) | pause()
//   training.playing     a Play or Train run is asked for or going (the Play button says Pause)
//
// lab: {state, shown} (read and written here), shownSample(), stepArgs(), showNetwork(prediction?),
// renderPanels({playing}), refresh(state), showEpoch(epoch), caption(text).

import {formatCount} from '../../views/format.js';

const PANEL_INTERVAL_MS = 250; // while playing, the tables are rewritten at most this often
const LIVE_VIEW_MS = 250;      // fast runs: the network and chart follow a full state this often
const TRAIN_CHUNK_MS = 40;     // simulator time per chunk, between redraws and Pause checks

export function createTraining(ctx, {lab, controls, chart, queue, animation, panels}) {
  const {diverged} = ctx.baked.state.schema.messages;
  let active = null;     // the run asked for: {kind: 'step' | 'play' | 'train', total}
  let lastUnit = null;   // what the run took last: 'epoch' (a step) or 'chunk'
  let stopped = null;    // the loop's onStop report

  // The animation hook: one epoch, taken in one round trip, replayed, then shown.
  async function playEpoch(answer, {last}) {
    const {trace} = answer;
    lastUnit = 'epoch';
    lab.shown = {trace, taken: true, panels: answer.panels};
    await animation.play(trace, lab.shownSample(), {playing: !last, written: answer.panels.numbers});
    lab.state = answer.state;
    // Epoch n's loss is the average over the samples in its forward pass (as the simulator's
    // loss_history counts it), so the first point is epoch 1.
    chart.add(lab.state.settings, lab.state.epoch, trace.loss, answer.panels.numbers.loss);
    await lab.showNetwork(answer.prediction);
    // While playing fast, the tables are rewritten a few times a second, not every epoch:
    // nobody reads them at 30 epochs a second, and rewriting them would halve the rate.
    if (last || performance.now() - panels.drawnAt > PANEL_INTERVAL_MS) await lab.renderPanels({playing: !last});
    lab.showEpoch(lab.state.epoch);
    if (trace.status !== 'diverged') {
      lab.caption(`After epoch ${lab.state.epoch}: every weight moved by −η times its gradient averaged over the ${trace.examples.length} samples; the neurons show sample ${lab.shownSample() + 1} with the new weights.`);
    }
  }

  function onChunk({state, full}) {
    if (lastUnit !== 'chunk') panels.hold();
    lastUnit = 'chunk';
    lab.showEpoch(state.epoch);
    const {total} = active ?? {total: Infinity};
    lab.caption(total === Infinity
      ? `Playing fast, without packets: epoch ${formatCount(state.epoch)}. Press Pause to look at the numbers.`
      : `Training: epoch ${formatCount(state.epoch)}, ${formatCount(state.epoch - startedAt)} of ${formatCount(total)} done.`);
    if (!full) return;
    lab.state = state;
    chart.extend(state.settings, state.loss_history, state.latest_loss_label);
    lab.showNetwork().catch(() => {});   // a failed redraw is followed by the next one
  }

  let startedAt = 0;     // the epoch a run started from
  const loop = ctx.createTrainingLoop({
    budgetMs: TRAIN_CHUNK_MS,
    fullStateMs: LIVE_VIEW_MS,
    onChunk,
    onStop: report => {
      stopped = report;
    },
    animation: {
      enabled: () => !(active?.kind === 'play' && controls.fast()),
      stepArgs: () => lab.stepArgs(),
      play: playEpoch,
      intervalMs: () => 1000 / controls.epochsPerSecond(),
    },
  });

  // After a run: a chunked one lands on the preview of the next epoch, an animated one keeps
  // its last epoch's tables (drawn now, whatever the throttle skipped).
  async function land(run) {
    const {reason, error, state} = stopped;
    if (run === active) {
      active = null;
      controls.setPlaying(false);
    }
    if (reason === 'error') throw error;
    if (lastUnit === 'chunk') await lab.refresh(state ?? lab.state);
    else await lab.renderPanels();
    if (reason === 'diverged') lab.caption(diverged);
  }

  async function start(kind, total, options) {
    await pause();
    const run = {kind, total};
    active = run;
    controls.setPlaying(kind !== 'step');
    await queue.run(async () => {
      if (run !== active) return;   // paused before its turn came
      startedAt = lab.state.epoch;
      lastUnit = null;
      await loop.start(total, options);
      await land(run);
    });
  }

  function pause() {
    active = null;
    animation.cancel();
    controls.setPlaying(false);
    return loop.stop();
  }

  return {
    step: () => start('step', 1, {animate: true}),
    play: () => start('play', Infinity, {animate: true}),
    train: total => start('train', total, {animate: false}),
    pause,
    get playing() {
      return active !== null && active.kind !== 'step';
    },
  };
}
