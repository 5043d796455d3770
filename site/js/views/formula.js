// Typesets the simulator's explanation steps (nnsim.explain) with KaTeX, vendored by build.py.
// Every formula and number arrives as TeX written in Python; this module only lays it out.
//
//   renderTex(tex, {display}) -> HTMLElement    one formula (KaTeX keeps the TeX in a MathML
//                                               annotation, which tests and screen readers read)
//   renderLine(line) -> HTMLElement             general = substituted = result, each part in
//                                               its own .fx-general / .fx-substituted / .fx-result
//   renderLines(lines) -> HTMLElement           a list of lines
//   updateLines(list, lines) -> boolean         that list shows these lines now, the parts
//                                               whose TeX is unchanged kept (false: new shape)
//   renderStepBody(step) -> DocumentFragment    the step's text and lines (no heading)
//   renderConventions(texList) -> HTMLElement   the notation the steps use
//
//   loadFormulas() -> Promise                   loads KaTeX; await it before the first of the
//                                               above (they throw until it has loaded)
//
// KaTeX is 600 KB of module whose evaluation would lengthen the frame of the lab's first draw,
// so it is imported only when a lab asks for it, after drawing its network.
//
// A substituted part identical to its result (an input, a bias) is left out: "x_1 = 1", not
// "x_1 = 1 = 1".

import {afterNextPaint} from '../shell/next-frame.js';

const STYLESHEETS = [new URL('../../vendor/katex/katex.min.css', import.meta.url).href,
                     new URL('../../css/formula.css', import.meta.url).href];
const WARM_UP_TEX = String.raw`\dfrac{\partial E}{\partial w_{11}^{(2)}} = \delta_{1}^{(3)} \cdot a_{1}^{(2)} = \sigma(z) (1 - \sigma(z)) = -0.0123`;
// The faces of KaTeX's fonts the simulator's formulas use. Loaded with its stylesheet, before
// the first formula: each face arriving after the formulas were laid out made the browser lay
// the whole page out again (the Glass box: three layouts of 2,700-4,200 boxes instead of one).
const FONTS = ['1em KaTeX_Main', 'bold 1em KaTeX_Main', 'italic 1em KaTeX_Math', '1em KaTeX_Size2'];
const CACHE_LIMIT = 4000;   // general formulas repeat every step: typeset each once
const cache = new Map();
let katex = null;
let loading = null;

export function loadFormulas() {
  if (!loading) {
    loading = Promise.all([import('../../vendor/katex/katex.mjs'), addStylesheets().then(loadFonts)])
      .then(([module]) => { katex = module.default; })
      .then(afterNextPaint)
      .then(warmUp);
    loading.catch(() => {});   // a lab may start loading early: a failure shows where awaited
  }
  return loading;
}

// KaTeX's first formulas run cold code, several times slower than later ones (for the XOR
// walkthrough's first step about 50 ms more): one formula typeset in a frame of its own as
// KaTeX loads keeps that out of the frame that shows a lab's first formulas.
function warmUp() {
  typeset(WARM_UP_TEX, true);
}

// Resolves once KaTeX's stylesheet and ours have loaded (or failed: formulas still show,
// unstyled), so the first formulas never flash without their fonts and spacing.
function addStylesheets() {
  return Promise.all(STYLESHEETS.map(href => new Promise(resolve => {
    const link = Object.assign(document.createElement('link'), {rel: 'stylesheet', href});
    link.addEventListener('load', resolve);
    link.addEventListener('error', resolve);
    document.head.append(link);
  })));
}

// A face that fails to load leaves its formulas in a fallback font, as before: never an error.
function loadFonts() {
  return Promise.all(FONTS.map(font => document.fonts.load(font).catch(() => [])));
}

function typeset(tex, display) {
  const key = `${display ? 'D' : 'I'}${tex}`;
  let html = cache.get(key);
  if (html === undefined) {
    if (!katex) throw new Error('formula.js: typesetting before loadFormulas() has finished');
    html = katex.renderToString(tex, {displayMode: display, throwOnError: false, output: 'htmlAndMathml'});
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value);
    cache.set(key, html);
  }
  return html;
}

const texShown = new WeakMap();   // a line's formula span -> the TeX it shows (updateLines)

export function renderTex(tex, {display = false, className = ''} = {}) {
  const span = document.createElement('span');
  span.className = `fx-tex ${className}`.trim();
  span.innerHTML = typeset(tex, display);   // KaTeX output of TeX written by the simulator
  texShown.set(span, tex);
  return span;
}

function equals() {
  const span = document.createElement('span');
  span.className = 'fx-eq';
  span.setAttribute('aria-hidden', 'true');
  span.textContent = '=';
  return span;
}

// Lines are typeset in display style (full-size fractions) but flow inline (formula.css).
export function renderLine(line) {
  const row = document.createElement('div');
  row.className = 'fx-line';
  row.append(renderTex(line.general, {display: true, className: 'fx-general'}));
  if (line.substituted !== line.result) {
    row.append(equals(), renderTex(line.substituted, {display: true, className: 'fx-substituted'}));
  }
  row.append(equals(), renderTex(line.result, {display: true, className: 'fx-result'}));
  return row;
}

export function renderLines(lines) {
  const list = document.createElement('div');
  list.className = 'fx-lines';
  for (const line of lines) list.append(renderLine(line));
  return list;
}

// The TeX of a line's parts, in the order renderLine lays them out.
const lineParts = line => (line.substituted !== line.result
  ? [line.general, line.substituted, line.result] : [line.general, line.result]);

// Brings a list that renderLines made up to date with `lines` in place: a part whose TeX is
// the same keeps its typeset elements, and only the others are typeset again. From one epoch
// to the next only the numbers change, and the general formulas are most of the elements (the
// glass box's chain rule: 889 of 1,244), which the browser then need not style and lay out
// again. Returns false, having changed nothing, when the lines differ in shape (another count
// of lines, or of parts in a line): then render them anew.
export function updateLines(list, lines) {
  const rows = [...list.children];
  if (rows.length !== lines.length) return false;
  const spans = rows.map(row => [...row.children].filter(child => texShown.has(child)));
  const wanted = lines.map(lineParts);
  if (spans.some((parts, k) => parts.length !== wanted[k].length)) return false;
  spans.forEach((parts, k) => parts.forEach((span, n) => {
    const tex = wanted[k][n];
    if (texShown.get(span) === tex) return;
    span.innerHTML = typeset(tex, true);
    texShown.set(span, tex);
  }));
  return true;
}

export function renderStepBody(step) {
  const fragment = document.createDocumentFragment();
  const text = document.createElement('p');
  text.className = 'fx-text';
  text.textContent = step.text;
  fragment.append(text, renderLines(step.lines));
  return fragment;
}

export function renderConventions(texList) {
  const list = document.createElement('ul');
  list.className = 'fx-conventions';
  for (const tex of texList) {
    const item = document.createElement('li');
    item.append(renderTex(tex));
    list.append(item);
  }
  return list;
}
