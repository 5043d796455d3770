"""Arithmetic written out for the explanations: numbers formatted once, here, for KaTeX.

A line of an explanation shows a formula with this example's numbers substituted, and the
result. A student who redoes the arithmetic with the numbers as shown must get the result as
shown. Rounded inputs can miss the rounded result in the last digit, so some numbers are shown
with more digits than the usual display precision.

One quantity is written with one number of digits wherever it appears in one explanation
(`Digits`): every line of a step, and every step of the trace, writes the same δ as 0.12101, not
0.1210 in one line and 0.12101 in the next. The digits are the fixed point of "a line that does
not redo to its result shows one more digit of the input whose rounding costs most", shared by
all the lines made inside `shared_digits()` (a quantity is its float value: the same number in
two places is the same quantity). A result is a quantity too, so its line must redo to it at
the digits it is shown with everywhere.

One rule for every number: given constants (inputs, targets, settings such as the learning
rate, and the formulas' own 1, 2, 0.01) are written in their short exact form (1, 0.5, -0.3);
every computed value at the display precision (SIGNIFICANT digits, at least MIN_DECIMALS
decimals), in scientific form m × 10^k below SCIENTIFIC_BELOW and from SCIENTIFIC_FROM up.

Expressions are small trees that know two things: their TeX, and their value computed from the
numbers exactly as the TeX shows them. Negative numbers are always parenthesised, and every
product is written with an explicit \\times, so the TeX reads unambiguously.
"""

import contextlib
import math

SIGNIFICANT = 4  # significant digits a number is shown with, at least...
MIN_DECIMALS = 4  # ...and at least this many decimals
SCIENTIFIC_BELOW = 1e-4  # smaller magnitudes, and those from SCIENTIFIC_FROM up, are
SCIENTIFIC_FROM = 1e6  # written m \times 10^{e}
MAX_EXTRA_DIGITS = 12
SHARED_EXTRA_DIGITS = 3  # a step's result gets at most this many more digits in its step
MAX_DECIMALS = 12
MINUS = "\u2212"  # the minus sign of plain-text numbers (TeX writes its own)


def _spec(x, extra=0, min_decimals=0, given=False):
    """How to write x: ("fixed", decimals) or ("sci", mantissa decimals).

    min_decimals asks for at least that many decimals (an update shows its small change);
    a given constant is written in its shortest exact form when it has one within the display
    precision."""
    if x == 0 or not math.isfinite(x):
        return ("fixed", 0)
    size = abs(x)
    if size < SCIENTIFIC_BELOW or size >= SCIENTIFIC_FROM:
        full = SIGNIFICANT - 1
        if given:
            for short in range(full + 1):
                if float(f"{x:.{short}e}") == x:
                    return ("sci", short)
        return ("sci", full + extra)
    decimals = max(MIN_DECIMALS, SIGNIFICANT - 1 - math.floor(math.log10(size)))
    if given:
        for short in range(decimals + 1):
            if round(x, short) == x:
                return ("fixed", short)
    if round(x, decimals) == x:
        return ("fixed", decimals)  # exact at the display precision: more digits add only zeros
    return ("fixed", max(decimals, min_decimals) + extra)


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


def plain_of_text(text):
    """The plain-text form of a written number, for labels and tables outside KaTeX:
    -0.942 -> −0.942 (U+2212), 1.234e-05 -> 1.234 × 10⁻⁵."""
    if text in ("inf", "-inf", "nan"):
        return {"inf": "∞", "-inf": MINUS + "∞", "nan": "NaN"}[text]
    if "e" in text:
        mantissa, exponent = text.split("e")
        power = str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
        text = f"{mantissa} × 10{power}"
    return text.replace("-", MINUS, 1) if text.startswith("-") else text


