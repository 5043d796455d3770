// Numeric fields that never pass bad input on. Every number a student types (learning rate,
// inputs, targets, iteration counts) goes through readNumber before it reaches the simulator;
// a bad entry is put back to the last good value, and a message next to the field says why and
// what the field kept (aria-invalid + aria-describedby), so nothing is lost and a screen
// reader hears the reason.
//
//   readNumber(text, rules)            -> {value} or {error}     (pure; also for non-field text)
//   const field = attachNumberField(input, {label, min, max, integer, clamp, onCommit, message});
//   field.value       the last accepted number
//   field.set(v)      show a value without committing it (clears any message)
//   field.reject(msg) show a message (e.g. the simulator's complaint) and mark the field invalid
//   field.check()     validate now (e.g. before a button uses the value); returns the value or null
//
// rules: {label, min, max, integer, clamp, exclusiveMin}. Out-of-range numbers are rejected, or
// with `clamp` brought to the nearest bound and committed, with a message saying so.
// message: an element of the lab's layout to write messages into; without it one is made.

/** Check one number typed as text. Messages are plain text: show them with textContent. */
export function readNumber(text, {label = 'Value', min = -Infinity, max = Infinity,
                                  integer = false, clamp = false, exclusiveMin = false} = {}) {
  const trimmed = String(text ?? '').trim().replace(/^\u2212/, '-');   // "−" as shown on the page
  if (trimmed === '') return {error: `${label}: enter a number.`};
  const number = Number(trimmed);
  if (Number.isNaN(number)) return {error: `${label}: "${shorten(trimmed)}" is not a number.`};
  if (!Number.isFinite(number)) return {error: `${label}: ${tooLarge(max)}`};
  if (integer && !Number.isInteger(number)) return {error: `${label}: enter a whole number.`};
  const belowMin = exclusiveMin ? number <= min : number < min;
  if (!belowMin && number <= max) return {value: number};
  if (clamp && !(exclusiveMin && belowMin)) {
    const bound = belowMin ? min : max;
    return {value: bound, message: `${label}: ${number} is out of range, so ${bound} is used.`};
  }
  if (belowMin) {
    return {error: `${label}: must be ${exclusiveMin ? 'above' : 'at least'} ${min}.`};
  }
  return {error: `${label}: ${tooLarge(max)}`};
}

function tooLarge(max) {
  return Number.isFinite(max) ? `must be at most ${max}.` : 'that number is too large.';
}

/** The end of a refusal: what the field went back to. */
export function keptText(current) {
  return current === null ? '' : ` The field keeps ${current}.`;
}

function shorten(text) {
  return text.length > 24 ? `${text.slice(0, 24)}…` : text;
}

let count = 0;

/**
 * Validate an <input> on change and Enter. onCommit(value) runs only with an accepted value
 * that differs from the last one. A message element made here goes right after the input, or
 * after its <label> when the input sits inside one (a label holds phrasing content only).
 */
export function attachNumberField(input, {onCommit = () => {}, message = null, ...rules} = {}) {
  if (!message) {
    message = document.createElement('p');
    message.className = 'field-message';
    const label = input.closest('label');
    (label ?? input).after(message);
  }
  message.id ||= `${input.id || 'number-field'}-message-${++count}`;
  message.setAttribute('aria-live', 'polite');
  const describedBy = (input.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
  input.setAttribute('aria-describedby', [...describedBy, message.id].join(' '));

  let current = input.value === '' ? null : Number(input.value);

  function say(text, invalid = Boolean(text)) {
    message.textContent = text;
    if (invalid) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  function check() {
    // A number input holding text it cannot read reports '' and flags badInput.
    const text = input.validity?.badInput ? 'NaN' : input.value;
    const result = readNumber(text, rules);
    if (result.error) {
      // The field shows what the simulator still uses, and the message says so.
      say(result.error + keptText(current));
      if (current !== null) input.value = String(current);
      return;
    }
    // Checked again while it still shows the value a refusal put back (Enter, then the form's
    // submit checking before it uses the value): the refusal and its message stand.
    if (result.value === current && input.getAttribute('aria-invalid') === 'true') return;
    say(result.message ?? '', false);
    input.value = String(result.value);
    if (result.value === current) return;
    current = result.value;
    onCommit(result.value);
  }

  function checkNow() {
    check();
    return input.getAttribute('aria-invalid') === 'true' ? null : current;
  }

  input.addEventListener('change', check);
  input.addEventListener('keydown', event => { if (event.key === 'Enter') check(); });

  return {
    get value() { return current; },
    set(value) { current = value; input.value = String(value); say(''); },
    reject: text => say(text, true),
    check: checkNow,
  };
}
