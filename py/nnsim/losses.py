"""Losses for one example, on plain lists of floats.

mse            E = 1/2 sum_k (a_k - y_k)^2                       dE/da_k = a_k - y_k
cross_entropy  E = -sum_k [y_k ln a_k + (1 - y_k) ln(1 - a_k)]   (sigmoid output)
               E = -sum_k y_k ln a_k                              (softmax output)

For cross-entropy the output delta dE/dz is exactly a - y: the 1/(a(1-a)) in dE/da
cancels the sigmoid's slope a(1-a) (and the softmax Jacobian likewise), so the network
uses a - y directly ("cross_entropy_cancel") instead of raw error times slope ("chain").

Cross-entropy terms are computed from z (ln sigma(z) = -softplus(-z), ln a_k = z_k -
logsumexp(z)), which equals the formula above but stays finite when a rounds to 0 or 1.
"""

import math
import sys

# Smallest positive normal float: keeps dE/da finite when a rounds to exactly 0 or 1.
_TINY = sys.float_info.min


def softplus(x):
    """ln(1 + e^x) without overflow."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _mse_terms(zs, activations, targets, output_activation):
    return [0.5 * (a - y) ** 2 for a, y in zip(activations, targets)]


def _mse_raw_error(activations, targets, output_activation):
    return [a - y for a, y in zip(activations, targets)]


def _cross_entropy_terms(zs, activations, targets, output_activation):
    if output_activation == "softmax":
        # ln a_k = z_k - logsumexp(z) = (z_k - top) - ln(1 + rest), rest the sum of e^(z_j - top)
        # over all but one largest z: log1p keeps rest's digits when the output is near 1
        # (top + ln(1 + rest) would round a loss of 9.36e-14 to 9.24e-14).
        top_index = max(range(len(zs)), key=lambda j: zs[j])
        top = zs[top_index]
        log_rest = math.log1p(math.fsum(math.exp(z - top) for j, z in enumerate(zs) if j != top_index))
        # y_k = 0 contributes nothing, even where ln a_k would be -inf.
        return [-y * ((z - top) - log_rest) if y else 0.0 for z, y in zip(zs, targets)]
    # -[y ln a + (1-y) ln(1-a)] = y softplus(-z) + (1-y) softplus(z) for a = sigma(z).
    return [
        (y * softplus(-z) if y else 0.0) + ((1.0 - y) * softplus(z) if y != 1.0 else 0.0)
        for z, y in zip(zs, targets)
    ]


def _cross_entropy_raw_error(activations, targets, output_activation):
    if output_activation == "softmax":
        return [-y / max(a, _TINY) for a, y in zip(activations, targets)]
    return [(a - y) / max(a * (1.0 - a), _TINY) for a, y in zip(activations, targets)]


class Loss:
    def __init__(self, name, terms, raw_error, delta_rule):
        self.name = name
        self.terms = terms  # (z, a, y, output activation name) -> per-output terms
        self.raw_error = raw_error  # (a, y, output activation name) -> dE/da per output
        self.delta_rule = delta_rule  # "chain" or "cross_entropy_cancel"


LOSSES = {
    "mse": Loss("mse", _mse_terms, _mse_raw_error, "chain"),
    "cross_entropy": Loss(
        "cross_entropy", _cross_entropy_terms, _cross_entropy_raw_error, "cross_entropy_cancel"
    ),
}

NAMES = tuple(LOSSES)

# Output activations each loss may be used with (checked when a config is validated).
CROSS_ENTROPY_OUTPUTS = ("sigmoid", "softmax")


# How far a softmax target's sum may be from 1 (the rounding of targets written in decimals).
TARGET_SUM_TOLERANCE = 1e-9


def check_targets(name, output_activation, targets, field="targets"):
    """ValueError unless the output delta a - y is exact for these targets. With a softmax
    output and cross-entropy, dE/dz_j = a_j (sum_k y_k) - y_j, which is a_j - y_j only when the
    targets sum to 1 (a probability distribution): other targets are refused, so the trace's
    a - y, the gradient check and the formula shown always agree."""
    if name != "cross_entropy" or output_activation != "softmax":
        return
    for k, target in enumerate(targets):
        total = math.fsum(target)
        if abs(total - 1.0) > TARGET_SUM_TOLERANCE:
            raise ValueError(
                f"{field}[{k}]: with a softmax output and cross-entropy the targets "
                f"are probabilities and must sum to 1, got {total:g}"
            )


def get(name):
    return LOSSES[name]
