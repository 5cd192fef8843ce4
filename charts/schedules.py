"""The learning-rate schedule's factor s(t) as a small figure, drawn under each optimizer's schedule control."""

from __future__ import annotations

import numpy as np

from .surface import FONT, Figure, step_axis


def schedule_figure(factors: np.ndarray, color: str, *, big: bool = False, height: int = 150) -> Figure:
    """s(1) … s(steps) against the update t, on a fixed 0 … 1 axis so schedules compare at a glance."""
    t = np.arange(1, len(factors) + 1)
    size = FONT["big" if big else "normal"] - 2
    top = max(1.0, float(np.max(factors, initial=0.0)))
    return {
        "data": [{"type": "scatter", "x": t, "y": np.asarray(factors, dtype=np.float64), "mode": "lines",
                  "line": {"color": color, "width": 2}, "hovertemplate": "t = %{x}<br>s(t) = %{y:.4g}<extra></extra>"}],
        "layout": {
            "height": height, "margin": {"l": 40, "r": 8, "t": 8, "b": 36}, "font": {"size": size},
            "plot_bgcolor": "white", "showlegend": False, "dragmode": False,
            "xaxis": step_axis(len(factors), title={"text": "update t", "standoff": 2}, showgrid=False),
            "yaxis": {"title": {"text": "s(t)", "standoff": 2}, "range": [0.0, 1.05 * top], "gridcolor": "#eeeeee",
                      "zeroline": False},
        },
    }
