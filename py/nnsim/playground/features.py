"""Input features: what the network's input neurons compute from a point (x1, x2).

Each feature has a TeX name (as nnsim.explain writes symbols), the function itself, and the
written-out arithmetic for one point (an explain_expr expression), so the explanation of a
point starts from its coordinates.
"""

import math
from operator import mul

from ..explain_expr import Call, Product, Square, given


class Feature:
    def __init__(self, name, tex, value, expr):
        self.name = name  # the settings' name, e.g. "x1sq"
        self.tex = tex  # e.g. "x_{1}^{2}"
        self.value = value  # (x1 column, x2 column) -> column
        self.expr = expr  # (x1, x2) -> explain_expr expression of the value


FEATURES = {
    f.name: f
    for f in (
        Feature("x1", "x_{1}", lambda x1, x2: list(x1), lambda x1, x2: given(x1)),
        Feature("x2", "x_{2}", lambda x1, x2: list(x2), lambda x1, x2: given(x2)),
        Feature("x1sq", "x_{1}^{2}", lambda x1, x2: list(map(mul, x1, x1)), lambda x1, x2: Square(given(x1))),
        Feature("x2sq", "x_{2}^{2}", lambda x1, x2: list(map(mul, x2, x2)), lambda x1, x2: Square(given(x2))),
        Feature("x1x2", "x_{1} x_{2}", lambda x1, x2: list(map(mul, x1, x2)), lambda x1, x2: Product(x1, x2)),
        Feature(
            "sinx1", r"\sin x_{1}", lambda x1, x2: list(map(math.sin, x1)), lambda x1, x2: Call("sin", x1)
        ),
        Feature(
            "sinx2", r"\sin x_{2}", lambda x1, x2: list(map(math.sin, x2)), lambda x1, x2: Call("sin", x2)
        ),
    )
}

NAMES = tuple(FEATURES)


def columns(names, x1, x2):
    """One column per chosen feature, over the points whose coordinates are x1, x2."""
    return [FEATURES[name].value(x1, x2) for name in names]
