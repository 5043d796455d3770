"""Mini-batch gradient descent for the playground, epoch by epoch, with a loss history.

The training points are taken in their (shuffled) order in batches of
min(batch_size, training points); the last batch of an epoch holds what is left. A batch's
gradient is the mean over its points; the update is the chosen optimiser's (nnsim.updates:
plain SGD w <- w - eta * gradient, momentum, Adam, ..., with an L1/L2 penalty and a learning-rate
schedule, as the Deep lab's). After every epoch the loss and accuracy over all training and all
test points are recorded.

Divergence as elsewhere in nnsim: an update that would make a parameter non-finite or larger
than nnsim.training.PARAMETER_LIMIT is refused, the parameters stay, and the status becomes
"diverged" until the learning rate changes or training starts again.
"""

import math
import time
from itertools import repeat
from operator import eq, ge

from ..history import BoundedSeries
from ..training import PARAMETER_LIMIT
from ..updates import ParameterLayout, Updater
from . import features, outputs


class Points:
    """Points of one role (training or test): coordinates, labels, feature columns, targets."""

    def __init__(self, x1, x2, labels, feature_names, task, output_activation):
        self.x1, self.x2, self.labels = list(x1), list(x2), list(labels)
        self.task = task
        self.inputs = features.columns(feature_names, self.x1, self.x2)
        self.targets = outputs.targets(task, output_activation, self.labels)

    def __len__(self):
        return len(self.labels)

    def part(self, start, stop):
        """(input columns, target columns) of points start..stop-1."""
        return ([c[start:stop] for c in self.inputs], [c[start:stop] for c in self.targets])


def within_limit(values):
    """All finite and at most PARAMETER_LIMIT in size (NaN fails the comparison)."""
    return all(map(ge, repeat(PARAMETER_LIMIT), map(abs, values)))


class History:
    """Per epoch: training and test loss, and for classification their accuracy."""

    KEYS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")

    def __init__(self, capacity=1000):
        self.series = {key: BoundedSeries(capacity) for key in self.KEYS}

    def add(self, epoch, values):
        for key in self.KEYS:
            if values[key] is not None:
                self.series[key].add(epoch, values[key])

    def to_lists(self):
        """{key: [[epoch, value], ...]} (old epochs merged in pairs once there are many)."""
        return {key: [list(p) for p in series.points] for key, series in self.series.items()}


