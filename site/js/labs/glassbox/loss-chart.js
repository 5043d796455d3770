// Loss versus epoch, one curve per stretch of training with the same loss and activations.
// Switching the loss keeps the weights (the simulator's update()), so the old curve stays and a
// new one starts where it ended: a flat MSE curve and a falling cross-entropy curve side by side.
import { createLineChart } from "../../line-chart.js";

const LOSS_NAMES = { mse: "MSE", cross_entropy: "Cross-entropy" };

export function curveName({ loss, hidden_activation: hidden, output_activation: output }) {
  return `${LOSS_NAMES[loss] ?? loss} (hidden ${hidden}, output ${output})`;
}

export function createLossChart(container) {
  const chart = createLineChart(container, { title: "Loss versus epoch", xLabel: "Epoch", yLabel: "Average loss" });
  let curves = [];

  function draw() {
    chart.update(curves.map((c) => ({ name: c.name, points: c.points })));
    container.dataset.curves = JSON.stringify(curves.map((c) => ({ name: c.name, loss: c.loss, points: c.points })));
  }

  return {
    // A point from the simulator: the epoch's number and its average loss.
    add(settings, epoch, loss) {
      const key = curveName(settings);
      let curve = curves[curves.length - 1];
      if (!curve || curve.key !== key) {
        // Coming back to an earlier combination starts a second curve: say where it starts.
        const seen = curves.some((c) => c.key === key);
        curve = { key, name: seen ? `${key}, from epoch ${epoch}` : key, loss: settings.loss, points: [] };
        curves.push(curve);
      }
      curve.points.push([epoch, loss]);
      draw();
    },
    clear() {
      curves = [];
      draw();
    },
  };
}
