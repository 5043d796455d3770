"""nnsim.explain: every written-out line redoes to its result; steps, indices and highlights.

Traces come from the real simulator: the xor and deep presets through Session, and random
networks (shapes, activations, losses, biases, momentum, batches) through Network and Trainer.
"""

import json
import random
import re

import pytest
from nnsim.explain import explain, explain_trace, trace_markdown
from nnsim.network import Network
from nnsim.session import Session
from nnsim.training import Trainer
from texcalc import agrees, evaluate, half_unit

XOR_STEP_IDS = [
    "input",
    "forward-2",
    "forward-3",
    "cost",
    "delta-3",
    "delta-2",
    "grad-3",
    "grad-2",
    "update-3",
    "update-2",
]


def preset_trace(preset, steps=1, settings=None):
    session = Session(preset, settings)
    for _ in range(steps - 1):
        session.step()
    return session.step()


def random_trace(seed):
    """A trace of a random network, after a few steps so momentum has a velocity."""
    rng = random.Random(seed)
    layers = [rng.randint(1, 4) for _ in range(rng.randint(2, 5))]
    depth = len(layers) - 1
    hidden = [rng.choice(["sigmoid", "tanh", "relu", "leaky_relu", "linear"]) for _ in range(depth - 1)]
    loss = rng.choice(["mse", "cross_entropy"])
    if loss == "cross_entropy":
        output = rng.choice(["sigmoid", "softmax"]) if layers[-1] > 1 else "sigmoid"
    else:
        output = rng.choice(["sigmoid", "tanh", "linear", "relu"])
    config = {
        "layers": layers,
        "activations": hidden + [output],
        "loss": loss,
        "bias": rng.random() < 0.6,
        "init": "uniform",
        "seed": seed,
    }
    examples = rng.randint(1, 3)
    inputs = [[rng.uniform(-1, 1) for _ in range(layers[0])] for _ in range(examples)]
    targets = []
    for _ in range(examples):
        if output == "softmax":
            hot = [0.0] * layers[-1]
            hot[rng.randrange(layers[-1])] = 1.0
            targets.append(hot)
        else:
            targets.append([rng.choice([0.0, 1.0, rng.random()]) for _ in range(layers[-1])])
    trainer = Trainer(
        Network(config),
        inputs,
        targets,
        learning_rate=rng.choice([0.1, 0.5, 1.3]),
        momentum=rng.choice([0.0, 0.0, 0.9]),
        batch_size=rng.choice([1, examples]),
    )
    for _ in range(rng.randint(0, 3)):
        trainer.step()
    return trainer.trace_step()


def all_lines(steps):
    return [(step, ln) for step in steps for ln in step["lines"]]


def check_lines_redo(steps):
    """Every line: the substituted arithmetic, redone, gives the result to the digits shown,
    and the result is the simulator's value to those digits."""
    assert steps
    for step, ln in all_lines(steps):
        where = f"step {step['number']} {step['id']}: {ln['general']}"
        assert agrees(ln["substituted"], ln["result"]), (
            f"{where}: {ln['substituted']} = {evaluate(ln['substituted'])!r}, shown {ln['result']}"
        )
        assert abs(evaluate(ln["result"]) - ln["value"]) <= half_unit(ln["result"]) * (1 + 1e-9), where


