"""Assemble the Glassbox site into dist/ and serve it (standard library only).

    python build.py [--numpy | --wheels DIR] [--no-snapshot] [--out DIR]   build dist/ (or DIR)
    python build.py serve [--port N] [...]           build when needed, serve on 127.0.0.1

NumPy in the browser is opt-in: --numpy downloads its wheel from the Pyodide CDN, --wheels DIR
takes it from a folder. Without either the build reads only local files (nothing from the network).

dist/ layout (the whole static site; copy it anywhere, e.g. GitHub Pages):
    index.html, css/, js/          from site/, js/'s modules joined into bundles: js/app.js the
                                   shell's, js/labs/<id>.js each lab's, js/teach/builder.js
                                   (buildtools/bundle.py); index.html gets <link>s
                                   preloading what the lab's first picture needs (PyScript's
                                   chunks held until after it), and its stylesheets joined
                                   into css/page.css (startup.py)
    py/worker.py, py/nnsim.zip     the worker's Python: its script, and nnsim with py/bridge.py
                                   (PyScript unpacks the zip on sys.path)
    pyscript.json                  PyScript config: local Pyodide, files, NumPy when asked for
    vendor/pyscript/, pyodide/, vendor/katex/   from node_modules/ (run `npm ci` first)
    baked/<preset>.json            initial state and first trace, computed here under CPython
                                   (playground.json: its state, data and first heatmaps)
    pyodide/python-snapshot.bin.gz Python's memory after start-up, nnsim imported (needs Node.js),
    pyodide/python_stdlib-snapshot.zip  and the standard library a start from it reads
    build-info.json                versions, NumPy path, snapshot, standard library, input fingerprint
    service-worker.js              the offline copy: this build's files and their hashes
                                   (buildtools/offline.py), manifest.webmanifest: installable
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
from buildtools import bundle, offline, reproducible, stdlib
from startup import StartupError, bundle_stylesheets, make_snapshot, write_preloads

ROOT = Path(__file__).resolve().parent
SITE = ROOT / "site"
COURSE_EXAMPLE = ROOT / "docs" / "course-example.html"
PY = ROOT / "py"
NODE_MODULES = ROOT / "node_modules"
DIST = ROOT / "dist"

PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
# The official Pyodide CDN is asked only for the NumPy wheel, only with --numpy, at build time,
# never by the page.
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
    files = [
        Path(__file__),
        Path(startup.__file__),
        ROOT / "package-lock.json",
        startup.SNAPSHOT_MAKER,
        COURSE_EXAMPLE,
    ]
    for folder in (SITE, PY, ROOT / "buildtools"):
        files += [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted(files)


def fingerprint(numpy_source, snapshot=True, full_stdlib=False):
    """The build's inputs, by content (not by modification time, which a checkout or a touch
    changes): the same sources and options give the same fingerprint, on any machine."""
    digest = hashlib.sha256(f"{numpy_source}|{snapshot}|{full_stdlib}".encode())
    for path in input_files():
        digest.update(f"{path.relative_to(ROOT).as_posix()}:{sha256_of(path.read_bytes())}\n".encode())
    return digest.hexdigest()


# ---------------------------------------------------------------- steps


def copy_site(out):
    shutil.copytree(SITE, out, ignore=shutil.ignore_patterns("__pycache__"))
    # The message API's example course page, served beside the site it embeds (README).
    shutil.copy2(COURSE_EXAMPLE, out / COURSE_EXAMPLE.name)


def copy_python(out):
    """worker.py runs as the worker's script; nnsim and the bridge it imports go in one zip (one
    request, not twenty)."""
    target = out / "py"
    target.mkdir()
    shutil.copy2(PY / "worker.py", target / "worker.py")
    package = PY / "nnsim"
    if not (package / "__init__.py").exists():
        raise BuildError("py/nnsim is missing: the simulator package is needed to build.")
    files = [
        path
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    ]
    files.append(PY / "bridge.py")
    # Sorted by name, each with a fixed date (buildtools/reproducible.py): the same sources
    # give the same zip. Stored, not deflated: the server's gzip then compresses the whole
    # file, better than entry by entry (102 KB against 116 KB).
    with zipfile.ZipFile(target / "nnsim.zip", "w") as archive:
        for name, path in sorted((path.relative_to(PY).as_posix(), path) for path in files):
            reproducible.add(archive, name, path.read_bytes())


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


def bundle_modules(out):
    """The page's modules joined into one bundle for the shell and one per lab
    (buildtools/bundle.py): its first picture waits for a handful of files, not for sixty."""
    try:
        bundles = bundle.bundle_modules(out)
    except bundle.BundleError as error:
        raise BuildError(f"cannot bundle the page's modules: {error}") from None
    print(f"JavaScript: {len(bundles)} bundles ({', '.join(bundles)}).")


def ship_stdlib(out, whole):
    """Replace Pyodide's whole standard library with the modules the app imports
    (buildtools/stdlib.py), and check under Node.js that nothing the app imports is missing.
    NumPy may import any of it, so with NumPy the whole of it stays."""
    if whole:
        return "whole"
    target = out / "pyodide" / "python_stdlib.zip"
    try:
        stdlib.ship(target)
        checked = stdlib.check_under_node(out / "pyodide", out / "py" / "nnsim.zip", PY)
    except stdlib.StdlibError as error:
        raise BuildError(str(error)) from None
    print(checked or "Standard library not checked: Node.js is not installed.")
    return "trimmed"


def ship_snapshot_stdlib(out):
    """The snapshot start's standard library: what the plain start ships, less the modules the
    snapshot holds imported (its maker listed them)."""
    listing = out / startup.SNAPSHOT_IMPORTED
    imported = listing.read_text(encoding="utf-8").split()
    listing.unlink()
    kept = stdlib.ship_for_snapshot(
        out / "pyodide" / "python_stdlib.zip", out / startup.SNAPSHOT_STDLIB, imported
    )
    print(f"Snapshot start's standard library: {kept} files ({len(imported)} modules are in the snapshot).")


def sha256_of(data):
    return hashlib.sha256(data).hexdigest()


def fetch_numpy_wheel(wheels_dir, pyodide_version):
    """Return (file_name, bytes) of the NumPy wheel checked against pyodide-lock.json: from
    wheels_dir, or (wheels_dir None) downloaded from the Pyodide CDN.

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


