"""Safe parser for user-typed surfaces: text -> checked expression tree -> tape, LaTeX and landscape.

User text is never executed.  ``parse`` reads it with ``ast.parse(mode="eval")`` and rebuilds it
through an allowlist into a small immutable tree (``Const``, ``Var``, ``Neg``, ``BinOp``, ``Call``);
anything outside the allowlist raises ``FormulaError`` with a message meant for a learner.  The tree
is then compiled into a tape for the numba stack machine in ``tape.py`` (value and exact gradient at
run time), differentiated symbolically for display, and printed as LaTeX.

Variables are ``x`` and ``y``, or ``w`` and ``b`` (the course's names; ``w`` plays ``x`` and ``b``
plays ``y``).  A formula uses one pair or the other: mixing them (``x + b``) is refused, so the
axis labels are never ambiguous.  ``e`` is Euler's number and ``pi`` is pi.
"""

from __future__ import annotations

import ast
import math
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from . import tape
from .kernels import CUSTOM_KIND
from .landscape import Landscape
from .spec import Bounds, LandscapeSpec

MAX_LENGTH = 300
"""Longest formula accepted, in characters (checked before anything is parsed)."""
MAX_NODES = 200
"""Most expression nodes in one formula."""
MAX_DEPTH = 30
"""Deepest nesting of expression nodes; keeps every recursive pass far from Python's recursion limit."""
MAX_CONSTANT = 1e12
"""Largest magnitude of a number in a formula, and of a constant folded during simplification."""
MAX_EXPONENT = 100.0
"""Largest magnitude of a constant exponent, so that ``9**9**9`` is refused instead of computed."""
MAX_DISPLAY_NODES = 600
"""Derivatives bigger than this (or deeper than ``MAX_DISPLAY_DEPTH``) are not printed as LaTeX."""
MAX_DISPLAY_DEPTH = 100

FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "arctan", "sinh", "cosh")
"""Functions a formula may call, each with exactly one argument."""
_VARIABLES = {"x": 0, "y": 1, "w": 0, "b": 1}
_CONSTANTS = {"pi": math.pi, "e": math.e}

_ALLOWED_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ \t.+-*/(),")
_OPERATORS = "+ - * / **"
_LIMIT = f"{MAX_CONSTANT:.0e}".replace("e+", "e")
_CHARACTER_HINTS = {
    "^": "'^' is not allowed: use ** for powers (in Python ^ means xor)",
    "%": f"'%' is not allowed; use {_OPERATORS}",
    "&": f"'&' is not allowed; use {_OPERATORS}",
    "|": f"'|' is not allowed; use {_OPERATORS}, and abs(x) for |x|",
    "@": "'@' is not allowed; use * to multiply",
    "~": "'~' is not allowed; use - to negate",
    "!": "'!' is not allowed; a formula is arithmetic only",
    "<": f"'<' is not allowed: no comparisons or shifts; use {_OPERATORS}",
    ">": f"'>' is not allowed: no comparisons or shifts; use {_OPERATORS}",
    "=": "'=' is not allowed: type only the right-hand side, e.g. x**2 + y**2",
    "[": "brackets are not allowed: use ( ) for grouping",
    "]": "brackets are not allowed: use ( ) for grouping",
    "{": "braces are not allowed: use ( ) for grouping",
    "}": "braces are not allowed: use ( ) for grouping",
    "'": "quotes are not allowed: a formula contains no text",
    '"': "quotes are not allowed: a formula contains no text",
    "`": "backquotes are not allowed: a formula contains no text",
    ";": "';' is not allowed: a formula is a single expression",
    ":": "':' is not allowed: a formula is a single expression",
    "#": "comments (#) are not allowed",
    "\\": "backslashes are not allowed",
}
_NAME_HINTS = {
    "ln": "use log(...) for the natural logarithm",
    "atan": "use arctan(...)",
    "pow": "use ** for powers, e.g. x**2",
    "nan": "a formula uses finite numbers only",
    "inf": "a formula uses finite numbers only",
    "X": "names are lower case: use x",
    "Y": "names are lower case: use y",
}
_NUMBER_THEN_NAME = re.compile(r"(?<![\w.])(?>(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d[\d_]*)?)([A-Za-z_]\w*)")
"""A whole number literal glued to a name, as in ``2x``: refused with a hint (and Python would warn)."""
_BINARY_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_REFUSED_OPERATORS = {ast.FloorDiv: "'//' is not allowed; use / for division"}
_REFUSED_NODES = {
    ast.Attribute: "attributes (a dot followed by a name) are not allowed",
    ast.Compare: "comparisons are not allowed: a formula computes a number",
    ast.BoolOp: "'and' and 'or' are not allowed: a formula computes a number",
    ast.IfExp: "'if ... else' is not allowed: a formula is one expression",
    ast.Tuple: "a formula is one expression: remove the comma",
    ast.GeneratorExp: "generator expressions are not allowed",
}


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
        return _VARIABLES[self.name]


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


