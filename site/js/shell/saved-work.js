// Saved work: each lab's settings, weights and counters survive a reload. The simulator's own
// Session export() is what is kept (in localStorage, one record per lab: saved-work/store.js)
// and Session.load() is what restores it, so Python validates a saved, restored or imported
// network exactly as it would any other input. A lab may keep small extras of its own (the
// Digits drawing) through ctx.saved. The toolbar (saved-work/toolbar.js) exports the network
// as a JSON file, imports one, and resets the lab to its defaults, clearing what was kept.
//
// Saved work is only ever replaced by a network the user chose. What cannot be used now is
// set aside, never deleted: the saved network when a link names other settings, a record the
// simulator refuses, text that is not a record at all. Every network set aside stays, with
// its iteration and the time, until the user brings it back, downloads or discards it.
//
//   const savedWork = createSavedWork({call, notice, reopen, currentLab, labs, off});
//     off                       true in an embed whose link wins (url-state.js followsLinkOnly):
//                                 nothing is restored or saved; export and import still work
//     call(lab, method, args)   the runtime's call into the worker
//     reopen(lab, settings)     unmount the lab, forget its session, mount it afresh with
//                                 these URL settings (then settingsFor and restore run again)
//   savedWork.settingsFor(lab, urlSettings, defaults)  settings to open with: the saved ones
//                                 when the link names none
//   savedWork.restore(lab, state, {linkSettings})  after the session opened: load the saved
//                                 network; resolves with the state. When the link named other
//                                 settings, or the simulator refuses the record, it is set aside.
//   savedWork.changed(lab, method)  after a call: schedule a save when it changed the session
//   savedWork.extras(lab)           {get(key), set(key, value)} for ctx.saved
//   savedWork.mountToolbar(container)

import {formatCount} from '../views/format.js';
import {changedSettings} from './url-state.js';
import {createStore, RECORD_VERSION} from './saved-work/store.js';
import {createToolbar, download} from './saved-work/toolbar.js';

// Play calls train every few tens of milliseconds; one export per second is plenty.
const SAVE_INTERVAL_MS = 1000;
const CHANGING_METHODS = new Set(['step', 'train', 'reset', 'update', 'load', 'new_weights',
  'set_parameter', 'add_point', 'remove_point', 'clear_points', 'import_csv']);
// An exported network is a few tens of kilobytes; a bigger file is not one of ours.
const MAX_IMPORT_BYTES = 5_000_000;

