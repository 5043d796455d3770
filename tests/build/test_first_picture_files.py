"""What the build does for the lab's first picture (issue 17): one stylesheet instead of ten,
the shell's preloads ahead of it, and a server that keeps its connections open, as a static
host's HTTP/2 does. The picture itself is timed by bench/bench_startup.py, never here."""

import http.client
import shutil
import socket
import struct
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import build  # noqa: E402
import startup  # noqa: E402


def site_copy(tmp_path):
    shutil.copy(ROOT / "site" / "index.html", tmp_path / "index.html")
    shutil.copytree(ROOT / "site" / "css", tmp_path / "css")
    return tmp_path


def test_the_page_links_one_stylesheet_holding_every_part_in_order(tmp_path):
    out = site_copy(tmp_path)
    parts = startup.STYLESHEET_LINK.findall((out / "index.html").read_text())
    assert len(parts) > 1
    texts = [(out / part).read_text() for part in parts]
    startup.bundle_stylesheets(out)
    page = (out / "index.html").read_text()
    assert startup.STYLESHEET_LINK.findall(page) == [startup.STYLESHEET]
    joined = (out / startup.STYLESHEET).read_text()
    positions = [joined.index(text) for text in texts]
    assert positions == sorted(positions), "the parts keep their order, so the cascade is the same"
    assert not any((out / part).exists() for part in parts)
    assert (out / "css" / "formula.css").is_file(), "KaTeX's companion, loaded later, stays"


def test_a_stylesheet_that_cannot_be_joined_is_a_build_error(tmp_path):
    out = site_copy(tmp_path)
    (out / "css" / "shell.css").write_text(".x { background: url(picture.png); }")
    with pytest.raises(startup.StartupError, match="shell.css"):
        startup.bundle_stylesheets(out)


def test_the_preloads_come_before_the_stylesheets(tmp_path):
    """An inline script after a stylesheet waits for it: the lab's preloads must not."""
    page = (ROOT / "site" / "index.html").read_text()
    assert page.index(startup.PRELOAD_MARKER) < page.index('rel="stylesheet"')
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="./css/base.css">\n' + startup.PRELOAD_MARKER
    )
    with pytest.raises(startup.StartupError, match="before its stylesheets"):
        startup.write_preloads(tmp_path, ["xor"])


def test_the_server_keeps_a_connection_open_for_the_next_request(tmp_path):
    (tmp_path / "a.js").write_text("export const a = 1;\n")
    (tmp_path / "b.css").write_text("p { margin: 0; }\n")
    server = build.make_server(tmp_path)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        bodies = []
        for path in ("/a.js", "/b.css"):
            connection.request("GET", path)
            kept = connection.sock
            response = connection.getresponse()
            bodies.append((response.status, response.read()))
            assert not response.will_close, f"{path}: the server closed the connection"
            assert connection.sock is kept
        assert bodies == [(200, b"export const a = 1;\n"), (200, b"p { margin: 0; }\n")]
        connection.close()
    finally:
        server.shutdown()
        server.server_close()


def test_a_browser_dropping_its_kept_connections_is_not_reported(tmp_path, capfd):
    """Closing a tab resets the connections it kept open: `build.py serve` stays quiet."""
    (tmp_path / "a.js").write_text("export const a = 1;\n")
    server = build.make_server(tmp_path)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        connection.request("GET", "/a.js")
        connection.getresponse().read()
        # A reset rather than a close: SO_LINGER with a zero timeout, as a closing browser does.
        connection.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.sock.close()
        time.sleep(0.5)
    finally:
        server.shutdown()
        server.server_close()
    assert "Traceback" not in capfd.readouterr().err
