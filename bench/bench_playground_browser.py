"""The Playground lab in Chromium: training speed while the heatmaps redraw, and Pause.

    python bench/bench_playground_browser.py [--seconds S] [--runs N] [--dist DIR]

Builds the site (unless --dist names a built one), serves it on 127.0.0.1, opens #playground
with its default network (features x1, x2; hidden 4 and 2, tanh; 500 points of which 250 train,
batches of 10) and presses Play through the page, as a learner does. For S seconds it counts
the epochs trained (the page's data-epoch) and the heatmap redraws (data-heatmaps-drawn: the
output map and every neuron's, painted from Python's numbers); then it presses Pause and
measures the time until the page says it stopped (data-playing=false). Medians over --runs.
Prints figures and the load; asserts nothing about time. Run it through the team's browser slot.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import build  # noqa: E402  (the project's static server)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
IDLE = "document.querySelector('.pg')?.dataset.phase === 'idle'"
COUNTERS = """() => { const root = document.querySelector('.pg');
  return [Number(root.dataset.epoch), Number(root.dataset.heatmapsDrawn ?? 0)]; }"""
# Clicks Pause and resolves with the milliseconds until the lab says it stopped.
PAUSE = """() => new Promise(resolve => {
  const root = document.querySelector('.pg');
  const start = performance.now();
  new MutationObserver((_, observer) => {
    if (root.dataset.playing === 'false') { observer.disconnect(); resolve(performance.now() - start); }
  }).observe(root, {attributes: true});
  root.querySelector('button[name=play]').click();
})"""


def one_run(browser, url, seconds):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url + "#playground")
    page.wait_for_function("document.documentElement.dataset.state === 'ready'", timeout=120_000)
    page.wait_for_function(IDLE, timeout=60_000)
    page.click("button[name=play]")
    page.wait_for_timeout(1000)  # settle: the first chunks, the first redraws
    epochs0, maps0 = page.evaluate(COUNTERS)
    start = time.perf_counter()
    page.wait_for_timeout(seconds * 1000)
    epochs1, maps1 = page.evaluate(COUNTERS)
    elapsed = time.perf_counter() - start
    pause_ms = page.evaluate(PAUSE)
    page.close()
    return (epochs1 - epochs0) / elapsed, (maps1 - maps0) / elapsed, pause_ms


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dist", type=Path)
    options = parser.parse_args()
    dist = options.dist
    if dist is None:
        dist = Path(tempfile.mkdtemp()) / "dist"
        subprocess.run(
            [sys.executable, "build.py", "--out", str(dist)], cwd=ROOT, check=True, capture_output=True
        )
    server = build.make_server(dist, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    results = []
    with sync_playwright() as playwright:
        launch = {"args": ARGS}
        if os.path.exists(CHROMIUM):
            launch["executable_path"] = CHROMIUM
        browser = playwright.chromium.launch(**launch)
        for _ in range(options.runs):
            results.append(one_run(browser, url, options.seconds))
            epochs, maps, pause_ms = results[-1]
            print(
                f"run: {epochs:.0f} epochs/s, {maps:.1f} heatmap redraws/s, Pause {pause_ms:.0f} ms",
                flush=True,
            )
        browser.close()
    server.shutdown()
    epochs, maps, pauses = zip(*results)
    print(
        f"median of {options.runs} runs of {options.seconds:g} s, load {os.getloadavg()[0]:.1f}: "
        f"{statistics.median(epochs):.0f} epochs/s, {statistics.median(maps):.1f} heatmap "
        f"redraws/s, Pause answered in {statistics.median(pauses):.0f} ms "
        f"(max {max(pauses):.0f} ms)"
    )


if __name__ == "__main__":
    main()
