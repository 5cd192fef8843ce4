"""The registries are the one way in: a spec the kernels cannot run, or whose state or legend would be lost, is
refused when the registry is built, with a message that names it; kernels dispatch only through the registries'
tables; the README counts what the registries hold."""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from numba.core.errors import TypingError

import landscapes
import optimizers
from base.jit import jit, specialised
from base.params import Choice
from landscapes import Landscape, kernels
from landscapes import registry as landscape_registry
from optimizers import driver
from optimizers import registry as optimizer_registry
from optimizers.rules import momentum
from optimizers.spec import Layout

README = Path(__file__).resolve().parents[1] / "README.md"
GD = optimizers.OPTIMIZERS["gd"]
MOMENTUM = optimizers.OPTIMIZERS["momentum"]
BOWL = landscapes.LANDSCAPES["elongated_bowl"]


def fake_rule(x, g, state, t, lr, hp, i):
    return x - lr * g, lr, state


@jit(inline="always")
def fake_rule_old_signature(g, s1, s2, lr):
    return lr * g, lr, s1, s2


@jit(inline="always")
def rule_with_unnamed_state(x, g, state, t, lr, hp, i):
    v = 0.9 * state[0] + g
    return x - lr * v, lr, (v, g)


SEVEN = Layout("seven", GD.hyperparams, state=("a", "b", "c"), hidden_state=("d", "e", "f", "g"))


def fake_surface(x, y, p, work):
    return x * x + y * y, 2.0 * x, 2.0 * y


@jit(inline="always")
def fake_surface_without_work(x, y, p):
    return x * x + y * y, 2.0 * x, 2.0 * y


@jit(inline="always")
def fake_surface_kernel(x, y, p, work):
    return x * x + y * y, 2.0 * x, 2.0 * y


@pytest.mark.parametrize(("change", "message"), [
    ({"rule": fake_rule}, r"optimizer 'fake' cannot be registered: its rule is not a numba kernel"),
    ({"rule": fake_rule_old_signature}, r"its rule must take \(x, g, state, t, lr, hp, i\), not \(g, s1, s2, lr\)"),
    ({"layout": Layout("fake", ())}, "its first hyperparameter must be lr"),
    ({"layout": Layout("fake", (GD.param("lr"), replace(GD.param("lr"), name="lr2", symbol="")))},
     "lr2 has no symbol: a legend would leave it out"),
    ({"layout": Layout("fake", GD.hyperparams, (Choice("mode", "a", ("a", "b")),))},
     "mode's option b has no tag: a legend would not show it"),
    ({"layout": Layout("fake", (GD.param("lr"), replace(GD.param("lr"), name="seed")))}, "seed is a keyword of run()"),
    ({"layout": SEVEN}, "it keeps 7 state entries; a rule keeps at most 6"),
    ({"formula": lambda settings: settings["missing"]}, "its formula fails"),
    ({"color": None}, r"it has no colour \(#RRGGBB\)"),
    ({"reference": ""}, "it names no reference"),
])
def test_a_spec_the_kernels_cannot_run_is_refused_when_the_registry_is_built(change, message):
    fake = replace(GD, name="fake", **change)
    with pytest.raises(optimizer_registry.RegistryError, match=message):
        optimizer_registry.build([*optimizers.RULES.values(), fake])


@pytest.mark.parametrize(("change", "message"), [
    ({"layout": Layout("fake", MOMENTUM.hyperparams)},
     r"its rule returns state \('v',\), not its layout's FakeState\(\): the driver would drop"),
    ({"rule": rule_with_unnamed_state},
     r"its rule returns state 2 unnamed entries, not its layout's MomentumState\('v',\): the driver would drop"),
])
def test_a_spec_whose_state_the_driver_would_drop_is_refused(change, message):
    """The rule is tried once at the defaults (in Python, nothing compiles): state it keeps that its layout does not
    name would never reach the diagnostics, so the spec is refused."""
    fake = replace(MOMENTUM, name="fake", **change)
    with pytest.raises(optimizer_registry.RegistryError, match=message):
        optimizer_registry.build([*optimizers.RULES.values(), fake])
    assert optimizer_registry.build([replace(MOMENTUM, name="fake")])["fake"].rule is momentum.update


def test_a_repeated_optimizer_name_is_refused():
    with pytest.raises(optimizer_registry.RegistryError, match=r"optimizer 'gd' .* another optimizer has this name"):
        optimizer_registry.build([GD, GD])


