// The chain-rule panel: for one selected connection, dL/dw = delta * a and
// delta = (raw error) * slope with this connection's numbers from the simulator's batch trace.
// Nothing is computed here: every factor, product and sum is read from the trace.
import { num as tableNum, sampleText } from "./numbers.js";
import {
  activationSymbol, deltaSymbol, preactivationSymbol, weightSymbol, neuronName, sampleLabel,
  tex, formulaHtml,
} from "./notation.js";

// The panel prints every number to 6 significant digits: the reader checks the products.
const num = (value, options) => tableNum(value, { ...options, exact: true });

// How each activation's slope is written; the value itself comes from trace.slope.
const SLOPE_RULES = {
  sigmoid: "σ′(z) = a (1 − a)",
  tanh: "σ′(z) = 1 − a²",
  relu: "σ′(z) = 1 when z &gt; 0, else 0",
  leaky_relu: "σ′(z) = 1 when z &gt; 0, else the leak slope",
  linear: "σ′(z) = 1",
};

const OTHER_CONNECTION = "To see another connection, click it, or Tab into the network, move with the arrow keys, press C to step onto connections and Enter to choose.";

export function createChainRulePanel(container) {
  container.classList.add("gb-chain");
  container.setAttribute("aria-live", "polite");
  return {
    // selection: {l, j, i} in code indices; focus: sample index or "average";
    // taken: whether the trace is an epoch just taken or a preview of the next one.
    render({ trace, taken, selection, focus }) {
      if (!trace) {
        container.innerHTML = `<h3>Chain rule</h3><p class="gb-hint">The chain rule appears when the simulator's numbers arrive.</p>`;
        return;
      }
      container.innerHTML = (focus === "average"
        ? averageHtml(trace, selection)
        : sampleHtml(trace, selection, focus))
        + `<p class="gb-hint" data-role="epoch">${taken
          ? `Epoch ${trace.epoch + 1}, just taken.`
          : `Epoch ${trace.epoch + 1}, previewed: not taken yet.`} ${OTHER_CONNECTION}</p>`;
    },
  };
}

function headingHtml(trace, { l, j, i }, focus) {
  const from = neuronName(l, i, trace.layers);
  const to = neuronName(l + 1, j, trace.layers);
  const count = trace.examples.length;
  return `<h3>Chain rule for ${weightSymbol(l, j, i)} <span class="gb-sub">(${from} → ${to})</span></h3>
    <p class="gb-focus" data-focus="${focus}">${sampleLabel(focus, count)}${
      focus === "average" ? "" : `: ${sampleText(trace.examples[focus])}`}</p>`;
}

// One sample: the whole derivation with its factors.
function sampleHtml(trace, sel, n) {
  const ex = trace.examples[n];
  const { l, j, i } = sel;
  const outputLayer = l + 1 === trace.layers.length - 1;
  return `${headingHtml(trace, sel, n)}
    <div class="gb-eq" data-part="gradient">
      <p class="gb-eq-general">${formulaHtml(`\\dfrac{\\partial L}{\\partial ${tex.w(l, j, i)}} = ${tex.delta(l + 1, j)}\\, ${tex.a(l, i)}`)}</p>
      <p class="gb-eq-numbers">= ${num(ex.delta[l][j], { key: "delta", factor: true })} × ${num(ex.a[l][i], { key: "a", factor: true })}
        = ${num(ex.grad_weights[l][j][i], { key: "grad" })}</p>
    </div>
    ${outputLayer ? outputDeltaHtml(trace, ex, l, j) : hiddenDeltaHtml(trace, ex, l, j)}
    ${updateHtml(trace, sel, "This sample's gradient is one of the terms the epoch averages")}`;
}

