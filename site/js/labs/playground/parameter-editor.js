// Set the selected weight or bias by hand (the output bias too). The form names the parameter
// and checks the number against the schema's limit; the simulator sets it
// (PlaygroundSession.set_parameter) and refuses what it cannot take.
//
//   const editor = createParameterEditor(host, {limit, onSet});
//   editor.show(selection, state, names)   selection: the network view's item
//   onSet(parameter, value)   parameter {kind: 'weight', index: [l, j, i]} | {kind: 'bias', index: [l, j]}

import {attachNumberField} from '../../widgets/number-field.js';

// The network view's item as the simulator names a parameter; null for an input neuron.
export function parameterOf(item) {
  if (item.kind === 'connection') return {kind: 'weight', index: [item.l, item.j, item.i]};
  return item.l === 0 ? null : {kind: 'bias', index: [item.l - 1, item.j]};
}

export function parameterName({kind, index}, names) {
  return kind === 'weight'
    ? `weight from ${names[index[0]][index[2]]} to ${names[index[0] + 1][index[1]]}`
    : `bias of ${names[index[0] + 1][index[1]]}`;
}

export function createParameterEditor(host, {limit, onSet}) {
  host.innerHTML = `<form class="pg-editor-form" novalidate>
      <label><span data-role="name">Select a connection or neuron to set its weight or bias</span>
        <input name="parameter_value" type="number" step="any" inputmode="decimal" disabled></label>
      <button type="submit" disabled>Set</button>
      <p class="field-message" aria-live="polite"></p>
    </form>`;
  const form = host.querySelector('form');
  const input = form.querySelector('input');
  const button = form.querySelector('button');
  const name = form.querySelector('[data-role="name"]');
  const field = attachNumberField(input, {label: 'New value', min: limit.min, max: limit.max,
                                          message: form.querySelector('.field-message')});
  let parameter = null;

  form.addEventListener('submit', event => {
    event.preventDefault();
    // Enter is checked by the field first: a refusal put the kept value back, and checking
    // that again would clear the refusal's message.
    if (input.getAttribute('aria-invalid') === 'true') return;
    const value = field.check();
    if (value !== null && parameter) onSet(parameter, value);
  });

  return {
    show(selection, state, names) {
      parameter = selection && parameterOf(selection);
      input.disabled = button.disabled = !parameter;
      if (!parameter) {
        name.textContent = 'An input neuron has no weight or bias of its own: select a connection or another neuron';
        return;
      }
      const [l, j, i] = parameter.index;
      name.textContent = `Set the ${parameterName(parameter, names)} to`;
      field.set(parameter.kind === 'weight' ? state.weights[l][j][i] : state.biases[l][j]);
    },
  };
}
