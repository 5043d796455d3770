"""The playground's optimisers, penalties and schedules (the Deep lab's settings): training
matches Adam, momentum and the L1/L2 rules written here from their formulas, over batches whose
gradients are checked by central differences; changing them keeps the training; a save carries
the optimiser's state; a followed point's update is the optimiser's, with its state."""

import math

import pytest
from nnsim.playground.session import PlaygroundSession
from test_explain import check_lines_redo
from test_playground_follow import holder_of, loss_slope, weight

SMALL = {"points": 40, "batch_size": 8, "hidden": [3], "activations": ["tanh"]}


def flat(model):
    return [w for m in model.weights for row in m for w in row] + [b for v in model.biases for b in v]


def weight_count(model):
    return sum(len(row) for m in model.weights for row in m)


def batch_gradients(session):
    """The next batch's mean loss gradient of every parameter, by central differences."""
    trainer = session.trainer
    start, stop = trainer.batch_bounds(trainer.next_batch)
    part = trainer.train_points.part(start, stop)
    model = session.model
    grads = []
    for l, matrix in enumerate(model.weights):
        for j, row in enumerate(matrix):
            grads += [loss_slope(session, part, weight(l, j, i)) for i in range(len(row))]
    for l, vector in enumerate(model.biases):
        grads += [loss_slope(session, part, {"kind": "bias", "index": [l, j]}) for j in range(len(vector))]
    return grads


def adam_reference(steps, session, eta, beta1, beta2, eps, l2, gamma, step_size):
    """Adam with an L2 penalty on the weights and step decay, from the formulas."""
    count = weight_count(session.model)
    m = v = None
    for t in range(1, steps + 1):
        w = flat(session.model)
        g = batch_gradients(session)
        g = [gk + (l2 * wk if k < count else 0.0) for k, (gk, wk) in enumerate(zip(g, w))]
        m = [(1 - beta1) * q for q in g] if m is None else [beta1 * a + (1 - beta1) * q for a, q in zip(m, g)]
        v = (
            [(1 - beta2) * q * q for q in g]
            if v is None
            else [beta2 * a + (1 - beta2) * q * q for a, q in zip(v, g)]
        )
        rate = eta * gamma ** ((t - 1) // step_size)
        expected = [
            p - rate * (a / (1 - beta1**t)) / (math.sqrt(b / (1 - beta2**t)) + eps)
            for p, a, b in zip(w, m, v)
        ]
        session.step()
        assert flat(session.model) == pytest.approx(expected, rel=1e-6, abs=1e-9)
    return m, v


def test_adam_with_l2_and_step_decay_trains_as_the_formulas_say():
    settings = {
        **SMALL,
        "optimizer": "adam",
        "learning_rate": 0.02,
        "beta1": 0.8,
        "beta2": 0.99,
        "regularization": "l2",
        "regularization_rate": 0.05,
        "schedule": "step",
        "step_size": 3,
        "gamma": 0.5,
    }
    session = PlaygroundSession(settings)
    adam_reference(7, session, 0.02, 0.8, 0.99, 1e-8, 0.05, 0.5, 3)


def test_momentum_and_l1_zeros():
    session = PlaygroundSession({**SMALL, "optimizer": "momentum", "momentum": 0.5, "learning_rate": 0.1})
    velocity = None
    for _ in range(5):
        w = flat(session.model)
        g = batch_gradients(session)
        velocity = g if velocity is None else [0.5 * a + q for a, q in zip(velocity, g)]
        session.step()
        assert flat(session.model) == pytest.approx(
            [p - 0.1 * a for p, a in zip(w, velocity)], rel=1e-6, abs=1e-9
        )
    session.update({"optimizer": "sgd", "regularization": "l1", "regularization_rate": 0.2})
    session.train(20, budget_ms=10_000)
    weights = [w for m in session.model.weights for row in m for w in row]
    assert weights.count(0.0) > 0
    state = session.state()
    assert state["penalty"] == pytest.approx(0.2 * math.fsum(map(abs, weights)))


def test_changing_the_optimiser_keeps_the_training():
    session = PlaygroundSession(SMALL)
    session.train(3, budget_ms=10_000)
    before = session.state()
    for change in (
        {"optimizer": "adamw", "weight_decay": 0.1},
        {"schedule": "cosine"},
        {"regularization": "l2"},
        {"beta2": 0.9},
    ):
        state = session.update(change)
        assert (state["weights"], state["epoch"], state["history"]) == (
            before["weights"],
            before["epoch"],
            before["history"],
        ), change
    assert session.trainer.updater.optimizer.settings == {
        "name": "adamw",
        "beta1": 0.9,
        "beta2": 0.9,
        "eps": 1e-8,
        "weight_decay": 0.1,
    }
    assert session.trainer.updater.state["step"] == 0  # a new optimiser starts from zero


def test_a_save_carries_the_optimisers_state():
    session = PlaygroundSession({**SMALL, "optimizer": "rmsprop", "learning_rate": 0.01})
    session.train(2, budget_ms=10_000)
    saved = session.export()
    assert saved["progress"]["optimizer_state"]["name"] == "rmsprop"
    loaded = PlaygroundSession()
    loaded.load(saved)
    session.train(2, budget_ms=10_000)
    loaded.train(2, budget_ms=10_000)
    assert loaded.model.weights == session.model.weights
    # a save from before the optimisers (no optimizer_state) loads with a zero state
    del saved["progress"]["optimizer_state"]
    loaded.load(saved)
    assert loaded.trainer.updater.state["step"] == 0


def test_followed_points_update_is_adams_with_its_state():
    session = PlaygroundSession(
        {
            **SMALL,
            "optimizer": "adam",
            "learning_rate": 0.05,
            "regularization": "l1",
            "regularization_rate": 0.01,
        }
    )
    session.train(1, budget_ms=10_000)
    point = session.roles.index(("train", 3))  # in batch 0, the next one
    parameter = weight(0, 1, 0)
    followed = session.follow(point, parameter)
    ids = [s["id"] for s in followed["steps"]]
    assert ids[ids.index("cost") + 1] == "penalty" and ids[-1] == "update"
    update = followed["steps"][-1]
    assert update["title"] == "The update (Adam, step t = 4)"  # 20 training points: 3 batches an epoch
    assert [s["name"] for s in update["state"]] == [
        "first_moment",
        "second_moment",
        "first_moment_hat",
        "second_moment_hat",
    ]
    check_lines_redo(followed["steps"])
    assert any(r"\hat{m}" in line for line in followed["conventions"])
    session.step()
    holder, index = holder_of(session.model, parameter)
    assert holder[index] == followed["batch"]["after"]
    assert (
        update["state"][0]["after"]
        == session.trainer.updater.saved_state()["first_moment"]["weights"][0][1][0]
    )
