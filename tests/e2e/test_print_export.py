"""Print and export (views/iteration-export.js, print-sheet.js, figure-export.js; Python's
nnsim.worked_example): the printed iteration's PDF (Chromium page.pdf, A4 and Letter) holds
every step on a page of its own with no formula clipped, the worked example downloads as the
CLI's Markdown and as LaTeX, the network figure as SVG and PNG with its numbers."""

import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest
from conftest import ROOT
from pypdf import PdfReader

LAB_READY = "!document.querySelector('#lab-root [data-needs-python]:disabled')"
SHOWN = {"xor": ".xw-body .fx-line", "deep": ".deep-formula-groups .fx-line"}


def ready(open_lab, lab):
    page = open_lab(lab)
    page.wait_for_function(LAB_READY)
    page.wait_for_selector(SHOWN[lab])
    page.wait_for_function("window.glassbox.pendingCalls() === 0")
    return page


def downloaded(page, name):
    with page.expect_download() as info:
        page.get_by_role("button", name=name).click()
    download = info.value
    return download.suggested_filename, open(download.path(), "rb").read()


def test_markdown_is_the_clis_and_latex_is_a_document(open_lab):
    page = ready(open_lab, "xor")
    name, data = downloaded(page, "Worked example (Markdown)")
    cli = subprocess.run(
        [sys.executable, "-m", "nnsim", "trace", "--preset", "xor", "--format", "markdown"],
        cwd=ROOT / "py",
        capture_output=True,
        text=True,
        check=True,
    )
    assert name == "glassbox-2-3-1-iteration-1.md"
    assert data.decode("utf-8") == cli.stdout.rstrip("\n") + "\n"
    name, data = downloaded(page, "Worked example (LaTeX)")
    text = data.decode("utf-8")
    assert name.endswith(".tex") and text.startswith(r"\documentclass")
    assert len(re.findall(r"\\section\*\{Step \d+\.", text)) == page.locator(".xw-chip").count()


def test_network_figure_downloads_as_svg_and_png_with_its_numbers(open_lab, bridge):
    page = ready(open_lab, "deep")
    name, data = downloaded(page, "Network figure (SVG)")
    assert name == "glassbox-deep-network.svg"
    svg = ElementTree.fromstring(data)
    texts = {"".join(element.itertext()) for element in svg.iter("{http://www.w3.org/2000/svg}text")}
    shown = set(
        page.eval_on_selector_all(".deep-network-view svg text", "els => els.map(e => e.textContent)")
    )
    assert shown and shown <= texts, "the figure lost numbers the view shows"
    assert any(re.fullmatch(r"b −?0\.\d+", t) for t in texts), "no bias in the figure"
    dashed = [
        p
        for p in svg.iter("{http://www.w3.org/2000/svg}path")
        if "stroke-dasharray:" in (p.get("style") or "") and "stroke-dasharray:none" not in p.get("style")
    ]
    assert dashed, "negative weights lost their dashes in the figure"
    name, data = downloaded(page, "Network figure (PNG)")
    assert name == "glassbox-deep-network.png" and data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    view_width = page.evaluate("document.querySelector('.deep-network-view svg').viewBox.baseVal.width")
    assert width == pytest.approx(2 * view_width, abs=1)


# The printable width at 96 px per inch: the paper less print.css's 15 mm margins.
CONTENT_PX = {"A4": (210 - 30) / 25.4 * 96, "Letter": 8.5 * 96 - 30 / 25.4 * 96}

MEASURE = """() => {
    const sheet = document.querySelector('.print-sheet').getBoundingClientRect();
    return {
        steps: [...document.querySelectorAll('.print-sheet .ps-step h2')].map(e => e.textContent),
        lines: [...document.querySelectorAll('.print-sheet .ps-step .fx-line')].map(line => {
            // Nothing that clips (a part scrolling sideways), nothing drawn beyond the page.
            const parts = [...line.querySelectorAll('.fx-tex')];
            const drawn = [...line.querySelectorAll('.katex-html *')].map(e => e.getBoundingClientRect())
                .filter(box => box.width > 0);
            return {clipped: parts.some(p => getComputedStyle(p).overflowX !== 'visible'),
                    outside: drawn.some(box => box.right > sheet.right + 1 || box.left < sheet.left - 1),
                    result: line.querySelector('.fx-result annotation').textContent};
        }),
    };
}"""


def printed(page, paper):
    """The sheet as laid out for `paper` (its steps and formula lines) and the PDF printed."""
    # (A function given to evaluate is called: this one installs the stand-in for the dialog.)
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    page.get_by_role("button", name="Print this iteration").click()
    page.wait_for_function("window.__printed === 1 || document.querySelector('#notices').textContent.trim()")
    assert page.evaluate("window.__printed") == 1, page.inner_text("#notices")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": int(CONTENT_PX[paper]), "height": 900})
    layout = page.evaluate(MEASURE)
    return layout, page.pdf(format=paper, print_background=False)


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("lab", ["xor", "deep"])
def test_printed_iteration_has_every_step_unclipped_a_page_each(open_lab, lab, paper):
    page = ready(open_lab, lab)
    shown_steps = page.evaluate("window.glassbox.currentLab()")
    layout, pdf_bytes = printed(page, paper)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages]
    steps, lines = layout["steps"], layout["lines"]
    assert shown_steps == lab and len(steps) >= 8
    # A page per step (a long step may take more), after the notation page.
    assert len(pages) >= len(steps) + 1
    # Long titles wrap, so the pages are compared without white space, by the steps' numbers.
    flat = [re.sub(r"\s+", "", text) for text in pages]
    starts = [
        next((k for k, text in enumerate(flat) if title.split(". ")[0].replace(" ", "") + "." in text), None)
        for title in steps
    ]
    assert None not in starts, f"steps missing from the PDF: {steps}"
    assert starts == sorted(set(starts)), "two steps share a page"
    # Every formula line of the iteration: none clipped or wider than the page, each result printed.
    assert lines and not [line for line in lines if line["clipped"] or line["outside"]]
    text = "".join(flat).replace("−", "-")
    missing = [
        line["result"]
        for line in lines
        if re.fullmatch(r"-?[\d.]+", line["result"]) and line["result"] not in text
    ]
    assert not missing, f"results missing from the PDF: {missing[:10]}"
