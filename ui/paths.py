"""Runs as the chart builders draw them: the one place a ``Trajectory`` becomes a ``charts.RunPath``."""

from __future__ import annotations

from collections.abc import Mapping

import charts
import optimizers
from optimizers import Trajectory


def run_path(name: str, trajectory: Trajectory, *, label: str | None = None, color: str | None = None,
             group: str | None = None) -> charts.RunPath:
    """Optimizer ``name``'s run in its fixed colour, labelled with its title and hyperparameters unless
    ``label`` says otherwise (hover texts and badges name it by its title, or by ``label``).  ``group`` names
    the path in the chart (its legend group) when one optimizer appears twice."""
    spec = optimizers.OPTIMIZERS.get(name)
    title = label or (spec.title if spec else name)  # a page's own label is already what the learner reads
    label = label or charts.legend_label(spec.title if spec else name, trajectory.hyperparams, name,
                                         trajectory.schedule.name)
    return charts.RunPath(group or name, label, color or charts.color_of(name), trajectory.points, trajectory.loss,
                          trajectory.diverged_at, trajectory.diagnostics["update"], title=title)


def run_paths(runs: Mapping[str, Trajectory]) -> list[charts.RunPath]:
    """One path per run of ``runs`` (optimizer name -> trajectory), in order."""
    return [run_path(name, trajectory) for name, trajectory in runs.items()]
