"""The teacher kit, end to end: the embed builder (#teach) makes a link whose hide= and lock=
flags the lab obeys (a student's saved work included); a course page (docs/course-example.html,
served beside the site by the build) drives an embedded lab through its message API and
receives its events; a malformed message, or one from a window that is not the parent,
changes nothing."""

import json
import re

from playwright.sync_api import expect
from test_accessibility import describe, serious_violations

READY_MS = 60_000
STORAGE_KEY = "glassbox:saved:"


def wait_frame_ready(frame):
    frame.wait_for_function("document.documentElement.dataset.state === 'ready'", timeout=READY_MS)
    frame.wait_for_function("!document.querySelector('#lab-root [data-needs-python]:disabled')")


def built_link(page, base_url, *, hidden=(), locked=(), saved=False, set_up=None):
    """Open the builder, set the XOR lab up in its preview (set_up(frame)), tick the flags
    and return the link it shows."""
    page.goto(f"{base_url}#teach")
    builder = page.locator(".teach")
    expect(builder.get_by_label("Lab")).to_have_value("xor")
    if set_up:
        builder.get_by_label("Setting up: every control free").check()
        frame = page.frame_locator(".teach-preview iframe")
        wait_frame_ready(page.frames[1])
        set_up(frame)
    for name in hidden:
        builder.locator(f'tr[data-control="{name}"] input[value="hidden"]').check()
    for name in locked:
        builder.locator(f'tr[data-control="{name}"] input[value="locked"]').check()
    if saved:
        builder.get_by_label("Keep each student").check()
    return builder.get_by_label("Link").input_value()


def test_a_builder_made_link_hides_and_locks_what_it_says(page, base_url, bridge):
    def set_rate(frame):
        frame.locator("#xor-learning_rate").fill("0.3")
        frame.locator("#xor-learning_rate").press("Enter")

    link = built_link(page, base_url, hidden=["seed", "training"], locked=["learning_rate"], set_up=set_rate)
    assert "embed=1" in link and "hide=seed,training" in link and "lock=learning_rate" in link
    assert "learning_rate=0.3" in link
    snippet = page.get_by_label("HTML for your course page").input_value()
    assert snippet.startswith(f'<iframe src="{link.replace("&", "&amp;")}"')

    page.goto(link)
    wait_frame_ready(page.main_frame)
    root = page.locator("#lab-root")
    expect(root.locator('[data-setting="seed"]')).to_be_hidden()
    expect(root.locator('[data-control="training"]')).to_be_hidden()
    expect(root.locator('[data-setting="momentum"]')).to_be_visible()  # not named: shown
    rate = page.locator("#xor-learning_rate")
    expect(rate).to_be_visible()
    expect(rate).to_be_disabled()
    expect(rate).to_have_value("0.3")
    cue = root.locator('[data-setting="learning_rate"] .locked-cue')
    expect(cue).to_have_text("Locked by your teacher")
    expect(rate).to_have_accessible_description(re.compile("Locked by your teacher"))
    # Nothing on the page moves it: the simulator refuses, and a later run keeps it locked.
    refused = page.evaluate("""() => window.glassbox.call('xor', 'update',
        {settings: {learning_rate: 2}}).then(() => 'changed', error => error.message)""")
    assert "locked by your teacher" in refused
    assert bridge(page, "xor", "state")["settings"]["learning_rate"] == 0.3
    page.evaluate("location.hash = '#xor?learning_rate=2'")  # a student edits the address
    page.wait_for_function("window.glassbox.pendingCalls() === 0")
    wait_frame_ready(page.main_frame)
    assert bridge(page, "xor", "state")["settings"]["learning_rate"] == 0.3
    expect(page.locator("#xor-learning_rate")).to_be_disabled()


def test_a_students_saved_work_never_overrides_a_lock(page, base_url, bridge, lab_url):
    # The student's own work on the site: a learning rate of 0.9, saved in the browser.
    page.goto(lab_url("xor", {"learning_rate": 0.9}))
    wait_frame_ready(page.main_frame)
    page.locator('[data-run="100"]').click()  # the lab's own button: its work is saved
    page.wait_for_function(
        """key => {
            const exported = JSON.parse(localStorage.getItem(key) || 'null')?.exported;
            return exported?.settings?.learning_rate === 0.9 && exported.progress.iteration > 0;
        }""",
        arg=STORAGE_KEY + "xor",
        timeout=10_000,
    )

    link = built_link(page, base_url, locked=["learning_rate"], saved=True)
    assert "saved=1" in link and "learning_rate=" not in link.split("#")[1]
    page.goto(link)
    wait_frame_ready(page.main_frame)
    page.wait_for_function("window.glassbox.pendingCalls() === 0")
    state = bridge(page, "xor", "state")
    assert state["settings"]["learning_rate"] == 0.5  # the lock's value: the default
    expect(page.locator("#xor-learning_rate")).to_be_disabled()
    # The saved network (rate 0.9) was set aside with its reason, not loaded and not lost.
    aside = page.evaluate("key => localStorage.getItem(key)", STORAGE_KEY + "xor:set-aside")
    assert aside and "locked by your teacher" in aside


