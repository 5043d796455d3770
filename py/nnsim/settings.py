"""Each lab's settings schema, and validation driven by it (docs/architecture.md, "Settings
schema").

The schema is plain data: the page builds its controls from it (labels, kinds, choices,
bounds, slider ranges, the rules between settings), and `validate` checks settings against
the same data, so a bound or a choice is written once, here. Messages name a setting by its
label, the words on the screen.
"""

import copy

from . import optimizers, regularization, schedules
from .config import finite_number, shown
from .hyperparameters import MAX_LEARNING_RATE
from .playground import datasets as playground_datasets
from .training import PARAMETER_LIMIT  # an update making a parameter larger is refused
from .updates import settings_table

LABS = (("xor", "XOR walkthrough"), ("deep", "Deep network"), ("glassbox", "Glass box"), ("digits", "Digits"))
# The playground runs a session of its own (nnsim.playground), so it is not among the presets
# of nnsim.session (LABS); the switcher lists every lab, in this order.
PLAYGROUND = ("playground", "Playground")
SWITCHER = LABS + (PLAYGROUND,)
TITLES = dict(SWITCHER)

MAX_MOMENTUM = 0.99
MAX_SEED = 2**31 - 1
MAX_TRAIN_ITERATIONS = 10_000_000
# The Deep lab's example: inputs and targets a student may type. Far beyond what a sigmoid
# network can fit, and small enough that every loss, delta and update stays finite.
DEEP_VALUE_LIMIT = 1000.0

ACTIVATIONS = (
    ("sigmoid", "Sigmoid"),
    ("tanh", "tanh"),
    ("relu", "ReLU"),
    ("leaky_relu", "Leaky ReLU"),
    ("linear", "Linear"),
)
# A choice is (value, label) or (value, label, extra): `short` names it in a chart's legend,
# `note` says what it is for, under the controls.
LOSSES = (
    ("mse", "Mean squared error (MSE)", {"short": "MSE"}),
    ("cross_entropy", "Cross-entropy", {"short": "Cross-entropy"}),
)
SCENARIOS = (
    (
        "and",
        "AND",
        {"note": "AND: the output should be 1 only for input (1, 1). One hidden layer learns it easily."},
    ),
    ("or", "OR", {"note": "OR: the output should be 1 unless both inputs are 0."}),
    ("nand", "NAND", {"note": "NAND: the opposite of AND, 0 only for input (1, 1)."}),
    (
        "xor",
        "XOR",
        {
            "note": "XOR: 1 when exactly one input is 1. No single straight line "
            "separates it, so the hidden layer must work together; some "
            "starting weights get stuck."
        },
    ),
    (
        "saturated",
        "Saturated output: MSE versus cross-entropy",
        {
            "note": "AND data, with weights that saturate a sigmoid output: z is about 10 for every "
            "sample, so its slope σ′(z) is below 0.001 (look for the lock). Press Play with "
            "MSE and the loss curve stays flat; then switch Loss to cross-entropy: the same "
            "weights start learning at once, and both curves stay on the chart."
        },
    ),
)


# -- the kinds of setting ---------------------------------------------------------------------


def number(
    name,
    label,
    default,
    *,
    min=None,
    max=None,
    min_exclusive=False,
    max_exclusive=False,
    slider=None,
    fresh_weights=False,
    unit=None,
):
    return _setting(
        "number",
        name,
        label,
        default,
        fresh_weights,
        unit,
        min=min,
        max=max,
        min_exclusive=min_exclusive,
        max_exclusive=max_exclusive,
        step="any",
        slider=slider,
    )


def integer(name, label, default, *, min, max, slider=None, fresh_weights=False, unit=None):
    return _setting(
        "integer",
        name,
        label,
        default,
        fresh_weights,
        unit,
        min=min,
        max=max,
        min_exclusive=False,
        max_exclusive=False,
        step=1,
        slider=slider,
    )


def choice(name, label, default, choices, *, fresh_weights=False):
    """choices: (value, label) or (value, label, {"short": ..., "note": ...}) in display order."""
    return _setting(
        "choice",
        name,
        label,
        default,
        fresh_weights,
        None,
        choices=[{"value": c[0], "label": c[1], **(c[2] if len(c) > 2 else {})} for c in choices],
    )


def boolean(name, label, default, *, fresh_weights=False):
    return _setting("boolean", name, label, default, fresh_weights, None)


def vector(name, label, default, item_labels, *, min=None, max=None, slider=None):
    """A fixed number of numbers, each with its own label (the Deep lab's inputs)."""
    return _setting(
        "vector",
        name,
        label,
        list(default),
        False,
        None,
        length=len(item_labels),
        item_labels=list(item_labels),
        item=number("", "", 0.0, min=min, max=max, slider=slider),
    )


