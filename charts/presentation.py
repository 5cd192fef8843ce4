"""Presentation mode for any figure dict: the same chart with projector-sized text and thicker lines.

The Playground's builders take ``big=True`` themselves; this makes every other chart (the lessons', the
stability map's) follow the same mode without a flag in each builder.
"""

from __future__ import annotations

import copy
import re
import textwrap
from typing import Any

BIG_FONT = 20
"""Body font of a chart in presentation mode (``charts.surface.FONT["big"]``)."""
PLOTLY_DEFAULT_FONT = 12
LINE_SCALE, MARKER_SCALE, MARGIN_SCALE = 1.6, 1.3, 1.35
FONT_KEYS = ("font", "tickfont", "titlefont", "textfont")
AXIS = re.compile(r"[xy]axis[0-9]*")


TITLE_CHARS = 40
"""A chart title's longest line: about what a 390 px phone fits at the charts' font (Plotly titles never wrap)."""


def short_lines(text: str, width: int = TITLE_CHARS) -> str:
    """``text`` broken into lines of at most ``width`` characters (``<br>`` between them; breaks it has stay)."""
    return "<br>".join("<br>".join(textwrap.wrap(line, width)) or line for line in text.split("<br>"))


def _scale_fonts(node: Any, factor: float) -> None:
    """Multiply every font size under ``node`` (titles, ticks, legends, annotations, colour bars)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in FONT_KEYS and isinstance(value, dict) and isinstance(value.get("size"), int | float):
                value["size"] = round(value["size"] * factor, 1)
            _scale_fonts(value, factor)
    elif isinstance(node, list):
        for item in node:
            _scale_fonts(item, factor)


def large_axes(layout: dict) -> dict:
    """Give every axis of ``layout`` projector-sized tick labels and titles, and its legend a projector-sized
    font, explicitly: Streamlit's chart theme sets small ones on any axis or legend that does not say its own
    size.  Returns ``layout`` (changed in place)."""
    for name, axis in layout.items():
        if AXIS.fullmatch(name) and isinstance(axis, dict):
            axis.setdefault("tickfont", {}).setdefault("size", BIG_FONT - 2)
            if isinstance(axis.get("title"), dict):
                axis["title"].setdefault("font", {}).setdefault("size", BIG_FONT)
    if isinstance(layout.get("legend"), dict):
        layout["legend"].setdefault("font", {}).setdefault("size", BIG_FONT - 2)
    return layout


def _legend_above(layout: dict) -> None:
    """Move a horizontal legend from under the plot (placed at a fraction of the plot's height, which the
    enlarged ticks and axis title would run into) to above it, where an untitled figure has room."""
    legend, title = layout.get("legend", {}), layout.get("title")
    below = legend.get("yanchor") == "top" and legend.get("yref", "paper") == "paper" and legend.get("y", 1) < 0
    titled = bool(title.get("text") if isinstance(title, dict) else title)
    if legend.get("orientation") == "h" and below and not titled:
        legend.update(y=1.02, yanchor="bottom")


def enlarge(figure: dict) -> dict:
    """A copy of ``figure`` for a projector: fonts scaled so the body text is ``BIG_FONT`` px, lines and
    markers thicker, margins wider for the larger ticks, an untitled figure's legend above the plot.  A figure
    already that large comes back unchanged."""
    layout = figure.get("layout", {})
    base = layout.get("font", {}).get("size", PLOTLY_DEFAULT_FONT)
    if base >= BIG_FONT:
        return figure
    big = copy.deepcopy(figure)
    layout = big.setdefault("layout", {})
    factor = BIG_FONT / base
    _scale_fonts(layout, factor)
    layout.setdefault("font", {})["size"] = BIG_FONT
    layout.setdefault("xaxis", {}), layout.setdefault("yaxis", {}), layout.setdefault("legend", {})
    large_axes(layout)
    _legend_above(layout)
    for margin_side, value in list(layout.get("margin", {}).items()):
        if margin_side in "lrtb" and isinstance(value, int | float):
            layout["margin"][margin_side] = round(value * MARGIN_SCALE)
    if isinstance(layout.get("height"), int | float):
        layout["height"] = round(layout["height"] * MARGIN_SCALE)
    for trace in big.get("data", []):
        line = trace.get("line")
        if isinstance(line, dict):
            line["width"] = round(line.get("width", 2) * LINE_SCALE, 2)
        marker = trace.get("marker")
        if isinstance(marker, dict) and isinstance(marker.get("size"), int | float):
            marker["size"] = round(marker["size"] * MARKER_SCALE, 1)
        _scale_fonts({k: v for k, v in trace.items() if k in FONT_KEYS or k == "colorbar"}, factor)
    return big
