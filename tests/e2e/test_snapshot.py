"""Python's start from the build's memory snapshot (site/js/shell/pyodide-loader.mjs): used when it is
there, and a site whose snapshot is missing or broken still starts, the plain way, and says so.
"""

import gzip
import json
import shutil
import struct
import zipfile

import pytest

SNAPSHOT = "pyodide/python-snapshot.bin.gz"


def about_line(page):
    return page.inner_text("#about")


# Python's settings for compiling smaller code (tools/make_snapshot.mjs): -OO, no column positions.
SMALL_CODE = "import sys; [sys.flags.optimize, list(compile('a + b', '', 'eval').co_positions())[-1][2]]"


def in_worker_python(page, code):
    """The value of Python code run in the page's Python worker (its last expression, as JS)."""
    page.wait_for_function("window.glassbox.pendingCalls() === 0")
    (worker,) = [w for w in page.workers if w.evaluate("typeof globalThis.glassboxWorkerPython === 'object'")]
    return worker.evaluate(
        "code => { const value = glassboxWorkerPython.runPython(code); "
        "return value?.toJs ? value.toJs() : value; }",
        code,
    )


def a_step_changes_the_weights(page, bridge):
    trace = bridge(page, "xor", "step")
    return trace["weights_after"] != trace["weights_before"]


def test_python_starts_from_the_snapshot(dist, open_lab, bridge, requests_made):
    info = json.loads((dist / "build-info.json").read_text())
    if shutil.which("node") is None or info["numpy"]:
        pytest.skip("the build makes no snapshot without Node.js or with NumPy vendored")
    assert info["snapshot"], "Node.js is here, so the build should have made the snapshot"
    page = open_lab("xor")
    assert "started from its memory snapshot" in about_line(page)
    assert any(url.endswith(SNAPSHOT) for url in requests_made)
    # The simulator imported into the snapshot under Node.js works in the page.
    assert a_step_changes_the_weights(page, bridge)
    # Made with python -OO and no column positions (0.7 MB less gzipped), as the loader's plain
    # start runs.
    assert in_worker_python(page, SMALL_CODE) == [2, None]


def test_a_snapshot_start_reads_the_snapshots_own_standard_library(dist, context, open_lab):
    """The modules the snapshot holds imported are not downloaded again (buildtools/stdlib.py
    ship_for_snapshot), and zipimport reads the zip that is there, not the one it remembered
    from when the snapshot was made."""
    info = json.loads((dist / "build-info.json").read_text())
    if not info["snapshot"]:
        pytest.skip("the build made no snapshot")
    downloads = []  # (the page checks that the plain start's files are there with HEAD requests)
    context.on("request", lambda request: request.method == "GET" and downloads.append(request.url))
    page = open_lab("xor")
    assert "started from its memory snapshot" in about_line(page)
    assert any(url.endswith("/pyodide/python_stdlib-snapshot.zip") for url in downloads)
    assert not any(url.endswith("/pyodide/python_stdlib.zip") for url in downloads)
    read = in_worker_python(
        page,
        """
import sys, zipimport
stdlib_zip = next(path for path in sys.path if path.endswith(".zip"))
sorted(zipimport.zipimporter(stdlib_zip)._get_files())""",
    )
    with zipfile.ZipFile(dist / "pyodide" / "python_stdlib-snapshot.zip") as shipped:
        assert [name for name in read if not name.endswith("/")] == sorted(shipped.namelist())
    with zipfile.ZipFile(dist / "pyodide" / "python_stdlib.zip") as plain:
        assert "json/__init__.py" in plain.namelist() and "json/__init__.py" not in read


def remove_snapshot(folder):
    (folder / SNAPSHOT).unlink(missing_ok=True)


def replace_snapshot_with_other_bytes(folder):
    # Valid gzip, but not a snapshot as tools/make_snapshot.mjs writes it.
    (folder / SNAPSHOT).write_bytes(gzip.compress(b"not a memory snapshot " * 4096))


def replace_snapshot_with_other_memory(folder):
    # Laid out as tools/make_snapshot.mjs writes it, one run of pages, but the memory is not
    # Pyodide's: Pyodide's own check refuses it. (Its second u32, where Pyodide's header says
    # where the wasm memory begins, is 16, and it is large enough for the wasm's static data.)
    memory = struct.pack("<4I", 0, 16, 0, 0) + b"not a memory snapshot " * 200_000
    header = b"GBSNAP2\0" + struct.pack("<4I", len(memory), 1, 0, len(memory))
    (folder / SNAPSHOT).write_bytes(gzip.compress(header + memory))


def truncate_snapshot(folder):
    # Half of a real snapshot (or, in a build that made none, half of the stand-in above).
    path = folder / SNAPSHOT
    if not path.exists():
        replace_snapshot_with_other_bytes(folder)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize(
    "damage, reason",
    [
        (remove_snapshot, "no snapshot (HTTP 404)"),
        (replace_snapshot_with_other_bytes, "not a Glassbox memory snapshot"),
        (replace_snapshot_with_other_memory, "invalid magic number"),
        (truncate_snapshot, "did not download or unzip whole"),
    ],
)
def test_a_missing_or_broken_snapshot_falls_back_to_a_plain_start(
    dist, page, modified_site, wait_ready, bridge, damage, reason
):
    def damage_with_loader(folder):
        # Point PyScript at the loader even when this build made no snapshot, so the loader's
        # fallback is what is tested here.
        config = json.loads((folder / "pyscript.json").read_text())
        config["interpreter"] = "./js/shell/pyodide-loader.mjs"
        (folder / "pyscript.json").write_text(json.dumps(config))
        damage(folder)

    page.goto(modified_site(damage_with_loader) + "#xor")
    wait_ready(page)
    about = about_line(page)
    assert "plain start" in about
    assert reason in about
    assert a_step_changes_the_weights(page, bridge)
    assert in_worker_python(page, SMALL_CODE) == [2, None]  # as from the snapshot
