"""The settings schema (nnsim.settings): the data the page builds its controls from is the data
validation uses, so every bound and choice it shows is one the simulator accepts."""

import json
import re

import pytest
from nnsim import settings
from nnsim.session import Session

LABS = [name for name, _ in settings.LABS]


def specs(lab):
    return settings.schema(lab)["settings"]


@pytest.mark.parametrize("lab", LABS)
def test_schema_is_plain_data_and_its_defaults_are_valid(lab):
    schema = settings.schema(lab)
    assert json.loads(json.dumps(schema, allow_nan=False)) == schema
    assert schema["title"] == settings.TITLES[lab]
    defaults = {spec["name"]: spec["default"] for spec in schema["settings"]}
    assert settings.validate(lab, {}) == defaults
    session = Session(lab)
    assert "schema" not in session.state()
    for state in (
        session.state(schema=True),
        session.update({}),
        session.reset(),
        session.load(session.export()),
    ):
        assert state["schema"] == schema
    for spec in schema["settings"]:
        assert spec["label"] and spec["kind"] in ("number", "integer", "choice", "boolean", "vector", "list")


@pytest.mark.parametrize("lab", LABS)
def test_bounds_in_the_schema_are_the_bounds_validation_applies(lab):
    for spec in specs(lab):
        name, label = spec["name"], re.escape(spec["label"])
        if spec["kind"] == "integer":
            for good in (spec["min"], spec["max"]):
                assert settings.validate(lab, {name: good})[name] == good
            for bad in (spec["min"] - 1, spec["max"] + 1):
                with pytest.raises(ValueError, match=f"^{label}"):
                    settings.validate(lab, {name: bad})
        if spec["kind"] == "number":
            for bound, exclusive, outside in (
                (spec["min"], spec["min_exclusive"], -1),
                (spec["max"], spec["max_exclusive"], 1),
            ):
                if bound is None:
                    continue
                if exclusive:
                    with pytest.raises(ValueError, match=f"^{label}"):
                        settings.validate(lab, {name: bound})
                else:
                    assert settings.validate(lab, {name: bound})[name] == bound
                with pytest.raises(ValueError, match=f"^{label}"):
                    settings.validate(lab, {name: bound + outside * (abs(bound) * 0.5 + 0.5)})
        if spec["kind"] == "choice":
            for option in spec["choices"]:
                merged = dict(settings.defaults(lab), **{name: option["value"]})
                if all(rule_allows(rule, merged) for rule in settings.schema(lab)["rules"]):
                    assert settings.validate(lab, {name: option["value"]})[name] == option["value"]
            with pytest.raises(ValueError, match=f"^{label}: unknown choice"):
                settings.validate(lab, {name: "no-such-choice"})


def rule_allows(rule, merged):
    return merged[rule["setting"]] not in rule["values"] or merged[rule["needs"]] in rule["allowed"]


def test_rules_are_enforced_with_the_schema_words():
    [rule] = settings.schema("glassbox")["rules"]
    assert (rule["setting"], rule["needs"], rule["fallback"]) == ("loss", "output_activation", "mse")
    with pytest.raises(ValueError) as refused:
        settings.validate("glassbox", {"output_activation": "relu", "loss": "cross_entropy"})
    message = str(refused.value)
    assert message.startswith("Loss: Cross-entropy needs Output activation Sigmoid, not ReLU.")
    assert rule["reason"] in message
    # the fallback is always allowed: the page may move to it without asking
    for option in ("tanh", "relu", "leaky_relu", "linear"):
        settings.validate("glassbox", {"output_activation": option, "loss": rule["fallback"]})


def test_fresh_weights_flag_drives_update():
    session = Session("glassbox")
    session.train(20, budget_ms=10_000)
    fresh = {spec["name"] for spec in specs("glassbox") if spec["fresh_weights"]}
    assert fresh == {"scenario", "seed"}
    assert session.update({"hidden_activation": "tanh"})["iteration"] == 20
    assert session.update({"scenario": "or"})["iteration"] == 0


def test_list_kind_checks_every_entry_by_position():
    spec = settings.list_of(
        "hidden_layers",
        "Hidden layers",
        [4],
        settings.integer("", "", 4, min=1, max=8),
        min_length=0,
        max_length=6,
    )
    assert settings.check(spec, [1, 8], spec["label"]) == [1, 8]
    with pytest.raises(ValueError, match="^Hidden layers, entry 2: must be between 1 and 8"):
        settings.check(spec, [1, 9], spec["label"])
    with pytest.raises(ValueError, match="^Hidden layers: expected 0 to 6 entries"):
        settings.check(spec, [1] * 7, spec["label"])


def test_parameter_limit_is_the_trainers():
    from nnsim.training import PARAMETER_LIMIT

    assert settings.schema("glassbox")["limits"]["parameter"]["max"] == PARAMETER_LIMIT


@pytest.mark.parametrize("lab", LABS)
def test_the_diverged_message_names_the_limit_and_the_way_back(lab):
    message = settings.schema(lab)["messages"]["diverged"]
    assert message.startswith("Training diverged") and "±10000" in message
    assert settings.RECOVERY[lab] in message
