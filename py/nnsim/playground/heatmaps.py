"""What every neuron computes over the whole input square, for the heatmaps.

The square [-6, 6] x [-6, 6] is cut into size x size cells; each map holds a neuron's value at
the cell centres, row by row from the top (row 0 at x2 near +6, column 0 at x1 near -6), like
an image. One forward pass over all cells gives every neuron's map at once (columns.Model),
so a map is exactly the network's output at those points.

Maps cross to the page as JSON, so each is sent compactly: base64 of the size*size values as
little-endian 32-bit floats (a JavaScript Float32Array over the decoded bytes). Converting in
C costs far less than quantising in Python, and keeps 7 significant digits; a map's exact
numbers at any point are `probe`'s.
"""

import base64
import functools
import struct
from itertools import repeat

from . import features, outputs
from .columns import rows_of
from .datasets import DOMAIN

MIN_SIZE, DEFAULT_SIZE, MAX_SIZE = 10, 50, 100


def cell_centres(size):
    """(x1 column, x2 column) of the cell centres, row-major from the top left."""
    step = 2 * DOMAIN / size
    across = [-DOMAIN + (c + 0.5) * step for c in range(size)]
    x1 = across * size
    x2 = [value for r in range(size) for value in repeat(DOMAIN - (r + 0.5) * step, size)]
    return x1, x2


class GridInputs:
    """The grid's features, as rows and as columns, and their maps packed: they change only
    with the features chosen, so they are computed once."""

    def __init__(self, size, feature_names):
        self.columns = features.columns(feature_names, *cell_centres(size))
        self.rows = rows_of(self.columns)
        self.maps = [packed(column) for column in self.columns]


@functools.lru_cache(maxsize=8)
def _grid_inputs(size, feature_names):
    return GridInputs(size, feature_names)


def grid_inputs(size, feature_names):
    return _grid_inputs(size, tuple(feature_names))


@functools.lru_cache(maxsize=4)
def _float32s(count):
    return struct.Struct(f"<{count}f")


def packed(values):
    """A map as base64 of little-endian float32 values (struct packs them in C; under Pyodide
    twice as fast as array.array from a tuple)."""
    return base64.b64encode(_float32s(len(values)).pack(*values)).decode("ascii")


def heatmaps(model, feature_names, task, size=DEFAULT_SIZE):
    """{size, domain, layers, classes, decision}: layers[n][j] is the map (packed) of neuron j
    of layer n (0 is the input features, the last the output); classes, for classification, is
    base64 of one byte per cell: the class the network gives there (the discretised output);
    decision, for one output between two classes, the output value between them (else None)."""
    grid = grid_inputs(size, feature_names)
    acts = model.activations(grid.rows, grid.columns)
    classes = decision = None
    if task.kind == "classification":
        chosen = outputs.predicted_classes(model.output_activation, acts[-1])
        classes = base64.b64encode(bytes(chosen)).decode("ascii")
        if len(acts[-1]) == 1:
            decision = outputs.decision(model.output_activation)
    return {
        "size": size,
        "domain": DOMAIN,
        "layers": [grid.maps] + [[packed(column) for column in layer] for layer in acts[1:]],
        "classes": classes,
        "decision": decision,
    }


def probe(model, feature_names, task, x1, x2):
    """Every number of the forward pass at one point: {input, z, a, output, prediction}
    (prediction: the class, or the value for regression)."""
    forward = model.forward(features.columns(feature_names, [x1], [x2]))
    a = [[column[0] for column in layer] for layer in forward.acts]
    output = a[-1]
    if task.kind == "classification":
        prediction = outputs.predicted_classes(model.output_activation, forward.acts[-1])[0]
    else:
        prediction = output[0]
    return {
        "input": [x1, x2],
        "a": a,
        "z": [[column[0] for column in layer] for layer in forward.zs],
        "output": output,
        "prediction": prediction,
    }
