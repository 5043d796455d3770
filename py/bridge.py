"""The page's door to the simulator: JSON text in, JSON text out.

PyScript's worker script (py/worker.py) exports `call` to the page. Only strings cross, so no
proxy outlives a call. Request and response, from
docs/architecture.md:

    {"lab": "xor", "method": "step", "args": {...}}
    {"ok": true, "result": ...}  or  {"ok": false, "error": "readable message"}

Methods are the Session methods (the playground's: PlaygroundSession.METHODS) plus `open`
(create or replace the lab's session; answers with its state), `explain` (nnsim.explain on the lab's last step: {conventions, steps}) and
`preview` (the lab's next step, explained but not taken: {trace, conventions, steps}), and
`about` (no lab: the Python version, whether NumPy imports and how Python started:
from the memory snapshot or plain; the page's first call).
No exception crosses.
"""

import copy
import json
import math
import os
import sys

SESSION_METHODS = ("state", "step", "train", "predict", "reset", "update", "export", "load")

sessions = {}      # lab name -> Session
last_traces = {}   # lab name -> trace of the lab's last step, for `explain`


def simulator(preset):
    """A function settings -> the preset's session, imported on first use: a simulator that
    fails to import then answers the page's first call with its error, instead of killing the
    worker without a word. The playground has a session of its own (nnsim.playground)."""
    if preset == "playground":
        from nnsim.playground.session import PlaygroundSession
        return PlaygroundSession
    from nnsim.session import Session
    return lambda settings: Session(preset, settings)


def methods(session):
    """The methods the page may call on a session: its own list, or Session's."""
    return getattr(session, "METHODS", SESSION_METHODS)


def steps_are_traces(session):
    """Session.step returns the trace the formula panel explains; the playground's step
    returns its state, and it explains a data point with `follow` instead."""
    return "follow" not in methods(session)


def about():
    from nnsim import arrays
    return {"python": sys.version.split()[0], "numpy": arrays.numpy_available(),
            # How Python started: set by site/js/pyodide-loader.mjs, absent without a snapshot.
            "start": os.environ.get("GLASSBOX_PYTHON_START", "plain"),
            "start_reason": os.environ.get("GLASSBOX_PYTHON_START_REASON", "")}


def open_session(lab, preset=None, settings=None):
    sessions[lab] = simulator(preset or lab)(settings)
    last_traces.pop(lab, None)
    return sessions[lab].state(schema=True)


def explain(lab):
    if lab not in last_traces:
        raise ValueError("There is no step to explain yet: take a step first.")
    from nnsim.explain import explain as explain_trace  # only labs that explain import it
    return explain_trace(last_traces[lab])


def preview(lab):
    """The step the session would take next, on a copy: the session itself does not move."""
    from nnsim.explain import explain as explain_trace
    trace = copy.deepcopy(sessions[lab]).step()
    return {"trace": trace, **explain_trace(trace)}


def dispatch(lab, method, args):
    if method == "about":
        return about()
    if not isinstance(lab, str) or not lab:
        raise ValueError("The request names no lab.")
    if not isinstance(args, dict):
        raise ValueError("'args' must be an object.")
    if method == "open":
        return open_session(lab, **args)
    if lab not in sessions:
        raise ValueError(f"The {lab} lab has no session yet: open it first.")
    if method in ("explain", "preview") and not steps_are_traces(sessions[lab]):
        raise ValueError(f"The {lab} lab explains a data point with 'follow'.")
    if method == "explain":
        return explain(lab)
    if method == "preview":
        return preview(lab)
    if method not in methods(sessions[lab]):
        raise ValueError(f"Unknown method {method!r}.")
    result = getattr(sessions[lab], method)(**args)
    if method == "step" and steps_are_traces(sessions[lab]):
        last_traces[lab] = result
    return result


def finite(value):
    """JSON has no NaN or Infinity: a diverged number crosses as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(item) for item in value]
    return value


def to_json(response):
    try:
        return json.dumps(response, allow_nan=False, separators=(",", ":"))
    except ValueError:
        return json.dumps(finite(response), allow_nan=False, separators=(",", ":"))


def call(request_json):
    try:
        try:
            request = json.loads(request_json)
        except (TypeError, ValueError):
            raise ValueError("The request is not JSON text.") from None
        if not isinstance(request, dict):
            raise ValueError("The request must be a JSON object.")
        result = dispatch(request.get("lab"), request.get("method"), request.get("args") or {})
        return to_json({"ok": True, "result": result})
    except (ValueError, TypeError) as error:
        # Bad arguments: the simulator's message names the field; say it as it is.
        return to_json({"ok": False, "error": str(error)})
    except Exception as error:  # anything else is a bug, but it still must not cross raw
        return to_json({"ok": False, "error": f"Internal error ({type(error).__name__}): {error}"})

