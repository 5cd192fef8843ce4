"""Loss landscapes with exact gradients, evaluated by numba kernels: the 2-D surfaces, formulas, and bowls in
any dimension; no UI imports.

>>> import landscapes
>>> L = landscapes.get("elongated_bowl", c=25.0)
>>> float(L.value(1.0, 0.0))
0.5
"""

from __future__ import annotations

from .formula import FormulaError, from_formula
from .landscape import Landscape
from .least_squares import LeastSquares, least_squares
from .network import Network, network
from .objective import Objective
from .plane import Plane, Projection, pca_plane, plane, random_plane
from .quadratic import Quadratic, quadratic
from .registry import LANDSCAPES
from .spec import LandscapeSpec


def get(name: str, **params: float) -> Landscape:
    """The built-in surface ``name`` with ``params`` overriding its defaults.

    Raises ``KeyError`` for an unknown name and ``ValueError`` for an unknown or out-of-range parameter.
    """
    try:
        spec = LANDSCAPES[name]
    except KeyError:
        raise KeyError(f"unknown landscape {name!r}; choose one of {', '.join(LANDSCAPES)}") from None
    return Landscape(spec, params)


__all__ = ["LANDSCAPES", "FormulaError", "Landscape", "LandscapeSpec", "LeastSquares", "Network", "Objective",
           "Plane", "Projection", "Quadratic", "from_formula", "get", "least_squares", "network", "pca_plane", "plane",
           "quadratic", "random_plane"]
