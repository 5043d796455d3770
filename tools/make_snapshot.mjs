// Bakes a Pyodide memory snapshot: Python already started and the simulator already imported,
// so the browser skips the slow, CPU-bound part of a cold start (see site/js/shell/pyodide-loader.mjs).
//
// usage: node tools/make_snapshot.mjs <pyodide dir> <package zip> <out .gz> <imported .txt> <module>...
//
// <imported .txt> gets the names of the standard-library modules the snapshot holds imported,
// one a line: a start from the snapshot does not read them from python_stdlib.zip again
// (buildtools/stdlib.py ship_for_snapshot).
//
// The zip is the one PyScript's "files" unpacks into the interpreter's home in the browser, so
// the imported modules have the same paths there. Only the wasm memory goes into a snapshot,
// not the files (Emscripten keeps those in JavaScript): PyScript still unpacks the zip after a
// snapshot start, and modules not imported here are imported from it as usual.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import nodeCrypto from 'node:crypto';
import { xorStaticData } from '../site/js/shell/snapshot-static-data.mjs';

const [pyodideDir, packageZip, outPath, importedPath, ...modules] = process.argv.slice(2);
if (!importedPath) {
  console.error('usage: node tools/make_snapshot.mjs <pyodide dir> <package zip> <out .gz> <imported .txt> <module>...');
  process.exit(2);
}
// Half of Python's memory after start-up is pages of zeros. Unzipping them in the browser costs
// as much as unzipping the rest, so they are left out: the file holds the runs of pages that
// are not all zeros, and the browser writes them into zeroed memory (unpackSnapshot in
// site/js/shell/snapshot-download.mjs). The static data is held XORed with the wasm's data
// segments (site/js/shell/snapshot-static-data.mjs). Little-endian layout:
//   "GBSNAP2\0", u32 memory length, u32 run count, run count x (u32 offset, u32 length), runs' bytes
const MAGIC = 'GBSNAP2\0';
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

// Memory that malloc has handed back still holds what was last written there (the source and
// syntax trees of the modules imported, for one): 4.7 MB of the 16.5 MB that are not zeros.
// Taking every free chunk, zeroing it and giving it back leaves those pages empty, so they
// drop out of the file (6.5 MB gzipped before, 5.2 MB after). The footprint limit makes
// malloc fail rather than grow the memory once the free chunks are used up.
function zeroFreeMemory(module) {
  const limit = module._malloc_footprint_limit();
  module._malloc_set_footprint_limit(module._malloc_footprint());
  const taken = [];
  for (let size = 1 << 24; size >= 64; size >>= 1) {
    for (let at = module._malloc(size); at; at = module._malloc(size)) taken.push([at, size]);
  }
  for (const [at, size] of taken) module.HEAPU8.fill(0, at, at + size);
  for (const [at] of taken) module._free(at);
  module._malloc_set_footprint_limit(limit);
}

// The same inputs make the same snapshot, byte for byte (a rebuild must not look like a new
// version to the service worker). Python's memory holds whatever entropy and clock readings it
// was started with: the hash seed (which lays out every dict and set), random's and OpenSSL's
// seeds, files' and caches' times. So while the snapshot is made, the entropy is a fixed
// stream and the clocks count from a fixed date. This fixes nothing a visitor would otherwise
// get fresh: every visitor of a build shares its snapshot's seeds anyway (nnsim draws only
// from random.Random(seed)).
function makeDeterministic() {
  let state = 0x9e3779b9;  // xorshift32
  nodeCrypto.randomFillSync = view => {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    for (let i = 0; i < bytes.length; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      bytes[i] = state & 0xff;
    }
    return view;
  };
  // One millisecond a reading, from 2026-01-01: clocks still move forward.
  let ticks = 0;
  Date.now = () => Date.UTC(2026, 0, 1) + ticks++;
  performance.now = () => ticks++;
}

makeDeterministic();
try {
  // Under Node.js Pyodide wants a path here, not a file: URL.
  const indexURL = resolve(pyodideDir) + '/';
  const { loadPyodide } = await import(pathToFileURL(indexURL + 'pyodide.mjs').href);
  // The modules imported here are compiled smaller: PYTHONOPTIMIZE=2 (python -OO) keeps no
  // docstrings and no asserts (0.4 MB less of the snapshot gzipped; nothing in py/ reads a
  // docstring or asserts), PYTHONNODEBUGRANGES=1 no column positions (0.3 MB less; a traceback
  // then marks no columns under its lines). The loader starts Python the plain way with the
  // same settings (site/js/shell/pyodide-loader.mjs), so both starts are alike.
  const env = { PYTHONOPTIMIZE: '2', PYTHONNODEBUGRANGES: '1' };
  const pyodide = await loadPyodide({ indexURL, _makeSnapshot: true, env });
  const home = pyodide.runPython('import os; os.getcwd()');
  pyodide.unpackArchive(new Uint8Array(readFileSync(packageZip)), 'zip', { extractDir: home });
  // Imports only: code that kept a reference to a JavaScript object could not be snapshotted.
  pyodide.runPython(modules.map(name => `import ${name}`).join('\n'));
  const imported = pyodide.runPython(`
import sys
stdlib_zip = next(path for path in sys.path if path.endswith(".zip")) + "/"
"\\n".join(sorted(name for name, module in list(sys.modules.items())
                  if (getattr(module, "__file__", None) or "").startswith(stdlib_zip)))
`);
  zeroFreeMemory(pyodide._module);
  const snapshot = pyodide.makeMemorySnapshot();
  xorStaticData(snapshot, new Uint8Array(readFileSync(indexURL + 'pyodide.asm.wasm')));
  const packed = withoutZeroPages(snapshot);
  const zipped = gzipSync(packed, { level: 9 });
  writeFileSync(outPath, zipped);
  writeFileSync(importedPath, imported + '\n');
  const mb = bytes => (bytes / 1e6).toFixed(1);
  console.log(`Python snapshot: ${mb(snapshot.length)} MB, ${mb(packed.length)} MB without its ` +
              `pages of zeros, ${mb(zipped.length)} MB gzipped, ` +
              `with ${modules.join(', ') || 'no module'} imported.`);
} catch (error) {
  // One readable line (a Python traceback's last line), not Node's dump of the minified source.
  console.error(String(error?.message ?? error).trim().split('\n').at(-1));
  process.exit(1);
}
