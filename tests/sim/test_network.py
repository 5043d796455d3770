"""Forward and backward numbers against independent hand calculations and the reference."""

import math

import pytest
from nnsim import Network, Session, Trainer, activations, losses
from nnsim.presets import DEEP_BIASES, DEEP_WEIGHTS


def sig(z):
    return 1.0 / (1.0 + math.exp(-z))


def test_deep_preset_first_hidden_sums_match_reference(backend):
    # The deep reference page: sum = 0.8400, 0.1400, 0.1200, 1.0000 for H1-1..H1-4.
    trace = Session("deep", backend=backend).step()
    assert trace["z"][0] == pytest.approx([0.84, 0.14, 0.12, 1.00], abs=1e-12)
    assert trace["a"][0] == [0.5, 0.3, 0.8]
    assert trace["target"] == [0.8, 0.2]


def test_deep_preset_whole_forward_pass_by_hand(backend):
    a = [0.5, 0.3, 0.8]
    for weights, biases in zip(DEEP_WEIGHTS, DEEP_BIASES):
        a = [sig(sum(w * x for w, x in zip(row, a)) + b) for row, b in zip(weights, biases)]
    trace = Session("deep", backend=backend).step()
    assert trace["a"][-1] == pytest.approx(a, abs=1e-12)
    assert trace["loss"] == pytest.approx(0.5 * ((a[0] - 0.8) ** 2 + (a[1] - 0.2) ** 2), abs=1e-12)


def test_tiny_network_by_hand(backend):
    # 2-2-1, sigmoid, biases, mse; every number written out independently of nnsim.
    w0 = [[0.15, 0.20], [0.25, 0.30]]
    b0 = [0.35, 0.35]
    w1 = [[0.40, 0.45]]
    b1 = [0.60]
    x, y, eta = [0.05, 0.10], [0.01], 0.5
    z1 = [0.15 * 0.05 + 0.20 * 0.10 + 0.35, 0.25 * 0.05 + 0.30 * 0.10 + 0.35]
    h = [sig(z1[0]), sig(z1[1])]
    z2 = 0.40 * h[0] + 0.45 * h[1] + 0.60
    out = sig(z2)
    loss = 0.5 * (out - 0.01) ** 2
    d_out = (out - 0.01) * out * (1 - out)
    d_hidden = [0.40 * d_out * h[0] * (1 - h[0]), 0.45 * d_out * h[1] * (1 - h[1])]

    net = Network(
        {
            "layers": [2, 2, 1],
            "activations": ["sigmoid", "sigmoid"],
            "loss": "mse",
            "bias": True,
            "init": "explicit",
            "weights": [w0, w1],
            "biases": [b0, b1],
        },
        backend,
    )
    trace = Trainer(net, [x], [y], eta).trace_step()
    assert trace["z"][0] == pytest.approx(z1, abs=1e-15)
    assert trace["z"][1] == pytest.approx([z2], abs=1e-15)
    assert trace["loss"] == pytest.approx(loss, abs=1e-15)
    assert trace["delta"][1] == pytest.approx([d_out], abs=1e-15)
    assert trace["delta"][0] == pytest.approx(d_hidden, abs=1e-15)
    assert trace["raw_error"][1] == pytest.approx([out - 0.01], abs=1e-15)
    assert trace["raw_error"][0] == pytest.approx([0.40 * d_out, 0.45 * d_out], abs=1e-15)
    assert trace["backprop_terms"][0][1][0] == pytest.approx([0.45, d_out], abs=1e-15)
    assert trace["backprop_terms"][1] is None
    assert trace["slope"][1] == pytest.approx([out * (1 - out)], abs=1e-15)
    assert trace["grad_weights"][1][0] == pytest.approx([d_out * h[0], d_out * h[1]], abs=1e-15)
    assert trace["grad_weights"][0][1] == pytest.approx([d_hidden[1] * 0.05, d_hidden[1] * 0.10], abs=1e-15)
    assert trace["weights_after"][1][0][0] == pytest.approx(0.40 - eta * d_out * h[0], abs=1e-15)
    assert trace["biases_after"][0][0] == pytest.approx(0.35 - eta * d_hidden[0], abs=1e-15)
    assert trace["output_delta_rule"] == "chain"
    assert sum(trace["loss_terms"]) == pytest.approx(trace["loss"], abs=1e-15)


