"""The app frame end to end: start-up, switching labs, URLs, training runs, failures.

Every lab is driven the same way: its Play button (accessible name "Play", "Pause" while a run
goes on), the shared network view (.nv-neuron, .nv-hit[data-l][data-j][data-i] and its
tooltip) and the simulator through the page's test hook. Lab-specific views have their own
tests (test_<lab>.py).
"""

import json
import re
import statistics
import time
import zipfile

import pytest
from page_helpers import pause_and_time
from playwright.sync_api import expect

LABS = ("xor", "deep", "glassbox", "digits", "playground")
SWITCHER_NAMES = {
    "xor": "XOR walkthrough",
    "deep": "Deep network",
    "glassbox": "Glass box",
    "digits": "Digits",
    "playground": "Playground",
}


def baked(dist, lab):
    return json.loads((dist / "baked" / f"{lab}.json").read_text())


def neuron_count(dist, lab):
    return sum(baked(dist, lab)["state"]["config"]["layers"])


def lab_neurons(page):
    return page.locator("#lab-root .nv-neuron")


def state_of(page):
    return page.evaluate("document.documentElement.dataset.state")


def play_button(page):
    return page.locator("#lab-root").get_by_role("button", name="Play", exact=True)


@pytest.mark.parametrize("lab", LABS)
def test_network_is_drawn_before_python_is_ready(context, page, lab_url, wait_ready, dist, lab):
    # Hold PyScript back: Python cannot start until the test lets it.
    held = []
    context.route("**/vendor/pyscript/core.js", lambda route: held.append(route))
    page.goto(lab_url(lab))
    lab_neurons(page).nth(neuron_count(dist, lab) - 1).wait_for()
    assert lab_neurons(page).count() == neuron_count(dist, lab)
    assert state_of(page) == "loading"
    # Python's start begins once the lab's first picture is painted, a frame or two later.
    expect(page.locator("#runtime-status")).to_contain_text("Loading PyScript")
    assert play_button(page).is_disabled(), "a control that needs Python must wait for it"
    assert len(held) == 1
    held[0].continue_()
    wait_ready(page)
    assert play_button(page).is_enabled()


def test_reaches_ready_with_every_request_on_loopback(open_lab, requests_made):
    page = open_lab("xor")
    ready_ms = page.evaluate("window.glassbox.timings.readyMs")
    print(f"\nPython ready {ready_ms} ms after the page started")
    assert 0 < ready_ms < 60_000
    assert "Python ready" in page.inner_text("#runtime-status")
    assert re.search(r"simulator path: (plain|numpy)", page.inner_text("#about"))
    # The worker's own downloads are among the recorded requests, so the fixture's
    # loopback-only check covers them too.
    assert any(url.endswith("/pyodide/pyodide.asm.wasm") for url in requests_made)
    assert any(url.endswith("/py/nnsim.zip") for url in requests_made)


def test_every_request_of_a_page_load_is_answered(page, lab_url, wait_ready):
    failed = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    with page.expect_response(lambda response: response.url.endswith("/favicon.svg")) as icon:
        page.goto(lab_url("xor"))
        wait_ready(page)
    assert icon.value.ok
    assert failed == []


@pytest.mark.parametrize("lab", LABS)
def test_each_lab_opens_from_its_url(open_lab, bridge, dist, lab):
    page = open_lab(lab)
    assert page.evaluate("window.glassbox.currentLab()") == lab
    assert lab_neurons(page).count() == neuron_count(dist, lab)
    current = page.locator("#lab-switcher a[aria-current='page']")
    assert current.inner_text() == SWITCHER_NAMES[lab]
    assert bridge(page, lab, "state")["preset"] == lab


def run_briefly(page):
    """Play, let a few chunks land, Pause; returns the pause latency once the run stopped."""
    play_button(page).click()
    page.locator("#lab-root").get_by_role("button", name="Pause", exact=True).wait_for()
    page.wait_for_timeout(300)
    return pause_and_time(page)


def test_switcher_opens_every_lab_and_keeps_each_session(open_lab, bridge, dist):
    page = open_lab("xor")
    run_briefly(page)
    trained = bridge(page, "xor", "state")["iteration"]
    assert trained > 0
    for lab in ("deep", "glassbox", "digits", "xor"):
        page.get_by_role("navigation", name="Labs").get_by_role("link", name=SWITCHER_NAMES[lab]).click()
        page.wait_for_function("lab => window.glassbox.currentLab() === lab", arg=lab)
        assert page.evaluate("location.hash").startswith(f"#{lab}")
        lab_neurons(page).nth(neuron_count(dist, lab) - 1).wait_for()
        assert lab_neurons(page).count() == neuron_count(dist, lab)
    # Back on XOR: the same session, not a fresh one.
    assert bridge(page, "xor", "state")["iteration"] == trained


