"""Optimisers side by side: several runs from the same starting weights on the same data, and
the loss over a grid of two parameters (for a contour plot with each run's path drawn on it).

Both are pure functions of plain data: a network config (its seed, or explicit weights, gives
the common start), the examples, and the runs. Every run is full batch, so a step's objective
is the mean loss over all examples plus the run's penalty (see training.py).
"""

import math

from . import config as config_module
from . import optimizers, regularization, schedules
from .explain import given_labels, plain_labels
from .network import Network
from .training import Trainer
from .updates import ParameterLayout

RUN_KEYS = ("label", "optimizer", "learning_rate", "regularization", "schedule")
MAX_RUNS = 8
MAX_STEPS = 100_000
MAX_RESOLUTION = 201


def _start(config, inputs, targets):
    """The checked network (its weights are every run's start) and the examples as lists."""
    network = Network(config, "plain")
    layers = network.layers
    if not isinstance(inputs, list) or not inputs or not isinstance(targets, list):
        raise ValueError("inputs: expected a non-empty list of examples")
    if len(targets) != len(inputs):
        raise ValueError(f"targets: expected {len(inputs)} (one per input), got {len(targets)}")
    inputs = [config_module.number_list(x, layers[0], f"inputs[{k}]") for k, x in enumerate(inputs)]
    targets = [config_module.number_list(y, layers[-1], f"targets[{k}]") for k, y in enumerate(targets)]
    return network, inputs, targets


def _read_run(run, field):
    if not isinstance(run, dict):
        raise ValueError(f"{field}: expected an object with an optimizer")
    unknown = sorted(set(run) - set(RUN_KEYS))
    if unknown:
        raise ValueError(f"{field}.{unknown[0]}: unknown key; known: {', '.join(RUN_KEYS)}")
    optimizer = optimizers.read(run.get("optimizer"), f"{field}.optimizer")
    rate = config_module.finite_number(
        run.get("learning_rate", optimizers.DEFAULT_LEARNING_RATES[optimizer.name]), f"{field}.learning_rate"
    )
    if rate <= 0:
        raise ValueError(f"{field}.learning_rate: must be above 0, got {rate!r}")
    return {
        "label": str(run.get("label", optimizer.name)),
        "optimizer": optimizer,
        "learning_rate": rate,
        "regularizer": regularization.read(run.get("regularization"), f"{field}.regularization"),
        "schedule": schedules.read(run.get("schedule"), f"{field}.schedule"),
    }


def _value(weights, biases, where):
    kind, l, j, i = where
    return weights[l][j][i] if kind == "weight" else biases[l][j]


def run_optimizers(config, inputs, targets, runs, steps, track=None):
    """Train each run for `steps` full-batch steps from the config's starting weights.

    runs: [{label, optimizer, learning_rate, regularization, schedule}] (optimizer as in a
    config file; learning_rate defaults to the optimiser's default). track: optionally two
    parameters (["weight", l, j, i] / ["bias", l, j]) whose values make each run's path.
    Returns [{label, optimizer, learning_rate, regularization, schedule, status, losses,
    path, weights, biases}]: `losses` holds the objective at the start and after each step
    (steps + 1 values, fewer if the run diverged), `path` the tracked values at the same
    moments (null without track).
    """
    network, inputs, targets = _start(config, inputs, targets)
    steps = config_module.integer(steps, "steps", 0, MAX_STEPS)
    if not isinstance(runs, list) or not 1 <= len(runs) <= MAX_RUNS:
        raise ValueError(f"runs: expected a list of 1 to {MAX_RUNS} runs")
    runs = [_read_run(run, f"runs[{k}]") for k, run in enumerate(runs)]
    layout = ParameterLayout(network.layers, network.config["bias"])
    tracked = None if track is None else _two_parameters(layout, track, "track")
    start = network.parameters()
    results = []
    for run in runs:
        runner = Network(network.config, "plain")
        runner.set_parameters(*start)
        trainer = Trainer(
            runner,
            inputs,
            targets,
            run["learning_rate"],
            batch_size=len(inputs),
            optimizer=run["optimizer"],
            regularizer=run["regularizer"],
            schedule=run["schedule"],
        )
        losses, path = [], []

        def record_position(runner=runner, path=path):
            if tracked is not None:
                weights, biases = runner.parameters()
                path.append([_value(weights, biases, where) for where in tracked])

        record_position()
        for _ in range(steps):
            objective = trainer.step()  # at the weights before the step
            if trainer.status != "ok":
                break
            losses.append(objective)
            record_position()
        losses.append(_objective(runner, trainer.inputs, trainer.targets, run["regularizer"], layout))
        weights, biases = runner.parameters()
        results.append(
            {
                "label": run["label"],
                "optimizer": run["optimizer"].settings,
                "learning_rate": run["learning_rate"],
                "regularization": None if run["regularizer"] is None else run["regularizer"].settings,
                "schedule": run["schedule"].settings,
                "status": trainer.status,
                "losses": losses,
                "path": path if tracked is not None else None,
                "weights": weights,
                "biases": biases,
            }
        )
    return results


