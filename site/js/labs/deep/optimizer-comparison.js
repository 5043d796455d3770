// Optimisers side by side (the Deep lab's last section): runs from the same starting weights
// on the same data (nnsim.compare's ill-conditioned valley), their loss curves on one chart and
// their paths over the loss surface. The learner ticks which optimisers run (the example's
// choices, two or more). The bridge's `compare` computes all of it; this paints.
//
//   const comparison = createOptimizerComparison(section, {call});
//   await comparison.load()          the example's own runs
//   await comparison.load(labels)    the chosen ones

import {createLineChart} from '../../views/line-chart.js';
import {createContourPlot} from '../../views/contour-plot.js';
import {formatCount} from '../../views/format.js';

export function createOptimizerComparison(section, {call}) {
  const intro = section.appendChild(document.createElement('p'));
  intro.className = 'dc-text';
  intro.textContent = 'Computing the runs…';
  const picker = section.appendChild(document.createElement('fieldset'));
  picker.className = 'dc-choices';
  picker.innerHTML = '<legend>Run these optimisers</legend><div class="dc-boxes"></div><p class="dc-message" role="status"></p>';
  const message = picker.querySelector('.dc-message');
  picker.addEventListener('change', () => {
    const labels = [...picker.querySelectorAll('input:checked')].map(box => box.value);
    load(labels).catch(error => {
      message.textContent = `${error.message ?? error} The runs shown are unchanged.`;
    });
  });
  const figures = section.appendChild(document.createElement('div'));
  figures.className = 'dc-figures';
  const chart = createLineChart(figures, {title: 'Loss over steps (log scale)', xLabel: 'step', yLabel: 'loss', logY: true, height: 300});
  const plotHost = figures.appendChild(document.createElement('div'));
  plotHost.className = 'dc-surface';
  const summary = section.appendChild(document.createElement('ul'));
  summary.className = 'dc-summary';

  function showChoices(choices) {
    picker.querySelector('.dc-boxes').replaceChildren(...choices.map(choice => {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.name = 'compare_run';
      box.value = choice.label;
      box.checked = choice.chosen;
      label.append(box, ` ${choice.label} (η = ${choice.learning_rate_label})`);
      return label;
    }));
  }

  let asked = 0;   // the latest request: an earlier answer arriving late is not painted

  async function load(labels) {
    const request = ++asked;
    const answer = await call('compare', labels ? {runs: labels} : {});
    if (request !== asked) return;
    const {example, steps, runs, surface, labels: written} = answer;   // written: the simulator's text
    message.textContent = '';
    showChoices(example.choices);
    section.querySelector('h2').textContent = `Optimisers side by side: ${example.title}`;
    intro.textContent = example.text;
    chart.update(runs.map((run, k) => ({name: run.label, dash: k % 2 === 1, lastLabel: written.runs[k].loss,
                                        points: run.losses.map((loss, step) => [step, loss])})));
    plotHost.replaceChildren();
    const plot = createContourPlot(plotHost, {title: 'Their paths over the loss surface',
                                              xLabel: example.axis_labels[0], yLabel: example.axis_labels[1]});
    plot.update(surface, runs.map((run, k) => ({name: run.label, points: run.path, endLabels: written.runs[k].path_end})),
                written.surface);
    summary.replaceChildren(...runs.map((run, k) => {
      const item = document.createElement('li');
      item.dataset.run = run.label;
      item.dataset.loss = String(run.losses[run.losses.length - 1]);
      item.textContent = `${run.label}: loss ${written.runs[k].loss} after ${formatCount(steps)} steps`;
      return item;
    }));
  }

  return {load};
}