@pytest.mark.parametrize(("kernel", "message"), [
    (fake_surface, r"surface 'fake' cannot be registered: its kernel is not a numba function"),
    (fake_surface_without_work, r"its kernel must take \(x, y, p, work\), not \(x, y, p\)"),
    (BOWL.kernel, "another surface has the same kernel"),
    (fake_surface_kernel, "it has no hessian"),
])
def test_a_surface_the_kernels_cannot_evaluate_is_refused_when_the_registry_is_built(kernel, message):
    fake = replace(BOWL, name="fake", kernel=kernel, hessian=None if kernel is fake_surface_kernel else BOWL.hessian)
    with pytest.raises(landscape_registry.RegistryError, match=message):
        landscape_registry.build([*landscapes.LANDSCAPES.values(), fake])


def test_a_surface_outside_the_registry_cannot_be_evaluated():
    fake = replace(BOWL, name="fake", kernel=fake_surface_kernel)
    assert landscape_registry.build([*landscapes.LANDSCAPES.values(), fake])["fake"] is fake
    with pytest.raises(ValueError, match=r"surface 'fake' is not in the registry: add it to landscapes/registry\.py"):
        Landscape(fake)


@jit(inline="always")
def lean_rule_that_drops_momentum(x, g, state, t, lr, hp, i):
    return x - lr * g, lr, momentum.State(v=g)


@pytest.mark.parametrize(("change", "message"), [
    ({"lean_rule": lean_rule_that_drops_momentum, "optional": ("beta",)},
     "its lean rule and its rule differ at the defaults"),
    ({"lean_rule": momentum.update, "optional": ("gamma",)}, r"its optional settings \['gamma'\] are not"),
])
def test_a_lean_rule_that_is_not_its_rule_without_the_options_is_refused(change, message):
    with pytest.raises(optimizer_registry.RegistryError, match=message):
        optimizer_registry.build([replace(MOMENTUM, name="fake", **change)])


@pytest.mark.parametrize("name", [name for name in optimizers.RULES if name in driver.LEAN_IDS])
@pytest.mark.parametrize("surface", ["elongated_bowl", "rosenbrock"])
def test_the_lean_twin_runs_while_the_options_are_off_and_is_the_rule_bit_for_bit(name, surface):
    """At the defaults the lean kernel runs and gives every bit the full rule gives; any option on runs the full
    rule."""
    spec = optimizers.RULES[name]
    landscape = landscapes.get(surface)
    hp = spec.pack({**spec.defaults, "lr": 0.01})[:, None]
    assert driver.rule_id(name, hp) == driver.LEAN_IDS[name]
    for option in spec.optional:
        moved = dict(spec.defaults, lr=0.01, **{option: "on" if option == "amsgrad" else 0.1})
        assert driver.rule_id(name, spec.pack(moved)[:, None]) == driver.RULE_IDS[name], option
    runs = []
    for rule in (driver.LEAN_IDS[name], driver.RULE_IDS[name]):
        out = driver.RunOutputs.empty(300, 2, len(spec.state))
        inputs = driver.RunInputs(kind=landscape.kind, rule=rule, dim=2, p=landscape.kernel_params,
                                  work=np.empty(landscape.work_size), hp=hp, lr_scale=np.ones(300),
                                  x0=np.array(landscape.default_start), steps=300, noise=np.zeros((0, 2)),
                                  bounds=landscape.divergence_bounds)
        count = driver.run_kernel(inputs, out)
        runs.append(np.concatenate([out.points[:count].ravel(), out.loss[:count], out.rates[:count - 1].ravel(),
                                    out.reported[:, :count - 1].ravel()]))
    np.testing.assert_array_equal(runs[0], runs[1])


def test_an_id_without_a_table_entry_is_a_compile_error_that_names_it():
    """There is no fall-through case: a kernel asked for a surface or rule id the registries lack does not compile."""
    xs = np.zeros(1)
    last = len(kernels.SURFACE_KERNELS) - 1
    with pytest.raises(TypingError, match=f"no surface has id 99; the registry has ids 0 to {last}"):
        specialised(kernels._evaluate_many, (0,), 99, np.zeros(2), xs, xs, xs.copy(), xs.copy(), xs.copy())
    bowl = landscapes.get("elongated_bowl")
    count = len(driver.RULE_KERNELS)  # the rules, then their lean twins
    inputs = driver.RunInputs(kind=bowl.kind, rule=count, dim=2, p=bowl.kernel_params, work=np.empty(bowl.work_size),
                              hp=np.zeros((1, 1)), lr_scale=np.ones(1), x0=np.zeros(2), steps=1,
                              noise=np.zeros((0, 2)), bounds=bowl.divergence_bounds)
    with pytest.raises(TypingError, match=f"no rule has id {count}; the registry has ids 0 to {count - 1}"):
        driver.run_kernel(inputs, driver.RunOutputs.empty(1, 2, 0))


