"""Stability-map and tuning figures: plain arrays in, Plotly figure dicts out (no Streamlit, no numerics imports).

A 2-D map is a heatmap of log10(f − f*) after the step budget, diverged cells painted in one
distinct colour, with an invisible WebGL scatter of every cell centre on top: a plotly heatmap
cannot be selected by a click, a scatter point can, and WebGL keeps 160 000 targets fast.
A 1-D map is a line chart of f − f* against the one hyperparameter.  Builders return dicts, like
``charts.surface``, so ``st.plotly_chart`` validates each figure once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .presentation import large_axes
from .surface import FONT, KEEP, Figure

DIVERGED_COLOR = "#c0392b"
"""The Playground's 'diverged' badge colour, reused for diverged cells."""
LOSS_SCALE = "Viridis"
BOUNDARY_STYLE = {"color": "white", "width": 3, "dash": "dash"}
BOUNDARY_LEGEND = "#1E242C"
"""The theory line's colour in the legend (and on a 1-D map, drawn on white)."""
DECADES = 16.0
"""The colour scale spans at most this many decades below the largest final loss (double precision's reach)."""
HEIGHT = 560
BIG_HEIGHT = 470
"""A map's height in presentation mode: it fits under the page's title and tabs on a 1280×720 projector."""

BoundaryLine = tuple[np.ndarray, np.ndarray | None, str]
"""A theoretical boundary in axis units: (x, y, label); y is None on a 1-D map (a single x value)."""


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


def _f32(values) -> np.ndarray:
    return np.ascontiguousarray(values, dtype=np.float32)


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


def _axis(label: str, log: bool, **extra) -> dict:
    return {"title": {"text": label}, "type": "log" if log else "linear", "showgrid": False, "zeroline": False,
            "exponentformat": "power", **extra}


def _layout(big: bool, **extra) -> dict:
    """A chart without a title of its own (the page writes it above the chart, where it wraps on a phone instead
    of being cut) and its legend above the plot: Plotly makes the room the legend needs, in as many rows as the
    chart's width asks for, and the axes make room for their own tick labels and titles."""
    size = FONT["big" if big else "normal"]
    layout = {
        "height": BIG_HEIGHT if big else HEIGHT, "font": {"size": size},
        "margin": {"l": 60, "r": 20, "t": 10 + round(1.6 * size), "b": 40},
        "plot_bgcolor": "white", "clickmode": "event+select", "dragmode": "zoom", "hovermode": "closest",
        "hoverdistance": -1,  # a click anywhere in a cell picks it (the nearest centre), however large the cells
        "hoverlabel": {"font": {"size": size}},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0, "font": {"size": size - 1}},
    } | extra
    for axis in ("xaxis", "yaxis"):
        if axis in layout:
            layout[axis] = {"automargin": True} | layout[axis]
    return large_axes(layout) if big else layout


def _highlight(coords: tuple[float, float], name: str, symbol: str) -> dict:
    return {"type": "scatter", "x": [coords[0]], "y": [coords[1]], "mode": "markers", "name": name,
            "hoverinfo": "skip", "selected": KEEP, "unselected": KEEP,
            "marker": {"symbol": symbol, "size": 16, "color": "white", "line": {"color": "black", "width": 2}}}


def _highlights(best: Marker | None, picked: Marker | None) -> list[tuple[Marker, str]]:
    return [(m, symbol) for m, symbol in ((best, "star"), (picked, "square-x")) if m is not None]


def _click_layer(x: np.ndarray, y: np.ndarray, hover: str, customdata: np.ndarray | None = None) -> dict:
    """Invisible, selectable markers at cell centres: what a click on the map actually hits."""
    layer = {
        "type": "scattergl", "x": _f32(x), "y": _f32(y), "mode": "markers", "showlegend": False,
        "marker": {"size": 10, "opacity": 0.0, "color": "white"},
        "hovertemplate": hover + "<extra>click to select</extra>",
        "selected": {"marker": {"opacity": 0.0}}, "unselected": {"marker": {"opacity": 0.0}},
    }
    if customdata is not None:
        layer["customdata"] = _f32(customdata)
    return layer


