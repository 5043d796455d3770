"""Traces: the plain, JSON-ready dicts that tell the app every number of a step.

The format is the contract in docs/architecture.md ("Trace of one step"). Nothing here does
new maths: it lays out what Network.backprop computed, plus the pairs (w_kj, delta_k) behind
each hidden raw error so the app can write out the sum.
"""

import math


def example_part(network, result, x, y):
    """The per-example keys of a trace, from a Backprop of network on (x, y)."""
    ops = network.ops
    depth = network.depth
    weights = [ops.to_list(m) for m in network.weights]
    deltas = [ops.to_list(d) for d in result.deltas]
    backprop_terms = []
    for l in range(depth):
        if l == depth - 1:
            backprop_terms.append(None)
        else:
            following = weights[l + 1]
            backprop_terms.append(
                [
                    [[following[k][j], deltas[l + 1][k]] for k in range(len(following))]
                    for j in range(len(deltas[l]))
                ]
            )
    grad_weights, grad_biases = network.gradients(result)
    return {
        "input": ops.to_list(x),
        "target": ops.to_list(y),
        "z": [ops.to_list(z) for z in result.zs],
        "a": [ops.to_list(a) for a in result.acts],
        "slope": [None if s is None else ops.to_list(s) for s in result.slopes],
        "raw_error": [ops.to_list(r) for r in result.raw_errors],
        "backprop_terms": backprop_terms,
        "output_delta_rule": network.loss.delta_rule,
        "delta": deltas,
        "loss": result.loss,
        "loss_terms": ops.to_list(result.loss_terms),
        "grad_weights": [ops.to_list(g) for g in grad_weights],
        "grad_biases": None if grad_biases is None else [ops.to_list(g) for g in grad_biases],
    }


def settings_part(network, learning_rate, momentum):
    config = network.config
    return {
        "layers": list(config["layers"]),
        "activations": list(config["activations"]),
        "loss_name": config["loss"],
        "bias": config["bias"],
        "learning_rate": learning_rate,
        "momentum": momentum,
    }


def json_safe(value):
    """The value with every non-finite float replaced by None.

    Only a diverged step can hold inf or NaN (a refused update's gradients); JSON has no
    such numbers, so they become null.
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    return value
