"""The Playground's optimisers and regularisation through its page: a followed point's Adam
update of a selected weight against Adam computed here from its formulas (gradients by central
differences of an independent forward pass), the optimiser's controls changing a running
training without resetting it, L1's zeros marked on the connections and the penalty shown."""

import json
import math

from formula_lines import check_redo, close_to, shown_lines
from test_playground import click_at, forward, idle, lab, measure, open_playground, select_weight_1_0_1


def mean_loss(settings, weights, biases, points):
    return math.fsum(forward(settings, weights, biases, p) for p in points) / len(points)


def mean_gradient(saved, points, l, j, i, h=1e-6):
    """d(mean loss over points)/d weights[l][j][i] by central differences."""

    def loss_with(delta):
        weights = json.loads(json.dumps(saved["weights"]))
        weights[l][j][i] += delta
        return mean_loss(saved["settings"], weights, saved["biases"], points)

    return (loss_with(h) - loss_with(-h)) / (2 * h)


def step(page):
    """One batch (the click queues the step at once, so the lab is busy until it is shown)."""
    lab(page).locator("button[name=step]").click()
    idle(page)


def test_followed_points_adam_update_against_adams_formulas(open_lab, bridge):
    eta, beta1, beta2, eps = 0.05, 0.8, 0.99, 1e-8
    # 20 points, 10 of them for training, in one batch: every step is the whole training set
    page = open_playground(
        open_lab,
        {
            "points": 20,
            "batch_size": 10,
            "optimizer": "adam",
            "learning_rate": eta,
            "beta1": beta1,
            "beta2": beta2,
        },
    )
    assert lab(page).locator("select[name=optimizer]").input_value() == "adam"
    data = bridge(page, "playground", "data")
    training = [
        (data["x1"][n], data["x2"][n], data["label"][n])
        for n in range(len(data["x1"]))
        if not data["test"][n]
    ]
    assert len(training) == 10
    l, j, i = 1, 0, 1
    m = v = 0.0
    for t in range(1, 4):
        saved = bridge(page, "playground", "export")
        g = mean_gradient(saved, training, l, j, i)
        w = saved["weights"][l][j][i]
        m_old, v_old = m, v
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        w_new = w - eta * m_hat / (math.sqrt(v_hat) + eps)
        if t < 3:
            step(page)
    point = next(n for n in range(len(data["x1"])) if not data["test"][n])
    click_at(page, data["x1"][point], data["x2"][point])
    idle(page)
    select_weight_1_0_1(page)
    body = ".pg-follow-body [data-step='update']"
    assert (
        "weight from hidden 1 neuron 2 to hidden 2 neuron 1"
        in lab(page).locator(".pg-follow-body").inner_text()
    )
    assert "(Adam, step t = 3)" in lab(page).locator(f"{body} h4").inner_text()
    shown = shown_lines(page, body)
    check_redo(shown)
    *moments, update = shown
    assert update["general"].startswith(r"w_{21}^{(3)} := w_{21}^{(3)} - \eta")
    assert close_to(update["result"], w_new), (update, w_new)
    for expected, line in zip((m, v, m_hat, v_hat), moments):
        assert close_to(line["result"], expected), (line, expected)
    rows = page.evaluate(
        """(scope) => [...document.querySelectorAll(scope + ' .df-state tbody tr')]
        .map(row => ({name: row.dataset.state, tex: [...row.querySelectorAll('td')].map(cell => {
            const a = cell.querySelector('annotation'); return a ? a.textContent : null; })}))""",
        body,
    )
    state = {row["name"]: row["tex"] for row in rows}
    assert close_to(state["first_moment"][0], m_old) and close_to(state["first_moment"][1], m)
    assert close_to(state["second_moment"][0], v_old) and close_to(state["second_moment"][1], v)
    # the conventions write Adam's rule
    assert r"\hat{m}" in page.evaluate("""() => [...document.querySelectorAll(
        '.pg-follow-body details annotation')].map(a => a.textContent).join(' ')""")


def test_optimiser_controls_keep_the_training_and_l1_zeros_are_marked(open_lab, bridge):
    page = open_playground(open_lab)
    step(page)
    step(page)
    before = bridge(page, "playground", "state")
    assert lab(page).locator("[data-setting='momentum']").is_hidden()
    lab(page).locator("select[name=optimizer]").select_option("momentum")
    idle(page)
    assert lab(page).locator("[data-setting='momentum']").is_visible()
    lab(page).locator("select[name=regularization]").select_option("l1")
    idle(page)
    rate = lab(page).locator("#playground-regularization_rate")
    rate.fill("0.3")
    rate.press("Enter")
    idle(page)
    after = bridge(page, "playground", "state")
    # nothing started again: the same weights, iterations and history
    assert (after["weights"], after["iteration"], after["history"]) == (
        before["weights"],
        before["iteration"],
        before["history"],
    )
    assert after["settings"]["optimizer"] == "momentum"
    assert "optimizer=momentum" in page.url and "regularization=l1" in page.url
    for _ in range(4):
        step(page)
    weights = bridge(page, "playground", "state")["weights"]
    zeros = sum(w == 0.0 for m in weights for row in m for w in row)
    assert zeros > 0
    assert lab(page).locator(".dz-zeros text").count() == zeros
    flat = [w for m in weights for row in m for w in row]
    assert abs(measure(page, "penalty") - 0.3 * math.fsum(map(abs, flat))) <= 5e-5
