"""The learner's own points: checked one by one, and read from and written to CSV.

CSV is `x1,x2,label`, one point a line, with an optional header line `x1,x2,label` first.
Coordinates are numbers in [-6, 6]; a label is a class 0..classes-1, `classes` being the
setting of that name. Reading is all or nothing: the first bad line is named in a ValueError
and no point is taken.
"""

import math
import re

from .datasets import DOMAIN

MAX_POINTS = 1000
MAX_CSV_CHARACTERS = 100_000
HEADER = "x1,x2,label"

# Plain decimal numbers only: Python's float() would also take "nan", "inf" and "1_000".
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def check_coordinate(value, field):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{field}: expected a finite number, got {value!r}")
    if not -DOMAIN <= value <= DOMAIN:
        raise ValueError(f"{field}: must be between {-DOMAIN:g} and {DOMAIN:g}, got {value:g}")
    return float(value)


def check_label(value, classes):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < classes:
        raise ValueError(
            f"label: expected a class 0 to {classes - 1} (the data has {classes} "
            f"classes; the classes setting allows more), got {value!r}"
        )
    return value


def check_point(x1, x2, label, classes):
    return check_coordinate(x1, "x1"), check_coordinate(x2, "x2"), check_label(label, classes)


def check_room(count):
    if count > MAX_POINTS:
        raise ValueError(f"points: at most {MAX_POINTS} points of your own, got {count}")


def _field(text, name, number):
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"line {number}: {name} {text!r} is not a number")
    return float(text)


def _label(text, number):
    if not text.isdigit():
        raise ValueError(f"line {number}: label {text!r} is not a class number")
    return int(text)


def from_csv(text, classes):
    """The points of a CSV text, or ValueError naming the first bad line."""
    if not isinstance(text, str):
        raise ValueError("csv: expected text")
    if len(text) > MAX_CSV_CHARACTERS:
        raise ValueError(f"csv: at most {MAX_CSV_CHARACTERS:,} characters, got {len(text):,}")
    points = []
    seen_content = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        fields = [f.strip() for f in line.split(",")]
        if not seen_content and ",".join(fields).lower() == HEADER:
            seen_content = True
            continue
        seen_content = True
        if len(fields) != 3:
            raise ValueError(f"line {number}: expected 3 fields x1,x2,label, got {len(fields)}")
        x1, x2 = _field(fields[0], "x1", number), _field(fields[1], "x2", number)
        label = _label(fields[2], number)
        try:
            points.append(check_point(x1, x2, label, classes))
        except ValueError as error:
            raise ValueError(f"line {number}: {error}") from None
        if len(points) > MAX_POINTS:
            raise ValueError(f"line {number}: more than {MAX_POINTS} points")
    if not points:
        raise ValueError("csv: no points in it")
    return points


def to_csv(points):
    """CSV text of the points; numbers written so that reading them back gives them exactly."""
    return "\n".join([HEADER] + [f"{x1!r},{x2!r},{label}" for x1, x2, label in points]) + "\n"
