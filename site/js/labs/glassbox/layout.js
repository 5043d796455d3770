// The glass box's page: where each part goes.

export const TEMPLATE = `
  <header class="gb-intro">
    <h2>Glass box: backpropagation in a 2-2-1 network</h2>
    <p>Press <strong>Step</strong> to run one epoch over all training samples: packets carry each
      activation forward, then each delta back. Select any connection to see its chain rule with
      this epoch's numbers; select a neuron for its bias.</p>
  </header>
  <div class="gb-controls"></div>
  <p class="gb-scenario-note" aria-live="polite"></p>
  <div class="gb-main">
    <figure class="gb-network">
      <div class="gb-network-view"></div>
      <figcaption class="gb-caption" aria-live="polite"></figcaption>
      <p class="gb-flags" aria-live="polite"></p>
    </figure>
    <div class="gb-side">
      <section class="gb-chain-panel" aria-label="Chain rule"></section>
      <div class="gb-editor-slot"></div>
    </div>
  </div>
  <p class="gb-epoch-note" aria-live="polite"></p>
  <div class="gb-panels">
    <section class="gb-panel" aria-labelledby="gb-loss-title"><h3 id="gb-loss-title">Loss</h3><div data-panel="loss"></div></section>
    <section class="gb-panel gb-chart" aria-labelledby="gb-chart-title"><h3 id="gb-chart-title">Loss versus epoch</h3></section>
    <section class="gb-panel" aria-labelledby="gb-a-title"><h3 id="gb-a-title">Activations (a)</h3><div data-panel="a"></div></section>
    <section class="gb-panel" aria-labelledby="gb-d-title"><h3 id="gb-d-title">Deltas (δ)</h3><div data-panel="delta"></div></section>
    <section class="gb-panel gb-panel--wide" aria-labelledby="gb-w-title"><h3 id="gb-w-title">Weights (w)</h3><div data-panel="w"></div></section>
  </div>`;
