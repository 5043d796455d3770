// Glass box lab (#glassbox): a 2-2-1 network whose every number is on show. Packets carry
// activations forward and deltas back, the chain-rule panel takes any connection apart, markers
// flag saturated and dead neurons, and a ready-made scenario shows a saturated output learning
// again once MSE is swapped for cross-entropy. Every number comes from the simulator (ctx.call).
import { createNetworkView } from "../network-view.js";
import { createControls } from "./glassbox/controls.js";
import { createChainRulePanel } from "./glassbox/chain-rule-panel.js";
import { createMarkers } from "./glassbox/markers.js";
import { createPacketAnimator, passPhases } from "./glassbox/packets.js";
import { createLossChart } from "./glassbox/loss-chart.js";
import { lossHtml, activationsHtml, deltasHtml, weightsHtml } from "./glassbox/value-panels.js";
import { sampleText } from "./glassbox/numbers.js";

const TEMPLATE = `
  <header class="gb-intro">
    <h2>Glass box: backpropagation in a 2-2-1 network</h2>
    <p>Press <strong>Step</strong> to run one epoch over all training samples: packets carry each
      activation forward, then each delta back. Select any connection to see its chain rule with
      this epoch's numbers.</p>
  </header>
  <div class="gb-controls"></div>
  <div class="gb-main">
    <figure class="gb-network">
      <div class="gb-network-view"></div>
      <figcaption class="gb-caption" aria-live="polite"></figcaption>
      <p class="gb-flags" aria-live="polite"></p>
    </figure>
    <section class="gb-chain-panel" aria-label="Chain rule"></section>
  </div>
  <div class="gb-panels">
    <section class="gb-panel" aria-labelledby="gb-loss-title"><h3 id="gb-loss-title">Loss</h3><div data-panel="loss"></div></section>
    <section class="gb-panel gb-chart" aria-labelledby="gb-chart-title"><h3 id="gb-chart-title">Loss versus epoch</h3></section>
    <section class="gb-panel" aria-labelledby="gb-a-title"><h3 id="gb-a-title">Activations (a)</h3><div data-panel="a"></div></section>
    <section class="gb-panel" aria-labelledby="gb-d-title"><h3 id="gb-d-title">Deltas (δ)</h3><div data-panel="delta"></div></section>
    <section class="gb-panel gb-panel--wide" aria-labelledby="gb-w-title"><h3 id="gb-w-title">Weights (w)</h3><div data-panel="w"></div></section>
  </div>`;

const WAITING = "Press Step to run the first epoch.";

