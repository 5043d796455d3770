// The app shell: lab switcher, router, start-up progress, notices, about line.
//
// ROUTES  index.html#xor | #deep | #glassbox | #digits, each optionally followed by the lab's
//         settings: `#deep?learning_rate=0.3&hidden=[4,4]` (see url-state.js). `?embed=1`
//         before the hash hides the site chrome, for an iframe in a course page.
//         `#teach` is the embed builder (teach/builder.js), a page for teachers, not a lab;
//         `?hide=…&lock=…` are a teacher's flags (shell/teacher-flags.js), and an embedded
//         page answers its parent's messages (shell/embed-api.js).
//
// LAB MODULE INTERFACE  site/js/labs/<id>.js, styles in site/css/labs/<id>.css:
//
//   export default {async mount(root, ctx), unmount()}   (the id is the file's name; the title
//   is the switcher link's, from nnsim.settings.LABS). Every lab builds it with the skeleton
//   shell/lab-module.js: labModule({template, createLab}).
//
//   mount(root, ctx) fills `root` (an empty element) and wires it up; unmount() releases
//   whatever mount took (timers, listeners outside root). The shell empties root afterwards.
//   ctx = {
//     call(method, args)  -> Promise of the result of this lab's Session method in the worker
//                            (docs/architecture.md); rejects with an Error whose message is the
//                            simulator's readable one. Waits for Python and the lab's session.
//     baked               {preset, state, trace}: the preset's default state and the trace of its
//                            first step, computed at build time, available at once: draw from
//                            it before Python is ready. (It is for the default settings: when
//                            ctx.settings change the network's shape, wait for whenReady.)
//     settings            the lab's settings from the URL (plain data, never insert as HTML)
//     saveSettings(obj)   put the lab's current settings in the URL (only those differing
//                            from the defaults), so a copied link reproduces the view
//     whenReady           Promise of the session's state() once Python is ready and the lab's
//                            session is open with ctx.settings (the shell falls back to the
//                            defaults, with a notice, when the simulator rejects them)
//     createTrainingLoop({onChunk, onStop, budgetMs, fullStateMs, finalState, animation}) -> see
//                            shell/training-loop.js; the shell stops it when the lab is
//                            unmounted
//     notice(message)     show a short message in the shell's polite live region
//     saved               {get(key), set(key, value)}: small data of the lab's own kept with
//                            its saved work (the Digits drawing); see shell/saved-work.js
//     signal              AbortSignal, aborted at unmount (for listeners and pending work)
//   }
//   Controls that need Python: render them `disabled data-needs-python`; the shell enables
//   them as the lab's `await ctx.whenReady` resolves, just before the lab continues.
//
// TEST HOOK  window.glassbox = {call(lab, method, args), pendingCalls(method?), timings: {readyMs},
// currentLab()} for the end-to-end tests (tests/e2e/conftest.py).

import * as runtime from './shell/runtime.js';
import {afterNextPaint} from './shell/next-frame.js';
import {mountDisplaySwitch} from './shell/display-mode.js';
import {keepOffline} from './shell/offline.js';
import {createSavedWork} from './shell/saved-work.js';
import {createTrainingLoop} from './shell/training-loop.js';
import {whenSeenOrUsed} from './shell/when-wanted.js';
import {createEmbedApi} from './shell/embed-api.js';
import {createTeacherFlags, linkFlags} from './shell/teacher-flags.js';
import {changedSettings, followsLinkOnly, formatHash, isEmbedded, parseHash} from './shell/url-state.js';

const root = document.getElementById('lab-root');
const switcher = document.getElementById('lab-switcher');
// The labs, id -> title, in the simulator's order: build.py writes the switcher's links from
// nnsim.settings.LABS. The first is the one an address naming no lab opens.
const LABS = Object.fromEntries([...switcher.querySelectorAll('a[data-lab]')]
  .map(link => [link.dataset.lab, link.textContent]));
