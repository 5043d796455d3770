"""The playground's network maths over many points at once, in plain Python.

Conventions as in the rest of nnsim (docs/architecture.md): weights[l][j][i] from neuron i of
layer l to neuron j of layer l+1, biases[l][j]; z = W a + b, a = f(z), delta = dE/dz; the
output delta is a - y for cross-entropy, (a - y) f'(z) for mse.

Why it looks like this: the browser's Python has no NumPy, and the heatmaps need every neuron
at 2,500 points several times a second. A layer's weighted sums are computed by a function
written for that layer's shape (`weighted_sums`): one comprehension over the points whose body
is the layer's sums spelt out, so each point costs only its multiply-adds, with no inner loop,
no call and no zip per neuron (measured under Pyodide: 1.7x faster than one comprehension per
neuron, 4x faster than math.sumprod per point). Values move between two layouts: rows (one
tuple per point, what the sums read) and columns (one list per neuron, what activations, maps
and gradients use); zip(*...) turns one into the other in C. Training, the heatmaps and the
point a learner follows all run this one code, so they agree to the last bit.
"""

import functools
import math
from itertools import repeat
from operator import add, mul, neg, sub

from .. import activations, losses


def _compiled(source, name, namespace):
    """The function `name` defined by Python source written for one layer's shape."""
    exec(compile(source, f"<{name}>", "exec"), namespace)
    return namespace[name]


@functools.cache
def weighted_sums(fan_in, fan_out, activated=False):
    """A function (weights, biases, rows[, f]) -> rows, for a layer of fan_out neurons with
    fan_in inputs: z_j = w_j0 x_0 + ... + w_j(fan_in-1) x_(fan_in-1) + b_j at every row,
    summed left to right; `activated`: f(z_j) instead (the heatmaps need only a).
    `weights` is the layer's matrix (rows = receiving neurons)."""
    xs = [f"x{i}" for i in range(fan_in)]
    ws = [[f"w{j}_{i}" for i in range(fan_in)] for j in range(fan_out)]
    bs = [f"b{j}" for j in range(fan_out)]
    sums = [" + ".join(f"{w} * {x}" for w, x in zip(ws[j], xs)) + f" + {bs[j]}" for j in range(fan_out)]
    if activated:
        sums = [f"f({s})" for s in sums]
    every_w = ", ".join(", ".join(row) for row in ws)
    source = (
        f"def weighted_sums(weights, biases, rows, f=None):\n"
        f"    ({every_w},) = [w for row in weights for w in row]\n"
        f"    ({', '.join(bs)},) = biases\n"
        f"    return [({', '.join(sums)},) for ({', '.join(xs)},) in rows]\n"
    )
    return _compiled(source, "weighted_sums", {})


@functools.cache
def softmax_rows(width):
    """A function rows of z -> rows of a = softmax(z) for `width` outputs: e^(z_k - max z)
    over their sum (as nnsim.activations' softmax, the sum added left to right). A loop over
    the points with the layer spelt out: under Pyodide 2.3x faster than the same arithmetic
    as map() over columns."""
    zs = [f"z{k}" for k in range(width)]
    es = [f"e{k}" for k in range(width)]
    top = f"max({', '.join(zs)})" if width > 1 else zs[0]
    source = (
        f"def softmax_rows(rows, exp=math.exp):\n"
        f"    out = []\n"
        f"    for ({', '.join(zs)},) in rows:\n"
        f"        top = {top}\n"
        + "".join(f"        {e} = exp({z} - top)\n" for e, z in zip(es, zs))
        + f"        total = {' + '.join(es)}\n"
        f"        out.append(({', '.join(f'{e} / total' for e in es)},))\n"
        f"    return out\n"
    )
    return _compiled(source, "softmax_rows", {"math": math})


# A dot product rounded once: math.sumprod (3.12+, so Pyodide) or math.fsum of the products.
_sumprod = getattr(math, "sumprod", None)


def dot(first, second):
    if _sumprod is not None:
        return _sumprod(first, second)
    return math.fsum(map(mul, first, second))


def rows_of(columns):
    return list(zip(*columns))


def columns_of(rows, width):
    return [list(c) for c in zip(*rows)] if rows else [[] for _ in range(width)]


class Pass:
    """A forward pass over some points: zs per non-input layer, acts per layer (acts[0] is
    the input), each a list of columns."""

    __slots__ = ("zs", "acts")

    def __init__(self, zs, acts):
        self.zs, self.acts = zs, acts


