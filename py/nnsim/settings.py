"""Each lab's settings schema, and validation driven by it (docs/architecture.md, "Settings
schema").

The schema is plain data: the page builds its controls from it (labels, kinds, choices,
bounds, slider ranges, the rules between settings), and `validate` checks settings against
the same data, so a bound or a choice is written once, here. Messages name a setting by its
label, the words on the screen.
"""

import copy

from .config import finite_number, shown
from .training import PARAMETER_LIMIT  # an update making a parameter larger is refused

LABS = (("xor", "XOR walkthrough"), ("deep", "Deep network"), ("glassbox", "Glass box"),
        ("digits", "Digits"))
TITLES = dict(LABS)

MAX_LEARNING_RATE = 1e9
MAX_MOMENTUM = 0.99
MAX_SEED = 2 ** 31 - 1
MAX_TRAIN_ITERATIONS = 10_000_000
# The Deep lab's example: inputs and targets a student may type. Far beyond what a sigmoid
# network can fit, and small enough that every loss, delta and update stays finite.
DEEP_VALUE_LIMIT = 1000.0

ACTIVATIONS = (("sigmoid", "Sigmoid"), ("tanh", "tanh"), ("relu", "ReLU"),
               ("leaky_relu", "Leaky ReLU"), ("linear", "Linear"))
# A choice is (value, label) or (value, label, extra): `short` names it in a chart's legend,
# `note` says what it is for, under the controls.
LOSSES = (("mse", "Mean squared error (MSE)", {"short": "MSE"}),
          ("cross_entropy", "Cross-entropy", {"short": "Cross-entropy"}))
SCENARIOS = (
    ("and", "AND", {"note": "AND: the output should be 1 only for input (1, 1). One hidden "
                            "layer learns it easily."}),
    ("or", "OR", {"note": "OR: the output should be 1 unless both inputs are 0."}),
    ("nand", "NAND", {"note": "NAND: the opposite of AND, 0 only for input (1, 1)."}),
    ("xor", "XOR", {"note": "XOR: 1 when exactly one input is 1. No single straight line "
                            "separates it, so the hidden layer must work together; some "
                            "starting weights get stuck."}),
    ("saturated", "Saturated output: MSE versus cross-entropy", {
        "note": "AND data, with weights that saturate a sigmoid output: z is about 10 for every "
                "sample, so its slope σ′(z) is below 0.001 (look for the lock). Press Play with "
                "MSE and the loss curve stays flat; then switch Loss to cross-entropy: the same "
                "weights start learning at once, and both curves stay on the chart."}),
)


# -- the kinds of setting ---------------------------------------------------------------------

def number(name, label, default, *, min=None, max=None, min_exclusive=False, slider=None,
           fresh_weights=False, unit=None):
    return _setting("number", name, label, default, fresh_weights, unit, min=min, max=max,
                    min_exclusive=min_exclusive, step="any", slider=slider)


def integer(name, label, default, *, min, max, slider=None, fresh_weights=False, unit=None):
    return _setting("integer", name, label, default, fresh_weights, unit, min=min, max=max,
                    min_exclusive=False, step=1, slider=slider)


def choice(name, label, default, choices, *, fresh_weights=False):
    """choices: (value, label) or (value, label, {"short": ..., "note": ...}) in display order."""
    return _setting("choice", name, label, default, fresh_weights, None,
                    choices=[{"value": c[0], "label": c[1], **(c[2] if len(c) > 2 else {})}
                             for c in choices])


def boolean(name, label, default, *, fresh_weights=False):
    return _setting("boolean", name, label, default, fresh_weights, None)


def vector(name, label, default, item_labels, *, min=None, max=None, slider=None):
    """A fixed number of numbers, each with its own label (the Deep lab's inputs)."""
    return _setting("vector", name, label, list(default), False, None,
                    length=len(item_labels), item_labels=list(item_labels),
                    item=number("", "", 0.0, min=min, max=max, slider=slider))


def list_of(name, label, default, item, *, min_length, max_length, fresh_weights=False):
    """A list of any length in bounds, each entry checked as `item` (a setting without a name),
    e.g. hidden layer sizes."""
    return _setting("list", name, label, list(default), fresh_weights, None,
                    min_length=min_length, max_length=max_length, item=item)