def numbers_in(tex):
    """The numbers a line shows, in reading order (negatives with their sign)."""
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", tex.replace(r"\left(", "("))]


@pytest.fixture(scope="module")
def xor_trace():
    """The reference's update rule: plain per-example steps (the lab's default adds momentum)."""
    return preset_trace("xor", settings={"momentum": 0})


@pytest.fixture(scope="module")
def deep_trace():
    return preset_trace("deep")


def test_xor_has_the_reference_ten_steps(xor_trace):
    steps = explain_trace(xor_trace)
    assert [s["id"] for s in steps] == XOR_STEP_IDS
    assert [s["number"] for s in steps] == list(range(1, 11))
    for step in steps:
        assert set(step) == {"number", "id", "title", "text", "lines", "highlight"}
        assert step["title"] and step["text"] and step["lines"]
    # line counts: 2 inputs; z and a for 3 hidden; z and a for 1 output; 1 cost;
    # dE/da, slope, delta for the output and for 3 hidden; 3 + 6 gradients; 3 + 6 updates
    assert [len(s["lines"]) for s in steps] == [2, 6, 2, 1, 3, 9, 3, 6, 3, 6]


def test_xor_every_line_redoes(xor_trace):
    check_lines_redo(explain_trace(xor_trace))


def test_xor_later_iterations_redo():
    check_lines_redo(explain_trace(preset_trace("xor", steps=250)))


def test_xor_default_momentum_shows_the_velocity_in_each_update():
    trace = preset_trace("xor", steps=3)
    assert trace["momentum"] == 0.9
    steps = {s["id"]: s for s in explain_trace(trace)}
    check_lines_redo(list(steps.values()))
    update = steps["update-3"]["lines"]
    assert len(update) == 2 * 3  # v := mu v - eta dE/dw, then w := w + v, per weight
    assert r"\mu v_" in update[0]["general"] and "0.9" in update[0]["substituted"]


def test_deep_every_line_redoes_and_has_all_layers(deep_trace):
    steps = explain_trace(deep_trace)
    check_lines_redo(steps)
    ids = [s["id"] for s in steps]
    assert ids == (
        [
            "input",
            "forward-2",
            "forward-3",
            "forward-4",
            "forward-5",
            "cost",
            "delta-5",
            "delta-4",
            "delta-3",
            "delta-2",
            "grad-5",
            "grad-4",
            "grad-3",
            "grad-2",
            "update-5",
            "update-4",
            "update-3",
            "update-2",
            "chain-rule",
        ]
    )


@pytest.mark.parametrize("seed", range(60))
def test_random_networks_every_line_redoes(seed):
    trace = random_trace(seed)
    steps = explain_trace(trace)
    check_lines_redo(steps)
    json.dumps(steps, allow_nan=False)


def test_values_are_the_simulators_numbers(xor_trace):
    """Each line's value is the trace's own number, not a recomputation."""
    steps = {s["id"]: s for s in explain_trace(xor_trace)}
    t = xor_trace
    assert [ln["value"] for ln in steps["input"]["lines"]] == t["input"]
    hidden = steps["forward-2"]["lines"]
    assert [ln["value"] for ln in hidden[0::2]] == t["z"][0]
    assert [ln["value"] for ln in hidden[1::2]] == t["a"][1]
    assert steps["cost"]["lines"][0]["value"] == t["loss"]
    assert steps["delta-3"]["lines"][2]["value"] == t["delta"][1][0]
    assert [ln["value"] for ln in steps["delta-2"]["lines"][2::3]] == t["delta"][0]
    assert [ln["value"] for ln in steps["update-3"]["lines"]] == [
        t["weights_after"][1][0][i] for i in range(3)
    ]


def test_forward_sum_is_written_term_by_term_with_bias(deep_trace):
    step = next(s for s in explain_trace(deep_trace) if s["id"] == "forward-2")
    first = step["lines"][0]
    # z_1^(2) = w11 x1 + w21 x2 + w31 x3 + b1: the reference's 0.4*0.5 + 0.2*0.3 + 0.6*0.8 + 0.1
    assert first["general"].count("w_{") == 3 and "b_{1}^{(2)}" in first["general"]
    assert numbers_in(first["substituted"]) == [0.4, 0.5, 0.2, 0.3, 0.6, 0.8, 0.1]
    assert abs(evaluate(first["result"]) - 0.84) <= 5e-5
    assert step["lines"][1]["general"] == r"a_{1}^{(2)} = \sigma(z_{1}^{(2)})"
    assert step["lines"][1]["value"] == deep_trace["a"][1][0] != 0


def test_step_8_uses_each_hidden_neurons_own_delta(xor_trace):
    step = explain_trace(xor_trace)[7]
    assert step["id"] == "grad-2"
    pattern = (
        r"\\frac\{\\partial E\}\{\\partial w_\{(\d)(\d)\}\^\{\(2\)\}\} = "
        r"x_\{(\d)\} \\delta_\{(\d)\}\^\{\(2\)\}"
    )
    seen = set()
    for ln in step["lines"]:
        i, j, x_index, delta_index = map(int, re.fullmatch(pattern, ln["general"]).groups())
        assert x_index == i and delta_index == j
        seen.add((i, j))
        x_shown, delta_shown = numbers_in(ln["substituted"])
        assert x_shown == xor_trace["input"][i - 1]
        assert abs(delta_shown - xor_trace["delta"][0][j - 1]) <= 1e-4
        assert ln["value"] == xor_trace["grad_weights"][0][j - 1][i - 1]
    assert seen == {(i, j) for i in (1, 2) for j in (1, 2, 3)}


def test_updates_subtract_learning_rate_times_gradient(xor_trace):
    for step in explain_trace(xor_trace)[8:]:
        for ln in step["lines"]:
            assert r"- \eta \frac{\partial E}" in ln["general"]
            before, rate, _ = numbers_in(ln["substituted"])[:3]
            assert rate == xor_trace["learning_rate"]
    first = explain_trace(xor_trace)[8]["lines"][0]
    assert abs(numbers_in(first["substituted"])[0] - xor_trace["weights_before"][1][0][0]) < 1e-4


def test_sigmoid_has_the_minus_sign_and_delta_the_update_sign(xor_trace):
    steps = explain_trace(xor_trace)
    assert r"e^{-" in steps[1]["lines"][1]["substituted"]
    out = steps[4]["lines"][0]
    assert out["general"].endswith("a_{1}^{(3)} - y")
    assert out["value"] == xor_trace["a"][2][0] - xor_trace["target"][0]


def test_highlights_name_the_neurons_and_connections(xor_trace, deep_trace):
    def pairs(layer, size):
        return [[layer, j] for j in range(size)]

    def weights(l, rows, cols):
        return sorted([l, j, i] for j in range(rows) for i in range(cols))

    steps = {s["id"]: s["highlight"] for s in explain_trace(xor_trace)}
    assert steps["input"] == {"neurons": pairs(0, 2), "connections": []}
    assert steps["forward-2"]["neurons"] == pairs(0, 2) + pairs(1, 3)
    assert sorted(steps["forward-2"]["connections"]) == weights(0, 3, 2)
    assert steps["cost"]["neurons"] == pairs(2, 1)
    assert steps["delta-3"] == {"neurons": pairs(2, 1), "connections": []}
    assert sorted(steps["delta-2"]["connections"]) == weights(1, 1, 3)
    assert sorted(steps["grad-3"]["connections"]) == weights(1, 1, 3)
    assert sorted(steps["grad-2"]["connections"]) == weights(0, 3, 2)
    assert sorted(steps["update-2"]["connections"]) == weights(0, 3, 2)
    assert steps["update-2"]["neurons"] == []  # no biases to update

    deep = {s["id"]: s["highlight"] for s in explain_trace(deep_trace)}
    assert sorted(deep["delta-3"]["connections"]) == weights(2, 2, 3)
    assert deep["delta-3"]["neurons"] == pairs(2, 3) + pairs(3, 2)
    assert deep["update-4"]["neurons"] == pairs(3, 2)  # its biases are updated too
    for highlight in deep.values():
        for layer, j in highlight["neurons"]:
            assert 0 <= j < deep_trace["layers"][layer]
        for l, j, i in highlight["connections"]:
            assert 0 <= i < deep_trace["layers"][l] and 0 <= j < deep_trace["layers"][l + 1]


def test_hidden_errors_use_every_following_neuron(deep_trace):
    """The full backpropagation: no 'simplified' gradients in the first hidden layers."""
    steps = {s["id"]: s for s in explain_trace(deep_trace)}
    for n, following in ((4, 2), (3, 2), (2, 3)):
        lines = steps[f"delta-{n}"]["lines"]
        assert len(lines) == 3 * deep_trace["layers"][n - 1]
        for ln in lines[0::3]:
            assert ln["general"].count(r"\delta") == following
        assert [ln["value"] for ln in lines[2::3]] == deep_trace["delta"][n - 2]
        assert all(ln["value"] != 0 for ln in lines[2::3])


def test_chain_rule_summary_only_for_deeper_networks(xor_trace, deep_trace):
    assert "chain-rule" not in [s["id"] for s in explain_trace(xor_trace)]
    summary = explain_trace(deep_trace)[-1]
    assert summary["id"] == "chain-rule"
    assert [ln["value"] for ln in summary["lines"]] == [
        deep_trace["grad_weights"][l][0][0] for l in (3, 2, 1, 0)
    ]


def test_biases_and_momentum_and_batches_are_explained():
    trace = preset_trace("glassbox", steps=3)  # full batch, biases
    steps = explain_trace(trace)
    check_lines_redo(steps)
    ids = [s["id"] for s in steps]
    assert ids[0] == "example-1-input" and "batch-cost" in ids and ids[-1] == "update-2"
    assert sum(1 for i in ids if i.endswith("-input")) == len(trace["examples"])
    grads = next(s for s in steps if s["id"] == "batch-grad-3")
    assert [ln["value"] for ln in grads["lines"]][-1] == trace["grad_biases"][1][0]

    network = Network(
        {
            "layers": [2, 2, 1],
            "activations": ["tanh", "sigmoid"],
            "loss": "cross_entropy",
            "bias": True,
            "init": "uniform",
            "seed": 3,
        }
    )
    trainer = Trainer(network, [[0.0, 1.0]], [[1.0]], learning_rate=0.5, momentum=0.9)
    trainer.step()
    trace = trainer.trace_step()
    steps = {s["id"]: s for s in explain_trace(trace)}
    check_lines_redo(list(steps.values()))
    assert steps["delta-3"]["lines"][0]["general"] == r"\delta_{1}^{(3)} = a_{1}^{(3)} - y"
    assert r"\mu v" in steps["update-3"]["lines"][0]["general"]
    assert r"1 - (a_{1}^{(2)})^2" in steps["delta-2"]["lines"][1]["general"]


def test_diverged_step_is_explained_without_nan():
    session = Session("xor", {"learning_rate": 1e9})
    trace = None
    for _ in range(50):
        trace = session.step()
        if trace["status"] == "diverged":
            break
    steps = explain_trace(trace)
    json.dumps(steps, allow_nan=False)
    if trace["status"] == "diverged":
        assert "refused" in steps[-1]["text"]


def test_explain_bundles_conventions(xor_trace):
    bundle = explain(xor_trace)
    assert bundle["steps"] == explain_trace(xor_trace)
    text = " ".join(bundle["conventions"])
    assert r"\sigma(x) = \frac{1}{1 + e^{-x}}" in text and r"\eta = 0.5" in text


def test_markdown_worked_example(xor_trace):
    text = trace_markdown(xor_trace)
    titles = re.findall(r"^## Step (\d+)\. (.+)$", text, flags=re.M)
    assert [int(n) for n, _ in titles] == list(range(1, 11))
    assert "Conventions" in text and r"\frac{1}{1 + e^{-x}}" in text
    # every line of every step is in it with its result
    for step in explain_trace(xor_trace):
        for ln in step["lines"]:
            assert ln["result"] in text and ln["general"] in text
    assert text.count("$$") % 2 == 0


def saturated_trace(output, z, target):
    """One example through a 1-1 (sigmoid) or 1-2 (softmax) network whose output's z is `z`."""
    outputs = 1 if output == "sigmoid" else 2
    weights = [[[z]]] if outputs == 1 else [[[z], [0.0]]]
    config = {
        "layers": [1, outputs],
        "activations": [output],
        "loss": "cross_entropy",
        "bias": False,
        "init": "explicit",
        "seed": 0,
        "weights": weights,
        "biases": None,
    }
    return Trainer(Network(config, "plain"), [[1.0]], [target], learning_rate=0.5).trace_step()


@pytest.mark.parametrize(
    "output, z, target",
    [
        ("sigmoid", 28.16, [1.0]),  # a = 0.9999999999994107 as a float: 1 - a is 5.898e-13
        ("sigmoid", -28.16, [0.0]),  # ln(1 - a) of a tiny a
        ("sigmoid", 40.0, [1.0]),  # a rounds to exactly 1.0, yet the loss is 4.2e-18
        ("sigmoid", 15.0, [0.3]),
        ("softmax", 30.0, [1.0, 0.0]),
    ],
)
def test_cross_entropy_of_an_output_within_a_hair_of_1_redoes_from_the_shown_numbers(output, z, target):
    trace = saturated_trace(output, z, target)
    steps = explain_trace(trace)
    check_lines_redo(steps)
    cost = next(step for step in steps if step["id"] == "cost")
    assert cost["lines"][0]["value"] == trace["loss"] > 0


def test_the_xor_note_states_the_momentum_the_simulator_runs():
    """The XOR lab's note on its notation is the simulator's (the page shows it as it is): the
    momentum rule in PyTorch's form, the one nnsim.optimizers runs and explain_update writes."""
    from nnsim import explain_update
    from nnsim.explain import lab_note

    note = lab_note("xor")
    assert explain_update.RULE_TEX["momentum"] == [r"v := \mu v + g", r"w := w - \eta v"]
    assert "v := μv + ∂E/∂w" in note and "w := w − ηv" in note
    assert lab_note("deep") is None


def test_the_network_views_notation_is_the_explanations():
    """The network view's symbols are the ones the formulas use (explain.symbols), names and
    layers counted from 1, pixels by row and column."""
    from nnsim.explain import symbols, view_notation

    layers = [3, 12, 2]
    notation = view_notation(layers, input_grid=None)
    table = symbols({"layers": layers})

    def tex(symbol, sub, sup):
        return f"{symbol}_{{{sub}}}" + (f"^{{{sup}}}" if sup else "")

    for l, layer in enumerate(notation["layers"]):
        for j in range(layers[l]):
            shown = tex(layer["symbols"]["a"], layer["subscripts"][j], layer["superscript"])
            assert shown == table["a"][l][j]
    for l, weights in enumerate(notation["weights"]):
        for j, row in enumerate(weights["subscripts"]):
            for i, sub in enumerate(row):
                assert tex(weights["symbol"], sub, weights["superscript"]) == table["w"][l][j][i]
    assert notation["weights"][0]["subscripts"][10][2] == "3,11"
    assert [layer["label"] for layer in notation["layers"]] == ["Input", "Hidden", "Output"]
    deeper = view_notation([2, 3, 3, 1])["layers"]
    assert [layer["label"] for layer in deeper][1:3] == ["Hidden 1", "Hidden 2"]
    assert view_notation([25, 4, 10], (5, 5))["layers"][0]["names"][6] == "pixel 7 (row 2, column 2)"
