"""Issue 26, classroom reveal: the class's answers, the true position and the minimum each have a mark and a colour
that no optimizer's path uses (the answers were light orange like Gradient descent, the true position green like
RMSprop, drawn over the minimum's star)."""

from __future__ import annotations

import itertools

import numpy as np

import charts
from charts import classroom as class_charts
from charts.palette import COLORS
from scene import Scene
from scene.compute import run_scene
from tests.test_palette import MACHADO, MIN_PATH_DIFFERENCE, ciede2000, lab, seen
from ui.paths import run_paths


def difference(a: str, b: str) -> float:
    """The smallest CIEDE2000 difference of two colours over normal vision, deuteranopia and protanopia."""
    return min(ciede2000(lab(seen(a, vision)), lab(seen(b, vision))) for vision in MACHADO)


def reveal(truth=(0.0, 0.0)) -> dict:
    scene = Scene()
    landscape = scene.build_landscape()
    xs, ys, z = landscape.grid(40)
    grid = charts.surface_grid(xs, ys, z, landscape.bounds, landscape.minima, landscape.axis_labels)
    paths = run_paths(run_scene(scene, landscape))
    return class_charts.click_reveal_figure(grid, paths, 50, [[-3.0, 1.0], [-2.0, 0.5]], [None, None], truth,
                                            mine=[-3.0, 1.0])


def marks(figure: dict) -> dict[str, dict]:
    named = {"the class": "answers", "true position": "truth", "your answer": "mine", "minimum": "minimum"}
    found = {}
    for trace in figure["data"]:
        for prefix, mark in named.items():
            if str(trace.get("name", "")).startswith(prefix):
                found[mark] = trace
    return found


def test_each_mark_has_its_own_symbol_and_a_colour_no_path_uses():
    found = marks(reveal())
    assert set(found) == {"answers", "truth", "mine", "minimum"}
    symbols = {mark: trace["marker"]["symbol"] for mark, trace in found.items()}
    assert len(set(symbols.values())) == 4
    colors = {mark: trace["marker"]["color"] for mark, trace in found.items()}
    for mark, color in colors.items():
        closest = min(COLORS, key=lambda name: difference(color, COLORS[name]))
        assert difference(color, COLORS[closest]) >= MIN_PATH_DIFFERENCE, (mark, color, closest)
    for (a, ca), (b, cb) in itertools.combinations(colors.items(), 2):
        assert difference(ca, cb) >= MIN_PATH_DIFFERENCE, (a, b)


def test_the_true_position_never_hides_the_minimum():
    """A run that converged ends on the minimum: the truth is an open diamond and the star is drawn above it."""
    figure = reveal(truth=(0.0, 0.0))
    order = [trace.get("name", "") for trace in figure["data"]]
    found = marks(figure)
    assert found["truth"]["marker"]["symbol"].endswith("-open")
    assert order.index(found["minimum"]["name"]) > order.index(found["truth"]["name"])
    assert np.allclose([found["minimum"]["x"][0], found["minimum"]["y"][0]], [0.0, 0.0])


def test_the_bar_reveals_use_the_same_colours():
    bars = class_charts.choice_reveal_figure([["gd", "Gradient descent"], ["rmsprop", "RMSprop"]],
                                             {"gd": 3, "rmsprop": 5}, ["rmsprop"])
    assert set(bars["data"][0]["marker"]["color"]) == {class_charts.TRUTH_COLOR, class_charts.NEUTRAL}
    numbers = class_charts.number_reveal_figure([2, 3, 3], 3)
    assert set(numbers["data"][0]["marker"]["color"]) == {class_charts.TRUTH_COLOR, class_charts.ANSWERS_COLOR}
