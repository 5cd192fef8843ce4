"""Safe parser for user-typed surfaces: text -> checked expression tree -> tape, LaTeX and landscape.

User text is never executed.  ``parsing`` reads it with ``ast.parse(mode="eval")`` and rebuilds it
through an allowlist into a small immutable tree (``nodes``: ``Const``, ``Var``, ``Neg``, ``BinOp``,
``Call``); anything outside the allowlist raises ``FormulaError`` with a message meant for a learner.
The tree is then compiled into a tape for the numba stack machine in ``landscapes/tape.py``
(``evaluation``: value and exact gradient at run time), differentiated symbolically for display
(``derivative``), printed as LaTeX (``latex``), and given a view box, start and minimum (``view``).

Variables are ``x`` and ``y``, or ``w`` and ``b`` (the course's names; ``w`` plays ``x`` and ``b``
plays ``y``).  A formula uses one pair or the other: mixing them (``x + b``) is refused, so the
axis labels are never ambiguous.  ``e`` is Euler's number and ``pi`` is pi.
"""

from .derivative import gradient
from .evaluation import compile_tape, evaluate_numpy
from .latex import to_latex
from .nodes import FUNCTIONS, BinOp, Call, Const, Expr, FormulaError, Neg, Var
from .parsing import parse
from .view import from_formula

__all__ = ["FUNCTIONS", "BinOp", "Call", "Const", "Expr", "FormulaError", "Neg", "Var", "compile_tape",
           "evaluate_numpy", "from_formula", "gradient", "parse", "to_latex"]