class Trainer:
    def __init__(self, model, train, test, learning_rate, batch_size, training=(None, None, None)):
        """training: (optimizer, regularizer, schedule) as nnsim.settings.training_objects
        reads them (None: plain SGD, no penalty, a constant rate)."""
        self.model, self.train_points, self.test_points = model, train, test
        self.learning_rate = learning_rate
        self.use_training(*training)
        self.batch_size = batch_size
        self.epoch = 0  # completed epochs
        self.iteration = 0  # updates made
        self.next_batch = 0  # index of the next batch within the epoch
        self.status = "ok"
        self._measures = None  # evaluation() at the current weights, once computed
        self.history = History()
        self.history.add(0, self.evaluation())

    def use_training(self, optimizer, regularizer, schedule):
        """Another optimiser, penalty or schedule: weights, counters and history stay; the
        optimiser's state starts again from zero, a schedule goes on from the steps taken."""
        layout = ParameterLayout(self.model.config["layers"], True)
        self.updater = Updater(layout, optimizer, regularizer, schedule)
        self._measures = None

    # -- batches ------------------------------------------------------------------------------

    def use_points(self, train, test):
        """Carry on with other points (the learner edited their own): weights, counters and
        history stay; the epoch's batches start again from the first."""
        self.train_points, self.test_points = train, test
        self.batch_size = self.batch_size
        self._measures = None

    @property
    def batch_size(self):
        return self._batch_size

    @batch_size.setter
    def batch_size(self, size):
        """Batches of this size from now on (the epoch's batches start again from the first);
        a batch never holds more than the training set."""
        self._batch_size = size
        count = len(self.train_points)
        self.size = max(1, min(size, count))
        starts = range(0, count, self.size)
        self.batches = [self.train_points.part(start, start + self.size) for start in starts]
        self.next_batch = 0

    def batch_bounds(self, index):
        start = index * self.size
        return start, min(start + self.size, len(self.train_points))

    def batch_of(self, point):
        """Index of the batch that holds training point `point`."""
        return point // self.size

    # -- training -----------------------------------------------------------------------------

    def gradients(self, inputs, targets):
        """Mean (grad_weights, grad_biases) over the points given as columns."""
        model = self.model
        forward = model.forward(inputs)
        deltas, _, _ = model.backward(forward, targets)
        return model.mean_gradients(forward, deltas)

    def rate(self):
        """The learning rate of the next update (the schedule's, from the steps taken)."""
        return self.updater.rate(self.learning_rate, self.iteration)

    def propose(self, grad_weights, grad_biases):
        """(weights, biases, proposal) after one update from these mean loss gradients, not
        yet made (proposal None for plain SGD without a penalty, done here directly)."""
        updater, model, eta = self.updater, self.model, self.rate()
        if updater.plain_sgd:
            weights = [
                [[w - eta * g for w, g in zip(row, grads)] for row, grads in zip(m, gm)]
                for m, gm in zip(model.weights, grad_weights)
            ]
            biases = [[b - eta * g for b, g in zip(v, gv)] for v, gv in zip(model.biases, grad_biases)]
            return weights, biases, None
        layout = updater.layout
        proposal = updater.propose(
            layout.flatten(model.weights, model.biases), layout.flatten(grad_weights, grad_biases), eta
        )
        shaped = layout.unflatten(proposal.params)
        return shaped["weights"], shaped["biases"], proposal

    def step(self):
        """One batch: compute its mean gradient and update. Returns False when there is
        nothing to train on or the update was refused (status "diverged")."""
        if self.status == "diverged" or not self.batches:
            return False
        weights, biases, proposal = self.propose(*self.gradients(*self.batches[self.next_batch]))
        if not all(map(within_limit, [row for m in weights for row in m] + biases)):
            self.status = "diverged"
            return False
        self.model.weights, self.model.biases = weights, biases
        self.updater.accept(proposal)
        self._measures = None
        self.iteration += 1
        self.next_batch += 1
        if self.next_batch == len(self.batches):
            self.next_batch = 0
            self.epoch += 1
            self.history.add(self.epoch, self.evaluation())
        return True

    def train(self, max_epochs, budget_ms=None):
        """Batches until max_epochs more epochs are complete or the time budget is used (checked
        after every batch, so a big epoch does not hold up a Pause); returns the number of
        epochs completed."""
        deadline = None if budget_ms is None else time.perf_counter() + budget_ms / 1000.0
        start = self.epoch
        while self.epoch - start < max_epochs:
            if not self.step():
                break
            if deadline is not None and time.perf_counter() >= deadline:
                break
        return self.epoch - start

    def recover(self):
        self.status = "ok"

    def parameters_changed(self):
        """Someone set a weight or bias: measures are taken again, and training may go on."""
        self._measures = None
        self.recover()

    # -- measures -----------------------------------------------------------------------------

    def measure(self, points):
        """(mean loss, accuracy or None, forward pass) over the points, or (None, None, None)
        without points."""
        if not len(points):
            return None, None, None
        model = self.model
        forward = model.forward(points.inputs)
        loss = math.fsum(model.point_losses(forward, points.targets)) / len(points)
        accuracy = None
        if points.task.kind == "classification":
            classes = outputs.predicted_classes(model.output_activation, forward.acts[-1])
            accuracy = sum(map(eq, classes, points.labels)) / len(points)
        return loss, accuracy, forward

    def penalty(self):
        """The regulariser's term P at the current weights (None without one)."""
        updater = self.updater
        if updater.regularizer is None:
            return None
        return updater.penalty(updater.layout.flatten(self.model.weights, self.model.biases))

    def evaluation(self):
        """Loss and accuracy over the training and the test points at the current weights
        (kept until the weights change: the page asks for them after every chunk)."""
        if self._measures is None:
            train_loss, train_accuracy, _ = self.measure(self.train_points)
            test_loss, test_accuracy, _ = self.measure(self.test_points)
            self._measures = {
                "train_loss": train_loss,
                "test_loss": test_loss,
                "train_accuracy": train_accuracy,
                "test_accuracy": test_accuracy,
                "penalty": self.penalty(),
            }
        return dict(self._measures)
