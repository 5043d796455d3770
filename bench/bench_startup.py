"""Cold start of the built site in headless Chromium: time to Python ready, which start was
used and the longest frozen frame, with and without the Python memory snapshot, on loopback and
over a slower link: the server sends every response through one shared link of the given
rate. (Chromium's own network emulation is no use here: it throttles the page and PyScript's
worker, but not the worker that worker starts to download the snapshot.)

    python build.py && python bench/bench_startup.py [--runs 3] [--mbps 0,20,5] [--labs xor,deep]

Variants, served from the same dist/ by rewriting two files on the fly:
  plain     pyscript.json names ./pyodide/pyodide.mjs itself: Pyodide's plain start
  default   the site as built: js/shell/pyodide-loader.mjs, which judges the link by the
            snapshot's first bytes and drops the snapshot when it would not pay
  snapshot  the loader told to always wait for the snapshot, whatever the link

Every run is a fresh browser (no HTTP or compiled-code cache); variants take turns within a
round so a busy machine slows them alike. After the table, every frame longer than 50 ms up to
ready is listed with Chromium's long-animation-frame attribution: the scripts that ran in it
(file, what invoked them, how long, of which forced style and layout), its rendering time and
its blocking time (how much of it long tasks took; the page's first frame is often long with
none, while its stylesheets arrive). Prints figures, asserts nothing.
"""

import argparse
import functools
import re
import statistics
import sys
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import build  # noqa: E402  (QuietHandler: the same types and headers as `build.py serve`)

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
VARIANTS = ("plain", "default", "snapshot")
LATENCY_MS = 20  # before each response over a slower link; loopback has none
LONG_FRAME_MS = 50  # issue 8: no frozen frame over this while Python starts

# Records when <html data-state> turns ready or error (ms since navigation), the longest gap
# between animation frames until then, and the long animation frames (LoAF) with their scripts.
PROBE = """
(() => {
  const probe = window.__startup = {endedMs: null, state: null, longestFrameMs: 0, longFrames: []};
  new PerformanceObserver(list => {
    for (const frame of list.getEntries()) {
      if (probe.endedMs !== null && frame.startTime > probe.endedMs) continue;
      probe.longFrames.push({
        startMs: frame.startTime, durationMs: frame.duration, blockingMs: frame.blockingDuration,
        renderMs: frame.renderStart ? frame.startTime + frame.duration - frame.renderStart : 0,
        scripts: frame.scripts.map(script => ({
          file: (script.sourceURL || '').split('/').slice(-2).join('/'),
          invoker: script.invoker.replace(location.origin, ''), durationMs: script.duration,
          forcedLayoutMs: script.forcedStyleAndLayoutDuration})),
      });
    }
  }).observe({type: 'long-animation-frame', buffered: true});
  let last = null;  // from the first frame on: the page's own first paint is not counted
  requestAnimationFrame(function frame(now) {
    if (last !== null) probe.longestFrameMs = Math.max(probe.longestFrameMs, now - last);
    last = now;
    if (probe.endedMs === null) requestAnimationFrame(frame);
  });
  // Init scripts run before <html> exists: watch the document for the attribute instead.
  new MutationObserver(() => {
    const state = document.documentElement.dataset.state;
    if (probe.endedMs === null && (state === 'ready' || state === 'error')) {
      probe.endedMs = performance.now();
      probe.state = state;
    }
  }).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-state']});
})();
"""


def rewrite(variant, path, body):
    """The variant's version of a served file (path relative to dist/)."""
    if variant == "plain" and path == "pyscript.json":
        return re.sub(rb'"interpreter":\s*"[^"]*"', b'"interpreter": "./pyodide/pyodide.mjs"', body)
    if variant == "snapshot" and path == "js/shell/pyodide-loader.mjs":
        return re.sub(rb"DOWNLOAD_BUDGET_MS = \d+", b"DOWNLOAD_BUDGET_MS = Infinity", body)
    return body


class SharedLink:
    """One link that every response shares, as a home connection does: at most `rate` bytes per
    second in all (0: as fast as loopback goes)."""

    CHUNK = 16 * 1024

    def __init__(self):
        self.rate = 0
        self.lock = threading.Lock()
        self.free_at = 0.0   # when the link has sent everything queued so far

    def send(self, wfile, data):
        if self.rate:
            time.sleep(LATENCY_MS / 1000)
        for start in range(0, len(data), self.CHUNK):
            chunk = data[start:start + self.CHUNK]
            if self.rate:
                with self.lock:
                    begin = max(time.monotonic(), self.free_at)
                    self.free_at = begin + len(chunk) / self.rate
                time.sleep(max(0.0, begin - time.monotonic()))
            wfile.write(chunk)


LINK = SharedLink()


