"""Arithmetic written out for the explanations: numbers formatted once, here, for KaTeX.

A line of an explanation shows a formula with this example's numbers substituted, and the
result. A student who redoes the arithmetic with the numbers as shown must get the result as
shown. Rounded inputs can miss the rounded result in the last digit, so a line starts from the
usual display precision and shows more digits of its inputs until the two agree (`line`).

Expressions are small trees that know two things: their TeX, and their value computed from the
numbers exactly as the TeX shows them. Negative numbers are always parenthesised, and every
product is written with an explicit \\times, so the TeX reads unambiguously.
"""

import math

SIGNIFICANT = 4  # significant digits a number is shown with, at least...
MIN_DECIMALS = 4  # ...and at least this many decimals
SCIENTIFIC_BELOW = 1e-4  # smaller magnitudes, and those from SCIENTIFIC_FROM up, are
SCIENTIFIC_FROM = 1e6  # written m \times 10^{e}
MAX_EXTRA_DIGITS = 12
MAX_DECIMALS = 12


def _spec(x, extra=0, min_decimals=0):
    """How to write x: ("fixed", decimals) or ("sci", mantissa decimals).

    min_decimals asks for at least that many decimals (an update shows its small change).
    """
    if x == 0 or not math.isfinite(x):
        return ("fixed", 0)
    size = abs(x)
    if size < SCIENTIFIC_BELOW or size >= SCIENTIFIC_FROM:
        return ("sci", SIGNIFICANT - 1 + extra)
    decimals = max(MIN_DECIMALS, SIGNIFICANT - 1 - math.floor(math.log10(size)))
    if min_decimals:
        return ("fixed", max(decimals, min_decimals) + extra)
    # A number with a short exact form (1, 0.5, -0.3, a learning rate) is shown as that.
    for short in range(decimals + 1):
        if round(x, short) == x:
            return ("fixed", short)
    return ("fixed", decimals + extra)


def _write(x, spec):
    """The plain text of x under spec, e.g. '-0.1234' or '1.234e-05'."""
    mode, digits = spec
    if not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    text = f"{x:.{digits}{'f' if mode == 'fixed' else 'e'}}"
    if float(text) == 0:
        text = text.lstrip("-")  # no "-0.0000"
    return text


def _tex_of_text(text):
    if text in ("inf", "-inf", "nan"):
        return {"inf": r"\infty", "-inf": r"-\infty", "nan": r"\text{NaN}"}[text]
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def number_tex(x, extra=0):
    """x written for KaTeX at the display precision (plus `extra` digits)."""
    return _tex_of_text(_write(x, _spec(x, extra)))


def _half_unit(result_text, spec):
    """Half a unit in the last digit of a finite result written under spec."""
    mode, digits = spec
    exponent = int(result_text.split("e")[1]) if mode == "sci" else 0
    return 0.5 * 10.0 ** (exponent - digits)


def _redoes_to(shown_value, result_text, spec):
    """Is shown_value within half a unit of the result's last digit, clear of the rounding
    boundary (so a reader's own float arithmetic cannot land on the other side)?"""
    if result_text in ("inf", "-inf", "nan"):
        return _write(shown_value, spec) == result_text
    return abs(shown_value - float(result_text)) <= _half_unit(result_text, spec) * (1 - 1e-6)


def _answer_words(spec):
    """How a learner types a result written under spec (the try-it-yourself prompt)."""
    mode, digits = spec
    if mode == "sci":
        return f"to {digits + 1} significant figures, typing m × 10^k as mek (e.g. 1.234e-5)"
    if digits == 0:
        return "as a whole number"
    return f"to {digits} decimal place{'s' if digits > 1 else ''}"


def _question(value, result_text, substituted, spec):
    """What try-it-yourself needs to ask for a result: the tolerance (a typed number within
    it of `value` rounds to the result as shown) and how to type it; None when there is
    nothing to work out (the result is given, or not a finite number).

    A result shown short because it is exact (0, 0.5) is asked to the usual decimals: "0.5"
    is not 0.5 give or take 0.05."""
    if result_text in ("inf", "-inf", "nan") or substituted == _tex_of_text(result_text):
        return None
    mode, digits = spec
    if mode == "fixed" and round(value, digits) == value:
        spec = ("fixed", max(digits, MIN_DECIMALS, _spec(value, 0, MIN_DECIMALS)[1]))
        result_text = _write(value, spec)
    return {"tolerance": _half_unit(result_text, spec), "answer_format": _answer_words(spec)}


class Expr:
    """A piece of substituted arithmetic: `tex(extra)` and `value(extra)` agree digit for digit."""

    def tex(self, extra, top=False):
        raise NotImplementedError

    def value(self, extra):
        raise NotImplementedError


def _float(x):
    """A trace's number as a float; a diverged trace carries null where it overflowed."""
    return float("nan") if x is None else float(x)


