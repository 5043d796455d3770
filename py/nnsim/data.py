"""Datasets: logic gates, the deep network's example, and 5x5 digits with distorted variants.

A dataset is a dict {"name", "inputs", "targets"} (lists of lists of floats), plus "labels"
for the digits.
"""

GATES = {
    # XOR: 00->0, 01->1, 10->1, 11->0 (the XOR reference's table repeats 11 by mistake).
    "xor": [0, 1, 1, 0],
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "nand": [1, 1, 1, 0],
}
GATE_INPUTS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]


def gate(name):
    outputs = GATES[name]
    return {"name": name, "inputs": [list(x) for x in GATE_INPUTS], "targets": [[float(y)] for y in outputs]}


DEEP_INPUT = [0.5, 0.3, 0.8]
DEEP_TARGET = [0.8, 0.2]


def single(inputs, targets, name="example"):
    return {"name": name, "inputs": [list(inputs)], "targets": [list(targets)]}


# Ten 5x5 digits, '#' = 1 (black), '.' = 0, row by row. 0 is the digits reference's bitmap.
DIGIT_DRAWINGS = [
    [".###.", "#...#", "#...#", "#...#", ".###."],  # 0
    ["..#..", ".##..", "..#..", "..#..", ".###."],  # 1
    [".###.", "#...#", "..##.", ".#...", "#####"],  # 2
    ["####.", "....#", ".###.", "....#", "####."],  # 3
    ["#..#.", "#..#.", "#####", "...#.", "...#."],  # 4
    ["#####", "#....", "####.", "....#", "####."],  # 5
    [".###.", "#....", "####.", "#...#", ".###."],  # 6
    ["#####", "....#", "...#.", "..#..", "..#.."],  # 7
    [".###.", "#...#", ".###.", "#...#", ".###."],  # 8
    [".###.", "#...#", ".####", "....#", ".###."],  # 9
]
SIDE = 5
DIGIT_ON = 0.99  # target for the right digit (a sigmoid never reaches 1.0)
DIGIT_OFF = 0.0


def bitmap(drawing):
    return [1.0 if c == "#" else 0.0 for row in drawing for c in row]


def digit_target(label):
    return [DIGIT_ON if k == label else DIGIT_OFF for k in range(10)]


def digits():
    images = [bitmap(d) for d in DIGIT_DRAWINGS]
    return {
        "name": "digits",
        "inputs": images,
        "targets": [digit_target(k) for k in range(10)],
        "labels": list(range(10)),
    }


def shifted(image, dx, dy):
    """The image moved dx columns right and dy rows down; pixels pushed off the edge vanish."""
    out = [0.0] * (SIDE * SIDE)
    for r in range(SIDE):
        for c in range(SIDE):
            rr, cc = r + dy, c + dx
            if 0 <= rr < SIDE and 0 <= cc < SIDE:
                out[rr * SIDE + cc] = image[r * SIDE + c]
    return out


def flipped(image, index):
    out = list(image)
    out[index] = 1.0 - out[index]
    return out


# Per digit: one pixel to flip (chosen to leave the digit readable) for the held-out set.
_FLIP_PIXEL = [12, 0, 24, 20, 4, 18, 8, 15, 10, 5]


def heldout_digits():
    """Distorted variants never trained on: each digit shifted one column right, shifted one
    column left, and with one pixel flipped. Shows memorisation versus generalisation."""
    base = digits()
    inputs, targets, labels, kinds = [], [], [], []
    for label, image in enumerate(base["inputs"]):
        variants = [
            ("shift right", shifted(image, 1, 0)),
            ("shift left", shifted(image, -1, 0)),
            ("pixel flipped", flipped(image, _FLIP_PIXEL[label])),
        ]
        for kind, variant in variants:
            inputs.append(variant)
            targets.append(digit_target(label))
            labels.append(label)
            kinds.append(kind)
    return {"name": "digits held out", "inputs": inputs, "targets": targets, "labels": labels, "kinds": kinds}