export function createSavedWork({call, notice, reopen, currentLab, labs, off = false}) {
  const store = createStore({
    onWriteFailed: error => notice(`Your work could not be saved in this browser (${error.name}).`),
  });
  const timers = new Map();   // lab -> pending save timer
  // Bumped when a lab's saved work is replaced or cleared, so a save already asking the
  // worker for its export cannot write the old network back afterwards.
  const generations = new Map();
  let toolbar = {say() {}, showAside() {}};   // until mountToolbar

  // ------------------------------------------------------------ the lab's own record

  /** The lab's record, or null. Text that is not a record is set aside, with a notice. */
  function read(lab) {
    const found = store.read(lab);
    if (!found?.unreadable) return found?.record ?? null;
    if (store.setAside(lab, {reason: 'unreadable', text: found.unreadable})) store.remove(lab);
    notice(`The work saved for the ${lab} lab could not be read, so the lab starts afresh; ` +
           'what was stored is kept under "Networks set aside", to download.');
    showAside();
    return null;
  }

  function write(lab, change) {
    store.write(lab, {...(read(lab) ?? {version: RECORD_VERSION, extras: {}}), ...change});
  }

  function cancelSave(lab) {
    clearTimeout(timers.get(lab));
    timers.delete(lab);
    generations.set(lab, (generations.get(lab) ?? 0) + 1);
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

  // ------------------------------------------------------------ opening a lab

  function settingsFor(lab, urlSettings, defaults) {
    if (off) return urlSettings;
    const exported = read(lab)?.exported;
    if (!exported || Object.keys(urlSettings).length) return urlSettings;
    const saved = exported.settings;
    return saved && typeof saved === 'object' && !Array.isArray(saved)
      ? changedSettings(saved, defaults) : {};
  }

  async function restore(lab, state, {linkSettings = {}} = {}) {
    if (off) return state;
    const record = read(lab);
    if (!record?.exported) return state;
    const linkNamedOthers = Object.keys(linkSettings).length &&
        canonical(record.exported.settings) !== canonical(state.settings);
    if (linkNamedOthers) {
      if (moveAside(lab, {reason: 'link', record})) {
        toolbar.say(`This link opened the ${lab} lab with settings of its own, so the network ` +
                    `saved in this browser (iteration ${iterationOf(record)}) was set aside, ` +
                    'not lost: it is listed under "Networks set aside".');
      }
      return state;
    }
    try {
      return await call(lab, 'load', {exported: record.exported});
    } catch (error) {
      const problem = error.message.replace(/\.$/, '');
      const kept = moveAside(lab, {reason: 'unrestorable', record, problem});
      toolbar.say(`The ${lab} network saved in this browser could not be restored (${problem}), ` +
                  `so the lab starts afresh. ${kept ? 'The saved network was kept: download ' +
                  'or discard it under "Networks set aside".' : 'It stays where it was.'}`,
                  {problem: true});
      return state;
    }
  }

  /** The record goes from the lab's slot to its set-aside list; false (and nothing moved)
   * when it could not be written there. */
  function moveAside(lab, entry) {
    cancelSave(lab);
    if (!store.setAside(lab, entry)) return false;
    store.remove(lab);
    showAside();
    return true;
  }

  // ------------------------------------------------------------ networks set aside

  function showAside() {
    toolbar.showAside(labs.flatMap(lab => store.aside(lab).map(entry => asideItem(lab, entry))));
  }

  function asideItem(lab, entry) {
    const when = entry.at ? new Date(entry.at).toLocaleString('en-GB',
      {dateStyle: 'medium', timeStyle: 'short'}) : 'earlier';
    const what = entry.record ? `iteration ${iterationOf(entry.record)}` : 'unreadable data';
    const why = {link: 'a link opened other settings', unrestorable: entry.problem,
                 unreadable: 'not a saved network'}[entry.reason] ?? '';
    const name = `the ${lab} network (${what}, set aside ${when})`;
    const actions = [
      {label: 'Download', name: `Download ${name}`, action: () => downloadAside(lab, entry)},
      {label: 'Discard', name: `Discard ${name}`, action: () => discardAside(lab, entry)},
    ];
    if (entry.reason === 'link') {
      actions.unshift({label: 'Bring back', name: `Bring back ${name}`, action: () => bringBack(lab, entry)});
    }
    return {text: `${lab}: ${what}, set aside ${when}${why ? ` (${why})` : ''}.`, actions};
  }

  async function bringBack(lab, entry) {
    const current = read(lab);
    // The network now in the lab is set aside in its turn: bringing one back loses none.
    if (current?.exported && !store.setAside(lab, {reason: 'link', record: current})) {
      throw new Error('The network now in the lab could not be set aside, so nothing was changed.');
    }
    cancelSave(lab);
    store.write(lab, entry.record);
    store.discard(lab, entry.id);
    showAside();
    await reopen(lab, {});  // with the link's settings empty, the saved ones are used
    toolbar.say(`Brought back the saved ${lab} network (iteration ${iterationOf(entry.record)}).` +
                (current?.exported ? ' The one it replaced is now under "Networks set aside".' : ''));
  }

  function downloadAside(lab, entry) {
    const text = entry.record ? JSON.stringify(entry.record.exported ?? entry.record, null, 1)
      : entry.text;
    download(`glassbox-${lab}-set-aside.json`, text);
    toolbar.say(`Downloaded the ${lab} network set aside; it is still kept here.`);
  }

  function discardAside(lab, entry) {
    store.discard(lab, entry.id);
    showAside();
    toolbar.say(`Discarded the ${lab} network set aside.`);
  }

  // ------------------------------------------------------------ toolbar actions

  async function exportNetwork(lab) {
    const exported = await call(lab, 'export');
    download(`glassbox-${lab}-network.json`, JSON.stringify(exported, null, 1));
    toolbar.say(`Exported the ${lab} network (iteration ${exported.progress?.iteration ?? 0}).`);
  }

  async function importNetwork(lab, file) {
    let state;
    try {
      const exported = await readNetworkFile(file, lab);
      // Session.load validates everything and changes nothing when it refuses.
      state = await call(lab, 'load', {exported});
    } catch (error) {
      const reason = error.message.replace(/\.$/, '');
      toolbar.say(`${file.name} was not imported: ${reason}. Nothing was changed.`, {problem: true});
      return;
    }
    cancelSave(lab);
    write(lab, {exported: await call(lab, 'export')});
    await reopen(lab, {});  // with the link's settings empty, the saved ones are used
    toolbar.say(`Imported ${file.name}: iteration ${state.iteration}.`);
  }

  async function resetLab(lab) {
    cancelSave(lab);
    store.remove(lab);
    await reopen(lab, {});
    const kept = store.aside(lab).length;
    toolbar.say('Reset to the defaults; the saved work for this lab was cleared' +
                (kept ? ' (networks set aside are still kept).' : '.'));
  }

  function mountToolbar(container) {
    const withLab = action => (...args) => {
      const lab = currentLab();
      return lab ? action(lab, ...args) : undefined;
    };
    toolbar = createToolbar(container, {
      onExport: withLab(exportNetwork),
      onImport: withLab(importNetwork),
      onReset: withLab(resetLab),
    });
    showAside();
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

function iterationOf(record) {
  const iteration = record?.exported?.progress?.iteration;
  return Number.isSafeInteger(iteration) ? formatCount(iteration) : 'unknown';
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