def _setting(kind, name, label, default, fresh_weights, unit, **extra):
    return {"name": name, "label": label, "kind": kind, "default": default,
            "fresh_weights": fresh_weights, "unit": unit, **extra}


def requires(setting, values, needs, allowed, fallback, reason):
    """Rule: `setting` may take one of `values` only while `needs` is one of `allowed`. A page
    disables those choices (saying `reason`) and moves `setting` to `fallback` when `needs`
    leaves `allowed`; validate refuses the combination."""
    return {"kind": "requires", "setting": setting, "values": list(values),
            "needs": needs, "allowed": list(allowed), "fallback": fallback, "reason": reason}


# -- the labs' schemas ------------------------------------------------------------------------

def _learning_rate(default, slider):
    return number("learning_rate", "Learning rate η", default, min=0.0, min_exclusive=True,
                  max=MAX_LEARNING_RATE, slider=slider)


def _seed(default):
    return integer("seed", "Seed of the random weights", default, min=0, max=MAX_SEED,
                   fresh_weights=True)


CROSS_ENTROPY_NEEDS_SIGMOID = requires(
    "loss", ["cross_entropy"], "output_activation", ["sigmoid"], "mse",
    "Cross-entropy reads the output as a probability between 0 and 1, which only a sigmoid "
    "output gives; with this output only MSE is offered.")

SCHEMAS = {
    # The reference's network and plain per-example updates learn XOR from few starting
    # weights within 100,000 iterations (rate 0.5: 12 of seeds 1-40; no rate from 0.5 to 8
    # reached 8 in 10). Momentum carries the updates through the flat stretches and out of
    # most poor starts: rate 0.5 with momentum 0.9 converged within 100,000 iterations for 38
    # of seeds 3000-3039 and 96 of seeds 1000-1099. Seed 2 converges at iteration 7,173,
    # within one Run 10,000.
    "xor": [_learning_rate(0.5, {"min": 0.05, "max": 5, "step": 0.05}),
            number("momentum", "Momentum μ", 0.9, min=0.0, max=MAX_MOMENTUM,
                   slider={"min": 0, "max": MAX_MOMENTUM, "step": 0.01}),
            _seed(2)],
    "deep": [
        vector("inputs", "Inputs x (layer 1)", [0.5, 0.3, 0.8], ["x1", "x2", "x3"],
               min=-DEEP_VALUE_LIMIT, max=DEEP_VALUE_LIMIT,
               slider={"min": 0, "max": 1, "step": 0.01}),
        vector("targets", "Targets y (what the outputs should be)", [0.8, 0.2], ["y1", "y2"],
               min=-DEEP_VALUE_LIMIT, max=DEEP_VALUE_LIMIT,
               slider={"min": 0, "max": 1, "step": 0.01}),
        _learning_rate(0.1, {"min": 0.01, "max": 2, "step": 0.01}),
    ],
    "glassbox": [
        choice("scenario", "Scenario", "and", SCENARIOS, fresh_weights=True),
        choice("hidden_activation", "Hidden activation", "sigmoid", ACTIVATIONS),
        choice("output_activation", "Output activation", "sigmoid", ACTIVATIONS),
        choice("loss", "Loss", "mse", LOSSES),
        _learning_rate(0.5, None),   # a field in the row of training buttons, no slider
        _seed(1),
    ],
    "digits": [
        integer("hidden", "Hidden neurons", 16, min=1, max=64, fresh_weights=True,
                slider={"min": 1, "max": 64, "step": 1}),
        _learning_rate(0.5, {"min": 0.05, "max": 5, "step": 0.05}),
        _seed(1),
    ],
}
RULES = {"xor": [], "deep": [], "glassbox": [CROSS_ENTROPY_NEEDS_SIGMOID], "digits": []}
LIMITS = {
    "parameter": {"label": "Weight or bias", "min": -PARAMETER_LIMIT, "max": PARAMETER_LIMIT},
    "train_iterations": {"label": "Iterations", "min": 0, "max": MAX_TRAIN_ITERATIONS},
}


