// The glass box's panels, as the simulator writes them (nnsim.explain.panels): the chain rule of
// the selected parameter (for one sample or the average), the loss lines, and the tables of a,
// δ and the parameters, whose symbols come with them. This module lays them out: the formulas,
// the notation and every number are Python's.
//
//   const chain = createChainRulePanel(container);
//   chain.render({chain, trace, numbers, taken, focus})   chain: panels.chain, or null (an input
//                                                neuron); numbers: panels.numbers
//   lossHtml(panels, trace, focus) etc. fill the value panels.

import {renderLines, renderTex, updateLines} from '../../views/formula.js';

const HOW_TO_SELECT =
  'To see another parameter, click a connection (its weight) or a neuron (its bias), or Tab into the network, move with the arrow keys, press C to step onto connections and Enter to choose.';

// A sample's input and target in words, e.g. "input (0, 1), target 1", and for table rows
// "(0, 1) → 1", from the simulator's text of them: a state example's input_labels and
// target_labels, or the panels' numbers' input and target.
export const sampleText = (input, target) => `input (${input.join(', ')}), target ${target.join(', ')}`;
const sampleShort = ({input, target}) => `(${input.join(', ')}) → ${target.join(', ')}`;

// An element with text, never HTML from outside.
function element(tag, {className, text, data = {}} = {}) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  Object.assign(node.dataset, data);
  return node;
}

export function createChainRulePanel(container) {
  container.classList.add('gb-chain');
  container.setAttribute('aria-live', 'polite');
  let kept = null;   // the elements of the chain rule on show, and what shape it has
  const hint = text => {
    kept = null;
    container.replaceChildren(element('h3', {text: 'Chain rule'}), element('p', {className: 'gb-hint', text}));
  };

  // The same parameter, steps and status as on show: only the words and numbers change, so
  // the panel's elements stay and only the formulas whose TeX changed are typeset again.
  function update(key, {where, focus, steps, epochText}) {
    if (kept?.key !== key) return false;
    if (!steps.every((step, k) => updateLines(kept.steps[k].lines, step.lines))) return false;
    steps.forEach((step, k) => {
      kept.steps[k].text.textContent = step.text;
    });
    kept.where.textContent = where;
    kept.where.dataset.focus = focus;
    kept.epoch.textContent = epochText;
    return true;
  }

  return {
    // taken: whether the trace is an epoch just taken or a preview of the next one.
    // diverged: the schema's message, shown when the trace's update was refused.
    render({chain, trace, numbers, taken, focus, diverged}) {
      if (!trace) {
        hint("The chain rule appears when the simulator's numbers arrive.");
        return;
      }
      if (!chain) {
        hint(`An input neuron only passes its value on: it has no bias and no delta. ${HOW_TO_SELECT}`);
        return;
      }
      const count = trace.examples.length;
      const where = focus === 'average'
        ? `Average over the ${count} samples`
        : `Sample ${focus + 1} of ${count}: ${sampleText(numbers.examples[focus].input, numbers.examples[focus].target)}`;
      const epochText = `${taken ? `Epoch ${trace.epoch + 1}, just taken.` : `Epoch ${trace.epoch + 1}, previewed: not taken yet.`} ${HOW_TO_SELECT}`;
      const key = JSON.stringify([chain.symbol, chain.name, chain.steps.map(step => step.id), trace.status === 'diverged']);
      if (update(key, {where, focus, steps: chain.steps, epochText})) return;

      const heading = element('h3', {text: 'Chain rule for '});
      heading.append(renderTex(chain.symbol), ' ', element('span', {className: 'gb-sub', text: `(${chain.name})`}));
      const steps = chain.steps.map(step => ({
        text: element('p', {className: 'gb-step-text', text: step.text}),
        lines: renderLines(step.lines),
      }));
      const parts = chain.steps.map((step, k) => {
        const part = element('div', {className: 'gb-eq', data: {part: step.id}});
        part.append(steps[k].text, steps[k].lines);
        return part;
      });
      const whereNode = element('p', {className: 'gb-focus', text: where, data: {focus}});
      const epoch = element('p', {className: 'gb-hint', data: {role: 'epoch'}, text: epochText});
      container.replaceChildren(heading, whereNode, ...parts);
      if (trace.status === 'diverged') container.append(element('p', {className: 'gb-warning', text: diverged}));
      container.append(epoch);
      kept = {key, steps, where: whereNode, epoch};
    },
  };
}

// ------------------------------------------------------------------ value panels

