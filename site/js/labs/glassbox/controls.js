// The glass box's controls: the simulator's settings (built from the lab's schema), epoch rate
// or fast Play, animation speed, which sample the panels follow, Play / Step / Restart, and the seed of the
// starting weights with New random weights. This module builds
// them and reports what the user chose; the lab decides what to do with it.

import {createSettingsForm} from '../../widgets/settings-form.js';

const SPEEDS = [
  ['0.5', 'Slow'],
  ['1', 'Normal'],
  ['2', 'Fast'],
  ['4', 'Very fast'],
  ['0', 'Off: instant updates'],
];

// Disabled until Python is ready; the shell enables every [data-needs-python] control then.
const NEEDS = 'disabled data-needs-python';

function options(pairs) {
  return pairs.map(([value, label]) => `<option value="${value}">${label}</option>`).join('');
}

// onChange(changes, {moved}) runs when a simulator setting was committed (a learning rate only
// once it is a valid number: bad text keeps the last good value and says why next to the field).
export function createControls(container, {schema, reducedMotion, onChange}) {
  container.innerHTML = `
    <div class="gb-control-group" role="group" aria-label="Network and data"></div>
    <div class="gb-control-group" role="group" aria-label="Training" data-control="training">
      <button type="button" name="play" class="primary" ${NEEDS}>Play</button>
      <button type="button" name="step" ${NEEDS}>Step (one epoch)</button>
      <button type="button" name="train_100" data-epochs="100" ${NEEDS}>Train 100 epochs</button>
      <button type="button" name="train_1000" data-epochs="1000" ${NEEDS}>Train 1,000 epochs</button>
      <button type="button" name="reset" ${NEEDS}>Restart from the same weights</button>
      <label>Epochs per second <input name="epochs_per_second" type="range" min="1" max="60" step="1" value="5">
        <output name="epochs_per_second_value">5</output></label>
      <label><input name="fast_play" type="checkbox"> Fast Play (no packets)</label>
    </div>
    <div class="gb-control-group" role="group" aria-label="Starting weights">
      <button type="button" name="new_weights" ${NEEDS}>New random weights</button>
    </div>
    <div class="gb-control-group" role="group" aria-label="What to show">
      <label>Animation speed <select name="speed">${options(SPEEDS)}</select></label>
      <label>Panels follow <select name="focus" ${NEEDS}></select></label>
      <p class="setting-reason" data-role="motion-note" ${reducedMotion ? '' : 'hidden'}>Your system asks for reduced motion, so packets are replaced by instant updates.</p>
    </div>`;
  const field = name => container.querySelector(`[name="${name}"]`);
  const [network, training, weights] = container.querySelectorAll('.gb-control-group');
  const form = createSettingsForm({lab: 'glassbox', schema, onChange});
  for (const spec of schema.settings) {
    if (spec.name === 'seed') form.place(spec.name, weights);
    else form.place(spec.name, spec.kind === 'choice' ? network : training);
  }
  weights.append(field('new_weights'));   // after the seed field
  // The learning rate goes with the training buttons, before the epoch rate.
  training.insertBefore(training.querySelector('[data-setting="learning_rate"]'),
                        field('epochs_per_second').closest('label'));
  if (reducedMotion) {
    field('speed').value = '0';
    field('speed').disabled = true;
  } else {
    field('speed').value = '1';
  }
  field('epochs_per_second').addEventListener('input', () => {
    field('epochs_per_second_value').value = field('epochs_per_second').value;
  });
  // A fast Play trains in chunks, so the epoch rate has nothing to say meanwhile.
  field('fast_play').addEventListener('change', () => {
    field('epochs_per_second').disabled = field('fast_play').checked;
  });

  return {
    field,
    form,
    setFocusOptions(examples, describe) {
      const select = field('focus');
      const current = select.value || '0';
      select.innerHTML =
        examples.map((ex, n) => `<option value="${n}">Sample ${n + 1}: ${describe(ex)}</option>`).join('') +
        `<option value="average">Average over all samples</option>`;
      select.value = [...select.options].some(o => o.value === current) ? current : '0';
    },
    focus() {
      const value = field('focus').value;
      return value === 'average' ? 'average' : Number(value || 0);
    },
    speed() {
      return Number(field('speed').value);
    },
    fast() {
      return field('fast_play').checked;
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
