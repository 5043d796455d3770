"""The page's door to the simulator: JSON text in, JSON text out.

PyScript's worker script (py/worker.py) exports `call` to the page. Only strings cross, so no
proxy outlives a call. Request and response, from
docs/architecture.md:

    {"lab": "xor", "method": "step", "args": {...}}
    {"ok": true, "result": ...}  or  {"ok": false, "error": "readable message"}

Methods are the Session methods plus `open` (create or replace the lab's session; answers
with its state and settings schema), `preview` (the lab's next step, explained but not taken),
`panels` (the Glass box's panels for the trace the lab last saw), `worked_example` (that
trace as Markdown or LaTeX, nnsim.worked_example), `compare` (optimisers
side by side, nnsim.compare) and `about` (no lab: the
Python version, whether NumPy imports and how Python started: from the memory snapshot or
plain, and the request limits below; the page's first call), and `modules` (no lab: the names
in sys.modules, from which the build's list of standard-library modules to ship is recorded:
buildtools/stdlib.py). `step` and `preview` take view options so that one user action is one
round trip (docs/architecture.md, "Bridge"). The playground has a session of its own: its
methods are PlaygroundSession.METHODS (it explains a data point with `follow`).
No exception crosses, and no request can take Python down: its size and nesting are
checked on the text, before it is parsed (a deeply nested value would otherwise exhaust the
WebAssembly stack while parsing, a fatal error Pyodide never recovers from).
"""

import json
import os
import re
import sys

# Far above any request the page makes (an exported Digits network is about 100 kB, nested 5
# deep), far below what would strain the worker. The page applies the same limits before
# sending and to whatever it parses (build.py writes them into index.html).
MAX_REQUEST_CHARS = 6_000_000
MAX_NESTING = 32
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")

SESSION_METHODS = ("state", "train", "predict", "reset", "update", "export", "load")

sessions = {}  # lab name -> Session
locks = {}  # lab name -> (preset, {setting: value}) a teacher's link locked (nnsim.teacher)
shown_traces = {}  # lab name -> the trace the lab last received (step or preview), for `panels`


def simulator(preset):
    """A function settings -> the preset's session, imported on first use: a simulator that
    fails to import then answers the page's first call with its error, instead of killing the
    worker without a word. The playground has a session of its own (nnsim.playground)."""
    if preset == "playground":
        from nnsim.playground.session import PlaygroundSession

        return PlaygroundSession
    from nnsim.session import Session

    return lambda settings: Session(preset, settings)


class SimulatorBroken(Exception):
    """nnsim could not be imported: a broken build, reported in its own words (it is not the
    user's input, and the page shows it as the reason Python could not start)."""


def about():
    try:
        from nnsim import arrays
    except Exception as error:
        raise SimulatorBroken(f"The simulator (py/nnsim) could not be loaded: {error}") from None
    return {
        "python": sys.version.split()[0],
        "numpy": arrays.numpy_available(),
        # How Python started: set by site/js/pyodide-loader.mjs, absent without a snapshot.
        "start": os.environ.get("GLASSBOX_PYTHON_START", "plain"),
        "start_reason": os.environ.get("GLASSBOX_PYTHON_START_REASON", ""),
        "limits": about_limits(),
    }


def about_limits():
    """The request limits, as the page reads them (build.py writes them into index.html)."""
    return {"request_chars": MAX_REQUEST_CHARS, "nesting": MAX_NESTING}


def open_session(lab, preset=None, settings=None, teacher=None):
    """The lab's new session. `teacher`: {hide, lock, link}, a link's flags and the settings
    it names: the state then says which names hide and lock (`teacher`: {hide, lock,
    problems}), and every locked setting keeps the link's value, whatever `settings` say."""
    from nnsim import teacher as teacher_module

    preset = preset or lab
    flags = None
    if teacher is not None:
        if not isinstance(teacher, dict) or set(teacher) - {"hide", "lock", "link"}:
            raise ValueError("teacher: expected {hide, lock, link}")
        flags = teacher_module.flags(preset, teacher.get("hide"), teacher.get("lock"), teacher.get("link"))
    locked = flags["locked"] if flags else {}
    sessions[lab] = simulator(preset)(teacher_module.with_locks(settings, locked))
    locks[lab] = (preset, locked)
    shown_traces.pop(lab, None)
    state = sessions[lab].state(schema=True)
    if flags:
        state["teacher"] = {key: flags[key] for key in ("hide", "lock", "problems")}
    return state


