"""Assemble the Glassbox site into dist/ and serve it (standard library only).

    python build.py [--wheels DIR] [--no-snapshot] [--out DIR]   build dist/ (or DIR)
    python build.py serve [--port N] [--wheels DIR]  build when needed, serve on 127.0.0.1

dist/ layout (the whole static site; copy it anywhere, e.g. GitHub Pages):
    index.html, css/, js/          from site/; index.html gets <link>s preloading what the page
                                   loads before Python's worker starts (PyScript's chunks too)
    py/worker.py, py/nnsim.zip     the worker's Python: its script, and nnsim with py/bridge.py
                                   (PyScript unpacks the zip on sys.path)
    pyscript.json                  PyScript config: local Pyodide, files, NumPy when vendored
    vendor/pyscript/, pyodide/, vendor/katex/   from node_modules/ (run `npm ci` first)
    baked/<preset>.json            initial state and first trace, computed here under CPython
                                   (playground.json: its state, data and first heatmaps)
    pyodide/python-snapshot.bin.gz Python's memory after start-up, nnsim imported (needs Node.js)
    build-info.json                versions, NumPy path, snapshot, input fingerprint
"""

import argparse
import functools
import hashlib
import html
import http.server
import json
import re
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SITE = ROOT / "site"
PY = ROOT / "py"
NODE_MODULES = ROOT / "node_modules"
DIST = ROOT / "dist"

PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm",
                 "python_stdlib.zip", "pyodide-lock.json")
# The official Pyodide CDN is only asked for the NumPy wheel, at build time, never by the page.
PYODIDE_CDN = "https://cdn.jsdelivr.net/pyodide/v{version}/full/{file_name}"


class BuildError(Exception):
    """A problem the person building can fix; printed as one message."""


# ---------------------------------------------------------------- inputs


def package_version(name):
    package_json = NODE_MODULES / name / "package.json"
    if not package_json.exists():
        raise BuildError(f"{name} is missing from node_modules/: run `npm ci` first.")
    return json.loads(package_json.read_text())["version"]