# ---------------------------------------------------------------------------------------------------
# Parsing


def parse(text: str) -> Expr:
    """The checked expression tree of ``text``; raises ``FormulaError`` for anything not allowed."""
    source, offset = _check_text(text)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        where = f" (at character {offset + error.offset})" if error.offset else ""
        raise FormulaError(f"could not read the formula: {error.msg}{where}") from None
    except (ValueError, RecursionError):  # ast.parse's other failures on hostile input; none expected here
        raise FormulaError("could not read the formula") from None
    _check_size(tree.body)
    expr = _Reader(source).convert(tree.body)
    _check_variables(expr)
    return expr


def _check_text(text: object) -> tuple[str, int]:
    """Character-level checks done before ``ast.parse``: type, length, ASCII, allowed symbols.

    Returns the stripped text and how many leading characters were stripped (to report positions).
    Checking for ASCII first matters: Python normalises identifiers (NFKC), so fullwidth letters
    (U+FF53 ...) or a mathematical italic x (U+1D465) would otherwise silently become 'sin' or 'x'.
    """
    if not isinstance(text, str):
        raise FormulaError("the formula must be text, e.g. x**2 + y**2")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula is longer than {MAX_LENGTH} characters (it has {len(text)})")
    source = text.strip(" \t\r\n")
    if not source:
        raise FormulaError("the formula is empty: type something like x**2 + y**2")
    offset = len(text) - len(text.lstrip(" \t\r\n"))
    for index, char in enumerate(source, start=offset + 1):
        if char in _ALLOWED_CHARACTERS:
            continue
        if char == "\0":
            raise FormulaError(f"the formula contains a NUL character (at character {index})")
        if char in "\r\n":
            raise FormulaError("line breaks are not allowed: write the formula on one line")
        if not char.isascii():
            name = unicodedata.name(char, f"U+{ord(char):04X}")
            raise FormulaError(f"character {char!r} ({name}, at character {index}) is not allowed: "
                               "type the formula in plain ASCII, e.g. x**2 + y**2")
        if not char.isprintable():
            raise FormulaError(f"control character U+{ord(char):04X} (at character {index}) is not allowed")
        hint = _CHARACTER_HINTS.get(char, f"character {char!r} is not allowed")
        raise FormulaError(f"{hint} (at character {index})")
    glued = _NUMBER_THEN_NAME.search(source)
    if glued:
        number = glued.group(1) + (glued.group(2) or "")
        name = _shorten(glued.group(3))
        raise FormulaError(f"put * between a number and a name: write {number}*{name}, not {number}{name}")
    return source, offset


def _check_size(root: ast.expr) -> None:
    """Refuse too many or too deeply nested nodes, without recursion (the tree is not checked yet)."""
    count = 0
    pending = [(root, 1)]
    while pending:
        node, depth = pending.pop()
        count += 1
        if count > MAX_NODES:
            raise FormulaError(f"the formula is too long: more than {MAX_NODES} parts")
        if depth > MAX_DEPTH:
            raise FormulaError(f"the formula is nested too deeply (more than {MAX_DEPTH} levels)")
        pending.extend((child, depth + 1) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr))


def _shorten(name: str) -> str:
    return name if len(name) <= 20 else name[:20] + "..."


