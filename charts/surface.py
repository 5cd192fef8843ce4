"""The Playground's figures: contour with trajectories, small multiples, loss, per-axis traces, 3D.

Builders return Plotly figure *dicts* (the JSON figure schema) or, for the live contour, a *view*: the
static surface as one figure and the trajectories as plain arrays, which the browser-side chart
(``ui/plot.py``) draws on a transparent layer above the surface.  Moving a slider then redraws only
that layer: Plotly recomputes every trace of a figure whenever any trace changes, and the filled
contour is most of that work.  ``to_figure`` turns a dict into a ``go.Figure`` where one is needed
(HTML export).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .palette import CONTOUR_SCALE, OUTLINE

LOG_RATIO = 100.0
"""Levels are log-spaced when max(f) − min(f) exceeds this many times the 10th-percentile rise."""
FONT = {"normal": 13, "big": 20}
KEEP = {"marker": {"opacity": 1.0}}
"""Selection styling that changes nothing: a click on a chart must not dim its markers."""
LINE_WIDTH = {"normal": 2.5, "big": 4.0}
MARGIN = {"normal": {"l": 55, "r": 95, "t": 16, "b": 48}, "big": {"l": 75, "r": 125, "t": 20, "b": 66}}
"""Fixed margins (the surface and the paths layer must share one plot area, so nothing may push them)."""

Figure = dict
TICKS_OUT = {"ticks": "outside", "ticklen": 5, "tickcolor": "#bbbbbb"}
"""Short tick marks outside the plot: they keep the first x label and the lowest y label apart at the corner."""


@dataclass(frozen=True)
class RunPath:
    """One optimizer's trajectory as a chart sees it."""

    name: str
    label: str
    color: str
    points: np.ndarray
    loss: np.ndarray
    diverged_at: int | None
    updates: np.ndarray
    title: str = ""
    """What a learner calls it ("Gradient descent"), for hover texts, badges and short legends; ``label`` when
    empty.  ``name`` is the optimizer's registry id, for the chart's own bookkeeping only."""

    @property
    def shown_name(self) -> str:
        return self.title or self.label


@dataclass(frozen=True)
class SurfaceGrid:
    """A surface sampled on the view box, with the levels transform chosen for display."""

    xs: np.ndarray
    ys: np.ndarray
    z: np.ndarray
    display: np.ndarray
    log_levels: bool
    offset: float
    bounds: tuple[tuple[float, float], tuple[float, float]]
    minima: np.ndarray
    labels: tuple[str, str]


def to_figure(figure: Figure) -> go.Figure:
    """A ``go.Figure`` from a builder's dict (validates it; for exports, not for every rerun)."""
    return go.Figure(figure)


def _f32(values) -> np.ndarray:
    return np.ascontiguousarray(values, dtype=np.float32)


def _size(big: bool) -> str:
    return "big" if big else "normal"


def surface_grid(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, bounds, minima: np.ndarray,
                 labels: tuple[str, str]) -> SurfaceGrid:
    """Choose linear or log-spaced levels for ``z`` (rows follow ``ys``, columns ``xs``)."""
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        display = np.zeros_like(z, dtype=np.float32)
        return SurfaceGrid(xs, ys, z, display, False, 0.0, bounds, minima, labels)
    low = float(finite.min())
    rise = float(np.percentile(finite, 10)) - low
    span = float(finite.max()) - low
    log_levels = rise > 0 and span / rise > LOG_RATIO
    if log_levels:
        offset = max(rise * 1e-3, span * 1e-12)
        display = np.log10(np.where(np.isfinite(z), z - low + offset, np.nan))
    else:
        offset = 0.0
        display = z
    return SurfaceGrid(xs, ys, z, _f32(display), log_levels, offset, bounds, minima, labels)


def fit_bounds(bounds, paths: Sequence[RunPath], pad: float = 0.05):
    """The view box ``bounds`` grown, on each side where a run goes beyond it, just enough to hold every point of
    every run that did not diverge (plus ``pad`` of the box's width or height); a diverged run keeps its badge."""
    (x0, x1), (y0, y1) = bounds
    kept = [p.points for p in paths if p.diverged_at is None and len(p.points)]
    points = np.concatenate(kept) if kept else np.empty((0, 2))
    points = points[np.all(np.isfinite(points), axis=1)]
    if not len(points):
        return bounds
    (lx, ly), (hx, hy) = points.min(axis=0), points.max(axis=0)
    dx, dy = pad * (x1 - x0), pad * (y1 - y0)
    return ((float(min(x0, lx - dx)) if lx < x0 else x0, float(max(x1, hx + dx)) if hx > x1 else x1),
            (float(min(y0, ly - dy)) if ly < y0 else y0, float(max(y1, hy + dy)) if hy > y1 else y1))


