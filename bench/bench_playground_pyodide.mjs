// Runs bench/bench_playground.py under Pyodide in Node.js (the browser's Python, without a
// browser): node bench/bench_playground_pyodide.mjs [seconds] [--no-wasm-gc]
//
// Pyodide calls every C function (math.tanh, any builtin) through a trampoline: a small
// WebAssembly module that needs WebAssembly GC, which every current browser has (Chrome 119,
// Firefox 120, Safari 18.2) but Node 20 only behind a flag. Without it Pyodide falls back to
// calling through JavaScript, and the same Python runs about 20 % slower than in Chromium
// (bench/bench_playground_chromium.py measures the browser itself). So the flag is set, as
// the browser has it; --no-wasm-gc measures the fallback (a browser without WebAssembly GC).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';

const options = process.argv.slice(2);
const withWasmGC = !options.includes('--no-wasm-gc');
if (withWasmGC) v8.setFlagsFromString('--experimental-wasm-gc');
const root = resolve(import.meta.dirname, '..');
const indexURL = join(root, 'node_modules', 'pyodide') + '/';
const { loadPyodide } = await import(pathToFileURL(indexURL + 'pyodide.mjs').href);
const pyodide = await loadPyodide({ indexURL });

// Copy py/nnsim into Pyodide's file system, as the page's package zip does.
function copyTree(from, to) {
  pyodide.FS.mkdirTree(to);
  for (const name of readdirSync(from)) {
    const path = join(from, name);
    if (statSync(path).isDirectory()) {
      if (name !== '__pycache__') copyTree(path, `${to}/${name}`);
    } else if (name.endsWith('.py')) {
      pyodide.FS.writeFile(`${to}/${name}`, readFileSync(path));
    }
  }
}
copyTree(join(root, 'py', 'nnsim'), '/home/pyodide/nnsim');
pyodide.FS.writeFile('/home/pyodide/bench_playground.py',
                     readFileSync(join(root, 'bench', 'bench_playground.py')));
const seconds = options.find(option => !option.startsWith('--')) ?? '3';
process.stdout.write(`Node ${process.version}, WebAssembly GC ${withWasmGC ? 'on (as in browsers)' : 'off'}\n`);
pyodide.runPython(`
import sys
sys.path.insert(0, "/home/pyodide")
sys.argv = ["bench_playground.py", "${Number(seconds)}"]
import bench_playground
bench_playground.main()
`);
