"""Optimisers, each exactly as torch.optim documents it, on flat lists of floats.

With g the gradient this step uses (the loss's, plus a regulariser's), eta this step's learning
rate and t the number of this update (1 for the first):

  sgd       w <- w - eta g
  momentum  v <- mu v + g;  w <- w - eta v                          (torch.optim.SGD, momentum)
  nesterov  v <- mu v + g;  w <- w - eta (g + mu v)                 (SGD, nesterov=True)
  rmsprop   s <- alpha s + (1 - alpha) g^2;  w <- w - eta g / (sqrt(s) + eps)
  adam      m <- beta1 m + (1 - beta1) g;  v <- beta2 v + (1 - beta2) g^2;
            m^ = m / (1 - beta1^t);  v^ = v / (1 - beta2^t);  w <- w - eta m^ / (sqrt(v^) + eps)
  adamw     w <- w - eta lambda w (decoupled weight decay, weights only), then adam

State starts at zero, so the first momentum step has v = g as in PyTorch. PyTorch's momentum
differs from the older v <- mu v - eta g; w <- w + v only in where eta sits: for a constant rate
the two give the same weights (their v differ by the factor -eta); under a schedule PyTorch's
applies the new rate to the whole velocity. AdamW's decay applies to weights and not to biases,
as the L1/L2 penalties do (in PyTorch: a parameter group for the biases with weight_decay 0).

Nothing is changed in place: an update returns new parameters and new state, so an update the
trainer refuses (diverged) leaves both as they were.
"""

import math

from .hyperparameters import Setting, read_choice

MOMENTUM = Setting(
    "momentum",
    0.9,
    0.0,
    1.0,
    low_open=True,
    high_open=True,
    meaning="mu: the share of the last velocity kept",
    label="Momentum μ",
)
EPS = Setting(
    "eps",
    1e-8,
    0.0,
    low_open=True,
    meaning="epsilon: keeps the division finite",
    label="ε (keeps the division finite)",
)
BETA1 = Setting(
    "beta1",
    0.9,
    0.0,
    1.0,
    high_open=True,
    meaning="beta1: decay of the first moment (the mean of g)",
    label="β₁ (decay of the mean of g)",
)
BETA2 = Setting(
    "beta2",
    0.999,
    0.0,
    1.0,
    high_open=True,
    meaning="beta2: decay of the second moment (the mean of g^2)",
    label="β₂ (decay of the mean of g²)",
)

CHOICES = {
    "sgd": [],
    "momentum": [MOMENTUM],
    "nesterov": [MOMENTUM],
    "rmsprop": [
        Setting(
            "alpha",
            0.99,
            0.0,
            1.0,
            high_open=True,
            meaning="alpha: decay of the mean of g^2",
            label="α (decay of the mean of g²)",
        ),
        EPS,
    ],
    "adam": [BETA1, BETA2, EPS],
    "adamw": [
        BETA1,
        BETA2,
        EPS,
        Setting(
            "weight_decay",
            0.01,
            0.0,
            meaning="lambda: decoupled weight decay, w <- w - eta lambda w",
            label="Weight decay λ (AdamW)",
        ),
    ],
}
NAMES = tuple(CHOICES)
LABELS = {
    "sgd": "SGD",
    "momentum": "Momentum",
    "nesterov": "Nesterov momentum",
    "rmsprop": "RMSProp",
    "adam": "Adam",
    "adamw": "AdamW",
}

# When a config gives no learning_rate. sgd keeps Glassbox's usual 0.5; momentum 0.05, so that
# its steady step eta / (1 - mu) is that same 0.5; rmsprop, adam and adamw take PyTorch's.
DEFAULT_LEARNING_RATES = {
    "sgd": 0.5,
    "momentum": 0.05,
    "nesterov": 0.05,
    "rmsprop": 0.01,
    "adam": 0.001,
    "adamw": 0.001,
}

# What each optimiser keeps between steps, and what it computes on the way and shows.
STATE = {
    "sgd": (),
    "momentum": ("velocity",),
    "nesterov": ("velocity",),
    "rmsprop": ("square_average",),
    "adam": ("first_moment", "second_moment"),
    "adamw": ("first_moment", "second_moment"),
}
SHOWN = {
    "adam": ("first_moment_hat", "second_moment_hat"),
    "adamw": ("decayed", "first_moment_hat", "second_moment_hat"),
}


