"""Penalties on the weights (never the biases), added to the batch's mean loss.

  l1  P = lambda sum |w|        dP/dw = lambda sign(w)   (sign(0) = 0, as torch.sign)
  l2  P = (lambda / 2) sum w^2  dP/dw = lambda w

The objective a step minimises is the mean of its examples' losses plus P, so the gradient the
optimiser uses is the mean loss gradient plus dP/dw.

L1 stops a weight at zero. With the plain gradient lambda sign(w) (PyTorch's, the loss term
lambda sum |w|) a weight the penalty pulls down never settles at 0: it steps across, the sign
flips, and it steps back. So, as TF Playground does, a weight that an L1 step would carry
across 0 stops at exactly 0 (w := 0), and from there sign(0) = 0 lets only the loss move it.
Every step in which no weight crosses 0 is PyTorch's exactly; the optimiser's state (velocity,
moments) is the one its rule computed, untouched by the stop. (AdamW's decoupled weight decay is not a
penalty: it is part of that optimiser's update, see optimizers.py.)
"""

import math

from .hyperparameters import Setting, read_choice

RATE = Setting("rate", None, 0.0, meaning="lambda: the penalty's weight", label="Penalty λ")
CHOICES = {"l1": [RATE], "l2": [RATE]}
NAMES = tuple(CHOICES)
LABELS = {"l1": "L1: λ Σ|w| (drives weights to 0)", "l2": "L2: (λ/2) Σw² (shrinks weights)"}


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

    def stop_at_zero(self, before, after):
        """L1 only: (after with every weight that crossed 0 set to 0, the indices stopped).
        A weight crossed when it had one sign before the step and the other after it."""
        if self.kind != "l1":
            return after, []
        stopped = [k for k, (w, new) in enumerate(zip(before, after)) if w * new < 0.0]
        if not stopped:
            return after, []
        after = list(after)
        for k in stopped:
            after[k] = 0.0
        return after, stopped


def read(value, field="regularization"):
    """A Regularizer from {"kind": "l1"|"l2", "rate": lambda}, or None for null."""
    if value is None:
        return None
    return Regularizer(read_choice(value, field, "kind", CHOICES))
