"""Start-up of the page's main thread (issues 8 and 17): the preloads build.py writes into
index.html, the lab's first picture before anything of Python's start, and the lab's first draw
without KaTeX, which is loaded only when formulas are wanted.

The timing itself (time to ready, frames over 50 ms) is measured by bench/bench_startup.py,
never asserted here.
"""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

LABS = ("xor", "deep", "glassbox", "digits")
ALL_LABS = (*LABS, "playground")
# When the frame showing the lab's first neuron starts (ms after navigation): the first picture.
FIRST_PICTURE_PROBE = """
new MutationObserver((_, observer) => {
  if (!document.querySelector('#lab-root .nv-neuron')) return;
  observer.disconnect();
  requestAnimationFrame(() => { window.__firstPictureMs = performance.now(); });
}).observe(document, {childList: true, subtree: true});
"""
# What Python's start fetches on the page's side: PyScript's modules, its config, the worker's
# script, the loader and Pyodide's files.
PYTHON_START = r"/vendor/pyscript/|/pyscript\.json$|/py/|/pyodide/|pyodide-loader"
TYPESETTING_LABS = ("xor", "deep", "glassbox")


class LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "link":
            self.links.append(dict(attrs))


def preloads(dist):
    """{path relative to dist: the <link> attributes} for every preload in the built page."""
    collector = LinkCollector()
    collector.feed((dist / "index.html").read_text())
    return {
        link["href"].removeprefix("./"): link
        for link in collector.links
        if link.get("rel") in ("modulepreload", "preload")
    }


def path_of(url, base_url):
    return urlsplit(url).path.removeprefix(urlsplit(base_url).path)


def picture_and_requests(page, base_url, wait_ready, lab):
    """When the lab's first picture showed, and [(start, path)] of the page's requests, in ms
    after navigation, once the page is ready."""
    page.add_init_script(FIRST_PICTURE_PROBE)
    page.goto(f"{base_url}#{lab}")
    wait_ready(page)
    requests = page.evaluate(
        "() => performance.getEntriesByType('resource').map(entry => [entry.startTime, entry.name])"
    )
    return page.evaluate("window.__firstPictureMs"), [
        (start, path_of(url, base_url)) for start, url in requests
    ]


def test_every_preload_names_a_file_of_the_build(dist):
    links = preloads(dist)
    assert links, "index.html has no preloads"
    missing = [path for path in links if not (dist / path).is_file()]
    assert missing == []
    # Nothing may be left of the placeholder build.py replaces.
    assert "build.py:" not in (dist / "index.html").read_text()


def test_preloads_are_what_the_page_loads_before_the_worker(page, base_url, wait_ready, dist):
    """Every PyScript chunk and start-up module the page asks for is preloaded, and every
    preload is used: the list is read from the vendored files, so a new PyScript build that
    loads other chunks shows up here."""
    requested = []
    page.on("request", lambda request: requested.append(path_of(request.url, base_url)))
    page.goto(base_url + "#xor")
    wait_ready(page)
    links = preloads(dist)
    pyscript_chunks = {path for path in requested if re.fullmatch(r"vendor/pyscript/.+\.js", path)}
    assert pyscript_chunks, "the page loaded no PyScript module: is the request log empty?"
    assert pyscript_chunks <= set(links), f"not preloaded: {sorted(pyscript_chunks - set(links))}"
    assert set(links) <= set(requested), f"preloaded, never used: {sorted(set(links) - set(requested))}"
    modules = {path for path, link in links.items() if link["rel"] == "modulepreload"}
    assert {"js/app.js", "vendor/pyscript/core.js"} <= modules


@pytest.mark.parametrize("lab", ALL_LABS)
def test_the_first_picture_waits_for_a_handful_of_files(page, base_url, wait_ready, lab):
    """The lab's first picture needs the page, its one stylesheet, the shell's bundle, the lab's
    bundle and the lab's baked first state: nothing else is asked for before it (the modules are
    joined at build time, buildtools/bundle.py; the footer's build line waits; issue 17)."""
    picture, requests = picture_and_requests(page, base_url, wait_ready, lab)
    # (The browser asks for the tab's icon by itself, at its lowest priority.)
    asked = sorted(path for start, path in requests if start < picture and path != "favicon.svg")
    assert asked == sorted(["css/page.css", "js/app.js", f"js/labs/{lab}.js", f"baked/{lab}.json"])


def test_the_page_marks_its_start_up_milestones_in_order_before_the_picture(page, base_url, wait_ready):
    """bench/bench_startup.py's verdict says where a missed picture's time went by these marks."""
    page.add_init_script(FIRST_PICTURE_PROBE)
    page.goto(base_url + "#glassbox")
    wait_ready(page)
    marks = page.evaluate(
        "() => performance.getEntriesByType('mark').filter(mark => mark.name.startsWith('glassbox:'))"
        ".map(mark => [mark.name, mark.startTime])"
    )
    assert [name for name, _ in marks] == [
        f"glassbox:{name}" for name in ("shell", "lab modules", "lab page", "lab made")
    ]
    times = [time for _, time in marks]
    assert times == sorted(times) and times[-1] <= page.evaluate("window.__firstPictureMs")


