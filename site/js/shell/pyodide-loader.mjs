// PyScript's "interpreter" module: PyScript's Pyodide engine imports the module named by the
// config's "interpreter" and calls its loadPyodide and version exports. This one starts
// Pyodide from the memory snapshot baked by build.py (Python already started, nnsim already
// imported), which on a fast link is ready in about a third of the time of a plain start.
//
// The snapshot costs about 5 MB of download and saves 2 s of CPU or more (much more on a busy
// machine), so it only pays on a fast enough link: its own first bytes measure the link, and
// a download that would take longer than it saves is abandoned for a plain start. A plain
// start is also the fallback whenever the snapshot is missing, cannot be fetched or does not
// load: `_loadSnapshot` is a private, experimental Pyodide option that only fits the exact
// pyodide.asm.wasm it was made with.
//
// The start used is left in Python's environment for the bridge's `about` to report:
// GLASSBOX_PYTHON_START is "snapshot" or "plain", GLASSBOX_PYTHON_START_REASON says why plain.

import { loadPyodide as loadPlain, version } from '../../pyodide/pyodide.mjs';
import { xorStaticData } from './snapshot-static-data.mjs';

export { version };

const PYODIDE_DIR = new URL('../../pyodide/', import.meta.url).href;
const WASM_URL = new URL('pyodide.asm.wasm', PYODIDE_DIR).href;
const SNAPSHOT_URL = new URL('../../pyodide/python-snapshot.bin.gz', import.meta.url).href;
// The standard library of a start from the snapshot: only what the snapshot does not hold
// imported already (startup.py SNAPSHOT_STDLIB), all but empty.
const SNAPSHOT_STDLIB_URL = new URL('../../pyodide/python_stdlib-snapshot.zip', import.meta.url).href;
// Longest projected download worth waiting for. The first bytes share the link with Pyodide's
// own files, so a projection runs 3-5 times the real download. Measured with one link shared
// by every download (bench/bench_startup.py, 2 cold loads each): at 20 Mbit/s both starts took
// about 9 s, projections 10-13 s; at 30 Mbit/s the snapshot start took 7.1 s against 7.2-11.9 s
// plain, projections 6-9 s; at 40 Mbit/s 7.1 s against 8.5-10.7 s, projections 5-5.5 s.
const DOWNLOAD_BUDGET_MS = 9000;
// How long the download is watched, from its start, before it is judged.
const PROBE_MS = 250;

// PyScript's worker imports this module as soon as it has read the config, but calls
// loadPyodide only after opening its package cache in IndexedDB: 10 to 800 ms later on a
// fresh browser profile, as measured here. So Python's start begins here, at import, and loadPyodide hands over
// that same start. PyScript's output hooks arrive with loadPyodide; until then Python's output
// goes to the console, as PyScript's hooks would send it.
const output = {stdout: console.log, stderr: console.error};
const snapshot = startDownload();
// Pyodide imports its Emscripten module only once it has started, a verdict later: importing
// it now lets its download and compilation overlap the snapshot's. Same URL, so Pyodide's own
// import finds it loaded; a failure here shows again, and is reported, there.
import(new URL('pyodide.asm.mjs', PYODIDE_DIR).href).catch(() => {});
// Pyodide's package list, fetched here once for both tries of the start (snapshot, then
// plain). Fetched by Pyodide itself, it is a promise left without a handler until Python's
// memory is up, so a missing file also showed as an uncaught error beside the start's failure.
const lockFile = fetch(new URL('pyodide-lock.json', PYODIDE_DIR)).then(response => {
  if (!response.ok) throw new Error(`Failed to load '${response.url}': ${response.status}`);
  return response.json();
});
lockFile.catch(() => {});  // reported through loadPyodide
const started = startPython({
  indexURL: PYODIDE_DIR,
  // As the snapshot was made (tools/make_snapshot.mjs): no docstrings, asserts or column
  // positions in compiled code.
  env: {PYTHONOPTIMIZE: '2', PYTHONNODEBUGRANGES: '1'},
  lockFileContents: lockFile,
  stdout: line => output.stdout(line),
  stderr: line => output.stderr(line),
});
started.catch(() => {});  // reported through loadPyodide
// A start that fails (a half-copied folder: python_stdlib.zip or pyodide-lock.json missing)
// also leaves promises of Pyodide's own rejected with nobody to catch them, some of them a
// second after loadPyodide has rejected with the same failure, which the page reports by the
// missing file's name. Until Python is up those strays go to the console only, rather than
// being thrown again, unhandled, after the report.
let pythonUp = false;
started.then(() => { pythonUp = true; }, () => {});
self.addEventListener('unhandledrejection', event => {
  if (pythonUp) return;
  event.preventDefault();
  console.error('While Python started:', event.reason);
});
// The worker's Python, for the tests only: they evaluate code in this worker (Playwright's
// page.workers) to make Python fail fatally and see the page start a fresh one. A worker's
// globals are reachable only by code already running in it: no page, link or file can use it.
started.then(pyodide => { globalThis.glassboxWorkerPython = pyodide; }, () => {});

/** Starts the download worker; `buffer` settles with Python's memory or the reason there is
 * none, `progress` follows the bytes, `cancel` stops it all. */
function startDownload() {
  const startedAt = performance.now();
  const progress = {received: 0, total: 0, downloaded: false};
  let worker;
  const buffer = new Promise((resolve, reject) => {
    worker = new Worker(new URL('./snapshot-download.mjs', import.meta.url), {type: 'module'});
    worker.onmessage = ({data}) => {
      if (data.error) reject(new Error(data.error));
      else if (data.memory) resolve(data.memory);
      else Object.assign(progress, data);
    };
    worker.onerror = () => reject(new Error('the snapshot download worker did not start'));
    worker.postMessage(SNAPSHOT_URL);
  });
  // Judged in startPython: the catch only keeps the console quiet.
  buffer.catch(() => {}).finally(() => worker.terminate());
  return {buffer, startedAt, progress, cancel: () => worker.terminate()};
}

