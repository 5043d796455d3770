"""The update of one parameter written out: the optimiser's rule, with this step's numbers, and
its result, in the line format of nnsim.explain (`line`: general, substituted, result, value).

For a parameter p (a weight or a bias) with loss gradient dE/dp, the lines are, in order:
  with a penalty, for a weight: g_p = dE/dp + lambda p (l2) or + lambda sign(p) (l1);
  otherwise the rule uses dE/dp itself as g;
  the optimiser's state updates (v, s, m, v), the bias corrections (Adam), AdamW's decay,
  p := the update.
Every number comes from the trace (its optimizer_state, regularization, step_learning_rate);
the substituted arithmetic, redone with the numbers as shown, gives the result shown.

`parameter_update(trace, parameter)` is what a formula panel shows for the selected parameter:
these lines plus the optimiser's state before and after the step.
"""

import math

from .explain import b_sym, d_by, w_sym
from .explain_expr import (Expr, Frac, Num, Product, Square, Sum, decimals_to_show_change, line,
                           number_tex)
from .updates import ParameterLayout


class Sqrt(Expr):
    r"""\sqrt{x}"""

    def __init__(self, inner):
        self.inner = inner if isinstance(inner, Expr) else Num(inner)

    def tex(self, extra, top=False):
        return rf"\sqrt{{{self.inner.tex(extra, True)}}}"

    def value(self, extra):
        return math.sqrt(self.inner.value(extra))


class Power(Expr):
    """x^{t} for a whole exponent t (Adam's beta^t)."""

    def __init__(self, base, exponent):
        self.base = base if isinstance(base, Expr) else Num(base)
        self.exponent = exponent

    def tex(self, extra, top=False):
        return f"{self.base.tex(extra)}^{{{self.exponent}}}"

    def value(self, extra):
        return self.base.value(extra) ** self.exponent


# State names in traces -> how they are written for parameter p (TeX, with {p} for p's symbol)
STATE_SYMBOLS = {"velocity": "v_{{{p}}}", "square_average": "s_{{{p}}}",
                 "first_moment": "m_{{{p}}}", "second_moment": "v_{{{p}}}",
                 "first_moment_hat": r"\hat{{m}}_{{{p}}}",
                 "second_moment_hat": r"\hat{{v}}_{{{p}}}"}

RULE_TEX = {
    "sgd": [r"w := w - \eta\, g"],
    "momentum": [r"v := \mu v + g", r"w := w - \eta v"],
    "nesterov": [r"v := \mu v + g", r"w := w - \eta\,(g + \mu v)"],
    "rmsprop": [r"s := \alpha s + (1 - \alpha)\, g^{2}", r"w := w - \eta \frac{g}{\sqrt{s} + \epsilon}"],
    "adam": [r"m := \beta_1 m + (1 - \beta_1)\, g", r"v := \beta_2 v + (1 - \beta_2)\, g^{2}",
             r"\hat{m} = \frac{m}{1 - \beta_1^{t}},\quad \hat{v} = \frac{v}{1 - \beta_2^{t}}",
             r"w := w - \eta \frac{\hat{m}}{\sqrt{\hat{v}} + \epsilon}"],
}
RULE_TEX["adamw"] = [r"w := w - \eta \lambda_{\text{decay}} w"] + RULE_TEX["adam"]

