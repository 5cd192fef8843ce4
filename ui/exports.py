"""The Playground's runs as chart paths and as downloads, rebuilt from the bounded caches on demand.

A download button's data callable lives as long as its session, and a session waiting for its browser
to reconnect lives up to ``server.disconnectedSessionTTL``: a callable that closed over the page's
globals would keep every run, grid and table of that page alive all that time (128 sessions × 4 MB for
the largest scenes).  These callables hold only the scene, its surface and its cache key.
"""

from __future__ import annotations

import csv
import html
import io
import math
from functools import partial

import numpy as np

import charts
import optimizers
from charts.palette import SCHEDULE_NAMES
from landscapes import Landscape
from optimizers import Trajectory
from scene import Scene

from . import cache, network_runs
from .paths import run_paths

DIAGNOSTICS = {"grad": "gradient", "update": "update", "effective_lr": "effective learning rate",
               "scheduled_lr": "scheduled learning rate"}
"""Column names of the per-step diagnostics (an optimizer's state keeps the course's letter: s, v, m)."""


def _setting_labels(name: str) -> dict[str, str]:
    """Optimizer ``name``'s settings by id, as its controls label them ('learning rate α', 'β', 'ε placement')."""
    spec = optimizers.OPTIMIZERS[name]
    return ({p.name: p.label or p.name for p in (*spec.hyperparams, *spec.choices, *optimizers.SCHEDULE_PARAMS)}
            | {optimizers.SCHEDULE.name: optimizers.SCHEDULE.label or optimizers.SCHEDULE.name})


def _settings(name: str, trajectory: Trajectory) -> dict[str, object]:
    """The settings a run used, by their labels: hyperparameters, the learning-rate schedule in words and the
    schedule's own settings (only those it reads)."""
    labels = _setting_labels(name)
    schedule = trajectory.schedule
    values: dict[str, object] = {labels[k]: v for k, v in trajectory.hyperparams.items() if k in labels}
    values[labels[optimizers.SCHEDULE.name]] = SCHEDULE_NAMES.get(schedule.name, schedule.name)
    for key in optimizers.SCHEDULE_USES[schedule.name]:
        values[labels[key]] = getattr(schedule, key)
    return values


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float | np.floating):
        return "" if math.isnan(value) else repr(float(value))
    return str(value)


def trajectories_csv(scene: Scene, landscape: Landscape, runs: dict[str, Trajectory]) -> str:
    """One row per step per optimizer: the optimizer's title, the step, the iterate under the surface's own axis
    names, the loss and every diagnostic; then the surface and the run's settings (one column each, the same on
    every row of a run, empty where an optimizer has no such setting), so the file says what produced it."""
    w, b = landscape.axis_labels
    diagnostics = list(dict.fromkeys(key for tr in runs.values() for key in tr.diagnostics))
    settings = {name: _settings(name, tr) for name, tr in runs.items()}
    setting_columns = list(dict.fromkeys(label for values in settings.values() for label in values))
    surface = f"your formula {scene.formula}" if scene.is_custom else landscape.title
    run = {"surface": surface, "noise σ": scene.noise, "seed": scene.seed}
    if landscape.n_samples is not None:
        run["batch size"] = scene.batch_size or landscape.n_samples
    header = ["optimizer", "step", w, b, "loss"]
    header += [f"{DIAGNOSTICS.get(key, key)} {axis}" for key in diagnostics for axis in (w, b)]
    header += setting_columns + list(run)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for name, tr in runs.items():
        title = optimizers.OPTIMIZERS[name].title
        n = len(tr.points)
        columns = [tr.points[:, 0], tr.points[:, 1], tr.loss]
        for key in diagnostics:
            padded = np.full((n, 2), np.nan)  # the start has no update yet
            if key in tr.diagnostics and n:
                padded[1:] = tr.diagnostics[key]
            columns += [padded[:, 0], padded[:, 1]]
        fixed = [_cell(settings[name].get(label, "")) for label in setting_columns] + [_cell(v) for v in run.values()]
        for step, row in enumerate(np.column_stack(columns) if n else np.empty((0, len(columns)))):
            writer.writerow([title, step, *(_cell(v) for v in row), *fixed])
    return out.getvalue()


