// Digits lab (#digits): a 25-N-10 sigmoid network learns ten 5x5 digit bitmaps.
//
// Every number comes from the simulator through ctx.call: the training state (iterations,
// accuracy, held-out accuracy, loss history, each image's loss and whether it is labelled
// correctly) from `train`/`state`, and the activations of the image on show (a training image
// or a drawing) from `predict`, including which digit wins. This module wires the views.

import {createNetworkView} from '../views/network-view.js';
import {createLineChart} from '../views/line-chart.js';
import {formatCount} from '../views/format.js';
import {afterNextPaint} from '../shell/next-frame.js';
import {labModule} from '../shell/lab-module.js';
import {DIGITS_TEMPLATE} from './digits/template.js';
import {createThumbnails} from './digits/thumbnails.js';
import {createOutputBars} from './digits/output-bars.js';
import {createDrawGrid} from './digits/draw-grid.js';
import {createSettingsForm} from '../widgets/settings-form.js';

const GRID = {rows: 5, cols: 5};
const DIGIT_LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
// The network view and the loss chart are the costly parts to repaint (hundreds of SVG
// segments: about 100 ms of CPU each in Chromium's software rendering, more than a 40 ms
// training chunk; bench/bench_digits_browser.py). So Train N, which the reference runs "all at
// once", redraws them when it ends, and Play redraws them at most every PLAY_REDRAW_MS.
// Counters, bars and thumbnails follow every chunk.
const PLAY_REDRAW_MS = 250;
// Train N's chunks: each costs a frame, so Train N, which redraws the costly views only at its
// end, takes longer ones than Play, with light states (a full state() is 10 ms under Pyodide:
// forward passes for the images and the held-out set). Pause still answers within one chunk.
const TRAIN_N_CHUNK_MS = 120;

