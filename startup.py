"""The start-up machinery of the build: what makes the page's first second fast.

build.py calls these parts; all are standard library only, like build.py.

- Start-up preloads: `write_preloads(out, labs)` puts into index.html (where site/index.html
  holds the line PRELOAD_MARKER, before the stylesheets) a <link rel="modulepreload"> for every
  module of the shell, in import order, and a small script that loads the modules and preloads
  the first state of the lab the address names: the first picture's files, asked for at once
  (the lab's modules run as soon as they arrive, not when the shell asks for them). By then
  the build has joined the page's modules into bundles (buildtools/bundle.py), so the shell is
  js/app.js alone and a lab js/labs/<id>.js: with index.html, css/page.css and the lab's
  baked/<id>.json, the first picture's five files. PyScript's
  modules and the files it fetches before it starts the worker (PRELOAD_FETCHES) are preloads
  too, but inside <template id="python-preloads">, inert until runtime.js starts Python after
  the lab's first picture: nothing of Python's start shares the network or the main thread
  with that picture.
- One stylesheet: `bundle_stylesheets(out)` joins the page's stylesheets, in their order, into
  STYLESHEET, so the first picture waits for one render-blocking request rather than ten (over
  HTTP/1.1 a browser opens at most six connections to a host).
- The Python memory snapshot: `make_snapshot(out, numpy)` starts Pyodide under Node.js
  (tools/make_snapshot.mjs), imports the bridge and the nnsim modules it uses
  (`snapshot_imports()`), and saves the memory, gzipped, as out/SNAPSHOT. The contract with the
  loader (site/js/shell/pyodide-loader.mjs) is docs/architecture.md's "Memory snapshot".
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PY = ROOT / "py"
NODE_MODULES = ROOT / "node_modules"


class StartupError(Exception):
    """A problem the person building can fix; build.py prints it as one message."""


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
            raise StartupError(f"{module} imports {specifier}, which is not in the build")
        found.append(target)
    return found


def pyscript_plugin_chunks(out):
    """The chunks PyScript's core imports on every page load: its plugins (src/plugins.js
    names them; the core chunk maps each name to a hashed file, or inlines it)."""
    names = set(
        re.findall(
            r"""^\s*(?:\[\s*"([\w-]+)"\s*\]|([\w-]+))\s*:\s*\(\)\s*=>""",
            (NODE_MODULES / "@pyscript" / "core" / "src" / "plugins.js").read_text(),
            re.MULTILINE,
        )
    )
    names = {quoted or bare for quoted, bare in names}
    chunks = []
    for core_chunk in static_imports(out, "vendor/pyscript/core.js"):
        text = (out / core_chunk).read_text(encoding="utf-8")
        for quoted, bare, file_name in re.findall(
            r"""(?:"([\w-]+)"|\b([\w$]+))\s*:\s*\(\)\s*=>\s*import\(\s*"\./([\w.-]+\.js)"\s*\)""", text
        ):
            if (quoted or bare) in names:
                chunks.append(f"vendor/pyscript/{file_name}")
    if not chunks:
        raise StartupError(
            "could not find PyScript's plugin chunks in its core: has "
            "@pyscript/core changed its build? (build.py: pyscript_plugin_chunks)"
        )
    return chunks


def module_graph(out, roots):
    """The roots and every module they import statically, each after what imports it."""
    ordered = []
    pending = list(roots)
    while pending:
        module = pending.pop(0)
        if module not in ordered:
            ordered.append(module)
            pending[:0] = static_imports(out, module)
    return ordered


def shell_modules(out):
    """Every module the shell evaluates before the lab's first picture."""
    return module_graph(out, ["js/app.js"])


def python_start_modules(out):
    """PyScript's modules, which the page evaluates when Python starts, after the first picture."""
    return module_graph(out, ["vendor/pyscript/core.js", *pyscript_plugin_chunks(out)])


# The lab the address names (else the first) has its first state preloaded with the shell,
# and its modules loaded and run as soon as they arrive (they touch no page at the top level),
# not once the shell has run and asked for them: the shell's import() then finds them ready.
# A module that fails here fails the shell's import() too, which names the missing file.
LAB_PRELOADS = """<script>
  (function (labs, first) {
    var files = labs[(/^#(\\w+)/.exec(location.hash) || [])[1]] || labs[first];
    files.forEach(function (file) {
      if (/\\.js$/.test(file)) {
        import('./' + file).catch(function () {});
        return;
      }
      var link = document.createElement('link');
      link.rel = 'preload';
      link.as = 'fetch';
      link.crossOrigin = 'anonymous';
      link.href = './' + file;
      document.head.appendChild(link);
    });
  })(LABS, FIRST);
</script>"""