class Digits:
    """The digits each quantity (its float value) is written with in one explanation.

    A quantity used as an input is written alike in every step: `extra` digits (and the
    decimals an update asked for) per quantity. In the step where it is a result it is written
    alike in every line of that step, with that step's own digits, so that the digits another
    step needed for its inputs do not travel back through every line that led to it (a sum
    that cancels to 1.8e-5 would otherwise put 8 decimals on every number of the network).
    Lines are grouped by step (`group`); lines in no step form one group."""

    def __init__(self, start=None):
        self.extra = dict(start.extra) if start else {}
        self.min_decimals = dict(start.min_decimals) if start else {}
        self.lines = []  # (line dict, expr, value, result's min_decimals), finished on leaving
        self.groups = {}  # id(line dict) -> its step's number
        self._specs = {}  # (quantity, group, given) -> spec, with the digits as they are now
        self.count = 0
        self.local = {}  # (group, quantity) -> (extra, min_decimals) of a step's result
        self.results = {}  # group -> quantities that are results in it

    def group(self, entries):
        """These lines are one step: its results are written alike in all of them."""
        self.count += 1
        for entry in entries:
            self.groups[id(entry)] = self.count

    def spec(self, x, group=None, given=False):
        key = (x, group, given)
        if key not in self._specs:  # forgotten whenever a digit is raised
            if not math.isfinite(x):
                self._specs[key] = ("fixed", 0)
            elif x in self.results.get(group, ()):
                extra, decimals = self.local[group, x]
                self._specs[key] = _spec(x, extra, decimals, given)
            else:
                self._specs[key] = _spec(x, self.extra.get(x, 0), self.min_decimals.get(x, 0), given)
        return self._specs[key]

    def text(self, x, group=None, given=False):
        return _write(x, self.spec(x, group, given))

    def tex(self, x, group=None):
        """x written for KaTeX as the lines of `group` (a step) write it (None: as an input)."""
        return _tex_of_text(self.text(_float(x), group))

    def plain(self, x, group=None):
        """x written as plain text (labels, tables) as the lines of `group` write it."""
        return plain_of_text(self.text(_float(x), group))

    def group_of(self, entries):
        """The group (step) these lines were written in."""
        return self.groups.get(id(entries[0]), 0) if entries else None

    def _raise(self, x, group):
        """One more digit of x where `group`'s lines write it."""
        self._specs.clear()
        if x in self.results.get(group, ()):
            extra, decimals = self.local[group, x]
            self.local[group, x] = (extra + 1, decimals)
            return extra + 1
        self.extra[x] = self.extra.get(x, 0) + 1
        return self.extra[x]

    def _extra_of(self, x, group):
        """The digits beyond the display precision x has where `group`'s lines write it."""
        if x in self.results.get(group, ()):
            return self.local[group, x][0]
        return self.extra.get(x, 0)

    def _lower(self, x, group):
        self._specs.clear()
        if x in self.results.get(group, ()):
            extra, decimals = self.local[group, x]
            self.local[group, x] = (extra - 1, decimals)
        else:
            self.extra[x] -= 1

    def _can_raise(self, number, group, local_cap):
        """Would more digits change how the number is written (it is not exact already)?"""
        x = number.x
        if not math.isfinite(x) or float(self.text(x, group, number.given)) == x:
            return False
        if x in self.results.get(group, ()):
            return self.local[group, x][0] < local_cap
        return self.extra.get(x, 0) < MAX_EXTRA_DIGITS

    def _redoes(self, written, bump=0):
        """Does the line, redone with its numbers as its step writes them (and `bump` more
        digits each), give its result as shown? (redoes, distance from the shown result)."""
        spec = self.spec(written.value, written.group, written.given)
        result_text = _write(written.value, spec)
        try:
            shown = written.expr.value(_Written(self, written.group, bump))
        except (OverflowError, ValueError, ZeroDivisionError):
            return False, math.inf
        if result_text in ("inf", "-inf", "nan"):
            return _write(shown, spec) == result_text, math.inf
        return _redoes_to(shown, result_text, spec), abs(shown - float(result_text))

    def _prepare(self):
        """Each line's step, each step's results, and the decimals asked for (a result's own
        in its step)."""
        for written in self.lines:
            written.group = group = self.groups.get(id(written.entry), 0)
            results = self.results.setdefault(group, set())
            value = written.value
            if math.isfinite(value):
                results.add(value)
                extra, asked = self.local.get((group, value), (0, 0))
                self.local[group, value] = (extra, max(asked, written.min_decimals))
        for written in self.lines:
            group = written.group
            for number in written.numbers:
                x = number.x
                if number.min_decimals and math.isfinite(x):
                    if x in self.results[group]:
                        extra, asked = self.local[group, x]
                        self.local[group, x] = (extra, max(asked, number.min_decimals))
                    else:
                        self.min_decimals[x] = max(self.min_decimals.get(x, 0), number.min_decimals)

    def _settle(self, local_cap, lines):
        """Raise digits until every line redoes (or its numbers have SHARED_EXTRA_DIGITS more):
        for a failing line, one digit of an input: one that makes it redo on its own first,
        else the one with the fewest digits yet, else the one whose rounding costs it most
        (so a sum that cancels gets a digit more on each term, not 16 digits on one); then
        the lines that write that number are checked again. Checks `lines` first; returns the
        lines that still do not redo."""
        using = {}  # quantity -> the lines that write it
        for written in self.lines:
            for x in {written.value, *(n.x for n in written.numbers)}:
                using.setdefault(x, []).append(written)
        queue, queued, failing = list(lines), set(map(id, lines)), {}
        while queue:
            written = queue.pop()
            queued.discard(id(written))
            if self._redoes(written)[0]:
                failing.pop(id(written), None)
                continue
            failing[id(written)] = written
            best, best_score = None, (False, -math.inf, -math.inf)
            now = self._shown(written)
            for number in {n.x: n for n in written.numbers}.values():
                if not self._can_raise(number, written.group, local_cap):
                    continue
                self._raise(number.x, written.group)
                score = (
                    self._redoes(written)[0],
                    -self._extra_of(number.x, written.group),
                    abs(self._shown(written) - now),
                )
                self._lower(number.x, written.group)
                if best is None or score > best_score:  # none may help yet (ln 0)
                    best, best_score = number.x, score
            if best is None:
                continue  # stays failing, unless a raise for another line helps it
            self._raise(best, written.group)
            for other in [written, *using[best]]:
                if id(other) not in queued:
                    queue.append(other)
                    queued.add(id(other))
        return list(failing.values())

    def _shown(self, written):
        """The line's arithmetic redone with its numbers as written (nan where it fails)."""
        try:
            return written.expr.value(_Written(self, written.group))
        except (OverflowError, ValueError, ZeroDivisionError):
            return math.nan

    def _bump(self, written):
        """For a line the shared digits cannot make redo (a sum that cancels to 1e-8 of its
        terms would need every number before it at ten decimals): the extra digits its own
        inputs need, in this line only."""
        for bump in range(MAX_EXTRA_DIGITS + 1):
            if self._redoes(written, bump)[0]:
                return bump
        return MAX_EXTRA_DIGITS

    def finish(self):
        """Write every line of the scope with the settled digits."""
        self._prepare()
        failing = self._settle(SHARED_EXTRA_DIGITS, self.lines)
        # the few lines a step's results must go further for; then those no shared digit fixes
        failing = {id(written) for written in self._settle(MAX_EXTRA_DIGITS, failing)}
        for written in self.lines:
            spec = self.spec(written.value, written.group, written.given)
            result_text = _write(written.value, spec)
            bump = self._bump(written) if id(written) in failing else 0
            substituted = written.expr.tex(_Written(self, written.group, bump), top=True)
            entry = written.entry
            entry["substituted"] = substituted
            entry["result"] = _tex_of_text(result_text)
            entry["question"] = _question(written.value, result_text, substituted, spec)
        self.lines = []


