"""The update of one parameter written out: the optimiser's rule, with this step's numbers, and
its result, in the line format of nnsim.explain (`line`: general, substituted, result, value).

For a parameter p (a weight or a bias) with loss gradient dE/dp, the lines are, in order:
  with a penalty, for a weight: g_p = dE/dp + lambda p (l2) or + lambda sign(p) (l1);
  otherwise the rule uses dE/dp itself as g;
  the optimiser's state updates (v, s, m, v), the bias corrections (Adam), AdamW's decay,
  p := the update; with L1, when that carried a weight across 0, the line that stops it at 0.
Every number comes from the trace (its optimizer_state, regularization, step_learning_rate);
the substituted arithmetic, redone with the numbers as shown, gives the result shown.

`parameter_update(trace, parameter)` is what a formula panel shows for the selected parameter:
these lines plus the optimiser's state before and after the step.
"""

import math

from .explain import b_sym, d_by, trace_digits, w_sym
from .explain_expr import (
    Expr,
    Frac,
    Num,
    Product,
    Square,
    Sum,
    decimals_to_show_change,
    given,
    line,
    number_tex,
    shared_digits,
)
from .updates import ParameterLayout


class Sqrt(Expr):
    r"""\sqrt{x}"""

    def __init__(self, inner):
        self.inner = inner if isinstance(inner, Expr) else Num(inner)

    def tex(self, digits, top=False):
        return rf"\sqrt{{{self.inner.tex(digits, True)}}}"

    def value(self, digits):
        return math.sqrt(self.inner.value(digits))


class Power(Expr):
    """x^{t} for a whole exponent t (Adam's beta^t)."""

    def __init__(self, base, exponent):
        self.base = base if isinstance(base, Expr) else Num(base)
        self.exponent = exponent

    def tex(self, digits, top=False):
        return f"{self.base.tex(digits)}^{{{self.exponent}}}"

    def value(self, digits):
        return self.base.value(digits) ** self.exponent


# State names in traces -> how they are written for parameter p (TeX, with {p} for p's symbol)
STATE_SYMBOLS = {
    "velocity": "v_{{{p}}}",
    "square_average": "s_{{{p}}}",
    "first_moment": "m_{{{p}}}",
    "second_moment": "v_{{{p}}}",
    "first_moment_hat": r"\hat{{m}}_{{{p}}}",
    "second_moment_hat": r"\hat{{v}}_{{{p}}}",
}

RULE_TEX = {
    "sgd": [r"w := w - \eta\, g"],
    "momentum": [r"v := \mu v + g", r"w := w - \eta v"],
    "nesterov": [r"v := \mu v + g", r"w := w - \eta\,(g + \mu v)"],
    "rmsprop": [r"s := \alpha s + (1 - \alpha)\, g^{2}", r"w := w - \eta \frac{g}{\sqrt{s} + \epsilon}"],
    "adam": [
        r"m := \beta_1 m + (1 - \beta_1)\, g",
        r"v := \beta_2 v + (1 - \beta_2)\, g^{2}",
        r"\hat{m} = \frac{m}{1 - \beta_1^{t}},\quad \hat{v} = \frac{v}{1 - \beta_2^{t}}",
        r"w := w - \eta \frac{\hat{m}}{\sqrt{\hat{v}} + \epsilon}",
    ],
}
RULE_TEX["adamw"] = [r"w := w - \eta \lambda_{\text{decay}} w"] + RULE_TEX["adam"]

RULE_WORDS = {
    "sgd": "Gradient descent: the parameter moves against its gradient g, scaled by the learning rate η.",
    "momentum": "Momentum: the velocity v keeps the share μ of the last velocity and adds the "
    "gradient; the parameter moves by η v, so steps that agree build up speed.",
    "nesterov": "Nesterov momentum: the velocity is updated as with momentum, but the step "
    "looks ahead, using g + μ v, the gradient plus where the velocity is heading.",
    "rmsprop": "RMSProp: s is a running mean of g², so √s is the gradient's typical size; "
    "dividing by it gives every parameter steps of similar size.",
    "adam": "Adam: m is a running mean of g (the first moment), v of g² (the second). Both "
    "start at 0, so early on they are too small: dividing by 1 − βᵗ corrects that bias. "
    "The step is η m̂ / (√v̂ + ε).",
    "adamw": "AdamW: first the weight decays, w shrinks by the share ηλ of itself (decoupled "
    "from the gradient; biases do not decay), then the Adam step.",
}