def test_deltas_use_the_weights_from_before_the_update(backend):
    session = Session("deep", backend=backend)
    trace = session.step()
    before, after = trace["weights_before"], trace["weights_after"]
    assert before != after
    # Hidden raw error recomputed from the PRE-update weights equals the trace's.
    for l in range(len(trace["delta"]) - 1):
        for j in range(len(trace["delta"][l])):
            from_before = sum(
                before[l + 1][k][j] * trace["delta"][l + 1][k] for k in range(len(trace["delta"][l + 1]))
            )
            from_after = sum(
                after[l + 1][k][j] * trace["delta"][l + 1][k] for k in range(len(trace["delta"][l + 1]))
            )
            assert trace["raw_error"][l][j] == pytest.approx(from_before, abs=1e-15)
            assert abs(from_before - from_after) > 0  # the update did move those weights
    # And the update is exactly w - eta * grad.
    eta = trace["learning_rate"]
    for l, matrix in enumerate(before):
        for j, row in enumerate(matrix):
            for i, w in enumerate(row):
                assert after[l][j][i] == w - eta * trace["grad_weights"][l][j][i]


@pytest.mark.parametrize("name", sorted(activations.NAMES))
@pytest.mark.parametrize("z", [-1e4, -745.0, -40.0, 0.0, 40.0, 710.0, 1e4])
def test_activations_never_raise_or_nan(name, z):
    act = activations.get(name)
    zs = [z, -z, 0.5]
    values = act.values(zs)
    slopes = act.slopes(zs, values)
    assert all(math.isfinite(v) for v in values)
    assert slopes is None or all(math.isfinite(s) for s in slopes)


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
@pytest.mark.parametrize("z", [-1e4, -800.0, 0.0, 800.0, 1e4])
def test_cross_entropy_is_finite_at_extremes(output, z):
    zs = [z, -z]
    a = activations.get(output).values(zs)
    for targets in ([1.0, 0.0], [0.0, 1.0], [0.99, 0.0]):
        terms = losses.get("cross_entropy").terms(zs, a, targets, output)
        raw = losses.get("cross_entropy").raw_error(a, targets, output)
        assert all(math.isfinite(t) and t >= 0.0 for t in terms)
        assert all(math.isfinite(r) for r in raw)


def test_cross_entropy_terms_match_the_formula():
    zs = [0.3, -1.2]
    a = [sig(z) for z in zs]
    y = [1.0, 0.25]
    expected = [-(yk * math.log(ak) + (1 - yk) * math.log(1 - ak)) for ak, yk in zip(a, y)]
    assert losses.get("cross_entropy").terms(zs, a, y, "sigmoid") == pytest.approx(expected, abs=1e-14)
    e = [math.exp(z) for z in zs]
    soft = [v / sum(e) for v in e]
    assert losses.get("cross_entropy").terms(zs, soft, [0.0, 1.0], "softmax") == pytest.approx(
        [0.0, -math.log(soft[1])], abs=1e-14
    )


def test_network_survives_huge_pre_activations(backend):
    net = Network(
        {
            "layers": [1, 2, 2],
            "activations": ["tanh", "softmax"],
            "loss": "cross_entropy",
            "bias": False,
            "init": "explicit",
            "weights": [[[1e4], [-1e4]], [[1e4, -1e4], [-1e4, 1e4]]],
        },
        backend,
    )
    result = net.backprop(net.ops.vector([1.0]), net.ops.vector([0.0, 1.0]))
    for values in result.deltas + result.acts + [result.loss_terms]:
        assert all(math.isfinite(v) for v in net.ops.to_list(values))
    assert math.isfinite(result.loss)


def test_cross_entropy_output_delta_is_a_minus_y(backend):
    for output in ("sigmoid", "softmax"):
        net = Network(
            {"layers": [2, 3, 3], "activations": ["tanh", output], "loss": "cross_entropy", "seed": 4},
            backend,
        )
        result = net.backprop(net.ops.vector([0.2, -0.7]), net.ops.vector([0.0, 1.0, 0.0]))
        a = net.ops.to_list(result.acts[-1])
        assert net.ops.to_list(result.deltas[-1]) == [a[0] - 0.0, a[1] - 1.0, a[2] - 0.0]


def test_seeded_init_is_reproducible_and_uniform():
    config = {
        "layers": [2, 3, 1],
        "activations": ["sigmoid", "sigmoid"],
        "bias": False,
        "init": "uniform",
        "seed": 7,
    }
    first, second = Network(config, "plain"), Network(config, "plain")
    assert first.parameters() == second.parameters()
    weights = [w for m in first.parameters()[0] for row in m for w in row]
    assert all(-1.0 <= w <= 1.0 for w in weights)
    assert Network(dict(config, seed=8), "plain").parameters() != first.parameters()


def test_xavier_and_he_limits():
    for init, limit in (("xavier", math.sqrt(6 / (30 + 20))), ("he", math.sqrt(6 / 30))):
        net = Network({"layers": [30, 20], "activations": ["relu"], "init": init, "seed": 1}, "plain")
        weights, biases = net.parameters()
        flat = [w for row in weights[0] for w in row]
        assert max(abs(w) for w in flat) <= limit
        assert max(abs(w) for w in flat) > 0.8 * limit
        assert biases == [[0.0] * 20]