def open_course_page(page, base_url):
    page.goto(f"{base_url}course-example.html")
    lab = page.frames[1]
    expect(page.locator("#log")).to_contain_text("ready", timeout=READY_MS)
    return lab


def events(page):
    return [json.loads(text.split(" ", 1)[1]) for text in page.locator("#log li").all_inner_texts()]


def wait_event(page, name, count=1):
    page.wait_for_function(
        """([name, count]) => [...document.querySelectorAll('#log li')]
            .filter(item => item.textContent.startsWith(name + ' ')).length >= count""",
        arg=[name, count],
        timeout=30_000,
    )
    return [e for e in events(page) if e["event"] == name]


def lab_state(frame):
    return frame.evaluate("window.glassbox.call('deep', 'state')")


def test_a_course_page_drives_an_embed_and_receives_its_events(page, base_url):
    lab = open_course_page(page, base_url)
    ready = wait_event(page, "ready")[0]
    assert ready["lab"] == "deep" and ready["version"] == 1
    assert "set_settings" in ready["commands"]

    page.get_by_role("button", name="Step", exact=True).click()
    step = wait_event(page, "step")[0]
    expected = lab_state(lab)
    assert step["lab"] == "deep" and step["iteration"] == expected["iteration"] == 1
    assert step["loss"] == expected["training_loss"]
    assert page.locator("#latest").inner_text().startswith("iteration 1, loss ")

    page.get_by_role("button", name="Get state").click()
    state = wait_event(page, "state")[0]
    assert state["iteration"] == 1 and state["settings"]["learning_rate"] == 0.1

    page.get_by_label("Learning rate").fill("0.25")
    page.get_by_role("button", name="Set it").click()
    done = [e for e in wait_event(page, "done", 2) if e["command"] == "set_settings"][0]
    assert done["settings"]["learning_rate"] == 0.25
    page.wait_for_function(
        "document.querySelectorAll('#log li').length > 0 && "
        "[...document.querySelectorAll('#log li')].filter(i => "
        "i.textContent.startsWith('ready ')).length >= 2",
        timeout=READY_MS,
    )
    assert lab_state(lab)["settings"]["learning_rate"] == 0.25
    assert lab.evaluate("document.querySelector('#deep-learning_rate').value") == "0.25"

    page.get_by_role("button", name="Play").click()
    chunk = wait_event(page, "chunk")[0]
    assert chunk["lab"] == "deep" and chunk["done"] >= 1
    page.get_by_role("button", name="Pause").click()
    page.wait_for_function("""() => [...document.querySelectorAll('#log li')]
        .some(item => item.textContent.startsWith('done ') && item.textContent.includes('"pause"'))""")
    lab.wait_for_function("window.glassbox.pendingCalls() === 0")

    # A learning rate far too large: the next step is refused and the lab says it diverged.
    page.get_by_label("Learning rate").fill("1000000000")
    page.get_by_role("button", name="Set it").click()
    wait_event(page, "ready", 3)
    page.get_by_role("button", name="Step", exact=True).click()
    diverged = wait_event(page, "diverged")[0]
    assert diverged["lab"] == "deep" and diverged["status"] == "diverged"


BAD_MESSAGES = [
    "step",  # not an object
    {"command": "step"},  # no version
    {"glassbox": 2, "command": "step"},  # another version
    {"glassbox": 1, "command": "eval", "id": 7},  # no such command
    {"glassbox": 1, "command": "step", "code": "alert(1)"},  # an unknown field
    {"glassbox": 1, "command": "step", "settings": {}},  # settings where none go
    {"glassbox": 1, "command": "set_settings", "settings": [1]},  # settings not an object
    {"glassbox": 1, "command": "set_settings", "settings": {"learning_rate": "0.3; x"}},
    {"glassbox": 1, "command": "set_settings", "settings": {"learning_rate": -1}},
    {"glassbox": 1, "command": "set_settings", "settings": {"no_such": 1}},
    {"glassbox": 1, "command": "set_settings", "settings": {"learning_rate": "x" * 30_000}},
    {"glassbox": 1, "command": "step", "id": {"a": [[[[[[[[1]]]]]]]]}},
]