def vendor_numpy(out, numpy_source, pyodide_version):
    """Put the wheel beside pyodide-lock.json, where Pyodide's loadPackage looks for it.

    numpy_source: None (the default: no NumPy in the browser, nothing fetched), "cdn" or a
    folder. Asked for and not to be had is a build error: the site must be the one asked for."""
    if numpy_source is None:
        return False
    try:
        file_name, data = fetch_numpy_wheel(None if numpy_source == "cdn" else numpy_source, pyodide_version)
    except BuildError as reason:
        raise BuildError(
            f"{reason}; without --numpy and --wheels the site is built without NumPy in the browser"
        ) from None
    (out / "pyodide" / file_name).write_bytes(data)
    print(f"NumPy vendored: {file_name}")
    return True


def trim_package_lock(out, numpy):
    """Without NumPy the page loads no package, so Pyodide's lock file lists none: 27 KB
    gzipped less on every first visit. (Pyodide reads the list only to load packages.)"""
    if numpy:
        return
    path = out / "pyodide" / "pyodide-lock.json"
    lock = json.loads(path.read_text())
    path.write_text(json.dumps({**lock, "packages": {}}, indent=2) + "\n")


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
        import nnsim.explain
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
        baked = {
            "preset": preset,
            "state": state,
            "trace": trace,
            # The trace's activations as the simulator writes them (printed in the neurons).
            "activation_labels": nnsim.explain.plain_activations(trace["a"]) if "a" in trace else None,
            "numpy_in_browser": numpy,
            "note": nnsim.explain.lab_note(preset),
        }
        (target / f"{preset}.json").write_text(json.dumps(baked, separators=(",", ":")))
    # The playground's first view: its data, and the heatmaps of its starting weights.
    playground = nnsim.playground.session.PlaygroundSession()
    baked = {
        "preset": "playground",
        "state": playground.state(schema=True),
        "data": playground.data(),
        "heatmaps": playground.heatmaps(),
    }
    (target / "playground.json").write_text(json.dumps(baked, separators=(",", ":")))


SWITCHER_MARKER = "<!-- build.py: lab switcher -->"


def write_lab_switcher(out):
    """The switcher's links, one per lab in the simulator's list (nnsim.settings.SWITCHER):
    the shell reads the lab ids and titles from them."""
    index = out / "index.html"
    page = index.read_text(encoding="utf-8")
    if page.count(SWITCHER_MARKER) != 1:
        raise BuildError(f"site/index.html must hold the line {SWITCHER_MARKER} once")
    links = "".join(
        f'\n      <li><a data-lab="{lab}" href="#{lab}">{html.escape(title)}</a></li>'
        for lab, title in simulator().settings.SWITCHER
    )
    index.write_text(page.replace(SWITCHER_MARKER, f"<ul>{links}\n    </ul>"), encoding="utf-8")


LIMITS_MARKER = "<!-- build.py: bridge limits -->"


def write_bridge_limits(out):
    """The bridge's request limits (py/bridge.py), as data in index.html: the page measures a
    link, a file or a stored record by the limits Python applies, from its first moment
    (before Python has started), and keeps no number of its own."""
    sys.path.insert(0, str(PY))
    try:
        import bridge
    finally:
        sys.path.pop(0)
    index = out / "index.html"
    page = index.read_text(encoding="utf-8")
    if page.count(LIMITS_MARKER) != 1:
        raise BuildError(f"site/index.html must hold the line {LIMITS_MARKER} once")
    limits = json.dumps(bridge.about_limits(), separators=(",", ":"))
    index.write_text(
        page.replace(LIMITS_MARKER, f'<script type="application/json" id="bridge-limits">{limits}</script>'),
        encoding="utf-8",
    )


