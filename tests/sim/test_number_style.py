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

import pytest
from nnsim.explain import explain, explain_trace, panels
from nnsim.explain_update import parameter_update
from nnsim.playground.session import PlaygroundSession
from nnsim.session import Session
from test_explain import check_lines_redo, random_trace
from writings import plain_text, quantity_of, trace_numbers, written_numbers


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
    """The Glass box's panels are on one screen: the chain rule's steps and the loss lines
    write each quantity alike (as one step). The Deep lab's selected update is its step's."""
    trace = Session("glassbox").step()
    for parameter, focus in (
        ({"kind": "weight", "index": [0, 0, 0]}, "average"),
        ({"kind": "bias", "index": [1, 0]}, 2),
    ):
        shown = panels(trace, parameter, focus)
        lines = [ln for step in shown["chain"]["steps"] for ln in step["lines"]] + shown["loss"]
        check_lines_redo([{"number": 1, "id": "panels", "lines": lines}])
        check_one_precision(trace, [{"number": 1, "id": "panels", "lines": lines}])
    deep = Session("deep", {"optimizer": "adam"}).step()
    update = parameter_update(deep, ["weight", 1, 0, 0])
    steps = explain_trace(deep)
    own = next(step for step in steps if step["id"] == "update-3")
    as_step = [ln for ln in own["lines"] if ln["general"] in {u["general"] for u in update["lines"]}]
    assert [ln["substituted"] for ln in as_step] == [ln["substituted"] for ln in update["lines"]]


def writing_of(x, lines, part="substituted"):
    """How the lines write the number x ({texts}), where a writing at the display precision
    (not a short given 0 or 1) rounds to it."""
    return {
        plain_text(t)
        for ln in lines
        for t, v, h in written_numbers(ln[part])
        if h <= 0.5e-4 and abs(v - x) <= h * (1 + 1e-9)
    }


def test_the_xor_drawings_labels_are_the_formulas_weights():
    """Labels on the network drawing are the numbers of the step shown beside it: each weight
    written as that step's formulas write it (the new weights from their update on), with a
    true minus sign."""
    session = Session("xor")
    for _ in range(5):
        session.step()
    trace = session.step()
    explained = explain(trace)
    steps, labels = explained["steps"], explained["labels"]
    assert len(labels) == len(steps)
    checked = 0
    for k, step in enumerate(steps):
        lines = step["lines"]
        for l, matrix in enumerate(labels[k]):
            updated = any(s["id"] == f"update-{l + 2}" for s in steps[: k + 1])
            values = trace["weights_after" if updated else "weights_before"][l]
            for j, row in enumerate(matrix):
                for i, label in enumerate(row):
                    written = writing_of(values[j][i], lines) | writing_of(values[j][i], lines, "result")
                    assert written <= {label}, (step["id"], l, j, i, written, label)
                    checked += bool(written)
    assert checked >= 9 * 2  # every weight is in its forward step and its update
    flat = [label for step in labels for matrix in step for row in matrix for label in row]
    assert any(label.startswith("\u2212") for label in flat) and not any("-" in label for label in flat)


def test_glass_box_tables_write_small_numbers_by_one_rule_as_the_formulas_do():
    """Saturated cross-entropy has deltas of a few 1e-6: the tables write them 3.802 × 10⁻⁶,
    as the formulas do (not 3.80224e-6 next to 0.000), and every number as the panels'
    formulas write it."""
    session = Session("glassbox", {"loss": "cross_entropy", "scenario": "saturated"})
    for _ in range(2):
        session.step()
    trace = session.step()
    for parameter, focus in (
        ({"kind": "weight", "index": [1, 0, 0]}, 3),
        ({"kind": "bias", "index": [0, 0]}, 3),
    ):
        shown = panels(trace, parameter, focus)
        numbers = shown["numbers"]
        lines = [ln for step in shown["chain"]["steps"] for ln in step["lines"]] + shown["loss"]
        small = 0
        for e, ex in enumerate(trace["examples"]):
            for key in ("a", "delta"):
                for values, texts in zip(ex[key], numbers["examples"][e][key]):
                    for x, text in zip(values, texts):
                        if 0 < abs(x) < 1e-4:
                            small += 1
                            assert "× 10⁻" in text, text
                        elif x != 0 and key == "delta":
                            assert len(text.split(".")[1]) >= 4, text
                        written = writing_of(x, lines) | writing_of(x, lines, "result")
                        assert written <= {text}, (key, x, text, written)
        assert small


