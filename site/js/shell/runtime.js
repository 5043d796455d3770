// The Python runtime: PyScript starts Pyodide in a Web Worker running py/worker.py, which
// exports py/bridge.py's `call`, and the page talks to it only through call(lab, method,
// args), JSON text both ways.
//
// Everything about starting Python lives in start() below, so a different start (for example
// from a memory snapshot, named by pyscript.json's "interpreter") changes this file only.
//
// <html data-state> is "loading" until Python answers, then "ready", or "error" on failure.
// Progress goes to listeners (onProgress) as stages, then ready or an error.

import {LIMITS, deeperThan} from './json-depth.js';

const PYSCRIPT_CORE = './vendor/pyscript/core.js';
const PYSCRIPT_CSS = './vendor/pyscript/core.css';
const WORKER_SCRIPT = './py/worker.py';
const CONFIG = './pyscript.json';
// Every file Python's start needs (the snapshot is optional: without it Python starts plain).
// A half-copied folder is found by asking for each at once (HEAD requests, in parallel with
// the start), so the page names the missing file within moments rather than when PyScript or
// Pyodide trips over it, with a misleading name or none, or never. The files index.html
// preloads (build.py's PRELOAD_FETCHES) are not asked for twice: their preload's status is
// read from Resource Timing.
const REQUIRED_FILES = [
  './py/nnsim.zip', './js/shell/pyodide-loader.mjs', './js/shell/snapshot-static-data.mjs',
  './pyodide/pyodide.mjs',
  './pyodide/pyodide.asm.mjs', './pyodide/pyodide.asm.wasm', './pyodide/python_stdlib.zip',
  './pyodide/pyodide-lock.json',
];
const PRELOADED_FILES = [CONFIG, WORKER_SCRIPT];
// Pyodide only logs a failed wasm instantiation and then waits forever, so a start that has
// not finished by then is reported as failed rather than left spinning.
const START_TIMEOUT_MS = 120_000;

export const STAGES = [
  'Loading PyScript',
  'Starting Python in a worker (compiling WebAssembly)',
  'Opening the lab',
];

const listeners = new Set();
const restartListeners = new Set();
// Pyodide's words once it cannot go on (a stack exhausted in C, say): every later call fails
// with "Pyodide already fatally failed", so the worker is replaced.
const FATAL = /fatally failed|fatal error/i;
let worker = null;
let startPromise = null;
let about = null;   // the bridge's `about`: {python, numpy, start, start_reason}
const startedAt = performance.now();

export const timings = {readyMs: null};

