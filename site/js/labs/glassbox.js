// Glass box lab (#glassbox): a 2-2-1 network whose every number is on show. Packets carry
// activations forward and deltas back, the chain-rule panel takes any connection apart, markers
// flag saturated and dead neurons, and a ready-made scenario shows a saturated output learning
// again once MSE is swapped for cross-entropy. Every number comes from the simulator (ctx.call).
//
// Its parts (site/js/labs/glassbox/): controls, the selected parameter, the network with its
// markers, the epoch's panels, the packets, the runs on the shell's training loop, the task queue.
import {createNetworkView} from '../views/network-view.js';
import {labModule} from '../shell/lab-module.js';
import {loadFormulas} from '../views/formula.js';
import {afterNextPaint} from '../shell/next-frame.js';
import {createControls} from './glassbox/controls.js';
import {createSelection} from './glassbox/selection.js';
import {createNetworkDisplay} from './glassbox/network-display.js';
import {createEpochPanels} from './glassbox/epoch-panels.js';
import {createEpochAnimation} from './glassbox/epoch-animation.js';
import {createTraining} from './glassbox/training.js';
import {createTaskQueue} from './glassbox/task-queue.js';
import {createLossChart} from './glassbox/loss-chart.js';
import {createParameterEditor} from './glassbox/parameter-editor.js';
import {sampleText} from './glassbox/panels.js';
import {TEMPLATE} from './glassbox/layout.js';

