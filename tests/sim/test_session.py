"""Session: the app-facing contract, JSON round trip, settings, and every documented error."""

import json

import pytest
from nnsim import Network, Session
from nnsim.presets import SATURATED_WEIGHTS

STATE_KEYS = {
    "preset",
    "settings",
    "config",
    "weights",
    "biases",
    "iteration",
    "epoch",
    "status",
    "loss_history",
    "accuracy",
    "heldout_accuracy",
    "examples",
    "neuron_flags",
    "weight_norm_history",
    "converged_at",
    "backend",
}
TRACE_KEYS = {
    "layers",
    "activations",
    "loss_name",
    "bias",
    "learning_rate",
    "momentum",
    "iteration",
    "example_index",
    "input",
    "target",
    "z",
    "a",
    "slope",
    "raw_error",
    "backprop_terms",
    "output_delta_rule",
    "delta",
    "loss",
    "loss_terms",
    "grad_weights",
    "grad_biases",
    "weights_before",
    "biases_before",
    "weights_after",
    "biases_after",
    "status",
}
EXAMPLE_KEYS = {
    "input",
    "target",
    "z",
    "a",
    "slope",
    "raw_error",
    "backprop_terms",
    "output_delta_rule",
    "delta",
    "loss",
    "loss_terms",
    "grad_weights",
    "grad_biases",
}


@pytest.mark.parametrize("preset", ["xor", "deep", "glassbox", "digits"])
def test_state_and_trace_follow_the_contract(preset, backend):
    session = Session(preset, backend=backend)
    state = session.state()
    assert STATE_KEYS <= set(state)
    assert state["iteration"] == 0 and state["status"] == "ok"
    trace = session.step()
    json.dumps(trace, allow_nan=False)
    if preset == "glassbox":
        assert trace["kind"] == "batch"
        assert TRACE_KEYS - {
            "example_index",
            "input",
            "target",
            "z",
            "a",
            "slope",
            "raw_error",
            "backprop_terms",
            "output_delta_rule",
            "delta",
            "loss_terms",
        } <= set(trace)
        assert all(EXAMPLE_KEYS <= set(e) for e in trace["examples"])
    else:
        assert trace["kind"] == "example" and TRACE_KEYS <= set(trace)
        assert len(trace["z"]) == len(trace["layers"]) - 1
        assert len(trace["a"]) == len(trace["layers"])
    assert session.state()["iteration"] == 1
    result = session.train(5, budget_ms=10_000)
    assert result["done"] == 5 and result["state"]["iteration"] == 6
    json.dumps(session.state(), allow_nan=False)


def test_train_returns_early_when_the_budget_is_used():
    session = Session("digits", backend="plain")
    result = session.train(10_000_000, budget_ms=5)
    assert 0 < result["done"] < 10_000_000


def test_xor_examples_table():
    examples = Session("xor").state()["examples"]
    assert [e["input"] for e in examples] == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert [e["target"] for e in examples] == [[0], [1], [1], [0]]
    for e in examples:
        assert e["loss"] == pytest.approx(0.5 * (e["output"][0] - e["target"][0]) ** 2, abs=1e-15)


@pytest.mark.parametrize("preset", ["xor", "deep", "glassbox", "digits"])
def test_export_load_round_trip_is_exact(preset, backend):
    session = Session(preset, backend=backend)
    session.train(37, budget_ms=60_000)
    text = json.dumps(session.export(), allow_nan=False)
    copy = Session("xor", backend=backend)
    copy.load(json.loads(text))
    assert copy.state() == session.state()
    assert copy.export() == session.export()
    for _ in range(3):
        assert copy.step() == session.step()


def test_round_trip_keeps_shuffle_and_momentum_state():
    from nnsim import Trainer

    config = {"layers": [2, 2, 1], "activations": ["tanh", "sigmoid"], "seed": 4}
    data = ([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]])
    first = Trainer(Network(config, "plain"), *data, learning_rate=0.2, momentum=0.5, shuffle=True, seed=9)
    first.train(7)
    saved = json.loads(json.dumps(first.progress()))
    second = Trainer(Network(config, "plain"), *data, learning_rate=0.2, momentum=0.5, shuffle=True, seed=9)
    second.network.set_parameters(*first.network.parameters())
    second.restore_progress(saved)
    for _ in range(6):
        assert second.trace_step() == first.trace_step()


