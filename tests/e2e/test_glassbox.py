"""The Glass box lab end to end: packets, chain rule, markers, MSE versus cross-entropy.

Numbers on the page are checked against the simulator twice over: against the page's own
session (through the test hook) and against the same simulator run here under CPython, which
starts from the same seed and so must agree number for number.
"""

import pytest
from formula_lines import check_redo, close_to, same_as_steps, shown_lines
from nnsim import explain
from nnsim.settings import schema
from page_helpers import pause_and_time

LAB = "glassbox"
TOLERANCE = 1e-9

# Records every packet the lab sends and every phase it goes through, from the DOM.
WATCH_PACKETS = """() => {
  const lab = document.querySelector('.gb');
  window.__gb = {packets: [], phases: []};
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.classList?.contains('gb-packet')) window.__gb.packets.push({
        direction: node.classList.contains('gb-packet--forward') ? 'forward' : 'backward',
        connection: node.dataset.connection.split(',').map(Number),
        value: Number(node.dataset.value)});
    }
  }).observe(lab.querySelector('.gb-network'), {childList: true, subtree: true});
  new MutationObserver(() => window.__gb.phases.push(lab.dataset.phase))
    .observe(lab, {attributes: true, attributeFilter: ['data-phase']});
}"""


def lab(page):
    return page.locator(".gb")


def wait_idle(page):
    """Until the lab has no simulator call or animation under way."""
    page.wait_for_function("document.querySelector('.gb')?.dataset.phase === 'idle'", timeout=30_000)


def wait_epoch(page, epoch):
    wait_idle(page)
    assert lab(page).get_attribute("data-epoch") == str(epoch)


def open_glassbox(open_lab, settings=None):
    page = open_lab(LAB, settings)
    wait_epoch(page, 0)
    return page


def step(page, expected_epoch):
    lab(page).get_by_role("button", name="Step").click()
    wait_epoch(page, expected_epoch)


def values(panel, key):
    """The exact numbers (data-value) a panel printed under one key, in page order."""
    return [
        float(v)
        for v in panel.locator(f"[data-key='{key}']").evaluate_all("nodes => nodes.map(n => n.dataset.value)")
    ]


def select_output_connection_by_keyboard(page):
    """Input neuron 1 -> right to the hidden layer -> right to the output -> C onto its first
    incoming connection (from hidden neuron 1) -> Enter."""
    lab(page).locator(".nv-neuron[data-l='0'][data-j='0']").focus()
    for key in ("ArrowRight", "ArrowRight", "c", "Enter"):
        page.keyboard.press(key)


def click_connection(page, l, j, i):
    """Click the line from neuron i of layer l to neuron j of layer l+1, a third of the way
    along (in a 2-2-1 drawing, crossing lines meet half way)."""
    lab(page).locator(".gb-network").scroll_into_view_if_needed()
    start, end = [
        lab(page).locator(f".nv-neuron[data-l='{layer}'][data-j='{n}']").bounding_box()
        for layer, n in ((l, i), (l + 1, j))
    ]
    centre = [(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2) for b in (start, end)]
    page.mouse.click(
        centre[0][0] + (centre[1][0] - centre[0][0]) / 3, centre[0][1] + (centre[1][1] - centre[0][1]) / 3
    )


def assert_close(shown, expected, what):
    assert shown == pytest.approx(expected, abs=TOLERANCE), what


