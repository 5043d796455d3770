// The optimiser's state for one parameter, before and after a step, as a table (rows: v, m, s,
// m̂, v̂ as nnsim.explain_update.parameter_update gives them; cells typeset from its TeX).
//
//   renderOptimizerState(state) -> <table>

import {renderTex} from './formula.js';

export function renderOptimizerState(state) {
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
  for (const entry of state) {
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