def test_load_rejects_bad_exports_and_keeps_state():
    session = Session("xor")
    session.train(10, budget_ms=10_000)
    before = session.state()
    good = session.export()
    bad_cases = [
        ("format", dict(good, format="other")),
        ("weights", dict(good, weights=[[[1.0, 2.0]]])),
        ("weights[0][0][1]", dict(good, weights=[[[1.0, float("nan")], [0, 0], [0, 0]], [[0, 0, 0]]])),
        ("preset", dict(good, preset="mnist")),
        ("Learning rate", dict(good, settings={"learning_rate": -1, "seed": 1})),
        ("progress", dict(good, progress=None)),
        ("settings: expected an object", dict(good, settings=None)),
        ("settings: learning_rate, seed missing", dict(good, settings={})),
        ("settings: seed missing", dict(good, settings={"learning_rate": 0.5})),
        ("progress.iteration", dict(good, progress=dict(good["progress"], iteration=-3))),
        ("progress.order", dict(good, progress=dict(good["progress"], order=[0, 0, 1, 2]))),
        ("biases", dict(good, biases=[[1.0, 1.0, 1.0], [1.0]])),
    ]
    for field, exported in bad_cases:
        with pytest.raises(ValueError, match=field.replace("[", r"\[").replace("]", r"\]")):
            session.load(exported)
        assert session.state() == before
    with pytest.raises(ValueError, match="exported"):
        session.load("text")


def test_update_keeps_weights_where_it_can():
    session = Session("glassbox")
    session.train(10, budget_ms=10_000)
    weights = session.state()["weights"]
    state = session.update({"learning_rate": 0.9})
    assert state["weights"] == weights and state["iteration"] == 10
    state = session.update({"hidden_activation": "tanh", "loss": "cross_entropy"})
    assert state["weights"] == weights and state["iteration"] == 10
    assert state["config"]["activations"] == ["tanh", "sigmoid"]
    assert session.step()["examples"][0]["output_delta_rule"] == "cross_entropy_cancel"
    state = session.update({"seed": 99})
    assert state["weights"] != weights and state["iteration"] == 0
    state = session.update({"scenario": "saturated"})
    assert state["weights"] == SATURATED_WEIGHTS


def test_digits_hidden_size_and_predict():
    session = Session("digits", {"hidden": 5, "seed": 2})
    assert session.state()["config"]["layers"] == [25, 5, 10]
    session.update({"hidden": 12})
    assert [len(m) for m in session.state()["weights"]] == [12, 10]
    session.train(4_000, budget_ms=60_000)
    seven = Session("digits").setup.dataset["inputs"][7]
    result = session.predict(seven)
    assert result["prediction"] == 7
    assert len(result["a"]) == 3 and len(result["z"]) == 2 and len(result["output"]) == 10
    assert result["output"] == result["a"][-1]
    assert session.state()["iteration"] == 4_000  # predicting does not train


def test_reset_with_a_seed():
    session = Session("xor")
    session.train(50, budget_ms=10_000)
    state = session.reset(seed=42)
    assert state["settings"]["seed"] == 42 and state["iteration"] == 0
    assert state["weights"] == Session("xor", {"seed": 42}).state()["weights"]
    with pytest.raises(ValueError, match="seed"):
        Session("deep").reset(seed=3)


def test_deep_settings_change_the_example():
    session = Session("deep", {"inputs": [1, 0, 0], "targets": [0.1, 0.9]})
    trace = session.step()
    assert trace["input"] == [1.0, 0.0, 0.0] and trace["target"] == [0.1, 0.9]
    assert trace["z"][0] == pytest.approx([0.5, 0.5, 0.1, 0.5], abs=1e-15)


