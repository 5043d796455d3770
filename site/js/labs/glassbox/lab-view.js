// What the glass box shows and how it lands on a new state: the simulator's state(), the epoch
// on show in the panels, the network for the followed sample, the caption and the epoch counter.
// The runs (training.js) and the lab's actions (glassbox.js) share it.
//
//   const lab = createLabView(root, {ctx, controls, selection, network, panels, chart, editor});
//   lab.state, lab.shown              read and written by the runs
//   await lab.refresh(state, {clearChart})   land on a state: the next epoch previewed

import {sampleText} from './panels.js';

export function createLabView(root, {ctx, controls, selection, network, panels, chart, editor}) {
  const $ = selector => root.querySelector(selector);
  const form = controls.form;

  const lab = {
    state: null,
    // The batch trace the panels show: the epoch just taken, or (taken: false) a preview of the
    // next one, which the simulator computes without taking it; with the simulator's panels for
    // it (nnsim.explain.panels: the chain rule of the selected parameter, loss lines, symbols).
    shown: {trace: null, taken: false, panels: null},
    caption: text => {
      $('.gb-caption').textContent = text;
    },
    // data-epoch says where the lab is, for readers of the DOM such as the end-to-end tests.
    showEpoch: epoch => {
      root.dataset.epoch = String(epoch);
    },
    // The sample the network view and the packets show: the followed one, or the first when
    // the panels show the average.
    shownSample: () => (controls.focus() === 'average' ? 0 : controls.focus()),
    shownInput: () => lab.state.examples[lab.shownSample()].input,
    panelRequest: () => ({parameter: selection.parameter(), focus: controls.focus()}),
    // One round trip per epoch: the epoch, the state after it, the panels and the shown
    // sample's values.
    stepArgs: () => ({state: true, panels: lab.panelRequest(), predict: lab.shownInput()}),
    // playing: more epochs follow at once (epoch-panels.js may leave a panel out of view for
    // later). Resolves once the panels are drawn.
    renderPanels: ({playing = false} = {}) => panels.render(lab.shown, controls.focus(), {playing}),
    // The schema's choice (its label, short name, note) for a setting's value.
    choiceOf: (name, value) => form.spec(name).choices.find(choice => choice.value === value) ?? {},

    // The network as it is now: current weights, neuron values for the shown sample (from the
    // simulator's prediction for it, asked for here unless an answer brought it).
    async showNetwork(prediction = null) {
      prediction ??= await ctx.call('predict', {input: lab.shownInput()});
      const {state, shown} = lab;
      editor.show(selection.pinned, state, selection.previewing ? null : shown.panels?.chain);   // panels may be a preview's
      network.draw(state, {weights: state.weights, weightLabels: state.weight_labels, biases: state.biases,
                           biasLabels: state.bias_labels, activations: prediction.a,
                           activationLabels: prediction.a_labels});
      network.describeFlags(state);
    },

    // The lab for a state the simulator just gave (after open, update, reset, load or a chunked
    // run): the next epoch previewed, with its panels and the shown sample's values, in one
    // round trip.
    async refresh(next, {clearChart = false} = {}) {
      if (clearChart) chart.clear();
      // The state's own history: a restored or imported state's epochs (none after a reset).
      chart.extend(next.settings, next.loss_history, next.latest_loss_label);
      lab.state = next;
      const answer = await ctx.call('preview', {panels: lab.panelRequest(), predict: lab.shownInput()});
      lab.shown = {trace: answer.trace, taken: false, panels: answer.panels};
      form.show(next.settings);
      controls.setFocusOptions(next.examples, ex => sampleText(ex.input_labels, ex.target_labels));
      $('.gb-scenario-note').textContent = lab.choiceOf('scenario', next.settings.scenario).note ?? '';
      await lab.showNetwork(answer.prediction);
      lab.showEpoch(next.epoch);
      lab.caption(`Epoch ${next.epoch + 1} is next: press Step to watch it, or Play to keep going.`);
      await lab.renderPanels();
    },

    // Before Python is ready: the build's state, drawn at once.
    showBaked({state, trace}) {
      lab.state = state;
      lab.shown = {trace, taken: false, panels: null};
      form.show(state.settings);
      controls.setFocusOptions(state.examples, ex => sampleText(ex.input_labels, ex.target_labels));
      network.draw(state, {weights: state.weights, weightLabels: state.weight_labels,
                           biases: state.biases, biasLabels: state.bias_labels});
    },
  };
  return lab;
}
