"""The trimmed standard library (buildtools/stdlib.py): what is shipped, and how."""

import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from buildtools import stdlib  # noqa: E402

needs_pyodide = pytest.mark.skipif(not stdlib.FULL_STDLIB.exists(), reason="run `npm ci` first")


@needs_pyodide
def test_the_listed_modules_are_shipped_stored(tmp_path):
    target = tmp_path / "python_stdlib.zip"
    stdlib.ship(target)
    with zipfile.ZipFile(target) as shipped:
        entries = shipped.infolist()
    names = {entry.filename for entry in entries}
    assert {"json/__init__.py", "json/decoder.py", "random.py"} <= names
    assert "argparse.py" not in names and "unittest/__init__.py" not in names
    assert {entry.compress_type for entry in entries} == {zipfile.ZIP_STORED}
    # Every listed module is there, and nothing else.
    assert len(names) == sum(len(stdlib.entries_of(module, names)) for module in stdlib.listed_modules())


@needs_pyodide
def test_a_listed_module_pyodide_lacks_is_a_build_error(tmp_path, monkeypatch):
    listing = tmp_path / "list.txt"
    listing.write_text("json\nno_such_module\n")
    monkeypatch.setattr(stdlib, "MODULE_LIST", listing)
    with pytest.raises(stdlib.StdlibError, match="no_such_module .* record the list again"):
        stdlib.ship(tmp_path / "out.zip")


def test_the_imports_the_worker_can_reach_are_followed_through_our_modules(tmp_path):
    (tmp_path / "worker.py").write_text("from app import run\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("import json\nfrom . import core\n")
    (tmp_path / "app" / "core.py").write_text("def f():\n    import decimal\n    from operator import mul\n")
    (tmp_path / "app" / "cli.py").write_text("import argparse\n")  # not reached
    assert stdlib.reachable_imports(tmp_path) == ["decimal", "json", "operator"]


def test_the_real_worker_reaches_the_simulator_but_not_its_command_line():
    reached = stdlib.reachable_imports(ROOT / "py")
    assert {"json", "math", "random"} <= set(reached)
    assert "argparse" not in reached


@needs_pyodide
def test_the_snapshots_standard_library_leaves_out_what_the_snapshot_holds_imported(tmp_path):
    shipped, target = tmp_path / "python_stdlib.zip", tmp_path / "python_stdlib-snapshot.zip"
    stdlib.ship(shipped)
    kept = stdlib.ship_for_snapshot(shipped, target, ["json", "random"])
    with zipfile.ZipFile(shipped) as full, zipfile.ZipFile(target) as rest:
        left_out = set(full.namelist()) - set(rest.namelist())
        assert left_out == {"json/__init__.py", "random.py"}
        assert "json/decoder.py" in rest.namelist()  # a submodule not imported stays
        assert kept == len(rest.namelist())
        assert {entry.compress_type for entry in rest.infolist()} == {zipfile.ZIP_STORED}


@needs_pyodide
def test_the_shipped_sources_have_no_docstrings_or_comments(tmp_path):
    target = tmp_path / "python_stdlib.zip"
    stdlib.ship(target)
    with zipfile.ZipFile(stdlib.FULL_STDLIB) as full, zipfile.ZipFile(target) as shipped:
        original, source = full.read("json/decoder.py").decode(), shipped.read("json/decoder.py").decode()
    assert "Simple JSON <https://json.org> decoder" in original
    assert "Simple JSON" not in source and "#" not in source.replace("'#'", "")
    assert source.count("\n") == original.count("\n")
