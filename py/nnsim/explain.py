"""Explanations of one training step: the trace written out as numbered steps with formulas.

`explain_trace(trace)` turns a trace (see docs/architecture.md) into steps in the order a
student follows them: the input, each layer's activations, the cost, the error of each layer
from the output back, dE/dw of each layer from the output back, and the updates. For the XOR
2-3-1 network these are exactly the ten steps of the reference walkthrough; deeper networks
get the same steps per layer plus a chain-rule summary. A batch trace is explained example by
example, then the averaging, then the update.

This is the one place that converts from code indices (0-based, weights[l][j][i]) to the
reference's notation (1-based layers and neurons, w_{ij}^{(l)} from neuron i of layer l-1 to
neuron j of layer l). Every number comes from the trace; explain_expr formats it once.
"""

import math

from .explain_expr import (
    Call,
    Digits,
    Exp,
    Frac,
    LnOneMinus,
    Neg,
    Num,
    Product,
    Square,
    Sum,
    decimals_to_show_change,
    given,
    group_lines,
    line,
    plain_number,
    shared_digits,
)

# ---- notation (display layers n = 1..L+1, neurons 1-based) ----


def _pair(i, j):
    return f"{i}{j}" if i < 10 and j < 10 else f"{i},{j}"


def a_sym(n, j):
    return f"x_{{{j}}}" if n == 1 else f"a_{{{j}}}^{{({n})}}"


def z_sym(n, j):
    return f"z_{{{j}}}^{{({n})}}"


def delta_sym(n, j):
    return rf"\delta_{{{j}}}^{{({n})}}"


def w_sym(n, i, j):
    return f"w_{{{_pair(i, j)}}}^{{({n})}}"


def b_sym(n, j):
    return f"b_{{{j}}}^{{({n})}}"


def y_sym(k, outputs):
    return "y" if outputs == 1 else f"y_{{{k}}}"


def d_by(symbol):
    return rf"\frac{{\partial E}}{{\partial {symbol}}}"


def _added(exprs):
    """e1 + e2 + ... (a single term stays itself)."""
    return exprs[0] if len(exprs) == 1 else Sum(exprs[0], *(("+", e) for e in exprs[1:]))


# ---- activations: how each is applied and differentiated, in TeX and as arithmetic ----

ACTIVATION_TEX = {
    "sigmoid": r"\sigma(x) = \frac{1}{1 + e^{-x}}",
    "tanh": r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
    "relu": r"\operatorname{relu}(x) = \max(0, x)",
    "leaky_relu": r"\operatorname{lrelu}(x) = \max(0.01x, x)",
    "linear": r"f(x) = x",
    "softmax": r"\operatorname{softmax}(z)_j = \frac{e^{z_j}}{\sum_k e^{z_k}}",
}

ACTIVATION_WORDS = {
    "sigmoid": "σ(z) = 1/(1 + e^(−z))",
    "tanh": "tanh(z)",
    "relu": "relu(z) = max(0, z)",
    "leaky_relu": "lrelu(z) = max(0.01z, z)",
    "linear": "the identity f(z) = z",
    "softmax": "softmax, e^(z_j) divided by the sum of e^(z_k) over the layer",
}

_FUNCTION_NAME = {
    "sigmoid": r"\sigma",
    "tanh": r"\tanh",
    "relu": r"\operatorname{relu}",
    "leaky_relu": r"\operatorname{lrelu}",
}


def _apply_general(activation, n, j, size):
    if activation == "linear":
        return f"{a_sym(n, j)} = {z_sym(n, j)}"
    if activation == "softmax":
        total = " + ".join(f"e^{{{z_sym(n, k)}}}" for k in range(1, size + 1))
        return rf"{a_sym(n, j)} = \frac{{e^{{{z_sym(n, j)}}}}}{{{total}}}"
    return rf"{a_sym(n, j)} = {_FUNCTION_NAME[activation]}({z_sym(n, j)})"


def _apply_expr(activation, zs, j):
    z = Num(zs[j])
    if activation == "sigmoid":
        return Frac(1, Sum(1, ("+", Exp(Neg(z)))))
    if activation == "tanh":
        return Call("tanh", z)
    if activation == "relu":
        return Call("max", 0, z)
    if activation == "leaky_relu":
        return Call("max", Product(given(0.01), z), z)
    if activation == "softmax":
        terms = [Exp(Num(zk)) for zk in zs]
        return Frac(terms[j], _added(terms))
    return z


def _slope_name(activation):
    return {"sigmoid": r"\sigma'", "tanh": r"\tanh'"}.get(activation, "f'")


def _slope_general(activation, n, j):
    a, z = a_sym(n, j), z_sym(n, j)
    name = _slope_name(activation)
    rule = {
        "sigmoid": f"{a}(1 - {a})",
        "tanh": f"1 - ({a})^2",
        "relu": rf"\begin{{cases}} 1 & {z} > 0 \\ 0 & \text{{otherwise}} \end{{cases}}",
        "leaky_relu": rf"\begin{{cases}} 1 & {z} > 0 \\ 0.01 & \text{{otherwise}} \end{{cases}}",
        "linear": "1",
    }[activation]
    return f"{name}({z}) = {rule}"


def _slope_expr(activation, a, slope):
    if activation == "sigmoid":
        return Product(a, Sum(1, ("-", a)))
    if activation == "tanh":
        return Sum(1, ("-", Square(a)))
    return Num(slope)


# ---- the steps ----


def _step(step_id, title, text, lines, neurons=(), connections=()):
    group_lines(lines)
    return {
        "id": step_id,
        "title": title,
        "text": text,
        "lines": lines,
        "highlight": {"neurons": [list(n) for n in neurons], "connections": [list(c) for c in connections]},
    }


