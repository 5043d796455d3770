"""Accessibility, end to end, in every lab: axe-core finds no serious or critical violation
(before and after training), every control is reached with Tab and shows a focus ring, and
the values a user's action changes are announced politely.

axe-core comes from node_modules (pinned in package.json) and is injected by the test from
disk; it is never part of dist/.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LABS = ("xor", "deep", "glassbox", "digits", "playground")
SERIOUS = ("serious", "critical")

CONTROLS = (
    "a[href], button, input, select, textarea, summary, "
    "[tabindex]:not([tabindex='-1']), [role=button], [role=slider], [role=tab]"
)


def ready_lab(open_lab, lab):
    page = open_lab(lab)
    page.wait_for_function("!document.querySelector('#lab-root [data-needs-python]:disabled')")
    page.wait_for_function("window.glassbox.pendingCalls() === 0")
    return page


def serious_violations(page):
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run `npm ci`")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
    }""")
    return [v for v in violations if v["impact"] in SERIOUS]


def describe(violations):
    return "\n".join(
        f"{v['impact']} {v['id']} ({v['help']}):\n    " + "\n    ".join(v["nodes"][:5]) for v in violations
    )


def take_a_step(page):
    """Step, or where a lab has none, Play for a moment and Pause (the same button)."""
    lab_root = page.locator("#lab-root")
    for name in (re.compile(r"^Step\b"), "Play"):
        button = lab_root.get_by_role("button", name=name)
        if button.count():
            handle = button.first.element_handle()
            handle.click()
            if name == "Play":
                page.wait_for_timeout(500)
                handle.click()
            break
    page.wait_for_timeout(300)
    page.wait_for_function("window.glassbox.pendingCalls() === 0")


@pytest.mark.parametrize("lab", LABS)
def test_axe_finds_no_serious_violation(open_lab, lab):
    page = ready_lab(open_lab, lab)
    found = serious_violations(page)
    assert not found, f"{lab} lab on opening:\n{describe(found)}"
    take_a_step(page)
    found = serious_violations(page)
    assert not found, f"{lab} lab after a training step:\n{describe(found)}"


# The display modes (site/js/shell/display-mode.js), as a link asks for them.
DISPLAY_MODES = ("dark", "projector", "contrast", "dark,contrast")


@pytest.mark.parametrize("mode", DISPLAY_MODES)
@pytest.mark.parametrize("lab", LABS)
def test_axe_finds_no_serious_violation_in_every_display_mode(open_lab, lab, mode):
    page = open_lab(lab, search=f"?display={mode}")
    page.wait_for_function("!document.querySelector('#lab-root [data-needs-python]:disabled')")
    page.wait_for_function("window.glassbox.pendingCalls() === 0")
    scheme = "dark" if "dark" in mode else "light"
    assert page.evaluate("document.documentElement.dataset.scheme") == scheme
    found = serious_violations(page)
    assert not found, f"{lab} lab in display mode {mode}:\n{describe(found)}"
    take_a_step(page)
    found = serious_violations(page)
    assert not found, f"{lab} lab in display mode {mode} after a step:\n{describe(found)}"


def focus_walk(page, limit=400):
    """Press Tab until focus comes round again; per element: its description and whether
    a focus ring is drawn (outline or box-shadow) while it is focused."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.locator("body").focus()
    seen, order = {}, []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            if (!el.dataset.focusWalk) el.dataset.focusWalk = String(Math.random()).slice(2);
            const style = getComputedStyle(el);
            const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
            const shadow = style.boxShadow && style.boxShadow !== 'none';
            // SVG items draw their ring as a stroke in the focus colour (base.css --focus).
            const probe = document.createElement('i');
            probe.style.color = 'var(--focus)';
            document.body.append(probe);
            const focusColour = getComputedStyle(probe).color;
            probe.remove();
            const stroked = [el, ...el.querySelectorAll('*')].some(part => {
                const s = getComputedStyle(part);
                return s.stroke === focusColour && parseFloat(s.strokeWidth) > 0;
            });
            return {id: el.dataset.focusWalk, ring: Boolean(outline || shadow || stroked),
                    what: el.outerHTML.slice(0, 120)};
        }""")
        if info is None:
            continue
        if info["id"] in seen:
            break
        seen[info["id"]] = info
        order.append(info)
    return order


