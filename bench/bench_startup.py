"""Cold start of the built site in headless Chromium: time to Python ready, which start was
used and the longest frozen frame, with and without the Python memory snapshot, on loopback and
over a slower link: the server sends every response through one shared link of the given
rate. (Chromium's own network emulation is no use here: it throttles the page and PyScript's
worker, but not the worker that worker starts to download the snapshot.)

    python build.py && python bench/bench_startup.py [--runs 3] [--mbps 0,20,5] [--labs xor,deep]
                                                     [--gzip] [--play SECONDS]

--gzip compresses every response on the fly, as GitHub Pages does (all but the files that are
compressed already, the .gz snapshot), and the table gives the bytes each cold load moved.

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
none, while its stylesheets arrive: it is listed, and said to come before the first paint, but not
judged as frozen, since nothing was on screen to freeze; a frame with no script and no rendering
on the main thread is said to have waited on other threads). --play SECONDS then presses the
lab's own Play once Python is ready, for that long, and judges and lists the frames while it
plays the same way.

The first picture is the frame that shows the lab's first neuron; when it misses its goal, the
verdict says how many files it waited for and when the last arrived, then when the page passed
its start-up milestones (performance marks of site/js/app.js: the shell ran, the lab's modules
and first state were in, its page laid out, the lab made), so a miss spent waiting for the
server (six connections to a host over HTTP/1.1; GitHub Pages speaks HTTP/2) reads apart from
one spent in scripts and frames. Prints figures, asserts nothing.
"""

import argparse
import email.utils
import functools
import gzip
import os
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
from bench.bench_browser import CHROMIUM_ARGS  # noqa: E402

VARIANTS = ("plain", "default", "snapshot")
# The baseline for the first picture: a page with nothing but one SVG circle, in the same run.
BLANK_PAGE = (
    b'<!doctype html><html lang="en" data-state="ready"><meta charset="utf-8"><title>blank</title>'
    b'<svg width="40" height="40"><circle cx="20" cy="20" r="10"/></svg></html>'
)
LATENCY_MS = 20  # before each response over a slower link; loopback has none
LONG_FRAME_MS = 50  # issue 8: no frozen frame over this while Python starts

# A long animation frame as the probes keep it: when, how long, and the scripts that ran in it.
DESCRIBE_FRAME = """
  const describeFrame = frame => ({
    startMs: frame.startTime, durationMs: frame.duration, blockingMs: frame.blockingDuration,
    renderMs: frame.renderStart ? frame.startTime + frame.duration - frame.renderStart : 0,
    scripts: frame.scripts.map(script => ({
      file: (script.sourceURL || '').split('/').slice(-2).join('/'),
      invoker: script.invoker.replace(location.origin, ''), durationMs: script.duration,
      forcedLayoutMs: script.forcedStyleAndLayoutDuration})),
  });
"""