class _Network:
    """The settings a step needs, with the names a student reads."""

    def __init__(self, trace):
        self.layers = trace["layers"]
        self.L = len(self.layers) - 1
        self.activations = trace["activations"]
        self.loss = trace["loss_name"]
        self.bias = bool(trace["bias"])
        self.eta = trace.get("step_learning_rate", trace["learning_rate"])  # with a schedule
        self.weights = trace["weights_before"]
        self.biases = trace["biases_before"] if self.bias else None

    def layer_name(self, n):
        """'the input layer', 'hidden layer 2', 'the output layer' for display layer n."""
        if n == 1:
            return "the input layer"
        if n == self.L + 1:
            return "the output layer"
        return "the hidden layer" if self.L == 2 else f"hidden layer {n - 1}"

    def layer_title(self, n):
        name = self.layer_name(n).removeprefix("the ")
        return name[0].upper() + name[1:]

    def between(self, n):
        return f"{self.layer_name(n - 1)} and {self.layer_name(n)}"

    def neurons(self, n):
        return [(n - 1, j) for j in range(self.layers[n - 1])]

    def connections(self, n):
        """Code indices [l, j, i] of every weight into display layer n."""
        l = n - 2
        return [(l, j, i) for j in range(self.layers[n - 1]) for i in range(self.layers[n - 2])]


def _activation(ex, l, i):
    """Activation i of code layer l as a number of the arithmetic: the input's is given."""
    return given(ex["a"][l][i]) if l == 0 else Num(ex["a"][l][i])


def _input_step(net, ex):
    lines = [line(a_sym(1, i + 1), given(x), x, given=True) for i, x in enumerate(ex["input"])]
    text = (
        "The input layer passes the training example's features on unchanged: one input "
        f"neuron per feature, here {len(lines)}."
    )
    return _step("input", "Input layer", text, lines, net.neurons(1))


def _forward_step(net, ex, n):
    l = n - 2
    activation = net.activations[l]
    size = net.layers[n - 1]
    previous = ex["a"][l]
    z_lines, a_lines = [], []
    for j in range(size):
        terms = [
            (
                f"{w_sym(n, i + 1, j + 1)} {a_sym(n - 1, i + 1)}",
                Product(net.weights[l][j][i], _activation(ex, l, i)),
            )
            for i in range(len(previous))
        ]
        if net.bias:
            terms.append((b_sym(n, j + 1), Num(net.biases[l][j])))
        general = f"{z_sym(n, j + 1)} = " + " + ".join(t for t, _ in terms)
        z_lines.append(line(general, _added([e for _, e in terms]), ex["z"][l][j]))
        a_lines.append(
            line(
                _apply_general(activation, n, j + 1, size),
                _apply_expr(activation, ex["z"][l], j),
                ex["a"][n - 1][j],
            )
        )
    if activation == "softmax":  # every a_j needs every z_k: all sums first
        lines = z_lines + a_lines
    else:
        lines = [x for pair in zip(z_lines, a_lines) for x in pair]
    name = net.layer_name(n)
    bias_words = " plus its bias" if net.bias else ""
    text = (
        f"Each neuron of {name} adds up the activations of {net.layer_name(n - 1)}, "
        f"each multiplied by the weight of its connection{bias_words}: that is z. Then it "
        f"applies its activation function, {ACTIVATION_WORDS[activation]}, to get its "
        "activation a."
    )
    return _step(
        f"forward-{n}",
        net.layer_title(n),
        text,
        lines,
        net.neurons(n - 1) + net.neurons(n),
        net.connections(n),
    )


# An output within this of 1 (or of 0) has its ln a (or ln(1 - a)) written as ln(1 - eps), with
# eps computed without cancellation: a float a so close to 1 no longer holds eps's digits.
NEAR_EDGE = 1e-8


