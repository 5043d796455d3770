// Set the selected weight or bias by hand, to try things out: make a ReLU neuron dead, push an
// output into saturation, undo a bad start. The form only names the parameter and checks the
// number; the lab has the simulator load the changed network (Session.load validates it).
import {attachNumberField} from '../../widgets/number-field.js';
import {renderTex} from '../../views/formula.js';

// onSet(selection, value) runs with a valid number for the selected parameter; limit: the
// schema's bounds for a parameter ({min, max}: beyond them the simulator refuses it as diverged).
export function createParameterEditor(container, {onSet, limit}) {
  container.innerHTML = `
    <form class="gb-editor" novalidate>
      <label><span data-role="name"></span>
        <input name="parameter_value" type="number" step="any" inputmode="decimal" disabled data-needs-python></label>
      <button type="submit" disabled data-needs-python>Set</button>
    </form>`;
  const form = container.querySelector('form');
  const input = form.querySelector('input');
  const name = form.querySelector('[data-role="name"]');
  const field = attachNumberField(input, {label: 'New value', min: limit.min, max: limit.max});
  let selection = null;

  form.addEventListener('submit', event => {
    event.preventDefault();
    const value = field.check();
    if (value !== null && selection) onSet(selection, value);
  });

  return {
    // The selected item of the network view, the state holding its current value, and the
    // simulator's chain rule for it (its symbol and name; null until the panels arrive).
    show(selected, state, chain) {
      // A number being typed for this same parameter is not overwritten by a late redraw.
      const typing = document.activeElement === input && JSON.stringify(selected) === JSON.stringify(selection);
      selection = selected;
      const {kind, l, j, i} = selected;
      const isInput = kind === 'neuron' && l === 0;
      form.hidden = isInput;
      if (isInput) return;
      name.replaceChildren(...(chain ? ['Set ', renderTex(chain.symbol), ` (${chain.name}) to`] : ['Set to']));
      if (!typing) field.set(kind === 'connection' ? state.weights[l][j][i] : state.biases[l - 1][j]);
    },
  };
}
