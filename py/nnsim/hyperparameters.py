"""Named choices with numeric settings (an optimiser, a regulariser, a schedule), checked.

A choice is written as a JSON object, e.g. {"name": "adam", "beta1": 0.9}: one key names the
choice, the others are that choice's settings; a setting left out takes its default. Errors
are ValueErrors naming the field, e.g. "optimizer.beta1: must be at least 0 and below 1".
The tables are plain data, so a page can show the same names, defaults and bounds.
"""

import math

from . import config as config_module

MAX_LEARNING_RATE = 1e9  # a learning rate, or a schedule's lowest rate, is at most this


class Setting:
    """One numeric setting: a default (None: required), bounds, whole numbers or reals."""

    def __init__(
        self,
        name,
        default,
        low,
        high=math.inf,
        *,
        low_open=False,
        high_open=False,
        whole=False,
        meaning="",
        label=None,
    ):
        self.name, self.default, self.low, self.high = name, default, low, high
        self.low_open, self.high_open, self.whole = low_open, high_open, whole
        self.meaning = meaning
        self.label = label or name  # the words a settings panel shows

    def bounds_words(self):
        low = f"above {self.low:g}" if self.low_open else f"at least {self.low:g}"
        if self.high == math.inf:
            return low
        high = f"below {self.high:g}" if self.high_open else f"at most {self.high:g}"
        return f"{low} and {high}"

    def check(self, value, field):
        if self.whole:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{field}: expected a whole number, got {value!r}")
        else:
            value = config_module.finite_number(value, field)
        too_low = value <= self.low if self.low_open else value < self.low
        too_high = value >= self.high if self.high_open else value > self.high
        if too_low or too_high:
            raise ValueError(f"{field}: must be {self.bounds_words()}, got {value!r}")
        return value

    def describe(self):
        return {
            "name": self.name,
            "default": self.default,
            "low": self.low,
            "high": None if self.high == math.inf else self.high,
            "low_open": self.low_open,
            "high_open": self.high_open,
            "whole": self.whole,
            "meaning": self.meaning,
            "label": self.label,
        }


def read_choice(value, field, name_key, choices):
    """{name_key: name, setting: value, ...} checked against choices (name -> [Setting]):
    returns the complete dict, defaults filled in, in the table's order."""
    if not isinstance(value, dict):
        raise ValueError(f'{field}: expected an object such as {{"{name_key}": "{next(iter(choices))}"}}')
    name = value.get(name_key)
    if name not in choices:
        raise ValueError(f"{field}.{name_key}: expected one of {', '.join(choices)}, got {name!r}")
    settings = choices[name]
    known = {s.name for s in settings}
    for key in value:
        if key != name_key and key not in known:
            others = ", ".join(sorted(known)) or "none"
            raise ValueError(f"{field}.{key}: not a setting of {name} (its settings: {others})")
    checked = {name_key: name}
    for setting in settings:
        where = f"{field}.{setting.name}"
        if setting.name in value:
            checked[setting.name] = setting.check(value[setting.name], where)
        elif setting.default is None:
            raise ValueError(f"{where}: required for {name}")
        else:
            checked[setting.name] = setting.default
    return checked


def describe(choices):
    """The table as plain data: {name: [setting descriptions]}."""
    return {name: [s.describe() for s in settings] for name, settings in choices.items()}
