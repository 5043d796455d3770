"""What a lab says about its network as it is now, in the words shown on the page.

`describe(...)` turns the numbers of a state into sentences: whether the network has
converged, when it first did and at which learning rate, whether it still does at the current
weights; whether the run looks stuck; and what one point of the cost chart is. The page shows
these sentences as they are, so they are true after every change (weights, rate, seed, load).
"""

import math

from .training import CONVERGED_ERROR, DECISION

# Stuck: the mean cost over the last STUCK_WINDOW iterations is no lower than STUCK_RATIO times
# the mean over the STUCK_WINDOW before, while some output is still on the wrong side of 0.5.
STUCK_WINDOW = 10_000
STUCK_RATIO = 0.99


def count(n):
    """A count with thousands separators: 100000 -> '100,000'."""
    return f"{n:,}"


def plain(x):
    """A setting as a person would write it: 0.5 -> '0.5', 1000000.0 -> '1,000,000'."""
    if x == int(x) and abs(x) < 1e15:
        return count(int(x))
    return f"{x:,.12g}".replace("-", "\N{MINUS SIGN}")


def decimal(x, places=4):
    """A measured value with a real minus sign: -0.25 -> '−0.2500'."""
    text = f"{x:.{places}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "\N{MINUS SIGN}")


def _iterations(n):
    return f"{count(n)} iteration{'' if n == 1 else 's'}"


def _inputs(example):
    return "(" + ", ".join(plain(v) for v in example["input"]) + ")"


def _wrong_side(examples):
    return [e for e in examples if not e["correct"]]


def is_converged(examples):
    return all(
        (a > DECISION) == (y > DECISION) and abs(a - y) < CONVERGED_ERROR
        for e in examples
        for a, y in zip(e["output"], e["target"])
    )


def convergence(iteration, learning_rate, converged_at, converged_rate, examples):
    """One paragraph: converged now or not, and when it first converged at which rate."""
    rule = f"every output on its target's side of 0.5 and within {plain(CONVERGED_ERROR)} of it"
    now = is_converged(examples)
    if converged_at is None:
        if now:  # weights loaded or changed into a converged network
            return f"Converged now ({rule})."
        return (
            f"Not converged yet after {_iterations(iteration)} at learning rate "
            f"{plain(learning_rate)} (converged means {rule})."
        )
    first = f"First converged at iteration {count(converged_at)}"
    if converged_rate is not None:
        first += f" with learning rate {plain(converged_rate)}"
    if now:
        return f"{first}, and still converged now after {_iterations(iteration)}: {rule}."
    wrong = _wrong_side(examples)
    if wrong:
        which = ", ".join(_inputs(e) for e in wrong)
        why = f"{len(wrong)} of {len(examples)} outputs are on the wrong side of 0.5 (input {which})"
    else:
        far = [
            e
            for e in examples
            if any(abs(a - y) >= CONVERGED_ERROR for a, y in zip(e["output"], e["target"]))
        ]
        why = (
            f"the output for input {', '.join(_inputs(e) for e in far)} is more than "
            f"{plain(CONVERGED_ERROR)} from its target"
        )
    return (
        f"{first}, but it is not converged now, after {_iterations(iteration)} at learning "
        f"rate {plain(learning_rate)}: {why}."
    )


def _mean(values):
    return math.fsum(values) / len(values) if values else None


def stuck(iteration, loss_history, examples):
    """A sentence when the cost has stopped falling while an output is on the wrong side of
    0.5, else None. loss_history: [[iteration, mean cost], ...]."""
    wrong = _wrong_side(examples)
    if not wrong or iteration < 2 * STUCK_WINDOW:
        return None
    recent = [v for i, v in loss_history if i > iteration - STUCK_WINDOW]
    before = [v for i, v in loss_history if iteration - 2 * STUCK_WINDOW < i <= iteration - STUCK_WINDOW]
    if not recent or not before or _mean(recent) < STUCK_RATIO * _mean(before):
        return None
    if all(len(e["output"]) == 1 for e in wrong):
        where = " and ".join(
            f"input {_inputs(e)} gives {decimal(e['output'][0])} for target {plain(e['target'][0])}"
            for e in wrong
        )
        where += ", on the wrong side of 0.5"
    else:
        where = f"{len(wrong)} of {len(examples)} examples are still classified wrongly"
    return (
        f"This run looks stuck: its cost has not fallen over the last "
        f"{_iterations(STUCK_WINDOW)}, while {where}. Its starting weights led it to a "
        f"poor spot that more training rarely leaves; new random weights usually do "
        f"better."
    )


def cost_chart(stride, batch_size):
    """What one point of the cost chart is (stride: iterations per point)."""
    if batch_size == 1:
        if stride == 1:
            return "Each point is the cost of the one training example of its iteration."
        return (
            f"Each point is the mean cost over {count(stride)} iterations (one example "
            f"each); the band spans the lowest to the highest of those costs."
        )
    if stride == 1:
        return (
            f"Each point is the mean cost of the {batch_size} examples in one epoch; the "
            f"band spans the lowest to the highest of them."
        )
    return (
        f"Each point is the mean cost over {count(stride)} epochs of {batch_size} "
        f"examples; the band spans the lowest to the highest single-example cost in them."
    )