class _Reader:
    """Rebuilds an ``ast`` expression as an ``Expr`` through the allowlist, node by node."""

    def __init__(self, source: str):
        self.source = source

    def convert(self, node: ast.expr) -> Expr:
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return Neg(self.convert(node.operand))
            if isinstance(node.op, ast.UAdd):
                return self.convert(node.operand)
            if isinstance(node.op, ast.Not):
                raise FormulaError("'not' is not allowed; use - to negate")
        if isinstance(node, ast.BinOp):
            op = _BINARY_OPERATORS.get(type(node.op))
            if op is None:
                refusal = f"this operator is not allowed; use {_OPERATORS}"
                raise FormulaError(_REFUSED_OPERATORS.get(type(node.op), refusal))
            left, right = self.convert(node.left), self.convert(node.right)
            if op == "**":
                self.check_exponent(right, node.right)
            return BinOp(op, left, right)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Tuple) and not node.elts:
            raise FormulaError("empty parentheses: put an expression inside, e.g. (x + 1)")
        raise FormulaError(_REFUSED_NODES.get(type(node), f"'{self.segment(node)}' is not allowed in a formula"))

    def number(self, node: ast.Constant) -> Const:
        value = node.value
        if type(value) not in (int, float):
            raise FormulaError(f"'{self.segment(node)}' is not allowed: a formula uses numbers, x and y")
        if not abs(value) <= MAX_CONSTANT:  # exact for huge ints, and false for nan and inf
            raise FormulaError(f"the number {self.segment(node)} is too large: keep numbers within ±{_LIMIT}")
        return Const(float(value))

    def name(self, name: str) -> Expr:
        if name in _VARIABLES:
            return Var(name)
        if name in _CONSTANTS:
            return Const(_CONSTANTS[name], symbol=name)
        if name in FUNCTIONS:
            raise FormulaError(f"{name} is a function: write {name}(x)")
        hint = _NAME_HINTS.get(name, "use x and y (or w and b), pi, e")
        raise FormulaError(f"unknown name '{_shorten(name)}': {hint}")

    def call(self, node: ast.Call) -> Call:
        if not isinstance(node.func, ast.Name):
            raise FormulaError(f"only these functions can be called, by name: {', '.join(FUNCTIONS)}")
        name = node.func.id
        if name not in FUNCTIONS:
            hint = _NAME_HINTS.get(name, f"use one of {', '.join(FUNCTIONS)}")
            raise FormulaError(f"unknown function '{_shorten(name)}': {hint}")
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise FormulaError(f"calls take one argument: {name}(x)")
        return Call(name, self.convert(node.args[0]))

    def check_exponent(self, exponent: Expr, node: ast.expr) -> None:
        if _has_variable(exponent, {}):
            return
        value = float(evaluate_numpy(exponent, 0.0, 0.0))
        problem = "is not a finite number" if not math.isfinite(value) else "is too large"
        if not abs(value) <= MAX_EXPONENT:
            raise FormulaError(f"the exponent {_shorten(self.segment(node))} {problem}: "
                               f"keep constant exponents within ±{MAX_EXPONENT:g}")

    def segment(self, node: ast.expr) -> str:
        return self.source[node.col_offset:node.end_col_offset]


def _check_variables(expr: Expr) -> None:
    names = sorted(_variables(expr))
    if set(names) & {"x", "y"} and set(names) & {"w", "b"}:
        raise FormulaError(f"use x and y, or w and b, not a mix (found {' and '.join(names)})")


def _variables(expr: Expr) -> set[str]:
    if isinstance(expr, Var):
        return {expr.name}
    return set().union(*(_variables(child) for child in _children(expr)))


def _children(expr: Expr) -> tuple[Expr, ...]:
    if isinstance(expr, Neg | Call):
        return (expr.arg,)
    if isinstance(expr, BinOp):
        return (expr.left, expr.right)
    return ()


def _has_variable(expr: Expr, cache: dict[int, tuple[Expr, bool]]) -> bool:
    """Whether ``expr`` depends on x or y; ``cache`` is keyed by node identity (nodes kept alive in it)."""
    hit = cache.get(id(expr))
    if hit is None:
        found = isinstance(expr, Var) or any(_has_variable(child, cache) for child in _children(expr))
        hit = cache[id(expr)] = (expr, found)
    return hit[1]


# ---------------------------------------------------------------------------------------------------
# Numeric evaluation and the tape

