// The update of the parameter chosen in the network view, at the top of the panel's update
// group: the optimiser's rule with this step's numbers, then the optimiser's state for that
// parameter before and after the step. Everything comes from the bridge's `update`
// (nnsim.explain_update.parameter_update); this module lays it out.
//
//   renderSelectedUpdate(update) -> <section>

import {renderStepBody, renderTex} from '../../views/formula.js';
import {renderOptimizerState} from '../../views/optimizer-state.js';

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
  section.append(update.state.length ? renderOptimizerState(update.state) : noState());
  return section;
}

function noState() {
  const note = document.createElement('p');
  note.className = 'muted';
  note.textContent = 'This optimiser keeps no state between steps.';
  return note;
}
