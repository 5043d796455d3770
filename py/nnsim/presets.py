"""The four labs' networks: settings (validated, defaulted) -> network config, data, training.

Each preset turns its settings dict into a `Setup`: the network config, the training data,
how many examples an iteration uses, and (digits) a held-out set.
"""

from . import config as config_module
from . import data

# The deep reference page's parameters, row = receiving neuron (weights[l][j][i]).
DEEP_WEIGHTS = [
    [[0.4, 0.2, 0.6], [0.7, -0.3, 0.1], [-0.2, 0.8, -0.4], [0.5, 0.1, 0.9]],
    [[0.3, 0.8, -0.1, 0.5], [-0.5, 0.2, 0.9, -0.3], [0.7, -0.6, 0.4, 0.1]],
    [[0.4, 0.7, -0.2], [-0.6, 0.3, 0.9]],
    [[0.6, 0.2], [-0.4, 0.8]],
]
DEEP_BIASES = [[0.1, -0.2, 0.3, 0.0], [0.2, -0.1, 0.4], [0.1, -0.3], [0.2, -0.1]]

# Glass box "saturated": AND data, and weights that put the sigmoid output near 1 for every
# input (z_out between 8 and 12), the wrong side for three of four targets. The output slope
# a(1-a) is below 4e-4, so MSE's delta (a-y) a(1-a) is tiny and its loss curve is flat;
# cross-entropy's delta a - y is large on the same weights, so it learns at once.
SATURATED_WEIGHTS = [[[1.0, 1.0], [-1.0, -1.0]], [[2.0, -2.0]]]
SATURATED_BIASES = [[-0.5, 0.5], [10.0]]

GLASSBOX_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
GLASSBOX_SCENARIOS = ("and", "or", "nand", "xor", "saturated")
MAX_LEARNING_RATE = 1e9
MAX_SEED = 2 ** 31 - 1
# The Deep lab's example: inputs and targets a student may type. Far beyond what a sigmoid
# network can fit, and small enough that every loss, delta and update stays finite.
DEEP_VALUE_LIMIT = 1000.0

DEFAULTS = {
    "xor": {"learning_rate": 0.5, "seed": 5},
    "deep": {"inputs": list(data.DEEP_INPUT), "targets": list(data.DEEP_TARGET),
             "learning_rate": 0.1},
    "glassbox": {"scenario": "and", "hidden_activation": "sigmoid",
                 "output_activation": "sigmoid", "loss": "mse", "learning_rate": 0.5, "seed": 1},
    "digits": {"hidden": 16, "learning_rate": 0.5, "seed": 1},
}
NAMES = tuple(DEFAULTS)


class Setup:
    def __init__(self, config, dataset, batch_size, heldout=None):
        self.config = config
        self.dataset = dataset
        self.batch_size = batch_size
        self.heldout = heldout


def check_preset(preset):
    if preset not in DEFAULTS:
        raise ValueError(f"preset: unknown preset {config_module.shown(preset)}; choose from {', '.join(NAMES)}")
    return preset


def validate_settings(preset, settings, base=None):
    """The preset's complete settings: `base` (default: the defaults) with `settings` applied."""
    check_preset(preset)
    merged = dict(DEFAULTS[preset] if base is None else base)
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        raise ValueError("settings: expected an object")
    unknown = sorted(set(settings) - set(DEFAULTS[preset]))
    if unknown:
        raise ValueError(f"settings: unknown setting {config_module.shown(unknown[0])} for preset {preset}; "
                         f"known: {', '.join(DEFAULTS[preset])}")
    merged.update(settings)
    rate = config_module.finite_number(merged["learning_rate"], "learning_rate")
    if not 0.0 < rate <= MAX_LEARNING_RATE:
        raise ValueError(f"learning_rate: must be above 0 and at most {MAX_LEARNING_RATE:g}")
    merged["learning_rate"] = rate
    if "seed" in merged:
        merged["seed"] = config_module.integer(merged["seed"], "seed", 0, MAX_SEED)
    if preset == "deep":
        for field, length in (("inputs", 3), ("targets", 2)):
            values = config_module.number_list(merged[field], length, field)
            merged[field] = [config_module.bounded_number(
                v, f"{field}[{k}]", -DEEP_VALUE_LIMIT, DEEP_VALUE_LIMIT)
                for k, v in enumerate(values)]
    elif preset == "glassbox":
        _choice(merged, "scenario", GLASSBOX_SCENARIOS)
        _choice(merged, "hidden_activation", GLASSBOX_ACTIVATIONS)
        _choice(merged, "output_activation", GLASSBOX_ACTIVATIONS)
        _choice(merged, "loss", ("mse", "cross_entropy"))
        if merged["loss"] == "cross_entropy" and merged["output_activation"] != "sigmoid":
            raise ValueError(f"loss: cross_entropy needs output_activation sigmoid (its delta "
                             f"a - y comes from cancelling the sigmoid's slope), not "
                             f"{merged['output_activation']}")
    elif preset == "digits":
        merged["hidden"] = config_module.integer(merged["hidden"], "hidden", 1, 64)
    return merged


def _choice(settings, field, allowed):
    if settings[field] not in allowed:
        raise ValueError(f"{field}: unknown value {config_module.shown(settings[field])}; "
                         f"choose from {', '.join(allowed)}")


def setup(preset, settings):
    """The Setup for validated settings."""
    if preset == "xor":
        config = {"layers": [2, 3, 1], "activations": ["sigmoid", "sigmoid"], "loss": "mse",
                  "bias": False, "init": "uniform", "seed": settings["seed"]}
        return Setup(config, data.gate("xor"), batch_size=1)
    if preset == "deep":
        config = {"layers": [3, 4, 3, 2, 2], "activations": ["sigmoid"] * 4, "loss": "mse",
                  "bias": True, "init": "explicit", "seed": 0,
                  "weights": DEEP_WEIGHTS, "biases": DEEP_BIASES}
        return Setup(config, data.single(settings["inputs"], settings["targets"], "deep"),
                     batch_size=1)
    if preset == "glassbox":
        scenario = settings["scenario"]
        config = {"layers": [2, 2, 1],
                  "activations": [settings["hidden_activation"], settings["output_activation"]],
                  "loss": settings["loss"], "bias": True, "init": "uniform",
                  "seed": settings["seed"]}
        if scenario == "saturated":
            config.update(init="explicit", weights=SATURATED_WEIGHTS, biases=SATURATED_BIASES)
        dataset = data.gate("and" if scenario == "saturated" else scenario)
        return Setup(config, dataset, batch_size=len(dataset["inputs"]))
    config = {"layers": [25, settings["hidden"], 10], "activations": ["sigmoid", "sigmoid"],
              "loss": "mse", "bias": True, "init": "uniform", "seed": settings["seed"]}
    return Setup(config, data.digits(), batch_size=1, heldout=data.heldout_digits())