class Num(Expr):
    def __init__(self, x, min_decimals=0):
        self.x = _float(x)
        self.min_decimals = min_decimals

    def tex(self, extra, top=False):
        text = _write(self.x, _spec(self.x, extra, self.min_decimals))
        tex = _tex_of_text(text)
        grouped = text.startswith("-") or "e" in text
        return tex if top or not grouped else rf"\left({tex}\right)"

    def value(self, extra):
        return float(_write(self.x, _spec(self.x, extra, self.min_decimals)))


class Sum(Expr):
    """first (+|-) term (+|-) term ..."""

    def __init__(self, first, *rest):
        self.first = as_expr(first)
        self.rest = [(sign, as_expr(term)) for sign, term in rest]

    def tex(self, extra, top=False):
        text = self.first.tex(extra)
        for sign, term in self.rest:
            text += f" {sign} {term.tex(extra)}"
        return text if top else rf"\left({text}\right)"

    def value(self, extra):
        total = self.first.value(extra)
        for sign, term in self.rest:
            total = total + term.value(extra) if sign == "+" else total - term.value(extra)
        return total


class Product(Expr):
    def __init__(self, *factors):
        self.factors = [as_expr(f) for f in factors]

    def tex(self, extra, top=False):
        return r" \times ".join(f.tex(extra) for f in self.factors)

    def value(self, extra):
        result = self.factors[0].value(extra)
        for factor in self.factors[1:]:
            result = result * factor.value(extra)
        return result


class Frac(Expr):
    def __init__(self, numerator, denominator):
        self.numerator, self.denominator = as_expr(numerator), as_expr(denominator)

    def tex(self, extra, top=False):
        return rf"\frac{{{self.numerator.tex(extra, True)}}}{{{self.denominator.tex(extra, True)}}}"

    def value(self, extra):
        return self.numerator.value(extra) / self.denominator.value(extra)


class Neg(Expr):
    def __init__(self, inner):
        self.inner = as_expr(inner)

    def tex(self, extra, top=False):
        text = "-" + self.inner.tex(extra)
        return text if top else rf"\left({text}\right)"

    def value(self, extra):
        return -self.inner.value(extra)


class Square(Expr):
    def __init__(self, base):
        self.base = as_expr(base)

    def tex(self, extra, top=False):
        return f"{self.base.tex(extra)}^{{2}}"

    def value(self, extra):
        return self.base.value(extra) ** 2


class Exp(Expr):
    """e^{x}"""

    def __init__(self, power):
        self.power = as_expr(power)

    def tex(self, extra, top=False):
        return f"e^{{{self.power.tex(extra, True)}}}"

    def value(self, extra):
        return math.exp(self.power.value(extra))


class Call(Expr):
    """\\ln(x), \\tanh(x), \\sin(x), \\max(x, y)."""

    FUNCTIONS = {"ln": math.log, "tanh": math.tanh, "sin": math.sin, "max": max}

    def __init__(self, name, *args):
        self.name, self.args = name, [as_expr(a) for a in args]

    def tex(self, extra, top=False):
        inside = ", ".join(a.tex(extra, True) for a in self.args)
        return rf"\{self.name}\left({inside}\right)"

    def value(self, extra):
        return self.FUNCTIONS[self.name](*(a.value(extra) for a in self.args))


class LnOneMinus(Expr):
    """\\ln(1 - x) for a small x, redone as log1p(-x): written with 1 - x in floats, x's
    digits would be lost (ln(0.9999999999994107) misses ln(1 - 5.898e-13) in the 4th digit)."""

    def __init__(self, x):
        self.x = as_expr(x)

    def tex(self, extra, top=False):
        return rf"\ln\left(1 - {self.x.tex(extra)}\right)"

    def value(self, extra):
        return math.log1p(-self.x.value(extra))


def as_expr(x):
    return x if isinstance(x, Expr) else Num(x)


def _finite_or_none(x):
    return float(x) if math.isfinite(x) else None


def decimals_to_show_change(before, after, significant=2):
    """Decimals that show the change from before to after to `significant` digits (0: none)."""
    change = abs(_float(after) - _float(before))
    if change == 0 or not math.isfinite(change):
        return 0
    return min(MAX_DECIMALS, significant - 1 - math.floor(math.log10(change)))


def line(general, expr, value, min_decimals=0):
    """One line of a step: general formula, substituted arithmetic, result, and the value.

    `value` is the simulator's number. The result shows it at the display precision (at least
    min_decimals); the substituted numbers get more digits until redoing the arithmetic gives
    that result.
    """
    expr = as_expr(expr)
    value = _float(value)
    spec = _spec(value, 0, min_decimals)
    result_text = _write(value, spec)
    for extra in range(MAX_EXTRA_DIGITS + 1):
        try:
            shown_value = expr.value(extra)
        except (OverflowError, ValueError, ZeroDivisionError):
            continue
        if _redoes_to(shown_value, result_text, spec):
            break
    substituted = expr.tex(extra, top=True)
    return {
        "general": general,
        "substituted": substituted,
        "result": _tex_of_text(result_text),
        "value": _finite_or_none(value),
        "question": _question(value, result_text, substituted, spec),
    }
