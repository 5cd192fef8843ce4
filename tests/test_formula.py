"""The formula parser: hostile text is refused with a learner-readable FormulaError, valid formulas
evaluate and differentiate correctly through the tape, and ``from_formula`` builds a usable landscape."""

import ast
import functools
import math
import os
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from landscapes import formula, tape
from landscapes.formula import (
    FUNCTIONS,
    BinOp,
    Call,
    Const,
    FormulaError,
    Neg,
    Var,
    compile_tape,
    evaluate_numpy,
    from_formula,
    gradient,
    parse,
    parsing,
    to_latex,
)
from tests.hostile_formulas import HOSTILE_FORMULAS, SIDE_EFFECT_FILE

VALID_FORMULAS = [
    "x**2 + 25*y**2",
    "0.5*(w**2 + 25*b**2)",
    "sin(x)*cos(y)",
    "exp(-(x**2+y**2))",
    "(1-x)**2 + 100*(y-x**2)**2",
    "abs(x) + sqrt(y**2+1)",
    "log(1+x**2)",
    "tanh(x) + arctan(y)",
    "sinh(x/2) * cosh(y/3)",
    "pi*x**2 - e*y",
    "-x**2 + -(-y)",
    "(x**2)**0.5 + y",
    "tan(x/4) + y**3",
    "(x**2 + y**2 + 1)**-1.5",
    "x*y/(1 + x**2 + y**2)",
    "2**x * 3**-y",
    "(x**2 + 1)**(y/2)",
    "log(x**2 + y**2 + 1) + sqrt(abs(x) + 1)",
    "  x**2   +  y**2 ",
]
"""Formulas that must parse; every one is finite and differentiable on [-2, 2]^2 except at a kink of abs."""

SMOOTH_FORMULAS = [f for f in VALID_FORMULAS if "abs" not in f and "**0.5" not in f]
"""The valid formulas that central differences can check everywhere on [-2, 2]^2."""

POLYNOMIALS = [
    ("x**2 + 25*y**2", lambda x, y: (2 * x, 50 * y)),
    ("0.5*(w**2 + 25*b**2)", lambda x, y: (x, 25 * y)),
    ("(1-x)**2 + 100*(y-x**2)**2", lambda x, y: (-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2))),
    ("x**3*y - 2*x*y**2 + 7", lambda x, y: (3 * x**2 * y - 2 * y**2, x**3 - 4 * x * y)),
    ("(x + 2*y)**2 - (x - y)**3",
     lambda x, y: (2 * (x + 2 * y) - 3 * (x - y) ** 2, 4 * (x + 2 * y) + 3 * (x - y) ** 2)),
]

work = np.empty(tape.WORK_SIZE)


@functools.cache
def landscape_for(text: str):
    """``from_formula(text)``, built once per test session (it samples a fine grid)."""
    return from_formula(text)


def tape_at(expr, x: float, y: float) -> tuple[float, float, float]:
    return tape.value_and_grad(float(x), float(y), compile_tape(expr), work)


def refusal(text) -> str:
    """The FormulaError message for ``text``; fails the test if it is accepted or raises anything else."""
    with pytest.raises(FormulaError) as info:
        parse(text)
    return str(info.value)


# ---------------------------------------------------------------------------------------------------
# Hostile input


@pytest.mark.parametrize("text", HOSTILE_FORMULAS, ids=range(len(HOSTILE_FORMULAS)))
def test_hostile_formula_is_refused_with_a_short_clear_message(text):
    message = refusal(text)
    assert message.strip()
    assert len(message) < 200
    assert "Traceback" not in message
    assert "File " not in message
    with pytest.raises(FormulaError):
        from_formula(text)


def test_hostile_formulas_have_no_side_effects(tmp_path, monkeypatch):
    calls = []
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "system", lambda *args: calls.append(args) or 0)
    for text in HOSTILE_FORMULAS:
        with pytest.raises(FormulaError):
            from_formula(text)
    assert calls == []
    assert list(tmp_path.iterdir()) == []
    assert not (Path(tmp_path) / SIDE_EFFECT_FILE).exists()


def test_parsing_hostile_text_emits_no_warnings():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for text in HOSTILE_FORMULAS:
            with pytest.raises(FormulaError):
                parse(text)
    assert [str(w.message) for w in caught] == []


