// XOR walkthrough (#xor): the reference's 2-3-1 network taken through its ten steps with every
// number written out, beside training that shows how long XOR takes to learn and why.
//
// The walkthrough shows the iteration the network will take next: the simulator computes it
// without taking it (`preview`), and the network only moves when the walkthrough reaches the
// last update (then `step` applies that same iteration, answering with the next preview too). So the counters, the table and the charts always
// describe the network as drawn. Every number comes from the simulator (ctx.call).

import {createNetworkView} from '../views/network-view.js';
import {labModule} from '../shell/lab-module.js';
import {loadFormulas} from '../views/formula.js';
import {afterNextPaint} from '../shell/next-frame.js';
import {createWalkthrough} from './xor/walkthrough.js';
import {createWeightLabels} from './xor/weight-labels.js';
import {createXorTable} from './xor/xor-table.js';
import {createProgressCharts} from './xor/progress-charts.js';
import {createTrainingControls} from './xor/training-controls.js';
import {createIterationExport} from '../views/iteration-export.js';

const REDRAW_MS = 250;       // during a run: at most four redraws a second

const TEMPLATE = `
  <header class="xor-intro">
    <h1>XOR walkthrough</h1>
    <p>A 2-3-1 network of sigmoid neurons, without biases, learns XOR one training example at a
      time. Walk through one iteration step by step: each step writes its formula, the same
      formula with this example's numbers, and the result, and lights up what it touches.</p>
    <p class="xor-conventions-note"></p>
  </header>
  <div class="xor-main">
    <div class="xor-left">
      <figure class="xor-network">
        <div class="xor-network-view"></div>
        <figcaption class="muted"><span class="xor-caption-wide">Weights are printed on their
          connections</span><span class="xor-caption-narrow">Tap a connection, or reach it with
          Tab, to read its weight</span> (red positive, blue dashed negative). Neurons show their activation once the walkthrough has computed it
          (dashed: not yet). Gold marks what the current step uses.</figcaption>
      </figure>
      <div class="xor-table-host"></div>
    </div>
    <section class="xor-walk panel" aria-label="Walkthrough"></section>
  </div>
  <section class="xor-export panel" aria-label="Print and export"></section>
  <section class="xor-training panel" aria-labelledby="xor-training-title">
    <h2 id="xor-training-title">Training</h2>
    <div class="xor-controls"></div>
    <div class="xor-progress"></div>
  </section>`;

function activationsAt(trace, steps, index) {
  // A layer's activations appear once the walkthrough has computed them.
  return trace.a.map((layer, l) => {
    const computed = l === 0 || steps.findIndex(step => step.id === `forward-${l + 1}`) <= index;
    return computed ? layer : null;
  });
}

function weightsAt(trace, steps, index) {
  // Before a layer's update step the view shows its old weights, from it on the new ones.
  return trace.weights_before.map((matrix, l) => {
    const update = steps.findIndex(step => step.id === `update-${l + 2}`);
    return update !== -1 && update <= index ? trace.weights_after[l] : matrix;
  });
}


