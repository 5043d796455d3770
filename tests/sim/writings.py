"""Numbers as the explanations write them, read back: every number in a TeX line, its plain
text form (labels and tables), and which number of a trace a writing stands for. Used by
tests/sim/test_number_style.py and tests/e2e/test_one_number_style.py."""

import math
import re

_NUMBER = re.compile(r"(?<![\d.])(-?\d+(?:\.(\d+))?)(?:\s*\\times\s*10\^\{(-?\d+)\})?")


def written_numbers(tex):
    """(text, value, half a unit of its last digit) of every number written in tex (not the
    powers: 0.9^{4})."""
    out = []
    tex = tex.replace(r"\left(", "( ").replace(r"\right)", " )")
    for match in _NUMBER.finditer(tex):
        if tex[: match.start()].endswith("^{"):
            continue
        decimals = len(match.group(2) or "")
        exponent = int(match.group(3) or 0)
        value = float(match.group(1)) * 10.0**exponent
        out.append((match.group(0), value, 0.5 * 10.0 ** (exponent - decimals)))
    return out


def plain_text(tex_number):
    """A TeX number as the plain text labels and tables write it (U+2212, × 10⁻ᵏ)."""
    text = tex_number.strip().replace("-", "\u2212")
    mantissa, _, power = text.partition(r" \times 10^{")
    if not power:
        return mantissa
    return mantissa + " × 10" + power.rstrip("}").translate(str.maketrans("\u22120123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def trace_numbers(trace):
    """Every float of the trace (the candidates a written number may be)."""
    found = set()

    def walk(x):
        if isinstance(x, float) and math.isfinite(x):
            found.add(x)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(trace)
    return sorted(found)


def quantity_of(value, half, numbers):
    """The one trace number this writing rounds, or None (none, several, or written exactly)."""
    near = [q for q in numbers if abs(q - value) <= half * (1 + 1e-9)]
    if len(near) != 1 or near[0] == value:
        return None
    return near[0]