def check_locks(lab, method, args):
    """ValueError when a call would move a setting the teacher locked (docs/architecture.md,
    "Teacher's flags"): a settings change, a saved or imported network, a new seed."""
    from nnsim import teacher as teacher_module

    preset, locked = locks.get(lab, (None, None))
    if not locked:
        return
    if method == "update":
        teacher_module.check_unlocked(preset, args.get("settings"), locked, "changed")
    elif method == "load":
        exported = args.get("exported")
        settings = exported.get("settings") if isinstance(exported, dict) else None
        teacher_module.check_unlocked(
            preset, settings, locked, "replaced by a network saved with another value"
        )
    elif method == "reset" and args.get("seed") is not None:
        teacher_module.check_unlocked(preset, {"seed": args["seed"]}, locked, "changed")
    elif method == "new_weights" and "seed" in locked:
        teacher_module.check_unlocked(preset, {"seed": None}, locked, "changed")


def views(lab, trace, state=False, panels=None, predict=None, update=None):
    """What a lab's views need besides the trace, in the same answer: the state afterwards
    (`state`: True), the Glass box's panels for a parameter and focus (`panels`:
    {parameter, focus}), the activations for an input (`predict`), one parameter's update
    with its optimiser state (`update`: {parameter}, explain_update.parameter_update)."""
    from nnsim import explain, explain_update

    session = sessions[lab]
    shown_traces[lab] = trace
    answer = {"trace": trace}
    if update is not None:
        if not isinstance(update, dict) or "parameter" not in update:
            raise ValueError('update: expected {"parameter": ["weight", l, j, i]}')
        answer["update"] = explain_update.parameter_update(trace, update["parameter"])
    if state:
        answer["state"] = session.state()
    if panels is not None:
        answer["panels"] = explain.panels(trace, **panels)
    if predict is not None:
        answer["prediction"] = session.predict(predict)
    return answer


def step(lab, explain_next=False, **options):
    """One step. Without options the trace, as Session.step; with them {trace, state?, panels?,
    prediction?, next?}, where `next` (explain_next: True, or preview options) is the preview
    of the step after."""
    trace = sessions[lab].step()
    if not options and not explain_next:
        return trace
    answer = views(lab, trace, **options)
    if explain_next:  # True, or the preview's own view options ({"update": ...})
        answer["next"] = preview(lab, **(explain_next if isinstance(explain_next, dict) else {}))
    return answer


def preview(lab, **options):
    """The step the session would take next, explained, the session unchanged: {trace,
    conventions, steps} (plus the views' options, as step)."""
    from nnsim import explain

    trace = sessions[lab].peek()
    return {**views(lab, trace, **options), **explain.explain(trace)}


def panels(lab, parameter, focus):
    """The Glass box's panels for the trace the lab last received."""
    from nnsim import explain

    if lab not in shown_traces:
        raise ValueError("There is no step to explain yet: take or preview a step first.")
    return explain.panels(shown_traces[lab], parameter, focus)


def dispatch(lab, method, args):
    if method == "about":
        return about()
    if method == "modules":
        return sorted(sys.modules)
    if not isinstance(lab, str) or not lab:
        raise ValueError("The request names no lab.")
    if not isinstance(args, dict):
        raise ValueError("'args' must be an object.")
    if method == "open":
        return open_session(lab, **args)
    if lab not in sessions:
        raise ValueError(f"The {lab} lab has no session yet: open it first.")
    check_locks(lab, method, args)
    own_methods = getattr(sessions[lab], "METHODS", None)  # a session of its own: the playground
    if own_methods is None and method in BRIDGE_METHODS:
        return BRIDGE_METHODS[method](lab, **args)
    if own_methods is not None and method in ("preview", "panels"):
        raise ValueError(f"The {lab} lab explains a data point with 'follow'.")
    if method not in (own_methods or SESSION_METHODS):
        raise ValueError(f"Unknown method {method!r}.")
    return getattr(sessions[lab], method)(**args)