def test_neuron_flags():
    dead = Session("glassbox", {"hidden_activation": "relu", "seed": 3}).state()
    net = Network(dead["config"], "plain")
    for layer, j in dead["neuron_flags"]["dead_relu"]:
        for x in ([0, 0], [0, 1], [1, 0], [1, 1]):
            zs, _ = net.forward([float(v) for v in x])
            assert zs[layer - 1][j] <= 0
    assert dead["neuron_flags"]["dead_relu"]  # seed 3 has one: the dying-ReLU lesson
    saturated = Session("glassbox", {"scenario": "saturated"}).state()
    assert [2, 0] in saturated["neuron_flags"]["saturated"]
    none = Session("glassbox").state()["neuron_flags"]
    assert (none["saturated"], none["dead_relu"], none["summary"]) == ([], [], "")
    summary = dead["neuron_flags"]["summary"]
    count = len(dead["neuron_flags"]["dead_relu"])
    assert summary.startswith(f"Marked neurons: {count} dead ReLU") and "0.01" not in summary
    assert "0.01" in saturated["neuron_flags"]["summary"]
    assert saturated["neuron_flags"]["why"]["saturated"].startswith("Saturated: this neuron's slope")


# Messages name a setting by its label in the lab's schema: the words on the screen.
@pytest.mark.parametrize(
    "preset,settings,field",
    [
        ("mnist", None, "preset"),
        ("xor", {"speed": 1}, "Settings"),
        ("xor", {"learning_rate": 0}, "Learning rate η: must be above 0 and at most 1e9, got 0"),
        ("xor", {"learning_rate": float("inf")}, "Learning rate η"),
        ("xor", {"learning_rate": "fast"}, "Learning rate η"),
        ("xor", {"seed": 1.5}, "Seed of the random weights"),
        ("xor", "fast", "Settings"),
        ("deep", {"inputs": [1, 2]}, r"Inputs x \(layer 1\): expected 3 numbers"),
        ("deep", {"targets": [0.1, None]}, r"Targets y \(what the outputs should be\), y2"),
        ("glassbox", {"scenario": "nor"}, 'Scenario: unknown choice "nor"'),
        ("glassbox", {"hidden_activation": "softmax"}, "Hidden activation"),
        (
            "glassbox",
            {"output_activation": "tanh", "loss": "cross_entropy"},
            "Loss: Cross-entropy needs Output activation Sigmoid, not tanh",
        ),
        ("glassbox", {"loss": "hinge"}, "Loss"),
        ("digits", {"hidden": 0}, "Hidden neurons: must be between 1 and 64"),
        ("digits", {"hidden": 65}, "Hidden neurons"),
    ],
)
def test_settings_errors_name_the_field(preset, settings, field):
    with pytest.raises(ValueError, match=f"^{field}"):
        Session(preset, settings)


def test_method_argument_errors():
    session = Session("digits")
    with pytest.raises(ValueError, match="^input"):
        session.predict([1, 0])
    with pytest.raises(ValueError, match=r"^input\[3\]"):
        session.predict([0] * 3 + ["x"] + [0] * 21)
    with pytest.raises(ValueError, match="^max_iterations"):
        session.train(-1)
    with pytest.raises(ValueError, match="^budget_ms"):
        session.train(10, budget_ms=0)
    with pytest.raises(ValueError, match="^Loss"):
        Session("glassbox").update({"output_activation": "relu", "loss": "cross_entropy"})


BASE = {"layers": [2, 3, 1], "activations": ["sigmoid", "sigmoid"], "loss": "mse"}


@pytest.mark.parametrize(
    "change,field",
    [
        ({"layers": [2]}, "layers"),
        ({"layers": [2] * 11, "activations": ["sigmoid"] * 10}, "layers"),
        ({"layers": [2, 1001, 1]}, r"layers\[1\]"),
        ({"layers": [2, 0, 1]}, r"layers\[1\]"),
        ({"layers": [2, 2.5, 1]}, r"layers\[1\]"),
        ({"activations": ["sigmoid"]}, "activations"),
        ({"activations": ["sigmoid", "swish"]}, r"activations\[1\]"),
        ({"activations": ["softmax", "sigmoid"]}, r"activations\[0\]"),
        ({"activations": ["sigmoid", "tanh"], "loss": "cross_entropy"}, "loss"),
        ({"activations": ["sigmoid", "softmax"]}, "loss"),
        ({"loss": "hinge"}, "loss"),
        ({"bias": "yes"}, "bias"),
        ({"init": "orthogonal"}, "init"),
        ({"seed": "x"}, "seed"),
        ({"colour": 1}, "config"),
        ({"init": "explicit", "bias": False, "weights": [[[1, 2]] * 3]}, "weights"),
        ({"init": "explicit", "bias": False, "weights": [[[1, 2]] * 3, [[1, 2]]]}, r"weights\[1\]\[0\]"),
        (
            {"init": "explicit", "bias": False, "weights": [[[1, 2]] * 3, [[1, 2, float("inf")]]]},
            r"weights\[1\]\[0\]\[2\]",
        ),
        ({"init": "explicit", "bias": False, "weights": [[[1, 2]] * 2, [[1, 2, 3]]]}, r"weights\[0\]"),
        (
            {
                "init": "explicit",
                "bias": True,
                "weights": [[[1, 2]] * 3, [[1, 2, 3]]],
                "biases": [[0, 0, 0], [0, 0]],
            },
            r"biases\[1\]",
        ),
        (
            {
                "init": "explicit",
                "bias": False,
                "weights": [[[1, 2]] * 3, [[1, 2, 3]]],
                "biases": [[0, 0, 0], [0]],
            },
            "biases",
        ),
        ({"weights": [[[1, 2]] * 3, [[1, 2, 3]]]}, "weights"),
    ],
)
def test_config_errors_name_the_field(change, field):
    with pytest.raises(ValueError, match=f"^{field}"):
        Network(dict(BASE, **change), "plain")