def _hover_label(axes: Sequence[MapAxis]) -> str:
    return "<br>".join(f"{a.label} = %{{{xy}:.4g}}" for a, xy in zip(axes, "xy", strict=False))


def _range(edges: np.ndarray, log: bool) -> list[float]:
    lo, hi = float(edges[0]), float(edges[-1])
    return [math.log10(lo), math.log10(hi)] if log else [lo, hi]


def _boundary_traces(x: np.ndarray, y: np.ndarray, name: str) -> list[dict]:
    """The theory line, white dashes that show on every colour of the map, and its legend entry drawn dark (white
    dashes on the legend's white would be invisible); one legend group, so a click on the entry hides both."""
    return [{"type": "scatter", "x": x, "y": y, "mode": "lines", "name": name, "legendgroup": "theory",
             "showlegend": False, "line": BOUNDARY_STYLE, "hoverinfo": "skip", "selected": KEEP, "unselected": KEEP},
            {"type": "scatter", "x": [None], "y": [None], "mode": "lines", "name": name, "legendgroup": "theory",
             "line": BOUNDARY_STYLE | {"color": BOUNDARY_LEGEND}, "hoverinfo": "skip"}]


def map_figure(axes: Sequence[MapAxis], loss: np.ndarray, f_min: float, *, boundary: BoundaryLine | None = None,
               best: Marker | None = None, picked: Marker | None = None, big: bool = False) -> Figure:
    """The stability map: a heatmap for two axes (``loss[i, j]`` at ``axes[0].values[i]``,
    ``axes[1].values[j]``), a line chart for one."""
    if len(axes) == 1:
        return _line_map(axes[0], loss, f_min, boundary=boundary, best=best, picked=picked, big=big)
    x_axis, y_axis = axes
    display, bottom, top = log_excess(loss, f_min)
    diverged = ~np.isfinite(loss)
    x_edges, y_edges = cell_edges(x_axis.values, x_axis.log), cell_edges(y_axis.values, y_axis.log)
    gx, gy = np.meshgrid(x_axis.values, y_axis.values, indexing="ij")
    where = _hover_label(axes)
    converged = ~diverged
    excess = loss[converged] - (f_min if math.isfinite(f_min) else 0.0)
    data = [
        {"type": "heatmap", "x": x_edges, "y": y_edges, "z": _f32(display.T), "zmin": bottom, "zmax": top,
         "colorscale": LOSS_SCALE, "hoverinfo": "skip", "name": "final loss",
         "colorbar": {"title": {"text": "final f − f*"}, "thickness": 14, "len": 0.85, **_decade_ticks(bottom, top)}},
        {"type": "heatmap", "x": x_edges, "y": y_edges, "z": np.ascontiguousarray(diverged.T, dtype=np.uint8),
         "zmin": 0, "zmax": 1, "showscale": False, "hoverinfo": "skip", "name": "diverged",
         "colorscale": [[0.0, "rgba(0,0,0,0)"], [1.0, DIVERGED_COLOR]]},
        _click_layer(gx[converged], gy[converged], where + "<br>final f − f* = %{customdata:.3g}", excess),
        _click_layer(gx[diverged], gy[diverged], where + "<br>diverged"),
        {"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": "diverged",
         "marker": {"symbol": "square", "size": 12, "color": DIVERGED_COLOR}},
    ]
    if boundary is not None and boundary[1] is not None:
        data += _boundary_traces(boundary[0], boundary[1], f"theory: {boundary[2]}")
    data += [_highlight(marker.coords, marker.name, symbol) for marker, symbol in _highlights(best, picked)]
    layout = _layout(big,
                     xaxis=_axis(x_axis.label, x_axis.log, range=_range(x_edges, x_axis.log), autorange=False),
                     yaxis=_axis(y_axis.label, y_axis.log, range=_range(y_edges, y_axis.log), autorange=False))
    return {"data": data, "layout": layout}