function createLab(root, ctx) {
  root.classList.add("gb");
  root.innerHTML = TEMPLATE;
  const $ = (selector) => root.querySelector(selector);
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const controls = createControls($(".gb-controls"), { reducedMotion });
  const view = createNetworkView($(".gb-network-view"), { label: "Glass box network, 2 inputs, 2 hidden neurons, 1 output" });
  const markers = createMarkers(view, $(".gb-network"));
  const packets = createPacketAnimator(view);
  const chainRule = createChainRulePanel($(".gb-chain-panel"));
  const chart = createLossChart($(".gb-chart"));
  const panel = (name) => root.querySelector(`[data-panel="${name}"]`);

  let state = null; // the simulator's state()
  let trace = null; // the last epoch's batch trace
  let selection = null; // {l, j, i} of the selected connection
  let playing = false;
  let busy = Promise.resolve();

  const caption = (text) => { $(".gb-caption").textContent = text; };
  const setPhase = (name) => { root.dataset.phase = name; };

  function drawNetwork(weights, biases, activations) {
    view.render({ layers: state.config.layers, weights, biases, activations });
    markers.render(state.neuron_flags, state.config.layers);
    if (selection) highlightSelection();
  }

  function highlightSelection() {
    const { l, j, i } = selection;
    view.highlight({ neurons: [[l, i], [l + 1, j]], connections: [[l, j, i]] });
  }

  function describeFlags() {
    const flags = state.neuron_flags ?? { saturated: [], dead_relu: [] };
    const words = [];
    if (flags.saturated.length) words.push(`${flags.saturated.length} saturated (lock: slope below 0.01)`);
    if (flags.dead_relu.length) words.push(`${flags.dead_relu.length} dead ReLU (off for every sample)`);
    $(".gb-flags").textContent = words.length ? `Marked neurons: ${words.join("; ")}. Hover or focus a marker for why.` : "";
  }

  function renderPanels() {
    const focus = controls.focus();
    chainRule.render({ trace, selection, focus });
    if (!trace) {
      for (const name of ["loss", "a", "delta", "w"]) panel(name).innerHTML = `<p class="gb-hint">${WAITING}</p>`;
      return;
    }
    panel("loss").innerHTML = lossHtml(trace, focus);
    panel("a").innerHTML = activationsHtml(trace, focus);
    panel("delta").innerHTML = deltasHtml(trace, focus);
    panel("w").innerHTML = weightsHtml(trace);
  }

  // The network as it is now: current weights, neuron values for the followed sample.
  async function showCurrentNetwork() {
    const focus = controls.focus();
    const example = state.examples[focus === "average" ? 0 : focus];
    const prediction = await ctx.call("predict", { input: example.input });
    drawNetwork(state.weights, state.biases, prediction.a);
    describeFlags();
  }

  function animationPlan() {
    const focus = controls.focus();
    return { sample: focus === "average" ? 0 : focus, speed: controls.speed() };
  }

  // One epoch: the simulator steps, the packets replay that step, the view lands on the new state.
  async function runEpoch({ fitMs = Infinity } = {}) {
    const next = await ctx.call("step", {});
    const { sample, speed } = animationPlan();
    const phases = passPhases(next, sample);
    // Phase length: the chosen speed, squeezed to fit the epoch rate while playing.
    const phaseMs = speed > 0 ? Math.min(1100 / speed, (fitMs * 0.8) / phases.length) : 0;
    if (!reducedMotion && phaseMs >= 120) {
      const ex = next.examples[sample];
      await packets.run(phases, {
        speed: 1100 / phaseMs,
        onPhase: (phase, moment) => {
          setPhase(`${phase.direction}-${phase.l}-${moment}`);
          if (moment === "start") {
            caption(`Epoch ${next.iteration + 1}, sample ${sample + 1} (${sampleText(ex)}): ${phase.direction === "forward"
              ? `forward pass, activations a leave layer ${phase.l + 1}`
              : `backward pass, deltas δ leave layer ${phase.l + 2}`}.`);
            if (phase.direction === "forward" && phase.l === 0) drawNetwork(next.weights_before, next.biases_before, [ex.a[0]]);
          } else if (phase.direction === "forward") {
            drawNetwork(next.weights_before, next.biases_before, ex.a.slice(0, phase.l + 2));
          }
        },
      });
    }
    trace = next;
    state = await ctx.call("state", {});
    chart.add(controls.settings(), state.epoch, trace.loss);
    await showCurrentNetwork();
    renderPanels();
    setPhase("idle");
    caption(`After epoch ${state.epoch}: weights updated with the average gradient over all ${trace.examples.length} samples.${
      trace.status === "diverged" ? " The update was refused because the numbers overflowed: lower the learning rate and press Reset." : ""}`);
  }

  // Serialises simulator calls: a click while an epoch runs waits for it instead of racing it.
  function queue(task) {
    busy = busy.then(task).catch((error) => ctx.notice(String(error.message ?? error)));
    return busy;
  }

  async function play() {
    playing = true;
    controls.setPlaying(true);
    while (playing) {
      const started = performance.now();
      const interval = 1000 / controls.epochsPerSecond();
      await queue(() => runEpoch({ fitMs: interval }));
      const rest = interval - (performance.now() - started);
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
  }

  function pause() {
    playing = false;
    packets.cancel();
    controls.setPlaying(false);
  }

  async function refresh({ clearChart }) {
    trace = null;
    if (clearChart) chart.clear();
    state = await ctx.call("state", {});
    controls.showSettings(state.settings);
    controls.setFocusOptions(state.examples, sampleText);
    await showCurrentNetwork();
    renderPanels();
    setPhase("idle");
    caption(WAITING);
  }

  async function applySettings(changed) {
    pause();
    if (controls.limitLoss()) ctx.notice("Cross-entropy needs a sigmoid output, so the loss is back to MSE.");
    const settings = controls.settings();
    await queue(async () => {
      await ctx.call("update", { settings });
      ctx.saveSettings(settings);
      await refresh({ clearChart: changed === "scenario" });
    });
  }

  // Wiring.
  const field = controls.field;
  field("play").addEventListener("click", () => (playing ? pause() : play()));
  field("step").addEventListener("click", () => { pause(); queue(() => runEpoch()); });
  field("reset").addEventListener("click", () => {
    pause();
    queue(async () => { await ctx.call("reset", {}); await refresh({ clearChart: true }); });
  });
  for (const name of ["scenario", "hidden_activation", "output_activation", "loss", "learning_rate"]) {
    field(name).addEventListener("change", () => applySettings(name));
  }
  field("focus").addEventListener("change", () => queue(async () => { await showCurrentNetwork(); renderPanels(); }));
  view.onSelect((picked) => {
    if (picked.kind !== "connection") return;
    selection = { l: picked.l, j: picked.j, i: picked.i };
    highlightSelection();
    chainRule.render({ trace, selection, focus: controls.focus() });
  });

  return {
    async start() {
      // Drawn at once from the build's saved state: for the default settings it is the very
      // network Python will open, so show it only then.
      const { state: baked } = ctx.baked;
      if (Object.keys(ctx.settings).length === 0) {
        state = baked;
        controls.showSettings(state.settings);
        controls.setFocusOptions(state.examples, sampleText);
        drawNetwork(state.weights, state.biases, null);
      }
      caption("Python is starting; the controls wake up when it is ready.");
      renderPanels();
      await ctx.whenReady;
      await refresh({ clearChart: true });
    },
    stop() { pause(); },
  };
}

let lab = null;

export default {
  id: "glassbox",
  title: "Glass box",
  async mount(root, ctx) {
    lab = createLab(root, ctx);
    await lab.start();
  },
  unmount() {
    lab?.stop();
    lab = null;
  },
};
