"""Glassbox in the browser: load times, frozen frames, training speed and bytes, in one run.

    python bench/bench_browser.py [--quick] [--runs N] [--dist DIR]

Serves the built site (dist/, built first when out of date) on 127.0.0.1 and drives Debian's
Chromium (Playwright's own elsewhere). It measures:

- time to the first drawn network (an SVG neuron in the lab) and to `ready`
  (html[data-state=ready]), cold (a new browser profile: empty HTTP cache) and warm (a reload
  in the same profile), medians over --runs;
- the longest frozen frame, i.e. the longest gap between requestAnimationFrame callbacks,
  while loading (navigation to ready) and while each lab plays (its Play button, for a while);
- iterations per second of each preset in the browser, through window.glassbox.call('train'),
  next to the same Session code under this CPython, on the same arithmetic path (plain or
  NumPy, whichever the browser runs), and their ratio;
- bytes the server sent for a cold load (headers and bodies, the worker's files included),
  counted by the server itself.

It prints a table and writes the figures as JSON under bench/results/. It is a benchmark: it
asserts nothing about time (`--quick` is the smoke run for CI).
"""

import argparse
import functools
import http.server
import json
import os
import statistics
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "py"))

from nnsim.session import Session  # noqa: E402

import build  # noqa: E402  (the project's build and static server)

RESULTS = ROOT / "bench" / "results"
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
LABS = ("xor", "deep", "glassbox", "digits")
READY_TIMEOUT_MS = 120_000

# Runs in the page before its own scripts: records when the first neuron is drawn, when the
# page becomes ready, and the longest gap between animation frames (reset with __bench.reset).
PAGE_PROBE = """
(() => {
  const bench = window.__bench = {firstNetworkMs: null, readyMs: null, maxGapMs: 0,
                                  loadingMaxGapMs: null, last: null};
  bench.reset = () => { bench.maxGapMs = 0; bench.last = null; };
  const frame = time => {
    if (bench.last !== null) bench.maxGapMs = Math.max(bench.maxGapMs, time - bench.last);
    bench.last = time;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const look = () => {
    if (bench.firstNetworkMs === null && document.querySelector('#lab-root svg circle')) {
      bench.firstNetworkMs = performance.now();
    }
    if (bench.readyMs === null && document.documentElement?.dataset.state === 'ready') {
      bench.readyMs = performance.now();
      bench.loadingMaxGapMs = bench.maxGapMs;
    }
  };
  new MutationObserver(look).observe(document, {subtree: true, childList: true,
                                                attributes: true, attributeFilter: ['data-state']});
})();
"""

# Train one preset in its own bridge session (not the lab's) for about budgetMs.
TRAIN_IN_PAGE = """
async ([preset, budgetMs]) => {
  const lab = 'bench-' + preset;
  await window.glassbox.call(lab, 'open', {preset, settings: {}});
  await window.glassbox.call(lab, 'train', {max_iterations: 20, budget_ms: 1000});  // warm up
  const started = performance.now();
  const result = await window.glassbox.call(lab, 'train',
                                            {max_iterations: 10000000, budget_ms: budgetMs});
  return {done: result.done, ms: performance.now() - started, backend: result.state.backend};
}
"""


class CountingServer:
    """build.py's static server on a free port, counting the bytes it sends."""

    def __init__(self, directory):
        counter = self
        self.bytes_sent = 0
        self.lock = threading.Lock()

        class CountingWriter:
            def __init__(self, inner):
                self.inner = inner

            def write(self, data):
                with counter.lock:
                    counter.bytes_sent += len(data)
                return self.inner.write(data)

            def __getattr__(self, name):
                return getattr(self.inner, name)

        class Handler(build.QuietHandler):
            def setup(self):
                super().setup()
                self.wfile = CountingWriter(self.wfile)

        handler = functools.partial(Handler, directory=str(directory))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def take_count(self):
        with self.lock:
            sent, self.bytes_sent = self.bytes_sent, 0
        return sent


def wait_ready(page):
    page.wait_for_function(
        "window.__bench && window.__bench.readyMs !== null "
        "|| document.documentElement.dataset.state === 'error'",
        timeout=READY_TIMEOUT_MS,
    )
    state = page.evaluate("document.documentElement.dataset.state")
    if state != "ready":
        raise RuntimeError(f"the page ended in {state!r}: {page.inner_text('#startup-error')}")


def load_figures(page):
    return page.evaluate(
        "({firstNetworkMs: __bench.firstNetworkMs, readyMs: __bench.readyMs,"
        " loadingMaxGapMs: __bench.loadingMaxGapMs})"
    )


def measure_loads(browser, server, runs):
    """Cold load in a new context, then a warm reload in it; `runs` times."""
    cold, warm, cold_bytes = [], [], []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(PAGE_PROBE)
        page = context.new_page()
        server.take_count()
        page.goto(server.url + "#xor")
        wait_ready(page)
        cold.append(load_figures(page))
        page.wait_for_timeout(300)  # late requests (about line, fonts) belong to the load
        cold_bytes.append(server.take_count())
        page.reload()
        wait_ready(page)
        warm.append(load_figures(page))
        context.close()
    return cold, warm, cold_bytes


def play_button(page):
    return page.locator("#lab-root").get_by_role("button", name="Play", exact=True).first


