"""Iterations per second of each preset on each array path (CPython). Prints, never asserts.

Run from the repository root:  PYTHONPATH=py python bench/bench_sim.py [seconds per case]
"train" is Session.train in chunks of 200 iterations (no traces, as the page trains, and a
state() per chunk); "step" is Session.step, which builds the full trace the app animates.
glassbox iterations are full-batch epochs (4 examples). Rates are per second of this
process's CPU time, so other programs on a busy machine do not distort them.
"""

import sys
import time

from nnsim import Session, arrays, presets


def rate(session, run, seconds):
    done = 0
    start = time.process_time()
    while time.process_time() - start < seconds:
        done += run(session)
    return done / (time.process_time() - start)


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    backends = ["plain"] + (["numpy"] if arrays.numpy_available() else [])
    print(f"Python {sys.version.split()[0]}, {seconds:g} s of CPU per case")
    print(f"{'preset':10} {'backend':8} {'train it/s':>12} {'step it/s':>12}")
    for preset in presets.NAMES:
        for backend in backends:
            training = rate(
                Session(preset, backend=backend), lambda s: s.train(200, budget_ms=60_000)["done"], seconds
            )
            stepping = rate(Session(preset, backend=backend), lambda s: (s.step(), 1)[1], seconds)
            print(f"{preset:10} {backend:8} {training:12,.0f} {stepping:12,.0f}")


if __name__ == "__main__":
    main()
