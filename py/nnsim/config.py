"""Network configuration: validation (ValueError naming the field) and initial weights.

A config is a plain dict, see docs/architecture.md:
    {"layers": [2, 3, 1], "activations": ["sigmoid", "sigmoid"], "loss": "mse",
     "bias": false, "init": "uniform", "seed": 7, "weights": null, "biases": null}
"""

import json
import math
import random

from . import activations, losses

MAX_LAYERS = 10
MAX_NEURONS = 1000
# Counters (iterations, epochs) stop at the largest whole number JavaScript holds exactly, so a
# count the page shows or sends back is the count Python has.
MAX_COUNT = 2**53 - 1
INITS = ("uniform", "xavier", "he", "explicit")

DEFAULTS = {"loss": "mse", "bias": True, "init": "uniform", "seed": 0, "weights": None, "biases": None}
KEYS = ("layers", "activations", "loss", "bias", "init", "seed", "weights", "biases")


def shown(value, limit=40):
    """A value as the page would write it (JSON: null, true, "text"), cut short: messages
    quote what was given without repeating a whole hostile link or file."""
    try:
        text = json.dumps(value, allow_nan=True)
    except (TypeError, ValueError, RecursionError):
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def finite_number(value, field):
    """The value as a float, or ValueError naming the field."""
    if not is_number(value):
        raise ValueError(f"{field}: expected a number, got {shown(value)}")
    try:
        number = float(value)
    except OverflowError:  # a whole number beyond any float
        number = math.inf
    if not math.isfinite(number):
        raise ValueError(f"{field}: must be a finite number, got {shown(number)}")
    return number


def bounded_number(value, field, low, high):
    """A finite number within [low, high] as a float, or ValueError naming the field."""
    value = finite_number(value, field)
    if not low <= value <= high:
        raise ValueError(f"{field}: must be between {low:g} and {high:g}, got {value:g}")
    return value


def number_list(values, length, field):
    if not isinstance(values, (list, tuple)):
        raise ValueError(f"{field}: expected a list of {length} numbers")
    if len(values) != length:
        raise ValueError(f"{field}: expected {length} number{'s' * (length != 1)}, got {len(values)}")
    return [finite_number(v, f"{field}[{k}]") for k, v in enumerate(values)]


def integer(value, field, low, high):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{field}: expected a whole number, got {shown(value)}")
    if not low <= value <= high:
        raise ValueError(f"{field}: must be between {low} and {high}, got {value}")
    return value


def validate(config):
    """A complete, checked copy of a config dict; ValueError names the first bad field."""
    if not isinstance(config, dict):
        raise ValueError("config: expected an object")
    unknown = sorted(set(config) - set(KEYS))
    if unknown:
        raise ValueError(f"config: unknown field {shown(unknown[0])}")
    layers = config.get("layers")
    if not isinstance(layers, (list, tuple)) or not 2 <= len(layers) <= MAX_LAYERS:
        raise ValueError(f"layers: expected a list of 2 to {MAX_LAYERS} layer sizes")
    layers = [integer(n, f"layers[{k}]", 1, MAX_NEURONS) for k, n in enumerate(layers)]
    depth = len(layers) - 1

    names = config.get("activations", ["sigmoid"] * depth)
    if not isinstance(names, (list, tuple)) or len(names) != depth:
        raise ValueError(f"activations: expected {depth} names, one per non-input layer")
    for k, name in enumerate(names):
        if name not in activations.NAMES:
            raise ValueError(
                f"activations[{k}]: unknown activation {shown(name)}; "
                f"choose from {', '.join(activations.NAMES)}"
            )
        if name == "softmax" and k != depth - 1:
            raise ValueError(f"activations[{k}]: softmax is allowed on the output layer only")

    loss = config.get("loss", DEFAULTS["loss"])
    if loss not in losses.NAMES:
        raise ValueError(f"loss: unknown loss {shown(loss)}; choose from {', '.join(losses.NAMES)}")
    if loss == "cross_entropy" and names[-1] not in losses.CROSS_ENTROPY_OUTPUTS:
        raise ValueError(f"loss: cross_entropy needs a sigmoid or softmax output layer, not {names[-1]}")
    if names[-1] == "softmax" and loss != "cross_entropy":
        raise ValueError("loss: a softmax output layer needs cross_entropy")

    bias = config.get("bias", DEFAULTS["bias"])
    if not isinstance(bias, bool):
        raise ValueError(f"bias: expected true or false, got {shown(bias)}")
    init = config.get("init", DEFAULTS["init"])
    if init not in INITS:
        raise ValueError(f"init: unknown init {shown(init)}; choose from {', '.join(INITS)}")
    seed = config.get("seed", DEFAULTS["seed"])
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed: expected a whole number, got {shown(seed)}")

    weights = config.get("weights")
    biases = config.get("biases")
    if init == "explicit":
        weights = check_weights(weights, layers)
        biases = check_biases(biases, layers) if bias else check_no_biases(biases)
    elif weights is not None or biases is not None:
        raise ValueError("weights: explicit weights and biases need init 'explicit'")
    return {
        "layers": layers,
        "activations": list(names),
        "loss": loss,
        "bias": bias,
        "init": init,
        "seed": seed,
        "weights": weights,
        "biases": biases,
    }