def test_an_epochs_packets_run_and_end_on_the_simulators_weights(open_lab, bridge, cpython_session):
    page = open_glassbox(open_lab)
    page.evaluate(WATCH_PACKETS)
    expected = cpython_session(LAB).step()

    step(page, 1)

    log = page.evaluate("window.__gb")
    phases = [p for p in log["phases"] if p.endswith("-start")]
    assert phases == ["forward-0-start", "forward-1-start", "backward-1-start", "backward-0-start"]
    # One packet per connection and pass: 2x2 into the hidden layer, 2x1 into the output.
    forward = [p for p in log["packets"] if p["direction"] == "forward"]
    backward = [p for p in log["packets"] if p["direction"] == "backward"]
    assert len(forward) == len(backward) == 6
    sample = expected["examples"][0]  # the panels follow sample 1 by default
    for packet in forward:
        l, j, i = packet["connection"]
        assert_close(packet["value"], sample["a"][l][i], f"forward packet {l, j, i} carries a")
    for packet in backward:
        l, j, i = packet["connection"]
        assert_close(packet["value"], sample["delta"][l][j], f"backward packet {l, j, i} carries delta")

    # Where the packets end: the weights the page's simulator holds, the same as CPython's.
    state = bridge(page, LAB, "state")
    assert state["epoch"] == 1
    weights_panel = lab(page).locator("[data-panel='w']")
    shown_after = values(weights_panel, "w_after")
    flat = [w for matrix in state["weights"] for row in matrix for w in row]
    flat_cpython = [w for matrix in expected["weights_after"] for row in matrix for w in row]
    assert len(shown_after) == len(flat) == 6
    for shown, browser, native in zip(shown_after, flat, flat_cpython):
        assert shown == browser
        assert_close(shown, native, "weight after the epoch")
    assert values(weights_panel, "w_before") != shown_after, "the epoch changed no weight"


CHAIN = ".gb-chain-panel"


def chain_lines(page):
    return shown_lines(page, CHAIN)


def expected_chain(trace, parameter, focus):
    """The chain rule as the panels write it (with the loss lines, on one screen)."""
    return explain.panels(trace, parameter, focus)["chain"]


def assert_chain_shown(page, trace, parameter, focus):
    """The panel shows exactly the simulator's chain rule for this parameter and focus, computed
    here under CPython from the same seed, and every line redoes to its result."""
    page.wait_for_function("window.glassbox.pendingCalls() === 0")
    shown = chain_lines(page)
    check_redo(shown)
    assert same_as_steps(shown, expected_chain(trace, parameter, focus)["steps"]), shown


def test_chain_rule_panel_shows_the_traces_numbers(open_lab, cpython_session):
    page = open_glassbox(open_lab)
    trace = cpython_session(LAB).step()
    step(page, 1)
    panel = lab(page).locator(CHAIN)

    # Output connection w from hidden 1 to the output: code (l=1, j=0, i=0), sample 1.
    select_output_connection_by_keyboard(page)
    assert "Sample 1 of 4" in panel.inner_text() and "(hidden 1 → output)" in panel.inner_text()
    output_weight = {"kind": "weight", "index": [1, 0, 0]}
    assert_chain_shown(page, trace, output_weight, 0)
    ex = trace["examples"][0]
    shown = chain_lines(page)
    assert close_to(shown[0]["result"], ex["grad_weights"][1][0][0]), "dE/dw for sample 1"
    assert close_to(shown[-1]["result"], trace["weights_after"][1][0][0]), "w after the update"
    # The update line carries enough digits to show the change, and the learning rate.
    assert rf" - {trace['learning_rate']:g} \times " in shown[-1]["substituted"]

    # Hidden connection from input 2 to hidden 1, code (l=0, j=0, i=1), for sample 3.
    lab(page).locator("select[name=focus]").select_option("2")
    wait_idle(page)
    click_connection(page, 0, 0, 1)
    assert "Sample 3 of 4" in panel.inner_text()
    assert_chain_shown(page, trace, {"kind": "weight", "index": [0, 0, 1]}, 2)

    # The average: every sample's dE/dw, then the mean the update used.
    lab(page).locator("select[name=focus]").select_option("average")
    wait_idle(page)
    assert "Average over the 4 samples" in panel.inner_text()
    assert_chain_shown(page, trace, {"kind": "weight", "index": [0, 0, 1]}, "average")

    # A neuron stands for its bias: dE/db = delta, here the output's, averaged over samples.
    lab(page).locator(".nv-neuron[data-l='2'][data-j='0']").click()
    wait_idle(page)
    assert "Chain rule for" in panel.inner_text() and "(bias of output)" in panel.inner_text()
    assert_chain_shown(page, trace, {"kind": "bias", "index": [1, 0]}, "average")


