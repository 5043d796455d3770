"""Following a point: every written-out line redoes to its result (texcalc), the chain rule's
value is the slope of that point's loss (central differences), and the batch's gradient and
update are the ones training makes."""

import json
import random

import pytest
from nnsim import gradcheck
from nnsim.playground.session import PlaygroundSession
from test_explain import check_lines_redo
from test_playground_network import ENDINGS, mean_loss, random_session


def weight(l, j, i):
    return {"kind": "weight", "index": [l, j, i]}


def bias(l, j):
    return {"kind": "bias", "index": [l, j]}


def every_parameter(model):
    for l, matrix in enumerate(model.weights):
        for j, row in enumerate(matrix):
            yield bias(l, j)
            for i in range(len(row)):
                yield weight(l, j, i)


def holder_of(model, parameter):
    l, j, *rest = parameter["index"]
    return (model.biases[l], j) if not rest else (model.weights[l][j], rest[0])


def loss_slope(session, points, parameter):
    """Central difference of the mean loss over the given points (input and target columns)."""
    model = session.model
    holder, index = holder_of(model, parameter)
    return gradcheck.central_difference(holder, index, lambda: mean_loss(model, *points))


@pytest.mark.parametrize("ending", ENDINGS, ids=[e[2] + "-" + e[0] for e in ENDINGS])
def test_every_line_redoes_and_the_chain_rule_is_the_slope(ending):
    rng = random.Random(ending[2] + ending[0])
    for _ in range(2):
        session = random_session(rng, ending)
        session.update({"batch_size": rng.choice([1, 5, 30])})
        session.train(rng.randint(0, 3), budget_ms=10_000)
        parameters = list(every_parameter(session.model))
        for parameter in rng.sample(parameters, min(4, len(parameters))) + [parameters[-2]]:
            point = rng.randrange(len(session.roles))
            followed = session.follow(point, parameter)
            json.dumps(followed, allow_nan=False)
            check_lines_redo(followed["steps"])
            role, index = session.roles[point]
            points = session.trainer.train_points if role == "train" else session.trainer.test_points
            grad = next(s for s in followed["steps"] if s["id"] == "parameter")["lines"][0]
            assert grad["value"] == pytest.approx(
                loss_slope(session, points.part(index, index + 1), parameter), rel=1e-5, abs=1e-8
            )
            if role == "train":
                batch = followed["batch"]
                part = session.trainer.train_points.part(batch["first"], batch["first"] + batch["size"])
                assert batch["gradient"] == pytest.approx(
                    loss_slope(session, part, parameter), rel=1e-5, abs=1e-8
                )


def test_steps_of_a_training_point_and_a_test_point():
    session = PlaygroundSession({"features": ["x1", "sinx2"]})
    training = session.roles.index(("train", 3))
    followed = session.follow(training, weight(1, 0, 1))  # neuron 2 of hidden 1 -> 1 of hidden 2
    assert [s["id"] for s in followed["steps"]] == [
        "features",
        "forward-2",
        "forward-3",
        "forward-4",
        "cost",
        "delta-4",
        "delta-3",
        "parameter",
        "batch-gradient",
        "update",
    ]
    assert [s["number"] for s in followed["steps"]] == list(range(1, 11))
    assert followed["steps"][0]["lines"][1]["general"] == r"\sin x_{2}"
    first_layer = followed["steps"][1]["lines"][0]["general"]
    assert r"w_{21}^{(2)} \sin x_{2}" in first_layer and "x_{1}" in first_layer
    assert followed["steps"][7]["highlight"]["connections"] == [[1, 0, 1]]
    assert followed["role"] == "train" and followed["batch"]["index"] == 0

    test_point = session.roles.index(("test", 0))
    followed = session.follow(test_point, bias(0, 2))  # a bias of the first layer
    ids = [s["id"] for s in followed["steps"]]
    assert ids[-2:] == ["parameter", "test-point"] and "delta-2" in ids
    assert followed["batch"] is None


def test_the_update_shown_is_the_update_training_makes():
    session = PlaygroundSession({"batch_size": 10, "learning_rate": 0.5})
    session.train(2, budget_ms=10_000)
    point = session.roles.index(("train", 37))  # in batch 3 (training points 31 to 40)
    for parameter in (bias(2, 0), weight(0, 3, 1), weight(1, 1, 2)):
        followed = session.follow(point, parameter)
        update = followed["steps"][-1]["lines"][0]
        assert followed["batch"]["index"] == 3 and followed["batch"]["size"] == 10
        saved = session.export()
        saved["progress"]["next_batch"] = 3  # the followed point's batch is next
        trained = PlaygroundSession()
        trained.load(saved)
        trained.step()
        holder, index = holder_of(trained.model, parameter)
        assert holder[index] == update["value"] == followed["batch"]["after"]


def test_a_big_batch_writes_this_point_and_the_rest():
    session = PlaygroundSession({"batch_size": 1000})  # all 250 training points
    followed = session.follow(session.roles.index(("train", 100)), weight(2, 0, 1))
    batch = followed["batch"]
    assert batch["size"] == 250 and len(batch["terms"]) == 250
    line = next(s for s in followed["steps"] if s["id"] == "batch-gradient")["lines"][0]
    assert line["substituted"].startswith(r"\frac{1}{250}")
    assert line["substituted"].count("+") == 1
    assert sum(batch["terms"]) / 250 == pytest.approx(batch["gradient"], abs=1e-15)
    check_lines_redo(followed["steps"])


@pytest.mark.parametrize(
    "point, parameter, message",
    [
        (500, None, "point: must be between 0 and 499"),
        (0, bias(3, 0), "parameter: the network has no bias [3, 0]"),
        (0, bias(0, 4), "parameter: the network has no bias [0, 4]"),
        (0, weight(0, 0, 2), "parameter: the network has no weight [0, 0, 2]"),
        (0, {"kind": "bias", "index": [0]}, "parameter: expected {kind: 'weight'"),
        (0, {"kind": "weight", "index": [0, 0, True]}, "parameter: expected {kind: 'weight'"),
        (0, [0, 0, 0], "parameter: expected {kind: 'weight'"),
    ],
)
def test_bad_follow_arguments(point, parameter, message):
    with pytest.raises(ValueError) as error:
        PlaygroundSession().follow(point, parameter)
    assert str(error.value).startswith(message)