const DEFAULT_LAB = Object.keys(LABS)[0];
const TEACH_PAGE = 'teach';       // the embed builder's address, #teach (footer link)
const labSettings = {};        // lab id -> settings last opened or saved (for switcher links)
// A lab in a course page starts Python once it is on screen or used (shell/when-wanted.js);
// on its own page at once.
const pythonWanted = isEmbedded(location.search)
  ? whenSeenOrUsed(document.getElementById('lab-root')) : Promise.resolve();
const openSessions = new Map();  // lab id -> {key: settings hash, opened: Promise of state}
let current = null;             // {id, module, controller, loops}
let routing = Promise.resolve();
// A teacher's hide= and lock= (shell/teacher-flags.js): locks hold the settings of the link
// the page was opened with, so a student editing the address later moves nothing locked.
const flags = linkFlags(location.search);
const firstLink = parseHash(location.hash);
const teacherFlags = createTeacherFlags(document);
const teacherAnswers = {};      // lab id -> the open answer's `teacher` (Python's checked flags)
const savedWork = createSavedWork({call: runtime.call, notice, reopen: reopenLab,
                                   currentLab: () => current?.id, labs: Object.keys(LABS),
                                   off: followsLinkOnly(location.search)});
// The course page's message API (shell/embed-api.js); set_settings opens the lab afresh.
const embedApi = createEmbedApi({
  win: window, root, call: runtime.call, currentLab: () => current?.id,
  setSettings: (id, settings) => reopenLab(id, changedSettings(settings, current?.defaults)),
});

// The start-up's milestones, as performance marks for bench/bench_startup.py: where the time
// between the first picture's files arriving and the picture itself goes.
const milestone = name => performance.mark(`glassbox:${name}`);

function boot() {
  milestone('shell');
  document.documentElement.classList.toggle('embedded', isEmbedded(location.search));
  if (isEmbedded(location.search)) {
    status.querySelector('[data-stage]').textContent = 'Python starts when you scroll to this lab or use it.';
  }
  mountDisplaySwitch(document.getElementById('display-modes'));
  runtime.onProgress(showProgress);
  runtime.onProgress(event => event.ready && keepOffline({offerUpdate}));
  runtime.onRestart(pythonRestarted);
  runtime.onProgress(showAboutOnce);
  savedWork.mountToolbar(document.getElementById('saved-work'));
  window.addEventListener('hashchange', () => route());
  window.glassbox = {call: runtime.call, pendingCalls: runtime.pendingCalls,
                     timings: runtime.timings, traffic: runtime.traffic,
                     currentLab: () => current?.id};
  route();   // Python starts once the lab has drawn its first picture (mountLab)
}

// ------------------------------------------------------------------ routing

function route() {
  // Serialise: a lab finishes mounting before the next route unmounts it.
  routing = routing.then(routeNow, routeNow);
  return routing;
}

async function routeNow() {
  const {lab, settings} = parseHash(location.hash);
  document.documentElement.classList.toggle('teach-page', lab === TEACH_PAGE);
  if (lab === TEACH_PAGE) {
    if (current?.id !== TEACH_PAGE) await mountTeacherPage();
    return;
  }
  // An own property only: "constructor" or "__proto__" are in every object, not labs.
  if (!Object.hasOwn(LABS, lab)) {
    history.replaceState(null, '', formatHash(DEFAULT_LAB, labSettings[DEFAULT_LAB]));
    const route = routeNow();
    if (lab) {
      route.then(() => notice(`There is no lab called “${lab.slice(0, 40)}”, so the ` +
                              `${LABS[DEFAULT_LAB]} opened instead.`));
    }
    return route;
  }
  const same = current?.id === lab &&
      formatHash(lab, settings) === formatHash(lab, labSettings[lab] ?? {});
  if (same) return;
  // A notice is about the lab it was given in: the next lab starts with none.
  if (current && current.id !== lab) clearNotices();
  unmountCurrent();
  labSettings[lab] = settings;
  markSwitcher(lab);
  await mountLab(lab, settings);
}

/** The embed builder (teach/builder.js): a page of the site, not a lab (no session, no
 * saved work); its preview is the real lab in an iframe. */
