// A labelled number field with a slider beside it, for settings a student tries out (inputs,
// targets, learning rates). The two stay in step; the field accepts any number the simulator
// allows, the slider covers the usual range. Invalid text keeps the last good value and says
// why under the field, so nothing is lost.
//
//   const field = createNumberSlider(container, {label, value, min, max, exclusiveMin, integer,
//                                                sliderMin, sliderMax, sliderStep, onChange, id,
//                                                name});
//   field.value            the last valid number
//   field.set(value)       show a value (no onChange)
//   field.setDisabled(bool)
//   field.reject(message)  the simulator refused the value (its message names the field by its
//                          label): the field shows the last good one, and says so after it
//   onChange(value) runs on a committed edit: slider release/keys, field change or Enter.

import {keptText, readNumber} from './number-field.js';

let count = 0;

export function createNumberSlider(container, {
  label, value, min = -Infinity, max = Infinity, exclusiveMin = false, integer = false,
  step = integer ? 1 : 'any', sliderMin = 0, sliderMax = 1, sliderStep = 0.01,
  onChange = () => {}, id = null, name = null,
}) {
  const key = id || `ns-${++count}`;
  const root = document.createElement('div');
  root.className = 'field number-slider';
  root.innerHTML = `
    <label for="${key}"></label>
    <div class="field-row">
      <input type="number" id="${key}" inputmode="decimal" step="${step}">
      <input type="range" min="${sliderMin}" max="${sliderMax}" step="${sliderStep}">
    </div>
    <p class="field-message" id="${key}-message" aria-live="polite"></p>`;
  root.querySelector('label').textContent = label;
  if (name) root.querySelector('input[type="number"]').name = name;
  const number = root.querySelector('input[type="number"]');
  const range = root.querySelector('input[type="range"]');
  const message = root.querySelector('.field-message');
  range.setAttribute('aria-label', `${label} (slider)`);
  number.setAttribute('aria-describedby', message.id);
  container.appendChild(root);

  let current = value;

  function show(next) {
    number.value = String(next);
    range.value = String(Math.min(sliderMax, Math.max(sliderMin, next)));
  }

  function commit(next) {
    message.textContent = '';
    number.removeAttribute('aria-invalid');
    if (next === current) return;
    current = next;
    onChange(next);
  }

  function fromField() {
    // A number input holding text it cannot read reports '' and flags badInput.
    const text = number.validity.badInput ? 'NaN' : number.value;
    const {value: next, error} = readNumber(text, {label, min, max, exclusiveMin, integer});
    if (error) {
      show(current);
      reject(error + keptText(current));
      return;
    }
    range.value = String(Math.min(sliderMax, Math.max(sliderMin, next)));
    commit(next);
  }

  function reject(text) {
    message.textContent = text;
    number.setAttribute('aria-invalid', 'true');
  }

  number.addEventListener('change', fromField);
  number.addEventListener('keydown', event => { if (event.key === 'Enter') fromField(); });
  range.addEventListener('input', () => { number.value = range.value; });
  range.addEventListener('change', () => commit(Number(range.value)));

  show(value);
  return {
    get value() { return current; },
    set(next) { current = next; show(next); message.textContent = ''; number.removeAttribute('aria-invalid'); },
    setDisabled(disabled) { number.disabled = disabled; range.disabled = disabled; },
    reject: message => reject(`${message.replace(/[^.]$/, '$&.')}${keptText(current)}`),
  };
}
