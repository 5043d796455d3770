// The view's address: `index.html?embed=1#deep?learning_rate=0.3&hidden=[4,4]`.
// The hash names the lab and carries its settings, so a copied link reproduces the view;
// `?embed=1` (before the hash) hides the site chrome for an iframe.
//
// Settings values travel as JSON when they are not plain words, so numbers, booleans and
// lists come back with their types. They are data only: nothing from the URL becomes HTML.

import {parseJson} from './json-depth.js';

/** Parse a location hash into {lab, settings}; lab is '' when the hash names none. */
export function parseHash(hash) {
  const [lab, query = ''] = hash.replace(/^#/, '').split(/\?(.*)/s);
  // fromEntries defines own properties, so a key like "__proto__" stays a plain key.
  const settings = Object.fromEntries(
    [...new URLSearchParams(query)].map(([key, raw]) => [key, parseValue(raw)]));
  return {lab: decodeLab(lab), settings};
}

function decodeLab(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';  // a broken escape (a truncated link) names no lab: the default lab opens
  }
}

function parseValue(raw) {
  // Not JSON, or nested beyond any setting: kept as the text it was (the simulator refuses it).
  const value = parseJson(raw);
  return value === undefined ? raw : value;
}

/** The hash for a lab and its settings (keys in a stable order, so links compare equal). */
export function formatHash(lab, settings = {}) {
  const params = new URLSearchParams();
  for (const key of Object.keys(settings).sort()) {
    params.set(key, formatValue(settings[key]));
  }
  const query = params.toString();
  return `#${lab}${query ? `?${query}` : ''}`;
}

function formatValue(value) {
  // A word stays readable; anything JSON would read differently (numbers, "true") is quoted.
  if (typeof value === 'string' && parseValue(value) === value) return value;
  return JSON.stringify(value);
}

/** Only the settings that differ from the defaults, so links stay short. */
export function changedSettings(settings, defaults = {}) {
  // fromEntries, not assignment: a key "__proto__" stays a key instead of replacing the
  // object's prototype (and vanishing from the settings).
  return Object.fromEntries(Object.entries(settings).filter(([key, value]) =>
    !Object.hasOwn(defaults, key) || JSON.stringify(value) !== JSON.stringify(defaults[key])));
}

export function isEmbedded(search) {
  return new URLSearchParams(search).get('embed') === '1';
}

/** In an embed the link's settings win over saved work, unless the teacher adds saved=1. */
export function followsLinkOnly(search) {
  return isEmbedded(search) && new URLSearchParams(search).get('saved') !== '1';
}
