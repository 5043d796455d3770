"""Cost of one update per optimiser, against plain SGD (CPython; also under Pyodide in Node).

    PYTHONPATH=py python3 bench/bench_optimizers.py [seconds per case]
    node bench/bench_optimizers_pyodide.mjs [seconds per case]     (the same, under Pyodide)

Each case is Trainer.step() (no trace) on a full batch: the 25-16-10 digits network on its
10 images, and the 2-2-1 glass box network on the 4 AND examples. Every optimiser goes
through the same update path (flat lists of floats), so the ratio to SGD is the optimiser's
own cost; "+l2" adds the L2 penalty to Adam. Times are wall time (perf_counter, which Pyodide
also has) of the fastest block of 5 steps within the time per case, which other programs
disturb least; still, run it on an idle machine and give the load with the figures.
Prints, never asserts.
"""

import sys
import time

from nnsim import arrays, data, optimizers, regularization
from nnsim.network import Network
from nnsim.training import Trainer

CASES = [("digits 25-16-10, 10 images", {"layers": [25, 16, 10], "seed": 1}, data.digits()),
         ("glassbox 2-2-1, 4 examples", {"layers": [2, 2, 1], "seed": 1}, data.gate("and"))]
BLOCK = 5  # steps timed together; the fastest block counts (the least disturbed by other work)
RUNS = [(name, {"name": name}, None) for name in optimizers.NAMES] + [
    ("adam+l2", {"name": "adam"}, {"kind": "l2", "rate": 0.001})]


def microseconds_per_step(config, dataset, optimizer, penalty, backend, seconds):
    trainer = Trainer(Network(config, backend), dataset["inputs"], dataset["targets"],
                      optimizers.DEFAULT_LEARNING_RATES[optimizer["name"]],
                      batch_size=len(dataset["inputs"]), optimizer=optimizers.read(optimizer),
                      regularizer=regularization.read(penalty))
    trainer.step()  # warm up
    best, start = float("inf"), time.perf_counter()
    while time.perf_counter() - start < seconds:
        block = time.perf_counter()
        for _ in range(BLOCK):
            trainer.step()
        best = min(best, time.perf_counter() - block)
    return best / BLOCK * 1e6


def main(seconds=1.0):
    backends = ["plain"] + (["numpy"] if arrays.numpy_available() else [])
    print(f"Python {sys.version.split()[0]} ({sys.platform}), {seconds:g} s per case")
    for title, config, dataset in CASES:
        for backend in backends:
            print(f"\n{title}, {backend}:  us/step   x SGD")
            baseline = None
            for label, optimizer, penalty in RUNS:
                cost = microseconds_per_step(config, dataset, optimizer, penalty, backend, seconds)
                baseline = baseline or cost
                print(f"  {label:10} {cost:9,.0f} {cost / baseline:7.2f}")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0)