class _Line:
    """A line waiting for its scope's digits: its dict, arithmetic, value and step."""

    def __init__(self, entry, expr, value, min_decimals, given):
        self.entry, self.expr, self.value = entry, expr, value
        self.min_decimals, self.given = min_decimals, given
        self.numbers = list(expr.numbers())
        self.group = 0


class _Written:
    """How the lines of one step write numbers (what Expr.tex and Expr.value are given)."""

    def __init__(self, digits, group, bump=0):
        self.digits, self.group, self.bump = digits, group, bump

    def text(self, x, given=False):
        if not self.bump:
            return self.digits.text(x, self.group, given)
        mode, decimals = self.digits.spec(x, self.group, given)
        exact = _write(x, (mode, decimals)) if mode == "fixed" else None
        if exact is not None and float(exact) == x:
            return exact  # a number written exactly keeps its form
        return _write(x, (mode, decimals + self.bump))


def group_lines(entries):
    """The lines of one step (explain's steps): written alike within it."""
    if _scopes:
        _scopes[-1].group(entries)


_scopes = []  # the Digits of the explanation being written (innermost last)


@contextlib.contextmanager
def shared_digits(start=None, own=False):
    """Lines made inside share their digits per quantity (see the module's docstring); they
    are written when the outermost scope closes. `start`: the Digits of an explanation these
    lines belong with (the Glass box's panels with its trace's explanation). Inside another
    scope, joins it, unless `own`."""
    if _scopes and not own:
        yield _scopes[-1]
        return
    digits = Digits(start)
    _scopes.append(digits)
    try:
        yield digits
    finally:
        _scopes.pop()
    digits.finish()