/** Subscribe: fn({stage, index, count, elapsedMs}), fn({ready, elapsedMs}), fn({error}). */
export function onProgress(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function reportStage(index) {
  const event = {stage: STAGES[index], index, count: STAGES.length,
                 elapsedMs: performance.now() - startedAt};
  for (const fn of listeners) fn(event);
}

function setState(state) {
  document.documentElement.dataset.state = state;
}

/** Subscribe: fn() when Python failed fatally and a fresh worker is starting (its sessions
 * are gone: the labs reopen from saved work). */
export function onRestart(fn) {
  restartListeners.add(fn);
  return () => restartListeners.delete(fn);
}

/** Start Python once; resolves when the worker's bridge can answer. */
export function start() {
  startPromise ??= withTimeout(startWorker(), START_TIMEOUT_MS).catch(error => {
    fail(error);
    throw error;
  });
  return startPromise;
}

/** Mark the start-up as failed (also used when opening a lab fails at start). */
export function fail(error) {
  if (document.documentElement.dataset.state === 'error') return;
  setState('error');
  for (const fn of listeners) fn({error});
}

/** Python answers and the first lab is open: the page is ready. */
export function markReady() {
  if (timings.readyMs !== null) return;
  timings.readyMs = Math.round(performance.now() - startedAt);
  setState('ready');
  for (const fn of listeners) fn({ready: true, elapsedMs: timings.readyMs});
}

async function startWorker() {
  checkBrowser();
  catchLoadFailures();
  preloadPythonFiles();
  const missing = Promise.all([firstMissing(REQUIRED_FILES), ...PRELOADED_FILES.map(preloadMissing)])
    .then(errors => errors.find(Boolean) ?? null);
  try {
    // Without its config PyScript would fetch Pyodide from a public CDN: it never starts then.
    const configMissing = await preloadMissing(CONFIG);
    if (configMissing) throw configMissing;
    const failIfMissing = missing.then(error => (error ? Promise.reject(error) : new Promise(() => {})));
    await Promise.race([startPyScript(), failIfMissing]);
  } catch (error) {
    // A start that failed because a file is missing is reported by that file's name.
    const missingError = await Promise.race([missing, delay(3000)]);
    throw missingError ?? error;
  }
}

/** PyScript's modules and the files it fetches before its worker exists, asked for at once
 * rather than one import level at a time: build.py keeps their preloads in a <template>, inert
 * until Python starts, after the lab's first picture (startup.py). */
function preloadPythonFiles() {
  const held = document.getElementById('python-preloads');
  if (held) document.head.append(held.content.cloneNode(true));
}

/** PyScript and Pyodide reject promises of their own, with nobody to catch them, for a file
 * they cannot load ("[404] Unable to fetch ./py/worker.py", "Failed to load
 * '…/python_stdlib.zip'"). Caught from before PyScript starts, so that none is left uncaught
 * however its timing falls against the page's own check, and reported as the start's
 * failure, by the file's name when the file is missing. */
function catchLoadFailures() {
  const needed = [...REQUIRED_FILES, ...PRELOADED_FILES, PYSCRIPT_CORE];
  window.addEventListener('unhandledrejection', event => {
    const message = String(event.reason?.message ?? event.reason);
    const file = needed.find(path => message.includes(path.replace(/^\.\//, '')));
    if (!file) return;
    event.preventDefault();
    firstMissing([file]).then(error => fail(error ?? new Error(`Python could not start: ${message}`)));
  });
}

async function startPyScript() {
  const first = timings.readyMs === null;   // else a restart: the page is up, no progress
  if (first) {
    reportStage(0);
    const css = Object.assign(document.createElement('link'), {rel: 'stylesheet', href: PYSCRIPT_CSS});
    document.head.append(css);
  }
  const script = document.createElement('script');
  script.type = 'py';
  script.setAttribute('worker', '');
  script.setAttribute('config', CONFIG);
  script.src = WORKER_SCRIPT;
  document.body.append(script);
  // import() resolves against this module, the other paths against the page: make it absolute.
  await import(new URL(PYSCRIPT_CORE, document.baseURI).href).catch(async error => {
    const missing = await window.glassboxMissingFile?.(PYSCRIPT_CORE);
    throw missing ? missingFile(missing.name, missing.status) : error;
  });
  if (first) reportStage(1);
  // PyScript attaches .xworker to the element some time after it has seen it.
  const xworker = await waitFor(() => script.xworker);
  await xworker.ready;
  worker = xworker;
  about = await request({method: 'about'});
}

function checkBrowser() {
  if (location.protocol === 'file:') {
    throw new Error('This page was opened from a file. Serve its folder instead: ' +
                    'run `python -m http.server` in it, or `python build.py serve`.');
  }
  if (typeof WebAssembly !== 'object' || typeof Worker !== 'function') {
    throw new Error('This browser cannot run WebAssembly in a worker, which Python needs here. ' +
                    'Use a current Chrome, Edge, Firefox or Safari with WebAssembly enabled.');
  }
}

/** Resolves with an Error naming a preloaded file that did not load, or null once it has; in a
 * browser that does not report the status of a fetch, with a HEAD request's answer. */
async function preloadMissing(url) {
  const href = new URL(url, document.baseURI).href;
  if (!('responseStatus' in PerformanceResourceTiming.prototype)) return firstMissing([url]);
  for (const started = performance.now(); performance.now() - started < START_TIMEOUT_MS;) {
    const [entry] = performance.getEntriesByName(href);
    if (entry?.responseStatus >= 400) return missingFile(url, `HTTP ${entry.responseStatus}`);
    if (entry?.responseStatus) return null;
    if (entry) return firstMissing([url]);  // fetched, status not reported (a network error)
    await delay(50);
  }
  return null;
}

function delay(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** Resolves with an Error naming the first of `urls` that cannot be fetched, or null. */
async function firstMissing(urls) {
  const answers = await Promise.all(urls.map(url => fetch(url, {method: 'HEAD'})
    .then(response => (response.ok ? null : missingFile(url, `HTTP ${response.status}`)),
          () => missingFile(url, 'the request was blocked or failed'))));
  return answers.find(Boolean) ?? null;
}

function missingFile(path, why) {
  return new Error(`The file ${path.replace(/^\.\//, '')} could not be loaded (${why}), so ` +
                   'Python cannot start. If this folder was copied, part of it is missing: ' +
                   'copy the whole folder again.');
}

function waitFor(get) {
  return new Promise(resolve => {
    const poll = () => (get() ? resolve(get()) : setTimeout(poll, 10));
    poll();
  });
}

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(
      `Python did not start within ${ms / 1000} s. Reload the page to try again.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** What the worker's Python said about itself, once started (the bridge's `about`). */
export function pythonInfo() {
  return about;
}

/**
 * Call a method of a lab's simulator session in the worker. Resolves with the result;
 * rejects with an Error carrying the bridge's readable message.
 */
export async function call(lab, method, args = {}) {
  await start();
  return request({lab, method, args});
}

const pending = new Map();   // method -> calls of it now in the worker
// Round trips and bytes each way, per method, since the page opened (bench/bench_round_trips.py).
export const traffic = {};
const idleWaiters = [];      // resolvers of whenIdle() promises

async function request(message) {
  const text = checkedJson(message);
  pending.set(message.method, (pending.get(message.method) ?? 0) + 1);
  let answer;
  try {
    answer = await worker.sync.call(text);
    const counts = traffic[message.method] ??= {calls: 0, sent: 0, received: 0};
    counts.calls += 1;
    counts.sent += text.length;
    counts.received += answer.length;
  } catch (error) {
    if (FATAL.test(String(error?.message ?? error))) throw await restartAfter(error);
    // PyScript reports an exception in the worker's script on the console and carries on, so
    // the first sign of a bridge that did not load is its missing `call`.
    throw new Error(`Python started, but the bridge (py/bridge.py) did not load (${error.message}); ` +
                    'the browser console shows its error.', {cause: error});
  } finally {
    pending.set(message.method, pending.get(message.method) - 1);
    if (pendingCalls() === 0) idleWaiters.splice(0).forEach(resolve => resolve());
  }
  const response = JSON.parse(answer);
  if (!response.ok) throw new Error(response.error);
  return response.result;
}

/** Python failed fatally: a fresh worker is started through PyScript, as at first, and every
 * call waits for it (start() answers with it). Resolves with the Error the failed call gets. */
async function restartAfter(error) {
  if (worker) {
    console.error('Python failed fatally; starting a fresh worker.', error);
    const old = worker;
    worker = null;
    old.terminate?.();
    document.querySelector('script[type="py"][worker]')?.remove();
    startPromise = withTimeout(startPyScript(), START_TIMEOUT_MS).catch(failure => {
      fail(failure);
      throw failure;
    });
    for (const fn of restartListeners) fn();
  }
  return start().then(
    () => new Error('Python stopped working and was started again; this step was not taken.'),
    failure => failure);
}

/** The message as JSON text, or an Error in plain words when it is beyond the bridge's limits
 * (json-depth.js's LIMITS): a link, a file or a stored record nested too deep must never reach
 * Python's parser. */
function checkedJson(message) {
  if (deeperThan(message, LIMITS.nesting)) {
    throw new Error(`The data is nested more than ${LIMITS.nesting} levels deep, which no ` +
                    'setting or network needs, so it was not read.');
  }
  const text = JSON.stringify(message);
  if (text.length > LIMITS.request_chars) {
    throw new Error(`The data is too large (${text.length.toLocaleString('en')} characters; at ` +
                    `most ${LIMITS.request_chars.toLocaleString('en')}), so it was not read.`);
  }
  return text;
}

/** Resolves once no call is in the worker. */
export function whenIdle() {
  if (pendingCalls() === 0) return Promise.resolve();
  return new Promise(resolve => idleWaiters.push(resolve));
}

/** How many calls (of `method`, or of any) are in the worker now: the tests use it to see
 * that a run has stopped. */
export function pendingCalls(method) {
  if (method) return pending.get(method) ?? 0;
  return [...pending.values()].reduce((sum, count) => sum + count, 0);
}
