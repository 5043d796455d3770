// Text written on a network view (weight values on connections, biases under neurons), placed
// from the view's own geometry and placed again when the view lays itself out anew.
//
//   const labels = createViewLabels(view, {className, signal});
//   labels.show(() => [{x, y, text, marked}])   the function is called again after a resize
//
// Labels are aria-hidden: the view's tooltips and the labs' tables carry the same numbers.

import {svgElement} from './svg.js';

export function createViewLabels(view, {className, signal}) {
  const group = svgElement('g', {class: className, 'aria-hidden': 'true'}, view.svg);
  let spotsOf = null;

  function show(spots) {
    spotsOf = spots;
    const placed = spots();
    while (group.children.length > placed.length) group.lastChild.remove();
    while (group.children.length < placed.length) svgElement('text', {'text-anchor': 'middle'}, group);
    placed.forEach(({x, y, text, marked = false}, k) => {
      const label = group.children[k];
      label.setAttribute('x', x.toFixed(1));
      label.setAttribute('y', y.toFixed(1));
      label.classList.toggle('marked', marked);
      label.textContent = text;
    });
  }

  window.addEventListener('resize', () => requestAnimationFrame(() => spotsOf && show(spotsOf)), {signal});
  return {show};
}
