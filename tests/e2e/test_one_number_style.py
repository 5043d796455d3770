"""One number style on the page (issue 12): a quantity keeps its digits within what one screen
shows, drawings print the formulas' numbers, and the Glass box writes small numbers by the
simulator's one rule. Everything is read back from the page (KaTeX's TeX, the SVG labels, the
tables' text)."""

import re

from formula_lines import shown_lines
from writings import plain_text, quantity_of, trace_numbers, written_numbers

WALK = ".xor-walk .xw-body"
TIMEOUT = 60_000
MINUS = "\u2212"


def go_to_step(page, index):
    page.click(f".xw-chip[data-step='{index}']")
    page.wait_for_selector(f".xw-chip[data-step='{index}'][aria-current='step']", timeout=TIMEOUT)


def writings(lines, x, parts=("substituted", "result")):
    """How the lines write the number x, as plain text (U+2212, × 10⁻ᵏ): each writing at the
    display precision that rounds to it."""
    return {
        plain_text(text)
        for ln in lines
        for part in parts
        for text, value, half in written_numbers(ln[part])
        if half <= 0.5e-4 and abs(value - x) <= half * (1 + 1e-9)
    }


def weight_labels(page):
    return page.locator(".xor-network .xw-weights text").evaluate_all(
        "nodes => nodes.map(n => n.textContent)"
    )


def test_xor_steps_6_and_7_write_the_output_delta_with_the_same_digits(open_lab, bridge):
    page = open_lab("xor")
    page.wait_for_selector(".xw-chip[aria-current='step']", timeout=TIMEOUT)
    trace = bridge(page, "xor", "preview")["trace"]
    delta = trace["delta"][-1][0]
    shown = set()
    for index in (5, 6):  # step 6, the hidden errors; step 7, dE/dw of the output layer
        go_to_step(page, index)
        found = writings(shown_lines(page, WALK), delta, parts=("substituted",))
        assert found, index
        shown |= found
    assert len(shown) == 1, shown


def test_xor_weight_labels_are_the_weights_in_the_formulas(open_lab, bridge):
    page = open_lab("xor")
    page.wait_for_selector(".xw-chip[aria-current='step']", timeout=TIMEOUT)
    trace = bridge(page, "xor", "preview")["trace"]
    order = [
        (l, j, i)
        for l, m in enumerate(trace["weights_before"])
        for j, row in enumerate(m)
        for i in range(len(row))
    ]
    updated_at = {1: 8, 0: 9}  # step 9 updates the output layer's weights, step 10 the hidden's
    checked = 0
    for index in (1, 2, 8, 9):
        go_to_step(page, index)
        lines = shown_lines(page, WALK)
        labels = weight_labels(page)
        assert len(labels) == len(order)
        for label, (l, j, i) in zip(labels, order):
            assert "-" not in label  # a true minus sign, U+2212
            w = trace["weights_after" if index >= updated_at[l] else "weights_before"][l][j][i]
            found = writings(lines, w)
            if found:
                assert found == {label}, (index, (l, j, i), found, label)
                checked += 1
    assert checked >= 9  # every weight is checked against a formula at least once
    assert any(label.startswith(MINUS) for label in weight_labels(page))


SCIENTIFIC = re.compile(r"^\u2212?\d\.\d+ × 10⁻[⁰¹²³⁴⁵⁶⁷⁸⁹]+$")
FIXED = re.compile(r"^\u2212?\d+(\.\d+)?$")


def test_glass_box_small_numbers_follow_one_rule_and_the_formulas(open_lab, cpython_session):
    """Saturated cross-entropy: deltas of a few 1e-6. Every table number is written by the
    simulator's rule (m × 10⁻ᵏ below 1e-4, at least 4 decimals otherwise, short only when
    exact) and as the chain rule's formulas on the same screen write it; no JavaScript
    exponent (2.48718e-7) and no 0.000 anywhere in the lab."""
    settings = {"loss": "cross_entropy", "scenario": "saturated"}
    numbers = trace_numbers(cpython_session("glassbox", settings).step())  # the epoch the page takes
    page = open_lab("glassbox", settings)
    page.wait_for_function("document.querySelector('.gb')?.dataset.phase === 'idle'", timeout=TIMEOUT)
    page.locator(".gb").get_by_role("button", name="Step").click()
    page.wait_for_function(
        "document.querySelector('.gb').dataset.phase === 'idle' && document.querySelector('.gb').dataset.epoch === '1'",
        timeout=TIMEOUT,
    )
    page.select_option(".gb select[name='focus']", index=3)  # the sample (1, 1), whose deltas are tiny
    page.wait_for_function("document.querySelector('.gb').dataset.phase === 'idle'", timeout=TIMEOUT)
    cells = page.locator(".gb .gb-num").evaluate_all(
        "nodes => nodes.map(n => ({text: n.textContent, value: Number(n.dataset.value)}))"
    )
    lines = shown_lines(page, ".gb")
    assert cells and lines
    small = 0
    for cell in cells:
        text, value = cell["text"], cell["value"]
        if 0 < abs(value) < 1e-4:
            small += 1
            assert SCIENTIFIC.match(text), cell
        else:
            assert FIXED.match(text), cell
            decimals = len(text.partition(".")[2])
            assert decimals >= 4 or float(text.replace(MINUS, "-")) == value, cell
        found = {  # as the formulas on the screen write this number (where a writing is surely it)
            plain_text(written)
            for ln in lines
            for part in ("substituted", "result")
            for written, shown, half in written_numbers(ln[part])
            if abs((quantity_of(shown, half, numbers) or float("nan")) - value) <= 1e-12
        }
        assert found <= {text}, (cell, found)
    assert small
    lab_text = page.inner_text(".gb")
    assert not re.search(r"\de[-+]?\d", lab_text), "a JavaScript exponent"
    assert not re.search(r"(?<![\d.])0\.000(?!\d)", lab_text), "a small number written 0.000"