def input_files():
    """Every file the build reads, so a change to any of them triggers a rebuild."""
    files = [Path(__file__), ROOT / "package-lock.json", SNAPSHOT_MAKER]
    for folder in (SITE, PY):
        files += [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted(files)


def fingerprint(wheels_dir, snapshot=True):
    digest = hashlib.sha256(f"{wheels_dir}|{snapshot}".encode())
    for path in input_files():
        stat = path.stat()
        digest.update(f"{path.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


# ---------------------------------------------------------------- steps


def copy_site(out):
    shutil.copytree(SITE, out, ignore=shutil.ignore_patterns("__pycache__"))


def copy_python(out):
    """worker.py runs as the worker's script; nnsim and the bridge it imports go in one zip (one
    request, not twenty)."""
    target = out / "py"
    target.mkdir()
    shutil.copy2(PY / "worker.py", target / "worker.py")
    package = PY / "nnsim"
    if not (package / "__init__.py").exists():
        raise BuildError("py/nnsim is missing: the simulator package is needed to build.")
    with zipfile.ZipFile(target / "nnsim.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                archive.write(path, path.relative_to(PY).as_posix())
        archive.write(PY / "bridge.py", "bridge.py")


def vendor_pyscript(out):
    """core.js imports its hashed chunks (and plugins) at run time, so take every .js/.css."""
    source = NODE_MODULES / "@pyscript" / "core" / "dist"
    target = out / "vendor" / "pyscript"
    target.mkdir(parents=True)
    for path in sorted(source.iterdir()):
        if path.suffix in (".js", ".css"):
            shutil.copy2(path, target / path.name)


def vendor_pyodide(out):
    source = NODE_MODULES / "pyodide"
    target = out / "pyodide"
    target.mkdir()
    for name in PYODIDE_FILES:
        shutil.copy2(source / name, target / name)


def vendor_katex(out):
    source = NODE_MODULES / "katex" / "dist"
    target = out / "vendor" / "katex"
    target.mkdir(parents=True)
    for name in ("katex.min.js", "katex.min.css", "katex.mjs"):
        shutil.copy2(source / name, target / name)
    shutil.copytree(source / "fonts", target / "fonts")


# Start-up preloads: index.html names every module the page evaluates before Python's worker
# exists, so the browser fetches them all at once instead of one import level at a time.
PRELOAD_MARKER = "<!-- build.py: start-up preloads -->"
# PyScript's main thread fetches these before it creates the worker (polyscript's custom
# type handler reads the config; XWorker then fetches the script it posts to the worker).
PRELOAD_FETCHES = ("pyscript.json", "py/worker.py")
STATIC_IMPORT = re.compile(r"""\b(?:import|export)\s*(?:[\w$*{}\s,]*?from\s*)?["'](\.{1,2}/[^"']+)["']""")


def static_imports(out, module):
    """Paths (relative to out) of the modules `module` imports statically."""
    path = out / module
    found = []
    for specifier in STATIC_IMPORT.findall(path.read_text(encoding="utf-8")):
        target = (path.parent / specifier).resolve().relative_to(out.resolve()).as_posix()
        if not (out / target).is_file():
            raise BuildError(f"{module} imports {specifier}, which is not in the build")
        found.append(target)
    return found


def pyscript_plugin_chunks(out):
    """The chunks PyScript's core imports on every page load: its plugins (src/plugins.js
    names them; the core chunk maps each name to a hashed file, or inlines it)."""
    names = set(re.findall(r"""^\s*(?:\[\s*"([\w-]+)"\s*\]|([\w-]+))\s*:\s*\(\)\s*=>""",
                           (NODE_MODULES / "@pyscript" / "core" / "src" / "plugins.js").read_text(),
                           re.MULTILINE))
    names = {quoted or bare for quoted, bare in names}
    chunks = []
    for core_chunk in static_imports(out, "vendor/pyscript/core.js"):
        text = (out / core_chunk).read_text(encoding="utf-8")
        for quoted, bare, file_name in re.findall(
                r"""(?:"([\w-]+)"|\b([\w$]+))\s*:\s*\(\)\s*=>\s*import\(\s*"\./([\w.-]+\.js)"\s*\)""", text):
            if (quoted or bare) in names:
                chunks.append(f"vendor/pyscript/{file_name}")
    if not chunks:
        raise BuildError("could not find PyScript's plugin chunks in its core: has "
                         "@pyscript/core changed its build? (build.py: pyscript_plugin_chunks)")
    return chunks


def start_up_modules(out):
    """Every module the page evaluates before the worker starts, each after what imports
    it: PyScript's first (the worker waits for it), then the app's."""
    ordered = []
    pending = ["vendor/pyscript/core.js", *pyscript_plugin_chunks(out), "js/app.js"]
    while pending:
        module = pending.pop(0)
        if module not in ordered:
            ordered.append(module)
            pending[:0] = static_imports(out, module)
    return ordered


def write_preloads(out):
    index = out / "index.html"
    html = index.read_text(encoding="utf-8")
    if html.count(PRELOAD_MARKER) != 1:
        raise BuildError(f"site/index.html must hold the line {PRELOAD_MARKER} once")
    links = [f'<link rel="modulepreload" href="./{module}">' for module in start_up_modules(out)]
    # as="fetch" with crossorigin matches PyScript's own fetch() (CORS mode, same-origin
    # credentials), so its request takes the preloaded response.
    links += [f'<link rel="preload" href="./{path}" as="fetch" crossorigin>'
              for path in PRELOAD_FETCHES]
    index.write_text(html.replace(PRELOAD_MARKER, "\n".join(links)), encoding="utf-8")


def sha256_of(data):
    return hashlib.sha256(data).hexdigest()


def fetch_numpy_wheel(wheels_dir, pyodide_version):
    """Return (file_name, bytes) of the NumPy wheel checked against pyodide-lock.json.

    Raises BuildError with a one-line reason when the wheel cannot be had."""
    lock = json.loads((NODE_MODULES / "pyodide" / "pyodide-lock.json").read_text())
    entry = lock["packages"]["numpy"]
    file_name, expected = entry["file_name"], entry["sha256"]
    if wheels_dir:
        path = Path(wheels_dir) / file_name
        if not path.exists():
            raise BuildError(f"{file_name} is not in {wheels_dir}")
        data = path.read_bytes()
    else:
        url = PYODIDE_CDN.format(version=pyodide_version, file_name=file_name)
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                data = response.read()
        except OSError as error:
            raise BuildError(f"could not download {file_name} ({error})") from None
    if sha256_of(data) != expected:
        raise BuildError(f"{file_name} does not match the sha256 in pyodide-lock.json")
    return file_name, data


def vendor_numpy(out, wheels_dir, pyodide_version):
    """Put the wheel beside pyodide-lock.json, where Pyodide's loadPackage looks for it."""
    try:
        file_name, data = fetch_numpy_wheel(wheels_dir, pyodide_version)
    except BuildError as reason:
        print(f"NumPy not vendored: {reason}; the site runs on the plain-Python path.")
        return False
    (out / "pyodide" / file_name).write_bytes(data)
    print(f"NumPy vendored: {file_name}")
    return True


def write_pyscript_config(out, numpy, snapshot=False):
    config = {
        # Without this PyScript fetches Pyodide from a CDN. With a snapshot, our module in
        # between starts Pyodide from it (and falls back to a plain start).
        "interpreter": "./js/shell/pyodide-loader.mjs" if snapshot else "./pyodide/pyodide.mjs",
        "files": {"./py/nnsim.zip": "./*"},
    }
    if numpy:
        # "passthrough" hands the names to loadPyodide, which takes the wheel from the
        # vendored lock and folder; a path or the default cache would go through micropip.
        config["packages"] = ["numpy"]
        config["packages_cache"] = "passthrough"
    (out / "pyscript.json").write_text(json.dumps(config, indent=2) + "\n")


def simulator():
    """nnsim, imported from py/ (pure Python, so build.py stays standard library only)."""
    sys.path.insert(0, str(PY))
    try:
        import nnsim.playground.session
        import nnsim.session
        import nnsim.settings
    finally:
        sys.path.pop(0)
    return nnsim


def bake_presets(out, numpy):
    """Run the simulator under CPython: each preset's initial state (with its settings schema)
    and its first step's trace (the playground: its data and heatmaps), so the page draws the
    network before Python has started in the browser."""
    nnsim = simulator()
    target = out / "baked"
    target.mkdir()
    for preset, _ in nnsim.settings.LABS:
        # The same arithmetic path as the browser's, so the first numbers match its own.
        session = nnsim.session.Session(preset, backend="numpy" if numpy else "plain")
        state = session.state(schema=True)
        trace = session.step()
        baked = {"preset": preset, "state": state, "trace": trace, "numpy_in_browser": numpy}
        (target / f"{preset}.json").write_text(json.dumps(baked, separators=(",", ":")))
    # The playground's first view: its data, and the heatmaps of its starting weights.
    playground = nnsim.playground.session.PlaygroundSession()
    baked = {"preset": "playground", "state": playground.state(schema=True),
             "data": playground.data(), "heatmaps": playground.heatmaps()}
    (target / "playground.json").write_text(json.dumps(baked, separators=(",", ":")))


SWITCHER_MARKER = "<!-- build.py: lab switcher -->"


def write_lab_switcher(out):
    """The switcher's links, one per lab in the simulator's list (nnsim.settings.LABS): the
    shell reads the lab ids and titles from them."""
    index = out / "index.html"
    page = index.read_text(encoding="utf-8")
    if page.count(SWITCHER_MARKER) != 1:
        raise BuildError(f"site/index.html must hold the line {SWITCHER_MARKER} once")
    links = "".join(f'\n      <li><a data-lab="{lab}" href="#{lab}">{html.escape(title)}</a></li>'
                    for lab, title in simulator().settings.LABS)
    index.write_text(page.replace(SWITCHER_MARKER, f"<ul>{links}\n    </ul>"), encoding="utf-8")


def build(wheels_dir=None, out=DIST, snapshot=True):
    versions = {name: package_version(name)
                for name in ("@pyscript/core", "pyodide", "katex")}
    staging = out.with_name(out.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    copy_site(staging)
    copy_python(staging)
    vendor_pyscript(staging)
    vendor_pyodide(staging)
    vendor_katex(staging)
    numpy = vendor_numpy(staging, wheels_dir, versions["pyodide"])
    snapshot_made = snapshot and make_snapshot(staging, numpy)
    write_pyscript_config(staging, numpy, snapshot_made)
    write_preloads(staging)
    write_lab_switcher(staging)
    bake_presets(staging, numpy)
    info = {"versions": versions, "numpy": numpy, "snapshot": snapshot_made,
            "fingerprint": fingerprint(wheels_dir, snapshot)}
    (staging / "build-info.json").write_text(json.dumps(info, indent=2) + "\n")
    (staging / ".nojekyll").write_text("")   # GitHub Pages: serve the files as they are
    # Swap in the finished build so a failed build never leaves a half-made dist/.
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    print(f"Built {out}/")


def is_up_to_date(wheels_dir, out=DIST, snapshot=True):
    try:
        info = json.loads((out / "build-info.json").read_text())
    except (OSError, ValueError):
        return False
    return info.get("fingerprint") == fingerprint(wheels_dir, snapshot)


# ---------------------------------------------------------------- Python memory snapshot

SNAPSHOT_MAKER = ROOT / "tools" / "make_snapshot.mjs"
SNAPSHOT = Path("pyodide") / "python-snapshot.bin.gz"   # where site/js/shell/pyodide-loader.mjs looks
# The one standard-library module that PyScript's worker start-up (`import pyscript`) needs and
# Pyodide has not already imported by itself: found by diffing sys.modules around that import
# under Node. Importing it costs 40-75 ms under Node and 150-240 ms in a cold browser worker.
PYSCRIPT_STDLIB_IMPORTS = ("html",)


def snapshot_imports():
    """The modules the snapshot holds imported already: the bridge (py/worker.py imports it) and
    the nnsim modules it imports (at the top or in a function), so the worker script and the
    bridge's first calls skip them, and PyScript's own standard-library needs, so its start-up
    skips those."""
    import ast
    tree = ast.parse((PY / "bridge.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    nnsim = sorted(name for name in names if name.split(".")[0] == "nnsim")
    return ["bridge", *nnsim, *PYSCRIPT_STDLIB_IMPORTS]


def make_snapshot(out, numpy):
    """Start Pyodide under Node.js, import nnsim and save its memory, gzipped, into out/.
    Optional: when it cannot be made the build says why in one line and goes on, and Python
    starts the plain way."""
    if numpy:
        # nnsim decides at import whether NumPy is there, and NumPy's compiled libraries cannot
        # go into a Pyodide memory snapshot (untested here: no wheel on these machines).
        print("Python snapshot skipped: NumPy is vendored; Python starts the plain way.")
        return False
    node = shutil.which("node")
    if node is None:
        print("Python snapshot skipped: Node.js is not installed; Python starts the plain way.")
        return False
    command = [node, str(SNAPSHOT_MAKER), str(out / "pyodide"), str(out / "py" / "nnsim.zip"),
               str(out / SNAPSHOT), *snapshot_imports()]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as error:
        result = subprocess.CompletedProcess(command, 1, "", str(error))
    if result.returncode != 0:
        (out / SNAPSHOT).unlink(missing_ok=True)
        why = (result.stderr.strip().splitlines() or ["no message"])[-1]
        print(f"Python snapshot not made ({why}); Python starts the plain way.")
        return False
    print(result.stdout.strip())
    return True


# ---------------------------------------------------------------- serving


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the types modules and streaming wasm compile need."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".js": "text/javascript",
                      ".wasm": "application/wasm", ".json": "application/json"}

    def end_headers(self):
        # Revalidate on reload, so a rebuilt site is never mixed with a cached one.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format, *args):
        pass


def make_server(directory=DIST, port=0):
    """A threading HTTP server for directory on 127.0.0.1 (port 0: any free port)."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve(directory, port):
    try:
        server = make_server(directory, port)
    except OSError as error:
        raise BuildError(f"cannot serve on 127.0.0.1:{port} ({error.strerror}); "
                         "try --port 0 for any free port") from None
    print(f"Serving Glassbox at http://127.0.0.1:{server.server_address[1]}/  (Ctrl+C stops)",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", choices=("build", "serve"), default="build")
    parser.add_argument("--port", type=int, default=8000, help="port for serve (0: any free)")
    parser.add_argument("--wheels", metavar="DIR",
                        help="folder holding the NumPy wheel for the pinned Pyodide")
    parser.add_argument("--no-snapshot", dest="snapshot", action="store_false",
                        help="skip the Python memory snapshot: Python always starts the plain way")
    parser.add_argument("--out", metavar="DIR", type=Path, default=DIST,
                        help="where to build (default: dist/)")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    try:
        if args.command == "build" or not is_up_to_date(args.wheels, out, args.snapshot):
            build(args.wheels, out, args.snapshot)
        else:
            print(f"{out}/ is up to date.")
        if args.command == "serve":
            serve(out, args.port)
    except BuildError as error:
        print(f"build.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
