"""nnsim.compare: runs side by side from the same start, the loss grid, the narrow valley."""

import math

import pytest
from nnsim import compare, optimizers, regularization, schedules
from nnsim.network import Network
from nnsim.training import Trainer

NETWORK = {"layers": [2, 3, 1], "activations": ["tanh", "sigmoid"], "bias": True, "seed": 6}
INPUTS = [[0, 0], [0, 1], [1, 0], [1, 1]]
TARGETS = [[0], [1], [1], [0]]
RUNS = [
    {"optimizer": {"name": "sgd"}, "learning_rate": 0.5},
    {
        "label": "Adam",
        "optimizer": {"name": "adam"},
        "learning_rate": 0.05,
        "regularization": {"kind": "l2", "rate": 0.001},
    },
    {"optimizer": {"name": "nesterov", "momentum": 0.8}, "schedule": {"name": "exponential", "gamma": 0.99}},
]


def valley_loss(w1, w2):
    """The example's loss by hand: mean of 1/2 (w1 - 1)^2 and 1/2 (0.1 w2 - 0.1)^2."""
    return ((w1 - 1.0) ** 2 / 2 + (0.1 * w2 - 0.1) ** 2 / 2) / 2


def test_runs_start_together_and_match_their_own_trainer():
    track = [["weight", 0, 0, 0], ["bias", 1, 0]]
    results = compare.run_optimizers(NETWORK, INPUTS, TARGETS, RUNS, 30, track)
    assert [r["label"] for r in results] == ["sgd", "Adam", "nesterov"]
    assert results[2]["learning_rate"] == 0.05  # the optimiser's default rate
    start = Network(NETWORK).parameters()
    for result, run in zip(results, RUNS):
        assert result["status"] == "ok"
        assert len(result["losses"]) == len(result["path"]) == 31
        assert result["path"][0] == [start[0][0][0][0], start[1][1][0]]
        trainer = Trainer(
            Network(NETWORK, "plain"),
            INPUTS,
            TARGETS,
            result["learning_rate"],
            batch_size=4,
            optimizer=optimizers.read(run["optimizer"]),
            regularizer=regularization.read(run.get("regularization")),
            schedule=schedules.read(run.get("schedule")),
        )
        assert [trainer.step() for _ in range(30)] == result["losses"][:30]
        assert trainer.network.parameters() == (result["weights"], result["biases"])
        assert result["path"][-1] == [result["weights"][0][0][0], result["biases"][1][0]]
    # one start: the first loss of every run is the same number (the Adam run adds its penalty)
    assert results[0]["losses"][0] == results[2]["losses"][0]
    assert results[1]["losses"][0] > results[0]["losses"][0]


def test_momentum_beats_sgd_in_the_narrow_valley():
    example = compare.ill_conditioned_example()
    sgd, momentum = compare.run_optimizers(
        example["config"],
        example["inputs"],
        example["targets"],
        example["runs"],
        example["steps"],
        example["parameters"],
    )
    assert sgd["losses"][0] == momentum["losses"][0] == pytest.approx(valley_loss(-1, -2))
    assert momentum["losses"][-1] < sgd["losses"][-1] / 100
    assert math.dist(momentum["path"][-1], [1, 1]) < 0.05 < math.dist(sgd["path"][-1], [1, 1])
    # the losses are those of the path's points
    for losses, path in ((sgd["losses"], sgd["path"]), (momentum["losses"], momentum["path"])):
        for loss, (w1, w2) in zip(losses[::10], path[::10]):
            assert loss == pytest.approx(valley_loss(w1, w2), abs=1e-15)


def test_loss_surface_is_the_loss_at_each_grid_point():
    example = compare.ill_conditioned_example()
    surface = compare.loss_surface(
        example["config"],
        example["inputs"],
        example["targets"],
        example["parameters"],
        example["ranges"],
        resolution=21,
    )
    assert surface["x"][0] == -1.5 and surface["x"][-1] == 2.5 and len(surface["x"]) == 21
    assert surface["y"][0] == -2.5 and surface["y"][-1] == 3.5
    for r, w2 in enumerate(surface["y"]):
        for c, w1 in enumerate(surface["x"]):
            assert surface["loss"][r][c] == pytest.approx(valley_loss(w1, w2), abs=1e-15)
    assert surface["min"] == min(min(row) for row in surface["loss"])


def test_loss_surface_of_a_network_with_a_penalty():
    weights, biases = Network(NETWORK).parameters()
    surface = compare.loss_surface(
        NETWORK,
        INPUTS,
        TARGETS,
        [["weight", 1, 0, 2], ["bias", 0, 1]],
        [[-2, 2], [-1, 3]],
        resolution=5,
        regularization_settings={"kind": "l1", "rate": 0.1},
    )
    # the point (x[3], y[1]) by hand: set the two parameters, mean loss plus 0.1 sum |w|
    weights[1][0][2], biases[0][1] = surface["x"][3], surface["y"][1]
    network = Network(NETWORK)
    network.set_parameters(weights, biases)
    ops = network.ops
    loss = sum(network.example_loss(ops.vector(x), ops.vector(y)) for x, y in zip(INPUTS, TARGETS)) / 4
    penalty = 0.1 * sum(abs(w) for m in weights for row in m for w in row)
    assert surface["loss"][1][3] == pytest.approx(loss + penalty, abs=1e-13)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: compare.run_optimizers(NETWORK, INPUTS, TARGETS, [], 5), "runs: expected"),
        (
            lambda: compare.run_optimizers(NETWORK, INPUTS, TARGETS, [{"optimizer": {"name": "x"}}], 5),
            "runs[0].optimizer.name",
        ),
        (
            lambda: compare.run_optimizers(
                NETWORK, INPUTS, TARGETS, [{"optimizer": {"name": "sgd"}, "colour": 1}], 5
            ),
            "runs[0].colour",
        ),
        (lambda: compare.run_optimizers(NETWORK, INPUTS, TARGETS, RUNS, -1), "steps"),
        (lambda: compare.run_optimizers(NETWORK, INPUTS, TARGETS[:3], RUNS, 5), "targets"),
        (
            lambda: compare.run_optimizers(NETWORK, INPUTS, TARGETS, RUNS, 5, [["weight", 0, 0, 0]]),
            "track: expected two",
        ),
        (
            lambda: compare.loss_surface(
                NETWORK, INPUTS, TARGETS, [["weight", 0, 0, 0], ["weight", 0, 0, 0]], [[0, 1], [0, 1]]
            ),
            "parameters[1]: must differ",
        ),
        (
            lambda: compare.loss_surface(
                NETWORK, INPUTS, TARGETS, [["weight", 0, 0, 0], ["weight", 0, 5, 0]], [[0, 1], [0, 1]]
            ),
            "parameters[1][2]: must be below 3",
        ),
        (
            lambda: compare.loss_surface(
                NETWORK, INPUTS, TARGETS, [["weight", 0, 0, 0], ["bias", 0, 0]], [[1, 0], [0, 1]]
            ),
            "ranges[0]: the low end",
        ),
        (
            lambda: compare.loss_surface(
                NETWORK, INPUTS, TARGETS, [["weight", 0, 0, 0], ["bias", 0, 0]], [[0, 1], [0, 1]], 1000
            ),
            "resolution",
        ),
    ],
)
def test_bad_arguments_name_the_field(call, message):
    with pytest.raises(ValueError) as error:
        call()
    assert str(error.value).startswith(message), str(error.value)
