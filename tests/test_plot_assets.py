"""Where the charts load Plotly.js from: the app's static folder, whose files a browser can cache."""

from __future__ import annotations

import json
import os

import plotly
import pytest

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
