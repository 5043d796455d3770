"""One parameter update: the schedule's rate, the regulariser's gradient, the optimiser's rule.

The network's parameters are handled here as a flat list of tensors (`ParameterLayout`): each
weight matrix with its rows joined, then each bias vector. The optimiser's state has the same
layout; traces and saved progress give it the network's shapes ({"weights", "biases"}).
"""

from . import config as config_module
from . import optimizers, regularization, schedules
from .hyperparameters import describe


def settings_table():
    """Every optimiser's, penalty's and schedule's settings with defaults and bounds, and the
    optimisers' default learning rates, as plain data (for a settings panel)."""
    return {
        "optimizer": describe(optimizers.CHOICES),
        "default_learning_rates": dict(optimizers.DEFAULT_LEARNING_RATES),
        "regularization": describe(regularization.CHOICES),
        "schedule": describe(schedules.CHOICES),
    }


class ParameterLayout:
    def __init__(self, layers, bias):
        self.layers = list(layers)
        self.bias = bias
        pairs = list(zip(self.layers[:-1], self.layers[1:]))
        self.weight_sizes = [fan_in * fan_out for fan_in, fan_out in pairs]
        self.bias_sizes = list(self.layers[1:]) if bias else []
        self.sizes = self.weight_sizes + self.bias_sizes
        self.decays = [True] * len(self.weight_sizes) + [False] * len(self.bias_sizes)
        self.depth = len(pairs)

    def flatten(self, weights, biases):
        """Nested lists (weights[l][j][i], biases[l][j] or None) -> flat tensors."""
        tensors = [[w for row in matrix for w in row] for matrix in weights]
        if self.bias:
            tensors += [list(vector) for vector in biases]
        return tensors

    def unflatten(self, tensors):
        """Flat tensors -> {"weights": [l][j][i], "biases": [l][j] or None}."""
        biases = [list(t) for t in tensors[self.depth :]] if self.bias else None
        return {"weights": self.shaped_weights(tensors[: self.depth]), "biases": biases}

    def shaped_weights(self, weight_tensors):
        """Flat weight tensors -> weights[l][j][i]."""
        shaped = []
        for l, tensor in enumerate(weight_tensors):
            width = self.layers[l]
            shaped.append([tensor[r : r + width] for r in range(0, len(tensor), width)])
        return shaped

    def flatten_arrays(self, ops, weights, biases):
        """Flat tensors from the backend's matrices and vectors (biases None without)."""
        tensors = [ops.flat(m) for m in weights]
        if self.bias:
            tensors += [ops.flat(b) for b in biases]
        return tensors

    def arrays(self, ops, tensors):
        """(weights, biases) as the backend's matrices and vectors, from flat tensors."""
        weights = [ops.matrix_from_flat(t, self.layers[l]) for l, t in enumerate(tensors[: self.depth])]
        biases = [ops.vector(t) for t in tensors[self.depth :]] if self.bias else None
        return weights, biases

    def weight_tensors(self, tensors):
        return tensors[: self.depth]

    def check_parameter(self, parameter, field="parameter"):
        """(kind, l, j, i) from ["weight", l, j, i] or ["bias", l, j] in code indices (i is
        None for a bias); ValueError names the bad field."""
        usage = f'{field}: expected ["weight", l, j, i] or ["bias", l, j]'
        if not isinstance(parameter, (list, tuple)) or not parameter:
            raise ValueError(usage)
        kind, *index = parameter
        if (kind, len(index)) not in (("weight", 3), ("bias", 2)):
            raise ValueError(usage)
        if kind == "bias" and not self.bias:
            raise ValueError(f"{field}: this network has no biases")
        layers = self.layers
        # l below the number of weight layers, j below the size of layer l+1, i of layer l
        limits = [self.depth]
        for position, value in enumerate(index):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{field}[{position + 1}]: expected a whole number >= 0")
            if position == 0 and value < self.depth:
                limits += [layers[value + 1], layers[value]]
            if value >= limits[position]:
                raise ValueError(f"{field}[{position + 1}]: must be below {limits[position]}")
        return kind, index[0], index[1], index[2] if kind == "weight" else None


class Proposal:
    """An update worked out but not yet applied (the trainer may refuse it as diverged)."""

    def __init__(self, rate, params, state, shown, penalty_grads, crossing=None, stopped=None):
        self.rate = rate  # this step's learning rate
        self.params = params  # new flat tensors
        self.state = state  # optimiser state after the update
        self.shown = shown  # bias-corrected moments, decayed weights
        self.penalty_grads = penalty_grads  # dP/dw per weight tensor, or None
        self.crossing = crossing  # L1: the weight tensors before stopping at 0
        self.stopped = stopped or []  # L1: (tensor, index) of each weight stopped at 0


