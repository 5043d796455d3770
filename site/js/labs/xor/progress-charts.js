// How training is going: the cost over iterations (a point is one example's cost, or the mean
// over a stride of iterations with a band from the lowest to the highest single cost, so a
// stuck example shows however long the run), the weights' mean magnitude over iterations with
// the reference's lesson on capacity, whether the network has converged, and a hint when the
// run is stuck. The sentences are the simulator's (state.messages), true for the network now.
//
//   const charts = createProgressCharts(container, {onNewWeights, signal});
//   charts.update(state)   state: the simulator's state()

import {createLineChart} from '../../views/line-chart.js';

const TEMPLATE = `
  <p class="xp-convergence" aria-live="polite"></p>
  <div class="xp-stuck notice" role="status" hidden>
    <p class="xp-stuck-text"></p>
    <button type="button" class="primary" data-action="stuck-new-weights">New random weights</button>
  </div>
  <div class="xp-charts">
    <figure class="xp-chart xp-cost"><figcaption class="xp-cost-caption"></figcaption></figure>
    <figure class="xp-chart xp-weights">
      <figcaption class="xp-capacity"></figcaption>
    </figure>
  </div>`;

export function createProgressCharts(container, {onNewWeights, signal}) {
  container.innerHTML = TEMPLATE;
  const $ = selector => container.querySelector(selector);
  const cost = createLineChart($('.xp-cost'), {title: 'Cost over iterations', xLabel: 'iteration', yLabel: 'cost E (log scale)', logY: true, height: 220});
  const weights = createLineChart($('.xp-weights'), {title: 'Mean weight magnitude |w|', xLabel: 'iteration', yLabel: 'mean |w|', height: 220});
  $('.xp-weights').prepend($('.xp-weights figcaption'));
  $('.xp-cost').prepend($('.xp-cost figcaption'));
  $('[data-action="stuck-new-weights"]').addEventListener('click', () => onNewWeights(), {signal});

  function update(state) {
    const norms = state.weight_norm_labels;   // the first and latest, as the simulator wrote them
    cost.update([{name: 'cost', points: state.loss_history, lastLabel: state.latest_loss_label, band: state.loss_spread}]);
    weights.update([{name: 'mean |w|', points: state.weight_norm_history, lastLabel: norms?.[1]}]);
    $('.xp-cost-caption').textContent = state.messages.cost_chart;
    $('.xp-convergence').textContent = state.messages.convergence;
    const stuck = state.messages.stuck;
    $('.xp-stuck').hidden = !stuck;
    $('.xp-stuck-text').textContent = stuck || '';
    const [first, last] = norms ?? ['–', '–'];
    $('.xp-capacity').textContent =
      `The weights start small (mean |w| ${first}), where the sigmoid is almost a straight line, so the network is no more capable than a linear one and cannot fit XOR. ` +
      `As training goes on the weights grow (now ${last}), the hidden neurons reach the curved part of the sigmoid, and the network gains the capacity to learn XOR.`;
  }

  return {update};
}