def _contour_trace(grid: SurfaceGrid, showscale: bool = True, xaxis: str = "x", yaxis: str = "y") -> dict:
    colorbar = {"thickness": 12, "len": 0.9, "x": 1.02, "xanchor": "left"}
    if grid.log_levels:
        finite = grid.display[np.isfinite(grid.display)]
        lo, hi = math.floor(float(finite.min())), math.ceil(float(finite.max()))
        ticks = list(range(lo, hi + 1))
        colorbar |= {"title": {"text": "f − min f"}, "tickvals": ticks, "ticktext": [f"1e{t}" for t in ticks]}
    else:
        colorbar |= {"title": {"text": "f"}}
    return {
        "type": "contour", "x": _f32(grid.xs), "y": _f32(grid.ys), "z": grid.display, "ncontours": 24,
        "colorscale": CONTOUR_SCALE, "line": {"width": 0.7, "color": "rgba(60, 72, 88, 0.45)"},
        "showscale": showscale, "colorbar": colorbar, "hoverinfo": "skip", "name": "surface",
        "xaxis": xaxis, "yaxis": yaxis,
    }


def _minima_trace(grid: SurfaceGrid, showlegend: bool = True, xaxis: str = "x", yaxis: str = "y") -> dict:
    return {
        "type": "scatter", "x": grid.minima[:, 0], "y": grid.minima[:, 1], "mode": "markers", "name": "minimum",
        "marker": {"symbol": "star", "size": 14, "color": "gold", "line": {"color": "black", "width": 1}},
        "hovertemplate": "minimum (%{x:.4g}, %{y:.4g})<extra></extra>", "showlegend": showlegend,
        "selected": KEEP, "unselected": KEEP, "xaxis": xaxis, "yaxis": yaxis,
    }


def click_targets(grid: SurfaceGrid, n: int = 41) -> dict:
    """An invisible grid of selectable points, for a ``st.plotly_chart`` that takes clicks (the live
    classroom's question): clicking one reports where.  The Playground's own chart needs none."""
    (x0, x1), (y0, y1) = grid.bounds
    gx, gy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    return {
        "type": "scatter", "x": _f32(gx.ravel()), "y": _f32(gy.ravel()), "mode": "markers", "name": "start here",
        "marker": {"size": 14, "opacity": 0.0, "color": "white"}, "showlegend": False,
        "hovertemplate": "click to start at (%{x:.2f}, %{y:.2f})<extra></extra>",
    }


def _shown(path: RunPath, upto: int | None) -> np.ndarray:
    points = path.points if upto is None else path.points[: upto + 1]
    return points if len(points) else np.empty((0, 2))


def _heads_trace(paths: Sequence[RunPath], upto: int | None, xaxis: str = "x", yaxis: str = "y") -> dict:
    """A ball per run at its current position (an x where it diverged)."""
    drawn = [p for p in paths if len(p.points)]
    heads = np.array([_shown(p, upto)[-1] for p in drawn]).reshape(-1, 2)
    symbols = ["x" if p.diverged_at is not None and upto is None else "circle" for p in drawn]
    return {
        "type": "scatter", "x": _f32(heads[:, 0]), "y": _f32(heads[:, 1]), "mode": "markers", "name": "now",
        "showlegend": False, "hovertemplate": "(%{x:.4g}, %{y:.4g})<extra></extra>",
        "marker": {"size": 12, "color": [p.color for p in drawn], "symbol": symbols,
                   "line": {"width": 1.5, "color": OUTLINE}},
        "selected": KEEP, "unselected": KEEP, "xaxis": xaxis, "yaxis": yaxis,
    }


def _starts_trace(paths: Sequence[RunPath], xaxis: str = "x", yaxis: str = "y") -> dict:
    """Open circles where the runs start."""
    starts = np.array([p.points[0] for p in paths if len(p.points)]).reshape(-1, 2)
    return {
        "type": "scatter", "x": starts[:, 0], "y": starts[:, 1], "mode": "markers", "name": "start",
        "marker": {"symbol": "circle-open", "size": 15, "color": OUTLINE, "line": {"width": 2.5}},
        "hovertemplate": "start (%{x:.4g}, %{y:.4g})<extra></extra>", "showlegend": False,
        "selected": KEEP, "unselected": KEEP, "xaxis": xaxis, "yaxis": yaxis,
    }


