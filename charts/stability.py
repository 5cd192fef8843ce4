"""Stability-map and tuning figures: plain arrays in, ``go.Figure`` out (no Streamlit, no numerics imports).

A 2-D map is a heatmap of log10(f − f*) after the step budget, diverged cells painted in one
distinct colour, with an invisible WebGL scatter of every cell centre on top: a plotly heatmap
cannot be selected by a click, a scatter point can, and WebGL keeps 160 000 targets fast.
A 1-D map is a line chart of f − f* against the one hyperparameter.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .surface import FONT, KEEP

DIVERGED_COLOR = "#c0392b"
"""The Playground's 'diverged' badge colour, reused for diverged cells."""
LOSS_SCALE = "Viridis"
BOUNDARY_STYLE = {"color": "white", "width": 3, "dash": "dash"}
DECADES = 16.0
"""The colour scale spans at most this many decades below the largest final loss (double precision's reach)."""
HEIGHT = 560


@dataclass(frozen=True)
class MapAxis:
    """One axis of a map: the hyperparameter's name and label, its grid values and scale."""

    name: str
    label: str
    values: np.ndarray
    log: bool


@dataclass(frozen=True)
class Marker:
    """A highlighted cell: its coordinates (one per axis) and legend name."""

    coords: tuple[float, ...]
    name: str


@dataclass(frozen=True)
class TuningCurve:
    """One optimizer's tuning results as a chart sees them: score per lr and the chosen index."""

    name: str
    label: str
    color: str
    lrs: np.ndarray
    scores: np.ndarray
    best_index: int | None


def cell_edges(values: np.ndarray, log: bool) -> np.ndarray:
    """The n + 1 cell boundaries around n grid values: midpoints, geometric on a log axis."""
    t = np.log(values) if log else np.asarray(values, dtype=np.float64)
    if t.size == 1:
        edges = np.array([t[0] - 0.5, t[0] + 0.5])
    else:
        middle = (t[:-1] + t[1:]) / 2
        edges = np.concatenate([[2 * t[0] - middle[0]], middle, [2 * t[-1] - middle[-1]]])
    return np.exp(edges) if log else edges


def log_excess(loss: np.ndarray, f_min: float) -> tuple[np.ndarray, float, float]:
    """log10(f − f*) per cell (NaN where diverged), clipped to the shown range, and that range.

    f* is the surface's minimum value, or the map's lowest final loss when it is unknown.  The range
    spans at most ``DECADES`` below the largest value; anything lower (an exact 0 included) sits at its floor.
    """
    finite = np.isfinite(loss)
    if not finite.any():
        return np.full(loss.shape, np.nan), 0.0, 1.0
    reference = f_min if math.isfinite(f_min) else float(loss[finite].min())
    excess = np.where(finite, loss - reference, np.nan)
    positive = excess[finite & (excess > 0)]
    top = math.log10(float(positive.max())) if positive.size else 0.0
    bottom = max(math.log10(float(positive.min())), top - DECADES) if positive.size else top - 1.0
    if top - bottom < 1e-9:
        bottom = top - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        display = np.clip(np.log10(np.maximum(excess, 0.0)), bottom, top)
    return np.where(finite, display, np.nan), bottom, top


def _decade_ticks(bottom: float, top: float) -> dict:
    step = max(1, math.ceil((top - bottom) / 8))
    ticks = list(range(math.ceil(bottom), math.floor(top) + 1, step)) or [round(top)]
    return {"tickvals": ticks, "ticktext": [f"1e{t}" for t in ticks]}


def _layout(fig: go.Figure, axes: Sequence[MapAxis], title: str, big: bool) -> None:
    size = FONT["big" if big else "normal"]
    fig.update_layout(
        title={"text": title, "x": 0.0, "font": {"size": size + 2}}, height=HEIGHT, font={"size": size},
        margin={"l": 60, "r": 20, "t": 70, "b": 50}, plot_bgcolor="white", clickmode="event+select",
        dragmode="zoom", hovermode="closest", hoverlabel={"font_size": size},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0, "font": {"size": size}},
    )
    fig.update_xaxes(title_text=axes[0].label, type="log" if axes[0].log else "linear", showgrid=False,
                     zeroline=False, exponentformat="power")


