"""Training: convergence, divergence, saturation, momentum, batches, bounded history."""

import json
import math

import pytest
from nnsim import Network, Session, Trainer
from nnsim.history import BoundedSeries
from nnsim.training import PARAMETER_LIMIT


def test_xor_converges_within_a_fixed_budget(backend):
    session = Session("xor", {"learning_rate": 0.5, "seed": 5}, backend)
    session.train(10_000, budget_ms=600_000)
    state = session.state()
    assert state["converged_at"] is not None and state["converged_at"] <= 10_000
    for example in state["examples"]:
        (output,), (target,) = example["output"], example["target"]
        assert (output > 0.5) == (target > 0.5)
        assert abs(output - target) < 0.1
    assert state["accuracy"] == 1.0


def test_converged_at_is_the_first_converged_iteration():
    session = Session("xor", backend="plain")
    session.train(10_000, budget_ms=600_000)
    first = session.state()["converged_at"]
    replay = Session("xor", backend="plain")
    replay.train(first - 1, budget_ms=600_000)
    # One iteration earlier, some example was still off; at `first` all are within 0.1.
    before = replay.state()["examples"]
    assert not all(abs(e["output"][0] - e["target"][0]) < 0.1 for e in before)


def test_digits_reach_full_training_accuracy(backend):
    session = Session("digits", backend=backend)
    session.train(4_000, budget_ms=600_000)
    state = session.state()
    assert state["accuracy"] == 1.0
    assert 0.0 <= state["heldout_accuracy"] <= 1.0
    for example in state["examples"]:
        assert example["correct"]


def test_divergence_is_refused_and_weights_kept(backend):
    session = Session(
        "glassbox",
        {"hidden_activation": "linear", "output_activation": "linear", "learning_rate": 1e6},
        backend,
    )
    done = session.train(1_000, budget_ms=600_000)["done"]
    state = session.state()
    assert state["status"] == "diverged"
    assert done < 1_000
    flat = [w for m in state["weights"] for row in m for w in row] + [b for v in state["biases"] for b in v]
    assert all(math.isfinite(v) for v in flat)
    trace = session.step()  # tried again, refused again
    assert trace["status"] == "diverged"
    assert trace["weights_after"] == trace["weights_before"] == state["weights"]
    json.dumps(trace, allow_nan=False)
    json.dumps(session.state(), allow_nan=False)
    assert session.train(10, budget_ms=1_000)["done"] == 0
    assert session.state()["iteration"] == state["iteration"]
    session.update({"learning_rate": 0.01})  # a gentler rate continues from the kept weights
    assert session.state()["status"] == "ok"
    session.reset()
    assert session.state()["status"] == "ok" and session.state()["iteration"] == 0


@pytest.mark.parametrize("preset", ["xor", "deep", "glassbox", "digits"])
def test_learning_rate_1e6_diverges_in_every_preset(preset):
    # Sigmoid slopes are bounded, so these weights would only saturate, never overflow; the
    # trainer's parameter limit is what reports the blow-up.
    session = Session(preset, {"learning_rate": 1e6}, "plain")
    session.train(50, budget_ms=600_000)
    state = session.state()
    assert state["status"] == "diverged"
    flat = [w for m in state["weights"] for row in m for w in row]
    assert all(math.isfinite(w) and abs(w) <= PARAMETER_LIMIT for w in flat)
    json.dumps(state, allow_nan=False)


def test_saturated_scenario_mse_flat_cross_entropy_learns(backend):
    mse = Session("glassbox", {"scenario": "saturated", "loss": "mse"}, backend)
    ce = Session("glassbox", {"scenario": "saturated", "loss": "cross_entropy"}, backend)
    assert mse.state()["weights"] == ce.state()["weights"]
    assert [1, 0] in mse.state()["neuron_flags"]["saturated"] or [2, 0] in mse.state()["neuron_flags"][
        "saturated"
    ]
    mse_start = mse.state()["examples"]
    ce_start = ce.state()["examples"]
    mse.train(100, budget_ms=600_000)
    ce.train(20, budget_ms=600_000)
    mse_curve = [loss for _, loss in mse.state()["loss_history"]]
    assert max(mse_curve) - min(mse_curve) < 0.01 * mse_curve[0]  # flat
    assert mse.state()["accuracy"] == 0.25  # still wrong
    ce_curve = [loss for _, loss in ce.state()["loss_history"]]
    assert ce_curve[-1] < 0.2 * ce_curve[0]  # learns at once
    assert ce.state()["accuracy"] >= 0.75
    moved = [abs(e["output"][0] - s["output"][0]) for e, s in zip(ce.state()["examples"], ce_start)]
    assert max(moved) > 0.5
    assert mse_start == Session("glassbox", {"scenario": "saturated"}, backend).state()["examples"]


def tiny(backend, bias=True):
    return Network(
        {"layers": [2, 2, 1], "activations": ["tanh", "sigmoid"], "bias": bias, "seed": 11}, backend
    )


def test_momentum_update_by_hand(backend):
    trainer = Trainer(tiny(backend), [[1.0, 0.0]], [[1.0]], learning_rate=0.3, momentum=0.9)
    first = trainer.trace_step()
    second = trainer.trace_step()
    for l, matrix in enumerate(second["weights_before"]):
        for j, row in enumerate(matrix):
            for i, w in enumerate(row):
                v1 = -0.3 * first["grad_weights"][l][j][i]
                v2 = 0.9 * v1 - 0.3 * second["grad_weights"][l][j][i]
                assert second["weights_after"][l][j][i] == pytest.approx(w + v2, abs=1e-15)
    assert second["momentum"] == 0.9


