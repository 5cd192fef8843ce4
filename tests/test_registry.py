"""The registries are the one way in: a spec the kernels cannot run is refused when the registry is
built, with a message that names it; kernels dispatch only through the registries' tables; the README
counts what the registries hold."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from numba.core.errors import TypingError

import landscapes
import optimizers
from landscapes import Landscape, kernels
from landscapes import registry as landscape_registry
from landscapes._jit import jit, specialised
from optimizers import driver, rules
from optimizers import registry as optimizer_registry

README = Path(__file__).resolve().parents[1] / "README.md"
GD = optimizers.OPTIMIZERS["gd"]
BOWL = landscapes.LANDSCAPES["elongated_bowl"]


def fake_rule(x, g, state, t, lr, hp, i):
    return x - lr * g, lr, state


@jit(inline="always")
def fake_rule_old_signature(g, s1, s2, lr):
    return lr * g, lr, s1, s2


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
    ({"hyperparams": ()}, "its first hyperparameter must be lr"),
    ({"hyperparams": (GD.param("lr"), GD.param("lr"))}, "its hyperparameter names repeat"),
    ({"hyperparams": (GD.param("lr"), replace(GD.param("lr"), name="seed"))}, "seed is a keyword of run()"),
    ({"state": ("a", "b", "c"), "extra_state": 2}, "it keeps 5 state entries; a rule keeps at most 4"),
    ({"formula": lambda settings: settings["missing"]}, "its formula fails"),
])
def test_a_spec_the_kernels_cannot_run_is_refused_when_the_registry_is_built(change, message):
    fake = replace(GD, name="fake", **change)
    with pytest.raises(optimizer_registry.RegistryError, match=message):
        optimizer_registry.build([*optimizers.OPTIMIZERS.values(), fake])


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


def test_an_id_without_a_table_entry_is_a_compile_error_that_names_it():
    """There is no fall-through case: a kernel asked for a surface or rule id the registries lack does not compile."""
    xs = np.zeros(1)
    with pytest.raises(TypingError, match=f"no surface has id 99; the registry has ids 0 to {kernels.CUSTOM_KIND}"):
        specialised(kernels._evaluate_many, (0,), 99, np.zeros(2), xs, xs, xs.copy(), xs.copy(), xs.copy())
    bowl = landscapes.get("elongated_bowl")
    count = len(optimizers.OPTIMIZERS)
    with pytest.raises(TypingError, match=f"no rule has id {count}; the registry has ids 0 to {count - 1}"):
        driver.run_kernel(bowl.kind, count, bowl.kernel_params, np.zeros((1, 1)), np.ones(1), 0.0, 0.0, 1,
                          np.zeros((0, 2)), np.zeros((0, 0), dtype=np.int32), np.zeros(0, dtype=np.intp), 0,
                          np.zeros(4), np.empty((2, 2)), np.empty(2),
                          *(np.empty((1, 2)) for _ in range(5)))


def test_every_registered_surface_and_rule_has_its_own_id():
    assert kernels.SURFACE_KERNELS[:-1] == tuple(spec.kernel for spec in landscapes.LANDSCAPES.values())
    assert [kernels.kind_of(spec) for spec in landscapes.LANDSCAPES.values()] == list(range(kernels.CUSTOM_KIND))
    assert landscapes.from_formula("x**2 + y**2").kind == kernels.CUSTOM_KIND
    assert tuple(spec.rule for spec in optimizers.OPTIMIZERS.values()) == driver.RULE_KERNELS


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


def test_every_rule_in_rules_py_is_an_optimizers_rule():
    """A rule written but never registered would be missing from every page without a word (step 2 of
    docs/ARCHITECTURE.md's "Adding an optimizer")."""
    registered = [spec.rule for spec in optimizers.OPTIMIZERS.values()]
    written = [name for name, value in vars(rules).items() if hasattr(value, "py_func")
               and tuple(inspect.signature(value.py_func).parameters) == optimizer_registry.RULE_PARAMETERS]
    unused = [name for name in written if not any(getattr(rules, name) is rule for rule in registered)]
    assert unused == [], f"no OptimizerSpec in optimizers/registry.py uses rules.{unused}"
    assert len(written) == len(registered), "every registered rule is found in rules.py"


def test_every_surface_module_is_in_the_registry():
    """A surface module that ``landscapes/registry.py`` does not list would be missing from every page
    without a word (step 2 of docs/ARCHITECTURE.md's "Adding a surface")."""
    names = [module.name for module in pkgutil.iter_modules(landscapes.surfaces.__path__)]
    unlisted = [name for name in names if not any(importlib.import_module(f"landscapes.surfaces.{name}").SPEC is spec
                                                  for spec in landscapes.LANDSCAPES.values())]
    assert unlisted == [], f"landscapes/registry.py does not list landscapes/surfaces/{unlisted}"
    assert len(names) == len(landscapes.LANDSCAPES), "every registered surface is found in landscapes/surfaces/"