def plain_number(x, given=False):
    """x as plain text at the display precision, alone (a label while no formula is shown);
    given: a given constant's short form."""
    x = _float(x)
    return plain_of_text(_write(x, _spec(x, given=given)))


def number_tex(x, given=False):
    """x written for KaTeX at the display precision, on its own (a setting: given)."""
    x = _float(x)
    return _tex_of_text(_write(x, _spec(x, given=given)))


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
    """A piece of substituted arithmetic: `tex(digits)` and `value(digits)` agree digit for
    digit, for the Digits of its explanation."""

    def tex(self, digits, top=False):
        raise NotImplementedError

    def value(self, digits):
        raise NotImplementedError

    def numbers(self):
        """The Num leaves of the expression."""
        for part in vars(self).values():
            for item in part if isinstance(part, list) else [part]:
                item = item[1] if isinstance(item, tuple) else item  # Sum's (sign, term)
                if isinstance(item, Expr):
                    yield from item.numbers()


def _float(x):
    """A trace's number as a float; a diverged trace carries null where it overflowed."""
    return float("nan") if x is None else float(x)


class Num(Expr):
    """A number of the explanation. given: a constant written in its short exact form (an
    input, a target, a setting); min_decimals: at least that many decimals (an update's old
    value, so its small change shows). A whole number in the code (1, 2) is given."""

    def __init__(self, x, min_decimals=0, given=False):
        self.x = _float(x)
        if self.x == 0:
            self.x = 0.0  # no -0.0: it is the quantity 0
        self.min_decimals = min_decimals
        self.given = given

    def numbers(self):
        yield self

    def tex(self, digits, top=False):
        text = digits.text(self.x, self.given)
        tex = _tex_of_text(text)
        grouped = text.startswith("-") or "e" in text
        return tex if top or not grouped else rf"\left({tex}\right)"

    def value(self, digits):
        return float(digits.text(self.x, self.given))


def given(x):
    """A given constant: an input, a target, a setting (short exact form)."""
    return Num(x, given=True)


class Sum(Expr):
    """first (+|-) term (+|-) term ..."""

    def __init__(self, first, *rest):
        self.first = as_expr(first)
        self.rest = [(sign, as_expr(term)) for sign, term in rest]

    def tex(self, digits, top=False):
        text = self.first.tex(digits)
        for sign, term in self.rest:
            text += f" {sign} {term.tex(digits)}"
        return text if top else rf"\left({text}\right)"

    def value(self, digits):
        total = self.first.value(digits)
        for sign, term in self.rest:
            total = total + term.value(digits) if sign == "+" else total - term.value(digits)
        return total


