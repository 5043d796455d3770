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
import {createLabView} from './glassbox/lab-view.js';
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
  const panels = createEpochPanels(root, {diverged: schema.messages.diverged, signal: ctx.signal});
  const chart = createLossChart($('.gb-chart'), {lossName: loss => lab.choiceOf('loss', loss).short});
  const editor = createParameterEditor($('.gb-editor-slot'), {onSet: setParameter, limit: schema.limits.parameter});
  const queue = createTaskQueue(root, {onError: fail});

  const lab = createLabView(root, {ctx, controls, selection, network, panels, chart, editor});
  const animation = createEpochAnimation(view, {
    controls, reducedMotion, caption: lab.caption, setPhase: queue.setPhase,
    // The parameters before the epoch, its numbers as the panels write them.
    draw: (trace, written, activations, activationLabels) => network.draw(lab.state, {
      weights: trace.weights_before, weightLabels: written.weights_before, biases: trace.biases_before,
      biasLabels: written.biases_before, activations, activationLabels}),
    before: lab.renderPanels,   // the tables of the epoch the packets are replaying ({playing})
  });
  const training = createTraining(ctx, {lab, controls, chart, queue, animation, panels});

  // While a run goes on, panel requests go between its epochs rather than after the run.
  const whenFree = task => (!lab.state ? null : training.playing ? task().catch(fail) : queue.run(task));

  function fail(error) {
    training.pause();
    ctx.notice(String(error.message ?? error));
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
      await lab.refresh(next, {clearChart: 'scenario' in changes || 'seed' in changes});
    });
  }

  // A weight or bias typed in: the simulator loads the network with it (and checks it).
  function setParameter(target, value) {
    afterPause(async () => {
      const exported = await ctx.call('export', {});
      if (target.kind === 'connection') exported.weights[target.l][target.j][target.i] = value;
      else exported.biases[target.l - 1][target.j] = value;
      await lab.refresh(await ctx.call('load', {exported}));
    });
  }

  // The panels of the trace on show, for the newly selected parameter or followed sample.
  async function explainAgain() {
    if (!lab.shown.trace) return;
    const answer = await ctx.call('panels', lab.panelRequest());
    lab.shown = {...lab.shown, panels: answer};   // the trace as it is when the answer lands
    if (!selection.previewing) editor.show(selection.pinned, lab.state, answer.chain);   // the editor stays on the pinned one
    await lab.renderPanels();
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
      afterPause(async () => lab.refresh(await ctx.call('reset', {}), {clearChart: true}));
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
      await lab.showNetwork(); // the neurons show the newly followed sample
    }));
  }
  wire();

  return {
    async start() {
      // Drawn at once from the build's saved state: for the default settings it is the very
      // network Python will open, so show it only then.
      if (Object.keys(ctx.settings).length === 0) lab.showBaked(ctx.baked);
      lab.caption('Python is starting; the controls wake up when it is ready.');
      // The panels typeset, so they are drawn once KaTeX is in (asked for after the first
      // picture, drawn in the frame after its evaluation), whether Python is ready or not.
      const panelsDrawn = afterNextPaint().then(loadFormulas).then(afterNextPaint).then(() => {
        panels.ready();
        return lab.renderPanels();
      });
      // The lab is idle once its panels are drawn too: until then a selection has nowhere to
      // show its chain rule (KaTeX and its fonts may still be on their way).
      await queue.run(async () => {
        await lab.refresh(await ctx.whenReady, {clearChart: true});
        await panelsDrawn;
      });
    },
    stop: () => training.pause(),
  };
}

export default labModule({template: `<div class="gb">${TEMPLATE}</div>`, createLab});