def shown_first_weight(page):
    """What the network view shows for its first connection (input 1 to the first neuron of
    layer 1), reached as a keyboard user would: Tab into the view (its one tab stop starts on
    the first input neuron) and press C; later reads return to that same tab stop."""
    stop = page.locator("#lab-root .nv-svg [tabindex='0']").first
    stop.focus()
    if stop.get_attribute("data-kind") == "neuron":
        page.keyboard.press("c")
    assert stop.get_attribute("data-kind") == "connection"
    assert [stop.get_attribute(f"data-{k}") for k in "lji"] == ["0", "0", "0"]
    tooltip = page.locator("#lab-root .nv .tooltip").first
    tooltip.wait_for()
    return tooltip.inner_text()


@pytest.mark.parametrize("lab", LABS)
def test_a_mouse_click_right_after_the_views_keyboard_lands(open_lab, lab):
    """Leaving the view by pressing a control must not move the page between the mouse press
    and its release, or the click goes to whatever slid under the pointer."""
    page = open_lab(lab)
    page.locator("#lab-root .nv-svg [tabindex='0']").first.focus()
    page.keyboard.press("c")
    play = play_button(page)
    play.scroll_into_view_if_needed()
    box = play.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    under_pointer = "([x, y]) => document.elementFromPoint(x, y)?.closest('button')?.textContent.trim()"
    assert page.evaluate(under_pointer, [x, y]) == "Play"
    page.mouse.up()
    page.locator("#lab-root").get_by_role("button", name="Pause", exact=True).wait_for(timeout=5000)
    pause_and_time(page)


def numbers_in(text):
    """The decimal numbers in text, each with half a unit of its last digit (as the simulator
    wrote it: 4 significant digits at least, more where a formula needs them)."""
    text = text.replace("\u2212", "-")  # the page writes a real minus sign
    return [(float(n), 0.5 * 10.0 ** -len(n.split(".")[1])) for n in re.findall(r"[-+]?\d+\.\d+", text)]


def shows(text, value):
    """Does text show value, to the precision it is shown with?"""
    return any(abs(n - value) <= half * (1 + 1e-9) for n, half in numbers_in(text))


@pytest.mark.parametrize("lab", LABS)
def test_training_changes_the_weights_shown(open_lab, bridge, lab):
    page = open_lab(lab)
    before = bridge(page, lab, "state")["weights"][0][0][0]
    shown_before = shown_first_weight(page)
    assert shows(shown_before, before), shown_before
    run_briefly(page)
    after = bridge(page, lab, "state")["weights"][0][0][0]
    assert after != before
    # A lab may finish animating the last step it took (the glass box replays its epoch's
    # packets) before its view settles on the simulator's weights: give it a few seconds.
    deadline = time.monotonic() + 5
    shown_after = shown_first_weight(page)
    while not shows(shown_after, after) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        shown_after = shown_first_weight(page)
    assert shown_after != shown_before
    assert shows(shown_after, after), shown_after


@pytest.mark.parametrize("lab", LABS)
def test_pause_stops_a_long_run_promptly(open_lab, bridge, lab):
    page = open_lab(lab)
    latencies = []
    for _ in range(5):
        latencies.append(run_briefly(page))
        stopped_at = bridge(page, lab, "state")["iteration"]
        page.wait_for_timeout(300)
        assert bridge(page, lab, "state")["iteration"] == stopped_at, "training went on"
        play_button(page).wait_for()
    print(f"\n{lab}: Pause latency (ms) {[round(t) for t in latencies]}")
    assert stopped_at > 0
    # A chunk is 40 ms of Python, so a Pause lands within about 50 ms on a quiet machine; the
    # outlier bound leaves room for a machine shared with other work.
    assert statistics.median(latencies) < 100
    assert max(latencies) < 500


def test_failing_wasm_shows_the_error_state(context, page, lab_url, dist, page_errors):
    context.route("**/pyodide/pyodide.asm.wasm", lambda route: route.abort())
    with page.expect_console_message(lambda message: "wasm instantiation failed" in message.text):
        page.goto(lab_url("xor"))
        page.wait_for_function("document.documentElement.dataset.state === 'error'")
    error = page.locator("#startup-error")
    assert error.is_visible()
    assert "pyodide.asm.wasm" in error.inner_text()
    # Pyodide starts fetching its wasm early but handles a failed fetch only when it gets to
    # instantiating (the console message above), which waits for the snapshot: until then the
    # refused request may count as an uncaught error. Nothing else may.
    assert all(str(error) == "Failed to fetch" for error in page_errors), page_errors
    page_errors.clear()
    # The page is still drawn; it only lacks Python.
    lab_neurons(page).nth(neuron_count(dist, "xor") - 1).wait_for()
    assert lab_neurons(page).count() == neuron_count(dist, "xor")


