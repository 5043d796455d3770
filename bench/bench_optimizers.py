"""Cost of one update per optimiser, against plain SGD (CPython; also under Pyodide in Node).

    PYTHONPATH=py python3 bench/bench_optimizers.py [seconds per case]
    node bench/bench_optimizers_pyodide.mjs [seconds per case]     (the same, under Pyodide)

Each case is Trainer.step() (no trace) on a full batch: the 25-16-10 digits network on its
10 images, and the 2-2-1 glass box network on the 4 AND examples. Every optimiser goes
through the same update path (flat lists of floats), so the ratio to SGD is the optimiser's
own cost; "+l2" adds the L2 penalty to Adam. Times are wall time (perf_counter, which Pyodide
also has) of the fastest block of 5 steps; the optimisers take turns block by block, so other
programs disturb them alike and least in their fastest blocks. Still, run it on an idle
machine and give the load with the figures.
Prints, never asserts.
"""

import sys
import time

from nnsim import arrays, data, optimizers, regularization
from nnsim.network import Network
from nnsim.training import Trainer

CASES = [
    ("digits 25-16-10, 10 images", {"layers": [25, 16, 10], "seed": 1}, data.digits()),
    ("glassbox 2-2-1, 4 examples", {"layers": [2, 2, 1], "seed": 1}, data.gate("and")),
]
BLOCK = 5  # steps timed together; the fastest block counts (the least disturbed by other work)
RUNS = [(name, {"name": name}, None) for name in optimizers.NAMES] + [
    ("adam+l2", {"name": "adam"}, {"kind": "l2", "rate": 0.001})
]


def trainer(config, dataset, optimizer, penalty, backend):
    return Trainer(
        Network(config, backend),
        dataset["inputs"],
        dataset["targets"],
        optimizers.DEFAULT_LEARNING_RATES[optimizer["name"]],
        batch_size=len(dataset["inputs"]),
        optimizer=optimizers.read(optimizer),
        regularizer=regularization.read(penalty),
    )


def microseconds_per_step(trainers, seconds):
    """Fastest block of BLOCK steps per trainer, in microseconds per step. The trainers take
    turns, block by block, so a busy machine slows them alike."""
    best = [float("inf")] * len(trainers)
    for each in trainers:
        each.step()  # warm up
    start = time.perf_counter()
    while time.perf_counter() - start < seconds * len(trainers):
        for k, each in enumerate(trainers):
            block = time.perf_counter()
            for _ in range(BLOCK):
                each.step()
            best[k] = min(best[k], time.perf_counter() - block)
    return [b / BLOCK * 1e6 for b in best]


def main(seconds=1.0):
    backends = ["plain"] + (["numpy"] if arrays.numpy_available() else [])
    print(f"Python {sys.version.split()[0]} ({sys.platform}), {seconds:g} s per case")
    for title, config, dataset in CASES:
        for backend in backends:
            print(f"\n{title}, {backend}:  us/step   x SGD")
            costs = microseconds_per_step(
                [trainer(config, dataset, optimizer, penalty, backend) for _, optimizer, penalty in RUNS],
                seconds,
            )
            for (label, _, _), cost in zip(RUNS, costs):
                print(f"  {label:10} {cost:9,.0f} {cost / costs[0]:7.2f}")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0)
