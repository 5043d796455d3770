// The playground's page: where each part goes. As in TF Playground the output comes first, in
// view when the page opens (the run buttons above it, the network and its neurons' maps and the
// loss beside it), then the settings, then the followed point. Every control that needs Python
// is built disabled and woken by the shell (data-needs-python).

const NEEDS = 'disabled data-needs-python';

export const TEMPLATE = `
<div class="pg">
  <header class="pg-intro">
    <h2>Playground: build your own network on 2-D data</h2>
    <p>Press <strong>Play</strong>: the background shows what the network answers at every
      spot, each neuron's map what it responds to. Hover or select a connection or neuron for
      its value, click a data point to follow it through every number; data, features, layers
      and training are set below.</p>
  </header>
  <div class="pg-run">
    <div class="pg-buttons" role="group" aria-label="Run the training" data-control="training">
      <button type="button" name="play" class="pg-primary" aria-pressed="false" ${NEEDS}>Play</button>
      <button type="button" name="step" ${NEEDS}>Step (one batch)</button>
      <button type="button" name="reset" ${NEEDS}>Reset (same start)</button>
      <button type="button" name="new_weights" ${NEEDS}>New weights</button>
    </div>
    <p class="pg-status" aria-live="polite"></p>
  </div>
  <div class="pg-main">
    <figure class="pg-plot-figure">
      <div class="pg-plot"></div>
      <figcaption>
        <div class="pg-toggles" role="group" aria-label="What the plot shows">
          <label><input type="checkbox" name="discretise"> Discretise the output</label>
          <label><input type="checkbox" name="show_test" checked> Show test points</label>
        </div>
        <p class="pg-legend"></p>
      </figcaption>
      <div class="pg-own" hidden></div>
    </figure>
    <figure class="pg-network-figure">
      <div class="pg-network"></div>
      <div class="pg-editor"></div>
      <div class="pg-neuron-maps" aria-label="What each neuron responds to"></div>
    </figure>
    <section class="pg-progress" aria-labelledby="pg-progress-title">
      <h3 id="pg-progress-title">Loss over epochs</h3>
      <p class="pg-measures" aria-live="off"></p>
      <div class="pg-chart"></div>
    </section>
  </div>
  <div class="pg-controls">
    <section class="pg-group" aria-labelledby="pg-data-title">
      <h3 id="pg-data-title">Data</h3>
      <div data-slot="data"></div>
      <button type="button" name="regenerate" ${NEEDS}>Regenerate the data</button>
    </section>
    <section class="pg-group" aria-labelledby="pg-network-title">
      <h3 id="pg-network-title">Network</h3>
      <div data-slot="network"></div>
      <div data-slot="output"></div>
    </section>
    <section class="pg-group" aria-labelledby="pg-training-title">
      <h3 id="pg-training-title">Training</h3>
      <div data-slot="training"></div>
      <fieldset class="pg-optimizer"><legend>Optimiser, regularisation, schedule</legend>
        <div data-slot="optimizer"></div>
      </fieldset>
    </section>
  </div>
  <section class="pg-follow" aria-labelledby="pg-follow-title">
    <h3 id="pg-follow-title">Follow a point</h3>
    <div class="pg-follow-pick">
      <label>Point number <input type="number" name="follow_point" min="1" step="1" inputmode="numeric" aria-describedby="pg-follow-message" ${NEEDS}></label>
      <button type="button" name="follow" ${NEEDS}>Follow</button>
      <p class="field-message" id="pg-follow-message" aria-live="polite"></p>
    </div>
    <div class="pg-follow-body"><p>Click a data point in the plot (or give its number) to
      see its forward pass, its loss, the chain rule to the selected weight or bias, and how
      its batch's gradient and the update are formed.</p></div>
  </section>
</div>`;