def worked_example(lab, format, trace=None):
    """A trace as a file a teacher keeps (nnsim.worked_example.document: {format, filename,
    media_type, text}): the `trace` the page shows (a walkthrough may still show an
    iteration the session has since taken), else the one the lab last received."""
    from nnsim.worked_example import document

    if trace is None:
        if lab not in shown_traces:
            raise ValueError("There is no step to write out yet: take or preview a step first.")
        trace = shown_traces[lab]
    if not isinstance(trace, dict) or trace.get("kind") not in ("example", "batch"):
        raise ValueError("trace: expected a trace of one step (kind example or batch)")
    try:
        return document(trace, format)
    except (KeyError, TypeError, IndexError):
        raise ValueError("trace: not a complete trace of one step") from None


def compare(lab, steps=None, runs=None):
    """Optimisers side by side on nnsim.compare's ill-conditioned example (the lab's session
    is not touched): {example, runs, surface}; `steps` overrides the example's number, `runs`
    (labels of the example's choices, two or more) its two runs."""
    from nnsim import compare as compare_module

    example = compare_module.ill_conditioned_example()
    steps = example["steps"] if steps is None else steps
    chosen = compare_module.chosen_runs(example, runs)
    example["runs"] = chosen
    runs = compare_module.run_optimizers(
        example["config"], example["inputs"], example["targets"], chosen, steps, track=example["parameters"]
    )
    surface = compare_module.loss_surface(
        example["config"], example["inputs"], example["targets"], example["parameters"], example["ranges"]
    )
    return {
        "example": compare_module.describe_example(example),
        "steps": steps,
        "runs": [{key: run[key] for key in ("label", "status", "losses", "path")} for run in runs],
        "surface": surface,
        "labels": compare_module.labels(runs, surface),
    }


BRIDGE_METHODS = {
    "step": step,
    "preview": preview,
    "panels": panels,
    "compare": compare,
    "worked_example": worked_example,
}


def to_json(response):
    try:
        return json.dumps(response, allow_nan=False, separators=(",", ":"))
    except ValueError:
        from nnsim.trace import json_safe  # JSON has no NaN or Infinity: they cross as null

        return json.dumps(json_safe(response), allow_nan=False, separators=(",", ":"))


def check_size(text):
    """ValueError when the request text is too long or nested too deep to parse safely."""
    if not isinstance(text, str):
        raise ValueError("The request is not JSON text.")
    if len(text) > MAX_REQUEST_CHARS:
        raise ValueError(
            f"The data is too large ({len(text):,} characters; at most "
            f"{MAX_REQUEST_CHARS:,}), so it was not read."
        )
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_NESTING:
            raise ValueError(
                f"The data is nested more than {MAX_NESTING} levels deep, "
                "which no setting or network needs, so it was not read."
            )


def call(request_json):
    try:
        check_size(request_json)
        try:
            request = json.loads(request_json)
        except ValueError:
            raise ValueError("The request is not JSON text.") from None
        if not isinstance(request, dict):
            raise ValueError("The request must be a JSON object.")
        result = dispatch(request.get("lab"), request.get("method"), request.get("args") or {})
        return to_json({"ok": True, "result": result})
    except (ValueError, TypeError, SimulatorBroken) as error:
        # Bad arguments: the simulator's message names the field; say it as it is.
        return to_json({"ok": False, "error": str(error)})
    except ArithmeticError:
        return to_json(
            {
                "ok": False,
                "error": "The numbers grew too large to compute, so this was not done; try smaller values.",
            }
        )
    except Exception as error:  # anything else is a bug: say so plainly, without its text
        return to_json(
            {
                "ok": False,
                "error": "The simulator failed on this request "
                f"({type(error).__name__}). Reload the page if the lab stops answering.",
            }
        )
