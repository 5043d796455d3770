"""Optimisers, penalties and schedules against a reference written here from the formulas.

The reference (`Reference`) is plain loops over weights[l][j][i] and biases[l][j], written
from torch.optim's documented rules, not from nnsim's code: it keeps its own parameters and
state and is fed each step's mean loss gradient from the trace (backprop itself is checked by
test_gradcheck). Every rule, on random networks, must match it to 1e-9 for 25 steps.
"""

import json
import math
import random

import pytest
from nnsim import gradcheck, optimizers, regularization, schedules
from nnsim.network import Network
from nnsim.training import Trainer
from nnsim.updates import settings_table

STEPS = 25
TOLERANCE = 1e-9


def schedule_rate(settings, base, k):
    """The k-th rate (0-based), from the lr_scheduler formulas."""
    name = settings["name"]
    if name == "step":
        return base * settings["gamma"] ** (k // settings["step_size"])
    if name == "exponential":
        return base * settings["gamma"] ** k
    if name == "cosine":
        low = settings["eta_min"]
        return low + (base - low) * (1 + math.cos(math.pi * k / settings["t_max"])) / 2
    return base


class Reference:
    """One parameter at a time, state in a dict per parameter."""

    def __init__(self, optimizer, regularizer, schedule, base_rate, weights, biases):
        self.opt, self.reg, self.schedule, self.base = optimizer, regularizer, schedule, base_rate
        self.weights = [[list(row) for row in m] for m in weights]
        self.biases = None if biases is None else [list(b) for b in biases]
        self.state = {}
        self.t = 0

    def penalty_gradient(self, w):
        if self.reg is None:
            return 0.0
        if self.reg["kind"] == "l2":
            return self.reg["rate"] * w
        return self.reg["rate"] * (1.0 if w > 0 else -1.0 if w < 0 else 0.0)

    def step(self, grad_weights, grad_biases):
        rate = schedule_rate(self.schedule, self.base, self.t)
        self.t += 1
        for l, matrix in enumerate(self.weights):
            for j, row in enumerate(matrix):
                for i, w in enumerate(row):
                    g = grad_weights[l][j][i] + self.penalty_gradient(w)
                    new = self.update(("w", l, j, i), w, g, rate, is_weight=True)
                    # L1 (TF Playground's rule): a weight carried across 0 stops at 0
                    crossed = (
                        self.reg is not None
                        and self.reg["kind"] == "l1"
                        and ((w > 0 and new < 0) or (w < 0 and new > 0))
                    )
                    row[i] = 0.0 if crossed else new
        if self.biases is not None:
            for l, vector in enumerate(self.biases):
                for j, b in enumerate(vector):
                    vector[j] = self.update(("b", l, j), b, grad_biases[l][j], rate, is_weight=False)
        return rate

    def update(self, key, w, g, rate, is_weight):
        h, name, t = self.opt, self.opt["name"], self.t
        s = self.state.setdefault(key, {"v": 0.0, "sq": 0.0, "m": 0.0, "u": 0.0})
        if name == "sgd":
            return w - rate * g
        if name in ("momentum", "nesterov"):
            s["v"] = h["momentum"] * s["v"] + g
            if name == "momentum":
                return w - rate * s["v"]
            return w - rate * (g + h["momentum"] * s["v"])
        if name == "rmsprop":
            s["sq"] = h["alpha"] * s["sq"] + (1 - h["alpha"]) * g**2
            return w - rate * g / (math.sqrt(s["sq"]) + h["eps"])
        if name == "adamw" and is_weight:
            w = w - rate * h["weight_decay"] * w
        s["m"] = h["beta1"] * s["m"] + (1 - h["beta1"]) * g
        s["u"] = h["beta2"] * s["u"] + (1 - h["beta2"]) * g**2
        s["m_hat"] = s["m"] / (1 - h["beta1"] ** t)
        s["u_hat"] = s["u"] / (1 - h["beta2"] ** t)
        return w - rate * s["m_hat"] / (math.sqrt(s["u_hat"]) + h["eps"])


# nnsim's state names -> the reference's keys
STATE_KEYS = {
    "velocity": "v",
    "square_average": "sq",
    "first_moment": "m",
    "second_moment": "u",
    "first_moment_hat": "m_hat",
    "second_moment_hat": "u_hat",
}


def random_setup(seed, optimizer_name):
    rng = random.Random(seed)
    layers = [rng.randint(1, 4) for _ in range(rng.randint(2, 4))]
    depth = len(layers) - 1
    activations = [
        rng.choice(["sigmoid", "tanh", "relu", "leaky_relu", "linear"]) for _ in range(depth - 1)
    ] + [rng.choice(["sigmoid", "tanh", "linear"])]
    config = {
        "layers": layers,
        "activations": activations,
        "loss": "mse",
        "bias": rng.random() < 0.7,
        "init": "uniform",
        "seed": seed,
    }
    count = rng.randint(1, 4)
    inputs = [[rng.uniform(-1, 1) for _ in range(layers[0])] for _ in range(count)]
    targets = [[rng.uniform(0, 1) for _ in range(layers[-1])] for _ in range(count)]
    optimizer = {"name": optimizer_name}
    if optimizer_name in ("momentum", "nesterov"):
        optimizer["momentum"] = rng.choice([0.5, 0.9, 0.99])
    if optimizer_name == "rmsprop":
        optimizer.update(alpha=rng.choice([0.9, 0.99]), eps=rng.choice([1e-8, 1e-3]))
    if optimizer_name in ("adam", "adamw"):
        optimizer.update(beta1=rng.choice([0.8, 0.9]), beta2=rng.choice([0.99, 0.999]))
    if optimizer_name == "adamw":
        optimizer["weight_decay"] = rng.choice([0.01, 0.3])
    regularizer = rng.choice(
        [
            None,
            {"kind": "l1", "rate": rng.choice([0.001, 0.05])},
            {"kind": "l2", "rate": rng.choice([0.001, 0.1])},
        ]
    )
    schedule = rng.choice(
        [
            {"name": "constant"},
            {"name": "step", "step_size": rng.randint(1, 7), "gamma": 0.5},
            {"name": "exponential", "gamma": 0.93},
            {"name": "cosine", "t_max": rng.randint(3, 30), "eta_min": 0.001},
        ]
    )
    rate = {"sgd": 0.3, "momentum": 0.05, "nesterov": 0.05, "rmsprop": 0.01, "adam": 0.02, "adamw": 0.02}[
        optimizer_name
    ]
    return config, inputs, targets, optimizer, regularizer, schedule, rate, rng.choice([1, count])


def make_trainer(setup, backend=None):
    config, inputs, targets, optimizer, regularizer, schedule, rate, batch = setup
    return Trainer(
        Network(config, backend),
        inputs,
        targets,
        rate,
        batch_size=batch,
        optimizer=optimizers.read(optimizer),
        regularizer=regularization.read(regularizer),
        schedule=schedules.read(schedule),
    )


def assert_close(actual, expected, where):
    assert abs(actual - expected) <= TOLERANCE, f"{where}: {actual!r} != {expected!r}"


def each_parameter(shaped):
    for l, matrix in enumerate(shaped["weights"]):
        for j, row in enumerate(matrix):
            for i, value in enumerate(row):
                yield ("w", l, j, i), value
    for l, vector in enumerate(shaped["biases"] or []):
        for j, value in enumerate(vector):
            yield ("b", l, j), value


@pytest.mark.parametrize("name", optimizers.NAMES)
@pytest.mark.parametrize("seed", range(6))
def test_every_rule_matches_the_reference(name, seed, backend):
    setup = random_setup(seed * 31 + len(name), name)
    trainer = make_trainer(setup, backend)
    optimizer = trainer.updater.optimizer.settings
    reference = Reference(
        optimizer, setup[4], trainer.updater.schedule.settings, setup[6], *trainer.network.parameters()
    )
    for step in range(STEPS):
        trace = trainer.trace_step()
        assert trace["status"] == "ok"
        rate = reference.step(trace["grad_weights"], trace["grad_biases"])
        assert_close(trace["step_learning_rate"], rate, f"step {step} rate")
        assert trace["optimizer"]["step"] == step + 1
        where = f"{name} step {step}"
        for key, value in each_parameter(
            {"weights": trace["weights_after"], "biases": trace["biases_after"]}
        ):
            kind, l, *index = key
            expected = (
                reference.weights[l][index[0]][index[1]] if kind == "w" else reference.biases[l][index[0]]
            )
            assert_close(value, expected, f"{where} {key}")
        for state_name, shaped in trace["optimizer_state"]["after"].items():
            if state_name == "decayed":
                continue
            for key, value in each_parameter(shaped):
                assert_close(
                    value, reference.state[key][STATE_KEYS[state_name]], f"{where} {state_name} {key}"
                )


def test_sgd_and_momentum_traces_keep_their_trace_keys():
    setup = random_setup(3, "momentum")
    trace = make_trainer(setup).trace_step()
    assert trace["momentum"] == setup[3]["momentum"]
    assert trace["optimizer"]["name"] == "momentum"
    assert set(trace["optimizer_state"]["before"]) == {"velocity"}
    assert set(trace["optimizer_state"]["after"]) == {"velocity"}


def test_adam_shows_its_bias_corrected_moments():
    setup = random_setup(4, "adam")
    trainer = make_trainer(setup)
    trainer.step()
    trace = trainer.trace_step()
    after = trace["optimizer_state"]["after"]
    t = trace["optimizer"]["step"]
    assert t == 2
    beta1, beta2 = setup[3]["beta1"], setup[3]["beta2"]
    m, v = after["first_moment"]["weights"][0][0][0], after["second_moment"]["weights"][0][0][0]
    assert after["first_moment_hat"]["weights"][0][0][0] == pytest.approx(m / (1 - beta1**2))
    assert after["second_moment_hat"]["weights"][0][0][0] == pytest.approx(v / (1 - beta2**2))
    before = trace["optimizer_state"]["before"]["first_moment"]["weights"][0][0][0]
    g = trace["grad_weights"][0][0][0]
    if trace["regularization"]:
        g += trace["regularization"]["grad_weights"][0][0][0]
    assert m == pytest.approx(beta1 * before + (1 - beta1) * g, abs=1e-15)


def test_adamw_decays_weights_not_biases():
    config = {"layers": [2, 2, 1], "activations": ["tanh", "sigmoid"], "bias": True, "seed": 2}
    network = Network(config)
    zero_rate = {"name": "adamw", "weight_decay": 0.5}
    # With every gradient 0 the Adam part moves nothing: only the decay acts.
    trainer = Trainer(network, [[0.0, 0.0]], [[0.5]], 0.1, optimizer=optimizers.read(zero_rate))
    weights, biases = network.parameters()
    network.set_parameters(weights, [[0.0, 0.0], [0.0]])
    trace = trainer.trace_step()
    # inputs are 0, so dE/dw of the first layer is 0: those weights only decay
    for j in range(2):
        for i in range(2):
            assert trace["weights_after"][0][j][i] == pytest.approx(
                weights[0][j][i] * (1 - 0.1 * 0.5), abs=1e-15
            )
            assert (
                trace["optimizer_state"]["after"]["decayed"]["weights"][0][j][i]
                == trace["weights_after"][0][j][i]
            )


def objective(network, inputs, targets, regularizer):
    weights, _ = network.parameters()
    flat = [w for m in weights for row in m for w in row]
    if regularizer["kind"] == "l1":
        penalty = regularizer["rate"] * math.fsum(abs(w) for w in flat)
    else:
        penalty = regularizer["rate"] / 2 * math.fsum(w * w for w in flat)
    return gradcheck.mean_loss(network, inputs, targets) + penalty


@pytest.mark.parametrize("kind", ["l1", "l2"])
@pytest.mark.parametrize("seed", range(4))
def test_penalised_gradient_matches_central_differences(kind, seed, backend):
    """The gradient the optimiser gets (loss gradient + dP/dw) against the slope of the
    objective mean loss + P, by central differences in every weight and bias."""
    setup = random_setup(100 + seed, "sgd")
    config, inputs, targets = setup[:3]
    regularizer = {"kind": kind, "rate": 0.05}
    network = Network(config, backend)
    trainer = Trainer(
        network, inputs, targets, 0.1, batch_size=len(inputs), regularizer=regularization.read(regularizer)
    )
    start = network.parameters()
    trace = trainer.trace_step()
    network.set_parameters(*start)
    ops = network.ops
    xs, ys = [ops.vector(x) for x in inputs], [ops.vector(y) for y in targets]
    assert trace["objective"] == pytest.approx(objective(network, xs, ys, regularizer), abs=1e-13)
    assert trace["regularization"]["penalty"] == pytest.approx(trace["objective"] - trace["loss"], abs=1e-13)
    step = 1e-6

    def slope(container, index):
        original = container[index]
        container[index] = original + step
        up = objective(network, xs, ys, regularizer)
        container[index] = original - step
        down = objective(network, xs, ys, regularizer)
        container[index] = original
        return (up - down) / (2 * step)

    for l, matrix in enumerate(network.weights):
        for j in range(len(trace["grad_weights"][l])):
            for i in range(len(trace["grad_weights"][l][j])):
                analytic = trace["grad_weights"][l][j][i] + trace["regularization"]["grad_weights"][l][j][i]
                assert analytic == pytest.approx(slope(matrix[j], i), abs=1e-7)
    for l, vector in enumerate(network.biases or []):
        for j in range(len(vector)):  # no penalty on biases
            assert trace["grad_biases"][l][j] == pytest.approx(slope(vector, j), abs=1e-7)


@pytest.mark.parametrize(
    "settings, base, expected",
    [
        ({"name": "constant"}, 0.3, [0.3] * 5),
        (
            {"name": "step", "step_size": 3, "gamma": 0.5},
            0.1,
            [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025],
        ),
        ({"name": "step", "step_size": 2}, 1.0, [1.0, 1.0, 0.1, 0.1, 0.01]),  # gamma 0.1 default
        ({"name": "exponential", "gamma": 0.9}, 1.0, [1.0, 0.9, 0.81, 0.729, 0.6561]),
        # (1 + cos(pi k / 4)) / 2: 1, (2 + sqrt 2)/4, 1/2, (2 - sqrt 2)/4, 0, then up again
        (
            {"name": "cosine", "t_max": 4},
            1.0,
            [1.0, 0.8535533905932737, 0.5, 0.14644660940672624, 0.0, 0.14644660940672624, 0.5],
        ),
        ({"name": "cosine", "t_max": 2, "eta_min": 0.1}, 0.5, [0.5, 0.3, 0.1, 0.3, 0.5]),
    ],
)
def test_schedules_by_hand(settings, base, expected):
    schedule = schedules.read(settings)
    assert [schedule.rate(base, k) for k in range(len(expected))] == pytest.approx(expected, abs=1e-15)
    # and the trainer uses them, one rate per update
    network = Network({"layers": [1, 1], "activations": ["linear"], "bias": False, "seed": 1})
    trainer = Trainer(network, [[1.0]], [[0.0]], base, schedule=schedule)
    rates = []
    for _ in expected:
        trace = trainer.trace_step()
        rates.append(trace["step_learning_rate"])
        w, g = trace["weights_before"][0][0][0], trace["grad_weights"][0][0][0]
        assert trace["weights_after"][0][0][0] == pytest.approx(w - rates[-1] * g, abs=1e-15)
    assert rates == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize(
    "reader, value, message",
    [
        (optimizers.read, {"name": "adagrad"}, "optimizer.name: expected one of sgd, momentum"),
        (optimizers.read, {"name": "adam", "beta1": 1.0}, "optimizer.beta1: must be at least 0 and below 1"),
        (optimizers.read, {"name": "adam", "momentum": 0.9}, "optimizer.momentum: not a setting of adam"),
        (
            optimizers.read,
            {"name": "sgd", "weight_decay": 0.1},
            "optimizer.weight_decay: not a setting of sgd",
        ),
        (optimizers.read, {"name": "rmsprop", "eps": 0}, "optimizer.eps: must be above 0"),
        (optimizers.read, {"name": "momentum", "momentum": "0.9"}, "optimizer.momentum: expected a number"),
        (optimizers.read, [1], "optimizer: expected an object"),
        (regularization.read, {"kind": "l3", "rate": 1}, "regularization.kind: expected one of l1, l2"),
        (regularization.read, {"kind": "l2"}, "regularization.rate: required for l2"),
        (regularization.read, {"kind": "l1", "rate": -1}, "regularization.rate: must be at least 0"),
        (schedules.read, {"name": "step"}, "schedule.step_size: required for step"),
        (schedules.read, {"name": "step", "step_size": 1.5}, "schedule.step_size: expected a whole number"),
        (schedules.read, {"name": "cosine", "t_max": 0}, "schedule.t_max: must be at least 1, got 0"),
        (
            schedules.read,
            {"name": "exponential", "gamma": 0.9, "t_max": 3},
            "schedule.t_max: not a setting of exponential",
        ),
    ],
)
def test_bad_settings_name_the_field(reader, value, message):
    with pytest.raises(ValueError) as error:
        reader(value)
    assert str(error.value).startswith(message), str(error.value)


def test_defaults_are_pytorchs():
    assert optimizers.read({"name": "adam"}).settings == {
        "name": "adam",
        "beta1": 0.9,
        "beta2": 0.999,
        "eps": 1e-8,
    }
    assert optimizers.read({"name": "adamw"}).settings["weight_decay"] == 0.01
    assert optimizers.read({"name": "rmsprop"}).settings == {"name": "rmsprop", "alpha": 0.99, "eps": 1e-8}
    assert optimizers.read({"name": "nesterov"}).settings["momentum"] == 0.9
    table = settings_table()
    json.dumps(table, allow_nan=False)
    assert [s["name"] for s in table["optimizer"]["adamw"]] == ["beta1", "beta2", "eps", "weight_decay"]
    assert table["schedule"]["step"][0] == {
        "name": "step_size",
        "default": None,
        "low": 1,
        "high": None,
        "low_open": False,
        "high_open": False,
        "whole": True,
        "meaning": "steps between decays",
        "label": "Steps between decays",
    }
    assert table["default_learning_rates"]["adam"] == 0.001


def test_saved_progress_continues_adam_exactly():
    setup = random_setup(8, "adam")
    first = make_trainer(setup)
    for _ in range(5):
        first.step()
    saved = json.loads(json.dumps(first.progress()))
    second = make_trainer(setup)
    second.network.set_parameters(*first.network.parameters())
    second.restore_progress(saved)
    for _ in range(4):
        assert second.trace_step() == first.trace_step()
    wrong = dict(saved, optimizer_state=dict(saved["optimizer_state"], name="sgd"))
    with pytest.raises(ValueError, match="progress.optimizer_state.name"):
        make_trainer(setup).restore_progress(wrong)


def test_refused_update_keeps_the_optimizer_state():
    network = Network(
        {"layers": [1, 1], "activations": ["linear"], "bias": False, "init": "explicit", "weights": [[[1.0]]]}
    )
    trainer = Trainer(network, [[1.0]], [[0.0]], 1e9, optimizer=optimizers.read({"name": "momentum"}))
    trace = trainer.trace_step()
    assert trace["status"] == "diverged"
    assert trace["weights_after"] == [[[1.0]]]
    assert trainer.updater.state["step"] == 0
    assert trainer.updater.state["velocity"] == [[0.0]]
