// "Print this iteration": one whole iteration's steps laid out for paper (site/css/print.css:
// only the sheet is printed, a page per step, nothing clipped). The sheet is built when asked,
// from the simulator's explanation as the lab shows it, and removed after printing.
//
//   printIteration({title, explained, figure})   explained = {trace, conventions, steps};
//                                                 figure: the network's <svg> (copied)

import {renderConventions, renderStepBody} from './formula.js';
import {figureSvg} from './figure-export.js';

export function buildPrintSheet({title, explained, figure}) {
  document.querySelector('.print-sheet')?.remove();
  const sheet = document.createElement('article');
  sheet.className = 'print-sheet';
  const heading = document.createElement('h1');
  heading.textContent = title;
  const notation = document.createElement('section');
  notation.className = 'ps-notation';
  const notationTitle = document.createElement('h2');
  notationTitle.textContent = 'Notation';
  notation.append(notationTitle, renderConventions(explained.conventions));
  if (figure) {
    const picture = document.createElement('div');
    picture.className = 'ps-figure';
    picture.innerHTML = figureSvg(figure);   // serialised from our own view: no outside text
    notation.append(picture);
  }
  sheet.append(heading, notation);
  for (const step of explained.steps) {
    const section = document.createElement('section');
    section.className = 'ps-step';
    section.dataset.step = step.id;
    const stepTitle = document.createElement('h2');
    stepTitle.textContent = `Step ${step.number}. ${step.title}`;
    section.append(stepTitle, renderStepBody(step));
    sheet.append(section);
  }
  document.body.append(sheet);
  return sheet;
}

export function printIteration(options) {
  const sheet = buildPrintSheet(options);
  window.addEventListener('afterprint', () => sheet.remove(), {once: true});
  window.print();
}
