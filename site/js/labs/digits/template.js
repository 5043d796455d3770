// The Digits lab's static markup. Nothing dynamic is interpolated here: every number is filled
// in later with textContent, so no simulator or URL value is ever parsed as HTML.

export const DIGITS_TEMPLATE = `
<div class="digits-lab">
  <p class="digits-intro">A 25-input network learns to name ten 5&times;5 digit images.
    Train it, click an image to feed it forward, or draw your own.</p>

  <dl class="digits-stats" aria-live="polite">
    <div><dt>Iterations</dt><dd data-stat="iteration">0</dd></div>
    <div><dt>Training accuracy</dt><dd data-stat="accuracy">–</dd>
      <span class="stat-note">of the ten training images labelled correctly</span></div>
    <div><dt>Held-out accuracy</dt><dd data-stat="heldout">–</dd>
      <span class="stat-note" data-stat="heldout-note">of distorted copies it never trains on</span></div>
    <div><dt>Loss</dt><dd data-stat="loss">–</dd>
      <span class="stat-note" data-stat="loss-note"></span></div>
  </dl>

  <section class="digits-controls" aria-label="Training controls">
    <fieldset>
      <legend>Train</legend>
      <div class="digits-buttons">
        <button type="button" data-action="play">Play</button>
        <button type="button" data-action="train" data-iterations="100">Train 100</button>
        <button type="button" data-action="train" data-iterations="1000">Train 1,000</button>
        <button type="button" data-action="train" data-iterations="10000">Train 10,000</button>
        <button type="button" data-action="reset">Reset</button>
      </div>
    </fieldset>
    <fieldset>
      <legend>Network</legend>
      <div class="digits-slider">
        <label for="digits-hidden">Hidden neurons</label>
        <output for="digits-hidden" data-value="hidden"></output>
        <input type="range" id="digits-hidden" min="1" max="64" step="1">
      </div>
      <div class="digits-slider">
        <label for="digits-rate">Learning rate</label>
        <output for="digits-rate" data-value="learning_rate"></output>
        <input type="range" id="digits-rate" min="0" step="1">
      </div>
    </fieldset>
    <p class="digits-notice" role="status" data-notice></p>
  </section>

  <section class="digits-inputs" aria-label="Input">
    <div class="digits-tabs" role="tablist" aria-label="Input source">
      <button type="button" role="tab" id="digits-tab-images" aria-controls="digits-panel-images"
        aria-selected="true">Training images</button>
      <button type="button" role="tab" id="digits-tab-draw" aria-controls="digits-panel-draw"
        aria-selected="false" tabindex="-1">Draw</button>
    </div>
    <div role="tabpanel" id="digits-panel-images" aria-labelledby="digits-tab-images">
      <p class="draw-help">Click an image (or Tab to it and press Enter) to feed it through the network.</p>
      <div data-slot="thumbnails"></div>
    </div>
    <div role="tabpanel" id="digits-panel-draw" aria-labelledby="digits-tab-draw" hidden>
      <p class="draw-help">Click or drag to paint; drag again to erase. Keyboard: arrows move,
        Space toggles a pixel. The prediction updates as you draw.</p>
      <div data-slot="draw-grid"></div>
      <div class="digits-buttons">
        <button type="button" data-action="clear">Clear</button>
        <button type="button" data-action="copy">Start from the selected image</button>
      </div>
    </div>
  </section>

  <section class="digits-network" aria-label="Network">
    <h3>Network</h3>
    <p class="digits-showing" data-showing aria-live="polite"></p>
    <div data-slot="network"></div>
  </section>

  <section class="digits-outputs" aria-label="Output activations">
    <h3>Output activations</h3>
    <div data-slot="bars"></div>
    <p class="digits-reminder">Each output is its own sigmoid between 0 and 1: they are not
      probabilities and need not sum to 1. The prediction is the largest.</p>
  </section>

  <section class="digits-chart" aria-label="Loss over iterations">
    <h3>Loss over iterations</h3>
    <div data-slot="chart"></div>
  </section>

  <section class="digits-lesson" aria-label="Memorising versus generalising">
    <h3>Memorising or generalising?</h3>
    <p>The network trains and is scored on the same ten images, so training accuracy can reach
      100% by memorising them. Held-out accuracy scores it on shifted and pixel-flipped copies it
      never sees: when that stays lower, the network has learned the ten bitmaps, not what each
      digit looks like.</p>
    <p>Try it: in Draw, start from a training image and change one pixel.</p>
  </section>
</div>`;