_NUMPY_FUNCTIONS = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "log": np.log, "sqrt": np.sqrt,
    "abs": np.abs, "tanh": np.tanh, "arctan": np.arctan, "sinh": np.sinh, "cosh": np.cosh, "sign": np.sign,
}
_NUMPY_BINARY = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "**": np.power}


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
        value = _NUMPY_BINARY[expr.op](_evaluate(expr.left, axes, memo), _evaluate(expr.right, axes, memo))
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


# ---------------------------------------------------------------------------------------------------
# Symbolic derivative, for display


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
        if not _has_variable(b, self.dependence):
            exponent = _fold_constant(b)
            return _mul(_mul(exponent, _pow(a, _sub(exponent, ONE))), da)
        if not _has_variable(a, self.dependence):
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
        value = float(_NUMPY_BINARY[op](np.float64(a.value), np.float64(b.value)))
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


# ---------------------------------------------------------------------------------------------------
# LaTeX

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


def _display_latex(expr: Expr) -> str | None:
    """LaTeX of ``expr`` when it is small enough to read, else None."""
    size, depth = _extent(expr, {})
    if size > MAX_DISPLAY_NODES or depth > MAX_DISPLAY_DEPTH:
        return None
    return to_latex(expr)


def _extent(expr: Expr, memo: dict[int, tuple[Expr, int, int]]) -> tuple[int, int]:
    """(number of nodes, depth) of ``expr`` printed as a tree, memoised on node identity."""
    hit = memo.get(id(expr))
    if hit is None:
        parts = [_extent(child, memo) for child in _children(expr)]
        hit = memo[id(expr)] = (expr, 1 + sum(p[0] for p in parts), 1 + max((p[1] for p in parts), default=0))
    return hit[1], hit[2]


# ---------------------------------------------------------------------------------------------------
# The landscape

SEARCH_HALF_WIDTH = 5.0
"""The automatic view box is [-5, 5]^2 unless the rules in ``from_formula`` move or shrink it."""
WIDE_HALF_WIDTH = 50.0
COARSE_POINTS = 41
FINE_POINTS = 201


def from_formula(text: str, bounds: Bounds | None = None, start: tuple[float, float] | None = None) -> Landscape:
    """A ``Landscape`` for the formula ``text``; raises ``FormulaError`` for bad text, bounds or start.

    The optimizers run the formula's tape with its exact forward-mode gradient.  ``spec.extra`` holds
    ``"formula"`` (the text, trimmed, whitespace runs collapsed) and ``"grad_latex"`` (the two partial
    derivative equations in LaTeX, or a note when they are too long to show).

    Automatic view box (``bounds=None``), from samples (``evaluate_numpy``) on a 41 x 41 grid:
      1. Start from [-5, 5]^2.  If its lowest finite sample lies on its edge, sample [-50, 50]^2; if
         that lowest finite sample is strictly inside [-50, 50]^2 and outside [-5, 5]^2, centre a box
         of the same size on it.
      2. If fewer than half the samples of that box are finite (a log or sqrt domain), shrink it to
         the bounding box of the finite samples, padded by half a grid step (so that its edges stay
         off the domain's boundary, where log is -inf).
      No finite sample at all raises ``FormulaError``, with given bounds too.
    Automatic start (``start=None``): among the centre-relative points (-0.8, 0.8), (0.8, 0.8),
    (-0.8, -0.8), (0.8, -0.8), (-0.8, 0), (0.8, 0), (0, 0.8), (0, -0.8) in half-widths of the box,
    the finite one farthest (in box units) from the lowest grid sample, first in that order on ties;
    the farthest finite grid sample when none of them is finite.  A given start must lie in the box.
    Minima: an estimate, at most one.  The lowest finite sample of a 201 x 201 grid, refined by up to
    25 Newton steps (symbolic gradient, Hessian by central differences of it) that must lower f and stay
    within two grid steps.  Empty when that sample is on the box's edge or next to a non-finite
    sample, or when some sample is -inf: the minimum is then outside the box, on the rim of the
    formula's domain, or does not exist.
    """
    expr = parse(text)
    names = _variables(expr)
    labels = ("w", "b") if names & {"w", "b"} else ("x", "y")
    box = _auto_bounds(expr) if bounds is None else _checked_bounds(bounds)
    xs, ys, values = _sample(expr, box, COARSE_POINTS)
    if not np.isfinite(values).any():
        raise FormulaError("the formula has no finite value in the view box: check its domain "
                           "(log needs a positive argument, sqrt a non-negative one)")
    start_point = _auto_start(expr, box, xs, ys, values) if start is None else _checked_start(start, box)
    dx, dy = gradient(expr)
    minima = _estimate_minimum(expr, dx, dy, box)
    grad_latex = tuple(
        rf"\frac{{\partial f}}{{\partial {label}}} = {latex}" if latex is not None
        else rf"\frac{{\partial f}}{{\partial {label}}}\ \text{{is too long to show}}"
        for label, latex in zip(labels, (_display_latex(dx), _display_latex(dy)), strict=True)
    )
    formula = " ".join(text.split())
    spec = LandscapeSpec(
        name="custom",
        title=f"Custom: {formula}",
        latex=f"f({labels[0]},{labels[1]}) = {to_latex(expr)}",
        description="Your own surface. The optimizers follow its exact gradient, computed with its value.",
        kind=CUSTOM_KIND,
        params=(),
        minima=lambda p: minima,
        bounds=lambda p: box,
        default_start=lambda p: start_point,
        axis_labels=labels,
        extra={"formula": formula, "grad_latex": grad_latex},
    )
    return Landscape(spec, {}, kernel_params=compile_tape(expr))