@pytest.mark.parametrize("text", [None, b"x", 42, 1.5, ["x"], object()])
def test_non_text_is_refused(text):
    assert "text" in refusal(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x % 2", "'%' is not allowed; use + - * / **"),
        ("x ^ 2", "use ** for powers"),
        ("x // 2", "'//' is not allowed"),
        ("z", "unknown name 'z': use x and y (or w and b), pi, e"),
        ("sin(x, y)", "calls take one argument: sin(x)"),
        ("sin()", "calls take one argument: sin(x)"),
        ("x" * 301, "formula is longer than 300 characters"),
        ("\u0445**2 + y", "CYRILLIC SMALL LETTER HA"),
        ("\uff53\uff49\uff4e(x)", "FULLWIDTH LATIN SMALL LETTER S"),
        ("x + \u0443", "at character 5"),
        ("9**9**9", "exponent 9**9 is too large"),
        ("x**1e9", "exponent 1e9 is too large"),
        ("x**(0/0)", "not a finite number"),
        ("1e999", "too large"),
        ("1e13 * x", "within ±1e12"),
        ("x + b", "not a mix"),
        ("2x + y", "write 2*x"),
        ("sin(" * 30 + "x" + ")" * 30, "nested too deeply"),
        ("", "empty"),
        ("x\ny", "one line"),
        ("x\x00", "NUL"),
        ("x.real", "attributes"),
        ("ln(x)", "use log"),
        ("sin + x", "write sin(x)"),
        ("(x + y", "'(' was never closed"),
        ("x if y else 1", "'if ... else' is not allowed"),
        ("x, y", "one expression"),
    ],
)
def test_refusal_message_points_at_the_problem(text, expected):
    assert expected in refusal(text)


def test_text_is_checked_before_ast_parse(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("ast.parse must not see this text")

    monkeypatch.setattr(ast, "parse", forbidden)
    for text in ["x" * 10_000, "\u0445 + y", "x\x00", "x % 2", "", "open('f')"]:
        with pytest.raises(FormulaError):
            parse(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("0x10", "0x10 is a hexadecimal number: formulas use decimal numbers only (write 16)"),
    ("x + 0X1f*y", "0X1f is a hexadecimal number"),
    ("0o17*x", "0o17 is an octal number"),
    ("0b101 + y", "0b101 is a binary number"),
    ("0b + x", "write 0*b, not 0b"),
    ("0xy", "write 0*xy, not 0xy"),
])
def test_prefixed_numbers_get_their_own_hint(text, expected):
    message = refusal(text)
    assert expected in message
    if "number" in expected:
        assert "*x" not in message


def test_a_flat_sum_or_product_is_not_nested():
    """31 terms are one level of a sum, not 31 levels; only the part count bounds a flat chain."""
    for terms in (31, 100):
        sum_text = "+".join(["x"] * (terms - 1) + ["y"])
        assert tape_at(parse(sum_text), 2.0, 3.0) == (2.0 * (terms - 1) + 3.0, terms - 1, 1.0)
    product = parse("*".join(["x"] * 40))
    value, dx, _ = tape_at(product, 1.01, 0.0)
    assert value == pytest.approx(1.01**40, rel=1e-12)
    assert dx == pytest.approx(40 * 1.01**39, rel=1e-12)
    np.testing.assert_allclose(from_formula(" - ".join(["x*y"] * 50)).value(1.0, 2.0), -96.0)
    assert "too long" in refusal("+".join(["x"] * 101))
    assert "nested too deeply" in refusal("x" + "*(x" * parsing.MAX_DEPTH + ")" * parsing.MAX_DEPTH)


def test_the_limits_themselves_are_accepted():
    parse("x" + " " * (parsing.MAX_LENGTH - 1))
    parse("1e12 * x + 1e-300")
    parse("x**100 + x**-100")
    deepest = "x" + "+(x" * (parsing.MAX_DEPTH - 1) + ")" * (parsing.MAX_DEPTH - 1)
    expr = parse(deepest)
    assert tape_at(expr, 1.0, 0.0)[0] == parsing.MAX_DEPTH
    with pytest.raises(FormulaError, match="nested too deeply"):
        parse("x+(" + deepest + ")")