def test_malformed_and_foreign_messages_change_nothing(page, base_url):
    lab = open_course_page(page, base_url)
    wait_event(page, "ready")
    before = lab_state(lab)
    address = lab.evaluate("location.href")
    for message in BAD_MESSAGES:
        page.evaluate(
            "message => document.getElementById('lab').contentWindow.postMessage(message, '*')", message
        )
    # Values structured clone carries but JSON does not hold: a Date, NaN, a Map.
    page.evaluate("""() => {
        const lab = document.getElementById('lab').contentWindow;
        lab.postMessage({glassbox: 1, command: 'set_settings', settings: {learning_rate: NaN}}, '*');
        lab.postMessage({glassbox: 1, command: 'set_settings', settings: {when: new Date()}}, '*');
        lab.postMessage({glassbox: 1, command: 'step', id: new Map()}, '*');
    }""")
    errors = wait_event(page, "error", len(BAD_MESSAGES) + 3)
    assert len(errors) == len(BAD_MESSAGES) + 3
    assert any(e.get("id") == 7 and "Unknown command" in e["message"] for e in errors)
    assert any("Learning rate" in e["message"] for e in errors)  # the simulator's words

    # A window that is not the lab's parent (a sibling frame on the same page) is ignored.
    page.evaluate("""() => new Promise(resolve => {
        const other = document.createElement('iframe');
        other.srcdoc = `<script>
          parent.document.getElementById('lab').contentWindow.postMessage(
            {glassbox: 1, command: 'step'}, '*');
          parent.document.getElementById('lab').contentWindow.postMessage(
            {glassbox: 1, command: 'set_settings', settings: {learning_rate: 0.9}}, '*');
        <\\/script>`;
        other.onload = () => setTimeout(resolve, 1500);
        document.body.append(other);
    })""")
    after = lab_state(lab)
    for key in ("iteration", "settings", "weights", "biases"):
        assert after[key] == before[key], key
    assert lab.evaluate("location.href") == address
    assert not [e for e in events(page) if e["event"] in ("step", "done", "settings")]
    assert len(wait_event(page, "error")) == len(BAD_MESSAGES) + 3


def test_the_builder_and_a_locked_embed_pass_axe(page, base_url):
    page.goto(f"{base_url}#teach")
    page.locator('tr[data-control="learning_rate"] input[value="locked"]').check()
    wait_frame_ready(page.frames[1])
    violations = serious_violations(page)
    assert not violations, describe(violations)

    page.goto(f"{base_url}?embed=1&hide=training&lock=optimizer,learning_rate#deep")
    wait_frame_ready(page.main_frame)
    expect(page.locator("#deep-optimizer")).to_be_disabled()
    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_a_course_page_steps_and_resets_an_embedded_xor(page, base_url):
    """XOR's step is one iteration taken as a step (a `step` event, as in the other labs), and
    its reset draws new random weights, as its own button does."""
    page.goto(f"{base_url}course-example.html")
    page.evaluate("document.getElementById('lab').src = './?embed=1#xor'")
    lab = page.frames[1]

    def xor_events(name, count=1):
        page.wait_for_function(
            """([name, count]) => [...document.querySelectorAll('#log li')].filter(item =>
                item.textContent.startsWith(name + ' ') && item.textContent.includes('"lab":"xor"')).length >= count""",
            arg=[name, count],
            timeout=READY_MS,
        )
        return [e for e in events(page) if e["event"] == name and e.get("lab") == "xor"]

    xor_events("ready")
    page.get_by_role("button", name="Step", exact=True).click()
    step = xor_events("step")[0]
    state = lab.evaluate("window.glassbox.call('xor', 'state')")
    assert step["iteration"] == state["iteration"] == 1
    assert step["loss"] == state["training_loss"]
    seed = state["settings"]["seed"]
    page.get_by_role("button", name="Reset", exact=True).click()
    page.wait_for_function(
        """() => [...document.querySelectorAll('#log li')].some(item =>
            item.textContent.startsWith('done ') && item.textContent.includes('"reset"'))""",
        timeout=READY_MS,
    )
    assert not [e for e in events(page) if e["event"] == "error"]
    lab.wait_for_function("window.glassbox.pendingCalls() === 0")
    lab.wait_for_function(f"document.querySelector('#xor-seed').value !== '{seed}'", timeout=READY_MS)
    after = lab.evaluate("window.glassbox.call('xor', 'state')")
    assert after["settings"]["seed"] != seed and after["iteration"] == 0
