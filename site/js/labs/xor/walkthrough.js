// The walkthrough panel of the XOR lab: one training iteration taken apart into the numbered
// steps nnsim.explain wrote, shown one at a time with Previous, Next, Finish iteration and
// auto-advance, and a try-it-yourself mode that hides each result until typed. It shows what
// it is given; the lab decides when an iteration is applied.
//
//   const walk = createWalkthrough(container, {onShow, onLastStep, onNextIteration, signal, figure});
//   walk.load(explained)    explained = {trace, conventions, steps}: show its step 1
//   walk.wait(message)      no iteration to show (Python starting, training running)
//   walk.stopAuto()
//   onShow(step, index, trace)   after a step is drawn (the lab lights up the network)
//   onLastStep(trace)            the first time an iteration's last step (the update) is shown
//   onNextIteration()            Next on the last step: the lab loads the next iteration

import {renderConventions, renderStepBody} from '../../views/formula.js';
import {formatCount} from '../../views/format.js';
import {createTryIt} from '../../views/try-it-yourself.js';

const PACES = [['Slow (5 s a step)', 5000], ['Readable (2.5 s)', 2500], ['Quick (1 s)', 1000]];

const TEMPLATE = `
  <div class="xw-head">
    <h2 class="xw-heading">Walk through one iteration</h2>
    <p class="xw-example" aria-live="polite"></p>
  </div>
  <ol class="xw-chips" aria-label="Steps of this iteration"></ol>
  <div class="xw-controls cluster" role="group" aria-label="Walkthrough">
    <button type="button" data-walk="previous" disabled>Previous</button>
    <button type="button" class="primary" data-walk="next" disabled>Next</button>
    <button type="button" data-walk="finish" disabled>Finish iteration</button>
    <button type="button" data-walk="auto" aria-pressed="false" disabled>Auto-advance</button>
    <label class="xw-pace">Pace
      <select data-walk="pace"></select>
    </label>
  </div>
  <section class="xw-step">
    <h3 class="xw-title" aria-live="polite"></h3>
    <div class="xw-body"></div>
  </section>
  <details class="xw-conventions">
    <summary>Notation and conventions</summary>
    <div class="xw-conventions-body"></div>
  </details>`;

export function createWalkthrough(container, {onShow, onLastStep, onNextIteration, signal, figure}) {
  container.innerHTML = TEMPLATE;
  const $ = selector => container.querySelector(selector);
  const buttons = {
    previous: $('[data-walk="previous"]'), next: $('[data-walk="next"]'),
    finish: $('[data-walk="finish"]'), auto: $('[data-walk="auto"]'),
  };
  const pace = $('[data-walk="pace"]');
  const quiz = createTryIt(container, {signal, figure});
  $('.xw-controls').after(quiz.bar);
  for (const [label, ms] of PACES) pace.add(new Option(label, String(ms), ms === 2500, ms === 2500));

  let explained = null;
  let index = 0;
  let reachedEnd = false;
  let autoTimer = null;
  let busy = false;

  function load(next) {
    explained = next;
    reachedEnd = false;
    const {trace, givens} = next;
    $('.xw-example').textContent =
      `Iteration ${formatCount(trace.iteration + 1)}: training example ${trace.example_index + 1} of 4, ` +
      `x = (${givens.input.join(', ')}), target y = ${givens.target[0]}. ` +
      `Learning rate η = ${givens.learning_rate}.`;
    const chips = $('.xw-chips');
    chips.replaceChildren(...next.steps.map((step, k) => {
      const item = document.createElement('li');
      const chip = document.createElement('button');
      chip.type = 'button';
      chip.className = 'xw-chip';
      chip.dataset.step = String(k);
      chip.textContent = String(step.number);
      chip.setAttribute('aria-label', `Step ${step.number}: ${step.title}`);
      chip.title = step.title;
      item.append(chip);
      return item;
    }));
    quiz.start(next.steps);
    showConventions();
    show(0);
  }

  // The notation is typeset when its (closed) section is open: not in the frame that shows
  // the first iteration as Python becomes ready.
  const conventions = $('.xw-conventions');
  let conventionsShown = null;
  function showConventions() {
    if (!conventions.open || !explained || conventionsShown === explained.conventions) return;
    conventionsShown = explained.conventions;
    $('.xw-conventions-body').replaceChildren(renderConventions(conventionsShown));
  }
  conventions.addEventListener('toggle', showConventions, {signal});

  function show(k) {
    index = k;
    const step = explained.steps[k];
    $('.xw-title').textContent = `Step ${step.number}. ${step.title}`;
    $('.xw-body').replaceChildren(renderStepBody(step));
    quiz.decorate($('.xw-body'), step);
    container.querySelectorAll('.xw-chip').forEach((chip, c) => {
      if (c === k) chip.setAttribute('aria-current', 'step');
      else chip.removeAttribute('aria-current');
      chip.classList.toggle('xw-done', c < k);
    });
    const last = k === explained.steps.length - 1;
    buttons.previous.disabled = k === 0;
    buttons.next.disabled = false;
    buttons.next.textContent = last ? 'Next iteration' : 'Next';
    buttons.finish.disabled = last;
    buttons.auto.disabled = false;
    onShow(step, k, explained.trace);
    if (last && !reachedEnd) {
      reachedEnd = true;
      onLastStep(explained.trace);
    }
  }

  function wait(message) {
    explained = null;
    $('.xw-example').textContent = message;
    $('.xw-title').textContent = '';
    $('.xw-body').replaceChildren();
    $('.xw-chips').replaceChildren();
    for (const button of Object.values(buttons)) button.disabled = true;
  }

  async function next() {
    if (!explained || busy) return;
    if (index < explained.steps.length - 1) {
      show(index + 1);
      return;
    }
    busy = true;
    try {
      await onNextIteration();
    } finally {
      busy = false;
    }
  }

  function setAuto(on) {
    clearInterval(autoTimer);
    autoTimer = on ? setInterval(() => next().catch(stopAuto), Number(pace.value)) : null;
    buttons.auto.setAttribute('aria-pressed', String(on));
    buttons.auto.textContent = on ? 'Stop auto-advance' : 'Auto-advance';
  }

  function stopAuto() {
    setAuto(false);
  }

  container.addEventListener('click', event => {
    const chip = event.target.closest('.xw-chip');
    if (chip && explained) {
      show(Number(chip.dataset.step));
      return;
    }
    const action = event.target.closest('[data-walk]')?.dataset.walk;
    if (action === 'previous' && index > 0) show(index - 1);
    if (action === 'next') next();
    if (action === 'finish') show(explained.steps.length - 1);
    if (action === 'auto') setAuto(autoTimer === null);
  }, {signal});
  pace.addEventListener('change', () => { if (autoTimer !== null) setAuto(true); }, {signal});
  signal.addEventListener('abort', stopAuto);

  return {load, wait, stopAuto, get index() { return index; }};
}