def test_hidden_and_output_deltas_are_written_their_own_way(open_lab, cpython_session):
    page = open_glassbox(open_lab)
    trace = cpython_session(LAB).peek()  # the previewed epoch 1 the panel shows
    select_output_connection_by_keyboard(page)
    assert_chain_shown(page, trace, {"kind": "weight", "index": [1, 0, 0]}, 0)
    [raw, _, _] = shown_lines(page, f"{CHAIN} [data-part='chain-delta']")
    assert raw["general"].endswith("= a_{1}^{(3)} - y"), "the output's raw error is a - y"

    click_connection(page, 0, 1, 0)
    assert_chain_shown(page, trace, {"kind": "weight", "index": [0, 1, 0]}, 0)
    # The backprop sum, term by term: one w·δ per neuron of the next layer (here one).
    [raw, _, _] = shown_lines(page, f"{CHAIN} [data-part='chain-delta']")
    assert raw["general"].endswith(r"= w_{21}^{(3)} \delta_{1}^{(3)}")


def test_cross_entropy_with_sigmoid_shows_the_cancellation(open_lab, cpython_session):
    settings = {"loss": "cross_entropy"}
    page = open_glassbox(open_lab, settings)
    trace = cpython_session(LAB, settings).step()
    step(page, 1)
    select_output_connection_by_keyboard(page)
    assert_chain_shown(page, trace, {"kind": "weight", "index": [1, 0, 0]}, 0)
    delta = lab(page).locator(f"{CHAIN} [data-part='chain-delta']")
    assert "the slope cancels" in delta.inner_text()
    [line] = shown_lines(page, f"{CHAIN} [data-part='chain-delta']")
    assert line["general"] == r"\delta_{1}^{(3)} = a_{1}^{(3)} - y"
    assert close_to(line["result"], trace["examples"][0]["delta"][1][0]), "delta = a - y"


def test_every_value_panel_line_redoes(open_lab, cpython_session):
    page = open_glassbox(open_lab)
    step(page, 1)
    shown = shown_lines(page, "[data-panel='loss']")
    check_redo(shown)
    trace = cpython_session(LAB).step()
    assert shown == [
        {k: ln[k] for k in ("general", "substituted", "result")} for ln in explain.loss_lines(trace)
    ]


def test_cross_entropy_is_offered_only_for_a_sigmoid_output(open_lab, bridge):
    page = open_glassbox(open_lab, {"loss": "cross_entropy"})
    controls = lab(page)
    loss = controls.locator("select[name=loss]")
    output = controls.locator("select[name=output_activation]")
    output.select_option("tanh")
    wait_idle(page)
    assert bridge(page, LAB, "state")["settings"]["loss"] == "mse"
    assert loss.input_value() == "mse"
    assert loss.locator("option[value='cross_entropy']").is_disabled()
    reason = controls.locator("#glassbox-loss-reason")
    [rule] = schema(LAB)["rules"]
    assert reason.is_visible() and reason.inner_text() == rule["reason"]
    assert (
        "Cross-entropy needs Output activation Sigmoid, so Loss is back to Mean squared error (MSE)."
    ) in page.inner_text("#notices")
    output.select_option("sigmoid")
    wait_idle(page)
    assert loss.locator("option[value='cross_entropy']").is_enabled()
    assert reason.is_hidden()


def test_saturation_marker_on_the_saturated_scenario(open_lab, bridge):
    page = open_glassbox(open_lab, {"scenario": "saturated"})
    flags = bridge(page, LAB, "state")["neuron_flags"]
    assert flags["saturated"] == [[2, 0]]
    marker = lab(page).locator(".gb-marker--saturated")
    assert marker.count() == 1
    assert marker.get_attribute("data-neuron") == "2,0"
    assert "slope" in marker.get_attribute("aria-label")
    marker.hover()
    tip = lab(page).locator(".gb-network > .tooltip")
    assert tip.is_visible()
    assert tip.inner_text().startswith("Saturated: this neuron's slope")
    assert tip.inner_text().count(". ") == 0, "the explanation is one sentence"


