"""Every number the simulator computed or holds is shown as the text Python wrote beside it
(the bridge's `*_label(s)`): the network's tooltips, the XOR table (its walkthrough row as the
formulas write it), the Deep lab's optimiser comparison and the Playground's measures. Each is
read back from the page and compared with what the simulator sent."""

from formula_lines import shown_lines
from test_playground import click_at
from writings import plain_text

TIMEOUT = 60_000
WALK = ".xor-walk .xw-body"


def tooltip(page, scope):
    tip = page.locator(f"{scope} .tooltip")
    tip.wait_for(state="visible", timeout=TIMEOUT)
    return tip.inner_text()


def focus_network(page, scope, keys):
    page.focus(f"{scope} [tabindex='0']")
    for key in keys:
        page.keyboard.press(key)


def go_to_step(page, steps, step_id):
    index = next(k for k, step in enumerate(steps) if step["id"] == step_id)
    page.click(f".xw-chip[data-step='{index}']")
    page.wait_for_selector(f".xw-chip[data-step='{index}'][aria-current='step']", timeout=TIMEOUT)
    return index


def test_xor_tooltips_show_the_walkthroughs_writing(open_lab, bridge):
    page = open_lab("xor")
    page.wait_for_selector(".xw-chip[aria-current='step']", timeout=TIMEOUT)
    preview = bridge(page, "xor", "preview")
    index = go_to_step(page, preview["steps"], "forward-2")
    # The hidden layer's first neuron: its activation as the forward step wrote it.
    focus_network(page, ".xor-network", ["ArrowRight"])
    written = preview["activation_labels"][1][0]
    assert tooltip(page, ".xor-network").endswith(f"= {written}")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").endswith(
        f"activation {written}"
    )
    # Its first incoming connection: the weight printed on it, the walkthrough's label.
    page.keyboard.press("c")
    printed = page.locator(".xor-network .xw-weights text").first.text_content()
    assert printed == preview["labels"][index][0][0][0]
    assert f"= {printed} (" in tooltip(page, ".xor-network")


def test_xor_table_writes_the_walkthrough_rows_output_and_cost_as_the_formulas_do(open_lab, bridge):
    page = open_lab("xor")
    page.wait_for_selector(".xw-chip[aria-current='step']", timeout=TIMEOUT)
    page.click("[data-run='100']")
    page.wait_for_function(
        "document.querySelector(\"[data-stat='iteration']\").textContent === '100'", timeout=180_000
    )
    page.wait_for_selector(".xw-chip[aria-current='step']", timeout=TIMEOUT)
    state, preview = bridge(page, "xor", "state"), bridge(page, "xor", "preview")
    go_to_step(page, preview["steps"], "cost")
    cost = shown_lines(page, WALK)[-1]
    row = page.locator(".xor-table tbody tr[aria-current='true'] td")
    assert row.nth(4).inner_text() == plain_text(cost["result"]) == preview["loss_label"]
    assert row.nth(3).inner_text() == preview["activation_labels"][-1][0]
    # Every other row: the state's text of its example.
    rows = page.locator(".xor-table tbody tr")
    current = preview["trace"]["example_index"]
    others = [k for k in range(4) if k != current]
    for k in others:
        cells = rows.nth(k).locator("td")
        example = state["examples"][k]
        assert [cells.nth(c).inner_text() for c in (3, 4)] == [
            example["output_labels"][0],
            example["loss_label"],
        ]
    # After 100 iterations some costs are below 0.1, where the rule writes 5 decimals (0.08123).
    assert any(state["examples"][k]["loss"] < 0.1 for k in range(4))


def test_deep_tooltips_show_the_formulas_biases_and_activations(open_lab, bridge):
    page = open_lab("deep")
    page.wait_for_selector(".df-cost .fx-line", timeout=TIMEOUT)
    page.wait_for_function("window.glassbox.pendingCalls() === 0", timeout=TIMEOUT)
    preview = bridge(page, "deep", "preview")
    focus_network(page, ".deep-network-view", ["ArrowRight"])
    tip = tooltip(page, ".deep-network-view")
    assert f"= {preview['activation_labels'][1][0]}\n" in tip
    assert tip.endswith(f"= {preview['bias_labels'][0][0]}")
    page.keyboard.press("c")
    assert f"= {preview['labels'][0][0][0][0]} (" in tooltip(page, ".deep-network-view")


def test_the_optimiser_comparison_prints_the_simulators_text(open_lab, bridge):
    page = open_lab("deep")
    summary = page.locator(".dc-summary li")
    summary.first.wait_for(timeout=TIMEOUT)
    answer = bridge(page, "deep", "compare")
    assert summary.all_inner_texts() == [
        f"{run['label']}: loss {labels['loss']} after {answer['steps']} steps"
        for run, labels in zip(answer["runs"], answer["labels"]["runs"])
    ]
    choices = page.locator(".dc-boxes label").all_inner_texts()
    assert [c.strip() for c in choices] == [
        f"{c['label']} (η = {c['learning_rate_label']})" for c in answer["example"]["choices"]
    ]
    plot = page.locator(".deep-compare .cp-svg").get_attribute("aria-label")
    assert f"{answer['labels']['surface']['min']} (lightest)" in plot
    for run, labels in zip(answer["runs"], answer["labels"]["runs"]):
        assert f"{run['label']} ends at ({', '.join(labels['path_end'])})" in plot


def test_the_playgrounds_measures_are_the_simulators_text(open_lab, bridge):
    page = open_lab("playground")
    page.locator(".pg-measures [data-measure='train_loss']").wait_for(timeout=TIMEOUT)
    page.wait_for_function("window.glassbox.pendingCalls() === 0", timeout=TIMEOUT)
    state = bridge(page, "playground", "state")
    for key, label in state["measure_labels"].items():
        if label is not None:
            assert page.inner_text(f".pg-measures [data-measure='{key}'] strong") == label, key
    chart = page.locator(".pg-chart svg.lc-svg").get_attribute("aria-label")
    assert f"Training loss {state['history_labels']['train_loss']} at" in chart


def test_a_followed_point_is_written_as_its_formulas_write_it(open_lab, bridge):
    page = open_lab("playground")
    page.wait_for_function("document.querySelector('.pg')?.dataset.phase === 'idle'", timeout=TIMEOUT)
    data = bridge(page, "playground", "data")
    point = next(n for n in range(len(data["x1"])) if not data["test"][n])
    click_at(page, data["x1"][point], data["x2"][point])
    page.wait_for_function("document.querySelector('.pg')?.dataset.phase === 'idle'", timeout=TIMEOUT)
    answer = bridge(page, "playground", "follow", {"point": point})
    x1, x2 = answer["coordinate_labels"]
    assert f"Point {point + 1} at ({x1}, {x2})," in page.inner_text(".pg-follow-intro")
    focus_network(page, ".pg-network", ["ArrowRight", "c"])
    assert f"= {answer['weight_labels'][0][0][0]} (" in tooltip(page, ".pg-network")
