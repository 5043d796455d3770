"""XOR walkthrough lab in Chromium: the ten steps show the simulator's numbers, the displayed
arithmetic redoes, navigation, training, convergence, seed and learning rate."""

import re

from formula_lines import check_redo, close_to, same_as_steps, shown_lines
from nnsim.explain import explain_trace

WALK = ".xor-walk .xw-body"
TIMEOUT = 60_000


def open_walkthrough(open_lab, settings=None):
    page = open_lab("xor", settings=settings)
    page.wait_for_selector(".xw-chip[aria-current='step']", timeout=TIMEOUT)
    return page


def step_index(page):
    return int(page.get_attribute(".xw-chip[aria-current='step']", "data-step"))


def wait_step(page, index):
    page.wait_for_selector(f".xw-chip[data-step='{index}'][aria-current='step']", timeout=TIMEOUT)


def iterations_shown(page):
    return int(page.inner_text("[data-stat='iteration']").replace(",", ""))


def wait_iterations(page, count):
    page.wait_for_function(
        "n => document.querySelector(\"[data-stat='iteration']\").textContent.replace(/,/g, '') === String(n)",
        arg=count,
        timeout=180_000,
    )


def marked(page):
    neurons = page.evaluate(
        "[...document.querySelectorAll('.xor-network .nv-neuron.nv-marked')]"
        ".map(g => [Number(g.dataset.l), Number(g.dataset.j)])"
    )
    halos = page.locator(".xor-network .nv-halo").count()
    return sorted(neurons), halos


def table_texts(page):
    return page.locator(".xor-table tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.textContent.replace('\u25b8 ', '')))"
    )


def expected_table(state, preview):
    """The XOR table as the simulator wrote it: each row its example's labels, and the row the
    walkthrough is on (the previewed iteration's, at these weights) its formulas' output and
    cost."""
    rows = []
    for k, example in enumerate(state["examples"]):
        output, loss = example["output_labels"][0], example["loss_label"]
        if k == preview["trace"]["example_index"]:
            output, loss = preview["activation_labels"][-1][0], preview["loss_label"]
        rows.append(
            [
                *example["input_labels"],
                example["target_labels"][0],
                output,
                loss,
                "yes" if example["correct"] else "no",
            ]
        )
    return rows


def test_ten_steps_show_the_simulators_numbers(open_lab, bridge, cpython_session):
    page = open_walkthrough(open_lab)
    assert page.locator(".xw-chip").count() == 10
    preview = bridge(page, "xor", "preview")  # what the page's simulator will do next
    steps = preview["steps"]
    under_cpython = explain_trace(cpython_session("xor").step())
    assert [s["id"] for s in steps] == [s["id"] for s in under_cpython]
    for k, step in enumerate(steps):
        if k:
            page.click("[data-walk='next']")
        wait_step(page, k)
        assert page.inner_text(".xw-title") == f"Step {k + 1}. {step['title']}"
        shown = shown_lines(page, WALK)
        assert same_as_steps(shown, [step])
        assert page.locator(".xor-walk .katex-error").count() == 0  # KaTeX read all the TeX
        check_redo(shown)
        for ln, reference in zip(shown, under_cpython[k]["lines"]):
            assert close_to(ln["result"], reference["value"]), (ln, reference)
        neurons, halos = marked(page)
        assert neurons == sorted(step["highlight"]["neurons"])
        assert halos == len(step["highlight"]["connections"])
    # Reaching the last update applied the iteration the walkthrough showed, and only it.
    wait_iterations(page, 1)
    state = bridge(page, "xor", "state")
    assert state["iteration"] == 1
    assert state["weights"] == preview["trace"]["weights_after"]


def test_step_8_pairs_each_weight_with_its_own_delta(open_lab):
    page = open_walkthrough(open_lab)
    page.click(".xw-chip[data-step='7']")
    wait_step(page, 7)
    shown = shown_lines(page, WALK)
    assert len(shown) == 6
    for ln in shown:
        i, j, x, d = re.search(
            r"w_\{(\d)(\d)\}\^\{\(2\)\}\} = x_\{(\d)\} \\delta_\{(\d)\}", ln["general"]
        ).groups()
        assert (x, d) == (i, j)