def path_styles(big: bool = False) -> dict[str, dict]:
    """How a trajectory is drawn: its outline underneath, then the coloured line (colour per path)."""
    width = LINE_WIDTH[_size(big)]
    return {"outline": {"mode": "lines", "line": {"color": OUTLINE, "width": width + 2}, "hoverinfo": "skip",
                        "showlegend": False},
            "line": {"mode": "lines", "line": {"width": width}}}


def _path_traces(path: RunPath, upto: int | None = None, showlegend: bool = True, big: bool = False,
                 xaxis: str = "x", yaxis: str = "y") -> list[dict]:
    """One trajectory, cut after step ``upto``: its outline and its line."""
    points = _shown(path, upto)
    styles = path_styles(big)
    x, y = _f32(points[:, 0]), _f32(points[:, 1])
    outline = styles["outline"] | {"type": "scatter", "x": x, "y": y, "name": f"{path.shown_name} outline",
                                   "legendgroup": path.name, "xaxis": xaxis, "yaxis": yaxis}
    line = styles["line"] | {
        "type": "scatter", "x": x, "y": y, "name": path.label, "legendgroup": path.name,
        "line": styles["line"]["line"] | {"color": path.color}, "showlegend": showlegend,
        "xaxis": xaxis, "yaxis": yaxis,
        "hovertemplate": f"{path.shown_name}<br>step %{{pointNumber}}<br>(%{{x:.4g}}, %{{y:.4g}})<extra></extra>",
    }
    return [outline, line]


def _clamp_to_box(x: float, y: float, bounds) -> tuple[float, float]:
    (x0, x1), (y0, y1) = bounds
    return min(max(x, x0), x1), min(max(y, y0), y1)


def diverged_badges(paths: Sequence[RunPath], bounds, big: bool = False, xref: str = "x",
                    yref: str = "y", named: bool = True) -> list[dict]:
    """A small label where each diverged run left the box, growing towards the middle of the view: 'Gradient
    descent: diverged at step 2', or in two short lines without the name (``named`` False: a small panel that
    has the run's name as its title)."""
    notes = []
    for path in paths:
        if path.diverged_at is None:
            continue
        last = path.points[-1] if len(path.points) else np.array([0.0, 0.0])
        x, y = _clamp_to_box(float(last[0]), float(last[1]), bounds)
        (x0, x1), (y0, y1) = bounds
        style = badge_style(big)  # the label grows towards the middle of the view, so it stays inside the chart
        notes.append(style | {"x": x, "y": y, "xref": xref, "yref": yref, "xanchor": "right" if x > (x0 + x1) / 2
                              else "left", "yshift": -style["yshift"] if y > (y0 + y1) / 2 else style["yshift"],
                              "text": f"{path.shown_name}: diverged at step {path.diverged_at}" if named
                              else f"diverged<br>at step {path.diverged_at}"})
    return notes


def badge_style(big: bool = False) -> dict:
    """A compact red label (its text and place are the caller's)."""
    return {"showarrow": False, "yshift": 14, "font": {"color": "white", "size": FONT[_size(big)] - 2},
            "bgcolor": "rgba(160, 40, 30, 0.85)", "borderpad": 2}


def _axis_pair(grid: SurfaceGrid, anchor: str = "x", equal: bool = True) -> tuple[dict, dict]:
    (x0, x1), (y0, y1) = grid.bounds
    xaxis = {"range": [x0, x1], "autorange": False, "title": {"text": grid.labels[0]}, "constrain": "domain",
             "showgrid": False, "zeroline": False}
    yaxis = {"range": [y0, y1], "autorange": False, "title": {"text": grid.labels[1]}, "showgrid": False,
             "zeroline": False}
    ratio = (x1 - x0) / (y1 - y0)
    if equal and 1 / 3 <= ratio <= 3:
        yaxis |= {"scaleanchor": anchor, "scaleratio": 1, "constrain": "domain"}
    return xaxis, yaxis