/** The snapshot's memory, its static data XORed back with the wasm's data segments
 * (snapshot-static-data.mjs), which come from the one download of pyodide.asm.wasm that Pyodide
 * makes itself: while this start is made, Pyodide's fetch of the wasm goes through here and its
 * response is cloned for the segments. Pyodide gets the response itself, so the browser's cache
 * of the compiled wasm (keyed by the response's URL) serves a second visit.
 * Gives `_loadSnapshot` the memory once the wasm is in, or a rejection (a plain start follows)
 * when the wasm cannot be read or Pyodide did not ask for it before awaiting the snapshot, as
 * the pinned version does. */
function withStaticData(memory) {
  const realFetch = globalThis.fetch;
  let wasm = null;
  const restoreFetch = () => {
    if (globalThis.fetch === fetchThroughHere) globalThis.fetch = realFetch;
  };
  const fetchThroughHere = (input, init) => {
    if (String(input?.url ?? input) !== WASM_URL) return realFetch(input, init);
    restoreFetch();
    const response = realFetch(input, init);
    // Cloned before Pyodide reads it: this callback was registered first.
    wasm = response.then(answer => answer.clone().arrayBuffer());
    return response;
  };
  globalThis.fetch = fetchThroughHere;
  // Checked when Pyodide awaits it (a thenable's then runs then), not when the memory arrives.
  return {
    then(onFulfilled, onRejected) {
      restoreFetch();
      const restored = wasm === null
        ? Promise.reject(new Error('Pyodide did not fetch its wasm before it wanted the snapshot'))
        : Promise.all([memory, wasm]).then(([bytes, binary]) => {
          xorStaticData(bytes, new Uint8Array(binary));
          return bytes;
        });
      return restored.then(onFulfilled, onRejected);
    },
  };
}

/** Resolves with '' when the snapshot is worth waiting for, else with the reason it is not. */
async function judgeDownload({buffer, startedAt, progress}) {
  if (navigator.connection?.saveData) return 'the browser asks to save data';
  try {
    await Promise.race([buffer, firstBytesWatched(startedAt, progress)]);
  } catch (error) {
    return String(error?.message ?? error);
  }
  if (progress.downloaded) return '';  // still unzipping, while Pyodide fetches its files
  if (!progress.received) return 'slow link: no snapshot bytes yet';
  if (!progress.total) return '';  // size unknown: nothing to project, so wait for it
  const elapsed = performance.now() - startedAt;
  const projectedMs = elapsed * progress.total / progress.received;
  return projectedMs > DOWNLOAD_BUDGET_MS
    ? `slow link: the snapshot would take ${(projectedMs / 1000).toFixed(1)} s to download`
    : '';
}

/** Resolves once the download is complete, or bytes have come in for PROBE_MS (a busy server
 * may be slow to answer at all), or the whole budget has gone by without any. */
async function firstBytesWatched(startedAt, progress) {
  for (;;) {
    const elapsed = performance.now() - startedAt;
    if (progress.downloaded || (elapsed >= PROBE_MS && progress.received) ||
        elapsed >= DOWNLOAD_BUDGET_MS) return;
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

function recordStart(pyodide, start, reason = '') {
  // The snapshot's zipimport remembers the plain start's python_stdlib.zip (its entries and
  // their offsets); the file there now is the snapshot's own, so it is read afresh.
  // (importlib.invalidate_caches() would import importlib.metadata, which is not shipped.)
  if (start === 'snapshot') {
    pyodide.runPython(`
import sys, zipimport
for finder in list(sys.path_importer_cache.values()):
    if isinstance(finder, zipimport.zipimporter):
        finder.invalidate_caches()`);
  }
  const environ = pyodide.pyimport('os').environ;
  environ.__setitem__('GLASSBOX_PYTHON_START', start);
  environ.__setitem__('GLASSBOX_PYTHON_START_REASON', reason);
  environ.destroy();
  return pyodide;
}

async function startPython(settings) {
  // Judged before Pyodide starts its own downloads (wasm, stdlib): a start abandoned
  // for a plain one would leave those half-done, and the plain start would fetch them again.
  // On a fast link the verdict comes when the zipped snapshot has arrived, and Pyodide's
  // downloads then overlap its unzipping.
  let reason = await judgeDownload(snapshot);
  if (!reason) {
    try {
      const fromSnapshot = {...settings, _loadSnapshot: withStaticData(snapshot.buffer),
                            stdLibURL: SNAPSHOT_STDLIB_URL};
      return recordStart(await loadPlain(fromSnapshot), 'snapshot');
    } catch (error) {
      reason = String(error?.message ?? error);
    }
  }
  snapshot.cancel();
  console.info(`Python starts without its snapshot: ${reason}.`);
  return recordStart(await loadPlain(settings), 'plain', reason);
}

/** PyScript's call: hands over the start begun at import. PyScript passes its output hooks and
 * this module's folder as indexURL (Pyodide's files are elsewhere); any other option (packages
 * to install) came too late for a start already under way, and build.py names this module
 * only for configs without packages. */
export async function loadPyodide({stdout, stderr, indexURL, ...unexpected} = {}) {
  const late = Object.keys(unexpected);
  if (late.length) {
    throw new Error(`pyodide-loader.mjs cannot apply ${late.join(', ')} to a start already ` +
                    'under way: build the site without the snapshot (build.py --no-snapshot).');
  }
  Object.assign(output, {stdout: stdout ?? output.stdout, stderr: stderr ?? output.stderr});
  return started;
}
