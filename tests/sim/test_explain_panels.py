"""nnsim.explain's Glass box panels: one parameter's chain rule (one example or the average),
the loss lines and the table symbols. Every line redoes to its result, and each result is the
trace's own number."""

import itertools

import pytest
from nnsim import explain
from nnsim.session import Session
from texcalc import agrees, evaluate, half_unit

SETTINGS = [
    {},
    {"loss": "cross_entropy"},
    {"hidden_activation": "relu", "output_activation": "tanh"},
    {"hidden_activation": "leaky_relu", "output_activation": "linear"},
    {"scenario": "saturated"},
]


def batch_trace(settings, steps=3):
    session = Session("glassbox", settings)
    for _ in range(steps - 1):
        session.step()
    return session.step()


def parameters(trace):
    layers = trace["layers"]
    for l in range(len(layers) - 1):
        for j, i in itertools.product(range(layers[l + 1]), range(layers[l])):
            yield {"kind": "weight", "index": [l, j, i]}
        for j in range(layers[l + 1]):
            yield {"kind": "bias", "index": [l, j]}


def close(result_tex, value):
    return abs(evaluate(result_tex) - value) <= half_unit(result_tex) * (1 + 1e-9)


@pytest.mark.parametrize("settings", SETTINGS)
def test_every_chain_line_redoes_and_ends_on_the_traces_numbers(settings):
    trace = batch_trace(settings)
    for parameter, focus in itertools.product(parameters(trace), [0, 1, 2, 3, "average"]):
        chain = explain.parameter_chain(trace, parameter, focus)
        lines = [ln for step in chain["steps"] for ln in step["lines"]]
        for ln in lines:
            assert agrees(ln["substituted"], ln["result"]), (parameter, focus, ln)
        kind, index = parameter["kind"], parameter["index"]
        l, j = index[0], index[1]

        def pick(values, l=l, j=j, index=index, kind=kind):
            return values[l][j][index[2]] if kind == "weight" else values[l][j]

        plural = "weights" if kind == "weight" else "biases"
        # The last line is the update: the parameter after it; the one before, the mean.
        assert close(lines[-1]["result"], pick(trace[f"{plural}_after"]))
        assert close(lines[-2]["result"], pick(trace[f"grad_{plural}"]))
        if focus == "average":
            for ln, ex in zip(lines, trace["examples"]):
                assert close(ln["result"], pick(ex[f"grad_{plural}"]))
        else:
            ex = trace["examples"][focus]
            assert close(lines[0]["result"], pick(ex[f"grad_{plural}"]))
            delta_line = chain["steps"][1]["lines"][-1]
            assert close(delta_line["result"], ex["delta"][l][j])


def test_cross_entropy_output_delta_is_a_minus_y():
    trace = batch_trace({"loss": "cross_entropy"})
    chain = explain.parameter_chain(trace, {"kind": "weight", "index": [1, 0, 0]}, 0)
    [delta] = chain["steps"][1]["lines"]
    assert delta["general"] == r"\delta_{1}^{(3)} = a_{1}^{(3)} - y"
    assert "cancel" in chain["steps"][1]["text"]
    assert chain["name"] == "hidden 1 → output" and chain["symbol"] == "w_{11}^{(3)}"


def test_hidden_delta_writes_out_the_backprop_sum():
    trace = batch_trace({})
    chain = explain.parameter_chain(trace, {"kind": "weight", "index": [0, 1, 0]}, 2)
    raw = chain["steps"][1]["lines"][0]
    assert raw["general"].endswith(r"= w_{21}^{(3)} \delta_{1}^{(3)}")
    assert close(raw["result"], trace["examples"][2]["raw_error"][0][1])
    assert chain["name"] == "input 1 → hidden 2"


def test_loss_lines_and_symbols():
    trace = batch_trace({})
    lines = explain.loss_lines(trace)
    assert [ln["general"].split(" =")[0] for ln in lines] == ["E_{1}", "E_{2}", "E_{3}", "E_{4}", "E"]
    for ln, ex in zip(lines, trace["examples"]):
        assert agrees(ln["substituted"], ln["result"]) and close(ln["result"], ex["loss"])
    assert close(lines[-1]["result"], trace["loss"])
    symbols = explain.symbols(trace)
    assert symbols["a"][0] == ["x_{1}", "x_{2}"] and symbols["a"][2] == ["a_{1}^{(3)}"]
    assert symbols["w"][1][0][1] == "w_{21}^{(3)}" and symbols["b"][0][1] == "b_{2}^{(2)}"
    assert symbols["delta"][0] == [r"\delta_{1}^{(2)}", r"\delta_{2}^{(2)}"]


def test_a_diverged_update_says_it_was_refused():
    session = Session("glassbox", {"learning_rate": 1e9})
    trace = session.step()
    while trace["status"] != "diverged":
        trace = session.step()
    chain = explain.parameter_chain(trace, {"kind": "weight", "index": [1, 0, 0]}, "average")
    assert "refused" in chain["steps"][-1]["text"]


@pytest.mark.parametrize(
    "parameter,focus",
    [
        ({"kind": "weight", "index": [2, 0, 0]}, 0),
        ({"kind": "weight", "index": [0, 0]}, 0),
        ({"kind": "bias", "index": [0, 5]}, 0),
        ({"kind": "neuron", "index": [0, 0]}, 0),
        ({"kind": "weight", "index": [0, 0, 0]}, 4),
        ({"kind": "weight", "index": [0, 0, 0]}, "all"),
    ],
)
def test_bad_requests_name_the_field(parameter, focus):
    with pytest.raises(ValueError, match="^(parameter|focus)"):
        explain.parameter_chain(batch_trace({}), parameter, focus)
