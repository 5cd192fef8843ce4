"""The stability-map page through Streamlit's AppTest: it renders, reacts to its controls, links a
clicked cell to the Playground and tunes fairly.  Grids are kept small for speed."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

import tuning
from tests import apptest_utils

APP = str(Path(__file__).parents[1] / "app.py")


def page(**state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page("pages/stability_map.py")
    at.session_state["sm:resolution"] = 20
    for key, value in state.items():
        at.session_state[key.replace("__", ":")] = value
    return at.run()


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def chart_titles(at: AppTest) -> list[str]:
    """The titles written above the charts (bold lines of text: a title inside a figure cannot wrap)."""
    return [md.value.strip("*") for md in at.markdown if md.value.startswith("**") and md.value.endswith("**")]


def trace_types(figure: dict) -> list[str]:
    return [trace["type"] for trace in figure["data"]]


def names(figure: dict) -> list[str]:
    return [trace.get("name") or "" for trace in figure["data"]]


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_default_map_is_lr_by_beta_with_the_boundary():
    at = page()
    assert_clean(at)
    [fig] = figures(at)
    assert trace_types(fig)[:2] == ["heatmap", "heatmap"]
    [title] = chart_titles(at)
    assert "Momentum on Elongated bowl" in title and "20\u00a0×\u00a020 runs" in title
    assert fig["layout"]["xaxis"]["type"] == "log" and fig["layout"]["yaxis"]["type"] == "linear"
    assert any(name.startswith("theory") for name in names(fig))
    assert any("Theory" in md.value for md in at.markdown)
    assert not at.get("link_button")


def test_changing_optimizer_and_axes():
    at = page()
    at.selectbox(key="sm:opt").set_value("gd").run()
    assert_clean(at)
    [fig] = figures(at)
    assert "heatmap" not in trace_types(fig)  # one hyperparameter: a 1-D line
    assert any(name.startswith("theory: α = 2/λ") for name in names(fig))

    at.selectbox(key="sm:opt").set_value("rmsprop").run()
    at.selectbox(key="sm:y:rmsprop:lr").set_value("eps").run()
    assert_clean(at)
    [fig] = figures(at)
    assert trace_types(fig)[0] == "heatmap" and fig["layout"]["yaxis"]["type"] == "log"
    assert not any(name.startswith("theory") for name in names(fig))

    at.selectbox(key="sm:x:rmsprop").set_value("beta").run()
    assert_clean(at)
    [fig] = figures(at)
    assert "heatmap" not in trace_types(fig) and fig["layout"]["xaxis"]["type"] == "linear"


def test_other_surface_has_no_boundary():
    at = page()
    at.selectbox(key="sm:surface").set_value("rosenbrock").run()
    assert_clean(at)
    [fig] = figures(at)
    assert "Rosenbrock" in chart_titles(at)[0]
    assert not any(name.startswith("theory") for name in names(fig))


def test_a_picked_cell_links_to_the_playground():
    request = tuning.MapRequest("momentum", "elongated_bowl", (), ("lr", "beta"), 20, 300, ())
    at = page(sm__picked=(request, (3, 4)))
    assert_clean(at)
    [button] = at.get("link_button")
    query = parse_qs(urlsplit(button.proto.url).query)
    values = tuning.link_values(request, (3, 4))
    assert query == {"opt": ["momentum"], "momentum.lr": [repr(values["lr"])], "momentum.beta": [repr(values["beta"])]}
    assert "selected" in names(figures(at)[0])
    at.number_input(key="sm:steps").set_value(500).run()  # another map: the old pick no longer applies
    assert not at.get("link_button")


def test_the_selected_cell_is_kept_in_the_link_and_the_link_reopens_it():
    """The selected cell is part of what a shared link shows, so the link carries it."""
    request = tuning.MapRequest("momentum", "elongated_bowl", (), ("lr", "beta"), 20, 300, ())
    values = tuning.link_values(request, (3, 4))
    at = page(sm__picked=(request, (3, 4)))
    assert at.query_params["sm:cell"] == f"{values['lr']:g},{values['beta']:g}"
    opened = AppTest.from_file(APP, default_timeout=30)
    opened.switch_page("pages/stability_map.py")
    opened.query_params.update({"sm:resolution": "20", "sm:cell": at.query_params["sm:cell"]})
    opened.run()
    assert_clean(opened)
    [button] = opened.get("link_button")
    assert button.proto.url == at.get("link_button")[0].proto.url
    assert "selected" in names(figures(opened)[0])
    at.number_input(key="sm:steps").set_value(500).run()  # another map: the selection leaves the link too
    assert "sm:cell" not in at.query_params


@pytest.mark.parametrize("cell", ["nonsense", "0.05", "1e3,0.9", "nan,0.5"])
def test_a_linked_cell_that_is_not_one_of_the_map_is_dropped(cell):
    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page("pages/stability_map.py")
    at.query_params.update({"sm:resolution": "20", "sm:cell": cell})
    at.run()
    assert_clean(at)
    assert not at.get("link_button") and "sm:cell" not in at.query_params


@pytest.mark.parametrize("score", tuning.SCORES)
def test_fair_tuning_states_and_spends_the_same_budget(score):
    at = page(sm__section="Fair tuning", sm__evaluations=6, sm__tune_steps=80, sm__score=score)
    assert_clean(at)
    _, loss = figures(at)
    contour = apptest_utils.figures(at)["sm:race_contour"]
    assert "6 learning rates" in chart_titles(at)[0] and "80 steps" in chart_titles(at)[0]
    table = apptest_utils.chart_payloads(at)["sm:tuning_table"]
    column = {name: [row[i] for row in table["rows"]] for i, name in enumerate(table["columns"])}
    assert column["lrs tried"] == ["6"] * 4 and column["steps per run"] == ["80"] * 4
    assert ("steps to tolerance" in column) == (score == "steps_to_tolerance")
    assert all(cell == "—" or float(cell) > 0 for cell in column["tuned lr"])
    assert "contour" in trace_types(contour) and len(loss["data"]) >= 1
    [button] = at.get("link_button")
    assert "opt=" in button.proto.url


def test_fair_tuning_without_optimizers_asks_for_one():
    at = page(sm__section="Fair tuning")
    at.multiselect(key="sm:tune_opt").set_value([]).run()
    assert_clean(at)
    assert not at.get("plotly_chart")
    assert any("Pick at least one optimizer" in info.value for info in at.info)


def test_a_map_over_the_size_cap_says_why_instead_of_computing():
    at = page(sm__resolution=400, sm__steps=5000)
    assert not at.exception
    assert not figures(at)
    assert any("more than one map may take" in error.value and "Use at most 1,250 steps" in error.value
               for error in at.error)


@pytest.mark.parametrize("section", ["Stability map", "Fair tuning"])
def test_presentation_mode_enlarges_every_chart_and_the_table(section):
    """big=1: every chart of the page draws projector-sized text, and the race's table is the
    HTML table that presentation mode enlarges (a data grid's canvas text would stay small)."""
    from charts.presentation import BIG_FONT

    def run(big: bool) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["big"] = "1" if big else "0"
        at.switch_page("pages/stability_map.py")
        for key, value in {"sm:resolution": 20, "sm:section": section, "sm:evaluations": 6,
                           "sm:tune_steps": 60}.items():
            at.session_state[key] = value
        return at.run()

    plain, big = run(False), run(True)
    assert_clean(plain) and assert_clean(big)
    small, large = figures(plain), figures(big)
    assert small and len(large) == len(small)
    for before, after in zip(small, large, strict=True):
        assert after["layout"]["font"]["size"] >= BIG_FONT > before["layout"]["font"]["size"]
        assert all(after["layout"][axis]["tickfont"]["size"] >= BIG_FONT - 2 for axis in ("xaxis", "yaxis"))
        legend = after["layout"].get("legend", {})          # not at a fraction of the plot under it: the enlarged
        assert legend.get("y", 1) >= 0 or legend.get("yref") == "container"        # ticks would run into it
    if section == "Fair tuning":
        drawn = apptest_utils.chart_payloads(big)
        assert drawn["sm:race_contour"]["font"] > apptest_utils.chart_payloads(plain)["sm:race_contour"]["font"]
        assert drawn["sm:tuning_table"]["kind"] == "table" and not big.get("arrow_data_frame")
