"""The shared views (network view, line chart, number format) in real Chromium.

They draw numbers, they compute none, so these tests drive them from a fixture page
(tests/e2e/fixtures/views.html) that renders made-up networks of the labs' shapes: 2-2-1,
3-4-3-2-2 and 25-64-10 with a 5x5 input grid. The repository root is served on 127.0.0.1 so the
page imports the modules straight from site/js/. Expected texts come from the fixture's numbers
formatted here in Python, not from the code under test.
"""

import functools
import http.server
import json
import re
import threading
from pathlib import Path

import pytest
from nnsim.explain import view_notation

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def views_url():
    handler = functools.partial(QuietHandler, directory=str(ROOT))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tests/e2e/fixtures/views.html"
    server.shutdown()
    server.server_close()


# The networks the fixture draws, each with the simulator's notation (a lab's state carries it).
NOTATION = {
    "2-2-1": view_notation([2, 2, 1]),
    "2-3-1": view_notation([2, 3, 1]),
    "3-4-3-2-2": view_notation([3, 4, 3, 2, 2]),
    "25-64-10": view_notation([25, 64, 10], (5, 5)),
}


def with_notation(context):
    context.add_init_script(f"window.viewNotation = {json.dumps(NOTATION)};")
    return context


def open_fixture(browser, url, width):
    context = with_notation(browser.new_context(viewport={"width": width, "height": 900}))
    page = context.new_page()
    errors, requests = [], []
    page.on("pageerror", lambda error: errors.append(error))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    page.wait_for_selector("html[data-ready=yes]")
    return context, page, errors, requests


@pytest.fixture
def views(browser, views_url):
    context, page, errors, requests = open_fixture(browser, views_url, 1100)
    yield page
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"
    host = views_url.split("/tests/")[0]
    assert all(url.startswith(host) for url in requests), requests


def state(page, name):
    return page.evaluate("(name) => window.fixture.states[name]", name)


def svg_point(page, view, x, y):
    """Page coordinates of an SVG point of one view, scrolled into sight first."""
    page.locator(f"#{view} svg.nv-svg").scroll_into_view_if_needed()
    box = page.evaluate(
        "(view) => { const b = window.fixture.views[view].svg.getBoundingClientRect();"
        " return {left: b.left, top: b.top}; }",
        view,
    )
    return box["left"] + x, box["top"] + y


def hover_connection(page, view, l, j, i, along=0.6):
    path = page.evaluate("([v, l, j, i]) => window.fixture.views[v].connectionPath(l, j, i)", [view, l, j, i])
    x = path["x1"] + along * (path["x2"] - path["x1"])
    y = path["y1"] + along * (path["y2"] - path["y1"])
    page.mouse.move(*svg_point(page, view, x, y))


def hover_neuron(page, view, l, j):
    spot = page.evaluate("([v, l, j]) => window.fixture.views[v].anchor(l, j)", [view, l, j])
    page.mouse.move(*svg_point(page, view, spot["x"], spot["y"]))


def tooltip_text(page, view):
    tip = page.locator(f"#{view} .tooltip")
    assert tip.is_visible()
    return tip.inner_text()


def focused_label(page):
    return page.evaluate("document.activeElement.getAttribute('aria-label')")


def bucket_segments(page, view, sign):
    """The line segments drawn in the positive or negative paths of a view."""
    ds = page.eval_on_selector_all(
        f"#{view} .nv-connections path[data-sign={sign}]",
        "paths => paths.map(p => p.getAttribute('d') || '')",
    )
    return sorted(seg for d in ds for seg in re.findall(r"M[^M]+", d))


# ---- drawing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "view, layers, squares",
    [("small", [2, 2, 1], 0), ("medium", [3, 4, 3, 2, 2], 0), ("big", [25, 64, 10], 25)],
)
def test_every_neuron_and_connection_is_drawn(views, view, layers, squares):
    neurons = views.locator(f"#{view} .nv-neuron")
    assert neurons.count() == sum(layers)
    assert views.locator(f"#{view} rect.nv-body").count() == squares
    count = sum(a * b for a, b in zip(layers, layers[1:]))
    drawn = len(bucket_segments(views, view, "pos")) + len(bucket_segments(views, view, "neg"))
    assert drawn == count


