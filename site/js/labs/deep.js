// Deep network (#deep): the reference's 3-4-3-2-2 sigmoid network with biases, starting from
// its weights, with a live formula panel that writes out the whole next training step: every
// weighted sum term by term, the loss, the full backpropagation into every hidden layer, every
// update, and the chain rule.
//
// The panel and the network view both draw the bridge's `preview`: the next step, computed
// without taking it. Step applies it and brings the preview of the one after in the same answer
// (`step` with explain_next); editing the inputs, targets or learning rate (`update`) previews
// again. Every number comes from the simulator.
//
// While Play runs, the panel is held (greyed, with a note) and only the view and the numbers
// beside it follow the training, from the chunks' states and a `predict` for the activations:
// typesetting hundreds of formulas several times a second would freeze the page. When the run
// stops, the panel and the view show its last state again, together.

import {createNetworkView} from '../views/network-view.js';
import {labModule} from '../shell/lab-module.js';
import {afterNextPaint} from '../shell/next-frame.js';
import {createLineChart} from '../views/line-chart.js';
import {formatCount} from '../views/format.js';
import {loadFormulas} from '../views/formula.js';
import {createSettingsForm} from '../widgets/settings-form.js';
import {createFormulaPanel} from './deep/formula-panel.js';
import {createBiasLabels} from './deep/bias-labels.js';
import {createZeroMarks} from '../views/zero-marks.js';
import {createOptimizerComparison} from './deep/optimizer-comparison.js';
import {createIterationExport} from '../views/iteration-export.js';

// The reference's colours: inputs blue, hidden layers purple, outputs green. The layer labels
// say the same in words.
const LAYER_COLOURS = ['#2a64b0', '#7a3fb0', '#7a3fb0', '#7a3fb0', '#1f7a3f'];
const LAYER_LABELS = ['Input', 'Hidden 1', 'Hidden 2', 'Hidden 3', 'Output'];
const LIVE_VIEW_MS = 250;   // while playing: how often the view redraws the activations

const TEMPLATE = `
  <header class="deep-intro">
    <h1>Deep network</h1>
    <p>Five layers: 3 inputs, hidden layers of 4, 3 and 2 sigmoid neurons, and 2 outputs, each
      with a bias. Change the inputs, the targets, the learning rate, the optimiser or the
      regularisation and watch every formula follow. The panel below writes out the next training step; <strong>Step</strong> takes it.
      Every sigmoid is computed (none shown as 0.0000), and the error reaches every hidden layer
      through the full chain rule, with no "simplified" gradients.</p>
  </header>
  <div class="deep-main">
    <figure class="deep-network">
      <div class="deep-network-view"></div>
      <figcaption class="muted">Blue: inputs; purple: hidden layers; green: outputs. Each neuron
        shows its activation, with its bias b underneath; a weight that is exactly 0 is marked
        "0" on its connection. Point at a step of the panel to see which neurons and weights it
        uses; click a connection or a neuron to see its update in full.</figcaption>
    </figure>
    <div class="deep-side">
      <section class="panel deep-run" aria-label="Training">
        <div class="cluster" role="group" aria-label="Training" data-control="training">
          <button type="button" class="primary" data-action="step" disabled data-needs-python>Step</button>
          <button type="button" data-action="play" aria-pressed="false" disabled data-needs-python>Play</button>
          <button type="button" data-action="reset" disabled data-needs-python>Reset to the reference weights</button>
        </div>
        <dl class="deep-stats">
          <div><dt>Steps taken</dt><dd class="num" data-stat="iteration">0</dd></div>
          <div><dt>Loss now</dt><dd class="num" data-stat="loss">–</dd></div>
          <div><dt>Outputs now</dt><dd class="num" data-stat="outputs">–</dd></div>
          <div><dt>Weights at 0</dt><dd class="num" data-stat="zeros">–</dd></div>
        </dl>
        <p class="deep-status muted" role="status"></p>
        <div class="deep-chart"></div>
      </section>
      <section class="panel deep-settings" aria-label="Example, optimiser and regularisation">
        <div class="deep-example"></div>
        <fieldset class="setting-vector deep-training"><legend>Training: optimiser, regularisation, schedule</legend></fieldset>
      </section>
    </div>
  </div>
  <section class="panel deep-formulas" aria-labelledby="deep-formulas-title">
    <h2 id="deep-formulas-title">Formulas of the next step</h2>
    <p class="muted deep-formulas-note">With the current weights and biases: the forward pass,
      the loss, the backpropagation and the update that Step will apply.</p>
    <div class="deep-formula-groups"></div>
  </section>
  <section class="panel deep-export" aria-label="Print and export"></section>
  <section class="panel deep-compare" aria-labelledby="deep-compare-title">
    <h2 id="deep-compare-title">Optimisers side by side</h2>
  </section>`;