def check_lab(preset):
    if preset not in TITLES:
        raise ValueError(f"preset: unknown preset {shown(preset)}; choose from {', '.join(TITLES)}")
    return preset


def schema(preset):
    """The lab's schema as plain data (a copy: callers may change it)."""
    check_lab(preset)
    return copy.deepcopy({"preset": preset, "title": TITLES[preset],
                          "settings": SCHEMAS[preset], "rules": RULES[preset],
                          "limits": LIMITS})


def defaults(preset):
    check_lab(preset)
    return {s["name"]: copy.deepcopy(s["default"]) for s in SCHEMAS[preset]}


def validate(preset, settings, base=None):
    """The lab's complete settings: `base` (default: the defaults) with `settings` applied,
    each checked against the schema, then the rules. ValueError names the label."""
    check_lab(preset)
    merged = defaults(preset) if base is None else dict(base)
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        raise ValueError("Settings: expected an object")
    by_name = {s["name"]: s for s in SCHEMAS[preset]}
    unknown = sorted(set(settings) - set(by_name))
    if unknown:
        raise ValueError(f"Settings: {shown(unknown[0])} is not a setting of the {TITLES[preset]} "
                         f"lab; its settings are {', '.join(by_name)}")
    merged.update(settings)
    for name, spec in by_name.items():
        merged[name] = check(spec, merged[name], spec["label"])
    for rule in RULES[preset]:
        _apply(rule, merged, by_name)
    return merged


def check(spec, value, label):
    """One value checked against one setting's spec; returns it normalised (floats for
    numbers)."""
    kind = spec["kind"]
    if kind == "number":
        return _number(spec, value, label)
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{label}: expected a whole number, got {shown(value)}")
        if not spec["min"] <= value <= spec["max"]:
            raise ValueError(f"{label}: must be between {spec['min']} and {spec['max']}, "
                             f"got {shown(value)}")
        return value
    if kind == "choice":
        values = [c["value"] for c in spec["choices"]]
        if value not in values:
            raise ValueError(f"{label}: unknown choice {shown(value)}; choose from "
                             f"{', '.join(values)}")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError(f"{label}: expected true or false, got {shown(value)}")
        return value
    # vector and list: each entry checked as the item, named by its label or position
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"{label}: expected a list")
    if kind == "vector" and len(value) != spec["length"]:
        raise ValueError(f"{label}: expected {spec['length']} numbers, got {len(value)}")
    if kind == "list" and not spec["min_length"] <= len(value) <= spec["max_length"]:
        raise ValueError(f"{label}: expected {spec['min_length']} to {spec['max_length']} "
                         f"entries, got {len(value)}")
    names = spec.get("item_labels") or [f"entry {k + 1}" for k in range(len(value))]
    return [check(spec["item"], item, f"{label}, {names[k]}") for k, item in enumerate(value)]


def _number(spec, value, label):
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise ValueError(f"{label}: expected a number, got {shown(value)}")
    value = finite_number(value, label)
    low, high = spec["min"], spec["max"]
    below = low is not None and (value <= low if spec["min_exclusive"] else value < low)
    if below or (high is not None and value > high):
        lowest = "" if low is None else \
            f"{'above' if spec['min_exclusive'] else 'at least'} {_plain(low)}"
        highest = "" if high is None else f"at most {_plain(high)}"
        raise ValueError(f"{label}: must be {' and '.join(w for w in (lowest, highest) if w)}, "
                         f"got {_plain(value)}")
    return value


def _plain(value):
    """1e9 rather than 1e+09, 0.5 rather than 0.50000."""
    return f"{value:g}".replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")


def _apply(rule, settings, by_name):
    setting, needs = rule["setting"], rule["needs"]
    if settings[setting] in rule["values"] and settings[needs] not in rule["allowed"]:
        spec, other = by_name[setting], by_name[needs]
        wanted = " or ".join(_choice_label(other, v) for v in rule["allowed"])
        raise ValueError(f"{spec['label']}: {_choice_label(spec, settings[setting])} needs "
                         f"{other['label']} {wanted}, not "
                         f"{_choice_label(other, settings[needs])}. {rule['reason']}")


def _choice_label(spec, value):
    return next((c["label"] for c in spec.get("choices", ()) if c["value"] == value), str(value))