def measure_play(browser, server, seconds):
    """Longest frozen frame while each lab plays, from its own Play button."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(PAGE_PROBE)
    page = context.new_page()
    page.goto(server.url + "#xor")
    wait_ready(page)
    results = {}
    for lab in LABS:
        page.goto(server.url + f"#{lab}")
        button = play_button(page)
        try:
            button.wait_for(state="visible", timeout=30_000)
            page.wait_for_function("b => !b.disabled", arg=button.element_handle(), timeout=30_000)
        except Exception as error:  # a lab without a Play button is reported, not fatal
            results[lab] = {"error": f"no enabled Play button ({type(error).__name__})"}
            continue
        page.wait_for_timeout(300)
        page.evaluate("__bench.reset()")
        handle = button.element_handle()
        handle.click()
        page.wait_for_timeout(seconds * 1000)
        gap = page.evaluate("__bench.maxGapMs")
        handle.click()  # the same button pauses (its name is now Pause)
        try:
            page.wait_for_function("window.glassbox.pendingCalls() === 0", timeout=10_000)
            paused = True
        except Exception:
            paused = False
        results[lab] = {
            "max_frame_gap_ms": round(gap, 1),
            "paused": paused,
            "iteration": page.evaluate(
                "lab => window.glassbox.call(lab, 'state').then(s => s.iteration)", lab
            ),
        }
    context.close()
    return results


def measure_speed(browser, server, budget_ms):
    """Iterations per second, browser against this CPython, on the browser's arithmetic path."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.url + "#xor")
    page.wait_for_function("document.documentElement.dataset.state === 'ready'", timeout=READY_TIMEOUT_MS)
    rows = {}
    for preset in LABS:
        in_browser = page.evaluate(TRAIN_IN_PAGE, [preset, budget_ms])
        session = Session(preset, backend=in_browser["backend"])
        session.train(20, 1000)  # warm up, as in the browser
        started = time.perf_counter()
        native = session.train(10_000_000, budget_ms)
        native_ms = (time.perf_counter() - started) * 1000
        browser_rate = in_browser["done"] / in_browser["ms"] * 1000
        native_rate = native["done"] / native_ms * 1000
        rows[preset] = {
            "backend": in_browser["backend"],
            "browser_iterations_per_s": round(browser_rate),
            "cpython_iterations_per_s": round(native_rate),
            "browser_over_cpython": round(browser_rate / native_rate, 2),
        }
    context.close()
    return rows


def median(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 1) if values else None


def summarise(cold, warm, cold_bytes, play, speed):
    def loads(samples):
        return {
            key: median([s[key] for s in samples]) for key in ("firstNetworkMs", "readyMs", "loadingMaxGapMs")
        }

    return {
        "cold": loads(cold),
        "warm": loads(warm),
        "cold_load_bytes": int(statistics.median(cold_bytes)),
        "play": play,
        "speed": speed,
    }


def table(summary, runs):
    lines = [f"Load (median of {runs})      first network   ready     longest frame while loading"]
    for kind in ("cold", "warm"):
        row = summary[kind]
        lines.append(
            f"  {kind:<24}{fmt_ms(row['firstNetworkMs']):>14}{fmt_ms(row['readyMs']):>10}"
            f"{fmt_ms(row['loadingMaxGapMs']):>14}"
        )
    lines.append(
        f"Bytes sent for a cold load   {summary['cold_load_bytes'] / 1e6:.2f} MB "
        f"({summary['cold_load_bytes']:,} bytes)"
    )
    lines.append("")
    lines.append("Lab        longest frame while playing   iterations played   paused")
    for lab, row in summary["play"].items():
        if "error" in row:
            lines.append(f"  {lab:<9}{row['error']}")
            continue
        lines.append(
            f"  {lab:<9}{fmt_ms(row['max_frame_gap_ms']):>14}{row['iteration']:>28,}"
            f"{'yes' if row['paused'] else 'NO':>9}"
        )
    lines.append("")
    lines.append("Preset     path    browser it/s   CPython it/s   browser/CPython")
    for preset, row in summary["speed"].items():
        lines.append(
            f"  {preset:<9}{row['backend']:<8}{row['browser_iterations_per_s']:>12,}"
            f"{row['cpython_iterations_per_s']:>15,}{row['browser_over_cpython']:>17.2f}"
        )
    return "\n".join(lines)


def fmt_ms(value):
    return "n/a" if value is None else f"{value:.0f} ms"


def ensure_built(dist):
    if dist == build.DIST and not build.is_up_to_date(None):
        build.build()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: one load, short plays and training budgets"
    )
    parser.add_argument("--runs", type=int, default=3, help="cold/warm loads to take the median of")
    parser.add_argument("--dist", type=Path, default=build.DIST, help="the built site")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    play_seconds = 1 if args.quick else 3
    budget_ms = 300 if args.quick else 1500
    ensure_built(args.dist)
    executable = SYSTEM_CHROMIUM if os.path.exists(SYSTEM_CHROMIUM) else None
    with CountingServer(args.dist) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            cold, warm, cold_bytes = measure_loads(browser, server, runs)
            play = measure_play(browser, server, play_seconds)
            speed = measure_speed(browser, server, budget_ms)
        finally:
            browser.close()
    summary = summarise(cold, warm, cold_bytes, play, speed)
    print(table(summary, runs))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    result = {
        "when": stamp,
        "quick": args.quick,
        "runs": runs,
        "play_seconds": play_seconds,
        "train_budget_ms": budget_ms,
        "python": sys.version.split()[0],
        "samples": {"cold": cold, "warm": warm, "cold_bytes": cold_bytes},
        **summary,
    }
    path = RESULTS / f"browser-{stamp}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nWrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