# Records when <html data-state> turns ready or error (ms since navigation), the longest gap
# between animation frames until then, and the long animation frames (LoAF) with their scripts.
PROBE = (
    """
(() => {
"""
    + DESCRIBE_FRAME
    + """
  const probe = window.__startup = {endedMs: null, state: null, longestFrameMs: 0, longFrames: [],
                                    firstPictureMs: null, pictureFiles: 0, pictureFilesMs: null};
  // The first picture: the frame that shows the lab's first neuron (the blank page's own circle).
  new MutationObserver((_, observer) => {
    if (!document.querySelector('#lab-root svg circle, body > svg circle')) return;
    observer.disconnect();
    requestAnimationFrame(() => {
      probe.firstPictureMs = performance.now();
      // What the picture waited for: the files asked for before it, and when the last arrived
      // (not the tab's icon, which the browser asks for by itself, at its lowest priority).
      const files = performance.getEntriesByType('resource')
        .filter(entry => entry.responseEnd <= probe.firstPictureMs && !entry.name.endsWith('/favicon.svg'));
      const page = performance.getEntriesByType('navigation')[0];
      probe.pictureFiles = files.length + 1;
      probe.pictureFilesMs = Math.max(page ? page.responseEnd : 0, ...files.map(entry => entry.responseEnd));
      // The page's own milestones up to then (site/js/app.js): where the rest of the time went.
      probe.milestones = Object.fromEntries(performance.getEntriesByType('mark')
        .filter(mark => mark.name.startsWith('glassbox:') && mark.startTime <= probe.firstPictureMs)
        .map(mark => [mark.name.slice('glassbox:'.length), mark.startTime]));
    });
  }).observe(document, {childList: true, subtree: true});
  new PerformanceObserver(list => {
    for (const frame of list.getEntries()) {
      if (probe.endedMs !== null && frame.startTime > probe.endedMs) continue;
      probe.longFrames.push(describeFrame(frame));
    }
  }).observe({type: 'long-animation-frame', buffered: true});
  // The page's first paint: a frame before it froze nothing (nothing was on screen yet).
  new PerformanceObserver(list => {
    const paint = list.getEntriesByName('first-paint')[0];
    if (paint) probe.firstPaintMs = paint.startTime;
  }).observe({type: 'paint', buffered: true});
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
)


# While a lab plays (--play): the longest gap between animation frames and the long animation
# frames, from the moment Play is pressed.
PLAY_PROBE = (
    """
(() => {
"""
    + DESCRIBE_FRAME
    + """
  const probe = window.__play = {startMs: performance.now(), longestFrameMs: 0, longFrames: [], on: true};
  new PerformanceObserver(list => {
    for (const frame of list.getEntries()) {
      if (frame.startTime < probe.startMs || !probe.on) continue;
      probe.longFrames.push(describeFrame(frame));
    }
  }).observe({type: 'long-animation-frame', buffered: false});
  let last = null;
  requestAnimationFrame(function frame(now) {
    if (last !== null) probe.longestFrameMs = Math.max(probe.longestFrameMs, now - last);
    last = now;
    if (probe.on) requestAnimationFrame(frame);
  });
})();
"""
)


def rewrite(variant, path, body):
    """The variant's version of a served file (path relative to dist/)."""
    if variant == "plain" and path == "pyscript.json":
        return re.sub(rb'"interpreter":\s*"[^"]*"', b'"interpreter": "./pyodide/pyodide.mjs"', body)
    if variant == "snapshot" and path == "js/shell/pyodide-loader.mjs":
        return re.sub(rb"DOWNLOAD_BUDGET_MS = \d+", b"DOWNLOAD_BUDGET_MS = Infinity", body)
    return body


class SharedLink:
    """One link that every response shares, as a home connection does: at most `rate` bytes per
    second in all (0: as fast as loopback goes). It counts the bytes of the bodies it sent."""

    CHUNK = 16 * 1024

    def __init__(self):
        self.rate = 0
        self.lock = threading.Lock()
        self.free_at = 0.0  # when the link has sent everything queued so far
        self.sent = 0
        self.unzipped = 0  # the same bodies before --gzip compressed them

    def take_count(self):
        """(bytes sent, the same uncompressed) since the last call."""
        with self.lock:
            counts = self.sent, self.unzipped
            self.sent = self.unzipped = 0
        return counts

    def count_unzipped(self, length):
        with self.lock:
            self.unzipped += length

    def send(self, wfile, data):
        """Sends data chunk by chunk, counting what was sent: a download the page abandons (a
        snapshot dropped for a plain start on a slow link) counts only as far as it went."""
        if self.rate:
            time.sleep(LATENCY_MS / 1000)
        for start in range(0, len(data), self.CHUNK):
            chunk = data[start : start + self.CHUNK]
            if self.rate:
                with self.lock:
                    begin = max(time.monotonic(), self.free_at)
                    self.free_at = begin + len(chunk) / self.rate
                time.sleep(max(0.0, begin - time.monotonic()))
            wfile.write(chunk)
            with self.lock:
                self.sent += len(chunk)


LINK = SharedLink()


GZIP = {"on": False}  # --gzip
_compressed = {}  # (variant, path) -> gzipped body, compressed once per run
_compressed_lock = threading.Lock()


def gzipped(key, body):
    with _compressed_lock:
        if key not in _compressed:
            _compressed[key] = gzip.compress(body, compresslevel=6, mtime=0)
        return _compressed[key]


class VariantHandler(build.QuietHandler):
    """Serves dist/ under /<variant>/... (and the blank page at /blank/), rewriting the files
    that pick the start, over LINK, gzipped with --gzip; answers conditional requests (a
    service worker's revalidation) with 304, as a static host does."""

    def split(self):
        variant, _, rest = self.path.lstrip("/").partition("/")
        return variant, rest.split("?")[0] or "index.html"

    def translate_path(self, path):
        variant, rest = self.split()
        return super().translate_path("/" + rest if variant in VARIANTS else "/missing")

    def do_GET(self):
        self.respond(with_body=True)

    def do_HEAD(self):
        self.respond(with_body=False)

    def respond(self, with_body):
        variant, path = self.split()
        if variant == "blank":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(BLANK_PAGE)))
            self.end_headers()
            LINK.count_unzipped(len(BLANK_PAGE))
            LINK.send(self.wfile, BLANK_PAGE)
            return
        file = Path(self.directory) / path
        if variant not in VARIANTS or not file.is_file():
            self.send_error(404)
            return
        modified = email.utils.formatdate(int(file.stat().st_mtime), usegmt=True)
        if self.headers.get("If-Modified-Since") == modified:
            self.send_response(304)
            self.end_headers()
            return
        body = rewrite(variant, path, file.read_bytes())
        if with_body:
            LINK.count_unzipped(len(body))
        compress = (
            GZIP["on"] and "gzip" in self.headers.get("Accept-Encoding", "") and not path.endswith(".gz")
        )
        if compress:
            body = gzipped((variant, path), body)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", modified)
        if compress:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        if with_body:
            LINK.send(self.wfile, body)


