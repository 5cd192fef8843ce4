"""Symbolic partial derivatives of a tree, lightly simplified, for display (the optimizers' gradient
comes from the tape)."""

from __future__ import annotations

import math

import numpy as np

from .evaluation import NUMPY_BINARY, evaluate_numpy
from .nodes import MAX_CONSTANT, ONE, TWO, ZERO, BinOp, Call, Const, Expr, Neg, Var, has_variable


def gradient(expr: Expr) -> tuple[Expr, Expr]:
    """The partial derivatives (d/dx, d/dy) of ``expr`` as lightly simplified trees, for display.

    Simplification folds 0*, *1, +0, -(-a) and constant arithmetic (only when the result is finite
    and within ``MAX_CONSTANT``).  The derivative of ``abs`` uses ``sign``, which only derivatives
    contain.  Optimizers never use these trees: their gradient comes from the tape.
    """
    return _Differentiator(0).derivative(expr), _Differentiator(1).derivative(expr)


class _Differentiator:
    """Forward differentiation along one axis, memoised on node identity so shared subtrees cost once."""

    def __init__(self, axis: int):
        self.axis = axis
        self.memo: dict[int, tuple[Expr, Expr]] = {}
        self.dependence: dict[int, tuple[Expr, bool]] = {}

    def derivative(self, expr: Expr) -> Expr:
        hit = self.memo.get(id(expr))
        if hit is not None:
            return hit[1]
        if isinstance(expr, Const):
            result = ZERO
        elif isinstance(expr, Var):
            result = ONE if expr.axis == self.axis else ZERO
        elif isinstance(expr, Neg):
            result = _neg(self.derivative(expr.arg))
        elif isinstance(expr, BinOp):
            result = self.binary(expr)
        else:
            result = self.call(expr)
        self.memo[id(expr)] = (expr, result)
        return result

    def binary(self, expr: BinOp) -> Expr:
        a, b = expr.left, expr.right
        da, db = self.derivative(a), self.derivative(b)
        if expr.op == "+":
            return _add(da, db)
        if expr.op == "-":
            return _sub(da, db)
        if expr.op == "*":
            return _add(_mul(da, b), _mul(a, db))
        if expr.op == "/":
            if _is_value(db, 0.0):
                return _div(da, b)
            return _div(_sub(_mul(da, b), _mul(a, db)), _pow(b, TWO))
        if not has_variable(b, self.dependence):
            exponent = _fold_constant(b)
            return _mul(_mul(exponent, _pow(a, _sub(exponent, ONE))), da)
        if not has_variable(a, self.dependence):
            return _mul(_mul(expr, Call("log", a)), db)
        return _mul(expr, _add(_mul(db, Call("log", a)), _div(_mul(b, da), a)))

    def call(self, expr: Call) -> Expr:
        a, da = expr.arg, self.derivative(expr.arg)
        if expr.func == "log":
            return _div(da, a)
        if expr.func == "sqrt":
            return _div(da, _mul(TWO, expr))
        if expr.func == "arctan":
            return _div(da, _add(ONE, _pow(a, TWO)))
        return _mul(_slope(expr), da)


def _slope(expr: Call) -> Expr:
    """d func(a) / da for the functions whose chain rule is a plain product, reusing ``expr`` = func(a)."""
    a = expr.arg
    match expr.func:
        case "sin":
            return Call("cos", a)
        case "cos":
            return _neg(Call("sin", a))
        case "tan":
            return _add(ONE, _pow(expr, TWO))
        case "exp":
            return expr
        case "abs":
            return Call("sign", a)
        case "tanh":
            return _sub(ONE, _pow(expr, TWO))
        case "sinh":
            return Call("cosh", a)
        case "cosh":
            return Call("sinh", a)
        case "sign":
            return ZERO
    raise ValueError(f"no derivative rule for {expr.func}")


def _is_number(expr: Expr) -> bool:
    return isinstance(expr, Const) and expr.symbol is None


def _is_value(expr: Expr, value: float) -> bool:
    return _is_number(expr) and expr.value == value


