// The XOR lab's training controls: run 1 / 100 / 10,000 / 100,000 iterations, Play and Pause,
// the learning rate, the seed of the random weights, and new random weights.
//
//   const controls = createTrainingControls(container, {onRun, onPlay, onRate, onSeed, onNewWeights, signal});
//   controls.setRunning(bool)      Play shows Pause while a run goes on
//   controls.setSettings({learning_rate, seed})
//   controls.iterations(n)         the iteration counter

import {createNumberSlider} from '../../widgets/number-slider.js';
import {attachNumberField} from '../../widgets/number-field.js';
import {formatNumber} from '../../views/format.js';

const RUNS = [1, 100, 10_000, 100_000];
const MAX_SEED = 2 ** 31 - 1;   // the simulator's largest seed

const TEMPLATE = `
  <div class="cluster" role="group" aria-label="Train">
    <span class="xt-label">Run</span>
    ${RUNS.map(n => `<button type="button" data-run="${n}" disabled data-needs-python>${n.toLocaleString('en')}</button>`).join('')}
    <span class="xt-label">iterations</span>
    <button type="button" data-action="play" aria-pressed="false" disabled data-needs-python>Play</button>
  </div>
  <p class="xt-counter">Iterations done: <output class="num" data-stat="iteration">0</output></p>
  <div class="xt-settings">
    <div class="xt-rate"></div>
    <div class="field">
      <label for="xor-seed">Seed of the random weights</label>
      <div class="field-row">
        <input type="number" id="xor-seed" min="0" max="2147483647" step="1" disabled data-needs-python>
        <button type="button" data-action="new-weights" disabled data-needs-python>New random weights</button>
      </div>
      <p class="field-hint">The same seed gives the same starting weights and the same run.</p>
      <p class="field-message" data-message="seed" aria-live="polite"></p>
    </div>
  </div>`;

export function createTrainingControls(container, {onRun, onPlay, onRate, onSeed, onNewWeights, signal}) {
  container.innerHTML = TEMPLATE;
  const $ = selector => container.querySelector(selector);
  const play = $('[data-action="play"]');
  const seed = $('#xor-seed');
  const rate = createNumberSlider($('.xt-rate'), {
    label: 'Learning rate η', value: 0.5, min: 0, sliderMin: 0.05, sliderMax: 5, sliderStep: 0.05,
    id: 'xor-rate', onChange: value => onRate(value),
  });
  rate.setDisabled(true);

  container.addEventListener('click', event => {
    const run = event.target.closest('[data-run]');
    if (run) onRun(Number(run.dataset.run));
    const action = event.target.closest('[data-action]')?.dataset.action;
    if (action === 'play') onPlay();
    if (action === 'new-weights') onNewWeights();
  }, {signal});
  const seedField = attachNumberField(seed, {
    label: 'Seed', min: 0, max: MAX_SEED, integer: true, message: $('[data-message="seed"]'),
    onCommit: value => onSeed(value),
  });

  return {
    setRunning(running) {
      play.textContent = running ? 'Pause' : 'Play';
      play.setAttribute('aria-pressed', String(running));
    },
    setSettings(settings) {
      rate.set(settings.learning_rate);
      seedField.set(settings.seed);
    },
    enable() { rate.setDisabled(false); },
    rateRejected(message) { rate.reject(message); },
    iterations(n) { $('[data-stat="iteration"]').textContent = formatNumber(n, 0); },
  };
}
