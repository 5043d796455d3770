// Runs bench/bench_playground.py under Pyodide in Node.js (the browser's Python, without a
// browser): node bench/bench_playground_pyodide.mjs [seconds]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

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
const seconds = process.argv[2] ?? '3';
pyodide.runPython(`
import sys
sys.path.insert(0, "/home/pyodide")
sys.argv = ["bench_playground.py", "${Number(seconds)}"]
import bench_playground
bench_playground.main()
`);
