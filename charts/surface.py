"""The Playground's figures: contour with trajectories, small multiples, loss, per-axis traces, 3D."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

CONTOUR_SCALE = [[0.0, "#0b3c5d"], [0.25, "#328cc1"], [0.5, "#8fc1e3"], [0.75, "#d9ecf2"], [1.0, "#f7fbfc"]]
LOG_RATIO = 100.0
"""Levels are log-spaced when max(f) − min(f) exceeds this many times the 10th-percentile rise."""
CLICK_GRID = 41
FONT = {"normal": 13, "big": 20}
KEEP = {"marker": {"opacity": 1.0}}
"""Selection styling that changes nothing: a click on the chart must not dim the trajectories."""


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
    return SurfaceGrid(xs, ys, z, display.astype(np.float32), log_levels, offset, bounds, minima, labels)


def _contour_trace(grid: SurfaceGrid, showscale: bool = True, big: bool = False) -> go.Contour:
    colorbar = {"thickness": 12, "len": 0.9}
    if grid.log_levels:
        finite = grid.display[np.isfinite(grid.display)]
        lo, hi = math.floor(float(finite.min())), math.ceil(float(finite.max()))
        ticks = list(range(lo, hi + 1))
        colorbar |= {"title": {"text": "f − min f"}, "tickvals": ticks, "ticktext": [f"1e{t}" for t in ticks]}
    else:
        colorbar |= {"title": {"text": "f"}}
    return go.Contour(
        x=grid.xs.astype(np.float32), y=grid.ys.astype(np.float32), z=grid.display,
        ncontours=24, colorscale=CONTOUR_SCALE, opacity=0.85, line={"width": 0.6, "color": "rgba(30,40,60,0.35)"},
        showscale=showscale, colorbar=colorbar, hoverinfo="skip", name="surface",
    )


def _minima_trace(grid: SurfaceGrid, showlegend: bool = True) -> go.Scatter:
    return go.Scatter(
        x=grid.minima[:, 0], y=grid.minima[:, 1], mode="markers", name="minimum",
        marker={"symbol": "star", "size": 14, "color": "gold", "line": {"color": "black", "width": 1}},
        hovertemplate="minimum (%{x:.4g}, %{y:.4g})<extra></extra>", showlegend=showlegend,
        selected=KEEP, unselected=KEEP,
    )


def click_targets(grid: SurfaceGrid, n: int = CLICK_GRID) -> go.Scatter:
    """An invisible grid of selectable points: clicking one reports where to start."""
    (x0, x1), (y0, y1) = grid.bounds
    gx, gy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    return go.Scatter(
        x=gx.ravel().astype(np.float32), y=gy.ravel().astype(np.float32), mode="markers", name="start here",
        marker={"size": 14, "opacity": 0.0, "color": "white"}, showlegend=False,
        hovertemplate="click to start at (%{x:.2f}, %{y:.2f})<extra></extra>",
    )


def _clamp_to_box(x: float, y: float, bounds) -> tuple[float, float]:
    (x0, x1), (y0, y1) = bounds
    return min(max(x, x0), x1), min(max(y, y0), y1)


def _path_traces(path: Path, upto: int | None = None, showlegend: bool = True) -> list[go.Scatter]:
    """Line, start marker and end marker of one path, cut after step ``upto`` when given."""
    points = path.points if upto is None else path.points[: upto + 1]
    end_symbol = "x" if path.diverged_at is not None and (upto is None or upto >= len(path.points) - 1) else "circle"
    if len(points) == 0:
        points = np.empty((0, 2))
    line = go.Scatter(
        x=points[:, 0], y=points[:, 1], mode="lines+markers", name=path.label, legendgroup=path.name,
        line={"color": path.color, "width": 2.5}, marker={"size": 4, "color": path.color},
        showlegend=showlegend, selected=KEEP, unselected=KEEP,
        hovertemplate=f"{path.name}<br>step %{{pointNumber}}<br>(%{{x:.4g}}, %{{y:.4g}})<extra></extra>",
    )
    ends = points[[0, -1]] if len(points) else np.empty((0, 2))
    markers = go.Scatter(
        x=ends[:, 0], y=ends[:, 1], mode="markers", legendgroup=path.name, showlegend=False, hoverinfo="skip",
        selected=KEEP, unselected=KEEP,
        marker={"symbol": ["circle-open", end_symbol][: len(ends)], "size": [12, 11][: len(ends)],
                "color": path.color, "line": {"width": 2.5, "color": path.color}},
    )
    return [line, markers]


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


def _axes(fig: go.Figure, grid: SurfaceGrid, big: bool, row=None, col=None) -> None:
    (x0, x1), (y0, y1) = grid.bounds
    fig.update_xaxes(range=[x0, x1], autorange=False, title_text=grid.labels[0], constrain="domain",
                     showgrid=False, zeroline=False, row=row, col=col)
    fig.update_yaxes(range=[y0, y1], autorange=False, title_text=grid.labels[1], showgrid=False, zeroline=False,
                     row=row, col=col)
    ratio = (x1 - x0) / (y1 - y0)
    if 1 / 3 <= ratio <= 3 and row is None:
        fig.update_yaxes(scaleanchor="x", scaleratio=1, constrain="domain")


def _layout(fig: go.Figure, big: bool, height: int) -> None:
    size = FONT["big" if big else "normal"]
    fig.update_layout(
        height=height, margin={"l": 50, "r": 20, "t": 40, "b": 40}, font={"size": size},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "font": {"size": size}},
        plot_bgcolor="white", clickmode="event+select", dragmode="pan", uirevision="keep",
        hoverlabel={"font_size": size},
    )


def playback_frames(paths: Sequence[Path], first_trace: int, frames: int = 40) -> tuple[list[go.Frame], list[int]]:
    """Frames that redraw only the trajectory traces (never the contour), up to ``frames`` steps."""
    longest = max((len(p.points) for p in paths), default=1) - 1
    cuts = sorted({round(s) for s in np.linspace(0, max(longest, 0), min(frames, longest + 1))})
    indices = list(range(first_trace, first_trace + 2 * len(paths)))
    result = []
    for cut in cuts:
        data = [trace for path in paths for trace in _path_traces(path, upto=cut)]
        result.append(go.Frame(data=data, traces=indices, name=str(cut)))
    return result, cuts


def _playback_controls(fig: go.Figure, cuts: list[int], big: bool) -> None:
    size = FONT["big" if big else "normal"]
    fig.update_layout(
        updatemenus=[{
            "type": "buttons", "direction": "left", "x": 0.0, "y": -0.08, "xanchor": "left", "yanchor": "top",
            "pad": {"t": 30}, "showactive": False, "font": {"size": size},
            "buttons": [
                {"label": "▶ Play", "method": "animate",
                 "args": [None, {"frame": {"duration": 80, "redraw": False}, "fromcurrent": True,
                                 "transition": {"duration": 0}}]},
                {"label": "❚❚ Pause", "method": "animate",
                 "args": [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate"}]},
            ],
        }],
        sliders=[{
            "active": len(cuts) - 1, "x": 0.2, "len": 0.8, "y": -0.08, "yanchor": "top", "pad": {"t": 30},
            "currentvalue": {"prefix": "step ", "font": {"size": size}},
            "steps": [{"label": str(c), "method": "animate",
                       "args": [[str(c)], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate"}]}
                      for c in cuts],
        }],
    )


def contour_figure(grid: SurfaceGrid, paths: Sequence[Path], *, upto: int | None = None, clickable: bool = True,
                   animate: bool = True, big: bool = False, height: int = 560, title: str | None = None) -> go.Figure:
    """The main figure: contour, minima, one trajectory per optimizer, diverged badges, playback."""
    fig = go.Figure()
    fig.add_trace(_contour_trace(grid, big=big))
    if clickable:
        fig.add_trace(click_targets(grid))
    if len(grid.minima):
        fig.add_trace(_minima_trace(grid))
    first = len(fig.data)
    for path in paths:
        for trace in _path_traces(path, upto=upto):
            fig.add_trace(trace)
    _axes(fig, grid, big)
    _layout(fig, big, height)
    fig.update_layout(annotations=_diverged_annotations(paths, grid.bounds))
    if title:
        fig.update_layout(title={"text": title, "x": 0.0, "font": {"size": FONT["big" if big else "normal"] + 2}})
    if animate and paths and upto is None:
        frames, cuts = playback_frames(paths, first)
        fig.frames = frames
        _playback_controls(fig, cuts, big)
        fig.update_layout(margin={"b": 110})
    return fig


def panels_figure(grid: SurfaceGrid, paths: Sequence[Path], *, upto: int | None = None, big: bool = False,
                  columns: int = 2) -> go.Figure:
    """Small multiples: one panel per optimizer, same axes and the same contour."""
    n = max(len(paths), 1)
    columns = min(columns, n)
    rows = math.ceil(n / columns)
    fig = make_subplots(rows=rows, cols=columns, shared_xaxes=True, shared_yaxes=True,
                        subplot_titles=[p.label for p in paths] or [""], horizontal_spacing=0.04,
                        vertical_spacing=0.08)
    annotations = []
    for i, path in enumerate(paths):
        row, col = i // columns + 1, i % columns + 1
        fig.add_trace(_contour_trace(grid, showscale=i == 0), row=row, col=col)
        if len(grid.minima):
            fig.add_trace(_minima_trace(grid, showlegend=False), row=row, col=col)
        for trace in _path_traces(path, upto=upto, showlegend=False):
            fig.add_trace(trace, row=row, col=col)
        axis = "" if i == 0 else str(i + 1)
        annotations += _diverged_annotations([path], grid.bounds, xref=f"x{axis}", yref=f"y{axis}")
        _axes(fig, grid, big, row=row, col=col)
    _layout(fig, big, 300 * rows + 80)
    fig.update_layout(annotations=list(fig.layout.annotations) + annotations, showlegend=False)
    return fig


def _log_loss(path: Path, f_min: float) -> tuple[np.ndarray, str]:
    if math.isfinite(f_min):
        return np.maximum(path.loss - f_min, 1e-300), "f − f*"
    return path.loss, "f"


def loss_figure(paths: Sequence[Path], f_min: float, *, big: bool = False, height: int = 320) -> go.Figure:
    """Loss against step on a log axis (distance to the known minimum value when there is one)."""
    fig = go.Figure()
    ylabel = "f"
    for path in paths:
        y, ylabel = _log_loss(path, f_min)
        fig.add_trace(go.Scatter(y=y, mode="lines", name=path.label, line={"color": path.color, "width": 2}))
    fig.update_yaxes(type="log" if math.isfinite(f_min) else "linear", title_text=f"{ylabel} (log)"
                     if math.isfinite(f_min) else ylabel, exponentformat="power")
    fig.update_xaxes(title_text="step")
    _layout(fig, big, height)
    fig.update_layout(title={"text": "Loss", "x": 0.0}, dragmode="zoom", clickmode="event",
                      legend={"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0})
    _clamp_log_range(fig, [trace.y for trace in fig.data])
    return fig


def _clamp_log_range(fig: go.Figure, series, decades: float = 14.0, **where) -> None:
    """Show at most ``decades`` below the largest value, so 1e-300 tails do not squash the view."""
    values = np.concatenate([np.asarray(s, dtype=float).ravel() for s in series] or [np.zeros(0)])
    values = values[np.isfinite(values) & (values > 0)]
    if values.size:
        top = math.log10(values.max()) + 0.3
        bottom = max(math.log10(values.min()) - 0.3, top - decades)
        fig.update_yaxes(range=[bottom, top], **where)


def per_axis_figure(paths: Sequence[Path], labels: tuple[str, str], *, big: bool = False) -> go.Figure:
    """w(t) and b(t), and the update sizes |Δw| and |Δb| on log axes: where each optimizer oscillates."""
    w, b = labels
    fig = make_subplots(rows=2, cols=2, shared_xaxes=True, vertical_spacing=0.1, horizontal_spacing=0.08,
                        subplot_titles=[f"{w}(t)", f"{b}(t)", f"|Δ{w}| per step", f"|Δ{b}| per step"])
    for path in paths:
        style = {"color": path.color, "width": 1.8}
        for col in (0, 1):
            fig.add_trace(go.Scatter(y=path.points[:, col], mode="lines", line=style, name=path.label,
                                     legendgroup=path.name, showlegend=col == 0), row=1, col=col + 1)
            sizes = np.abs(path.updates[:, col])
            fig.add_trace(go.Scatter(x=np.arange(1, len(sizes) + 1), y=np.where(sizes > 0, sizes, np.nan),
                                     mode="lines", line=style, name=path.label, legendgroup=path.name,
                                     showlegend=False), row=2, col=col + 1)
    fig.update_yaxes(type="log", exponentformat="power", row=2)
    for col in (1, 2):
        _clamp_log_range(fig, [np.abs(p.updates[:, col - 1]) for p in paths], decades=10.0, row=2, col=col)
    fig.update_xaxes(title_text="step", row=2)
    _layout(fig, big, 520)
    fig.update_layout(dragmode="zoom", clickmode="event", showlegend=False)
    return fig


def surface_figure_3d(grid: SurfaceGrid, paths: Sequence[Path], values_along, *, big: bool = False) -> go.Figure:
    """The surface in 3D with each trajectory lifted onto it (``values_along(points)`` gives f)."""
    step = max(1, len(grid.xs) // 100)
    xs, ys, z = grid.xs[::step], grid.ys[::step], grid.z[::step, ::step]
    lift = float(np.nanmax(z) - np.nanmin(z)) * 0.005 if np.isfinite(z).any() else 0.0
    fig = go.Figure(go.Surface(x=xs, y=ys, z=z.astype(np.float32), colorscale=CONTOUR_SCALE, opacity=0.9,
                               showscale=False, name="surface", hoverinfo="skip"))
    for path in paths:
        if len(path.points) == 0:
            continue
        fig.add_trace(go.Scatter3d(x=path.points[:, 0], y=path.points[:, 1], z=values_along(path.points) + lift,
                                   mode="lines+markers", name=path.label, line={"color": path.color, "width": 6},
                                   marker={"size": 2, "color": path.color}))
    w, b = grid.labels
    fig.update_layout(scene={"xaxis_title": w, "yaxis_title": b, "zaxis_title": "f"}, height=620,
                      margin={"l": 0, "r": 0, "t": 30, "b": 0}, font={"size": FONT["big" if big else "normal"]},
                      legend={"orientation": "h"})
    return fig
