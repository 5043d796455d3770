"""Phones and narrow embeds (issue 12): no lab is wider than the screen, and a formula wider
than its box scrolls inside it with nothing cut off."""

import pytest

WIDTHS = (320, 390, 768, 1280)
LABS = ("xor", "deep", "glassbox", "digits")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_lab_is_wider_than_the_screen(open_lab, page, width):
    page.set_viewport_size({"width": width, "height": 844})
    for lab in LABS:
        open_lab(lab)
        page.wait_for_timeout(300)   # late layout (charts, formulas)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (lab, width)


def test_a_wide_formula_scrolls_in_its_box_and_nothing_is_cut(open_lab, page):
    page.set_viewport_size({"width": 390, "height": 844})
    open_lab("deep")
    page.wait_for_selector(".fx-tex .katex", timeout=60_000)
    boxes = page.evaluate("""() => [...document.querySelectorAll('.fx-tex')]
        .filter(t => t.offsetParent !== null)
        .map(t => ({text: t.textContent.slice(0, 60), hiddenBelow: t.scrollHeight > t.clientHeight + 1,
                    wide: t.scrollWidth > t.clientWidth + 1,
                    scrolls: getComputedStyle(t).overflowX === 'auto'}))""")
    assert boxes
    assert not [b for b in boxes if b["hiddenBelow"]], "a formula broke onto a row its box hides"
    wide = [b for b in boxes if b["wide"]]
    assert wide, "at 390 px some formula (step 2's sums) is wider than its box"
    assert all(b["scrolls"] for b in wide)