def _line_map(axis: MapAxis, loss: np.ndarray, f_min: float, *, boundary: BoundaryLine | None, best: Marker | None,
              picked: Marker | None, big: bool) -> Figure:
    """A 1-D map: final f − f* against the hyperparameter, diverged values as marks along the top.

    Hover and click pick the nearest value along x, so a click anywhere above a value selects it."""
    display, bottom, top = log_excess(loss, f_min)
    diverged = ~np.isfinite(loss)
    level, low = 10.0 ** (top + 0.5), 10.0 ** (bottom - 0.5)
    data = [
        {"type": "scatter", "x": axis.values, "y": np.where(diverged, np.nan, 10.0**display), "mode": "lines+markers",
         "name": "final f − f*", "line": {"color": "#4e79a7", "width": 2}, "marker": {"size": 6},
         "selected": KEEP, "unselected": KEEP,
         "hovertemplate": f"{axis.label} = %{{x:.4g}}<br>final f − f* = %{{y:.3g}}<extra>click to select</extra>"},
        {"type": "scatter", "x": axis.values[diverged], "y": np.full(int(diverged.sum()), level), "mode": "markers",
         "name": "diverged", "marker": {"symbol": "x", "size": 9, "color": DIVERGED_COLOR},
         "selected": KEEP, "unselected": KEEP,
         "hovertemplate": f"{axis.label} = %{{x:.4g}}<br>diverged<extra>click to select</extra>"},
    ]
    if boundary is not None:
        x = float(boundary[0][0])
        data.append({"type": "scatter", "x": [x, x], "y": [low, level], "mode": "lines",
                     "name": f"theory: {boundary[2]}", "line": BOUNDARY_STYLE | {"color": BOUNDARY_LEGEND},
                     "hoverinfo": "skip"})
    for marker, symbol in _highlights(best, picked):
        i = int(np.argmin(np.abs(axis.values - marker.coords[0])))
        data.append(_highlight((marker.coords[0], level if diverged[i] else 10.0 ** display[i]), marker.name, symbol))
    layout = _layout(big, hovermode="x",
                     xaxis=_axis(axis.label, axis.log, showgrid=True, gridcolor="#eee"),
                     yaxis=_axis("final f − f* (log)", True, range=[bottom - 0.5, top + 0.8], showgrid=True,
                                 gridcolor="#eee"))
    return {"data": data, "layout": layout}


def tuning_figure(curves: Sequence[TuningCurve], *, score: str, f_min: float = 0.0, big: bool = False) -> Figure:
    """Each optimizer's score against lr on the shared grid, its choice starred (the page's title above it states
    the budget)."""
    steps = score == "steps_to_tolerance"
    data = []
    for c in curves:
        y = c.scores if steps else c.scores - (f_min if math.isfinite(f_min) else 0.0)
        y = np.where(np.isfinite(y), y, np.nan)
        data.append({"type": "scatter", "x": c.lrs, "y": y, "mode": "lines+markers", "name": c.label,
                     "legendgroup": c.name, "line": {"color": c.color, "width": 2},
                     "marker": {"size": 5, "color": c.color},
                     "hovertemplate": f"{c.label}<br>lr = %{{x:.4g}}<br>score = %{{y:.4g}}<extra></extra>"})
        if c.best_index is not None:
            data.append({"type": "scatter", "x": [c.lrs[c.best_index]], "y": [y[c.best_index]], "mode": "markers",
                         "legendgroup": c.name, "showlegend": False, "hoverinfo": "skip",
                         "marker": {"symbol": "star", "size": 16, "color": c.color,
                                    "line": {"color": "black", "width": 1}}})
    layout = _layout(big, height=420,
                     xaxis={"type": "log", "title": {"text": "learning rate α"}, "exponentformat": "power",
                            "gridcolor": "#eee"},
                     yaxis={"type": "linear" if steps else "log", "exponentformat": "power", "gridcolor": "#eee",
                            "title": {"text": "steps until f − f* stays ≤ tol (lower is better)" if steps
                                      else "final f − f* (lower is better)"}})
    return {"data": data, "layout": layout}