function createLab(shellRoot, ctx) {
  // Our own element inside the shell's: the shell reuses its root for every lab.
  const root = shellRoot.querySelector('.gb');
  const $ = selector => root.querySelector(selector);
  const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const {schema} = ctx.baked.state;
  const controls = createControls($('.gb-controls'), {schema, reducedMotion, onChange: applySettings});
  const form = controls.form;
  const view = createNetworkView($('.gb-network-view'));   // it names its layers itself
  const selection = createSelection(view, {onPreview: () => whenFree(explainAgain), onPin: pinned});
  const network = createNetworkDisplay({view, figure: $('.gb-network'), selection});
  const panels = createEpochPanels(root, {diverged: schema.messages.diverged});
  const chart = createLossChart($('.gb-chart'), {lossName: loss => choiceOf('loss', loss).short});
  const editor = createParameterEditor($('.gb-editor-slot'), {onSet: setParameter, limit: schema.limits.parameter});
  const queue = createTaskQueue(root, {onError: fail});

  // What the lab shows, shared with its runs: the simulator's state(), and the batch trace the
  // panels show: the epoch just taken, or (taken: false) a preview of the next one, which the
  // simulator computes without taking it; with the simulator's panels for it
  // (nnsim.explain.panels: the chain rule of the selected parameter, loss lines, symbols).
  const lab = {
    state: null,
    shown: {trace: null, taken: false, panels: null},
    caption: text => {
      $('.gb-caption').textContent = text;
    },
    showEpoch: epoch => {
      root.dataset.epoch = String(epoch);
    },
    // The sample the network view and the packets show: the followed one, or the first when
    // the panels show the average.
    shownSample: () => (controls.focus() === 'average' ? 0 : controls.focus()),
    // One round trip per epoch: the epoch, the state after it, the panels and the shown
    // sample's values.
    stepArgs: () => ({state: true, panels: panelRequest(), predict: shownInput()}),
    renderPanels: () => panels.render(lab.shown, controls.focus()),
    showNetwork,
    refresh: state => refresh(state, {clearChart: false}),
  };
  const animation = createEpochAnimation(view, {
    controls, reducedMotion, caption: lab.caption, setPhase: queue.setPhase,
    draw: (weights, biases, activations) => network.draw(lab.state, weights, biases, activations),
    before: lab.renderPanels,   // the tables of the epoch the packets are replaying
  });
  const training = createTraining(ctx, {lab, controls, chart, queue, animation, panels});

  const shownInput = () => lab.state.examples[lab.shownSample()].input;
  const panelRequest = () => ({parameter: selection.parameter(), focus: controls.focus()});
  // While a run goes on, panel requests go between its epochs rather than after the run.
  const whenFree = task => (!lab.state ? null : training.playing ? task().catch(fail) : queue.run(task));

  function fail(error) {
    training.pause();
    ctx.notice(String(error.message ?? error));
  }

  // The network as it is now: current weights, neuron values for the shown sample (from the
  // simulator's prediction for it, asked for here unless an answer brought it).
  async function showNetwork(prediction = null) {
    prediction ??= await ctx.call('predict', {input: shownInput()});
    const {state, shown} = lab;
    editor.show(selection.pinned, state, selection.previewing ? null : shown.panels?.chain);   // panels may be a preview's
    network.draw(state, state.weights, state.biases, prediction.a);
    network.describeFlags(state);
  }

  // The lab for a state the simulator just gave (after open, update, reset, load or a chunked
  // run): the next epoch previewed, with its panels and the shown sample's values, in one
  // round trip.
  async function refresh(next, {clearChart}) {
    if (clearChart) chart.clear();
    lab.state = next;
    const answer = await ctx.call('preview', {panels: panelRequest(), predict: shownInput()});
    lab.shown = {trace: answer.trace, taken: false, panels: answer.panels};
    form.show(next.settings);
    controls.setFocusOptions(next.examples, sampleText);
    $('.gb-scenario-note').textContent = choiceOf('scenario', next.settings.scenario).note ?? '';
    await showNetwork(answer.prediction);
    lab.renderPanels();
    lab.showEpoch(next.epoch);
    lab.caption(`Epoch ${next.epoch + 1} is next: press Step to watch it, or Play to keep going.`);
  }

  // The schema's choice (its label, short name, note) for a setting's value.
  function choiceOf(name, value) {
    return form.spec(name).choices.find(choice => choice.value === value) ?? {};
  }

  // Simulator work that changes the network: any run stops first, then it waits its turn.
  async function afterPause(task) {
    await training.pause();
    return queue.run(task);
  }

  function applySettings(changes, {moved}) {
    if (moved) ctx.notice(moved);
    return afterPause(async () => {
      let next;
      try {
        next = await ctx.call('update', {settings: changes});
      } catch (error) {
        // Refused: say why and show the settings still in force.
        ctx.notice(error.message);
        form.show(lab.state.settings);
        return;
      }
      ctx.saveSettings(next.settings);
      await refresh(next, {clearChart: 'scenario' in changes || 'seed' in changes});
    });
  }

  // A weight or bias typed in: the simulator loads the network with it (and checks it).
  function setParameter(target, value) {
    afterPause(async () => {
      const exported = await ctx.call('export', {});
      if (target.kind === 'connection') exported.weights[target.l][target.j][target.i] = value;
      else exported.biases[target.l - 1][target.j] = value;
      await refresh(await ctx.call('load', {exported}), {clearChart: false});
    });
  }

  // The panels of the trace on show, for the newly selected parameter or followed sample.
  async function explainAgain() {
    if (!lab.shown.trace) return;
    const answer = await ctx.call('panels', panelRequest());
    lab.shown = {...lab.shown, panels: answer};   // the trace as it is when the answer lands
    lab.renderPanels();
    if (!selection.previewing) editor.show(selection.pinned, lab.state, answer.chain);   // the editor stays on the pinned one
  }

  function pinned(item) {
    if (!lab.state) return;
    // The editor takes the new parameter at once, so a value typed before the chain rule
    // arrives goes to the parameter that was clicked.
    editor.show(item, lab.state, null);
    whenFree(explainAgain);
  }

  function wire() {
    const field = controls.field;
    field('play').addEventListener('click', () => (training.playing ? training.pause() : training.play()));
    field('step').addEventListener('click', () => training.step());
    field('reset').addEventListener('click', () => {
      afterPause(async () => refresh(await ctx.call('reset', {}), {clearChart: true}));
    });
    for (const name of ['train_100', 'train_1000']) {
      field(name).addEventListener('click', () => training.train(Number(field(name).dataset.epochs)));
    }
    field('new_weights').addEventListener('click', () => {
      const {min, max} = form.spec('seed');
      applySettings({seed: min + Math.floor(Math.random() * (max - min + 1))}, {moved: ''});
    });
    field('focus').addEventListener('change', () => whenFree(async () => {
      await explainAgain();
      await showNetwork(); // the neurons show the newly followed sample
    }));
  }
  wire();

  return {
    async start() {
      // Drawn at once from the build's saved state: for the default settings it is the very
      // network Python will open, so show it only then.
      const {baked} = ctx;
      await afterNextPaint();   // the page laid out: drawing comes in a frame of its own
      if (Object.keys(ctx.settings).length === 0) {
        lab.state = baked.state;
        lab.shown = {trace: baked.trace, taken: false, panels: null};
        form.show(lab.state.settings);
        controls.setFocusOptions(lab.state.examples, sampleText);
        network.draw(lab.state, lab.state.weights, lab.state.biases, null);
      }
      lab.caption('Python is starting; the controls wake up when it is ready.');
      // The panels typeset, so they are drawn once KaTeX is in (in the frame after its
      // evaluation), whether Python is ready by then or not.
      const panelsDrawn = loadFormulas().then(afterNextPaint).then(() => {
        panels.ready();
        lab.renderPanels();
      });
      await queue.run(async () => refresh(await ctx.whenReady, {clearChart: true}));
      await panelsDrawn;
    },
    stop: () => training.pause(),
  };
}

export default labModule({template: `<div class="gb">${TEMPLATE}</div>`, createLab});
