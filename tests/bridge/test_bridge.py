"""py/bridge.py under CPython: JSON text in, JSON text out, never a traceback; the view options
that make one user action one round trip answer with what the views need."""

import json
import math

import bridge
import pytest
from bridge_calls import call, result
from nnsim import explain_expr
from nnsim.explain import explain
from nnsim.session import Session
from texcalc import agrees


def test_open_answers_with_state_and_schema():
    state = result("xor", "open", {"preset": "xor"})
    assert state["iteration"] == 0 and state["schema"]["title"] == "XOR walkthrough"
    assert "schema" not in result("xor", "state")


def test_plain_step_is_the_sessions_step():
    result("deep", "open", {"preset": "deep"})
    assert result("deep", "step") == Session("deep").step()


def test_step_with_views_is_one_answer_with_the_next_preview():
    result("deep", "open", {"preset": "deep"})
    reference = Session("deep")
    answer = result("deep", "step", {"state": True, "explain_next": True})
    assert answer["trace"] == reference.step()
    assert answer["state"] == reference.state()
    upcoming = reference.step()
    assert answer["next"]["trace"] == upcoming
    assert answer["next"]["steps"] == explain(upcoming)["steps"]
    assert result("deep", "state")["iteration"] == 1, "the preview took no step"


def test_preview_changes_nothing():
    result("glassbox", "open", {"preset": "glassbox"})
    before = result("glassbox", "export")
    preview = result("glassbox", "preview", {"state": True})
    assert result("glassbox", "export") == before
    assert preview["trace"] == Session("glassbox").step()
    assert preview["state"]["epoch"] == 0


def test_glassbox_step_brings_its_panels_and_prediction():
    result("glassbox", "open", {"preset": "glassbox"})
    parameter = {"kind": "weight", "index": [1, 0, 0]}
    answer = result(
        "glassbox", "step", {"state": True, "predict": [1, 1], "panels": {"parameter": parameter, "focus": 0}}
    )
    reference = Session("glassbox")
    reference.step()
    assert answer["state"] == reference.state()
    assert answer["prediction"] == reference.predict([1, 1]), "with the weights after the step"
    lines = [ln for step in answer["panels"]["chain"]["steps"] for ln in step["lines"]]
    assert lines and all(agrees(ln["substituted"], ln["result"]) for ln in lines)
    # The panels of the same trace for another parameter: no step taken.
    other = result("glassbox", "panels", {"parameter": {"kind": "bias", "index": [0, 1]}, "focus": "average"})
    assert other["chain"]["name"] == "bias of hidden 2"
    assert result("glassbox", "state")["epoch"] == 1


@pytest.mark.parametrize(
    "request_text,needle",
    [
        ("not json", "not JSON"),
        ("[1, 2]", "JSON object"),
        (json.dumps({"lab": "", "method": "state"}), "names no lab"),
        (json.dumps({"lab": "xor", "method": "state", "args": [1]}), "'args' must be an object"),
        (json.dumps({"lab": "nowhere", "method": "state"}), "open it first"),
        (json.dumps({"lab": "xor", "method": "open", "args": {"preset": "mnist"}}), "preset"),
        (
            json.dumps({"lab": "xor", "method": "open", "args": {"settings": {"seed": -1}}}),
            "Seed of the random weights",
        ),
    ],
)
def test_bad_requests_answer_with_a_message(request_text, needle):
    response = json.loads(bridge.call(request_text))
    assert response["ok"] is False and needle in response["error"]


def test_unknown_methods_and_panels_before_a_step():
    result("glassbox", "open", {"preset": "glassbox"})
    assert "Unknown method" in call("glassbox", "__init__")["error"]
    assert (
        "no step to explain"
        in call("glassbox", "panels", {"parameter": {"kind": "bias", "index": [0, 0]}, "focus": 0})["error"]
    )


def test_non_finite_numbers_cross_as_null():
    assert json.loads(bridge.to_json({"a": [float("nan"), (1.0, float("inf"))]})) == {
        "a": [None, [1.0, None]]
    }