def test_the_deep_drawings_bias_labels_are_the_formulas_biases():
    """Deep prints each bias under its neuron: as the forward pass writes it (0.1000, not the
    0.100 of a three-decimal label), in every step that uses it."""
    session = Session("deep")
    for _ in range(3):
        session.step()
    trace = session.step()
    explained = explain(trace)
    lines = [ln for step in explained["steps"] if step["id"].startswith("forward-") for ln in step["lines"]]
    for l, layer in enumerate(trace["biases_before"]):
        for j, b in enumerate(layer):
            assert writing_of(b, lines) == {explained["bias_labels"][l][j]}, (l, j)
    assert Session("deep").state()["bias_labels"][0][0] == "0.1000"
    assert Session("xor").state()["bias_labels"] is None


def test_neuron_values_are_the_formulas_activations():
    """The drawings print each activation as the formulas write it: the inputs as given
    ("0", not "0.000"), the others with the digits the steps that use them write."""
    for preset in ("xor", "deep"):
        session = Session(preset)
        session.step()
        trace = session.peek()
        explained = explain(trace)
        labels = explained["activation_labels"]
        lines = [ln for step in explained["steps"] for ln in step["lines"]]
        assert labels[0] == [f"{x:g}" for x in trace["input"]]
        for l in range(1, len(trace["a"])):
            for j, a in enumerate(trace["a"][l]):
                assert labels[l][j] in writing_of(a, lines) | writing_of(a, lines, "result"), (preset, l, j)
    assert explain(Session("glassbox").peek())["activation_labels"] is None  # a batch: per example
    predicted = Session("xor").predict([0, 1])
    assert predicted["a_labels"][0] == ["0", "1"]
    assert [float(t) for t in predicted["a_labels"][1]] == pytest.approx(predicted["a"][1], abs=0.5e-4)


def test_the_playgrounds_followed_neuron_values_are_its_formulas():
    answer = PlaygroundSession().follow(0)
    lines = [ln for step in answer["steps"] for ln in step["lines"]]
    for l in range(1, len(answer["trace"]["a"])):
        for j, a in enumerate(answer["trace"]["a"][l]):
            written = writing_of(a, lines) | writing_of(a, lines, "result")
            assert answer["activation_labels"][l][j] in written, (l, j)


@pytest.mark.parametrize("preset, iterations", [("xor", 80), ("deep", 40), ("glassbox", 40)])
def test_a_default_run_spreads_the_digits_a_line_needs(preset, iterations):
    """A sum that nearly cancels needs more digits of its terms to redo: a digit more on
    each term, not one term at full float precision (−0.00179943434884481 beside 0.30349
    was the writing before). Over a default run no number has more than 10 significant
    digits (4 is the display precision)."""
    session = Session(preset)
    for _ in range(iterations):
        for step in explain_trace(session.step()):
            for line in step["lines"]:
                for text, _, _ in written_numbers(line["substituted"]):
                    mantissa = text.split("\\times")[0]
                    digits = "".join(c for c in mantissa if c.isdigit()).lstrip("0")
                    assert len(digits) <= 10, f"{step['id']}: {text} in {line['substituted']}"


def test_the_deep_loss_beside_the_network_is_the_cost_formulas():
    session = Session("deep")
    trace = session.peek()
    explained = explain(trace)
    cost = next(step for step in explained["steps"] if step["id"] == "cost")
    assert explained["loss_label"] == plain_text(cost["lines"][0]["result"]) == "0.05753"
    assert session.state()["examples"][0]["loss_label"] == "0.05753"  # during a run, the same rule
    assert explain(Session("glassbox").peek())["loss_label"] is None
