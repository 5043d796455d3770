// Digits lab (#digits): a 25-N-10 sigmoid network learns ten 5x5 digit bitmaps.
//
// Every number comes from the simulator through ctx.call: training state (iterations, accuracy,
// held-out accuracy, loss history, each image's answer) from `train`/`state`, and the
// activations of whatever image is shown (a training image or a drawing) from `predict`,
// including which digit wins. This module only wires the views together.

import {createNetworkView} from '../network-view.js';
import {createLineChart} from '../line-chart.js';
import {formatNumber} from '../format.js';
import {DIGITS_TEMPLATE} from './digits/template.js';
import {createThumbnails} from './digits/thumbnails.js';
import {createOutputBars} from './digits/output-bars.js';
import {createDrawGrid} from './digits/draw-grid.js';

const GRID = {rows: 5, cols: 5};
const DIGIT_LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
// Learning rates on a roughly logarithmic scale: small steps crawl, large ones overshoot.
const LEARNING_RATES = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10];

let teardown = null;

async function mount(root, ctx) {
  root.innerHTML = DIGITS_TEMPLATE;
  const find = (selector) => root.querySelector(selector);
  const slot = (name) => find(`[data-slot="${name}"]`);

  let state = ctx.baked.state;
  let settings = {...state.settings, ...ctx.settings};
  let selectedImage = 0;
  let source = 'images'; // which input the network view shows: 'images' or 'draw'

  const networkView = createNetworkView(slot('network'), {inputGrid: GRID});
  const chart = createLineChart(slot('chart'), {xLabel: 'Iteration', yLabel: 'Loss'});
  const bars = createOutputBars(slot('bars'), {labels: DIGIT_LABELS, formatValue: (v) => formatNumber(v, 3)});
  const thumbnails = createThumbnails(slot('thumbnails'), {cols: GRID.cols, onSelect: selectImage});
  const drawGrid = createDrawGrid(slot('draw-grid'), {...GRID, onChange: () => showCurrentInput()});

  const hiddenSlider = find('#digits-hidden');
  const rateSlider = find('#digits-rate');
  rateSlider.max = LEARNING_RATES.length - 1;
  const notice = find('[data-notice]');

  function renderSettings() {
    hiddenSlider.value = settings.hidden;
    find('[data-value="hidden"]').textContent = settings.hidden;
    const rateIndex = nearestIndex(LEARNING_RATES, settings.learning_rate);
    rateSlider.value = rateIndex;
    find('[data-value="learning_rate"]').textContent = settings.learning_rate;
    rateSlider.setAttribute('aria-valuetext', String(settings.learning_rate));
  }

  function renderState() {
    find('[data-stat="iteration"]').textContent = formatNumber(state.iteration, 0);
    find('[data-stat="accuracy"]').textContent = percent(state.accuracy);
    find('[data-stat="heldout"]').textContent = percent(state.heldout_accuracy);
    const history = state.loss_history;
    find('[data-stat="loss"]').textContent = history.length ? formatNumber(history[history.length - 1][1], 4) : 'not yet';
    find('[data-stat="loss-note"]').textContent = state.loss_description;
    thumbnails.render(state.examples);
    chart.render(history);
  }

  function currentInput() {
    return source === 'draw' ? drawGrid.pixels : state.examples[selectedImage].input;
  }

  // Only the latest input matters: while one predict call is out, newer requests replace each
  // other, so a fast drag sends at most one call behind the pointer.
  let predicting = false;
  let predictAgain = false;
  async function showCurrentInput() {
    if (predicting) { predictAgain = true; return; }
    predicting = true;
    do {
      predictAgain = false;
      const result = await ctx.call('predict', {input: currentInput()});
      networkView.render({layers: state.config.layers, weights: state.weights, biases: state.biases, activations: result.a});
      bars.render(result.output, result.prediction);
      find('[data-showing]').textContent = source === 'draw'
        ? `Showing your drawing: the network says ${result.prediction}.`
        : `Showing training image ${selectedImage}: the network says ${result.prediction}.`;
    } while (predictAgain);
    predicting = false;
  }

  function selectImage(index) {
    selectedImage = index;
    thumbnails.select(index);
    showCurrentInput();
  }

  function applyState(newState) {
    state = newState;
    renderState();
    showCurrentInput();
  }

  const loop = ctx.createTrainingLoop({
    onChunk: (result) => applyState(result.state),
    onStop: () => setRunning(false),
  });

  function setRunning(running) {
    const play = find('[data-action="play"]');
    play.textContent = running ? 'Pause' : 'Play';
    play.setAttribute('aria-pressed', running ? 'true' : 'false');
  }

  async function changeSettings(changes, message) {
    loop.stop();
    settings = {...settings, ...changes};
    renderSettings();
    ctx.saveSettings(settings);
    applyState(await ctx.call('update', {settings}));
    notice.textContent = message;
  }

  const actions = {
    play() {
      if (loop.running) { loop.stop(); return; }
      setRunning(true);
      loop.start();
    },
    train(button) {
      setRunning(true);
      loop.start(Number(button.dataset.iterations));
    },
    async reset() {
      loop.stop();
      applyState(await ctx.call('reset', {}));
      notice.textContent = 'Reset: new random weights, iteration 0.';
    },
    clear() { drawGrid.clear(); },
    copy() { drawGrid.set(state.examples[selectedImage].input); },
  };
  root.addEventListener('click', (event) => {
    const button = event.target.closest('[data-action]');
    if (button) actions[button.dataset.action](button);
  });

  hiddenSlider.addEventListener('input', () => {
    find('[data-value="hidden"]').textContent = hiddenSlider.value;
  });
  hiddenSlider.addEventListener('change', () => {
    const hidden = Number(hiddenSlider.value);
    changeSettings({hidden}, `New network: 25-${hidden}-10 with fresh random weights, training restarts at iteration 0.`);
  });
  rateSlider.addEventListener('input', () => {
    const rate = LEARNING_RATES[Number(rateSlider.value)];
    find('[data-value="learning_rate"]').textContent = rate;
  });
  rateSlider.addEventListener('change', () => {
    const rate = LEARNING_RATES[Number(rateSlider.value)];
    changeSettings({learning_rate: rate}, `Learning rate now ${rate}; the weights are kept.`);
  });

  setUpTabs(root, (tab) => {
    source = tab;
    showCurrentInput();
  });

  renderSettings();
  renderState();
  await ctx.whenReady();
  applyState(await ctx.call('state', {}));

  teardown = () => loop.stop();
}

// Two tabs (training images, draw) following the WAI-ARIA tabs pattern: arrows move between
// them, only the selected one is in the tab order.
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
    tab.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
      const next = tabs[(index + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      next.focus();
      select(next);
    });
  });
}

function percent(share) {
  return share === null || share === undefined ? '–' : `${Math.round(share * 100)}%`;
}

function nearestIndex(values, target) {
  let best = 0;
  values.forEach((value, index) => {
    if (Math.abs(value - target) < Math.abs(values[best] - target)) best = index;
  });
  return best;
}

export default {
  id: 'digits',
  title: 'Digits',
  mount,
  unmount() {
    if (teardown) teardown();
    teardown = null;
  },
};
