// Saved work: each lab's settings, weights and counters survive a reload. The simulator's own
// Session export() is what is kept (in localStorage, one record per lab) and Session.load()
// is what restores it, so Python validates a saved or imported network exactly as it would
// any other input. A lab may keep small extras of its own (the Digits lab's drawing) through
// ctx.saved. The shell's toolbar exports the network as a JSON file, imports one, and resets
// the lab to its defaults, clearing what was kept.
//
//   const savedWork = createSavedWork({call, notice, reopen, currentLab, off});
//     off                       true in an embed whose link wins (url-state.js followsLinkOnly):
//                                 nothing is restored or saved; export and import still work
//     call(lab, method, args)   the runtime's call into the worker
//     reopen(lab, settings)     unmount the lab, forget its session, mount it afresh with
//                                 these URL settings (then settingsFor and restore run again)
//   savedWork.settingsFor(lab, urlSettings, defaults)  settings to open with: the saved ones
//                                 when the link names none
//   savedWork.restore(lab, state)   after the session opened: load the saved network when it
//                                 was saved with these settings; resolves with the state. When
//                                 the link named other settings, the saved work is set aside
//                                 (the next save would overwrite it) and the toolbar offers it
//                                 back: one set-aside record per lab, the latest.
//   savedWork.changed(lab, method)  after a call: schedule a save when it changed the session
//   savedWork.extras(lab)           {get(key), set(key, value)} for ctx.saved
//   savedWork.mountToolbar(container)

import {changedSettings} from './url-state.js';

const KEY_PREFIX = 'glassbox:saved:';
const SET_ASIDE_SUFFIX = ':set-aside';
const RECORD_VERSION = 1;
// Play calls train every few tens of milliseconds; one export per second is plenty.
const SAVE_INTERVAL_MS = 1000;
const CHANGING_METHODS = new Set(['step', 'train', 'reset', 'update', 'load', 'new_weights',
  'set_parameter', 'add_point', 'remove_point', 'clear_points', 'import_csv']);
// An exported network is a few tens of kilobytes; a bigger file is not one of ours.
const MAX_IMPORT_BYTES = 5_000_000;

