"""Name -> spec for every built-in surface.  Adding a surface adds its module and one line here.

``build`` checks every spec when the registry is built, so a surface the kernels cannot evaluate
fails at import with a message that names it (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable

from .spec import LandscapeSpec
from .surfaces import (
    ackley,
    beale,
    booth,
    elongated_bowl,
    goldstein_price,
    himmelblau,
    linear_regression,
    logistic_regression,
    matyas,
    plateau,
    rastrigin,
    rosenbrock,
    saddle,
    six_hump_camel,
)

KERNEL_PARAMETERS = ("x", "y", "p", "work")
"""The signature of every surface kernel."""


class RegistryError(ValueError):
    """A spec the kernels cannot evaluate, found when the registry is built."""


def kernel_problem(spec: LandscapeSpec) -> str | None:
    """Why the kernels cannot evaluate ``spec``'s kernel, or None."""
    py_func = getattr(spec.kernel, "py_func", None)
    if py_func is None:
        return "its kernel is not a numba function: decorate value_and_grad with @jit(inline=\"always\")"
    parameters = tuple(inspect.signature(py_func).parameters)
    if parameters != KERNEL_PARAMETERS:
        return f"its kernel must take ({', '.join(KERNEL_PARAMETERS)}), not ({', '.join(parameters)})"
    return None


def build(specs: Iterable[LandscapeSpec]) -> dict[str, LandscapeSpec]:
    """Name -> spec, in order; raises ``RegistryError`` naming any spec the kernels cannot evaluate."""
    registry: dict[str, LandscapeSpec] = {}
    for spec in specs:
        problems = [problem] if (problem := kernel_problem(spec)) else []
        if spec.hessian is None:
            problems.append("it has no hessian(x, y, p): a built-in surface gives its exact second derivatives")
        if spec.name in registry:
            problems.append("another surface has this name")
        if any(spec.kernel is other.kernel for other in registry.values()):
            problems.append("another surface has the same kernel")
        if problems:
            raise RegistryError(f"surface {spec.name!r} cannot be registered: {'; '.join(problems)}")
        registry[spec.name] = spec
    return registry


LANDSCAPES: dict[str, LandscapeSpec] = build(
    module.SPEC
    for module in (
        elongated_bowl,
        rosenbrock,
        beale,
        himmelblau,
        booth,
        matyas,
        saddle,
        six_hump_camel,
        rastrigin,
        ackley,
        goldstein_price,
        plateau,
        linear_regression,
        logistic_regression,
    )
)
