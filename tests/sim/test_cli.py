"""python -m nnsim: trace, train, gradcheck; bad input exits 2 with one line, no traceback."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nnsim.cli import main

ROOT = Path(__file__).resolve().parents[2]

TINY = {"layers": [2, 2, 1], "activations": ["sigmoid", "sigmoid"], "loss": "mse", "bias": True,
        "weights": [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45]]], "biases": [[0.35, 0.35], [0.6]],
        "input": [0.05, 0.1], "target": [0.01], "learning_rate": 0.5}


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, data, name="net.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def test_module_entry_point_from_the_repository_root():
    env = dict(os.environ, PYTHONPATH="py")
    done = subprocess.run([sys.executable, "-m", "nnsim", "trace", "--preset", "xor"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    trace = json.loads(done.stdout)
    assert trace["grad_biases"] is None and trace["biases_after"] is None
    bad = subprocess.run([sys.executable, "-m", "nnsim", "train", "--preset", "xor"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1 and "--iterations" in bad.stderr


def test_trace_config_json(tmp_path, capsys):
    code, out, _ = run(["trace", "--config", write(tmp_path, TINY)], capsys)
    assert code == 0
    trace = json.loads(out)
    for key in ("z", "a", "loss", "delta", "grad_weights", "grad_biases", "weights_after",
                "biases_after"):
        assert key in trace
    assert trace["a"][0] == [0.05, 0.1]
    assert len(trace["z"]) == 2 and len(trace["delta"]) == 2
    assert trace["delta"][1][0] == pytest.approx(0.13849856162855698, abs=1e-12)  # Mazur's
    assert trace["weights_after"][1][0][0] == pytest.approx(0.35891647971788465, abs=1e-12)


def test_trace_config_without_biases(tmp_path, capsys):
    config = dict(TINY, weights=[[[0.5, -0.5]], [[2.0]]], layers=[2, 1, 1])
    del config["biases"]
    del config["bias"]
    code, out, _ = run(["trace", "--config", write(tmp_path, config)], capsys)
    assert code == 0
    trace = json.loads(out)
    assert trace["grad_biases"] is None and trace["biases_after"] is None


@pytest.mark.parametrize("preset", ["xor", "deep", "glassbox", "digits"])
def test_trace_presets(preset, capsys):
    code, out, _ = run(["trace", "--preset", preset], capsys)
    assert code == 0 and json.loads(out)["status"] == "ok"


def test_trace_markdown(capsys):
    pytest.importorskip("nnsim.explain")
    code, out, _ = run(["trace", "--preset", "xor", "--format", "markdown"], capsys)
    assert code == 0 and out.lstrip().startswith("#")


def test_train(capsys):
    code, out, _ = run(["train", "--preset", "xor", "--iterations", "10000", "--seed", "5",
                        "--learning-rate", "0.5"], capsys)
    assert code == 0
    result = json.loads(out)
    assert result["iterations"] == 10000 and result["accuracy"] == 1.0
    assert [e["input"] for e in result["examples"]] == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert result["loss"] < 0.01


def test_gradcheck(tmp_path, capsys):
    for argv in (["gradcheck", "--preset", "deep"],
                 ["gradcheck", "--config", write(tmp_path, TINY)]):
        code, out, _ = run(argv, capsys)
        assert code == 0 and json.loads(out)["max_relative_error"] < 1e-5


@pytest.mark.parametrize("argv,needle", [
    ([], "command"),
    (["fly"], "fly"),
    (["trace"], "--preset"),
    (["trace", "--preset", "mnist"], "mnist"),
    (["trace", "--preset", "xor", "--format", "pdf"], "pdf"),
    (["train", "--preset", "xor", "--iterations", "x"], "--iterations"),
    (["train", "--preset", "xor", "--iterations", "-5"], "iterations"),
    (["train", "--preset", "deep", "--iterations", "5", "--seed", "1"], "seed"),
    (["train", "--preset", "xor", "--iterations", "5", "--learning-rate", "-1"],
     "Learning rate"),
    (["trace", "--config", "/no/such/file.json"], "cannot read"),
])
def test_bad_arguments_exit_2_with_one_line(argv, needle, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err
    assert "Traceback" not in err


@pytest.mark.parametrize("content,needle", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "JSON object"),
    (dict(TINY, colour="red"), "colour"),
    ({k: v for k, v in TINY.items() if k != "input"}, "input"),
    (dict(TINY, input=[1.0]), "input"),
    (dict(TINY, target=[0.5, 0.5]), "target"),
    (dict(TINY, layers=[2, 2000, 1]), "layers[1]"),
    (dict(TINY, activations=["sigmoid", "tanh"], loss="cross_entropy"), "loss"),
    (dict(TINY, weights=[[[0.1, 0.2]], [[0.4]]]), "weights[0]"),
    (dict(TINY, learning_rate="fast"), "learning_rate"),
    (dict(TINY, bias=False), "biases"),
])
def test_bad_configs_exit_2_with_one_line(content, needle, tmp_path, capsys):
    code, out, err = run(["trace", "--config", write(tmp_path, content)], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err
