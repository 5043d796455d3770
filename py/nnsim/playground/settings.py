"""The playground's settings: defaults, bounds, choices, and the rules between them.

Every setting is plain data, so a URL or a saved file can carry all of them. `validate`
returns a complete, checked copy or raises ValueError naming the setting.
"""

from .. import config as config_module
from ..presets import MAX_LEARNING_RATE, MAX_SEED
from . import datasets, features, outputs

HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
INITS = ("uniform", "xavier", "he")
DATASETS = tuple(datasets.GENERATORS) + ("own",)
MAX_HIDDEN_LAYERS = 6
MAX_NEURONS = 8
MIN_CLASSES, MAX_CLASSES = 2, 4
POINTS = (10, 1000)          # generated points
NOISE = (0, 50)              # percent
TRAIN_SHARE = (10, 90)       # percent
MAX_BATCH = 1000             # a batch holds min(batch_size, training points) points

DEFAULTS = {
    "dataset": "circle", "noise": 0, "train_share": 50, "points": 500, "data_seed": 1,
    "classes": 2,  # of the learner's own points (dataset "own")
    "features": ["x1", "x2"], "hidden": [4, 2], "activations": ["tanh", "tanh"],
    "output_activation": "sigmoid", "loss": "cross_entropy",
    "learning_rate": 0.03, "batch_size": 10, "init": "xavier", "seed": 1,
}
NAMES = tuple(DEFAULTS)
# Settings that change the data (the rest change the network or its training).
DATA_SETTINGS = ("dataset", "noise", "train_share", "points", "data_seed", "classes")
# Settings a running training takes on without starting again.
LIVE_SETTINGS = ("learning_rate", "batch_size")


def task(settings):
    dataset = settings["dataset"]
    if dataset == "own":
        return datasets.Task("classification", settings["classes"])
    return datasets.GENERATORS[dataset][1]


def _choice(value, field, allowed):
    if value not in allowed:
        raise ValueError(f"{field}: unknown value {value!r}; choose from {', '.join(allowed)}")
    return value


def _features(value):
    if not isinstance(value, (list, tuple)) or not value:
        raise ValueError(f"features: choose at least one of {', '.join(features.NAMES)}")
    for name in value:
        _choice(name, "features", features.NAMES)
    if len(set(value)) != len(value):
        raise ValueError("features: each feature at most once")
    return [name for name in features.NAMES if name in value]  # one order: the list's


def _hidden(value, names):
    if not isinstance(value, (list, tuple)) or len(value) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"hidden: expected a list of 0 to {MAX_HIDDEN_LAYERS} layer sizes")
    sizes = [config_module.integer(n, f"hidden[{k}]", 1, MAX_NEURONS) for k, n in enumerate(value)]
    if not isinstance(names, (list, tuple)) or len(names) != len(sizes):
        raise ValueError(f"activations: expected {len(sizes)} names, one per hidden layer")
    return sizes, [_choice(name, f"activations[{k}]", HIDDEN_ACTIVATIONS)
                   for k, name in enumerate(names)]


def validate(settings, base=None):
    """The complete settings: `base` (default: DEFAULTS) with `settings` applied, checked."""
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        raise ValueError("settings: expected an object")
    unknown = sorted(set(settings) - set(NAMES))
    if unknown:
        raise ValueError(f"settings: unknown setting {unknown[0]!r} for the playground; "
                         f"known: {', '.join(NAMES)}")
    merged = dict(DEFAULTS if base is None else base)
    merged.update(settings)
    integer = config_module.integer
    merged["dataset"] = _choice(merged["dataset"], "dataset", DATASETS)
    merged["noise"] = integer(merged["noise"], "noise", *NOISE)
    merged["train_share"] = integer(merged["train_share"], "train_share", *TRAIN_SHARE)
    merged["points"] = integer(merged["points"], "points", *POINTS)
    merged["data_seed"] = integer(merged["data_seed"], "data_seed", 0, MAX_SEED)
    merged["classes"] = integer(merged["classes"], "classes", MIN_CLASSES, MAX_CLASSES)
    merged["features"] = _features(merged["features"])
    merged["hidden"], merged["activations"] = _hidden(merged["hidden"], merged["activations"])
    merged["output_activation"] = _choice(merged["output_activation"], "output_activation",
                                          tuple(dict.fromkeys(a for a, _ in outputs.PAIRS)))
    merged["loss"] = _choice(merged["loss"], "loss", ("cross_entropy", "mse"))
    outputs.check_fits(task(merged), merged["output_activation"], merged["loss"])
    rate = config_module.finite_number(merged["learning_rate"], "learning_rate")
    if not 0.0 < rate <= MAX_LEARNING_RATE:
        raise ValueError(f"learning_rate: must be above 0 and at most {MAX_LEARNING_RATE:g}")
    merged["learning_rate"] = rate
    merged["batch_size"] = integer(merged["batch_size"], "batch_size", 1, MAX_BATCH)
    merged["init"] = _choice(merged["init"], "init", INITS)
    merged["seed"] = integer(merged["seed"], "seed", 0, MAX_SEED)
    return merged


def network_config(settings):
    """The nnsim network config (docs/architecture.md) the settings describe."""
    fitting = task(settings)
    output = settings["output_activation"]
    return config_module.validate({
        "layers": [len(settings["features"]), *settings["hidden"],
                   outputs.output_size(fitting, output)],
        "activations": [*settings["activations"], output], "loss": settings["loss"],
        "bias": True, "init": settings["init"], "seed": settings["seed"]})
