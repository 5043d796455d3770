"""Learning-rate schedules as torch.optim.lr_scheduler defines them, one scheduler call per step.

The rate of update number k (k = 0 for the first; PyTorch: k calls of scheduler.step() after as
many optimizer.step() calls), from the base rate eta_0:

  constant     eta_0
  step         eta_0 gamma^floor(k / step_size)                          (StepLR)
  exponential  eta_0 gamma^k                                             (ExponentialLR)
  cosine       eta_min + (eta_0 - eta_min) (1 + cos(pi k / t_max)) / 2  (CosineAnnealingLR)

Closed forms: PyTorch updates the rate recursively, which agrees to rounding (about 1e-16
relative per step). As in PyTorch, the cosine keeps going past t_max (it rises again towards
eta_0 by 2 t_max); it does not restart or stop.
"""

import math

from .hyperparameters import MAX_LEARNING_RATE, Setting, read_choice

# A decay factor is at most 1 and the lowest rate at most the largest learning rate, so every
# step's rate is a finite number no larger than a learning rate may be.
CHOICES = {
    "constant": [],
    "step": [
        Setting(
            "step_size", None, 1, whole=True, meaning="steps between decays", label="Steps between decays"
        ),
        Setting(
            "gamma", 0.1, 0.0, 1.0, low_open=True, meaning="gamma: factor per decay", label="Decay factor γ"
        ),
    ],
    "exponential": [
        Setting(
            "gamma", None, 0.0, 1.0, low_open=True, meaning="gamma: factor per step", label="Decay factor γ"
        )
    ],
    "cosine": [
        Setting(
            "t_max",
            None,
            1,
            whole=True,
            meaning="steps from eta_0 down to eta_min",
            label="Steps T_max down to the lowest rate",
        ),
        Setting(
            "eta_min",
            0.0,
            0.0,
            MAX_LEARNING_RATE,
            meaning="eta_min: the lowest rate",
            label="Lowest rate η_min",
        ),
    ],
}
NAMES = tuple(CHOICES)
LABELS = {
    "constant": "Constant",
    "step": "Step decay",
    "exponential": "Exponential decay",
    "cosine": "Cosine annealing",
}


class Schedule:
    def __init__(self, settings):
        self.settings = dict(settings)
        self.name = self.settings["name"]

    def rate(self, base, k):
        """The learning rate of update number k (0-based) from base rate `base`."""
        h = self.settings
        if self.name == "step":
            return base * h["gamma"] ** (k // h["step_size"])
        if self.name == "exponential":
            return base * h["gamma"] ** k
        if self.name == "cosine":
            eta_min = h["eta_min"]
            return eta_min + (base - eta_min) * (1.0 + math.cos(math.pi * k / h["t_max"])) / 2.0
        return base


CONSTANT = Schedule({"name": "constant"})


def read(value, field="schedule"):
    """A Schedule from {"name": ..., settings...}; null means constant."""
    if value is None:
        return CONSTANT
    return Schedule(read_choice(value, field, "name", CHOICES))
