"""The Deep lab's optimisers in Chromium: controls from the schema and in the URL, the selected
weight's Adam update against a computation written here from Adam's formulas (not nnsim's
optimiser), L1's zeros marked on the connections, and the side-by-side view showing momentum
ahead of plain SGD."""

import math

from formula_lines import check_redo, close_to, shown_lines

TIMEOUT = 60_000
SELECTED = ".df-selected"


def open_ready(open_lab, settings):
    page = open_lab("deep", settings=settings)
    page.wait_for_selector(f"{SELECTED} .fx-line", timeout=TIMEOUT)
    page.wait_for_function("window.glassbox.pendingCalls() === 0", timeout=TIMEOUT)
    return page


def click_connection(page, l, j, i):
    """Click the connection from neuron i of layer l to neuron j of layer l + 1, a third of the
    way along, where no other connection passes."""
    start = page.locator(f".nv-neuron[data-l='{l}'][data-j='{i}'] .nv-body").bounding_box()
    end = page.locator(f".nv-neuron[data-l='{l + 1}'][data-j='{j}'] .nv-body").bounding_box()
    centre = [(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2) for box in (start, end)]
    page.mouse.click(
        centre[0][0] + (centre[1][0] - centre[0][0]) / 3, centre[0][1] + (centre[1][1] - centre[0][1]) / 3
    )


def step(page):
    before = int(page.inner_text("[data-stat='iteration']"))
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function(
        f"document.querySelector(\"[data-stat='iteration']\").textContent === '{before + 1}'", timeout=TIMEOUT
    )
    page.wait_for_function("window.glassbox.pendingCalls() === 0", timeout=TIMEOUT)


def test_selected_weights_adam_update_against_adams_formulas(open_lab, bridge):
    eta, beta1, beta2, eps = 0.05, 0.8, 0.99, 1e-8
    page = open_ready(open_lab, {"optimizer": "adam", "learning_rate": eta, "beta1": beta1, "beta2": beta2})
    l, j, i = 3, 1, 1  # hidden layer 3, neuron 2 -> output 2: w_22^(5)
    click_connection(page, l, j, i)
    page.wait_for_selector(f"{SELECTED}[data-selected='weight,{l},{j},{i}']", timeout=TIMEOUT)
    # Adam from its formulas, fed each step's loss gradient (backprop's, from the trace)
    m = v = 0.0
    for t in range(1, 4):
        trace = bridge(page, "deep", "preview")["trace"]
        g = trace["grad_weights"][l][j][i]
        w = trace["weights_before"][l][j][i]
        m_old, v_old = m, v
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        w_new = w - eta * m_hat / (math.sqrt(v_hat) + eps)
        if t < 3:
            step(page)
            page.wait_for_selector(f"{SELECTED}[data-selected='weight,{l},{j},{i}']", timeout=TIMEOUT)
    # the panel shows step t = 3 of the selected weight
    assert "t = 3" in page.text_content(f"{SELECTED} h3")
    shown = shown_lines(page, SELECTED)
    check_redo(shown)
    *moments, update = shown
    assert update["general"].startswith(r"w_{22}^{(5)} := w_{22}^{(5)} - \eta")
    assert close_to(update["result"], w_new), (update, w_new)
    results = [ln["result"] for ln in moments]
    for expected, result in zip((m, v, m_hat, v_hat), results):
        assert close_to(result, expected), (result, expected)
    # the state table: before and after, for m and v
    cells = page.evaluate("""() => [...document.querySelectorAll('.df-selected .df-state tbody tr')]
        .map(row => ({name: row.dataset.state, tex: [...row.querySelectorAll('td')].map(cell => {
            const a = cell.querySelector('annotation'); return a ? a.textContent : null; })}))""")
    by_name = {row["name"]: row["tex"] for row in cells}
    assert close_to(by_name["first_moment"][0], m_old) and close_to(by_name["first_moment"][1], m)
    assert close_to(by_name["second_moment"][0], v_old) and close_to(by_name["second_moment"][1], v)
    assert by_name["first_moment_hat"][0] is None and close_to(by_name["first_moment_hat"][1], m_hat)


