"""Evaluate the arithmetic TeX that nnsim.explain writes, independently of how it was written.

Used by the explanation tests (tests/sim) and the lab tests (tests/e2e, on TeX read back from
KaTeX's annotations in the page). The grammar is what a reader sees:
numbers, + - \\times \\cdot, parentheses (plain or \\left( \\right), also [ ]), \\frac{}{},
powers ^{...}, e^{...}, \\sqrt{...}, \\ln, \\tanh, \\sin, \\max(a, b) and 10^{k} in scientific notation.
"""

import math
import re

_TOKEN = re.compile(
    r"\s*(\\left\(|\\right\)|\\left\[|\\right\]|\\[a-zA-Z]+|\d+(?:\.\d+)?"
    r"|e(?=\s*\^)|[-+(){}\[\]^,])"
)
_FUNCTIONS = {r"\ln": math.log, r"\tanh": math.tanh, r"\sin": math.sin}
_OPEN = {"(": ")", r"\left(": r"\right)", "[": "]", r"\left[": r"\right]"}


def _tokens(tex):
    tex = tex.replace(r"\,", " ").replace(r"\!", "").replace("\u2212", "-")
    out, position = [], 0
    tex = tex.strip()
    while position < len(tex):
        match = _TOKEN.match(tex, position)
        if not match:
            raise ValueError(f"cannot read TeX at {tex[position : position + 20]!r} in {tex!r}")
        out.append(match.group(1))
        position = match.end()
    return out


class _Parser:
    def __init__(self, tex):
        self.tokens = _tokens(tex)
        self.at = 0

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, expected=None):
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise ValueError(f"expected {expected!r}, found {token!r} in {' '.join(self.tokens)}")
        self.at += 1
        return token

    def expression(self):
        value = self.term()
        while self.peek() in ("+", "-"):
            value = value + self.term() if self.take() == "+" else value - self.term()
        return value

    def term(self):
        value = self.unary()
        while self.peek() in (r"\times", r"\cdot"):
            self.take()
            value = value * self.unary()
        return value

    def unary(self):
        if self.peek() == "-":
            self.take()
            return -self.unary()
        return self.power()

    def power(self):
        if self.peek() == "e":
            self.take()
            self.take("^")
            return math.exp(self.braced())
        base = self.atom()
        if self.peek() == "^":
            self.take()
            return base ** self.braced()
        return base

    def braced(self):
        self.take("{")
        value = self.expression()
        self.take("}")
        return value

    def grouped(self):
        close = _OPEN[self.take()]
        value = self.expression()
        self.take(close)
        return value

    def one_minus(self):
        """x, when the group ahead is exactly (1 - x): ln(1 - x) is then redone as log1p(-x),
        as a careful reader does (1 - x in floats drops the digits of a small x). Otherwise
        None, having read nothing."""
        start = self.at
        if self.peek() in _OPEN:
            close = _OPEN[self.take()]
            if self.peek() == "1" and self.tokens[self.at + 1 : self.at + 2] == ["-"]:
                self.take()
                self.take()
                x = self.term()
                if self.peek() == close:
                    self.take()
                    return x
        self.at = start
        return None

    def atom(self):
        token = self.peek()
        if token in _OPEN:
            return self.grouped()
        if token == r"\frac":
            self.take()
            numerator = self.braced()
            return numerator / self.braced()
        if token == r"\sqrt":
            self.take()
            return math.sqrt(self.braced())
        if token in _FUNCTIONS:
            self.take()
            if token == r"\ln":
                near_one = self.one_minus()
                if near_one is not None:
                    return math.log1p(-near_one)
            return _FUNCTIONS[token](self.grouped())
        if token == r"\max":
            self.take()
            close = _OPEN[self.take()]
            first = self.expression()
            self.take(",")
            second = self.expression()
            self.take(close)
            return max(first, second)
        if token is not None and token[0].isdigit():
            return float(self.take())
        raise ValueError(f"unexpected {token!r} in {' '.join(self.tokens)}")


def evaluate(tex):
    """The value of a TeX arithmetic expression."""
    parser = _Parser(tex)
    value = parser.expression()
    if parser.peek() is not None:
        raise ValueError(f"unread {parser.tokens[parser.at :]} in {tex!r}")
    return value


def half_unit(result_tex):
    """Half a unit in the last place shown by a result such as -0.1234 or 1.234 \\times 10^{-5}."""
    match = re.fullmatch(r"\s*-?\d+(?:\.(\d+))?(?:\s*\\times\s*10\^\{(-?\d+)\})?\s*", result_tex)
    if not match:
        raise ValueError(f"not a displayed number: {result_tex!r}")
    decimals = len(match.group(1) or "")
    exponent = int(match.group(2) or 0)
    return 0.5 * 10.0 ** (exponent - decimals)


def agrees(substituted_tex, result_tex):
    """Does redoing the substituted arithmetic give the result to the shown precision?"""
    shown = evaluate(substituted_tex)
    return abs(shown - evaluate(result_tex)) <= half_unit(result_tex) * (1 + 1e-9) + 1e-300