class QuietServer(build.http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a browser closed at the end of a run drops its open downloads: not news


def blank_picture(playwright, base):
    """When the blank page's circle is in a frame, in ms after navigation (a fresh browser)."""
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    try:
        page = browser.new_context().new_page()
        page.add_init_script(PROBE)
        page.goto(f"{base}/blank/")
        page.wait_for_function("window.__startup.firstPictureMs !== null", polling=50)
        return page.evaluate("window.__startup.firstPictureMs")
    finally:
        browser.close()


def play(page, seconds):
    """Press the lab's own Play for `seconds`, then Pause: the frames in between."""
    button = page.locator("#lab-root").get_by_role("button", name="Play", exact=True).first
    button.wait_for(state="visible", timeout=30_000)
    handle = button.element_handle()
    page.wait_for_function("button => !button.disabled", arg=handle, timeout=60_000)
    page.wait_for_timeout(300)
    page.evaluate(PLAY_PROBE)
    handle.click()
    page.wait_for_timeout(seconds * 1000)
    handle.click()  # the same button pauses
    page.wait_for_timeout(100)  # LoAF reports a frame once it has ended
    probe = page.evaluate("(() => { window.__play.on = false; return window.__play; })()")
    long_frames = [frame for frame in probe["longFrames"] if frame["durationMs"] > LONG_FRAME_MS]
    return probe["longestFrameMs"], long_frames


def cold_start(playwright, url, play_seconds=0):
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    try:
        page = browser.new_context().new_page()
        page.add_init_script(PROBE)
        LINK.take_count()
        page.goto(url)
        page.wait_for_function("window.__startup.endedMs !== null", timeout=300_000, polling=50)
        sent, unzipped = LINK.take_count()
        page.wait_for_timeout(100)  # LoAF reports a frame once it has ended
        probe = page.evaluate("window.__startup")
        about = page.inner_text("#about")
        start = re.search(r"snapshot|plain", about, re.I)
        long_frames = [
            frame
            for frame in probe["longFrames"]
            if frame["durationMs"] > LONG_FRAME_MS and frame["startMs"] <= probe["endedMs"]
        ]
        play_frame_ms, play_frames = (
            play(page, play_seconds) if play_seconds and probe["state"] == "ready" else (None, [])
        )
        return {
            "picture_files": probe["pictureFiles"],
            "picture_files_ms": probe["pictureFilesMs"],
            "milestones": probe.get("milestones") or {},
            "play_frame_ms": play_frame_ms,
            "play_frames": play_frames,
            "ready_s": probe["endedMs"] / 1000,
            "state": probe["state"],
            "bytes": sent,
            "unzipped": unzipped,
            "picture_ms": probe["firstPictureMs"],
            "frame_ms": probe["longestFrameMs"],
            "long_frames": long_frames,
            "first_paint_ms": probe.get("firstPaintMs"),
            "start": start.group(0).lower() if start else "?",
        }
    finally:
        browser.close()


# The delivery goals: first picture within 150 ms and within 3x a blank page's; no frame over
# 50 ms while loading; a first visit's bytes with gzip on each path.
PICTURE_GOAL_MS = 150
PICTURE_GOAL_BLANKS = 3
GZIP_BYTES_GOAL = {"snapshot": 8e6, "default": 8e6, "plain": 5e6}


# The page's start-up milestones (performance marks of site/js/app.js), in their order.
MILESTONES = {
    "shell": "the shell ran",
    "lab modules": "the lab's modules and first state were in",
    "lab page": "its page laid out",
    "lab made": "the lab made",
}


def milestones(runs):
    """When, median ms, the page reached each milestone before its first picture."""
    reached = []
    for name, words in MILESTONES.items():
        times = [run["milestones"][name] for run in runs if name in run["milestones"]]
        if times:
            reached.append(f"{words} at {statistics.median(times):.0f}")
    return ": " + ", ".join(reached) if reached else ""


def verdict(link, variant, lab, pictures, blank, runs, gzipped):
    """One line: each goal this row can judge, met or missed by how much."""

    def judged(name, value, goal, unit):
        if value <= goal:
            return f"{name} {value:.{0 if unit == 'ms' else 2}f} {unit} <= {goal:g}: met"
        return (
            f"{name} {value:.{0 if unit == 'ms' else 2}f} {unit} > {goal:g}: "
            f"misses by {value - goal:.{0 if unit == 'ms' else 2}f} {unit}"
        )

    parts = []
    if pictures:
        goal = min(PICTURE_GOAL_MS, PICTURE_GOAL_BLANKS * statistics.median(blank))
        picture = statistics.median(pictures)
        part = judged("first picture", picture, goal, "ms")
        arrived = [run["picture_files_ms"] for run in runs if run["picture_files_ms"] is not None]
        if picture > goal and arrived:
            # Why: waiting for its files (the server, the connections) or drawing them.
            files = statistics.median(run["picture_files"] for run in runs)
            part += (
                f" (its {files:.0f} files arrived by {statistics.median(arrived):.0f} ms, "
                f"drawn {picture - statistics.median(arrived):.0f} ms later{milestones(runs)})"
            )
        parts.append(part)
    parts.append(judged("longest frame loading", max(run["frame_ms"] for run in runs), LONG_FRAME_MS, "ms"))
    played = [run["play_frame_ms"] for run in runs if run["play_frame_ms"] is not None]
    if played:
        parts.append(judged("longest frame playing", max(played), LONG_FRAME_MS, "ms"))
    if gzipped and link == "loopback":
        sent = statistics.median(run["bytes"] for run in runs) / 1e6
        parts.append(judged("gzipped bytes", sent, GZIP_BYTES_GOAL[variant] / 1e6, "MB"))
    return f"{link}, {variant}, {lab}: " + "; ".join(parts)


def describe_frame(frame, first_paint_ms=None):
    """One long frame: when, how long, its rendering, and the scripts that ran in it; and what
    kind of frame it was when the entry says so by itself."""
    scripts = "; ".join(
        f"{script['file'] or '?'} ({script['invoker']}) {script['durationMs']:.0f} ms"
        + (f", {script['forcedLayoutMs']:.0f} forced layout" if script["forcedLayoutMs"] >= 1 else "")
        for script in frame["scripts"]
        if script["durationMs"] >= 3
    )
    if first_paint_ms is not None and frame["startMs"] < first_paint_ms:
        # Nothing was on screen before it: the time to the first picture, not a frozen frame.
        kind = (
            f"{scripts or 'no script'}; the page's first frame (nothing on screen before it: "
            "the stylesheets, the first parse and layout), not counted as frozen: the first "
            "picture's goal covers it"
        )
    elif not scripts and frame["blockingMs"] == 0 and frame["renderMs"] < 5:
        # The main thread had almost nothing to do: the frame waited on other threads.
        kind = (
            "no script and no rendering on the main thread: it waited for raster, the compositor or the CPU"
        )
    else:
        kind = scripts or "no script over 3 ms (rendering, parsing or compiling)"
    return (
        f"at {frame['startMs']:.0f} ms: {frame['durationMs']:.0f} ms "
        f"(blocking {frame['blockingMs']:.0f}), render {frame['renderMs']:.0f} ms; {kind}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="cold loads per variant, link and lab")
    parser.add_argument("--mbps", default="0,20,5", help="links in Mbit/s, comma-separated; 0 is loopback")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--labs", default="xor", help="labs to open, comma-separated")
    parser.add_argument("--dist", type=Path, default=build.DIST)
    parser.add_argument("--gzip", action="store_true", help="gzip responses on the fly, as GitHub Pages does")
    parser.add_argument(
        "--play",
        type=float,
        default=0,
        metavar="SECONDS",
        help="after ready, press the lab's Play for this long",
    )
    args = parser.parse_args()
    GZIP["on"] = args.gzip
    variants = args.variants.split(",")
    handler = functools.partial(VariantHandler, directory=str(args.dist))
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print(
        "| link | variant | lab | first picture, median (ms) | ready, median (s) | runs (s) "
        "| start used | longest frozen frame (ms) | frames over 50 ms, per run "
        "| MB sent to ready, median (uncompressed) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    long_frames = []  # (row, run number, frame) for the list after the table
    play_frames = []  # the same while the lab plays (--play)
    verdicts = []  # one line per row: each delivery goal met, or by how much it misses
    load_before = os.getloadavg()[0]
    try:
        with sync_playwright() as playwright:
            for mbps in (float(m) for m in args.mbps.split(",")):
                link = f"{mbps:g} Mbit/s" if mbps else "loopback"
                LINK.rate = mbps * 1e6 / 8  # bytes per second
                blank = [blank_picture(playwright, base) for _ in range(args.runs)]
                print(f"| {link} | blank page | - | {statistics.median(blank):.0f} | | | | | | |", flush=True)
                for lab in args.labs.split(","):
                    results = {variant: [] for variant in variants}
                    for _ in range(args.runs):
                        for variant in variants:
                            results[variant].append(
                                cold_start(playwright, f"{base}/{variant}/#{lab}", args.play)
                            )
                    for variant, runs in results.items():
                        times = [run["ready_s"] for run in runs]
                        starts = sorted({run["start"] for run in runs})
                        failed = [run["state"] for run in runs if run["state"] != "ready"]
                        pictures = [run["picture_ms"] for run in runs if run["picture_ms"]]
                        print(
                            f"| {link} | {variant} | {lab} | "
                            f"{statistics.median(pictures) if pictures else 0:.0f} | "
                            f"{statistics.median(times):.2f} | {', '.join(f'{t:.2f}' for t in times)} | "
                            f"{'/'.join(starts)}{' (' + ','.join(failed) + ')' if failed else ''} | "
                            f"{max(run['frame_ms'] for run in runs):.0f} | "
                            f"{', '.join(str(len(run['long_frames'])) for run in runs)} | "
                            f"{statistics.median(run['bytes'] for run in runs) / 1e6:.2f} "
                            f"({statistics.median(run['unzipped'] for run in runs) / 1e6:.2f}) |",
                            flush=True,
                        )
                        verdicts.append(verdict(link, variant, lab, pictures, blank, runs, args.gzip))
                        long_frames += [
                            ((link, variant, lab), number, frame, run["first_paint_ms"])
                            for number, run in enumerate(runs, 1)
                            for frame in run["long_frames"]
                        ]
                        play_frames += [
                            ((link, variant, lab), number, frame)
                            for number, run in enumerate(runs, 1)
                            for frame in run["play_frames"]
                        ]
    finally:
        server.shutdown()
        server.server_close()
    print(
        f"\nGoals of issue 17 (load average {load_before:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after; figures taken above 2 are upper bounds):"
    )
    for line in verdicts:
        print(f"- {line}")
    print(f"\nFrames over {LONG_FRAME_MS} ms from navigation to ready (long-animation-frame entries):")
    for (link, variant, lab), number, frame, first_paint_ms in long_frames:
        print(f"- {link}, {variant}, {lab}, run {number}: {describe_frame(frame, first_paint_ms)}")
    if args.play:
        print(f"\nFrames over {LONG_FRAME_MS} ms while the lab played for {args.play:g} s:")
        for (link, variant, lab), number, frame in play_frames:
            print(f"- {link}, {variant}, {lab}, run {number}: {describe_frame(frame)}")


if __name__ == "__main__":
    main()
