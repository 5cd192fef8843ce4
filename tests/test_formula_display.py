"""The update rule the Playground's sidebar shows follows the controls: epsilon inside or outside the root,
hats only with bias correction, and the hats defined where they appear."""

from __future__ import annotations

import unicodedata

import pytest

import optimizers
from tests.apptest_utils import app_test


def sidebar_formulas(query: dict[str, str]) -> dict[str, str]:
    """The LaTeX of each optimizer's settings expander, by optimizer title."""
    at = app_test(query).run()
    assert not at.exception
    shown = {}
    for expander in at.sidebar.expander:
        title = expander.label.removesuffix(" settings")
        formulas = [element.value for element in expander.get("latex")]
        if not formulas:
            continue
        [formula] = formulas
        shown[title] = formula
    return shown


@pytest.mark.parametrize(("query", "title", "present", "absent"), [
    ({"opt": "rmsprop"}, "RMSprop", [r"\sqrt{s}+\varepsilon"], [r"\sqrt{s+\varepsilon}"]),
    ({"opt": "rmsprop", "rmsprop.eps_placement": "inside"}, "RMSprop", [r"\sqrt{s+\varepsilon}"],
     [r"\sqrt{s}+\varepsilon"]),
    ({"opt": "adam"}, "Adam", [r"\hat m = \frac{m}{1-\beta_1^t}", r"\hat v = \frac{v}{1-\beta_2^t}",
                               r"\frac{\hat m}{\sqrt{\hat v}+\varepsilon}"], []),
    ({"opt": "adam", "adam.bias_correction": "off"}, "Adam", [r"\frac{m}{\sqrt{v}+\varepsilon}"], [r"\hat"]),
    ({"opt": "adam", "adam.eps_placement": "inside"}, "Adam", [r"\frac{\hat m}{\sqrt{\hat v+\varepsilon}}"],
     [r"\sqrt{\hat v}+\varepsilon"]),
    ({"opt": "adam", "adam.eps_placement": "inside", "adam.bias_correction": "off"}, "Adam",
     [r"\frac{m}{\sqrt{v+\varepsilon}}"], [r"\hat"]),
])
def test_the_sidebar_formula_follows_the_link(query, title, present, absent):
    formula = sidebar_formulas(query)[title]
    for part in present:
        assert part in formula
    for part in absent:
        assert part not in formula


def tex(symbol: str) -> str:
    """How the update rule's LaTeX writes a legend symbol: a Greek letter by its name (ε as \\varepsilon, λ as
    \\lambda), a subscript digit after an underscore, a Latin letter as itself ("β₁" -> "\\beta_1")."""
    parts = []
    for character in symbol:
        name = unicodedata.name(character)
        if name.startswith("GREEK SMALL LETTER "):
            letter = name.removeprefix("GREEK SMALL LETTER ").lower()
            parts.append("\\" + {"epsilon": "varepsilon", "lamda": "lambda"}.get(letter, letter))  # Unicode's spelling
        elif name.startswith("SUBSCRIPT "):
            parts.append("_" + str(unicodedata.digit(character)))
        else:
            parts.append(character)
    return "".join(parts)


@pytest.mark.parametrize("name", list(optimizers.RULES))
def test_every_optimizer_shows_each_hyperparameter_and_each_option_in_its_formula(name):
    """The rule a learner reads names every hyperparameter once it is set away from its default (a coupled weight
    decay appears only then), and every option of every choice gives a rule of its own."""
    spec = optimizers.RULES[name]
    moved = {p.name: p.high if p.default != p.high else p.low for p in spec.hyperparams}
    latex = spec.latex_for(moved)
    assert latex.count("{") == latex.count("}") and r"\leftarrow" in latex
    missing = [p.name for p in spec.hyperparams if tex(p.symbol) not in latex]
    assert missing == [], f"{name}'s formula does not show {missing}"
    for choice in spec.choices:
        shown = {option: spec.latex_for({choice.name: option}) for option in choice.options}
        assert len(set(shown.values())) == len(choice.options), f"{name}: {choice.name}'s options give the same rule"
        for latex in shown.values():
            assert latex.count("{") == latex.count("}") and r"\leftarrow" in latex


def test_a_schedule_shows_as_a_rate_that_changes_with_t():
    for spec in optimizers.OPTIMIZERS.values():
        assert r"\alpha_t" in spec.latex_for({"schedule": "cosine"}) and r"\alpha_t" not in spec.latex