// A number cell: the value as the simulator wrote it (panels.numbers: the digits its formulas
// write it with, and one rule for small numbers, 2.487 × 10⁻⁷), and the exact one in data-value
// for a reader (or a test) to check against the trace.
function cell(value, text, key, {focused = false} = {}) {
  const td = element('td', {className: focused ? 'gb-focused' : undefined});
  td.append(element('span', {className: 'gb-num', text: value === null ? '—' : text, data: {key, value: String(value)}}));
  return td;
}

function table(headings, rows) {
  const node = element('table', {className: 'gb-table'});
  const head = node.createTHead().insertRow();
  for (const text of headings) head.append(Object.assign(element('th', {text}), {scope: 'col'}));
  const body = node.createTBody();
  for (const row of rows) body.append(row);
  return node;
}

function symbolRow(tex, cells, data = {}) {
  const row = element('tr', {data});
  const th = Object.assign(element('th'), {scope: 'row'});
  th.append(renderTex(tex));
  row.append(th, ...cells);
  return row;
}

function sampleHeadings(trace) {
  return ['Neuron', ...trace.examples.map((_, n) => `Sample ${n + 1}`)];
}

function markFocus(node, focus) {
  if (focus === 'average') return node;
  const th = node.tHead.rows[0].cells[focus + 1];
  th.classList.add('gb-focused');
  th.setAttribute('aria-current', 'true');
  return node;
}

export function fillLoss(container, panels, trace, focus) {
  const last = trace.layers.length - 1;
  const rows = trace.examples.map((ex, n) => {
    const written = panels.numbers.examples[n];
    const row = element('tr', {className: focus === n ? 'gb-focused' : undefined, data: {sample: n}});
    row.append(Object.assign(element('th', {text: String(n + 1)}), {scope: 'row'}),
               element('td', {className: 'gb-left', text: sampleShort(written)}),
               cell(ex.a[last][0], written.a[last][0], 'output'), cell(ex.loss, written.loss, 'sample_loss'));
    return row;
  });
  container.replaceChildren(renderLines(panels.loss),
                            table(['#', 'Input → target', 'Output a', 'Cost E'], rows));
  container.querySelector('thead th:nth-child(2)').classList.add('gb-left');
}

export function fillActivations(container, panels, trace, focus) {
  const rows = trace.layers.flatMap((size, layer) => [...Array(size).keys()].map(j =>
    symbolRow(panels.symbols.a[layer][j],
              trace.examples.map((ex, n) => cell(ex.a[layer][j], panels.numbers.examples[n].a[layer][j], 'a',
                                                 {focused: focus === n})))));
  container.replaceChildren(markFocus(table(sampleHeadings(trace), rows), focus));
}

export function fillDeltas(container, panels, trace, focus) {
  const rows = trace.layers.slice(1).flatMap((size, l) => [...Array(size).keys()].map(j =>
    symbolRow(panels.symbols.delta[l][j],
              trace.examples.map((ex, n) => cell(ex.delta[l][j], panels.numbers.examples[n].delta[l][j], 'delta',
                                                 {focused: focus === n})))));
  container.replaceChildren(markFocus(table(sampleHeadings(trace), rows), focus));
}

// Every weight and bias: before the epoch, the averaged gradient, after the update.
export function fillParameters(container, panels, trace) {
  const rows = [];
  const written = panels.numbers;
  const cells = (kind, at, key) => ['before', 'after'].map(when => cell(at(trace[`${kind}_${when}`]),
    at(written[`${kind}_${when}`]), `${key}_${when}`));
  trace.weights_before.forEach((matrix, l) => matrix.forEach((row, j) => row.forEach((w, i) => {
    const at = values => values[l][j][i];
    const [before, after] = cells('weights', at, 'w');
    rows.push(symbolRow(panels.symbols.w[l][j][i], [
      before, cell(at(trace.grad_weights), at(written.grad_weights), 'grad_average'), after,
    ], {connection: `${l},${j},${i}`}));
  })));
  (trace.biases_before ?? []).forEach((vector, l) => vector.forEach((b, j) => {
    const at = values => values[l][j];
    const [before, after] = cells('biases', at, 'b');
    rows.push(symbolRow(panels.symbols.b[l][j], [
      before, cell(at(trace.grad_biases), at(written.grad_biases), 'grad_average'), after,
    ], {bias: `${l},${j}`}));
  }));
  container.replaceChildren(table(['Parameter', 'Before', '∂E/∂w (average)', 'After'], rows));
}