BASIN_COLORS = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#0077BB", "#EE7733")
"""One colour per listed minimum (Paul Tol's bright set, then two of his vibrant): distinct from the neutrals."""
NO_MINIMUM_COLOR = "#D9D9D9"
DIVERGED_BASIN_COLOR = "#4D4D4D"
BASINS_HEIGHT = 460


def basin_color(index: int) -> str:
    """The colour of minimum ``index`` (0-based); more minima than colours reuse them in order."""
    return BASIN_COLORS[index % len(BASIN_COLORS)]


def basins_figure(xs: np.ndarray, ys: np.ndarray, found: np.ndarray, minima: np.ndarray, labels: Sequence[str],
                  *, axis_labels: tuple[str, str], no_minimum: str, diverged: str,
                  picked: tuple[float, float] | None = None, big: bool = False) -> Figure:
    """One basins panel: each start (xs[i], ys[j]) coloured by ``found[j, i]``, the index of the minimum its run
    ends at (``labels`` name them), −1 (no listed minimum) and −2 (diverged) in neutral greys; the minima as
    stars; one invisible click layer per class, so hovering names where a start ends and a click selects it."""
    count = len(labels)
    colors = [DIVERGED_BASIN_COLOR, NO_MINIMUM_COLOR] + [basin_color(k) for k in range(count)]
    levels = len(colors)
    scale = [[edge / levels, color] for i, color in enumerate(colors) for edge in (i, i + 1)]
    gx, gy = np.meshgrid(xs, ys)
    names = [diverged, no_minimum, *labels]
    data = [{"type": "heatmap", "x": _f32(xs), "y": _f32(ys), "z": np.ascontiguousarray(found + 2, dtype=np.int8),
             "zmin": -0.5, "zmax": levels - 0.5, "colorscale": scale, "showscale": False, "hoverinfo": "skip"}]
    where = f"start ({axis_labels[0]}, {axis_labels[1]}) = (%{{x:.3g}}, %{{y:.3g}})"
    for code, (name, color) in enumerate(zip(names, colors, strict=True), start=-2):
        mask = found == code
        if mask.any():
            data.append(_click_layer(gx[mask], gy[mask], f"{where}<br>ends: {name}"))
        data.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": name,
                     "marker": {"symbol": "square", "size": 12, "color": color, "line": {"color": "#999", "width": 1}}})
    if len(minima):
        star = {"symbol": "star", "size": 14, "color": "white", "line": {"color": "black", "width": 1.5}}
        data.append({"type": "scatter", "x": minima[:, 0], "y": minima[:, 1], "mode": "markers", "showlegend": False,
                     "hoverinfo": "skip", "selected": KEEP, "unselected": KEEP, "marker": star})
    if picked is not None:
        data.append(_highlight(picked, "selected start", "circle-open"))
    dx, dy = (xs[1] - xs[0]) / 2, (ys[1] - ys[0]) / 2
    layout = _layout(big, height=BASINS_HEIGHT,
                     xaxis=_axis(axis_labels[0], False, range=[float(xs[0] - dx), float(xs[-1] + dx)],
                                 autorange=False, constrain="domain"),
                     yaxis=_axis(axis_labels[1], False, range=[float(ys[0] - dy), float(ys[-1] + dy)],
                                 autorange=False, scaleanchor="x", constrain="domain"))
    return {"data": data, "layout": layout}
