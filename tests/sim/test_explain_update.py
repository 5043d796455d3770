"""nnsim.explain_update: each optimiser's update written out; every line redoes to its result.

Traces come from the real Trainer on random networks, for every optimiser with and without
L1/L2 and under each schedule, a few steps in so that the optimiser's state is not zero.
"""

import json
import math
import random

import pytest
from nnsim import optimizers, regularization, schedules
from nnsim.explain import conventions, explain_trace
from nnsim.explain_update import parameter_update
from nnsim.network import Network
from nnsim.training import Trainer
from test_explain import check_lines_redo
from texcalc import evaluate

REGULARIZERS = [None, {"kind": "l1", "rate": 0.01}, {"kind": "l2", "rate": 0.05}]
SCHEDULES = [
    None,
    {"name": "step", "step_size": 2, "gamma": 0.5},
    {"name": "exponential", "gamma": 0.9},
    {"name": "cosine", "t_max": 5},
]


def optimizer_trace(name, seed, regularizer=None, schedule=None, steps_before=3):
    rng = random.Random(seed)
    layers = [rng.randint(1, 3) for _ in range(rng.randint(2, 4))]
    depth = len(layers) - 1
    config = {
        "layers": layers,
        "bias": rng.random() < 0.7,
        "seed": seed,
        "activations": [rng.choice(["sigmoid", "tanh", "relu"]) for _ in range(depth - 1)] + ["sigmoid"],
    }
    count = rng.randint(1, 3)
    inputs = [[rng.uniform(-1, 1) for _ in range(layers[0])] for _ in range(count)]
    targets = [[rng.random() for _ in range(layers[-1])] for _ in range(count)]
    trainer = Trainer(
        Network(config),
        inputs,
        targets,
        optimizers.DEFAULT_LEARNING_RATES[name] * 10,
        batch_size=rng.choice([1, count]),
        optimizer=optimizers.read({"name": name}),
        regularizer=regularization.read(regularizer),
        schedule=schedules.read(schedule),
    )
    for _ in range(steps_before):
        trainer.step()
    return trainer.trace_step()


@pytest.mark.parametrize("name", optimizers.NAMES)
@pytest.mark.parametrize("seed", range(4))
def test_every_update_line_redoes(name, seed):
    regularizer = REGULARIZERS[seed % 3]
    trace = optimizer_trace(name, seed, regularizer, SCHEDULES[seed])
    steps = explain_trace(trace)
    check_lines_redo(steps)
    updates = [s for s in steps if s["id"].startswith("update-")]
    per_parameter = {"sgd": 1, "momentum": 2, "nesterov": 2, "rmsprop": 2, "adam": 5, "adamw": 5}[name]
    layers, bias = trace["layers"], trace["bias"]
    weights = sum(a * b for a, b in zip(layers, layers[1:]))
    biases = sum(layers[1:]) if bias else 0
    extra = weights * ((regularizer is not None) + (name == "adamw"))
    assert sum(len(s["lines"]) for s in updates) == (weights + biases) * per_parameter + extra
    json.dumps({"c": conventions(trace), "s": steps}, allow_nan=False)


def test_adam_lines_carry_the_traces_state():
    trace = optimizer_trace("adam", 5, {"kind": "l2", "rate": 0.05})
    shown = parameter_update(trace, ["weight", 0, 0, 0])
    after = trace["optimizer_state"]["after"]
    values = [ln["value"] for ln in shown["lines"]]
    g = trace["grad_weights"][0][0][0] + trace["regularization"]["grad_weights"][0][0][0]
    assert values == [
        g,
        after["first_moment"]["weights"][0][0][0],
        after["second_moment"]["weights"][0][0][0],
        after["first_moment_hat"]["weights"][0][0][0],
        after["second_moment_hat"]["weights"][0][0][0],
        trace["weights_after"][0][0][0],
    ]
    assert [s["name"] for s in shown["state"]] == [
        "first_moment",
        "second_moment",
        "first_moment_hat",
        "second_moment_hat",
    ]
    assert shown["step"] == 4 and shown["optimizer"] == "adam"
    assert (
        shown["state"][0]["before"]
        == (trace["optimizer_state"]["before"]["first_moment"]["weights"][0][0][0])
    )
    assert r"\beta_1^{4}" in shown["lines"][3]["general"]
    assert r"0.9^{4}" in shown["lines"][3]["substituted"]