class Product(Expr):
    def __init__(self, *factors):
        self.factors = [as_expr(f) for f in factors]

    def tex(self, digits, top=False):
        return r" \times ".join(f.tex(digits) for f in self.factors)

    def value(self, digits):
        result = self.factors[0].value(digits)
        for factor in self.factors[1:]:
            result = result * factor.value(digits)
        return result


class Frac(Expr):
    def __init__(self, numerator, denominator):
        self.numerator, self.denominator = as_expr(numerator), as_expr(denominator)

    def tex(self, digits, top=False):
        return rf"\frac{{{self.numerator.tex(digits, True)}}}{{{self.denominator.tex(digits, True)}}}"

    def value(self, digits):
        return self.numerator.value(digits) / self.denominator.value(digits)


class Neg(Expr):
    def __init__(self, inner):
        self.inner = as_expr(inner)

    def tex(self, digits, top=False):
        text = "-" + self.inner.tex(digits)
        return text if top else rf"\left({text}\right)"

    def value(self, digits):
        return -self.inner.value(digits)


class Square(Expr):
    def __init__(self, base):
        self.base = as_expr(base)

    def tex(self, digits, top=False):
        return f"{self.base.tex(digits)}^{{2}}"

    def value(self, digits):
        return self.base.value(digits) ** 2


class Exp(Expr):
    """e^{x}"""

    def __init__(self, power):
        self.power = as_expr(power)

    def tex(self, digits, top=False):
        return f"e^{{{self.power.tex(digits, True)}}}"

    def value(self, digits):
        return math.exp(self.power.value(digits))


class Call(Expr):
    """\\ln(x), \\tanh(x), \\sin(x), \\max(x, y)."""

    FUNCTIONS = {"ln": math.log, "tanh": math.tanh, "sin": math.sin, "max": max}

    def __init__(self, name, *args):
        self.name, self.args = name, [as_expr(a) for a in args]

    def tex(self, digits, top=False):
        inside = ", ".join(a.tex(digits, True) for a in self.args)
        return rf"\{self.name}\left({inside}\right)"

    def value(self, digits):
        return self.FUNCTIONS[self.name](*(a.value(digits) for a in self.args))


class LnOneMinus(Expr):
    """\\ln(1 - x) for a small x, redone as log1p(-x): written with 1 - x in floats, x's
    digits would be lost (ln(0.9999999999994107) misses ln(1 - 5.898e-13) in the 4th digit)."""

    def __init__(self, x):
        self.x = as_expr(x)

    def tex(self, digits, top=False):
        return rf"\ln\left(1 - {self.x.tex(digits)}\right)"

    def value(self, digits):
        return math.log1p(-self.x.value(digits))


def as_expr(x):
    """An expression as it is, a whole number of the code's formulas (1, 2) as a given one,
    any other number as a computed one."""
    if isinstance(x, Expr):
        return x
    return Num(x, given=isinstance(x, int) and not isinstance(x, bool))


def _finite_or_none(x):
    return float(x) if math.isfinite(x) else None


def decimals_to_show_change(before, after, significant=2):
    """Decimals that show the change from before to after to `significant` digits (0: none)."""
    change = abs(_float(after) - _float(before))
    if change == 0 or not math.isfinite(change):
        return 0
    return min(MAX_DECIMALS, significant - 1 - math.floor(math.log10(change)))


def line(general, expr, value, min_decimals=0, given=False):
    """One line of a step: general formula, substituted arithmetic, result, and the value.

    `value` is the simulator's number. The result shows it at the display precision (at least
    min_decimals; given: a given constant's short form); numbers get more digits until redoing
    the arithmetic gives that result.
    Inside shared_digits() the line is written when the scope closes, with the digits its
    quantities have everywhere in the scope; outside, at once, on its own.
    """
    expr = as_expr(expr)
    value = _float(value)
    if value == 0:
        value = 0.0
    entry = {"general": general, "substituted": None, "result": None, "value": _finite_or_none(value)}
    entry["question"] = None
    with shared_digits() as digits:
        digits.lines.append(_Line(entry, expr, value, min_decimals, given))
    return entry