function createLab(root, ctx) {
  const $ = selector => root.querySelector(selector);
  const view = createNetworkView($('.xor-network-view'), {layerLabels: ['Input', 'Hidden', 'Output']});
  const weightLabels = createWeightLabels(view, {signal: ctx.signal});
  const table = createXorTable($('.xor-table-host'));
  // The reference's notation and the momentum this lab adds, in the simulator's words.
  $('.xor-conventions-note').textContent = ctx.baked.note;
  const charts = createProgressCharts($('.xor-progress'), {signal: ctx.signal, onNewWeights: () => newWeights()});

  let state = null;          // the simulator's state(): the network as it is now
  let walkData = null;       // the previewed iteration: {trace, conventions, steps}
  let shownRow = null;       // the training example the walkthrough is on
  let applying = Promise.resolve();   // the walkthrough's iteration being applied
  let upcoming = null;       // the iteration after it, previewed in the same answer

  const controls = createTrainingControls($('.xor-controls'), {
    schema: ctx.baked.state.schema,
    signal: ctx.signal,
    onRun: iterations => (iterations === 1 ? stepOnce() : startRun(iterations)).catch(fail),
    onPlay: () => (loop.running ? loop.stop() : startRun(Infinity)).catch(fail),
    onSettings: changes => changeSettings(changes).catch(error => {
      controls.setSettings(state.settings);
      controls.rejected(error.message);
    }),
    onNewWeights: () => newWeights(),
  });

  function newWeights() {
    changeSettings({seed: controls.randomSeed()}).catch(fail);
  }

  // The table; the row the walkthrough is on, while the network still has the weights its
  // formulas use, as those formulas write its output and cost.
  function updateTable() {
    const trace = walkData?.trace;
    const same = trace && JSON.stringify(trace.weights_before) === JSON.stringify(state.weights);
    const outputs = walkData?.activation_labels.at(-1);
    table.update(state.examples, shownRow,
                 same ? {row: trace.example_index, output: outputs[0], loss: walkData.loss_label} : null);
  }

  function showState(next) {
    state = next;
    updateTable();
    charts.update(state);
    controls.iterations(state.iteration);
  }

  // labels: the weights as the simulator wrote them; activationLabels: so the activations.
  function showNetwork(weights, labels, activations, activationLabels, highlight = {neurons: [], connections: []}) {
    view.render({layers: state.config.layers, weights, weightLabels: labels, biases: null, biasLabels: null,
                 activations, activationLabels,
                 notation: ctx.baked.state.notation});
    view.highlight(highlight);
    weightLabels.update(labels, highlight.connections);
  }

  createIterationExport($('.xor-export'), {
    lab: ctx.baked.preset, title: ctx.baked.state.schema.title, call: ctx.call, notice: ctx.notice, signal: ctx.signal,
    explained: () => walkData, figure: () => view.svg,
  });

  const walk = createWalkthrough($('.xor-walk'), {
    signal: ctx.signal,
    figure: $('.xor-network'),
    onShow(step, index, trace) {
      shownRow = trace.example_index;
      // The weight labels of this step, as its formulas write each weight.
      showNetwork(weightsAt(trace, walkData.steps, index), walkData.labels[index],
                  activationsAt(trace, walkData.steps, index), walkData.activation_labels, step.highlight);
      updateTable();
    },
    onLastStep() {
      // Reaching the last update applies the iteration the walkthrough has shown.
      applying = applyIteration().catch(fail);
    },
    onNextIteration: () => loadNextIteration(),
  });

  // The iteration the network takes next: previewed already when the walkthrough applied the
  // last one, else asked for.
  async function loadNextIteration() {
    await applying;
    const next = upcoming ?? ctx.call('preview', {});
    upcoming = null;
    [walkData] = await Promise.all([next, loadFormulas()]);
    walk.load(walkData);
  }

  function fail(error) {
    ctx.notice(error.message);
  }

  // During a run only the counter follows every chunk (its light state): the table, the charts
  // and the network are redrawn from a full state at most every REDRAW_MS and once at the end,
  // so a run spends its time in the simulator rather than in drawing (Run 10,000 was about 3x
  // slower when every chunk redrew).
  let runState = null;       // the latest full state a chunk brought

  // The network as it is now, with the activations of the example it trains on next (predicted
  // by the simulator: the run's own steps bring no per-layer activations).
  async function drawRun(shown) {
    showState(shown);
    const next = shown.examples[shown.iteration % shown.examples.length];   // taken in order (architecture.md)
    const {a, a_labels: aLabels} = await ctx.call('predict', {input: next.input});
    if (loop.running || shown === runState) showNetwork(shown.weights, shown.weight_labels, a, aLabels);
  }

  const loop = ctx.createTrainingLoop({
    fullStateMs: REDRAW_MS,
    onChunk: result => {
      controls.iterations(result.state.iteration);
      if (!result.full) return;
      runState = result.state;
      drawRun(runState).catch(fail);
    },
    onStop: async ({reason, error, state: last}) => {
      if (last) runState = last;
      controls.setRunning(false);
      if (reason === 'diverged') ctx.notice(ctx.baked.state.schema.messages.diverged);
      if (reason === 'error') fail(error);
      if (runState) await drawRun(runState).catch(fail);
      runState = null;
      loadNextIteration().catch(fail);
    },
  });

  // The iteration the walkthrough shows, taken: one round trip brings the step, the state after
  // it and the preview of the next iteration. A step (not a run of one), so a course page
  // hears a `step` event.
  async function applyIteration() {
    const answer = await ctx.call('step', {state: true, explain_next: true});
    // Stepping reports a refused update exactly as a run does.
    if (answer.trace.status === 'diverged') ctx.notice(ctx.baked.state.schema.messages.diverged);
    upcoming = answer.next;
    showState(answer.state);
  }

  // Run 1: that iteration taken at once, and the walkthrough on the next.
  async function stepOnce() {
    walk.stopAuto();
    if (loop.running) return;
    await applying;
    applying = applyIteration();
    await applying;
    await loadNextIteration();
  }

  async function startRun(iterations) {
    walk.stopAuto();
    if (loop.running) return;
    await applying;
    upcoming = null;   // training moves the network on: that preview is stale
    walk.wait('Training… the walkthrough continues with the next iteration when training stops.');
    controls.setRunning(true);
    loop.start(iterations);
  }

  async function changeSettings(settings) {
    walk.stopAuto();
    await loop.stop();
    await applying;
    upcoming = null;   // new settings: that preview is stale
    const next = await ctx.call('update', {settings});
    ctx.saveSettings(next.settings);
    controls.setSettings(next.settings);
    showState(next);
    await loadNextIteration();
  }

  return {
    async start() {
      walk.wait('Python is starting: the walkthrough appears in a moment.');
      const defaults = Object.keys(ctx.settings || {}).length === 0;
      if (defaults) {
        // Drawn at once from the build's numbers (the default seed), before Python is ready.
        state = ctx.baked.state;
        showNetwork(ctx.baked.trace.weights_before, state.weight_labels, ctx.baked.trace.a, ctx.baked.activation_labels);
        await afterNextPaint();   // the network first; the table and charts in the next frame
        showState(state);
        controls.setSettings(state.settings);
      }
      loadFormulas();   // while Python starts: the walkthrough typesets once it is ready
      state = await ctx.whenReady;
      showState(state);
      controls.setSettings(state.settings);
      await loadNextIteration();
    },
    stop: () => {
      walk.stopAuto();
      return loop.stop();
    },
  };
}

export default labModule({template: TEMPLATE, createLab});
