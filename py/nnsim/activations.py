"""Activation functions and their slopes, on plain lists of floats.

Each activation maps a layer's pre-activations z to activations a = f(z) and gives the
slope f'(z) used by backpropagation. The element-wise ones are also given for one number
(`Activation.value`), which the playground writes into its compiled layer loops; the list
versions map exactly that function, so both give the same bits. Every function here is safe for any finite z
(tested up to |z| = 1e4): no OverflowError, no NaN.
"""

import math


def sigmoid(z):
    # 1 / (1 + e^-z), written as e^z / (1 + e^z) for z < 0 so exp never overflows.
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _sigmoid_values(zs):
    return list(map(sigmoid, zs))


def _sigmoid_slopes(zs, activations):
    # sigma'(z) = sigma(z) (1 - sigma(z)) = a (1 - a): the slope read off the output.
    return [a * (1.0 - a) for a in activations]


def _tanh_values(zs):
    return list(map(math.tanh, zs))


def _tanh_slopes(zs, activations):
    # tanh'(z) = 1 - tanh(z)^2.
    return [1.0 - a * a for a in activations]


def relu(z):
    return z if z > 0.0 else 0.0


def _relu_values(zs):
    return list(map(relu, zs))


def _relu_slopes(zs, activations):
    # 1 for z > 0, else 0 (at z = 0 we take the left slope, 0: the neuron is off).
    return [1.0 if z > 0.0 else 0.0 for z in zs]


LEAKY_SLOPE = 0.01


def leaky_relu(z):
    return z if z > 0.0 else LEAKY_SLOPE * z


def _leaky_relu_values(zs):
    return list(map(leaky_relu, zs))


def _leaky_relu_slopes(zs, activations):
    # 1 for z > 0, else 0.01: a small slope keeps a negative neuron learning.
    return [1.0 if z > 0.0 else LEAKY_SLOPE for z in zs]


def linear(z):
    return float(z)


def _linear_values(zs):
    return list(map(linear, zs))


def _linear_slopes(zs, activations):
    return [1.0] * len(zs)


def _softmax_values(zs):
    """e^z_k / sum_j e^z_j, shifted by max(z) so exp never overflows."""
    top = max(zs)
    exps = [math.exp(z - top) for z in zs]
    total = math.fsum(exps)
    return [e / total for e in exps]


def _softmax_slopes(zs, activations):
    # Softmax couples its outputs (a Jacobian, not one slope per neuron); it is only
    # allowed with cross-entropy, whose output delta a - y needs no slope.
    return None


class Activation:
    def __init__(self, name, value, values, slopes, squashing):
        self.name = name
        self.value = value  # z -> a, or None (softmax needs the whole layer)
        self.values = values  # list of z -> list of a
        self.slopes = slopes  # (list of z, list of a) -> list of f'(z), or None
        self.squashing = squashing  # True if the slope vanishes for large |z| (saturation)


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigmoid, _sigmoid_values, _sigmoid_slopes, True),
    "tanh": Activation("tanh", math.tanh, _tanh_values, _tanh_slopes, True),
    "relu": Activation("relu", relu, _relu_values, _relu_slopes, False),
    "leaky_relu": Activation("leaky_relu", leaky_relu, _leaky_relu_values, _leaky_relu_slopes, False),
    "linear": Activation("linear", linear, _linear_values, _linear_slopes, False),
    "softmax": Activation("softmax", None, _softmax_values, _softmax_slopes, True),
}

NAMES = tuple(ACTIVATIONS)


def get(name):
    return ACTIVATIONS[name]