@pytest.mark.parametrize("preset", ["xor", "deep", "glassbox", "digits"])
def test_peek_is_the_next_step_and_changes_nothing(preset):
    session = Session(preset, {"learning_rate": 1e9} if preset == "glassbox" else None)
    session.train(7, budget_ms=10_000)
    for _ in range(6):  # past divergence too, for the huge rate
        exported, state = session.export(), session.state()
        peeked = session.peek()
        assert session.export() == exported and session.state() == state
        assert peeked == session.step()


def test_a_light_chunk_state_is_the_full_states_counters_and_latest_loss():
    session = Session("digits")
    light = session.train(300, budget_ms=10_000, light=True)["state"]
    full = session.state()
    assert light.pop("light") is True
    assert light.pop("latest_loss") == full["loss_history"][-1][1]
    assert light == {
        key: full[key] for key in ("iteration", "epoch", "status", "converged_at", "latest_loss_label")
    }
    assert Session("xor").train(0, light=True)["state"]["latest_loss"] is None


def test_a_new_momentum_takes_effect_at_once():
    """Changing μ mid-session trains as a session opened with that μ (same weights, zero
    velocity), not on with the old optimiser."""
    opened = Session("xor", {"momentum": 0.9})
    changed = Session("xor", {"momentum": 0.0})
    changed.update({"momentum": 0.9})
    unchanged = Session("xor", {"momentum": 0.0})
    for session in (opened, changed, unchanged):
        session.train(300, budget_ms=60_000)
    assert changed.state()["weights"] == opened.state()["weights"]
    assert unchanged.state()["weights"] != opened.state()["weights"]


def test_deep_optimiser_settings_reach_the_trainer_and_keep_the_training():
    session = Session(
        "deep", {"optimizer": "adam", "beta1": 0.8, "schedule": "step", "step_size": 2, "gamma": 0.5}
    )
    for _ in range(3):
        session.step()
    trace = session.peek()
    assert trace["optimizer"] == {"name": "adam", "beta1": 0.8, "beta2": 0.999, "eps": 1e-8, "step": 4}
    assert trace["step_learning_rate"] == pytest.approx(0.1 * 0.5 ** (3 // 2))
    weights = session.state()["weights"]
    # another optimiser: weights, steps and history stay; its state starts from zero (t = 1)
    state = session.update({"optimizer": "momentum", "momentum": 0.5})
    assert state["weights"] == weights and state["iteration"] == 3
    assert len(state["loss_history"]) == 3
    trace = session.peek()
    assert trace["optimizer"]["step"] == 1
    zero = trace["optimizer_state"]["before"]["velocity"]["weights"]
    assert all(v == 0.0 for m in zero for row in m for v in row)
    # the schedule goes on from the steps taken
    assert trace["step_learning_rate"] == pytest.approx(0.1 * 0.5 ** (3 // 2))


def test_deep_optimiser_settings_are_checked_by_the_schema():
    with pytest.raises(ValueError, match="^β₁ .*: must be at least 0 and below 1, got 1"):
        Session("deep", {"optimizer": "adam", "beta1": 1.0})
    with pytest.raises(ValueError, match='^Optimiser: unknown choice "adagrad"'):
        Session("deep", {"optimizer": "adagrad"})
