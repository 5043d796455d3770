"""nnsim.status through Session.state(): the sentences the page shows are true for the network
as it is now (issue 12: a converged message that went stale, a stuck run with no hint, a cost
chart of averages titled "one example each")."""

import pytest
from nnsim import Session
from nnsim.status import STUCK_WINDOW, count, plain

PLAIN_SGD = {"learning_rate": 0.5, "momentum": 0, "seed": 5}  # converges at iteration 9,521
STUCK = {"learning_rate": 0.5, "momentum": 0, "seed": 477568015}  # input (1, 1) stays near 0.5


def test_numbers_in_sentences():
    assert count(100000) == "100,000" and count(7) == "7"
    assert plain(0.5) == "0.5" and plain(1e6) == "1,000,000" and plain(-0.25) == "\u22120.25"


def test_convergence_says_when_at_which_rate_and_whether_it_still_holds():
    session = Session("xor", PLAIN_SGD, backend="plain")
    assert session.state()["messages"]["convergence"].startswith(
        "Not converged yet after 0 iterations at learning rate 0.5"
    )
    session.train(10_000, budget_ms=1e9)
    state = session.state()
    assert state["converged_at"] == 9521 and state["converged_rate"] == 0.5
    assert state["converged_now"]
    assert state["messages"]["convergence"].startswith(
        "First converged at iteration 9,521 with learning rate 0.5, and still converged now "
        "after 10,000 iterations"
    )
    # A new rate does not rewrite history: the network converged at 0.5.
    state = session.update({"learning_rate": 2})
    assert "with learning rate 0.5," in state["messages"]["convergence"]
    # A huge rate wrecks the network: the page must not keep saying it is converged.
    session.update({"learning_rate": 1e6})
    state = session.train(100, budget_ms=1e9)["state"]
    assert not state["converged_now"] and state["converged_at"] == 9521
    text = state["messages"]["convergence"]
    assert text.startswith(
        "First converged at iteration 9,521 with learning rate 0.5, but it is not converged now"
    )
    assert "learning rate 1,000,000" in text
    wrong = [e for e in state["examples"] if not e["correct"]]
    if wrong:
        assert f"{len(wrong)} of 4 outputs are on the wrong side of 0.5" in text


def test_a_load_keeps_the_rate_and_an_older_save_says_no_rate():
    session = Session("xor", PLAIN_SGD, backend="plain")
    session.train(10_000, budget_ms=1e9)
    saved = session.export()
    copy = Session("xor", backend="plain")
    assert copy.load(saved)["messages"] == session.state()["messages"]
    del saved["progress"]["converged_rate"]  # a save from before the rate was kept
    text = copy.load(saved)["messages"]["convergence"]
    assert text.startswith("First converged at iteration 9,521, and still converged now")


def test_a_stuck_run_says_so_and_a_learning_one_does_not():
    session = Session("xor", STUCK, backend="plain")
    session.train(2 * STUCK_WINDOW - 1, budget_ms=1e9)
    assert session.state()["messages"]["stuck"] is None  # too early to tell
    session.train(40_000, budget_ms=1e9)
    state = session.state()
    text = state["messages"]["stuck"]
    assert state["converged_at"] is None
    assert text.startswith(
        "This run looks stuck: its cost has not fallen over the last "
        "10,000 iterations, while input (1, 1) gives 0.500"
    )
    assert "new random weights" in text
    learning = Session("xor", backend="plain")  # the defaults: converge at 7,173
    while learning.state()["converged_at"] is None:
        learning.train(1_000, budget_ms=1e9)
        assert learning.state()["messages"]["stuck"] is None


def test_the_cost_history_keeps_each_points_lowest_and_highest_single_cost():
    session = Session("xor", STUCK, backend="plain")
    session.train(1000, budget_ms=1e9)
    state = session.state()
    assert state["loss_history_stride"] == 1
    assert state["messages"]["cost_chart"] == (
        "Each point is the cost of the one training example of its iteration."
    )
    assert [[i, v, v] for i, v in state["loss_history"]] == state["loss_spread"]
    session.train(40_000, budget_ms=1e9)
    state = session.state()
    stride = state["loss_history_stride"]
    assert stride > 1 and state["messages"]["cost_chart"].startswith(
        f"Each point is the mean cost over {stride} iterations (one example each)"
    )
    for (i, mean), (j, low, high) in zip(state["loss_history"], state["loss_spread"]):
        assert i == j and low <= mean <= high
    # The stuck example's cost (about 0.125) shows as the band's top, though the means are far
    # lower: the three learnt examples cost almost nothing.
    last = state["loss_spread"][-1]
    assert last[2] == pytest.approx(0.125, abs=0.01) and state["loss_history"][-1][1] < 0.05
    assert last[1] < 0.01