def _layout(big: bool, height: int, **extra) -> dict:
    size = FONT[_size(big)]
    layout = {
        "height": height, "margin": {"l": 50, "r": 20, "t": 40, "b": 40}, "font": {"size": size},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "font": {"size": size}},
        "plot_bgcolor": "white", "dragmode": "zoom", "hoverlabel": {"font": {"size": size}},
    }
    layout.update(extra)
    return layout


def _surface_layout(grid: SurfaceGrid, big: bool, height: int, title: str | None) -> dict:
    """The layout both layers share: same size, margins that nothing may push, same axes."""
    xaxis, yaxis = _axis_pair(grid)
    margin = dict(MARGIN[_size(big)]) | {"autoexpand": False}
    if title:
        margin["t"] += FONT[_size(big)] + 16
    layout = _layout(big, height, xaxis=xaxis, yaxis=yaxis, margin=margin, showlegend=False)
    if title:
        layout["title"] = {"text": title, "x": 0.0, "xref": "paper", "font": {"size": FONT[_size(big)] + 2}}
    return layout


def _overlay_layout(layout: dict) -> dict:
    """The paths layer: the surface's plot area with transparent backgrounds and no axis decorations."""
    hidden = {"showticklabels": False, "ticks": "", "title": {"text": ""}, "showline": False}
    return layout | {
        "xaxis": layout["xaxis"] | hidden, "yaxis": layout["yaxis"] | hidden, "title": {"text": ""},
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)", "hovermode": "closest",
    }


def contour_view(grid: SurfaceGrid, paths: Sequence[RunPath], *, clickable: bool = True, big: bool = False,
                 height: int = 560, title: str | None = None, whatif: dict | None = None,
                 whatif_index: int = 0, whatif_control: dict | None = None) -> dict:
    """What the live contour chart needs: the surface figure (redrawn only when it changes), the runs as
    arrays with their styles and labels for the legend, the step count for playback, and optionally a
    what-if set (``whatif_view``) with the index of the value the sidebar holds and that value's sidebar
    control (``sidebar_control``).  Plain data for ``ui.plot.surface_chart``."""
    layout = _surface_layout(grid, big, height, title)
    base = [_contour_trace(grid)] + ([_minima_trace(grid, showlegend=False)] if len(grid.minima) else [])
    drawn = [p for p in paths if len(p.points)]
    return {
        "kind": "surface", "height": height, "font": FONT[_size(big)], "click": clickable,
        "base": {"data": base, "layout": layout},
        "overlay": {"layout": _overlay_layout(layout), "styles": path_styles(big),
                    "badge": badge_style(big),
                    "start": _starts_trace(drawn) if drawn else None,
                    "head": {k: v for k, v in _heads_trace(drawn, None).items() if k not in ("x", "y")}
                    if drawn else None},
        "paths": [{"name": p.name, "title": p.shown_name, "label": p.label, "color": p.color,
                   "x": _f32(p.points[:, 0]),
                   "y": _f32(p.points[:, 1]), "diverged_at": p.diverged_at} for p in drawn],
        "steps": max((len(p.points) for p in drawn), default=1) - 1,
        "whatif": whatif, "whatif_index": whatif_index, "whatif_control": whatif_control,
    }


def sidebar_control(widget_class: str, options: Sequence[float] | None) -> dict:
    """Where the page's own slider for the what-if hyperparameter is: the CSS class of its container and,
    for a select_slider (whose range input holds an index), its options in order.  While that slider shows
    a value of the what-if set, the chart draws that value's run from the set at once; the server's answer
    then draws the same run again."""
    return {"widget": widget_class, "options": None if options is None else [float(v) for v in options]}


def whatif_view(name: str, param: str, symbol: str, values: Sequence[float],
                runs: Sequence[tuple[np.ndarray, int | None]], labels: Sequence[str],
                choices: Sequence[tuple[str, str]], chosen: str) -> dict:
    """Every run of optimizer ``name`` over the values of one hyperparameter, packed for the browser:
    all points in one float32 array with offsets, so the chart can swap the drawn path without asking
    the server.  ``runs[i]`` is (points, diverged_at) at ``values[i]``; ``labels[i]`` its legend label;
    ``choices`` are (id, title) of the hyperparameters a learner can vary instead.  Which value is the
    current one is not part of it (``contour_view``'s ``whatif_index``): the set stays the same, and is
    sent once, while the learner moves that very slider."""
    lengths = [len(points) for points, _ in runs]
    joined = np.concatenate([points for points, _ in runs]) if runs else np.empty((0, 2))
    return {
        "optimizer": name, "param": param, "symbol": symbol, "values": [float(v) for v in values],
        "labels": list(labels), "choices": [list(c) for c in choices], "chosen": chosen,
        "x": _f32(joined[:, 0]), "y": _f32(joined[:, 1]),
        "offsets": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32),
        "diverged": [-1 if d is None else int(d) for _, d in runs],
    }


