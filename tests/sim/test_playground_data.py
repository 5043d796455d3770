"""Playground data: the generated sets are reproducible and have their shapes; the split; the
learner's own points and CSV (round trip, and every kind of bad CSV refused with nothing
changed)."""

import math
import statistics

import pytest
from nnsim.playground import datasets, own_points
from nnsim.playground.session import PlaygroundSession

CLASSIFICATION = ["circle", "xor", "gauss", "spiral", "gauss3", "spiral3"]


@pytest.mark.parametrize("name", list(datasets.GENERATORS))
def test_same_seed_same_points_other_seed_others(name):
    first = datasets.generate(name, 200, 0.2, seed=7)
    assert first == datasets.generate(name, 200, 0.2, seed=7)
    assert first != datasets.generate(name, 200, 0.2, seed=8)
    assert len(first) == 200


@pytest.mark.parametrize("name", list(datasets.GENERATORS))
@pytest.mark.parametrize("total", [10, 11, 501])
def test_counts_and_labels(name, total):
    points = datasets.generate(name, total, 0.0, seed=1)
    assert len(points) == total
    task = datasets.GENERATORS[name][1]
    labels = [label for _, _, label in points]
    if task.kind == "classification":
        assert set(labels) <= set(range(task.classes))
        if name != "xor":  # xor's classes come from where its points fall
            counts = [labels.count(k) for k in range(task.classes)]
            assert max(counts) - min(counts) <= 1
    else:
        bound = 1.2 if name == "plane" else 1.0
        assert all(-bound <= label <= bound for label in labels)


def test_circle_without_noise_is_inside_or_ring():
    for x, y, label in datasets.generate("circle", 400, 0.0, seed=3):
        r = math.hypot(x, y)
        assert (r < 2.5) if label == 1 else (3.5 <= r <= 5.0)


def test_circle_noise_flips_labels_near_the_edge():
    points = datasets.generate("circle", 400, 0.5, seed=3)
    assert any(label == 0 and math.hypot(x, y) < 2.5 for x, y, label in points)


def test_xor_quadrants_keep_off_the_axes():
    for x, y, label in datasets.generate("xor", 400, 0.0, seed=3):
        assert 0.3 <= abs(x) <= 5.3 and 0.3 <= abs(y) <= 5.3
        assert label == (1 if x * y >= 0 else 0)


def test_gaussians_centres_and_spread_grow_with_noise():
    for noise, variance in ((0.0, 0.5), (0.5, 4.0)):
        points = datasets.generate("gauss", 4000, noise, seed=2)
        for label, centre in ((1, 2.0), (0, -2.0)):
            xs = [x for x, _, k in points if k == label]
            assert abs(statistics.fmean(xs) - centre) < 0.15
            assert abs(statistics.pvariance(xs) - variance) < 0.15 * variance


def test_three_gaussians_centres():
    points = datasets.generate("gauss3", 3000, 0.0, seed=2)
    centres = [(0.0, 3.0), (-3 * math.sqrt(3) / 2, -1.5), (3 * math.sqrt(3) / 2, -1.5)]
    for label, (cx, cy) in enumerate(centres):
        mine = [(x, y) for x, y, k in points if k == label]
        assert abs(statistics.fmean(x for x, _ in mine) - cx) < 0.1
        assert abs(statistics.fmean(y for _, y in mine) - cy) < 0.1


@pytest.mark.parametrize("name, arms", [("spiral", 2), ("spiral3", 3)])
def test_spiral_arms_without_noise(name, arms):
    points = datasets.generate(name, 300, 0.0, seed=4)
    for x, y, label in points:
        r = math.hypot(x, y)
        assert r < 5.0
        if r > 0.3:  # on arm k the angle is 1.75 turns * r / 5 plus k / arms of a turn
            arm = label if arms == 3 else 1 - label
            t = 1.75 * r / 5 * 2 * math.pi + 2 * math.pi * arm / arms
            assert math.hypot(x - r * math.sin(t), y - r * math.cos(t)) < 1e-9


def test_plane_label_without_noise():
    for x, y, label in datasets.generate("plane", 300, 0.0, seed=5):
        assert label == pytest.approx((x + y) / 10)
        assert -6 <= x <= 6 and -6 <= y <= 6


def test_multi_gaussian_label_is_the_strongest_bump():
    points = datasets.generate("multi_gauss", 300, 0.0, seed=5)
    for x, y, label in points:
        bumps = [
            sign * max(0.0, 1 - math.hypot(x - cx, y - cy) / 2) for cx, cy, sign in datasets.GAUSSIAN_BUMPS
        ]
        assert label == max(bumps, key=abs)
    # at a bump's centre the label is its sign
    assert datasets._bump_label(0, 2.5) == -1 and datasets._bump_label(4, 2.5) == 1


@pytest.mark.parametrize("share", [10, 33, 50, 90])
def test_split_shares_and_stability(share):
    roles = [datasets.is_test(k, share) for k in range(1000)]
    for n in (10, 100, 1000):
        assert sum(roles[:n]) == n * (100 - share) // 100
    session = PlaygroundSession({"train_share": share, "points": 200})
    state = session.state()
    assert state["points"]["train"] + state["points"]["test"] == 200
    assert state["points"]["test"] == 200 * (100 - share) // 100