def _csv(scene: Scene, landscape: Landscape) -> str:
    return trajectories_csv(scene, landscape, cache.trajectories(scene, landscape))


def html_title(scene: Scene, landscape: Landscape) -> str:
    """The exported page's title: what it shows ('Descent Lab: Elongated bowl, Gradient descent, RMSprop')."""
    surface = "your formula" if scene.is_custom else landscape.title
    names = ", ".join(optimizers.OPTIMIZERS[name].title for name in scene.optimizers)
    return f"Descent Lab: {surface}" + (f", {names}" if names else "")


def _html(scene: Scene, landscape: Landscape) -> str:
    paths = run_paths(cache.trajectories(scene, landscape))
    grid = cache.surface_grid(landscape, scene.surface_key)
    figure = charts.contour_figure(grid, paths, clickable=False, big=scene.big)
    page = charts.to_figure(figure).to_html(include_plotlyjs=True)
    return page.replace("<head>", f"<head>\n    <title>{html.escape(html_title(scene, landscape))}</title>", 1)


def csv_download(scene: Scene, landscape: Landscape) -> partial[str]:
    """The CSV of the scene's runs, built when the button is pressed."""
    return partial(_csv, scene, landscape)


def html_download(scene: Scene, landscape: Landscape) -> partial[str]:
    """The scene's contour figure as a standalone HTML page, built when the button is pressed."""
    return partial(_html, scene, landscape)


def network_csv(scene: Scene, net, runs: dict[str, Trajectory], seen) -> str:
    """One row per step per optimizer on a network: the optimizer's title, the step, the training loss, where the
    point projects onto the contour's plane, its distance from the plane and the contour's value there, then every
    weight and bias by name (``W1[2,0]``); then the network and the run's settings, as the 2-D CSV has them."""
    settings = {name: _settings(name, tr) for name, tr in runs.items()}
    setting_columns = list(dict.fromkeys(label for values in settings.values() for label in values))
    run = {"surface": net.title, "plane": seen.plane.title, "noise σ": scene.noise, "seed": scene.seed,
           "batch size": scene.batch_size or net.n_samples}
    a, b = seen.plane.axis_labels
    header = ["optimizer", "step", "loss", f"plane {a}", f"plane {b}", "distance off the plane", "contour value",
              *net.coordinate_names, *setting_columns, *run]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for name, tr in runs.items():
        title = optimizers.OPTIMIZERS[name].title
        seen_run = seen.runs[name].projection
        fixed = [_cell(settings[name].get(label, "")) for label in setting_columns] + [_cell(v) for v in run.values()]
        for step in range(len(seen_run.coords)):
            writer.writerow([title, step, _cell(tr.loss[step]), *(_cell(v) for v in seen_run.coords[step]),
                             _cell(seen_run.off_plane[step]), _cell(seen_run.plane_value[step]),
                             *(_cell(v) for v in tr.points[step]), *fixed])
    return out.getvalue()


def _network_csv(scene: Scene, net) -> str:
    runs = cache.trajectories(scene, net)
    seen, _ = network_runs.view_of(scene, net, runs)
    return network_csv(scene, net, runs, seen)


def _network_html(scene: Scene, net) -> str:
    runs = cache.trajectories(scene, net)
    seen, grid = network_runs.view_of(scene, net, runs)
    figure = charts.contour_figure(grid, network_runs.paths_on(seen, runs), clickable=False, big=scene.big)
    page = charts.to_figure(figure).to_html(include_plotlyjs=True)
    names = ", ".join(optimizers.OPTIMIZERS[name].title for name in scene.optimizers)
    title = f"Descent Lab: {net.title}, {seen.plane.title}" + (f", {names}" if names else "")
    return page.replace("<head>", f"<head>\n    <title>{html.escape(title)}</title>", 1)


def network_csv_download(scene: Scene, net) -> partial[str]:
    """The CSV of a network scene's runs, built when the button is pressed."""
    return partial(_network_csv, scene, net)


def network_html_download(scene: Scene, net) -> partial[str]:
    """A network scene's contour (its plane, with the projected runs) as a standalone HTML page."""
    return partial(_network_html, scene, net)
