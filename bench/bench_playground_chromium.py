"""bench/bench_playground.py under Pyodide in headless Chromium: the browser's own Python.

    python bench/bench_playground_chromium.py [seconds]

Serves the repository on 127.0.0.1, opens a blank page, loads the vendored Pyodide
(node_modules/pyodide) there, copies py/nnsim in as the page's package zip does, and runs
bench_playground.main(). Run it through the team's browser slot. Times are wall time
(a page has no CPU clock); report `uptime`'s load with them.

Why besides the Node runner (bench_playground_pyodide.mjs): Pyodide calls every C function
(math.tanh, a builtin) through a trampoline, a small WebAssembly module that needs WebAssembly
GC; Chromium has it, Node 20 only behind --experimental-wasm-gc, and without it every such call
goes through JavaScript. This runner measures the browser as it is.
"""

import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import build  # noqa: E402  (the project's static server)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

RUN = """async ({files, argv}) => {
  const {loadPyodide} = await import('/node_modules/pyodide/pyodide.mjs');
  const pyodide = await loadPyodide({indexURL: '/node_modules/pyodide/'});
  const lines = [];
  pyodide.setStdout({batched: line => lines.push(line)});
  for (const [path, text] of Object.entries(files)) {
    pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf('/')));
    pyodide.FS.writeFile(path, text);
  }
  pyodide.runPython(`
import sys
sys.path.insert(0, "/home/pyodide")
sys.argv = ${JSON.stringify(argv)}
import bench_playground
bench_playground.main()
`);
  return lines;
}"""


def python_files():
    files = {
        f"/home/pyodide/{path.relative_to(ROOT / 'py')}": path.read_text()
        for path in sorted((ROOT / "py" / "nnsim").rglob("*.py"))
    }
    files["/home/pyodide/bench_playground.py"] = (ROOT / "bench" / "bench_playground.py").read_text()
    return files


def main():
    seconds = sys.argv[1] if len(sys.argv) > 1 else "3"
    server = build.make_server(ROOT, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/bench/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(url)
        print(f"Chromium {browser.version}")
        argv = ["bench_playground.py", str(float(seconds))]
        for line in page.evaluate(RUN, {"files": python_files(), "argv": argv}):
            print(line)
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
