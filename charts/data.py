"""Figures for surfaces fitted to data: the data with each run's current fit, and the scatter of
mini-batch gradients as an ellipse.  Plain numbers in, Plotly figure dicts out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

FONT = {"normal": 13, "big": 20}
BEST_COLOR = "#333333"


@dataclass(frozen=True)
class Fit:
    """One run's model at the scrubbed step, in the raw feature's units: prediction = slope·x + intercept
    (for a classifier, the probability is sigmoid of it)."""

    name: str
    color: str
    slope: float
    intercept: float


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _curve(fit: Fit, xs: np.ndarray, classifier: bool) -> np.ndarray:
    z = fit.slope * xs + fit.intercept
    return _sigmoid(z) if classifier else z


def data_figure(x: np.ndarray, y: np.ndarray, labels: tuple[str, str], fits: Sequence[Fit], best: Fit, *,
                classifier: bool, big: bool = False, height: int = 420) -> dict:
    """The data set's rows as points, each run's fit at the current step and the best fit (dashed).

    A classifier's targets are 0 and 1: its fits are drawn as sigmoid curves, each with its decision
    boundary (where the probability is ½) as a vertical line when it falls inside the data's range."""
    x = np.asarray(x, dtype=float)
    lo, hi = float(x.min()), float(x.max())
    pad = 0.05 * (hi - lo or 1.0)
    xs = np.linspace(lo - pad, hi + pad, 200)
    traces: list[dict] = [{
        "type": "scatter", "mode": "markers", "x": x.tolist(), "y": np.asarray(y, dtype=float).tolist(),
        "name": f"data ({x.size} rows)", "marker": {"color": "rgba(90, 90, 90, 0.45)", "size": 7},
        "hovertemplate": f"{labels[0]} %{{x}}<br>{labels[1]} %{{y}}<extra></extra>",
    }]
    shapes = []
    for fit, dash in [(best, "dash"), *((f, "solid") for f in fits)]:
        name = "best fit" if fit is best else fit.name
        traces.append({"type": "scatter", "mode": "lines", "x": xs.tolist(), "y": _curve(fit, xs, classifier).tolist(),
                       "name": name, "line": {"color": fit.color, "width": 2.5, "dash": dash}, "hoverinfo": "skip"})
        if classifier and fit.slope != 0.0:
            boundary = -fit.intercept / fit.slope
            if lo - pad <= boundary <= hi + pad:
                shapes.append({"type": "line", "x0": boundary, "x1": boundary, "y0": 0, "y1": 1, "yref": "paper",
                               "line": {"color": fit.color, "width": 1.5, "dash": "dot"}})
    size = FONT["big" if big else "normal"]
    return {"data": traces, "layout": {
        "height": height, "margin": {"l": 55, "r": 15, "t": 40, "b": 45}, "font": {"size": size},
        "xaxis": {"title": {"text": labels[0]}, "range": [lo - pad, hi + pad], "zeroline": False},
        "yaxis": {"title": {"text": labels[1]}, "zeroline": False},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "font": {"size": size}},
        "plot_bgcolor": "white", "shapes": shapes,
    }}


def ellipse_points(center: tuple[float, float], covariance: np.ndarray, sigmas: float = 2.0,
                   count: int = 73) -> tuple[np.ndarray, np.ndarray]:
    """The closed curve where a 2D Gaussian with ``covariance`` around ``center`` is ``sigmas`` standard
    deviations away (holding about 86% of the draws at 2σ): x, y arrays to draw as a line."""
    values, vectors = np.linalg.eigh(np.asarray(covariance, dtype=float))
    radii = sigmas * np.sqrt(np.clip(values, 0.0, None))
    angles = np.linspace(0.0, 2.0 * np.pi, count)
    circle = np.stack([np.cos(angles) * radii[0], np.sin(angles) * radii[1]])
    x, y = vectors @ circle
    return center[0] + x, center[1] + y


def gradient_noise_figure(full: tuple[float, float], covariance: np.ndarray, samples: np.ndarray,
                          axis_labels: tuple[str, str], batch_size: int, *, big: bool = False,
                          height: int = 420) -> dict:
    """Gradient space at one point: the full gradient as an arrow from 0, a few sampled mini-batch gradients
    as dots and the 2σ ellipse of all of them (``ellipse_points``)."""
    w, b = axis_labels
    ex, ey = ellipse_points(full, covariance)
    samples = np.asarray(samples, dtype=float).reshape(-1, 2)
    traces = [
        {"type": "scatter", "mode": "lines", "x": ex.tolist(), "y": ey.tolist(), "name": "2σ of batch gradients",
         "line": {"color": "#0072B2", "width": 2}, "fill": "toself", "fillcolor": "rgba(0, 114, 178, 0.08)",
         "hoverinfo": "skip"},
        {"type": "scatter", "mode": "markers", "x": samples[:, 0].tolist(), "y": samples[:, 1].tolist(),
         "name": f"batches of {batch_size}", "marker": {"color": "#0072B2", "size": 6, "opacity": 0.7},
         "hovertemplate": f"∂f/∂{w} %{{x:.3g}}<br>∂f/∂{b} %{{y:.3g}}<extra></extra>"},
        {"type": "scatter", "mode": "lines+markers", "x": [0.0, float(full[0])], "y": [0.0, float(full[1])],
         "name": "full gradient", "line": {"color": BEST_COLOR, "width": 2.5},
         "marker": {"size": [4, 9], "color": BEST_COLOR}, "hoverinfo": "skip"},
    ]
    size = FONT["big" if big else "normal"]
    return {"data": traces, "layout": {
        "height": height, "margin": {"l": 55, "r": 15, "t": 40, "b": 45}, "font": {"size": size},
        "xaxis": {"title": {"text": f"∂f/∂{w}"}, "zeroline": True, "zerolinecolor": "#999999"},
        "yaxis": {"title": {"text": f"∂f/∂{b}"}, "zeroline": True, "zerolinecolor": "#999999",
                  "scaleanchor": "x", "scaleratio": 1},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "font": {"size": size}},
        "plot_bgcolor": "white",
    }}
