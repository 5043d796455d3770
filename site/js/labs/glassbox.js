// Glass box lab (#glassbox): a 2-2-1 network whose every number is on show. Packets carry
// activations forward and deltas back, the chain-rule panel takes any connection apart, markers
// flag saturated and dead neurons, and a ready-made scenario shows a saturated output learning
// again once MSE is swapped for cross-entropy. Every number comes from the simulator (ctx.call).
import {createNetworkView} from '../views/network-view.js';
import {labModule} from '../shell/lab-module.js';
import {loadFormulas} from '../views/formula.js';
import {afterNextPaint} from '../shell/next-frame.js';
import {createControls} from './glassbox/controls.js';
import {createMarkers} from './glassbox/markers.js';
import {createPacketAnimator, passPhases, PHASE_MS} from './glassbox/packets.js';
import {createLossChart} from './glassbox/loss-chart.js';
import {createParameterEditor} from './glassbox/parameter-editor.js';
import {createChainRulePanel, sampleText, fillLoss, fillActivations, fillDeltas,
  fillParameters} from './glassbox/panels.js';
import {TEMPLATE} from './glassbox/layout.js';

const MIN_PHASE_MS = 120; // shorter than this, packets would flicker: update at once instead
const PANEL_INTERVAL_MS = 250; // while playing fast, tables are rewritten at most this often
const TRAIN_CHUNK_MS = 40;     // Train N: simulator time per chunk, between redraws and Pause checks
const PREVIEW_DELAY_MS = 80; // a pointer crossing the network does not ask for every connection