def _sigmoid(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    return math.exp(x) / (1.0 + math.exp(x))


def _output_logs(net, ex):
    """Per output neuron, (ln a_k, ln(1 - a_k)) as expressions whose shown numbers redo to the
    loss: near 1, 1 - a_k comes from z (sigmoid) or the other outputs (softmax)."""
    a, z = ex["a"][-1], ex["z"][-1]
    logs = []
    for k, a_k in enumerate(a):
        if a_k is None or not math.isfinite(a_k):
            logs.append((Call("ln", a_k), Call("ln", Sum(1, ("-", a_k)))))
            continue
        if net.activations[-1] == "softmax":
            rest = math.fsum(a_j for j, a_j in enumerate(a) if j != k)
        else:
            rest = _sigmoid(-z[k])
        ln_a = LnOneMinus(rest) if rest < NEAR_EDGE else Call("ln", a_k)
        if a_k < NEAR_EDGE:
            ln_rest = LnOneMinus(a_k)
        elif rest < NEAR_EDGE:
            ln_rest = Call("ln", rest)  # 1 - a_k, which a float a_k near 1 holds too few digits of
        else:
            ln_rest = Call("ln", Sum(1, ("-", a_k)))
        logs.append((ln_a, ln_rest))
    return logs


def _cost_step(net, ex):
    n = net.L + 1
    outputs = net.layers[-1]
    a, y = ex["a"][-1], ex["target"]
    logs = _output_logs(net, ex) if net.loss != "mse" else None
    if net.loss == "mse":
        pieces = [
            (f"({a_sym(n, k + 1)} - {y_sym(k + 1, outputs)})^2", Square(Sum(a[k], ("-", given(y[k])))))
            for k in range(outputs)
        ]
        what = "half the sum of the squared differences between output and target"
    elif net.activations[-1] == "softmax":
        pieces = [
            (rf"{y_sym(k + 1, outputs)} \ln {a_sym(n, k + 1)}", Product(given(y[k]), logs[k][0]))
            for k in range(outputs)
        ]
        what = "minus the sum of target times the log of the output"
    else:
        pieces = [
            (
                rf"{y_sym(k + 1, outputs)} \ln {a_sym(n, k + 1)} + (1 - {y_sym(k + 1, outputs)})"
                rf" \ln(1 - {a_sym(n, k + 1)})",
                Sum(Product(given(y[k]), logs[k][0]), ("+", Product(Sum(1, ("-", given(y[k]))), logs[k][1]))),
            )
            for k in range(outputs)
        ]
        what = "the cross-entropy between each output and its target"
    inside = " + ".join(p for p, _ in pieces)
    total = _added([e for _, e in pieces])
    if net.loss == "mse":
        general = (
            rf"E = \frac{{1}}{{2}}{inside}" if outputs == 1 else rf"E = \frac{{1}}{{2}}\left[{inside}\right]"
        )
        expr = Product(Frac(1, 2), total)
    else:
        general = rf"E = -\left[{inside}\right]"
        expr = Neg(total)
    text = f"The cost E measures how far the output is from the target y: {what}. Training makes it small."
    return _step("cost", "Cost", text, [line(general, expr, ex["loss"])], net.neurons(n))


def _penalty_step(trace):
    """With a regulariser: the penalty P over every weight (never the biases), and the
    objective the step minimises, E + P (the loss panel's regularisation term)."""
    regularization = trace["regularization"]
    rate, kind = regularization["rate"], regularization["kind"]
    weights = [w for matrix in trace["weights_before"] for row in matrix for w in row]
    if kind == "l1":
        total = math.fsum(abs(w) for w in weights)
        sum_line = line(r"\sum |w|", _added([Num(abs(w)) for w in weights]), total)
        penalty = line(r"P = \lambda \sum |w|", Product(given(rate), total), regularization["penalty"])
        words = (
            "L1 adds λ times the sum of the weights' sizes: its pull λ·sign(w) is the same "
            "for every weight, so small weights reach 0 (and stop there)."
        )
    else:
        total = math.fsum(w * w for w in weights)
        sum_line = line(r"\sum w^{2}", _added([Square(Num(w)) for w in weights]), total)
        penalty = line(
            r"P = \frac{\lambda}{2} \sum w^{2}",
            Product(Frac(1, 2), given(rate), total),
            regularization["penalty"],
        )
        words = (
            "L2 adds λ/2 times the sum of the squared weights: its pull λw is in "
            "proportion to each weight, so it shrinks them all without making them 0."
        )
    loss = trace["loss"]
    objective = line(
        r"E_{\text{total}} = E + P", Sum(loss, ("+", regularization["penalty"])), trace["objective"]
    )
    return _step(
        "penalty",
        "Regularisation: the penalty added to the cost",
        f"{words} The biases are not penalised. Training minimises E + P.",
        [sum_line, penalty, objective],
    )


def _output_error_step(net, ex):
    n, l = net.L + 1, net.L - 1
    outputs = net.layers[-1]
    activation = net.activations[-1]
    a, y = ex["a"][-1], ex["target"]
    lines = []
    if ex["output_delta_rule"] == "cross_entropy_cancel":
        for k in range(outputs):
            lines.append(
                line(
                    f"{delta_sym(n, k + 1)} = {a_sym(n, k + 1)} - {y_sym(k + 1, outputs)}",
                    Sum(a[k], ("-", given(y[k]))),
                    ex["delta"][l][k],
                )
            )
        text = (
            "δ = ∂E/∂z. With cross-entropy the derivative of the cost and the slope of the "
            f"{activation} cancel, so the error of each output neuron is simply a − y."
        )
    else:
        for k in range(outputs):
            lines.extend(
                _chain_lines(
                    net,
                    ex,
                    n,
                    k,
                    f"{a_sym(n, k + 1)} - {y_sym(k + 1, outputs)}",
                    Sum(a[k], ("-", given(y[k]))),
                )
            )
        text = (
            "δ = ∂E/∂z, the error of a neuron. By the chain rule δ = ∂E/∂a · ∂a/∂z. "
            "For the cost ½(a − y)², ∂E/∂a = a − y (not y − a: with this sign the update "
            "w := w − η ∂E/∂w goes downhill)."
        )
    return _step(f"delta-{n}", "Error in the output layer", text, lines, net.neurons(n))


def _chain_lines(net, ex, n, j, raw_general, raw_expr):
    """∂E/∂a_j, the activation's slope, and their product δ_j, for neuron j of layer n."""
    l = n - 2
    activation = net.activations[l]
    a = ex["a"][n - 1][j]
    raw, slope = ex["raw_error"][l][j], ex["slope"][l][j]
    first = line(f"{d_by(a_sym(n, j + 1))} = {raw_general}", raw_expr, raw)
    second = line(_slope_general(activation, n, j + 1), _slope_expr(activation, a, slope), slope)
    name = _slope_name(activation)
    third = line(
        rf"{delta_sym(n, j + 1)} = {d_by(a_sym(n, j + 1))}\,{name}({z_sym(n, j + 1)})",
        Product(raw, slope),
        ex["delta"][l][j],
    )
    return [first, second, third]


def _hidden_error_step(net, ex, n):
    l = n - 2
    following = net.layers[n]
    lines = []
    for j in range(net.layers[n - 1]):
        terms = ex["backprop_terms"][l][j]
        general = " + ".join(
            f"{w_sym(n + 1, j + 1, k + 1)} {delta_sym(n + 1, k + 1)}" for k in range(following)
        )
        raw_expr = _added([Product(w, d) for w, d in terms])
        lines.extend(_chain_lines(net, ex, n, j, general, raw_expr))
    text = (
        f"The error flows back: each neuron of {net.layer_name(n)} collects the errors δ of "
        f"{net.layer_name(n + 1)}, each weighted by the connection between them "
        f"(w_jk from this neuron j to neuron k there), then multiplies by the slope of its own "
        "activation. Every weight used is the weight before this step's update."
    )
    title = f"Errors in {net.layer_name(n)}"
    return _step(
        f"delta-{n}", title, text, lines, net.neurons(n) + net.neurons(n + 1), net.connections(n + 1)
    )


def _gradient_step(net, ex, n, grads_w, grads_b):
    l = n - 2
    deltas = ex["delta"][l]
    lines = []
    for i in range(net.layers[n - 2]):
        for j in range(net.layers[n - 1]):
            lines.append(
                line(
                    f"{d_by(w_sym(n, i + 1, j + 1))} = {a_sym(n - 1, i + 1)} {delta_sym(n, j + 1)}",
                    Product(_activation(ex, l, i), deltas[j]),
                    grads_w[l][j][i],
                )
            )
    if net.bias:
        for j in range(net.layers[n - 1]):
            lines.append(
                line(f"{d_by(b_sym(n, j + 1))} = {delta_sym(n, j + 1)}", Num(deltas[j]), grads_b[l][j])
            )
    text = (
        "How the cost changes with each weight: the activation that enters the weight times "
        "the error δ of the neuron it feeds, so w_ij uses a_i and δ_j."
    )
    if net.bias:
        text += " A bias enters its neuron with input 1, so ∂E/∂b = δ."
    return _step(
        f"grad-{n}",
        f"∂E/∂w between {net.between(n)}",
        text,
        lines,
        net.neurons(n - 1) + net.neurons(n),
        net.connections(n),
    )


def _update_lines(net, symbol, before, grad, after, refused):
    """One parameter's update, as the simulator made it (or refused it)."""
    if refused:  # the gradient step that was refused: it is what blew up
        return [
            line(
                rf"{symbol} - \eta {d_by(symbol)}",
                Sum(before, ("-", Product(given(net.eta), grad))),
                before - net.eta * grad,
            )
        ]
    # Old and new value with enough decimals that the (often tiny) change shows.
    decimals = decimals_to_show_change(before, after)
    old = Num(before, decimals)
    return [
        line(
            rf"{symbol} := {symbol} - \eta {d_by(symbol)}",
            Sum(old, ("-", Product(given(net.eta), grad))),
            after,
            decimals,
        )
    ]


def _update_step(net, trace, n):
    l = n - 2
    from . import explain_update  # it imports this module's notation

    if explain_update.applies(trace):  # an optimiser other than plain SGD, or a penalty
        lines, text = explain_update.layer_lines(trace, l, net.bias)
        return _layer_update_step(net, n, lines, text)
    grads_w, grads_b = trace["grad_weights"], trace["grad_biases"]
    after_w, after_b = trace["weights_after"], trace["biases_after"]
    refused = trace.get("status") == "diverged"
    params = [
        (w_sym(n, i + 1, j + 1), net.weights[l][j][i], grads_w[l][j][i], after_w[l][j][i])
        for i in range(net.layers[n - 2])
        for j in range(net.layers[n - 1])
    ]
    if net.bias:
        params += [
            (b_sym(n, j + 1), net.biases[l][j], grads_b[l][j], after_b[l][j])
            for j in range(net.layers[n - 1])
        ]
    lines = [ln for param in params for ln in _update_lines(net, *param, refused)]
    text = (
        f"Gradient descent: each parameter moves a small step against its gradient, "
        f"scaled by the learning rate η = {net.eta:g}."
    )
    if refused:
        text += (
            " This update would have made a weight non-finite, so the simulator refused it "
            "and kept the weights as they were: lower the learning rate and reset."
        )
    return _layer_update_step(net, n, lines, text)


def _layer_update_step(net, n, lines, text):
    what = "weights and biases" if net.bias else "weights"
    neurons = net.neurons(n) if net.bias else []
    return _step(
        f"update-{n}", f"Update the {what} between {net.between(n)}", text, lines, neurons, net.connections(n)
    )


def _chain_rule_step(net, ex):
    """For deep networks: one weight per layer, its gradient as the product of the chain."""
    lines = []
    for n in range(net.L + 1, 1, -1):
        l = n - 2
        a_in, grad, slope = _activation(ex, l, 0), ex["grad_weights"][l][0][0], ex["slope"][l]
        general = d_by(w_sym(n, 1, 1))
        cancels = n == net.L + 1 and ex["output_delta_rule"] == "cross_entropy_cancel"
        if cancels or slope is None:
            general += rf" = {delta_sym(n, 1)}\,{a_sym(n - 1, 1)}"
            expr = Product(ex["delta"][l][0], a_in)
        else:
            general += (
                rf" = {d_by(a_sym(n, 1))}\,\frac{{\partial {a_sym(n, 1)}}}{{\partial {z_sym(n, 1)}}}"
                rf"\,\frac{{\partial {z_sym(n, 1)}}}{{\partial {w_sym(n, 1, 1)}}}"
                rf" = {d_by(a_sym(n, 1))}\,{_slope_name(net.activations[l])}({z_sym(n, 1)})"
                rf"\,{a_sym(n - 1, 1)}"
            )
            expr = Product(ex["raw_error"][l][0], slope[0], a_in)
        lines.append(line(general, expr, grad))
    text = (
        "The chain rule, once per layer: ∂E/∂w is how E changes with the neuron's activation, "
        "times how the activation changes with its weighted sum (the slope f′), times how the "
        "sum changes with the weight (the incoming activation). ∂E/∂a of a hidden neuron is "
        "itself the sum of the next layer's δ times the weights, which is how the error of the "
        "output reaches the first layer."
    )
    return _step("chain-rule", "The chain rule, layer by layer", text, lines)


def _example_steps(net, ex, grads_w, grads_b):
    """Forward pass, cost, errors and gradients for one example."""
    steps = [_input_step(net, ex)]
    steps += [_forward_step(net, ex, n) for n in range(2, net.L + 2)]
    steps.append(_cost_step(net, ex))
    steps.append(_output_error_step(net, ex))
    steps += [_hidden_error_step(net, ex, n) for n in range(net.L, 1, -1)]
    steps += [_gradient_step(net, ex, n, grads_w, grads_b) for n in range(net.L + 1, 1, -1)]
    return steps


def _mean_general(symbol, count):
    return rf"{d_by(symbol)} = \frac{{1}}{{{count}}}\sum_{{e=1}}^{{{count}}} {d_by(symbol)}\Big|_e"


def mean_line(general, values, mean):
    """general = 1/N (v_1 + ... + v_N) = mean."""
    return line(general, Product(Frac(1, len(values)), _added([Num(v) for v in values])), mean)


def _average_steps(net, trace):
    examples = trace["examples"]
    count = len(examples)

    costs = [ex["loss"] for ex in examples]
    terms = " + ".join(f"E_{{{e + 1}}}" for e in range(count))
    steps = [
        _step(
            "batch-cost",
            "Cost of the batch",
            f"The batch's cost is the average of the {count} examples' costs.",
            [mean_line(rf"E = \frac{{1}}{{{count}}}({terms})", costs, trace["loss"])],
        )
    ]
    for n in range(net.L + 1, 1, -1):
        l = n - 2
        params = [
            (
                w_sym(n, i + 1, j + 1),
                [ex["grad_weights"][l][j][i] for ex in examples],
                trace["grad_weights"][l][j][i],
            )
            for i in range(net.layers[n - 2])
            for j in range(net.layers[n - 1])
        ]
        if net.bias:
            params += [
                (b_sym(n, j + 1), [ex["grad_biases"][l][j] for ex in examples], trace["grad_biases"][l][j])
                for j in range(net.layers[n - 1])
            ]
        lines = [mean_line(_mean_general(s, count), values, mean) for s, values, mean in params]
        steps.append(
            _step(
                f"batch-grad-{n}",
                f"Average ∂E/∂w between {net.between(n)}",
                "Full batch: each gradient is the average of the examples' gradients.",
                lines,
                (),
                net.connections(n),
            )
        )
    return steps


_settled = [None, None]  # the trace whose digits were settled last, and its Digits


def trace_digits(trace):
    """The Digits of the trace's explanation (explain_trace), settled over all its steps, so
    panels and tables shown with it write each quantity as its steps do."""
    if "a" not in trace and "examples" not in trace:  # an update's keys only (the Playground's)
        return Digits()
    if _settled[0] is not trace:
        explain_trace(trace)
    return _settled[1]


def explain_trace(trace):
    """The numbered explanation steps of one training step (single example or batch); each
    quantity is written with the same digits in every step (explain_expr.shared_digits)."""
    with shared_digits(own=True) as digits:
        steps = _explain_steps(trace)
    _settled[:] = [trace, digits]
    return steps


def _explain_steps(trace):
    net = _Network(trace)
    if "examples" in trace:
        steps = []
        for e, ex in enumerate(trace["examples"]):
            for step in _example_steps(net, ex, ex["grad_weights"], ex["grad_biases"]):
                step["id"] = f"example-{e + 1}-{step['id']}"
                step["title"] = f"Example {e + 1}: {step['title']}"
                steps.append(step)
        steps += _average_steps(net, trace)
    else:
        steps = _example_steps(net, trace, trace["grad_weights"], trace["grad_biases"])
    if trace.get("regularization") is not None:
        at = next(k for k, step in enumerate(steps) if step["id"] in ("cost", "batch-cost"))
        steps.insert(at + 1, _penalty_step(trace))
    steps += [_update_step(net, trace, n) for n in range(net.L + 1, 1, -1)]
    if net.L >= 3 and "examples" not in trace:
        # With one hidden layer steps 5-8 already are the whole chain; deeper, the pattern helps.
        steps.append(_chain_rule_step(net, trace))
    return [{"number": number, **step} for number, step in enumerate(steps, start=1)]


def conventions(trace):
    """The notation and formulas the steps use, as TeX lines (shown above the steps)."""
    from . import explain_update  # it imports this module's notation

    net = _Network(trace)
    update = r"w := w - \eta \frac{\partial E}{\partial w}"
    loss = {
        "mse": r"E = \frac{1}{2}\sum_k (a_k - y_k)^2",
        "cross_entropy": (
            r"E = -\sum_k y_k \ln a_k"
            if net.activations[-1] == "softmax"
            else r"E = -\sum_k \left[y_k \ln a_k + (1 - y_k)\ln(1 - a_k)\right]"
        ),
    }
    lines = [
        r"w_{ij}^{(l)}:\ \text{weight from neuron } i \text{ of layer } l-1 \text{ to neuron } j"
        r" \text{ of layer } l \text{ (counted from 1; layer 1 is the input)}",
        r"z_j^{(l)} = \sum_i w_{ij}^{(l)} a_i^{(l-1)}"
        + (r" + b_j^{(l)}" if net.bias else "")
        + r",\quad a_j^{(l)} = f(z_j^{(l)})",
    ]
    lines += [ACTIVATION_TEX[name] for name in dict.fromkeys(net.activations)]
    lines += [
        loss[net.loss],
        r"\delta_j^{(l)} = \frac{\partial E}{\partial z_j^{(l)}}",
        update + rf",\quad \eta = {net.eta:g}",
    ]
    if explain_update.applies(trace):  # the optimiser's rule in place of plain SGD's
        lines[-1:] = explain_update.convention_lines(trace)
    return lines


# What a lab says about its notation before any step, in plain text (the page shows it at once:
# the build bakes it with the lab's first state). The XOR walkthrough's: the reference's
# notation with its slips corrected, and the momentum it adds in PyTorch's form, the rule of
# nnsim.optimizers (explain_update.RULE_TEX["momentum"], with g = dE/dw).
LAB_NOTES = {
    "xor": "Notation of the reference walkthrough, with its slips corrected: σ(x) = 1/(1 + e⁻ˣ); "
    "the error δ = ∂E/∂z with ∂E/∂a = a − y; the reference's update is w := w − η ∂E/∂w "
    "with the learning rate η; and each weight's gradient uses the δ of the neuron it "
    "feeds (step 8). This lab adds momentum μ: each weight keeps a velocity "
    "v := μv + ∂E/∂w and moves w := w − ηv (PyTorch's form), which carries training past "
    "flat stretches and learns XOR from most starting weights. Momentum 0 gives the "
    "reference's plain update.",
}


def lab_note(preset):
    """The lab's note on its notation (LAB_NOTES), or None for a lab without one."""
    return LAB_NOTES.get(preset)


# ---- the network view's words: every neuron's and weight's name and symbol -------------------


def view_notation(layers, input_grid=None, input_names=None):
    """What the page's network view writes for each neuron and weight (names, tooltips,
    aria-labels), in the display notation above, so the page converts no index:

    `layers[l]` for code layer l: `label` (Input, Hidden, Hidden <k> when there are several,
    Output), `names[j]` ("neuron 3", or with an `input_grid` (rows, cols) the input's "pixel 7
    (row 2, column 2)", or with `input_names` the input's given names, such as the Playground's
    features "x₁²"), `titles[j]` (the neuron in a sentence: "hidden 2 neuron 3", "input x₁²"),
    `superscript` ("(l+1)"; "" for the input, whose activation is x_j),
    `subscripts[j]` and `symbols` ({a, b, z}: the letters, null where a layer has none).
    `weights[l]`: `symbol`, `superscript` and `subscripts[j][i]` of weights[l][j][i] (the pair as
    w_sym writes it)."""
    count = len(layers)
    hidden = count - 2

    def label(l):
        if l == 0:
            return "Input"
        if l == count - 1:
            return "Output"
        return "Hidden" if hidden == 1 else f"Hidden {l}"

    def name(l, j):
        if l == 0 and input_names:
            return input_names[j]
        if l == 0 and input_grid:
            cols = input_grid[1]
            return f"pixel {j + 1} (row {j // cols + 1}, column {j % cols + 1})"
        return f"neuron {j + 1}"

    return {
        "layers": [
            {
                "label": label(l),
                "names": [name(l, j) for j in range(size)],
                "titles": [f"{label(l).lower()} {name(l, j)}" for j in range(size)],
                "superscript": "" if l == 0 else f"({l + 1})",
                "subscripts": [str(j + 1) for j in range(size)],
                "symbols": ({"a": "x", "b": None, "z": None} if l == 0 else {"a": "a", "b": "b", "z": "z"}),
            }
            for l, size in enumerate(layers)
        ],
        "weights": [
            {
                "symbol": "w",
                "superscript": f"({l + 2})",
                "subscripts": [[_pair(i + 1, j + 1) for i in range(layers[l])] for j in range(layers[l + 1])],
            }
            for l in range(count - 1)
        ],
    }


def explain(trace):
    """Everything a formula panel shows: the conventions, the steps, per step the weight labels
    of the network drawn beside it (`step_labels`), and the biases before the step as the steps
    write them (`bias_labels`, the Deep lab's drawing; null without biases), and so the
    activations printed in the neurons (`activation_labels[l][j]`) and the loss
    (`loss_label`), both null for a batch trace."""
    steps = explain_trace(trace)
    return {
        "conventions": conventions(trace),
        "steps": steps,
        "labels": step_labels(trace, steps),
        "bias_labels": parameter_labels(trace)["bias_labels"],
        "activation_labels": activation_labels(trace, steps),
        "loss_label": loss_label(trace, steps),
        "givens": givens(trace),
    }


def givens(trace):
    """The step's given numbers as the formulas write them, for the words around them: the
    example's input and target (null for a batch trace) and the learning rate."""
    single = "examples" not in trace
    return {
        "input": given_labels(trace["input"]) if single else None,
        "target": given_labels(trace["target"]) if single else None,
        "learning_rate": given_labels(trace["learning_rate"]),
    }


def parameter_labels(trace):
    """The weights and biases before the step as its formulas write them where they use them
    (the drawing's labels and tooltips beside the formulas): {weight_labels, bias_labels}."""
    digits = trace_digits(trace)
    biases = trace["biases_before"]
    return {
        "weight_labels": _texts(trace["weights_before"], digits.plain),
        "bias_labels": None if biases is None else _texts(biases, digits.plain),
    }


def loss_label(trace, steps):
    """The example's loss as its cost step writes the result (the Deep lab prints it beside the
    network); None for a batch trace."""
    cost = next((step for step in steps if step["id"] == "cost"), None)
    if cost is None or "examples" in trace:
        return None
    digits = trace_digits(trace)
    return digits.plain(trace["loss"], digits.group_of(cost["lines"]))


def activation_labels(trace, steps):
    """The trace's activations per layer as plain text, as its forward pass writes them: the
    inputs (layer 0) as given constants ("0", as the formulas write x), every other one as the
    result of the step that computes it (a later step that needs more digits of it, such as a
    cost that cancels, does not put them in the drawing). None for a batch trace."""
    if "a" not in trace:
        return None
    digits = trace_digits(trace)
    group = {step["id"]: digits.group_of(step["lines"]) for step in steps}
    written = [[plain_number(x, given=True) for x in trace["a"][0]]]
    for l, layer in enumerate(trace["a"][1:], 1):
        computed = group.get(f"forward-{l + 1}")
        written.append([digits.plain(x, computed) for x in layer])
    return written


def plain_activations(activations):
    """Activations per layer as plain text at the display precision, the inputs as given (a
    prediction's, which no formula writes)."""
    return [[plain_number(x, given=l == 0) for x in layer] for l, layer in enumerate(activations)]


def _texts(values, write):
    return [_texts(v, write) for v in values] if isinstance(values, list) else write(values)


def step_labels(trace, steps):
    """Per step, the weights the drawing beside it shows (the new ones from their layer's
    update step on) as plain text (−0.9420, U+2212), each written as that step's formulas
    write it (explain_expr.Digits)."""
    digits = trace_digits(trace)
    updated = {step["id"]: k for k, step in enumerate(steps) if step["id"].startswith("update-")}
    labels = []
    for k, step in enumerate(steps):
        group = digits.group_of(step["lines"])
        labels.append(
            [
                _texts(
                    trace[
                        "weights_after" if updated.get(f"update-{l + 2}", k + 1) <= k else "weights_before"
                    ][l],
                    lambda x, group=group: digits.plain(x, group),
                )
                for l in range(len(trace["weights_before"]))
            ]
        )
    return labels


def plain_labels(values):
    """Numbers (alone, nested lists, or None) as plain text at the display precision: what the
    page prints beside a value no formula on screen writes (the drawing's labels and tooltips
    during a run, tables, measures, a chart's latest value). None stays None ("not known")."""
    return None if values is None else _texts(values, plain_number)


def given_labels(values):
    """Given numbers (inputs, targets, settings) as plain text in their short exact form, as
    the formulas write them: 1, 0.5, −0.3."""
    return _texts(values, lambda x: plain_number(x, given=True))


def percent_label(share):
    """A share (an accuracy, 0..1) as a percentage with one decimal, '87.5 %'; None: None.
    Shares of counted examples: one fixed decimal tells 1 of 1,000 apart, no digit search."""
    return None if share is None else f"{100.0 * share:.1f} %"


# ---- the Glass box's panels: one parameter's chain rule, the loss, the symbols of its tables ----


def neuron_name(layers, n, j):
    """'input 2', 'hidden 1', 'output' (a single output needs no number) for display layer n."""
    role = "input" if n == 1 else "output" if n == len(layers) else "hidden"
    return role if layers[n - 1] == 1 else f"{role} {j}"


def symbols(trace):
    """TeX of every value a table shows, indexed as in code: a[layer][j], delta[l][j] (l: non-input
    layer), w[l][j][i], b[l][j]."""
    layers = trace["layers"]
    return {
        "a": [[a_sym(n, j + 1) for j in range(size)] for n, size in enumerate(layers, 1)],
        "delta": [[delta_sym(n, j + 1) for j in range(layers[n - 1])] for n in range(2, len(layers) + 1)],
        "w": [
            [[w_sym(l + 2, i + 1, j + 1) for i in range(layers[l])] for j in range(layers[l + 1])]
            for l in range(len(layers) - 1)
        ],
        "b": [[b_sym(l + 2, j + 1) for j in range(layers[l + 1])] for l in range(len(layers) - 1)],
    }


class Parameter:
    """A weight [l, j, i] (weights[l][j][i]) or a bias [l, j] (biases[l][j]) of a trace: its
    symbol, its name, and where its numbers are in the trace."""

    def __init__(self, trace, parameter):
        kind, index = parameter.get("kind"), parameter.get("index")
        layers = trace["layers"]
        if (
            kind not in ("weight", "bias")
            or not isinstance(index, list)
            or len(index) != (3 if kind == "weight" else 2)
            or not all(isinstance(k, int) and not isinstance(k, bool) for k in index)
        ):
            raise ValueError(
                "parameter: expected {kind: 'weight', index: [l, j, i]} or {kind: 'bias', index: [l, j]}"
            )
        l, j = index[0], index[1]
        sizes_ok = 0 <= l < len(layers) - 1 and 0 <= j < layers[l + 1]
        if kind == "weight":
            sizes_ok = sizes_ok and 0 <= index[2] < layers[l]
        if not sizes_ok or (kind == "bias" and not trace["bias"]):
            raise ValueError(f"parameter: the network has no {kind} {index}")
        self.kind, self.l, self.j, self.n = kind, l, j, l + 2  # n: display layer it feeds
        if kind == "weight":
            i = self.i = index[2]
            self.symbol = w_sym(self.n, i + 1, j + 1)
            self.name = f"{neuron_name(layers, l + 1, i + 1)} → {neuron_name(layers, l + 2, j + 1)}"
            self.input_symbol = a_sym(l + 1, i + 1)
        else:
            self.symbol = b_sym(self.n, j + 1)
            self.name = f"bias of {neuron_name(layers, l + 2, j + 1)}"
            self.input_symbol = None

    def pick(self, values):
        """This parameter's entry of a [l][j][i] (weights) or [l][j] (biases) structure."""
        row = values[self.l][self.j]
        return row[self.i] if self.kind == "weight" else row

    def gradient(self, ex):
        return self.pick(ex["grad_weights"] if self.kind == "weight" else ex["grad_biases"])

    def values(self, trace, when):
        return self.pick(trace[f"{'weights' if self.kind == 'weight' else 'biases'}_{when}"])

    def gradient_line(self, ex, general_left):
        delta = ex["delta"][self.l][self.j]
        if self.kind == "bias":
            return line(f"{general_left} = {delta_sym(self.n, self.j + 1)}", Num(delta), self.gradient(ex))
        return line(
            f"{general_left} = {delta_sym(self.n, self.j + 1)} {self.input_symbol}",
            Product(delta, _activation(ex, self.l, self.i)),
            self.gradient(ex),
        )


def _delta_lines(net, ex, n, j):
    """The error δ_j of display layer n for one example, as the explanation of its layer has it."""
    if n == net.L + 1:
        outputs = net.layers[-1]
        a, y = ex["a"][-1][j], ex["target"][j]
        if ex["output_delta_rule"] == "cross_entropy_cancel":
            return [
                line(
                    f"{delta_sym(n, j + 1)} = {a_sym(n, j + 1)} - {y_sym(j + 1, outputs)}",
                    Sum(a, ("-", given(y))),
                    ex["delta"][n - 2][j],
                )
            ]
        return _chain_lines(
            net, ex, n, j, f"{a_sym(n, j + 1)} - {y_sym(j + 1, outputs)}", Sum(a, ("-", given(y)))
        )
    terms = ex["backprop_terms"][n - 2][j]
    general = " + ".join(f"{w_sym(n + 1, j + 1, k + 1)} {delta_sym(n + 1, k + 1)}" for k in range(len(terms)))
    return _chain_lines(net, ex, n, j, general, _added([Product(w, d) for w, d in terms]))


def parameter_chain(trace, parameter, focus):
    """The chain rule of one parameter in a batch trace, as steps of lines: for one example
    (focus: its index) the gradient, the δ it uses and how δ came about; for "average" every
    example's gradient. Then the average the update used, and the update."""
    net, p = _Network(trace), Parameter(trace, parameter)
    examples = trace["examples"]
    count = len(examples)
    d_p = d_by(p.symbol)
    steps = []
    if focus == "average":
        lines = [p.gradient_line(ex, rf"{d_p}\Big|_{{{e + 1}}}") for e, ex in enumerate(examples)]
        steps.append(
            _step(
                "chain-examples",
                "Each example's gradient",
                f"Each of the {count} examples gives its own gradient, from its own δ and activation.",
                lines,
            )
        )
    else:
        if focus not in range(count) or isinstance(focus, bool):
            raise ValueError(f"focus: expected an example 0..{count - 1} or 'average'")
        ex = examples[focus]
        input_words = "" if p.kind == "bias" else " times the activation entering the weight"
        steps.append(
            _step(
                "chain-gradient",
                "Gradient for this example",
                f"∂E/∂{'b' if p.kind == 'bias' else 'w'} is the error δ of the neuron it feeds{input_words}.",
                [p.gradient_line(ex, d_p)],
            )
        )
        cancels = p.n == net.L + 1 and ex["output_delta_rule"] == "cross_entropy_cancel"
        how = (
            "With cross-entropy and a sigmoid output the slope cancels: δ = a − y, and a "
            "saturated output cannot silence the error."
            if cancels
            else "δ = ∂E/∂a times the slope of the activation at z."
            + (
                ""
                if p.n == net.L + 1
                else " For a hidden neuron ∂E/∂a is the sum of the next layer's δ, each times "
                "the weight that connects them."
            )
        )
        steps.append(
            _step(
                "chain-delta",
                f"The error δ of {p.name.split(' → ')[-1]}"
                if p.kind == "weight"
                else "The error δ of the neuron",
                how,
                _delta_lines(net, ex, p.n, p.j),
            )
        )
    gradients = [p.gradient(ex) for ex in examples]
    average = mean_line(_mean_general(p.symbol, count), gradients, p.gradient(trace))
    refused = trace.get("status") == "diverged"
    update = _update_lines(
        net, p.symbol, p.values(trace, "before"), p.gradient(trace), p.values(trace, "after"), refused
    )
    steps.append(
        _step(
            "chain-update",
            "The epoch's update",
            f"The epoch averages the {count} examples' gradients and moves the "
            "parameter against the average, scaled by the learning rate η."
            + (" This update was refused: it would have made a weight too large." if refused else ""),
            [average, *update],
        )
    )
    return {"symbol": p.symbol, "name": p.name, "steps": steps}


def loss_lines(trace):
    """Each example's cost and the batch's average, as lines."""
    net = _Network(trace)
    lines = []
    for e, ex in enumerate(trace["examples"], 1):
        cost = _cost_step(net, ex)["lines"][0]
        cost["general"] = f"E_{{{e}}}" + cost["general"].removeprefix("E")
        lines.append(cost)
    count = len(trace["examples"])
    terms = " + ".join(f"E_{{{e + 1}}}" for e in range(count))
    lines.append(
        mean_line(
            rf"E = \frac{{1}}{{{count}}}({terms})", [ex["loss"] for ex in trace["examples"]], trace["loss"]
        )
    )
    return lines


def panels(trace, parameter=None, focus=0):
    """Everything the Glass box's panels write about a batch trace, for one parameter (None: an
    input neuron is selected, which has none) and focus: {chain, loss, symbols, numbers}."""
    with shared_digits(start=trace_digits(trace)) as digits:
        chain = None if parameter is None else parameter_chain(trace, parameter, focus)
        loss = loss_lines(trace)
        shown = [ln for step in (chain["steps"] if chain else []) for ln in step["lines"]] + loss
        group_lines(shown)  # on one screen: each number written alike in all of them
    numbers = table_numbers(trace, lambda x: digits.plain(x, digits.group_of(shown)))
    return {"chain": chain, "loss": loss, "symbols": symbols(trace), "numbers": numbers}


def table_numbers(trace, write):
    """The numbers of the Glass box's tables and packets as plain text, each written as the
    panels' formulas write it (`write`): per example `input` and `target` (given, in their
    short form), `a`, `delta` (as in the trace) and `loss` (the input, given, in its short
    form); the mean loss; the parameters before and after and the averaged gradients."""
    numbers = {
        "examples": [
            {
                "input": given_labels(ex["input"]),
                "target": given_labels(ex["target"]),
                "a": [given_labels(ex["a"][0])] + _texts(ex["a"][1:], write),
                "delta": _texts(ex["delta"], write),
                "loss": write(ex["loss"]),
            }
            for ex in trace["examples"]
        ],
        "loss": write(trace["loss"]),
    }
    for key in (
        "weights_before",
        "grad_weights",
        "weights_after",
        "biases_before",
        "grad_biases",
        "biases_after",
    ):
        numbers[key] = None if trace.get(key) is None else _texts(trace[key], write)
    return numbers


def _math(tex):
    return f"$${tex}$$"


def worked_example_intro(trace):
    """The title and opening paragraphs of a worked example of `trace` (plain text), shared by
    the Markdown below and nnsim.worked_example's LaTeX."""
    shape = "-".join(str(n) for n in trace["layers"])

    def vector(values):
        return "(" + ", ".join(f"{v:g}" for v in values) + ")"

    where = (
        f"full batch of {len(trace['examples'])} examples"
        if "examples" in trace
        else f"input x = {vector(trace['input'])}, target y = {vector(trace['target'])}"
    )
    return (
        f"One training step of a {shape} network, worked by hand",
        [
            f"Activations {', '.join(trace['activations'])}; loss {trace['loss_name']}; "
            f"{'with' if trace['bias'] else 'no'} biases; iteration {trace.get('iteration', 0)}; "
            f"{where}.",
            "Conventions: layers and neurons are counted from 1 and layer 1 is the input; "
            "δ = ∂E/∂z; the update subtracts the learning rate times the gradient. Numbers are "
            "rounded for display, with enough digits that redoing each line's arithmetic with the "
            "numbers as shown gives its result to the digits shown.",
        ],
    )


def line_parts(line):
    """A line's TeX parts as shown: general, substituted (unless it is the result), result."""
    parts = [line["general"]]
    if line["substituted"] != line["result"]:
        parts.append(line["substituted"])
    return parts + [line["result"]]


def trace_markdown(trace):
    """A worked example a teacher can paste into course notes (Markdown with $$ TeX $$)."""
    title, paragraphs = worked_example_intro(trace)
    out = [f"# {title}", ""]
    for paragraph in paragraphs:
        out += [paragraph, ""]
    out += [_math(tex) for tex in conventions(trace)]
    for step in explain_trace(trace):
        out += ["", f"## Step {step['number']}. {step['title']}", "", step["text"], ""]
        out += [_math(" = ".join(line_parts(ln))) for ln in step["lines"]]
    return "\n".join(out) + "\n"
