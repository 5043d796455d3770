// The glass box's number panels: the loss (average and each sample's term), the activations a,
// the deltas and the weights of the last epoch. All values are the simulator's batch trace.
import {num, sampleText, sampleShort} from './numbers.js';
import {activationSymbol, deltaSymbol, weightSymbol, biasSymbol, formulaHtml} from './notation.js';

const LOSS_FORMULAS = {
  mse: String.raw`L_n = \tfrac{1}{2}(a - y)^2`,
  cross_entropy: String.raw`L_n = -\big[y \ln a + (1 - y)\ln(1 - a)\big]`,
};

// Columns: one per sample, the focused one marked (aria-current and a bold outline).
function sampleHeader(examples, focus) {
  return examples
    .map(
      (ex, n) => `<th scope="col" ${focus === n ? 'aria-current="true" class="gb-focused"' : ''}
      title="${sampleText(ex)}">Sample ${n + 1}</th>`,
    )
    .join('');
}

function perSampleCells(values, focus, key) {
  return values
    .map((v, n) => `<td ${focus === n ? 'class="gb-focused"' : ''}>${num(v, {key})}</td>`)
    .join('');
}

export function lossHtml(trace, focus) {
  const last = trace.layers.length - 1;
  const rows = trace.examples
    .map(
      (ex, n) => `<tr data-sample="${n}" ${focus === n ? 'class="gb-focused"' : ''}>
      <th scope="row">${n + 1}</th><td class="gb-left">${sampleShort(ex)}</td>
      <td>${num(ex.a[last][0], {key: 'output', exact: true})}</td><td>${num(ex.loss, {key: 'sample_loss'})}</td></tr>`,
    )
    .join('');
  const terms = trace.examples.map((ex) => num(ex.loss, {key: 'term'})).join(' + ');
  const average = String.raw`L = \tfrac{1}{${trace.examples.length}} \sum_n L_n`;
  return `<p class="gb-eq-general">${formulaHtml(LOSS_FORMULAS[trace.loss_name] ?? '')}; &nbsp; ${formulaHtml(average)}</p>
    <p class="gb-eq-numbers" data-part="average">L = (1/${trace.examples.length}) (${terms}) = <strong>${num(trace.loss, {key: 'average_loss'})}</strong></p>
    <table class="gb-table">
      <thead><tr><th scope="col">#</th><th scope="col" class="gb-left">Input → target</th><th scope="col">Output a</th><th scope="col">Term L<sub>n</sub></th></tr></thead>
      <tbody>${rows}</tbody>
    </table>`;
}

// Activations (a) of every neuron for every sample, with z and slope in the tooltip row.
export function activationsHtml(trace, focus) {
  const rows = [];
  trace.layers.forEach((size, layer) => {
    for (let j = 0; j < size; j += 1) {
      const values = trace.examples.map((ex) => ex.a[layer][j]);
      rows.push(
        `<tr><th scope="row">${activationSymbol(layer, j)}</th>${perSampleCells(values, focus, 'a')}</tr>`,
      );
    }
  });
  return `<table class="gb-table"><thead><tr><th scope="col">Neuron</th>${sampleHeader(trace.examples, focus)}</tr></thead>
    <tbody>${rows.join('')}</tbody></table>`;
}

export function deltasHtml(trace, focus) {
  const rows = [];
  trace.layers.slice(1).forEach((size, l) => {
    for (let j = 0; j < size; j += 1) {
      const values = trace.examples.map((ex) => ex.delta[l][j]);
      rows.push(
        `<tr><th scope="row">${deltaSymbol(l + 1, j)}</th>${perSampleCells(values, focus, 'delta')}</tr>`,
      );
    }
  });
  return `<table class="gb-table"><thead><tr><th scope="col">Neuron</th>${sampleHeader(trace.examples, focus)}</tr></thead>
    <tbody>${rows.join('')}</tbody></table>`;
}

// Every weight and bias: before the epoch, the averaged gradient, after the update.
export function weightsHtml(trace) {
  const rows = [];
  trace.weights_before.forEach((matrix, l) =>
    matrix.forEach((row, j) =>
      row.forEach((w, i) => {
        rows.push(`<tr data-connection="${l},${j},${i}"><th scope="row">${weightSymbol(l, j, i)}</th>
      <td>${num(w, {key: 'w_before', exact: true})}</td><td>${num(trace.grad_weights[l][j][i], {key: 'grad_average'})}</td>
      <td>${num(trace.weights_after[l][j][i], {key: 'w_after', exact: true})}</td></tr>`);
      }),
    ),
  );
  (trace.biases_before ?? []).forEach((vector, l) =>
    vector.forEach((b, j) => {
      rows.push(`<tr data-bias="${l},${j}"><th scope="row">${biasSymbol(l, j)}</th>
      <td>${num(b, {key: 'b_before', exact: true})}</td><td>${num(trace.grad_biases[l][j], {key: 'grad_average'})}</td>
      <td>${num(trace.biases_after[l][j], {key: 'b_after', exact: true})}</td></tr>`);
    }),
  );
  return `<table class="gb-table"><thead><tr><th scope="col">Parameter</th><th scope="col">Before</th>
      <th scope="col">∂L/∂w (average)</th><th scope="col">After</th></tr></thead>
    <tbody>${rows.join('')}</tbody></table>`;
}
