// Number formatting for display, shared by every view and lab so a number looks the same
// wherever it appears.
//
//   formatNumber(value, decimals = 3, {signed = false, exact = false} = {}) -> string
//
//   formatNumber(0.73105)           "0.731"
//   formatNumber(-0.25)             "−0.250"    (a real minus sign, U+2212)
//   formatNumber(-0.0001)           "0.000"     (never "−0.000": a rounded zero has no sign)
//   formatNumber(0.5, 2, {signed})  "+0.50"     (signed: "+" before positive values)
//   formatNumber(1234567.8)         "1.23e+6"   (huge non-integers switch to exponent form)
//   formatNumber(1234567, 0)        "1,234,567" (counts get thousands separators)
//   formatNumber(0.731058, 3, {exact: true})   "0.731058" (up to 6 significant digits, for
//                                   tooltips; tiny or huge values in exponent form)
//   formatNumber(NaN) "NaN", formatNumber(-Infinity) "−∞", formatNumber(null) "–"
//
// The number fields read "−" as a minus too (number-field.js), so a shown number can be typed
// back as it reads.

const EXACT_DIGITS = 6;

export function formatNumber(value, decimals = 3, {signed = false, exact = false} = {}) {
  if (value === null || value === undefined) return '–';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? (signed ? '+∞' : '∞') : MINUS + '∞';
  const text = exact ? exactText(value) : fixedText(value, decimals);
  const isZero = Number(text.replace(/,/g, '')) === 0;
  if (isZero) return text.replace(/^-/, '');
  return signed && value > 0 ? `+${text}` : text.replace(/-/g, MINUS);
}

const MINUS = '\u2212';

function fixedText(value, decimals) {
  if (decimals > 0 && Math.abs(value) >= 1e6) return value.toExponential(Math.max(1, decimals - 1));
  if (decimals === 0) return withSeparators(Math.round(value));
  return value.toFixed(decimals);
}

// 1234567 -> "1,234,567", as toLocaleString('en-US') writes it. Not toLocaleString itself: its
// first call loads the locale's data, 50 ms inside the frame that shows a lab's first counters
// (Digits, when Python is ready).
function withSeparators(whole) {
  const text = String(whole);
  if (/e/.test(text)) return whole.toLocaleString('en-US');   // 1e21 and up: digits String leaves out
  return text.replace(/\B(?=(\d{3})+$)/g, ',');
}

function exactText(value) {
  const size = Math.abs(value);
  if (size !== 0 && (size >= 1e6 || size < 1e-4)) return trimZeros(value.toExponential(EXACT_DIGITS - 1));
  return trimZeros(value.toPrecision(EXACT_DIGITS));
}

// "0.500000" -> "0.5", "2.00000e-5" -> "2e-5", "120.000" -> "120"
function trimZeros(text) {
  return text.replace(/(\.\d*?)0+(?=e|$)/, '$1').replace(/\.(?=e|$)/, '');
}
