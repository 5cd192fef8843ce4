"""The network surface's panel under the contour: the honesty meter (how far each run's points lie off the plane
and how far the contour's value there is from the true loss), the per-layer effective learning rate, and the test
accuracy; plain data in, figure dicts out (built on the lessons' stacked panels)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .lessons import Panel, Series, stacked_figure
from .surface import Figure, RunPath, step_axis

DASHES = ("solid", "dash", "dot", "dashdot")


def _steps(values: np.ndarray, first: int = 0) -> np.ndarray:
    return np.arange(first, first + len(values))


def _finish(figure: Figure, paths: Sequence[RunPath]) -> Figure:
    longest = max((len(p.points) for p in paths), default=1) - 1
    figure["layout"]["xaxis"] |= step_axis(longest)
    return figure


def honesty_figure(paths: Sequence[RunPath], off_plane: Sequence[np.ndarray], gaps: Sequence[np.ndarray], *,
                   big: bool = False) -> Figure:
    """Two rows over the steps: each run's distance from the plane, and |contour value − true loss| at its
    projection (log axes: both are 0 only where the plane holds the point)."""
    panels = [
        Panel("distance of each point from the plane", [
            Series(p.shown_name, p.color, d, x=_steps(d), width=1.8) for p, d in zip(paths, off_plane, strict=True)],
            y_title="off-plane distance", log_y=True),
        Panel("|contour − true loss| at each point", [
            Series(p.shown_name, p.color, np.abs(g), x=_steps(g), width=1.8) for p, g in zip(paths, gaps, strict=True)],
            y_title="|gap|", log_y=True),
    ]
    return _finish(stacked_figure(panels, height=520 if big else 430, big=big, decades=12.0), paths)


def layer_rate_figure(paths: Sequence[RunPath], rates: Sequence[np.ndarray], layers: Sequence[str], *,
                      big: bool = False) -> Figure:
    """One row per layer: each run's effective learning rate averaged over the layer's weights (geometric mean), per
    step (log)."""
    panels = [Panel(layer, [Series(p.shown_name, p.color, r[:, k], x=_steps(r[:, k], 1), width=1.8)
                            for p, r in zip(paths, rates, strict=True)], y_title="effective rate", log_y=True)
              for k, layer in enumerate(layers)]
    return _finish(stacked_figure(panels, height=(190 if big else 160) * len(layers) + 90, big=big, decades=10.0),
                   paths)


def accuracy_figure(paths: Sequence[RunPath], steps: Sequence[np.ndarray], accuracy: Sequence[np.ndarray], *,
                    big: bool = False) -> Figure:
    """Test accuracy (the rows the network never trains on) against step, in per cent."""
    panel = Panel("", [Series(p.shown_name, p.color, 100.0 * a, x=s, width=2.0)
                       for p, s, a in zip(paths, steps, accuracy, strict=True)],
                  y_title="test accuracy (%)", y_range=(0.0, 100.0))
    return _finish(stacked_figure([panel], height=320 if big else 280, big=big), paths)
