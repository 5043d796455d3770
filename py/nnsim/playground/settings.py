"""The playground's settings: its schema is in nnsim.settings (labels, kinds, bounds, choices,
sliders, rules), with the other labs'; here the checks between settings that a schema rule
cannot say, and what the settings mean for the data and the network.

`validate` returns a complete, checked copy or raises ValueError starting with the setting's
label.
"""

from .. import config as config_module
from .. import settings as schema
from . import datasets, outputs

PRESET, TITLE = schema.PLAYGROUND
LABELS = {spec["name"]: spec["label"] for spec in schema.SCHEMAS[PRESET]}
DEFAULTS = schema.defaults(PRESET)
# Settings a running training takes on without starting again; every other starts again.
LIVE_SETTINGS = tuple(spec["name"] for spec in schema.SCHEMAS[PRESET] if not spec["fresh_weights"])
# The optimiser, its hyper-parameters, the penalty and the schedule (as the Deep lab's).
TRAINING_SETTINGS = tuple(spec["name"] for spec in schema.training_settings())


def training(settings):
    """(optimizer, regularizer, schedule) the settings choose, for the Trainer."""
    return schema.training_objects(settings)


def task(settings):
    dataset = settings["dataset"]
    if dataset == "own":
        return datasets.Task("classification", settings["classes"])
    return datasets.GENERATORS[dataset][1]


def validate(settings, base=None):
    """The complete settings: `base` (default: the defaults) with `settings` applied, checked
    against the schema and its rules, then against each other."""
    merged = schema.validate(PRESET, settings, base)
    features = merged["features"]
    if len(set(features)) != len(features):
        raise ValueError(f"{LABELS['features']}: each feature at most once")
    # One order for the same choice: the schema's (so a URL and a saved file agree).
    order = [value for value, _ in schema.PLAYGROUND_FEATURES]
    merged["features"] = sorted(features, key=order.index)
    if len(merged["activations"]) != len(merged["hidden"]):
        raise ValueError(
            f"{LABELS['activations']}: expected {len(merged['hidden'])}, one per "
            f"hidden layer, got {len(merged['activations'])}"
        )
    outputs.check_fits(task(merged), merged["output_activation"], merged["loss"], LABELS["output_activation"])
    return merged


def network_config(settings):
    """The nnsim network config (docs/architecture.md) the settings describe."""
    output = settings["output_activation"]
    return config_module.validate(
        {
            "layers": [
                len(settings["features"]),
                *settings["hidden"],
                outputs.output_size(task(settings), output),
            ],
            "activations": [*settings["activations"], output],
            "loss": settings["loss"],
            "bias": True,
            "init": settings["init"],
            "seed": settings["seed"],
        }
    )
