"""L1 stops a weight at exactly 0 (nnsim/regularization.py), checked against numbers worked
by hand from the rule, and written out as its own formula line."""

import pytest
from nnsim import explain_update, optimizers, regularization
from nnsim.network import Network
from nnsim.training import Trainer

# One linear weight w = 0.05, input 0: the loss gradient is 0, only the penalty acts.
CONFIG = {
    "layers": [1, 1],
    "activations": ["linear"],
    "loss": "mse",
    "bias": False,
    "init": "explicit",
    "weights": [[[0.05]]],
    "biases": None,
}


def trainer(kind, optimizer="sgd"):
    return Trainer(
        Network(CONFIG),
        [[0.0]],
        [[0.0]],
        0.1,
        optimizer=optimizers.read({"name": optimizer}),
        regularizer=regularization.read({"kind": kind, "rate": 1.0}),
    )


def test_l1_stops_a_weight_at_zero_and_it_stays():
    t = trainer("l1")
    # by hand: g = 0 + 1 * sign(0.05) = 1; w - 0.1 * 1 = -0.05 crosses 0, so w := 0
    trace = t.trace_step()
    assert trace["regularization"]["weights_crossing"] == [[[pytest.approx(-0.05, abs=1e-15)]]]
    assert trace["regularization"]["stopped_at_zero"] == [[0, 0, 0]]
    assert trace["weights_after"] == [[[0.0]]]
    # at 0, sign(0) = 0 and the loss gradient is 0: nothing moves it, every later step
    for _ in range(5):
        later = t.trace_step()
        assert later["weights_after"] == [[[0.0]]]
        assert later["regularization"]["stopped_at_zero"] == []


def test_l2_only_shrinks():
    t = trainer("l2")
    trace = t.trace_step()
    # by hand: g = 1 * 0.05; w - 0.1 * 0.05 = 0.045
    assert trace["weights_after"][0][0][0] == pytest.approx(0.045, abs=1e-15)
    assert trace["regularization"]["stopped_at_zero"] == []


def test_the_stop_is_its_own_line_after_the_rules_result():
    trace = trainer("l1", "momentum").trace_step()
    lines = explain_update.parameter_update(trace, ["weight", 0, 0, 0])["lines"]
    update, stop = lines[-2], lines[-1]
    assert update["value"] == pytest.approx(-0.05, abs=1e-15)  # v = 1, w - 0.1 v
    assert "across 0" in stop["general"] and stop["general"].endswith(":= 0")
    assert stop["value"] == 0.0


@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_the_deep_labs_penalty_step_redoes(kind):
    """The loss panel's regularisation term: sum, P and E + P, each line redoing."""
    from nnsim.explain import explain_trace
    from nnsim.session import Session
    from test_explain import check_lines_redo

    session = Session("deep", {"optimizer": "adam", "regularization": kind, "regularization_rate": 0.5})
    for _ in range(3):
        session.step()
    trace = session.step()
    steps = explain_trace(trace)
    check_lines_redo(steps)
    ids = [step["id"] for step in steps]
    assert ids[ids.index("cost") + 1] == "penalty"
    penalty = steps[ids.index("penalty")]["lines"]
    weights = [w for m in trace["weights_before"] for row in m for w in row]
    by_hand = 0.5 * (sum(abs(w) for w in weights) if kind == "l1" else sum(w * w for w in weights) / 2)
    assert penalty[1]["value"] == pytest.approx(by_hand, abs=1e-12)
    assert penalty[2]["value"] == pytest.approx(trace["loss"] + by_hand, abs=1e-12)
    if kind == "l1":  # Adam at rate 0.1 carries small weights across 0 in these steps
        stopped = trace["regularization"]["stopped_at_zero"]
        assert stopped and all(trace["weights_after"][l][j][i] == 0.0 for l, j, i in stopped)
