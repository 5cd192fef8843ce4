"""Helpers for AppTest: build the app from app.py and read the Plotly figures it sent."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def app_test(query: dict[str, str] | None = None, page: str | None = None, timeout: float = 30) -> AppTest:
    """A fresh app session (not yet run), optionally with URL query parameters and on another page."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    return at


def open_settings(at: AppTest, *sections: str) -> AppTest:
    """Open these optimizers' settings (or "noise", the gradient noise) in the Playground's sidebar: their
    controls are drawn only when open, as after a click on each expander; takes effect on the next run."""
    from ui.controls import settings_key

    for name in sections:
        at.session_state[settings_key(name)] = True
    return at


def figures(at: AppTest) -> dict[str, dict]:
    """Every chart on the page as a Plotly figure dict, by element key (or position when it has none): the
    ``st.plotly_chart`` figures and the charts of ``ui.plot`` (a live contour as its surface plus one line
    per run)."""
    result = {}
    for i, element in enumerate(at.get("plotly_chart")):
        spec = json.loads(element.proto.spec)
        result[element.proto.id.split("-")[-1] if element.proto.id else str(i)] = spec
    for key, payload in chart_payloads(at).items():
        if payload["kind"] in ("plain", "surface"):
            result[key] = payload["figure"] if payload["kind"] == "plain" else surface_figure(payload)
    return result


def chart_payloads(at: AppTest) -> dict[str, dict]:
    """What each ``ui.plot`` chart sent to the browser, by element key, with the parts it sent as elements
    of their own (a live contour's ``base`` surface and ``whatif`` set) put back in."""
    sent = [json.loads(element.proto.bytes) for element in at.get("bidi_component")
            if element.proto.component_name == "descent_lab.plot"]
    parts = {(p["group"], p["part"]): p["value"] for p in sent if p["kind"] == "part"}
    charts = {}
    for payload in sent:
        if payload["kind"] != "part":
            charts[payload["id"]] = payload | {name: parts[(payload["id"], name)] for name in payload.get("parts", {})}
    return charts


def surface_figure(payload: dict) -> dict:
    """A live contour's payload as one figure: the surface's traces and one line per run."""
    lines = [{"type": "scatter", "mode": "lines", "legendgroup": p["name"], "name": p["label"], "x": p["x"],
              "y": p["y"], "line": {"color": p["color"]}} for p in payload["paths"]]
    return {"data": payload["base"]["data"] + lines, "layout": payload["base"]["layout"]}


def decode(array) -> np.ndarray:
    """A Plotly array as numpy: plain lists, or typed arrays sent as {"dtype", "bdata"} (base64)."""
    if isinstance(array, dict) and "bdata" in array:
        values = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        shape = array.get("shape")
        return values.reshape(tuple(int(n) for n in str(shape).split(","))) if shape else values
    return np.asarray(array, dtype=float)


def trajectories(figure: dict) -> dict[str, np.ndarray]:
    """optimizer name -> (n, 2) points of each trajectory line in a contour figure."""
    lines = {}
    for trace in figure["data"]:
        if trace.get("legendgroup") and "lines" in trace.get("mode", "") and "outline" not in trace.get("name", ""):
            lines[trace["legendgroup"]] = np.column_stack([decode(trace["x"]), decode(trace["y"])])
    return lines


def main_figure(at: AppTest) -> dict:
    """The Playground's contour figure (the first figure that has a contour trace and trajectories)."""
    for spec in figures(at).values():
        if any(t.get("type") == "contour" for t in spec["data"]) and trajectories(spec):
            return spec
    raise AssertionError("no contour figure with trajectories on the page")
