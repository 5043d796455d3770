// The glass box's controls: scenario, activations, loss, learning rate, epoch rate, animation
// speed, which sample the panels follow, and Play / Step / Reset. This module builds them and
// reports what the user chose; the lab decides what to do with it.

import {attachNumberField} from '../../widgets/number-field.js';

const SCENARIOS = [
  ['and', 'AND'],
  ['or', 'OR'],
  ['nand', 'NAND'],
  ['xor', 'XOR'],
  ['saturated', 'Saturated output: MSE versus cross-entropy'],
];
const ACTIVATIONS = [
  ['sigmoid', 'Sigmoid'],
  ['tanh', 'tanh'],
  ['relu', 'ReLU'],
  ['leaky_relu', 'Leaky ReLU'],
  ['linear', 'Linear'],
];
const LOSSES = [
  ['mse', 'Mean squared error (MSE)'],
  ['cross_entropy', 'Cross-entropy'],
];
const SPEEDS = [
  ['0.5', 'Slow'],
  ['1', 'Normal'],
  ['2', 'Fast'],
  ['4', 'Very fast'],
  ['0', 'Off: instant updates'],
];

const CROSS_ENTROPY_REASON =
  'Cross-entropy reads the output as a probability between 0 and 1, which only a sigmoid output gives; with this output only MSE is offered.';

// Disabled until Python is ready; the shell enables every [data-needs-python] control then.
const NEEDS = 'disabled data-needs-python';

function options(pairs) {
  return pairs.map(([value, label]) => `<option value="${value}">${label}</option>`).join('');
}

// The simulator's own bound (nnsim.presets): above it a setting is refused, not clamped.
const MAX_LEARNING_RATE = 1e9;
const SETTING_SELECTS = ['scenario', 'hidden_activation', 'output_activation', 'loss'];

// onChange(name) runs when a simulator setting was changed (a learning rate only once it is a
// valid number: bad text keeps the last good value and says why next to the field).
export function createControls(container, {reducedMotion, onChange}) {
  container.innerHTML = `
    <div class="gb-control-group" role="group" aria-label="Network and data">
      <label>Scenario <select name="scenario" ${NEEDS}>${options(SCENARIOS)}</select></label>
      <label>Hidden activation <select name="hidden_activation" ${NEEDS}>${options(ACTIVATIONS)}</select></label>
      <label>Output activation <select name="output_activation" ${NEEDS}>${options(ACTIVATIONS)}</select></label>
      <label>Loss <select name="loss" ${NEEDS} aria-describedby="gb-loss-reason">${options(LOSSES)}</select></label>
      <p class="gb-reason" id="gb-loss-reason" hidden></p>
    </div>
    <div class="gb-control-group" role="group" aria-label="Training">
      <button type="button" name="play" class="gb-primary" ${NEEDS}>Play</button>
      <button type="button" name="step" ${NEEDS}>Step (one epoch)</button>
      <button type="button" name="reset" ${NEEDS}>Reset</button>
      <label>Learning rate <input name="learning_rate" ${NEEDS} type="number" min="0" max="${MAX_LEARNING_RATE}" step="any" inputmode="decimal"></label>
      <label>Epochs per second <input name="epochs_per_second" type="range" min="1" max="60" step="1" value="5">
        <output name="epochs_per_second_value">5</output></label>
    </div>
    <div class="gb-control-group" role="group" aria-label="What to show">
      <label>Animation speed <select name="speed">${options(SPEEDS)}</select></label>
      <label>Panels follow <select name="focus" ${NEEDS}></select></label>
      <p class="gb-reason" data-role="motion-note" ${reducedMotion ? '' : 'hidden'}>Your system asks for reduced motion, so packets are replaced by instant updates.</p>
    </div>`;
  const field = (name) => container.querySelector(`[name="${name}"]`);
  const reason = container.querySelector('#gb-loss-reason');
  if (reducedMotion) {
    field('speed').value = '0';
    field('speed').disabled = true;
  } else {
    field('speed').value = '1';
  }
  for (const name of SETTING_SELECTS) field(name).addEventListener('change', () => onChange(name));
  const rate = attachNumberField(field('learning_rate'), {
    label: 'Learning rate',
    min: 0,
    exclusiveMin: true,
    max: MAX_LEARNING_RATE,
    onCommit: () => onChange('learning_rate'),
  });
  field('epochs_per_second').addEventListener('input', () => {
    field('epochs_per_second_value').value = field('epochs_per_second').value;
  });

  return {
    field,
    // The simulator's settings as the controls show them.
    settings() {
      return {
        scenario: field('scenario').value,
        hidden_activation: field('hidden_activation').value,
        output_activation: field('output_activation').value,
        loss: field('loss').value,
        learning_rate: rate.value,
      };
    },
    showSettings(settings) {
      for (const name of SETTING_SELECTS) field(name).value = settings[name];
      rate.set(settings.learning_rate);
      this.limitLoss();
    },
    // Cross-entropy only with a sigmoid output; says why when it is off.
    // Returns true when the loss had to change to MSE.
    limitLoss() {
      const sigmoidOut = field('output_activation').value === 'sigmoid';
      const ce = field('loss').querySelector('option[value="cross_entropy"]');
      ce.disabled = !sigmoidOut;
      reason.hidden = sigmoidOut;
      reason.textContent = sigmoidOut ? '' : CROSS_ENTROPY_REASON;
      if (!sigmoidOut && field('loss').value === 'cross_entropy') {
        field('loss').value = 'mse';
        return true;
      }
      return false;
    },
    setFocusOptions(examples, describe) {
      const select = field('focus');
      const current = select.value || '0';
      select.innerHTML =
        examples.map((ex, n) => `<option value="${n}">Sample ${n + 1}: ${describe(ex)}</option>`).join('') +
        `<option value="average">Average over all samples</option>`;
      select.value = [...select.options].some((o) => o.value === current) ? current : '0';
    },
    focus() {
      const value = field('focus').value;
      return value === 'average' ? 'average' : Number(value || 0);
    },
    speed() {
      return Number(field('speed').value);
    },
    epochsPerSecond() {
      return Number(field('epochs_per_second').value);
    },
    setPlaying(playing) {
      field('play').textContent = playing ? 'Pause' : 'Play';
      field('play').setAttribute('aria-pressed', String(playing));
    },
  };
}
