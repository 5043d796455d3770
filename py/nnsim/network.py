"""A dense feed-forward network: forward pass, loss, and backpropagation for one example.

Conventions (docs/architecture.md): weights[l][j][i] connects neuron i of layer l to neuron j
of layer l+1; z[l] = W[l] a[l] + b[l]; a[l+1] = f(z[l]); delta = dE/dz.
"""

import math

from . import activations, arrays, losses
from . import config as config_module


class Backprop:
    """Everything one forward and backward pass computed for one example (backend arrays).

    zs, raw_errors, slopes, deltas have one entry per non-input layer; acts one per layer.
    slopes[l] is None for a softmax layer. All of it uses the weights as they were when the
    pass ran, so every delta of a step comes from the pre-update weights.
    """

    __slots__ = ("zs", "acts", "raw_errors", "slopes", "deltas", "loss_terms", "loss")

    def __init__(self, zs, acts, raw_errors, slopes, deltas, loss_terms):
        self.zs = zs
        self.acts = acts
        self.raw_errors = raw_errors
        self.slopes = slopes
        self.deltas = deltas
        self.loss_terms = loss_terms
        self.loss = math.fsum(loss_terms)


class Network:
    def __init__(self, config, backend=None):
        self.config = config_module.validate(config)
        self.ops = arrays.ops(backend)
        self.activations = [activations.get(name) for name in self.config["activations"]]
        self.loss = losses.get(self.config["loss"])
        weights, biases = config_module.initial_parameters(self.config)
        self.set_parameters(weights, biases)

    @property
    def layers(self):
        return self.config["layers"]

    @property
    def depth(self):
        """Number of weight layers L (the output layer is layer L)."""
        return len(self.config["layers"]) - 1

    @property
    def backend(self):
        return self.ops.name

    # -- parameters -------------------------------------------------------------------------

    def set_parameters(self, weights, biases):
        """Replace all parameters with checked nested lists (ValueError names the field)."""
        layers = self.layers
        weights = config_module.check_weights(weights, layers)
        if self.config["bias"]:
            biases = config_module.check_biases(biases, layers)
        else:
            biases = config_module.check_no_biases(biases)
        self.weights = [self.ops.matrix(m) for m in weights]
        self.biases = None if biases is None else [self.ops.vector(b) for b in biases]

    def parameters(self):
        """(weights, biases) as nested lists of floats (biases None without biases)."""
        return (
            [self.ops.to_list(m) for m in self.weights],
            None if self.biases is None else [self.ops.to_list(b) for b in self.biases],
        )

    def mean_abs_weight(self):
        # A conditional, not abs(): no function call per weight (this runs every 25 steps).
        values = [w if w >= 0.0 else -w for m in self.weights for row in self.ops.to_list(m) for w in row]
        return math.fsum(values) / len(values)

    # -- maths ------------------------------------------------------------------------------

    def forward(self, x):
        """(zs, acts) for backend input vector x: z per non-input layer, a per layer."""
        ops = self.ops
        acts = [x]
        zs = []
        for l, weights in enumerate(self.weights):
            z = ops.matvec(weights, acts[-1])
            if self.biases is not None:
                z = ops.add(z, self.biases[l])
            zs.append(z)
            acts.append(ops.apply(self.activations[l].values, z))
        return zs, acts

    def loss_terms(self, zs, acts, y):
        """Per-output-neuron loss terms (backend vector); they sum to the example's loss."""
        output = self.activations[-1].name
        return self.ops.apply(lambda z, a, t: self.loss.terms(z, a, t, output), zs[-1], acts[-1], y)

    def example_loss(self, x, y):
        zs, acts = self.forward(x)
        return math.fsum(self.loss_terms(zs, acts, y))

    def backprop(self, x, y):
        """Forward and backward pass for one example (x, y backend vectors)."""
        ops = self.ops
        zs, acts = self.forward(x)
        depth = self.depth
        output = self.activations[-1].name
        raw_errors = [None] * depth
        slopes = [None] * depth
        deltas = [None] * depth

        last = depth - 1
        raw_errors[last] = ops.apply(lambda a, t: self.loss.raw_error(a, t, output), acts[-1], y)
        slopes[last] = ops.apply(self.activations[last].slopes, zs[last], acts[-1])
        if self.loss.delta_rule == "cross_entropy_cancel":
            deltas[last] = ops.add_scaled(acts[-1], y, -1.0)  # a - y exactly
        else:
            deltas[last] = ops.multiply(raw_errors[last], slopes[last])

        for l in range(last - 1, -1, -1):
            # Hidden raw error: sum_k w_kj delta_k over the next layer's neurons k.
            raw_errors[l] = ops.matvec_transposed(self.weights[l + 1], deltas[l + 1])
            slopes[l] = ops.apply(self.activations[l].slopes, zs[l], acts[l + 1])
            deltas[l] = ops.multiply(raw_errors[l], slopes[l])
        return Backprop(zs, acts, raw_errors, slopes, deltas, self.loss_terms(zs, acts, y))

    def gradients(self, result):
        """(grad_weights, grad_biases) from a Backprop: dE/dw_ji = delta_j a_i, dE/db_j = delta_j."""
        grad_weights = [self.ops.outer(result.deltas[l], result.acts[l]) for l in range(self.depth)]
        grad_biases = None if self.biases is None else list(result.deltas)
        return grad_weights, grad_biases
