"""Try it yourself (issue 16) in Chromium, in the XOR walkthrough and the Deep network: with the
labelled switch on, a result is hidden behind a labelled field; the right answer (read from the
page's own simulator through the bridge) typed and Entered is accepted and scored, a wrong one
is rejected, and after two wrong tries the worked line's result is revealed."""

import math
import re

TIMEOUT = 60_000


def questions(steps):
    return sum(1 for step in steps for line in step["lines"] if line["question"])


def as_shown(line):
    """The line's value typed to the digits its result shows, with a real minus for negatives."""
    decimals = max(0, round(-math.log10(2 * line["question"]["tolerance"])))
    return f"{line['value']:.{decimals}f}".replace("-", "\u2212")


def score(page):
    return page.locator(".try-score").inner_text()


def answer(row, text):
    field = row.locator(".try-ask input")
    field.fill(text)
    field.press("Enter")


def computed_values_visible(page, figure):
    """How many of the network's computed neuron values (not the inputs) are visible."""
    return page.locator(f"{figure} .nv-value:not([data-l='0']):visible").count()


def check_try_it(page, rows, lines, asked, figure):
    """rows: the page's lines of one step; lines: the simulator's lines of that step."""
    assert computed_values_visible(page, figure) > 0
    page.get_by_label("Try it yourself").check()
    assert "0 of" in score(page)
    assert computed_values_visible(page, figure) == 0  # the network gives no answer away
    assert page.locator(f"{figure} .nv-value[data-l='0']:visible").count() > 0
    first, second = rows.nth(0), rows.nth(1)
    for row in (first, second):
        assert row.locator(".fx-result").is_hidden()
        assert row.locator(".try-ask input").is_visible()
        label = row.locator(".try-ask input").get_attribute("aria-label")
        assert re.search(r"your answer, (to \d decimal places|.*significant figures)", label), label

    answer(first, as_shown(lines[0]))
    assert first.locator(".try-feedback").inner_text() == "Right first time."
    assert first.locator(".try-feedback").get_attribute("aria-live") == "polite"
    assert first.locator(".fx-result").is_visible()
    assert score(page) == f"1 of {asked} right first time (1 answered)."
    # Keyboard: the next unanswered result has the focus.
    assert second.locator(".try-ask input").evaluate("el => el === document.activeElement")

    wrong = f"{lines[1]['value'] + 40 * lines[1]['question']['tolerance']:.6f}"
    answer(second, wrong)
    assert second.locator(".try-feedback").inner_text().startswith("Not quite: try again")
    assert second.locator(".fx-result").is_hidden()
    answer(second, wrong)
    assert "the result is shown" in second.locator(".try-feedback").inner_text()
    assert second.locator(".fx-result").is_visible()
    assert second.locator(".try-ask").is_hidden()
    assert score(page) == f"1 of {asked} right first time (2 answered)."

    # Off again: every result shows and no field is left.
    page.get_by_label("Try it yourself").uncheck()
    assert rows.locator(".try-ask:visible").count() == 0
    assert rows.locator(".fx-result:visible").count() == rows.count()
    assert computed_values_visible(page, figure) > 0


def test_xor_walkthrough(open_lab, bridge):
    page = open_lab("xor")
    page.wait_for_selector(".xw-chip[aria-current='step']", timeout=TIMEOUT)
    steps = bridge(page, "xor", "preview")["steps"]
    page.click(".xw-chip[data-step='1']")
    assert steps[1]["id"] == "forward-2"
    rows = page.locator(".xor-walk .xw-body .fx-line")
    check_try_it(page, rows, steps[1]["lines"], questions(steps), ".xor-network")


def test_deep_network(open_lab, bridge):
    page = open_lab("deep")
    page.wait_for_selector(".df-forward .fx-line", timeout=TIMEOUT)
    steps = bridge(page, "deep", "preview")["steps"]
    step = next(s for s in steps if s["id"] == "forward-2")
    rows = page.locator(".deep-formulas [data-step='forward-2'] .fx-line")
    check_try_it(page, rows, step["lines"], questions(steps), ".deep-network")


def test_typed_forms_accepted(open_lab, bridge):
    """A leading +, comma thousands separators and e-notation read as the number they write."""
    page = open_lab("xor")
    page.wait_for_selector(".xw-chip[aria-current='step']", timeout=TIMEOUT)
    parsed = page.evaluate("""async () => {
        // The page's own instance of the module, from its bundles (buildtools/bundle.py).
        const {parseTyped} = glassboxModules.require('js/views/try-it-yourself.js');
        return ['+0.5', '1,234.5', '\\u22120.25', '1.5e-5', 'abc', '', '1,2,3.4.5'].map(parseTyped);
    }""")
    assert parsed == [0.5, 1234.5, -0.25, 1.5e-5, None, None, None]
