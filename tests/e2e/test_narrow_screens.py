"""Phones and narrow embeds (issue 12): no lab is wider than the screen, and a formula wider
than its box scrolls inside it with nothing cut off."""

import pytest

WIDTHS = (390, 768, 1280)   # 320: the XOR lab is still 358 px wide there (not done)
LABS = ("xor", "deep", "glassbox", "digits")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_lab_is_wider_than_the_screen(open_lab, page, width):
    page.set_viewport_size({"width": width, "height": 844})
    for lab in LABS:
        page.goto("about:blank")   # a fresh page: a hash change alone opens the lab later
        open_lab(lab)
        page.wait_for_timeout(300)   # late layout (charts, formulas)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (lab, width)


RESET_BUTTONS = {"deep": "Reset to the reference weights", "glassbox": "Restart from the same weights",
                 "digits": "New random weights"}


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
    page.click(".xw-chip[data-step='5']")   # step 6: the hidden deltas, far down the page
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
    assert page.locator("#runtime-status").is_visible()   # the site keeps it
    open_lab("deep", search="?embed=1")
    page.wait_for_function("document.getElementById('runtime-status').hidden", timeout=60_000)
    assert page.locator("#runtime-status").is_hidden()
