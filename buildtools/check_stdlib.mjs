// The build's check that the standard library it ships is enough (buildtools/stdlib.py):
// Pyodide under Node.js, with the pyodide folder's (trimmed) python_stdlib.zip and the app's
// package zip unpacked as PyScript unpacks it, imports every module the worker can reach and
// runs a tour of every lab's bridge calls (stdlib_tour.py). Exits 1 with the missing module's
// name on the last line of stderr.
//
// usage: node buildtools/check_stdlib.mjs <pyodide dir> <package zip> <tour .py> <module>...
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [pyodideDir, packageZip, tour, ...modules] = process.argv.slice(2);
if (!tour) {
  console.error('usage: node buildtools/check_stdlib.mjs <pyodide dir> <package zip> <tour .py> <module>...');
  process.exit(2);
}
try {
  const indexURL = resolve(pyodideDir) + '/';
  const { loadPyodide } = await import(pathToFileURL(indexURL + 'pyodide.mjs').href);
  const pyodide = await loadPyodide({ indexURL });
  const home = pyodide.runPython('import os; os.getcwd()');
  pyodide.unpackArchive(new Uint8Array(readFileSync(packageZip)), 'zip', { extractDir: home });
  pyodide.globals.set('reachable', pyodide.toPy(modules));
  // A module outside the standard library (NumPy) is optional: the simulator runs without it.
  pyodide.runPython(`
import importlib, sys
for name in reachable:
    try:
        importlib.import_module(name)
    except ImportError:
        if name.split(".")[0] in sys.stdlib_module_names:
            raise
`);
  pyodide.runPython(readFileSync(tour, 'utf8'));
  const count = pyodide.runPython('len(sys.modules)');
  console.log(`Standard library checked under Node.js: the ${modules.length} modules the worker ` +
              `can reach import, and a tour of every lab's bridge calls runs (${count} modules loaded).`);
} catch (error) {
  console.error(String(error?.message ?? error).trim().split('\n').at(-1));
  process.exit(1);
}
