"""Two builds of the same inputs are byte-identical (issue 17): a rebuild of unchanged sources,
on another day, in another folder or from a fresh checkout, is the same site, so the service
worker offers no "new version" for it."""

import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import build  # noqa: E402

needs_npm = pytest.mark.skipif(not (ROOT / "node_modules" / "pyodide").exists(), reason="run `npm ci` first")


def checked_out_again(folder, into):
    """A copy of folder whose files have other modification times, as a fresh checkout has."""
    shutil.copytree(folder, into, ignore=shutil.ignore_patterns("__pycache__"))
    for path in into.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    return into


def files_of(folder):
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()
    }


def test_the_package_zip_depends_on_the_sources_bytes_only(tmp_path, monkeypatch):
    (tmp_path / "one").mkdir()
    build.copy_python(tmp_path / "one")
    monkeypatch.setattr(build, "PY", checked_out_again(build.PY, tmp_path / "py"))
    (tmp_path / "two").mkdir()
    build.copy_python(tmp_path / "two")
    first, second = (tmp_path / name / "py" / "nnsim.zip" for name in ("one", "two"))
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert names == sorted(names) and "bridge.py" in names and "nnsim/__init__.py" in names
        assert {entry.date_time for entry in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_fingerprint_follows_the_inputs_contents_not_their_times(tmp_path, monkeypatch):
    source = tmp_path / "input.py"
    source.write_text("x = 1\n")
    monkeypatch.setattr(build, "ROOT", tmp_path)
    monkeypatch.setattr(build, "input_files", lambda: [source])
    first = build.fingerprint(None)
    os.utime(source, (1_000_000_000, 1_000_000_000))
    assert build.fingerprint(None) == first
    source.write_text("x = 2\n")
    assert build.fingerprint(None) != first
    assert build.fingerprint(None, snapshot=False) != build.fingerprint(None)


@pytest.fixture
def sources_touched():
    """Gives py/'s files other modification times, as a fresh checkout would, and puts the old
    ones back afterwards."""
    paths = [path for path in build.PY.rglob("*") if path.is_file() and "__pycache__" not in path.parts]
    times = {path: (path.stat().st_atime_ns, path.stat().st_mtime_ns) for path in paths}

    def touch():
        for path in paths:
            os.utime(path, (1_000_000_000, 1_000_000_000))

    yield touch
    for path, (atime, mtime) in times.items():
        os.utime(path, ns=(atime, mtime))


@needs_npm
def test_two_builds_of_the_same_inputs_are_byte_identical(tmp_path, sources_touched):
    build.build(out=tmp_path / "one")
    sources_touched()
    build.build(out=tmp_path / "two")  # in another folder, at another time
    first, second = files_of(tmp_path / "one"), files_of(tmp_path / "two")
    assert sorted(first) == sorted(second)
    assert [path for path in first if first[path] != second[path]] == []
    # The memory snapshot is in both (Node.js made it), so its determinism is what was compared.
    assert "pyodide/python-snapshot.bin.gz" in first
