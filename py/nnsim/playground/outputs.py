"""Output layer and loss for a task: which pairs fit, the targets they train towards, and the
class each output names.

Two classes: sigmoid + cross_entropy (targets 0/1), sigmoid + mse (0/1), tanh + mse (-1/+1),
or softmax + cross_entropy (one-hot, two outputs). Three or more classes: softmax +
cross_entropy. Regression: linear + mse (the label itself).
"""

from itertools import repeat
from operator import gt

PAIRS = (
    ("sigmoid", "cross_entropy"),
    ("sigmoid", "mse"),
    ("tanh", "mse"),
    ("softmax", "cross_entropy"),
    ("linear", "mse"),
)


def fitting_pairs(task):
    if task.kind == "regression":
        return [("linear", "mse")]
    if task.classes == 2:
        return [pair for pair in PAIRS if pair != ("linear", "mse")]
    return [("softmax", "cross_entropy")]


def check_fits(task, activation, loss, label):
    """ValueError (starting with `label`) saying what fits when the output activation and loss
    do not fit the task."""
    if (activation, loss) in fitting_pairs(task):
        return
    what = "regression" if task.kind == "regression" else f"classification into {task.classes} classes"
    choices = " or ".join(f"{a} + {l}" for a, l in fitting_pairs(task))
    raise ValueError(f"{label}: a {activation} output with {loss} does not fit {what}; use {choices}")


def output_size(task, activation):
    return task.classes if activation == "softmax" else 1


def targets(task, activation, labels):
    """Target columns (one per output neuron) for a list of labels."""
    if activation == "softmax":
        return [[1.0 if label == k else 0.0 for label in labels] for k in range(task.classes)]
    if activation == "tanh":
        return [[2.0 * label - 1.0 for label in labels]]
    return [[float(label) for label in labels]]


def decision(activation):
    """The output value between the two classes of a one-output network."""
    return 0.0 if activation == "tanh" else 0.5


def predicted_classes(activation, outputs):
    """The class each point's outputs name (output columns in, one class per point out)."""
    if len(outputs) == 1:  # 1 above the decision value, else 0 (looped in C)
        return list(map(int, map(gt, outputs[0], repeat(decision(activation)))))
    return [row.index(max(row)) for row in zip(*outputs)]