RULE_WORDS = {
    "sgd": "Gradient descent: the parameter moves against its gradient g, scaled by the "
           "learning rate η.",
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
    return optimizer is not None and (optimizer["name"] != "sgd"
                                      or trace.get("regularization") is not None)


def _value(shaped, kind, l, j, i):
    if kind == "weight":
        return shaped["weights"][l][j][i]
    return shaped["biases"][l][j]


def _symbol(kind, l, j, i):
    n = l + 2
    return w_sym(n, i + 1, j + 1) if kind == "weight" else b_sym(n, j + 1)


def parameter_lines(trace, kind, l, j, i=None):
    """The update lines of one parameter (kind "weight" with [l][j][i], or "bias" [l][j])."""
    optimizer = trace["optimizer"]
    name, t = optimizer["name"], optimizer["step"]
    eta = trace["step_learning_rate"]
    p = _symbol(kind, l, j, i)
    where = (kind, l, j, i)
    before_state = trace["optimizer_state"]["before"]
    after_state = trace["optimizer_state"]["after"]

    def state(which, state_name):
        return _value(which[state_name], *where)

    def sym(state_name):
        return STATE_SYMBOLS[state_name].format(p=p)

    before = _value({"weights": trace["weights_before"], "biases": trace["biases_before"]}, *where)
    after = _value({"weights": trace["weights_after"], "biases": trace["biases_after"]}, *where)
    loss_grad = _value({"weights": trace["grad_weights"], "biases": trace["grad_biases"]}, *where)

    penalised = trace.get("regularization") is not None and kind == "weight"
    if penalised:  # g_p: the loss gradient plus the penalty's
        g = f"g_{{{p}}}"
        lines = [_penalised_gradient_line(trace, where, p, g, before, loss_grad)]
        grad = lines[0]["value"] if lines[0]["value"] is not None else float("nan")
    else:
        g, lines, grad = d_by(p), [], loss_grad
    g_squared = f"{g}^{{2}}" if penalised else rf"\left({g}\right)^{{2}}"
    if name in ("momentum", "nesterov"):
        mu = optimizer["momentum"]
        v = state(after_state, "velocity")
        lines.append(line(rf"{sym('velocity')} := \mu {sym('velocity')} + {g}",
                          Sum(Product(mu, state(before_state, "velocity")), ("+", grad)), v))
        if name == "momentum":
            step_general, step = rf"\eta {sym('velocity')}", Product(eta, v)
        else:
            step_general = rf"\eta\,({g} + \mu {sym('velocity')})"
            step = Product(eta, Sum(grad, ("+", Product(mu, v))))
    elif name == "rmsprop":
        alpha, eps = optimizer["alpha"], optimizer["eps"]
        s = state(after_state, "square_average")
        lines.append(line(rf"{sym('square_average')} := \alpha {sym('square_average')} "
                          rf"+ (1 - \alpha)\, {g_squared}",
                          Sum(Product(alpha, state(before_state, "square_average")),
                              ("+", Product(Sum(1, ("-", alpha)), Square(Num(grad))))), s))
        step_general = rf"\eta \frac{{{g}}}{{\sqrt{{{sym('square_average')}}} + \epsilon}}"
        step = Product(eta, Frac(grad, Sum(Sqrt(s), ("+", eps))))
    elif name in ("adam", "adamw"):
        if name == "adamw" and kind == "weight":
            decayed = _value(after_state["decayed"], *where)
            lam = optimizer["weight_decay"]
            lines.append(line(rf"{p} := {p} - \eta \lambda {p}",
                              Sum(Num(before, decimals_to_show_change(before, decayed)),
                                  ("-", Product(eta, lam, before))),
                              decayed, decimals_to_show_change(before, decayed)))
            before = decayed
        beta1, beta2, eps = optimizer["beta1"], optimizer["beta2"], optimizer["eps"]
        m, v = state(after_state, "first_moment"), state(after_state, "second_moment")
        m_hat = state(after_state, "first_moment_hat")
        v_hat = state(after_state, "second_moment_hat")
        lines.append(line(rf"{sym('first_moment')} := \beta_1 {sym('first_moment')} "
                          rf"+ (1 - \beta_1)\, {g}",
                          Sum(Product(beta1, state(before_state, "first_moment")),
                              ("+", Product(Sum(1, ("-", beta1)), grad))), m))
        lines.append(line(rf"{sym('second_moment')} := \beta_2 {sym('second_moment')} "
                          rf"+ (1 - \beta_2)\, {g_squared}",
                          Sum(Product(beta2, state(before_state, "second_moment")),
                              ("+", Product(Sum(1, ("-", beta2)), Square(Num(grad))))), v))
        lines.append(line(rf"{sym('first_moment_hat')} = \frac{{{sym('first_moment')}}}"
                          rf"{{1 - \beta_1^{{{t}}}}}",
                          Frac(m, Sum(1, ("-", Power(beta1, t)))), m_hat))
        lines.append(line(rf"{sym('second_moment_hat')} = \frac{{{sym('second_moment')}}}"
                          rf"{{1 - \beta_2^{{{t}}}}}",
                          Frac(v, Sum(1, ("-", Power(beta2, t)))), v_hat))
        step_general = (rf"\eta \frac{{{sym('first_moment_hat')}}}"
                        rf"{{\sqrt{{{sym('second_moment_hat')}}} + \epsilon}}")
        step = Product(eta, Frac(m_hat, Sum(Sqrt(v_hat), ("+", eps))))
    else:
        step_general, step = rf"\eta\, {g}", Product(eta, grad)
    if trace.get("status") == "diverged":
        return lines  # the update was refused: the parameter kept its value
    decimals = decimals_to_show_change(before, after)
    lines.append(line(rf"{p} := {p} - {step_general}",
                      Sum(Num(before, decimals), ("-", step)), after, decimals))
    return lines


def _penalised_gradient_line(trace, where, p, g, value, loss_grad):
    """g_p = dE/dp + the penalty's gradient, for a weight p of value `value`."""
    regularization = trace["regularization"]
    rate = regularization["rate"]
    penalty_grad = _value({"weights": regularization["grad_weights"], "biases": None}, *where)
    total = float("nan") if penalty_grad is None or loss_grad is None else loss_grad + penalty_grad
    if regularization["kind"] == "l2":
        return line(rf"{g} = {d_by(p)} + \lambda {p}",
                    Sum(loss_grad, ("+", Product(rate, value))), total)
    sign = 1.0 if value > 0 else (-1.0 if value < 0 else 0.0)
    return line(rf"{g} = {d_by(p)} + \lambda \operatorname{{sign}}({p})",
                Sum(loss_grad, ("+", Product(rate, sign))), total)


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
        words += {"l2": " The L2 penalty (λ/2)Σw² adds λw to each weight's gradient.",
                  "l1": " The L1 penalty λΣ|w| adds λ·sign(w) to each weight's gradient."
                  }[regularization["kind"]]
    if trace.get("status") == "diverged":
        words += (" This update would have made a parameter non-finite or too large, so the "
                  "simulator refused it and kept the parameters: lower the learning rate and "
                  "reset.")
    return words


def convention_lines(trace):
    """The update rule as TeX lines for the conventions, with its settings' values."""
    optimizer = trace["optimizer"]
    name = optimizer["name"]
    values = {"momentum": r"\mu", "alpha": r"\alpha", "beta1": r"\beta_1", "beta2": r"\beta_2",
              "eps": r"\epsilon", "weight_decay": r"\lambda_{\text{decay}}"}
    settings = [rf"{values[key]} = {number_tex(optimizer[key])}"
                for key in values if key in optimizer]
    lines = list(RULE_TEX[name])
    lines[-1] += rf",\quad \eta = {number_tex(trace['step_learning_rate'])}"
    if settings:
        lines[-1] += r",\ " + r",\ ".join(settings)
    regularization = trace.get("regularization")
    if regularization is not None:
        penalty = (r"\frac{\lambda}{2}\sum w^{2}" if regularization["kind"] == "l2"
                   else r"\lambda \sum |w|")
        gradient = r"\lambda w" if regularization["kind"] == "l2" else r"\lambda \operatorname{sign}(w)"
        lines.insert(0, rf"E_{{\text{{total}}}} = E + {penalty},\quad g = \frac{{\partial E}}"
                        rf"{{\partial w}} + {gradient}\ \text{{(weights; biases: }} g = "
                        rf"\frac{{\partial E}}{{\partial b}}),\quad \lambda = "
                        rf"{number_tex(regularization['rate'])}")
    else:
        lines.insert(0, r"g = \frac{\partial E}{\partial w}\ \text{(or } \frac{\partial E}"
                        r"{\partial b}\text{)}")
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
    state = []
    before_state = trace["optimizer_state"]["before"]
    for name, shaped in trace["optimizer_state"]["after"].items():
        if name not in STATE_SYMBOLS or (kind == "bias" and shaped["biases"] is None):
            continue
        before = _value(before_state[name], kind, l, j, i) if name in before_state else None
        after = _value(shaped, kind, l, j, i)
        state.append({"name": name, "symbol": STATE_SYMBOLS[name].format(p=symbol),
                      "before": before, "after": after,
                      "before_tex": None if before is None else number_tex(before),
                      "after_tex": number_tex(after)})
    return {"parameter": [kind, l, j] + ([i] if kind == "weight" else []), "symbol": symbol,
            "optimizer": optimizer["name"], "learning_rate": trace["step_learning_rate"],
            "step": optimizer["step"], "text": rule_words(trace),
            "lines": parameter_lines(trace, kind, l, j, i), "state": state}