def test_session_data_matches_settings():
    session = PlaygroundSession({"dataset": "spiral", "points": 120, "noise": 30, "data_seed": 9})
    data = session.data()
    expected = datasets.generate("spiral", 120, 0.3, 9)
    assert list(zip(data["x1"], data["x2"], data["label"])) == expected
    assert sum(data["test"]) == 60 and data["task"] == {"kind": "classification", "classes": 2}


# ---- the learner's own points ----


def own_session(**settings):
    return PlaygroundSession({"dataset": "own", "train_share": 50, **settings})


def test_add_remove_clear_points():
    session = own_session()
    assert session.state()["points"] == {"train": 0, "test": 0, "own": 0}
    assert session.train(5)["done"] == 0  # nothing to train on yet
    session.add_point(1.0, 2.0, 1)
    session.add_point(-1.5, 0.5, 0)
    state = session.add_point(2.5, -3.0, 1)
    assert state["points"] == {"train": 2, "test": 1, "own": 3}
    assert session.data()["x1"] == [1.0, -1.5, 2.5]
    state = session.remove_point(0)
    assert session.data()["x1"] == [-1.5, 2.5]
    assert session.clear_points()["points"]["own"] == 0


@pytest.mark.parametrize(
    "args, field",
    [
        ((7.0, 0.0, 0), "x1"),
        ((0.0, float("nan"), 0), "x2"),
        ((0.0, 0.0, 2), "label"),
        ((0.0, 0.0, -1), "label"),
        ((0.0, 0.0, True), "label"),
        (("1", 0.0, 0), "x1"),
    ],
)
def test_bad_points_refused(args, field):
    session = own_session()
    with pytest.raises(ValueError, match=f"^{field}:"):
        session.add_point(*args)
    assert session.own == []


def test_three_classes_of_own_points_need_the_setting_and_softmax():
    session = own_session(classes=3, output_activation="softmax")
    session.add_point(0.0, 0.0, 2)
    assert session.state()["config"]["layers"][-1] == 3


def test_points_are_bounded():
    session = own_session()
    session.import_csv("".join(f"{k % 12 - 6},0,{k % 2}\n" for k in range(own_points.MAX_POINTS)))
    with pytest.raises(ValueError, match="at most 1000"):
        session.add_point(0.0, 0.0, 0)
    assert len(session.own) == own_points.MAX_POINTS


def test_csv_round_trip_is_exact():
    session = own_session(classes=3, output_activation="softmax")
    for x1, x2, label in [(0.1, -2.2, 0), (1 / 3, 5.999999999, 2), (-6.0, 6.0, 1), (1e-7, 0.0, 2)]:
        session.add_point(x1, x2, label)
    text = session.export_csv()["csv"]
    assert text.splitlines()[0] == "x1,x2,label"
    other = own_session(classes=3, output_activation="softmax")
    other.import_csv(text)
    assert other.own == session.own
    assert other.data() == session.data()


def test_csv_header_blank_lines_spaces_and_crlf():
    session = own_session()
    session.import_csv("\r\n X1 , x2 ,LABEL\r\n\r\n 1.5 , -2 , 1 \r\n.5,+3e-1,0\r\n")
    assert session.own == [(1.5, -2.0, 1), (0.5, 0.3, 0)]


BAD_CSV = [
    ("1,2,0\n3,4\n", "line 2: expected 3 fields"),
    ("1,2,0\n3,4,0,5\n", "line 2: expected 3 fields"),
    ("1,2,0\nabc,4,0\n", "line 2: x1 'abc' is not a number"),
    ("1,2,0\n\n1,nan,0\n", "line 3: x2 'nan' is not a number"),
    ("1,inf,0\n", "line 1: x2 'inf' is not a number"),
    ("1_0,0,0\n", "line 1: x1 '1_0' is not a number"),
    ("1,2,0\n1,7,0\n", "line 2: x2: must be between -6 and 6"),
    ("1,2,0\n1,2,1.0\n", "line 2: label '1.0' is not a class number"),
    ("1,2,-1\n", "line 1: label '-1' is not a class number"),
    ("1,2,2\n", "line 1: label: expected a class 0 to 1"),
    ("1,2,0\nx1,x2,label\n", "line 2: x1 'x1' is not a number"),
    ("", "csv: no points"),
    ("x1,x2,label\n\n", "csv: no points"),
    ("0,0,0\n" * 1001, "line 1001: more than 1000 points"),
    ("0" * 100_001, "csv: at most 100,000 characters"),
    (None, "csv: expected text"),
]


@pytest.mark.parametrize("text, message", BAD_CSV)
def test_bad_csv_names_the_line_and_changes_nothing(text, message):
    session = own_session()
    session.add_point(1.0, 1.0, 1)
    before = (session.export(), session.data())
    with pytest.raises(ValueError) as error:
        session.import_csv(text)
    assert str(error.value).startswith(message)
    assert (session.export(), session.data()) == before


def test_editing_own_points_keeps_training():
    session = own_session()
    session.import_csv("1,1,1\n-1,-1,0\n2,2,1\n-2,-2,0\n")
    session.train(3, budget_ms=10_000)
    weights = session.state()["weights"]
    state = session.add_point(3.0, 3.0, 1)
    assert state["weights"] == weights and state["epoch"] == 3


def test_fewer_classes_than_the_points_use_is_refused():
    session = own_session(classes=3, output_activation="softmax")
    session.add_point(0.0, 0.0, 2)
    with pytest.raises(ValueError, match="^classes: your points use class 2"):
        session.update({"classes": 2, "output_activation": "sigmoid"})
    assert session.settings["classes"] == 3
