"""The fused SGD update (arrays.sgd_update_matrix/vector) and the state fields built on it."""

import math

import pytest
from nnsim import Session, arrays
from nnsim.training import PARAMETER_LIMIT

BACKENDS = ["plain"] + (["numpy"] if arrays.numpy_available() else [])
MATRIX = [[0.5, -0.25, 2.0], [-1.5, 0.75, 0.0]]
DELTA = [0.3, -0.7]
INPUT = [1.0, 0.0, -0.4]  # an exact zero input leaves its column unchanged
ETA = 0.5


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("bound", [None, 2.0, 1e9])
def test_update_is_w_minus_eta_delta_a(backend, bound):
    ops = arrays.ops(backend)
    new, new_bound = ops.sgd_update_matrix(
        ops.matrix(MATRIX), ops.vector(DELTA), ops.vector(INPUT), ETA, PARAMETER_LIMIT, bound
    )
    expected = [[w - ETA * d * x for w, x in zip(row, INPUT)] for row, d in zip(MATRIX, DELTA)]
    got = ops.to_list(new)
    for got_row, expected_row in zip(got, expected):
        assert got_row == pytest.approx(expected_row, abs=1e-15)
    assert got[0][1] == MATRIX[0][1] and got[1][1] == MATRIX[1][1]
    assert new_bound >= max(abs(w) for row in got for w in row)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("bound", [None, 9999.0])
def test_limit_is_exact_with_or_without_a_bound(backend, bound):
    ops = arrays.ops(backend)
    matrix = ops.matrix([[9999.0, 1.0]])
    # +1 - 1e-9 stays inside the limit; +1 + 1e-9 leaves it: only the second is refused,
    # though the tracked bound (9999 + step) exceeds the limit in both cases.
    for step, accepted in ((1.0 - 1e-9, True), (1.0 + 1e-9, False)):
        result = ops.sgd_update_matrix(
            matrix, ops.vector([-step]), ops.vector([1.0, 0.0]), 1.0, PARAMETER_LIMIT, bound
        )
        assert (result is not None) == accepted
        if accepted:
            assert ops.to_list(result[0])[0][0] == pytest.approx(9999.0 + step, abs=1e-9)


@pytest.mark.parametrize("backend", BACKENDS)
def test_non_finite_step_is_refused_even_where_inputs_are_zero(backend):
    ops = arrays.ops(backend)
    with ops.quiet():
        for delta in (math.inf, math.nan):
            assert (
                ops.sgd_update_matrix(
                    ops.matrix([[1.0, 2.0]]),
                    ops.vector([delta]),
                    ops.vector([0.0, 0.0]),
                    0.5,
                    PARAMETER_LIMIT,
                    2.0,
                )
                is None
            )
            assert ops.sgd_update_vector(ops.vector([1.0]), ops.vector([delta]), 0.5, PARAMETER_LIMIT) is None


def test_training_and_stepping_give_the_same_weights():
    trained, stepped = Session("digits", backend="plain"), Session("digits", backend="plain")
    trained.train(30, budget_ms=60_000)
    for _ in range(30):
        last = stepped.step()
    assert last["weights_after"] == trained.state()["weights"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_digits_paths_agree_after_training(backend):
    reference = Session("digits", backend="plain")
    other = Session("digits", backend=backend)
    reference.train(500, budget_ms=60_000)
    other.train(500, budget_ms=60_000)
    for a, b in zip(reference.state()["weights"], other.state()["weights"]):
        for row_a, row_b in zip(a, b):
            assert row_a == pytest.approx(row_b, abs=1e-12)


@pytest.mark.parametrize("preset", ["xor", "digits"])
def test_state_reports_training_loss_and_predictions(preset):
    session = Session(preset)
    session.train(200, budget_ms=60_000)
    state = session.state()
    losses = [
        session.network.example_loss(session.trainer.inputs[k], session.trainer.targets[k])
        for k in range(len(state["examples"]))
    ]
    assert state["training_loss"] == pytest.approx(sum(losses) / len(losses), rel=1e-12)
    for example in state["examples"]:
        assert example["prediction"] == session.predict(example["input"])["prediction"]


@pytest.mark.parametrize("backend", BACKENDS)
def flat(values):
    """Every number of a parameter list (weights: layers of rows; biases: layers of numbers)."""
    return [x for m in values for row in m for x in (row if isinstance(row, list) else [row])]


@pytest.mark.parametrize("preset", ["xor", "deep", "glassbox", "digits"])
def test_every_update_path_is_the_reference_rule(backend, preset):
    """One-example presets take the fused step, the glass box the batch step; each trace's
    parameters after are w - eta g of its parameters before and its gradients."""
    from nnsim.training import sgd_reference

    plain = {"momentum": 0} if preset == "xor" else None  # the XOR lab's default adds momentum
    session = Session(preset, plain, backend=backend)
    for _ in range(12):
        trace = session.step()
        eta = trace["learning_rate"]
        for kind in ("weights", "biases"):
            if trace[f"{kind}_before"] is None:  # xor has no biases
                continue
            expected = sgd_reference(trace[f"{kind}_before"], trace[f"grad_{kind}"], eta)
            got = trace[f"{kind}_after"]
            assert flat(got) == pytest.approx(flat(expected), abs=1e-15), (kind, preset)