def test_previous_next_finish_and_auto_advance(open_lab, bridge):
    page = open_walkthrough(open_lab)
    assert page.is_disabled("[data-walk='previous']")
    page.click("[data-walk='next']")
    page.click("[data-walk='next']")
    wait_step(page, 2)
    page.click("[data-walk='previous']")
    wait_step(page, 1)
    assert bridge(page, "xor", "state")["iteration"] == 0  # walking does not train
    page.click("[data-walk='finish']")
    wait_step(page, 9)
    assert page.is_disabled("[data-walk='finish']")
    assert page.inner_text("[data-walk='next']") == "Next iteration"
    wait_iterations(page, 1)
    page.click("[data-walk='next']")
    page.wait_for_function(
        "document.querySelector('.xw-example').textContent.startsWith('Iteration 2:')", timeout=TIMEOUT
    )
    wait_step(page, 0)
    assert "training example 2 of 4" in page.inner_text(".xw-example")
    assert bridge(page, "xor", "preview")["trace"]["example_index"] == 1

    page.select_option("[data-walk='pace']", "1000")
    page.click("[data-walk='auto']")
    assert page.get_attribute("[data-walk='auto']", "aria-pressed") == "true"
    wait_step(page, 2)
    page.click("[data-walk='auto']")
    assert page.get_attribute("[data-walk='auto']", "aria-pressed") == "false"
    stopped_at = step_index(page)
    page.wait_for_timeout(2500)
    assert step_index(page) == stopped_at


def test_training_counts_costs_and_charts(open_lab, bridge):
    page = open_walkthrough(open_lab)
    page.click("[data-run='1']")
    wait_iterations(page, 1)
    page.wait_for_selector(".xw-chip[aria-current='step']", timeout=TIMEOUT)  # walkthrough back
    page.click("[data-run='100']")
    wait_iterations(page, 101)
    page.wait_for_selector(".xw-chip[aria-current='step']", timeout=TIMEOUT)
    state = bridge(page, "xor", "state")
    assert state["iteration"] == 101
    assert page.inner_text(".xw-example").startswith("Iteration 102:")
    assert table_texts(page) == expected_table(state, bridge(page, "xor", "preview"))
    assert page.locator(".xp-cost path.lc-line").count() == 1
    assert page.locator(".xp-weights path.lc-line").count() == 1
    capacity = page.inner_text(".xp-capacity")
    first, latest = state["weight_norm_labels"]
    assert f"(mean |w| {first})" in capacity and f"(now {latest})" in capacity
    assert "capacity" in capacity and "linear" in capacity
    assert page.inner_text(".xp-convergence").startswith("Not converged yet after 101 iterations")

    page.click("[data-action='play']")
    assert page.get_attribute("[data-action='play']", "aria-pressed") == "true"
    page.wait_for_function(
        "Number(document.querySelector(\"[data-stat='iteration']\").textContent.replace(/,/g, '')) > 301",
        timeout=TIMEOUT,
    )
    page.click("[data-action='play']")
    page.wait_for_selector("[data-action='play'][aria-pressed='false']", timeout=TIMEOUT)
    page.wait_for_selector(".xw-chip[aria-current='step']", timeout=TIMEOUT)
    paused_at = iterations_shown(page)
    page.wait_for_timeout(1000)
    assert iterations_shown(page) == paused_at == bridge(page, "xor", "state")["iteration"]


def test_convergence_iteration_is_shown(open_lab, bridge, cpython_session):
    settings = {"seed": 2, "learning_rate": 1.0}
    reference = cpython_session("xor", settings)
    reference.train(10_000, budget_ms=1e9)
    converged_at = reference.state()["converged_at"]
    assert converged_at is not None and converged_at < 10_000

    page = open_walkthrough(open_lab, settings)
    page.click("[data-run='10000']")
    wait_iterations(page, 10_000)
    assert bridge(page, "xor", "state")["converged_at"] == converged_at
    page.wait_for_function(
        "text => document.querySelector('.xp-convergence').textContent.startsWith(text)",
        arg=f"First converged at iteration {converged_at:,} with learning rate 1,",
        timeout=TIMEOUT,
    )


def test_seed_reproduces_a_run_and_new_weights_change_it(open_lab, bridge, cpython_session):
    page = open_walkthrough(open_lab)
    page.fill("#xor-seed", "7")
    page.dispatch_event("#xor-seed", "change")
    page.wait_for_function("() => location.hash.includes('seed=7')", timeout=TIMEOUT)
    page.wait_for_selector(".xw-chip[aria-current='step']", timeout=TIMEOUT)
    assert bridge(page, "xor", "state")["weights"] == cpython_session("xor", {"seed": 7}).state()["weights"]
    page.click("[data-action='new-weights']")
    page.wait_for_function("() => document.querySelector('#xor-seed').value !== '7'", timeout=TIMEOUT)
    page.wait_for_selector(".xw-chip[aria-current='step']", timeout=TIMEOUT)
    seed = int(page.input_value("#xor-seed"))
    state = bridge(page, "xor", "state")
    assert state["settings"]["seed"] == seed
    assert state["weights"] == cpython_session("xor", {"seed": seed}).state()["weights"]