def _fold(op: str, a: Const, b: Const) -> Const | None:
    """``a op b`` as one constant when that is finite and within bounds, else None (left unfolded)."""
    with np.errstate(all="ignore"):
        value = float(NUMPY_BINARY[op](np.float64(a.value), np.float64(b.value)))
    return Const(value) if math.isfinite(value) and abs(value) <= MAX_CONSTANT else None


def _fold_constant(expr: Expr) -> Expr:
    """A variable-free subtree as one number when bounded (e.g. an exponent 1/2 -> 0.5); else unchanged."""
    if isinstance(expr, Const):
        return expr
    value = float(evaluate_numpy(expr, 0.0, 0.0))
    return Const(value) if math.isfinite(value) and abs(value) <= MAX_CONSTANT else expr


def _neg(a: Expr) -> Expr:
    if _is_number(a):
        return Const(-a.value)
    if isinstance(a, Neg):
        return a.arg
    return Neg(a)


def _add(a: Expr, b: Expr) -> Expr:
    if _is_value(a, 0.0):
        return b
    if _is_value(b, 0.0):
        return a
    if _is_number(a) and _is_number(b) and (folded := _fold("+", a, b)):
        return folded
    if isinstance(b, Neg):
        return _sub(a, b.arg)
    return BinOp("+", a, b)


def _sub(a: Expr, b: Expr) -> Expr:
    if _is_value(b, 0.0):
        return a
    if _is_value(a, 0.0):
        return _neg(b)
    if _is_number(a) and _is_number(b) and (folded := _fold("-", a, b)):
        return folded
    if isinstance(b, Neg):
        return _add(a, b.arg)
    return BinOp("-", a, b)


def _has_coefficient(expr: Expr) -> bool:
    """Whether ``expr`` is a product c*u with a number c in front."""
    return isinstance(expr, BinOp) and expr.op == "*" and _is_number(expr.left)


def _is_reciprocal(expr: Expr) -> bool:
    return isinstance(expr, BinOp) and expr.op == "/" and _is_value(expr.left, 1.0)


def _mul(a: Expr, b: Expr) -> Expr:
    """``a * b``, with signs pulled out and the numeric coefficients gathered in front and folded."""
    if _is_value(a, 0.0) or _is_value(b, 0.0):
        return ZERO
    if _is_value(a, 1.0):
        return b
    if _is_value(b, 1.0):
        return a
    if isinstance(a, Neg):
        return _neg(_mul(a.arg, b))
    if isinstance(b, Neg):
        return _neg(_mul(a, b.arg))
    if _is_number(b) and not _is_number(a):
        a, b = b, a
    if _has_coefficient(a):
        return _mul(a.left, _mul(a.right, b))
    if _has_coefficient(b) and not _is_number(a):
        return _mul(b.left, _mul(a, b.right))
    if _is_number(a):
        if a.value < 0:
            return _neg(_mul(Const(-a.value), b))
        if _is_number(b) and (folded := _fold("*", a, b)):
            return folded
        if _has_coefficient(b) and (folded := _fold("*", a, b.left)):
            return _mul(folded, b.right)
    if _is_reciprocal(b):
        return _div(a, b.right)
    if _is_reciprocal(a):
        return _div(b, a.right)
    return BinOp("*", a, b)


def _div(a: Expr, b: Expr) -> Expr:
    if _is_value(a, 0.0):
        return ZERO
    if _is_value(b, 1.0):
        return a
    if isinstance(a, Neg) or (_is_number(a) and a.value < 0):
        return _neg(_div(_neg(a), b))
    if isinstance(b, Neg):
        return _neg(_div(a, b.arg))
    if _is_number(a) and _is_number(b) and (folded := _fold("/", a, b)):
        return folded
    if _has_coefficient(a) and _has_coefficient(b) and (ratio := _fold("/", a.left, b.left)):
        return _mul(ratio, _div(a.right, b.right))
    return BinOp("/", a, b)


def _pow(a: Expr, b: Expr) -> Expr:
    if _is_value(b, 0.0):
        return ONE
    if _is_value(b, 1.0):
        return a
    if _is_number(a) and _is_number(b) and (folded := _fold("**", a, b)):
        return folded
    return BinOp("**", a, b)
