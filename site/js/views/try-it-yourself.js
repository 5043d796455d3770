// Try it yourself: the results of the explanation steps hidden until the learner types them.
// A typed number is right when it lies within the line's `question.tolerance` of its `value`
// (both from Python: half a unit in the last digit the result is shown with); after two wrong
// tries the result is revealed. The score counts the results right first time this iteration.
// Hiding is a class on `root`, so switching the mode redraws nothing.
//
//   const quiz = createTryIt(root, {signal, figure})   figure: the lab's network, whose
//                               computed neuron values are hidden too while the mode is on
//   quiz.bar                    the labelled switch and the score, for the lab to place
//   quiz.start(steps)           a new iteration: its answers and score start afresh
//   quiz.decorate(body, step)   after renderStepBody(step) filled `body`: a labelled answer
//                               field on each of its lines that asks a question

const TRIES = 2;
let fields = 0;   // ids that tie each label to its field

// The number typed, or null: a real minus (−), comma thousands separators and a leading +
// are accepted, as is 1.234e-5.
export function parseTyped(text) {
  const plain = text.trim().replace(/\u2212/g, '-').replace(/,/g, '').replace(/^\+/, '');
  return /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(plain) ? Number(plain) : null;
}

export function createTryIt(root, {signal, figure}) {
  const bar = document.createElement('div');
  bar.className = 'try-bar cluster';
  bar.innerHTML = `
    <label class="try-switch"><input type="checkbox" data-try="mode">
      Try it yourself: type each result before it is shown</label>
    <p class="try-score" aria-live="polite" hidden></p>`;
  const mode = bar.querySelector('[data-try="mode"]');
  const score = bar.querySelector('.try-score');
  const answers = new WeakMap();   // step -> [{tries, outcome: 'right' | 'revealed'}] per line
  let steps = [];

  function statesOf(step) {
    if (!answers.has(step)) answers.set(step, step.lines.map(() => ({tries: 0, outcome: null})));
    return answers.get(step);
  }

  function showScore() {
    const asked = steps.flatMap(step => step.lines.map((line, k) => [line, statesOf(step)[k]]))
      .filter(([line]) => line.question);
    const done = asked.filter(([, state]) => state.outcome).length;
    const first = asked.filter(([, state]) => state.outcome === 'right' && state.tries === 0).length;
    score.textContent = `${first} of ${asked.length} right first time (${done} answered).`;
    score.hidden = !mode.checked;
  }

  function start(next) {
    steps = next;
    showScore();
  }

  function decorate(body, step) {
    const rows = body.querySelectorAll('.fx-line');
    step.lines.forEach((line, k) => {
      if (line.question && rows[k]) ask(rows[k], line, statesOf(step)[k], `Step ${step.number}, line ${k + 1}`);
    });
  }

  function ask(row, line, state, where) {
    const id = `try-field-${++fields}`;
    const form = document.createElement('form');
    form.className = 'try-ask';
    form.innerHTML = `<label for="${id}">Your answer</label> <input id="${id}" type="text"
      inputmode="decimal" autocomplete="off" spellcheck="false" size="10">
      <button type="submit">Check</button>`;
    const field = form.querySelector('input');
    field.setAttribute('aria-label', `${where}: your answer, ${line.question.answer_format}`);
    field.title = line.question.answer_format;
    const feedback = document.createElement('span');
    feedback.className = 'try-feedback';
    feedback.setAttribute('aria-live', 'polite');
    row.append(form, feedback);
    row.classList.toggle('try-open', !state.outcome);

    form.addEventListener('submit', event => {
      event.preventDefault();
      const typed = parseTyped(field.value);
      if (typed === null) {
        feedback.textContent = `Type a number, ${line.question.answer_format}.`;
        return;
      }
      if (Math.abs(typed - line.value) <= line.question.tolerance) {
        state.outcome = 'right';
        feedback.textContent = state.tries === 0 ? 'Right first time.' : 'Right.';
      } else if (++state.tries < TRIES) {
        feedback.textContent = `Not quite: try again (${line.question.answer_format}).`;
        field.select();
      } else {
        state.outcome = 'revealed';
        feedback.textContent = `Not quite: the result is shown. You typed ${field.value.trim()}.`;
      }
      if (state.outcome) {
        row.classList.remove('try-open');
        root.querySelector('.try-open input')?.focus();
      }
      showScore();
    }, {signal});
  }

  mode.addEventListener('change', () => {
    root.classList.toggle('try-on', mode.checked);
    figure?.classList.toggle('try-on', mode.checked);
    showScore();
  }, {signal});

  return {bar, start, decorate};
}