function createLab(root, ctx) {
  const find = selector => root.querySelector(selector);
  const slot = name => find(`[data-slot="${name}"]`);
  const labNotice = find('[data-notice]');

  let state = null;         // the simulator's latest state()
  let selectedImage = 0;    // which training image the Training images tab feeds forward
  let source = 'images';    // what the network view shows: 'images' or 'draw'

  const networkView = createNetworkView(slot('network'), {inputGrid: GRID, outputLabels: DIGIT_LABELS});
  const chart = createLineChart(slot('chart'), {xLabel: 'Iteration', yLabel: 'Loss'});
  const bars = createOutputBars(slot('bars'), {labels: DIGIT_LABELS});
  const thumbnails = createThumbnails(slot('thumbnails'), {cols: GRID.cols, onSelect: selectImage});
  const drawGrid = createDrawGrid(slot('draw-grid'), {...GRID, onChange: pixels => {
    ctx.saved.set('drawing', pixels);  // a drawing survives a reload (saved-work.js)
    showCurrentInput();
  }});
  const savedDrawing = ctx.saved.get('drawing');
  if (Array.isArray(savedDrawing) && savedDrawing.length === GRID.rows * GRID.cols) {
    drawGrid.set(savedDrawing);
  }
  // Hidden neurons and the learning rate, from the lab's schema; Reset draws the next seed.
  const sliders = createSettingsForm({
    lab: 'digits',
    schema: ctx.baked.state.schema,
    onChange: changes => changeSettings(changes).catch(error => {
      sliders.show(state.settings);
      sliders.reject(error.message);
    }),
  });
  for (const spec of ctx.baked.state.schema.settings) {
    if (spec.name !== 'seed') sliders.place(spec.name, slot('settings'));
  }

  // The counters a light state has too: iterations and the latest loss (its text, or null).
  function renderProgress(iteration, latestLoss) {
    find('[data-stat="iteration"]').textContent = formatCount(iteration);
    find('[data-stat="loss"]').textContent = latestLoss ?? 'not yet';
  }

  function renderState(drawChart) {
    renderProgress(state.iteration, state.latest_loss_label);
    find('[data-stat="accuracy"]').textContent = state.accuracy_label ?? '–';
    find('[data-stat="heldout"]').textContent = state.heldout_accuracy_label ?? '–';
    thumbnails.render(state.examples);
    if (drawChart) {
      chart.update([{name: 'loss per training image', points: state.loss_history, lastLabel: state.latest_loss_label}]);
    }
  }

  function currentInput() {
    return source === 'draw' ? drawGrid.pixels : state.examples[selectedImage].input;
  }

  // Feed the image on show forward and draw the answer. Only the latest request matters:
  // while one predict call is out, newer ones collapse into a single follow-up, so a fast
  // drag or a training run never queues a backlog of calls.
  let predicting = false;
  let predictAgain = false;
  let viewDue = false;      // the network view should redraw with the next answer
  async function showCurrentInput(drawView = true) {
    if (!state) return;  // before Python is ready the baked view stays
    viewDue = viewDue || drawView;
    if (predicting) { predictAgain = true; return; }
    predicting = true;
    try {
      do {
        predictAgain = false;
        const shown = {state, source, image: selectedImage, drawView: viewDue};
        viewDue = false;
        const result = await ctx.call('predict', {input: currentInput()});
        showPrediction(shown, result);
      } while (predictAgain);
    } catch (error) {
      ctx.notice(error.message);
    } finally {
      predicting = false;
    }
  }

  function showPrediction({state: shownState, source: shownSource, image, drawView}, result) {
    if (drawView) {
      networkView.render({layers: shownState.config.layers, weights: shownState.weights,
                          weightLabels: shownState.weight_labels, biases: shownState.biases,
                          biasLabels: shownState.bias_labels, activations: result.a, activationLabels: result.a_labels,
                          notation: shownState.notation});
    }
    bars.render(result.output, result.prediction, result.a_labels[result.a_labels.length - 1]);
    const fromDrawing = shownSource === 'draw';
    find('[data-showing]').textContent = fromDrawing
      ? `Showing your drawing. The network says ${result.prediction}.`
      : `Showing training image ${image}. The network says ${result.prediction}.`;
    find('[data-image-loss]').textContent = fromDrawing
      ? 'A drawing has no target, so it has no loss.'
      : `Target: 0.99 for ${image}, 0 for the rest. Loss on this image: ` +
        `${shownState.examples[image].loss_label}.`;
  }

  // Before Python is ready: the build's default network, and the first training step's
  // forward pass (training image 0) from the baked trace. The winner waits for Python.
  function showBaked() {
    const {state: bakedState, trace, activation_labels: activationLabels} = ctx.baked;
    networkView.render({layers: bakedState.config.layers, weights: bakedState.weights,
                        weightLabels: bakedState.weight_labels, biases: bakedState.biases,
                        biasLabels: bakedState.bias_labels, activations: trace.a, activationLabels,
                        notation: bakedState.notation});
    bars.render(trace.a[trace.a.length - 1], null, activationLabels[activationLabels.length - 1]);
    find('[data-showing]').textContent = 'Showing training image 0. Waiting for Python to start…';
  }

  function applyState(newState, drawViews = true) {
    state = newState;
    sliders.show(state.settings);
    renderState(drawViews);
    showCurrentInput(drawViews);
  }

  let playing = false;      // the run in progress is Play (not Train N)
  let lastViewsDraw = -Infinity;
  function viewsDue() {
    const now = performance.now();
    if (!playing || now - lastViewsDraw < PLAY_REDRAW_MS) return false;
    lastViewsDraw = now;
    return true;
  }

  function selectImage(index) {
    selectedImage = index;
    thumbnails.select(index);
    showCurrentInput();
  }

  const play = find('[data-action="play"]');
  function showRunning(running) {
    play.textContent = running ? 'Pause' : 'Play';
    play.setAttribute('aria-pressed', running ? 'true' : 'false');
  }

  const loop = ctx.createTrainingLoop({
    // Play: a full state every PLAY_REDRAW_MS (accuracy, thumbnails, the network); Train N: light
    // chunks only, and the full state once at the end.
    fullStateMs: PLAY_REDRAW_MS,
    onChunk: ({full, state: next}) => (full ? applyState(next, viewsDue())
      : renderProgress(next.iteration, next.latest_loss_label)),
    onStop: ({reason, error, state: last}) => {
      if (last) state = last;
      showRunning(false);
      applyState(state);    // the views catch up with the final weights
      // Announced once per run (a polite status), not on every chunk: the counters above
      // change many times a second while training, too often for a screen reader.
      labNotice.textContent = `Stopped at iteration ${formatCount(state.iteration)}: ` +
        `training accuracy ${state.accuracy_label ?? '–'}, held-out accuracy ` +
        `${state.heldout_accuracy_label ?? '–'}.`;
      if (reason === 'diverged') labNotice.textContent = ctx.baked.state.schema.messages.diverged;
      if (reason === 'error') ctx.notice(error.message);
    },
  });

  async function changeSettings(changes) {
    await loop.stop();
    const before = state.config.layers.join('-');
    const newState = await ctx.call('update', {settings: changes});
    ctx.saveSettings(newState.settings);
    applyState(newState);
    const after = newState.config.layers.join('-');
    labNotice.textContent = after !== before
      ? `New network ${after}: fresh random weights, training starts again from iteration 0.`
      : `Learning rate now ${newState.settings.learning_rate}; the weights are kept.`;
  }

  const actions = {
    async play() {
      if (loop.running) { await loop.stop(); return; }
      showRunning(true);
      labNotice.textContent = '';
      playing = true;
      loop.start();
    },
    async train(button) {
      await loop.stop();
      showRunning(true);
      labNotice.textContent = '';
      playing = false;
      loop.start(Number(button.dataset.iterations), {budgetMs: TRAIN_N_CHUNK_MS, fullStateMs: Infinity});
    },
    async reset() {
      await loop.stop();
      // A new seed, so Reset really draws new weights; it goes into the URL like any setting.
      // After the largest seed the schema allows comes its smallest again.
      const seed = ctx.baked.state.schema.settings.find(spec => spec.name === 'seed');
      const next = state.settings.seed >= seed.max ? seed.min : state.settings.seed + 1;
      const newState = await ctx.call('reset', {seed: next});
      ctx.saveSettings(newState.settings);
      applyState(newState);
      labNotice.textContent = `Reset: new random weights (seed ${newState.settings.seed}), iteration 0.`;
    },
    clear() { drawGrid.clear(); },
    copy() { drawGrid.set(state.examples[selectedImage].input); },
  };
  root.addEventListener('click', event => {
    const button = event.target.closest('[data-action]');
    if (!button || !state) return;
    Promise.resolve(actions[button.dataset.action](button)).catch(error => ctx.notice(error.message));
  }, {signal: ctx.signal});

  setUpTabs(root, tab => {
    source = tab;
    showCurrentInput();
  });

  return {
    async start() {
      // Draw at once from the build's numbers when they are for this network's shape.
      const wantedHidden = ctx.settings.hidden ?? ctx.baked.state.settings.hidden;
      if (wantedHidden === ctx.baked.state.settings.hidden) {
        showBaked();
        await afterNextPaint();   // the network first; the thumbnails in the next frame
        sliders.show(ctx.baked.state.settings);
        thumbnails.render(ctx.baked.state.examples);
        thumbnails.select(selectedImage);
      }
      applyState(await ctx.whenReady);
    },
    stop: () => loop.stop(),
  };
}

// Two tabs (training images, draw) following the WAI-ARIA tabs pattern: arrows move between
// them and only the selected one is in the tab order.
function setUpTabs(root, onChange) {
  const tabs = [...root.querySelectorAll('[role="tab"]')];
  function select(tab) {
    for (const other of tabs) {
      const isSelected = other === tab;
      other.setAttribute('aria-selected', isSelected ? 'true' : 'false');
      other.tabIndex = isSelected ? 0 : -1;
      root.querySelector(`#${other.getAttribute('aria-controls')}`).hidden = !isSelected;
    }
    onChange(tab.id === 'digits-tab-draw' ? 'draw' : 'images');
  }
  tabs.forEach((tab, index) => {
    tab.addEventListener('click', () => select(tab));
    tab.addEventListener('keydown', event => {
      if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
      const next = tabs[(index + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      next.focus();
      select(next);
    });
  });
}

export default labModule({template: DIGITS_TEMPLATE, createLab});
