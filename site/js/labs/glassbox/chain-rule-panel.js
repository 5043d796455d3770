// The chain-rule panel: for the selected parameter (a connection's weight, or a neuron's bias)
// dL/dw = delta * a (dL/db = delta), and delta = (raw error) * slope, with the numbers of the
// simulator's batch trace. Nothing is computed here: every factor, product and sum is read
// from the trace.
import {num as tableNum, sampleText, sampleShort} from './numbers.js';
import {
  activationSymbol,
  deltaSymbol,
  preactivationSymbol,
  weightSymbol,
  biasSymbol,
  neuronName,
  sampleLabel,
  tex,
  formulaHtml,
} from './notation.js';

// The panel prints every number to 6 significant digits: the reader checks the products.
const num = (value, options) => tableNum(value, {...options, exact: true});

// How each activation's slope is written; the value itself comes from trace.slope.
const SLOPE_RULES = {
  sigmoid: 'σ′(z) = a (1 − a)',
  tanh: 'σ′(z) = 1 − a²',
  relu: 'σ′(z) = 1 when z &gt; 0, else 0',
  leaky_relu: 'σ′(z) = 1 when z &gt; 0, else the leak slope',
  linear: 'σ′(z) = 1',
};

export const DIVERGED =
  'Training diverged: this update would have pushed a weight out of bounds, so the simulator refused it and kept the weights. Lower the learning rate and press Reset.';

const HOW_TO_SELECT =
  'To see another parameter, click a connection (its weight) or a neuron (its bias), or Tab into the network, move with the arrow keys, press C to step onto connections and Enter to choose.';

// What the panel needs to know about the selected parameter. selection:
// {kind: "connection", l, j, i} (weights[l][j][i]) or {kind: "neuron", l, j} (layer l >= 1).
// Both end in neuron j of layer l+1 (code l is the weight matrix's index), whose delta they use.
function parameterOf(selection, trace) {
  if (selection.kind === 'connection') {
    const {l, j, i} = selection;
    return {
      l,
      j,
      symbol: weightSymbol(l, j, i),
      tex: tex.w(l, j, i),
      title: `${neuronName(l, i, trace.layers)} → ${neuronName(l + 1, j, trace.layers)}`,
      factorTex: tex.a(l, i),
      factorSymbol: activationSymbol(l, i),
      factor: (ex) => num(ex.a[l][i], {key: 'a', factor: true}),
      grad: (t) => t.grad_weights[l][j][i],
      before: trace.weights_before[l][j][i],
      after: trace.weights_after[l][j][i],
      keys: ['w_before', 'w_after'],
    };
  }
  const l = selection.l - 1;
  const {j} = selection;
  return {
    l,
    j,
    symbol: biasSymbol(l, j),
    tex: tex.b(l, j),
    title: `bias of ${neuronName(l + 1, j, trace.layers)}`,
    factorTex: '1',
    factorSymbol: '1',
    factor: () => '1',
    grad: (t) => t.grad_biases[l][j],
    before: trace.biases_before[l][j],
    after: trace.biases_after[l][j],
    keys: ['b_before', 'b_after'],
  };
}

export function createChainRulePanel(container) {
  container.classList.add('gb-chain');
  container.setAttribute('aria-live', 'polite');
  const hint = (text) => {
    container.innerHTML = `<h3>Chain rule</h3><p class="gb-hint">${text}</p>`;
  };
  return {
    // focus: sample index or "average"; taken: whether the trace is an epoch just taken or a
    // preview of the next one.
    render({trace, taken, selection, focus}) {
      if (!trace) {
        hint("The chain rule appears when the simulator's numbers arrive.");
        return;
      }
      if (selection.kind === 'neuron' && selection.l === 0) {
        hint(`An input neuron only passes its value on: it has no bias and no delta. ${HOW_TO_SELECT}`);
        return;
      }
      const parameter = parameterOf(selection, trace);
      container.innerHTML =
        (focus === 'average' ? averageHtml(trace, parameter) : sampleHtml(trace, parameter, focus)) +
        `<p class="gb-hint" data-role="epoch">${
          taken
            ? `Epoch ${trace.epoch + 1}, just taken.`
            : `Epoch ${trace.epoch + 1}, previewed: not taken yet.`
        } ${HOW_TO_SELECT}</p>`;
    },
  };
}

