// The Deep lab's live formula panel: every explanation step of the next training step, grouped
// as the reference page groups them (forward pass, loss, backpropagation, gradients, updates,
// chain rule). Groups and update layers are collapsible; a closed group is typeset only when
// opened, so a refresh stays quick. Pointing at a step lights up what it touches.
//
//   const panel = createFormulaPanel(container, {onPoint, signal});
//   panel.update({conventions, steps})   from the bridge's `preview`
//   onPoint(highlight | null)            a step is pointed at / no longer

import {renderConventions, renderStepBody} from '../../formula.js';

const GROUPS = [
  {key: 'forward', title: 'Forward pass: weighted sums and sigmoids', open: true, match: id => id === 'input' || id.startsWith('forward-')},
  {key: 'cost', title: 'Loss', open: true, match: id => id === 'cost'},
  {key: 'delta', title: 'Backpropagation: the error δ of every layer', open: true, match: id => id.startsWith('delta-')},
  {key: 'grad', title: 'Gradients ∂E/∂w and ∂E/∂b of every layer', open: false, match: id => id.startsWith('grad-')},
  {key: 'update', title: 'Updates of every weight and bias, by layer', open: true, match: id => id.startsWith('update-'), eachCollapsible: true},
  {key: 'chain', title: 'The chain rule, layer by layer', open: true, match: id => id === 'chain-rule'},
];

function details(title, open, className) {
  const element = document.createElement('details');
  element.className = className;
  element.open = open;
  const summary = document.createElement('summary');
  summary.textContent = title;
  element.append(summary);
  return element;
}

export function createFormulaPanel(container, {onPoint, signal}) {
  const conventions = details('Notation and conventions', false, 'df-group df-conventions');
  container.append(conventions);
  const groups = GROUPS.map(group => {
    const element = details(group.title, group.open, `df-group df-${group.key}`);
    container.append(element);
    return {...group, element, body: element.appendChild(document.createElement('div'))};
  });
  let latest = null;

  function stepSection(step, collapsible) {
    const section = collapsible
      ? details(`Step ${step.number}. ${step.title}`, false, 'df-step')
      : document.createElement('section');
    section.classList.add('df-step');
    section.dataset.step = step.id;
    if (!collapsible) {
      const heading = document.createElement('h3');
      heading.textContent = `Step ${step.number}. ${step.title}`;
      section.append(heading);
    }
    const body = section.appendChild(document.createElement('div'));
    const fill = () => body.replaceChildren(renderStepBody(step));
    if (!collapsible || section.open) fill();
    else section.addEventListener('toggle', () => { if (section.open && !body.hasChildNodes()) fill(); });
    return section;
  }

  function fillGroup(group) {
    const steps = latest.steps.filter(step => group.match(step.id));
    const openSteps = new Set([...group.body.querySelectorAll('details.df-step[open]')].map(s => s.dataset.step));
    group.body.replaceChildren(...steps.map(step => {
      const section = stepSection(step, Boolean(group.eachCollapsible));
      if (openSteps.has(step.id)) {
        section.open = true;
        section.lastChild.replaceChildren(renderStepBody(step));
      }
      return section;
    }));
    group.filled = true;
  }

  function update(explained) {
    latest = explained;
    conventions.querySelector('ul')?.remove();
    conventions.append(renderConventions(explained.conventions));
    for (const group of groups) {
      group.filled = false;
      if (group.element.open) fillGroup(group);
    }
  }

  for (const group of groups) {
    group.element.addEventListener('toggle', () => {
      if (group.element.open && !group.filled && latest) fillGroup(group);
    }, {signal});
  }

  function stepAt(target) {
    const id = target.closest?.('.df-step')?.dataset.step;
    return id && latest ? latest.steps.find(step => step.id === id) : null;
  }
  container.addEventListener('pointerover', event => onPoint(stepAt(event.target)?.highlight ?? null), {signal});
  container.addEventListener('pointerleave', () => onPoint(null), {signal});
  container.addEventListener('focusin', event => onPoint(stepAt(event.target)?.highlight ?? null), {signal});

  return {update};
}
