"""Glassbox's optimisers, penalties and schedules against PyTorch's own (run by hand).

    pip install torch        # not a dependency of Glassbox; any recent CPU build
    PYTHONPATH=py python3 tools/compare_torch.py [steps]

For every optimiser x {no penalty, L1, L2} x {constant, step, exponential, cosine}: a random
network (its activations, loss and biases drawn too) trains full batch in Glassbox and, from
the same weights in float64, in PyTorch (torch.optim + torch.optim.lr_scheduler, one
scheduler.step() per optimizer.step(), the penalty as a loss term over the weights, AdamW's
decay in a parameter group of the weights only; with L1, a weight carried across 0 is set to
0 after torch's step, Glassbox's one addition). Prints the largest difference of any weight
or bias over all steps, per case and overall. tests/sim/test_torch.py runs it when torch imports.
"""

import random
import sys

import torch
from nnsim import optimizers, regularization, schedules
from nnsim.network import Network
from nnsim.training import Trainer

torch.set_default_dtype(torch.float64)

PENALTIES = [None, {"kind": "l1", "rate": 0.01}, {"kind": "l2", "rate": 0.05}]
SCHEDULES = [
    {"name": "constant"},
    {"name": "step", "step_size": 4, "gamma": 0.5},
    {"name": "exponential", "gamma": 0.95},
    {"name": "cosine", "t_max": 7, "eta_min": 0.001},
]
SETTINGS = {
    "sgd": {},
    "momentum": {"momentum": 0.9},
    "nesterov": {"momentum": 0.8},
    "rmsprop": {"alpha": 0.95, "eps": 1e-6},
    "adam": {"beta1": 0.85, "beta2": 0.99, "eps": 1e-7},
    "adamw": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.1},
}
RATES = {"sgd": 0.3, "momentum": 0.05, "nesterov": 0.05, "rmsprop": 0.01, "adam": 0.02, "adamw": 0.02}

ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.01),
    "linear": lambda z: z,
}


def random_case(seed):
    rng = random.Random(seed)
    layers = [rng.randint(1, 4) for _ in range(rng.randint(2, 4))]
    depth = len(layers) - 1
    loss = rng.choice(["mse", "cross_entropy"])
    output = "sigmoid" if loss == "cross_entropy" else rng.choice(["sigmoid", "tanh", "linear"])
    config = {
        "layers": layers,
        "loss": loss,
        "bias": rng.random() < 0.7,
        "seed": seed,
        "activations": [rng.choice(list(ACTIVATIONS)) for _ in range(depth - 1)] + [output],
    }
    count = rng.randint(1, 4)
    inputs = [[rng.uniform(-1, 1) for _ in range(layers[0])] for _ in range(count)]
    targets = [[rng.random() for _ in range(layers[-1])] for _ in range(count)]
    return config, inputs, targets


def torch_objective(config, weights, biases, inputs, targets, penalty):
    """Mean over examples of Glassbox's loss (mse 1/2 sum, or cross-entropy) plus penalty."""
    a = torch.tensor(inputs)
    for l, w in enumerate(weights):
        z = a @ w.T + (biases[l] if biases else 0.0)
        a = ACTIVATIONS[config["activations"][l]](z)
    y = torch.tensor(targets)
    if config["loss"] == "mse":
        per_example = 0.5 * ((a - y) ** 2).sum(dim=1)
    else:  # sigmoid output, from z as Glassbox computes it
        softplus = torch.nn.functional.softplus
        per_example = (y * softplus(-z) + (1 - y) * softplus(z)).sum(dim=1)
    loss = per_example.mean()
    if penalty is not None:
        if penalty["kind"] == "l1":
            loss = loss + penalty["rate"] * sum(w.abs().sum() for w in weights)
        else:
            loss = loss + penalty["rate"] / 2 * sum((w**2).sum() for w in weights)
    return loss