function headingHtml(trace, parameter, focus) {
  const count = trace.examples.length;
  return `<h3>Chain rule for ${parameter.symbol} <span class="gb-sub">(${parameter.title})</span></h3>
    <p class="gb-focus" data-focus="${focus}">${sampleLabel(focus, count)}${
      focus === 'average' ? '' : `: ${sampleText(trace.examples[focus])}`
    }</p>`;
}

// One sample: the whole derivation with its factors.
function sampleHtml(trace, parameter, n) {
  const ex = trace.examples[n];
  const {l, j} = parameter;
  const outputLayer = l + 1 === trace.layers.length - 1;
  return `${headingHtml(trace, parameter, n)}
    <div class="gb-eq" data-part="gradient">
      <p class="gb-eq-general">${formulaHtml(`\\dfrac{\\partial L}{\\partial ${parameter.tex}} = ${tex.delta(l + 1, j)} \\cdot ${parameter.factorTex}`)}</p>
      <p class="gb-eq-numbers">= ${num(ex.delta[l][j], {key: 'delta', factor: true})} × ${parameter.factor(ex)}
        = ${num(parameter.grad(ex), {key: 'grad'})}</p>
    </div>
    ${outputLayer ? outputDeltaHtml(trace, ex, l, j) : hiddenDeltaHtml(trace, ex, l, j)}
    ${updateHtml(trace, parameter, "This sample's gradient is one of the terms the epoch averages")}`;
}

