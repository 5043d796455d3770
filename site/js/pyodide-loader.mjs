// PyScript's "interpreter" module: PyScript's Pyodide engine imports the module named by the
// config's "interpreter" and calls its loadPyodide and version exports. This one starts
// Pyodide from the memory snapshot baked by build.py (Python already started, nnsim already
// imported), which on a fast link is ready in about a third of the time of a plain start.
//
// The snapshot costs about 6 MB of download and saves 2 s of CPU or more (much more on a busy
// machine), so it only pays on a fast enough link: its own first bytes measure the link, and
// a download that would take longer than it saves is abandoned for a plain start. A plain
// start is also the fallback whenever the snapshot is missing, cannot be fetched or does not
// load: `_loadSnapshot` is a private, experimental Pyodide option that only fits the exact
// pyodide.asm.wasm it was made with.
//
// The start used is left in Python's environment for the bridge's `about` to report:
// GLASSBOX_PYTHON_START is "snapshot" or "plain", GLASSBOX_PYTHON_START_REASON says why plain.

import { loadPyodide as loadPlain, version } from '../pyodide/pyodide.mjs';

export { version };

const PYODIDE_DIR = new URL('../pyodide/', import.meta.url).href;
const SNAPSHOT_URL = new URL('../pyodide/python-snapshot.bin.gz', import.meta.url).href;
const SNAPSHOT_MAGIC = 'GBSNAP1\0';  // tools/make_snapshot.mjs writes it
// Longest projected download worth waiting for, set between the projections measured at
// 20 Mbit/s (about 4.3 s), where the snapshot start was the faster one in every run, and at
// 5 Mbit/s (about 11 s), where it was not always: the first bytes share the link with
// Pyodide's own files, so projections run about 1.7 times the real download (README).
const DOWNLOAD_BUDGET_MS = 6000;
// How long the download is watched, from its start, before it is judged.
const PROBE_MS = 250;

// PyScript's worker imports this module as soon as it has read the config, but calls
// loadPyodide only after opening its package cache in IndexedDB, 200 ms or more later on a
// fresh browser profile. So Python's start begins here, at import, and loadPyodide hands over
// that same start. PyScript's output hooks arrive with loadPyodide; until then Python's output
// goes to the console, as PyScript's hooks would send it.
const output = {stdout: console.log, stderr: console.error};
const snapshot = startDownload();
// Pyodide imports its Emscripten module only once it has started, a verdict later: importing
// it now lets its download and compilation overlap the snapshot's. Same URL, so Pyodide's own
// import finds it loaded; a failure here shows again, and is reported, there.
import(new URL('pyodide.asm.mjs', PYODIDE_DIR).href).catch(() => {});
const started = startPython({
  indexURL: PYODIDE_DIR,
  stdout: line => output.stdout(line),
  stderr: line => output.stderr(line),
});
started.catch(() => {});  // reported through loadPyodide

function startDownload() {
  const abort = new AbortController();
  const startedAt = performance.now();
  const progress = {received: 0, total: 0, downloaded: false};
  const buffer = fetch(SNAPSHOT_URL, {signal: abort.signal}).then(response => {
    if (!response.ok) throw new Error(`no snapshot (HTTP ${response.status})`);
    // A server that sent it with Content-Encoding: gzip has had it unzipped by fetch already;
    // then Content-Length does not count the bytes read, so no projection is made.
    const zipped = response.headers.get('Content-Encoding') !== 'gzip';
    if (zipped) progress.total = Number(response.headers.get('Content-Length')) || 0;
    // Two readers of the body: one counts the bytes as they arrive, at the link's pace; the
    // other unzips, at the CPU's pace. Counted through the unzipping, a fast link would look
    // only as fast as the unzipping.
    const [counted, kept] = response.body.tee();
    countBytes(counted, progress);
    const body = zipped ? kept.pipeThrough(new DecompressionStream('gzip')) : kept;
    return new Response(body).arrayBuffer().catch(error => {
      throw new Error(`the snapshot did not download or unzip whole (${error.message})`);
    }).then(unpackSnapshot);
  });
  buffer.catch(() => {});  // judged in startPython; this only keeps the console quiet
  return {buffer, abort, startedAt, progress};
}

async function countBytes(stream, progress) {
  const reader = stream.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      progress.received += read.value.byteLength;
    }
    progress.downloaded = true;
  } catch {
    // A failed download fails the other reader too: reported from there.
  }
}

/** Python's memory from the file tools/make_snapshot.mjs writes: the runs of pages that are not
 * all zeros, each put back at its offset in zeroed memory. */
function unpackSnapshot(packed) {
  const header = new DataView(packed);
  const magic = new TextDecoder().decode(new Uint8Array(packed, 0, Math.min(8, packed.byteLength)));
  if (magic !== SNAPSHOT_MAGIC) throw new Error('not a Glassbox memory snapshot (no GBSNAP1 header)');
  const memory = new Uint8Array(header.getUint32(8, true));
  const runs = header.getUint32(12, true);
  let at = 16 + 8 * runs;
  for (let run = 0; run < runs; run++) {
    const offset = header.getUint32(16 + 8 * run, true);
    const length = header.getUint32(20 + 8 * run, true);
    memory.set(new Uint8Array(packed, at, length), offset);
    at += length;
  }
  if (at !== packed.byteLength) throw new Error('the snapshot is damaged (its runs do not add up)');
  return memory;
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
  const environ = pyodide.pyimport('os').environ;
  environ.__setitem__('GLASSBOX_PYTHON_START', start);
  environ.__setitem__('GLASSBOX_PYTHON_START_REASON', reason);
  environ.destroy();
  return pyodide;
}

async function startPython(settings) {
  // Judged before Pyodide starts its own downloads (wasm, stdlib, asm.mjs): a start abandoned
  // for a plain one would leave those half-done, and the plain start would fetch them again.
  // On a fast link the verdict comes when the zipped snapshot has arrived, and Pyodide's
  // downloads then overlap its unzipping.
  let reason = await judgeDownload(snapshot);
  if (!reason) {
    try {
      return recordStart(await loadPlain({...settings, _loadSnapshot: snapshot.buffer}), 'snapshot');
    } catch (error) {
      reason = String(error?.message ?? error);
    }
  }
  snapshot.abort.abort();
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
