"""Gradient descent on a dataset: per-example SGD, mini-batch or full batch, with any
optimiser, regulariser and learning-rate schedule (updates.py).

One iteration is one update. An epoch is one pass over the data. A batch's loss and
gradients are the means over its examples; with a regulariser the objective is that mean
plus the penalty. All deltas of an iteration come from the weights as they were before that
iteration's update.

Divergence: an update that would make any weight or bias non-finite, or larger in magnitude
than PARAMETER_LIMIT, is refused; the trainer keeps the last parameters and its status becomes
"diverged". A further step
tries the same update again and is refused again; `train` does nothing until `recover()`
(which a reset or a settings change calls).
"""

import math
import random
import time

from . import config as config_module
from . import losses, optimizers
from .history import BoundedSeries
from .trace import example_part, json_safe, settings_part
from .updates import ParameterLayout, Updater

# No lab's network needs a parameter this large. Without a limit a sigmoid network under a huge
# learning rate only saturates (its slopes vanish, so its weights never overflow) and would
# never show that the rate blew training up.
PARAMETER_LIMIT = 1e4
CONVERGED_ERROR = 0.1  # each output within this of its target ...
DECISION = 0.5  # ... and on the same side of 0.5 as the target
WEIGHT_NORM_EVERY = 25  # iterations between samples of mean |w| (each costs a pass over w)


def _within_limit(values):
    """Every value finite and at most PARAMETER_LIMIT in magnitude. (A finite sum proves every
    value finite: inf and NaN propagate through it; three C-level passes.)"""
    return not values or (
        math.isfinite(sum(values)) and max(values) <= PARAMETER_LIMIT and min(values) >= -PARAMETER_LIMIT
    )


def prediction(output):
    """The class an output vector names: the index of the largest output, or for one output
    1 when it is above 0.5, else 0."""
    if len(output) == 1:
        return 1 if output[0] > DECISION else 0
    return output.index(max(output))


def example_correct(output, target):
    """Classification: one output is read as (a > 0.5); several by their largest value."""
    if len(output) == 1:
        return (output[0] > DECISION) == (target[0] > DECISION)
    return output.index(max(output)) == target.index(max(target))


def example_converged(output, target):
    return all(
        (a > DECISION) == (y > DECISION) and abs(a - y) < CONVERGED_ERROR for a, y in zip(output, target)
    )


def example_near(output, target):
    """Cheap hint that convergence is close: every output within twice the threshold."""
    return all(abs(a - y) < 2 * CONVERGED_ERROR for a, y in zip(output, target))


def sgd_reference(parameters, gradients, eta):
    """The update rule, written once as the maths has it: w <- w - eta g, for nested lists of
    any depth. The trainer's fast paths (the fused one-example step, NumPy's whole-matrix one,
    the batch step) compute the same numbers another way; tests/sim/test_sgd_update.py holds
    them to this."""
    if isinstance(parameters, list):
        return [sgd_reference(p, g, eta) for p, g in zip(parameters, gradients)]
    return parameters - eta * gradients


