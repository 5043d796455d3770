// The update of the parameter chosen in the network view, at the top of the panel's update
// group: the optimiser's rule with this step's numbers, then the optimiser's state for that
// parameter before and after the step. Everything comes from the bridge's `update`
// (nnsim.explain_update.parameter_update); this module lays it out.
//
//   renderSelectedUpdate(update) -> <section>

import {renderStepBody, renderTex} from '../../views/formula.js';

export function renderSelectedUpdate(update) {
  const section = document.createElement('section');
  section.className = 'df-step df-selected';
  section.dataset.selected = update.parameter.join(',');
  const heading = document.createElement('h3');
  heading.append('Selected parameter ', renderTex(update.symbol), ` (step t = ${update.step})`);
  const hint = document.createElement('p');
  hint.className = 'muted';
  hint.textContent = 'Choose another: click a connection (its weight) or a neuron (its bias) in the network, or use the keyboard there.';
  section.append(heading, hint, renderStepBody(update));
  section.append(update.state.length ? stateTable(update) : noState());
  return section;
}

function stateTable(update) {
  const table = document.createElement('table');
  table.className = 'df-state';
  table.createCaption().textContent = 'The optimiser\'s state for this parameter';
  const head = table.createTHead().insertRow();
  for (const title of ['', 'before this step', 'after it']) {
    const cell = document.createElement('th');
    cell.scope = 'col';
    cell.textContent = title;
    head.append(cell);
  }
  const body = table.createTBody();
  for (const entry of update.state) {
    const row = body.insertRow();
    const name = document.createElement('th');
    name.scope = 'row';
    name.append(renderTex(entry.symbol));
    row.append(name);
    row.insertCell().append(entry.before_tex === null ? '–' : renderTex(entry.before_tex));
    row.insertCell().append(entry.after_tex === null ? '–' : renderTex(entry.after_tex));
    row.dataset.state = entry.name;
  }
  return table;
}

function noState() {
  const note = document.createElement('p');
  note.className = 'muted';
  note.textContent = 'This optimiser keeps no state between steps.';
  return note;
}
