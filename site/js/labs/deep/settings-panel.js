// The Deep lab's editable example: three inputs, two targets and the learning rate, each a
// number field with a slider. A committed edit hands all settings to onChange at once.
//
//   const settings = createSettingsPanel(container, {onChange});
//   settings.show(settings)      {inputs: [3], targets: [2], learning_rate} from the simulator
//   settings.enable()
//   settings.reject(message)     the simulator refused the last edit: say why

import {createNumberSlider} from '../../widgets/number-slider.js';

export function createSettingsPanel(container, {onChange}) {
  container.innerHTML = `
    <fieldset class="ds-group ds-inputs"><legend>Inputs x (layer 1)</legend></fieldset>
    <fieldset class="ds-group ds-targets"><legend>Targets y (what the outputs should be)</legend></fieldset>
    <fieldset class="ds-group ds-rate"><legend>Training</legend></fieldset>
    <p class="field-message ds-message" aria-live="polite"></p>`;
  const $ = selector => container.querySelector(selector);
  const commit = () => onChange({
    inputs: inputs.map(field => field.value),
    targets: targets.map(field => field.value),
    learning_rate: rate.value,
  });
  const slider = (host, label, id, extra = {}) => createNumberSlider($(host), {
    label, id, value: 0, sliderMin: 0, sliderMax: 1, sliderStep: 0.01, onChange: commit, ...extra,
  });
  const inputs = [1, 2, 3].map(k => slider('.ds-inputs', `x${k}`, `deep-x${k}`));
  const targets = [1, 2].map(k => slider('.ds-targets', `y${k}`, `deep-y${k}`));
  const rate = slider('.ds-rate', 'Learning rate η', 'deep-rate', {min: 0, sliderMin: 0.01, sliderMax: 2});
  const all = [...inputs, ...targets, rate];
  for (const field of all) field.setDisabled(true);

  return {
    show(settings) {
      settings.inputs.forEach((v, k) => inputs[k].set(v));
      settings.targets.forEach((v, k) => targets[k].set(v));
      rate.set(settings.learning_rate);
      $('.ds-message').textContent = '';
    },
    enable() {
      for (const field of all) field.setDisabled(false);
    },
    reject(message) {
      $('.ds-message').textContent = message;
    },
  };
}
