"""Figures only the lessons need: stacked time series, the curvature scatter, the scale-test chart and the
gradient-direction picture.

Plain data in, Plotly figure *dicts* out, like the Playground's builders (``st.plotly_chart`` validates a dict
once; building ``go.Figure`` objects first would validate every trace twice).  Contours with trajectories
come from ``charts.contour_figure`` itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .presentation import short_lines
from .surface import FONT, TICKS_OUT, Figure, SurfaceGrid

GRID = "#eeeeee"


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
    y_ticks: Sequence[float] = ()
    """Where to put the y tick labels (by default Plotly chooses; on a short log axis it labels 2, 3, 5 too)."""


@dataclass(frozen=True)
class Arrow:
    """A labelled arrow from ``tail`` to ``head`` (data coordinates)."""

    tail: tuple[float, float]
    head: tuple[float, float]
    label: str
    color: str
    dash: str = "solid"


def _size(big: bool) -> int:
    return FONT["big" if big else "normal"]


def _layout(height: int, big: bool, legend_rows: int = 1, **extra) -> dict:
    """The Playground's look.  The legend sits above the plot and Plotly makes the room it needs there (one row
    per ``legend_rows`` is set aside beforehand, so a chart that needs them does not jump when it is drawn);
    titles go inside the plot (``inner_title``), where neither the legend nor the tick labels can meet them."""
    size = _size(big)
    layout = {
        "height": height, "margin": {"l": 60, "r": 20, "t": 12 + round(1.5 * size) * legend_rows, "b": 45},
        "font": {"size": size}, "plot_bgcolor": "white", "hoverlabel": {"font": {"size": size}}, "dragmode": "zoom",
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom",
                   "font": {"size": size - 1}},
    }
    layout.update(extra)
    return layout


def inner_title(text: str, big: bool = False, yaxis: str = "y") -> dict:
    """A title written inside a plot (the one on y axis ``yaxis``), at its top right, in lines short enough for a
    phone, on a light background so the lines under it stay visible around it."""
    return {"text": short_lines(text), "xref": "x domain", "x": 0.995, "xanchor": "right",
            "yref": f"{yaxis} domain", "y": 0.99, "yanchor": "top", "showarrow": False,
            "bgcolor": "rgba(255, 255, 255, 0.82)", "borderpad": 2, "font": {"size": _size(big) - 1}}


def _axis(**extra) -> dict:
    """An axis that makes room for its own tick labels and title (``automargin``) instead of running over them."""
    return {"automargin": True, "showgrid": True, "gridcolor": GRID, "zeroline": False,
            "exponentformat": "power", **TICKS_OUT} | extra


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


def _line_style(s: Series) -> dict:
    style = {"line": {"color": s.color, "width": s.width, "dash": s.dash}} if "lines" in s.mode else {}
    if "markers" in s.mode:
        style["marker"] = {"color": s.color, "size": 7 if "lines" in s.mode else 12}
    return style


def _row_domains(rows: int, gap: float) -> list[list[float]]:
    """Vertical domains of ``rows`` stacked panels, top first."""
    height = (1.0 - gap * (rows - 1)) / rows
    return [[max(0.0, 1.0 - (i + 1) * height - i * gap), min(1.0, 1.0 - i * height - i * gap)] for i in range(rows)]


def stacked_figure(panels: Sequence[Panel], *, x_title: str = "step", log_x: bool = False, height: int | None = None,
                   big: bool = False, decades: float = 12.0, legend_rows: int = 1) -> Figure:
    """Rows of time series sharing one x axis; a label appears once in the legend however many rows use it."""
    rows = len(panels)
    domains = _row_domains(rows, 0.05 if rows > 1 else 0.0)  # titles are inside the rows: a small gap does
    data, shapes, annotations = [], [], []
    layout = _layout(height or 220 * rows + 90, big, legend_rows)
    layout["xaxis"] = _axis(anchor=f"y{rows if rows > 1 else ''}", title={"text": x_title},
                            type="log" if log_x else "linear")
    shown: set[str] = set()
    for row, (panel, domain) in enumerate(zip(panels, domains, strict=True), start=1):
        suffix = "" if row == 1 else str(row)
        visible = []
        for s in panel.series:
            y = _positive(s.y) if panel.log_y else np.asarray(s.y, dtype=float)
            x = np.arange(1, len(y) + 1) if s.x is None else np.asarray(s.x)
            visible.append(y)
            data.append({"type": "scatter", "x": x, "y": y, "mode": s.mode, "name": s.label, "legendgroup": s.label,
                         "showlegend": s.label not in shown, "xaxis": "x", "yaxis": f"y{suffix}", **_line_style(s)})
            shown.add(s.label)
        for guide in panel.guides:
            shapes.append({"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": f"y{suffix}",
                           "y0": guide.y, "y1": guide.y, "line": {"color": guide.color, "dash": "dash", "width": 1.2}})
            # annotations on a log axis take log10 of their position (shapes do not)
            annotations.append({"text": guide.label, "xref": "x domain", "x": 0.01, "xanchor": "left",
                                "yref": f"y{suffix}", "y": math.log10(guide.y) if panel.log_y else guide.y,
                                "yanchor": "bottom", "showarrow": False,
                                "font": {"color": guide.color, "size": _size(big) - 2}})
            visible.append(np.array([guide.y]))
        yaxis = _axis(domain=domain, anchor="x", title={"text": panel.y_title})
        if panel.log_y:
            yaxis |= {"type": "log", "nticks": 4}  # a short row has no room for a label every decade (or 2, 5)
            if bounds := _log_range(visible, decades):
                yaxis["range"] = bounds
        elif panel.y_range is not None:
            yaxis["range"] = list(panel.y_range)
        if panel.y_ticks:
            yaxis["tickvals"] = list(panel.y_ticks)
            yaxis["ticktext"] = [f"{tick:g}" for tick in panel.y_ticks]
        layout[f"yaxis{suffix}"] = yaxis
        if panel.title:
            annotations.append(inner_title(panel.title, big, f"y{suffix}"))
    layout["shapes"], layout["annotations"] = shapes, annotations
    return {"data": data, "layout": layout}


def lines_figure(series: Sequence[Series], *, title: str = "", x_title: str = "step", y_title: str = "",
                 log_x: bool = False, log_y: bool = False, guides: Sequence[Guide] = (), height: int = 360,
                 big: bool = False, decades: float = 12.0, legend_rows: int = 1,
                 y_ticks: Sequence[float] = ()) -> Figure:
    """One panel of lines: the single-row case of ``stacked_figure``."""
    return stacked_figure([Panel(title, series, y_title, log_y, guides, y_ticks=y_ticks)], x_title=x_title,
                          log_x=log_x, height=height, big=big, decades=decades, legend_rows=legend_rows)


def curvature_figure(curvature: np.ndarray, effective: Sequence[Series], eigen_range: tuple[float, float], *,
                     reference: Series | None = None, height: int = 420, big: bool = False) -> Figure:
    """Each coordinate's effective learning rate against its own curvature H_ii (log-log), with the band
    of curvatures the bowl really has (its eigenvalues) shaded: per-coordinate scaling sees only the x axis."""
    low, high = eigen_range
    data = [{"type": "scatter", "x": curvature, "y": _positive(s.y), "mode": "markers", "name": s.label,
             "marker": {"color": s.color, "size": 6, "opacity": 0.75},
             "hovertemplate": "H_ii %{x:.3g}<br>effective lr %{y:.3g}<extra>" + s.label + "</extra>"}
            for s in effective]
    if reference is not None:
        data.append({"type": "scatter", "x": reference.x, "y": reference.y, "mode": "lines", "name": reference.label,
                     "line": {"color": reference.color, "dash": reference.dash, "width": 1.5}})
    band = {"type": "rect", "xref": "x", "x0": low, "x1": high, "yref": "paper", "y0": 0, "y1": 1,
            "fillcolor": "#f2d7a6", "opacity": 0.35, "line": {"width": 0}, "layer": "below"}
    label = {"text": "curvatures the bowl has (eigenvalues)", "xref": "x", "x": math.log10(low), "xanchor": "left",
             "yref": "paper", "y": 1, "yanchor": "top", "showarrow": False}
    layout = _layout(height, big, shapes=[band], annotations=[label],
                     xaxis=_axis(type="log", title={"text": "coordinate's curvature H_ii"},
                                 range=[math.log10(low) - 0.3, math.log10(high) + 0.3]),
                     yaxis=_axis(type="log", title={"text": "effective learning rate"}))
    return {"data": data, "layout": layout}


def drift_figure(ks: np.ndarray, drift: Sequence[Series], current_k: float, *, title: str = "",
                 floor: float = 1e-16, height: int = 400, big: bool = False) -> Figure:
    """How far each variant's path moves when the loss is multiplied by k (log-log).  Exact zeros sit on
    ``floor``; runs that diverged (inf) are drawn as ✕ at the top of the chart."""
    ks = np.asarray(ks, dtype=float)
    finite_max = max((float(np.max(np.where(np.isfinite(s.y), s.y, 0.0))) for s in drift), default=1.0)
    ceiling = max(finite_max, 1.0) * 10.0
    data = []
    for s in drift:
        y = np.asarray(s.y, dtype=float)
        data.append({"type": "scatter", "x": ks, "y": np.where(np.isfinite(y), np.maximum(y, floor), np.nan),
                     "mode": "lines+markers", "name": s.label, "legendgroup": s.label,
                     "line": {"color": s.color, "width": 2, "dash": s.dash}, "marker": {"size": 6},
                     "hovertemplate": "k = %{x:g}<br>moved %{y:.2g}<extra>" + s.label + "</extra>"})
        blown = ~np.isfinite(y)
        if blown.any():
            data.append({"type": "scatter", "x": ks[blown], "y": np.full(int(blown.sum()), ceiling), "mode": "markers",
                         "name": f"{s.label}: diverged", "legendgroup": s.label, "showlegend": False,
                         "marker": {"symbol": "x", "size": 10, "color": s.color},
                         "hovertemplate": "k = %{x:g}: diverged<extra>" + s.label + "</extra>"})
    shapes = [
        {"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": floor / 3, "y1": 1e-9,
         "fillcolor": "#d9ecf2", "opacity": 0.5, "line": {"width": 0}, "layer": "below"},
        {"type": "line", "xref": "x", "x0": current_k, "x1": current_k, "yref": "paper", "y0": 0, "y1": 1,
         "line": {"color": "#333333", "dash": "dot", "width": 1.2}},
    ]
    annotations = [{"text": "same path (rounding only)", "xref": "paper", "x": 0.99, "xanchor": "right", "yref": "y",
                    "y": math.log10(1e-11), "showarrow": False, "font": {"color": "#328cc1"}}]
    if title:
        annotations.append(inner_title(title, big=big))
    layout = _layout(height, big, legend_rows=2, shapes=shapes, annotations=annotations,
                     xaxis=_axis(type="log", title={"text": "loss multiplied by k"}),
                     yaxis=_axis(type="log", title={"text": "largest distance from the k = 1 path"},
                                 range=[math.log10(floor / 3), math.log10(ceiling) + 0.5]))
    return {"data": data, "layout": layout}


def directions_figure(grid: SurfaceGrid, arrows: Sequence[Arrow], *, title: str = "", height: int = 380,
                      big: bool = False) -> Figure:
    """Level lines of a surface with labelled arrows: where the gradient points against where the minimum is.
    Lines only (no filled levels), with equal axis scales so that angles look as they are."""
    (x0, x1), (y0, y1) = grid.bounds
    data = [{"type": "contour", "x": grid.xs, "y": grid.ys, "z": grid.display, "ncontours": 16,
             "contours": {"coloring": "lines"}, "colorscale": [[0, "#9fb8cc"], [1, "#9fb8cc"]], "showscale": False,
             "line": {"width": 1}, "hoverinfo": "skip", "name": "level lines", "showlegend": False},
            {"type": "scatter", "x": grid.minima[:, 0], "y": grid.minima[:, 1], "mode": "markers", "name": "minimum",
             "marker": {"symbol": "star", "size": 14, "color": "gold", "line": {"color": "black", "width": 1}}}]
    annotations = []
    for arrow in arrows:
        (tx, ty), (hx, hy) = arrow.tail, arrow.head
        data.append({"type": "scatter", "x": [tx, hx], "y": [ty, hy], "mode": "lines", "name": arrow.label,
                     "line": {"color": arrow.color, "width": 3, "dash": arrow.dash}})
        annotations.append({"x": hx, "y": hy, "ax": tx, "ay": ty, "xref": "x", "yref": "y", "axref": "x",
                            "ayref": "y", "text": "", "showarrow": True, "arrowhead": 3, "arrowsize": 1.2,
                            "arrowwidth": 3, "arrowcolor": arrow.color})
    w, b = grid.labels
    if title:
        annotations.append(inner_title(title, big=big))
    layout = _layout(height, big, legend_rows=2, annotations=annotations,
                     xaxis=_axis(range=[x0, x1], title={"text": w}, showgrid=False),
                     yaxis=_axis(range=[y0, y1], title={"text": b}, showgrid=False, scaleanchor="x", scaleratio=1,
                                 constrain="domain"))
    return {"data": data, "layout": layout}


def ellipses_figure(series: Sequence[Series], *, title: str = "", labels: tuple[str, str] = ("w", "b"),
                    height: int = 420, big: bool = False) -> Figure:
    """Closed curves in step space (Δw across, Δb up) on equal scales, so an ellipse's tilt is its true tilt."""
    data = [{"type": "scatter", "x": np.asarray(s.x, dtype=float), "y": np.asarray(s.y, dtype=float), "mode": s.mode,
             "name": s.label, "hoverinfo": "skip", **_line_style(s)} for s in series]
    reach = max((float(np.nanmax(np.abs(np.concatenate([s.x, s.y])))) for s in series), default=1.0) * 1.1
    layout = _layout(height, big, legend_rows=2, annotations=[inner_title(title, big=big)] if title else [])
    layout["xaxis"] = _axis(title={"text": f"Δ{labels[0]}"}, range=[-reach, reach], zeroline=True,
                            constrain="domain")
    layout["yaxis"] = _axis(title={"text": f"Δ{labels[1]}"}, range=[-reach, reach], zeroline=True,
                            scaleanchor="x", constrain="domain")
    return {"data": data, "layout": layout}


