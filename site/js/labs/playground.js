// Playground lab (#playground): the learner picks 2-D data, input features and a network,
// trains it and watches what each neuron learns; any weight or bias can be read and set, and
// any data point followed through every number. All maths is the simulator's
// (nnsim.playground through ctx.call); this module wires the parts, which only paint.
import {labModule} from '../shell/lab-module.js';
import {afterNextPaint} from '../shell/next-frame.js';
import {createSettingsForm} from '../widgets/settings-form.js';
import {createNetworkView} from '../views/network-view.js';
import {createZeroMarks} from '../views/zero-marks.js';
import {createLineChart} from '../views/line-chart.js';
import {readNumber} from '../widgets/number-field.js';
import {loadFormulas} from '../views/formula.js';
import {TEMPLATE} from './playground/template.js';
import {createNetworkBuilder} from './playground/network-builder.js';
import {createDataPlot} from './playground/data-plot.js';
import {decodeHeatmaps, paintOutput} from './playground/heatmap-paint.js';
import {createNeuronMaps} from './playground/neuron-maps.js';
import {createParameterEditor, parameterName, parameterOf} from './playground/parameter-editor.js';
import {createFollowPanel} from './playground/follow-panel.js';
import {createOwnData} from './playground/own-data.js';

const HEATMAP_SIZE = 50;
const REDRAW_MS = 150;   // while playing, heatmaps, chart and measures redraw this often (issue: 4/s at least)
const PLACES = {
  data: ['dataset', 'noise', 'train_share', 'points', 'data_seed', 'classes'],
  output: ['output_activation', 'loss'],
  training: ['learning_rate', 'batch_size', 'init', 'seed'],
};
// Where the other settings go: the network builder's lists, and the optimiser, penalty and
// schedule (whatever else the schema holds) together.
const placeOf = spec => Object.keys(PLACES).find(slot => PLACES[slot].includes(spec.name)) ??
  (spec.kind === 'list' ? null : 'optimizer');