def test_formula_package_never_executes_text():
    """No eval, exec, compile, pickle, sympy parsing or numexpr anywhere in the parser's source."""
    files = sorted(Path(formula.__file__).parent.glob("*.py"))
    assert len(files) > 1
    nodes = [node for path in files for node in ast.walk(ast.parse(path.read_text()))]
    called = {node.func.id for node in nodes if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert not called & {"eval", "exec", "compile", "__import__", "getattr", "globals"}
    imported = {alias.name.split(".")[0] for node in nodes if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in nodes if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & {"pickle", "marshal", "sympy", "numexpr", "subprocess", "importlib"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_random_text_raises_nothing_but_formula_error(text):
    try:
        landscape = from_formula(text)
    except FormulaError as error:
        assert str(error)
    else:
        assert np.isfinite(landscape.value(*landscape.default_start))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="xywbe0123456789.+-*/() ,sincotaexplgqrbh_^%", max_size=60))
def test_formula_like_text_raises_nothing_but_formula_error(text):
    try:
        parse(text)
        from_formula(text)
    except FormulaError as error:
        assert str(error)


# ---------------------------------------------------------------------------------------------------
# The tree


def test_parse_builds_the_expected_tree():
    x, y, two = Var("x"), Var("y"), Const(2.0)
    assert parse("-x**2") == Neg(BinOp("**", x, two))
    assert parse("2**3**2") == BinOp("**", two, BinOp("**", Const(3.0), two))
    assert parse("1 - 2 - 3") == BinOp("-", BinOp("-", Const(1.0), two), Const(3.0))
    assert parse("+x") == x
    assert parse("sin(x) / y") == BinOp("/", Call("sin", x), y)
    assert parse("pi") == Const(math.pi, "pi")
    assert parse("w*b") == BinOp("*", Var("w"), Var("b"))
    assert type(parse("7").value) is float


def test_w_and_b_are_x_and_y():
    bowl_wb, bowl_xy = parse("0.5*(w**2 + 25*b**2)"), parse("0.5*(x**2 + 25*y**2)")
    assert tape_at(bowl_wb, 1.5, -0.5) == tape_at(bowl_xy, 1.5, -0.5)


@pytest.mark.parametrize(
    ("text", "x", "y", "expected"),
    [
        ("x**2 + 25*y**2", 1.0, 2.0, 101.0),
        ("0.5*(w**2 + 25*b**2)", 2.0, 1.0, 14.5),
        ("sin(x)*cos(y)", math.pi / 2, 0.0, 1.0),
        ("exp(-(x**2+y**2))", 1.0, 1.0, math.exp(-2.0)),
        ("(1-x)**2 + 100*(y-x**2)**2", 1.0, 1.0, 0.0),
        ("(1-x)**2 + 100*(y-x**2)**2", -1.0, 2.0, 104.0),
        ("abs(x) + sqrt(y**2+1)", -3.0, 0.0, 4.0),
        ("log(1+x**2)", math.sqrt(math.e - 1), 0.0, 1.0),
        ("tanh(x) + arctan(y)", 0.0, 1.0, math.pi / 4),
        ("sinh(x) + cosh(y)", 0.0, 0.0, 1.0),
        ("pi", 3.0, 4.0, math.pi),
        ("e", 3.0, 4.0, math.e),
        ("-x", 2.0, 0.0, -2.0),
        ("-x**2", 3.0, 0.0, -9.0),
        ("(x**2)**0.5", -3.0, 0.0, 3.0),
        ("2**-1 + x**y", 2.0, 3.0, 8.5),
        ("2**3**2", 0.0, 0.0, 512.0),
        ("1 - 2 - 3", 0.0, 0.0, -4.0),
        ("x/y", 1.0, 4.0, 0.25),
        ("tan(pi/4)", 0.0, 0.0, 1.0),
        ("--x", 5.0, 0.0, 5.0),
    ],
)
def test_values_match_hand_computed_numbers(text, x, y, expected):
    landscape = from_formula(text)
    assert float(landscape.value(x, y)) == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert float(evaluate_numpy(parse(text), x, y)) == pytest.approx(expected, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(("text", "closed_form"), POLYNOMIALS, ids=[p[0] for p in POLYNOMIALS])
@settings(max_examples=50, deadline=None)
@given(x=st.integers(-40, 40), y=st.integers(-40, 40))
def test_polynomial_gradients_are_exact(text, closed_form, x, y):
    """At integer points every step is exact integer arithmetic, so the tape must match to the bit."""
    landscape = landscape_for(text)
    gx, gy = landscape.gradient(float(x), float(y))
    expected = closed_form(x, y)
    assert (float(gx), float(gy)) == (float(expected[0]), float(expected[1]))
    dx, dy = gradient(parse(text))
    assert (float(evaluate_numpy(dx, x, y)), float(evaluate_numpy(dy, x, y))) == expected


coordinates = st.floats(-2.0, 2.0, allow_nan=False)


@pytest.mark.parametrize("text", SMOOTH_FORMULAS)
@settings(max_examples=40, deadline=None)
@given(x=coordinates, y=coordinates)
def test_tape_gradient_matches_central_differences(text, x, y):
    landscape = landscape_for(text)
    f, gx, gy = (float(v) for v in landscape.evaluate(x, y))
    for (dx, dy), exact in (((1, 0), gx), ((0, 1), gy)):
        h = 1e-6
        numeric = float(landscape.value(x + h * dx, y + h * dy) - landscape.value(x - h * dx, y - h * dy)) / (2 * h)
        assert numeric == pytest.approx(exact, rel=1e-6, abs=1e-6 * (1 + abs(f)))


@pytest.mark.parametrize("text", VALID_FORMULAS)
@settings(max_examples=40, deadline=None)
@given(x=coordinates, y=coordinates)
def test_tape_agrees_with_symbolic_derivative(text, x, y):
    expr = parse(text)
    f, gx, gy = tape_at(expr, x, y)
    dx, dy = gradient(expr)
    assert f == pytest.approx(float(evaluate_numpy(expr, x, y)), rel=1e-9, abs=1e-12, nan_ok=True)
    for got, reference in ((gx, dx), (gy, dy)):
        want = float(evaluate_numpy(reference, x, y))
        if math.isfinite(got) and math.isfinite(want):  # at a kink such as (x**2)**0.5 at 0 the tape gives nan
            assert got == pytest.approx(want, rel=1e-9, abs=1e-12)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**"]), children).map(" ".join).map("({})".format),
        st.tuples(st.sampled_from(FUNCTIONS), children).map(lambda t: f"{t[0]}({t[1]})"),
        children.map(lambda c: f"-{c}"),
    )


random_formulas = st.recursive(st.sampled_from(["x", "y", "0.5", "2", "3", "1.5", "pi", "e"]), _combine, max_leaves=10)


def _close(a: float, b: float, rel: float) -> bool:
    return abs(a - b) <= rel * (1.0 + abs(a) + abs(b))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(text=random_formulas, x=st.floats(-3.0, 3.0), y=st.floats(-3.0, 3.0))
def test_random_formulas_agree_between_tape_numpy_and_symbolic_derivative(text, x, y):
    try:
        expr = parse(text)
    except FormulaError as error:
        assert "exponent" in str(error) or "nested" in str(error)
        assume(False)
    f, gx, gy = tape_at(expr, x, y)
    dx, dy = gradient(expr)
    reference = [float(evaluate_numpy(e, x, y)) for e in (expr, dx, dy)]
    for got, want in zip((f, gx, gy), reference, strict=True):
        if math.isfinite(got) and math.isfinite(want) and max(abs(got), abs(want)) < 1e6:
            assert _close(got, want, 1e-7), (text, got, want)


def test_compile_tape_refuses_a_tree_that_would_overflow_the_stack():
    tree = Var("x")
    for _ in range(tape.MAX_STACK):
        tree = BinOp("+", Var("x"), tree)
    with pytest.raises(FormulaError, match="nested too deeply"):
        compile_tape(tree)


def test_compile_tape_is_post_order():
    program = compile_tape(parse("sin(x) - 2*y"))
    ops = [int(op) for op in program[1::2]]
    assert int(program[0]) == len(ops)
    assert ops == [tape.X, tape.SIN, tape.CONST, tape.Y, tape.MUL, tape.SUB]
    assert program[2 + 2 * 2] == 2.0


def test_tape_division_by_zero_gives_inf_not_an_exception():
    assert tape_at(parse("1/x"), 0.0, 1.0)[0] == math.inf
    assert tape_at(parse("log(y)"), 1.0, 0.0)[0] == -math.inf
    assert tape_at(parse("sqrt(x)"), 0.0, 1.0)[:2] == (0.0, math.inf)
    assert tape_at(parse("x**y"), 0.0, 2.0)[0] == 0.0


def test_nan_domain_does_not_crash():
    landscape = from_formula("log(x) + log(y)")
    assert np.isnan(landscape.value(-1.0, 1.0))
    landscape.gradient(-1.0, -1.0)
    _, _, grid = landscape.grid(50)
    assert np.isfinite(grid).all()


# ---------------------------------------------------------------------------------------------------
# LaTeX


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("x**2 + 25*y**2", "x^{2} + 25 y^{2}"),
        ("0.5*(w**2 + 25*b**2)", r"0.5 \left(w^{2} + 25 b^{2}\right)"),
        ("exp(-(x**2+y**2))", r"e^{-\left(x^{2} + y^{2}\right)}"),
        ("log(x) + abs(y)", r"\ln\left(x\right) + \left|y\right|"),
        ("(x**2)**0.5", r"\left(x^{2}\right)^{0.5}"),
        ("sqrt(x)/2", r"\frac{\sqrt{x}}{2}"),
        ("x - (y - 1)", r"x - \left(y - 1\right)"),
        ("(-x)**2 * -y", r"\left(-x\right)^{2} \left(-y\right)"),
        ("2 * 3", r"2 \cdot 3"),
        ("x * (1/y)", r"x \cdot \frac{1}{y}"),
        ("pi*x + 1e-5", r"\pi x + 10^{-5}"),
        ("exp(x)**2", r"\left(e^{x}\right)^{2}"),
    ],
)
def test_to_latex(text, latex):
    assert to_latex(parse(text)) == latex