function createLab(shellRoot, ctx) {
  // Our own element inside the shell's: the shell reuses its root for every lab.
  const root = shellRoot.querySelector('.gb');
  const $ = selector => root.querySelector(selector);
  const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const {schema} = ctx.baked.state;
  const controls = createControls($('.gb-controls'), {schema, reducedMotion, onChange: applySettings});
  const form = controls.form;
  const view = createNetworkView($('.gb-network-view'));   // it names its layers itself
  const markers = createMarkers(view, $('.gb-network'));
  const packets = createPacketAnimator(view);
  const chainRule = createChainRulePanel($('.gb-chain-panel'));
  const chart = createLossChart($('.gb-chart'), {lossName: loss => choiceOf('loss', loss).short});
  const editor = createParameterEditor($('.gb-editor-slot'), {onSet: setParameter, limit: schema.limits.parameter});
  const panel = name => root.querySelector(`[data-panel="${name}"]`);

  let state = null; // the simulator's state()
  // The batch trace the panels show: the epoch just taken, or (taken: false) a preview of the
  // next one, which the simulator computes without taking it; with the simulator's panels for
  // it (nnsim.explain.panels: the chain rule of the selected parameter, loss lines, symbols).
  let shown = {trace: null, taken: false, panels: null};
  // The selected connection {kind, l, j, i} or neuron {kind, l, j} (the network view's items):
  // at first the connection from hidden neuron 1 to the output.
  let selection = {kind: 'connection', l: 1, j: 0, i: 0};   // pinned by a click
  let previewed = null;   // hovered or focused: its chain rule shows until the pointer leaves
  let playing = false;
  let busy = Promise.resolve();
  let pending = 0; // queued simulator tasks
  let panelsDrawnAt = 0;
  let playRuns = 0;
  let formulasLoaded = false; // the panels typeset formulas: start() draws them once KaTeX is in

  const caption = text => {
    $('.gb-caption').textContent = text;
  };
  // data-phase (idle, forward-0-start, ...) and data-epoch say where the lab is, for readers
  // of the DOM such as the end-to-end tests.
  const setPhase = name => {
    root.dataset.phase = name;
  };

  function drawNetwork(weights, biases, activations) {
    view.render({layers: state.config.layers, weights, biases, activations});
    markers.render(state.neuron_flags, state.config.layers);
    highlightSelection();
  }

  function highlightSelection() {
    const {kind, l, j, i} = previewed ?? selection;
    if (kind === 'connection') view.highlight({neurons: [[l, i], [l + 1, j]], connections: [[l, j, i]]});
    else view.highlight({neurons: [[l, j]], connections: []});
  }

  function describeFlags() {
    const flags = state.neuron_flags ?? {saturated: [], dead_relu: []};
    const words = [];
    if (flags.saturated.length) words.push(`${flags.saturated.length} saturated (lock: slope below 0.01)`);
    if (flags.dead_relu.length) words.push(`${flags.dead_relu.length} dead ReLU (off for every sample)`);
    $('.gb-flags').textContent = words.length
      ? `Marked neurons: ${words.join('; ')}. Hover or focus a marker for why.`
      : '';
  }

  // What the simulator's panels describe: the selected parameter (a connection's weight, a
  // neuron's bias; an input neuron has neither) and the followed sample.
  function panelRequest() {
    const {kind, l, j, i} = previewed ?? selection;
    const parameter = kind === 'connection' ? {kind: 'weight', index: [l, j, i]}
      : l === 0 ? null : {kind: 'bias', index: [l - 1, j]};
    return {parameter, focus: controls.focus()};
  }

  function renderPanels() {
    if (!formulasLoaded) return;
    panelsDrawnAt = performance.now();
    const focus = controls.focus();
    const {trace, taken, panels} = shown;
    chainRule.render({chain: panels?.chain, trace: panels && trace, taken, focus,
                      diverged: schema.messages.diverged});
    if (!trace || !panels) return;
    $('.gb-epoch-note').textContent = taken
      ? `The numbers below are epoch ${trace.epoch + 1}'s, just taken: its forward pass used the weights before its update.`
      : `The numbers below preview epoch ${trace.epoch + 1}, which has not been taken yet: press Step to take it.`;
    fillLoss(panel('loss'), panels, trace, focus);
    fillActivations(panel('a'), panels, trace, focus);
    fillDeltas(panel('delta'), panels, trace, focus);
    fillParameters(panel('w'), panels, trace);
  }

  // The sample the network view and the packets show: the followed one, or the first when the
  // panels show the average.
  function shownSample() {
    const focus = controls.focus();
    return focus === 'average' ? 0 : focus;
  }

  // The network as it is now: current weights, neuron values for the shown sample (from the
  // simulator's prediction for it, asked for here unless an answer brought it).
  async function showCurrentNetwork(prediction = null) {
    prediction ??= await ctx.call('predict', {input: shownInput()});
    editor.show(selection, state, previewed ? null : shown.panels?.chain);   // panels may be a preview's
    drawNetwork(state.weights, state.biases, prediction.a);
    describeFlags();
  }

  const shownInput = () => state.examples[shownSample()].input;

  // Packets replay the shown sample.
  async function animate(trace) {
    const sample = shownSample();
    const ex = trace.examples[sample];
    const phases = passPhases(trace, sample);
    const phaseMs = fitMs(phases.length);
    if (reducedMotion || phaseMs < MIN_PHASE_MS) return;
    renderPanels(); // the tables of the epoch the packets are replaying
    await packets.run(phases, {
      phaseMs,
      onPhase: (phase, moment) => {
        setPhase(`${phase.direction}-${phase.l}-${moment}`);
        if (moment === 'start') {
          caption(
            `Epoch ${trace.epoch + 1}, sample ${sample + 1} (${sampleText(ex)}): ${
              phase.direction === 'forward'
                ? `forward pass, activations a leave layer ${phase.l + 1}`
                : `backward pass, deltas δ leave layer ${phase.l + 2}`
            }.`,
          );
          if (phase.direction === 'forward' && phase.l === 0)
            drawNetwork(trace.weights_before, trace.biases_before, [ex.a[0]]);
        } else if (phase.direction === 'forward') {
          drawNetwork(trace.weights_before, trace.biases_before, ex.a.slice(0, phase.l + 2));
        }
      },
    });
  }

  // A phase lasts as the speed control says, squeezed while playing so an epoch fits its
  // share of a second; 0 when packets are off.
  function fitMs(phaseCount) {
    const speed = controls.speed();
    if (speed === 0) return 0;
    const budget = playing ? 800 / controls.epochsPerSecond() / phaseCount : Infinity;
    return Math.min(PHASE_MS / speed, budget);
  }

  // One epoch: the simulator takes it, the packets replay it, the view lands on the new state.
  async function runEpoch() {
    // One round trip: the epoch, the state after it, the panels and the shown sample's values.
    const answer = await ctx.call('step', {state: true, panels: panelRequest(), predict: shownInput()});
    const {trace} = answer;
    shown = {trace, taken: true, panels: answer.panels};
    await animate(trace);
    state = answer.state;
    // Epoch n's loss is the average over the samples in its forward pass (as the simulator's
    // loss_history counts it), so the first point is epoch 1.
    chart.add(state.settings, state.epoch, trace.loss);
    await showCurrentNetwork(answer.prediction);
    // While playing fast, the tables are rewritten a few times a second, not every epoch:
    // nobody reads them at 30 epochs a second, and rewriting them would halve the rate.
    if (!playing || performance.now() - panelsDrawnAt > PANEL_INTERVAL_MS) renderPanels();
    root.dataset.epoch = String(state.epoch);
    if (trace.status === 'diverged') pause();
    caption(
      trace.status === 'diverged'
        ? schema.messages.diverged
        : `After epoch ${state.epoch}: every weight moved by −η times its gradient averaged over the ${trace.examples.length} samples; the neurons show sample ${shownSample() + 1} with the new weights.`,
    );
  }

  // Serialises simulator calls: a click while an epoch runs waits for it instead of racing it.
  function queue(task) {
    pending += 1;
    setPhase('working');
    busy = busy
      .then(task)
      .catch(error => {
        pause();
        ctx.notice(String(error.message ?? error));
      })
      .finally(() => {
        pending -= 1;
        if (pending === 0) setPhase('idle');
      });
    return busy;
  }

  async function play() {
    playing = true;
    controls.setPlaying(true);
    // A Pause then Play while this loop sleeps starts a new loop; the old one must then end.
    const run = ++playRuns;
    while (playing && run === playRuns) {
      const started = performance.now();
      const interval = 1000 / controls.epochsPerSecond();
      // An epoch still waiting in the queue when Pause came is not taken.
      await queue(() => (playing && run === playRuns ? runEpoch() : undefined));
      const rest = interval - (performance.now() - started);
      if (rest > 0) await new Promise(resolve => setTimeout(resolve, rest));
    }
    if (run === playRuns) renderPanels(); // the last epoch's tables, whatever the throttle skipped
  }

  // Train N epochs without animation, in chunks of TRAIN_CHUNK_MS in the simulator: the lab
  // redraws after each, and Pause (the Play button meanwhile) stops before the next chunk.
  async function train(total) {
    pause();
    playing = true;
    controls.setPlaying(true);
    const run = ++playRuns;
    let done = 0;
    while (playing && run === playRuns && done < total) {
      const before = state.epoch;
      const result = await queue(() => (playing && run === playRuns
        ? ctx.call('train', {max_iterations: total - done, budget_ms: TRAIN_CHUNK_MS}) : null));
      if (!result) break;
      done += result.done;
      state = result.state;
      for (const [epoch, loss] of state.loss_history) if (epoch > before) chart.add(state.settings, epoch, loss);
      root.dataset.epoch = String(state.epoch);
      caption(`Training: epoch ${state.epoch.toLocaleString('en-US')}, ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} done.`);
      if (state.status === 'diverged' || result.done === 0) break;
    }
    if (run !== playRuns) return;   // a newer run or Play took over
    pause();
    await queue(() => refresh(state, {clearChart: false}));
    if (state.status === 'diverged') caption(schema.messages.diverged);
  }

  function pause() {
    playing = false;
    packets.cancel();
    controls.setPlaying(false);
  }

  // A weight or bias typed in: the simulator loads the network with it (and checks it).
  function setParameter(target, value) {
    pause();
    queue(async () => {
      const exported = await ctx.call('export', {});
      if (target.kind === 'connection') exported.weights[target.l][target.j][target.i] = value;
      else exported.biases[target.l - 1][target.j] = value;
      await refresh(await ctx.call('load', {exported}), {clearChart: false});
    });
  }

  // The lab for a state the simulator just gave (after open, update, reset or load): the next
  // epoch previewed, with its panels and the shown sample's values, in one round trip.
  async function refresh(next, {clearChart}) {
    if (clearChart) chart.clear();
    state = next;
    const answer = await ctx.call('preview', {panels: panelRequest(), predict: shownInput()});
    shown = {trace: answer.trace, taken: false, panels: answer.panels};
    form.show(state.settings);
    controls.setFocusOptions(state.examples, sampleText);
    $('.gb-scenario-note').textContent = choiceOf('scenario', state.settings.scenario).note ?? '';
    await showCurrentNetwork(answer.prediction);
    renderPanels();
    root.dataset.epoch = String(state.epoch);
    caption(`Epoch ${state.epoch + 1} is next: press Step to watch it, or Play to keep going.`);
  }

  // The schema's choice (its label, short name, note) for a setting's value.
  function choiceOf(name, value) {
    return form.spec(name).choices.find(choice => choice.value === value) ?? {};
  }

  async function applySettings(changes, {moved}) {
    pause();
    if (moved) ctx.notice(moved);
    await queue(async () => {
      let next;
      try {
        next = await ctx.call('update', {settings: changes});
      } catch (error) {
        // Refused: say why and show the settings still in force.
        ctx.notice(error.message);
        form.show(state.settings);
        return;
      }
      ctx.saveSettings(next.settings);
      await refresh(next, {clearChart: 'scenario' in changes || 'seed' in changes});
    });
  }

  // Wiring.
  const field = controls.field;
  field('play').addEventListener('click', () => (playing ? pause() : play()));
  field('step').addEventListener('click', () => {
    pause();
    queue(() => runEpoch());
  });
  field('reset').addEventListener('click', () => {
    pause();
    queue(async () => {
      await refresh(await ctx.call('reset', {}), {clearChart: true});
    });
  });
  for (const name of ['train_100', 'train_1000']) {
    field(name).addEventListener('click', () => train(Number(field(name).dataset.epochs)));
  }
  field('new_weights').addEventListener('click', () => {
    const {min, max} = form.spec('seed');
    applySettings({seed: min + Math.floor(Math.random() * (max - min + 1))}, {moved: ''});
  });
  // The panels of the trace on show, for the newly selected parameter or followed sample.
  async function explainAgain() {
    if (!shown.trace) return;
    shown = {...shown, panels: await ctx.call('panels', panelRequest())};
    renderPanels();
    if (state && !previewed) editor.show(selection, state, shown.panels.chain);   // the editor stays on the pinned one
  }
  field('focus').addEventListener('change', () => {
    queue(async () => {
      await explainAgain();
      await showCurrentNetwork(); // the neurons show the newly followed sample
    });
  });
  // Hover or focus previews a parameter's chain rule (as the reference does); a click pins it.
  let previewTimer = null;
  view.onPreview(item => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => {
      if (JSON.stringify(item) === JSON.stringify(previewed)) return;
      previewed = item && JSON.stringify(item) !== JSON.stringify(selection) ? item : null;
      highlightSelection();
      if (state) queue(explainAgain);
    }, PREVIEW_DELAY_MS);
  });
  view.onSelect(picked => {
    clearTimeout(previewTimer);
    previewed = null;
    selection = picked;
    highlightSelection();
    if (!state) return;
    // The editor takes the new parameter at once, so a value typed before the chain rule
    // arrives goes to the parameter that was clicked.
    editor.show(selection, state, null);
    queue(explainAgain);
  });

  return {
    async start() {
      // Drawn at once from the build's saved state: for the default settings it is the very
      // network Python will open, so show it only then.
      const {baked} = ctx;
      await afterNextPaint();   // the page laid out: drawing comes in a frame of its own
      if (Object.keys(ctx.settings).length === 0) {
        state = baked.state;
        shown = {trace: baked.trace, taken: false, panels: null};
        form.show(state.settings);
        controls.setFocusOptions(state.examples, sampleText);
        drawNetwork(state.weights, state.biases, null);
      }
      caption('Python is starting; the controls wake up when it is ready.');
      // The panels typeset, so they are drawn once KaTeX is in (in the frame after its
      // evaluation), whether Python is ready by then or not.
      const panelsDrawn = loadFormulas().then(afterNextPaint).then(() => {
        formulasLoaded = true;
        renderPanels();
      });
      await queue(async () => {
        await refresh(await ctx.whenReady, {clearChart: true});
      });
      await panelsDrawn;
    },
    stop() {
      pause();
    },
  };
}

export default labModule({template: `<div class="gb">${TEMPLATE}</div>`, createLab});