def test_values_are_printed_inside_big_circles_only(views):
    small = state(views, "small")
    texts = views.eval_on_selector_all("#small .nv-values text", "ts => ts.map(t => t.textContent)")
    assert texts == [text for layer in small["activationLabels"] for text in layer]  # as given
    # 64 hidden neurons are too small for text; the 10 outputs are big enough.
    texts = views.eval_on_selector_all("#big .nv-values text", "ts => ts.map(t => t.textContent)")
    hidden, outputs = texts[25:89], texts[89:]
    assert set(hidden) == {""}
    big = state(views, "big")
    assert outputs == big["activationLabels"][2]


def test_a_long_value_gets_a_smaller_font_not_fewer_digits(views):
    views.evaluate("""() => {
        const s = window.fixture.states.small;
        s.activationLabels[2] = ['0.6984651'];
        window.fixture.views.small.render(s);
    }""")
    out = views.locator("#small .nv-values text").nth(4)
    assert out.text_content() == "0.6984651"
    short = views.locator("#small .nv-values text").nth(2)
    assert float(out.evaluate("t => parseFloat(getComputedStyle(t).fontSize)")) < float(
        short.evaluate("t => parseFloat(getComputedStyle(t).fontSize)")
    )
    radius = float(views.locator("#small .nv-neuron .nv-body").nth(4).get_attribute("r"))
    assert out.evaluate("t => t.getBBox().width") <= 2 * radius


def test_activation_sets_fill_darkness(views):
    acts = state(views, "medium")["activations"][1]
    lightness = views.eval_on_selector_all(
        '#medium .nv-neuron[data-l="1"] .nv-body',
        "bodies => bodies.map(b => getComputedStyle(b).fill.match(/[\\d.]+/g).slice(0, 3)"
        ".reduce((s, c) => s + Number(c), 0))",
    )
    ranked_by_activation = sorted(range(len(acts)), key=lambda j: acts[j])
    ranked_by_lightness = sorted(range(len(acts)), key=lambda j: -lightness[j])
    assert ranked_by_activation == ranked_by_lightness


def test_sign_sets_colour_and_dash(views):
    small = state(views, "small")
    colours = {}
    for l, matrix in enumerate(small["weights"]):
        for j, row in enumerate(matrix):
            for i, w in enumerate(row):
                hover_connection(views, "small", l, j, i)
                line = views.locator("#small .nv-emphasis line")
                assert line.count() == 1
                stroke, dash = line.evaluate(
                    "l => [getComputedStyle(l).stroke, getComputedStyle(l).strokeDasharray]"
                )
                colours.setdefault(w < 0, set()).add(stroke)
                assert (dash != "none") == (w < 0), (w, dash)
                tip = tooltip_text(views, "small")
                assert f"{small['weightLabels'][l][j][i]} (" in tip  # the simulator's text
                assert ("negative" if w < 0 else "positive") in tip
    assert set(colours) == {True, False}, "the fixture should have weights of both signs"
    assert all(len(c) == 1 for c in colours.values()) and colours[True] != colours[False]


def test_weight_size_sets_width(views):
    small = state(views, "small")
    widths = {}
    for j, row in enumerate(small["weights"][0]):
        for i, w in enumerate(row):
            hover_connection(views, "small", 0, j, i)
            widths[abs(w)] = float(views.locator("#small .nv-emphasis line").get_attribute("stroke-width"))
    by_size = [widths[size] for size in sorted(widths)]
    assert by_size == sorted(by_size) and by_size[0] < by_size[-1]


# ---- tooltips and keyboard -------------------------------------------------------------


def test_tooltip_shows_the_simulators_text_of_a_neurons_values_on_hover(views):
    big = state(views, "big")
    hover_neuron(views, "big", 1, 20)
    tip = tooltip_text(views, "big")
    assert "Hidden neuron 21" in tip
    assert f"= {big['activationLabels'][1][20]}\n" in tip
    assert tip.endswith(f"= {big['biasLabels'][0][20]}")
    # Its 25 incoming and 10 outgoing connections are drawn on top, the rest dimmed.
    assert views.locator("#big .nv-emphasis line").count() == 35
    assert "nv-dimmed" in views.locator("#big svg.nv-svg").get_attribute("class")
    views.mouse.move(1, 1)
    assert not views.locator("#big .tooltip").is_visible()
    assert views.locator("#big .nv-emphasis line").count() == 0