def applies(trace):
    """Does this trace's update need these lines (any optimiser but plain SGD, a penalty)?"""
    optimizer = trace.get("optimizer")
    return optimizer is not None and (optimizer["name"] != "sgd" or trace.get("regularization") is not None)


def _value(shaped, kind, l, j, i):
    if kind == "weight":
        return shaped["weights"][l][j][i]
    return shaped["biases"][l][j]


def _symbol(kind, l, j, i):
    n = l + 2
    return w_sym(n, i + 1, j + 1) if kind == "weight" else b_sym(n, j + 1)


class _Parameter:
    """One parameter's numbers in a trace, and the symbols its lines use."""

    def __init__(self, trace, kind, l, j, i):
        self.where = (kind, l, j, i)
        self.p = _symbol(kind, l, j, i)
        self.optimizer = trace["optimizer"]
        self.eta = trace["step_learning_rate"]
        self.before_state = trace["optimizer_state"]["before"]
        self.after_state = trace["optimizer_state"]["after"]
        self.before = self.value(trace["weights_before"], trace["biases_before"])
        self.after = self.value(trace["weights_after"], trace["biases_after"])
        self.loss_grad = self.value(trace["grad_weights"], trace["grad_biases"])
        self.penalised = trace.get("regularization") is not None and kind == "weight"
        # g: the loss gradient, or with a penalty g_p (its own line gives the value)
        self.g = f"g_{{{self.p}}}" if self.penalised else d_by(self.p)
        self.g_squared = f"{self.g}^{{2}}" if self.penalised else rf"\left({self.g}\right)^{{2}}"

    def value(self, weights, biases):
        return _value({"weights": weights, "biases": biases}, *self.where)

    def old(self, state_name):
        return _value(self.before_state[state_name], *self.where)

    def new(self, state_name):
        return _value(self.after_state[state_name], *self.where)

    def sym(self, state_name):
        return STATE_SYMBOLS[state_name].format(p=self.p)


def _momentum_lines(q, grad):
    """v := mu v + g, and the step (momentum: eta v; nesterov: eta (g + mu v))."""
    mu, v, sym = q.optimizer["momentum"], q.new("velocity"), q.sym("velocity")
    lines = [line(rf"{sym} := \mu {sym} + {q.g}", Sum(Product(given(mu), q.old("velocity")), ("+", grad)), v)]
    if q.optimizer["name"] == "momentum":
        return lines, rf"\eta {sym}", Product(given(q.eta), v)
    return (
        lines,
        rf"\eta\,({q.g} + \mu {sym})",
        Product(given(q.eta), Sum(grad, ("+", Product(given(mu), v)))),
    )


def _rmsprop_lines(q, grad):
    """s := alpha s + (1 - alpha) g^2, and the step eta g / (sqrt(s) + eps)."""
    alpha, eps = q.optimizer["alpha"], q.optimizer["eps"]
    s, sym = q.new("square_average"), q.sym("square_average")
    lines = [
        line(
            rf"{sym} := \alpha {sym} + (1 - \alpha)\, {q.g_squared}",
            Sum(
                Product(given(alpha), q.old("square_average")),
                ("+", Product(Sum(1, ("-", given(alpha))), Square(Num(grad)))),
            ),
            s,
        )
    ]
    return (
        lines,
        rf"\eta \frac{{{q.g}}}{{\sqrt{{{sym}}} + \epsilon}}",
        Product(given(q.eta), Frac(grad, Sum(Sqrt(s), ("+", given(eps))))),
    )


def _adam_lines(q, grad):
    """The two moments, their bias corrections, and the step eta m^ / (sqrt(v^) + eps)."""
    h, t = q.optimizer, q.optimizer["step"]
    m, v = q.new("first_moment"), q.new("second_moment")
    m_hat, v_hat = q.new("first_moment_hat"), q.new("second_moment_hat")
    lines = [
        line(
            rf"{q.sym('first_moment')} := \beta_1 {q.sym('first_moment')} + (1 - \beta_1)\, {q.g}",
            Sum(
                Product(given(h["beta1"]), q.old("first_moment")),
                ("+", Product(Sum(1, ("-", given(h["beta1"]))), grad)),
            ),
            m,
        ),
        line(
            rf"{q.sym('second_moment')} := \beta_2 {q.sym('second_moment')} "
            rf"+ (1 - \beta_2)\, {q.g_squared}",
            Sum(
                Product(given(h["beta2"]), q.old("second_moment")),
                ("+", Product(Sum(1, ("-", given(h["beta2"]))), Square(Num(grad)))),
            ),
            v,
        ),
        line(
            rf"{q.sym('first_moment_hat')} = \frac{{{q.sym('first_moment')}}}{{1 - \beta_1^{{{t}}}}}",
            Frac(m, Sum(1, ("-", Power(given(h["beta1"]), t)))),
            m_hat,
        ),
        line(
            rf"{q.sym('second_moment_hat')} = \frac{{{q.sym('second_moment')}}}"
            rf"{{1 - \beta_2^{{{t}}}}}",
            Frac(v, Sum(1, ("-", Power(given(h["beta2"]), t)))),
            v_hat,
        ),
    ]
    return (
        lines,
        rf"\eta \frac{{{q.sym('first_moment_hat')}}}"
        rf"{{\sqrt{{{q.sym('second_moment_hat')}}} + \epsilon}}",
        Product(given(q.eta), Frac(m_hat, Sum(Sqrt(v_hat), ("+", given(h["eps"]))))),
    )


