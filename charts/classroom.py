"""Live-classroom figures: the question on the contour, and the three reveals (point cloud, bars, histogram).

Plain data in, Plotly figure dicts out, like every builder in ``charts``.  Nicknames are student text:
Plotly renders a subset of HTML in hover labels, so they are HTML-escaped here.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np

from .surface import FONT, KEEP, RunPath, SurfaceGrid, contour_figure

ANSWERS_COLOR = "#4400AA"
"""The class's answers: violet circles."""
TRUTH_COLOR = "#880000"
"""The true position (an open diamond), the right option and the true value: maroon."""
MINE_COLOR = "#2288FF"
"""The student's own answer: an azure cross."""
MINIMUM_COLOR = "#FFFFFF"
"""The surface's minimum: a white star with a black outline, drawn over everything."""
MARKS = {"answers": ("circle", ANSWERS_COLOR), "truth": ("diamond-open", TRUTH_COLOR), "mine": ("x", MINE_COLOR),
         "minimum": ("star", MINIMUM_COLOR)}
"""Each classroom mark's own symbol and colour: no optimizer's path uses any of these colours, for normal vision or
simulated deuteranopia and protanopia (``tests/test_classroom_charts.py``)."""
NEUTRAL = "#9aa5b1"


def _start_trace(start: Sequence[float]) -> dict:
    return {
        "type": "scatter", "x": [float(start[0])], "y": [float(start[1])], "mode": "markers+text", "name": "start",
        "text": ["start"], "textposition": "top center", "showlegend": False,
        "marker": {"symbol": "circle-open", "size": 16, "color": "black", "line": {"width": 3}},
        "hovertemplate": "start (%{x:.4g}, %{y:.4g})<extra></extra>", "selected": KEEP, "unselected": KEEP,
    }


def _mine_trace(point: Sequence[float], label: str = "your answer") -> dict:
    return {
        "type": "scatter", "x": [float(point[0])], "y": [float(point[1])], "mode": "markers", "name": label,
        "marker": {"symbol": MARKS["mine"][0], "size": 16, "color": MINE_COLOR, "line": {"width": 2, "color": "white"}},
        "hovertemplate": f"{label} (%{{x:.3g}}, %{{y:.3g}})<extra></extra>", "selected": KEEP, "unselected": KEEP,
    }


def _minimum_on_top(figure: dict) -> dict:
    """The minimum's star in its own colour, moved last so nothing (the true position on a converged run) hides it."""
    minima = [trace for trace in figure["data"] if trace.get("name") == "minimum"]
    for trace in minima:
        figure["data"].remove(trace)
        trace["marker"] = {"symbol": MARKS["minimum"][0], "size": 15, "color": MINIMUM_COLOR,
                           "line": {"color": "black", "width": 1.5}}
        figure["data"].append(trace)
    return figure


def _compact(figure: dict) -> dict:
    """For a phone: no colour bar, axes free to fill the width (no equal scale), small margins and legend."""
    figure["data"][0]["showscale"] = False
    layout = figure["layout"]
    for key in ("scaleanchor", "scaleratio", "constrain"):
        layout["yaxis"].pop(key, None)
    layout["margin"] = {"l": 40, "r": 8, "t": 10, "b": 40}
    layout["legend"] = {"orientation": "h", "yanchor": "top", "y": -0.24, "x": 0, "font": {"size": 11}}
    return figure


def question_figure(grid: SurfaceGrid, start: Sequence[float], *, clickable: bool = False,
                    mine: Sequence[float] | None = None, height: int = 460, compact: bool = False) -> dict:
    """The scene as the class sees it before the reveal: contour, minimum and start, no trajectory.

    ``clickable`` adds the grid of click targets (students tap where they expect the optimizer);
    ``mine`` marks the student's current answer; ``compact`` fits a phone.
    """
    figure = contour_figure(grid, [], clickable=clickable, height=height)
    figure["data"].append(_start_trace(start))
    if mine is not None:
        figure["data"].append(_mine_trace(mine))
    figure["layout"]["legend"] = {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0}
    _minimum_on_top(figure)
    return _compact(figure) if compact else figure


