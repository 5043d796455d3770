// bench/bench_optimizers.py under Pyodide in Node.js (the browser's interpreter, without NumPy).
//
//   node bench/bench_optimizers_pyodide.mjs [seconds per case]
//
// Loads node_modules/pyodide, copies py/nnsim into its file system and runs the benchmark's
// main(); prints its figures. Like tools/make_snapshot.mjs, it hands Pyodide a path, not a URL.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.argv[2] ?? 1);
const indexURL = resolve(root, 'node_modules/pyodide') + '/';
const { loadPyodide } = await import(pathToFileURL(indexURL + 'pyodide.mjs').href);
const pyodide = await loadPyodide({ indexURL });
const home = pyodide.runPython('import os; os.getcwd()');
pyodide.FS.mkdirTree(`${home}/nnsim`);
for (const name of readdirSync(resolve(root, 'py/nnsim')).filter((n) => n.endsWith('.py'))) {
  pyodide.FS.writeFile(`${home}/nnsim/${name}`, readFileSync(resolve(root, 'py/nnsim', name)));
}
pyodide.FS.writeFile(`${home}/bench_optimizers.py`,
                     readFileSync(resolve(root, 'bench/bench_optimizers.py')));
pyodide.runPython(`import bench_optimizers; bench_optimizers.main(${seconds})`);
