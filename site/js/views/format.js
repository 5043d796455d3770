// The only numbers JavaScript writes: counts and axis ticks. Every value the simulator computed
// or holds (a weight, a loss, an output, an accuracy, a rate) comes with its text, written in
// Python by the formulas' rule (the bridge's `*_label(s)` fields), and is printed as it came.
// Counts (iterations, epochs, steps, marked weights) are whole numbers with one exact writing;
// ticks are round positions on a drawn axis that the chart chose, not simulator values
// (docs/architecture.md, "Numbers on the page").
//
//   formatCount(1234567)          "1,234,567"   formatCount(null) "–"
//   formatTick(0.8, 1)            "0.8"          (evenly spaced ticks share their decimals)
//   formatTick(-2, 0)             "−2"           (a real minus sign, U+2212)
//   formatTick(0.00001)           "1e−5"         (a power of ten on a log axis: its short form)
//
// The number fields read "−" as a minus too (number-field.js), so a shown number can be typed
// back as it reads.

const MINUS = '\u2212';

export function formatCount(count) {
  if (count === null || count === undefined) return '–';
  return withSeparators(Math.round(count));
}

// 1234567 -> "1,234,567", as toLocaleString('en-US') writes it. Not toLocaleString itself: its
// first call loads the locale's data (15-50 ms) inside the frame that shows a lab's first
// counters (Digits, when Python is ready).
function withSeparators(whole) {
  const text = String(whole);
  if (/e/.test(text)) return whole.toLocaleString('en-US');   // 1e21 and up: digits String leaves out
  return text.replace(/\B(?=(\d{3})+$)/g, ',');
}

export function formatTick(value, decimals = null) {
  const text = decimals === null ? shortText(value) : value.toFixed(decimals);
  return Number(text) === 0 ? text.replace(/^-/, '') : text.replace(/-/g, MINUS);
}

// The shortest text that reads back as the tick: 0.001, 1e-5, 100000, 1e+6.
function shortText(value) {
  const size = Math.abs(value);
  const text = size !== 0 && (size >= 1e6 || size < 1e-4) ? value.toExponential() : String(value);
  return text.replace('e+', 'e');
}