function createLab(shellRoot, ctx) {
  const root = shellRoot.querySelector('.pg');
  const $ = selector => root.querySelector(selector);
  const {schema} = ctx.baked.state;
  const form = createSettingsForm({lab: 'playground', schema, onChange: (changes, {moved}) => {
    if (moved) ctx.notice(moved);
    applySettings(changes);
  }});
  for (const spec of schema.settings) {
    const slot = placeOf(spec);
    if (slot) form.place(spec.name, $(`[data-slot="${slot}"]`));
  }
  const classesControl = root.querySelector('[data-setting="classes"]');
  const builder = createNetworkBuilder($('[data-slot="network"]'), {schema, onChange: applySettings});
  const plot = createDataPlot($('.pg-plot'), {onClick: clickPlot});
  const view = createNetworkView($('.pg-network'));
  const zeroMarks = createZeroMarks(view, {signal: ctx.signal});
  const maps = createNeuronMaps($('.pg-neuron-maps'));
  const editor = createParameterEditor($('.pg-editor'), {limit: schema.limits.parameter, onSet: setParameter});
  const chart = createLineChart($('.pg-chart'), {xLabel: 'Epoch', yLabel: 'Mean loss'});
  const followPanel = createFollowPanel($('.pg-follow-body'));
  const own = createOwnData($('.pg-own'), {onClear: clearPoints, onImport: importCsv, onExport: exportCsv});
  const field = name => root.querySelector(`[name="${name}"]`);

  let state = null;      // the simulator's state()
  let data = null;       // its data()
  let decoded = null;    // its heatmaps, decoded
  let followed = null;   // index of the followed point
  let followedTrace = null;
  let followedLabels = null;   // its activations as the simulator wrote them
  let followedParameters = null;   // {weight_labels, bias_labels}: the weights as its steps write them
  let selection = {kind: 'connection', l: 0, j: 0, i: 0};
  let busy = Promise.resolve();
  let pending = 0;
  let heatmapsAt = 0;
  let formulasLoaded = null;
  let notation = null;    // the simulator's names and symbols for the network's shape

  // ------------------------------------------------------------------ drawing

  // Every neuron's name in a sentence, [layer][j], as the simulator writes it (in the notation
  // that comes with every state of a new network shape).
  const neuronNames = () => notation.layers.map(layer => layer.titles);

  function drawNetwork() {
    // Following a point, its formulas' writing of the weights; else the state's.
    const written = followedTrace ? followedParameters : state;
    view.render({layers: state.config.layers, weights: state.weights, weightLabels: written.weight_labels,
                 biases: state.biases, biasLabels: written.bias_labels,
                 activations: followedTrace?.a ?? null, activationLabels: followedLabels, notation});
    zeroMarks.update(state.weights);
    const item = selection;
    view.highlight(item.kind === 'connection'
      ? {neurons: [], connections: [[item.l, item.j, item.i]]}
      : {neurons: [[item.l, item.j]], connections: []});
    editor.show(selection, state, neuronNames());
  }

  function drawMeasures() {
    const written = key => state.measure_labels[key] ?? '–';   // the simulator's text
    const measures = [
      ['epoch', 'Epoch', String(state.epoch)],
      ['train_loss', 'Training loss', written('train_loss')],
      ['test_loss', 'Test loss', written('test_loss')],
    ];
    if (state.penalty !== null) measures.push(['penalty', 'Penalty P', written('penalty')]);
    if (state.task.kind === 'classification') {
      measures.push(['train_accuracy', 'Training accuracy', written('train_accuracy')],
                    ['test_accuracy', 'Test accuracy', written('test_accuracy')]);
    }
    const host = $('.pg-measures');
    host.replaceChildren(...measures.map(([key, label, value]) => {
      const span = document.createElement('span');
      span.dataset.measure = key;
      span.innerHTML = '<span></span> <strong></strong>';
      span.firstChild.textContent = `${label}:`;
      span.lastChild.textContent = value;
      return span;
    }));
    const {history, history_labels: last} = state;
    chart.update([{name: 'Training loss', points: history.train_loss, lastLabel: last.train_loss},
                  {name: 'Test loss', points: history.test_loss, lastLabel: last.test_loss, dash: true}]);
    root.dataset.epoch = String(state.epoch);
    status(state.status === 'diverged'
      ? schema.messages.diverged
      : `${state.points.train} training and ${state.points.test} test points; ` +
        `batches of ${state.batch.size}, ${state.batch.count} per epoch.`);
  }

  function status(text) {
    $('.pg-status').textContent = text;
  }

  function drawHeatmaps(heatmaps) {
    decoded = decodeHeatmaps(heatmaps);
    heatmapsAt = performance.now();
    // A count of redraws, for readers of the DOM such as the benchmark.
    root.dataset.heatmapsDrawn = String(Number(root.dataset.heatmapsDrawn ?? 0) + 1);
    paintOutput(plot.canvas, decoded, {task: state.task, discretise: field('discretise').checked});
    maps.show(decoded, neuronNames());
  }

  function drawData() {
    plot.showPoints(data, {showTest: field('show_test').checked});
    plot.mark(followed);
    field('follow_point').max = String(data.x1.length);
    const legend = state.task.kind === 'classification'
      ? `Classes: ${Array.from({length: state.task.classes}, (_, k) => `class ${k} ${['●', '■', '▲', '◆'][k]}`).join(', ')}. ` +
        'Training points are filled, test points hollow. The background is the class the network gives there, paler where it is less sure; ' +
        'class 0\'s area is hatched with diagonal lines (class 2\'s with the other diagonal, class 3\'s with horizontal ones).'
      : 'Regression: points blue below 0 and orange above, larger for larger values; the background shows the network\'s output the same way, hatched with diagonal lines below 0.';
    $('.pg-legend').textContent = legend;
  }

  function drawSettings() {
    form.show(state.settings);
    builder.show(state.settings);
    const ownData = state.settings.dataset === 'own';
    $('.pg-own').hidden = !ownData;
    classesControl.hidden = !ownData;
    own.show(state.settings.classes);
  }

  // Everything, for a state the simulator just gave (after open, update, reset, load).
  async function refresh(next) {
    state = next;
    notation = next.notation ?? notation;   // own points and steps keep the shape
    const [nextData, heatmaps] = [await ctx.call('data', {}), await ctx.call('heatmaps', {size: HEATMAP_SIZE})];
    data = nextData;
    if (followed !== null && followed >= data.x1.length) followed = null;
    drawSettings();
    drawData();
    drawHeatmaps(heatmaps);
    drawMeasures();
    await showFollowed();
  }

  // The weights changed (a step, a typed value): heatmaps, network and the followed point.
  async function weightsChanged(next) {
    state = next;
    drawHeatmaps(await ctx.call('heatmaps', {size: HEATMAP_SIZE}));
    drawMeasures();
    await showFollowed();
  }

  // The followed point and selected parameter, as the simulator's follow takes them.
  function followRequest() {
    const parameter = parameterOf(selection);
    return parameter ? {point: followed, parameter} : {point: followed};
  }

  // `answer`: the follow answer when it came with a step already.
  async function showFollowed(answer = null) {
    if (followed === null) {
      followedTrace = null;
      drawNetwork();
      return;
    }
    answer ??= await ctx.call('follow', followRequest());
    followedTrace = answer.trace;
    followedLabels = answer.activation_labels;
    followedParameters = answer;
    drawNetwork();
    plot.mark(followed);
    await formulasLoaded;
    followPanel.show(answer, {parameterName: parameterName(answer.parameter, neuronNames())});
  }

  // ------------------------------------------------------------------ actions

  // Serialises the lab's simulator calls: a click while a step runs waits for it.
  function queue(task) {
    pending += 1;
    root.dataset.phase = 'working';
    busy = busy.then(task).catch(error => ctx.notice(String(error.message ?? error)))
      .finally(() => {
        pending -= 1;
        if (pending === 0) root.dataset.phase = 'idle';
      });
    return busy;
  }

  // Stop any run, then do task in turn (queued at once, so the lab is busy from the click on).
  function act(task) {
    return queue(async () => {
      await loop.stop();
      return task();
    });
  }

  function applySettings(changes) {
    return act(async () => {
      let next;
      try {
        next = await ctx.call('update', {settings: changes});
      } catch (error) {
        ctx.notice(error.message);
        form.reject(error.message);
        drawSettings();   // the settings still in force
        return;
      }
      ctx.saveSettings(next.settings);
      await refresh(next);
    });
  }

  function setParameter(parameter, value) {
    act(async () => {
      const [layer, neuron, input] = parameter.index;
      const args = {layer, neuron, value, ...(parameter.kind === 'weight' ? {input} : {})};
      await weightsChanged(await ctx.call('set_parameter', args));
    });
  }

  function followPoint(index) {
    followed = index;
    act(showFollowed);
  }

  function clickPlot({x1, x2, shift}) {
    if (!state || !data) return;
    const nearest = plot.nearest(x1, x2);
    if (state.settings.dataset !== 'own') {
      if (nearest !== null) followPoint(nearest);
      return;
    }
    if (shift || own.removing()) {
      if (nearest === null) return;
      if (followed !== null) followed = null;
      act(async () => refresh(await ctx.call('remove_point', {index: nearest})));
    } else {
      act(async () => refresh(await ctx.call('add_point', {x1, x2, label: own.classToAdd()})));
    }
  }

  function clearPoints() {
    followed = null;
    act(async () => refresh(await ctx.call('clear_points', {})));
  }

  function importCsv(text, name) {
    act(async () => {
      try {
        const next = await ctx.call('import_csv', {text});
        followed = null;
        own.say(`${name}: ${next.points.own} points imported.`);
        await refresh(next);
      } catch (error) {
        own.say(`${name} was not imported, and nothing changed: ${error.message}`);
      }
    });
  }

  function exportCsv() {
    act(async () => {
      const {csv} = await ctx.call('export_csv', {});
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([csv], {type: 'text/csv'}));
      link.download = 'playground-points.csv';
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
      own.say('Your points were exported as playground-points.csv.');
    });
  }

  // ------------------------------------------------------------------ training

  const loop = ctx.createTrainingLoop({
    countArg: 'max_epochs',
    // Heatmaps come with a chunk a few times a second, in the same answer.
    chunkArgs: () => (performance.now() - heatmapsAt >= REDRAW_MS ? {heatmaps: HEATMAP_SIZE} : {}),
    onChunk({state: next, heatmaps}) {
      state = next;
      if (!heatmaps) return;
      drawHeatmaps(heatmaps);
      drawMeasures();
      drawNetwork();
    },
    onStop({reason, state: next, error}) {
      setPlaying(false);
      if (next) state = next;
      if (reason === 'error') ctx.notice(String(error.message ?? error));
      queue(() => weightsChanged(state));
    },
  });

  function setPlaying(playing) {
    field('play').textContent = playing ? 'Pause' : 'Play';
    field('play').setAttribute('aria-pressed', String(playing));
    root.dataset.playing = String(playing);
  }

  field('play').addEventListener('click', async () => {
    if (loop.running) {
      await loop.stop();
      return;
    }
    await busy;
    setPlaying(true);
    loop.start();
  });
  // One round trip: the step answers with its heatmaps and the followed point.
  field('step').addEventListener('click', () => act(async () => {
    const answer = await ctx.call('step', {heatmaps: HEATMAP_SIZE, ...(followed === null ? {} : {follow: followRequest()})});
    state = answer.state;
    drawHeatmaps(answer.heatmaps);
    drawMeasures();
    await showFollowed(answer.follow ?? null);
  }));
  field('reset').addEventListener('click', () => act(async () => refresh(await ctx.call('reset', {}))));
  field('new_weights').addEventListener('click', () => act(async () => {
    const next = await ctx.call('new_weights', {});
    ctx.saveSettings(next.settings);
    await refresh(next);
  }));
  field('regenerate').addEventListener('click', () => {
    const {max} = form.spec('data_seed');
    applySettings({data_seed: (state.settings.data_seed + 1) % (max + 1)});
  });
  field('discretise').addEventListener('change', () => {
    if (decoded) paintOutput(plot.canvas, decoded, {task: state.task, discretise: field('discretise').checked});
  });
  field('show_test').addEventListener('change', () => data && drawData());
  // The typed point number, checked as every number field is; a refusal is said next to it.
  function followTyped() {
    const input = field('follow_point');
    const text = input.validity.badInput ? 'NaN' : input.value;
    const {value, error} = readNumber(text, {label: 'Point number', min: 1, max: data.x1.length, integer: true});
    $('#pg-follow-message').textContent = error ?? '';
    if (error) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    if (!error) followPoint(value - 1);
  }
  field('follow').addEventListener('click', followTyped);
  field('follow_point').addEventListener('keydown', event => {
    if (event.key === 'Enter') followTyped();
  });
  view.onSelect(item => {
    selection = item;
    if (state) act(showFollowed);
  });

  return {
    async start() {
      const {baked} = ctx;
      if (Object.keys(ctx.settings).length === 0) {
        // The build's first view: for the default settings it is the network Python opens.
        // Drawn over three frames, the network first (all of it in one took 45 ms of the main
        // thread before layout): the first picture comes sooner and no frame freezes.
        state = baked.state;
        notation = state.notation;
        data = baked.data;
        drawNetwork();
        await afterNextPaint();
        drawData();
        drawHeatmaps(baked.heatmaps);
        await afterNextPaint();
        drawSettings();
        drawMeasures();
      }
      formulasLoaded = loadFormulas();   // after the first picture: KaTeX is 600 KB of module
      status('Python is starting; the controls wake up when it is ready.');
      await queue(async () => refresh(await ctx.whenReady));
    },
    stop() {
      loop.stop();
    },
  };
}

export default labModule({template: TEMPLATE, createLab});