def test_learning_rate_reaches_the_update_and_bad_input_is_kept(open_lab, bridge):
    page = open_walkthrough(open_lab)
    page.fill("#xor-learning_rate", "1.5")
    page.press("#xor-learning_rate", "Enter")
    page.wait_for_function(
        "document.querySelector('.xw-example').textContent.includes('η = 1.5')", timeout=TIMEOUT
    )
    assert bridge(page, "xor", "state")["settings"]["learning_rate"] == 1.5
    page.click(".xw-chip[data-step='8']")
    wait_step(page, 8)
    lines = shown_lines(page, WALK)
    # momentum in PyTorch's form: v := mu v + dE/dw, then w := w - eta v (the rate is there)
    assert len([ln for ln in lines if r"\mu v" in ln["general"]]) == 3
    moves = [ln for ln in lines if r"- \eta v" in ln["general"]]
    assert len(moves) == 3
    for ln in moves:
        assert r" - 1.5 \times " in ln["substituted"]
    # Refused by the schema's bound (the simulator's own), with its label; the field is put
    # back to the value the simulator kept, and the message says so.
    for typed in ("0", "-1", "2e9"):
        page.fill("#xor-learning_rate", typed)
        page.press("#xor-learning_rate", "Enter")
        message = page.inner_text(".xt-rate .field-message")
        assert message.startswith("Learning rate η: must be "), message
        assert message.endswith(" The field keeps 1.5."), message
        assert page.input_value("#xor-learning_rate") == "1.5"
    assert bridge(page, "xor", "state")["settings"]["learning_rate"] == 1.5


def test_a_run_redraws_a_few_times_a_second_and_counts_every_chunk(open_lab, bridge):
    page = open_walkthrough(open_lab)
    seen = page.evaluate("""async () => {
        const counter = document.querySelector("[data-stat='iteration']");
        const seen = {counter: 0, chart: 0};
        new MutationObserver(() => seen.counter++).observe(counter, {childList: true, characterData: true, subtree: true});
        new MutationObserver(() => seen.chart++).observe(document.querySelector('.xp-cost'),
                                                         {attributes: true, childList: true, subtree: true});
        const start = performance.now();
        document.querySelector("[data-run='10000']").click();
        while (counter.textContent.replace(/,/g, '') !== '10000') await new Promise(r => setTimeout(r, 1));
        seen.ms = performance.now() - start;
        await new Promise(r => setTimeout(r, 0));   // the observers report
        return seen;
    }""")
    print(f"\nRun 10,000: {seen}")
    assert seen["counter"] >= 2, "the counter follows the run chunk by chunk"
    assert seen["chart"] <= seen["ms"] / 250 + 3, "at most four redraws a second (and the last)"
    # The last redraw shows the finished run.
    page.wait_for_selector(".xw-chip[aria-current='step']", timeout=TIMEOUT)
    state = bridge(page, "xor", "state")
    assert page.inner_text(".xp-convergence") == state["messages"]["convergence"]
    assert state["messages"]["convergence"].startswith(
        f"First converged at iteration {state['converged_at']:,} "
    )
    assert table_texts(page) == expected_table(state, bridge(page, "xor", "preview"))


def test_a_run_shows_the_activations_of_the_example_it_trains_on_next(open_lab, bridge):
    page = open_walkthrough(open_lab)
    page.click("[data-action='play']")
    # While it runs, every neuron shows a value (none left dashed as "not computed yet").
    page.wait_for_function(
        """() => document.querySelector("[data-action='play']").textContent === 'Pause'
        && Number(document.querySelector("[data-stat='iteration']").textContent.replace(/,/g, '')) > 0
        && document.querySelectorAll('.xor-network .nv-neuron').length === 6
        && !document.querySelector('.xor-network .nv-neuron.nv-unknown')""",
        timeout=TIMEOUT,
    )
    shown = [
        float(t)
        for t in page.evaluate(
            "[...document.querySelectorAll('.xor-network .nv-value')].map(t => t.textContent)"
        )
        if t
    ]
    page.click("[data-action='play']")
    page.wait_for_selector(".xw-chip[aria-current='step']", timeout=TIMEOUT)
    assert len(shown) == 6 and all(0 <= a <= 1 for a in shown)


def test_the_notation_note_is_the_simulators(open_lab):
    """The note above the walkthrough (the reference's notation, the momentum this lab adds)
    is nnsim.explain's, as it stands, before and after Python starts."""
    from nnsim.explain import lab_note

    page = open_walkthrough(open_lab)
    assert page.inner_text(".xor-conventions-note") == lab_note("xor")
