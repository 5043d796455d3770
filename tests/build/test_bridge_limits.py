"""The page's limits on what it parses and sends are the bridge's (build.py writes them into
index.html; site/js/shell/json-depth.js reads them there)."""

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "py"))
import bridge  # noqa: E402

import build  # noqa: E402


def test_index_html_carries_the_bridges_limits(tmp_path):
    shutil.copy(ROOT / "site" / "index.html", tmp_path / "index.html")
    build.write_bridge_limits(tmp_path)
    page = (tmp_path / "index.html").read_text()
    found = re.search(r'<script type="application/json" id="bridge-limits">(.*?)</script>', page)
    assert json.loads(found.group(1)) == {
        "nesting": bridge.MAX_NESTING,
        "request_chars": bridge.MAX_REQUEST_CHARS,
    }
    assert "build.py: bridge limits" not in page


def test_a_page_without_the_marker_is_a_build_error(tmp_path):
    (tmp_path / "index.html").write_text("<p>no marker")
    with pytest.raises(build.BuildError, match="bridge limits"):
        build.write_bridge_limits(tmp_path)
