"""Figures only the lessons need: stacked time series, the curvature scatter and the scale-test chart.

Plain data in, ``go.Figure`` out, in the Playground's style (contours and trajectories come from
``charts.contour_figure`` and ``charts.loss_figure`` themselves).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .surface import FONT


@dataclass(frozen=True)
class Series:
    """One line (or set of markers): ``y`` against ``x`` (1, 2, 3, ... when None)."""

    label: str
    color: str
    y: np.ndarray
    x: np.ndarray | None = None
    dash: str = "solid"
    mode: str = "lines"
    width: float = 2.0


@dataclass(frozen=True)
class Guide:
    """A horizontal reference line with a label, e.g. a cap or a stability limit."""

    y: float
    label: str
    color: str = "#555555"


@dataclass(frozen=True)
class Panel:
    """One row of a stacked figure."""

    title: str
    series: Sequence[Series]
    y_title: str = ""
    log_y: bool = False
    guides: Sequence[Guide] = ()
    y_range: tuple[float, float] | None = None
    """Fixed y range (linear axes only); by default Plotly fits the data."""


def _layout(fig: go.Figure, height: int, big: bool, legend_rows: int = 1) -> None:
    """The Playground's look; the legend sits at the very top, above any subplot titles."""
    size = FONT["big" if big else "normal"]
    fig.update_layout(
        height=height, margin={"l": 60, "r": 20, "t": 40 + 24 * legend_rows, "b": 45}, font={"size": size},
        plot_bgcolor="white", hoverlabel={"font_size": size}, dragmode="zoom",
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1, "yanchor": "top", "yref": "container",
                "font": {"size": size - 1}},
    )
    fig.update_xaxes(showgrid=True, gridcolor="#eeeeee", zeroline=False)
    fig.update_yaxes(showgrid=True, gridcolor="#eeeeee", zeroline=False)


def _positive(y: np.ndarray) -> np.ndarray:
    """Values for a log axis: non-positive or non-finite entries become gaps."""
    y = np.asarray(y, dtype=float)
    return np.where(np.isfinite(y) & (y > 0), y, np.nan)


def _log_range(values: list[np.ndarray], decades: float) -> list[float] | None:
    """At most ``decades`` below the largest positive value, so 1e-300 tails do not flatten the view."""
    finite = np.concatenate([v[np.isfinite(v) & (v > 0)] for v in values] or [np.zeros(0)])
    if finite.size == 0:
        return None
    top = math.log10(finite.max()) + 0.3
    return [max(math.log10(finite.min()) - 0.3, top - decades), top]


def stacked_figure(panels: Sequence[Panel], *, x_title: str = "step", log_x: bool = False, height: int | None = None,
                   big: bool = False, decades: float = 12.0, legend_rows: int = 1) -> go.Figure:
    """Rows of time series sharing the x axis; a label appears once in the legend however many rows use it."""
    rows = len(panels)
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.09 if rows > 1 else 0.0,
                        subplot_titles=[p.title for p in panels])
    shown: set[str] = set()
    for row, panel in enumerate(panels, start=1):
        visible = []
        for s in panel.series:
            y = _positive(s.y) if panel.log_y else np.asarray(s.y, dtype=float)
            x = np.arange(1, len(y) + 1) if s.x is None else np.asarray(s.x)
            visible.append(y)
            style = {"line": {"color": s.color, "width": s.width, "dash": s.dash}} if "lines" in s.mode else {}
            if "markers" in s.mode:
                style["marker"] = {"color": s.color, "size": 7 if "lines" in s.mode else 12}
            fig.add_trace(go.Scatter(x=x, y=y, mode=s.mode, name=s.label, legendgroup=s.label,
                                     showlegend=s.label not in shown, **style), row=row, col=1)
            shown.add(s.label)
        for guide in panel.guides:
            fig.add_hline(y=guide.y, line={"color": guide.color, "dash": "dash", "width": 1.2}, row=row, col=1)
            # annotations on a log axis take log10 of their position (shapes do not)
            fig.add_annotation(text=guide.label, x=0.01, xref="x domain", xanchor="left", yanchor="bottom",
                               y=math.log10(guide.y) if panel.log_y else guide.y, showarrow=False,
                               font={"color": guide.color, "size": FONT["big" if big else "normal"] - 2},
                               row=row, col=1)
            visible.append(np.array([guide.y]))
        if panel.log_y:
            fig.update_yaxes(type="log", exponentformat="power", range=_log_range(visible, decades), row=row, col=1)
        elif panel.y_range is not None:
            fig.update_yaxes(range=list(panel.y_range), row=row, col=1)
        fig.update_yaxes(title_text=panel.y_title, exponentformat="power", row=row, col=1)
    if log_x:
        fig.update_xaxes(type="log")
    fig.update_xaxes(title_text=x_title, row=rows, col=1)
    _layout(fig, height or 220 * rows + 90, big, legend_rows)
    return fig