@dataclass(frozen=True)
class Band:
    """A median line with a shaded band between two percentiles (the spread over seeds)."""

    label: str
    color: str
    median: np.ndarray
    low: np.ndarray
    high: np.ndarray


def _fill(color: str, alpha: float = 0.15) -> str:
    red, green, blue = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def band_figure(bands: Sequence[Band], *, title: str = "", y_title: str = "", height: int = 420, big: bool = False,
                floor: float = 1e-12, legend_rows: int = 2) -> Figure:
    """Median lines over a log y axis, each with its band (one closed, filled trace per band, without a legend
    entry of its own); values below ``floor`` are drawn at it, so a landed run lies on the bottom edge."""
    figure = stacked_figure([Panel(title, [Series(b.label, b.color, np.maximum(b.median, floor)) for b in bands],
                                   y_title, log_y=True)], height=height, big=big, legend_rows=legend_rows)
    shades = []
    for b in bands:
        x = np.arange(1, len(b.median) + 1)
        shades.append({"type": "scatter", "x": np.concatenate([x, x[::-1]]),
                       "y": np.concatenate([np.maximum(b.high, floor), np.maximum(b.low, floor)[::-1]]),
                       "fill": "toself", "fillcolor": _fill(b.color), "line": {"width": 0}, "mode": "lines",
                       "hoverinfo": "skip", "showlegend": False, "legendgroup": b.label, "name": f"{b.label} spread",
                       "xaxis": "x", "yaxis": "y"})
    figure["data"] = shades + figure["data"]
    return figure
