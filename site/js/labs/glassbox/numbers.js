// Numbers on the glass box's panels: formatted for reading, exact in data-value.
// Every value printed here was computed by the simulator; the data-value attribute keeps the
// full-precision number so a reader (or a test) can check the printed one against the trace.
import { formatNumber } from "../../format.js";

// A number as HTML; negative numbers get parentheses when they stand as a factor.
export function num(value, { key = "", factor = false } = {}) {
  if (value === null || value === undefined) return `<span class="gb-num gb-num--missing">—</span>`;
  const text = formatNumber(value);
  const shown = factor && value < 0 ? `(${text})` : text;
  const keyAttr = key ? ` data-key="${key}"` : "";
  return `<span class="gb-num"${keyAttr} data-value="${value}">${shown}</span>`;
}

// A sample's input and target in words, e.g. "input (0, 1), target 1".
export function sampleText(example) {
  const input = example.input.map((x) => formatNumber(x)).join(", ");
  const target = example.target.map((y) => formatNumber(y)).join(", ");
  return `input (${input}), target ${target}`;
}
