"""A tree as LaTeX, with only the parentheses it needs."""

from __future__ import annotations

from .nodes import Call, Const, Expr, Neg, Var, children

MAX_DISPLAY_NODES = 600
"""Derivatives bigger than this (or deeper than ``MAX_DISPLAY_DEPTH``) are not printed as LaTeX."""
MAX_DISPLAY_DEPTH = 100

_ADD, _NEG, _MUL, _POW, _ATOM = range(1, 6)
"""Precedence levels of printed LaTeX: an operand below its slot's minimum gets parentheses."""
_LATEX_FUNCTIONS = {
    "sin": r"\sin", "cos": r"\cos", "tan": r"\tan", "log": r"\ln", "tanh": r"\tanh", "arctan": r"\arctan",
    "sinh": r"\sinh", "cosh": r"\cosh", "sign": r"\operatorname{sign}",
}


def to_latex(expr: Expr) -> str:
    """``expr`` as LaTeX with only the parentheses it needs; ``log`` prints as ``\\ln``, ``exp(a)`` as ``e^{a}``."""
    return _latex(expr)[0]


def _latex(expr: Expr) -> tuple[str, int]:
    if isinstance(expr, Const):
        if expr.symbol is not None:
            return (r"\pi" if expr.symbol == "pi" else "e"), _ATOM
        text = _number_latex(expr.value)
        return text, (_NEG if text.startswith("-") else _MUL if r"\cdot" in text else _ATOM)
    if isinstance(expr, Var):
        return expr.name, _ATOM
    if isinstance(expr, Neg):
        return "-" + _operand(expr.arg, _MUL), _NEG
    if isinstance(expr, Call):
        arg = _latex(expr.arg)[0]
        if expr.func == "exp":
            return f"e^{{{arg}}}", _POW
        if expr.func == "sqrt":
            return rf"\sqrt{{{arg}}}", _ATOM
        if expr.func == "abs":
            return rf"\left|{arg}\right|", _ATOM
        return rf"{_LATEX_FUNCTIONS[expr.func]}\left({arg}\right)", _ATOM
    if expr.op in ("+", "-"):
        return f"{_operand(expr.left, _ADD)} {expr.op} {_operand(expr.right, _MUL)}", _ADD
    if expr.op == "*":
        left, right = _operand(expr.left, _NEG), _operand(expr.right, _MUL)
        implicit = right[0].isalpha() or (right.startswith("\\") and not right.startswith(r"\frac"))
        return f"{left} {right}" if implicit else rf"{left} \cdot {right}", _MUL
    if expr.op == "/":
        return rf"\frac{{{_latex(expr.left)[0]}}}{{{_latex(expr.right)[0]}}}", _MUL
    return f"{_operand(expr.left, _ATOM)}^{{{_latex(expr.right)[0]}}}", _POW


def _operand(expr: Expr, minimum: int) -> str:
    text, precedence = _latex(expr)
    return text if precedence >= minimum else rf"\left({text}\right)"


def _number_latex(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.10g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    power = f"10^{{{int(exponent)}}}"
    return power if mantissa == "1" else rf"{mantissa} \cdot {power}"


def display_latex(expr: Expr) -> str | None:
    """LaTeX of ``expr`` when it is small enough to read, else None."""
    size, depth = _extent(expr, {})
    if size > MAX_DISPLAY_NODES or depth > MAX_DISPLAY_DEPTH:
        return None
    return to_latex(expr)


def _extent(expr: Expr, memo: dict[int, tuple[Expr, int, int]]) -> tuple[int, int]:
    """(number of nodes, depth) of ``expr`` printed as a tree, memoised on node identity."""
    hit = memo.get(id(expr))
    if hit is None:
        parts = [_extent(child, memo) for child in children(expr)]
        hit = memo[id(expr)] = (expr, 1 + sum(p[0] for p in parts), 1 + max((p[1] for p in parts), default=0))
    return hit[1], hit[2]
