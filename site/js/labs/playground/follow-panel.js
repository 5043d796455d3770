// A followed data point, as the simulator explains it (PlaygroundSession.follow, written by
// nnsim.explain): its forward pass with every number, its loss, the chain rule to the selected
// weight or bias, and its batch's gradient and the update by the chosen optimiser (with its state
// for that parameter). Typeset by the shared formula view.
//
//   const panel = createFollowPanel(host);
//   panel.show(followed, {parameterName})   the simulator's answer; the parameter's words
//   panel.clear(message)

import {renderConventions, renderStepBody} from '../../views/formula.js';
import {renderOptimizerState} from '../../views/optimizer-state.js';

export function createFollowPanel(host) {
  return {
    show(followed, {parameterName}) {
      const {point, role, label, trace, steps, conventions} = followed;
      const [x1, x2] = followed.coordinate_labels;   // the simulator's text
      const intro = document.createElement('p');
      intro.className = 'pg-follow-intro';
      const where = ` at (${x1}, ${x2})`;
      intro.textContent = `Point ${point + 1}${where}, a ${role === 'train' ? 'training' : 'test'} point ` +
        `with label ${label}, through the network at the current weights; the chain rule is ` +
        `followed to the ${parameterName}. Select another connection or neuron in the network ` +
        `to follow the chain rule to its weight or bias.`;
      const list = document.createElement('ol');
      list.className = 'pg-follow-steps';
      for (const step of steps) {
        const item = document.createElement('li');
        item.dataset.step = step.id;
        const heading = document.createElement('h4');
        heading.textContent = step.title;
        item.append(heading, renderStepBody(step));
        if (step.state?.length) item.append(renderOptimizerState(step.state));
        list.append(item);
      }
      const notation = document.createElement('details');
      notation.innerHTML = '<summary>Notation</summary>';
      notation.append(renderConventions(conventions));
      host.replaceChildren(intro, list, notation);
      host.dataset.point = String(point);
      host.dataset.loss = String(trace.loss);
    },
    clear(message) {
      const text = document.createElement('p');
      text.textContent = message;
      host.replaceChildren(text);
      delete host.dataset.point;
    },
  };
}
