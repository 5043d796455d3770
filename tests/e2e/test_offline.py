"""The offline copy (site/service-worker.js, issue 17): after a first visit the site starts and
every lab works with the network off, embedded too; a new deployment is offered, taken only
on Reload, and never mixed with the old one.

The rest of the suite blocks service workers (conftest's `context`), as a browser without them;
these tests use a context that allows them.
"""

import json
import re
import shutil
import sys
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import build  # noqa: E402
from buildtools import offline  # noqa: E402

LABS = ("xor", "deep", "glassbox", "digits")
TYPESETTING_LABS = ("xor", "deep", "glassbox")
TIMEOUT = 60_000


@pytest.fixture
def sw_page(browser, requests_made):
    """A page in a fresh context that lets the site install its service worker."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="allow")
    context.on("request", lambda request: requests_made.append(request.url))
    errors = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(error))
    yield page
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture
def own_site(dist, tmp_path):
    """A copy of the build served from a folder the test may redeploy: (folder, root URL)."""
    folder = tmp_path / "site"
    shutil.copytree(dist, folder)
    server = build.make_server(folder, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def wait_offline_copy(page):
    """The service worker controls the page: its install, which caches the site, is done."""
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=TIMEOUT)


def offline_build(page):
    return page.evaluate("""async () => (await caches.keys()).filter(name => name.startsWith('glassbox-'))""")


def use_lab(page, lab, bridge):
    """Open the lab (from the switcher, unless it is open), play it until the simulator has
    moved, pause it."""
    if page.evaluate("window.glassbox.currentLab()") != lab:
        page.locator(f"#lab-switcher a[data-lab='{lab}']").click()
    play = page.locator("#lab-root").get_by_role("button", name="Play", exact=True).first
    expect(play).to_be_enabled(timeout=TIMEOUT)
    page.wait_for_function(f"window.glassbox.currentLab() === '{lab}'")
    play.click()
    page.wait_for_function(
        f"window.glassbox.call('{lab}', 'state').then(s => s.iteration > 0)", timeout=TIMEOUT
    )
    page.locator("#lab-root").get_by_role("button", name="Pause", exact=True).first.click()
    if lab in TYPESETTING_LABS:
        page.locator("#lab-root .katex >> visible=true").first.wait_for(timeout=TIMEOUT)
    assert bridge(page, lab, "state")["iteration"] > 0


def test_a_second_visit_starts_from_the_cache_and_works_offline(sw_page, base_url, wait_ready, bridge):
    page = sw_page
    page.goto(base_url + "#xor")
    wait_ready(page)
    wait_offline_copy(page)
    assert len(offline_build(page)) == 1
    page.context.set_offline(True)
    page.reload()
    wait_ready(page)
    assert "started from its memory snapshot" in page.inner_text("#about"), (
        "the snapshot the first visit downloaded is kept for the next"
    )
    for lab in (*LABS[1:], LABS[0]):
        use_lab(page, lab, bridge)
    # A lab embedded in a course page, offline as well.
    page.goto(base_url + "?embed=1#glassbox")
    wait_ready(page)
    expect(page.locator(".site-header")).to_be_hidden()
    use_lab(page, "glassbox", bridge)


def redeploy(folder):
    """A new build in the same place: one file changes, and the service worker's list with it."""
    baked = folder / "baked" / "xor.json"
    data = json.loads(baked.read_text())
    data["redeployed"] = True
    baked.write_text(json.dumps(data))
    worker = folder / offline.SERVICE_WORKER
    # Back to the unfilled template, then filled for the changed files.
    worker.write_text((ROOT / "site" / offline.SERVICE_WORKER).read_text())
    offline.write_service_worker(folder)


def test_a_new_deployment_is_offered_and_taken_only_on_reload(sw_page, own_site, wait_ready):
    folder, url = own_site
    page = sw_page
    page.goto(url + "#xor")
    wait_ready(page)
    wait_offline_copy(page)
    [first_build] = offline_build(page)
    redeploy(folder)
    page.reload()
    wait_ready(page)
    offer = page.locator("#notices p", has_text="A new version of Glassbox is ready")
    expect(offer).to_be_visible(timeout=TIMEOUT)
    # Until the reader reloads, the page runs the old build, whole.
    assert page.evaluate("fetch('./baked/xor.json').then(r => r.json())").get("redeployed") is None
    with page.expect_navigation(timeout=TIMEOUT):
        offer.get_by_role("button", name="Reload").click()
    wait_ready(page)
    assert page.evaluate("fetch('./baked/xor.json').then(r => r.json())")["redeployed"] is True
    [second_build] = offline_build(page)
    assert second_build != first_build, "the old build's cache is gone, the new one's is there"


def test_a_file_of_another_build_is_never_kept(sw_page, own_site, wait_ready):
    """A file that does not match the hash the service worker was built with (a deployment
    half-way done) fails the install: nothing is cached, and the page still works online."""
    folder, url = own_site
    changed = folder / "js" / "app.js"
    changed.write_text(changed.read_text() + "\n// changed\n")
    page = sw_page
    page.goto(url + "#deep")
    wait_ready(page)
    page.wait_for_timeout(3000)  # time for the install to run and fail
    assert page.evaluate("navigator.serviceWorker.controller === null")
    assert offline_build(page) == []
    # Why: the file the server has now does not match the hash the service worker checks.
    hashes = json.loads(
        re.search(r"const BUILD = (.*);  //", (folder / offline.SERVICE_WORKER).read_text()).group(1)
    )["files"]
    assert (
        page.evaluate(
            """integrity => fetch('./js/app.js', {integrity, cache: 'no-cache'})
                              .then(() => 'fetched', error => error.name)""",
            hashes["js/app.js"],
        )
        == "TypeError"
    )


def test_the_site_is_installable(base_url, dist):
    manifest = json.loads((dist / "manifest.webmanifest").read_text())
    assert manifest["start_url"].startswith("./") and manifest["display"] == "standalone"
    assert all((dist / icon["src"]).is_file() for icon in manifest["icons"])
    assert re.search(
        r'<link rel="manifest" href="\./manifest\.webmanifest">', (dist / "index.html").read_text()
    )
