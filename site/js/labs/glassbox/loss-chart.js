// Loss versus epoch, one curve per stretch of training with the same loss and activations.
// Switching the loss keeps the weights (the simulator's update()), so the old curve stays and a
// new one starts where it ended: a flat MSE curve and a falling cross-entropy curve side by side.
import {createLineChart} from '../../views/line-chart.js';

// A curve continues while loss and activations stay the same.
function curveKey({loss, hidden_activation: hidden, output_activation: output}) {
  return `${loss}|${hidden}|${output}`;
}

// lossName(loss): the loss's name in the legend (from the lab's schema).
export function createLossChart(container, {lossName}) {
  // The panel's own heading names the chart, which leaves the chart's top row to the legend.
  const chart = createLineChart(container, {xLabel: 'Epoch', yLabel: 'Average loss'});
  let curves = [];

  function draw() {
    // MSE dashed, cross-entropy solid: the legend tells them apart without colour too.
    chart.update(curves.map(c => ({name: c.name, points: c.points, lastLabel: c.lastLabel, dash: c.loss === 'mse'})));
    container.dataset.curves = JSON.stringify(
      curves.map(c => ({name: c.name, loss: c.loss, points: c.points})),
    );
  }

  // The curve for these settings: the last one, or a new one starting at this epoch.
  function curveFor(settings, epoch) {
    const key = curveKey(settings);
    let curve = curves[curves.length - 1];
    if (!curve || curve.key !== key) {
      // A second curve of the same loss (other activations, or back again) says where it starts.
      const name = lossName(settings.loss) ?? settings.loss;
      const seen = curves.some(c => c.loss === settings.loss);
      curve = {key, name: seen ? `${name} from epoch ${epoch}` : name, loss: settings.loss, points: []};
      curves.push(curve);
    }
    return curve;
  }

  return {
    // A point from the simulator: an epoch's number and its average loss over the samples,
    // with the loss's text as the panels write it.
    add(settings, epoch, loss, label) {
      const curve = curveFor(settings, epoch);
      curve.points.push([epoch, loss]);
      curve.lastLabel = label;
      draw();
    },
    // The points of the simulator's loss_history ([[epoch, loss], ...]) after the last one
    // drawn; lastLabel: the text of the history's last loss.
    extend(settings, history, lastLabel) {
      const last = curves.at(-1)?.points.at(-1)?.[0] ?? -Infinity;
      const fresh = history.filter(([epoch]) => epoch > last);
      if (fresh.length === 0) return;
      const curve = curveFor(settings, fresh[0][0]);
      curve.points.push(...fresh);
      curve.lastLabel = lastLabel;
      draw();
    },
    clear() {
      curves = [];
      draw();
    },
  };
}