def set_selected_parameter(page, value):
    editor = lab(page).locator(".gb-editor")
    editor.locator("input").fill(str(value))
    editor.get_by_role("button", name="Set").click()
    wait_idle(page)


def test_dying_relu_marker_on_a_constructed_dead_neuron(open_lab, bridge):
    page = open_glassbox(open_lab, {"hidden_activation": "relu"})
    assert lab(page).locator(".gb-marker--dead_relu").count() == 0
    # Hidden neuron 1 gets weights and a bias, typed in, that keep z <= 0 for every input in
    # {0, 1}^2: bias -0.5, both incoming weights -1.
    lab(page).locator(".nv-neuron[data-l='1'][data-j='0']").click()
    set_selected_parameter(page, -0.5)
    for i in (0, 1):
        click_connection(page, 0, 0, i)
        set_selected_parameter(page, -1)  # typed at once: the editor already names the click
    state = bridge(page, LAB, "state")
    assert state["weights"][0][0] == [-1, -1] and state["biases"][0][0] == -0.5
    assert state["neuron_flags"]["dead_relu"] == [[1, 0]]
    marker = lab(page).locator(".gb-marker--dead_relu")
    assert marker.count() == 1
    assert marker.get_attribute("data-neuron") == "1,0"
    assert "every training sample" in marker.get_attribute("aria-label")
    # It stays dead: its slope is 0 for every sample, so nothing flows back into it.
    step(page, 1)
    step(page, 2)
    assert bridge(page, LAB, "state")["weights"][0][0] == [-1, -1]
    assert lab(page).locator(".gb-marker--dead_relu").get_attribute("data-neuron") == "1,0"


def test_a_bad_parameter_value_is_refused_next_to_the_field(open_lab, bridge):
    page = open_glassbox(open_lab)
    before = bridge(page, LAB, "state")["weights"]
    editor = lab(page).locator(".gb-editor")
    editor.locator("input").fill("1e400")
    editor.get_by_role("button", name="Set").click()
    wait_idle(page)
    assert editor.locator("input").get_attribute("aria-invalid") == "true"
    assert "New value" in editor.locator(".field-message").inner_text()
    assert bridge(page, LAB, "state")["weights"] == before


def test_mse_curve_stays_flat_and_cross_entropy_falls_on_the_same_weights(open_lab, bridge):
    page = open_glassbox(open_lab, {"scenario": "saturated"})
    controls = lab(page)
    controls.locator("select[name=speed]").select_option("0")
    controls.locator("input[name=epochs_per_second]").fill("60")
    play = controls.get_by_role("button", name="Play")

    def play_epochs(count):
        """Play until `count` more epochs are taken (the machine's speed varies), then pause."""
        until = int(lab(page).get_attribute("data-epoch")) + count
        play.click()
        page.wait_for_function(
            "(n) => +document.querySelector('.gb').dataset.epoch >= n", arg=until, timeout=60_000
        )
        controls.get_by_role("button", name="Pause").click()
        wait_idle(page)

    play_epochs(15)
    weights_at_switch = bridge(page, LAB, "state")["weights"]
    controls.locator("select[name=loss]").select_option("cross_entropy")
    wait_idle(page)
    assert bridge(page, LAB, "state")["settings"]["loss"] == "cross_entropy"
    assert bridge(page, LAB, "state")["weights"] == weights_at_switch, "switching kept the weights"
    play_epochs(15)

    curves = page.evaluate("JSON.parse(document.querySelector('.gb-chart').dataset.curves)")
    assert [c["loss"] for c in curves] == ["mse", "cross_entropy"]
    mse = [loss for _, loss in curves[0]["points"]]
    ce = [loss for _, loss in curves[1]["points"]]
    print(
        f"\nMSE: {len(mse)} epochs, {mse[0]:.6f} -> {mse[-1]:.6f}; "
        f"cross-entropy: {len(ce)} epochs, {ce[0]:.4f} -> {ce[-1]:.4f}"
    )
    assert len(mse) >= 15 and len(ce) >= 15
    assert max(mse) - min(mse) < 1e-3 * mse[0], "MSE on a saturated output barely moves"
    assert ce[-1] < 0.5 * ce[0], "cross-entropy learns at once on the same weights"
    # The cross-entropy curve starts where the MSE one stopped, and both are drawn.
    assert curves[1]["points"][0][0] == curves[0]["points"][-1][0] + 1
    legend = controls.locator(".gb-chart svg").text_content()
    assert "MSE" in legend and "Cross-entropy" in legend


