"""Display modes (site/js/shell/display-mode.js, site/css/display.css): dark follows the
system until the reader chooses, the choice is remembered, projector mode enlarges type and
thickens the network's lines, and the Playground's heatmaps carry sign by a hatch as well as
by colour. axe in every mode: test_accessibility.py."""

import pytest


def background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def brightness(rgb):
    return sum(int(part) for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])


@pytest.fixture
def dark_system_page(browser, base_url):
    context = browser.new_context(color_scheme="dark", service_workers="block")
    yield context.new_page()
    context.close()


def test_dark_scheme_follows_the_system_until_the_reader_chooses(dark_system_page, base_url):
    page = dark_system_page
    page.goto(f"{base_url}#xor")
    page.wait_for_function("document.documentElement.dataset.scheme")
    assert page.evaluate("document.documentElement.dataset.scheme") == "dark"
    assert brightness(background(page)) < 150
    page.get_by_label("Display", exact=True).select_option("light")
    assert page.evaluate("document.documentElement.dataset.scheme") == "light"
    assert brightness(background(page)) > 600
    page.reload()
    page.wait_for_function("document.documentElement.dataset.scheme")
    assert page.evaluate("document.documentElement.dataset.scheme") == "light", "choice forgotten"
    assert page.get_by_label("Display", exact=True).input_value() == "light"


def test_choices_are_remembered_and_projector_enlarges_type_and_lines(open_lab):
    page = open_lab("xor")
    assert page.evaluate("document.documentElement.dataset.scheme") == "light"
    width = "parseFloat(getComputedStyle(document.querySelector('.nv-conn')).strokeWidth)"
    size = "parseFloat(getComputedStyle(document.querySelector('.xw-title')).fontSize)"
    thin, small = page.evaluate(width), page.evaluate(size)
    page.get_by_label("Projector").check()
    page.get_by_label("High contrast").check()
    page.get_by_label("Display", exact=True).select_option("dark")
    page.reload()
    page.wait_for_function("document.documentElement.dataset.scheme === 'dark'")
    page.wait_for_selector(".xw-title:not(:empty)")
    assert page.get_by_label("Projector").is_checked()
    assert page.get_by_label("High contrast").is_checked()
    assert page.evaluate("document.documentElement.hasAttribute('data-projector')")
    assert page.evaluate(width) == pytest.approx(2 * thin)
    assert page.evaluate(size) >= 1.2 * small
    assert background(page) == "rgb(0, 0, 0)"  # high contrast on dark: black
    # Negative weights keep their dashes in every mode.
    assert page.evaluate("""[...document.querySelectorAll('.nv-conn.nv-neg')]
        .every(el => getComputedStyle(el).strokeDasharray !== 'none')""")


def test_playground_heatmaps_hatch_negative_values(open_lab, bridge):
    page = open_lab("playground")
    page.wait_for_function("window.glassbox.pendingCalls() === 0")
    page.wait_for_function("Number(document.querySelector('.pg').dataset.heatmapsDrawn || 0) > 0")
    # A hatch line is painted at the class colour itself; any other cell is mixed with white.
    found = page.evaluate("""() => {
        const hex = getComputedStyle(document.documentElement).getPropertyValue('--pg-class-0').trim();
        const colour = [1, 3, 5].map(at => parseInt(hex.slice(at, at + 2), 16));
        const near = (data, k) => colour.every((c, n) => Math.abs(data[k + n] - c) <= 1);
        let onHatch = 0, offHatch = 0;
        for (const canvas of document.querySelectorAll('.pg-map-rows canvas')) {
            const {width, height} = canvas;
            const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
            for (let row = 0; row < height; row++) for (let column = 0; column < width; column++) {
                if (!near(data, 4 * (row * width + column))) continue;
                if ((row + column) % 4 === 0) onHatch++; else offHatch++;
            }
        }
        return {onHatch, offHatch};
    }""")
    assert found["onHatch"] > 20, f"no hatch drawn where neurons are negative: {found}"
    assert found["offHatch"] == 0, f"full class-0 colour off the hatch lines: {found}"
