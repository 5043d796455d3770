"""Phones and narrow embeds (issue 12): no lab is wider than the screen, and a formula wider
than its box scrolls inside it with nothing cut off."""

import pytest

WIDTHS = (320, 390, 768, 1280)
LABS = ("xor", "deep", "glassbox", "digits", "playground")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_lab_is_wider_than_the_screen(open_lab, page, width):
    page.set_viewport_size({"width": width, "height": 844})
    for lab in LABS:
        page.goto("about:blank")  # a fresh page: a hash change alone opens the lab later
        open_lab(lab)
        page.wait_for_timeout(300)  # late layout (charts, formulas)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (lab, width)


# Every formula box on the page whose content is cut: taller than the box (a fraction's
# denominator below it), or wider without a way to scroll to the rest.
CUT_FORMULAS = """() => [...document.querySelectorAll('#lab-root .fx-tex')]
  .filter(box => box.offsetParent)
  .filter(box => box.scrollHeight > box.clientHeight
          || (box.scrollWidth > box.clientWidth
              && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)))
  .map(box => [box.scrollWidth, box.clientWidth, box.scrollHeight, box.clientHeight,
               box.querySelector('annotation').textContent])"""


def glassbox_chain_rule(page):
    """One epoch, then the chain rule of the output connection from hidden neuron 1."""
    lab = page.locator("#lab-root")
    lab.get_by_role("button", name="Step").click()
    page.wait_for_function(
        "document.querySelector('.gb')?.dataset.epoch === '1'"
        " && document.querySelector('.gb').dataset.phase === 'idle'",
        timeout=60_000,
    )
    lab.locator(".nv-neuron[data-l='0'][data-j='0']").focus()
    for key in ("ArrowRight", "ArrowRight", "c", "Enter"):
        page.keyboard.press(key)
    page.wait_for_selector("#lab-root .gb-chain-panel .fx-line", timeout=60_000)
    page.wait_for_function("window.glassbox.pendingCalls() === 0")


@pytest.mark.parametrize("width", (320, 1280))
def test_no_formula_is_cut_off(open_lab, page, width):
    """A formula taller or wider than its box scrolls inside it: a fraction's denominator is
    not cut at the bottom (XOR's walkthrough, every Deep step, the Glass box chain rule)."""
    page.set_viewport_size({"width": width, "height": 844})
    open_lab("xor")
    page.wait_for_selector(".xw-chip[aria-current='step']", timeout=60_000)
    for step in range(page.locator(".xw-chip").count()):
        page.click(f".xw-chip[data-step='{step}']")
        page.wait_for_selector(f".xw-chip[data-step='{step}'][aria-current='step']")
        page.wait_for_selector(".xw-body .fx-line")
        assert page.evaluate(CUT_FORMULAS) == [], ("xor", step)

    page.goto("about:blank")
    open_lab("deep")
    page.evaluate("document.querySelectorAll('.deep-formulas details').forEach(d => { d.open = true; })")
    page.wait_for_function(
        "[...document.querySelectorAll('.deep-formulas details.df-step')]"
        ".every(d => d.querySelector('.fx-line'))",
        timeout=60_000,
    )
    page.wait_for_function("document.querySelectorAll('.deep-formulas .frac-line').length > 10")
    assert page.evaluate(CUT_FORMULAS) == [], "deep"

    page.goto("about:blank")
    open_lab("glassbox")
    glassbox_chain_rule(page)
    page.wait_for_function("document.querySelectorAll('.gb-chain-panel .frac-line').length > 3")
    assert page.evaluate(CUT_FORMULAS) == [], "glassbox"


RESET_BUTTONS = {
    "deep": "Reset to the reference weights",
    "glassbox": "Restart from the same weights",
    "digits": "New random weights",
}


def test_each_labs_reset_button_says_what_it_does(open_lab, page, bridge):
    """Reset meant three things (Digits: a new seed; Glass box: the same weights; Deep: the
    reference weights); each button is named by what it does, and does it."""
    for lab, name in RESET_BUTTONS.items():
        page.goto("about:blank")
        open_lab(lab)
        page.wait_for_function("!document.querySelector('#lab-root [data-needs-python]:disabled')")
        assert page.locator("#lab-root").get_by_role("button", name="Reset", exact=True).count() == 0
        before = bridge(page, lab, "state")
        page.locator("#lab-root").get_by_role("button", name=name, exact=True).click()
        page.wait_for_function("window.glassbox.pendingCalls() === 0")
        page.wait_for_timeout(300)
        after = bridge(page, lab, "state")
        assert after["iteration"] == 0
        if lab == "digits":
            assert after["settings"]["seed"] != before["settings"]["seed"]
        else:
            assert after["weights"] == before["weights"]


@pytest.mark.parametrize("width,search", [(390, ""), (800, "?embed=1")])
def test_the_xor_network_stays_in_view_beside_the_step(open_lab, page, width, search):
    page.set_viewport_size({"width": width, "height": 844})
    open_lab("xor", search=search)
    page.wait_for_selector(".xw-chip[aria-current='step']", timeout=60_000)
    page.click(".xw-chip[data-step='5']")  # step 6: the hidden deltas, far down the page
    page.locator(".xw-body").scroll_into_view_if_needed()
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(300)
    view = page.locator(".xor-network-view").bounding_box()
    body = page.locator(".xw-body").bounding_box()
    assert view["y"] >= -1 and view["y"] + view["height"] <= 844 + 1, view
    assert body["y"] < 844 and body["y"] + body["height"] > view["y"] + view["height"], (view, body)
    # Gold highlights are on screen with it.
    assert page.locator(".xor-network .nv-marked").count() > 0
    # The caption tells the truth about the weights at this width.
    caption = page.inner_text(".xor-network figcaption")
    if width <= 560:
        assert "Tap a connection" in caption and "printed" not in caption
        assert page.locator(".xw-weights").is_hidden()
    else:
        assert "printed on their connections" in caption


def test_an_embed_drops_the_python_ready_strip(open_lab, page):
    open_lab("deep")
    assert page.locator("#runtime-status").is_visible()  # the site keeps it
    open_lab("deep", search="?embed=1")
    page.wait_for_function("document.getElementById('runtime-status').hidden", timeout=60_000)
    assert page.locator("#runtime-status").is_hidden()
