"""NumPy in the browser is opt-in (issue 17): a default build never goes to the network, and a
build asked for NumPy that cannot have it stops rather than quietly building something else."""

import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import build  # noqa: E402


def no_network(*args, **kwargs):
    raise AssertionError(f"the build went to the network: {args}")


def test_without_numpy_nothing_is_fetched(tmp_path, monkeypatch):
    monkeypatch.setattr(build.urllib.request, "urlopen", no_network)
    assert build.vendor_numpy(tmp_path, None, "314.0.7") is False
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "argv, source", [([], None), (["--numpy"], "cdn"), (["--wheels", "some/dir"], "some/dir")]
)
def test_the_options_name_where_numpy_comes_from(argv, source, monkeypatch):
    seen = {}
    monkeypatch.setattr(build, "build", lambda numpy_source, *rest: seen.update(source=numpy_source))
    assert build.main(["build", *argv]) == 0
    assert seen["source"] == source


def test_numpy_from_a_folder_without_the_wheel_is_a_build_error(tmp_path):
    (tmp_path / "pyodide").mkdir()
    with pytest.raises(build.BuildError, match="is not in .*without --numpy and --wheels"):
        build.vendor_numpy(tmp_path, str(tmp_path), "314.0.7")


def test_numpy_and_wheels_cannot_both_be_given(capsys):
    with pytest.raises(SystemExit):
        build.main(["--numpy", "--wheels", "dir"])


def test_without_numpy_the_package_lock_lists_no_package(tmp_path):
    (tmp_path / "pyodide").mkdir()
    shutil.copy(build.NODE_MODULES / "pyodide" / "pyodide-lock.json", tmp_path / "pyodide")
    build.trim_package_lock(tmp_path, numpy=True)
    assert "numpy" in json.loads((tmp_path / "pyodide" / "pyodide-lock.json").read_text())["packages"]
    build.trim_package_lock(tmp_path, numpy=False)
    lock = json.loads((tmp_path / "pyodide" / "pyodide-lock.json").read_text())
    assert lock["packages"] == {} and lock["info"]["python"].startswith("3.")