def test_view_is_one_tab_stop_with_tooltip_on_focus(views):
    assert views.locator("#small [tabindex]").count() == 1
    views.keyboard.press("Tab")  # from the top of the page: the small view's first neuron
    assert focused_label(views).startswith("Input neuron 1: activation 1")
    tip = tooltip_text(views, "small")
    assert "Input neuron 1" in tip and tip.endswith("= 1")
    views.keyboard.press("Tab")
    assert views.evaluate("!document.querySelector('#small').contains(document.activeElement)")


def test_arrow_keys_and_connection_cycling(views):
    small = state(views, "small")
    views.focus("#small [tabindex='0']")
    views.keyboard.press("ArrowDown")
    assert focused_label(views).startswith("Input neuron 2")
    views.keyboard.press("ArrowRight")
    assert focused_label(views).startswith("Hidden neuron 2")
    assert f"activation {small['activationLabels'][1][1]}," in focused_label(views)
    views.keyboard.press("c")  # first incoming connection of hidden neuron 2
    w = small["weights"][0][1][0]
    assert focused_label(views) == (
        f"Weight from Input neuron 1 to Hidden neuron 2: "
        f"{small['weightLabels'][0][1][0]}, {'negative' if w < 0 else 'positive'}"
    )
    assert small["weightLabels"][0][1][0] in tooltip_text(views, "small")
    views.keyboard.press("ArrowDown")
    assert focused_label(views).startswith("Weight from Input neuron 2 to Hidden neuron 2")
    views.keyboard.press("ArrowDown")
    assert focused_label(views).startswith("Weight from Hidden neuron 2 to Output neuron 1")
    views.keyboard.press("ArrowDown")  # wraps to the first again
    assert focused_label(views).startswith("Weight from Input neuron 1 to Hidden neuron 2")
    views.keyboard.press("ArrowLeft")  # the connection's source
    assert focused_label(views).startswith("Input neuron 1")
    views.keyboard.press("c")
    views.keyboard.press("Escape")  # back to the neuron the stepping started from
    assert focused_label(views).startswith("Input neuron 1")
    assert views.locator("#small [tabindex]").count() == 1


def test_input_grid_arrows_move_between_pixels(views):
    views.focus("#big [tabindex='0']")
    views.keyboard.press("ArrowDown")
    assert focused_label(views).startswith("Input pixel 6 (row 2, column 1)")
    for _ in range(4):
        views.keyboard.press("ArrowRight")
    assert focused_label(views).startswith("Input pixel 10 (row 2, column 5)")
    views.keyboard.press("ArrowRight")  # off the grid's right edge: into the hidden layer
    assert focused_label(views).startswith("Hidden neuron")
    views.keyboard.press("End")
    assert focused_label(views).startswith("Hidden neuron 64")
    views.keyboard.press("ArrowRight")
    assert focused_label(views).startswith("Output neuron 10 (9)")


def test_select_fires_on_click_enter_and_space(views):
    hover_neuron(views, "small", 1, 0)
    views.mouse.down()
    views.mouse.up()
    hover_connection(views, "small", 1, 0, 1)
    views.mouse.down()
    views.mouse.up()
    views.focus("#small [tabindex='0']")  # the tab stop followed the last click
    views.keyboard.press("Enter")
    views.keyboard.press("ArrowLeft")
    views.keyboard.press(" ")
    selections = views.evaluate("window.fixture.selections")
    assert selections == [
        {"view": "small", "kind": "neuron", "l": 1, "j": 0},
        {"view": "small", "kind": "connection", "l": 1, "j": 0, "i": 1},
        {"view": "small", "kind": "connection", "l": 1, "j": 0, "i": 1},
        {"view": "small", "kind": "neuron", "l": 1, "j": 1},
    ]


# ---- highlight and re-render -----------------------------------------------------------