def parameter_lines(trace, kind, l, j, i=None):
    """The update lines of one parameter (kind "weight" with [l][j][i], or "bias" [l][j])."""
    q = _Parameter(trace, kind, l, j, i)
    name, p, before = q.optimizer["name"], q.p, q.before
    lines, grad = [], q.loss_grad
    if q.penalised:
        lines.append(_penalised_gradient_line(trace, q.where, p, q.g, before, q.loss_grad))
        grad = lines[0]["value"] if lines[0]["value"] is not None else float("nan")
    if name == "adamw" and kind == "weight":  # decay first; the Adam step starts from there
        decayed = q.new("decayed")
        decimals = decimals_to_show_change(before, decayed)
        lines.append(
            line(
                rf"{p} := {p} - \eta \lambda {p}",
                Sum(
                    Num(before, decimals),
                    ("-", Product(given(q.eta), given(q.optimizer["weight_decay"]), before)),
                ),
                decayed,
                decimals,
            )
        )
        before = decayed
    if name in ("momentum", "nesterov"):
        more, step_general, step = _momentum_lines(q, grad)
    elif name == "rmsprop":
        more, step_general, step = _rmsprop_lines(q, grad)
    elif name in ("adam", "adamw"):
        more, step_general, step = _adam_lines(q, grad)
    else:
        more, step_general, step = [], rf"\eta\, {q.g}", Product(given(q.eta), grad)
    lines += more
    if trace.get("status") == "diverged":
        return lines  # the update was refused: the parameter kept its value
    stopped = _stopped_at_zero(trace, q.where)
    result = q.after if stopped is None else stopped
    decimals = decimals_to_show_change(before, result)
    lines.append(
        line(rf"{p} := {p} - {step_general}", Sum(Num(before, decimals), ("-", step)), result, decimals)
    )
    if stopped is not None:  # L1: the step carried p across 0, so p stops there
        lines.append(line(rf"\text{{L1 would carry }}{p}\text{{ across 0, so }}{p} := 0", Num(0.0), q.after))
    return lines


def _stopped_at_zero(trace, where):
    """L1: the value the rule gave a weight it carried across 0 (the weight is now 0), or None."""
    regularization = trace.get("regularization")
    kind, l, j, i = where
    if (
        regularization is None
        or kind != "weight"
        or [l, j, i] not in regularization.get("stopped_at_zero", [])
    ):
        return None
    return regularization["weights_crossing"][l][j][i]


def _penalised_gradient_line(trace, where, p, g, value, loss_grad):
    """g_p = dE/dp + the penalty's gradient, for a weight p of value `value`."""
    regularization = trace["regularization"]
    rate = regularization["rate"]
    penalty_grad = _value({"weights": regularization["grad_weights"], "biases": None}, *where)
    total = float("nan") if penalty_grad is None or loss_grad is None else loss_grad + penalty_grad
    if regularization["kind"] == "l2":
        return line(
            rf"{g} = {d_by(p)} + \lambda {p}", Sum(loss_grad, ("+", Product(given(rate), value))), total
        )
    sign = 1 if value > 0 else (-1 if value < 0 else 0)  # given: whole numbers
    return line(
        rf"{g} = {d_by(p)} + \lambda \operatorname{{sign}}({p})",
        Sum(loss_grad, ("+", Product(given(rate), sign))),
        total,
    )


