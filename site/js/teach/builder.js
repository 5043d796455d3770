// The embed builder, `#teach` (not a lab: the shell mounts it from the footer's link). A
// teacher picks a lab, sets it up in a live preview (the real lab, in an iframe, with its own
// controls), ticks which controls students see shown, hidden or locked, picks a size, and
// copies the link or the <iframe> HTML (teach/embed-link.js).
//
// The control names and labels are the lab's settings schema's (the build's baked state holds
// it: baked/<lab>.json), plus the schema's `controls` that are not settings (those can be
// hidden, not locked). The preview tells the builder its settings with the embed API's
// `settings` event (shell/embed-api.js), so the link carries what the teacher set up.
//
//   export default {mount(root, {labs, signal}), unmount()}

import {changedSettings} from '../shell/url-state.js';
import {embedLink, iframeSnippet} from './embed-link.js';

const SIZES = [
  {label: 'Full width, 900 px high', width: '100%', height: 900},
  {label: 'Laptop: 1000 × 800 px', width: 1000, height: 800},
  {label: 'Phone: 390 × 800 px', width: 390, height: 800},
];
const CHOICES = [['shown', 'Shown'], ['hidden', 'Hidden'], ['locked', 'Locked']];

const TEMPLATE = `
  <section class="teach" aria-labelledby="teach-title">
    <h2 id="teach-title">Embed a lab in a course page</h2>
    <p class="teach-intro">Pick a lab and set it up in the preview as your students should first
      see it. Then choose which controls they see, which are hidden and which are locked (shown,
      but fixed at the value you set), and copy the link or the HTML for your page.</p>
    <div class="teach-layout">
      <div class="teach-choices">
        <label class="teach-field">Lab <select name="lab"></select></label>
        <fieldset class="teach-mode">
          <legend>Preview</legend>
          <label><input type="radio" name="mode" value="student" checked> As your students see it</label>
          <label><input type="radio" name="mode" value="setup"> Setting up: every control free</label>
        </fieldset>
        <table class="teach-controls">
          <caption>Controls</caption>
          <thead><tr><th scope="col">Control</th>
            ${CHOICES.map(([, label]) => `<th scope="col">${label}</th>`).join('')}</tr></thead>
          <tbody></tbody>
        </table>
        <label class="teach-check"><input type="checkbox" name="saved"> <span>Keep each
          student's work in their own browser (a locked setting still holds)</span></label>
        <label class="teach-field">Size <select name="size">
          ${SIZES.map((size, k) => `<option value="${k}">${size.label}</option>`).join('')}
        </select></label>
        <div class="teach-output">
          <label for="teach-link">Link</label>
          <input id="teach-link" name="link" readonly>
          <button type="button" data-copy="link">Copy the link</button>
          <label for="teach-snippet">HTML for your course page</label>
          <textarea id="teach-snippet" name="snippet" rows="6" readonly></textarea>
          <button type="button" data-copy="snippet">Copy the HTML</button>
          <p class="teach-said" role="status"></p>
        </div>
      </div>
      <div class="teach-preview">
        <iframe title="Preview of the embedded lab"></iframe>
      </div>
    </div>
  </section>`;

function createBuilder(root, {labs, signal}) {
  root.innerHTML = TEMPLATE;
  const $ = selector => root.querySelector(selector);
  const frame = $('iframe');
  const base = new URL('./', location.href);
  let lab = null;
  let schema = null;
  let settings = {};
  let choices = {};      // control name -> 'shown' | 'hidden' | 'locked'

  const labSelect = $('[name="lab"]');
  for (const [id, title] of Object.entries(labs)) labSelect.add(new Option(title, id));

  async function chooseLab(id) {
    const baked = await (await fetch(`./baked/${id}.json`)).json();
    lab = id;
    schema = baked.state.schema;
    settings = {};
    choices = {};
    showControls();
    reload();
  }

  function showControls() {
    const rows = [...schema.settings.map(spec => ({name: spec.name, label: spec.label, lockable: true})),
                  ...schema.controls.map(control => ({...control, lockable: false}))];
    $('tbody').replaceChildren(...rows.map(controlRow));
  }

  function controlRow({name, label, lockable}) {
    const row = document.createElement('tr');
    row.dataset.control = name;
    const heading = document.createElement('th');
    heading.scope = 'row';
    heading.append(`${label} `, Object.assign(document.createElement('code'), {textContent: name}));
    row.append(heading);
    for (const [value, word] of CHOICES) {
      const cell = document.createElement('td');
      const radio = Object.assign(document.createElement('input'),
                                  {type: 'radio', name: `teach-${name}`, value, checked: value === 'shown'});
      radio.setAttribute('aria-label', `${word}: ${label}`);
      if (value === 'locked' && !lockable) {
        radio.disabled = true;
        radio.title = 'Only settings can be locked; this can be hidden.';
      }
      radio.addEventListener('change', () => { choices[name] = value; reload(); });
      cell.append(radio);
      row.append(cell);
    }
    return row;
  }

  function named(choice) {
    return Object.keys(choices).filter(name => choices[name] === choice);
  }

  function size() {
    return SIZES[Number($('[name="size"]').value)];
  }

  function studentLink() {
    return embedLink(base, {lab, settings, hide: named('hidden'), lock: named('locked'),
                            saved: $('[name="saved"]').checked});
  }

  function showOutput() {
    const link = studentLink();
    $('[name="link"]').value = link;
    const {width, height} = size();
    $('[name="snippet"]').value = iframeSnippet(link, {title: `Glassbox: ${labs[lab]}`, width, height});
    frame.style.width = typeof width === 'number' ? `${width}px` : width;
    frame.style.height = `${height}px`;
  }

  function reload() {
    showOutput();
    const setup = root.querySelector('[name="mode"]:checked').value === 'setup';
    frame.src = setup ? embedLink(base, {lab, settings}) : studentLink();
  }

  // The preview says when its settings change (the embed API); only its own messages count.
  window.addEventListener('message', event => {
    const data = event.data;
    if (event.source !== frame.contentWindow || data?.glassbox !== 1 || data.event !== 'settings' ||
        data.lab !== lab || !data.settings || typeof data.settings !== 'object') return;
    settings = changedSettings(data.settings, defaultsOf(schema));
    showOutput();
  }, {signal});

  labSelect.addEventListener('change', () => chooseLab(labSelect.value));
  $('[name="size"]').addEventListener('change', showOutput);
  $('[name="saved"]').addEventListener('change', reload);
  for (const radio of root.querySelectorAll('[name="mode"]')) radio.addEventListener('change', reload);
  for (const button of root.querySelectorAll('[data-copy]')) {
    button.addEventListener('click', () => copy(root.querySelector(`[name="${button.dataset.copy}"]`),
                                                $('.teach-said')));
  }
  return chooseLab(labSelect.value);
}

function defaultsOf(schema) {
  return Object.fromEntries(schema.settings.map(spec => [spec.name, spec.default]));
}

async function copy(field, said) {
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
    said.textContent = 'Copied.';
  } catch {
    said.textContent = 'Selected: press Ctrl+C (⌘C on a Mac) to copy.';
  }
}

export default {
  async mount(root, context) {
    await createBuilder(root, context);
  },
  unmount() {},
};