def torch_optimizer(name, settings, rate, weights, biases):
    groups = [{"params": weights}] + ([{"params": biases}] if biases else [])
    if name == "sgd":
        return torch.optim.SGD(groups, lr=rate)
    if name in ("momentum", "nesterov"):
        return torch.optim.SGD(groups, lr=rate, momentum=settings["momentum"], nesterov=name == "nesterov")
    if name == "rmsprop":
        return torch.optim.RMSprop(groups, lr=rate, alpha=settings["alpha"], eps=settings["eps"])
    betas = (settings["beta1"], settings["beta2"])
    if name == "adam":
        return torch.optim.Adam(groups, lr=rate, betas=betas, eps=settings["eps"])
    groups[0]["weight_decay"] = settings["weight_decay"]
    for group in groups[1:]:
        group["weight_decay"] = 0.0  # Glassbox decays weights, not biases
    return torch.optim.AdamW(groups, lr=rate, betas=betas, eps=settings["eps"])


def torch_scheduler(settings, optimizer):
    name = settings["name"]
    if name == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, settings["step_size"], settings["gamma"])
    if name == "exponential":
        return torch.optim.lr_scheduler.ExponentialLR(optimizer, settings["gamma"])
    if name == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, settings["t_max"], settings["eta_min"])
    return None


def max_difference(name, penalty, schedule, seed, steps):
    """Largest |Glassbox - PyTorch| over every parameter after every one of `steps` steps."""
    config, inputs, targets = random_case(seed)
    network = Network(config, "plain")
    optimizer = {"name": name, **SETTINGS[name]}
    trainer = Trainer(
        network,
        inputs,
        targets,
        RATES[name],
        batch_size=len(inputs),
        optimizer=optimizers.read(optimizer),
        regularizer=regularization.read(penalty),
        schedule=schedules.read(schedule),
    )
    start_weights, start_biases = network.parameters()
    weights = [torch.tensor(w, requires_grad=True) for w in start_weights]
    biases = [torch.tensor(b, requires_grad=True) for b in start_biases or []]
    reference = torch_optimizer(name, SETTINGS[name], RATES[name], weights, biases)
    scheduler = torch_scheduler(schedule, reference)
    worst = 0.0
    for _ in range(steps):
        trainer.step()
        assert trainer.status == "ok", "Glassbox diverged"
        reference.zero_grad()
        torch_objective(config, weights, biases, inputs, targets, penalty).backward()
        before = [w.detach().clone() for w in weights]
        reference.step()
        if penalty is not None and penalty["kind"] == "l1":
            # Glassbox's one addition (nnsim/regularization.py): a weight L1 carried across 0
            # stops at 0. Every step in which none crosses is torch.optim's alone.
            with torch.no_grad():
                for w, old in zip(weights, before):
                    w[w * old < 0] = 0.0
        if scheduler is not None:
            scheduler.step()
        ours_w, ours_b = network.parameters()
        for ours, theirs in zip(ours_w + (ours_b or []), weights + biases):
            worst = max(worst, (torch.tensor(ours) - theirs.detach()).abs().max().item())
    return worst


def cases():
    seed = 0
    for name in optimizers.NAMES:
        for penalty in PENALTIES:
            for schedule in SCHEDULES:
                seed += 1
                yield name, penalty, schedule, seed


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    print(f"torch {torch.__version__}, {steps} full-batch steps per case, float64")
    overall = {}
    for name, penalty, schedule, seed in cases():
        difference = max_difference(name, penalty, schedule, seed, steps)
        overall[name] = max(overall.get(name, 0.0), difference)
        label = "none" if penalty is None else penalty["kind"]
        print(f"{name:9} penalty {label:4} schedule {schedule['name']:11} max |diff| {difference:.2e}")
    for name, difference in overall.items():
        print(f"{name:9} worst over its 12 cases: {difference:.2e}")
    print(f"all: {max(overall.values()):.2e}")


if __name__ == "__main__":
    main()
