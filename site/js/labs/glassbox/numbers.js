// Numbers on the glass box's panels: formatted for reading, exact in data-value.
// Every value printed here was computed by the simulator; the data-value attribute keeps the
// full-precision number so a reader (or a test) can check the printed one against the trace.
import {formatNumber} from '../../views/format.js';

// Three decimals, except that values that would round to 0.000 keep their significant
// digits: a saturated neuron's slope of 0.00004 must not read as zero.
export function numberText(value) {
  return value !== 0 && Math.abs(value) < 0.0005
    ? formatNumber(value, 3, {exact: true})
    : formatNumber(value);
}

// A number as HTML; negative numbers get parentheses when they stand as a factor.
// exact: up to 6 significant digits, so a chain of factors can be checked by hand and an
// output of 0.99998 does not read as 1.000.
export function num(value, {key = '', factor = false, exact = false} = {}) {
  if (value === null || value === undefined) return `<span class="gb-num gb-num--missing">—</span>`;
  const text = exact ? formatNumber(value, 3, {exact: true}) : numberText(value);
  const shown = factor && value < 0 ? `(${text})` : text;
  const keyAttr = key ? ` data-key="${key}"` : '';
  return `<span class="gb-num"${keyAttr} data-value="${value}">${shown}</span>`;
}

function sampleParts(example) {
  const list = (values) => values.map((v) => formatNumber(v, 3, {exact: true})).join(', ');
  return {input: list(example.input), target: list(example.target)};
}

// A sample's input and target in words, e.g. "input (0, 1), target 1".
export function sampleText(example) {
  const {input, target} = sampleParts(example);
  return `input (${input}), target ${target}`;
}

// The same for table rows: "(0, 1) → 1".
export function sampleShort(example) {
  const {input, target} = sampleParts(example);
  return `(${input}) → ${target}`;
}
