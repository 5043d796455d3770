"""Command line: python -m nnsim trace|train|gradcheck (run as PYTHONPATH=py python -m nnsim).

Bad arguments or configs print one line naming the problem and exit with status 2.
"""

import argparse
import json
import math
import sys

from . import config as config_module
from . import gradcheck, optimizers, presets, regularization, schedules
from .network import Network
from .session import MAX_TRAIN_ITERATIONS, Session
from .trace import json_safe
from .training import Trainer

USAGE_ERROR = 2
CONFIG_FILE_KEYS = (
    "layers",
    "activations",
    "loss",
    "bias",
    "init",
    "seed",
    "weights",
    "biases",
    "input",
    "target",
    "inputs",
    "targets",
    "learning_rate",
    "optimizer",
    "regularization",
    "schedule",
)


class UsageError(Exception):
    """A bad argument or config: reported in one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def build_parser():
    parser = Parser(
        prog="python -m nnsim", description="Glassbox simulator: trace one step, train, or check gradients."
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    def add_source(command):
        source = command.add_mutually_exclusive_group(required=True)
        source.add_argument("--preset", choices=presets.NAMES, help="a lab's network")
        source.add_argument(
            "--config",
            metavar="FILE",
            help="JSON file: layers, activations, loss, bias, init, seed, "
            "weights, biases, input and target (or inputs and targets), "
            "learning_rate, optimizer, regularization, schedule",
        )

    trace = commands.add_parser("trace", help="one training step, every number")
    add_source(trace)
    trace.add_argument("--format", choices=("json", "markdown", "latex"), default="json")

    train = commands.add_parser(
        "train",
        help="train a preset (--iterations) or a config "
        "file's network (--steps full-batch steps); "
        "print the result as JSON",
    )
    add_source(train)
    train.add_argument("--iterations", type=int, help="with --preset")
    train.add_argument("--seed", type=int, help="with --preset")
    train.add_argument("--learning-rate", type=float, help="with --preset")
    train.add_argument("--steps", type=int, help="with --config")
    train.add_argument("--format", choices=("json",), default="json")

    check = commands.add_parser("gradcheck", help="backprop against central differences")
    add_source(check)
    return parser


class ConfigFile:
    """What a config file describes: a network, its data and how to train it."""

    def __init__(self, network, inputs, targets, learning_rate, optimizer, regularizer, schedule):
        self.network, self.inputs, self.targets = network, inputs, targets
        self.learning_rate, self.optimizer = learning_rate, optimizer
        self.regularizer, self.schedule = regularizer, schedule

    def trainer(self):
        """A full-batch trainer: every step uses every example."""
        return Trainer(
            self.network,
            self.inputs,
            self.targets,
            self.learning_rate,
            batch_size=len(self.inputs),
            optimizer=self.optimizer,
            regularizer=self.regularizer,
            schedule=self.schedule,
        )


def read_config_file(path):
    """A ConfigFile from a JSON file (UsageError or ValueError naming the field)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        raise UsageError(f"config: cannot read {path}: {error.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"config: {path} is not valid JSON ({error.msg}, line {error.lineno})") from None
    if not isinstance(data, dict):
        raise UsageError(f"config: {path} must hold a JSON object")
    unknown = sorted(set(data) - set(CONFIG_FILE_KEYS))
    if unknown:
        raise UsageError(f"config: unknown key {unknown[0]!r} in {path}")
    batch = "inputs" in data or "targets" in data
    if batch and ("input" in data or "target" in data):
        raise UsageError(
            "inputs: give input and target (one example) or inputs and targets (a batch), not both"
        )
    for key in ("layers", *(("inputs", "targets") if batch else ("input", "target"))):
        if key not in data:
            raise UsageError(f"{key}: missing from {path}")
    network_config = {k: data[k] for k in config_module.KEYS if k in data}
    if data.get("weights") is not None:
        # Given weights mean an explicit init; biases given or not decide "bias".
        network_config.setdefault("init", "explicit")
        network_config.setdefault("bias", data.get("biases") is not None)
    optimizer = optimizers.read(data.get("optimizer", {"name": "sgd"}))
    regularizer = regularization.read(data.get("regularization"))
    schedule = schedules.read(data.get("schedule"))
    rate = data.get("learning_rate", optimizers.DEFAULT_LEARNING_RATES[optimizer.name])
    network = Network(network_config)
    layers = network.layers
    if batch:
        inputs = examples(data["inputs"], layers[0], "inputs")
        targets = examples(data["targets"], layers[-1], "targets")
        if len(targets) != len(inputs):
            raise UsageError(f"targets: expected {len(inputs)} (one per input), got {len(targets)}")
    else:
        inputs = [config_module.number_list(data["input"], layers[0], "input")]
        targets = [config_module.number_list(data["target"], layers[-1], "target")]
    return ConfigFile(
        network,
        inputs,
        targets,
        config_module.finite_number(rate, "learning_rate"),
        optimizer,
        regularizer,
        schedule,
    )


def examples(values, length, field):
    """A non-empty list of examples, each a list of `length` numbers."""
    if not isinstance(values, list) or not values:
        raise UsageError(
            f"{field}: expected a list of examples, each a list of {length} number{'s' * (length != 1)}"
        )
    return [config_module.number_list(v, length, f"{field}[{k}]") for k, v in enumerate(values)]


def run_trace(args):
    if args.preset:
        trace = Session(args.preset).step()
    else:
        trace = read_config_file(args.config).trainer().trace_step()
    if args.format == "json":
        return json.dumps(json_safe(trace))
    try:
        from .worked_example import document
    except ImportError:
        raise UsageError(f"format: {args.format} needs nnsim.explain, which is not installed") from None
    return document(trace, args.format)["text"]


def run_train(args):
    if args.config:
        return run_train_config(args)
    if args.steps is not None:
        raise UsageError("--steps: only with --config (a preset trains --iterations)")
    if args.iterations is None:
        raise UsageError("--iterations: required with --preset")
    settings = {}
    if args.seed is not None:
        settings["seed"] = args.seed
    if args.learning_rate is not None:
        settings["learning_rate"] = args.learning_rate
    session = Session(args.preset, settings)
    iterations = config_module.integer(args.iterations, "iterations", 0, MAX_TRAIN_ITERATIONS)
    session.trainer.train(iterations)
    state = session.state()
    examples = state["examples"]
    return json.dumps(
        json_safe(
            {
                "preset": args.preset,
                "settings": state["settings"],
                "iterations": state["iteration"],
                "status": state["status"],
                "loss": math.fsum(e["loss"] for e in examples) / len(examples),
                "accuracy": state["accuracy"],
                "heldout_accuracy": state["heldout_accuracy"],
                "converged_at": state["converged_at"],
                "examples": [
                    {"input": e["input"], "target": e["target"], "output": e["output"]} for e in examples
                ],
            }
        )
    )


def run_train_config(args):
    """N full-batch steps of a config file's network: weights, biases, loss_history."""
    for option, value in (
        ("--iterations", args.iterations),
        ("--seed", args.seed),
        ("--learning-rate", args.learning_rate),
    ):
        if value is not None:
            raise UsageError(f"{option}: only with --preset (a config file holds its settings)")
    if args.steps is None:
        raise UsageError("--steps: required with --config")
    steps = config_module.integer(args.steps, "steps", 0, MAX_TRAIN_ITERATIONS)
    source = read_config_file(args.config)
    trainer = source.trainer()
    loss_history = []
    while len(loss_history) < steps and trainer.status == "ok":
        objective = trainer.step()
        if trainer.status == "ok":
            loss_history.append(objective)
    weights, biases = trainer.network.parameters()
    return json.dumps(
        json_safe(
            {
                "steps": len(loss_history),
                "status": trainer.status,
                "learning_rate": source.learning_rate,
                "optimizer": source.optimizer.settings,
                "regularization": None if source.regularizer is None else source.regularizer.settings,
                "schedule": source.schedule.settings,
                "weights": weights,
                "biases": biases,
                "loss_history": loss_history,
            }
        )
    )


def run_gradcheck(args):
    regularizer = None
    if args.preset:
        session = Session(args.preset)
        network, dataset = session.network, session.setup.dataset
        inputs, targets = dataset["inputs"], dataset["targets"]
    else:
        source = read_config_file(args.config)
        network, inputs, targets = source.network, source.inputs, source.targets
        regularizer = source.regularizer
    result = gradcheck.check(network, inputs, targets, regularizer=regularizer)
    return json.dumps(
        {
            "max_relative_error": result["max_relative_error"],
            "parameters": len(result["parameters"]),
            "examples": len(inputs),
        }
    )


COMMANDS = {"trace": run_trace, "train": run_train, "gradcheck": run_gradcheck}


def main(argv=None):
    try:
        args = build_parser().parse_args(argv)
        print(COMMANDS[args.command](args))
    except (UsageError, ValueError) as error:
        print(f"nnsim: error: {error}", file=sys.stderr)
        return USAGE_ERROR
    except BrokenPipeError:  # the reader (say `| head`) stopped early: not an error
        sys.stdout = None
    return 0
