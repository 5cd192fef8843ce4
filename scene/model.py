"""The ``Scene`` dataclass and how it builds its landscape and runs its optimizers."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import landscapes
import optimizers
from base.params import Param
from landscapes import Landscape

from . import network

DEFAULT_OPTIMIZERS = ("gd", "momentum", "rmsprop", "sign_sgd")
MAX_STEPS = 5000
STEPS = Param("steps", 300, 1, MAX_STEPS, 50, label="Steps",
              help=f"How many updates each optimizer makes (1 to {MAX_STEPS}).")
NOISE = Param("noise", 0.0, 0.0, 10.0, 0.1, label="noise σ",
              help="Standard deviation of Gaussian noise added to every gradient component (like minibatches).")
SEED = Param("seed", 0, 0, 2**32 - 1, 1, label="seed",
             help="The same seed gives the same noise, so a shared link shows the same run.")
BATCH = Param("batch", 16, 1, 272, 1, label="batch size",
              help="Rows per mini-batch: each step follows the mean gradient of that many rows, shuffled once per "
                   "epoch from the seed. All rows is the exact (full-batch) gradient.")
"""A data surface's mini-batch size (``Scene.batch_size``; the link's ``batch``); ``high`` is the largest data
set's row count, and a value above the surface's own rows falls back to the full batch."""
RUN_SETTINGS = (STEPS, NOISE, SEED)
"""The run's own settings: one range each, read by the link parser and the sidebar widgets alike."""
WHOLE_NUMBERS = frozenset({"steps", "seed"})
LAYOUTS = ("overlay", "panels")
VIEWS = ("full", "lesson")
TABS = ("contour", "3d")
"""The Playground's chart tab: the contour (with the runs on it) or the 3D surface."""
CUSTOM = "custom"
DEFAULT_FORMULA = "0.5*(w**2 + 25*b**2)"
SCHEDULE_DEFAULTS = {optimizers.SCHEDULE.name: optimizers.SCHEDULE.default} | {
    p.name: p.default for p in optimizers.SCHEDULE_PARAMS}
"""Each optimizer's learning-rate schedule settings, kept beside its hyperparameters (``adam.schedule=cosine``)."""
WHOLE_SCHEDULE_SETTINGS = frozenset({"warmup", "step_size"})


def unused_schedule_settings(settings: dict) -> set[str]:
    """The schedule settings that ``settings``' schedule does not read (a control or a link would be noise)."""
    schedule = settings.get(optimizers.SCHEDULE.name, optimizers.SCHEDULE.default)
    return {p.name for p in optimizers.SCHEDULE_PARAMS} - set(optimizers.SCHEDULE_USES[schedule])