def test_selected_adam_weight_against_an_independent_computation():
    """What a student checks by hand: Adam's step for one weight from the numbers shown."""
    trace = optimizer_trace("adam", 9, steps_before=6)
    shown = parameter_update(trace, ["weight", 0, 0, 0])
    state = {s["name"]: s for s in shown["state"]}
    t, eta = shown["step"], shown["learning_rate"]
    g = trace["grad_weights"][0][0][0]
    m = 0.9 * state["first_moment"]["before"] + 0.1 * g
    v = 0.999 * state["second_moment"]["before"] + 0.001 * g * g
    w = trace["weights_before"][0][0][0] - eta * (m / (1 - 0.9**t)) / (math.sqrt(v / (1 - 0.999**t)) + 1e-8)
    assert state["first_moment"]["after"] == pytest.approx(m, abs=1e-15)
    assert evaluate(shown["lines"][-1]["result"]) == pytest.approx(w, abs=1e-4)
    assert trace["weights_after"][0][0][0] == pytest.approx(w, abs=1e-14)


def test_adamw_decays_before_the_adam_step_and_not_biases():
    trace = optimizer_trace("adamw", 2, steps_before=1)
    weight = parameter_update(trace, ["weight", 0, 0, 0])
    assert r"\eta \lambda" in weight["lines"][0]["general"]
    assert len(weight["lines"]) == 6
    if trace["bias"]:
        assert len(parameter_update(trace, ["bias", 0, 0])["lines"]) == 5


def test_plain_sgd_keeps_its_lines_and_conventions():
    trace = optimizer_trace("sgd", 1)
    assert trace["regularization"] is None
    update = [s for s in explain_trace(trace) if s["id"].startswith("update-")][0]
    assert update["lines"][0]["general"].startswith("w_{")
    assert r"\eta \frac{\partial E}" in update["lines"][0]["general"]
    assert conventions(trace)[-1].startswith(r"w := w - \eta \frac{\partial E}{\partial w}")
    shown = parameter_update(trace, ["weight", 0, 0, 0])
    assert len(shown["lines"]) == 1 and shown["state"] == []


def test_conventions_name_the_rule_and_the_penalty():
    trace = optimizer_trace("rmsprop", 3, {"kind": "l1", "rate": 0.01}, SCHEDULES[3])
    lines = conventions(trace)
    assert any(r"\lambda \sum |w|" in ln for ln in lines)
    assert any(r"\sqrt{s} + \epsilon" in ln and r"\alpha = 0.99" in ln for ln in lines)
    assert any(r"\eta = " in ln for ln in lines)


@pytest.mark.parametrize(
    "parameter, message",
    [
        ("w", "parameter: expected"),
        (["weight", 0, 0], "parameter: expected"),
        (["weight", 9, 0, 0], "parameter[1]: must be below"),
        (["weight", 0, 7, 0], "parameter[2]: must be below"),
        (["weight", 0, 0, 7], "parameter[3]: must be below"),
        (["weight", 0, -1, 0], "parameter[2]: expected a whole number"),
        (["bias", 0, 0, 0], "parameter: expected"),
    ],
)
def test_bad_parameter_names_the_field(parameter, message):
    trace = optimizer_trace("momentum", 4)
    with pytest.raises(ValueError) as error:
        parameter_update(trace, parameter)
    assert str(error.value).startswith(message)


def test_refused_update_is_explained_without_nan():
    network = Network(
        {
            "layers": [1, 1],
            "activations": ["linear"],
            "bias": True,
            "init": "explicit",
            "weights": [[[1.0]]],
            "biases": [[0.5]],
        }
    )
    trainer = Trainer(
        network,
        [[1.0]],
        [[0.0]],
        1e9,
        optimizer=optimizers.read({"name": "nesterov"}),
        regularizer=regularization.read({"kind": "l2", "rate": 0.1}),
    )
    trace = trainer.trace_step()
    assert trace["status"] == "diverged"
    steps = explain_trace(trace)
    json.dumps(steps, allow_nan=False)
    assert "refused" in steps[-1]["text"]