def list_of(name, label, default, item, *, min_length, max_length, fresh_weights=False):
    """A list of any length in bounds, each entry checked as `item` (a setting without a name),
    e.g. hidden layer sizes."""
    return _setting(
        "list",
        name,
        label,
        list(default),
        fresh_weights,
        None,
        min_length=min_length,
        max_length=max_length,
        item=item,
    )


def _setting(kind, name, label, default, fresh_weights, unit, **extra):
    return {
        "name": name,
        "label": label,
        "kind": kind,
        "default": default,
        "fresh_weights": fresh_weights,
        "unit": unit,
        **extra,
    }


def shown_when(spec, setting, values):
    """The control of `spec` is shown only while `setting` is one of `values` (its value is
    kept, and used only then): an optimiser's hyper-parameters, a schedule's."""
    return {**spec, "shown_when": {"setting": setting, "values": list(values)}}


def requires(setting, values, needs, allowed, fallback, reason):
    """Rule: `setting` may take one of `values` only while `needs` is one of `allowed`. A page
    disables those choices (saying `reason`) and moves `setting` to `fallback` when `needs`
    leaves `allowed`; validate refuses the combination."""
    return {
        "kind": "requires",
        "setting": setting,
        "values": list(values),
        "needs": needs,
        "allowed": list(allowed),
        "fallback": fallback,
        "reason": reason,
    }


# -- the labs' schemas ------------------------------------------------------------------------


def _learning_rate(default, slider):
    return number(
        "learning_rate",
        "Learning rate η",
        default,
        min=0.0,
        min_exclusive=True,
        max=MAX_LEARNING_RATE,
        slider=slider,
    )


def _seed(default):
    return integer("seed", "Seed of the random weights", default, min=0, max=MAX_SEED, fresh_weights=True)


# -- optimiser, penalty and schedule: names, labels and bounds from nnsim.updates --------------

# A lab's defaults where the simulator has none (a schedule's step_size, gamma, t_max; the
# penalty's rate) or where one setting serves two choices (gamma: step decay and exponential).
TRAINING_DEFAULTS = {"step_size": 25, "gamma": 0.9, "t_max": 100, "rate": 0.01}
NO_PENALTY = "none"


def _hyperparameter(described, name=None, label=None):
    """A number or whole-number setting from one of updates.settings_table()'s descriptions."""
    name = name or described["name"]
    default = TRAINING_DEFAULTS.get(described["name"], described["default"])
    label = label or described["label"]
    if described["whole"]:
        return integer(
            name, label, default, min=described["low"], max=described["high"] or MAX_TRAIN_ITERATIONS
        )
    return number(
        name,
        label,
        default,
        min=described["low"],
        max=described["high"],
        min_exclusive=described["low_open"],
        max_exclusive=described["high_open"],
    )


def _settings_of(table, key, choice_setting):
    """Each distinct setting of a table's choices, shown while a choice that has it is chosen."""
    settings, users = {}, {}
    for choice, described in table.items():
        for entry in described:
            settings.setdefault(entry["name"], entry)
            users.setdefault(entry["name"], []).append(choice)
    return [
        shown_when(_hyperparameter(entry), choice_setting, users[name]) for name, entry in settings.items()
    ]


def training_settings():
    """The optimiser, its hyper-parameters, the penalty and the schedule as lab settings."""
    table = settings_table()
    penalties = [(NO_PENALTY, "None")] + [(k, regularization.LABELS[k]) for k in table["regularization"]]
    rate = table["regularization"]["l1"][0]
    return [
        choice("optimizer", "Optimiser", "sgd", [(k, optimizers.LABELS[k]) for k in table["optimizer"]]),
        *_settings_of(table["optimizer"], "optimizer", "optimizer"),
        choice("regularization", "Regularisation", NO_PENALTY, penalties),
        shown_when(
            _hyperparameter(rate, "regularization_rate"), "regularization", list(table["regularization"])
        ),
        choice(
            "schedule",
            "Learning-rate schedule",
            "constant",
            [(k, schedules.LABELS[k]) for k in table["schedule"]],
        ),
        *_settings_of(table["schedule"], "schedule", "schedule"),
    ]


