"""The plain-Python and NumPy array paths give the same numbers to 1e-12."""

import math

import pytest
from nnsim import Session, arrays

pytestmark = pytest.mark.skipif(not arrays.numpy_available(), reason="NumPy not installed")


def assert_close(left, right, path="trace"):
    if isinstance(left, dict):
        assert left.keys() == right.keys(), path
        for key in left:
            assert_close(left[key], right[key], f"{path}.{key}")
    elif isinstance(left, list):
        assert len(left) == len(right), path
        for k, (a, b) in enumerate(zip(left, right)):
            assert_close(a, b, f"{path}[{k}]")
    elif isinstance(left, float) and not isinstance(right, str):
        assert math.isclose(left, right, rel_tol=1e-12, abs_tol=1e-12), path
    elif path.endswith(".backend"):
        return
    else:
        assert left == right, path


@pytest.mark.parametrize(
    "preset,settings",
    [
        ("xor", None),
        ("deep", None),
        ("digits", {"hidden": 7}),
        ("glassbox", None),
        ("glassbox", {"scenario": "xor", "hidden_activation": "tanh"}),
        ("glassbox", {"scenario": "saturated", "loss": "cross_entropy"}),
    ],
)
def test_paths_agree(preset, settings):
    plain = Session(preset, settings, backend="plain")
    fast = Session(preset, settings, backend="numpy")
    for _ in range(3):
        assert_close(plain.step(), fast.step())
    plain.train(300, budget_ms=60_000)
    fast.train(300, budget_ms=60_000)
    assert_close(plain.step(), fast.step())
    assert_close(plain.state(), fast.state(), "state")
    assert plain.state()["backend"] == "plain"
    assert fast.state()["backend"] == "numpy"


def test_use_switches_the_default():
    try:
        assert arrays.use("plain") == "plain"
        assert Session("xor").state()["backend"] == "plain"
        assert arrays.use("numpy") == "numpy"
        assert Session("xor").state()["backend"] == "numpy"
    finally:
        arrays.use("auto")
    with pytest.raises(ValueError, match="backend"):
        arrays.use("fortran")
