"""The service worker's list of files (buildtools/offline.py)."""

import base64
import hashlib
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from buildtools import offline  # noqa: E402


def built(out):
    text = (out / offline.SERVICE_WORKER).read_text()
    return json.loads(
        re.search(r"^const BUILD = (.*);  // build\.py: offline build$", text, re.MULTILINE).group(1)
    )


@pytest.fixture
def site(tmp_path):
    (tmp_path / offline.SERVICE_WORKER).write_text((ROOT / "site" / offline.SERVICE_WORKER).read_text())
    for path, text in {
        "index.html": "<p>hi",
        "pyodide/python-snapshot.bin.gz": "memory",
        "vendor/pyscript/xterm-abc.js": "terminal",
        ".nojekyll": "",
        "vendor/katex/fonts/A.woff2": "font",
        "vendor/katex/fonts/A.ttf": "font",
    }.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    return tmp_path


def test_every_file_the_page_loads_is_kept_with_its_hash(site):
    offline.write_service_worker(site)
    build = built(site)
    assert sorted(build["files"]) == [
        "index.html",
        "pyodide/python-snapshot.bin.gz",
        "vendor/katex/fonts/A.woff2",
    ]
    digest = base64.b64encode(hashlib.sha256(b"<p>hi").digest()).decode()
    assert build["files"]["index.html"] == f"sha256-{digest}"
    assert build["lazy"] == ["pyodide/python-snapshot.bin.gz"]


def test_a_changed_file_is_a_new_build(site):
    offline.write_service_worker(site)
    first = built(site)["fingerprint"]
    (site / "index.html").write_text("<p>changed")
    (site / offline.SERVICE_WORKER).write_text((ROOT / "site" / offline.SERVICE_WORKER).read_text())
    offline.write_service_worker(site)
    assert built(site)["fingerprint"] != first