def test_the_build_line_shows_on_the_embed_builder_too(page, base_url):
    """The footer's build line waits for Python's start in a lab; the builder starts none."""
    page.goto(base_url + "#teach")
    expect(page.locator("#about-build")).to_contain_text("Pyodide")


@pytest.mark.parametrize("lab", ("xor", "playground"))
def test_python_starts_after_the_first_picture(page, base_url, wait_ready, lab):
    """Nothing of Python's start shares the network or the main thread with the lab's first
    picture: its first request begins after the frame that shows the network (issue 17)."""
    picture, requests = picture_and_requests(page, base_url, wait_ready, lab)
    starts = [(start, path) for start, path in requests if re.search(PYTHON_START, "/" + path)]
    assert picture is not None and starts, "no first picture, or no request of Python's start seen"
    first = min(starts)
    assert first[0] >= picture, f"{first[1]} asked for at {first[0]:.0f} ms, the picture at {picture:.0f} ms"


def test_the_preloaded_worker_script_is_fetched_once(page, base_url, wait_ready):
    """PyScript's own fetch of worker.py takes the preloaded response (same mode and
    credentials), rather than asking the server a second time."""
    requested = []
    page.on("request", lambda request: requested.append(path_of(request.url, base_url)))
    page.goto(base_url + "#deep")
    wait_ready(page)
    assert requested.count("py/worker.py") == 1


@pytest.mark.parametrize("lab", LABS)
def test_the_network_is_drawn_and_python_ready_while_katex_is_held(
    context, page, lab_url, wait_ready, dist, lab
):
    held = []
    context.route("**/vendor/katex/katex.mjs", lambda route: held.append(route))
    page.goto(lab_url(lab))
    wait_ready(page)
    layers = json.loads((dist / "baked" / f"{lab}.json").read_text())["state"]["config"]["layers"]
    assert page.locator("#lab-root .nv-neuron").count() == sum(layers)
    assert page.locator("#lab-root .katex").count() == 0
    for route in held:
        route.continue_()
    if lab in TYPESETTING_LABS:
        assert len(held) == 1, "a lab that typesets asks for KaTeX while Python starts"
        page.locator("#lab-root .katex >> visible=true").first.wait_for()
    else:
        assert held == [], "a lab without formulas never loads KaTeX"


@pytest.mark.parametrize("lab", TYPESETTING_LABS)
def test_formulas_are_typeset_once_ready(open_lab, lab):
    page = open_lab(lab)
    # Read in one go: a lab may redraw its formulas as Python's first numbers arrive.
    family = page.wait_for_function("""() => {
        const shown = [...document.querySelectorAll('#lab-root .katex')]
            .find(formula => formula.getClientRects().length);
        return shown && getComputedStyle(shown).fontFamily;
    }""").json_value()
    # KaTeX's stylesheet came with it: its fonts are in use, not the page's serif fallback.
    assert "KaTeX_Main" in family


# The faces of KaTeX's fonts loaded at the moment the lab's first formula goes into the page.
FONTS_AT_FIRST_FORMULA_PROBE = """
new MutationObserver((_, observer) => {
  if (!document.querySelector('#lab-root .katex')) return;
  observer.disconnect();
  window.__fontsAtFirstFormula = [...document.fonts]
    .filter(face => face.family.includes('KaTeX') && face.status === 'loaded')
    .map(face => `${face.family} ${face.style} ${face.weight}`);
}).observe(document, {childList: true, subtree: true});
"""


@pytest.mark.parametrize("lab", ("xor", "glassbox"))
def test_katex_fonts_are_in_before_the_first_formula(page, lab_url, wait_ready, lab):
    """The faces the formulas use are loaded before the first one is laid out: each face that
    arrived later made the browser lay the whole page out again (issue 17, frames)."""
    page.add_init_script(FONTS_AT_FIRST_FORMULA_PROBE)
    page.goto(lab_url(lab))
    wait_ready(page)
    loaded = page.wait_for_function("window.__fontsAtFirstFormula").json_value()
    for face in ("KaTeX_Main normal 400", "KaTeX_Main normal 700", "KaTeX_Math italic 400"):
        assert face in loaded, f"{face} was not loaded when the first formula went in: {loaded}"


def test_python_controls_wake_up_in_labs_opened_once_python_is_ready(open_lab):
    """A lab opened while Python is already running builds its page over several frames; its
    controls that need Python are enabled all the same (the shell enables them as the lab
    waits for Python, not as the answer arrives)."""
    page = open_lab("xor")
    for lab in ("deep", "glassbox", "digits", "xor"):
        page.locator(f"#lab-switcher a[data-lab='{lab}']").click()
        play = page.locator("#lab-root").get_by_role("button", name="Play", exact=True).first
        expect(play).to_be_enabled(timeout=15_000)
