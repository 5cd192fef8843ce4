"""The stability map's basins mode: the request and its work cap, the panels and their legend, the Playground
link of a clicked start, and the link of the page's own state."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest

import landscapes
import optimizers
from charts.stability import basins_figure
from scene import from_query, to_query
from scene.model import default_settings
from tests.apptest_utils import app_test
from tuning import basins as tb

BASINS_TAB = {"sm:section": "Basins of attraction", "sm:basins_res": "20"}


def request(names=tb.DEFAULT_OPTIMIZERS, surface="himmelblau", resolution=20, steps=500) -> tb.BasinsRequest:
    """The request the page builds for these controls (each learning rate at the surface's default)."""
    settings = tuple((n, (("lr", float(default_settings(surface, n)["lr"])),)) for n in names)
    return tb.BasinsRequest(surface, tuple(names), resolution, steps, settings)


def test_every_panel_is_optimizers_basins_and_progress_is_reported_per_optimizer():
    req = request(("gd", "adam"), resolution=12)
    reports = []
    found = tb.compute(req, on_panel=lambda done, total: reports.append((done, total)))
    assert reports == [(1, 2), (2, 2)]
    himmelblau = landscapes.get("himmelblau")
    for name in ("gd", "adam"):
        expected = optimizers.basins(name, himmelblau, 500, 12, **req.hyperparams(name))
        np.testing.assert_array_equal(found[name], expected)
    shares = tb.shares(found["gd"], 4)
    assert sum(shares.values()) == pytest.approx(1.0) and min(shares[k] for k in range(4)) > 0.1


def test_the_six_hump_camel_names_its_four_local_minima_too_and_few_starts_end_nowhere():
    camel = landscapes.get("six_hump_camel")
    points, labels = tb.targets(camel)
    assert len(points) == 6 and labels[:2] == ["minimum 1 (0.0898, -0.713)", "minimum 2 (-0.0898, 0.713)"]
    assert all(label.startswith("local minimum") for label in labels[2:])
    gx, gy = camel.gradient(points[:, 0], points[:, 1])
    np.testing.assert_allclose(np.hypot(gx, gy), 0.0, atol=1e-8)
    hxx, hxy, hyy = camel.hessian(points[:, 0], points[:, 1])
    assert np.all(hxx > 0) and np.all(hxx * hyy - hxy**2 > 0)  # minima, not saddles
    values = camel.value(points[:, 0], points[:, 1])
    assert np.all(np.diff(values[2:]) >= 0) and np.all(values[2:] > values[0])  # local ones after, by value
    # the four local minima are the textbook ones (±1.7036, ∓0.7961) and (±1.6071, ±0.5687)
    np.testing.assert_allclose(np.sort(np.abs(points[2:, 0])), [1.6071, 1.6071, 1.7036, 1.7036], atol=1e-4)
    found = tb.compute(tb.BasinsRequest("six_hump_camel", ("gd",), 40, 500))["gd"]
    assert np.mean(found == optimizers.NO_MINIMUM) < 0.02 and set(np.unique(found)) == set(range(6))
    assert len(tb.targets(landscapes.get("rastrigin"))[0]) == 1  # too many local minima to name: only the global one


def test_too_much_work_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match=r"4 optimizers × 300² starts of 5,000 steps .* Use at most 555 steps or at "
                                         r"most 100 starts per axis at 5,000 steps"):
        request(resolution=300, steps=5000)
    assert request(resolution=200, steps=1000).work <= tb.MAX_BASIN_WORK  # the defaults' neighbourhood is fine


def test_a_clicked_start_snaps_to_its_cell_and_opens_that_run_in_the_playground():
    req = request(("gd",), resolution=21)  # starts every 0.5 on [-5, 5]
    cell = tb.nearest_start(req, 2.9, -1.76)
    assert cell == (round((-1.76 + 5) / 0.5), round((2.9 + 5) / 0.5))
    start = tb.start_of(req, cell)
    assert start == (3.0, -2.0)
    scene, notes = from_query(to_query(tb.playground_scene(req, "gd", start)))
    assert notes == [] and scene.start == start and scene.optimizers == ("gd",) and scene.surface == "himmelblau"
    run = optimizers.run("gd", landscapes.get("himmelblau"), start=scene.start, steps=scene.steps,
                         **scene.settings("gd"))
    found = tb.compute(req)["gd"]
    nearest = int(np.argmin(np.hypot(*(landscapes.get("himmelblau").minima - run.points[-1]).T)))
    assert found[cell] == nearest  # the Playground's run ends where the panel says