def _objective(network, xs, ys, regularizer, layout):
    """Mean loss over examples (backend vectors) plus the penalty, at the current weights."""
    loss = math.fsum(network.example_loss(x, y) for x, y in zip(xs, ys)) / len(xs)
    if regularizer is None:
        return loss
    return loss + regularizer.penalty(layout.weight_tensors(layout.flatten(*network.parameters())))


def _two_parameters(layout, parameters, field):
    if not isinstance(parameters, list) or len(parameters) != 2:
        raise ValueError(f"{field}: expected two parameters")
    checked = [layout.check_parameter(p, f"{field}[{k}]") for k, p in enumerate(parameters)]
    if checked[0] == checked[1]:
        raise ValueError(f"{field}[1]: must differ from {field}[0]")
    return checked


def loss_surface(
    config,
    inputs,
    targets,
    parameters,
    ranges,
    resolution=41,
    weights=None,
    biases=None,
    regularization_settings=None,
):
    """The objective on a resolution x resolution grid of two parameters, every other
    parameter held at the config's starting values (or the given weights and biases).

    ranges: [[x_low, x_high], [y_low, y_high]] for parameters[0] and parameters[1].
    Returns {parameters, x: [...], y: [...], loss: [[...]]} with loss[r][c] at (x[c], y[r]),
    and min/max of the grid's values (non-finite values are null).
    """
    network, inputs, targets = _start(config, inputs, targets)
    layout = ParameterLayout(network.layers, network.config["bias"])
    where = _two_parameters(layout, parameters, "parameters")
    resolution = config_module.integer(resolution, "resolution", 2, MAX_RESOLUTION)
    if not isinstance(ranges, list) or len(ranges) != 2:
        raise ValueError("ranges: expected [[x_low, x_high], [y_low, y_high]]")
    axes = []
    for k, pair in enumerate(ranges):
        low, high = config_module.number_list(pair, 2, f"ranges[{k}]")
        if not low < high:
            raise ValueError(f"ranges[{k}]: the low end must be below the high end")
        axes.append([low + (high - low) * c / (resolution - 1) for c in range(resolution)])
    if weights is not None or biases is not None:
        network.set_parameters(weights, biases)
    regularizer = regularization.read(regularization_settings)
    xs = [network.ops.vector(x) for x in inputs]
    ys = [network.ops.vector(y) for y in targets]

    def setter(kind, l, j, i):
        container = network.weights[l][j] if kind == "weight" else network.biases[l]
        index = i if kind == "weight" else j
        return lambda value: container.__setitem__(index, value)

    set_x, set_y = setter(*where[0]), setter(*where[1])
    grid = []
    with network.ops.quiet():
        for y_value in axes[1]:
            set_y(y_value)
            row = []
            for x_value in axes[0]:
                set_x(x_value)
                loss = _objective(network, xs, ys, regularizer, layout)
                row.append(loss if math.isfinite(loss) else None)
            grid.append(row)
    finite = [v for row in grid for v in row if v is not None]
    return {
        "parameters": [list(parameters[0]), list(parameters[1])],
        "x": axes[0],
        "y": axes[1],
        "loss": grid,
        "min": min(finite, default=None),
        "max": max(finite, default=None),
    }


def describe_example(example):
    """The example's words and layout for a page: title, text, axis labels, parameters, and
    the runs a learner may choose ({label, optimizer name, learning rate, chosen})."""
    shown = {key: example[key] for key in ("title", "text", "axis_labels", "parameters", "ranges")}
    chosen = [run["label"] for run in example["runs"]]
    shown["choices"] = [
        {
            "label": run["label"],
            "optimizer": run["optimizer"]["name"],
            "learning_rate": run["learning_rate"],
            "learning_rate_label": given_labels(run["learning_rate"]),  # a setting: as given
            "chosen": run["label"] in chosen,
        }
        for run in example["choices"]
    ]
    return shown