class Model:
    """Weights and biases of a validated nnsim config (bias true), and its maths on columns."""

    def __init__(self, config, weights, biases):
        self.config = config
        self.functions = [activations.get(name) for name in config["activations"]]
        self.loss = losses.get(config["loss"])
        self.weights, self.biases = weights, biases

    @property
    def output_activation(self):
        return self.config["activations"][-1]

    def layer_values(self, l, z_rows, z_columns):
        """a columns of layer l+1 from its z (as rows and as columns)."""
        function = self.functions[l]
        if function.value is None:  # softmax: each point's outputs depend on all of its z
            return columns_of(softmax_rows(len(z_columns))(z_rows), len(z_columns))
        return [function.values(z) for z in z_columns]

    def forward(self, inputs):
        """The Pass over the points whose input columns are `inputs`."""
        rows = rows_of(inputs)
        acts, zs = [inputs], []
        for l, (weights, biases) in enumerate(zip(self.weights, self.biases)):
            z_rows = weighted_sums(len(weights[0]), len(weights))(weights, biases, rows)
            z = columns_of(z_rows, len(weights))
            zs.append(z)
            acts.append(self.layer_values(l, z_rows, z))
            rows = rows_of(acts[-1])
        return Pass(zs, acts)

    def activations(self, rows, inputs):
        """Every layer's a columns (acts[0] = inputs; lists or tuples) without keeping z: f is
        applied inside the layer's loop, on the same z, so the values are forward's to the
        bit."""
        acts = [inputs]
        for l, (weights, biases) in enumerate(zip(self.weights, self.biases)):
            fan_in, fan_out = len(weights[0]), len(weights)
            function = self.functions[l]
            if function.value is None:  # softmax
                rows = softmax_rows(fan_out)(weighted_sums(fan_in, fan_out)(weights, biases, rows))
                acts.append(list(zip(*rows)))
            else:
                rows = weighted_sums(fan_in, fan_out, True)(weights, biases, rows, function.value)
                acts.append(list(zip(*rows)))  # tuples: the maps only read them
        return acts

    def slopes(self, l, z, a):
        """f'(z) columns of layer l+1 (None for softmax, whose delta needs no slope)."""
        function = self.functions[l]
        if function.name == "softmax":
            return None
        return [function.slopes(zc, ac) for zc, ac in zip(z, a)]

    def backward(self, forward, targets):
        """(deltas, raw_errors, slopes) per non-input layer, as columns. raw_errors (dE/da)
        are given for hidden layers, and for the output layer with mse; a cross-entropy
        output's delta is a - y directly."""
        depth = len(self.weights)
        deltas, raw_errors, slopes = [None] * depth, [None] * depth, [None] * depth
        last = depth - 1
        output = forward.acts[-1]
        errors = [list(map(sub, a, y)) for a, y in zip(output, targets)]  # a - y
        slopes[last] = self.slopes(last, forward.zs[last], output)
        if self.loss.delta_rule == "cross_entropy_cancel":
            deltas[last] = errors
        else:
            raw_errors[last] = errors
            deltas[last] = [list(map(mul, e, s)) for e, s in zip(errors, slopes[last])]
        for l in range(last - 1, -1, -1):
            # dE/da_j = sum_k w_kj delta_k: the next layer's weights transposed, no bias.
            following = self.weights[l + 1]
            width = len(following[0])
            sums = weighted_sums(len(following), width)
            raw_errors[l] = columns_of(sums(rows_of(following), [0.0] * width, rows_of(deltas[l + 1])), width)
            slopes[l] = self.slopes(l, forward.zs[l], forward.acts[l + 1])
            deltas[l] = [list(map(mul, e, s)) for e, s in zip(raw_errors[l], slopes[l])]
        return deltas, raw_errors, slopes

    def mean_gradients(self, forward, deltas):
        """(grad_weights, grad_biases) averaged over the pass's points:
        dE/dw_ji = mean of delta_j a_i, dE/db_j = mean of delta_j."""
        count = len(forward.acts[0][0])
        grad_weights = [
            [[dot(delta, a) / count for a in forward.acts[l]] for delta in layer]
            for l, layer in enumerate(deltas)
        ]
        grad_biases = [[math.fsum(delta) / count for delta in layer] for layer in deltas]
        return grad_weights, grad_biases

    def point_losses(self, forward, targets):
        """Each point's loss E, as nnsim.losses defines it, computed column-wise in C loops
        (every epoch measures all points): mse 1/2 sum_k (a_k - y_k)^2; cross-entropy with a
        sigmoid output softplus(z) for y = 0 and softplus(-z) for y = 1; with softmax
        logsumexp(z) - sum_k y_k z_k."""
        zs, acts = forward.zs[-1], forward.acts[-1]
        if self.loss.name == "mse":
            errors = [list(map(sub, a, y)) for a, y in zip(acts, targets)]
            squares = [map(mul, e, e) for e in errors]
            return list(map(mul, map(_sum, zip(*squares)), repeat(0.5)))
        if self.output_activation == "softmax":
            top = list(map(max, *zs)) if len(zs) > 1 else list(zs[0])
            shifted = [list(map(sub, z, top)) for z in zs]
            totals = map(_sum, zip(*(map(math.exp, z) for z in shifted)))
            chosen = map(_sum, zip(*(map(mul, y, z) for y, z in zip(targets, shifted))))
            return list(map(sub, map(math.log, totals), chosen))
        # Targets are 0 or 1: the loss is softplus(s z) with s = 1 - 2y.
        terms = [
            _softplus(list(map(mul, z, map(sub, repeat(1.0), map(add, y, y))))) for z, y in zip(zs, targets)
        ]
        return terms[0] if len(terms) == 1 else list(map(_sum, zip(*terms)))


def _sum(values):
    return math.fsum(values)


def _softplus(xs):
    """ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|), never overflowing (nnsim.losses.softplus)."""
    return list(map(add, map(max, xs, repeat(0.0)), map(math.log1p, map(math.exp, map(neg, map(abs, xs))))))
