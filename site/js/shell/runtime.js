// The Python runtime: PyScript starts Pyodide in a Web Worker running py/worker.py, which
// exports py/bridge.py's `call`, and the page talks to it only through call(lab, method,
// args), JSON text both ways.
//
// Everything about starting Python lives in start() below, so a different start (for example
// from a memory snapshot, named by pyscript.json's "interpreter") changes this file only.
//
// <html data-state> is "loading" until Python answers, then "ready", or "error" on failure.
// Progress goes to listeners (onProgress) as stages, then ready or an error.

const PYSCRIPT_CORE = './vendor/pyscript/core.js';
const PYSCRIPT_CSS = './vendor/pyscript/core.css';
const WORKER_SCRIPT = './py/worker.py';
const CONFIG = './pyscript.json';
const WASM = './pyodide/pyodide.asm.wasm';
// Pyodide only logs a failed wasm instantiation and then waits forever, so a start that has
// not finished by then is reported as failed rather than left spinning.
const START_TIMEOUT_MS = 120_000;

export const STAGES = [
  'Loading PyScript',
  'Starting Python in a worker (compiling WebAssembly)',
  'Opening the lab',
];

const listeners = new Set();
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
  // A missing or blocked wasm makes Pyodide wait forever; a HEAD request finds out at once.
  await Promise.race([startPyScript(), checkReachable(WASM)]);
}

async function startPyScript() {
  reportStage(0);
  const css = Object.assign(document.createElement('link'), {rel: 'stylesheet', href: PYSCRIPT_CSS});
  document.head.append(css);
  const script = document.createElement('script');
  script.type = 'py';
  script.setAttribute('worker', '');
  script.setAttribute('config', CONFIG);
  script.src = WORKER_SCRIPT;
  document.body.append(script);
  // import() resolves against this module, the other paths against the page: make it absolute.
  await import(new URL(PYSCRIPT_CORE, document.baseURI).href);
  reportStage(1);
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

/** Rejects when url cannot be fetched; never resolves otherwise (it only races failures). */
async function checkReachable(url) {
  let response;
  try {
    response = await fetch(url, {method: 'HEAD'});
  } catch {
    throw new Error(`Could not load ${url.replace('./', '')}: the request was blocked or failed.`);
  }
  if (!response.ok) {
    throw new Error(`Could not load ${url.replace('./', '')} (HTTP ${response.status}).`);
  }
  return new Promise(() => {});
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
  pending.set(message.method, (pending.get(message.method) ?? 0) + 1);
  let text;
  try {
    const sent = JSON.stringify(message);
    text = await worker.sync.call(sent);
    const counts = traffic[message.method] ??= {calls: 0, sent: 0, received: 0};
    counts.calls += 1;
    counts.sent += sent.length;
    counts.received += text.length;
  } catch (error) {
    // PyScript reports an exception in the worker's script on the console and carries on, so
    // the first sign of a bridge that did not load is its missing `call`.
    throw new Error(`Python started, but the bridge (py/bridge.py) did not load (${error.message}); ` +
                    'the browser console shows its error.', {cause: error});
  } finally {
    pending.set(message.method, pending.get(message.method) - 1);
    if (pendingCalls() === 0) idleWaiters.splice(0).forEach(resolve => resolve());
  }
  const response = JSON.parse(text);
  if (!response.ok) throw new Error(response.error);
  return response.result;
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
