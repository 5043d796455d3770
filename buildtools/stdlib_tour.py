"""Every bridge call of every lab, once, with the standard library the build ships
(buildtools/check_stdlib.mjs runs it under Pyodide): a lazy import the end-to-end suite's
recording missed fails here, at build time."""

import json

from bridge import call


def ask(lab, method, **args):
    response = json.loads(call(json.dumps({"lab": lab, "method": method, "args": args})))
    if not response["ok"]:
        raise RuntimeError(f"{lab}.{method}: {response['error']}")
    return response["result"]


ask("", "about")
for lab in ("xor", "deep", "glassbox", "digits"):
    state = ask(lab, "open", preset=lab, settings={})
    ask(lab, "step")
    ask(lab, "step", state=True, explain_next=True, predict=state["examples"][0]["input"])
    ask(lab, "preview", state=True)
    ask(lab, "train", max_iterations=50, budget_ms=1000)
    ask(lab, "predict", input=state["examples"][0]["input"])
    ask(lab, "load", exported=ask(lab, "export"))
    ask(lab, "update", settings={"learning_rate": 0.3})
    ask(lab, "reset")
    ask(lab, "state")
for parameter in (None, {"kind": "weight", "index": [0, 0, 0]}, {"kind": "bias", "index": [1, 0]}):
    for focus in (0, "average"):
        ask("glassbox", "panels", parameter=parameter, focus=focus)
# Bad input takes the error paths (readable messages, never a traceback).
assert not json.loads(call("not json"))["ok"]
assert not json.loads(
    call(json.dumps({"lab": "xor", "method": "update", "args": {"settings": {"learning_rate": "fast"}}}))
)["ok"]
ask("", "modules")
