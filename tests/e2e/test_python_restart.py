"""If Python ever fails fatally, the page starts a fresh worker (through PyScript, as at
first), reopens the lab from the work saved in this browser and says what happened (issue 18).

The failure is the one a deeply nested value once caused through a link: Python's JSON parser
exhausting the WebAssembly stack. The bridge now refuses such a request from its text, so the
test makes Python parse it directly, from inside the worker (Playwright's page.workers; the
worker's Python is reachable there only, by code already running in the worker)."""

from page_helpers import ready_for_input, train_a_little, wait_saved

CRASH = """() => {
    try {
        glassboxWorkerPython.runPython("import json; json.loads('[' * 100000 + ']' * 100000)");
        return 'Python survived';
    } catch (error) {
        return String(error);
    }
}"""


def python_worker(page):
    page.wait_for_function("window.glassbox.pendingCalls() === 0")
    found = [
        worker
        for worker in page.workers
        if worker.evaluate("typeof globalThis.glassboxWorkerPython === 'object'")
    ]
    assert len(found) == 1, [worker.url for worker in page.workers]
    return found[0]


def test_python_that_failed_fatally_starts_again_and_the_lab_reopens_from_saved_work(open_lab, bridge):
    page = open_lab("xor")
    ready_for_input(page)
    train_a_little(page)
    iteration = bridge(page, "xor", "state")["iteration"]
    wait_saved(page, "xor", iteration)
    saved = bridge(page, "xor", "export")
    first_worker = python_worker(page)

    crash = first_worker.evaluate(CRASH)
    assert crash != "Python survived"
    gone = first_worker.evaluate("""() => { try { glassboxWorkerPython.runPython('1'); return 'alive'; }
        catch (error) { return String(error); } }""")
    assert "fatally failed" in gone  # Pyodide's own verdict: this Python can no longer be used

    # The lab's next call finds Python gone: it fails in plain words, a fresh worker starts.
    answer = page.evaluate("""() => window.glassbox.call('xor', 'state')
        .then(() => 'answered', error => error.message)""")
    assert answer.startswith("Python stopped working and was started again"), answer
    page.locator("#notices").get_by_text(
        "Python stopped working and was started again, so the XOR walkthrough lab was reopened "
        "from the work saved in this browser"
    ).wait_for(timeout=60_000)
    ready_for_input(page)
    assert page.locator("#notices p").filter(has_text="Python stopped working").count() == 1
    assert page.evaluate("document.documentElement.dataset.state") == "ready"
    assert python_worker(page) != first_worker

    # The network is the saved one, and the fresh Python trains it on.
    restored = bridge(page, "xor", "export")
    assert restored["weights"] == saved["weights"]
    assert restored["progress"]["iteration"] == iteration
    result = bridge(page, "xor", "train", {"max_iterations": 100, "budget_ms": 5000})
    assert result["done"] == 100
    assert page.locator("#lab-root svg").count() > 0