def test_mini_batch_averages_and_counts(backend):
    inputs = [[0, 0], [0, 1], [1, 0], [1, 1]]
    targets = [[0], [1], [1], [0]]
    trainer = Trainer(tiny(backend), inputs, targets, learning_rate=0.5, batch_size=2)
    trace = trainer.trace_step()
    assert trace["kind"] == "batch" and trace["example_indices"] == [0, 1]
    ex = trace["examples"]
    for l, matrix in enumerate(trace["grad_weights"]):
        for j, row in enumerate(matrix):
            for i, g in enumerate(row):
                mean = (ex[0]["grad_weights"][l][j][i] + ex[1]["grad_weights"][l][j][i]) / 2
                assert g == pytest.approx(mean, abs=1e-15)
    assert trace["loss"] == pytest.approx((ex[0]["loss"] + ex[1]["loss"]) / 2, abs=1e-15)
    assert (trainer.iteration, trainer.epoch) == (1, 0)
    trainer.step()
    assert (trainer.iteration, trainer.epoch) == (2, 1)


def test_per_example_sgd_in_order_and_shuffled():
    inputs = [[0, 0], [0, 1], [1, 0], [1, 1]]
    targets = [[0], [1], [1], [0]]
    ordered = Trainer(tiny("plain"), inputs, targets, learning_rate=0.1)
    assert [ordered.trace_step()["example_index"] for _ in range(6)] == [0, 1, 2, 3, 0, 1]
    assert ordered.epoch == 1
    seen = []
    shuffled = Trainer(tiny("plain"), inputs, targets, learning_rate=0.1, shuffle=True, seed=3)
    for _ in range(12):
        seen.append(shuffled.trace_step()["example_index"])
    for epoch in range(3):
        assert sorted(seen[4 * epoch : 4 * epoch + 4]) == [0, 1, 2, 3]
    assert seen != [0, 1, 2, 3] * 3
    again = Trainer(tiny("plain"), inputs, targets, learning_rate=0.1, shuffle=True, seed=3)
    assert [again.trace_step()["example_index"] for _ in range(12)] == seen


def test_full_batch_step_is_one_epoch(backend):
    session = Session("glassbox", backend=backend)
    trace = session.step()
    assert trace["kind"] == "batch" and len(trace["examples"]) == 4
    assert trace["example_indices"] == [0, 1, 2, 3]
    assert session.state()["epoch"] == 1 and session.state()["iteration"] == 1


def test_loss_history_stays_bounded():
    inputs = [[0, 0], [0, 1], [1, 0], [1, 1]]
    targets = [[0], [1], [1], [0]]
    trainer = Trainer(tiny("plain"), inputs, targets, learning_rate=0.5, history_capacity=50)
    trainer.train(5_000)
    points = trainer.loss_history.means()
    assert len(points) <= 50
    assert len(trainer.weight_norm_history.points) <= 50
    iterations = [i for i, _ in points]
    assert iterations == sorted(iterations) and iterations[-1] > 4_000


def test_bounded_series_averages_pairs():
    series = BoundedSeries(capacity=4)
    for k in range(1, 6):
        series.add(k, float(k))
    # Five points overflow four: pairs (1,2), (3,4) merge, 5 stays; stride doubles.
    assert series.points == [[2, 1.5], [4, 3.5], [5, 5.0]]
    assert series.stride == 2
    series.add(6, 6.0)
    assert series.points[-1] == [5, 5.0]
    series.add(7, 8.0)
    assert series.points[-1] == [7, 7.0]


def test_bounded_series_with_spread_keeps_each_points_extremes():
    series = BoundedSeries(capacity=4, spread=True)
    for k, value in enumerate([3.0, 1.0, 4.0, 1.0, 5.0], start=1):
        series.add(k, value, low=value - k, high=value + k)
    # Pairs merge as mean, min of lows, max of highs.
    assert series.points == [[2, 2.0, 1.0 - 2, 3.0 + 1], [4, 2.5, 1.0 - 4, 4.0 + 3], [5, 5.0, 0.0, 10.0]]
    assert series.means() == [[2, 2.0], [4, 2.5], [5, 5.0]]
    assert series.ranges() == [[2, -1.0, 4.0], [4, -3.0, 7.0], [5, 0.0, 10.0]]
    series.add(6, 2.0)  # half a point: its extremes survive a save
    copy = BoundedSeries.from_dict(series.to_dict(), "history", series.capacity, spread=True)
    copy.add(7, 9.0)
    series.add(7, 9.0)
    assert series.points[-1] == [7, 5.5, 2.0, 9.0]
    assert copy.points == series.points


def test_a_series_saved_without_spread_loads_with_its_means_as_extremes():
    old = {"capacity": 4, "points": [[1, 0.5], [2, 0.25]], "stride": 1, "sum": 0.0, "count": 0}
    series = BoundedSeries.from_dict(old, "history", 1000, spread=True)
    assert series.ranges() == [[1, 0.5, 0.5], [2, 0.25, 0.25]]


def test_weight_norm_history_tracks_mean_absolute_weight():
    session = Session("xor", backend="plain")
    start = session.state()["weight_norm_history"]
    weights = session.state()["weights"]
    flat = [abs(w) for m in weights for row in m for w in row]
    assert start == [[0, pytest.approx(sum(flat) / len(flat), abs=1e-15)]]
    session.train(3_000, budget_ms=600_000)
    history = session.state()["weight_norm_history"]
    assert history[-1][1] > history[0][1]  # weights grow as XOR is learnt (capacity lesson)
