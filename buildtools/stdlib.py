"""The standard library the site ships: only the modules the app imports.

Pyodide's python_stdlib.zip holds the whole standard library (2.5 MB, compressed). The page
needs a small part of it: what the bridge, the simulator, PyScript's worker start-up and
Pyodide itself import. That part is recorded, not guessed: the end-to-end suite runs against a
site with the whole standard library, every test's page asks its worker for sys.modules (the
bridge's `modules`), and the union, less the modules not in the zip (built in, frozen, ours,
PyScript's), is committed as stdlib-modules.txt next to this file:

    python3 -m buildtools.stdlib record [pytest arguments, default tests/e2e]   (use browser-slot)

The build ships those modules (ship) and then checks, under Pyodide in Node.js with exactly that
zip, that everything py/ imports anywhere imports, and that a tour of every lab's bridge calls
runs (check_under_node): a module missing from the list is a build error, not a surprise in
a student's browser.
"""

import ast
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from buildtools import reproducible, strip_source

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MODULE_LIST = HERE / "stdlib-modules.txt"
FULL_STDLIB = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
CHECKER = HERE / "check_stdlib.mjs"
TOUR = HERE / "stdlib_tour.py"
HEADER = """\
# Standard-library modules the site ships (buildtools/stdlib.py), one a line: the modules of
# Pyodide's python_stdlib.zip that the app's worker imported across the end-to-end suite.
# Recorded, not edited: python3 -m buildtools.stdlib record
"""


class StdlibError(Exception):
    """The list and the standard library do not fit: a build error, said in one message."""


def entries_of(module, names):
    """The zip entries that hold `module`: its .py file, or its package's __init__.py."""
    path = module.replace(".", "/")
    return [name for name in (f"{path}.py", f"{path}/__init__.py") if name in names]


def listed_modules():
    lines = MODULE_LIST.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def ship(target, source=FULL_STDLIB):
    """Write the listed modules of `source` to `target` as a zip whose entries are stored, not
    compressed: the server's gzip then compresses the file as a whole (better than entry by
    entry), and zipimport reads each module without inflating it."""
    with zipfile.ZipFile(source) as full:
        names = set(full.namelist())
        with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as trimmed:
            for module in listed_modules():
                found = entries_of(module, names)
                if not found:
                    raise StdlibError(
                        f"{module} is in buildtools/stdlib-modules.txt but not in Pyodide's "
                        "standard library: record the list again (python3 -m buildtools.stdlib record)"
                    )
                for name in found:
                    # A fresh entry, stored: not the source's, deflated. Without docstrings
                    # and comments (the page runs Python with -OO): 0.28 MB less gzipped.
                    reproducible.add(trimmed, name, strip_source.stripped(full.read(name), name))


def ship_for_snapshot(shipped, target, imported):
    """The standard library of a start from the memory snapshot: `shipped` (the zip the plain
    start reads) less the modules the snapshot holds imported (the names in `imported`), which
    are in Python's memory already. Today that is every listed module, so the zip is all but
    empty and a snapshot start downloads 3 MB less (0.75 MB gzipped). What it costs: a
    traceback through those modules shows no source lines."""
    with zipfile.ZipFile(shipped) as full:
        names = full.namelist()
        in_memory = {entry for module in imported for entry in entries_of(module, set(names))}
        with zipfile.ZipFile(target, "w") as rest:
            for name in names:
                if name not in in_memory:
                    reproducible.add(rest, name, full.read(name))
    return len(names) - len(in_memory)


def local_file(module, py_folder):
    """py_folder's file for `module` (a module or a package), or None when it is not ours."""
    path = py_folder / module.replace(".", "/")
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def reachable_imports(py_folder, entry="worker"):
    """The modules outside py_folder that the worker script can reach: every import statement
    (at the top or in a function) of every module of ours it imports, followed through them.
    The command line (nnsim.cli) is not reached, so its argparse is not asked for."""
    outside, seen, pending = set(), set(), [entry]
    while pending:
        module = pending.pop()
        path = local_file(module, py_folder)
        if module in seen or path is None:
            continue
        seen.add(module)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    base = f"{parent}.{base}".strip(".")
                # `from package import module` imports a submodule; from others, names.
                names = [
                    base,
                    *(
                        f"{base}.{alias.name}"
                        for alias in node.names
                        if local_file(f"{base}.{alias.name}", py_folder)
                    ),
                ]
            else:
                continue
            for name in names:
                if local_file(name, py_folder):
                    pending.append(name)
                else:
                    outside.add(name)
    return sorted(outside)


def check_under_node(pyodide_dir, package_zip, py_folder):
    """Raise StdlibError unless every standard-library module py_folder imports, and a tour of
    every lab's bridge calls, work under Pyodide in Node.js with pyodide_dir's zip. Returns a
    one-line summary; None when Node.js is missing (the build says so)."""
    node = shutil.which("node")
    if node is None:
        return None
    command = [
        node,
        str(CHECKER),
        str(pyodide_dir),
        str(package_zip),
        str(TOUR),
        *reachable_imports(py_folder),
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        raise StdlibError("the standard-library check under Node.js took over 300 s") from None
    if result.returncode != 0:
        why = (result.stderr.strip().splitlines() or ["no message"])[-1]
        if "ModuleNotFoundError" in why:
            raise StdlibError(
                f"the app needs a standard-library module the build does not ship "
                f"({why}); record the list again "
                "(python3 -m buildtools.stdlib record)"
            )
        raise StdlibError(f"the standard-library check under Node.js failed: {why}")
    return result.stdout.strip()


def record(pytest_args):
    """Run the end-to-end suite on a site with the whole standard library, and write the
    modules of the zip its workers imported to stdlib-modules.txt."""
    with tempfile.TemporaryDirectory() as folder:
        seen = Path(folder) / "modules.txt"
        seen.touch()
        env = {**os.environ, "GLASSBOX_RECORD_MODULES": str(seen)}
        status = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", *(pytest_args or ["tests/e2e"])], cwd=ROOT, env=env
        ).returncode
        imported = set(seen.read_text(encoding="utf-8").split())
    if not imported:
        print("No page recorded its modules: the list is not written.", file=sys.stderr)
        return 1
    with zipfile.ZipFile(FULL_STDLIB) as full:
        names = set(full.namelist())
    shipped = sorted(module for module in imported if entries_of(module, names))
    MODULE_LIST.write_text(HEADER + "".join(f"{module}\n" for module in shipped), encoding="utf-8")
    print(
        f"{len(shipped)} of the {len(imported)} modules imported are in the standard-library "
        f"zip: written to {MODULE_LIST.relative_to(ROOT)}"
    )
    if status != 0:
        print("Some tests failed: what they would have imported may be missing.", file=sys.stderr)
    return status


if __name__ == "__main__":
    if sys.argv[1:2] != ["record"]:
        print(__doc__)
        sys.exit(2)
    sys.exit(record(sys.argv[2:]))
