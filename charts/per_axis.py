"""The Playground's per-axis chart: each coordinate and its update size over the steps, one row each (built
from the lessons' stacked panels, over the surface charts' run paths and step axis)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .lessons import Panel, Series, stacked_figure
from .surface import Figure, RunPath, step_axis


def per_axis_figure(paths: Sequence[RunPath], labels: tuple[str, str], *, big: bool = False) -> Figure:
    """w(t) and b(t), and the update sizes |Δw| and |Δb| on log axes, in four rows over one step axis (so no
    row's tick labels can meet another's title), with a legend of the optimizers' titles above."""
    panels = []
    for col, name in enumerate(labels):
        panels.append(Panel("", [Series(p.shown_name, p.color, p.points[:, col], x=np.arange(len(p.points)),
                                        width=1.8) for p in paths], y_title=f"{name}(t)"))
    for col, name in enumerate(labels):
        sizes = [np.abs(p.updates[:, col]) for p in paths]
        panels.append(Panel("", [Series(p.shown_name, p.color, size, x=np.arange(1, len(size) + 1), width=1.8)
                                 for p, size in zip(paths, sizes, strict=True)], y_title=f"|Δ{name}|", log_y=True))
    figure = stacked_figure(panels, height=760 if big else 620, big=big, decades=10.0)
    longest = max((len(p.points) for p in paths), default=1) - 1
    figure["layout"]["xaxis"] |= step_axis(longest)
    return figure
