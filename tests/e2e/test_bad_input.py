"""Bad input, end to end: numeric fields, hostile or broken links, a learning rate that blows
training up. In every case the page says what happened next to where it happened, the
simulator never receives the bad value, and nothing the user had is lost."""

import math

import pytest
from page_helpers import LABS, ready_for_input, type_text

HUGE_RATE = 1e9  # the largest rate the simulator accepts: every lab's network blows up at once

# A value that would run script if it were ever parsed as HTML.
HOSTILE = '<img src=x onerror="window.__hacked=1"><script>window.__hacked=2</script>'


def numeric_fields(page):
    """The lab's enabled number inputs (their ids, or an index path when they have none)."""
    return page.evaluate("""() => [...document.querySelectorAll('#lab-root input[type=number]')]
        .filter(input => !input.disabled && input.offsetParent !== null)
        .map((input, n) => { input.dataset.testField = String(n);
            return {key: String(n), min: input.min, max: input.max,
                    label: input.labels?.[0]?.textContent.trim() || input.getAttribute('aria-label')}; })""")


def field_message(page, key):
    """The text of the elements the field's aria-describedby names."""
    return page.evaluate(
        """key => {
        const input = document.querySelector(`[data-test-field="${key}"]`);
        return (input.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean)
          .map(id => document.getElementById(id))
          .filter(el => el && el.offsetParent !== null)
          .map(el => el.textContent.trim()).join(' ');
    }""",
        key,
    )


def enter(page, key, text):
    field = page.locator(f'[data-test-field="{key}"]')
    type_text(field, text)
    field.press("Tab")


def settled_state(page, bridge, lab):
    """The lab's state once no call is in flight (a rejected value must not reach it)."""
    page.wait_for_timeout(300)
    page.wait_for_function("window.glassbox.pendingCalls() === 0")
    return bridge(page, lab, "state")


def bad_entries(field):
    entries = [("empty", ""), ("not a number", "1e"), ("infinite", "1e400")]
    if field["min"] and float(field["min"]) >= 0:
        entries.append(("negative", "-5"))
    if field["max"]:
        entries.append(("huge", str(float(field["max"]) * 1000)))
    return entries


@pytest.mark.parametrize("lab", LABS)
def test_numeric_fields_refuse_bad_values_with_a_message(open_lab, bridge, lab):
    page = open_lab(lab)
    ready_for_input(page)
    fields = numeric_fields(page)
    if not fields:
        pytest.skip(f"the {lab} lab has no number fields")
    for field in fields:
        for kind, text in bad_entries(field):
            before = settled_state(page, bridge, lab)["settings"]
            enter(page, field["key"], text)
            after = settled_state(page, bridge, lab)["settings"]
            invalid = page.get_attribute(f'[data-test-field="{field["key"]}"]', "aria-invalid")
            message = field_message(page, field["key"])
            where = f"{lab} field {field['label']!r}, {kind} entry {text!r}"
            assert message, f"{where}: no visible message next to the field"
            if invalid == "true":
                assert after == before, f"{where}: a rejected value reached the simulator"
            else:  # clamped: what reached the simulator is within the field's bounds
                changed = {k: v for k, v in after.items() if before.get(k) != v}
                for value in changed.values():
                    numbers = value if isinstance(value, list) else [value]
                    assert all(isinstance(v, (int, float)) and math.isfinite(v) for v in numbers), (
                        f"{where}: {changed}"
                    )
                    if field["min"]:
                        assert all(v >= float(field["min"]) for v in numbers), where
                    if field["max"]:
                        assert all(v <= float(field["max"]) for v in numbers), where


BROKEN_LINKS = {
    "garbage": "learning_rate=lots",
    "truncated": "learning_rate=%5B0.5%2C",
    "unknown setting": "colour=blue",
    "hostile": "learning_rate="
    + HOSTILE.replace("%", "%25").replace("&", "%26").replace("#", "%23").replace("=", "%3D"),
    "hostile key": "%3Cimg%20src%3Dx%20onerror%3Dwindow.__hacked%3D3%3E=1",
    "bad escape": "learning_rate=%E0%A4%A",
}


def assert_not_hacked(page):
    assert page.evaluate("window.__hacked") is None, "a value from the URL ran as script"
    assert page.locator("img[src=x]").count() == 0, "a value from the URL became HTML"


@pytest.mark.parametrize("lab", LABS)
@pytest.mark.parametrize("kind", BROKEN_LINKS)
def test_broken_link_opens_the_lab_with_defaults_and_a_notice(
    page, base_url, wait_ready, bridge, cpython_session, lab, kind
):
    page.goto(f"{base_url}#{lab}?{BROKEN_LINKS[kind]}")
    wait_ready(page)
    notice = page.locator("#notices")
    notice.get_by_text("defaults").wait_for()
    assert notice.is_visible()
    assert bridge(page, lab, "state")["settings"] == cpython_session(lab).state()["settings"]
    assert page.evaluate("location.hash") == f"#{lab}", "the broken settings stayed in the URL"
    assert_not_hacked(page)


@pytest.mark.parametrize("hash_", [f"#{HOSTILE}", "#%E0%A4%A", "#digits%"])
def test_a_link_to_no_lab_opens_the_default_lab(page, base_url, wait_ready, hash_):
    page.goto(base_url + hash_)
    wait_ready(page)
    page.wait_for_function("window.glassbox.currentLab() === 'xor'")
    page.locator("#lab-root svg circle").first.wait_for()
    assert_not_hacked(page)


def play_or_step(page):
    lab_root = page.locator("#lab-root")
    for name in ("Play", "Step"):
        button = lab_root.get_by_role("button", name=name, exact=True)
        if button.count():
            button.first.click()
            return
    raise AssertionError("the lab has neither a Play nor a Step button")


def reset_button(page):
    lab_root = page.locator("#lab-root")
    for pattern in ("Reset", "New random weights"):
        button = lab_root.get_by_role("button", name=pattern)
        if button.count():
            return button.first
    raise AssertionError("the lab has no Reset button")


def flat(parameters):
    return [w for matrix in parameters for row in matrix for w in row]


@pytest.mark.parametrize("lab", LABS)
def test_huge_learning_rate_shows_diverged_keeps_weights_and_reset_recovers(open_lab, bridge, lab):
    page = open_lab(lab, settings={"learning_rate": HUGE_RATE})
    ready_for_input(page)
    before = bridge(page, lab, "state")
    assert before["status"] == "ok"
    play_or_step(page)
    page.get_by_text("diverged", exact=False).first.wait_for()
    page.wait_for_function("window.glassbox.pendingCalls() === 0")
    after = bridge(page, lab, "state")
    assert after["status"] == "diverged"
    assert all(math.isfinite(w) for w in flat(after["weights"]))
    # The very first update is the one refused, so the weights are still the initial ones.
    assert after["weights"] == before["weights"]
    reset_button(page).click()
    page.wait_for_function("lab => window.glassbox.call(lab, 'state').then(s => s.status === 'ok')", arg=lab)