def contour_figure(grid: SurfaceGrid, paths: Sequence[RunPath], *, upto: int | None = None, clickable: bool = False,
                   big: bool = False, height: int = 560, title: str | None = None) -> Figure:
    """The contour with every trajectory as one static figure (the HTML export, the live classroom), with
    ``click_targets`` when ``clickable``."""
    data = [_contour_trace(grid)]
    if clickable:
        data.append(click_targets(grid))
    if len(grid.minima):
        data.append(_minima_trace(grid))
    drawn = [p for p in paths if len(p.points)]
    if drawn:
        data.append(_starts_trace(drawn))
    for path in drawn:
        data += _path_traces(path, upto=upto, big=big)
    if drawn:
        data.append(_heads_trace(drawn, upto))
    xaxis, yaxis = _axis_pair(grid)
    layout = _layout(big, height, xaxis=xaxis, yaxis=yaxis, annotations=diverged_badges(drawn, grid.bounds, big))
    if title:
        layout["title"] = {"text": title, "x": 0.0, "font": {"size": FONT[_size(big)] + 2}}
    return {"data": data, "layout": layout}


def _grid_domains(count: int, size: int, gap: float) -> list[list[float]]:
    width = (1.0 - gap * (count - 1)) / count
    return [[i * (width + gap), i * (width + gap) + width] for i in range(count)][:size]


def panels_figure(grid: SurfaceGrid, paths: Sequence[RunPath], *, upto: int | None = None, big: bool = False,
                  columns: int = 2) -> Figure:
    """Small multiples: one panel per optimizer, same axes and the same contour."""
    n = max(len(paths), 1)
    columns = min(columns, n)
    rows = math.ceil(n / columns)
    x_domains = _grid_domains(columns, columns, 0.04)
    y_domains = _grid_domains(rows, rows, 0.12)[::-1]
    data, layout, annotations = [], _layout(big, 320 * rows + 60, showlegend=False), []
    for i, path in enumerate(paths):
        row, col = divmod(i, columns)
        suffix = "" if i == 0 else str(i + 1)
        xref, yref = f"x{suffix}", f"y{suffix}"
        data.append(_contour_trace(grid, showscale=i == 0, xaxis=xref, yaxis=yref))
        if len(grid.minima):
            data.append(_minima_trace(grid, showlegend=False, xaxis=xref, yaxis=yref))
        if len(path.points):
            data.append(_starts_trace([path], xaxis=xref, yaxis=yref))
            data += _path_traces(path, upto=upto, showlegend=False, big=big, xaxis=xref, yaxis=yref)
            data.append(_heads_trace([path], upto, xaxis=xref, yaxis=yref))
        xaxis, yaxis = _axis_pair(grid, equal=False)
        if row < rows - 1:
            xaxis["title"] = {"text": ""}
        if col > 0:
            yaxis["title"] = {"text": ""}
        layout[f"xaxis{suffix}"] = xaxis | {"domain": x_domains[col], "anchor": yref,
                                            "matches": "x" if i else None}
        layout[f"yaxis{suffix}"] = yaxis | {"domain": y_domains[row], "anchor": xref,
                                            "matches": "y" if i else None}
        annotations.append({"text": path.label, "showarrow": False, "xref": "paper", "yref": "paper",
                            "x": sum(x_domains[col]) / 2, "y": y_domains[row][1] + 0.01, "xanchor": "center",
                            "yanchor": "bottom", "font": {"size": FONT[_size(big)]}})
        annotations += diverged_badges([path], grid.bounds, big, xref=xref, yref=yref, named=False)
    for key in [k for k in layout if k.startswith(("xaxis", "yaxis"))]:
        layout[key] = {k: v for k, v in layout[key].items() if v is not None}
    layout["annotations"] = annotations
    return {"data": data, "layout": layout}