def test_reduced_motion_updates_at_once(open_lab, page, bridge):
    page.emulate_media(reduced_motion="reduce")
    open_glassbox(open_lab)
    page.evaluate(WATCH_PACKETS)
    assert lab(page).locator("select[name=speed]").is_disabled()
    assert lab(page).get_by_text("reduced motion").is_visible()
    step(page, 1)
    assert page.evaluate("window.__gb.packets.length") == 0
    assert bridge(page, LAB, "state")["epoch"] == 1
    assert "epoch 1's, just taken" in lab(page).locator(".gb-epoch-note").inner_text()


def test_seed_field_and_new_random_weights_and_the_labs_chrome(open_lab, bridge, cpython_session):
    """Issue 12: the glass box had no seed field or New random weights (Restart gives the same
    weights), an h2 for its title and a white Play where the other labs' are blue."""
    page = open_lab("glassbox")
    page.wait_for_function("!document.querySelector('#lab-root [data-needs-python]:disabled')")
    assert page.locator("#lab-root h1").inner_text() == "Glass box: backpropagation in a 2-2-1 network"
    play = page.locator("#lab-root button[name='play']")
    assert "primary" in play.get_attribute("class")
    assert play.evaluate("b => getComputedStyle(b).backgroundColor") != "rgb(255, 255, 255)"
    page.fill("#glassbox-seed", "7")
    page.press("#glassbox-seed", "Enter")
    page.wait_for_function("() => location.hash.includes('seed=7')", timeout=60_000)
    page.wait_for_function("window.glassbox.pendingCalls() === 0")
    state = bridge(page, "glassbox", "state")
    assert state["settings"]["seed"] == 7
    assert state["weights"] == cpython_session("glassbox", {"seed": 7}).state()["weights"]
    page.get_by_role("button", name="New random weights").click()
    page.wait_for_function("document.querySelector('#glassbox-seed').value !== '7'", timeout=60_000)
    page.wait_for_function("window.glassbox.pendingCalls() === 0")
    seed = int(page.input_value("#glassbox-seed"))
    state = bridge(page, "glassbox", "state")
    assert state["settings"]["seed"] == seed and state["iteration"] == 0
    assert state["weights"] == cpython_session("glassbox", {"seed": seed}).state()["weights"]


def test_train_100_and_1000_epochs_learn_and_without_animation_and_pause_answers(open_lab, bridge):
    """Issue 12: at 5 epochs a second AND took about 10 minutes. Train N runs in chunks; the
    Play button is Pause meanwhile and stops it."""
    import time

    page = open_lab("glassbox")
    page.wait_for_function("!document.querySelector('#lab-root [data-needs-python]:disabled')")
    started = time.perf_counter()
    for _ in range(3):
        page.get_by_role("button", name="Train 1,000 epochs").click()
        page.wait_for_function(
            "window.glassbox.pendingCalls() === 0 && "
            "document.querySelector(\"button[name='play']\").textContent === 'Play'",
            timeout=120_000,
        )
    page.wait_for_function("document.querySelector('.gb').dataset.epoch === '3000'", timeout=60_000)
    print(f"\nGlass box AND, three Train 1,000 epochs: {time.perf_counter() - started:.1f} s")
    state = bridge(page, "glassbox", "state")
    assert state["epoch"] == 3000
    assert state["converged_at"] is not None  # AND learnt (the reference needs about 2,944)
    assert page.locator(".gb path.lc-line").count() > 0  # the loss curve got the epochs
    # Pause answers: a Train 1,000 paused the moment it starts (before its first chunks can
    # come back; 1,000 epochs take well under a second) stops well short of 1,000 more.
    page.evaluate("""async () => {
        [...document.querySelectorAll('.gb button')].find(b => b.textContent === 'Train 1,000 epochs').click();
        const pause = document.querySelector(".gb button[name='play']");
        while (pause.textContent !== 'Pause') await new Promise(resolve => setTimeout(resolve, 1));
        pause.click();
    }""")
    page.wait_for_function(
        "window.glassbox.pendingCalls() === 0 && "
        "document.querySelector(\"button[name='play']\").textContent === 'Play'",
        timeout=60_000,
    )
    page.wait_for_timeout(500)
    assert 3000 <= bridge(page, "glassbox", "state")["epoch"] < 4000


