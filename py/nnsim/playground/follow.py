"""Follow one data point through the network, with every number, in nnsim.explain's format.

The steps: the point's features; each layer's weighted sums and activations; its loss; the
errors delta from the output back to the chosen parameter's layer; the chain rule to that
parameter (dE/dw = delta_j a_i, dE/db = delta_j); and for a training point how its batch's
gradient is averaged and the update formed by the chosen optimiser (with its state for the
parameter, as nnsim.explain_update writes it for the Deep lab). The first steps are
nnsim.explain's own (from a trace of this point, with the penalty's step when there is one);
only the features, the chosen parameter and the batch are written here. Every line's
arithmetic, redone with the numbers as shown, gives its result.
"""

import math
import re

from ..explain import (
    Parameter,
    activation_labels,
    b_sym,
    conventions,
    d_by,
    explain_trace,
    mean_line,
    parameter_labels,
    plain_labels,
    w_sym,
    z_sym,
)
from ..explain_expr import Frac, Num, Product, Sum, line
from ..explain_update import parameter_update
from ..optimizers import LABELS
from .features import FEATURES
from .trainer import within_limit

MAX_TERMS_SHOWN = 16  # a batch's average writes out every point's term up to this size

_INPUT_SYMBOL = re.compile(r"x_\{(\d+)\}")


def check_parameter(layers, parameter):
    """Refuses (ValueError) a parameter that `follow` could not explain in a network of these
    layers: Step checks a followed point's request before it takes the batch."""
    _parameter({"layers": layers, "bias": True}, parameter)


def _parameter(trace, parameter):
    """The chosen parameter, named as the Glass box's panels name one: {kind: "weight", index:
    [l, j, i]} or {kind: "bias", index: [l, j]} (nnsim.explain checks it against the network)."""
    if parameter is None:
        parameter = {"kind": "weight", "index": [0, 0, 0]}
    if not isinstance(parameter, dict):
        raise ValueError(
            "parameter: expected {kind: 'weight', index: [l, j, i]} or {kind: 'bias', index: [l, j]}"
        )
    return Parameter(trace, parameter)


def _single(column_lists):
    return [[column[0] for column in layer] for layer in column_lists]


def point_trace(model, inputs, targets, learning_rate):
    """The nnsim trace (kind "example") of one point given as one-entry columns, at the
    current weights; its keys are those docs/architecture.md lists for a step's trace."""
    forward = model.forward(inputs)
    deltas, raw_errors, slopes = model.backward(forward, targets)
    z, a = _single(forward.zs), _single(forward.acts)
    y = [column[0] for column in targets]
    delta = _single(deltas)
    if raw_errors[-1] is None:  # cross-entropy: dE/da for the record, the delta is a - y
        raw_errors[-1] = [[e] for e in model.loss.raw_error(a[-1], y, model.output_activation)]
    weights, biases = model.weights, model.biases
    depth = len(weights)
    config = model.config
    loss_terms = model.loss.terms(z[-1], a[-1], y, model.output_activation)
    trace = {
        "layers": config["layers"],
        "activations": config["activations"],
        "loss_name": config["loss"],
        "bias": True,
        "learning_rate": learning_rate,
        "momentum": 0.0,
    }
    trace.update(
        {
            "kind": "example",
            "input": a[0],
            "target": y,
            "z": z,
            "a": a,
            "slope": [None if s is None else [c[0] for c in s] for s in slopes],
            "raw_error": _single(raw_errors),
            "backprop_terms": [
                None
                if l == depth - 1
                else [
                    [[weights[l + 1][k][j], delta[l + 1][k]] for k in range(len(weights[l + 1]))]
                    for j in range(len(delta[l]))
                ]
                for l in range(depth)
            ],
            "output_delta_rule": model.loss.delta_rule,
            "delta": delta,
            "loss_terms": loss_terms,
            "loss": math.fsum(loss_terms),
            "grad_weights": [[[d * x for x in a[l]] for d in delta[l]] for l in range(depth)],
            "grad_biases": [list(d) for d in delta],
            "weights_before": weights,
            "biases_before": biases,
            # explain_trace also writes updates; the playground's update comes from the batch, so
            # those steps are left out (see follow) and these keys only keep them computable.
            "weights_after": weights,
            "biases_after": biases,
        }
    )
    return trace


