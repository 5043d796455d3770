"""Try it yourself: each line's question (tolerance and how to type the answer) matches the
digits its result is shown with. The page accepts a typed number when it is within
`tolerance` of the line's `value`; here that rule is applied to every line of XOR and Deep
traces (both labs' defaults, later iterations, each optimiser): the shown result itself is
accepted, one unit off in its last digit is rejected."""

import pytest
from nnsim.explain import explain_trace
from nnsim.session import Session
from texcalc import evaluate, half_unit


def accepted(typed, line):
    """The page's rule (site/js/views/try-it-yourself.js), one comparison."""
    return abs(typed - line["value"]) <= line["question"]["tolerance"]


def traces():
    for preset, settings, steps in [
        ("xor", None, 1),
        ("xor", {"momentum": 0}, 1),
        ("xor", None, 40),
        ("deep", None, 1),
        ("deep", None, 25),
        ("deep", {"optimizer": "adam"}, 3),
        ("deep", {"optimizer": "rmsprop"}, 3),
    ]:
        session = Session(preset, settings)
        for _ in range(steps - 1):
            session.step()
        yield f"{preset} {settings} step {steps}", session.step()


@pytest.mark.parametrize("name, trace", list(traces()), ids=lambda v: v if isinstance(v, str) else "")
def test_shown_result_accepted_one_unit_off_rejected(name, trace):
    asked = 0
    for step in explain_trace(trace):
        for line in step["lines"]:
            if line["question"] is None:
                given = line["substituted"] == line["result"]
                assert given or line["value"] is None, (step["id"], line)
                continue
            asked += 1
            where = (step["id"], line["general"], line["result"])
            shown = evaluate(line["result"])
            unit = 2 * half_unit(line["result"])
            tolerance = line["question"]["tolerance"]
            if shown == line["value"]:  # exact, shown short (0.5): asked to 4 decimals or more
                assert tolerance <= 0.5e-4, where
            else:
                assert tolerance == pytest.approx(half_unit(line["result"]), rel=1e-12), where
            assert accepted(shown, line), where
            assert not accepted(shown + unit, line), where
            assert not accepted(shown - unit, line), where
    assert asked >= 20, name


def test_answer_format_names_the_shown_digits():
    trace = Session("xor").step()
    words = {
        ln["result"]: ln["question"]["answer_format"]
        for step in explain_trace(trace)
        for ln in step["lines"]
        if ln["question"] and evaluate(ln["result"]) != ln["value"]
    }
    for result, text in words.items():
        if r"\times" in result:
            assert "significant figures" in text and "e-5" in text
        else:
            decimals = len(result.split(".")[1]) if "." in result else 0
            assert text == (
                f"to {decimals} decimal places"
                if decimals > 1
                else "to 1 decimal place"
                if decimals
                else "as a whole number"
            ), (result, text)


def test_exact_short_results_are_asked_to_four_decimals():
    forward = explain_trace(Session("xor").step())[1]
    exact = [ln for ln in forward["lines"] if ln["result"] in ("0", "0.5")]
    assert exact
    for line in exact:
        assert line["question"] == {
            "tolerance": pytest.approx(0.5e-4),
            "answer_format": "to 4 decimal places",
        }


def test_given_numbers_are_not_asked():
    inputs = explain_trace(Session("xor").step())[0]
    assert inputs["id"] == "input"
    assert all(line["question"] is None for line in inputs["lines"])
