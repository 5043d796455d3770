"""The playground's data: 2-D points generated from a seed, and the split into training and test.

The generators follow TensorFlow Playground's dataset.ts (same shapes, sizes and noise rules;
written here from its description, with our own random numbers): points live in the square
[-6, 6] x [-6, 6]; `noise` is a fraction 0..0.5. Classification labels are class indices
0, 1 (2, ...): TF Playground's +1 is class 1, its -1 class 0. Regression labels are real
numbers: multi-Gaussian's in [-1, 1]; the plane's (x1 + x2) / 10, as dataset.ts's unclamped
scale gives, reach 1.2 (1.8 with the most noise).

Random numbers come from random.Random(seed).random() and arithmetic (plus math.log, sqrt,
sin, cos), so CPython and Pyodide draw the same points.
"""

import math
import random

DOMAIN = 6.0  # points and heatmaps cover [-DOMAIN, DOMAIN] on both axes


class Task:
    """What the labels mean: classification into `classes` classes, or regression."""

    def __init__(self, kind, classes=0):
        self.kind = kind  # "classification" or "regression"
        self.classes = classes  # number of classes (0 for regression)

    def __eq__(self, other):
        return (self.kind, self.classes) == (other.kind, other.classes)

    def to_dict(self):
        return {"kind": self.kind, "classes": self.classes}


def _uniform(rng, low, high):
    return low + (high - low) * rng.random()


def _normal(rng, mean, variance):
    """Marsaglia's polar method (as dataset.ts): a normal number from uniform ones."""
    while True:
        v1 = 2.0 * rng.random() - 1.0
        v2 = 2.0 * rng.random() - 1.0
        s = v1 * v1 + v2 * v2
        if 0.0 < s <= 1.0:
            return mean + math.sqrt(variance) * math.sqrt(-2.0 * math.log(s) / s) * v1


def _counts(total, classes):
    """Points per class, as equal as can be, adding up to total."""
    return [total // classes + (k < total % classes) for k in range(classes)]


def _gaussian_blobs(rng, total, noise, centres):
    # Variance grows from 0.5 (no noise) to 4 (noise 0.5), as in dataset.ts.
    variance = 0.5 + 7.0 * noise
    points = []
    for label, ((cx, cy), count) in enumerate(zip(centres, _counts(total, len(centres)))):
        points += [(_normal(rng, cx, variance), _normal(rng, cy, variance), label) for _ in range(count)]
    return points


def two_gaussians(rng, total, noise):
    return _gaussian_blobs(rng, total, noise, [(-2.0, -2.0), (2.0, 2.0)])


def three_gaussians(rng, total, noise):
    """Three blobs 3 from the centre, 120 degrees apart (beyond TF Playground)."""
    centres = [
        (3.0 * math.cos(angle), 3.0 * math.sin(angle))
        for angle in (math.pi / 2, math.pi / 2 + 2 * math.pi / 3, math.pi / 2 + 4 * math.pi / 3)
    ]
    return _gaussian_blobs(rng, total, noise, centres)


def _spiral_arms(rng, total, noise, arms):
    """`arms` interleaved spiral arms (dataset.ts has two): radius 0..5, 1.75 turns."""
    points = []
    for label, count in enumerate(_counts(total, arms)):
        turn = 2 * math.pi * label / arms
        for i in range(count):
            r = i / count * 5.0
            t = 1.75 * i / count * 2 * math.pi + turn
            points.append(
                (
                    r * math.sin(t) + _uniform(rng, -1, 1) * noise,
                    r * math.cos(t) + _uniform(rng, -1, 1) * noise,
                    label,
                )
            )
    return points


def spiral(rng, total, noise):
    # Arm 0 starts at angle 0 (TF's positive arm) and is class 1, as there.
    return [(x, y, 1 - label) for x, y, label in _spiral_arms(rng, total, noise, 2)]


def three_arm_spiral(rng, total, noise):
    return _spiral_arms(rng, total, noise, 3)


def circle(rng, total, noise):
    """Class 1 inside radius 2.5, class 0 in the ring 3.5..5. Noise moves where the label is
    read (up to 5 * noise in each direction), so points near the edge can carry the other
    class, as in dataset.ts."""
    radius = 5.0
    points = []
    inside, outside = _counts(total, 2)
    for count, low, high in ((inside, 0.0, 0.5 * radius), (outside, 0.7 * radius, radius)):
        for _ in range(count):
            r = _uniform(rng, low, high)
            angle = _uniform(rng, 0.0, 2 * math.pi)
            x, y = r * math.sin(angle), r * math.cos(angle)
            nx = _uniform(rng, -radius, radius) * noise
            ny = _uniform(rng, -radius, radius) * noise
            points.append((x, y, 1 if math.hypot(x + nx, y + ny) < 0.5 * radius else 0))
    return points


def xor(rng, total, noise):
    """Quadrants: class 1 where x1 x2 >= 0. Points keep 0.3 from the axes; noise moves where
    the label is read."""

    def padded(value):
        return value + (0.3 if value > 0 else -0.3)

    points = []
    for _ in range(total):
        x, y = padded(_uniform(rng, -5, 5)), padded(_uniform(rng, -5, 5))
        nx, ny = _uniform(rng, -5, 5) * noise, _uniform(rng, -5, 5) * noise
        points.append((x, y, 1 if (x + nx) * (y + ny) >= 0 else 0))
    return points


def plane(rng, total, noise):
    """Regression: label (x1 + x2) / 10, read at a noisy position."""
    return _regression(rng, total, noise, lambda x, y: (x + y) / 10.0)


GAUSSIAN_BUMPS = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]


