"""Session: the app-facing facade, one per lab (docs/architecture.md, "Session").

All arguments and results are plain data. Bad arguments raise ValueError naming the field.
"""

import math

from . import config as config_module
from . import explain, presets, status
from . import settings as settings_module
from .network import Network
from .settings import MAX_TRAIN_ITERATIONS
from .trace import json_safe
from .training import Trainer, example_correct, prediction

EXPORT_FORMAT = "glassbox-session"
EXPORT_VERSION = 1
SATURATED_SLOPE = 0.01  # f'(z) below this on every training sample: the neuron is saturated
# What a marked neuron's marker says when hovered or focused, and the line under the network.
MARKER_WHY = {
    "saturated": f"Saturated: this neuron's slope f′(z) is below {SATURATED_SLOPE:g} on every "
    "training sample, so any error reaching it is multiplied by almost zero and the "
    "weights into it barely learn.",
    "dead_relu": "Dying ReLU: this neuron's pre-activation z is at or below 0 for every training "
    "sample, so it always outputs 0 with slope 0 and no gradient can bring it back.",
}


def flags_summary(saturated, dead_relu):
    """One line naming how many neurons each marker marks ("" when none is marked)."""
    words = ([f"{len(saturated)} saturated (lock: slope below {SATURATED_SLOPE:g})"] if saturated else []) + (
        [f"{len(dead_relu)} dead ReLU (off for every sample)"] if dead_relu else []
    )
    return f"Marked neurons: {'; '.join(words)}. Hover or focus a marker for why." if words else ""