def _relabelled(step, names):
    """nnsim.explain calls input neuron j x_{j}; here input neurons are features."""

    def rename(tex):
        return _INPUT_SYMBOL.sub(lambda m: names[int(m.group(1)) - 1], tex)

    step["lines"] = [{**ln, "general": rename(ln["general"])} for ln in step["lines"]]
    return step


def _features_step(session, x1, x2):
    names = session.settings["features"]
    lines = [
        line(
            FEATURES[name].tex,
            FEATURES[name].expr(x1, x2),
            FEATURES[name].value([x1], [x2])[0],
            given=name in ("x1", "x2"),  # the point itself
        )
        for name in names
    ]
    text = f"The point (x₁, x₂) = ({x1:g}, {x2:g}) enters the network as its features, one input neuron each."
    return {
        "id": "features",
        "title": "Features of the point",
        "text": text,
        "lines": lines,
        "highlight": {"neurons": [[0, k] for k in range(len(names))], "connections": []},
    }


def _symbol(l, j, i):
    n = l + 2  # display layer of the receiving neuron
    return b_sym(n, j + 1) if i is None else w_sym(n, i + 1, j + 1)


def _parameter_step(trace, p):
    z = z_sym(p.n, p.j + 1)
    chain = (
        rf"{d_by(p.symbol)} = \frac{{\partial E}}{{\partial {z}}}"
        rf"\,\frac{{\partial {z}}}{{\partial {p.symbol}}}"
    )
    if p.kind == "bias":
        text = (
            "The chain rule ends at the chosen bias: the bias adds to z with slope 1, so "
            "∂E/∂b is the neuron's error δ."
        )
    else:
        text = (
            "The chain rule ends at the chosen weight: z of the neuron it feeds changes with "
            "the weight by the activation that enters it, so ∂E/∂w is that neuron's error δ "
            "times the incoming activation. The errors above carry ∂E/∂z back from the "
            "output."
        )
    connections = [[p.l, p.j, p.i]] if p.kind == "weight" else []
    return {
        "id": "parameter",
        "title": "The chain rule to the chosen parameter",
        "text": text,
        "lines": [p.gradient_line(trace, chain)],
        "highlight": {"neurons": [[p.l + 1, p.j]], "connections": connections},
    }


def _batch_steps(trainer, index, l, j, i):
    """How the gradient of the parameter over the batch holding training point `index` is
    averaged, and the update it makes."""
    model = trainer.model
    batch = trainer.batch_of(index)
    start, stop = trainer.batch_bounds(batch)
    inputs, targets = trainer.train_points.part(start, stop)
    forward = model.forward(inputs)
    deltas, _, _ = model.backward(forward, targets)
    grad_weights, grad_biases = model.mean_gradients(forward, deltas)
    delta = deltas[l][j]
    terms = delta if i is None else [d * x for d, x in zip(delta, forward.acts[l][i])]
    mean = grad_biases[l][j] if i is None else grad_weights[l][j][i]
    count = stop - start
    symbol = _symbol(l, j, i)
    own = index - start
    general = (
        rf"{d_by(symbol)} = \frac{{1}}{{{count}}}\sum_{{e=1}}^{{{count}}} "
        rf"{d_by(symbol)}\Big|_e"
    )
    if count <= MAX_TERMS_SHOWN:
        lines = [mean_line(general, terms, mean)]
        words = "each point's term is written out"
    else:
        rest = sum(terms[:own]) + sum(terms[own + 1 :])
        inside = Sum(Num(terms[own]), ("+", Num(rest)))
        lines = [line(general, Product(Frac(1, count), inside), mean)]
        words = (
            f"this point's term, then the other {count - 1} points' terms added up "
            "(each is listed in `batch.terms`)"
        )
    text = (
        f"Training uses batches of {trainer.size}: this point is number {own + 1} of batch "
        f"{batch + 1} (training points {start + 1} to {stop}). The batch's gradient is the "
        f"average of its points' gradients, here at the current weights; {words}."
    )
    trace = _update_trace(trainer, grad_weights, grad_biases)
    update = parameter_update(trace, ["bias", l, j] if i is None else ["weight", l, j, i])
    before = model.biases[l][j] if i is None else model.weights[l][j][i]
    after = trace["biases_after"][l][j] if i is None else trace["weights_after"][l][j][i]
    highlight = {"neurons": [[l + 1, j]], "connections": [] if i is None else [[l, j, i]]}
    steps = [
        {
            "id": "batch-gradient",
            "title": "The batch's gradient",
            "text": text,
            "lines": lines,
            "highlight": highlight,
        },
        {
            "id": "update",
            "title": f"The update ({LABELS[update['optimizer']]}, step t = {update['step']})",
            "text": f"{update['text']} Learning rate η = {update['learning_rate']:g} for this "
            "step. This is the value the parameter gets when this batch is next.",
            "lines": update["lines"],
            "highlight": highlight,
            "state": update["state"],
        },
    ]
    batch_info = {
        "index": batch,
        "first": start,
        "size": count,
        "terms": terms,
        "gradient": mean,
        "before": before,
        "after": after,
    }
    return steps, batch_info