def lab_preloads(out, labs, shell):
    files = {
        lab: [module for module in module_graph(out, [f"js/labs/{lab}.js"]) if module not in shell]
        + [f"baked/{lab}.json"]
        for lab in labs
    }
    return LAB_PRELOADS.replace("LABS", json.dumps(files, separators=(",", ":"))).replace(
        "FIRST", json.dumps(labs[0])
    )


# Python's start preloads its files from here (site/js/shell/runtime.js): a <template> keeps
# them inert until then.
PYTHON_PRELOADS = '<template id="python-preloads">\n{}\n</template>'


def write_preloads(out, labs):
    """labs: the lab ids, the default first."""
    index = out / "index.html"
    html = index.read_text(encoding="utf-8")
    if html.count(PRELOAD_MARKER) != 1:
        raise StartupError(f"site/index.html must hold the line {PRELOAD_MARKER} once")
    if html.index(PRELOAD_MARKER) > html.index('rel="stylesheet"'):
        # An inline script after a stylesheet waits for it: the lab's preloads would too.
        raise StartupError(f"site/index.html must hold {PRELOAD_MARKER} before its stylesheets")
    shell = shell_modules(out)
    links = [f'<link rel="modulepreload" href="./{module}">' for module in shell]
    links.append(lab_preloads(out, labs, shell))
    # as="fetch" with crossorigin matches PyScript's own fetch() (CORS mode, same-origin
    # credentials), so its request takes the preloaded response.
    python = [f'<link rel="modulepreload" href="./{module}">' for module in python_start_modules(out)]
    python += [f'<link rel="preload" href="./{path}" as="fetch" crossorigin>' for path in PRELOAD_FETCHES]
    links.append(PYTHON_PRELOADS.format("\n".join(python)))
    index.write_text(html.replace(PRELOAD_MARKER, "\n".join(links)), encoding="utf-8")


STYLESHEET = "css/page.css"
STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="\./(css/[\w/-]+\.css)">\n')


def bundle_stylesheets(out):
    """Join index.html's stylesheets, in their order, into out/STYLESHEET, linked in their place
    (the parts leave the build: one way to each rule)."""
    index = out / "index.html"
    html = index.read_text(encoding="utf-8")
    parts = STYLESHEET_LINK.findall(html)
    if not parts:
        raise StartupError("site/index.html links no stylesheet of css/")
    joined = []
    for part in parts:
        text = (out / part).read_text(encoding="utf-8")
        # Joined, a relative url() or an @import would point elsewhere or stop working.
        if re.search(r"@import|@charset|url\(\s*['\"]?(?!data:)", text):
            raise StartupError(
                f"{part} holds an @import, @charset or url(): it cannot be joined into {STYLESHEET}"
            )
        joined.append(f"/* {part} */\n{text}")
        (out / part).unlink()
        if not any((out / part).parent.iterdir()):
            (out / part).parent.rmdir()  # css/labs/
    (out / STYLESHEET).write_text("\n".join(joined), encoding="utf-8")
    first = STYLESHEET_LINK.search(html)
    html = (
        html[: first.start()]
        + f'<link rel="stylesheet" href="./{STYLESHEET}">\n'
        + STYLESHEET_LINK.sub("", html[first.start() :])
    )
    index.write_text(html, encoding="utf-8")


# ---------------------------------------------------------------- Python memory snapshot

SNAPSHOT_MAKER = ROOT / "tools" / "make_snapshot.mjs"
SNAPSHOT = Path("pyodide") / "python-snapshot.bin.gz"  # where site/js/shell/pyodide-loader.mjs looks
# The standard-library modules the snapshot holds imported, one a line: written by the snapshot's
# maker, read by build.py (the snapshot's own standard library leaves them out), not shipped.
SNAPSHOT_IMPORTED = Path("pyodide") / "python-snapshot-imported.txt"
# The standard library a start from the snapshot reads (buildtools/stdlib.py ship_for_snapshot).
SNAPSHOT_STDLIB = Path("pyodide") / "python_stdlib-snapshot.zip"  # pyodide-loader.mjs names it too
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
            if node.module == "nnsim":  # from nnsim import explain: the module nnsim.explain
                names.update(f"nnsim.{alias.name}" for alias in node.names)
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
    command = [
        node,
        str(SNAPSHOT_MAKER),
        str(out / "pyodide"),
        str(out / "py" / "nnsim.zip"),
        str(out / SNAPSHOT),
        str(out / SNAPSHOT_IMPORTED),
        *snapshot_imports(),
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as error:
        result = subprocess.CompletedProcess(command, 1, "", str(error))
    if result.returncode != 0:
        (out / SNAPSHOT).unlink(missing_ok=True)
        (out / SNAPSHOT_IMPORTED).unlink(missing_ok=True)
        why = (result.stderr.strip().splitlines() or ["no message"])[-1]
        print(f"Python snapshot not made ({why}); Python starts the plain way.")
        return False
    print(result.stdout.strip())
    return True
