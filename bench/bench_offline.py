"""A second visit from the offline copy (site/service-worker.js): time to Python ready when the
site comes from the service worker's cache, with the network on and off, against the first
visit that filled it.

    python build.py && python bench/bench_offline.py [--runs 3] [--dist DIR]

Every run is a fresh browser profile: a first visit (cold, from the server), then, once the
service worker controls the page, reloads from the cache (the browser's HTTP cache is cleared
first, so only the service worker's copy is there), then the same with the network off.
Prints figures, asserts nothing.
"""

import argparse
import statistics
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from bench_startup import CHROMIUM_ARGS, PROBE  # noqa: E402  (PROBE: when data-state leaves loading)

import build  # noqa: E402

FIGURES = """() => ({state: window.__startup.state, readyMs: Math.round(window.__startup.endedMs),
                     start: document.getElementById('about').innerText.match(/snapshot|plain/)?.[0]})"""


def visit(page, url=None):
    """Navigate to url (None: reload) and wait until the start-up has ended."""
    if url:
        page.goto(url)
    else:
        page.reload()
    page.wait_for_function("window.__startup.endedMs !== null", timeout=120_000, polling=50)
    return page.evaluate(FIGURES)


def one_run(playwright, url, lab):
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    try:
        context = browser.new_context(service_workers="allow")
        page = context.new_page()
        page.add_init_script(PROBE)
        cdp = context.new_cdp_session(page)
        first = visit(page, url + f"#{lab}")
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=120_000)
        cdp.send("Network.clearBrowserCache")
        online = visit(page)
        context.set_offline(True)
        cdp.send("Network.clearBrowserCache")
        offline = visit(page)
        return {"first": first, "second, online": online, "second, offline": offline}
    finally:
        browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--labs", default="xor")
    parser.add_argument("--dist", type=Path, default=build.DIST)
    args = parser.parse_args()
    server = build.make_server(args.dist, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    print("| lab | visit | ready, median (ms) | runs (ms) | start used |")
    print("|---|---|---|---|---|")
    try:
        with sync_playwright() as playwright:
            for lab in args.labs.split(","):
                runs = [one_run(playwright, url, lab) for _ in range(args.runs)]
                for kind in runs[0]:
                    times = [run[kind]["readyMs"] for run in runs if run[kind]["state"] == "ready"]
                    starts = sorted({str(run[kind]["start"]) for run in runs})
                    failed = sum(run[kind]["state"] != "ready" for run in runs)
                    print(
                        f"| {lab} | {kind} | {statistics.median(times) if times else 'n/a'} | "
                        f"{', '.join(map(str, times))}{f' ({failed} failed)' if failed else ''} | "
                        f"{'/'.join(starts)} |",
                        flush=True,
                    )
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
