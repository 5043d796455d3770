// Print and export for a lab that writes out one iteration (XOR walkthrough, Deep network): a
// group of buttons that prints the iteration (print-sheet.js), downloads it as Markdown with
// TeX or as a LaTeX file (written by Python: the bridge's worked_example, the same text as
// `python -m nnsim trace --format markdown`), and downloads the network figure as SVG or PNG.
//
//   createIterationExport(host, {lab, title, call, explained, figure, notice, signal})
//     explained()  -> {trace, conventions, steps} the lab shows now, or null (none yet)
//     figure()     -> the network view's <svg>
//     call         the lab's ctx.call; notice: ctx.notice

import {download, figurePng, figureSvg} from './figure-export.js';
import {loadFormulas} from './formula.js';
import {printIteration} from './print-sheet.js';

const TEMPLATE = `
  <h2 class="ie-title">Print and export</h2>
  <div class="cluster" role="group" aria-label="Print and export">
    <button type="button" data-export="print" disabled data-needs-python>Print this iteration</button>
    <button type="button" data-export="markdown" disabled data-needs-python>Worked example (Markdown)</button>
    <button type="button" data-export="latex" disabled data-needs-python>Worked example (LaTeX)</button>
    <button type="button" data-export="svg">Network figure (SVG)</button>
    <button type="button" data-export="png">Network figure (PNG)</button>
  </div>`;

export function createIterationExport(host, {lab, title, call, explained, figure, notice, signal}) {
  host.innerHTML = TEMPLATE;

  function shown() {
    const current = explained();
    if (!current) throw new Error('There is no iteration to write out yet: wait for the walkthrough or the formulas.');
    return current;
  }

  const actions = {
    async print() {
      const current = shown();
      await loadFormulas();
      printIteration({title: `${title}: iteration ${current.trace.iteration + 1}`, explained: current, figure: figure()});
    },
    async markdown() { await worked('markdown'); },
    async latex() { await worked('latex'); },
    svg() {
      download(`glassbox-${lab}-network.svg`, new Blob([figureSvg(figure())], {type: 'image/svg+xml'}));
    },
    async png() {
      download(`glassbox-${lab}-network.png`, await figurePng(figureSvg(figure())));
    },
  };

  async function worked(format) {
    const file = await call('worked_example', {format, trace: shown().trace});
    download(file.filename, new Blob([file.text], {type: `${file.media_type};charset=utf-8`}));
  }

  host.addEventListener('click', event => {
    const action = event.target.closest('[data-export]')?.dataset.export;
    if (action) Promise.resolve().then(actions[action]).catch(error => notice(error.message));
  }, {signal});
}
