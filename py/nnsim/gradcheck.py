"""Central-difference gradient check: backpropagation's gradient against the slope of the loss.

numeric dE/dp = (E(p + h) - E(p - h)) / 2h for every weight and bias p, with E the mean loss
over the given examples (plus a regulariser's penalty, when one is given: then the analytic
gradient is backprop's plus the penalty's). relative error = |analytic - numeric| / max(|analytic|, |numeric|,
FLOOR). The difference quotient carries rounding noise of about 1e-10 (machine epsilon times
the loss, over h), so gradients smaller than FLOOR = 1e-4 are in effect compared absolutely:
without the floor a gradient of 1e-7 would report that noise as a 0.1% error.
"""

import math

from . import losses

STEP = 1e-6
FLOOR = 1e-4


def mean_loss(network, inputs, targets):
    return math.fsum(network.example_loss(x, y) for x, y in zip(inputs, targets)) / len(inputs)


def analytic_gradients(network, inputs, targets):
    """Mean (grad_weights, grad_biases) over the examples, as nested lists."""
    ops = network.ops
    total_w = total_b = None
    for x, y in zip(inputs, targets):
        grad_w, grad_b = network.gradients(network.backprop(x, y))
        grad_w = [ops.to_list(g) for g in grad_w]
        grad_b = None if grad_b is None else [ops.to_list(g) for g in grad_b]
        if total_w is None:
            total_w, total_b = grad_w, grad_b
            continue
        total_w = [
            [[a + b for a, b in zip(ra, rb)] for ra, rb in zip(ma, mb)] for ma, mb in zip(total_w, grad_w)
        ]
        if total_b is not None:
            total_b = [[a + b for a, b in zip(va, vb)] for va, vb in zip(total_b, grad_b)]
    n = len(inputs)
    total_w = [[[g / n for g in row] for row in m] for m in total_w]
    total_b = None if total_b is None else [[g / n for g in v] for v in total_b]
    return total_w, total_b


def central_difference(container, index, loss, step=STEP):
    """(E(p + h) - E(p - h)) / 2h for the parameter container[index] (a plain list or NumPy
    row alike), nudged in place and restored; `loss` computes E."""
    original = container[index]
    container[index] = original + step
    up = loss()
    container[index] = original - step
    down = loss()
    container[index] = original
    return (up - down) / (2.0 * step)


def check(network, inputs, targets, step=STEP, regularizer=None):
    """Compare gradients for examples given as lists. Returns a JSON-ready dict:
    {max_relative_error, parameters: [{name, index, analytic, numeric, relative_error}]}."""
    losses.check_targets(network.loss.name, network.activations[-1].name, targets)
    ops = network.ops
    xs = [ops.vector(x) for x in inputs]
    ys = [ops.vector(y) for y in targets]
    grad_w, grad_b = analytic_gradients(network, xs, ys)
    if regularizer is not None:
        grad_w = [
            [
                [g + p for g, p in zip(grads, regularizer.gradient(ops.to_list(row)))]
                for grads, row in zip(matrix, weights)
            ]
            for matrix, weights in zip(grad_w, network.weights)
        ]
    rows = []

    def objective():
        loss = mean_loss(network, xs, ys)
        if regularizer is None:
            return loss
        return loss + regularizer.penalty([ops.flat(m) for m in network.weights])

    def numeric(container, index):
        return central_difference(container, index, objective, step)

    def record(name, index, analytic, estimate):
        error = abs(analytic - estimate) / max(abs(analytic), abs(estimate), FLOOR)
        rows.append(
            {"name": name, "index": index, "analytic": analytic, "numeric": estimate, "relative_error": error}
        )

    for l, matrix in enumerate(network.weights):
        for j in range(len(grad_w[l])):
            for i in range(len(grad_w[l][j])):
                record("weight", [l, j, i], grad_w[l][j][i], numeric(matrix[j], i))
    if network.biases is not None:
        for l, vector in enumerate(network.biases):
            for j in range(len(grad_b[l])):
                record("bias", [l, j], grad_b[l][j], numeric(vector, j))
    return {"max_relative_error": max(r["relative_error"] for r in rows), "parameters": rows}
