// Long runs (Play, Train N) in chunks. The worker cannot be interrupted mid-call (no
// SharedArrayBuffer without COOP/COEP headers), so each chunk is one short
// `train(max_iterations, budget_ms)` call: Python stops after budget_ms, the page redraws, and
// only then asks for the next chunk. A stop request therefore takes effect when the chunk in
// flight returns: within budgetMs plus one round trip. The next chunk also waits until the
// worker is idle, so calls the lab makes between chunks (a prediction to draw, say) never put
// a chunk in the queue behind them where a Pause could not withdraw it.
//
//   const loop = createTrainingLoop({call, whenIdle, onChunk, onStop});
//   loop.start()        run until stopped;   loop.start(500)  run 500 iterations
//   loop.start(500, {budgetMs: 120, fullStateMs: Infinity})  this run in longer chunks, each
//                       with a light state (a run that draws only at its end gains little from short
//                       chunks, and each costs a frame)
//   await loop.stop()   resolves once the chunk in flight has landed and the loop is idle
//   loop.running
//
// A lab whose session counts in other units names its count (`countArg`, the playground's
// 'max_epochs') and may add arguments to each chunk (`chunkArgs()`, asked before each: the
// playground asks for heatmaps a few times a second, in the same answer).
//
// onChunk({done, state, full}) runs after every chunk (redraw there); onStop({reason, done,
// state}) once per run, reason 'stopped' | 'finished' | 'diverged' | 'error' (then also `error`).
//
// Light chunks: a full state() costs forward passes over every example (and Digits' held-out
// set), so with `fullStateMs` a chunk brings the full state only when that long has passed
// since the last full one (the views that need it redraw no more often); the others bring the
// light one (counters and the latest loss, `full: false`). A run that ended on a light chunk fetches
// the full state once for onStop (`state`), unless `finalState: false` (a lab that asks for it
// itself anyway).
//
// Animated steps: a lab that shows each step as it happens (the Glass box's packets) gives an
// `animation` hook, and a run started with `{animate: true}` then takes, while
// `animation.enabled()` says so (asked before each step, so the lab can switch between
// watching and fast training mid-run), one `step` call at a time with `animation.stepArgs()`
// (the lab's view options: one round trip brings all its views need), awaits
// `animation.play(answer, {last})` (the packets, the redraw), and starts the next step no sooner
// than `animation.intervalMs()` after the previous one started (Stop cuts that wait short).
// `last` is true for the run's last step (a Step), false while more may follow (Play).
// When `enabled()` says no, the run goes on in `train` chunks as above.

export const DEFAULT_BUDGET_MS = 40;

export function createTrainingLoop({
  call,
  whenIdle = () => Promise.resolve(),
  onChunk = () => {},
  onStop = () => {},
  budgetMs = DEFAULT_BUDGET_MS,
  fullStateMs = 0,
  finalState = true,
  countArg = 'max_iterations',
  chunkArgs = () => ({}),
  animation = null,
  // Python's budget_ms ends a chunk long before this for every preset; it is a ceiling only.
  maxIterationsPerChunk = 100_000,
}) {
  let run = null;           // promise of the current run, null when idle
  let stopRequested = false;
  let wakeUp = () => {};    // ends an animated run's wait between steps at once

  // One animated step: its answer played, then the wait that keeps the lab's pace.
  async function animatedStep(last) {
    const started = performance.now();
    const answer = await call('step', animation.stepArgs());
    await animation.play(answer, {last});
    const rest = animation.intervalMs() - (performance.now() - started);
    if (!last && rest > 0 && !stopRequested) {
      await new Promise(resolve => {
        wakeUp = resolve;
        setTimeout(resolve, rest);
      });
    }
    return answer;
  }

  async function runChunks(total, chunkMs, fullMs, animate) {
    let done = 0;
    let reason = 'finished';
    let error;
    let state = null;
    let fullAt = -Infinity;
    try {
      while (done < total) {
        await whenIdle();
        if (stopRequested) { reason = 'stopped'; break; }
        if (animate && animation.enabled()) {
          const answer = await animatedStep(done + 1 >= total);
          done += 1;
          state = answer.state ?? null;
          if (answer.trace.status === 'diverged') { reason = 'diverged'; break; }
          continue;
        }
        const light = performance.now() - fullAt < fullMs;
        const result = await call('train', {
          [countArg]: Math.min(maxIterationsPerChunk, total - done),
          budget_ms: chunkMs,
          ...(fullMs > 0 ? {light} : {}),   // without fullStateMs every chunk is full
          ...chunkArgs(),
        });
        if (!light) fullAt = performance.now();
        done += result.done;
        state = light ? null : result.state;
        onChunk({...result, full: !light});
        if (result.state.status === 'diverged') { reason = 'diverged'; break; }
        if (stopRequested) { reason = 'stopped'; break; }
        await nextFrame();
      }
      if (!state && finalState && done > 0) state = await call('state', {});
    } catch (caught) {
      reason = 'error';
      error = caught;
    }
    run = null;
    onStop({reason, done, error, state});
    return done;
  }

  return {
    /** Start a run of `iterations` (default: until stopped); no-op while one is running.
     * `animate`: steps go through the `animation` hook while it is enabled. */
    start(iterations = Infinity, {budgetMs: chunkMs = budgetMs, fullStateMs: fullMs = fullStateMs,
                                  animate = false} = {}) {
      if (!run) {
        stopRequested = false;
        run = runChunks(iterations, chunkMs, fullMs, animate && animation !== null);
      }
      return run;
    },
    /** Ask the run to stop; resolves when it has. */
    stop() {
      stopRequested = true;
      wakeUp();
      return run ?? Promise.resolve(0);
    },
    get running() {
      return run !== null;
    },
  };
}

// One paint between chunks so the view keeps animating; a hidden tab pauses here, which is
// fine (nobody is watching), and the run resumes when the tab is shown again.
function nextFrame() {
  return new Promise(resolve => requestAnimationFrame(() => resolve()));
}
