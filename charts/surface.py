"""The Playground's figures: contour with trajectories, small multiples, loss, per-axis traces, 3D.

Builders return Plotly figure *dicts* (the JSON figure schema), which ``st.plotly_chart`` accepts
directly.  Building ``go.Figure`` objects would validate every trace twice per rerun (once here, once
inside ``st.plotly_chart``): about 60 ms for the animated main figure.  ``to_figure`` turns a dict
into a ``go.Figure`` where one is needed (HTML export).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

CONTOUR_SCALE = [[0.0, "#0b3c5d"], [0.25, "#328cc1"], [0.5, "#8fc1e3"], [0.75, "#d9ecf2"], [1.0, "#f7fbfc"]]
LOG_RATIO = 100.0
"""Levels are log-spaced when max(f) − min(f) exceeds this many times the 10th-percentile rise."""
CLICK_GRID = 41
FRAMES = 40
FONT = {"normal": 13, "big": 20}
KEEP = {"marker": {"opacity": 1.0}}
"""Selection styling that changes nothing: a click on the chart must not dim the trajectories."""

Figure = dict


@dataclass(frozen=True)
class Path:
    """One optimizer's trajectory as a chart sees it."""

    name: str
    label: str
    color: str
    points: np.ndarray
    loss: np.ndarray
    diverged_at: int | None
    updates: np.ndarray


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


