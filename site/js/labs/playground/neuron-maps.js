// Every neuron's small heatmap, one row per layer: what the neuron gives at each spot of the
// plane (its activation a over the same grid as the output's). Painted from the simulator's
// numbers by heatmap-paint.js.
//
//   const maps = createNeuronMaps(host);
//   maps.show(decoded, names)   decoded heatmaps; names[l][j]: each neuron's name

import {paintNeuron} from './heatmap-paint.js';

export function createNeuronMaps(host) {
  host.innerHTML = `<h4>What each neuron responds to</h4>
    <p class="pg-note">Orange where the neuron's activation is positive, blue and hatched
      with diagonal lines where negative, white near 0 (as the classes 1 and 0).</p>
    <div class="pg-map-rows"></div>`;
  const rows = host.querySelector('.pg-map-rows');
  let shape = '';

  function build(names) {
    rows.replaceChildren();
    for (const [l, layer] of names.entries()) {
      const row = document.createElement('div');
      row.className = 'pg-map-row';
      row.dataset.layer = String(l);
      for (const name of layer) {
        const figure = document.createElement('figure');
        const canvas = document.createElement('canvas');
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', `${name}: its activation over the plane`);
        const caption = document.createElement('figcaption');
        caption.textContent = name;
        figure.append(canvas, caption);
        row.append(figure);
      }
      rows.append(row);
    }
  }

  return {
    show(decoded, names) {
      const key = JSON.stringify(names);
      if (key !== shape) {
        build(names);
        shape = key;
      }
      decoded.layers.forEach((layer, l) => {
        const canvases = rows.children[l].querySelectorAll('canvas');
        layer.forEach((values, j) => paintNeuron(canvases[j], values, decoded.size));
      });
    },
  };
}
