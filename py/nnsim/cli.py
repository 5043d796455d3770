"""Command line: python -m nnsim trace|train|gradcheck (run as PYTHONPATH=py python -m nnsim).

Bad arguments or configs print one line naming the problem and exit with status 2.
"""

import argparse
import json
import math
import sys

from . import config as config_module
from . import gradcheck, presets
from .network import Network
from .session import MAX_TRAIN_ITERATIONS, Session
from .trace import json_safe
from .training import Trainer

USAGE_ERROR = 2
CONFIG_FILE_KEYS = ("layers", "activations", "loss", "bias", "init", "seed", "weights",
                    "biases", "input", "target", "learning_rate")
DEFAULT_LEARNING_RATE = 0.5


class UsageError(Exception):
    """A bad argument or config: reported in one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def build_parser():
    parser = Parser(prog="python -m nnsim",
                    description="Glassbox simulator: trace one step, train, or check gradients.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    def add_source(command):
        source = command.add_mutually_exclusive_group(required=True)
        source.add_argument("--preset", choices=presets.NAMES, help="a lab's network")
        source.add_argument("--config", metavar="FILE",
                            help="JSON file: layers, activations, loss, bias, weights, biases, "
                                 "input, target, learning_rate")

    trace = commands.add_parser("trace", help="one training step, every number")
    add_source(trace)
    trace.add_argument("--format", choices=("json", "markdown"), default="json")

    train = commands.add_parser("train", help="train a preset, print the result as JSON")
    train.add_argument("--preset", choices=presets.NAMES, required=True)
    train.add_argument("--iterations", type=int, required=True)
    train.add_argument("--seed", type=int)
    train.add_argument("--learning-rate", type=float)

    check = commands.add_parser("gradcheck", help="backprop against central differences")
    add_source(check)
    return parser


def read_config_file(path):
    """(network config, inputs, targets, learning_rate) from a config file."""
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
    for key in ("layers", "input", "target"):
        if key not in data:
            raise UsageError(f"{key}: missing from {path}")
    network_config = {k: data[k] for k in config_module.KEYS if k in data}
    if data.get("weights") is not None:
        # Given weights mean an explicit init; biases given or not decide "bias".
        network_config.setdefault("init", "explicit")
        network_config.setdefault("bias", data.get("biases") is not None)
    rate = data.get("learning_rate", DEFAULT_LEARNING_RATE)
    network = Network(network_config)
    layers = network.layers
    inputs = [config_module.number_list(data["input"], layers[0], "input")]
    targets = [config_module.number_list(data["target"], layers[-1], "target")]
    return network, inputs, targets, config_module.finite_number(rate, "learning_rate")


def run_trace(args):
    if args.preset:
        trace = Session(args.preset).step()
    else:
        network, inputs, targets, rate = read_config_file(args.config)
        trace = Trainer(network, inputs, targets, rate).trace_step()
    if args.format == "json":
        return json.dumps(json_safe(trace))
    try:
        from .explain import trace_markdown
    except ImportError:
        raise UsageError("format: markdown needs nnsim.explain, which is not installed") from None
    return trace_markdown(trace)


def run_train(args):
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
    return json.dumps(json_safe({
        "preset": args.preset, "settings": state["settings"], "iterations": state["iteration"],
        "status": state["status"],
        "loss": math.fsum(e["loss"] for e in examples) / len(examples),
        "accuracy": state["accuracy"], "heldout_accuracy": state["heldout_accuracy"],
        "converged_at": state["converged_at"],
        "examples": [{"input": e["input"], "target": e["target"], "output": e["output"]}
                     for e in examples],
    }))


def run_gradcheck(args):
    if args.preset:
        session = Session(args.preset)
        network, dataset = session.network, session.setup.dataset
        inputs, targets = dataset["inputs"], dataset["targets"]
    else:
        network, inputs, targets, _ = read_config_file(args.config)
    result = gradcheck.check(network, inputs, targets)
    return json.dumps({"max_relative_error": result["max_relative_error"],
                       "parameters": len(result["parameters"]), "examples": len(inputs)})


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
