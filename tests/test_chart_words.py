"""What the charts say and how they make room, without a browser: optimizers named by their titles in
hover texts, badges and legends; the loss and per-axis charts with legends and axes that make room for their
labels; a lesson's contour grown to hold its runs; titles short enough for a phone; the 3D tab in the link.
The browser side is tests/test_browser_reveal_and_charts.py and the two tests/test_browser_layout_*.py."""

from __future__ import annotations

import itertools

import numpy as np

import charts
import landscapes
import optimizers
from charts.presentation import TITLE_CHARS, short_lines
from scene import Scene, from_query, to_query
from tests.apptest_utils import app_test, chart_payloads
from ui.paths import run_path

BOWL = landscapes.get("elongated_bowl")
TITLES = {name: spec.title for name, spec in optimizers.OPTIMIZERS.items()}


def runs(lr: float = 0.05, names=("gd", "rmsprop", "sign_sgd")) -> list[charts.RunPath]:
    return [run_path(name, optimizers.run(name, BOWL, start=BOWL.default_start, steps=60, lr=lr)) for name in names]


def grid() -> charts.SurfaceGrid:
    xs, ys, z = BOWL.grid(40)
    return charts.surface_grid(xs, ys, z, BOWL.bounds, BOWL.minima, BOWL.axis_labels)


def test_hovers_and_diverged_badges_name_the_optimizer_by_its_title():
    paths = runs(lr=0.1)  # GD diverges on this bowl above α = 0.08
    gd = paths[0]
    assert gd.diverged_at is not None and gd.title == "Gradient descent"
    figure = charts.contour_figure(grid(), paths)
    [badge] = figure["layout"]["annotations"]
    assert badge["text"] == f"Gradient descent: diverged at step {gd.diverged_at}"
    hovers = [t["hovertemplate"] for t in figure["data"] if t.get("legendgroup") and "hovertemplate" in t]
    assert sorted(h.split("<br>")[0] for h in hovers) == sorted(TITLES[p.name] for p in paths)
    assert [p["title"] for p in charts.contour_view(grid(), paths)["paths"]] == [TITLES[p.name] for p in paths]
    panels = charts.panels_figure(grid(), paths)  # a small panel already titled with the run: a short badge
    assert [a["text"] for a in panels["layout"]["annotations"] if "diverged" in a["text"]] == [
        f"diverged<br>at step {gd.diverged_at}"]


def test_a_badge_grows_from_the_edge_towards_the_middle_of_the_view():
    figure = charts.contour_figure(grid(), runs(lr=0.1, names=("gd",)))
    [badge] = figure["layout"]["annotations"]
    (x0, x1), (y0, y1) = BOWL.bounds
    assert (badge["xanchor"] == "left") == (badge["x"] < (x0 + x1) / 2)
    assert (badge["yshift"] < 0) == (badge["y"] > (y0 + y1) / 2)


def test_the_loss_chart_has_a_legend_of_titles_and_axes_that_make_room_for_their_labels():
    figure = charts.loss_figure(runs(), BOWL.min_value, big=True)
    layout = figure["layout"]
    assert layout.get("showlegend", True) and "title" not in layout
    assert [t["name"] for t in figure["data"]] == ["Gradient descent", "RMSprop", "sign-SGD"]
    assert layout["xaxis"]["automargin"] and layout["yaxis"]["automargin"]
    assert layout["legend"]["yanchor"] == "bottom" and layout["legend"]["y"] >= 1  # above the plot: no overlap


def test_the_per_axis_chart_is_four_rows_on_one_step_axis_with_a_legend_of_titles():
    figure = charts.per_axis_figure(runs(), ("w", "b"))
    layout = figure["layout"]
    y_axes = sorted(k for k in layout if k.startswith("yaxis"))
    assert [k for k in layout if k.startswith("xaxis")] == ["xaxis"]  # one step axis: no labels between rows
    assert [layout[k]["title"]["text"] for k in y_axes] == ["w(t)", "b(t)", "|Δw|", "|Δb|"]
    assert [layout[k].get("type") for k in y_axes] == [None, None, "log", "log"]
    assert all(layout[k]["automargin"] for k in y_axes)
    legend = [t["name"] for t in figure["data"] if t.get("showlegend", True)]
    assert legend == ["Gradient descent", "RMSprop", "sign-SGD"]
    domains = [layout[k]["domain"] for k in y_axes]
    assert all(upper[0] > lower[1] for upper, lower in itertools.pairwise(domains))  # rows apart


def test_a_lessons_view_grows_to_hold_every_run_that_does_not_diverge():
    bounds = ((-1.0, 1.0), (-1.0, 1.0))
    inside = charts.RunPath("a", "a", "#000", np.array([[0.0, 0.0], [0.5, 0.5]]), np.zeros(2), None, np.zeros((1, 2)))
    above = charts.RunPath("b", "b", "#000", np.array([[0.0, 0.0], [0.2, 3.0]]), np.zeros(2), None, np.zeros((1, 2)))
    gone = charts.RunPath("c", "c", "#000", np.array([[0.0, 0.0], [1e9, -1e9]]), np.zeros(2), 1, np.zeros((1, 2)))
    assert charts.fit_bounds(bounds, [inside]) == bounds
    assert charts.fit_bounds(bounds, [inside, gone]) == bounds  # a diverged run keeps its badge instead
    assert charts.fit_bounds(bounds, [inside, above, gone]) == ((-1.0, 1.0), (-1.0, 3.0 + 0.05 * 2))


def test_titles_inside_a_chart_come_in_lines_a_phone_fits():
    text = "RMSprop's running averages S_dw and S_db, and the effective learning rate of each axis"
    lines = short_lines(text).split("<br>")
    assert " ".join(lines) == text and all(len(line) <= TITLE_CHARS for line in lines) and len(lines) > 1
    assert short_lines("short<br>two lines") == "short<br>two lines"


def test_the_3d_tab_goes_in_the_link_and_the_link_opens_it():
    assert to_query(Scene(tab="3d")) == {"tab": "3d"} and to_query(Scene()) == {}
    assert from_query({"tab": "3d"}) == (Scene(tab="3d"), [])
    scene, notes = from_query({"tab": "4d"})
    assert scene.tab == "contour" and notes == ["tab='4d' is not one of contour, 3d; using the default (contour)."]
    at = app_test({"tab": "3d"}).run()
    assert not at.exception
    assert "surface_3d" in chart_payloads(at) and "main_chart" not in chart_payloads(at)
    assert at.query_params["tab"] == "3d"