def _bump_label(x, y):
    """The strongest of six signed bumps, each falling linearly from 1 at its centre to 0 at
    distance 2."""
    label = 0.0
    for cx, cy, sign in GAUSSIAN_BUMPS:
        value = sign * max(0.0, 1.0 - math.hypot(x - cx, y - cy) / 2.0)
        if abs(value) > abs(label):
            label = value
    return label


def multi_gaussian(rng, total, noise):
    return _regression(rng, total, noise, _bump_label)


def _regression(rng, total, noise, label_at):
    points = []
    for _ in range(total):
        x, y = _uniform(rng, -DOMAIN, DOMAIN), _uniform(rng, -DOMAIN, DOMAIN)
        nx = _uniform(rng, -DOMAIN, DOMAIN) * noise
        ny = _uniform(rng, -DOMAIN, DOMAIN) * noise
        points.append((x, y, label_at(x + nx, y + ny)))
    return points


CLASSIFY_2 = Task("classification", 2)
CLASSIFY_3 = Task("classification", 3)
REGRESSION = Task("regression")

# name -> (generator, task); the order is the order a page offers them in.
GENERATORS = {
    "circle": (circle, CLASSIFY_2),
    "xor": (xor, CLASSIFY_2),
    "gauss": (two_gaussians, CLASSIFY_2),
    "spiral": (spiral, CLASSIFY_2),
    "gauss3": (three_gaussians, CLASSIFY_3),
    "spiral3": (three_arm_spiral, CLASSIFY_3),
    "plane": (plane, REGRESSION),
    "multi_gauss": (multi_gaussian, REGRESSION),
}


def shuffled(points, rng):
    """Fisher-Yates with rng.random() only (as dataset.ts shuffles before splitting)."""
    points = list(points)
    for counter in range(len(points), 1, -1):
        index = int(rng.random() * counter)
        points[counter - 1], points[index] = points[index], points[counter - 1]
    return points


def generate(name, total, noise, seed):
    """The named data set: `total` points (x1, x2, label) in a seeded random order."""
    generator, _ = GENERATORS[name]
    rng = random.Random(seed)
    return shuffled(generator(rng, total, noise), rng)


def is_test(index, train_share):
    """Is point `index` a test point? train_share is a whole percentage. Test points are spread
    evenly through the (already shuffled) order: among the first n points, exactly
    floor(n (100 - train_share) / 100) are test points. Appending a point never moves another
    point between training and test, so the learner's own points keep their roles."""
    test_share = 100 - train_share
    return (index + 1) * test_share // 100 > index * test_share // 100