def training_objects(settings):
    """(optimizer, regularizer, schedule) for a lab's validated settings, read by the
    simulator's own readers (so their bounds are checked a second time, by the same tables)."""
    table = settings_table()

    def chosen(kind, key, value):
        return {key: value, **{e["name"]: settings[e["name"]] for e in table[kind][value]}}

    penalty = settings["regularization"]
    return (
        optimizers.read(chosen("optimizer", "name", settings["optimizer"])),
        None
        if penalty == NO_PENALTY
        else regularization.read({"kind": penalty, "rate": settings["regularization_rate"]}),
        schedules.read(chosen("schedule", "name", settings["schedule"])),
    )


CROSS_ENTROPY_NEEDS_SIGMOID = requires(
    "loss",
    ["cross_entropy"],
    "output_activation",
    ["sigmoid"],
    "mse",
    "Cross-entropy reads the output as a probability between 0 and 1, which only a sigmoid "
    "output gives; with this output only MSE is offered.",
)

SCHEMAS = {
    # The reference's network and plain per-example updates learn XOR from few starting
    # weights within 100,000 iterations (rate 0.5: 12 of seeds 1-40; no rate from 0.5 to 8
    # reached 8 in 10). Momentum carries the updates through the flat stretches and out of
    # most poor starts: rate 0.5 with momentum 0.9 converged within 100,000 iterations for 38
    # of seeds 3000-3039 and 96 of seeds 1000-1099. Seed 2 converges at iteration 7,173,
    # within one Run 10,000.
    "xor": [
        _learning_rate(0.5, {"min": 0.05, "max": 5, "step": 0.05}),
        number(
            "momentum",
            "Momentum μ",
            0.9,
            min=0.0,
            max=MAX_MOMENTUM,
            slider={"min": 0, "max": MAX_MOMENTUM, "step": 0.01},
        ),
        _seed(2),
    ],
    "deep": [
        vector(
            "inputs",
            "Inputs x (layer 1)",
            [0.5, 0.3, 0.8],
            ["x1", "x2", "x3"],
            min=-DEEP_VALUE_LIMIT,
            max=DEEP_VALUE_LIMIT,
            slider={"min": 0, "max": 1, "step": 0.01},
        ),
        vector(
            "targets",
            "Targets y (what the outputs should be)",
            [0.8, 0.2],
            ["y1", "y2"],
            min=-DEEP_VALUE_LIMIT,
            max=DEEP_VALUE_LIMIT,
            slider={"min": 0, "max": 1, "step": 0.01},
        ),
        _learning_rate(0.1, {"min": 0.01, "max": 2, "step": 0.01}),
        *training_settings(),
    ],
    "glassbox": [
        choice("scenario", "Scenario", "and", SCENARIOS, fresh_weights=True),
        choice("hidden_activation", "Hidden activation", "sigmoid", ACTIVATIONS),
        choice("output_activation", "Output activation", "sigmoid", ACTIVATIONS),
        choice("loss", "Loss", "mse", LOSSES),
        _learning_rate(0.5, None),  # a field in the row of training buttons, no slider
        _seed(1),
    ],
    "digits": [
        integer(
            "hidden",
            "Hidden neurons",
            16,
            min=1,
            max=64,
            fresh_weights=True,
            slider={"min": 1, "max": 64, "step": 1},
        ),
        _learning_rate(0.5, {"min": 0.05, "max": 5, "step": 0.05}),
        _seed(1),
    ],
}
RULES = {"xor": [], "deep": [], "glassbox": [CROSS_ENTROPY_NEEDS_SIGMOID], "digits": []}


# -- the playground ---------------------------------------------------------------------------

PLAYGROUND_DATASETS = (
    ("circle", "Circle"),
    ("xor", "Exclusive or (quadrants)"),
    ("gauss", "Two Gaussians"),
    ("spiral", "Spiral"),
    ("gauss3", "Three Gaussians (3 classes)"),
    ("spiral3", "Three-arm spiral (3 classes)"),
    ("plane", "Plane (regression)"),
    ("multi_gauss", "Six Gaussians (regression)"),
    ("own", "Your own points"),
)
PLAYGROUND_FEATURES = (
    ("x1", "x₁"),
    ("x2", "x₂"),
    ("x1sq", "x₁²"),
    ("x2sq", "x₂²"),
    ("x1x2", "x₁x₂"),
    ("sinx1", "sin x₁"),
    ("sinx2", "sin x₂"),
)
PLAYGROUND_OUTPUTS = (("sigmoid", "Sigmoid"), ("tanh", "tanh"), ("softmax", "Softmax"), ("linear", "Linear"))
INITS = (("uniform", "Uniform in [−1, 1]"), ("xavier", "Xavier (Glorot)"), ("he", "He"))
MAX_HIDDEN_LAYERS, MAX_NEURONS, MAX_CLASSES, MAX_BATCH = 6, 8, 4, 1000