def test_hover_or_focus_previews_a_chain_rule_and_a_click_pins_it(open_lab):
    """Issue 12: the reference shows a connection's chain rule on hover; ours needed a click."""
    page = open_lab("glassbox")
    page.wait_for_function("!document.querySelector('#lab-root [data-needs-python]:disabled')")
    page.wait_for_selector(".gb-chain-panel .katex", timeout=60_000)
    panel = page.locator(".gb-chain-panel")
    pinned = panel.inner_text()
    hit = page.locator(".gb-network-view [data-kind='neuron'][data-l='2']").first  # the output's bias
    hit.hover()
    page.wait_for_function(
        "t => document.querySelector('.gb-chain-panel').innerText !== t", arg=pinned, timeout=30_000
    )
    previewed = panel.inner_text()
    page.mouse.move(0, 0)  # the pointer leaves: back to the pinned parameter
    page.wait_for_function(
        "t => document.querySelector('.gb-chain-panel').innerText === t", arg=pinned, timeout=30_000
    )
    hit.hover()
    page.wait_for_function(
        "t => document.querySelector('.gb-chain-panel').innerText === t", arg=previewed, timeout=30_000
    )
    hit.click()  # pinned: it stays when the pointer leaves
    page.mouse.move(0, 0)
    page.wait_for_timeout(500)
    page.wait_for_function("window.glassbox.pendingCalls() === 0")
    assert panel.inner_text() == previewed


def test_fast_play_learns_and_in_seconds_and_pause_stops_it(open_lab, bridge):
    """Issue 12: Play at the default rate took about 10 minutes to learn AND. Fast Play runs on
    the shell's training loop in chunks, without packets: AND is learnt (converged at epoch
    2,944 for the default seed) within a minute of wall time, and Pause stops it at once."""
    import time

    page = open_glassbox(open_lab)
    page.evaluate(WATCH_PACKETS)
    controls = lab(page)
    controls.get_by_label("Fast Play").check()
    assert controls.locator("input[name=epochs_per_second]").is_disabled()
    started = time.perf_counter()
    controls.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function("+document.querySelector('.gb').dataset.epoch > 2944", timeout=60_000)
    seconds = time.perf_counter() - started
    assert "Playing fast" in controls.locator(".gb-caption").inner_text()
    latency = pause_and_time(page)
    wait_idle(page)
    print(f"\nGlass box AND, fast Play: epoch 2,944 after {seconds:.1f} s; Pause took {latency:.0f} ms")
    assert controls.locator("button[name='play']").inner_text() == "Play"
    state = bridge(page, LAB, "state")
    assert state["converged_at"] == 2944, "AND learnt, as the simulator under CPython learns it"
    assert lab(page).get_attribute("data-epoch") == str(state["epoch"])
    page.wait_for_timeout(500)
    assert bridge(page, LAB, "state")["epoch"] == state["epoch"], "Pause stopped the run"
    assert page.evaluate("window.__gb.packets.length") == 0, "a fast Play sends no packets"
    # It lands on the preview of the next epoch, as after Train N, with the loss curve drawn.
    assert f"preview epoch {state['epoch'] + 1}" in controls.locator(".gb-epoch-note").inner_text()
    assert page.locator(".gb path.lc-line").count() > 0


