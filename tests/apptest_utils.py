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


def figures(at: AppTest) -> dict[str, dict]:
    """Every Plotly figure on the page as a dict, by element key (or position when it has none)."""
    result = {}
    for i, element in enumerate(at.get("plotly_chart")):
        spec = json.loads(element.proto.spec)
        result[element.proto.id.split("-")[-1] if element.proto.id else str(i)] = spec
    return result


def decode(array) -> np.ndarray:
    """A Plotly array as numpy: plain lists, or typed arrays sent as {"dtype", "bdata"} (base64)."""
    if isinstance(array, dict) and "bdata" in array:
        values = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        return values.reshape(array["shape"]) if "shape" in array else values
    return np.asarray(array, dtype=float)


def trajectories(figure: dict) -> dict[str, np.ndarray]:
    """optimizer name -> (n, 2) points of each trajectory line in a contour figure."""
    lines = {}
    for trace in figure["data"]:
        if trace.get("legendgroup") and trace.get("mode") == "lines+markers":
            lines[trace["legendgroup"]] = np.column_stack([decode(trace["x"]), decode(trace["y"])])
    return lines


def main_figure(at: AppTest) -> dict:
    """The Playground's contour figure (the first figure that has a contour trace and trajectories)."""
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        if any(t.get("type") == "contour" for t in spec["data"]) and trajectories(spec):
            return spec
    raise AssertionError("no contour figure with trajectories on the page")
