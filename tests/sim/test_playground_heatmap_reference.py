"""The Playground's heatmaps against a plain reference: for random networks of the largest size
the lab allows, every cell of every map is what a straightforward forward pass, written here
from the definitions (one point at a time, one neuron at a time), gives at that cell's centre.

The reference keeps the simulator's order of operations (z = w_0 a_0 + w_1 a_1 + ... + b,
summed left to right; softmax e^(z_k - max z) over the left-to-right sum), so the cells must
match it exactly: the float32 the maps carry, and the float64 values they are rounded from."""

import array
import base64
import math
import random

import pytest
from nnsim import settings
from nnsim.playground import features, heatmaps
from nnsim.playground.session import PlaygroundSession

DOMAIN = 6.0
FEATURE_VALUES = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1sq": lambda x1, x2: x1 * x1,
    "x2sq": lambda x1, x2: x2 * x2,
    "x1x2": lambda x1, x2: x1 * x2,
    "sinx1": lambda x1, x2: math.sin(x1),
    "sinx2": lambda x1, x2: math.sin(x2),
}


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    return math.exp(z) / (1.0 + math.exp(z))


ACTIVATION = {
    "sigmoid": sigmoid,
    "tanh": math.tanh,
    "relu": lambda z: z if z > 0.0 else 0.0,
    "leaky_relu": lambda z: z if z > 0.0 else 0.01 * z,
    "linear": lambda z: z,
}


def softmax(zs):
    top = max(zs)
    exps = [math.exp(z - top) for z in zs]
    total = exps[0]
    for e in exps[1:]:
        total += e
    return [e / total for e in exps]


def reference_point(names, activations, weights, biases, x1, x2):
    """Every layer's activations at (x1, x2), one neuron at a time."""
    layers = [[FEATURE_VALUES[name](x1, x2) for name in names]]
    for matrix, bias, activation in zip(weights, biases, activations):
        zs = []
        for row, b in zip(matrix, bias):
            z = row[0] * layers[-1][0]
            for w, a in zip(row[1:], layers[-1][1:]):
                z += w * a
            zs.append(z + b)
        layers.append(softmax(zs) if activation == "softmax" else [ACTIVATION[activation](z) for z in zs])
    return layers


def reference_class(activation, outputs):
    if len(outputs) == 1:
        return int(outputs[0] > (0.0 if activation == "tanh" else 0.5))
    return outputs.index(max(outputs))


def float32(value):
    return array.array("f", [value])[0]


def decoded(packed):
    values = array.array("f")
    values.frombytes(base64.b64decode(packed))
    return values


LARGEST = {
    "features": list(features.NAMES),
    "hidden": [settings.MAX_NEURONS] * settings.MAX_HIDDEN_LAYERS,
}
# (output activation, loss, data set): a softmax over the most classes, and one output of each kind.
ENDINGS = [
    ("softmax", "cross_entropy", "own"),
    ("sigmoid", "cross_entropy", "circle"),
    ("tanh", "mse", "xor"),
    ("linear", "mse", "plane"),
]


@pytest.mark.parametrize("ending", ENDINGS, ids=[e[0] for e in ENDINGS])
def test_every_cell_of_the_largest_network_is_the_reference_forward_pass(ending):
    output, loss, dataset = ending
    rng = random.Random(output)
    hidden = [rng.choice(list(ACTIVATION)) for _ in LARGEST["hidden"]]
    hidden[0] = "tanh"  # the lab's default, whatever else the draw gives
    session = PlaygroundSession(
        {
            **LARGEST,
            "dataset": dataset,
            "activations": hidden,
            "output_activation": output,
            "loss": loss,
            # few points: each set_parameter answers with the state, losses over every point
            **({"classes": settings.MAX_CLASSES} if dataset == "own" else {"points": 10}),
        }
    )
    model = session.model
    for l, matrix in enumerate(model.weights):  # random weights and biases, not the start's
        for j, row in enumerate(matrix):
            session.set_parameter(l, j, rng.uniform(-2, 2))
            for i in range(len(row)):
                session.set_parameter(l, j, rng.uniform(-2, 2), input=i)
    size = 50
    maps = session.heatmaps(size)
    cells = [[decoded(packed) for packed in layer] for layer in maps["layers"]]
    classes = base64.b64decode(maps["classes"]) if maps["classes"] is not None else None
    activations = model.config["activations"]
    grid = heatmaps.grid_inputs(size, session.settings["features"])
    exact = model.activations(grid.rows, grid.columns)  # the float64 values the maps round
    assert (
        [len(layer) for layer in cells] == model.config["layers"] == [7] + [8] * 6 + [len(model.weights[-1])]
    )
    step = 2 * DOMAIN / size
    for r in range(size):
        for c in range(size):
            x1, x2 = -DOMAIN + (c + 0.5) * step, DOMAIN - (r + 0.5) * step
            expected = reference_point(
                session.settings["features"], activations, model.weights, model.biases, x1, x2
            )
            cell = r * size + c
            got = [[values[cell] for values in layer] for layer in cells]
            assert got == [[float32(v) for v in layer] for layer in expected], (r, c)
            assert [[values[cell] for values in layer] for layer in exact] == expected, (r, c)
            if classes is not None:
                assert classes[cell] == reference_class(output, expected[-1]), (r, c)
