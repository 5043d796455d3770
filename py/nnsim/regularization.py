"""Penalties on the weights (never the biases), added to the batch's mean loss.

  l1  P = lambda sum |w|        dP/dw = lambda sign(w)   (sign(0) = 0, as torch.sign)
  l2  P = (lambda / 2) sum w^2  dP/dw = lambda w

The objective a step minimises is the mean of its examples' losses plus P, so the gradient the
optimiser uses is the mean loss gradient plus dP/dw. (AdamW's decoupled weight decay is not a
penalty: it is part of that optimiser's update, see optimizers.py.)
"""

import math

from .hyperparameters import Setting, read_choice

RATE = Setting("rate", None, 0.0, meaning="lambda: the penalty's weight")
CHOICES = {"l1": [RATE], "l2": [RATE]}
NAMES = tuple(CHOICES)


def _sign(w):
    return 1.0 if w > 0.0 else (-1.0 if w < 0.0 else 0.0)


class Regularizer:
    def __init__(self, settings):
        self.settings = dict(settings)
        self.kind = self.settings["kind"]
        self.rate = self.settings["rate"]

    def penalty(self, weight_tensors):
        """P over flat weight tensors (lists of floats)."""
        if self.kind == "l1":
            return self.rate * math.fsum(abs(w) for tensor in weight_tensors for w in tensor)
        return 0.5 * self.rate * math.fsum(w * w for tensor in weight_tensors for w in tensor)

    def gradient(self, tensor):
        """dP/dw for one flat weight tensor."""
        rate = self.rate
        if self.kind == "l1":
            return [rate * _sign(w) for w in tensor]
        return [rate * w for w in tensor]


def read(value, field="regularization"):
    """A Regularizer from {"kind": "l1"|"l2", "rate": lambda}, or None for null."""
    if value is None:
        return None
    return Regularizer(read_choice(value, field, "kind", CHOICES))