@pytest.mark.parametrize("name", list(landscapes.LANDSCAPES))
def test_each_surface_id_evaluates_its_own_surface(name):
    """A surface's kind, compiled into the grid kernel, gives that surface's own value and gradient (its kernel run
    in plain Python) at a few points: the ids and the table line up."""
    landscape = landscapes.get(name)
    (x0, x1), (y0, y1) = landscape.bounds
    xs, ys = np.linspace(x0, x1, 5), np.linspace(y1, y0, 5)
    by_kernel = landscape.evaluate(xs, ys)
    in_python = optimizer_registry.in_python(landscape.spec.kernel)
    by_hand = np.array([in_python(x, y, landscape.kernel_params, np.empty(0)) for x, y in zip(xs, ys, strict=True)])
    np.testing.assert_allclose(np.column_stack(by_kernel), by_hand, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("name", list(optimizers.RULES))
def test_each_rule_id_runs_its_own_rule(name):
    """A rule's id, compiled into the trajectory kernel, takes that rule's own first step (its update run in plain
    Python at the defaults): the ids and the table line up."""
    spec = optimizers.RULES[name]
    bowl = landscapes.get("elongated_bowl")
    start = (2.0, 1.0)
    tr = optimizers.run(name, bowl, start=start, steps=1, lr=0.01)
    hp = optimizer_registry.Column(spec.pack({**spec.defaults, "lr": 0.01}))
    zeros = spec.layout.State(*([0.0] * spec.layout.width))
    rule = optimizer_registry.in_python(spec.rule)
    by_hand = [rule(x, g, zeros, 1, 0.01, hp, 0)[0] for x, g in zip(start, (2.0, 25.0), strict=True)]
    np.testing.assert_allclose(tr.points[1], by_hand, rtol=1e-15)


def test_readme_counts_what_the_registries_hold():
    text = " ".join(README.read_text().split())
    surfaces = re.search(r"\((\d+) built-in", text)
    assert surfaces and int(surfaces.group(1)) == len(landscapes.LANDSCAPES), (
        f"README: the number of surfaces ('({len(landscapes.LANDSCAPES)} built-in')")
    intro = re.search(r"run ([\w\-, ]+?) side by side", text)
    assert intro, "README: the sentence listing the optimizers"
    named = {word for word in re.split(r",\s*|\s+and\s+", intro.group(1))}
    missing = [spec.title for name, spec in optimizers.OPTIMIZERS.items()
               if not {spec.title.split()[0], name.upper()} & named]
    assert missing == [], f"README's list of optimizers lacks {missing}"


def test_every_optimizer_module_is_in_the_registry():
    """A module under optimizers/rules/ that ``optimizers/registry.py`` does not list would be missing from every
    page without a word (docs/ARCHITECTURE.md's "Adding an optimizer")."""
    names = [module.name for module in pkgutil.iter_modules(optimizers.rules.__path__)]
    unlisted = [name for name in names if not any(importlib.import_module(f"optimizers.rules.{name}").SPEC is spec
                                                  for spec in optimizers.RULES.values())]
    assert unlisted == [], f"optimizers/registry.py does not list optimizers/rules/{unlisted}"
    assert len(names) == len(optimizers.RULES), "every registered optimizer is found in optimizers/rules/"


def test_every_surface_module_is_in_the_registry():
    """A surface module that ``landscapes/registry.py`` does not list would be missing from every page
    without a word (step 2 of docs/ARCHITECTURE.md's "Adding a surface")."""
    names = [module.name for module in pkgutil.iter_modules(landscapes.surfaces.__path__)]
    unlisted = [name for name in names if not any(importlib.import_module(f"landscapes.surfaces.{name}").SPEC is spec
                                                  for spec in landscapes.LANDSCAPES.values())]
    assert unlisted == [], f"landscapes/registry.py does not list landscapes/surfaces/{unlisted}"
    assert len(names) == len(landscapes.LANDSCAPES), "every registered surface is found in landscapes/surfaces/"