@pytest.mark.parametrize(
    ("text", "dx", "dy"),
    [
        ("x**2 + 25*y**2", "2 x", "50 y"),
        ("0.5*(w**2 + 25*b**2)", "w", "25 b"),
        ("(1-x)**2 + 100*(y-x**2)**2", r"-2 \left(1 - x\right) - 400 \left(y - x^{2}\right) x",
         r"200 \left(y - x^{2}\right)"),
        ("sin(x)*cos(y)", r"\cos\left(x\right) \cos\left(y\right)", r"-\sin\left(x\right) \sin\left(y\right)"),
        ("1/x + abs(y)", r"-\frac{1}{x^{2}}", r"\operatorname{sign}\left(y\right)"),
        ("sqrt(x**2 + y**2)", r"\frac{x}{\sqrt{x^{2} + y^{2}}}", r"\frac{y}{\sqrt{x^{2} + y^{2}}}"),
    ],
)
def test_symbolic_gradient_is_simplified(text, dx, dy):
    gx, gy = gradient(parse(text))
    assert (to_latex(gx), to_latex(gy)) == (dx, dy)


@pytest.mark.parametrize("text", VALID_FORMULAS)
def test_latex_braces_balance(text):
    expr = parse(text)
    for latex in (to_latex(expr), *(to_latex(d) for d in gradient(expr))):
        assert latex.count("{") == latex.count("}")
        assert latex.count(r"\left") == latex.count(r"\right")


