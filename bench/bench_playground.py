"""Playground speed: training with heatmaps as the page runs them, and the largest heatmap.

Run from the repository root:  PYTHONPATH=py python bench/bench_playground.py [seconds]
or under Pyodide in Node:      node bench/bench_playground_pyodide.mjs [seconds]
Prints, never asserts. Times are CPU time of this process (under Node, Node's own
process.cpuUsage(), which Pyodide's clocks do not give), so other programs on a busy machine
distort them less than wall time; still, report `uptime`'s load with the figures.

1. The default network (features x1, x2; hidden 4 and 2, tanh; sigmoid + cross-entropy; 250
   training points, batch 10) trained in chunks of 40 ms (the page's chunk) while, every
   150 ms, the heatmaps (50 x 50, every neuron) and the state are computed and turned into
   JSON, as the worker sends them: epochs/s and heatmaps/s achieved.
2. One full heatmap computation (output and every neuron, 50 x 50) of the largest network
   the playground allows: all 7 features, 6 hidden layers of 8, 4-class softmax output.
3. The longest single batch, which bounds how late a Pause can be answered: the largest
   network (2-class softmax) on 900 training points in one full batch.
"""

import json
import sys
import time

from nnsim import settings
from nnsim.playground import features
from nnsim.playground.session import PlaygroundSession

CHUNK_MS = 40
HEATMAP_EVERY_S = 0.15  # the page's REDRAW_MS


def cpu_clock():
    """Seconds of CPU this process has used (in a browser, which has no CPU clock, wall time)."""
    if sys.platform == "emscripten":
        import js

        if hasattr(js, "process"):  # Pyodide under Node: Node's own CPU count
            usage = js.process.cpuUsage()
            return (usage.user + usage.system) / 1e6
        return time.perf_counter()
    return time.process_time()


def training_with_heatmaps(seconds):
    session = PlaygroundSession()
    epochs = heatmaps = 0
    heatmap_time = 0.0
    start = cpu_clock()
    next_heatmap = start
    while (now := cpu_clock()) - start < seconds:
        if now >= next_heatmap:
            json.dumps(session.heatmaps())
            heatmaps += 1
            heatmap_time += cpu_clock() - now
            next_heatmap += HEATMAP_EVERY_S
        result = session.train(10_000, budget_ms=CHUNK_MS)
        json.dumps(result)
        epochs += result["done"]
    elapsed = cpu_clock() - start
    return epochs / elapsed, heatmaps / elapsed, 1000 * heatmap_time / max(heatmaps, 1)


def largest_settings():
    return {
        "dataset": "own",
        "classes": settings.MAX_CLASSES,
        "features": list(features.NAMES),
        "hidden": [settings.MAX_NEURONS] * settings.MAX_HIDDEN_LAYERS,
        "activations": ["tanh"] * settings.MAX_HIDDEN_LAYERS,
        "output_activation": "softmax",
        "loss": "cross_entropy",
    }


def largest_heatmap_ms(repeats, size=50):
    session = PlaygroundSession(largest_settings())
    session.heatmaps(size)  # the grid's features are computed once per feature set
    times = []
    for _ in range(repeats):
        start = cpu_clock()
        session.heatmaps(size)
        times.append(1000 * (cpu_clock() - start))
    times.sort()
    return times[len(times) // 2], times[0]


def longest_batch_ms(repeats=5):
    session = PlaygroundSession(
        {
            **largest_settings(),
            "dataset": "spiral",
            "classes": 2,
            "points": 1000,
            "train_share": 90,
            "batch_size": 1000,
        }
    )
    times = []
    for _ in range(repeats):
        start = cpu_clock()
        session.step()
        times.append(1000 * (cpu_clock() - start))
    return sorted(times)[len(times) // 2]


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    print(f"Python {sys.version.split()[0]} ({sys.platform})")
    epochs, heatmaps, heatmap_ms = training_with_heatmaps(seconds)
    print(
        f"default network, 250 training points: {epochs:.0f} epochs/s with "
        f"{heatmaps:.1f} heatmap sets/s ({heatmap_ms:.1f} ms each, JSON included)"
    )
    for size in (50, 100):
        median, best = largest_heatmap_ms(9, size)
        print(
            f"largest network (7-8x6-4), {size}x{size} heatmaps of all 56 neurons and the "
            f"output: median {median:.1f} ms, best {best:.1f} ms"
        )
    print(
        f"longest batch (largest network, 900 points, full batch; step() with its state): "
        f"median {longest_batch_ms():.1f} ms"
    )


if __name__ == "__main__":
    main()
