"""The one place that knows whether vectors and matrices are NumPy arrays or plain lists.

The network is written once against the small set of operations below. Two implementations
exist: `PlainOps` (lists of floats; always available, and the only choice in a browser
build without the NumPy wheel) and `NumpyOps`. Both give the same numbers to 1e-12.

Vectors are 1-D (a layer's values), matrices are 2-D with row = receiving neuron.
Element-wise functions (activations, losses) are written for plain lists of floats;
`apply` hands them lists and converts the result back, so they never see NumPy.
"""

import contextlib
import math
from operator import mul

try:  # NumPy is optional: the browser build may not have its wheel.
    import numpy as _np
except ImportError:  # pragma: no cover - depends on the environment
    _np = None


def _fsum_dot(row, vector):
    return math.fsum(map(mul, row, vector))


# A dot product with one rounding at the end: math.sumprod (Python 3.12+, and Pyodide's 3.14,
# where it measured 2.5x faster than fsum) or math.fsum of the products (CPython 3.11). Both are
# far more accurate than a running sum, so the two platforms agree to about 1e-16 per sum.
_dot = getattr(math, "sumprod", _fsum_dot)


def _finite(values):
    # A finite sum proves every entry finite: inf and NaN propagate through it (a sum that
    # overflows from finite entries only answers False, which callers treat as "check fully").
    return math.isfinite(sum(values))


def _within(values, limit):
    """Every value finite and at most `limit` in magnitude (an empty list is)."""
    return not values or (_finite(values) and max(values) <= limit and min(values) >= -limit)


def _largest_magnitude(values):
    """max |v| over finite values (two C-level passes, no per-element Python call)."""
    return max(max(values), -min(values))


class PlainOps:
    """Vectors are lists of floats, matrices lists of rows."""

    name = "plain"

    def vector(self, values):
        return [float(v) for v in values]

    def matrix(self, rows):
        return [[float(v) for v in row] for row in rows]

    def to_list(self, x):
        if x and isinstance(x[0], list):
            return [list(row) for row in x]
        return list(x)

    def flat(self, x):
        """A vector or matrix as one list of floats (a matrix row by row)."""
        if x and isinstance(x[0], list):
            return [v for row in x for v in row]
        return list(x)

    def matrix_from_flat(self, values, columns):
        """Undo of flat for a matrix of `columns` columns (values: a list of floats)."""
        return [values[r : r + columns] for r in range(0, len(values), columns)]

    def matvec(self, matrix, vector):
        """matrix @ vector."""
        return [_dot(row, vector) for row in matrix]

    # Comprehensions, not map(operator...): under Pyodide every call from C into a C
    # function goes through a slow trampoline, and map-based loops measured 3x slower there
    # (in CPython they are about 2x faster; the browser, which has no NumPy, is what counts).

    def matvec_transposed(self, matrix, vector):
        """matrix.T @ vector, i.e. out[i] = sum_j matrix[j][i] * vector[j]."""
        return [_dot(column, vector) for column in zip(*matrix)]

    def outer(self, column, row):
        """column row^T: out[j][i] = column[j] * row[i]."""
        return [[c * r for r in row] for c in column]

    def add(self, x, y):
        return [a + b for a, b in zip(x, y)]

    def multiply(self, x, y):
        """Element-wise product of two vectors."""
        return [a * b for a, b in zip(x, y)]

    def add_scaled(self, x, y, scale):
        """x + scale * y for vectors."""
        return [a + scale * b for a, b in zip(x, y)]

    def add_scaled_matrix(self, x, y, scale):
        """x + scale * y for matrices."""
        return [[a + scale * b for a, b in zip(rx, ry)] for rx, ry in zip(x, y)]

    def scale(self, x, scale):
        return [scale * a for a in x]

    def scale_matrix(self, x, scale):
        return [[scale * a for a in row] for row in x]

    def apply(self, function, *vectors):
        """Call a function written for plain lists of floats."""
        return function(*vectors)

    def all_within(self, x, limit):
        """Every value finite and at most `limit` in magnitude."""
        rows = x if x and isinstance(x[0], list) else [x]
        return all(_within(row, limit) for row in rows)

    def sgd_update_matrix(self, matrix, delta, a, eta, limit, bound=None):
        """One SGD step w_ji - eta delta_j a_i for a whole matrix, in one pass and without
        building the gradient. Returns (new matrix, a bound on its entries' magnitudes), or
        None if any new entry would be non-finite or above `limit` in magnitude (the update
        is then refused; nothing has changed).

        `bound`: a number known to be >= every |entry| of `matrix` (the bound returned by the
        previous step), or None. With it, a step usually needs no pass over the new matrix:
        |new| <= bound + max|eta delta| max|a| proves it within the limit. Only when that
        bound reaches the limit are the new entries themselves checked (exact, and the bound
        then drops back to the true largest magnitude)."""
        factors = [-eta * d for d in delta]
        if not _finite(factors) and not all(math.isfinite(f) for f in factors):
            return None  # every entry of that row would become inf or NaN
        # An input of exactly 0 changes nothing (w + factor * 0 == w; only a weight of -0.0
        # would have turned into +0.0), so only the nonzero inputs are visited: about half the
        # pixels of a digit. Copying a row and updating entries by index also measured faster
        # than a zip comprehension (CPython and Pyodide).
        nonzero = [(i, x) for i, x in enumerate(a) if x]
        new = [row[:] for row in matrix]
        for row, factor in zip(new, factors):
            for i, x in nonzero:
                row[i] += factor * x
        if bound is not None and _finite(a):
            # Rounding of each w + factor x and of this sum adds a few units in the last place
            # (each 1.1e-16 relative): 1 + 1e-14 covers them, so the bound stays a bound.
            bound = (bound + _largest_magnitude(factors) * _largest_magnitude(a)) * (1 + 1e-14)
            if bound <= limit:
                return new, bound
        if not all(_within(row, limit) for row in new):
            return None
        return new, max((_largest_magnitude(row) for row in new if row), default=0.0)

    def sgd_update_vector(self, vector, delta, eta, limit):
        """vector - eta * delta (the biases' SGD step), or None as for sgd_update_matrix."""
        scale = -eta
        new = [b + scale * d for b, d in zip(vector, delta)]
        return new if _within(new, limit) else None

    def quiet(self):
        """Context in which overflow to inf/NaN is silent (plain floats are always silent:
        diverging values are detected and reported by the trainer, not by warnings)."""
        return contextlib.nullcontext()


