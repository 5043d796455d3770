// How training is going: the cost over iterations (each point one example's cost, so SGD's
// fluctuations show), the weights' mean magnitude over iterations with the reference's lesson
// on capacity, and when the network converged.
//
//   const charts = createProgressCharts(container);
//   charts.update(state)   state: the simulator's state()

import {createLineChart} from '../../views/line-chart.js';
import {formatNumber} from '../../views/format.js';

const TEMPLATE = `
  <p class="xp-convergence" aria-live="polite"></p>
  <div class="xp-charts">
    <figure class="xp-chart xp-cost"><figcaption class="sr-only">Cost over iterations</figcaption></figure>
    <figure class="xp-chart xp-weights">
      <figcaption class="xp-capacity"></figcaption>
    </figure>
  </div>`;

export function createProgressCharts(container) {
  container.innerHTML = TEMPLATE;
  const $ = selector => container.querySelector(selector);
  const cost = createLineChart($('.xp-cost'), {title: 'Cost over iterations (one example each)', xLabel: 'iteration', yLabel: 'cost E (log scale)', logY: true, height: 220});
  const weights = createLineChart($('.xp-weights'), {title: 'Mean weight magnitude |w|', xLabel: 'iteration', yLabel: 'mean |w|', height: 220});
  $('.xp-weights').prepend($('.xp-weights figcaption'));

  function update(state) {
    cost.update([{name: 'cost', points: state.loss_history}]);
    weights.update([{name: 'mean |w|', points: state.weight_norm_history}]);
    const rate = state.settings.learning_rate;
    const done = formatNumber(state.iteration, 0);
    $('.xp-convergence').textContent = state.converged_at === null
      ? `Not converged yet after ${done} iteration${state.iteration === 1 ? '' : 's'} at learning rate ${rate} (converged means every output within 0.1 of its target). The reference page says it can take around 100,000.`
      : `Converged at iteration ${formatNumber(state.converged_at, 0)} with learning rate ${rate}: every output is within 0.1 of its target.`;
    const history = state.weight_norm_history;
    const first = history.length ? history[0][1] : null;
    const last = history.length ? history[history.length - 1][1] : null;
    $('.xp-capacity').textContent =
      `The weights start small (mean |w| ${formatNumber(first, 2)}), where the sigmoid is almost a straight line, so the network is no more capable than a linear one and cannot fit XOR. ` +
      `As training goes on the weights grow (now ${formatNumber(last, 2)}), the hidden neurons reach the curved part of the sigmoid, and the network gains the capacity to learn XOR.`;
  }

  return {update};
}
