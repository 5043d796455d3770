"""XOR lab: what the page says about the network is true now (issue 12): the converged message
after a rate change, a stuck run's hint and its way out, a cost chart whose points are labelled
and show the single examples' spread, and a seed box that fits its seed."""

import json

from test_xor import TIMEOUT, open_walkthrough, wait_iterations

PLAIN_SGD = {"learning_rate": 0.5, "momentum": 0, "seed": 5}  # converges at iteration 9,521
STUCK = {"learning_rate": 0.5, "momentum": 0, "seed": 477568015}  # input (1, 1) stays near 0.5


def wait_text(page, selector, text):
    page.wait_for_function(
        "([s, t]) => document.querySelector(s).textContent === t", arg=[selector, text], timeout=TIMEOUT
    )


def test_the_converged_message_describes_the_network_now(open_lab, bridge):
    page = open_walkthrough(open_lab, PLAIN_SGD)
    page.click("[data-run='10000']")
    wait_iterations(page, 10_000)
    assert page.inner_text("[data-stat='iteration']") == "10,000"
    state = bridge(page, "xor", "state")
    wait_text(page, ".xp-convergence", state["messages"]["convergence"])
    assert page.inner_text(".xp-convergence").startswith(
        "First converged at iteration 9,521 with learning rate 0.5, and still converged now"
    )

    page.fill("#xor-learning_rate", "1000000")
    page.press("#xor-learning_rate", "Enter")
    page.wait_for_function(
        "document.querySelector('.xw-example').textContent.includes('η = 1 × 10⁶')", timeout=TIMEOUT
    )  # as the walkthrough's formulas write the rate (explain's givens)
    # The new rate is not the rate it converged at.
    assert "with learning rate 0.5," in page.inner_text(".xp-convergence")
    page.click("[data-run='100']")
    wait_iterations(page, 10_100)
    state = bridge(page, "xor", "state")
    assert not state["converged_now"]
    wait_text(page, ".xp-convergence", state["messages"]["convergence"])
    text = page.inner_text(".xp-convergence")
    assert text.startswith(
        "First converged at iteration 9,521 with learning rate 0.5, but it is "
        "not converged now, after 10,100 iterations at learning rate 1,000,000"
    )


def import_session(page, tmp_path, session):
    path = tmp_path / "xor-session.json"
    path.write_text(json.dumps(session.export()))
    page.locator("[data-saved-file]").set_input_files(str(path))


def test_a_stuck_run_says_so_and_offers_new_weights(open_lab, bridge, cpython_session, tmp_path):
    stuck = cpython_session("xor", STUCK)
    stuck.train(40_000, budget_ms=1e9)
    expected = stuck.state()
    assert expected["messages"]["stuck"]
    page = open_walkthrough(open_lab)
    assert page.locator(".xp-stuck").is_hidden()
    import_session(page, tmp_path, stuck)
    page.wait_for_selector(".xp-stuck:not([hidden])", timeout=TIMEOUT)
    assert page.inner_text(".xp-stuck-text") == expected["messages"]["stuck"]
    assert "input (1, 1) gives 0.50" in page.inner_text(".xp-stuck-text")
    # The seed box shows the whole seed.
    assert page.input_value("#xor-seed") == "477568015"
    assert page.eval_on_selector("#xor-seed", "e => e.scrollWidth <= e.clientWidth")

    # The chart's points are labelled, and the stuck example's cost shows as the band's top.
    caption = page.inner_text(".xp-cost-caption")
    assert caption == expected["messages"]["cost_chart"]
    assert caption.startswith(
        f"Each point is the mean cost over {expected['loss_history_stride']} iterations"
    )
    assert page.locator(".xp-cost path.lc-band").count() == 1

    page.click("[data-action='stuck-new-weights']")
    page.wait_for_function("document.querySelector('#xor-seed').value !== '477568015'", timeout=TIMEOUT)
    page.wait_for_selector(".xp-stuck[hidden]", state="attached", timeout=TIMEOUT)
    state = bridge(page, "xor", "state")
    assert state["iteration"] == 0 and state["settings"]["seed"] == int(page.input_value("#xor-seed"))
