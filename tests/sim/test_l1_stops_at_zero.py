"""L1 stops a weight at exactly 0 (nnsim/regularization.py), checked against numbers worked
by hand from the rule, and written out as its own formula line."""

import pytest
from nnsim import explain_update, optimizers, regularization
from nnsim.network import Network
from nnsim.training import Trainer

# One linear weight w = 0.05, input 0: the loss gradient is 0, only the penalty acts.
CONFIG = {"layers": [1, 1], "activations": ["linear"], "loss": "mse", "bias": False,
          "init": "explicit", "weights": [[[0.05]]], "biases": None}


def trainer(kind, optimizer="sgd"):
    return Trainer(Network(CONFIG), [[0.0]], [[0.0]], 0.1,
                   optimizer=optimizers.read({"name": optimizer}),
                   regularizer=regularization.read({"kind": kind, "rate": 1.0}))


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
    assert update["value"] == pytest.approx(-0.05, abs=1e-15)   # v = 1, w - 0.1 v
    assert "across 0" in stop["general"] and stop["general"].endswith(":= 0")
    assert stop["value"] == 0.0
