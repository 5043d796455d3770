"""The Playground's page as the other labs' are checked: the output plot first and in view,
the learner's points through a CSV file and back (a link with three classes included), bad
field values refused with a message, and the network kept across a reload."""

import math

from test_bad_input import bad_entries, enter, field_message, numeric_fields, settled_state
from test_playground import idle, lab, open_playground

CSV = "x1,x2,label\n-3,2.5,0\n1.25,-4,1\n0,0,2\n5.5,-6,2\n"


def test_the_output_comes_first_and_in_view(open_lab, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_playground(open_lab)
    plot = lab(page).locator(".pg-plot").bounding_box()
    controls = lab(page).locator(".pg-controls").bounding_box()
    assert plot["y"] + plot["height"] <= 800, plot
    assert plot["y"] < controls["y"]
    play = lab(page).locator("button[name=play]").bounding_box()
    assert play["y"] + play["height"] <= plot["y"]


def test_a_csv_file_imports_with_three_classes_and_exports_the_same_points(open_lab, bridge, tmp_path):
    page = open_playground(open_lab, {"dataset": "own", "classes": 3, "output_activation": "softmax"})
    assert lab(page).locator("select[name=own_class] option").count() == 3
    path = tmp_path / "points.csv"
    path.write_text(CSV)
    lab(page).locator("input[name=own_import]").set_input_files(str(path))
    page.wait_for_function(
        "document.querySelector('.pg-own-message').textContent.includes('4 points imported')"
    )
    idle(page)
    data = bridge(page, "playground", "data")
    assert list(zip(data["x1"], data["x2"], data["label"])) == [
        (-3, 2.5, 0),
        (1.25, -4, 1),
        (0, 0, 2),
        (5.5, -6, 2),
    ]
    assert lab(page).locator(".pg-points .pg-class-2").count() == 2
    with page.expect_download() as download:
        lab(page).locator("button[name=own_export]").click()
    exported = tmp_path / "out.csv"
    download.value.save_as(exported)
    again = [tuple(float(v) for v in row.split(",")) for row in exported.read_text().strip().splitlines()[1:]]
    assert again == [(-3, 2.5, 0), (1.25, -4, 1), (0, 0, 2), (5.5, -6, 2)]
    # a bad file is refused whole, its line named, the points kept
    path.write_text("x1,x2,label\n1,2,0\n1,2,3\n")
    lab(page).locator("input[name=own_import]").set_input_files(str(path))
    page.wait_for_function("document.querySelector('.pg-own-message').textContent.includes('line 3')")
    idle(page)
    assert "nothing changed" in lab(page).locator(".pg-own-message").inner_text()
    assert bridge(page, "playground", "data")["label"] == [0, 1, 2, 2]


def test_numeric_fields_refuse_bad_values_with_a_message(open_lab, bridge):
    page = open_playground(open_lab)
    fields = numeric_fields(page)
    assert len(fields) >= 6
    for field in fields:
        for kind, text in bad_entries(field):
            before = settled_state(page, bridge, "playground")["settings"]
            enter(page, field["key"], text)
            idle(page)
            after = settled_state(page, bridge, "playground")["settings"]
            invalid = page.get_attribute(f'[data-test-field="{field["key"]}"]', "aria-invalid")
            where = f"field {field['label']!r}, {kind} entry {text!r}"
            assert field_message(page, field["key"]), f"{where}: no visible message"
            if invalid == "true":
                assert after == before, f"{where}: a rejected value reached the simulator"
            else:
                changed = {k: v for k, v in after.items() if before.get(k) != v}
                for value in changed.values():
                    assert isinstance(value, (int, float)) and math.isfinite(value), where


def test_the_network_survives_a_reload(open_lab, bridge, wait_ready):
    page = open_playground(open_lab, {"optimizer": "adam", "learning_rate": 0.01})
    lab(page).locator("button[name=add_layer]").click()
    idle(page)
    for _ in range(3):
        lab(page).locator("button[name=step]").click()
        idle(page)
    before = bridge(page, "playground", "state")
    assert before["iteration"] == 3 and len(before["settings"]["hidden"]) == 3
    page.wait_for_function(
        """iteration => JSON.parse(localStorage.getItem('glassbox:saved:playground') || 'null')
            ?.exported?.progress?.iteration === iteration""",
        arg=3,
        timeout=10_000,
    )
    page.reload()
    wait_ready(page)
    idle(page)
    after = bridge(page, "playground", "state")
    for key in ("settings", "weights", "biases", "iteration", "epoch", "history"):
        assert after[key] == before[key], key
    assert lab(page).locator(".pg-layer-list li").count() == 3
    assert lab(page).locator("select[name=optimizer]").input_value() == "adam"