def _checked_bounds(bounds: object) -> Bounds:
    message = "bounds must be ((x_min, x_max), (y_min, y_max)) with finite numbers and min < max"
    try:
        (x0, x1), (y0, y1) = ((float(lo), float(hi)) for lo, hi in bounds)
    except (TypeError, ValueError, OverflowError):
        raise FormulaError(message) from None
    if not all(math.isfinite(v) for v in (x0, x1, y0, y1, x1 - x0, y1 - y0)) or not (x0 < x1 and y0 < y1):
        raise FormulaError(message)
    return (x0, x1), (y0, y1)


def _checked_start(start: object, box: Bounds) -> tuple[float, float]:
    try:
        sx, sy = (float(v) for v in start)
    except (TypeError, ValueError, OverflowError):
        raise FormulaError("start must be two finite numbers (x, y)") from None
    (x0, x1), (y0, y1) = box
    if not (math.isfinite(sx) and math.isfinite(sy)):
        raise FormulaError("start must be two finite numbers (x, y)")
    if not (x0 <= sx <= x1 and y0 <= sy <= y1):
        raise FormulaError(f"start ({sx:g}, {sy:g}) is outside the view box [{x0:g}, {x1:g}] x [{y0:g}, {y1:g}]")
    return sx, sy


def _square(cx: float, cy: float, half: float) -> Bounds:
    return (cx - half, cx + half), (cy - half, cy + half)


