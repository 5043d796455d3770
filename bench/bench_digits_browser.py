"""How long 10,000 training iterations of the digits network (25-16-10) take, three ways.

    python bench/bench_digits_browser.py [--iterations 100|1000|10000] [--runs R] [--profile]

1. In the browser through the real UI path: the Digits lab's "Train 10,000" button, which
   trains in chunks of about 120 ms (train calls to the worker), updating the counters and
   feeding the shown image forward (a predict call) after every chunk. Timed from the click
   until the iteration counter reads 10000 and no call is left in the worker.
2. In the browser, one direct call: `train(10000, budget_ms=1e9)` through window.glassbox.call,
   so Pyodide runs every iteration in one go (no chunking, no redraws).
3. Native CPython in this process, the same Session code on the same arithmetic path as the
   browser (plain Python when the build has no NumPy), and on the other path for comparison.

Beside wall time it reports CPU time: for the browser, the CPU the browser's processes (page,
worker, helpers) used during the run, read from /proc on Linux; for CPython, this process's.
On a machine shared with other work, wall time stretches with the load and CPU time much less,
so CPU time is the better guess of what an idle machine would show.

It also times one `state` and one `predict` call in the browser (the per-chunk overhead of the
UI path) and, with --profile, prints where CPython spends the time of the direct run.
Serves the built dist/ (run `python build.py` first) on 127.0.0.1. A benchmark: prints a table,
asserts nothing.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "py"))

from nnsim.session import Session  # noqa: E402

import build  # noqa: E402  (the project's static server)
from bench.bench_browser import CHROMIUM_ARGS, SYSTEM_CHROMIUM  # noqa: E402

LAB = "digits"
SETTINGS = {"hidden": 16}
UNLIMITED_MS = 1e9

# Clicks "Train N" and waits (polling every millisecond) until the counter shows N and the
# worker is idle; returns the milliseconds taken and how many train calls the run made.
UI_RUN = """async (iterations) => {
  const label = `Train ${iterations.toLocaleString('en-US')}`;
  const button = [...document.querySelectorAll('#lab-root button')]
      .find(b => b.textContent.trim() === label);
  if (!button) throw new Error(`no button ${label}`);
  const counter = document.querySelector("[data-stat='iteration']");
  let chunks = 0;
  const observer = new MutationObserver(records => { chunks += records.length; });
  observer.observe(counter, {childList: true, characterData: true, subtree: true});
  const start = performance.now();
  button.click();
  while (counter.textContent !== String(iterations) || window.glassbox.pendingCalls() > 0) {
    await new Promise(resolve => setTimeout(resolve, 1));
  }
  const elapsed = performance.now() - start;
  observer.disconnect();
  return {ms: elapsed, chunks};
}"""

TIMED_CALL = """async ([method, args]) => {
  const start = performance.now();
  await window.glassbox.call('digits', method, args);
  return performance.now() - start;
}"""


def descendant_cpu_ms():
    """CPU time (user + system) used so far by this process's descendants: the browser.
    None where /proc is missing (not Linux)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    parents, cpu = {}, {}
    for stat in proc.glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # the process ended while we looked
        fields = text[text.rindex(")") + 2 :].split()
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        cpu[pid] = int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    mine, frontier = set(), {os.getpid()}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - mine
        mine |= frontier
    return sum(cpu[pid] for pid in mine) * 1000 / os.sysconf("SC_CLK_TCK")


def with_cpu(measure):
    """(result of measure(), browser CPU ms it took or None)."""
    before = descendant_cpu_ms()
    result = measure()
    after = descendant_cpu_ms()
    return result, None if before is None else after - before