def build(numpy_source=None, out=DIST, snapshot=True, full_stdlib=False):
    versions = {name: package_version(name) for name in ("@pyscript/core", "pyodide", "katex")}
    staging = out.with_name(out.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    copy_site(staging)
    copy_python(staging)
    vendor_pyscript(staging)
    vendor_pyodide(staging)
    vendor_katex(staging)
    numpy = vendor_numpy(staging, numpy_source, versions["pyodide"])
    trim_package_lock(staging, numpy)
    stdlib_shipped = ship_stdlib(staging, whole=full_stdlib or numpy)
    snapshot_made = snapshot and make_snapshot(staging, numpy)
    if snapshot_made:
        ship_snapshot_stdlib(staging)
    write_pyscript_config(staging, numpy, snapshot_made)
    bundle_modules(staging)
    write_preloads(staging, [lab for lab, _ in simulator().settings.SWITCHER])
    bundle_stylesheets(staging)
    write_lab_switcher(staging)
    write_bridge_limits(staging)
    bake_presets(staging, numpy)
    info = {
        "versions": versions,
        "numpy": numpy,
        "snapshot": snapshot_made,
        "stdlib": stdlib_shipped,
        "fingerprint": fingerprint(numpy_source, snapshot, full_stdlib),
    }
    (staging / "build-info.json").write_text(json.dumps(info, indent=2) + "\n")
    (staging / ".nojekyll").write_text("")  # GitHub Pages: serve the files as they are
    try:
        kept = offline.write_service_worker(staging)  # last: it lists every file with its hash
    except ValueError as error:
        raise BuildError(str(error)) from None
    print(f"Offline copy: the service worker keeps {kept} files.")
    # Swap in the finished build so a failed build never leaves a half-made dist/.
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    print(f"Built {out}/")


def is_up_to_date(numpy_source, out=DIST, snapshot=True, full_stdlib=False):
    try:
        info = json.loads((out / "build-info.json").read_text())
    except (OSError, ValueError):
        return False
    return info.get("fingerprint") == fingerprint(numpy_source, snapshot, full_stdlib)


# ---------------------------------------------------------------- serving


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the types modules and streaming wasm compile need, over HTTP/1.1 with
    connections kept open: a browser then fetches the start-up's files over the six connections
    it keeps to a host, as it does from GitHub Pages (which speaks HTTP/2), rather than opening
    a new connection, and this server a new thread, for each of them."""

    protocol_version = "HTTP/1.1"
    # The headers and the body go out in separate writes. With Nagle's algorithm on, the body of
    # a small file waits for the browser's delayed ACK of the headers: 40 ms per file on Linux.
    disable_nagle_algorithm = True

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".webmanifest": "application/manifest+json",
    }

    def end_headers(self):
        # Revalidate on reload, so a rebuilt site is never mixed with a cached one.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser closes the connections it kept open when a tab or the browser closes.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def make_server(directory=DIST, port=0):
    """A threading HTTP server for directory on 127.0.0.1 (port 0: any free port)."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    return Server(("127.0.0.1", port), handler)


def serve(directory, port):
    try:
        server = make_server(directory, port)
    except OSError as error:
        raise BuildError(
            f"cannot serve on 127.0.0.1:{port} ({error.strerror}); try --port 0 for any free port"
        ) from None
    print(f"Serving Glassbox at http://127.0.0.1:{server.server_address[1]}/  (Ctrl+C stops)", flush=True)
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
    numpy = parser.add_mutually_exclusive_group()
    numpy.add_argument(
        "--numpy",
        dest="numpy_source",
        action="store_const",
        const="cdn",
        help="NumPy in the browser: download its wheel from the Pyodide CDN",
    )
    numpy.add_argument(
        "--wheels",
        dest="numpy_source",
        metavar="DIR",
        help="NumPy in the browser, its wheel taken from this folder",
    )
    parser.add_argument(
        "--no-snapshot",
        dest="snapshot",
        action="store_false",
        help="skip the Python memory snapshot: Python always starts the plain way",
    )
    parser.add_argument(
        "--full-stdlib",
        action="store_true",
        help="ship Pyodide's whole standard library (to record what the app uses)",
    )
    parser.add_argument(
        "--out", metavar="DIR", type=Path, default=DIST, help="where to build (default: dist/)"
    )
    args = parser.parse_args(argv)
    out = args.out.resolve()
    try:
        options = (args.numpy_source, out, args.snapshot, args.full_stdlib)
        if args.command == "build" or not is_up_to_date(*options):
            build(*options)
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
