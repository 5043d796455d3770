// The XOR lab's training controls: run 1 / 100 / 10,000 / 100,000 iterations, Play and Pause,
// the learning rate, the momentum and the seed of the random weights (from the lab's settings schema),
// and new random weights.
//
//   const controls = createTrainingControls(container, {schema, onRun, onPlay, onSettings, onNewWeights, signal});
//   controls.setRunning(bool)      Play shows Pause while a run goes on
//   controls.setSettings(settings) show the simulator's settings
//   controls.rejected(message)     the simulator refused the last edit: say why beside it
//   controls.iterations(n)         the iteration counter
//   controls.randomSeed()          a seed the simulator accepts, drawn at random

import {createSettingsForm} from '../../widgets/settings-form.js';
import {formatCount} from '../../views/format.js';

const RUNS = [1, 100, 10_000, 100_000];

const TEMPLATE = `
  <div class="cluster" role="group" aria-label="Train" data-control="training">
    <span class="xt-label">Run</span>
    ${RUNS.map(n => `<button type="button" data-run="${n}" disabled data-needs-python>${formatCount(n)}</button>`).join('')}
    <span class="xt-label">iterations</span>
    <button type="button" data-action="play" aria-pressed="false" disabled data-needs-python>Play</button>
  </div>
  <p class="xt-counter">Iterations done: <output class="num" data-stat="iteration">0</output></p>
  <div class="xt-settings">
    <div class="xt-rate"></div>
    <div class="xt-momentum"></div>
    <div class="xt-seed"></div>
  </div>`;

export function createTrainingControls(container, {schema, onRun, onPlay, onSettings, onNewWeights, signal}) {
  container.innerHTML = TEMPLATE;
  const $ = selector => container.querySelector(selector);
  const play = $('[data-action="play"]');
  const form = createSettingsForm({lab: 'xor', schema, onChange: changes => onSettings(changes)});
  form.place('learning_rate', $('.xt-rate'));
  form.place('momentum', $('.xt-momentum'));
  const seed = form.place('seed', $('.xt-seed'));
  seed.querySelector('.field-row').insertAdjacentHTML('beforeend',
    '<button type="button" data-action="new-weights" disabled data-needs-python>New random weights</button>');
  seed.querySelector('.field-message').insertAdjacentHTML('beforebegin',
    '<p class="field-hint">The same seed gives the same starting weights and the same run.</p>');

  container.addEventListener('click', event => {
    const run = event.target.closest('[data-run]');
    if (run) onRun(Number(run.dataset.run));
    const action = event.target.closest('[data-action]')?.dataset.action;
    if (action === 'play') onPlay();
    if (action === 'new-weights') onNewWeights();
  }, {signal});

  return {
    setRunning(running) {
      play.textContent = running ? 'Pause' : 'Play';
      play.setAttribute('aria-pressed', String(running));
    },
    setSettings: settings => form.show(settings),
    rejected: message => form.reject(message),
    iterations(n) { $('[data-stat="iteration"]').textContent = formatCount(n); },
    randomSeed() {
      const {min, max} = form.spec('seed');
      return min + Math.floor(Math.random() * (max - min + 1));
    },
  };
}
