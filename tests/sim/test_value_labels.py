"""The page prints Python's text for every number the simulator computed or holds: each state,
compare and follow answer carries `*_label(s)` beside its values, written by one rule
(explain.plain_labels: the formulas' display precision; percent_label for shares; given_labels
for inputs, targets and settings). Where the same quantity is in a formula, the label and the
formula write it alike."""

import pytest
from nnsim import explain
from nnsim.explain_expr import plain_number
from nnsim.playground.session import PlaygroundSession
from nnsim.session import Session
from writings import plain_text, written_numbers

MINUS = "\u2212"


def test_the_rule_is_the_formulas_display_precision():
    assert explain.plain_labels(0.731058) == "0.7311"
    assert explain.plain_labels(-0.25) == MINUS + "0.2500"
    assert explain.plain_labels(-0.00001234) == MINUS + "1.234 × 10⁻⁵"
    assert explain.plain_labels(2.5e6) == "2.500 × 10⁶"
    assert explain.plain_labels(1234.56789) == "1234.5679"
    assert explain.plain_labels([[0.5, -1e-9], float("inf")]) == [["0.5000", MINUS + "1.000 × 10⁻⁹"], "∞"]
    assert explain.plain_labels(None) is None
    assert explain.given_labels([0.0, 1.0, 0.5, -0.3]) == ["0", "1", "0.5", MINUS + "0.3"]
    assert explain.percent_label(0.875) == "87.5 %"
    assert explain.percent_label(1 / 3) == "33.3 %"
    assert explain.percent_label(None) is None


def _flat(values):
    return [x for v in values for x in _flat(v)] if isinstance(values, list) else [values]


@pytest.mark.parametrize("preset", ["xor", "deep", "glassbox", "digits"])
def test_a_states_labels_write_its_numbers(preset):
    session = Session(preset)
    session.train(7, budget_ms=10_000)
    state = session.state()
    assert _flat(state["weight_labels"]) == [plain_number(w) for w in _flat(state["weights"])]
    if state["biases"] is None:
        assert state["bias_labels"] is None
    else:
        assert _flat(state["bias_labels"]) == [plain_number(b) for b in _flat(state["biases"])]
    assert state["latest_loss_label"] == plain_number(state["loss_history"][-1][1])
    assert state["accuracy_label"] == explain.percent_label(state["accuracy"])
    assert state["heldout_accuracy_label"] == explain.percent_label(state["heldout_accuracy"])
    norms = state["weight_norm_history"]
    assert state["weight_norm_labels"] == [plain_number(norms[0][1]), plain_number(norms[-1][1])]
    for example in state["examples"]:
        assert example["output_labels"] == [plain_number(a) for a in example["output"]]
        assert example["loss_label"] == plain_number(example["loss"])
        assert example["input_labels"] == [plain_number(x, given=True) for x in example["input"]]
        assert example["target_labels"] == [plain_number(y, given=True) for y in example["target"]]
    light = session.train(1, light=True)["state"]
    assert light["latest_loss_label"] == plain_number(light["latest_loss"])


def test_the_xor_tables_row_is_the_walkthroughs_example():
    """The XOR table prints, for the row the walkthrough is on, the formulas' writing of its
    output and loss: the state's example and the previewed trace hold the same floats."""
    session = Session("xor")
    session.train(30, budget_ms=10_000)
    state, trace = session.state(), session.peek()
    example = state["examples"][trace["example_index"]]
    assert example["loss"] == trace["loss"]
    assert example["output"] == trace["a"][-1]
    explained = explain.explain(trace)
    cost = next(step for step in explained["steps"] if step["id"] == "cost")
    assert explained["loss_label"] in {plain_number(trace["loss"])} | {
        ln["result"].replace("-", MINUS) for ln in cost["lines"]
    }


def test_the_playgrounds_measures_and_chart_ends_are_labelled():
    session = PlaygroundSession()
    session.train(3)
    state = session.state()
    assert _flat(state["weight_labels"]) == [plain_number(w) for w in _flat(state["weights"])]
    assert _flat(state["bias_labels"]) == [plain_number(b) for b in _flat(state["biases"])]
    labels = state["measure_labels"]
    assert labels["train_loss"] == plain_number(state["train_loss"])
    assert labels["test_loss"] == plain_number(state["test_loss"])
    assert labels["penalty"] is None and state["penalty"] is None
    assert labels["train_accuracy"] == explain.percent_label(state["train_accuracy"])
    for key, series in state["history"].items():
        write = explain.percent_label if key.endswith("accuracy") else plain_number
        assert state["history_labels"][key] == write(series[-1][1]), key


def test_a_followed_points_coordinates_are_labelled():
    session = PlaygroundSession()
    answer = session.follow(3)
    data = session.data()
    assert answer["coordinate_labels"] == [plain_number(data["x1"][3]), plain_number(data["x2"][3])]


def test_the_glass_box_tables_write_each_samples_input_and_target_as_given():
    session = Session("glassbox")
    trace = session.peek()
    numbers = explain.panels(trace)["numbers"]
    for ex, written in zip(trace["examples"], numbers["examples"]):
        assert written["input"] == [plain_number(x, given=True) for x in ex["input"]]
        assert written["target"] == [plain_number(y, given=True) for y in ex["target"]]


def test_a_followed_points_weights_are_written_as_its_steps_write_them():
    """The Playground's drawing beside a followed point: each weight and bias as the follow's
    forward pass writes it (where it writes it at the display precision). (Its update step
    writes the followed weight with its own digits: −0.7713 beside the forward pass's −0.77132.)"""
    session = PlaygroundSession()
    session.train(5)
    answer = session.follow(2)
    lines = [ln for step in answer["steps"] if step["id"].startswith("forward-") for ln in step["lines"]]
    trace = answer["trace"]
    checked = 0
    for name, values in (("weight_labels", trace["weights_before"]), ("bias_labels", trace["biases_before"])):
        for x, label in zip(_flat(values), _flat(answer[name])):
            found = {
                plain_text(t)
                for ln in lines
                for t, v, h in written_numbers(ln["substituted"])
                if h <= 0.5e-4 and abs(v - x) <= h * (1 + 1e-9)
            }
            assert found <= {label}, (name, x, found, label)
            checked += bool(found)
    assert checked >= 5


def test_the_glass_box_charts_last_loss_is_the_loss_panels_mean():
    """The loss chart ends on the epoch's mean loss as the loss panel's formula writes it."""
    session = Session("glassbox", {"loss": "cross_entropy", "scenario": "saturated"})
    session.train(3, budget_ms=10_000)
    trace = session.peek()
    answer = explain.panels(trace)
    mean = answer["loss"][-1]
    assert plain_text(mean["result"]) == answer["numbers"]["loss"]
    assert abs(mean["value"] - trace["loss"]) <= 1e-12


def test_explains_givens_are_the_steps_given_numbers():
    trace = Session("xor").peek()
    givens = explain.explain(trace)["givens"]
    assert givens == {
        "input": [plain_number(x, given=True) for x in trace["input"]],
        "target": [plain_number(y, given=True) for y in trace["target"]],
        "learning_rate": "0.5",
    }
    batch = explain.explain(Session("glassbox").peek())["givens"]
    assert batch["input"] is None and batch["target"] is None
