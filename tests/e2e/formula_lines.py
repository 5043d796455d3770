"""Read the formulas a lab shows back from the page, as the TeX KaTeX was given.

KaTeX keeps each formula's TeX in a MathML <annotation encoding="application/x-tex">; formula.js
puts the three parts of a line (general, substituted, result) in their own elements. The
evaluator of tests/sim/texcalc.py redoes the displayed arithmetic.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sim"))

from texcalc import agrees, evaluate, half_unit

LINES_JS = """([scope, skip]) => [...document.querySelectorAll(scope + ' .fx-line')]
  .filter(line => !skip || !line.closest(skip)).map(line => {
  const tex = part => {
    const annotation = line.querySelector(part + ' annotation[encoding="application/x-tex"]');
    return annotation ? annotation.textContent : null;
  };
  const result = tex('.fx-result');
  return {general: tex('.fx-general'), substituted: tex('.fx-substituted') ?? result, result};
})"""


def shown_lines(page, scope, skip=None):
    """[{general, substituted, result}] of every formula line inside `scope` (a CSS selector),
    leaving out those inside an element matching `skip`."""
    return page.evaluate(LINES_JS, [scope, skip])


def same_as_steps(shown, steps):
    """The shown lines are exactly the simulator's lines of `steps`, in order."""
    expected = [
        {"general": ln["general"], "substituted": ln["substituted"], "result": ln["result"]}
        for step in steps
        for ln in step["lines"]
    ]
    return shown == expected


def check_redo(shown):
    """Each displayed line's arithmetic, redone, gives its displayed result to its digits."""
    assert shown, "no formula lines on the page"
    for ln in shown:
        assert agrees(ln["substituted"], ln["result"]), ln


def close_to(result_tex, value):
    """A displayed result is the given (CPython) value to the digits shown."""
    return abs(evaluate(result_tex) - value) <= half_unit(result_tex) * (1 + 1e-9)