async function mountTeacherPage() {
  clearNotices();
  unmountCurrent();
  markSwitcher(null);
  const controller = new AbortController();
  try {
    const module = (await import('./teach/builder.js')).default;
    current = {id: TEACH_PAGE, module, controller, loops: new Set(), defaults: {}};
    root.dataset.lab = TEACH_PAGE;
    await module.mount(root, {labs: LABS, signal: controller.signal});
    showAboutOnce();   // this page starts no Python
  } catch (error) {
    if (!controller.signal.aborted) notice(`The embed builder stopped working: ${error.message}`);
  }
}

/** Python failed fatally and a fresh worker is starting: its sessions are gone, so every lab
 * opens its session again, from the work saved in this browser, and the open one now. */
function pythonRestarted() {
  openSessions.clear();
  if (!current || current.id === TEACH_PAGE) return;
  const id = current.id;
  const saved = savedWork.settingsFor(id, {}, current.defaults);
  reopenLab(id, Object.keys(saved).length ? saved : labSettings[id] ?? {}).then(() => notice(
    `Python stopped working and was started again, so the ${LABS[id]} lab was reopened ` +
    'from the work saved in this browser (the last moment of training may be missing).'));
}

/** Mount a lab afresh, with a new session (saved work: import, reset to defaults). */
function reopenLab(id, settings) {
  const reopen = async () => {
    unmountCurrent();
    openSessions.delete(id);
    history.replaceState(null, '', formatHash(id, settings));
    labSettings[id] = settings;
    markSwitcher(id);
    await mountLab(id, settings);
  };
  routing = routing.then(reopen, reopen);
  return routing;
}

function unmountCurrent() {
  if (!current) return;
  embedApi.unmounted(current.id);
  current.controller.abort();
  for (const loop of current.loops) loop.stop();
  current.module.unmount();
  root.replaceChildren();
  current = null;
}

async function mountLab(id, settings) {
  let module, baked;
  try {
    [module, baked] = await Promise.all([loadLabModule(id), loadBaked(id)]);
  } catch (error) {
    showLabMissing(id, error);
    return;
  }
  milestone('lab modules');
  // The lab's page goes in at once, in the task that evaluated its modules (together well under
  // a frame's 50 ms): each frame waited for before the first picture delays it by up to 17 ms.
  teacherFlags.early(root, flags);
  const linkSettings = settings;
  const saved = savedWork.settingsFor(id, settings, baked.state.settings);
  if (saved !== settings) {  // the link names no settings: the lab's saved ones are used
    settings = labSettings[id] = saved;
    history.replaceState(null, '', formatHash(id, saved));
  }
  const controller = new AbortController();
  const loops = new Set();
  current = {id, module, controller, loops, defaults: baked.state.settings};
  root.dataset.lab = id;
  // The session, and with the first one Python's start, waits for the lab's first request,
  // which a lab makes once it has drawn from the build's numbers, and then for that drawing
  // to be painted: the first picture shares the main thread with nothing of PyScript's.
  let opening = null;
  const opened = () => {
    opening ??= afterNextPaint().then(() => openSession(id, settings, baked.state.settings, linkSettings));
    opening.catch(() => {});  // the start-up failure is shown by the shell
    return opening;
  };
  const call = (method, args) => opened().then(() => runtime.call(id, method, args))
    .then(result => {
      savedWork.changed(id, method);
      embedApi.observe(id, method, result);
      return result;
    });
  const ctx = {
    call,
    baked,
    settings,
    saveSettings: obj => saveSettings(id, obj, baked.state.settings),
    // Read when the lab waits: its controls are enabled just before it continues, so a lab
    // that builds its page over several frames has them all in place by then.
    get whenReady() {
      return opened().then(state => { enablePythonControls(); return state; });
    },
    createTrainingLoop: options => {
      const loop = createTrainingLoop({call, whenIdle: runtime.whenIdle, ...options});
      loops.add(loop);
      return loop;
    },
    // A lab that was closed (switched away, or reopened after Python restarted) says nothing
    // more: its last call's failure is not news about the lab now open.
    notice: (...args) => controller.signal.aborted || notice(...args),
    saved: savedWork.extras(id),
    signal: controller.signal,
  };
  try {
    await module.mount(root, ctx);
  } catch (error) {
    // A failed start-up is already on the page; anything else would otherwise be silent.
    const startFailed = document.documentElement.dataset.state === 'error';
    if (!controller.signal.aborted && !startFailed) {
      notice(`The ${LABS[id]} lab stopped working: ${error.message}`);
    }
  }
}

