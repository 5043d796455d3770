"""End-to-end fixtures: the real built site, served on 127.0.0.1, in real Chromium.

For lab tests (tests/e2e/test_<lab>.py), the fixtures to use:

    def test_something(open_lab, bridge):
        page = open_lab("deep", settings={"learning_rate": 0.3})  # waits for data-state=ready
        state = bridge(page, "deep", "state")                       # the lab's Session, in the page
        ...

- `open_lab(lab, settings=None, search="", ready=True)` opens `index.html{search}#lab?settings`
  in a fresh page and waits until Python is ready (ready=False: returns at once; then
  `wait_ready(page)` waits). `lab_url(lab, settings, search)` is that address.
- `bridge(page, lab, method, args=None)` calls the worker's bridge through the page's test hook
  `window.glassbox.call`, returning the result or raising with the bridge's message.
- `page` is a fresh page in a fresh browser context (`context`); every request it makes, its
  worker's too, is recorded (`requests_made`) and the test fails if one went anywhere but the
  test server (127.0.0.1), or if the page had an uncaught error (`page_errors`, clear it when
  the error is the point of the test). Note: `context.route` sees the page's requests but not
  the worker's (pyodide.mjs, the wasm, the stdlib): hold or fail those from the page's side.
- `base_url` is the server's root URL; `dist` the built folder; `modified_site(change)` serves
  a changed copy of it (a part missing or broken) and returns that copy's root URL.
- `cpython_session(preset, settings=None)` is the same simulator under CPython (plain path,
  like the browser without NumPy), for comparing numbers with the browser's.

The site is built once per run with `python build.py --out <a temporary folder>`. Chromium: Debian's /usr/bin/chromium when
it exists (Playwright cannot download its own here), Playwright's own browser elsewhere.
"""

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "py"))

from nnsim.session import Session  # noqa: E402

import build  # noqa: E402  (the project's build script: make_server)

SYSTEM_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
READY_TIMEOUT_MS = 60_000
# Set to a file name, every test's page that got Python running adds the modules its worker
# imported to that file (python3 -m buildtools.stdlib record runs the suite this way).
RECORD_MODULES = os.environ.get("GLASSBOX_RECORD_MODULES")


@pytest.fixture(scope="session")
def dist(tmp_path_factory):
    """The site, built once per test run into a folder of its own (so test runs never serve
    a dist/ that another run or a developer is rebuilding)."""
    out = tmp_path_factory.mktemp("glassbox") / "dist"
    # Recording the modules the app imports (RECORD_MODULES) needs the whole standard library.
    full = ["--full-stdlib"] if RECORD_MODULES else []
    result = subprocess.run(
        [sys.executable, "build.py", "--out", str(out), *full], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return out


@pytest.fixture(scope="session")
def base_url(dist):
    server = build.make_server(dist, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def modified_site(dist, tmp_path):
    """serve(change) copies dist/, lets change(folder) alter the copy, serves it on another
    free port and returns its root URL: for sites with a part missing or broken."""
    servers = []

    def serve(change):
        folder = tmp_path / "site"
        shutil.copytree(dist, folder)
        change(folder)
        server = build.make_server(folder, 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    executable = SYSTEM_CHROMIUM if os.path.exists(SYSTEM_CHROMIUM) else None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def is_local(url):
    """Requests to a test server on 127.0.0.1, or to the page's own blob:/data: URLs."""
    if url.startswith("data:"):
        return True
    if url.startswith("blob:"):
        url = url[len("blob:") :]
    return urlsplit(url).hostname == "127.0.0.1"


@pytest.fixture
def requests_made():
    """Every URL requested in the test's browser context, the worker's requests included."""
    return []


@pytest.fixture
def context(browser, requests_made):
    # The offline copy (a service worker) is tested in test_offline.py, with a context that
    # allows it; here every test starts from the network, as a browser without one does.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.on("request", lambda request: requests_made.append(request.url))
    yield context
    context.close()
    outside = [url for url in requests_made if not is_local(url)]
    assert not outside, f"requests left 127.0.0.1: {outside}"


@pytest.fixture
def page_errors():
    """Uncaught errors in the page; the test fails on any unless it clears the list."""
    return []


def record_modules(page):
    try:
        if page.is_closed() or page.evaluate("document.documentElement.dataset.state") != "ready":
            return
        names = page.evaluate("window.glassbox.call('', 'modules')")
    except Exception:  # a page the test broke on purpose, or navigated away: nothing to record
        return
    with open(RECORD_MODULES, "a", encoding="utf-8") as record:
        record.write("".join(f"{name}\n" for name in names))


@pytest.fixture
def page(context, page_errors):
    page = context.new_page()
    page.on("pageerror", lambda error: page_errors.append(error))
    yield page
    if RECORD_MODULES:
        record_modules(page)
    assert not page_errors, f"uncaught errors in the page: {page_errors}"


@pytest.fixture
def lab_url(base_url):
    def lab_url(lab, settings=None, search=""):
        hash_ = f"#{lab}"
        if settings:
            # The app's own format (url-state.js): JSON values.
            hash_ += "?" + urlencode({key: json.dumps(value) for key, value in settings.items()})
        return f"{base_url}{search}{hash_}"

    return lab_url


@pytest.fixture
def wait_ready():
    def wait_ready(page):
        page.wait_for_function(
            "document.documentElement.dataset.state !== 'loading'", timeout=READY_TIMEOUT_MS
        )
        state = page.evaluate("document.documentElement.dataset.state")
        assert state == "ready", f"start-up ended in {state!r}: " + page.inner_text("#startup-error")

    return wait_ready


@pytest.fixture
def open_lab(page, lab_url, wait_ready):
    def open_lab(lab, settings=None, search="", ready=True):
        page.goto(lab_url(lab, settings, search))
        if ready:
            wait_ready(page)
        return page

    return open_lab


@pytest.fixture
def bridge():
    def call(page, lab, method, args=None):
        return page.evaluate(
            "([lab, method, args]) => window.glassbox.call(lab, method, args)", [lab, method, args or {}]
        )

    return call


@pytest.fixture
def cpython_session():
    def make(preset, settings=None):
        return Session(preset, settings, backend="plain")

    return make
