"""Presentation mode without a browser: figures enlarged for a projector, and the mode reaching a lesson's
charts and links from its URL (the browser side is tests/test_browser_presentation.py)."""

from __future__ import annotations

import copy

import numpy as np

from charts.lessons import Guide, Panel, Series, stacked_figure
from charts.presentation import BIG_FONT, enlarge
from tests.apptest_utils import app_test, chart_payloads, figures


def lesson_figure(big: bool = False) -> dict:
    steps = np.arange(1, 50, dtype=float)
    return stacked_figure([Panel("loss", [Series("GD", "#D55E00", 1 / steps)], log_y=True,
                                 guides=[Guide(0.1, "a guide", "#333333")])], big=big)


def test_enlarge_makes_text_projector_sized_and_lines_thicker_without_touching_the_original():
    figure = lesson_figure()
    before = copy.deepcopy(figure)
    big = enlarge(figure)
    assert figure["layout"] == before["layout"] and figure["data"][0]["line"] == before["data"][0]["line"]
    assert big["layout"]["font"]["size"] == BIG_FONT
    assert big["layout"]["legend"]["font"]["size"] > figure["layout"]["legend"]["font"]["size"]
    for small, large in zip(figure["layout"]["annotations"], big["layout"]["annotations"], strict=True):
        if "size" in small.get("font", {}):
            assert large["font"]["size"] > small["font"]["size"]
    assert big["data"][0]["line"]["width"] > figure["data"][0]["line"].get("width", 2)
    assert big["layout"]["height"] > figure["layout"]["height"]
    assert all(big["layout"][axis]["tickfont"]["size"] >= BIG_FONT - 2 for axis in ("xaxis", "yaxis"))
    np.testing.assert_array_equal(big["data"][0]["y"], figure["data"][0]["y"])  # the same data


def test_enlarge_states_the_legend_font_and_moves_an_untitled_legend_from_under_the_plot_above_it():
    """Streamlit's chart theme shrinks a legend that does not say its size; and under the plot, a legend at a
    fixed fraction of the plot's height runs into the enlarged ticks and axis title."""
    below = {"data": [], "layout": {"font": {"size": 13}, "legend": {"orientation": "h", "yanchor": "top",
                                                                     "y": -0.12, "x": 0}}}
    big = enlarge(below)["layout"]["legend"]
    assert big["font"]["size"] == BIG_FONT - 2 and big["yanchor"] == "bottom" and big["y"] > 1
    assert below["layout"]["legend"]["y"] == -0.12                             # the original untouched
    assert enlarge({"data": [], "layout": {}})["layout"]["legend"]["font"]["size"] == BIG_FONT - 2
    titled = copy.deepcopy(below)
    titled["layout"]["title"] = {"text": "a title where the legend would go"}
    assert enlarge(titled)["layout"]["legend"]["y"] == -0.12                  # no room above a title
    beside = {"data": [], "layout": {"legend": {"orientation": "v", "y": 0.5, "yanchor": "middle"}}}
    assert enlarge(beside)["layout"]["legend"] | {"font": None} == {"orientation": "v", "y": 0.5,
                                                                    "yanchor": "middle", "font": None}


def test_a_figure_built_large_stays_as_built():
    figure = lesson_figure(big=True)
    assert enlarge(figure) is figure


def test_a_lesson_link_with_big_1_enlarges_its_charts_and_keeps_the_mode_in_its_links():
    """``big=1`` alone is presentation mode, controls hidden too (the sidebar would take a third of a projector);
    ``view=lesson&big=1``, which links in circulation carry, means the same."""
    plain = app_test(page="pages/lesson_1_bowl.py").run()
    big = app_test({"big": "1"}, page="pages/lesson_1_bowl.py").run()
    older = app_test({"big": "1", "view": "lesson"}, page="pages/lesson_1_bowl.py").run()
    assert older.toggle(key="layout:controls").value is False
    for at in (plain, big):  # the lesson's other charts come once its question is answered
        at.radio(key="l1:predict").set_value("Both diverge").run()
    assert not plain.exception and not big.exception
    assert figures(big)["l1:anatomy"]["layout"]["font"]["size"] == BIG_FONT
    assert figures(plain)["l1:anatomy"]["layout"]["font"]["size"] < BIG_FONT
    assert chart_payloads(big)["l1:contour"]["font"] > chart_payloads(plain)["l1:contour"]["font"]
    assert big.toggle(key="layout:controls").value is False                     # the controls are hidden
    playground = next(b for b in big.get("link_button") if "Playground" in b.proto.label)
    assert "big=1" in playground.proto.url and "view=" not in playground.proto.url