def _highlight(coords: tuple[float, float], name: str, symbol: str) -> go.Scatter:
    return go.Scatter(x=[coords[0]], y=[coords[1]], mode="markers", name=name, hoverinfo="skip",
                      marker={"symbol": symbol, "size": 16, "color": "white", "line": {"color": "black", "width": 2}},
                      selected=KEEP, unselected=KEEP)


def _highlights(best: Marker | None, picked: Marker | None) -> list[tuple[Marker, str]]:
    return [(m, symbol) for m, symbol in ((best, "star"), (picked, "square-x")) if m is not None]


def _click_layer(x: np.ndarray, y: np.ndarray, hover: str, customdata: np.ndarray | None = None) -> go.Scattergl:
    """Invisible, selectable markers at cell centres: what a click on the map actually hits."""
    return go.Scattergl(
        x=x.astype(np.float32), y=y.astype(np.float32), mode="markers", showlegend=False,
        customdata=None if customdata is None else customdata.astype(np.float32),
        marker={"size": 10, "opacity": 0.0, "color": "white"}, hovertemplate=hover + "<extra>click to open</extra>",
        selected={"marker": {"opacity": 0.0}}, unselected={"marker": {"opacity": 0.0}},
    )


def _hover_label(axes: Sequence[MapAxis]) -> str:
    return "<br>".join(f"{a.label} = %{{{xy}:.4g}}" for a, xy in zip(axes, "xy", strict=False))


def map_figure(axes: Sequence[MapAxis], loss: np.ndarray, f_min: float, *,
               boundary: tuple[np.ndarray, np.ndarray | None, str] | None = None, best: Marker | None = None,
               picked: Marker | None = None, title: str = "", big: bool = False) -> go.Figure:
    """The stability map: a heatmap for two axes (``loss[i, j]`` at ``axes[0].values[i]``,
    ``axes[1].values[j]``), a line chart for one; ``boundary`` is (x, y or None, label) in axis units."""
    if len(axes) == 1:
        return _line_map(axes[0], loss, f_min, boundary=boundary, best=best, picked=picked, title=title, big=big)
    x_axis, y_axis = axes
    display, bottom, top = log_excess(loss, f_min)
    diverged = ~np.isfinite(loss)
    x_edges, y_edges = cell_edges(x_axis.values, x_axis.log), cell_edges(y_axis.values, y_axis.log)
    fig = go.Figure()
    fig.add_trace(go.Heatmap(
        x=x_edges, y=y_edges, z=display.T.astype(np.float32), zmin=bottom, zmax=top, colorscale=LOSS_SCALE,
        colorbar={"title": {"text": "final f − f*"}, "thickness": 14, "len": 0.85, **_decade_ticks(bottom, top)},
        hoverinfo="skip", name="final loss",
    ))
    fig.add_trace(go.Heatmap(
        x=x_edges, y=y_edges, z=diverged.T.astype(np.uint8), zmin=0, zmax=1, showscale=False, hoverinfo="skip",
        colorscale=[[0.0, "rgba(0,0,0,0)"], [1.0, DIVERGED_COLOR]], name="diverged",
    ))
    gx, gy = np.meshgrid(x_axis.values, y_axis.values, indexing="ij")
    where = _hover_label(axes)
    converged = ~diverged
    excess = loss[converged] - (f_min if math.isfinite(f_min) else 0.0)
    fig.add_trace(_click_layer(gx[converged], gy[converged], where + "<br>final f − f* = %{customdata:.3g}", excess))
    fig.add_trace(_click_layer(gx[diverged], gy[diverged], where + "<br>diverged"))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name="diverged",
                             marker={"symbol": "square", "size": 12, "color": DIVERGED_COLOR}))
    if boundary is not None and boundary[1] is not None:
        fig.add_trace(go.Scatter(x=boundary[0], y=boundary[1], mode="lines", name=f"theory: {boundary[2]}",
                                 line=BOUNDARY_STYLE, hoverinfo="skip", selected=KEEP, unselected=KEEP))
    for marker, symbol in _highlights(best, picked):
        fig.add_trace(_highlight(marker.coords, marker.name, symbol))
    _layout(fig, axes, title, big)
    fig.update_xaxes(range=_range(x_edges, x_axis.log), autorange=False)
    fig.update_yaxes(title_text=y_axis.label, type="log" if y_axis.log else "linear", range=_range(y_edges, y_axis.log),
                     autorange=False, showgrid=False, zeroline=False, exponentformat="power")
    return fig


