"""PlaygroundSession: the playground lab's facade. Plain data in and out; bad arguments raise
ValueError naming the field (docs/architecture.md, "Playground").
"""

from .. import config as config_module
from .. import explain
from .. import settings as schema_module
from ..arrays import PlainOps
from ..history import BoundedSeries
from ..training import PARAMETER_LIMIT
from . import datasets, features, heatmaps, own_points
from . import settings as settings_module
from .columns import Model
from .follow import check_parameter, follow
from .trainer import History, Points, Trainer

EXPORT_FORMAT = "glassbox-session"
EXPORT_VERSION = 1
PRESET = settings_module.PRESET
MAX_TRAIN_EPOCHS = 100_000


class PlaygroundSession:
    # What the page may call through the bridge (py/bridge.py).
    METHODS = (
        "state",
        "data",
        "step",
        "train",
        "reset",
        "new_weights",
        "update",
        "set_parameter",
        "heatmaps",
        "predict",
        "follow",
        "add_point",
        "remove_point",
        "clear_points",
        "import_csv",
        "export_csv",
        "export",
        "load",
    )

    def __init__(self, settings=None, own=None):
        self.settings = settings_module.validate(settings)
        self.own = [] if own is None else own  # the learner's points [(x1, x2, label)]
        self._start()

    # -- building -----------------------------------------------------------------------------

    @property
    def task(self):
        return settings_module.task(self.settings)

    def points(self):
        """Every data point (x1, x2, label) in order: generated from the seed, or the own."""
        s = self.settings
        if s["dataset"] == "own":
            return list(self.own)
        return datasets.generate(s["dataset"], s["points"], s["noise"] / 100, s["data_seed"])

    def _split(self):
        """(training Points, test Points) and, per point, its role and index there."""
        s, task = self.settings, self.task
        roles, chosen = [], {"train": [], "test": []}
        for index, point in enumerate(self.points()):
            role = "test" if datasets.is_test(index, s["train_share"]) else "train"
            roles.append((role, len(chosen[role])))
            chosen[role].append(point)
        parts = [
            Points(
                [p[0] for p in chosen[role]],
                [p[1] for p in chosen[role]],
                [p[2] for p in chosen[role]],
                s["features"],
                task,
                s["output_activation"],
            )
            for role in ("train", "test")
        ]
        return parts[0], parts[1], roles

    def _start(self):
        """Data from the settings, and the seed's starting weights with fresh counters."""
        config = settings_module.network_config(self.settings)
        train, test, self.roles = self._split()
        model = Model(config, *config_module.initial_parameters(config))
        self.trainer = Trainer(
            model,
            train,
            test,
            self.settings["learning_rate"],
            self.settings["batch_size"],
            settings_module.training(self.settings),
        )

    @property
    def model(self):
        return self.trainer.model

    # -- state --------------------------------------------------------------------------------

    def state(self, schema=False):
        """The state; with schema=True also the settings schema (what changes the settings,
        reset, update and load, answers with it), as Session.state."""
        trainer = self.trainer
        measures = trainer.evaluation()
        state = {
            "preset": PRESET,
            # The page's about line names the simulator path: columns.py is plain Python,
            # with or without NumPy.
            "backend": PlainOps.name,
            "settings": dict(self.settings),
            "task": self.task.to_dict(),
            "config": dict(self.model.config),
            "feature_tex": [features.FEATURES[n].tex for n in self.settings["features"]],
            "weights": self.model.weights,
            "biases": self.model.biases,
            "epoch": trainer.epoch,
            "iteration": trainer.iteration,
            "status": trainer.status,
            "batch": {"size": trainer.size, "count": len(trainer.batches), "next": trainer.next_batch},
            "points": {
                "train": len(trainer.train_points),
                "test": len(trainer.test_points),
                "own": len(self.own),
            },
            "history": trainer.history.to_lists(),
            **measures,
        }
        state.update(_labels(state))
        if schema:
            state["schema"] = schema_module.schema(PRESET)
            names = dict(schema_module.PLAYGROUND_FEATURES)
            state["notation"] = explain.view_notation(
                state["config"]["layers"], input_names=[names[f] for f in self.settings["features"]]
            )
        return state

    def data(self):
        """The points as columns: x1, x2, label, and whether each is a test point."""
        points = self.points()
        return {
            "x1": [p[0] for p in points],
            "x2": [p[1] for p in points],
            "label": [p[2] for p in points],
            "test": [r == "test" for r, _ in self.roles],
            "task": self.task.to_dict(),
        }

    # -- training -----------------------------------------------------------------------------

    def step(self, heatmaps=None, follow=None):
        """One batch. {state}; with `heatmaps` (a size) the heatmaps afterwards, and with
        `follow` ({point, parameter}, as the method follow takes them) the followed point's
        numbers: a Step's whole redraw in one answer. Every argument is checked before the
        batch is taken, so a refused request changes nothing."""
        size = None if heatmaps is None else self._heatmap_size(heatmaps)
        if follow is not None:
            self._check_follow(follow)
        self.trainer.step()
        answer = {"state": self.state()}
        if size is not None:
            answer["heatmaps"] = self.heatmaps(size)
        if follow is not None:
            answer["follow"] = self.follow(**follow)
        return answer

    def _check_follow(self, request):
        if not isinstance(request, dict) or not set(request) <= {"point", "parameter"}:
            raise ValueError("follow: expected {point, parameter}")
        self._point(request.get("point"))
        check_parameter(self.model.config["layers"], request.get("parameter"))

    def train(self, max_epochs, budget_ms=40, heatmaps=None):
        """Up to max_epochs epochs, stopping early once budget_ms is used (possibly within an
        epoch: `state.batch.next` says where). {done: epochs completed, state}, and with
        `heatmaps` (a size) the heatmaps afterwards too: the page's redraw in the same answer."""
        max_epochs = config_module.integer(max_epochs, "max_epochs", 0, MAX_TRAIN_EPOCHS)
        budget_ms = config_module.finite_number(budget_ms, "budget_ms")
        if budget_ms <= 0:
            raise ValueError("budget_ms: must be above 0")
        size = None if heatmaps is None else self._heatmap_size(heatmaps)
        answer = {"done": self.trainer.train(max_epochs, budget_ms), "state": self.state()}
        if size is not None:
            answer["heatmaps"] = self.heatmaps(size)
        return answer

    def reset(self):
        """Back to the seed's starting weights (the same ones every time), counters at 0."""
        self._start()
        return self.state(schema=True)

    def new_weights(self):
        """Other starting weights: the next seed."""
        return self.update({"seed": (self.settings["seed"] + 1) % (schema_module.MAX_SEED + 1)})

    def update(self, settings):
        """Change settings. The learning rate, the batch size, the optimiser (and its
        settings), the penalty and the schedule change a running training (a new optimiser's
        state starts from zero); any other change starts again from the seed's weights, on the
        data as now set."""
        new = settings_module.validate(settings, self.settings)
        used = max((label for _, _, label in self.own), default=0)
        if used >= new["classes"]:
            raise ValueError(
                f"classes: your points use class {used}, so at least {used + 1} "
                "classes; remove those points first"
            )
        changed = {k for k in new if new[k] != self.settings[k]}
        self.settings = new
        if changed <= set(settings_module.LIVE_SETTINGS):
            self.trainer.learning_rate = new["learning_rate"]
            if "batch_size" in changed:
                self.trainer.batch_size = new["batch_size"]
            if changed & set(settings_module.TRAINING_SETTINGS):
                self.trainer.use_training(*settings_module.training(new))
            self.trainer.recover()
        else:
            self._start()
        return self.state(schema=True)

    def set_parameter(self, layer, neuron, value, input=None):
        """Set one weight (weights[layer][neuron][input]) or, without input, one bias
        (biases[layer][neuron]); layers counted as in the config (0 = into the first layer
        after the input)."""
        model = self.model
        layer = config_module.integer(layer, "layer", 0, len(model.weights) - 1)
        neuron = config_module.integer(neuron, "neuron", 0, len(model.weights[layer]) - 1)
        value = config_module.finite_number(value, "value")
        if abs(value) > PARAMETER_LIMIT:
            raise ValueError(f"value: at most {PARAMETER_LIMIT:g} in size, got {value:g}")
        if input is None:
            model.biases[layer][neuron] = value
        else:
            input = config_module.integer(input, "input", 0, len(model.weights[layer][0]) - 1)
            model.weights[layer][neuron][input] = value
        self.trainer.parameters_changed()
        return self.state()

    # -- views --------------------------------------------------------------------------------

    def heatmaps(self, size=heatmaps.DEFAULT_SIZE):
        return heatmaps.heatmaps(self.model, self.settings["features"], self.task, self._heatmap_size(size))

    @staticmethod
    def _heatmap_size(size):
        return config_module.integer(size, "size", heatmaps.MIN_SIZE, heatmaps.MAX_SIZE)

    def predict(self, x1, x2):
        """Every neuron's z and a at the point (x1, x2), and the class or value it gives."""
        return heatmaps.probe(
            self.model,
            self.settings["features"],
            self.task,
            config_module.finite_number(x1, "x1"),
            config_module.finite_number(x2, "x2"),
        )

    def follow(self, point, parameter=None):
        """Data point `point` through the network: every number of its forward pass, its loss,
        the chain rule to `parameter` ({kind: "weight", index: [l, j, i]} or {kind: "bias",
        index: [l, j]}; default the first weight) and, for a training point, how its batch's
        gradient and the update are formed. {point, role, conventions, steps}."""
        return follow(self, self._point(point), parameter)

    def _point(self, point):
        point = config_module.integer(point, "point", 0, max(0, len(self.roles) - 1))
        if not self.roles:
            raise ValueError("point: there are no data points")
        return point

    # -- the learner's points -----------------------------------------------------------------

    def _own_changed(self, own):
        self.own = own
        if self.settings["dataset"] == "own":
            train, test, self.roles = self._split()
            self.trainer.use_points(train, test)
        return self.state()

    def add_point(self, x1, x2, label):
        point = own_points.check_point(x1, x2, label, self.settings["classes"])
        own_points.check_room(len(self.own) + 1)
        return self._own_changed(self.own + [point])

    def remove_point(self, index):
        index = config_module.integer(index, "index", 0, max(0, len(self.own) - 1))
        if not self.own:
            raise ValueError("index: there are no points of your own to remove")
        return self._own_changed(self.own[:index] + self.own[index + 1 :])

    def clear_points(self):
        return self._own_changed([])

    def import_csv(self, text):
        """Replace the own points with those of a CSV text (all or nothing)."""
        return self._own_changed(own_points.from_csv(text, self.settings["classes"]))

    def export_csv(self):
        return {"csv": own_points.to_csv(self.own)}

    # -- saving -------------------------------------------------------------------------------

    def export(self):
        trainer = self.trainer
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "preset": PRESET,
            "settings": dict(self.settings),
            "own_points": [list(p) for p in self.own],
            "weights": self.model.weights,
            "biases": self.model.biases,
            "progress": {
                "epoch": trainer.epoch,
                "iteration": trainer.iteration,
                "next_batch": trainer.next_batch,
                "status": trainer.status,
                "optimizer_state": trainer.updater.saved_state(),
                "history": {key: series.to_dict() for key, series in trainer.history.series.items()},
            },
        }

    def load(self, exported):
        """Replace this session with an exported one (all or nothing)."""
        if not isinstance(exported, dict):
            raise ValueError("exported: expected an object")
        if (exported.get("format"), exported.get("version"), exported.get("preset")) != (
            EXPORT_FORMAT,
            EXPORT_VERSION,
            PRESET,
        ):
            raise ValueError(f"format: expected a {EXPORT_FORMAT} version {EXPORT_VERSION} of the {PRESET}")
        for field in ("settings", "own_points", "weights", "biases", "progress"):
            if field not in exported:
                raise ValueError(f"{field}: missing")
        settings = settings_module.validate(exported["settings"])
        own = exported["own_points"]
        if not isinstance(own, list):
            raise ValueError("own_points: expected a list of [x1, x2, label]")
        own_points.check_room(len(own))
        checked = []
        for k, point in enumerate(own):
            if not isinstance(point, (list, tuple)) or len(point) != 3:
                raise ValueError(f"own_points[{k}]: expected [x1, x2, label]")
            try:
                checked.append(own_points.check_point(*point, settings["classes"]))
            except ValueError as error:
                raise ValueError(f"own_points[{k}]: {error}") from None
        loaded = PlaygroundSession(settings, checked)
        layers = loaded.model.config["layers"]
        weights = config_module.check_weights(exported["weights"], layers)
        biases = config_module.check_biases(exported["biases"], layers)
        loaded.model.weights, loaded.model.biases = weights, biases
        loaded.trainer.parameters_changed()
        loaded._restore(exported["progress"])
        self.settings, self.own = loaded.settings, loaded.own
        self.roles, self.trainer = loaded.roles, loaded.trainer
        return self.state(schema=True)

    def _restore(self, progress):
        trainer = self.trainer
        if not isinstance(progress, dict):
            raise ValueError("progress: expected an object")
        try:
            epoch = config_module.integer(progress["epoch"], "progress.epoch", 0, 10**12)
            iteration = config_module.integer(progress["iteration"], "progress.iteration", 0, 10**15)
            next_batch = config_module.integer(
                progress["next_batch"], "progress.next_batch", 0, max(0, len(trainer.batches) - 1)
            )
            status = progress["status"]
            history = progress["history"]
            if status not in ("ok", "diverged"):
                raise ValueError(f"progress.status: unknown status {status!r}")
            if not isinstance(history, dict) or set(history) != set(History.KEYS):
                raise ValueError(f"progress.history: expected {', '.join(History.KEYS)}")
            capacity = trainer.history.series[History.KEYS[0]].capacity
            series = {
                key: BoundedSeries.from_dict(history[key], f"progress.history.{key}", capacity)
                for key in History.KEYS
            }
        except KeyError as error:
            raise ValueError(f"progress.{error.args[0]}: missing") from None
        # Saves from before the optimisers have none: the optimiser starts from zero.
        trainer.updater.restore_state(progress.get("optimizer_state"), "progress.optimizer_state")
        trainer.epoch, trainer.iteration = epoch, iteration
        trainer.next_batch, trainer.status = next_batch, status
        trainer.history.series = series


def _labels(state):
    """What the page prints for the state's numbers (explain.plain_labels, percent_label): the
    parameters (the network's tooltips), the measures, and each chart series' latest value."""
    return {
        "weight_labels": explain.plain_labels(state["weights"]),
        "bias_labels": explain.plain_labels(state["biases"]),
        "measure_labels": {key: _measure_label(key, state[key]) for key in MEASURES},
        "history_labels": {
            key: _measure_label(key, series[-1][1] if series else None)
            for key, series in state["history"].items()
        },
    }


MEASURES = ("train_loss", "test_loss", "penalty", "train_accuracy", "test_accuracy")


def _measure_label(key, value):
    return (explain.percent_label if key.endswith("_accuracy") else explain.plain_labels)(value)