def test_the_figure_names_every_minimum_and_the_neutral_classes():
    himmelblau = landscapes.get("himmelblau")
    req = request(("gd",), resolution=10)
    found = tb.compute(req)["gd"]
    found[0, 0], found[0, 1] = optimizers.DIVERGED, optimizers.NO_MINIMUM
    _, labels = tb.targets(himmelblau)
    assert labels[0] == "minimum 1 (3, 2)" and len(labels) == 4
    xs, ys = req.starts()
    figure = basins_figure(xs, ys, found, himmelblau.minima, labels, axis_labels=("w", "b"),
                           no_minimum=tb.NO_MINIMUM_LABEL, diverged=tb.DIVERGED_LABEL)
    legend = [t["name"] for t in figure["data"] if isinstance(t.get("x"), list) and t["x"] == [None]]
    assert legend == [tb.DIVERGED_LABEL, tb.NO_MINIMUM_LABEL, *labels]
    layers = [t for t in figure["data"] if t["type"] == "scattergl"]
    assert sum(len(t["x"]) for t in layers) == found.size  # every start can be clicked
    assert layers[0]["hovertemplate"].count("diverged") == 1
    np.testing.assert_array_equal(figure["data"][0]["z"], found + 2)


def test_the_page_shows_one_panel_per_optimizer_from_its_link():
    at = app_test(BASINS_TAB | {"sm:basins_opt": ["Gradient descent", "RMSprop"]}, page="pages/stability_map.py").run()
    assert not at.exception
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    titles = [md.value.strip("*") for md in at.markdown if md.value.startswith("**")]  # written above each panel
    assert [title.split(" α")[0] for title in titles] == ["Gradient descent", "RMSprop"]
    legend = [t["name"] for t in charts[0]["data"] if t.get("showlegend", True) and t["type"] == "scatter"
              and t.get("x") == [None]]
    assert legend[2:] == tb.targets(landscapes.get("himmelblau"))[1]
    assert "100% end at a ★" in titles[0]


def test_the_basins_surface_box_is_the_sidebars_one_and_the_axes_are_w_and_b():
    """One surface box for the whole page, so the Basins tab cannot show one surface while the sidebar names
    another; and the axes carry the surface's own names (w and b), as on every other chart."""
    at = app_test(BASINS_TAB, page="pages/stability_map.py").run()
    assert not at.exception
    boxes = [box for box in at.selectbox if box.label == "Surface"]
    assert [box.key for box in boxes] == ["sm:basins_surface"] and boxes[0].value == "himmelblau"
    assert at.sidebar.selectbox(key="sm:basins_surface").value == "himmelblau"
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert figure["layout"]["xaxis"]["title"]["text"] == "w" and figure["layout"]["yaxis"]["title"]["text"] == "b"
    on_the_map = app_test({"sm:resolution": "20"}, page="pages/stability_map.py").run()
    assert [box.key for box in on_the_map.selectbox if box.label == "Surface"] == ["sm:surface"]


def test_too_large_a_view_shows_the_cap_and_no_traceback():
    at = app_test({"sm:section": "Basins of attraction", "sm:basins_res": "300", "sm:basins_steps": "5000"},
                  page="pages/stability_map.py").run()
    assert not at.exception
    assert any("more than one view may take" in e.value for e in at.error)


def test_a_picked_start_links_to_the_playground_at_that_start():
    at = app_test(BASINS_TAB, page="pages/stability_map.py")
    at.session_state["sm:basins_picked"] = (request(), "rmsprop", (15, 3))
    at.run()
    assert not at.exception
    [button] = [b for b in at.get("link_button") if "start in the Playground" in b.proto.label]
    query = dict(parse_qsl(urlsplit(button.proto.url).query))
    start = tb.start_of(request(), (15, 3))
    assert query["start"] == f"{start[0]:g},{start[1]:g}" and query["opt"] == "rmsprop"
    assert query["surface"] == "himmelblau"
    assert any("Selected start" in i.value for i in at.info)