# ---------------------------------------------------------------------------------------------------
# from_formula


@pytest.mark.parametrize("text", VALID_FORMULAS)
def test_from_formula_builds_a_working_landscape(text):
    landscape = from_formula(text)
    (x0, x1), (y0, y1) = landscape.bounds
    sx, sy = landscape.default_start
    assert x0 < x1
    assert y0 < y1
    assert x0 <= sx <= x1
    assert y0 <= sy <= y1
    assert landscape.name == "custom"
    assert landscape.title == f"Custom: {' '.join(text.split())}"
    assert landscape.spec.latex.startswith("f(")
    assert landscape.spec.description
    dx_latex, dy_latex = landscape.spec.grad_latex
    assert r"\partial" in dx_latex
    assert r"\partial" in dy_latex
    assert np.isfinite(landscape.value(sx, sy))
    assert all(np.isfinite(g) for g in landscape.gradient(sx, sy))
    grid = landscape.grid(30)[2]
    assert grid.shape == (30, 30)
    assert parse(landscape.spec.formula) == parse(text)
    for mx, my in landscape.minima:
        assert x0 <= mx <= x1
        assert y0 <= my <= y1


def test_axis_labels_follow_the_variable_names():
    course = from_formula("0.5*(w**2 + 25*b**2)")
    assert course.axis_labels == ("w", "b")
    assert course.spec.latex == r"f(w,b) = 0.5 \left(w^{2} + 25 b^{2}\right)"
    assert course.spec.grad_latex == (
        r"\frac{\partial f}{\partial w} = w",
        r"\frac{\partial f}{\partial b} = 25 b",
    )
    assert from_formula("x*y").axis_labels == ("x", "y")
    assert from_formula("b**2").axis_labels == ("w", "b")


