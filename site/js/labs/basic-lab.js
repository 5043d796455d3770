// A minimal lab: the network drawn from the simulator's state, with Step, Play/Pause and
// Reset. The XOR and Deep labs start as this until their own views replace it; it is also
// the smallest working example of the lab interface (see app.js).

import {createNetworkView} from '../network-view.js';
import {formatNumber} from '../format.js';

const TEMPLATE = `
<section class="basic-lab">
  <h1 class="lab-title"></h1>
  <div class="basic-lab-controls" role="group" aria-label="Training">
    <button type="button" data-action="step" disabled data-needs-python>Step</button>
    <button type="button" data-action="play" disabled data-needs-python aria-pressed="false">Play</button>
    <button type="button" data-action="reset" disabled data-needs-python>Reset</button>
  </div>
  <p class="basic-lab-stats" aria-live="polite">
    Iteration <output data-stat="iteration">0</output>,
    loss <output data-stat="loss">not measured yet</output>,
    status <output data-stat="status">ok</output>
  </p>
  <div class="basic-lab-network"></div>
</section>`;

export function createBasicLab({id, title, inputGrid = null}) {
  let stopLoop = () => {};

  async function mount(root, ctx) {
    root.innerHTML = TEMPLATE;
    root.querySelector('.lab-title').textContent = title;
    const find = selector => root.querySelector(selector);
    const view = createNetworkView(find('.basic-lab-network'), {inputGrid});
    const play = find('[data-action="play"]');

    function showState(state, activations = null) {
      view.render({layers: state.config.layers, weights: state.weights, biases: state.biases,
                   activations});
      const history = state.loss_history;
      find('[data-stat="iteration"]').textContent = formatNumber(state.iteration, 0);
      find('[data-stat="loss"]').textContent =
        history.length ? formatNumber(history[history.length - 1][1], 4) : 'not measured yet';
      find('[data-stat="status"]').textContent = state.status;
    }

    function showStep(trace) {
      view.render({layers: trace.layers, weights: trace.weights_after, biases: trace.biases_after,
                   activations: trace.a});
    }

    const loop = ctx.createTrainingLoop({
      onChunk: result => showState(result.state),
      onStop: ({reason, error}) => {
        play.textContent = 'Play';
        play.setAttribute('aria-pressed', 'false');
        if (reason === 'diverged') ctx.notice('Training diverged: the weights stopped at their last finite values. Reset to start again.');
        if (reason === 'error') ctx.notice(error.message);
      },
    });
    stopLoop = () => loop.stop();

    const actions = {
      async step() {
        await loop.stop();
        const trace = await ctx.call('step', {});
        showState(await ctx.call('state', {}));
        showStep(trace);
      },
      async play() {
        if (loop.running) {
          await loop.stop();
          return;
        }
        play.textContent = 'Pause';
        play.setAttribute('aria-pressed', 'true');
        loop.start();
      },
      async reset() {
        await loop.stop();
        showState(await ctx.call('reset', {}));
      },
    };
    root.addEventListener('click', event => {
      const button = event.target.closest('[data-action]');
      if (button) actions[button.dataset.action]().catch(error => ctx.notice(error.message));
    }, {signal: ctx.signal});

    // Drawn at once from the build's numbers; the first example's forward pass fills neurons.
    showState(ctx.baked.state, ctx.baked.trace.a);
    showState(await ctx.whenReady);
  }

  return {id, title, mount, unmount: () => stopLoop()};
}