def open_deep(open_lab, bridge):
    """The Deep lab with its panel typeset, and the trace of the step it shows."""
    page = open_lab("deep")
    page.wait_for_selector(".df-cost .fx-line", timeout=TIMEOUT)
    page.wait_for_function("window.glassbox.pendingCalls() === 0", timeout=TIMEOUT)
    return page, bridge(page, "deep", "preview")["trace"]


def test_deep_bias_labels_are_the_biases_in_the_formulas(open_lab, bridge):
    page, trace = open_deep(open_lab, bridge)
    lines = shown_lines(page, ".df-forward")
    labels = page.locator(".deep-network .db-biases text").evaluate_all(
        "nodes => nodes.map(n => n.textContent)"
    )
    order = [(l, j) for l, layer in enumerate(trace["biases_before"]) for j in range(len(layer))]
    assert len(labels) == len(order)
    checked = 0
    for label, (l, j) in zip(labels, order):
        found = writings(lines, trace["biases_before"][l][j])
        if found:
            assert found == {label.removeprefix("b ")}, ((l, j), found, label)
            checked += 1
    assert checked >= len(order) - 1  # a bias of exactly 0 is written 0 (no digits to compare)


def neuron_values(page, figure):
    """The text printed in each neuron, [l][j]."""
    return page.evaluate(
        """figure => {
            const rows = [];
            for (const t of document.querySelectorAll(`${figure} .nv-value`)) {
                (rows[Number(t.dataset.l)] ??= [])[Number(t.dataset.j)] = t.textContent;
            }
            return rows;
        }""",
        figure,
    )


def test_xor_neuron_values_are_the_activations_in_the_formulas(open_lab, bridge):
    page = open_lab("xor")
    page.wait_for_selector(".xw-chip[aria-current='step']", timeout=TIMEOUT)
    trace = bridge(page, "xor", "preview")["trace"]
    lines = []
    for index in (1, 2, 3):  # the forward steps and the cost: every activation in a formula
        go_to_step(page, index)
        lines += shown_lines(page, WALK)
    shown = neuron_values(page, ".xor-network")
    assert shown[0] == [f"{x:g}" for x in trace["input"]]  # as the formulas write x: "0", not "0.000"
    for l in (1, 2):
        for j, a in enumerate(trace["a"][l]):
            assert shown[l][j] in writings(lines, a), (l, j, shown[l][j], writings(lines, a))


def test_deep_neuron_values_are_the_activations_in_the_formulas(open_lab, bridge):
    page, trace = open_deep(open_lab, bridge)
    lines = [ln for group in ("forward", "cost", "delta") for ln in shown_lines(page, f".df-{group}")]
    shown = neuron_values(page, ".deep-network")
    checked = 0
    for l, layer in enumerate(trace["a"][1:], 1):
        for j, a in enumerate(layer):
            assert shown[l][j], (l, j)  # printed in full, in a smaller font when it needs one
            found = writings(lines, a)
            if found:
                assert shown[l][j] in found, (l, j, shown[l][j], found)
                checked += 1
    assert checked >= sum(len(layer) for layer in trace["a"][1:-1])


def test_deep_loss_and_outputs_beside_the_network_are_the_formulas(open_lab, bridge):
    page, trace = open_deep(open_lab, bridge)
    cost = shown_lines(page, ".df-cost")
    assert page.inner_text("[data-stat='loss']") == cost[0]["result"]  # 0.05753, not 0.0575257
    assert page.inner_text("[data-stat='loss']") in writings(cost, trace["loss"], parts=("result",))
    outputs = page.inner_text("[data-stat='outputs']").split(", ")
    forward = shown_lines(page, ".df-forward")
    assert outputs == neuron_values(page, ".deep-network")[-1]
    for text, a in zip(outputs, trace["a"][-1], strict=True):
        assert text in writings(forward, a, parts=("result",)), (text, a)