def labels(runs, surface):
    """What a page prints for the runs' and the surface's numbers (explain.plain_labels): per
    run the objective after its last step and where its path ends; the surface's lowest and
    highest objective."""
    return {
        "runs": [
            {
                "loss": plain_labels(run["losses"][-1]),
                "path_end": plain_labels(run["path"][-1] if run["path"] else None),
            }
            for run in runs
        ],
        "surface": {"min": plain_labels(surface["min"]), "max": plain_labels(surface["max"])},
    }


def chosen_runs(example, labels):
    """The example's runs for the choices named by label (None: its own two), in the
    choices' order; at least two, each once."""
    if labels is None:
        return example["runs"]
    known = [run["label"] for run in example["choices"]]
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise ValueError("runs: expected a list of the choices' labels")
    for label in labels:
        if label not in known:
            raise ValueError(f"runs: unknown run {label!r}; choose from {', '.join(known)}")
    if len(set(labels)) < 2:
        raise ValueError("runs: choose at least two optimisers to compare")
    return [run for run in example["choices"] if run["label"] in labels]


def ill_conditioned_example():
    """A long, narrow valley where momentum beats plain SGD at the same learning rate.

    One linear neuron y = w1 x1 + w2 x2 (no bias) and two examples, x = (1, 0) with y = 1 and
    x = (0, 0.1) with y = 0.1. The loss, the mean of 1/2 (y_hat - y)^2, is a quadratic bowl
    with its minimum 0 at w = (1, 1) and curvatures 0.5 along w1 and 0.005 along w2: condition
    number 100. With eta = 1, SGD shrinks the error along w2 by 1 - 0.005 per step; momentum
    with mu = 0.9 shrinks every direction by sqrt(0.9) ~ 0.95 per step (heavy ball).
    """
    return {
        "config": {
            "layers": [2, 1],
            "activations": ["linear"],
            "loss": "mse",
            "bias": False,
            "init": "explicit",
            "weights": [[[-1.0, -2.0]]],
            "biases": None,
        },
        "inputs": [[1.0, 0.0], [0.0, 0.1]],
        "targets": [[1.0], [0.1]],
        "parameters": [["weight", 0, 0, 0], ["weight", 0, 0, 1]],
        "ranges": [[-1.5, 2.5], [-2.5, 3.5]],
        "runs": [
            {"label": "SGD", "optimizer": {"name": "sgd"}, "learning_rate": 1.0},
            {
                "label": "momentum 0.9",
                "optimizer": {"name": "momentum", "momentum": 0.9},
                "learning_rate": 1.0,
            },
        ],
        # What the learner may run instead (two or more of them), each optimiser with the
        # literature's hyper-parameters and a learning rate that suits this valley: the
        # momentum rules take SGD's, the adaptive ones (steps of about eta) a tenth or less.
        "choices": [
            {"label": "SGD", "optimizer": {"name": "sgd"}, "learning_rate": 1.0},
            {
                "label": "momentum 0.9",
                "optimizer": {"name": "momentum", "momentum": 0.9},
                "learning_rate": 1.0,
            },
            {
                "label": "Nesterov 0.9",
                "optimizer": {"name": "nesterov", "momentum": 0.9},
                "learning_rate": 1.0,
            },
            {"label": "RMSProp", "optimizer": {"name": "rmsprop"}, "learning_rate": 0.03},
            {"label": "Adam", "optimizer": {"name": "adam"}, "learning_rate": 0.1},
            {"label": "AdamW", "optimizer": {"name": "adamw"}, "learning_rate": 0.1},
        ],
        "steps": 100,
        # the page's words for it (docs/architecture.md, "Optimisers side by side")
        "title": "A long, narrow valley: one linear neuron, two examples",
        "text": "The loss is a bowl 100 times steeper along w₁ than along w₂ (condition number "
        "100), with its lowest point 0 at w = (1, 1). Every run starts at w = (−1, −2); "
        "SGD and momentum with learning rate η = 1. Plain SGD's steps are set by the "
        "steep direction, so along the shallow one it only creeps (its error there "
        "shrinks by 0.5% a step); momentum keeps the share μ = 0.9 of its last step, "
        "builds speed along the valley floor and reaches the bottom. Tick others to "
        "run them from the same start.",
        "axis_labels": ["w₁ (weight from input 1)", "w₂ (weight from input 2)"],
    }