def test_highlight_marks_and_clears(views):
    views.evaluate(
        "window.fixture.views.medium.highlight({neurons: [[2, 1]], connections: [[1, 1, 3], [1, 1, 0]]})"
    )
    marked = views.locator("#medium .nv-neuron.nv-marked")
    assert marked.count() == 1
    assert marked.get_attribute("data-l") == "2" and marked.get_attribute("data-j") == "1"
    assert float(marked.locator(".nv-body").evaluate("b => parseFloat(getComputedStyle(b).strokeWidth)")) >= 3
    halos = views.locator("#medium .nv-halo")
    assert halos.count() == 2
    path = views.evaluate("window.fixture.views.medium.connectionPath(1, 1, 3)")
    first = halos.first
    assert [float(first.get_attribute(k)) for k in ("x1", "y1", "x2", "y2")] == pytest.approx(
        [path[k] for k in ("x1", "y1", "x2", "y2")]
    )
    assert views.locator("#medium .nv-emphasis line").count() == 2
    views.evaluate("window.fixture.views.medium.highlight({neurons: [], connections: []})")
    assert views.locator("#medium .nv-marked, #medium .nv-halo, #medium .nv-emphasis line").count() == 0


def test_render_updates_existing_elements(views):
    views.evaluate("""() => {
        window.before = [...document.querySelectorAll('#big .nv-neuron, #big .nv-values text, #big .nv-connections path')];
    }""")
    pos_before = bucket_segments(views, "big", "pos")
    neg_before = bucket_segments(views, "big", "neg")
    # Same shape, every weight negated, new activations.
    views.evaluate("""() => {
        const s = window.fixture.states.big;
        const next = window.fixture.networkState([25, 64, 10], 99);
        next.weights = s.weights.map(m => m.map(r => r.map(w => -w)));
        window.fixture.states.big = next;
        window.fixture.views.big.render(next);
    }""")
    same = views.evaluate("""() => {
        const now = [...document.querySelectorAll('#big .nv-neuron, #big .nv-values text, #big .nv-connections path')];
        return now.length === window.before.length && now.every((e, k) => e === window.before[k]);
    }""")
    assert same, "a render of the same shape must update, not rebuild"
    assert bucket_segments(views, "big", "pos") == neg_before
    assert bucket_segments(views, "big", "neg") == pos_before
    outputs = views.eval_on_selector_all("#big .nv-values text", "ts => ts.slice(89).map(t => t.textContent)")
    assert outputs == state(views, "big")["activationLabels"][2]


def test_new_shape_rebuilds_and_missing_activations_draw_empty(views):
    views.evaluate("""() => {
        const s = window.fixture.networkState([2, 3, 1], 5, {withActivations: false});
        window.fixture.views.small.render(s);
    }""")
    assert views.locator("#small .nv-neuron").count() == 6
    assert views.locator("#small .nv-neuron.nv-unknown").count() == 6
    texts = views.eval_on_selector_all("#small .nv-values text", "ts => ts.map(t => t.textContent)")
    assert set(texts) == {""}
    views.focus("#small [tabindex='0']")
    assert focused_label(views) == "Input neuron 1: activation not computed yet"


# ---- line chart ------------------------------------------------------------------------


def test_line_chart_draws_series_legend_and_summary(views):
    chart = views.locator("#chart svg.lc-svg")
    paths = chart.locator("path.lc-line")
    assert paths.count() == 2
    assert all(len(paths.nth(k).get_attribute("d")) > 100 for k in range(2))
    assert paths.nth(0).get_attribute("stroke-dasharray") == "none"
    assert paths.nth(1).get_attribute("stroke-dasharray") != "none"
    legend = chart.locator("text.lc-legend").all_text_contents()
    assert legend == ["training", "held out"]
    samples = chart.locator("line.lc-line")
    assert [samples.nth(k).get_attribute("stroke-dasharray") != "none" for k in range(2)] == [False, True]
    label = chart.get_attribute("aria-label")
    assert label == "Loss: training 0.03347 at Iteration 1,990; held out 0.07351 at Iteration 1,990"
    ticks = chart.locator("text.lc-tick").all_text_contents()
    y_ticks, x_ticks = ticks[:6], ticks[6:]
    assert y_ticks == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]  # data up to 0.84, one decimal
    # whole numbers, with thousands separators
    assert x_ticks[0] == "0" and all(t.replace(",", "").isdigit() for t in x_ticks)
    assert len(x_ticks) >= 4


