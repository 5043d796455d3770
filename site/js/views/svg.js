// Tiny helpers for building SVG by hand (no framework): create an element with attributes,
// and set attributes only when they change, so views can redraw 30 times a second cheaply.

export const SVG_NS = 'http://www.w3.org/2000/svg';

// svgElement('line', {class: 'x', x1: 0}, parent) -> the new element, appended to parent if given.
export function svgElement(tag, attributes = {}, parent = null) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (parent) parent.appendChild(element);
  return element;
}

// Writes an attribute only if its text differs from the last value written through here:
// reading the DOM back would cost as much as writing it.
export function setAttributeIfChanged(element, name, value) {
  const text = String(value);
  const cache = element.__written || (element.__written = {});
  if (cache[name] === text) return;
  cache[name] = text;
  element.setAttribute(name, text);
}