def test_controls_show_the_chosen_optimisers_settings_and_go_in_the_url(open_lab, lab_url):
    page = open_ready(open_lab, {"optimizer": "momentum", "momentum": 0.5})
    assert page.locator("#deep-optimizer").input_value() == "momentum"
    assert page.locator("#deep-momentum").input_value() == "0.5"
    assert page.locator("[data-setting='beta1']").is_hidden()
    page.select_option("#deep-optimizer", "adam")
    page.wait_for_function("location.hash.includes('adam')", timeout=TIMEOUT)
    assert page.locator("[data-setting='beta1']").is_visible()
    assert page.locator("[data-setting='momentum']").is_hidden()
    page.wait_for_function(
        "document.querySelector('.df-selected h3')?.textContent.includes('t = 1')", timeout=TIMEOUT
    )
    page.select_option("#deep-regularization", "l2")
    page.wait_for_function("location.hash.includes('l2')", timeout=TIMEOUT)
    assert page.locator("[data-setting='regularization_rate']").is_visible()
    url = page.url
    # the address restores them
    page.goto("about:blank")
    page.goto(url)
    page.wait_for_selector(f"{SELECTED} .fx-line", timeout=TIMEOUT)
    assert page.locator("#deep-optimizer").input_value() == "adam"
    assert page.locator("#deep-regularization").input_value() == "l2"
    assert page.locator(".df-cost [data-step='penalty'] .fx-line").count() == 3
    # a value out of bounds is refused with the schema's words, nothing lost
    field = page.locator("#deep-beta1")
    field.fill("1.5")
    field.press("Enter")
    page.wait_for_function(
        "document.querySelector('[data-setting=beta1] .field-message').textContent.includes('1')",
        timeout=TIMEOUT,
    )
    assert "adam" in page.url


def test_l1_zeros_are_marked_on_the_connections(open_lab, bridge):
    page = open_ready(open_lab, {"optimizer": "adam", "regularization": "l1", "regularization_rate": 0.05})
    step(page)
    step(page)
    weights = bridge(page, "deep", "state")["weights"]
    zeros = sum(w == 0.0 for m in weights for row in m for w in row)
    assert zeros > 0
    assert page.locator(".dz-zeros text").count() == zeros
    assert all(t == "0" for t in page.locator(".dz-zeros text").all_text_contents())
    assert page.inner_text("[data-stat='zeros']") == str(zeros)


def test_side_by_side_momentum_ends_below_sgd(open_lab):
    page = open_ready(open_lab, None)
    page.wait_for_selector(".dc-summary li", timeout=TIMEOUT)
    losses = {
        item.get_attribute("data-run"): float(item.get_attribute("data-loss"))
        for item in page.locator(".dc-summary li").all()
    }
    assert set(losses) == {"SGD", "momentum 0.9"}
    assert losses["momentum 0.9"] < losses["SGD"] / 100
    assert page.locator(".deep-compare .cp-path").count() == 2
    assert page.locator(".deep-compare .cp-cells rect").count() == 41 * 41
    assert page.locator(".deep-compare .lc-svg path, .deep-compare .lc-svg polyline").count() >= 2


def summary_losses(page):
    return {
        item.get_attribute("data-run"): float(item.get_attribute("data-loss"))
        for item in page.locator(".dc-summary li").all()
    }


def test_side_by_side_runs_the_chosen_optimisers(open_lab):
    page = open_ready(open_lab, None)
    page.wait_for_selector(".dc-summary li", timeout=TIMEOUT)
    boxes = page.locator(".dc-choices input[name=compare_run]")
    assert boxes.count() == 6
    assert page.locator(".dc-choices label").all_inner_texts()[4].strip() == "Adam (η = 0.1)"
    page.get_by_label("Adam (η = 0.1)").check()
    page.wait_for_function("document.querySelectorAll('.dc-summary li').length === 3", timeout=TIMEOUT)
    losses = summary_losses(page)
    assert set(losses) == {"SGD", "momentum 0.9", "Adam"}
    assert losses["momentum 0.9"] < losses["SGD"] / 100 and losses["Adam"] < losses["SGD"]
    assert page.locator(".deep-compare .cp-path").count() == 3
    # fewer than two: the simulator's message, the runs shown kept
    page.get_by_label("SGD (η = 1)").uncheck()
    page.wait_for_function("document.querySelectorAll('.dc-summary li').length === 2", timeout=TIMEOUT)
    page.get_by_label("Adam (η = 0.1)").uncheck()
    page.wait_for_function(
        "document.querySelector('.dc-message').textContent.includes('at least two')", timeout=TIMEOUT
    )
    assert set(summary_losses(page)) == {"momentum 0.9", "Adam"}
