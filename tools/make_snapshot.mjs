// Bakes a Pyodide memory snapshot: Python already started and the simulator already imported,
// so the browser skips the slow, CPU-bound part of a cold start (see site/js/shell/pyodide-loader.mjs).
//
// usage: node tools/make_snapshot.mjs <pyodide dir> <package zip> <out .gz> <module>...
//
// The zip is the one PyScript's "files" unpacks into the interpreter's home in the browser, so
// the imported modules have the same paths there. Only the wasm memory goes into a snapshot,
// not the files (Emscripten keeps those in JavaScript): PyScript still unpacks the zip after a
// snapshot start, and modules not imported here are imported from it as usual.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const [pyodideDir, packageZip, outPath, ...modules] = process.argv.slice(2);
if (!outPath) {
  console.error('usage: node tools/make_snapshot.mjs <pyodide dir> <package zip> <out .gz> <module>...');
  process.exit(2);
}
// Half of Python's memory after start-up is pages of zeros. Unzipping them in the browser costs
// as much as unzipping the rest, so they are left out: the file holds the runs of pages that
// are not all zeros, and the browser writes them into zeroed memory (unpackSnapshot in
// site/js/shell/pyodide-loader.mjs). Little-endian layout:
//   "GBSNAP1\0", u32 memory length, u32 run count, run count x (u32 offset, u32 length), runs' bytes
const MAGIC = 'GBSNAP1\0';
const PAGE = 4096;

function withoutZeroPages(memory) {
  const runs = [];
  for (let offset = 0; offset < memory.length; offset += PAGE) {
    const page = memory.subarray(offset, offset + PAGE);
    if (page.every(byte => byte === 0)) continue;
    const last = runs.at(-1);
    if (last && last.offset + last.length === offset) last.length += page.length;
    else runs.push({ offset, length: page.length });
  }
  const headerLength = MAGIC.length + 8 + 8 * runs.length;
  const packed = new Uint8Array(headerLength + runs.reduce((sum, run) => sum + run.length, 0));
  const header = new DataView(packed.buffer);
  packed.set(new TextEncoder().encode(MAGIC));
  header.setUint32(MAGIC.length, memory.length, true);
  header.setUint32(MAGIC.length + 4, runs.length, true);
  let at = headerLength;
  runs.forEach(({ offset, length }, index) => {
    header.setUint32(MAGIC.length + 8 + 8 * index, offset, true);
    header.setUint32(MAGIC.length + 12 + 8 * index, length, true);
    packed.set(memory.subarray(offset, offset + length), at);
    at += length;
  });
  return packed;
}

try {
  // Under Node.js Pyodide wants a path here, not a file: URL.
  const indexURL = resolve(pyodideDir) + '/';
  const { loadPyodide } = await import(pathToFileURL(indexURL + 'pyodide.mjs').href);
  const pyodide = await loadPyodide({ indexURL, _makeSnapshot: true });
  const home = pyodide.runPython('import os; os.getcwd()');
  pyodide.unpackArchive(new Uint8Array(readFileSync(packageZip)), 'zip', { extractDir: home });
  // Imports only: code that kept a reference to a JavaScript object could not be snapshotted.
  pyodide.runPython(modules.map(name => `import ${name}`).join('\n'));
  const snapshot = pyodide.makeMemorySnapshot();
  const packed = withoutZeroPages(snapshot);
  const zipped = gzipSync(packed, { level: 9 });
  writeFileSync(outPath, zipped);
  const mb = bytes => (bytes / 1e6).toFixed(1);
  console.log(`Python snapshot: ${mb(snapshot.length)} MB, ${mb(packed.length)} MB without its ` +
              `pages of zeros, ${mb(zipped.length)} MB gzipped, ` +
              `with ${modules.join(', ') || 'no module'} imported.`);
} catch (error) {
  // One readable line (a Python traceback's last line), not Node's dump of the minified source.
  console.error(String(error?.message ?? error).trim().split('\n').at(-1));
  process.exit(1);
}