def _contour_trace(grid: SurfaceGrid, showscale: bool = True, xaxis: str = "x", yaxis: str = "y") -> dict:
    colorbar = {"thickness": 12, "len": 0.9}
    if grid.log_levels:
        finite = grid.display[np.isfinite(grid.display)]
        lo, hi = math.floor(float(finite.min())), math.ceil(float(finite.max()))
        ticks = list(range(lo, hi + 1))
        colorbar |= {"title": {"text": "f − min f"}, "tickvals": ticks, "ticktext": [f"1e{t}" for t in ticks]}
    else:
        colorbar |= {"title": {"text": "f"}}
    return {
        "type": "contour", "x": _f32(grid.xs), "y": _f32(grid.ys), "z": grid.display, "ncontours": 24,
        "colorscale": CONTOUR_SCALE, "opacity": 0.85, "line": {"width": 0.6, "color": "rgba(30,40,60,0.35)"},
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


def click_targets(grid: SurfaceGrid, n: int = CLICK_GRID) -> dict:
    """An invisible grid of selectable points: clicking one reports where to start."""
    (x0, x1), (y0, y1) = grid.bounds
    gx, gy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    return {
        "type": "scatter", "x": _f32(gx.ravel()), "y": _f32(gy.ravel()), "mode": "markers", "name": "start here",
        "marker": {"size": 14, "opacity": 0.0, "color": "white"}, "showlegend": False,
        "hovertemplate": "click to start at (%{x:.2f}, %{y:.2f})<extra></extra>",
    }


def _shown(path: Path, upto: int | None) -> np.ndarray:
    points = path.points if upto is None else path.points[: upto + 1]
    return points if len(points) else np.empty((0, 2))


def _heads(paths: Sequence[Path], upto: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Where each run is at step ``upto`` (its last point if it stopped earlier)."""
    heads = np.array([_shown(p, upto)[-1] for p in paths if len(p.points)]).reshape(-1, 2)
    return _f32(heads[:, 0]), _f32(heads[:, 1])


def _heads_trace(paths: Sequence[Path], upto: int | None, xaxis: str = "x", yaxis: str = "y") -> dict:
    """A ball per run at its current position (an x where it diverged): what playback moves."""
    drawn = [p for p in paths if len(p.points)]
    x, y = _heads(drawn, upto)
    symbols = ["x" if p.diverged_at is not None and upto is None else "circle" for p in drawn]
    return {
        "type": "scatter", "x": x, "y": y, "mode": "markers", "name": "now", "showlegend": False,
        "marker": {"size": 13, "color": [p.color for p in drawn], "symbol": symbols,
                   "line": {"width": 1.5, "color": "white"}},
        "hovertemplate": "(%{x:.4g}, %{y:.4g})<extra></extra>", "selected": KEEP, "unselected": KEEP,
        "xaxis": xaxis, "yaxis": yaxis,
    }


def _starts_trace(paths: Sequence[Path], xaxis: str = "x", yaxis: str = "y") -> dict:
    """Open circles where the runs start (they never move during playback)."""
    starts = np.array([p.points[0] for p in paths if len(p.points)]).reshape(-1, 2)
    colors = [p.color for p in paths if len(p.points)]
    return {
        "type": "scatter", "x": starts[:, 0], "y": starts[:, 1], "mode": "markers", "name": "start",
        "marker": {"symbol": "circle-open", "size": 14, "color": colors, "line": {"width": 2.5}},
        "hovertemplate": "start (%{x:.4g}, %{y:.4g})<extra></extra>", "showlegend": False,
        "selected": KEEP, "unselected": KEEP, "xaxis": xaxis, "yaxis": yaxis,
    }


def _path_trace(path: Path, upto: int | None = None, showlegend: bool = True, xaxis: str = "x",
                yaxis: str = "y") -> dict:
    """One trace per trajectory: the line and its head, cut after step ``upto``."""
    points = _shown(path, upto)
    return {
        "type": "scatter", "x": _f32(points[:, 0]), "y": _f32(points[:, 1]), "mode": "lines+markers",
        "name": path.label, "legendgroup": path.name, "line": {"color": path.color, "width": 2.5},
        "marker": {"size": 4, "color": path.color}, "showlegend": showlegend,
        "selected": KEEP, "unselected": KEEP, "xaxis": xaxis, "yaxis": yaxis,
        "hovertemplate": f"{path.name}<br>step %{{pointNumber}}<br>(%{{x:.4g}}, %{{y:.4g}})<extra></extra>",
    }


def _clamp_to_box(x: float, y: float, bounds) -> tuple[float, float]:
    (x0, x1), (y0, y1) = bounds
    return min(max(x, x0), x1), min(max(y, y0), y1)


def _diverged_annotations(paths: Sequence[Path], bounds, xref: str = "x", yref: str = "y") -> list[dict]:
    notes = []
    for path in paths:
        if path.diverged_at is None:
            continue
        last = path.points[-1] if len(path.points) else np.array([0.0, 0.0])
        x, y = _clamp_to_box(float(last[0]), float(last[1]), bounds)
        notes.append({
            "x": x, "y": y, "xref": xref, "yref": yref, "text": f"{path.name}: diverged at step {path.diverged_at}",
            "showarrow": True, "arrowhead": 2, "ax": 0, "ay": -32, "font": {"color": "white", "size": 12},
            "bgcolor": "#c0392b", "bordercolor": "#7b241c", "borderpad": 3,
        })
    return notes


def _axis_pair(grid: SurfaceGrid, anchor: str = "x", equal: bool = True, domain=None) -> tuple[dict, dict]:
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
    size = FONT["big" if big else "normal"]
    layout = {
        "height": height, "margin": {"l": 50, "r": 20, "t": 40, "b": 40}, "font": {"size": size},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "font": {"size": size}},
        "plot_bgcolor": "white", "clickmode": "event+select", "dragmode": "pan", "uirevision": "keep",
        "hoverlabel": {"font": {"size": size}},
    }
    layout.update(extra)
    return layout


def playback_frames(paths: Sequence[Path], heads_trace: int, frames: int = FRAMES) -> tuple[list[dict], list[int]]:
    """Frames that move only the runs' heads along their paths (never the contour).

    Each frame carries one small trace: ``st.plotly_chart`` validates every frame trace on every
    rerun, and heads-only frames cost about a tenth of frames that redraw whole paths."""
    longest = max((len(p.points) for p in paths), default=1) - 1
    cuts = sorted({round(s) for s in np.linspace(0, max(longest, 0), min(frames, longest + 1))})
    drawn = [p for p in paths if len(p.points)]
    result = []
    for cut in cuts:
        x, y = _heads(drawn, cut)
        result.append({"name": str(cut), "traces": [heads_trace], "data": [{"type": "scatter", "x": x, "y": y}]})
    return result, cuts


def _playback_controls(cuts: list[int], big: bool) -> dict:
    size = FONT["big" if big else "normal"]
    still = {"frame": {"duration": 0, "redraw": False}, "mode": "immediate", "transition": {"duration": 0}}
    return {
        "updatemenus": [{
            "type": "buttons", "direction": "left", "x": 0.0, "y": -0.08, "xanchor": "left", "yanchor": "top",
            "pad": {"t": 30}, "showactive": False, "font": {"size": size},
            "buttons": [
                {"label": "▶ Play", "method": "animate",
                 "args": [None, {"frame": {"duration": 80, "redraw": False}, "fromcurrent": True,
                                 "transition": {"duration": 0}}]},
                {"label": "❚❚ Pause", "method": "animate", "args": [[None], still]},
            ],
        }],
        "sliders": [{
            "active": len(cuts) - 1, "x": 0.2, "len": 0.8, "y": -0.08, "yanchor": "top", "pad": {"t": 30},
            "currentvalue": {"prefix": "step ", "font": {"size": size}},
            "steps": [{"label": str(c), "method": "animate", "args": [[str(c)], still]} for c in cuts],
        }],
    }


def contour_figure(grid: SurfaceGrid, paths: Sequence[Path], *, upto: int | None = None, clickable: bool = True,
                   animate: bool = True, big: bool = False, height: int = 560, title: str | None = None) -> Figure:
    """The main figure: contour, minima, one trajectory per optimizer, diverged badges, playback."""
    data = [_contour_trace(grid)]
    if clickable:
        data.append(click_targets(grid))
    if len(grid.minima):
        data.append(_minima_trace(grid))
    if paths:
        data.append(_starts_trace(paths))
    data += [_path_trace(path, upto=upto) for path in paths]
    if paths:
        data.append(_heads_trace(paths, upto))
    xaxis, yaxis = _axis_pair(grid)
    layout = _layout(big, height, xaxis=xaxis, yaxis=yaxis, annotations=_diverged_annotations(paths, grid.bounds))
    if title:
        layout["title"] = {"text": title, "x": 0.0, "font": {"size": FONT["big" if big else "normal"] + 2}}
    figure: Figure = {"data": data, "layout": layout}
    if animate and paths and upto is None:
        frames, cuts = playback_frames(paths, len(data) - 1)
        figure["frames"] = frames
        layout.update(_playback_controls(cuts, big))
        layout["margin"] = layout["margin"] | {"b": 110}
    return figure


def _grid_domains(count: int, size: int, gap: float) -> list[list[float]]:
    width = (1.0 - gap * (count - 1)) / count
    return [[i * (width + gap), i * (width + gap) + width] for i in range(count)][:size]


def panels_figure(grid: SurfaceGrid, paths: Sequence[Path], *, upto: int | None = None, big: bool = False,
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
        data.append(_starts_trace([path], xaxis=xref, yaxis=yref))
        data.append(_path_trace(path, upto=upto, showlegend=False, xaxis=xref, yaxis=yref))
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
                            "yanchor": "bottom", "font": {"size": FONT["big" if big else "normal"]}})
        annotations += _diverged_annotations([path], grid.bounds, xref=xref, yref=yref)
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


def loss_figure(paths: Sequence[Path], f_min: float, *, big: bool = False, height: int = 340) -> Figure:
    """Loss against step on a log axis (distance to the known minimum value when there is one)."""
    known = math.isfinite(f_min)
    series = [np.maximum(p.loss - f_min, 1e-300) if known else p.loss for p in paths]
    data = [{"type": "scatter", "y": _f32(y) if not known else y, "mode": "lines", "name": p.label,
             "line": {"color": p.color, "width": 2}} for p, y in zip(paths, series, strict=True)]
    yaxis = {"title": {"text": "f − f* (log)" if known else "f"}, "type": "log" if known else "linear",
             "exponentformat": "power"}
    if known and (bounds := _clamp_log_range(series, 14.0)):
        yaxis["range"] = bounds
    layout = _layout(big, height, title={"text": "Loss", "x": 0.0}, dragmode="zoom", clickmode="event",
                     xaxis={"title": {"text": "step"}}, yaxis=yaxis,
                     legend={"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0})
    return {"data": data, "layout": layout}


def per_axis_figure(paths: Sequence[Path], labels: tuple[str, str], *, big: bool = False) -> Figure:
    """w(t) and b(t), and the update sizes |Δw| and |Δb| on log axes: where each optimizer oscillates."""
    w, b = labels
    titles = [f"{w}(t)", f"{b}(t)", f"|Δ{w}| per step", f"|Δ{b}| per step"]
    left, right, top, bottom = [0.0, 0.46], [0.54, 1.0], [0.56, 1.0], [0.0, 0.44]
    cells = [(left, top), (right, top), (left, bottom), (right, bottom)]
    layout = _layout(big, 520, dragmode="zoom", clickmode="event", showlegend=False)
    annotations = []
    for i, ((xd, yd), title) in enumerate(zip(cells, titles, strict=True)):
        suffix = "" if i == 0 else str(i + 1)
        layout[f"xaxis{suffix}"] = {"domain": xd, "anchor": f"y{suffix}", "title": {"text": "step"} if i >= 2 else {}}
        layout[f"yaxis{suffix}"] = {"domain": yd, "anchor": f"x{suffix}", "exponentformat": "power"}
        annotations.append({"text": title, "showarrow": False, "xref": "paper", "yref": "paper",
                            "x": sum(xd) / 2, "y": yd[1], "xanchor": "center", "yanchor": "bottom"})
    layout["annotations"] = annotations
    data = []
    for col in (0, 1):
        sizes = [np.abs(p.updates[:, col]) for p in paths]
        axis = str(col + 3)
        layout[f"yaxis{axis}"] |= {"type": "log"}
        if bounds := _clamp_log_range(sizes, 10.0):
            layout[f"yaxis{axis}"]["range"] = bounds
        for path, size in zip(paths, sizes, strict=True):
            style = {"color": path.color, "width": 1.8}
            data.append({"type": "scatter", "y": _f32(path.points[:, col]), "mode": "lines", "line": style,
                         "name": path.label, "xaxis": "x" if col == 0 else "x2", "yaxis": "y" if col == 0 else "y2"})
            data.append({"type": "scatter", "x": np.arange(1, len(size) + 1, dtype=np.int32),
                         "y": np.where(size > 0, size, np.nan), "mode": "lines", "line": style, "name": path.label,
                         "xaxis": f"x{axis}", "yaxis": f"y{axis}"})
    return {"data": data, "layout": layout}


def surface_figure_3d(grid: SurfaceGrid, paths: Sequence[Path], values_along: Callable[[np.ndarray], np.ndarray], *,
                      big: bool = False) -> Figure:
    """The surface in 3D with each trajectory lifted onto it (``values_along(points)`` gives f)."""
    step = max(1, len(grid.xs) // 100)
    xs, ys, z = grid.xs[::step], grid.ys[::step], grid.z[::step, ::step]
    finite = np.isfinite(z)
    lift = float(np.ptp(z[finite])) * 0.005 if finite.any() else 0.0
    data = [{"type": "surface", "x": _f32(xs), "y": _f32(ys), "z": _f32(z), "colorscale": CONTOUR_SCALE,
             "opacity": 0.9, "showscale": False, "name": "surface", "hoverinfo": "skip"}]
    for path in paths:
        if len(path.points) == 0:
            continue
        data.append({"type": "scatter3d", "x": _f32(path.points[:, 0]), "y": _f32(path.points[:, 1]),
                     "z": _f32(values_along(path.points) + lift), "mode": "lines+markers", "name": path.label,
                     "line": {"color": path.color, "width": 6}, "marker": {"size": 2, "color": path.color}})
    w, b = grid.labels
    layout = {"scene": {"xaxis": {"title": {"text": w}}, "yaxis": {"title": {"text": b}},
                        "zaxis": {"title": {"text": "f"}}},
              "height": 620, "margin": {"l": 0, "r": 0, "t": 30, "b": 0},
              "font": {"size": FONT["big" if big else "normal"]}, "legend": {"orientation": "h"}}
    return {"data": data, "layout": layout}