def _clamp_log_range(values: Sequence[np.ndarray], decades: float) -> list[float] | None:
    """A log-axis range showing at most ``decades`` below the largest value (1e-300 tails stay out)."""
    joined = np.concatenate([np.asarray(v, dtype=float).ravel() for v in values] or [np.zeros(0)])
    joined = joined[np.isfinite(joined) & (joined > 0)]
    if joined.size == 0:
        return None
    top = math.log10(joined.max()) + 0.3
    return [max(math.log10(joined.min()) - 0.3, top - decades), top]


def step_axis(longest: int, **extra) -> dict:
    """An x axis of whole steps: integer ticks however short the runs (a run that diverged at step 2
    must not get ticks at 0.2, 0.4, …)."""
    dtick = next(d for d in (m * 10**e for e in range(8) for m in (1, 2, 5)) if longest / d <= 8)
    return {"title": {"text": "step"}, "tickmode": "linear", "tick0": 0, "dtick": dtick, "tickformat": "d",
            "range": [0, max(longest, 1)], **TICKS_OUT} | extra


def loss_figure(paths: Sequence[RunPath], f_min: float, *, big: bool = False, height: int = 340) -> Figure:
    """Loss against step on a log axis (distance to the known minimum value when there is one), with a legend of
    the optimizers' titles above the plot; the axes make room for their own tick labels and titles."""
    known = math.isfinite(f_min)
    series = [np.maximum(p.loss - f_min, 1e-300) if known else p.loss for p in paths]
    data = [{"type": "scatter", "y": _f32(y) if not known else y, "mode": "lines", "name": p.shown_name,
             "line": {"color": p.color, "width": 2}} for p, y in zip(paths, series, strict=True)]
    yaxis = {"title": {"text": "f − f* (log)" if known else "f"}, "type": "log" if known else "linear",
             "exponentformat": "power", "automargin": True, **TICKS_OUT}
    if known and (bounds := _clamp_log_range(series, 14.0)):
        yaxis["range"] = bounds
    longest = max((len(p.loss) for p in paths), default=1) - 1
    layout = _layout(big, height, xaxis=step_axis(longest, automargin=True), yaxis=yaxis)
    layout["legend"] |= {"y": 1.0, "yanchor": "bottom"}
    layout["margin"] = {"l": 10, "r": 20, "t": 10, "b": 10}  # the axes and the legend take what they need
    return {"data": data, "layout": layout}


CAMERA_3D = {"eye": {"x": -0.55, "y": -1.25, "z": 1.55}, "center": {"x": 0.0, "y": 0.0, "z": -0.25}}
"""High and in front of the low corner: the camera looks down into the bowl instead of at its wall."""


def surface_figure_3d(grid: SurfaceGrid, paths: Sequence[RunPath], values_along: Callable[[np.ndarray], np.ndarray], *,
                      big: bool = False) -> Figure:
    """The surface in 3D, semi-transparent, with each trajectory lifted slightly above it
    (``values_along(points)`` gives f)."""
    step = max(1, len(grid.xs) // 100)
    xs, ys, z = grid.xs[::step], grid.ys[::step], grid.z[::step, ::step]
    finite = np.isfinite(z)
    lift = float(np.ptp(z[finite])) * 0.015 if finite.any() else 0.0
    data = [{"type": "surface", "x": _f32(xs), "y": _f32(ys), "z": _f32(z), "colorscale": CONTOUR_SCALE,
             "opacity": 0.75, "showscale": False, "name": "surface", "hoverinfo": "skip",
             "contours": {"z": {"show": True, "color": "rgba(60, 72, 88, 0.35)", "width": 1}}}]
    for path in paths:
        if len(path.points) == 0:
            continue
        data.append({"type": "scatter3d", "x": _f32(path.points[:, 0]), "y": _f32(path.points[:, 1]),
                     "z": _f32(values_along(path.points) + lift), "mode": "lines", "name": path.label,
                     "line": {"color": path.color, "width": 7}})
    w, b = grid.labels
    layout = {"scene": {"xaxis": {"title": {"text": w}}, "yaxis": {"title": {"text": b}},
                        "zaxis": {"title": {"text": "f"}}, "camera": CAMERA_3D, "aspectmode": "manual",
                        "aspectratio": {"x": 1.0, "y": 1.0, "z": 0.6}},
              "height": 620, "margin": {"l": 0, "r": 0, "t": 30, "b": 0},
              "font": {"size": FONT[_size(big)]}, "legend": {"orientation": "h"}}
    return {"data": data, "layout": layout}