@pytest.mark.parametrize("lab", LABS)
def test_every_control_is_reached_by_tab_with_a_visible_focus_ring(open_lab, lab):
    page = ready_lab(open_lab, lab)
    walked = focus_walk(page)
    without_ring = [item["what"] for item in walked if not item["ring"]]
    assert not without_ring, f"{lab}: focused without a visible ring:\n" + "\n".join(without_ring)
    unreached = page.evaluate(
        """controls => [...document.querySelectorAll(controls)]
        .filter(el => !el.disabled && el.getClientRects().length > 0
                && getComputedStyle(el).visibility !== 'hidden' && !el.closest('[hidden], [inert]')
                && !el.dataset.focusWalk
                // one stop per composite widget (roving tabindex): its other items use arrows
                && el.tabIndex !== -1
                && !(el.type === 'radio' && !el.checked))
        .map(el => el.outerHTML.slice(0, 120))""",
        CONTROLS,
    )
    assert not unreached, f"{lab}: controls Tab never reaches:\n" + "\n".join(unreached)


# Records which text in the lab changes, and in what kind of live region it sits (if any).
WATCH_TEXT = """() => {
    const changed = window.__changedText = [];
    const politeness = node => {
        const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
        if (!el || el.closest('svg, [aria-hidden=true]')) return undefined;
        const region = el.closest('[aria-live], [role=status], [role=log], [role=alert]');
        if (!region) return null;
        return region.getAttribute('aria-live')
            || {status: 'polite', log: 'polite', alert: 'assertive'}[region.getAttribute('role')];
    };
    const observer = new MutationObserver(records => {
        for (const record of records) {
            const live = politeness(record.target);
            const text = (record.target.textContent || '').trim();
            if (live !== undefined && text) changed.push({text: text.slice(0, 60), live});
        }
    });
    observer.observe(document.getElementById('lab-root'),
                     {subtree: true, childList: true, characterData: true});
    window.__stopWatching = () => { observer.disconnect(); return changed; };
}"""


@pytest.mark.parametrize("lab", LABS)
def test_values_a_step_changes_are_announced_politely(open_lab, lab):
    page = ready_lab(open_lab, lab)
    page.evaluate(WATCH_TEXT)
    take_a_step(page)
    changed = page.evaluate("window.__stopWatching()")
    assert changed, f"{lab}: a training step changed no text outside the drawing"
    assert any(item["live"] == "polite" for item in changed), (
        f"{lab}: none of the values a step changed is in a polite live region: {changed[:8]}"
    )
    assertive = [item for item in changed if item["live"] == "assertive"]
    assert not assertive, f"{lab}: training values interrupt the reader: {assertive}"


@pytest.mark.parametrize("lab", LABS)
def test_weight_sign_is_shown_by_dashes_as_well_as_colour(open_lab, bridge, lab):
    page = ready_lab(open_lab, lab)
    weights = bridge(page, lab, "state")["weights"]
    has_negative = any(w < 0 for matrix in weights for row in matrix for w in row)
    dashes = page.evaluate("""() => [...document.querySelectorAll('#lab-root .nv-conn')]
        .filter(el => (el.getAttribute('d') || el.getAttribute('x1') !== null))
        .map(el => ({negative: el.classList.contains('nv-neg'),
                     dashed: getComputedStyle(el).strokeDasharray !== 'none',
                     colour: getComputedStyle(el).stroke}))""")
    negative = [d for d in dashes if d["negative"]]
    positive = [d for d in dashes if not d["negative"]]
    assert negative or not has_negative, f"{lab}: negative weights drawn without their own mark"
    assert all(d["dashed"] for d in negative), f"{lab}: a negative weight is drawn solid"
    assert not any(d["dashed"] for d in positive), f"{lab}: a positive weight is drawn dashed"
    if negative and positive:
        assert {d["colour"] for d in negative}.isdisjoint({d["colour"] for d in positive})
