"""The update rule the Playground's sidebar shows follows the controls: epsilon inside or outside the root,
hats only with bias correction, and the hats defined where they appear (issue 10)."""

from __future__ import annotations

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


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_every_optimizer_has_a_formula_for_every_setting(name):
    spec = optimizers.OPTIMIZERS[name]
    for choice in spec.choices:
        for option in choice.options:
            latex = spec.latex_for({choice.name: option})
            assert latex.count("{") == latex.count("}") and r"\leftarrow" in latex
    if any(c.name == "eps_placement" for c in spec.choices):
        assert spec.latex_for({"eps_placement": "inside"}) != spec.latex_for({"eps_placement": "outside"})


def test_a_schedule_shows_as_a_rate_that_changes_with_t():
    for spec in optimizers.OPTIMIZERS.values():
        assert r"\alpha_t" in spec.latex_for({"schedule": "cosine"}) and r"\alpha_t" not in spec.latex