def check_weights(weights, layers, field="weights"):
    if not isinstance(weights, (list, tuple)) or len(weights) != len(layers) - 1:
        raise ValueError(f"{field}: expected {len(layers) - 1} matrices, one per layer pair")
    checked = []
    for l, matrix in enumerate(weights):
        rows, cols = layers[l + 1], layers[l]
        if not isinstance(matrix, (list, tuple)) or len(matrix) != rows:
            raise ValueError(
                f"{field}[{l}]: expected {rows} rows (one per neuron of layer {l + 1}) of {cols} numbers"
            )
        checked.append([number_list(row, cols, f"{field}[{l}][{j}]") for j, row in enumerate(matrix)])
    return checked


def check_biases(biases, layers, field="biases"):
    if not isinstance(biases, (list, tuple)) or len(biases) != len(layers) - 1:
        raise ValueError(f"{field}: expected {len(layers) - 1} lists, one per non-input layer")
    return [number_list(b, layers[l + 1], f"{field}[{l}]") for l, b in enumerate(biases)]


def check_no_biases(biases, field="biases"):
    if biases is not None:
        raise ValueError(f"{field}: must be null when bias is false")
    return None


def initial_parameters(config):
    """(weights, biases) as nested lists, reproducible from config['seed'].

    uniform: every weight and bias from U[-1, 1] (the XOR reference's initialisation).
    xavier:  weights U[-r, r] with r = sqrt(6 / (fan_in + fan_out)), biases 0.
    he:      weights U[-r, r] with r = sqrt(6 / fan_in), biases 0.
    Only random.Random.random() and arithmetic are used, so CPython and Pyodide draw the
    same numbers. Draw order: layer by layer, the weights row by row, then that layer's biases.
    """
    if config["init"] == "explicit":
        return (
            [[list(row) for row in m] for m in config["weights"]],
            None if config["biases"] is None else [list(b) for b in config["biases"]],
        )
    rng = random.Random(config["seed"])
    layers = config["layers"]
    weights, biases = [], []
    for l in range(len(layers) - 1):
        fan_in, fan_out = layers[l], layers[l + 1]
        if config["init"] == "uniform":
            limit = 1.0
        elif config["init"] == "xavier":
            limit = math.sqrt(6.0 / (fan_in + fan_out))
        else:
            limit = math.sqrt(6.0 / fan_in)
        weights.append([[limit * (2.0 * rng.random() - 1.0) for _ in range(fan_in)] for _ in range(fan_out)])
        if config["bias"]:
            if config["init"] == "uniform":
                biases.append([2.0 * rng.random() - 1.0 for _ in range(fan_out)])
            else:
                biases.append([0.0] * fan_out)
    return weights, (biases if config["bias"] else None)
