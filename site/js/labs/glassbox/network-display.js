// The glass box's network: the shared network view with the lab's markers (saturated and dead
// neurons, flagged by the simulator), the selected parameter lit, and a line naming the marks.

import {createMarkers} from './markers.js';

export function createNetworkDisplay({view, figure, selection}) {
  const markers = createMarkers(view, figure);
  const flagsLine = figure.querySelector('.gb-flags');
  let notation = null;   // the simulator's names, with the states that carry the schema

  return {
    // The network with these parameters and activations (per layer; absent: not shown), each
    // with its text as the simulator wrote it (printed in the neurons and the tooltips).
    draw(state, {weights, weightLabels, biases, biasLabels, activations = null, activationLabels = null}) {
      notation = state.notation ?? notation;
      view.render({layers: state.config.layers, weights, weightLabels, biases, biasLabels, activations,
                   activationLabels, notation});
      markers.render(state.neuron_flags, notation);
      selection.highlight();
    },
    describeFlags(state) {
      flagsLine.textContent = state.neuron_flags?.summary ?? '';
    },
  };
}
