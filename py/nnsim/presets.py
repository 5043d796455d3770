"""The four labs' networks: settings (validated, defaulted) -> network config, data, training.

Each preset turns its settings dict into a `Setup`: the network config, the training data,
how many examples an iteration uses, and (digits) a held-out set.
"""

from . import data, optimizers
from . import settings as settings_module

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

# Names and defaults come from each lab's settings schema (nnsim.settings).
GLASSBOX_ACTIVATIONS = tuple(value for value, _ in settings_module.ACTIVATIONS)
DEFAULTS = {name: settings_module.defaults(name) for name, _ in settings_module.LABS}
NAMES = tuple(DEFAULTS)


class Setup:
    def __init__(self, config, dataset, batch_size, heldout=None, training=(None, None, None)):
        self.config = config
        self.dataset = dataset
        self.batch_size = batch_size
        self.heldout = heldout
        # (optimizer, regularizer, schedule) for the Trainer; None: sgd, no penalty, constant
        self.optimizer, self.regularizer, self.schedule = training


def check_preset(preset):
    return settings_module.check_lab(preset)


def validate_settings(preset, settings, base=None):
    """The preset's complete settings: `base` (default: the defaults) with `settings` applied."""
    return settings_module.validate(preset, settings, base)


def setup(preset, settings):
    """The Setup for validated settings."""
    if preset == "xor":
        config = {
            "layers": [2, 3, 1],
            "activations": ["sigmoid", "sigmoid"],
            "loss": "mse",
            "bias": False,
            "init": "uniform",
            "seed": settings["seed"],
        }
        # The reference's plain rule is momentum 0; the default's momentum learns from most
        # starts (nnsim.settings, "xor").
        return Setup(
            config,
            data.gate("xor"),
            batch_size=1,
            training=(optimizers.from_momentum(settings["momentum"]), None, None),
        )
    if preset == "deep":
        config = {
            "layers": [3, 4, 3, 2, 2],
            "activations": ["sigmoid"] * 4,
            "loss": "mse",
            "bias": True,
            "init": "explicit",
            "seed": 0,
            "weights": DEEP_WEIGHTS,
            "biases": DEEP_BIASES,
        }
        return Setup(
            config,
            data.single(settings["inputs"], settings["targets"], "deep"),
            batch_size=1,
            training=settings_module.training_objects(settings),
        )
    if preset == "glassbox":
        scenario = settings["scenario"]
        config = {
            "layers": [2, 2, 1],
            "activations": [settings["hidden_activation"], settings["output_activation"]],
            "loss": settings["loss"],
            "bias": True,
            "init": "uniform",
            "seed": settings["seed"],
        }
        if scenario == "saturated":
            config.update(init="explicit", weights=SATURATED_WEIGHTS, biases=SATURATED_BIASES)
        dataset = data.gate("and" if scenario == "saturated" else scenario)
        return Setup(config, dataset, batch_size=len(dataset["inputs"]))
    config = {
        "layers": [25, settings["hidden"], 10],
        "activations": ["sigmoid", "sigmoid"],
        "loss": "mse",
        "bias": True,
        "init": "uniform",
        "seed": settings["seed"],
    }
    return Setup(config, data.digits(), batch_size=1, heldout=data.heldout_digits())
