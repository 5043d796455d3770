// Bakes a Pyodide memory snapshot: Python already started and the simulator already imported,
// so the browser skips the slow, CPU-bound part of a cold start (see site/js/pyodide-loader.mjs).
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
try {
  // Under Node.js Pyodide wants a path here, not a file: URL.
  const indexURL = resolve(pyodideDir) + '/';
  const { loadPyodide } = await import(pathToFileURL(indexURL + 'pyodide.mjs').href);
  const pyodide = await loadPyodide({ indexURL, _makeSnapshot: true });
  const home = pyodide.runPython('import os; os.getcwd()');
  pyodide.unpackArchive(new Uint8Array(readFileSync(packageZip)), 'zip', { extractDir: home });
  // Imports only: code that kept a reference to a JavaScript object could not be snapshotted.
  pyodide.runPython(modules.map((name) => `import ${name}`).join('\n'));
  const snapshot = pyodide.makeMemorySnapshot();
  const zipped = gzipSync(snapshot, { level: 9 });
  writeFileSync(outPath, zipped);
  const mb = (bytes) => (bytes / 1e6).toFixed(1);
  console.log(`Python snapshot: ${mb(snapshot.length)} MB, ${mb(zipped.length)} MB gzipped, ` +
              `with ${modules.join(', ') || 'no module'} imported.`);
} catch (error) {
  // One readable line (a Python traceback's last line), not Node's dump of the minified source.
  console.error(String(error?.message ?? error).trim().split('\n').at(-1));
  process.exit(1);
}