class Updater:
    def __init__(self, layout, optimizer=None, regularizer=None, schedule=None):
        self.layout = layout
        self.optimizer = optimizer or optimizers.Optimizer({"name": "sgd"})
        self.regularizer = regularizer
        self.schedule = schedule or schedules.CONSTANT
        self.reset()

    @property
    def plain_sgd(self):
        """Plain SGD without a penalty: the trainer's fast one-example path may be used."""
        return self.optimizer.name == "sgd" and self.regularizer is None

    def reset(self):
        """Optimiser state back to zero (step count included)."""
        self.state = self.optimizer.initial_state(self.layout.sizes)

    def rate(self, base, iteration):
        return self.schedule.rate(base, iteration)

    def penalty(self, params):
        """The regulariser's P at flat parameters params (0 without one)."""
        if self.regularizer is None:
            return 0.0
        return self.regularizer.penalty(self.layout.weight_tensors(params))

    def propose(self, params, grads, rate):
        """The update from flat params and mean loss gradients, at learning rate `rate`."""
        penalty_grads = None
        if self.regularizer is not None:
            penalty_grads = [self.regularizer.gradient(t) for t in self.layout.weight_tensors(params)]
            grads = [[a + b for a, b in zip(g, p)] for g, p in zip(grads, penalty_grads)] + grads[
                self.layout.depth :
            ]
        new, state, shown = self.optimizer.update(params, grads, self.state, rate, self.layout.decays)
        crossing, stopped = None, []
        if self.regularizer is not None:
            crossing = self.layout.weight_tensors(new)
            for k, (before, after) in enumerate(zip(params, crossing)):
                after, indices = self.regularizer.stop_at_zero(before, after)
                new[k] = after
                stopped += [(k, index) for index in indices]
        return Proposal(rate, new, state, shown, penalty_grads, crossing, stopped)

    def accept(self, proposal):
        """Make the proposal's state current (None: the trainer's fast plain-SGD step, which
        has no state and is only counted)."""
        if proposal is None:
            self.state = {**self.state, "step": self.state["step"] + 1}
        else:
            self.state = proposal.state

    # -- traces and saved progress ------------------------------------------------------------

    def _shaped(self, named_tensors):
        return {name: self.layout.unflatten(tensors) for name, tensors in named_tensors.items()}

    def trace_part(self, proposal, base_rate, iteration, penalty):
        """Trace keys of an update (docs/architecture.md), from the state before it and the
        proposal (refused or not; None for the trainer's fast plain-SGD path)."""
        optimizer, regularizer = self.optimizer, self.regularizer
        before = {name: self.state[name] for name in optimizer.state_names}
        part = {
            "optimizer": {**optimizer.settings, "step": self.state["step"] + 1},
            "schedule": dict(self.schedule.settings),
            "step_learning_rate": self.rate(base_rate, iteration),
            "regularization": None,
            "optimizer_state": {"before": self._shaped(before)},
        }
        if regularizer is not None:
            layers = self.layout.layers
            part["regularization"] = {
                **regularizer.settings,
                "penalty": penalty,
                "grad_weights": self.layout.shaped_weights(proposal.penalty_grads),
                # L1: the weights the rule gave, before any was stopped at 0, and which were
                "weights_crossing": self.layout.shaped_weights(proposal.crossing),
                "stopped_at_zero": [
                    [k, index // layers[k], index % layers[k]] for k, index in proposal.stopped
                ],
            }
        after = {}
        if proposal is not None:
            after = {name: proposal.state[name] for name in optimizer.state_names}
            after.update(proposal.shown)
        part["optimizer_state"]["after"] = self._shaped(after)
        return part

    def saved_state(self):
        """The optimiser state as JSON-able data in the network's shapes."""
        names = self.optimizer.state_names
        return {
            "name": self.optimizer.name,
            "step": self.state["step"],
            **self._shaped({name: self.state[name] for name in names}),
        }

    def restore_state(self, saved, field):
        """Undo of saved_state (None: zero state); ValueError names the bad field."""
        if saved is None:
            self.reset()
            return
        if not isinstance(saved, dict) or saved.get("name") != self.optimizer.name:
            raise ValueError(f"{field}.name: expected the state of {self.optimizer.name}")
        layers = self.layout.layers
        state = {"step": config_module.integer(saved.get("step"), f"{field}.step", 0, 2**62)}
        for name in self.optimizer.state_names:
            shaped = saved.get(name)
            if not isinstance(shaped, dict):
                raise ValueError(f"{field}.{name}: expected {{weights, biases}}")
            weights = config_module.check_weights(shaped.get("weights"), layers, f"{field}.{name}.weights")
            biases = (
                config_module.check_biases(shaped.get("biases"), layers, f"{field}.{name}.biases")
                if self.layout.bias
                else None
            )
            state[name] = self.layout.flatten(weights, biases)
        self.state = state