def browser_runs(base_url, iterations, runs):
    with sync_playwright() as playwright:
        executable = SYSTEM_CHROMIUM if Path(SYSTEM_CHROMIUM).exists() else None
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base_url}#{LAB}")
        page.wait_for_function("document.documentElement.dataset.state !== 'loading'", timeout=120_000)
        state = page.evaluate("document.documentElement.dataset.state")
        if state != "ready":
            raise SystemExit(f"the page did not start: {state}")
        backend = page.evaluate("window.glassbox.call('digits', 'state', {})")["backend"]
        call = lambda method, args: page.evaluate(TIMED_CALL, [method, args])  # noqa: E731
        call("train", {"max_iterations": 200, "budget_ms": UNLIMITED_MS})  # warm up

        ui, direct = [], []
        for _ in range(runs):
            # The lab's own Reset, so its counter restarts at 0 before the timed click.
            page.locator("#lab-root").get_by_role("button", name="Reset").click()
            page.wait_for_function(
                "document.querySelector(\"[data-stat='iteration']\")"
                ".textContent === '0' && window.glassbox.pendingCalls() === 0"
            )
            run, cpu = with_cpu(lambda: page.evaluate(UI_RUN, iterations))
            ui.append({**run, "cpu": cpu})
            call("reset", {})
            ms, cpu = with_cpu(
                lambda: call("train", {"max_iterations": iterations, "budget_ms": UNLIMITED_MS})
            )
            direct.append({"ms": ms, "cpu": cpu})
        image = page.evaluate("window.glassbox.call('digits', 'state', {})")["examples"][3]["input"]
        state_ms = statistics.median(call("state", {}) for _ in range(5))
        predict_ms = statistics.median(call("predict", {"input": image}) for _ in range(5))
        browser.close()
    return backend, ui, direct, state_ms, predict_ms


def native_runs(backend, iterations, runs):
    results = []
    for _ in range(runs):
        session = Session(LAB, SETTINGS, backend=backend)
        wall, cpu = time.perf_counter(), time.process_time()
        session.train(iterations, budget_ms=UNLIMITED_MS)
        results.append({"ms": (time.perf_counter() - wall) * 1000, "cpu": (time.process_time() - cpu) * 1000})
    return results


def median_of(results, key):
    values = [r[key] for r in results if r[key] is not None]
    return statistics.median(values) if values else None


def native_profile(backend, iterations):
    session = Session(LAB, SETTINGS, backend=backend)
    profiler = cProfile.Profile()
    profiler.runcall(session.train, iterations, UNLIMITED_MS)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--iterations",
        type=int,
        default=10_000,
        choices=(100, 1000, 10_000),
        help="one of the lab's Train buttons",
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print CPython's profile of one direct run")
    options = parser.parse_args()
    if not (build.DIST / "index.html").exists():
        raise SystemExit("dist/ is missing: run `python build.py` first")

    server = build.make_server(build.DIST, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        backend, ui, direct, state_ms, predict_ms = browser_runs(
            f"http://127.0.0.1:{server.server_address[1]}/", options.iterations, options.runs
        )
    finally:
        server.shutdown()
        server.server_close()

    n = options.iterations
    other = "numpy" if backend == "plain" else "plain"
    rows = [
        (f"browser, UI path (Train {n:,}: chunked train calls + redraws)", ui),
        (f"browser, one direct train({n}) call", direct),
        (f"native CPython {sys.version.split()[0]}, {backend} path", native_runs(backend, n, options.runs)),
    ]
    try:
        rows.append((f"native CPython, {other} path", native_runs(other, n, options.runs)))
    except (ImportError, ValueError) as error:
        rows.append((f"native CPython, {other} path: unavailable ({error})", None))

    print(
        f"\n{n:,} iterations of 25-16-10 (digits preset), median of {options.runs} runs; "
        f"browser simulator path: {backend}; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores"
    )
    print(f"{'how':<64} {'wall ms':>8} {'cpu ms':>8} {'it/s (cpu)':>10}")
    for name, results in rows:
        if results is None:
            print(name)
            continue
        wall, cpu = median_of(results, "ms"), median_of(results, "cpu")
        cpu_text = "?" if cpu is None else f"{cpu:.0f}"
        rate = n / (cpu or wall) * 1000
        print(f"{name:<64} {wall:>8.0f} {cpu_text:>8} {rate:>10.0f}")
    chunks = statistics.median(r["chunks"] for r in ui)
    print(
        f"\nUI path: about {chunks:.0f} chunks; after each the page shows the new counters and "
        f"bars and asks for a forward pass; the network view and chart redraw at the end."
    )
    print(
        f"browser call times: state() {state_ms:.1f} ms, predict() {predict_ms:.1f} ms "
        f"(round trip through the worker, JSON both ways)"
    )
    if options.profile:
        print(f"\nCPython profile of train({n}) on the {backend} path (by own time):")
        print(native_profile(backend, n))


if __name__ == "__main__":
    main()