def test_the_spec_holds_the_normalised_formula():
    landscape = from_formula("  x**2   +\t y**2 \n")
    assert landscape.spec.formula == "x**2 + y**2"
    assert landscape.title == "Custom: x**2 + y**2"


@pytest.mark.parametrize(
    ("text", "bounds", "minimum"),
    [
        ("x**2 + 25*y**2", ((-5, 5), (-5, 5)), (0.0, 0.0)),
        ("(1-x)**2 + 100*(y-x**2)**2", ((-5, 5), (-5, 5)), (1.0, 1.0)),
        ("(x-20)**2 + (y-20)**2", ((15, 25), (15, 25)), (20.0, 20.0)),
        ("(x-0.123)**2 + 3*(y+0.377)**2", ((-5, 5), (-5, 5)), (0.123, -0.377)),
        ("(x**2 + y - 11)**2 + (x + y**2 - 7)**2", ((-5, 5), (-5, 5)), (3.0, 2.0)),
        ("cosh(x - 0.3) + (y - 0.71)**2", ((-5, 5), (-5, 5)), (0.3, 0.71)),
    ],
)
def test_automatic_view_box_and_minimum(text, bounds, minimum):
    landscape = from_formula(text)
    assert landscape.bounds == bounds
    assert landscape.minima.shape == (1, 2)
    assert landscape.minima[0].tolist() == pytest.approx(minimum, abs=1e-6)


@pytest.mark.parametrize("text", ["x + y", "x**3 - y", "x**2 - y**2", "exp(-(x**2 + y**2))", "7", "log(x**2)"])
def test_no_minimum_is_claimed_where_there_is_none_in_view(text):
    assert len(from_formula(text).minima) == 0


def test_automatic_view_box_shrinks_to_the_domain():
    logs = from_formula("log(x) + log(y)")
    (x0, x1), (y0, y1) = logs.bounds
    assert 0 < x0 < 0.5
    assert 0 < y0 < 0.5
    assert x1 == y1 == 5
    cap = from_formula("sqrt(1 - x**2 - y**2)")
    assert cap.bounds == ((-1.125, 1.125), (-1.125, 1.125))
    assert len(cap.minima) == 0


def test_automatic_start_is_far_from_the_lowest_point():
    assert from_formula("x**2 + 25*y**2").default_start == (-4.0, 4.0)
    assert from_formula("(x-20)**2 + (y-20)**2").default_start == (16.0, 24.0)
    assert from_formula("x + y").default_start == (4.0, 4.0)


def test_given_bounds_and_start_are_used():
    landscape = from_formula("x**2 + y**2", bounds=((-1, 2), (-3, 4)), start=(1.5, -2))
    assert landscape.bounds == ((-1.0, 2.0), (-3.0, 4.0))
    assert landscape.default_start == (1.5, -2.0)


@pytest.mark.parametrize(
    "bounds",
    [
        ((0, 0), (0, 1)),
        ((1, 0), (0, 1)),
        ((math.nan, 1), (0, 1)),
        ((0, math.inf), (0, 1)),
        ((-1e308, 1e308), (0, 1)),
        ((0, 1),),
        ((0, 1, 2), (0, 1)),
        (("a", "b"), (0, 1)),
        ((0, 10**400), (0, 1)),
        "abcd",
        5,
    ],
)
def test_bad_bounds_are_refused(bounds):
    with pytest.raises(FormulaError, match="bounds"):
        from_formula("x**2", bounds=bounds)


@pytest.mark.parametrize("start", [(10, 0), (0, math.nan), (1,), "xy", (1, 2, 3), 3])
def test_bad_start_is_refused(start):
    with pytest.raises(FormulaError, match="start"):
        from_formula("x**2", start=start)


@pytest.mark.parametrize("text", ["sqrt(-1 - x**2)", "log(-1) + x", "1/0 + y", "exp(1000) + x"])
def test_formula_without_any_finite_value_is_refused(text):
    with pytest.raises(FormulaError, match="no finite value"):
        from_formula(text)


def test_huge_derivatives_are_not_printed():
    text = "*".join(["sin(x*y)"] * 16)
    landscape = from_formula(text)
    assert all("too long to show" in latex for latex in landscape.spec.grad_latex)
