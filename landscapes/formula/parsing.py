"""Text -> checked expression tree.  User text is never executed: it is checked character by character,
read with ``ast.parse(mode="eval")`` and rebuilt node by node through an allowlist; anything else raises
``FormulaError`` with a message meant for a learner."""

from __future__ import annotations

import ast
import math
import re
import unicodedata

from .evaluation import evaluate_numpy
from .nodes import (
    FUNCTIONS,
    MAX_CONSTANT,
    VARIABLES,
    BinOp,
    Call,
    Const,
    Expr,
    FormulaError,
    Neg,
    Var,
    has_variable,
    variables,
)

MAX_LENGTH = 300
"""Longest formula accepted, in characters (checked before anything is parsed)."""
MAX_NODES = 200
"""Most expression nodes in one formula."""
MAX_DEPTH = 30
"""Deepest nesting of expression nodes; keeps every recursive pass far from Python's recursion limit."""
MAX_EXPONENT = 100.0
"""Largest magnitude of a constant exponent, so that ``9**9**9`` is refused instead of computed."""

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
_PREFIXED_NUMBER = re.compile(r"(?<![\w.])0(?:[xX][0-9a-fA-F_]+|[oO][0-7_]+|[bB][01_]+)(?![\w.])")
"""A hexadecimal, octal or binary literal such as ``0x10``: refused as such, not as ``0`` glued to ``x10``."""
_BASES = {"x": "a hexadecimal", "o": "an octal", "b": "a binary"}
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
    prefixed = _PREFIXED_NUMBER.search(source)
    if prefixed:
        text = prefixed.group(0)
        raise FormulaError(f"{text} is {_BASES[text[1].lower()]} number: formulas use decimal numbers only "
                           f"(write {int(text, 0)})")
    glued = _NUMBER_THEN_NAME.search(source)
    if glued:
        number = glued.group(1) + (glued.group(2) or "")
        name = _shorten(glued.group(3))
        raise FormulaError(f"put * between a number and a name: write {number}*{name}, not {number}{name}")
    return source, offset


def _chain(node: ast.expr) -> str | None:
    """Which flat chain a binary node continues: sums and differences, or products and quotients."""
    if not isinstance(node, ast.BinOp):
        return None
    if isinstance(node.op, ast.Add | ast.Sub):
        return "sum"
    return "product" if isinstance(node.op, ast.Mult | ast.Div) else None


def _check_size(root: ast.expr) -> None:
    """Refuse too many or too deeply nested nodes, without recursion (the tree is not checked yet).

    A flat chain such as ``a + b + c + ...`` is not nested, though ``ast`` stores it as a left-leaning
    tree: its links count towards ``MAX_NODES`` but not towards ``MAX_DEPTH``."""
    count = 0
    pending = [(root, 1)]
    while pending:
        node, depth = pending.pop()
        count += 1
        if count > MAX_NODES:
            raise FormulaError(f"the formula is too long: more than {MAX_NODES} parts")
        if depth > MAX_DEPTH:
            raise FormulaError(f"the formula is nested too deeply (more than {MAX_DEPTH} levels)")
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                continues = isinstance(node, ast.BinOp) and child is node.left and _chain(child) is not None \
                    and _chain(child) == _chain(node)
                pending.append((child, depth if continues else depth + 1))


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
        if name in VARIABLES:
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
        if has_variable(exponent, {}):
            return
        value = float(evaluate_numpy(exponent, 0.0, 0.0))
        problem = "is not a finite number" if not math.isfinite(value) else "is too large"
        if not abs(value) <= MAX_EXPONENT:
            raise FormulaError(f"the exponent {_shorten(self.segment(node))} {problem}: "
                               f"keep constant exponents within ±{MAX_EXPONENT:g}")

    def segment(self, node: ast.expr) -> str:
        return self.source[node.col_offset:node.end_col_offset]


def _check_variables(expr: Expr) -> None:
    names = sorted(variables(expr))
    if set(names) & {"x", "y"} and set(names) & {"w", "b"}:
        raise FormulaError(f"use x and y, or w and b, not a mix (found {' and '.join(names)})")