async function loadLabModule(id) {
  try {
    return (await import(`./labs/${id}.js`)).default;
  } catch (error) {
    // The browser names only the lab's own module: find the file that is really missing.
    const missing = await window.glassboxMissingFile?.(`./js/labs/${id}.js`);
    throw missing ? new Error(`The file ${missing.name} could not be loaded (${missing.status}).`) : error;
  }
}

async function loadBaked(id) {
  const name = `baked/${id}.json`;
  const response = await fetch(`./${name}`).catch(() => null);
  if (!response?.ok) {
    throw new Error(`The file ${name} could not be loaded ` +
                    `(${response ? `HTTP ${response.status}` : 'the request failed'}).`);
  }
  try {
    return await response.json();
  } catch {
    throw new Error(`The file ${name} is damaged (it is not the JSON the build wrote).`);
  }
}

/** The lab's own files did not load: its area says which file and what to do, not blank. */
function showLabMissing(id, error) {
  root.dataset.lab = id;
  root.innerHTML = `
    <section class="page-message" role="alert" data-lab-missing>
      <h2>The ${LABS[id]} lab could not be loaded</h2>
      <p data-reason></p>
      <p>If this folder was copied or uploaded, part of it did not arrive: copy the whole
      folder again (all of <code>dist/</code>), then reload the page. The other labs may
      still work.</p>
    </section>`;
  root.querySelector('[data-reason]').textContent = error.message;
  // The page is not "loading" any more: it has stopped, and says why.
  document.documentElement.dataset.state = 'error';
}

function enablePythonControls() {
  for (const control of root.querySelectorAll('[data-needs-python]')) control.disabled = false;
  if (!current) return;
  if (flags) teacherFlags.apply(root, teacherAnswers[current.id]);
  embedApi.ready(current.id);
}

/** Open the lab's session with settings, or reuse it when it is open with them already. */
function openSession(id, settings, defaults, linkSettings) {
  const key = formatHash(id, changedSettings(settings, defaults));
  const known = openSessions.get(id);
  if (known?.key === key) return known.opened.then(() => runtime.call(id, 'state'));
  const fromLink = settings === linkSettings;
  const opened = pythonWanted.then(runtime.start).then(() => openWithFallback(id, settings, fromLink))
    .then(state => savedWork.restore(id, state, {linkSettings}));
  openSessions.set(id, {key, opened});
  opened.then(state => {
    runtime.markReady();
    showBackend(state.backend);
  }, runtime.fail);
  return opened;
}

/** Settings the simulator rejects (a garbled link, a damaged saved record) give way to the
 * defaults, with a notice saying where they came from. */
async function openWithFallback(id, settings, fromLink) {
  if (runtime.timings.readyMs === null) runtime.reportStage(2);
  const teacher = flags && {...flags, link: firstLink.lab === id ? firstLink.settings : {}};
  const open = async openWith => {
    const state = await runtime.call(id, 'open', {preset: id, settings: openWith,
                                                  ...(teacher ? {teacher} : {})});
    teacherAnswers[id] = state.teacher ?? null;
    if (state.teacher?.problems.length) notice(state.teacher.problems.join(' '));
    return state;
  };
  try {
    return await open(settings);
  } catch (error) {
    if (!Object.keys(settings).length) throw error;
    const source = fromLink ? 'in the link' : 'saved in this browser';
    notice(`The settings ${source} could not be used (${error.message.replace(/\.$/, '')}), ` +
           'so the lab opened with its defaults.');
    saveSettings(id, {}, {});
    return open({});
  }
}