PARTS = {
    "chain": CHAIN,
    "loss": "[data-panel='loss']",
    "a": "[data-panel='a']",
    "delta": "[data-panel='delta']",
    "w": "[data-panel='w']",
}


def trace_epochs(page):
    """The epoch counter of the trace each panel shows (its data-trace-epoch)."""
    return {
        name: int(lab(page).locator(selector).get_attribute("data-trace-epoch"))
        for name, selector in PARTS.items()
    }


def test_while_playing_a_panel_out_of_view_waits_and_catches_up_in_view(open_lab, bridge):
    """Issue 17: typesetting the panels nobody sees made a frame of 50-300 ms every epoch or two.
    While playing, a panel out of view keeps the epoch it showed; scrolled into view, it shows
    the epoch the others show; at Pause every panel shows the last epoch taken, with the
    simulator's numbers."""
    page = open_glassbox(open_lab)
    controls = lab(page)
    controls.locator("select[name=speed]").select_option("0")
    controls.locator("input[name=epochs_per_second]").fill("4")
    weights = controls.locator(PARTS["w"])
    page.evaluate("window.scrollTo(0, 0)")
    viewport = page.viewport_size["height"]
    assert weights.bounding_box()["y"] > viewport + 400, "the weights table starts out of view"
    assert trace_epochs(page) == dict.fromkeys(PARTS, 0)

    controls.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function(f"+document.querySelector('{CHAIN}').dataset.traceEpoch >= 2", timeout=30_000)
    assert trace_epochs(page)["w"] == 0, "the table out of view was not redrawn while playing"

    # In view, it follows the run (the chain rule, now out of view, waits in its turn).
    weights.scroll_into_view_if_needed()
    page.wait_for_function(f'+document.querySelector("{PARTS["w"]}").dataset.traceEpoch >= 3', timeout=30_000)
    assert trace_epochs(page)["chain"] < trace_epochs(page)["w"]
    assert page.evaluate("document.querySelector('.gb button[name=play]').textContent") == "Pause"

    controls.get_by_role("button", name="Pause").click()
    wait_idle(page)
    state = bridge(page, LAB, "state")
    assert trace_epochs(page) == dict.fromkeys(PARTS, state["epoch"] - 1), "every panel shows the last epoch"
    flat = [w for matrix in state["weights"] for row in matrix for w in row]
    assert values(weights, "w_after") == flat


def test_a_new_epoch_typesets_only_the_chain_rules_formulas_that_changed(open_lab, cpython_session):
    """Issue 17: from one epoch to the next only the numbers change; the general formulas,
    most of the chain rule's elements, stay as they were typeset, and every line is the new
    epoch's."""
    page = open_glassbox(open_lab)
    session = cpython_session(LAB)
    select_output_connection_by_keyboard(page)
    wait_idle(page)
    output_weight = {"kind": "weight", "index": [1, 0, 0]}
    step(page, 1)
    assert_chain_shown(page, session.step(), output_weight, 0)
    marked = page.evaluate("""() => {
        const parts = [...document.querySelectorAll('.gb-chain-panel .fx-tex')];
        parts.forEach(part => { part.firstElementChild.__typeset = true; });
        return parts.length;
    }""")
    step(page, 2)
    assert_chain_shown(page, session.step(), output_weight, 0)
    kept = page.evaluate("""() => [...document.querySelectorAll('.gb-chain-panel .fx-line > .fx-tex')]
        .map(part => [part.classList.contains('fx-general'), part.firstElementChild.__typeset === true])""")
    assert len(kept) == marked - 1  # all but the heading's symbol are the lines' parts
    assert all(was_kept for general, was_kept in kept if general), "a general formula was typeset again"
    assert not all(was_kept for general, was_kept in kept if not general), "no number changed"