def layer_lines(trace, l, bias):
    """Update lines of every weight into layer l + 1 (column by column, as the SGD lines), then
    of its biases; and the words that explain the rule."""
    weights = trace["weights_before"][l]
    lines = []
    for i in range(len(weights[0])):
        for j in range(len(weights)):
            lines += parameter_lines(trace, "weight", l, j, i)
    if bias:
        for j in range(len(weights)):
            lines += parameter_lines(trace, "bias", l, j)
    return lines, rule_words(trace)


def rule_words(trace):
    optimizer = trace["optimizer"]
    words = RULE_WORDS[optimizer["name"]]
    regularization = trace.get("regularization")
    if regularization is not None:
        words += {
            "l2": " The L2 penalty (λ/2)Σw² adds λw to each weight's gradient.",
            "l1": " The L1 penalty λΣ|w| adds λ·sign(w) to each weight's gradient.",
        }[regularization["kind"]]
    if trace.get("status") == "diverged":
        words += (
            " This update would have made a parameter non-finite or too large, so the "
            "simulator refused it and kept the parameters: lower the learning rate and "
            "reset."
        )
    return words


def convention_lines(trace):
    """The update rule as TeX lines for the conventions, with its settings' values."""
    optimizer = trace["optimizer"]
    name = optimizer["name"]
    values = {
        "momentum": r"\mu",
        "alpha": r"\alpha",
        "beta1": r"\beta_1",
        "beta2": r"\beta_2",
        "eps": r"\epsilon",
        "weight_decay": r"\lambda_{\text{decay}}",
    }
    settings = [
        rf"{values[key]} = {number_tex(optimizer[key], given=True)}" for key in values if key in optimizer
    ]
    lines = list(RULE_TEX[name])
    lines[-1] += rf",\quad \eta = {number_tex(trace['step_learning_rate'], given=True)}"
    if settings:
        lines[-1] += r",\ " + r",\ ".join(settings)
    regularization = trace.get("regularization")
    if regularization is not None:
        penalty = r"\frac{\lambda}{2}\sum w^{2}" if regularization["kind"] == "l2" else r"\lambda \sum |w|"
        gradient = r"\lambda w" if regularization["kind"] == "l2" else r"\lambda \operatorname{sign}(w)"
        lines.insert(
            0,
            rf"E_{{\text{{total}}}} = E + {penalty},\quad g = \frac{{\partial E}}"
            rf"{{\partial w}} + {gradient}\ \text{{(weights; biases: }} g = "
            rf"\frac{{\partial E}}{{\partial b}}),\quad \lambda = "
            rf"{number_tex(regularization['rate'], given=True)}",
        )
    else:
        lines.insert(
            0,
            r"g = \frac{\partial E}{\partial w}\ \text{(or } \frac{\partial E}"
            r"{\partial b}\text{)}",
        )
    return lines


def parameter_update(trace, parameter):
    """What a formula panel shows for one selected parameter: its update lines, and the
    optimiser's state for it before and after the step.

    parameter: ["weight", l, j, i] or ["bias", l, j] in code indices (docs/architecture.md).
    Returns {parameter, symbol, optimizer, learning_rate, step, text, lines, state: [{name,
    symbol, before, after, before_tex, after_tex}]}; ValueError names a bad parameter.
    """
    layout = ParameterLayout(trace["layers"], trace["biases_before"] is not None)
    kind, l, j, i = layout.check_parameter(parameter)
    symbol = _symbol(kind, l, j, i)
    optimizer = trace["optimizer"]
    with shared_digits(start=trace_digits(trace)) as digits:  # as the update step writes them
        lines = parameter_lines(trace, kind, l, j, i)
    state = []
    before_state = trace["optimizer_state"]["before"]
    for name, shaped in trace["optimizer_state"]["after"].items():
        if name not in STATE_SYMBOLS or (kind == "bias" and shaped["biases"] is None):
            continue
        before = _value(before_state[name], kind, l, j, i) if name in before_state else None
        after = _value(shaped, kind, l, j, i)
        state.append(
            {
                "name": name,
                "symbol": STATE_SYMBOLS[name].format(p=symbol),
                "before": before,
                "after": after,
                "before_tex": None if before is None else digits.tex(before, digits.group_of(lines)),
                # A refused step's state holds what it would have been: beyond a
                # float it crosses as null, shown as no number.
                "after_tex": None if after is None else digits.tex(after, digits.group_of(lines)),
            }
        )
    return {
        "parameter": [kind, l, j] + ([i] if kind == "weight" else []),
        "symbol": symbol,
        "optimizer": optimizer["name"],
        "learning_rate": trace["step_learning_rate"],
        "step": optimizer["step"],
        "text": rule_words(trace),
        "lines": lines,
        "state": state,
    }
