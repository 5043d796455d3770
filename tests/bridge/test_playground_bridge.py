"""The playground through the bridge: JSON in, JSON out, as the page calls it."""

import json

import bridge


def call(lab, method, **args):
    return json.loads(bridge.call(json.dumps({"lab": lab, "method": method, "args": args})))


def test_open_train_heatmaps_follow():
    opened = call("playground", "open", preset="playground", settings={"dataset": "xor", "points": 100})
    assert opened["ok"] and opened["result"]["settings"]["dataset"] == "xor"
    trained = call("playground", "train", max_epochs=3, budget_ms=10_000)
    assert trained["result"]["done"] == 3
    maps = call("playground", "heatmaps", size=20)["result"]
    assert maps["size"] == 20 and len(maps["layers"]) == 4
    followed = call("playground", "follow", point=0, parameter={"kind": "bias", "index": [2, 0]})["result"]
    assert followed["steps"][0]["id"] == "features"
    csv = call("playground", "export_csv")["result"]["csv"]
    assert csv == "x1,x2,label\n"


def test_bad_calls_answer_with_messages():
    call("playground", "open", preset="playground")
    bad = call("playground", "import_csv", text="1,2\n")
    assert bad == {"ok": False, "error": "line 1: expected 3 fields x1,x2,label, got 2"}
    assert call("playground", "preview")["error"] == "The playground lab explains a data point with 'follow'."
    assert call("playground", "panels", parameter={}, focus=0)["ok"] is False
    assert call("playground", "step")["result"]["state"]["iteration"] == 1  # its own step
    assert call("playground", "step_all")["error"] == "Unknown method 'step_all'."
    assert call("playground", "update", settings={"dataset": "plane"})["ok"] is False
    assert call("playground", "state")["ok"]


def test_other_labs_still_open_and_step():
    assert call("xor", "open")["ok"]
    assert call("xor", "step")["result"]["kind"] == "example"
    assert call("xor", "preview")["result"]["steps"]
    assert call("xor", "heatmaps")["error"] == "Unknown method 'heatmaps'."
