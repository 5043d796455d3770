"""Worker round trips and bytes per user action, in each lab.

    python bench/bench_round_trips.py [--dist DIR]

Serves a built site (dist/, built first when out of date; or --dist) on 127.0.0.1, opens each
lab in Chromium, waits until Python is ready and the page is quiet, then does one user action
at a time through the page (a click, as a user would) and reads the page's own count of bridge
calls (`window.glassbox.traffic`: calls, bytes sent and received per method) before and after.
An action is over when no call has been in flight for QUIET_MS (and the Glass box's packets
have landed). Saved work's `export` (kept after every change) counts as it costs.

It prints one line per action: round trips, the methods called, and the bytes each way. It is a
benchmark: it asserts nothing.
"""

import argparse
import sys
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import build  # noqa: E402  (the project's build and static server)
from bench.bench_browser import CHROMIUM_ARGS, SYSTEM_CHROMIUM  # noqa: E402

QUIET_MS = 1500
READY_TIMEOUT_MS = 120_000

# (lab, action name, selector to click[, a checkbox ticked first, not counted]); Play actions
# click twice (start, then pause).
ACTIONS = [
    ("xor", "Finish iteration (walkthrough)", "[data-walk='finish']"),
    ("xor", "Next iteration (walkthrough)", "[data-walk='next']"),
    ("xor", "Run 100", "[data-run='100']"),
    ("deep", "Step", "[data-action='step']"),
    ("deep", "Play 1 s, Pause", "[data-action='play']"),
    ("glassbox", "Step (one epoch)", "[name='step']"),
    ("glassbox", "Play 1 s, Pause", "[name='play']"),
    ("glassbox", "Fast Play 1 s, Pause", "[name='play']", "[name='fast_play']"),
    ("glassbox", "Train 100 epochs", "[name='train_100']"),
    ("digits", "Train 100", "[data-action='train'][data-iterations='100']"),
    ("digits", "Select an image", "#lab-root [data-slot='thumbnails'] button >> nth=3"),
    ("playground", "Step (one batch)", "[name='step']"),
]


def traffic(page):
    return page.evaluate("JSON.parse(JSON.stringify(window.glassbox.traffic))")


def wait_quiet(page):
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < QUIET_MS / 1000:
        # The Glass box animates its packets between calls: its phase says when it is done.
        if page.evaluate(
            "window.glassbox.pendingCalls() > 0 || "
            "!['idle', undefined].includes(document.querySelector('.gb')?.dataset.phase)"
        ):
            quiet_since = time.monotonic()
        time.sleep(0.05)


def difference(before, after):
    rows = {}
    for method, counts in after.items():
        old = before.get(method, {"calls": 0, "sent": 0, "received": 0})
        delta = {key: counts[key] - old[key] for key in counts}
        if delta["calls"]:
            rows[method] = delta
    return rows


def run_action(page, name, selector):
    before = traffic(page)
    page.click(selector)
    if "Play" in name:
        time.sleep(1.0)
        page.click(selector)
    wait_quiet(page)
    return difference(before, traffic(page))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=None)
    args = parser.parse_args()
    dist = args.dist
    if dist is None:
        dist = build.DIST
        if not build.is_up_to_date(None, dist):
            build.build(None, dist)
    server = build.make_server(dist, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    with sync_playwright() as p:
        launch = {"args": CHROMIUM_ARGS}
        if Path(SYSTEM_CHROMIUM).exists():
            launch["executable_path"] = SYSTEM_CHROMIUM
        browser = p.chromium.launch(**launch)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        current = None
        print(f"{'lab':9} {'action':32} {'trips':>5} {'sent':>8} {'received':>9}  methods")
        for lab, name, selector, *setup in ACTIONS:
            if lab != current:
                page.goto(f"{url}#{lab}")
                page.wait_for_function(
                    "document.documentElement.dataset.state === 'ready'", timeout=READY_TIMEOUT_MS
                )
                page.wait_for_selector(f"{selector}:not([disabled])", timeout=READY_TIMEOUT_MS)
                wait_quiet(page)
                current = lab
            for checkbox in setup:
                page.check(checkbox)
            rows = run_action(page, name, selector)
            trips = sum(r["calls"] for r in rows.values())
            sent = sum(r["sent"] for r in rows.values())
            received = sum(r["received"] for r in rows.values())
            methods = ", ".join(f"{m}×{r['calls']}" for m, r in sorted(rows.items()))
            print(f"{lab:9} {name:32} {trips:5d} {sent:8,d} {received:9,d}  {methods}")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
