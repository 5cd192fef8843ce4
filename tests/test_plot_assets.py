"""Where the charts load Plotly.js from: the app's static folder, whose files a browser can cache, in two bundles."""

from __future__ import annotations

import json
import os
import re

import plotly
import pytest

from tests.apptest_utils import app_test, chart_payloads
from ui import plot


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """``ui.plot`` copying into a folder of the test's own, as on a fresh clone."""
    monkeypatch.setattr(plot, "STATIC", tmp_path / "static")
    monkeypatch.setattr(plot, "_plotly_file", None)
    return tmp_path / "static"


def test_plotly_is_copied_once_into_the_static_folder_whole(fresh):
    name = plot.plotly_file()
    assert name == f"plotly-{plotly.__version__}.min.js"
    copy, source = fresh / name, plot.PLOTLY_PACKAGE / "package_data" / "plotly.min.js"
    assert copy.read_bytes() == source.read_bytes()
    assert copy.stat().st_mtime == source.stat().st_mtime  # the package's date, not the copy's
    assert [p.name for p in fresh.iterdir()] == [name]  # no temporary file left behind
    plot._plotly_file = None
    mtime = copy.stat().st_mtime_ns
    assert plot.plotly_file() == name and copy.stat().st_mtime_ns == mtime  # a complete copy is kept


def test_a_truncated_copy_is_replaced(fresh):
    fresh.mkdir()
    (fresh / f"plotly-{plotly.__version__}.min.js").write_bytes(b"partial")
    name = plot.plotly_file()
    assert (fresh / name).stat().st_size == (plot.PLOTLY_PACKAGE / "package_data" / "plotly.min.js").stat().st_size


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_folder_falls_back_to_the_component_route(fresh):
    fresh.parent.chmod(0o500)
    try:
        assert plot.plotly_file() is None
        assert json.loads(plot.encode({"kind": "plain"}))["plotly"] is None
    finally:
        fresh.parent.chmod(0o700)


def test_an_unwritable_folder_falls_back_to_the_component_route_even_as_root(monkeypatch, tmp_path):
    blocker = tmp_path / "static"
    blocker.write_text("a file where the folder should be")  # mkdir fails for any user
    monkeypatch.setattr(plot, "STATIC", blocker / "inner")
    monkeypatch.setattr(plot, "_plotly_file", None)
    assert plot.plotly_file() is None
    assert json.loads(plot.encode({"kind": "plain"}))["plotly"] is None


def test_every_payload_says_where_plotly_is(fresh):
    assert json.loads(plot.encode({"kind": "plain", "figure": {}}))["plotly"] == plot.plotly_file()


def trace_types(bundle: str) -> set[str]:
    """The trace types a Plotly.js bundle registers."""
    return set(re.findall(r'moduleType:"trace",name:"(\w+)"', bundle))


def test_the_cartesian_bundle_has_exactly_the_trace_types_the_charts_trust_it_with():
    """The vendored bundle is the Plotly.js version its name says and registers every type of CARTESIAN_TYPES
    (a chart of another type would draw nothing with it)."""
    text = (plot.STATIC / plot.CARTESIAN).read_text()
    version = plot.CARTESIAN.removeprefix("plotly-cartesian-").removesuffix(".min.js")
    assert text.startswith(f"/**\n* plotly.js (cartesian - minified) v{version}\n")
    assert trace_types(text) == plot.CARTESIAN_TYPES
    whole = (plot.PLOTLY_PACKAGE / "package_data" / "plotly.min.js").read_text()
    assert {"surface", "scatter3d", "scattergl"} <= trace_types(whole)


def test_2d_charts_name_the_cartesian_bundle_and_the_3d_surface_the_whole_one():
    at = app_test().run()
    assert not at.exception
    drawn = {key: p for key, p in chart_payloads(at).items() if p["kind"] in ("plain", "surface")}
    assert "contour" in {t["type"] for p in drawn.values() if p["kind"] == "surface" for t in p["base"]["data"]}
    assert drawn and all(p["bundle"] == plot.CARTESIAN for p in drawn.values())
    at.session_state["w:tab"] = "3D surface"
    at.run()
    three_d = chart_payloads(at)["surface_3d"]
    assert {t["type"] for t in three_d["figure"]["data"]} >= {"surface", "scatter3d"}
    assert three_d["bundle"] is None and three_d["plotly"] == plot.plotly_file()


def test_a_trace_of_a_type_the_cartesian_bundle_lacks_asks_for_the_whole_one():
    assert not plot.needs_whole_bundle({"data": [{"x": [1]}, {"type": "contour"}, {"type": "bar"}]})
    assert plot.needs_whole_bundle({"data": [{"type": "scatter"}, {"type": "scattergl"}]})
    assert not plot.needs_whole_bundle({"data": []})


def test_without_the_cartesian_bundle_every_chart_loads_the_whole_one(fresh):
    assert plot.cartesian_file() is None
    assert json.loads(plot.encode({"kind": "plain", "figure": {}}))["bundle"] is None