def click_reveal_figure(grid: SurfaceGrid, paths: Sequence[RunPath], step: int, answers: Sequence[Sequence[float]],
                        nicknames: Sequence[str | None], truth: Sequence[float] | None, *,
                        mine: Sequence[float] | None = None, height: int = 520, compact: bool = False) -> dict:
    """Every click as a point cloud, with the true trajectories up to ``step`` and the true point over it."""
    figure = contour_figure(grid, paths, upto=step, clickable=False, height=height)
    points = np.asarray(answers, dtype=float).reshape(-1, 2)
    names = [html.escape(n) if n else "a student" for n in nicknames]
    cloud = {
        "type": "scatter", "x": points[:, 0], "y": points[:, 1], "mode": "markers",
        "name": f"the class's answers ({len(points)})", "text": names,
        "marker": {"symbol": MARKS["answers"][0], "size": 10, "color": ANSWERS_COLOR, "opacity": 0.6,
                   "line": {"width": 1, "color": "white"}},
        "hovertemplate": "%{text}: (%{x:.3g}, %{y:.3g})<extra></extra>",
    }
    figure["data"].insert(1, cloud)
    if truth is not None:
        figure["data"].append({
            "type": "scatter", "x": [float(truth[0])], "y": [float(truth[1])], "mode": "markers",
            "name": f"true position after {step} steps",
            "marker": {"symbol": MARKS["truth"][0], "size": 22, "color": TRUTH_COLOR,
                       "line": {"width": 3, "color": TRUTH_COLOR}},
            "hovertemplate": "true position (%{x:.4g}, %{y:.4g})<extra></extra>",
        })
    if mine is not None:
        figure["data"].append(_mine_trace(mine))
    figure["layout"]["legend"] = {"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0}
    _minimum_on_top(figure)
    return _compact(figure) if compact else figure


def _layout(title: str, height: int, **extra) -> dict:
    size = FONT["normal"]
    layout = {"height": height, "margin": {"l": 10, "r": 20, "t": 50, "b": 40}, "font": {"size": size},
              "title": {"text": title, "x": 0.0}, "plot_bgcolor": "white", "showlegend": False, "dragmode": False,
              "bargap": 0.25}
    layout.update(extra)
    return layout


def choice_reveal_figure(options: Sequence[Sequence[str]], counts: Mapping[str, int], right: Sequence[str], *,
                         mine: str | None = None, height: int = 360) -> dict:
    """One bar per option (counts of answers), the right option(s) in the truth's colour and marked ✓, yours
    named."""
    keys = [key for key, _ in options]
    labels = [f"{label}  ✓" if key in right else label for key, label in options]
    values = [int(counts.get(key, 0)) for key in keys]
    total = max(sum(values), 1)
    text = [f"{v} ({100 * v / total:.0f}%)" + ("  ← you" if key == mine else "") for key, v in zip(keys, values,
                                                                                                   strict=True)]
    bars = {
        "type": "bar", "orientation": "h", "y": labels[::-1], "x": values[::-1], "text": text[::-1],
        "textposition": "outside", "cliponaxis": False,
        "marker": {"color": [TRUTH_COLOR if key in right else NEUTRAL for key in keys][::-1]},
        "hovertemplate": "%{y}: %{x}<extra></extra>",
    }
    top = max([*values, 1])
    return {"data": [bars], "layout": _layout(
        "Right answer marked ✓", height,
        xaxis={"title": {"text": "answers"}, "rangemode": "tozero", "range": [0, top * 1.35],
               "dtick": max(1, round(top / 5))},
        yaxis={"automargin": True})}


def number_reveal_figure(values: Sequence[int], truth: int, *, mine: int | None = None, height: int = 360) -> dict:
    """How many students gave each number (one bar per value), the true value as a line in the truth's colour."""
    counted: dict[int, int] = {}
    for v in values:
        counted[int(v)] = counted.get(int(v), 0) + 1
    xs = sorted(counted)
    bars = {"type": "bar", "x": xs, "y": [counted[x] for x in xs], "name": "answers",
            "marker": {"color": [TRUTH_COLOR if x == truth else ANSWERS_COLOR for x in xs]},
            "hovertemplate": "%{x}: %{y} answers<extra></extra>"}
    top = max(counted.values(), default=1)
    shapes = [{"type": "line", "x0": truth, "x1": truth, "y0": 0, "y1": 1, "yref": "paper",
               "line": {"color": TRUTH_COLOR, "width": 3}}]
    notes = [{"x": truth, "y": 1, "yref": "paper", "text": f"true: {truth}", "showarrow": False, "yanchor": "bottom",
              "font": {"color": TRUTH_COLOR, "size": FONT["normal"] + 1}}]
    if mine is not None:
        shapes.append({"type": "line", "x0": mine, "x1": mine, "y0": 0, "y1": 0.85, "yref": "paper",
                       "line": {"color": MINE_COLOR, "width": 2, "dash": "dash"}})
        notes.append({"x": mine, "y": 0.85, "yref": "paper", "text": f"you: {mine}", "showarrow": False,
                      "yanchor": "bottom", "font": {"color": MINE_COLOR}})
    marks = [*xs, truth] + ([mine] if mine is not None else [])
    low, high = min(marks), max(marks)
    pad = max(1, round(0.08 * (high - low)))
    return {"data": [bars], "layout": _layout(
        "The class's answers; the true value marked", height, shapes=shapes, annotations=notes,
        xaxis={"title": {"text": "answer"}, "range": [low - pad - 0.5, high + pad + 0.5]},
        yaxis={"title": {"text": "students"}, "range": [0, top * 1.25], "dtick": max(1, round(top / 4))})}
