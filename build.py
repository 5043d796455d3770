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
    pyodide/python-snapshot.bin.gz Python's memory after start-up, nnsim imported (needs Node.js)
    build-info.json                versions, NumPy path, snapshot, input fingerprint
"""

import argparse
import functools
import hashlib
import html
import http.server
import json
import shutil
import sys
import urllib.request
import zipfile
from pathlib import Path

import startup
from startup import StartupError, make_snapshot, write_preloads

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
    files = [Path(__file__), Path(startup.__file__), ROOT / "package-lock.json",
             startup.SNAPSHOT_MAKER]
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
        import nnsim.session
        import nnsim.settings
    finally:
        sys.path.pop(0)
    return nnsim


def bake_presets(out, numpy):
    """Run the simulator under CPython: each preset's initial state (with its settings schema)
    and its first step's trace, so the page draws the network before Python has started in
    the browser."""
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
    except (BuildError, StartupError) as error:
        print(f"build.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