def test_python_failing_at_start_shows_its_message(page, modified_site, page_errors):
    def break_simulator(folder):
        path = folder / "py" / "nnsim.zip"
        with zipfile.ZipFile(path) as built:
            bridge = built.read("bridge.py")  # the bridge imports the simulator on first use
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("bridge.py", bridge)
            archive.writestr(
                "nnsim/__init__.py", 'raise RuntimeError("the simulator failed on purpose for this test")'
            )
        # A memory snapshot holds the working simulator already imported: without it, Python
        # starts the plain way and imports the broken one.
        (folder / "pyodide" / "python-snapshot.bin.gz").unlink()

    page.goto(modified_site(break_simulator) + "#xor")
    page.wait_for_function("document.documentElement.dataset.state === 'error'", timeout=60_000)
    summary = page.locator("#startup-error [data-error-summary]").inner_text()
    assert "the simulator failed on purpose for this test" in summary
    assert page.locator("#startup-error").is_visible()


def test_a_settings_url_reproduces_the_settings(open_lab, bridge, cpython_session):
    settings = {"learning_rate": 0.7, "seed": 3}
    page = open_lab("xor", settings=settings)
    state = bridge(page, "xor", "state")
    assert {k: state["settings"][k] for k in settings} == settings
    # Same settings, same network: the browser's Pyodide agrees with CPython number for number.
    assert state["weights"] == cpython_session("xor", settings).state()["weights"]
    assert "learning_rate=0.7" in page.evaluate("location.hash")
    # Switching away and back keeps them in the link.
    nav = page.get_by_role("navigation", name="Labs")
    nav.get_by_role("link", name="Deep network").click()
    page.wait_for_function("window.glassbox.currentLab() === 'deep'")
    nav.get_by_role("link", name="XOR walkthrough").click()
    page.wait_for_function("window.glassbox.currentLab() === 'xor'")
    assert "learning_rate=0.7" in page.evaluate("location.hash")


def test_rejected_url_settings_fall_back_to_defaults_with_a_notice(open_lab, bridge, dist):
    page = open_lab("xor", settings={"learning_rate": -5, "<script>alert(1)</script>": 1})
    notice = page.locator("#notices")
    assert "could not be used" in notice.inner_text()
    assert page.locator("#notices script").count() == 0
    defaults = baked(dist, "xor")["state"]["settings"]
    assert bridge(page, "xor", "state")["settings"] == defaults
    assert page.evaluate("location.hash") == "#xor"


def test_embed_hides_the_site_chrome(open_lab):
    page = open_lab("deep", search="?embed=1")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert page.locator("#lab-root svg").first.is_visible()


def test_file_url_explains_how_to_serve(browser, dist):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto((dist / "index.html").as_uri())
        notice = page.locator("#file-notice")
        notice.wait_for()
        assert "python -m http.server" in notice.inner_text()
        assert "python build.py serve" in notice.inner_text()
        assert state_of(page) == "error"
    finally:
        context.close()


# XML namespace names: identifiers the DOM needs, never fetched.
NAMESPACE_URLS = {
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1999/xhtml",
}


def test_no_produced_file_names_an_outside_url(dist):
    """The site's own HTML, CSS, JS and config (not the vendored packages) name no other host."""
    produced = [
        path
        for path in dist.rglob("*")
        if path.suffix in (".html", ".css", ".js", ".mjs", ".json", ".py")
        and path.relative_to(dist).parts[0] not in ("vendor", "pyodide")
    ]
    assert any(path.name == "index.html" for path in produced)
    outside = {}
    for path in produced:
        for url in re.findall(r"https?://[^\s\"'`)<>]+", path.read_text(encoding="utf-8")):
            host = re.match(r"https?://([^/:]+)", url).group(1)
            if url not in NAMESPACE_URLS and host not in ("127.0.0.1", "localhost"):
                outside.setdefault(str(path.relative_to(dist)), []).append(url)
    assert not outside, outside


def test_a_bridge_that_does_not_load_shows_the_error_state(page, modified_site):
    def break_bridge(folder):
        script = folder / "py" / "worker.py"
        script.write_text('raise RuntimeError("broken on purpose")\n' + script.read_text())

    page.goto(modified_site(break_bridge) + "#deep")
    page.wait_for_function("document.documentElement.dataset.state === 'error'", timeout=60_000)
    assert "py/bridge.py) did not load" in page.inner_text("#startup-error")
