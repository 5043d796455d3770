// The Deep lab's live formula panel: every explanation step of the next training step, grouped
// as the reference page groups them (forward pass, loss, backpropagation, gradients, updates,
// chain rule). Groups and update layers are collapsible; a closed group is typeset only when
// opened. Pointing at a step lights up what it touches. Try it yourself hides the results.
//
// Typesetting the open groups (hundreds of KaTeX formulas) takes far longer than a frame, so
// `prepare` typesets them off-screen a few steps at a time, yielding to the browser between
// slices, and hands back `commit`, which swaps the finished sections in at once: the lab calls
// it in the same task that redraws the network view, so both always show the same step.
//
//   const panel = createFormulaPanel(container, {onPoint, signal, figure})   figure: the network
//   const commit = await panel.prepare({conventions, steps, update})   from the bridge's `preview`;
//       commit() shows it; a later prepare makes an unfinished earlier one resolve to null
//   panel.hold(message)                  training is running: keep the last formulas, greyed,
//                                        under `message` (the next commit lifts it)
//   onPoint(highlight | null)            a step is pointed at / no longer

import {loadFormulas, renderConventions, renderStepBody} from '../../views/formula.js';
import {renderSelectedUpdate} from './selected-update.js';
import {createTryIt} from '../../views/try-it-yourself.js';

const SLICE_MS = 8;   // typesetting per slice, so every frame still has time to paint

const GROUPS = [
  {key: 'forward', title: 'Forward pass: weighted sums and sigmoids', open: true, match: id => id === 'input' || id.startsWith('forward-')},
  {key: 'cost', title: 'Loss', open: true, match: id => id === 'cost' || id === 'penalty'},
  {key: 'delta', title: 'Backpropagation: the error δ of every layer', open: true, match: id => id.startsWith('delta-')},
  {key: 'grad', title: 'Gradients ∂E/∂w and ∂E/∂b of every layer', open: false, match: id => id.startsWith('grad-')},
  {key: 'update', title: 'Updates of every weight and bias, by layer', open: true, match: id => id.startsWith('update-'), eachCollapsible: true, selected: true},
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

export function createFormulaPanel(container, {onPoint, signal, figure}) {
  const held = document.createElement('p');
  held.className = 'df-held-note';
  held.setAttribute('role', 'status');
  held.hidden = true;
  container.before(held);
  const quiz = createTryIt(container, {signal, figure});
  held.before(quiz.bar);
  const conventions = details('Notation and conventions', false, 'df-group df-conventions');
  container.append(conventions);
  const groups = GROUPS.map(group => {
    const element = details(group.title, group.open, `df-group df-${group.key}`);
    container.append(element);
    return {...group, element, body: element.appendChild(document.createElement('div'))};
  });
  let latest = null;

  function fillStep(body, step) {
    body.replaceChildren(renderStepBody(step));
    quiz.decorate(body, step);
  }

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
    const fill = () => fillStep(body, step);
    if (!collapsible || section.open) fill();
    else section.addEventListener('toggle', () => { if (section.open && !body.hasChildNodes()) fill(); });
    return section;
  }

  // The sections of one group for `explained`, keeping open the update layers that are open;
  // the update group starts with the selected parameter's update.
  function* groupSections(group, explained) {
    if (group.selected && explained.update) yield renderSelectedUpdate(explained.update);
    const openSteps = new Set([...group.body.querySelectorAll('details.df-step[open]')].map(s => s.dataset.step));
    for (const step of explained.steps.filter(step => group.match(step.id))) {
      const section = stepSection(step, Boolean(group.eachCollapsible));
      if (openSteps.has(step.id)) {
        section.open = true;
        fillStep(section.lastChild, step);
      }
      yield section;
    }
  }

  function fillGroup(group) {
    group.body.replaceChildren(...groupSections(group, latest));
    group.filled = true;
  }

  let generation = 0;

  async function prepare(explained) {
    const mine = ++generation;
    await loadFormulas();
    if (mine !== generation || signal.aborted) return null;
    const built = new Map();
    let sliceStart = performance.now();
    for (const group of groups.filter(group => group.element.open)) {
      const sections = [];
      for (const section of groupSections(group, explained)) {
        sections.push(section);
        if (performance.now() - sliceStart > SLICE_MS) {
          await nextTask();
          if (mine !== generation || signal.aborted) return null;
          sliceStart = performance.now();
        }
      }
      built.set(group, sections);
    }
    if (mine !== generation) return null;
    const notation = renderConventions(explained.conventions);
    return function commit() {
      latest = explained;
      quiz.start(explained.steps);
      conventions.querySelector('ul')?.remove();
      conventions.append(notation);
      for (const group of groups) {
        if (built.has(group)) {
          group.body.replaceChildren(...built.get(group));
          group.filled = true;
        } else if (group.element.open) {
          fillGroup(group);   // opened while this was being prepared: one group, quick
        } else {
          group.filled = false;
        }
      }
      held.hidden = true;
      container.classList.remove('df-held');
    };
  }

  function hold(message) {
    generation++;   // a refresh still typesetting would show a step that is already gone
    held.textContent = message;
    held.hidden = false;
    container.classList.add('df-held');
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

  return {prepare, hold};
}

// A macrotask, not a frame: typesetting continues at once when the page has nothing to paint.
function nextTask() {
  return new Promise(resolve => setTimeout(resolve, 0));
}