// delta of an output neuron: chain rule, or the cross-entropy cancellation.
function outputDeltaHtml(trace, ex, l, j) {
  const d = deltaSymbol(l + 1, j);
  const rawErrorFactors = `${activationSymbol(l + 1, j)} − <var>y</var> = ${num(ex.a[l + 1][j], {key: 'output'})} − ${num(ex.target[j], {key: 'target', factor: true})}`;
  if (ex.output_delta_rule === 'cross_entropy_cancel') {
    return `<div class="gb-eq gb-eq--cancel" data-part="delta" data-rule="cross_entropy_cancel">
      <p class="gb-eq-general">${formulaHtml(`${tex.delta(l + 1, j)} = \\dfrac{\\partial L}{\\partial ${tex.a(l + 1, j)}}\\, \\sigma'(${tex.z(l + 1, j)}) = \\dfrac{a - y}{a(1 - a)}\\, a(1 - a) = a - y`)}</p>
      <p class="gb-eq-numbers">= ${num(ex.raw_error[l][j], {key: 'raw_error', factor: true})} × ${num(ex.slope[l][j], {key: 'slope', factor: true})}
        = ${num(ex.delta[l][j], {key: 'delta'})}</p>
      <p class="gb-cancel-note"><strong>Cross-entropy with a sigmoid output:</strong> the slope a (1 − a)
        cancels, so the delta is just the error:</p>
      <p class="gb-eq-numbers"><span class="gb-label" data-label="raw-error">Raw error (a − y)</span>:
        ${d} = ${rawErrorFactors} = ${num(ex.delta[l][j], {key: 'delta'})}</p>
      <p class="gb-note">A saturated output (slope near 0) cannot silence the error here.</p>
    </div>`;
  }
  return `<div class="gb-eq" data-part="delta" data-rule="chain">
      <p class="gb-eq-general">${formulaHtml(`${tex.delta(l + 1, j)} = (${tex.a(l + 1, j)} - y)\\, \\sigma'(${tex.z(l + 1, j)})`)}</p>
      <p class="gb-eq-numbers"><span class="gb-label" data-label="raw-error">Raw error (a − y)</span>
        = ${rawErrorFactors} = ${num(ex.raw_error[l][j], {key: 'raw_error'})}</p>
      ${slopeHtml(trace, ex, l, j)}
      ${deltaProductHtml(ex, l, j)}
    </div>`;
}

// delta of a hidden neuron: the weighted sum of the next layer's deltas, each term written out.
function hiddenDeltaHtml(trace, ex, l, j) {
  const termsHtml = ex.backprop_terms[l][j]
    .map(
      ([w, delta], k) =>
        `<span class="gb-term">${weightSymbol(l + 1, k, j)} ${deltaSymbol(l + 2, k)}
      = ${num(w, {key: 'term_w', factor: true})} × ${num(delta, {key: 'term_delta', factor: true})}</span>`,
    )
    .join(`<span class="gb-plus"> + </span>`);
  return `<div class="gb-eq" data-part="delta" data-rule="chain">
      <p class="gb-eq-general">${formulaHtml(`${tex.delta(l + 1, j)} = \\Big(\\sum_k w_{${j + 1}k}^{(${l + 3})}\\, \\delta_k^{(${l + 3})}\\Big)\\, \\sigma'(${tex.z(l + 1, j)})`)}</p>
      <p class="gb-eq-numbers"><span class="gb-label" data-label="backprop-sum">Backprop sum (Σ w · δ)</span>
        = ${termsHtml} = ${num(ex.raw_error[l][j], {key: 'raw_error'})}</p>
      ${slopeHtml(trace, ex, l, j)}
      ${deltaProductHtml(ex, l, j)}
    </div>`;
}

function slopeHtml(trace, ex, l, j) {
  const activation = trace.activations[l];
  const rule = SLOPE_RULES[activation] ?? 'σ′(z)';
  return `<p class="gb-eq-numbers"><span class="gb-label" data-label="slope">Slope</span> (${activation}, ${rule})
      at ${preactivationSymbol(l + 1, j)} = ${num(ex.z[l][j], {key: 'z'})}: σ′ = ${num(ex.slope[l][j], {key: 'slope'})}</p>`;
}

function deltaProductHtml(ex, l, j) {
  return `<p class="gb-eq-numbers">${deltaSymbol(l + 1, j)} = ${num(ex.raw_error[l][j], {key: 'raw_error', factor: true})} × ${num(ex.slope[l][j], {key: 'slope', factor: true})}
        = ${num(ex.delta[l][j], {key: 'delta'})}</p>`;
}

// The average over samples: a compact table of every factor, then the averaged gradient.
function averageHtml(trace, parameter) {
  const {l, j} = parameter;
  const outputLayer = l + 1 === trace.layers.length - 1;
  const rawHeading = outputLayer ? 'Raw error (a − y)' : 'Backprop sum (Σ w · δ)';
  const label = outputLayer ? 'raw-error' : 'backprop-sum';
  const rows = trace.examples
    .map(
      (ex, n) => `<tr data-sample="${n}">
      <th scope="row">${n + 1}: ${sampleShort(ex)}</th>
      <td>${num(ex.raw_error[l][j], {key: 'raw_error'})}</td>
      <td>${ex.output_delta_rule === 'cross_entropy_cancel' && outputLayer ? 'cancels' : num(ex.slope[l][j], {key: 'slope'})}</td>
      <td>${num(ex.delta[l][j], {key: 'delta'})}</td>
      <td>${parameter.factor(ex)}</td>
      <td>${num(parameter.grad(ex), {key: 'grad'})}</td></tr>`,
    )
    .join('');
  return `${headingHtml(trace, parameter, 'average')}
    <table class="gb-table gb-chain-table">
      <caption>Each sample's factors: ∂L/∂${parameter.symbol} = δ · ${parameter.factorSymbol}, δ = <span class="gb-label" data-label="${label}">${rawHeading}</span> · σ′(z)</caption>
      <thead><tr><th scope="col">Sample</th><th scope="col">${rawHeading}</th><th scope="col">σ′(z)</th>
        <th scope="col">${deltaSymbol(l + 1, j)}</th><th scope="col">${parameter.factorSymbol}</th><th scope="col">∂L/∂${parameter.symbol}</th></tr></thead>
      <tbody>${rows}</tbody>
    </table>
    ${updateHtml(trace, parameter, "The epoch uses the average of the samples' gradients")}`;
}

// The update this epoch made with the averaged gradient.
function updateHtml(trace, parameter, lead) {
  const p = parameter.symbol;
  const [beforeKey, afterKey] = parameter.keys;
  return `<div class="gb-eq" data-part="update">
      <p>${lead}: ∂L/∂${p} (average) = ${num(parameter.grad(trace), {key: 'grad_average'})}.</p>
      <p class="gb-eq-numbers">${p} ← ${p} − η · ∂L/∂${p} = ${num(parameter.before, {key: beforeKey})}
        − ${num(trace.learning_rate, {key: 'learning_rate'})} × ${num(parameter.grad(trace), {key: 'grad_average', factor: true})}
        = ${num(parameter.after, {key: afterKey})}</p>
      ${trace.status === 'diverged' ? `<p class="gb-warning">${DIVERGED}</p>` : ''}
    </div>`;
}