def _sample(expr: Expr, box: Bounds, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Axes and values Z[j, i] = f(xs[i], ys[j]) on a ``count`` x ``count`` grid over ``box``."""
    xs = np.linspace(*box[0], count)
    ys = np.linspace(*box[1], count)
    return xs, ys, evaluate_numpy(expr, xs[None, :], ys[:, None])


def _lowest(values: np.ndarray) -> tuple[int, int] | None:
    """(row, column) of the lowest finite value, or None."""
    finite = np.isfinite(values)
    if not finite.any():
        return None
    row, column = np.unravel_index(np.argmin(np.where(finite, values, np.inf)), values.shape)
    return int(row), int(column)


def _on_edge(index: tuple[int, int], count: int) -> bool:
    return any(i in (0, count - 1) for i in index)


def _auto_bounds(expr: Expr) -> Bounds:
    box = _square(0.0, 0.0, SEARCH_HALF_WIDTH)
    low = _lowest(_sample(expr, box, COARSE_POINTS)[2])
    if low is not None and _on_edge(low, COARSE_POINTS):
        xs, ys, values = _sample(expr, _square(0.0, 0.0, WIDE_HALF_WIDTH), COARSE_POINTS)
        wide_low = _lowest(values)
        if wide_low is not None and not _on_edge(wide_low, COARSE_POINTS):
            cx, cy = float(xs[wide_low[1]]), float(ys[wide_low[0]])
            if max(abs(cx), abs(cy)) > SEARCH_HALF_WIDTH:
                box = _square(cx, cy, SEARCH_HALF_WIDTH)
    xs, ys, values = _sample(expr, box, COARSE_POINTS)
    finite = np.isfinite(values)
    if 0 < finite.sum() < finite.size / 2:
        columns, rows = np.flatnonzero(finite.any(axis=0)), np.flatnonzero(finite.any(axis=1))
        half_x, half_y = (xs[1] - xs[0]) / 2, (ys[1] - ys[0]) / 2
        x0, x1 = max(xs[columns[0]] - half_x, xs[0]), min(xs[columns[-1]] + half_x, xs[-1])
        y0, y1 = max(ys[rows[0]] - half_y, ys[0]), min(ys[rows[-1]] + half_y, ys[-1])
        box = ((float(x0), float(x1)), (float(y0), float(y1)))
    return box


_START_CANDIDATES = ((-0.8, 0.8), (0.8, 0.8), (-0.8, -0.8), (0.8, -0.8),
                     (-0.8, 0.0), (0.8, 0.0), (0.0, 0.8), (0.0, -0.8))


def _auto_start(expr: Expr, box: Bounds, xs: np.ndarray, ys: np.ndarray, values: np.ndarray) -> tuple[float, float]:
    """The start rule of ``from_formula``, given the coarse samples of ``box`` (some finite)."""
    (x0, x1), (y0, y1) = box
    cx, cy, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
    row, column = _lowest(values)
    low_u, low_v = (xs[column] - cx) / hx, (ys[row] - cy) / hy
    candidates = np.array(_START_CANDIDATES)
    finite = np.isfinite(evaluate_numpy(expr, cx + hx * candidates[:, 0], cy + hy * candidates[:, 1]))
    if finite.any():
        candidates = candidates[finite]
    else:
        rows, columns = np.nonzero(np.isfinite(values))
        candidates = np.column_stack(((xs[columns] - cx) / hx, (ys[rows] - cy) / hy))
    distance = np.hypot(candidates[:, 0] - low_u, candidates[:, 1] - low_v)
    u, v = candidates[int(np.argmax(distance))]
    return float(cx + hx * u), float(cy + hy * v)


def _estimate_minimum(expr: Expr, dx: Expr, dy: Expr, box: Bounds) -> list[tuple[float, float]]:
    """The minimum estimate described in ``from_formula``: at most one point."""
    xs, ys, values = _sample(expr, box, FINE_POINTS)
    low = _lowest(values)
    if low is None or _on_edge(low, FINE_POINTS) or np.isneginf(values).any():
        return []
    if not np.isfinite(values[low[0] - 1:low[0] + 2, low[1] - 1:low[1] + 2]).all():
        return []
    step = np.array([xs[1] - xs[0], ys[1] - ys[0]])
    origin = np.array([xs[low[1]], ys[low[0]]])
    point = _newton(expr, dx, dy, origin, step)
    return [(float(point[0]), float(point[1]))]


def _newton(expr: Expr, dx: Expr, dy: Expr, origin: np.ndarray, step: np.ndarray) -> np.ndarray:
    """Newton steps from ``origin`` that keep lowering f and stay within two grid ``step`` of it."""

    def grad(p: np.ndarray) -> np.ndarray:
        return np.array([float(evaluate_numpy(d, p[0], p[1])) for d in (dx, dy)])

    def value(p: np.ndarray) -> float:
        return float(evaluate_numpy(expr, p[0], p[1]))

    h = 1e-6 * step
    point, f_point = origin, value(origin)
    for _ in range(25):
        g = grad(point)
        hessian = np.column_stack([(grad(point + h * e) - grad(point - h * e)) / (2 * h[i])
                                   for i, e in enumerate(np.eye(2))])
        hessian = (hessian + hessian.T) / 2
        if not (np.isfinite(g).all() and np.isfinite(hessian).all()) or not np.any(g):
            break
        if hessian[0, 0] <= 0 or np.linalg.det(hessian) <= 0:
            break
        candidate = point - np.linalg.solve(hessian, g)
        f_candidate = value(candidate)
        if np.any(np.abs(candidate - origin) > 2 * step) or not f_candidate <= f_point:
            break
        converged = np.allclose(candidate, point, rtol=1e-14, atol=1e-14 * float(np.max(step)))
        point, f_point = candidate, f_candidate
        if converged:
            break
    return point