function createLab(root, ctx) {
  const $ = selector => root.querySelector(selector);
  const view = createNetworkView($('.deep-network-view'), {layerColours: LAYER_COLOURS, layerLabels: LAYER_LABELS});
  const biasLabels = createBiasLabels(view, {signal: ctx.signal});
  const zeroMarks = createZeroMarks(view, {signal: ctx.signal});
  const comparison = createOptimizerComparison($('.deep-compare'), {call: ctx.call});
  const chart = createLineChart($('.deep-chart'), {title: 'Loss over steps', xLabel: 'step', yLabel: 'loss', height: 180});
  const play = $('[data-action="play"]');
  let pointed = null;
  let latest = null;
  let layers = ctx.baked.trace.layers;   // the preset's shape: the settings never change it
  let refreshing = null;
  // The parameter whose update the panel writes out in full (code indices, as the bridge takes)
  let selected = ['weight', 0, 0, 0];

  createIterationExport($('.deep-export'), {
    lab: ctx.baked.preset, title: ctx.baked.state.schema.title, call: ctx.call, notice: ctx.notice, signal: ctx.signal,
    explained: () => latest?.preview ?? null, figure: () => view.svg,
  });

  const panel = createFormulaPanel($('.deep-formula-groups'), {
    signal: ctx.signal,
    figure: $('.deep-network'),
    onPoint(highlight) {
      pointed = highlight;
      view.highlight(highlight ?? {neurons: [], connections: []});
    },
  });
  // The example (inputs, targets) and the learning rate, from the lab's schema.
  const settings = createSettingsForm({
    lab: 'deep',
    schema: ctx.baked.state.schema,
    onChange: changes => changeSettings(changes).catch(error => {
      settings.show(latest.state.settings);
      settings.reject(error.message);
    }),
  });
  for (const spec of ctx.baked.state.schema.settings) {
    settings.place(spec.name, spec.kind === 'vector' ? $('.deep-example') : $('.deep-training'));
  }

  function showState(state) {
    $('[data-stat="iteration"]').textContent = formatCount(state.iteration);
    chart.update([{name: 'loss', points: state.loss_history, lastLabel: state.latest_loss_label}]);
  }

  // The view and the loss and outputs beside it, for these weights, biases and activations.
  // weightTexts, biasTexts, activationLabels, lossLabel: the weights, biases, activations and
  // loss as the simulator wrote them (the formulas' digits).
  function showNetwork({weights, weightTexts, biases, biasTexts, activations, activationLabels, lossLabel}) {
    view.render({layers, weights, weightLabels: weightTexts, biases, biasLabels: biasTexts, activations,
                 activationLabels, notation: ctx.baked.state.notation});
    view.highlight(pointed ?? {neurons: [], connections: []});
    biasLabels.update(biasTexts);
    $('[data-stat="zeros"]').textContent = formatCount(zeroMarks.update(weights));
    $('[data-stat="loss"]').textContent = lossLabel;
    $('[data-stat="outputs"]').textContent = activationLabels[activationLabels.length - 1].join(', ');
  }

  function showPreview(preview, state) {
    latest = {preview, state};
    const {trace} = preview;
    layers = trace.layers;
    $('.deep-status').textContent = '';   // a run's summary is stale once anything else shows
    showNetwork({weights: trace.weights_before, weightTexts: preview.labels[0],
                 biases: trace.biases_before, biasTexts: preview.bias_labels,
                 activations: trace.a, activationLabels: preview.activation_labels,
                 lossLabel: preview.loss_label});
    showState(state);
  }

  // One refresh at a time; a request during one runs once it has finished. The panel is
  // typeset in slices first; then view and panel change in the same task. `answer`: the next
  // step's preview and the state, when a step brought them; else one `preview` asks for both.
  function refresh(answer = null) {
    const previous = refreshing ?? Promise.resolve();
    refreshing = previous.catch(() => {}).then(async () => {
      const preview = answer?.next ?? await ctx.call('preview', {state: true, update: {parameter: selected}});
      const state = answer?.state ?? preview.state;
      const commit = await panel.prepare(preview);
      if (!commit) return false;   // Play started meanwhile: the run's own redraws take over
      showPreview(preview, state);
      commit();
      return true;
    });
    return refreshing;
  }

  // While playing: the view follows the training (no formulas, which are held).
  async function showLive(state) {
    const {a, a_labels: aLabels} = await ctx.call('predict', {input: state.settings.inputs});
    if (!loop.running) return;   // the run has stopped: its final refresh draws
    showNetwork({weights: state.weights, weightTexts: state.weight_labels,
                 biases: state.biases, biasTexts: state.bias_labels, activations: a,
                 activationLabels: aLabels, lossLabel: state.examples[0].loss_label});
  }

  async function changeSettings(next) {
    await loop.stop();
    const state = await ctx.call('update', {settings: next});
    ctx.saveSettings(state.settings);
    settings.show(state.settings);
    await refresh();
  }

  // Light chunks: the counter follows each; the chart and the view a full state every
  // LIVE_VIEW_MS. The run's end needs no full state from the loop: its refresh brings one.
  const loop = ctx.createTrainingLoop({
    fullStateMs: LIVE_VIEW_MS,
    finalState: false,
    onChunk: result => {
      if (!result.full) {   // light: the counter only; the chart follows the full states
        $('[data-stat="iteration"]').textContent = formatCount(result.state.iteration);
        return;
      }
      showState(result.state);
      showLive(result.state).catch(fail);
    },
    onStop: ({reason, error}) => {
      play.textContent = 'Play';
      play.setAttribute('aria-pressed', 'false');
      if (reason === 'diverged') ctx.notice(ctx.baked.state.schema.messages.diverged);
      if (reason === 'error') fail(error);
      refresh().then(shown => shown && announce('Stopped at')).catch(fail);
    },
  });

  // A polite summary after a user's action (Step, or a run stopping), never per chunk: while
  // playing the numbers above change many times a second, too often for a screen reader.
  function announce(lead) {
    const {state, preview} = latest;
    $('.deep-status').textContent = `${lead} step ${formatCount(state.iteration)}: ` +
      `loss ${preview.loss_label}. The formulas show the next step.`;
  }

  function fail(error) {
    ctx.notice(error.message);
  }

  const actions = {
    async step() {
      await loop.stop();
      // One round trip: the step, the state after it and the preview of the next one.
      const answer = await ctx.call('step', {state: true, explain_next: {update: {parameter: selected}}});
      // Step reports a refused update exactly as Play does.
      if (answer.trace.status === 'diverged') ctx.notice(ctx.baked.state.schema.messages.diverged);
      if (await refresh(answer)) announce('Now at');
    },
    async play() {
      if (loop.running) {
        await loop.stop();
        return;
      }
      play.textContent = 'Pause';
      play.setAttribute('aria-pressed', 'true');
      $('.deep-status').textContent = '';
      panel.hold('Training is running: the formulas below are held (greyed) at the step where ' +
        'it started. Press Pause to see the formulas of the next step.');
      loop.start();
    },
    async reset() {
      await loop.stop();
      await ctx.call('reset', {});
      await refresh();
    },
  };
  // A connection selects its weight, a hidden or output neuron its bias (inputs have none).
  view.onSelect(item => {
    if (item.kind === 'neuron' && item.l === 0) return;
    selected = item.kind === 'connection' ? ['weight', item.l, item.j, item.i] : ['bias', item.l - 1, item.j];
    if (!loop.running) refresh().catch(fail);
  });

  root.addEventListener('click', event => {
    const button = event.target.closest('[data-action]');
    if (button) actions[button.dataset.action]().catch(fail);
  }, {signal: ctx.signal});

  return {
    async start() {
      if (Object.keys(ctx.settings || {}).length === 0) {
        // Drawn at once from the build's numbers, before Python is ready.
        const {trace, state} = ctx.baked;
        showNetwork({weights: trace.weights_before, weightTexts: state.weight_labels,
                     biases: trace.biases_before, biasTexts: state.bias_labels,
                     activations: trace.a, activationLabels: ctx.baked.activation_labels,
                     lossLabel: state.examples[0].loss_label});
        settings.show(state.settings);
      }
      // After the first picture, while Python starts: the panel typesets once it is ready.
      afterNextPaint().then(loadFormulas);
      const state = await ctx.whenReady;
      settings.show(state.settings);
      await refresh();
      await comparison.load();
    },
    stop: () => loop.stop(),
  };
}

export default labModule({template: TEMPLATE, createLab});
