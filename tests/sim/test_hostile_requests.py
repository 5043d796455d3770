"""Input from a link, an imported file or a corrupted store: the bridge and the Session refuse
it in plain words that name the field, and change nothing (docs/architecture.md, "Bridge")."""

import copy
import json
import re

import bridge
import pytest
from nnsim import config, explain, gradcheck
from nnsim.network import Network
from nnsim.session import Session
from nnsim.training import Trainer

RAW_PYTHON = re.compile(
    r"unpack|literal for int|state vector|Internal error|Traceback|"
    r"object is not|NoneType|malformed"
)


def call(lab, method, args=None):
    return json.loads(bridge.call(json.dumps({"lab": lab, "method": method, "args": args or {}})))


@pytest.fixture(autouse=True)
def fresh_bridge():
    bridge.sessions.clear()
    yield
    bridge.sessions.clear()


@pytest.mark.parametrize("depth", [bridge.MAX_NESTING + 1, 2500, 100_000])
def test_deep_nesting_is_refused_before_parsing(depth):
    bridge.call(json.dumps({"lab": "deep", "method": "open", "args": {}}))
    text = (
        '{"lab": "deep", "method": "update", "args": {"settings": {"learning_rate": '
        + "[" * depth
        + "]" * depth
        + "}}}"
    )
    response = json.loads(bridge.call(text))
    assert not response["ok"] and "nested" in response["error"]
    # Brackets inside strings are text, not nesting.
    text = json.dumps(
        {"lab": "deep", "method": "update", "args": {"settings": {"learning_rate": "[" * depth}}}
    )
    response = json.loads(bridge.call(text))
    assert not response["ok"] and "Learning rate" in response["error"]


def test_an_oversized_request_is_refused():
    response = json.loads(bridge.call(" " * (bridge.MAX_REQUEST_CHARS + 1)))
    assert not response["ok"] and "too large" in response["error"]


def test_every_page_request_is_within_the_limits():
    """The biggest thing the page sends: a Digits network with a full history."""
    call("digits", "open", {"settings": {"hidden": 64}})
    call("digits", "train", {"max_iterations": 5000, "budget_ms": 10_000})
    exported = call("digits", "export")["result"]
    text = json.dumps({"lab": "digits", "method": "load", "args": {"exported": exported}})
    bridge.check_size(text)
    assert call("digits", "load", {"exported": exported})["ok"]


@pytest.mark.parametrize("targets", [[1e308, -1e308], [1e200, 0.2], [0.8, -1001]])
def test_out_of_range_settings_change_nothing(targets):
    session = Session("deep")
    before = session.export()
    for method in (
        lambda: session.update({"targets": targets}),
        lambda: Session("deep", {"targets": targets}),
    ):
        with pytest.raises(
            ValueError,
            match=r"Targets y .*, y\d: must be at least -1000 and "
            r"at most 1000",
        ):
            method()
    assert session.export() == before
    session.step()  # still works


def test_counters_stay_within_what_javascript_holds_exactly():
    session = Session("xor")
    exported = session.export()
    exported["progress"]["iteration"] = 2**53 - 1
    exported["progress"]["epoch"] = 1
    session.load(exported)
    exported["progress"]["iteration"] = 2**62
    with pytest.raises(
        ValueError, match=f"progress.iteration: must be between 0 and {config.MAX_COUNT}, got {2**62}"
    ):
        session.load(exported)


def corruptions():
    """(name, change of an exported XOR session) the Session must refuse in plain words."""

    def at(path, value):
        def change(exported):
            *parents, last = path
            target = exported
            for key in parents:
                target = target[key]
            target[last] = value

        return change

    history = ("progress", "loss_history")
    values = {
        "nan text": "nan",
        "inf text": "inf",
        "null": None,
        "list": [1],
        "object": {},
        "huge int": 10**400,
        "string number": "1e400",
        "bool": True,
    }
    cases = []
    for name, value in values.items():
        cases += [
            (f"history point {name}", at(history + ("points",), [[1, value]])),
            (f"history capacity {name}", at(history + ("capacity",), value)),
            (f"iteration {name}", at(("progress", "iteration"), value)),
            (f"random state {name}", at(("progress", "random_state"), value)),
            (f"recently_near {name}", at(("progress", "recently_near"), value)),
            *(
                []
                if value is None
                else [(f"optimizer state {name}", at(("progress", "optimizer_state"), value))]
            ),
            (f"order {name}", at(("progress", "order"), value)),
            (f"weight {name}", at(("weights", 0, 0, 0), value)),
        ]
    cases += [
        ("history capacity 1e18", at(history + ("capacity",), 10**18)),
        ("150,000 history points", at(history + ("points",), [[k, 0.1] for k in range(150_000)])),
        ("history point short", at(history + ("points",), [[1]])),
        ("random state short", at(("progress", "random_state"), [3])),
        ("random state wrong size", at(("progress", "random_state"), [3, [1, 2, 3], None])),
        ("count above stride", at(history + ("count",), 5)),
    ]
    return cases


