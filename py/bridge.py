"""The page's door to the simulator: JSON text in, JSON text out.

PyScript's worker script (py/worker.py) exports `call` to the page. Only strings cross, so no
proxy outlives a call. Request and response, from
docs/architecture.md:

    {"lab": "xor", "method": "step", "args": {...}}
    {"ok": true, "result": ...}  or  {"ok": false, "error": "readable message"}

Methods are the Session methods plus `open` (create or replace the lab's session; answers
with its state), `explain` (nnsim.explain on the lab's last step: {conventions, steps}) and
`preview` (the lab's next step, explained but not taken: {trace, conventions, steps}), and
`about` (no lab: the Python version, whether NumPy imports and how Python started:
from the memory snapshot or plain, and the request limits below; the page's first call).
No exception crosses, and no request can take Python down: its size and nesting are
checked on the text, before it is parsed (a deeply nested value would otherwise exhaust the
WebAssembly stack while parsing, a fatal error Pyodide never recovers from).
"""

import copy
import json
import math
import os
import re
import sys

# Far above any request the page makes (an exported Digits network is about 100 kB, nested 5
# deep), far below what would strain the worker. The page applies the same limits (from
# `about`) before sending.
MAX_REQUEST_CHARS = 6_000_000
MAX_NESTING = 32
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")

SESSION_METHODS = ("state", "step", "train", "predict", "reset", "update", "export", "load")

sessions = {}      # lab name -> Session
last_traces = {}   # lab name -> trace of the lab's last step, for `explain`


def simulator():
    """nnsim's Session, imported on first use: a simulator that fails to import then answers
    the page's first call with its error, instead of killing the worker without a word."""
    from nnsim.session import Session
    return Session


def about():
    from nnsim import arrays
    return {"python": sys.version.split()[0], "numpy": arrays.numpy_available(),
            # How Python started: set by site/js/pyodide-loader.mjs, absent without a snapshot.
            "start": os.environ.get("GLASSBOX_PYTHON_START", "plain"),
            "start_reason": os.environ.get("GLASSBOX_PYTHON_START_REASON", ""),
            "limits": {"request_chars": MAX_REQUEST_CHARS, "nesting": MAX_NESTING}}


def open_session(lab, preset=None, settings=None):
    sessions[lab] = simulator()(preset or lab, settings)
    last_traces.pop(lab, None)
    return sessions[lab].state()


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
    if method == "explain":
        return explain(lab)
    if method == "preview":
        return preview(lab)
    if method not in SESSION_METHODS:
        raise ValueError(f"Unknown method {method!r}.")
    result = getattr(sessions[lab], method)(**args)
    if method == "step":
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


def check_size(text):
    """ValueError when the request text is too long or nested too deep to parse safely."""
    if not isinstance(text, str):
        raise ValueError("The request is not JSON text.")
    if len(text) > MAX_REQUEST_CHARS:
        raise ValueError(f"The data is too large ({len(text):,} characters; at most "
                         f"{MAX_REQUEST_CHARS:,}), so it was not read.")
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_NESTING:
            raise ValueError(f"The data is nested more than {MAX_NESTING} levels deep, "
                             "which no setting or network needs, so it was not read.")


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
    except (ValueError, TypeError) as error:
        # Bad arguments: the simulator's message names the field; say it as it is.
        return to_json({"ok": False, "error": str(error)})
    except ArithmeticError:
        return to_json({"ok": False, "error": "The numbers grew too large to compute, so this "
                        "was not done; try smaller values."})
    except Exception as error:  # anything else is a bug: say so plainly, without its text
        return to_json({"ok": False, "error": "The simulator failed on this request "
                        f"({type(error).__name__}). Reload the page if the lab stops answering."})
