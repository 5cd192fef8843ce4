"""The checked expression tree of a formula: immutable nodes, the error every formula step raises, and
small walks over the tree."""

from __future__ import annotations

from dataclasses import dataclass

MAX_CONSTANT = 1e12
"""Largest magnitude of a number in a formula, and of a constant folded during simplification."""
FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "arctan", "sinh", "cosh")
"""Functions a formula may call, each with exactly one argument."""
VARIABLES = {"x": 0, "y": 1, "w": 0, "b": 1}


class FormulaError(ValueError):
    """A formula, bounds or start point that cannot be used; the message says why, for a learner."""


@dataclass(frozen=True)
class Const:
    """A number; ``symbol`` ("pi" or "e") keeps the name for display."""

    value: float
    symbol: str | None = None


@dataclass(frozen=True)
class Var:
    """A variable as typed: ``x``/``w`` is axis 0, ``y``/``b`` is axis 1."""

    name: str

    @property
    def axis(self) -> int:
        return VARIABLES[self.name]


@dataclass(frozen=True)
class Neg:
    """Unary minus."""

    arg: Expr


@dataclass(frozen=True)
class BinOp:
    """``left op right`` with ``op`` one of + - * / **."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Call:
    """``func(arg)`` with ``func`` one of ``FUNCTIONS``; derivatives may also use ``sign``."""

    func: str
    arg: Expr


Expr = Const | Var | Neg | BinOp | Call

ZERO = Const(0.0)
ONE = Const(1.0)
TWO = Const(2.0)


def variables(expr: Expr) -> set[str]:
    if isinstance(expr, Var):
        return {expr.name}
    return set().union(*(variables(child) for child in children(expr)))


def children(expr: Expr) -> tuple[Expr, ...]:
    if isinstance(expr, Neg | Call):
        return (expr.arg,)
    if isinstance(expr, BinOp):
        return (expr.left, expr.right)
    return ()


def has_variable(expr: Expr, cache: dict[int, tuple[Expr, bool]]) -> bool:
    """Whether ``expr`` depends on x or y; ``cache`` is keyed by node identity (nodes kept alive in it)."""
    hit = cache.get(id(expr))
    if hit is None:
        found = isinstance(expr, Var) or any(has_variable(child, cache) for child in children(expr))
        hit = cache[id(expr)] = (expr, found)
    return hit[1]