class Trainer:
    def __init__(
        self,
        network,
        inputs,
        targets,
        learning_rate,
        momentum=0.0,
        batch_size=1,
        shuffle=False,
        seed=0,
        history_capacity=1000,
        optimizer=None,
        regularizer=None,
        schedule=None,
    ):
        """optimizer: an optimizers.Optimizer (default: sgd, or momentum mu when `momentum`
        is given); regularizer: a regularization.Regularizer or None; schedule: a
        schedules.Schedule (default constant)."""
        if not inputs or len(inputs) != len(targets):
            raise ValueError("data: need at least one example and one target per input")
        self.network = network
        ops = network.ops
        layers = network.layers
        self.input_lists = [
            config_module.number_list(x, layers[0], f"inputs[{k}]") for k, x in enumerate(inputs)
        ]
        self.target_lists = [
            config_module.number_list(y, layers[-1], f"targets[{k}]") for k, y in enumerate(targets)
        ]
        losses.check_targets(network.loss.name, network.activations[-1].name, self.target_lists)
        self.inputs = [ops.vector(x) for x in self.input_lists]
        self.targets = [ops.vector(y) for y in self.target_lists]
        self.learning_rate = learning_rate
        if optimizer is None:
            optimizer = optimizers.from_momentum(momentum)
        elif momentum:
            raise ValueError("momentum: give it as a setting of the optimizer")
        self.momentum = optimizer.momentum
        self.updater = Updater(
            ParameterLayout(layers, network.config["bias"]), optimizer, regularizer, schedule
        )
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.seed = seed
        self.history_capacity = history_capacity
        self.restart()

    @property
    def size(self):
        return len(self.inputs)

    @property
    def full_batch(self):
        return self.batch_size >= self.size

    def restart(self):
        """Counters, history and optimiser state back to zero (the weights are not touched)."""
        self.rng = random.Random(self.seed)
        self.iteration = 0
        self.epoch = 0
        self.position = 0
        self.order = self._new_order()
        self.updater.reset()
        self._weight_bounds = None  # (weights, bound on max |w| per layer): see _sgd_updated
        self.status = "ok"
        self.loss_history = BoundedSeries(self.history_capacity, spread=True)
        self.weight_norm_history = BoundedSeries(self.history_capacity)
        self.weight_norm_history.add(0, self.network.mean_abs_weight())
        self.converged_at = None
        self.converged_rate = None  # the learning rate when converged_at was reached
        self.recently_near = [False] * self.size
        self.unconverged_hint = 0  # where _check_converged starts looking
        self._check_converged()

    def recover(self):
        """Leave the diverged state (the kept weights are finite); counters stay."""
        self.status = "ok"
        self.updater.reset()

    def _new_order(self):
        order = list(range(self.size))
        if self.shuffle:
            self.rng.shuffle(order)
        return order

    def _next_batch(self):
        if self.full_batch:
            return list(range(self.size))
        return self.order[self.position : self.position + self.batch_size]

    def _advance(self, count):
        self.iteration += 1
        if self.full_batch:
            self.epoch += 1
            return
        self.position += count
        if self.position >= self.size:
            self.epoch += 1
            self.position = 0
            self.order = self._new_order()

    # -- one iteration ------------------------------------------------------------------------

    def step(self):
        """One update without building a trace; returns the objective (the batch's mean loss,
        plus the penalty with a regulariser)."""
        return self._iterate(want_trace=False)

    def trace_step(self):
        """One update, returned as a trace dict (kind "example" or "batch")."""
        return self._iterate(want_trace=True)

    def peek_step(self):
        """The trace the next trace_step() would return, without taking the step: weights,
        counters and history stay as they are (no copy of the trainer is made)."""
        with self.network.ops.quiet():
            return self._iterate_quietly(want_trace=True, commit=False)

    def _iterate(self, want_trace):
        with self.network.ops.quiet():
            return self._iterate_quietly(want_trace)

    def _iterate_quietly(self, want_trace, commit=True):
        network = self.network
        ops = network.ops
        indices = self._next_batch()
        iteration, epoch = self.iteration, self.epoch
        results = [network.backprop(self.inputs[k], self.targets[k]) for k in indices]
        loss = math.fsum(r.loss for r in results) / len(results)
        updater = self.updater
        rate = updater.rate(self.learning_rate, iteration)
        plain_sgd = len(results) == 1 and updater.plain_sgd
        if want_trace or not plain_sgd:  # plain SGD needs no gradient matrices to update
            grad_weights, grad_biases = self._mean_gradients(results)
        if want_trace:  # laid out now, while the network still holds the pre-update weights
            trace = self._trace_before_update(
                indices, results, loss, grad_weights, grad_biases, iteration, epoch
            )

        proposal, penalty = None, 0.0
        if plain_sgd:
            updated = self._sgd_updated(results[0], rate)
        else:
            params = updater.layout.flatten_arrays(ops, network.weights, network.biases)
            penalty = updater.penalty(params)
            updated, proposal = self._updated(params, grad_weights, grad_biases, rate)
        objective = loss + penalty
        if want_trace:  # before the optimiser's state moves on
            trace.update(updater.trace_part(proposal, self.learning_rate, iteration, penalty))
            trace["objective"] = objective
        finite = updated is not None
        if not commit:
            weights, biases = updated if finite else (network.weights, network.biases)
            trace.update(
                {
                    "weights_after": [ops.to_list(m) for m in weights],
                    "biases_after": None if biases is None else [ops.to_list(b) for b in biases],
                    "status": "ok" if finite else "diverged",
                }
            )
            return trace if finite else json_safe(trace)
        if finite:
            network.weights, network.biases = updated
            updater.accept(proposal)
            # An update was taken, so the trainer is not diverged (a status restored from an
            # imported file may say so; the trace must say what this step did).
            self.status = "ok"
            for k, result in zip(indices, results):
                self.recently_near[k] = example_near(ops.to_list(result.acts[-1]), self.target_lists[k])
            self._advance(len(indices))
            penalty_part = objective - loss  # the band moves with the mean it surrounds
            self._record(
                objective,
                min(r.loss for r in results) + penalty_part,
                max(r.loss for r in results) + penalty_part,
            )
        else:
            self.status = "diverged"
        if not want_trace:
            return objective
        weights_after, biases_after = network.parameters()
        trace.update({"weights_after": weights_after, "biases_after": biases_after, "status": self.status})
        return trace if finite else json_safe(trace)

    def _mean_gradients(self, results):
        network = self.network
        ops = network.ops
        grad_weights, grad_biases = network.gradients(results[0])
        if len(results) == 1:
            return grad_weights, grad_biases
        for result in results[1:]:
            more_weights, more_biases = network.gradients(result)
            grad_weights = [ops.add_scaled_matrix(g, m, 1.0) for g, m in zip(grad_weights, more_weights)]
            if grad_biases is not None:
                grad_biases = [ops.add(g, m) for g, m in zip(grad_biases, more_biases)]
        share = 1.0 / len(results)
        grad_weights = [ops.scale_matrix(g, share) for g in grad_weights]
        if grad_biases is not None:
            grad_biases = [ops.scale(g, share) for g in grad_biases]
        return grad_weights, grad_biases

    def _sgd_updated(self, result, eta):
        """(weights, biases) after one example's plain SGD step w <- w - eta delta a, or None
        if the step diverges. Changes nothing in place; the same numbers as _updated with
        that example's gradients, without building them."""
        network = self.network
        ops, limit = network.ops, PARAMETER_LIMIT
        # Bounds on each layer's largest |w| let most steps skip a pass over the new weights;
        # they hold only for the weight lists this trainer made itself.
        bounds = self._weight_bounds
        if bounds is None or bounds[0] is not network.weights:
            bounds = (network.weights, [None] * network.depth)
        new_weights, new_bounds = [], []
        for weights, delta, a, bound in zip(network.weights, result.deltas, result.acts, bounds[1]):
            updated = ops.sgd_update_matrix(weights, delta, a, eta, limit, bound)
            if updated is None:
                return None
            new_weights.append(updated[0])
            new_bounds.append(updated[1])
        new_biases = None
        if network.biases is not None:
            new_biases = []
            for biases, delta in zip(network.biases, result.deltas):
                new = ops.sgd_update_vector(biases, delta, eta, limit)
                if new is None:
                    return None
                new_biases.append(new)
        self._weight_bounds = (new_weights, new_bounds)  # used only if these become the weights
        return new_weights, new_biases

    def _updated(self, params, grad_weights, grad_biases, rate):
        """((weights, biases), proposal) for the optimiser's update from flat parameters and
        the mean gradients, or (None, proposal) if the update diverges. Changes nothing."""
        ops, layout = self.network.ops, self.updater.layout
        grads = layout.flatten_arrays(ops, grad_weights, grad_biases)
        proposal = self.updater.propose(params, grads, rate)
        if not all(_within_limit(tensor) for tensor in proposal.params):
            return None, proposal
        return layout.arrays(ops, proposal.params), proposal

    # -- bookkeeping --------------------------------------------------------------------------

    def _record(self, loss, low, high):
        """loss: the iteration's (batch mean) loss; low, high: its examples' extremes."""
        if self.iteration % WEIGHT_NORM_EVERY == 0:
            self.weight_norm_history.add(self.iteration, self.network.mean_abs_weight())
        self.loss_history.add(self.iteration, loss, low, high)
        # The full check costs a forward pass per example, so it runs only once every
        # example's latest training error is within twice the threshold. Errors move far
        # less than 0.1 per epoch near convergence, so the first converged iteration is
        # still the one found (test_training checks the iteration before it).
        if self.converged_at is None and all(self.recently_near):
            self._check_converged()

    def _check_converged(self):
        """Set converged_at if every training example is now converged (current weights)."""
        if self.converged_at is not None:
            return
        network, ops = self.network, self.network.ops
        # Stops at the first example that is not converged yet, starting from the one that
        # stopped the last check: it usually stops this one too, after one forward pass.
        start = self.unconverged_hint
        for k in [*range(start, self.size), *range(start)]:
            if not example_converged(
                ops.to_list(network.forward(self.inputs[k])[1][-1]), self.target_lists[k]
            ):
                self.unconverged_hint = k
                return
        self.converged_at = self.iteration
        self.converged_rate = self.learning_rate

    def outputs(self, inputs=None):
        """The network's output (a list) for each training input, or for given lists."""
        network = self.network
        ops = network.ops
        vectors = self.inputs if inputs is None else [ops.vector(x) for x in inputs]
        return [ops.to_list(network.forward(x)[1][-1]) for x in vectors]

    def accuracy(self, inputs=None, targets=None):
        targets = self.target_lists if targets is None else targets
        outputs = self.outputs(inputs)
        return sum(example_correct(o, t) for o, t in zip(outputs, targets)) / len(targets)

    def train(self, max_iterations, budget_ms=None):
        """Run up to max_iterations updates, stopping early at divergence or when budget_ms
        of wall time is used. Returns the number of updates done."""
        deadline = None if budget_ms is None else time.perf_counter() + budget_ms / 1000.0
        done = 0
        with self.network.ops.quiet():
            while done < max_iterations and self.status == "ok":
                self._iterate_quietly(want_trace=False)
                if self.status != "ok":
                    break
                done += 1
                if deadline is not None and time.perf_counter() >= deadline:
                    break
        return done

    # -- traces -------------------------------------------------------------------------------

    def _trace_before_update(self, indices, results, loss, grad_weights, grad_biases, iteration, epoch):
        network = self.network
        ops = network.ops
        trace = settings_part(network, self.learning_rate, self.momentum)
        trace.update({"iteration": iteration, "epoch": epoch})
        examples = [
            example_part(network, r, self.inputs[k], self.targets[k]) for k, r in zip(indices, results)
        ]
        if len(indices) == 1:
            trace.update({"kind": "example", "example_index": indices[0]})
            trace.update(examples[0])
        else:
            trace.update(
                {
                    "kind": "batch",
                    "example_indices": list(indices),
                    "loss": loss,
                    "grad_weights": [ops.to_list(g) for g in grad_weights],
                    "grad_biases": None if grad_biases is None else [ops.to_list(g) for g in grad_biases],
                    "examples": examples,
                }
            )
        weights_before, biases_before = network.parameters()
        trace.update({"weights_before": weights_before, "biases_before": biases_before})
        return trace

    # -- saving -------------------------------------------------------------------------------

    def progress(self):
        """Counters, order, random state, optimiser state and histories as JSON-able data."""
        version, internal, gauss = self.rng.getstate()
        return {
            "iteration": self.iteration,
            "epoch": self.epoch,
            "position": self.position,
            "order": list(self.order),
            "status": self.status,
            "random_state": [version, list(internal), gauss],
            "optimizer_state": self.updater.saved_state(),
            "converged_at": self.converged_at,
            "converged_rate": self.converged_rate,
            "recently_near": list(self.recently_near),
            "loss_history": self.loss_history.to_dict(),
            "weight_norm_history": self.weight_norm_history.to_dict(),
        }

    def restore_progress(self, saved):
        """Undo of progress(), checked field by field: ValueError names the bad field in
        plain words, and nothing changes unless every field is good."""
        if not isinstance(saved, dict):
            raise ValueError("progress: expected an object")
        integer = config_module.integer
        count = config_module.MAX_COUNT
        try:
            iteration = integer(saved["iteration"], "progress.iteration", 0, count)
            epoch = integer(saved["epoch"], "progress.epoch", 0, count)
            position = integer(saved["position"], "progress.position", 0, self.size - 1)
            order = saved["order"]
            if (
                not isinstance(order, list)
                or not all(type(k) is int for k in order)
                or sorted(order) != list(range(self.size))
            ):
                raise ValueError("progress.order: must be a permutation of the examples")
            if saved["status"] not in ("ok", "diverged"):
                raise ValueError("progress.status: must be ok or diverged")
            rng = _restored_random(saved["random_state"])
            converged_at = saved["converged_at"]
            if converged_at is not None:
                converged_at = integer(converged_at, "progress.converged_at", 0, iteration)
            # Saves older than the rate's record have none: the rate is then unknown.
            converged_rate = saved.get("converged_rate")
            if converged_at is None or converged_rate is None:
                converged_rate = None
            else:
                converged_rate = config_module.finite_number(converged_rate, "progress.converged_rate")
            recent = saved["recently_near"]
            if (
                not isinstance(recent, list)
                or len(recent) != self.size
                or not all(isinstance(v, bool) for v in recent)
            ):
                raise ValueError("progress.recently_near: expected one true or false per example")
            loss_history = BoundedSeries.from_dict(
                saved["loss_history"], "progress.loss_history", self.history_capacity, spread=True
            )
            weight_norms = BoundedSeries.from_dict(
                saved["weight_norm_history"], "progress.weight_norm_history", self.history_capacity
            )
            # Last, as it takes effect at once: nothing after it can fail. (Saves from before
            # optimisers had no state to keep: they start from zero state.)
            self.updater.restore_state(saved.get("optimizer_state"), "progress.optimizer_state")
        except KeyError as missing:
            raise ValueError(f"progress.{missing.args[0]}: missing") from None
        self.iteration, self.epoch, self.position = iteration, epoch, position
        self.order, self.status, self.rng = list(order), saved["status"], rng
        self.converged_at, self.converged_rate = converged_at, converged_rate
        self.recently_near = list(recent)
        self.loss_history, self.weight_norm_history = loss_history, weight_norms

    def continue_from(self, other):
        """Carry counters and histories over from another trainer (settings changed, weights
        kept). Convergence is judged afresh because the data or network may differ."""
        self.iteration, self.epoch = other.iteration, other.epoch
        self.loss_history, self.weight_norm_history = other.loss_history, other.weight_norm_history
        self.converged_at = self.converged_rate = None
        self._check_converged()


def _restored_random(saved):
    """A random.Random in the state progress() saved, or ValueError in plain words."""
    problem = ValueError("progress.random_state: not a saved random-number state")
    if not isinstance(saved, list) or len(saved) != 3:
        raise problem
    version, internal, gauss = saved
    if (
        not isinstance(internal, list)
        or not all(type(v) is int for v in internal)
        or not (gauss is None or config_module.is_number(gauss))
    ):
        raise problem
    rng = random.Random()
    try:
        rng.setstate((version, tuple(internal), gauss))
    except (TypeError, ValueError, OverflowError):
        raise problem from None
    return rng