def _datasets_where(kind, classes=None):
    """The generated data sets of a task (and the learner's own points for classification)."""
    chosen = [
        name
        for name, (_, task) in playground_datasets.GENERATORS.items()
        if task.kind == kind and classes in (None, task.classes)
    ]
    return chosen + (["own"] if kind == "classification" else [])


# Every setting but the rate, the batch size and the optimiser's, penalty's and schedule's starts
# training again (fresh_weights).
SCHEMAS["playground"] = [
    choice("dataset", "Data", "circle", PLAYGROUND_DATASETS, fresh_weights=True),
    integer(
        "noise",
        "Noise",
        0,
        min=0,
        max=50,
        slider={"min": 0, "max": 50, "step": 5},
        fresh_weights=True,
        unit="%",
    ),
    integer(
        "train_share",
        "Training points",
        50,
        min=10,
        max=90,
        slider={"min": 10, "max": 90, "step": 10},
        fresh_weights=True,
        unit="%",
    ),
    integer(
        "points",
        "Number of points",
        500,
        min=10,
        max=1000,
        slider={"min": 50, "max": 1000, "step": 50},
        fresh_weights=True,
    ),
    integer("data_seed", "Seed of the data", 1, min=0, max=MAX_SEED, fresh_weights=True),
    integer("classes", "Classes of your own points", 2, min=2, max=MAX_CLASSES, fresh_weights=True),
    list_of(
        "features",
        "Input features",
        ["x1", "x2"],
        choice("", "", "x1", PLAYGROUND_FEATURES),
        min_length=1,
        max_length=len(PLAYGROUND_FEATURES),
        fresh_weights=True,
    ),
    list_of(
        "hidden",
        "Hidden layers (neurons in each)",
        [4, 2],
        integer("", "", 4, min=1, max=MAX_NEURONS),
        min_length=0,
        max_length=MAX_HIDDEN_LAYERS,
        fresh_weights=True,
    ),
    list_of(
        "activations",
        "Activation of each hidden layer",
        ["tanh", "tanh"],
        choice("", "", "tanh", ACTIVATIONS),
        min_length=0,
        max_length=MAX_HIDDEN_LAYERS,
        fresh_weights=True,
    ),
    choice("output_activation", "Output activation", "sigmoid", PLAYGROUND_OUTPUTS, fresh_weights=True),
    choice("loss", "Loss", "cross_entropy", LOSSES, fresh_weights=True),
    _learning_rate(0.03, {"min": 0.001, "max": 1, "step": 0.001}),
    integer(
        "batch_size",
        "Batch size",
        10,
        min=1,
        max=MAX_BATCH,
        slider={"min": 1, "max": 100, "step": 1},
        unit="points",
    ),
    *training_settings(),
    choice("init", "Initial weights", "xavier", INITS, fresh_weights=True),
    _seed(1),
]
RULES["playground"] = [
    requires(
        "loss",
        ["cross_entropy"],
        "output_activation",
        ["sigmoid", "softmax"],
        "mse",
        "Cross-entropy reads the outputs as probabilities, which only a sigmoid or a softmax output gives.",
    ),
    requires(
        "loss",
        ["mse"],
        "output_activation",
        ["sigmoid", "tanh", "linear"],
        "cross_entropy",
        "A softmax output is trained with cross-entropy.",
    ),
    requires(
        "output_activation",
        ["sigmoid", "tanh"],
        "dataset",
        _datasets_where("classification", 2),
        "softmax",
        "One sigmoid or tanh output tells two classes apart; more classes need a softmax "
        "output, regression a linear one.",
    ),
    requires(
        "output_activation",
        ["softmax"],
        "dataset",
        _datasets_where("classification"),
        "linear",
        "A softmax output gives class probabilities; regression needs a linear output.",
    ),
    requires(
        "output_activation",
        ["linear"],
        "dataset",
        _datasets_where("regression"),
        "sigmoid",
        "A linear output predicts a number (regression); classes need a sigmoid, tanh or softmax output.",
    ),
]
# Controls that are not settings, by the name a teacher's link gives them (hide=, with the
# settings' names: nnsim.teacher), with the words the embed builder shows.
CONTROLS = (
    {"name": "saved_work", "label": "Saved work: export, import and reset"},
    {"name": "training", "label": "Training buttons: Step, Play, Train and Reset"},
)
LIMITS = {
    "parameter": {"label": "Weight or bias", "min": -PARAMETER_LIMIT, "max": PARAMETER_LIMIT},
    "train_iterations": {"label": "Iterations", "min": 0, "max": MAX_TRAIN_ITERATIONS},
}


