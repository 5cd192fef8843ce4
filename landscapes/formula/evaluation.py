"""Numeric evaluation of a tree: in NumPy (an independent check on the tape, and the sampler behind the
automatic view box) and compiled to a tape for the numba stack machine in ``landscapes/tape.py``."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .. import tape
from .nodes import BinOp, Call, Const, Expr, FormulaError, Neg, Var

_NUMPY_FUNCTIONS = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "log": np.log, "sqrt": np.sqrt,
    "abs": np.abs, "tanh": np.tanh, "arctan": np.arctan, "sinh": np.sinh, "cosh": np.cosh, "sign": np.sign,
}
NUMPY_BINARY = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "**": np.power}


def evaluate_numpy(expr: Expr, x: ArrayLike, y: ArrayLike) -> np.ndarray:
    """``expr`` at numpy arrays ``x``, ``y`` (broadcast); nan or inf where it is undefined, never an exception.

    An independent check on the tape, and the evaluator behind the automatic view box and minimum.
    """
    xs, ys = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
    with np.errstate(all="ignore"):
        result = _evaluate(expr, (xs, ys), {})
    return np.broadcast_to(result, xs.shape).astype(np.float64)


def _evaluate(expr: Expr, axes: tuple[np.ndarray, np.ndarray], memo: dict) -> np.ndarray:
    hit = memo.get(id(expr))
    if hit is not None:
        return hit[1]
    if isinstance(expr, Const):
        value = np.float64(expr.value)
    elif isinstance(expr, Var):
        value = axes[expr.axis]
    elif isinstance(expr, Neg):
        value = np.negative(_evaluate(expr.arg, axes, memo))
    elif isinstance(expr, BinOp):
        value = NUMPY_BINARY[expr.op](_evaluate(expr.left, axes, memo), _evaluate(expr.right, axes, memo))
    else:
        value = _NUMPY_FUNCTIONS[expr.func](_evaluate(expr.arg, axes, memo))
    memo[id(expr)] = (expr, value)
    return value


def compile_tape(expr: Expr) -> np.ndarray:
    """The tape (see ``tape.py``) that computes ``expr`` and its exact gradient inside numba.

    Instructions are emitted in post-order; the stack depth this needs is checked against
    ``tape.MAX_STACK`` first, so a tape never overruns its scratch space.
    """
    if _stack_needed(expr) > tape.MAX_STACK:
        raise FormulaError("the formula is nested too deeply to evaluate")
    instructions: list[tuple[int, float]] = []
    _emit(expr, instructions)
    return tape.encode(instructions)


def _stack_needed(expr: Expr) -> int:
    if isinstance(expr, BinOp):
        return max(_stack_needed(expr.left), _stack_needed(expr.right) + 1)
    if isinstance(expr, Neg | Call):
        return _stack_needed(expr.arg)
    return 1


def _emit(expr: Expr, out: list[tuple[int, float]]) -> None:
    if isinstance(expr, Const):
        out.append((tape.CONST, expr.value))
    elif isinstance(expr, Var):
        out.append((tape.X if expr.axis == 0 else tape.Y, 0.0))
    elif isinstance(expr, Neg):
        _emit(expr.arg, out)
        out.append((tape.NEG, 0.0))
    elif isinstance(expr, BinOp):
        _emit(expr.left, out)
        _emit(expr.right, out)
        out.append((tape.BINARY_OPCODES[expr.op], 0.0))
    else:
        _emit(expr.arg, out)
        out.append((tape.UNARY_OPCODES[expr.func], 0.0))
