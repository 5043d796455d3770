"""One number style (issue 12): a quantity is written with one number of digits.

Within a step every line writes a quantity alike (its result and its uses); across the steps
of one explanation a quantity used as an input is written alike wherever it is not that
step's result; computed values are written at the display precision (never a short form
that depends on how the float happens to round), given constants in their short form. And
every line still redoes to its result (test_explain.py's check).

Quantities are found independently of how the explanation was written: every number of the
trace is a candidate, and a number written in the TeX is that quantity when exactly one
candidate rounds to it (ambiguous and exact writings are left out).
"""

import math
import re

import pytest
from nnsim.explain import explain_trace, panels
from nnsim.explain_update import parameter_update
from nnsim.session import Session
from test_explain import check_lines_redo, random_trace

NUMBER = re.compile(r"(?<![\d.])(-?\d+(?:\.(\d+))?)(?:\s*\\times\s*10\^\{(-?\d+)\})?")


def written_numbers(tex):
    """(text, value, half a unit of its last digit) of every number written in tex (not the
    powers: 0.9^{4})."""
    out = []
    tex = tex.replace(r"\left(", "( ").replace(r"\right)", " )")
    for match in NUMBER.finditer(tex):
        if tex[: match.start()].endswith("^{"):
            continue
        decimals = len(match.group(2) or "")
        exponent = int(match.group(3) or 0)
        value = float(match.group(1)) * 10.0**exponent
        out.append((match.group(0), value, 0.5 * 10.0 ** (exponent - decimals)))
    return out


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


def writings(steps, numbers):
    """Per step: {quantity: {texts}} of its lines, and the quantities that are its results."""
    out = []
    for step in steps:
        texts, results = {}, set()
        for line in step["lines"]:
            if line["value"] is not None:
                results.add(line["value"])
            for part in (line["substituted"], line["result"]):
                for text, value, half in written_numbers(part):
                    q = quantity_of(value, half, numbers)
                    if q is not None:
                        texts.setdefault(q, set()).add(text.lstrip("-"))
        out.append((step, texts, results))
    return out


def check_one_precision(trace, steps):
    numbers = trace_numbers(trace)
    across = {}
    for step, texts, results in writings(steps, numbers):
        for q, shown in texts.items():
            assert len(shown) == 1, f"step {step['number']} {step['id']} writes {q!r} as {sorted(shown)}"
            if q not in results:
                across.setdefault(q, {}).setdefault(next(iter(shown)), []).append(step["id"])
    for q, shown in across.items():
        assert len(shown) == 1, f"{q!r} is written {shown} as an input of different steps"


def preset_traces():
    for preset, settings, steps in [
        ("xor", None, 1),
        ("xor", None, 7),
        ("xor", {"momentum": 0}, 300),
        ("deep", None, 1),
        ("deep", None, 25),
        ("deep", {"optimizer": "adam", "regularization": "l1", "regularization_rate": 0.5}, 4),
        ("deep", {"optimizer": "rmsprop", "regularization": "l2", "regularization_rate": 0.1}, 3),
        ("deep", {"optimizer": "nesterov"}, 5),
        ("glassbox", None, 1),
        ("glassbox", {"loss": "cross_entropy", "scenario": "saturated"}, 3),
        ("digits", None, 2),
    ]:
        session = Session(preset, settings)
        for _ in range(steps - 1):
            session.step()
        yield f"{preset} {settings} step {steps}", session.step()


PRESET_TRACES = list(preset_traces())


@pytest.mark.parametrize("name, trace", PRESET_TRACES, ids=[name for name, _ in PRESET_TRACES])
def test_every_preset_writes_each_quantity_with_one_precision(name, trace):
    steps = explain_trace(trace)
    check_lines_redo(steps)
    check_one_precision(trace, steps)


@pytest.mark.parametrize("seed", range(30))
def test_random_networks_write_each_quantity_with_one_precision(seed):
    trace = random_trace(seed)
    steps = explain_trace(trace)
    check_lines_redo(steps)
    check_one_precision(trace, steps)


def test_xor_steps_6_and_7_write_the_output_delta_alike():
    """The issue's example: δ was 0.13001 in step 6 and 0.1300 in step 7 (and in one line of
    step 6 itself)."""
    trace = Session("xor").step()
    steps = explain_trace(trace)
    delta = trace["delta"][-1][0]
    shown = set()
    for step in steps[5:7]:
        assert step["id"] in ("delta-2", "grad-3")
        for line in step["lines"]:
            for text, value, half in written_numbers(line["substituted"]):
                if abs(value - delta) <= half:
                    shown.add(text)
    assert len(shown) == 1, shown


def test_a_weight_is_written_alike_in_the_forward_pass_and_its_update():
    """The issue's −0.9420 / −0.94199: the update's old value needs the decimals that show
    its change, and the forward pass writes the weight with the same digits."""
    session = Session("xor", {"momentum": 0})
    for _ in range(200):
        session.step()
    trace = session.step()
    steps = {step["id"]: step for step in explain_trace(trace)}
    w = trace["weights_before"][1][0][0]
    in_forward = {
        t
        for ln in steps["forward-3"]["lines"]
        for t, v, h in written_numbers(ln["substituted"])
        if abs(v - w) <= h
    }
    in_update = {
        t
        for ln in steps["update-3"]["lines"]
        for t, v, h in written_numbers(ln["substituted"])
        if abs(v - w) <= h
    }
    assert len(in_forward | in_update) == 1, (in_forward, in_update)


def test_computed_values_are_never_written_short():
    """Deep step 1: z = 0.84 and z = 0.14 come out of the arithmetic as floats, one exactly
    0.84 and one not: both are written 0.8400 and 0.1400 (the e^{-0.84} of today's main), while
    the given inputs and learning rate keep their short form."""
    trace = Session("deep").step()
    forward = next(step for step in explain_trace(trace) if step["id"] == "forward-2")
    sigmoid_lines = [ln["substituted"] for ln in forward["lines"] if ln["substituted"].startswith(r"\frac")]
    assert r"e^{-0.8400}" in sigmoid_lines[0] and r"e^{-0.1400}" in sigmoid_lines[1]
    assert r"\times 0.5 +" in forward["lines"][0]["substituted"]  # the input x₁ = 0.5, given


def test_the_glass_box_panels_and_the_deep_update_write_as_the_steps_do():
    """The panels a lab shows with a step write each quantity as the step's explanation."""
    trace = Session("glassbox").step()
    steps = explain_trace(trace)
    shown = panels(trace, {"kind": "weight", "index": [0, 0, 0]}, "average")
    check_one_precision(trace, steps + shown["chain"]["steps"][-1:])
    deep = Session("deep", {"optimizer": "adam"}).step()
    update = parameter_update(deep, ["weight", 1, 0, 0])
    steps = explain_trace(deep)
    own = next(step for step in steps if step["id"] == "update-3")
    as_step = [ln for ln in own["lines"] if ln["general"] in {u["general"] for u in update["lines"]}]
    assert [ln["substituted"] for ln in as_step] == [ln["substituted"] for ln in update["lines"]]