# What each lab says when training diverges (the trainer refused an update: docs/architecture.md,
# "Diverged"), with the way back its controls offer.
RECOVERY = {
    "xor": "choose new random weights",
    "deep": "reset to the reference weights",
    "glassbox": "press Reset",
    "digits": "press Reset",
    "playground": "press Reset or New weights",
}


def diverged_message(preset):
    return (
        f"Training diverged: an update would have pushed a weight or bias beyond "
        f"±{PARAMETER_LIMIT:g}, so the simulator refused it and kept the last weights. Lower "
        f"the learning rate, then {RECOVERY[preset]}."
    )


def check_lab(preset):
    if preset not in TITLES:
        raise ValueError(f"preset: unknown preset {shown(preset)}; choose from {', '.join(TITLES)}")
    return preset


def schema(preset):
    """The lab's schema as plain data (a copy: callers may change it)."""
    check_lab(preset)
    return copy.deepcopy(
        {
            "preset": preset,
            "title": TITLES[preset],
            "settings": SCHEMAS[preset],
            "rules": RULES[preset],
            "limits": LIMITS,
            "controls": list(CONTROLS),
            "messages": {"diverged": diverged_message(preset)},
        }
    )


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
        raise ValueError(
            f"Settings: {shown(unknown[0])} is not a setting of the {TITLES[preset]} "
            f"lab; its settings are {', '.join(by_name)}"
        )
    merged.update(settings)
    for name, spec in by_name.items():
        merged[name] = check(spec, merged[name], spec["label"])
    for rule in RULES[preset]:
        _apply(rule, merged, by_name)
    return merged


def check_exported(preset, settings):
    """An exported network's settings name at least the ones that made it: the learning rate
    and every setting that decides the network (those that give fresh weights). Settings added
    to a lab after the export was written may be absent (they take their defaults); an export
    with no settings, or without these, is not a network Glassbox wrote and is refused whole."""
    if not isinstance(settings, dict):
        raise ValueError("settings: expected an object")
    needed = ["learning_rate"] + [s["name"] for s in SCHEMAS[preset] if s["fresh_weights"]]
    missing = [name for name in needed if name not in settings]
    if missing:
        raise ValueError(
            f"settings: {', '.join(missing)} missing (an exported network names "
            f"the settings it was made with)"
        )


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
            raise ValueError(f"{label}: must be between {spec['min']} and {spec['max']}, got {shown(value)}")
        return value
    if kind == "choice":
        values = [c["value"] for c in spec["choices"]]
        if value not in values:
            raise ValueError(f"{label}: unknown choice {shown(value)}; choose from {', '.join(values)}")
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
        raise ValueError(
            f"{label}: expected {spec['min_length']} to {spec['max_length']} entries, got {len(value)}"
        )
    names = spec.get("item_labels") or [f"entry {k + 1}" for k in range(len(value))]
    return [check(spec["item"], item, f"{label}, {names[k]}") for k, item in enumerate(value)]


def _number(spec, value, label):
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise ValueError(f"{label}: expected a number, got {shown(value)}")
    value = finite_number(value, label)
    low, high = spec["min"], spec["max"]
    below = low is not None and (value <= low if spec["min_exclusive"] else value < low)
    above = high is not None and (value >= high if spec["max_exclusive"] else value > high)
    if below or above:
        lowest = "" if low is None else f"{'above' if spec['min_exclusive'] else 'at least'} {_plain(low)}"
        highest = "" if high is None else f"{'below' if spec['max_exclusive'] else 'at most'} {_plain(high)}"
        raise ValueError(
            f"{label}: must be {' and '.join(w for w in (lowest, highest) if w)}, got {_plain(value)}"
        )
    return value


def _plain(value):
    """1e9 rather than 1e+09, 0.5 rather than 0.50000."""
    return f"{value:g}".replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")


def _apply(rule, settings, by_name):
    setting, needs = rule["setting"], rule["needs"]
    if settings[setting] in rule["values"] and settings[needs] not in rule["allowed"]:
        spec, other = by_name[setting], by_name[needs]
        wanted = " or ".join(_choice_label(other, v) for v in rule["allowed"])
        raise ValueError(
            f"{spec['label']}: {_choice_label(spec, settings[setting])} needs "
            f"{other['label']} {wanted}, not "
            f"{_choice_label(other, settings[needs])}. {rule['reason']}"
        )


def _choice_label(spec, value):
    return next((c["label"] for c in spec.get("choices", ()) if c["value"] == value), str(value))