class Session:
    def __init__(self, preset, settings=None, backend=None):
        self.preset = presets.check_preset(preset)
        self.backend = backend
        self._givens = (None, None)  # (trainer, its examples' input and target labels)
        self._build(presets.validate_settings(preset, settings))

    def _build(self, settings, weights_from=None):
        """Take these settings with a new network and trainer; weights_from: a Trainer to keep
        weights (and counters) from, or None for fresh weights. Everything is built before
        anything is replaced, so a failure leaves the session as it was."""
        setup = presets.setup(self.preset, settings)
        network = Network(setup.config, self.backend)
        if weights_from is not None:
            network.set_parameters(*weights_from.network.parameters())
        dataset = setup.dataset
        trainer = Trainer(
            network,
            dataset["inputs"],
            dataset["targets"],
            settings["learning_rate"],
            batch_size=setup.batch_size,
            seed=settings.get("seed", 0),
            optimizer=setup.optimizer,
            regularizer=setup.regularizer,
            schedule=setup.schedule,
        )
        if weights_from is not None:
            trainer.continue_from(weights_from)
        self.settings, self.setup, self.network, self.trainer = settings, setup, network, trainer

    # -- the contract -------------------------------------------------------------------------

    def state(self, schema=False):
        """The state; with schema=True also the lab's settings schema (whatever changes the
        settings answers with it: open, update, reset, load)."""
        with self.network.ops.quiet():
            state = self._state()
        if schema:
            state["schema"] = settings_module.schema(self.preset)
            state["notation"] = self.notation()
        return state

    def notation(self):
        """The network view's names and symbols for this network (explain.view_notation); the
        digits' input is a 5x5 image."""
        from . import data, explain

        grid = (data.SIDE, data.SIDE) if self.preset == "digits" else None
        return explain.view_notation(self.network.config["layers"], grid)

    def _state(self):
        trainer, network = self.trainer, self.network
        weights, biases = network.parameters()
        heldout = self.setup.heldout
        passes = self._passes()  # one forward pass per training example serves three views
        examples = self._examples(passes)
        loss_history = trainer.loss_history.means()
        accuracy = sum(e["correct"] for e in examples) / len(examples)
        heldout_accuracy = heldout and trainer.accuracy(heldout["inputs"], heldout["targets"])
        norms = [list(p) for p in trainer.weight_norm_history.points]
        # json_safe: outputs of huge (finite) weights can overflow; JSON gets null for them.
        return json_safe(
            {
                "preset": self.preset,
                "settings": dict(self.settings),
                "config": dict(network.config),
                "weights": weights,
                "biases": biases,
                "iteration": trainer.iteration,
                "epoch": trainer.epoch,
                "status": trainer.status,
                "loss_history": loss_history,
                "loss_spread": trainer.loss_history.ranges(),
                "loss_history_stride": trainer.loss_history.stride,
                "training_loss": math.fsum(e["loss"] for e in examples) / len(examples),
                "accuracy": accuracy,
                "heldout_accuracy": heldout_accuracy,
                "examples": examples,
                "neuron_flags": self._neuron_flags(passes),
                "weight_norm_history": norms,
                "converged_at": trainer.converged_at,
                "converged_rate": trainer.converged_rate,
                "converged_now": status.is_converged(examples),
                "messages": {
                    "convergence": status.convergence(
                        trainer.iteration,
                        trainer.learning_rate,
                        trainer.converged_at,
                        trainer.converged_rate,
                        examples,
                    ),
                    "stuck": status.stuck(trainer.iteration, loss_history, examples),
                    "cost_chart": status.cost_chart(trainer.loss_history.stride, self.setup.batch_size),
                },
                "backend": network.backend,
                # The page prints these texts, never the numbers themselves (explain.plain_labels).
                "weight_labels": explain.plain_labels(weights),
                "bias_labels": explain.plain_labels(biases),
                "latest_loss_label": explain.plain_labels(loss_history[-1][1] if loss_history else None),
                "accuracy_label": explain.percent_label(accuracy),
                "heldout_accuracy_label": explain.percent_label(heldout_accuracy),
                "weight_norm_labels": explain.plain_labels([norms[0][1], norms[-1][1]] if norms else None),
            }
        )

    def step(self):
        """One iteration (one full-batch epoch for glassbox) as a trace; it is applied."""
        return self.trainer.trace_step()

    def peek(self):
        """The trace step() would return next, without taking it: the session is unchanged."""
        return self.trainer.peek_step()

    def light_state(self):
        """The counters and the latest loss, without a forward pass or a history: what a
        training chunk's views follow between full states (docs/architecture.md, "Session")."""
        trainer = self.trainer
        points = trainer.loss_history.points
        return {
            "iteration": trainer.iteration,
            "epoch": trainer.epoch,
            "status": trainer.status,
            "converged_at": trainer.converged_at,
            "latest_loss": points[-1][1] if points else None,
            "latest_loss_label": explain.plain_labels(points[-1][1] if points else None),
            "light": True,
        }

    def train(self, max_iterations, budget_ms=40, light=False):
        max_iterations = config_module.integer(max_iterations, "max_iterations", 0, MAX_TRAIN_ITERATIONS)
        budget_ms = config_module.finite_number(budget_ms, "budget_ms")
        if budget_ms <= 0:
            raise ValueError("budget_ms: must be above 0")
        done = self.trainer.train(max_iterations, budget_ms)
        return {"done": done, "state": self.light_state() if light else self.state()}

    def predict(self, input):
        network = self.network
        ops = network.ops
        values = config_module.number_list(input, network.layers[0], "input")
        zs, acts = network.forward(ops.vector(values))
        a = [ops.to_list(layer) for layer in acts]
        output = a[-1]
        return {
            "a": a,
            "a_labels": explain.plain_activations(a),
            "z": [ops.to_list(z) for z in zs],
            "output": output,
            "prediction": prediction(output),
        }

    def reset(self, seed=None):
        """Fresh weights and counters; with a seed, that seed becomes the setting."""
        settings = self.settings
        if seed is not None:
            if "seed" not in self.settings:
                raise ValueError(f"seed: the {self.preset} preset has fixed weights, no seed")
            settings = presets.validate_settings(self.preset, {"seed": seed}, self.settings)
        self._build(settings)
        return self.state(schema=True)

    def update(self, settings):
        """Change some settings. Weights, counters and history stay when the network's shape
        allows; a setting the schema marks `fresh_weights` (seed, scenario, hidden size) gives
        fresh weights. Any change but the learning rate alone builds a new trainer from the
        kept weights, so the optimiser's state (velocity, moments and Adam's t) starts again
        from zero; a schedule goes on from the steps taken. (The learning rate alone keeps
        the trainer, but its recover() zeroes the state too.)"""
        new = presets.validate_settings(self.preset, settings, self.settings)
        old = self.settings
        changed = {k for k in new if new[k] != old[k]}
        if changed <= {"learning_rate"}:
            self.settings = new
            self.trainer.learning_rate = new["learning_rate"]
            self.trainer.recover()
        elif any(
            spec["fresh_weights"] for spec in settings_module.SCHEMAS[self.preset] if spec["name"] in changed
        ):
            self._build(new)
        else:
            self._build(new, weights_from=self.trainer)
        return self.state(schema=True)

    def export(self):
        weights, biases = self.network.parameters()
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "preset": self.preset,
            "settings": dict(self.settings),
            "weights": weights,
            "biases": biases,
            "progress": self.trainer.progress(),
        }

    def load(self, exported):
        """Replace this session's state with an exported one (all or nothing)."""
        if not isinstance(exported, dict):
            raise ValueError("exported: expected an object")
        if exported.get("format") != EXPORT_FORMAT or exported.get("version") != EXPORT_VERSION:
            raise ValueError(f"format: expected {EXPORT_FORMAT} version {EXPORT_VERSION}")
        for field in ("preset", "settings", "weights", "biases", "progress"):
            if field not in exported:
                raise ValueError(f"{field}: missing")
        settings_module.check_exported(presets.check_preset(exported["preset"]), exported["settings"])
        loaded = Session(exported["preset"], exported["settings"], self.backend)
        loaded.network.set_parameters(exported["weights"], exported["biases"])
        loaded.trainer.restore_progress(exported["progress"])
        self.preset, self.settings = loaded.preset, loaded.settings
        self.setup, self.network, self.trainer = loaded.setup, loaded.network, loaded.trainer
        return self.state(schema=True)

    # -- derived views ------------------------------------------------------------------------

    def _passes(self):
        """(zs, acts) of every training example, as backend vectors."""
        return [self.network.forward(x) for x in self.trainer.inputs]

    def _given_labels(self):
        """Each example's input and target labels, written once per trainer (its data)."""
        trainer, ops = self.trainer, self.network.ops
        if self._givens[0] is not trainer:
            labels = [
                (explain.given_labels(ops.to_list(x)), explain.given_labels(list(target)))
                for x, target in zip(trainer.inputs, trainer.target_lists)
            ]
            self._givens = (trainer, labels)
        return self._givens[1]

    def _examples(self, passes):
        network, trainer = self.network, self.trainer
        ops = network.ops
        rows = []
        givens = self._given_labels()
        for (zs, acts), y, target, (inputs, targets) in zip(
            passes, trainer.targets, trainer.target_lists, givens
        ):
            output = ops.to_list(acts[-1])
            loss = math.fsum(network.loss_terms(zs, acts, y))
            rows.append(
                {
                    "input": ops.to_list(acts[0]),
                    "target": list(target),
                    "output": output,
                    "loss": loss,
                    # As the page prints them (the inputs and targets as given).
                    "loss_label": explain.plain_labels(loss),
                    "output_labels": explain.plain_labels(output),
                    "input_labels": inputs,
                    "target_labels": targets,
                    "prediction": prediction(output),
                    "correct": example_correct(output, target),
                }
            )
        return rows

    def _neuron_flags(self, passes):
        """saturated: sigmoid/tanh neurons whose slope f'(z) < 0.01 on EVERY training sample.
        dead_relu: ReLU neurons with z <= 0 on every training sample (slope 0: they cannot
        learn). Neurons are [layer, j] with layer 1..L as in code (0 is the input). With them
        the words the page shows: `summary` (flags_summary) and each marker's `why`."""
        network = self.network
        ops = network.ops
        passes = [([ops.to_list(z) for z in zs], [ops.to_list(a) for a in acts]) for zs, acts in passes]
        saturated, dead = [], []
        for l, activation in enumerate(network.activations):
            flags_saturation = activation.squashing and activation.name != "softmax"
            slopes = [activation.slopes(zs[l], acts[l + 1]) for zs, acts in passes]
            for j in range(network.layers[l + 1]):
                if flags_saturation and all(s[j] < SATURATED_SLOPE for s in slopes):
                    saturated.append([l + 1, j])
                if activation.name == "relu" and all(zs[l][j] <= 0.0 for zs, _ in passes):
                    dead.append([l + 1, j])
        return {
            "saturated": saturated,
            "dead_relu": dead,
            "summary": flags_summary(saturated, dead),
            "why": MARKER_WHY,
        }