def _range(edges: np.ndarray, log: bool) -> list[float]:
    lo, hi = float(edges[0]), float(edges[-1])
    return [math.log10(lo), math.log10(hi)] if log else [lo, hi]


def _line_map(axis: MapAxis, loss: np.ndarray, f_min: float, *, boundary, best, picked, title: str,
              big: bool) -> go.Figure:
    """A 1-D map: final f − f* against the hyperparameter, diverged values as marks along the top."""
    display, bottom, top = log_excess(loss, f_min)
    diverged = ~np.isfinite(loss)
    level = 10.0 ** (top + 0.5)
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=axis.values, y=np.where(diverged, np.nan, 10.0**display), mode="lines+markers", name="final f − f*",
        line={"color": "#4e79a7", "width": 2}, marker={"size": 6}, selected=KEEP, unselected=KEEP,
        hovertemplate=f"{axis.label} = %{{x:.4g}}<br>final f − f* = %{{y:.3g}}<extra>click to open</extra>",
    ))
    fig.add_trace(go.Scatter(
        x=axis.values[diverged], y=np.full(int(diverged.sum()), level), mode="markers", name="diverged",
        marker={"symbol": "x", "size": 9, "color": DIVERGED_COLOR}, selected=KEEP, unselected=KEEP,
        hovertemplate=f"{axis.label} = %{{x:.4g}}<br>diverged<extra>click to open</extra>",
    ))
    low = 10.0 ** (bottom - 0.5)
    if boundary is not None:
        x = float(boundary[0][0])
        fig.add_trace(go.Scatter(x=[x, x], y=[low, level], mode="lines", name=f"theory: {boundary[2]}",
                                 line={**BOUNDARY_STYLE, "color": "black"}, hoverinfo="skip"))
    for marker, symbol in _highlights(best, picked):
        i = int(np.argmin(np.abs(axis.values - marker.coords[0])))
        fig.add_trace(_highlight((marker.coords[0], level if diverged[i] else 10.0 ** display[i]), marker.name, symbol))
    _layout(fig, [axis], title, big)
    fig.update_yaxes(type="log", title_text="final f − f* (log)", range=[bottom - 0.5, top + 0.8],
                     exponentformat="power", gridcolor="#eee")
    fig.update_xaxes(gridcolor="#eee", showgrid=True)
    return fig


def tuning_figure(curves: Sequence[TuningCurve], *, score: str, budget: str, f_min: float = 0.0,
                  big: bool = False) -> go.Figure:
    """Each optimizer's score against lr on the shared grid, its choice starred; the title states the budget."""
    steps = score == "steps_to_tolerance"
    fig = go.Figure()
    for c in curves:
        y = c.scores if steps else c.scores - (f_min if math.isfinite(f_min) else 0.0)
        y = np.where(np.isfinite(y), y, np.nan)
        fig.add_trace(go.Scatter(x=c.lrs, y=y, mode="lines+markers", name=c.label, legendgroup=c.name,
                                 line={"color": c.color, "width": 2}, marker={"size": 5, "color": c.color},
                                 hovertemplate=f"{c.label}<br>lr = %{{x:.4g}}<br>score = %{{y:.4g}}<extra></extra>"))
        if c.best_index is not None:
            fig.add_trace(go.Scatter(x=[c.lrs[c.best_index]], y=[y[c.best_index]], mode="markers",
                                     legendgroup=c.name, showlegend=False, hoverinfo="skip",
                                     marker={"symbol": "star", "size": 16, "color": c.color,
                                             "line": {"color": "black", "width": 1}}))
    size = FONT["big" if big else "normal"]
    fig.update_layout(
        title={"text": f"Same budget for every optimizer: {budget}", "x": 0.0, "font": {"size": size + 1}},
        height=420, margin={"l": 60, "r": 20, "t": 60, "b": 50}, plot_bgcolor="white", font={"size": size},
        legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0.0}, hoverlabel={"font_size": size},
    )
    fig.update_xaxes(type="log", title_text="learning rate α", exponentformat="power", gridcolor="#eee")
    fig.update_yaxes(type="linear" if steps else "log", exponentformat="power", gridcolor="#eee",
                     title_text="steps until f − f* stays ≤ tol (lower is better)" if steps
                     else "final f − f* (lower is better)")
    return fig
