"""The page's way into the bridge, for the bridge's tests: one JSON request in, the parsed JSON
answer out (`call`), or the result of an answer that must be ok (`result`)."""

import json

import bridge


def call(lab, method, args=None):
    return json.loads(bridge.call(json.dumps({"lab": lab, "method": method, "args": args or {}})))


def result(lab, method, args=None):
    response = call(lab, method, args)
    assert response["ok"], response
    return response["result"]
