// The Digits lab's static markup. Nothing dynamic is interpolated here: every number is filled
// in later with textContent, so no simulator or URL value is ever parsed as HTML.

export const DIGITS_TEMPLATE = `
<div class="page digits-lab">
  <header class="digits-intro">
    <h1>Digits: a network that reads 5&times;5 images</h1>
    <p>25 pixels in, one hidden layer, ten sigmoid outputs (one per digit). Train it on the ten
      images below, click an image to feed it through, or draw your own.</p>
  </header>

  <dl class="panel digits-stats">
    <div class="stat"><dt class="stat-label">Iterations</dt>
      <dd class="stat-value" data-stat="iteration">0</dd>
      <dd class="stat-note">one training image per iteration, cycling 0 to 9</dd></div>
    <div class="stat"><dt class="stat-label">Training accuracy</dt>
      <dd class="stat-value" data-stat="accuracy">–</dd>
      <dd class="stat-note">of the ten training images labelled correctly</dd></div>
    <div class="stat"><dt class="stat-label">Held-out accuracy</dt>
      <dd class="stat-value" data-stat="heldout">–</dd>
      <dd class="stat-note">of shifted or pixel-flipped copies it never trains on</dd></div>
    <div class="stat"><dt class="stat-label">Loss</dt>
      <dd class="stat-value" data-stat="loss">–</dd>
      <dd class="stat-note">&frac12; &Sigma; (output &minus; target)&sup2; over the ten outputs,
        for the latest training images</dd></div>
  </dl>

  <section class="panel digits-controls" aria-labelledby="digits-controls-title">
    <h2 id="digits-controls-title">Train</h2>
    <div class="cluster" data-control="training">
      <button type="button" class="primary" data-action="play" aria-pressed="false" disabled data-needs-python>Play</button>
      <button type="button" data-action="train" data-iterations="100" disabled data-needs-python>Train 100</button>
      <button type="button" data-action="train" data-iterations="1000" disabled data-needs-python>Train 1,000</button>
      <button type="button" data-action="train" data-iterations="10000" disabled data-needs-python>Train 10,000</button>
      <button type="button" data-action="reset" disabled data-needs-python>New random weights</button>
    </div>
    <div class="digits-settings" data-slot="settings"></div>
    <p class="digits-notice" role="status" data-notice></p>
  </section>

  <section class="panel digits-inputs" aria-label="Input image">
    <div class="digits-tabs" role="tablist" aria-label="Input source">
      <button type="button" role="tab" id="digits-tab-images" aria-controls="digits-panel-images"
        aria-selected="true">Training images</button>
      <button type="button" role="tab" id="digits-tab-draw" aria-controls="digits-panel-draw"
        aria-selected="false" tabindex="-1">Draw</button>
    </div>
    <div role="tabpanel" id="digits-panel-images" aria-labelledby="digits-tab-images">
      <p class="digits-help">Click an image to feed it through the network.
        &#10003; / &#10007;: whether the network labels it correctly now.</p>
      <div data-slot="thumbnails"></div>
    </div>
    <div role="tabpanel" id="digits-panel-draw" aria-labelledby="digits-tab-draw" hidden>
      <p class="digits-help">Click or drag to paint, drag from a black pixel to erase.
        Keyboard: arrows move, Space toggles. The prediction follows as you draw.</p>
      <div data-slot="draw-grid"></div>
      <div class="cluster digits-draw-buttons">
        <button type="button" data-action="clear">Clear</button>
        <button type="button" data-action="copy">Copy the selected training image</button>
      </div>
    </div>
  </section>

  <section class="panel digits-network" aria-labelledby="digits-network-title">
    <h2 id="digits-network-title">Network</h2>
    <p class="digits-showing" data-showing></p>
    <div data-slot="network"></div>
  </section>

  <section class="panel digits-outputs" aria-labelledby="digits-outputs-title">
    <h2 id="digits-outputs-title">Output activations</h2>
    <div data-slot="bars"></div>
    <p class="digits-reminder">Ten independent sigmoids, each between 0 and 1: not
      probabilities, they need not sum to 1. The largest one is the prediction.</p>
    <p class="digits-image-loss" data-image-loss></p>
  </section>

  <section class="panel digits-chart" aria-labelledby="digits-chart-title">
    <h2 id="digits-chart-title">Loss over iterations</h2>
    <div data-slot="chart"></div>
  </section>

  <section class="panel digits-lesson" aria-labelledby="digits-lesson-title">
    <h2 id="digits-lesson-title">Memorising or generalising?</h2>
    <p>The network trains and is scored on the same ten images, so training accuracy can reach
      100% by memorising them. Held-out accuracy scores it on shifted and pixel-flipped copies it
      never sees: when that stays lower, it has learned ten bitmaps, not what each digit looks
      like.</p>
    <p>Try it: in Draw, copy a training image and change one pixel.</p>
  </section>
</div>`;
