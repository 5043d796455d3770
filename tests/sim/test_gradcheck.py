"""Backpropagation agrees with central differences, on every preset and many random networks."""

import random

import pytest
from nnsim import Network, Session, gradcheck, presets

TOLERANCE = 1e-5


@pytest.mark.parametrize("preset", presets.NAMES)
def test_every_preset(preset, backend):
    session = Session(preset, backend=backend)
    session.train(25, budget_ms=10_000)  # away from the initial point as well
    dataset = session.setup.dataset
    result = gradcheck.check(session.network, dataset["inputs"], dataset["targets"])
    assert result["max_relative_error"] < TOLERANCE
    assert len(result["parameters"]) == sum(
        a * b for a, b in zip(session.network.layers, session.network.layers[1:])
    ) + (sum(session.network.layers[1:]) if session.network.biases is not None else 0)


def test_glassbox_variants(backend):
    for hidden in presets.GLASSBOX_ACTIVATIONS:
        for output, loss in (
            ("sigmoid", "cross_entropy"),
            ("tanh", "mse"),
            ("linear", "mse"),
            ("leaky_relu", "mse"),
        ):
            session = Session(
                "glassbox",
                {"hidden_activation": hidden, "loss": loss, "output_activation": output, "seed": 3},
                backend,
            )
            dataset = session.setup.dataset
            result = gradcheck.check(session.network, dataset["inputs"], dataset["targets"])
            assert result["max_relative_error"] < TOLERANCE, (hidden, output, loss)


def random_case(rng):
    depth = rng.randint(1, 4)
    layers = [rng.randint(1, 5) for _ in range(depth + 1)]
    hidden = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
    names = [rng.choice(hidden) for _ in range(depth - 1)]
    ending = rng.choice(["mse", "ce_sigmoid", "ce_softmax", "mse"])
    if ending == "mse":
        names.append(rng.choice(hidden))
        loss = "mse"
    elif ending == "ce_sigmoid":
        names.append("sigmoid")
        loss = "cross_entropy"
    else:
        layers[-1] = max(2, layers[-1])
        names.append("softmax")
        loss = "cross_entropy"
    config = {
        "layers": layers,
        "activations": names,
        "loss": loss,
        "bias": rng.random() < 0.7,
        "init": rng.choice(["uniform", "xavier", "he"]),
        "seed": rng.randrange(10_000),
    }
    count = rng.randint(1, 3)
    inputs = [[rng.uniform(-2, 2) for _ in range(layers[0])] for _ in range(count)]
    if names[-1] == "softmax":
        targets = []
        for _ in range(count):
            hot = [0.0] * layers[-1]
            hot[rng.randrange(layers[-1])] = 1.0
            targets.append(hot)
    else:
        targets = [[rng.random() for _ in range(layers[-1])] for _ in range(count)]
    return config, inputs, targets


@pytest.mark.parametrize("case", range(120))
def test_random_networks(case, backend):
    config, inputs, targets = random_case(random.Random(case))
    network = Network(config, backend)
    result = gradcheck.check(network, inputs, targets)
    # A ReLU exactly at its kink has no derivative; the random draws never land there.
    assert result["max_relative_error"] < TOLERANCE, config


def test_check_reports_each_parameter():
    network = Network({"layers": [2, 2], "activations": ["sigmoid"], "bias": True, "seed": 1}, "plain")
    result = gradcheck.check(network, [[0.5, -0.5]], [[1.0, 0.0]])
    names = [(p["name"], p["index"]) for p in result["parameters"]]
    assert names == [
        ("weight", [0, 0, 0]),
        ("weight", [0, 0, 1]),
        ("weight", [0, 1, 0]),
        ("weight", [0, 1, 1]),
        ("bias", [0, 0]),
        ("bias", [0, 1]),
    ]
    assert result["max_relative_error"] == max(p["relative_error"] for p in result["parameters"])


def test_check_catches_a_wrong_gradient(monkeypatch):
    # The check must fail when backprop is wrong: break the sigmoid slope by a factor 2.
    from nnsim import activations

    sigmoid = activations.get("sigmoid")
    monkeypatch.setattr(sigmoid, "slopes", lambda zs, acts: [2 * a * (1 - a) for a in acts])
    network = Network({"layers": [2, 2, 1], "activations": ["sigmoid", "sigmoid"], "seed": 2}, "plain")
    assert gradcheck.check(network, [[1.0, 0.0]], [[1.0]])["max_relative_error"] > 0.1