export function createSavedWork({call, notice, reopen, currentLab, off = false}) {
  const timers = new Map();   // lab -> pending save timer
  // Bumped when a lab's saved work is replaced or cleared, so a save already asking the
  // worker for its export cannot write the old network back afterwards.
  const generations = new Map();

  // Set by mountToolbar: a message in the toolbar, with one button when given an action.
  let say = () => {};

  function storageKey(lab) {
    return KEY_PREFIX + lab;
  }

  function setAsideKey(lab) {
    return KEY_PREFIX + lab + SET_ASIDE_SUFFIX;
  }

  /** The record under key, or null; a record that cannot be read is dropped with a notice. */
  function readKey(key) {
    let text;
    try {
      text = localStorage.getItem(key);
    } catch {
      return null;  // storage switched off: nothing is kept, nothing breaks
    }
    if (text === null) return null;
    try {
      const record = JSON.parse(text);
      if (record?.version === RECORD_VERSION) return record;
    } catch { /* fall through */ }
    removeKey(key);
    notice('The work saved for this lab could not be read, so it was cleared.');
    return null;
  }

  function writeKey(key, record) {
    try {
      localStorage.setItem(key, JSON.stringify(record));
    } catch (error) {
      notice(`Your work could not be saved in this browser (${error.name}).`);
    }
  }

  function removeKey(key) {
    try {
      localStorage.removeItem(key);
    } catch { /* storage switched off */ }
  }

  function read(lab) {
    return readKey(storageKey(lab));
  }

  function write(lab, change) {
    writeKey(storageKey(lab), {...(read(lab) ?? {version: RECORD_VERSION, extras: {}}), ...change});
  }

  function cancelSave(lab) {
    clearTimeout(timers.get(lab));
    timers.delete(lab);
    generations.set(lab, (generations.get(lab) ?? 0) + 1);
  }

  function forget(lab) {
    cancelSave(lab);
    removeKey(storageKey(lab));
  }

  async function save(lab) {
    timers.delete(lab);
    const generation = generations.get(lab);
    try {
      const exported = await call(lab, 'export');
      if (generations.get(lab) === generation) write(lab, {exported});
    } catch {
      // The session is gone or Python failed: that is reported where it happened.
    }
  }

  function settingsFor(lab, urlSettings, defaults) {
    if (off) return urlSettings;
    const exported = read(lab)?.exported;
    if (!exported || Object.keys(urlSettings).length) return urlSettings;
    return changedSettings(exported.settings ?? {}, defaults);
  }

  async function restore(lab, state) {
    if (off) return state;
    const record = read(lab);
    const exported = record?.exported;
    if (!exported) return state;
    if (canonical(exported.settings) !== canonical(state.settings)) {
      setAside(lab, record);
      return state;
    }
    try {
      return await call(lab, 'load', {exported});
    } catch (error) {
      forget(lab);
      notice(`The network saved for this lab could not be restored (${error.message}), ` +
             'so it starts afresh.');
      return state;
    }
  }

  /** The link named other settings than the saved ones: the saved work goes aside, where the
   * next save cannot overwrite it, and the toolbar offers it back. */
  function setAside(lab, record) {
    forget(lab);
    writeKey(setAsideKey(lab), record);
    say(`This link opened the ${lab} lab with settings of its own, so the network saved in this ` +
        `browser (iteration ${record.exported.progress?.iteration ?? 0}) was set aside, not ` +
        'lost.', {label: 'Bring back the saved network', action: () => bringBack(lab)});
  }

  async function bringBack(lab) {
    const record = readKey(setAsideKey(lab));
    if (!record) throw new Error('The network set aside is gone (cleared in another tab?).');
    forget(lab);
    writeKey(storageKey(lab), record);
    removeKey(setAsideKey(lab));
    await reopen(lab, {});  // with the link's settings empty, the saved ones are used
    say(`Brought back the saved ${lab} network (iteration ${record.exported.progress?.iteration ?? 0}).`);
  }

  function changed(lab, method) {
    if (off || !CHANGING_METHODS.has(method) || timers.has(lab)) return;
    timers.set(lab, setTimeout(() => save(lab), SAVE_INTERVAL_MS));
  }

  function extras(lab) {
    return {
      get: key => read(lab)?.extras?.[key],
      set: (key, value) => write(lab, {extras: {...(read(lab)?.extras ?? {}), [key]: value}}),
    };
  }

  // ---------------------------------------------------------------- toolbar

  function mountToolbar(container) {
    container.innerHTML = `
      <div class="saved-work-actions" role="group" aria-label="Saved work">
        <button type="button" data-saved="export">Export network (JSON)</button>
        <button type="button" data-saved="import">Import network&hellip;</button>
        <input type="file" accept=".json,application/json" hidden
               aria-label="Network file to import" data-saved-file>
        <button type="button" data-saved="reset">Reset to defaults</button>
      </div>
      <p class="saved-work-hint">This lab's settings and network are kept in this browser.</p>
      <p class="saved-work-message" role="status" aria-live="polite" data-saved-message></p>`;
    const message = container.querySelector('[data-saved-message]');
    const fileInput = container.querySelector('[data-saved-file]');
    say = (text, {problem = false, label, action} = {}) => {
      message.textContent = text;
      message.classList.toggle('is-problem', problem);
      if (!action) return;
      const button = Object.assign(document.createElement('button'), {type: 'button', textContent: label});
      button.addEventListener('click', () => {
        action().catch(error => say(error.message, {problem: true}));
      });
      message.append(' ', button);
    };
    const actions = {
      async export() {
        const lab = currentLab();
        const exported = await call(lab, 'export');
        download(`glassbox-${lab}-network.json`, JSON.stringify(exported, null, 1));
        say(`Exported the ${lab} network (iteration ${exported.progress?.iteration ?? 0}).`);
      },
      async import() {
        fileInput.value = '';
        fileInput.click();
      },
      async reset() {
        const lab = currentLab();
        forget(lab);
        removeKey(setAsideKey(lab));
        await reopen(lab, {});
        say('Reset to the defaults; the saved work for this lab was cleared.');
      },
    };
    container.addEventListener('click', event => {
      const button = event.target.closest('[data-saved]');
      if (!button || !currentLab()) return;
      actions[button.dataset.saved]().catch(error => say(error.message, {problem: true}));
    });
    fileInput.addEventListener('change', async () => {
      const file = fileInput.files[0];
      if (!file) return;
      const lab = currentLab();
      try {
        const exported = await readNetworkFile(file, lab);
        // Session.load validates everything and changes nothing when it refuses.
        const state = await call(lab, 'load', {exported});
        cancelSave(lab);
        write(lab, {exported: await call(lab, 'export')});
        await reopen(lab, {});  // with the link's settings empty, the saved ones are used
        say(`Imported ${file.name}: iteration ${state.iteration}.`);
      } catch (error) {
        const reason = error.message.replace(/\.$/, '');
        say(`${file.name} was not imported: ${reason}. Nothing was changed.`, {problem: true});
      }
    });
  }

  return {settingsFor, restore, changed, extras, mountToolbar};
}

/** The file's JSON, checked only as far as the page must (size, JSON, which lab). */
async function readNetworkFile(file, lab) {
  if (file.size > MAX_IMPORT_BYTES) throw new Error('the file is too large for a network.');
  let exported;
  try {
    exported = JSON.parse(await file.text());
  } catch {
    throw new Error('it is not JSON text.');
  }
  if (exported?.preset !== undefined && exported.preset !== lab) {
    throw new Error(`it holds a network of the ${String(exported.preset).slice(0, 40)} lab, ` +
                    `not the ${lab} lab; open that lab to import it.`);
  }
  return exported;
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], {type: 'application/json'}));
  const link = Object.assign(document.createElement('a'), {href: url, download: name});
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** JSON with sorted keys, so settings compare equal whatever order they were written in. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort()
      .map(key => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