def _sgd(w, g, state, rate, h, t, decays):
    return [p - rate * q for p, q in zip(w, g)], {}, {}


def _velocity(g, state, h):
    mu = h["momentum"]
    return [mu * b + q for b, q in zip(state["velocity"], g)]


def _momentum(w, g, state, rate, h, t, decays):
    v = _velocity(g, state, h)
    return [p - rate * b for p, b in zip(w, v)], {"velocity": v}, {}


def _nesterov(w, g, state, rate, h, t, decays):
    v = _velocity(g, state, h)
    mu = h["momentum"]
    return [p - rate * (q + mu * b) for p, q, b in zip(w, g, v)], {"velocity": v}, {}


def _rmsprop(w, g, state, rate, h, t, decays):
    alpha, eps = h["alpha"], h["eps"]
    s = [alpha * a + (1.0 - alpha) * (q * q) for a, q in zip(state["square_average"], g)]
    new = [p - rate * q / (math.sqrt(a) + eps) for p, q, a in zip(w, g, s)]
    return new, {"square_average": s}, {}


def _adam(w, g, state, rate, h, t, decays):
    beta1, beta2, eps = h["beta1"], h["beta2"], h["eps"]
    m = [beta1 * a + (1.0 - beta1) * q for a, q in zip(state["first_moment"], g)]
    v = [beta2 * a + (1.0 - beta2) * (q * q) for a, q in zip(state["second_moment"], g)]
    correction1, correction2 = 1.0 - beta1**t, 1.0 - beta2**t
    m_hat = [a / correction1 for a in m]
    v_hat = [a / correction2 for a in v]
    new = [p - rate * a / (math.sqrt(b) + eps) for p, a, b in zip(w, m_hat, v_hat)]
    return (
        new,
        {"first_moment": m, "second_moment": v},
        {"first_moment_hat": m_hat, "second_moment_hat": v_hat},
    )


def _adamw(w, g, state, rate, h, t, decays):
    if decays:
        keep = 1.0 - rate * h["weight_decay"]
        w = [p * keep for p in w]
    new, state, shown = _adam(w, g, state, rate, h, t, decays)
    return new, state, {"decayed": w, **shown}


RULES = {
    "sgd": _sgd,
    "momentum": _momentum,
    "nesterov": _nesterov,
    "rmsprop": _rmsprop,
    "adam": _adam,
    "adamw": _adamw,
}


class Optimizer:
    """An optimiser with checked settings (`settings` holds "name" and its hyper-parameters)."""

    def __init__(self, settings):
        self.settings = dict(settings)
        self.name = self.settings["name"]
        self.state_names = STATE[self.name]
        self.shown_names = SHOWN.get(self.name, ())

    @property
    def momentum(self):
        """mu for the momentum optimisers, else 0 (the trace's `momentum` key)."""
        return self.settings.get("momentum", 0.0)

    def initial_state(self, sizes):
        """Zero state for tensors of these sizes; `step` counts the updates done."""
        return {"step": 0, **{name: [[0.0] * size for size in sizes] for name in self.state_names}}

    def update(self, params, grads, state, rate, decays):
        """(new params, new state, shown) for flat tensors params and grads; decays[k] says
        whether tensor k is a weight tensor (AdamW's decay applies to it). `shown` holds, per
        name in shown_names, one list per tensor."""
        step = state["step"] + 1
        rule = RULES[self.name]
        new_params = []
        new_state = {"step": step, **{name: [] for name in self.state_names}}
        shown = {name: [] for name in self.shown_names}
        for k, (w, g) in enumerate(zip(params, grads)):
            tensor_state = {name: state[name][k] for name in self.state_names}
            new, tensor_state, tensor_shown = rule(w, g, tensor_state, rate, self.settings, step, decays[k])
            new_params.append(new)
            for name in self.state_names:
                new_state[name].append(tensor_state[name])
            for name in self.shown_names:
                shown[name].append(tensor_shown[name])
        return new_params, new_state, shown


def read(value, field="optimizer"):
    """An Optimizer from {"name": ..., settings...}; ValueError names the bad field."""
    return Optimizer(read_choice(value, field, "name", CHOICES))


def from_momentum(momentum):
    """The optimiser the older `momentum` argument means: sgd for 0, else momentum mu."""
    if not momentum:
        return Optimizer({"name": "sgd"})
    return Optimizer({"name": "momentum", "momentum": MOMENTUM.check(momentum, "momentum")})
