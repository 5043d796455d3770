"""python -m nnsim: trace, train, gradcheck; bad input exits 2 with one line, no traceback."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nnsim.cli import main

ROOT = Path(__file__).resolve().parents[2]

TINY = {
    "layers": [2, 2, 1],
    "activations": ["sigmoid", "sigmoid"],
    "loss": "mse",
    "bias": True,
    "weights": [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45]]],
    "biases": [[0.35, 0.35], [0.6]],
    "input": [0.05, 0.1],
    "target": [0.01],
    "learning_rate": 0.5,
}


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
    done = subprocess.run(
        [sys.executable, "-m", "nnsim", "trace", "--preset", "xor"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    trace = json.loads(done.stdout)
    assert trace["grad_biases"] is None and trace["biases_after"] is None
    bad = subprocess.run(
        [sys.executable, "-m", "nnsim", "train", "--preset", "xor"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1 and "--iterations" in bad.stderr


def test_trace_config_json(tmp_path, capsys):
    code, out, _ = run(["trace", "--config", write(tmp_path, TINY)], capsys)
    assert code == 0
    trace = json.loads(out)
    for key in ("z", "a", "loss", "delta", "grad_weights", "grad_biases", "weights_after", "biases_after"):
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
    code, out, _ = run(
        ["train", "--preset", "xor", "--iterations", "10000", "--seed", "5", "--learning-rate", "0.5"], capsys
    )
    assert code == 0
    result = json.loads(out)
    assert result["iterations"] == 10000 and result["accuracy"] == 1.0
    assert [e["input"] for e in result["examples"]] == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert result["loss"] < 0.01


def test_gradcheck(tmp_path, capsys):
    for argv in (["gradcheck", "--preset", "deep"], ["gradcheck", "--config", write(tmp_path, TINY)]):
        code, out, _ = run(argv, capsys)
        assert code == 0 and json.loads(out)["max_relative_error"] < 1e-5


@pytest.mark.parametrize(
    "argv,needle",
    [
        ([], "command"),
        (["fly"], "fly"),
        (["trace"], "--preset"),
        (["trace", "--preset", "mnist"], "mnist"),
        (["trace", "--preset", "xor", "--format", "pdf"], "pdf"),
        (["train", "--preset", "xor", "--iterations", "x"], "--iterations"),
        (["train", "--preset", "xor", "--iterations", "-5"], "iterations"),
        (["train", "--preset", "deep", "--iterations", "5", "--seed", "1"], "seed"),
        (["train", "--preset", "xor", "--iterations", "5", "--learning-rate", "-1"], "Learning rate"),
        (["trace", "--config", "/no/such/file.json"], "cannot read"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(argv, needle, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "content,needle",
    [
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
    ],
)
def test_bad_configs_exit_2_with_one_line(content, needle, tmp_path, capsys):
    code, out, err = run(["trace", "--config", write(tmp_path, content)], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err


# -- train --config: a batch, an optimiser, a penalty, a schedule --------------------------------

BATCH = {
    "layers": [2, 2, 1],
    "activations": ["tanh", "sigmoid"],
    "loss": "mse",
    "seed": 3,
    "inputs": [[0, 0], [0, 1], [1, 0], [1, 1]],
    "targets": [[0], [1], [1], [1]],
    "learning_rate": 0.05,
    "optimizer": {"name": "adam", "beta1": 0.8},
    "regularization": {"kind": "l2", "rate": 0.01},
    "schedule": {"name": "cosine", "t_max": 10},
}


def test_train_config_runs_full_batch_steps(tmp_path, capsys):
    from nnsim import optimizers, regularization, schedules
    from nnsim.network import Network
    from nnsim.training import Trainer

    code, out, err = run(
        ["train", "--config", write(tmp_path, BATCH), "--steps", "12", "--format", "json"], capsys
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["steps"] == 12 and result["status"] == "ok"
    assert len(result["loss_history"]) == 12
    assert result["optimizer"] == {"name": "adam", "beta1": 0.8, "beta2": 0.999, "eps": 1e-8}
    assert result["schedule"] == {"name": "cosine", "t_max": 10, "eta_min": 0.0}
    assert result["regularization"] == {"kind": "l2", "rate": 0.01}
    # the same run through the library, step by step
    config = {k: BATCH[k] for k in ("layers", "activations", "loss", "seed")}
    trainer = Trainer(
        Network(config),
        BATCH["inputs"],
        BATCH["targets"],
        0.05,
        batch_size=4,
        optimizer=optimizers.read(BATCH["optimizer"]),
        regularizer=regularization.read(BATCH["regularization"]),
        schedule=schedules.read(BATCH["schedule"]),
    )
    traces = [trainer.trace_step() for _ in range(12)]
    assert [t["kind"] for t in traces] == ["batch"] * 12
    assert result["loss_history"] == [t["objective"] for t in traces]
    assert result["weights"] == traces[-1]["weights_after"]
    assert result["biases"] == traces[-1]["biases_after"]
    assert result["loss_history"][-1] < result["loss_history"][0]


def test_train_config_defaults_and_single_example(tmp_path, capsys):
    code, out, _ = run(["train", "--config", write(tmp_path, TINY), "--steps", "1"], capsys)
    assert code == 0
    result = json.loads(out)
    trace = json.loads(run(["trace", "--config", write(tmp_path, TINY)], capsys)[1])
    assert result["optimizer"] == {"name": "sgd"} and result["schedule"] == {"name": "constant"}
    assert result["weights"] == trace["weights_after"]  # Mazur's example, one SGD step
    adam = dict(BATCH, optimizer={"name": "adam"})
    del adam["learning_rate"]
    result = json.loads(run(["train", "--config", write(tmp_path, adam), "--steps", "0"], capsys)[1])
    assert result["learning_rate"] == 0.001 and result["loss_history"] == []


def test_train_config_stops_when_diverged(tmp_path, capsys):
    config = dict(
        BATCH,
        activations=["linear", "linear"],
        learning_rate=1e6,
        optimizer={"name": "sgd"},
        schedule={"name": "constant"},
    )
    code, out, _ = run(["train", "--config", write(tmp_path, config), "--steps", "50"], capsys)
    result = json.loads(out)
    assert code == 0 and result["status"] == "diverged" and result["steps"] < 50
    assert len(result["loss_history"]) == result["steps"]


@pytest.mark.parametrize(
    "change,needle",
    [
        ({"optimizer": {"name": "adagrad"}}, "optimizer.name"),
        ({"optimizer": {"name": "adam", "beta2": 1.5}}, "optimizer.beta2"),
        ({"optimizer": {"name": "sgd", "momentum": 0.9}}, "optimizer.momentum"),
        ({"optimizer": "adam"}, "optimizer: expected an object"),
        ({"regularization": {"kind": "l2", "rate": -0.1}}, "regularization.rate"),
        ({"regularization": {"kind": "dropout", "rate": 0.5}}, "regularization.kind"),
        ({"schedule": {"name": "step"}}, "schedule.step_size"),
        ({"schedule": {"name": "cosine", "t_max": 5, "gamma": 0.5}}, "schedule.gamma"),
        ({"inputs": [[0, 0], [1]]}, "inputs[1]"),
        ({"inputs": []}, "inputs: expected a list of examples"),
        ({"targets": [[0], [1]]}, "targets: expected 4"),
        ({"input": [0, 0]}, "not both"),
        ({"learning_rate": "fast"}, "learning_rate"),
        ({"momentum": 0.9}, "'momentum'"),
    ],
)
def test_train_config_bad_values_exit_2_naming_the_field(change, needle, tmp_path, capsys):
    config = dict(BATCH, **change)
    code, out, err = run(["train", "--config", write(tmp_path, config), "--steps", "3"], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["train", "--config", "CONFIG"], "--steps: required"),
        (["train", "--config", "CONFIG", "--steps", "3", "--seed", "2"], "--seed: only with --preset"),
        (["train", "--config", "CONFIG", "--steps", "-3"], "steps: must be between"),
        (["train", "--preset", "xor", "--steps", "3"], "--steps: only with --config"),
        (["train", "--config", "CONFIG", "--preset", "xor", "--steps", "3"], "not allowed"),
        (["train", "--config", "CONFIG", "--steps", "3", "--format", "csv"], "csv"),
    ],
)
def test_train_arguments_exit_2(argv, needle, tmp_path, capsys):
    path = write(tmp_path, BATCH)
    code, out, err = run([path if a == "CONFIG" else a for a in argv], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err, err


@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_gradcheck_includes_the_penalty(kind, tmp_path, capsys):
    config = dict(BATCH, regularization={"kind": kind, "rate": 0.3})
    code, out, _ = run(["gradcheck", "--config", write(tmp_path, config)], capsys)
    assert code == 0 and json.loads(out)["max_relative_error"] < 1e-5