def test_line_chart_breaks_at_non_finite_points_and_says_when_empty(views):
    result = views.evaluate("""() => {
        const host = document.createElement('div');
        document.body.appendChild(host);
        const chart = window.fixture.createLineChart(host, {title: 'Loss', xLabel: 'Epoch', logY: true});
        const empty = host.querySelector('.lc-empty')?.textContent;
        chart.update([{name: 'loss', points: [[0, 1], [1, 0.1], [2, NaN], [3, 0.01], [4, 0.001]],
                       lastLabel: '0.001000'}]);
        return {empty, d: host.querySelector('path.lc-line').getAttribute('d'),
                ticks: [...host.querySelectorAll('.lc-tick')].map(t => t.textContent),
                label: host.querySelector('svg').getAttribute('aria-label')};
    }""")
    assert result["empty"] == "No data yet"
    assert result["d"].count("M") == 2
    assert {"1", "0.1", "0.01", "0.001"} <= set(result["ticks"])
    assert result["label"] == "Loss: loss 0.001000 at Epoch 4"  # the series' lastLabel, as given


def test_line_chart_follows_its_hosts_width(views):
    """The chart takes its width from the layout the browser last made (a ResizeObserver), not
    by reading it in update(), which forced a layout in every lab's first draw and redraws: the
    first frame shows it at its host's width, after the host narrows it redraws at the new
    width, and later updates keep it."""
    widths = views.evaluate("""async () => {
        const frame = () => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
        const host = Object.assign(document.createElement('div'), {style: 'width: 600px'});
        document.body.appendChild(host);
        const chart = window.fixture.createLineChart(host, {title: 'Loss'});
        const width = () => Number(host.querySelector('svg').getAttribute('width'));
        const series = [{name: 'loss', points: [[0, 1], [1, 0.5]]}];
        chart.update(series);
        await frame();
        const first = width();
        host.style.width = '400px';
        await frame();
        await frame();
        const resized = width();
        chart.update(series);
        return [first, resized, width()];
    }""")
    assert widths == [600, 400, 400]


# ---- format ----------------------------------------------------------------------------


def test_javascript_writes_only_counts_and_ticks(views):
    got = views.evaluate("""async () => {
        const format = await import('/site/js/views/format.js');
        return {names: Object.keys(format).sort(),
                counts: [1234567, 0, null, 123, 1000, 2 ** 53 - 1, 1e21].map(format.formatCount),
                ticks: [format.formatTick(0.8, 1), format.formatTick(-2, 0), format.formatTick(-0.0001, 2),
                        format.formatTick(1e-5), format.formatTick(0.001), format.formatTick(1e6)]};
    }""")
    assert got["names"] == ["formatCount", "formatTick"]
    assert got["counts"] == ["1,234,567", "0", "–", "123", "1,000", f"{2**53 - 1:,}", f"{10**21:,}"]
    assert got["ticks"] == ["0.8", "\u22122", "0.00", "1e\u22125", "0.001", "1e6"]


# ---- layout and accessibility ------------------------------------------------------------


def test_narrow_screen_has_no_sideways_scroll(browser, views_url):
    context, page, errors, _ = open_fixture(browser, views_url, 360)
    try:
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
        for view in ("small", "medium", "big"):
            assert page.evaluate(f"window.fixture.views.{view}.svg.getBoundingClientRect().right") <= 360
        captions = page.locator("#medium .nv-layer-label").all_text_contents()
        assert captions == ["In", "H1", "H2", "H3", "Out"]
        assert not errors
    finally:
        context.close()


def test_tap_shows_values_on_a_touch_screen(browser, views_url):
    context = with_notation(
        browser.new_context(viewport={"width": 360, "height": 800}, has_touch=True, is_mobile=True)
    )
    try:
        page = context.new_page()
        page.goto(views_url)
        page.wait_for_selector("html[data-ready=yes]")
        small = page.evaluate("window.fixture.states.small")
        spot = page.evaluate("window.fixture.views.small.anchor(1, 0)")
        page.locator("#small svg.nv-svg").scroll_into_view_if_needed()
        box = page.evaluate(
            "(() => { const b = window.fixture.views.small.svg.getBoundingClientRect();"
            " return {left: b.left, top: b.top}; })()"
        )
        page.touchscreen.tap(box["left"] + spot["x"], box["top"] + spot["y"])
        tip = page.locator("#small .tooltip")
        assert tip.is_visible() and small["activationLabels"][1][0] in tip.inner_text()
    finally:
        context.close()


def test_axe_finds_no_serious_violation(views):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    views.add_script_tag(content=AXE.read_text())
    views.focus("#big [tabindex='0']")
    result = views.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