def test_about_needs_no_lab():
    about = result(None, "about")
    assert about["start"] == "plain" and about["python"]


def test_compare_runs_the_chosen_optimisers_from_one_start():
    result("deep", "open", {"preset": "deep"})
    default = result("deep", "compare", {"steps": 20})
    assert [run["label"] for run in default["runs"]] == ["SGD", "momentum 0.9"]
    choices = default["example"]["choices"]
    assert [c["optimizer"] for c in choices] == ["sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw"]
    assert [c["label"] for c in choices if c["chosen"]] == ["SGD", "momentum 0.9"]
    three = result("deep", "compare", {"steps": 20, "runs": ["Adam", "SGD", "RMSProp"]})
    assert [run["label"] for run in three["runs"]] == ["SGD", "RMSProp", "Adam"]
    assert len({run["losses"][0] for run in three["runs"]}) == 1  # one start
    assert len({run["losses"][-1] for run in three["runs"]}) == 3
    assert [c["label"] for c in three["example"]["choices"] if c["chosen"]] == ["SGD", "RMSProp", "Adam"]
    for runs, message in (
        (["Adam"], "runs: choose at least two"),
        (["Adam", "Adam"], "runs: choose at least two"),
        (["SGD", "Adagrad"], "runs: unknown run 'Adagrad'"),
        ("SGD", "runs: expected a list"),
    ):
        answer = call("deep", "compare", {"runs": runs})
        assert not answer["ok"] and answer["error"].startswith(message), answer


def test_worked_example_writes_out_the_trace_the_lab_was_shown():
    result("xor", "open", {"preset": "xor"})
    assert call("xor", "worked_example", {"format": "markdown"})["ok"] is False  # nothing shown yet
    shown = result("xor", "preview")
    answer = result("xor", "worked_example", {"format": "markdown"})
    from nnsim.explain import trace_markdown

    assert answer["text"] == trace_markdown(shown["trace"])
    latex = result("xor", "worked_example", {"format": "latex"})
    assert latex["filename"].endswith(".tex") and r"\begin{document}" in latex["text"]
    refused = call("xor", "worked_example", {"format": "docx"})
    assert refused["ok"] is False and "format" in refused["error"]
    # The page may send the iteration it shows, which the session has since taken.
    result("xor", "step", {"explain_next": True})
    again = result("xor", "worked_example", {"format": "markdown", "trace": shown["trace"]})
    assert again["text"] == answer["text"]
    for bad in ({"kind": "example"}, [], {"kind": "other"}):
        refused = call("xor", "worked_example", {"format": "latex", "trace": bad})
        assert refused["ok"] is False and refused["error"].startswith("trace:")


@pytest.mark.parametrize("lab", ["xor", "deep", "glassbox", "digits", "playground"])
def test_every_lab_names_its_simulator_path(lab):
    """The page's about line says "simulator path: …" from the state (it said "undefined"
    for the Playground)."""
    assert result(lab, "open", {"preset": lab})["backend"] in ("plain", "numpy")


def test_the_optimiser_comparisons_numbers_are_labelled():
    result("deep", "open", {"preset": "deep"})
    answer = result("deep", "compare", {"steps": 20})
    for choice in answer["example"]["choices"]:
        assert choice["learning_rate_label"] == explain_expr.plain_number(choice["learning_rate"], given=True)
    for run, labels in zip(answer["runs"], answer["labels"]["runs"]):
        assert labels["loss"] == explain_expr.plain_number(run["losses"][-1])
        assert labels["path_end"] == [explain_expr.plain_number(x) for x in run["path"][-1]]
    surface = answer["surface"]
    assert answer["labels"]["surface"] == {
        "min": explain_expr.plain_number(surface["min"]),
        "max": explain_expr.plain_number(surface["max"]),
    }
    assert all(math.isfinite(run["losses"][-1]) for run in answer["runs"])