class NumpyOps:
    """Vectors and matrices are float64 NumPy arrays."""

    name = "numpy"

    def vector(self, values):
        return _np.array([float(v) for v in values], dtype=float)

    def matrix(self, rows):
        return _np.array([[float(v) for v in row] for row in rows], dtype=float).reshape(
            len(rows), len(rows[0]) if rows else 0
        )

    def to_list(self, x):
        return x.tolist()

    def flat(self, x):
        return x.ravel().tolist()

    def matrix_from_flat(self, values, columns):
        return _np.array(values, dtype=float).reshape(-1, columns)

    def matvec(self, matrix, vector):
        return matrix @ vector

    def matvec_transposed(self, matrix, vector):
        return matrix.T @ vector

    def outer(self, column, row):
        return _np.outer(column, row)

    def add(self, x, y):
        return x + y

    def multiply(self, x, y):
        return x * y

    def add_scaled(self, x, y, scale):
        return x + scale * y

    add_scaled_matrix = add_scaled

    def scale(self, x, scale):
        return scale * x

    scale_matrix = scale

    def apply(self, function, *vectors):
        result = function(*(v.tolist() for v in vectors))
        return None if result is None else _np.array(result, dtype=float)

    def all_within(self, x, limit):
        """Every value finite and at most `limit` in magnitude (NaN fails the comparison)."""
        return bool((_np.abs(x) <= limit).all())

    def sgd_update_matrix(self, matrix, delta, a, eta, limit, bound=None):
        new = matrix + _np.outer(-eta * delta, a)
        largest = float(_np.abs(new).max(initial=0.0))
        return (new, largest) if largest <= limit else None  # NaN fails the comparison

    def sgd_update_vector(self, vector, delta, eta, limit):
        new = vector + -eta * delta
        return new if self.all_within(new, limit) else None

    def quiet(self):
        return _np.errstate(over="ignore", invalid="ignore")


BACKENDS = ("plain", "numpy")
_default = "numpy" if _np is not None else "plain"


def numpy_available():
    return _np is not None


def use(name):
    """Choose the default backend for networks created from now on: plain, numpy or auto."""
    global _default
    _default = resolve(name)
    return _default


def resolve(name=None):
    """The backend name to use for `name` (None means the current default)."""
    if name is None:
        return _default
    if name == "auto":
        return "numpy" if _np is not None else "plain"
    if name not in BACKENDS:
        raise ValueError(f"backend: must be one of plain, numpy, auto (got {name!r})")
    if name == "numpy" and _np is None:
        raise ValueError("backend: numpy is not installed here; use plain")
    return name


def ops(name=None):
    """The operations object for a backend name (None: the current default)."""
    return NumpyOps() if resolve(name) == "numpy" else PlainOps()
