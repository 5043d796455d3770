"""What several end-to-end tests do the same way: wait until a lab takes input, train a little
with the lab's own buttons, time a Pause, read the saved work. Imported by the tests (`from page_helpers
import ...`); the fixtures are in conftest.py."""

import json

LABS = ("xor", "deep", "glassbox", "digits")
STORAGE_KEY = "glassbox:saved:"


def ready_for_input(page, timeout=30_000):
    """Until the lab's controls are awake and no call is in the worker."""
    page.wait_for_function(
        "!document.querySelector('#lab-root [data-needs-python]:disabled')"
        " && window.glassbox.pendingCalls() === 0",
        timeout=timeout,
    )


def type_text(field, text):
    """Replace what a field holds with `text`, typed key by key, and press Enter."""
    field.click()
    field.press("Control+a")
    field.press("Delete")
    if text:
        field.press_sequentially(text)
    field.press("Enter")


def train_a_little(page):
    """Play for a moment, then Pause with the same button: the lab's own controls."""
    button = page.locator("#lab-root").get_by_role("button", name="Play", exact=True).first
    handle = button.element_handle()
    handle.click()
    page.wait_for_timeout(700)
    handle.click()
    page.wait_for_function("window.glassbox.pendingCalls() === 0")


def saved_record(page, lab):
    text = page.evaluate("key => localStorage.getItem(key)", STORAGE_KEY + lab)
    return None if text is None else json.loads(text)


def wait_saved(page, lab, iteration):
    """Until the saved export holds this iteration (saves follow changes within a second)."""
    page.wait_for_function(
        """([key, iteration]) => {
            const record = JSON.parse(localStorage.getItem(key) || 'null');
            return record?.exported?.progress?.iteration === iteration;
        }""",
        arg=[STORAGE_KEY + lab, iteration],
        timeout=10_000,
    )


def pause_and_time(page):
    """Click Pause; milliseconds until the run has stopped (no train or step call left in the
    worker)."""
    return page.evaluate("""async () => {
        const pause = [...document.querySelectorAll('#lab-root button')]
            .find(button => button.textContent.trim() === 'Pause');
        const start = performance.now();
        pause.click();
        while (window.glassbox.pendingCalls('train') + window.glassbox.pendingCalls('step') > 0) {
            await new Promise(resolve => setTimeout(resolve, 1));
        }
        return performance.now() - start;
    }""")
