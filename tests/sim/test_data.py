"""Datasets and seeded initialisation."""

import random

from nnsim import Network, data


def test_gates():
    xor = data.gate("xor")
    assert xor["inputs"] == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert xor["targets"] == [[0], [1], [1], [0]]
    assert data.gate("and")["targets"] == [[0], [0], [0], [1]]
    assert data.gate("or")["targets"] == [[0], [1], [1], [1]]
    assert data.gate("nand")["targets"] == [[1], [1], [1], [0]]


def test_digits():
    digits = data.digits()
    assert digits["inputs"][0] == [
        0,
        1,
        1,
        1,
        0,
        1,
        0,
        0,
        0,
        1,
        1,
        0,
        0,
        0,
        1,
        1,
        0,
        0,
        0,
        1,
        0,
        1,
        1,
        1,
        0,
    ]  # the reference's 0
    assert len(digits["inputs"]) == 10 and all(len(x) == 25 for x in digits["inputs"])
    assert len({tuple(x) for x in digits["inputs"]}) == 10
    for label, target in enumerate(digits["targets"]):
        assert target == [0.99 if k == label else 0.0 for k in range(10)]


def test_heldout_digits_are_distorted_variants():
    training = {tuple(x) for x in data.digits()["inputs"]}
    heldout = data.heldout_digits()
    assert len(heldout["inputs"]) == 30
    for image, label, kind in zip(heldout["inputs"], heldout["labels"], heldout["kinds"]):
        assert tuple(image) not in training
        original = data.digits()["inputs"][label]
        changed = sum(a != b for a, b in zip(image, original))
        if kind == "pixel flipped":
            assert changed == 1
        else:
            assert changed >= 2


def test_uniform_init_follows_random_random_in_draw_order():
    # Independent of nnsim: U[-1,1] = 2 * random() - 1, weights row by row, then biases.
    rng = random.Random(7)
    expected_w0 = [[2 * rng.random() - 1 for _ in range(2)] for _ in range(3)]
    expected_b0 = [2 * rng.random() - 1 for _ in range(3)]
    expected_w1 = [[2 * rng.random() - 1 for _ in range(3)]]
    net = Network(
        {"layers": [2, 3, 1], "activations": ["sigmoid", "sigmoid"], "bias": True, "seed": 7}, "plain"
    )
    weights, biases = net.parameters()
    assert weights[0] == expected_w0 and biases[0] == expected_b0 and weights[1] == expected_w1
