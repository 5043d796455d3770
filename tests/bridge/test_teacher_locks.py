"""A teacher's hide= and lock= flags (nnsim.teacher) through the bridge: Python says which
names are valid, bad names cost only themselves, and a locked setting keeps the link's value
against a control, a saved or imported network and a new seed."""

import pytest
from bridge_calls import call, result
from nnsim import settings, teacher


def test_flags_keep_the_labs_names_and_say_which_were_ignored():
    found = teacher.flags("xor", "seed, saved_work,bogus", "learning_rate,training", {"learning_rate": 0.3})
    assert found["hide"] == ["seed", "saved_work"]
    assert found["lock"] == ["learning_rate"]
    assert found["locked"] == {"learning_rate": 0.3}
    assert len(found["problems"]) == 2
    assert '"bogus" is not among the XOR walkthrough lab\'s controls' in found["problems"][0]
    assert "training can be hidden, not locked" in found["problems"][1]


def test_a_lock_without_a_link_value_holds_the_default():
    assert teacher.flags("digits", None, "hidden")["locked"] == {"hidden": 16}


@pytest.mark.parametrize("text", [42, ["a", 3], ",".join(["seed"] * 61)])
def test_a_malformed_flag_is_ignored_with_a_message(text):
    found = teacher.flags("xor", text, None)
    assert found["hide"] == [] and len(found["problems"]) == 1


def test_the_schema_names_the_controls_that_are_not_settings():
    names = [c["name"] for c in settings.schema("deep")["controls"]]
    assert names == ["saved_work", "training"]


def test_open_puts_locked_settings_at_the_links_value_whatever_is_saved():
    state = result(
        "xor",
        "open",
        {
            "preset": "xor",
            "settings": {"learning_rate": 0.9, "momentum": 0.5},
            "teacher": {"lock": "learning_rate", "hide": "seed", "link": {"learning_rate": 0.3}},
        },
    )
    assert state["settings"]["learning_rate"] == 0.3
    assert state["settings"]["momentum"] == 0.5  # not locked: the saved value stays
    assert state["teacher"] == {"hide": ["seed"], "lock": ["learning_rate"], "problems": []}


def test_a_locked_setting_cannot_be_changed_loaded_or_reseeded():
    result("xor", "open", {"preset": "xor", "teacher": {"lock": "learning_rate,seed"}})
    refused = call("xor", "update", {"settings": {"learning_rate": 0.8}})
    assert not refused["ok"] and "locked by your teacher" in refused["error"]
    assert result("xor", "update", {"settings": {"momentum": 0.5}})["settings"]["momentum"] == 0.5
    exported = result("xor", "export")
    exported["settings"]["learning_rate"] = 0.7
    assert not call("xor", "load", {"exported": exported})["ok"]
    assert not call("xor", "reset", {"seed": 9})["ok"]
    assert result("xor", "state")["settings"]["learning_rate"] == 0.5


def test_the_playgrounds_new_weights_respect_a_locked_seed():
    result("pg", "open", {"preset": "playground", "teacher": {"lock": "seed"}})
    assert not call("pg", "new_weights")["ok"]
    assert result("pg", "state")["settings"]["seed"] == 1


def test_a_bad_teacher_argument_is_refused_and_opening_without_one_unlocks():
    assert not call("xor", "open", {"preset": "xor", "teacher": {"eval": "x"}})["ok"]
    result("xor", "open", {"preset": "xor", "teacher": {"lock": "seed"}})
    result("xor", "open", {"preset": "xor"})
    assert result("xor", "reset", {"seed": 9})["settings"]["seed"] == 9