function saveSettings(id, settings, defaults) {
  const changed = changedSettings(settings, defaults);
  if (formatHash(id, changed) !== formatHash(id, labSettings[id] ?? {})) {
    embedApi.settingsChanged(id, settings);
  }
  labSettings[id] = changed;
  const known = openSessions.get(id);   // none yet when the lab has not asked for Python
  if (known) known.key = formatHash(id, changed);
  if (current?.id === id) history.replaceState(null, '', formatHash(id, changed));
  updateSwitcherLinks();
}

// ------------------------------------------------------------------ switcher

function markSwitcher(lab) {
  for (const link of document.querySelectorAll('a[data-lab]')) {
    if (link.dataset.lab === lab) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  updateSwitcherLinks();
}

function updateSwitcherLinks() {
  for (const link of switcher.querySelectorAll('a[data-lab]')) {
    link.href = formatHash(link.dataset.lab, labSettings[link.dataset.lab]);
  }
}

// ------------------------------------------------------------------ status, notices, about

const status = document.getElementById('runtime-status');

function showProgress(event) {
  if (event.error) {
    showStartupError(event.error);
    return;
  }
  if (event.ready) {
    status.querySelector('[data-stage]').textContent =
      `Python ready in ${(event.elapsedMs / 1000).toFixed(1)} s.`;
    // A course page's embedded lab keeps its room for the lab once Python is there.
    if (isEmbedded(location.search)) status.hidden = true;
    return;
  }
  // The bar fills as stages begin, so the first stage already shows movement.
  status.querySelector('progress').max = event.count + 1;
  status.querySelector('progress').value = event.index + 1;
  status.querySelector('[data-stage]').textContent =
    `${event.stage} (step ${event.index + 1} of ${event.count})`;
}

function showStartupError(error) {
  const panel = document.getElementById('startup-error');
  const lines = String(error?.message ?? error).trim().split('\n');
  // A Python traceback ends with the line that says what went wrong; lead with it.
  panel.querySelector('[data-error-summary]').textContent = lines[lines.length - 1];
  panel.querySelector('[data-error-details]').textContent = lines.join('\n');
  panel.querySelector('details').hidden = lines.length < 2;
  panel.hidden = false;
}

function clearNotices() {
  document.getElementById('notices').replaceChildren();
}

/** A notice; `action` ({label, run}) adds a button that does something about it. */
function notice(message, action = null) {
  const item = document.createElement('p');
  item.textContent = message;
  if (action) {
    const button = Object.assign(document.createElement('button'),
                                 {type: 'button', textContent: action.label});
    button.addEventListener('click', action.run);
    item.append(' ', button);
  }
  const dismiss = Object.assign(document.createElement('button'), {type: 'button', textContent: '×'});
  dismiss.setAttribute('aria-label', 'Dismiss this notice');
  dismiss.addEventListener('click', () => item.remove());
  item.append(' ', dismiss);
  document.getElementById('notices').append(item);
}

function offerUpdate(reload) {
  notice('A new version of Glassbox is ready.', {label: 'Reload', run: reload});
}

// The footer's build line is not part of a lab's first picture: it is asked for once Python
// starts, which waits for that picture, or once the embed builder, which starts none, is shown.
let aboutShown = false;
function showAboutOnce() {
  if (!aboutShown) showAbout();
  aboutShown = true;
}

async function showAbout() {
  const about = document.getElementById('about-build');
  try {
    const info = await (await fetch('./build-info.json')).json();
    about.textContent = `Python in a Web Worker: Pyodide ${info.versions.pyodide} via ` +
      `PyScript ${info.versions['@pyscript/core']}; NumPy ${info.numpy ? 'vendored' : 'not vendored'}.`;
  } catch {
    about.textContent = 'Build information is missing: was this folder built with build.py?';
  }
}

function showBackend(backend) {
  const {python, start, start_reason: reason} = runtime.pythonInfo();
  const started = start === 'snapshot' ? 'started from its memory snapshot'
    : `plain start${reason ? ` (${reason})` : ''}`;
  document.getElementById('about-backend').textContent =
    `Python ${python}, ${started}; simulator path: ${backend}.`;
}

boot();