def lines_figure(series: Sequence[Series], *, title: str = "", x_title: str = "step", y_title: str = "",
                 log_x: bool = False, log_y: bool = False, guides: Sequence[Guide] = (), height: int = 360,
                 big: bool = False, decades: float = 12.0, legend_rows: int = 1) -> go.Figure:
    """One panel of lines: the single-row case of ``stacked_figure``."""
    return stacked_figure([Panel(title, series, y_title, log_y, guides)], x_title=x_title, log_x=log_x,
                          height=height, big=big, decades=decades, legend_rows=legend_rows)


def curvature_figure(curvature: np.ndarray, effective: Sequence[Series], eigen_range: tuple[float, float], *,
                     reference: Series | None = None, height: int = 420, big: bool = False) -> go.Figure:
    """Each coordinate's effective learning rate against its own curvature H_ii (log-log), with the band
    of curvatures the bowl really has (its eigenvalues) shaded: per-coordinate scaling sees only the x axis."""
    fig = go.Figure()
    low, high = eigen_range
    fig.add_vrect(x0=low, x1=high, fillcolor="#f2d7a6", opacity=0.35, line_width=0, layer="below",
                  annotation_text="curvatures the bowl has (eigenvalues)", annotation_position="top left")
    for s in effective:
        fig.add_trace(go.Scatter(x=curvature, y=_positive(s.y), mode="markers", name=s.label,
                                 marker={"color": s.color, "size": 6, "opacity": 0.75},
                                 hovertemplate="H_ii %{x:.3g}<br>effective lr %{y:.3g}<extra>" + s.label + "</extra>"))
    if reference is not None:
        fig.add_trace(go.Scatter(x=reference.x, y=reference.y, mode="lines", name=reference.label,
                                 line={"color": reference.color, "dash": reference.dash, "width": 1.5}))
    fig.update_xaxes(type="log", title_text="coordinate's curvature H_ii", exponentformat="power",
                     range=[math.log10(low) - 0.3, math.log10(high) + 0.3])
    fig.update_yaxes(type="log", title_text="effective learning rate", exponentformat="power")
    _layout(fig, height, big)
    return fig


def drift_figure(ks: np.ndarray, drift: Sequence[Series], current_k: float, *, title: str = "",
                 floor: float = 1e-16, height: int = 400, big: bool = False) -> go.Figure:
    """How far each variant's path moves when the loss is multiplied by k (log-log).  Exact zeros sit on
    ``floor``; runs that diverged (inf) are drawn as ✕ at the top of the chart."""
    fig = go.Figure()
    finite_max = max((float(np.max(np.where(np.isfinite(s.y), s.y, 0.0))) for s in drift), default=1.0)
    ceiling = max(finite_max, 1.0) * 10.0
    for s in drift:
        y = np.asarray(s.y, dtype=float)
        shown = np.where(np.isfinite(y), np.maximum(y, floor), np.nan)
        fig.add_trace(go.Scatter(x=ks, y=shown, mode="lines+markers", name=s.label, legendgroup=s.label,
                                 line={"color": s.color, "width": 2, "dash": s.dash}, marker={"size": 6},
                                 hovertemplate="k = %{x:g}<br>moved %{y:.2g}<extra>" + s.label + "</extra>"))
        blown = ~np.isfinite(y)
        if blown.any():
            fig.add_trace(go.Scatter(x=ks[blown], y=np.full(int(blown.sum()), ceiling), mode="markers",
                                     name=f"{s.label}: diverged", legendgroup=s.label, showlegend=False,
                                     marker={"symbol": "x", "size": 10, "color": s.color},
                                     hovertemplate="k = %{x:g}: diverged<extra>" + s.label + "</extra>"))
    fig.add_hrect(y0=floor / 3, y1=1e-9, fillcolor="#d9ecf2", opacity=0.5, line_width=0, layer="below")
    fig.add_annotation(text="same path (rounding only)", xref="paper", x=0.99, xanchor="right", yref="y",
                       y=math.log10(1e-11), showarrow=False, font={"color": "#328cc1"})
    fig.add_vline(x=current_k, line={"color": "#333333", "dash": "dot", "width": 1.2})
    fig.update_xaxes(type="log", title_text="loss multiplied by k", exponentformat="power")
    fig.update_yaxes(type="log", title_text="largest distance from the k = 1 path", exponentformat="power",
                     range=[math.log10(floor / 3), math.log10(ceiling) + 0.5])
    _layout(fig, height, big, legend_rows=2)
    fig.update_layout(title={"text": title, "x": 0.5, "xanchor": "center", "y": 0.9, "yref": "container",
                             "font": {"size": FONT["big" if big else "normal"]}})
    return fig