def _update_trace(trainer, grad_weights, grad_biases):
    """The trace keys nnsim.explain_update reads, for the update the trainer would make from
    these mean gradients now (worked out, not made; plain SGD through the same rule)."""
    model, updater = trainer.model, trainer.updater
    layout = updater.layout
    params = layout.flatten(model.weights, model.biases)
    proposal = updater.propose(params, layout.flatten(grad_weights, grad_biases), trainer.rate())
    after = layout.unflatten(proposal.params)
    refused = not all(map(within_limit, proposal.params))
    return {
        "layers": model.config["layers"],
        "status": "diverged" if refused else trainer.status,
        "weights_before": model.weights,
        "biases_before": model.biases,
        "weights_after": after["weights"],
        "biases_after": after["biases"],
        "grad_weights": grad_weights,
        "grad_biases": grad_biases,
        **updater.trace_part(proposal, trainer.learning_rate, trainer.iteration, updater.penalty(params)),
    }


def _penalised(trace, trainer):
    """The point's trace with the penalty at the current weights, for the penalty's step
    (nnsim.explain adds it after the cost)."""
    penalty = trainer.penalty()
    if penalty is None:
        return trace
    return {
        **trace,
        "regularization": {**trainer.updater.regularizer.settings, "penalty": penalty},
        "objective": trace["loss"] + penalty,
    }


def _with_optimizer(trace, trainer):
    """The trace with the optimiser and this step's rate: the conventions write its rule."""
    updater = trainer.updater
    return {
        **trace,
        "optimizer": {**updater.optimizer.settings, "step": updater.state["step"] + 1},
        "step_learning_rate": trainer.rate(),
    }


def follow(session, point, parameter):
    model = session.model
    role, index = session.roles[point]
    points = session.trainer.train_points if role == "train" else session.trainer.test_points
    inputs, targets = points.part(index, index + 1)
    trace = _penalised(point_trace(model, inputs, targets, session.trainer.learning_rate), session.trainer)
    p = _parameter(trace, parameter)
    l, j, i = p.l, p.j, (p.i if p.kind == "weight" else None)
    names = [FEATURES[name].tex for name in session.settings["features"]]
    n = l + 2
    kept = {f"forward-{m}" for m in range(2, len(model.weights) + 2)} | {"cost", "penalty"}
    kept |= {f"delta-{m}" for m in range(n, len(model.weights) + 2)}
    explained = explain_trace(trace)
    steps = [_features_step(session, points.x1[index], points.x2[index])]
    steps += [_relabelled(s, names) for s in explained if s["id"] in kept]
    steps.append(_relabelled(_parameter_step(trace, p), names))
    batch = None
    if role == "train":
        more, batch = _batch_steps(session.trainer, index, l, j, i)
        steps += more
    else:
        steps.append(
            {
                "id": "test-point",
                "title": "A test point trains nothing",
                "text": "Test points are kept out of training: their gradient is computed "
                "here only to show it; no batch holds this point and no update uses "
                "it.",
                "lines": [],
                "highlight": {"neurons": [], "connections": []},
            }
        )
    for number, step in enumerate(steps, start=1):
        step["number"] = number
    parameter = {"kind": p.kind, "index": [l, j] if i is None else [l, j, i]}
    return {
        "point": point,
        "role": role,
        "label": points.labels[index],
        # Where the point is, as the page prints it.
        "coordinate_labels": plain_labels([points.x1[index], points.x2[index]]),
        "parameter": parameter,
        "trace": trace,
        # The neurons' values and the parameters as the steps write them (the drawing's text).
        "activation_labels": activation_labels(trace, explained),
        **parameter_labels(trace),
        "conventions": conventions(_with_optimizer(trace, session.trainer)),
        "steps": steps,
        "batch": batch,
    }