@pytest.mark.parametrize("name, change", corruptions(), ids=[c[0] for c in corruptions()])
def test_corrupted_exports_are_refused_in_plain_words(name, change):
    source = Session("xor")
    source.train(100)
    session = Session("xor")
    session.train(7)
    before = session.export()
    exported = copy.deepcopy(source.export())
    change(exported)
    call("xor", "open")
    response = json.loads(
        bridge.call(
            json.dumps({"lab": "xor", "method": "load", "args": {"exported": exported}}, allow_nan=True)
        )
    )
    assert not response["ok"], name
    message = response["error"]
    assert re.match(r"[a-z_.\[\]0-9]+: ", message), message  # names the field
    assert not RAW_PYTHON.search(message), message
    with pytest.raises(ValueError):
        session.load(exported)
    assert session.export() == before


SOFTMAX = {
    "layers": [2, 3, 3],
    "activations": ["tanh", "softmax"],
    "loss": "cross_entropy",
    "bias": True,
    "init": "xavier",
    "seed": 3,
}


@pytest.mark.parametrize("target", [[0.5, 0.5, 0.5], [1.0, 1.0, 0.0], [0.0, 0.0, 0.0], [2.0, -0.5, 0.0]])
def test_softmax_cross_entropy_refuses_targets_that_are_not_probabilities(target):
    """delta = a - y is exact only for targets summing to 1: the trainer and the gradient check
    refuse other targets alike, so no trace can show a - y where the gradient is not."""
    network = Network(SOFTMAX)
    with pytest.raises(ValueError, match=r"targets\[0\]: .* must sum to 1"):
        Trainer(network, [[0.3, -0.2]], [target], 0.1)
    with pytest.raises(ValueError, match=r"targets\[0\]: .* must sum to 1"):
        gradcheck.check(network, [[0.3, -0.2]], [target])


def test_softmax_cross_entropy_trace_agrees_with_the_gradient_check():
    network = Network(SOFTMAX)
    target = [0.2, 0.7, 0.1]
    report = gradcheck.check(network, [[0.3, -0.2]], [target])
    assert report["max_relative_error"] < 1e-6
    trace = Trainer(network, [[0.3, -0.2]], [target], 0.1).trace_step()
    a, delta = trace["a"][-1], trace["delta"][-1]
    assert delta == pytest.approx([ak - yk for ak, yk in zip(a, target)], abs=1e-15)


def test_a_refused_step_explains_the_selected_parameter_without_its_unbounded_state():
    """AdamW at rate 1001 with an L1 rate of 1e308 (each within its bounds): the step is refused
    and the state it would have made is beyond a float; the panel still answers."""
    call(
        "deep",
        "open",
        {
            "settings": {
                "learning_rate": 1001,
                "optimizer": "adamw",
                "eps": 1001,
                "weight_decay": 1001,
                "regularization": "l1",
                "regularization_rate": 1e308,
            }
        },
    )
    weight = ["weight", 0, 0, 0]
    for method, args in (
        ("preview", {"update": {"parameter": weight}}),
        ("step", {"explain_next": {"update": {"parameter": weight}}}),
    ):
        response = call("deep", method, args)
        assert response["ok"], response
        answer = response["result"].get("next", response["result"])
        assert answer["trace"]["status"] == "diverged"
        state = {entry["name"]: entry for entry in answer["update"]["state"]}
        assert None in [entry["after"] for entry in state.values()]
        assert all(entry["after_tex"] is None for entry in state.values() if entry["after"] is None)


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"schedule": "exponential", "gamma": 1.5}, "at most 1"),
        ({"schedule": "step", "step_size": 3, "gamma": 1e308}, "at most 1"),
        ({"schedule": "cosine", "t_max": 10, "eta_min": 1e308}, "at most 1e9"),
    ],
)
def test_a_schedule_never_makes_a_rate_beyond_a_learning_rate(settings, message):
    """A schedule's rate grows past any float with a factor above 1 or a lowest rate of 1e308,
    and nothing can show a step at such a rate: both are refused as the settings are read."""
    with pytest.raises(ValueError, match=message):
        Session("deep", settings)


def test_an_imported_diverged_status_does_not_make_an_applied_update_read_as_refused():
    source = Session("xor")
    source.train(100)
    exported = source.export()
    exported["progress"]["status"] = "diverged"
    session = Session("xor")
    session.load(exported)
    trace = session.step()
    assert trace["weights_after"] != trace["weights_before"]  # the update was applied
    assert trace["status"] == "ok" and session.state()["status"] == "ok"
    steps = explain.explain(trace)["steps"]
    assert not any("refused" in json.dumps(step) for step in steps)