class VariantHandler(build.QuietHandler):
    """Serves dist/ under /<variant>/..., rewriting the files that pick the start, over LINK."""

    def split(self):
        variant, _, rest = self.path.lstrip("/").partition("/")
        return variant, rest.split("?")[0] or "index.html"

    def translate_path(self, path):
        variant, rest = self.split()
        return super().translate_path("/" + rest if variant in VARIANTS else "/missing")

    def do_GET(self):
        variant, path = self.split()
        if variant not in VARIANTS or path not in ("pyscript.json", "js/shell/pyodide-loader.mjs"):
            super().do_GET()
            return
        body = rewrite(variant, path, (Path(self.directory) / path).read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        LINK.send(self.wfile, body)

    def copyfile(self, source, outputfile):
        LINK.send(outputfile, source.read())


class QuietServer(build.http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a browser closed at the end of a run drops its open downloads: not news


def cold_start(playwright, url):
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    try:
        page = browser.new_context().new_page()
        page.add_init_script(PROBE)
        page.goto(url)
        page.wait_for_function("window.__startup.endedMs !== null", timeout=300_000, polling=50)
        page.wait_for_timeout(100)  # LoAF reports a frame once it has ended
        probe = page.evaluate("window.__startup")
        about = page.inner_text("#about")
        start = re.search(r"snapshot|plain", about, re.I)
        long_frames = [frame for frame in probe["longFrames"]
                       if frame["durationMs"] > LONG_FRAME_MS and frame["startMs"] <= probe["endedMs"]]
        return {"ready_s": probe["endedMs"] / 1000, "state": probe["state"],
                "frame_ms": probe["longestFrameMs"], "long_frames": long_frames,
                "start": start.group(0).lower() if start else "?"}
    finally:
        browser.close()


def describe_frame(frame):
    """One long frame: when, how long, its rendering, and the scripts that ran in it."""
    scripts = "; ".join(
        f"{script['file'] or '?'} ({script['invoker']}) {script['durationMs']:.0f} ms"
        + (f", {script['forcedLayoutMs']:.0f} forced layout" if script["forcedLayoutMs"] >= 1 else "")
        for script in frame["scripts"] if script["durationMs"] >= 3)
    return (f"at {frame['startMs']:.0f} ms: {frame['durationMs']:.0f} ms "
            f"(blocking {frame['blockingMs']:.0f}), render {frame['renderMs']:.0f} ms; "
            f"{scripts or 'no script (parsing, compiling, style, or waiting for a stylesheet)'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="cold loads per variant, link and lab")
    parser.add_argument("--mbps", default="0,20,5",
                        help="links in Mbit/s, comma-separated; 0 is loopback")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--labs", default="xor", help="labs to open, comma-separated")
    parser.add_argument("--dist", type=Path, default=build.DIST)
    args = parser.parse_args()
    variants = args.variants.split(",")
    handler = functools.partial(VariantHandler, directory=str(args.dist))
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print("| link | variant | lab | ready, median (s) | runs (s) | start used "
          "| longest frozen frame (ms) | frames over 50 ms, per run |")
    print("|---|---|---|---|---|---|---|---|")
    long_frames = []   # (row, run number, frame) for the list after the table
    try:
        with sync_playwright() as playwright:
            for mbps in (float(m) for m in args.mbps.split(",")):
                link = f"{mbps:g} Mbit/s" if mbps else "loopback"
                LINK.rate = mbps * 1e6 / 8  # bytes per second
                for lab in args.labs.split(","):
                    results = {variant: [] for variant in variants}
                    for _ in range(args.runs):
                        for variant in variants:
                            results[variant].append(
                                cold_start(playwright, f"{base}/{variant}/#{lab}"))
                    for variant, runs in results.items():
                        times = [run["ready_s"] for run in runs]
                        starts = sorted({run["start"] for run in runs})
                        failed = [run["state"] for run in runs if run["state"] != "ready"]
                        print(f"| {link} | {variant} | {lab} | "
                              f"{statistics.median(times):.2f} | {', '.join(f'{t:.2f}' for t in times)} | "
                              f"{'/'.join(starts)}{' (' + ','.join(failed) + ')' if failed else ''} | "
                              f"{max(run['frame_ms'] for run in runs):.0f} | "
                              f"{', '.join(str(len(run['long_frames'])) for run in runs)} |", flush=True)
                        long_frames += [((link, variant, lab), number, frame)
                                        for number, run in enumerate(runs, 1)
                                        for frame in run["long_frames"]]
    finally:
        server.shutdown()
        server.server_close()
    print(f"\nFrames over {LONG_FRAME_MS} ms from navigation to ready (long-animation-frame entries):")
    for (link, variant, lab), number, frame in long_frames:
        print(f"- {link}, {variant}, {lab}, run {number}: {describe_frame(frame)}")


if __name__ == "__main__":
    main()