// delta of an output neuron: chain rule, or the cross-entropy cancellation.
function outputDeltaHtml(trace, ex, l, j) {
  const d = deltaSymbol(l + 1, j);
  const aOut = activationSymbol(l + 1, j);
  const rawErrorFactors = `${aOut} − <var>y</var> = ${num(ex.a[l + 1][j], { key: "output" })} − ${num(ex.target[j], { key: "target", factor: true })}`;
  if (ex.output_delta_rule === "cross_entropy_cancel") {
    return `<div class="gb-eq gb-eq--cancel" data-part="delta" data-rule="cross_entropy_cancel">
      <p class="gb-eq-general">${formulaHtml(`${tex.delta(l + 1, j)} = \\dfrac{\\partial L}{\\partial ${tex.a(l + 1, j)}}\\, \\sigma'(${tex.z(l + 1, j)}) = \\dfrac{a - y}{a(1 - a)}\\, a(1 - a) = a - y`)}</p>
      <p class="gb-eq-numbers">= ${num(ex.raw_error[l][j], { key: "raw_error", factor: true })} × ${num(ex.slope[l][j], { key: "slope", factor: true })}
        = ${num(ex.delta[l][j], { key: "delta" })}</p>
      <p class="gb-cancel-note"><strong>Cross-entropy with a sigmoid output:</strong> the slope a (1 − a)
        cancels, so the delta is just the error:</p>
      <p class="gb-eq-numbers"><span class="gb-label" data-label="raw-error">Raw error (a − y)</span>:
        ${d} = ${rawErrorFactors} = ${num(ex.delta[l][j], { key: "delta" })}</p>
      <p class="gb-note">A saturated output (slope near 0) cannot silence the error here.</p>
    </div>`;
  }
  return `<div class="gb-eq" data-part="delta" data-rule="chain">
      <p class="gb-eq-general">${formulaHtml(`${tex.delta(l + 1, j)} = (${tex.a(l + 1, j)} - y)\\, \\sigma'(${tex.z(l + 1, j)})`)}</p>
      <p class="gb-eq-numbers"><span class="gb-label" data-label="raw-error">Raw error (a − y)</span>
        = ${rawErrorFactors} = ${num(ex.raw_error[l][j], { key: "raw_error" })}</p>
      ${slopeHtml(trace, ex, l, j)}
      <p class="gb-eq-numbers">${d} = ${num(ex.raw_error[l][j], { key: "raw_error", factor: true })} × ${num(ex.slope[l][j], { key: "slope", factor: true })}
        = ${num(ex.delta[l][j], { key: "delta" })}</p>
    </div>`;
}

// delta of a hidden neuron: the weighted sum of the next layer's deltas, each term written out.
function hiddenDeltaHtml(trace, ex, l, j) {
  const d = deltaSymbol(l + 1, j);
  const terms = ex.backprop_terms[l][j];
  const termsHtml = terms.map(([w, delta], k) =>
    `<span class="gb-term">${weightSymbol(l + 1, k, j)} ${deltaSymbol(l + 2, k)}
      = ${num(w, { key: "term_w", factor: true })} × ${num(delta, { key: "term_delta", factor: true })}</span>`,
  ).join(`<span class="gb-plus"> + </span>`);
  return `<div class="gb-eq" data-part="delta" data-rule="chain">
      <p class="gb-eq-general">${formulaHtml(`${tex.delta(l + 1, j)} = \\Big(\\sum_k w_{${j + 1}k}^{(${l + 3})}\\, \\delta_k^{(${l + 3})}\\Big)\\, \\sigma'(${tex.z(l + 1, j)})`)}</p>
      <p class="gb-eq-numbers"><span class="gb-label" data-label="backprop-sum">Backprop sum (Σ w · δ)</span>
        = ${termsHtml} = ${num(ex.raw_error[l][j], { key: "raw_error" })}</p>
      ${slopeHtml(trace, ex, l, j)}
      <p class="gb-eq-numbers">${d} = ${num(ex.raw_error[l][j], { key: "raw_error", factor: true })} × ${num(ex.slope[l][j], { key: "slope", factor: true })}
        = ${num(ex.delta[l][j], { key: "delta" })}</p>
    </div>`;
}

function slopeHtml(trace, ex, l, j) {
  const activation = trace.activations[l];
  const rule = SLOPE_RULES[activation] ?? "σ′(z)";
  return `<p class="gb-eq-numbers"><span class="gb-label" data-label="slope">Slope</span> (${activation}, ${rule})
      at ${preactivationSymbol(l + 1, j)} = ${num(ex.z[l][j], { key: "z" })}: σ′ = ${num(ex.slope[l][j], { key: "slope" })}</p>`;
}

// The average over samples: a compact table of every factor, then the averaged gradient.
function averageHtml(trace, sel) {
  const { l, j, i } = sel;
  const outputLayer = l + 1 === trace.layers.length - 1;
  const rawHeading = outputLayer ? "Raw error (a − y)" : "Backprop sum (Σ w · δ)";
  const label = outputLayer ? "raw-error" : "backprop-sum";
  const rows = trace.examples.map((ex, n) => `<tr data-sample="${n}">
      <th scope="row">${n + 1}: ${sampleText(ex)}</th>
      <td>${num(ex.raw_error[l][j], { key: "raw_error" })}</td>
      <td>${ex.output_delta_rule === "cross_entropy_cancel" && outputLayer ? "cancels" : num(ex.slope[l][j], { key: "slope" })}</td>
      <td>${num(ex.delta[l][j], { key: "delta" })}</td>
      <td>${num(ex.a[l][i], { key: "a" })}</td>
      <td>${num(ex.grad_weights[l][j][i], { key: "grad" })}</td></tr>`).join("");
  return `${headingHtml(trace, sel, "average")}
    <table class="gb-table gb-chain-table">
      <caption>Each sample's factors: ∂L/∂w = δ · a, δ = <span class="gb-label" data-label="${label}">${rawHeading}</span> · σ′(z)</caption>
      <thead><tr><th scope="col">Sample</th><th scope="col">${rawHeading}</th><th scope="col">σ′(z)</th>
        <th scope="col">${deltaSymbol(l + 1, j)}</th><th scope="col">${activationSymbol(l, i)}</th><th scope="col">δ · a</th></tr></thead>
      <tbody>${rows}</tbody>
    </table>
    ${updateHtml(trace, sel, "The epoch uses the average of the samples' gradients")}`;
}

// The weight update this epoch made with the averaged gradient.
function updateHtml(trace, { l, j, i }, lead) {
  const w = weightSymbol(l, j, i);
  return `<div class="gb-eq" data-part="update">
      <p>${lead}: ∂L/∂${w} (average) = ${num(trace.grad_weights[l][j][i], { key: "grad_average" })}.</p>
      <p class="gb-eq-numbers">${w} ← ${w} − η · ∂L/∂w = ${num(trace.weights_before[l][j][i], { key: "w_before" })}
        − ${num(trace.learning_rate, { key: "learning_rate" })} × ${num(trace.grad_weights[l][j][i], { key: "grad_average", factor: true })}
        = ${num(trace.weights_after[l][j][i], { key: "w_after" })}</p>
      ${trace.status === "diverged" ? `<p class="gb-warning">The update was refused: the numbers overflowed. Lower the learning rate and press Reset.</p>` : ""}
    </div>`;
}