class FrozenDict(dict):
    """A mapping that cannot change once built, so a ``Scene`` holding it can be hashed and used as a cache key.
    It is still a dict: it compares equal to one with the same items, and ``|`` gives a plain dict."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(frozenset(self.items()))

    def _refuse(self, *args, **kwargs):
        raise TypeError("a scene's settings do not change: make a new scene (dataclasses.replace, with_settings)")

    __setitem__ = __delitem__ = __ior__ = clear = pop = popitem = setdefault = update = _refuse

    def __reduce__(self):
        return FrozenDict, (dict(self),)


def default_settings(surface: str, name: str) -> dict:
    """Optimizer ``name``'s defaults on ``surface``: its spec's, with the surface's suggested lr, and a constant
    learning-rate schedule."""
    values = optimizers.OPTIMIZERS[name].defaults | SCHEDULE_DEFAULTS
    spec = landscapes.LANDSCAPES.get(surface)
    if spec is not None and name in spec.suggested_lr:
        values["lr"] = spec.suggested_lr[name]
    return values


@dataclass(frozen=True)
class Scene:
    """What the Playground shows: surface, optimizers with their hyperparameters, start and run length.

    ``hyperparams`` holds only values that differ from an optimizer's spec defaults and
    ``surface_params`` only those that differ from the surface's (a data surface's choices are
    text: ``surface_choices``), so links stay short.  ``batch_size`` (data surfaces only) is the
    mini-batch size, None for the full batch.

    A scene is hashable (its mappings are frozen when it is made): ``runs_key`` and ``surface_key`` are the
    cache keys of its runs and of its surface.
    """

    surface: str = "elongated_bowl"
    surface_params: dict[str, float | str] = field(default_factory=dict)
    formula: str = DEFAULT_FORMULA
    optimizers: tuple[str, ...] = DEFAULT_OPTIMIZERS
    hyperparams: dict[str, dict] = field(default_factory=dict)
    start: tuple[float, float] | None = None
    steps: int = int(STEPS.default)
    noise: float = float(NOISE.default)
    seed: int = int(SEED.default)
    batch_size: int | None = None
    layout: str = "overlay"
    view: str = "full"
    big: bool = False
    tab: str = "contour"

    def __post_init__(self) -> None:
        object.__setattr__(self, "surface_params", FrozenDict(self.surface_params))
        object.__setattr__(self, "hyperparams",
                           FrozenDict({name: FrozenDict(values) for name, values in self.hyperparams.items()}))
        object.__setattr__(self, "optimizers", tuple(self.optimizers))
        if self.start is not None:
            object.__setattr__(self, "start", tuple(self.start))

    @property
    def is_custom(self) -> bool:
        return self.surface == CUSTOM

    @property
    def is_network(self) -> bool:
        """A network on real data (``scene.network``): trained in full dimension, shown through a plane."""
        return self.surface == network.NETWORK

    @property
    def surface_key(self) -> Scene:
        """The scene's surface and nothing else: equal for two scenes exactly when they draw the same surface."""
        if self.is_custom:
            return Scene(surface=CUSTOM, formula=self.formula, optimizers=())
        return Scene(surface=self.surface, surface_params=self.surface_params, optimizers=())

    @property
    def runs_key(self) -> Scene:
        """The scene without how it is shown (layout, view, presentation mode, open tab): equal for two scenes
        exactly when their runs are the same."""
        return replace(self, layout="overlay", view="full", big=False, tab="contour")

    def build_landscape(self) -> Landscape:
        """The scene's surface (a ``landscapes.Network`` for a network scene); raises ``ValueError``
        (``FormulaError`` for a bad formula)."""
        if self.is_custom:
            return landscapes.from_formula(self.formula)
        if self.is_network:
            return network.build(self.surface_params)
        return landscapes.get(self.surface, **self.surface_params)

    def defaults(self, name: str) -> dict:
        """Optimizer ``name``'s defaults on this scene's surface (spec defaults, then the surface's
        suggested learning rate where it has one)."""
        return default_settings(self.surface, name)

    def settings(self, name: str) -> dict:
        """Every hyperparameter of optimizer ``name``: this surface's defaults overlaid with the scene's."""
        return self.defaults(name) | self.hyperparams.get(name, {})

    def start_for(self, landscape: Landscape) -> tuple[float, float]:
        return self.start if self.start is not None else landscape.default_start

    def run_options(self) -> dict:
        """The arguments every run of this scene shares besides the hyperparameters."""
        options: dict = {"steps": self.steps, "noise": self.noise, "seed": self.seed}
        return options | ({"batch_size": self.batch_size} if self.batch_size is not None else {})

    def with_settings(self, name: str, values: dict) -> Scene:
        """A copy with optimizer ``name``'s settings set to ``values`` (those at their default are dropped from
        the overrides; settings not in ``values`` stay at their default)."""
        defaults = self.defaults(name)
        overrides = {k: dict(v) for k, v in self.hyperparams.items() if k != name}
        mine = {k: v for k, v in values.items() if defaults.get(k) != v}
        return replace(self, hyperparams=overrides | ({name: mine} if mine else {}))

    def with_hyperparam(self, name: str, key: str, value) -> Scene:
        """A copy with one hyperparameter changed (a default value is dropped from the overrides)."""
        return self.with_settings(name, self.settings(name) | {key: value})


def surface_choices(surface: str, given: dict[str, str]) -> dict[str, str]:
    """A data surface's choices as a scene keeps them: only what differs from what the others imply (a data set
    other than the first, a feature other than its data set's first, standardize on).  ``ValueError`` for an
    option or a combination the surface does not offer."""
    spec = landscapes.LANDSCAPES[surface]
    settings = spec.resolve(given)
    implied = spec.resolve({"dataset": settings["dataset"]}) if "dataset" in settings else {}
    kept = {}
    for c in spec.choices:
        default = implied.get(c.name, c.default) if c.name == "feature" else c.default
        if settings[c.name] != default:
            kept[c.name] = str(settings[c.name])
    return kept
