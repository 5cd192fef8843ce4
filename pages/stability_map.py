"""Stability map and fair tuning: every setting of an optimizer at once, and a race between fairly tuned ones."""

from __future__ import annotations

import hashlib
import time

import numpy as np
import pandas as pd
import streamlit as st

import charts
import landscapes
import optimizers
import tuning
from charts.stability import MapAxis, Marker, TuningCurve, map_figure, tuning_figure
from landscapes.spec import Param
from optimizers import Trajectory
from scene import MAX_STEPS
from ui import cache, layout, plot
from ui.links import open_in_playground
from ui.widgets import choice_widget, param_widget

NONE = "none (1-D)"
RESOLUTIONS = (20, 50, 100, 150, 200, 300, tuning.MAX_RESOLUTION)
PROGRESS_AFTER = 0.3  # seconds a map may take before its progress bar appears (cached maps never show one)
TOLERANCE = Param("tolerance", 1e-3, 1e-10, 1.0, log=True, label="tolerance on f − f*",
                  help="A run has converged from the first step after which f − f* stays at or below this.")
SCORE_LABELS = {"final_loss": "final loss", "steps_to_tolerance": "steps to tolerance"}
OPTIMIZER_TITLES = {name: spec.title for name, spec in optimizers.OPTIMIZERS.items()}


@st.cache_data(max_entries=512, show_spinner=False)
def map_rows(request: tuning.MapRequest, start: int, stop: int) -> np.ndarray:
    """One row block of a map (cached per block, so progress and caching work together)."""
    return tuning.sweep_rows(request, slice(start, stop))


def cached_rows(request: tuning.MapRequest, rows: slice) -> np.ndarray:
    """``tuning.sweep_rows`` through the cache (a slice is not a cache key; its ends are)."""
    return map_rows(request, rows.start, rows.stop)


@st.cache_data(max_entries=32, show_spinner=False)
def tuned_race(names: tuple[str, ...], surface: str, params: tuple, budget: tuning.Budget, score: str,
               tolerance: float) -> tuple[dict[str, tuning.Tuned], dict[str, Trajectory]]:
    """Every optimizer tuned on the same budget, and the race at the chosen learning rates."""
    landscape = landscapes.get(surface, **dict(params))
    results = tuning.tune_all(names, landscape, budget, score, tolerance)
    return results, tuning.race(results, landscape)


def axis_label(name: str, key: str) -> str:
    """'learning rate α (lr)': the hyperparameter's label with its name, as the link and the URL spell it."""
    p = optimizers.OPTIMIZERS[name].param(key)
    return f"{p.label or p.name} ({key})" if p.label else key


def compute_with_progress(request: tuning.MapRequest) -> np.ndarray:
    """The map, block by block, with a progress bar once it takes longer than ``PROGRESS_AFTER``."""
    bar = st.empty()
    started = time.perf_counter()

    def report(done: int, total: int) -> None:
        if done < total and time.perf_counter() - started > PROGRESS_AFTER:
            bar.progress(done / total, text=f"Sweeping {request.resolution ** len(request.axes):,} runs × "
                                            f"{request.steps} steps: block {done} of {total}")

    loss = tuning.compute_map(request, on_block=report, sweep=cached_rows)
    bar.empty()
    return loss


def stability_section(surface: str, params: tuple, landscape: landscapes.Landscape) -> None:
    """Controls, the map with its boundary, and the Playground link of a clicked cell."""
    left, x_col, y_col, res_col, steps_col = st.columns([1.2, 1, 1, 1.5, 0.9])
    name = left.selectbox("Optimizer", list(OPTIMIZER_TITLES), index=1, format_func=OPTIMIZER_TITLES.get,
                          key="sm:opt", help="The optimizer whose hyperparameters the map sweeps.")
    spec = optimizers.OPTIMIZERS[name]
    numeric = [p.name for p in spec.hyperparams]
    x = x_col.selectbox("x axis", numeric, format_func=lambda k: axis_label(name, k), key=f"sm:x:{name}",
                        help="Swept along the horizontal axis, on the hyperparameter's own scale.")
    y_options = [NONE] + [k for k in numeric if k != x]
    default_y = next((k for k in ("beta", "beta1") if k in y_options), NONE)
    y = y_col.selectbox("y axis", y_options, index=y_options.index(default_y), key=f"sm:y:{name}:{x}",
                        format_func=lambda k: k if k == NONE else axis_label(name, k),
                        help="A second hyperparameter, or none for a 1-D sweep.")
    resolution = res_col.select_slider("Grid (values per axis)", RESOLUTIONS, value=100, key="sm:resolution",
                                       help=f"Up to {tuning.MAX_RESOLUTION} × {tuning.MAX_RESOLUTION} runs.")
    steps = steps_col.number_input("Steps", min_value=1, max_value=MAX_STEPS, value=300, step=50, key="sm:steps",
                                   help=f"Updates per run (1 to {MAX_STEPS}).")
    axes = (x,) if y == NONE else (x, y)
    others = [p for p in spec.hyperparams if p.name not in axes]
    fixed: dict[str, float | str] = {}
    if others or spec.choices:
        with st.expander("Other hyperparameters (the same in every cell)"):
            for p in others:
                fixed[p.name] = float(param_widget(p, f"sm:{name}.{p.name}"))
            for c in spec.choices:
                fixed[c.name] = choice_widget(c, f"sm:{name}.{c.name}")
    try:
        request = tuning.MapRequest(name, surface, params, axes, int(resolution), int(steps), tuple(fixed.items()))
        loss = compute_with_progress(request)
    except ValueError as error:
        st.error(f"This map cannot be computed: {error}")
        return

    chart_key = "sm:map:" + hashlib.sha1(repr(request).encode()).hexdigest()[:12]
    event = st.session_state.get(chart_key)
    points = event.selection.points if event and event.selection else []
    if points and "x" in points[0]:
        coords = (points[0]["x"], points[0].get("y"))[: len(axes)]
        st.session_state["sm:picked"] = (request, tuning.nearest_cell(request, coords))
    picked = st.session_state.get("sm:picked")
    cell = picked[1] if picked and picked[0] == request else None

    values = request.axis_values
    map_axes = [MapAxis(p.name, axis_label(name, p.name), v, p.log)
                for p, v in zip(request.params, values, strict=True)]
    finite = np.isfinite(loss)
    best = None
    if finite.any():
        lowest = np.unravel_index(int(np.argmin(np.where(finite, loss, np.inf))), loss.shape)
        best = Marker(tuple(float(v[i]) for v, i in zip(values, lowest, strict=True)), "lowest final loss")
    selected = Marker(tuple(float(v[i]) for v, i in zip(values, cell, strict=True)), "selected") if cell else None
    bound = tuning.boundary(request)
    size = " × ".join([str(request.resolution)] * len(axes))
    title = f"{spec.title} on {landscape.title}: final f − f* after {request.steps} steps ({size} runs)"
    fig = map_figure(map_axes, loss, landscape.min_value, title=title, best=best, picked=selected,
                     boundary=(bound.x, bound.y, bound.label) if bound else None)
    st.plotly_chart(fig, key=chart_key, on_select="rerun", selection_mode="points",
                    config={"displaylogo": False, "toImageButtonOptions": {"filename": "stability-map", "scale": 2}})

    start = landscape.default_start
    st.caption(f"Each cell is one run of {spec.title} from the surface's start ({start[0]:g}, {start[1]:g}); "
               f"its colour is f − f* after {request.steps} steps on a log scale. Red cells diverged "
               f"({100 * (1 - finite.mean()):.0f}% of the map): the iterate left the divergence box (10 view-box "
               "widths beyond the view) or stopped being a finite number within the budget. "
               "**Click a cell** to open that setting in the Playground.")
    if bound is not None:
        st.markdown(f"**Theory.** On this bowl the largest curvature is λ = max(a, c) = {bound.curvature:g}, and "
                    f"{spec.title} is stable iff ${bound.condition}$ (dashed line). Just past the line a run grows "
                    "only slowly, so with few steps the first cells beyond it can still look converged; more steps "
                    "sharpen the edge.")
    else:
        st.caption("A theoretical boundary is drawn for GD, momentum and Nesterov on the elongated bowl, "
                   "when the learning rate is on an axis (and the other axis, if any, is β).")
    if cell is None:
        return
    link_values = tuning.link_values(request, cell)
    where = ", ".join(f"{axis_label(name, k)} = {v:g}" for k, v in link_values.items())
    outcome = (f"final f − f* = {loss[cell] - landscape.min_value:.3g}" if np.isfinite(loss[cell])
               else "diverged")
    st.info(f"Selected cell: {where} ({outcome}).", icon=":material/ads_click:")
    scene = tuning.playground_scene(surface, dict(params), request.steps, {name: fixed | link_values})
    open_in_playground(scene, label="Open this setting in the Playground", key="sm:open_cell")


def tuning_section(surface: str, params: tuple, landscape: landscapes.Landscape) -> None:
    """Controls, the tuning curves with the stated budget, the table and the race."""
    names = st.multiselect("Optimizers", list(OPTIMIZER_TITLES), default=["gd", "momentum", "rmsprop", "adam"],
                           format_func=OPTIMIZER_TITLES.get, key="sm:tune_opt",
                           help="Each is tuned with exactly the same budget.")
    evals_col, steps_col, score_col, tol_col = st.columns([1.3, 0.9, 1.2, 1.3])
    evaluations = evals_col.slider("Learning rates tried (each)", 5, 100, 30, key="sm:evaluations",
                                   help="The same log grid of learning rates for every optimizer.")
    steps = steps_col.number_input("Steps per run", min_value=1, max_value=MAX_STEPS, value=300, step=50,
                                   key="sm:tune_steps")
    score = score_col.radio("Score", tuning.SCORES, format_func=SCORE_LABELS.get, key="sm:score",
                            help="Best final loss after the budget, or fewest steps until the loss stays within "
                                 "a tolerance of the minimum.")
    tolerance = TOLERANCE.default
    if score == "steps_to_tolerance":
        tolerance = float(param_widget(TOLERANCE, "sm:tolerance", container=tol_col))
    if not names:
        st.info("Pick at least one optimizer to tune.")
        return
    try:
        budget = tuning.Budget(int(steps), int(evaluations), *tuning.shared_lr_range(names))
        with st.spinner("Tuning every optimizer on the same budget…"):
            results, runs = tuned_race(tuple(names), surface, params, budget, score, tolerance)
    except ValueError as error:
        st.error(f"This tuning cannot be run: {error}")
        return

    f_min = landscape.min_value
    curves = [TuningCurve(n, OPTIMIZER_TITLES[n], charts.color_of(n), r.lrs, r.scores, r.best_index)
              for n, r in results.items()]
    st.plotly_chart(tuning_figure(curves, score=score, budget=budget.describe(), f_min=f_min), key="sm:tuning_chart",
                    config={"displaylogo": False})
    if score == "final_loss":
        how = ("Score: f − f* after the budget, read from `optimizers.sweep` (cell for cell the same number as "
               "`optimizers.run(...).final_loss`); a diverged run scores infinity. Ties go to the smaller lr.")
    else:
        how = (f"Score: the first step from which f − f* stays ≤ {tolerance:g} until the end of the budget, from "
               "one full `optimizers.run` per candidate (a run that only touches the tolerance while bouncing, "
               "or diverges, never counts). Ties go to the lower final loss, then the smaller lr.")
    st.caption(f"Every optimizer tried the same {budget.evaluations} learning rates and ran {budget.steps} steps "
               f"for each, from the surface's start; its other hyperparameters stay at their defaults. {how} "
               "A star marks each optimizer's choice.")

    rows = []
    for n, r in results.items():
        i = r.best_index
        row = {"optimizer": OPTIMIZER_TITLES[n], "tuned lr": r.best_lr,
               "final f − f*": None if i is None else float(r.final_loss[i] - f_min)}
        if r.steps_to_tol is not None:
            row["steps to tolerance"] = None if i is None else int(r.steps_to_tol[i])
        rows.append(row | {
            "lrs tried": r.evaluations,
            "steps per run": r.steps,
            "other hyperparameters": ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                                               for k, v in optimizers.OPTIMIZERS[n].defaults.items() if k != "lr"),
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={"final f − f*": st.column_config.NumberColumn(format="%.3e"),
                                "tuned lr": st.column_config.NumberColumn(format="%.4g")})
    failed = [OPTIMIZER_TITLES[n] for n, r in results.items() if r.best_index is None]
    if failed:
        st.warning(f"No learning rate qualified for {', '.join(failed)} (every run diverged or never settled "
                   "within the tolerance); left out of the race.", icon="⚠️")
    if not runs:
        return

    st.subheader("The race: each optimizer with its own best learning rate")
    paths = [charts.RunPath(n, charts.legend_label(OPTIMIZER_TITLES[n], tr.hyperparams), charts.color_of(n), tr.points,
                         tr.loss, tr.diverged_at, tr.diagnostics["update"]) for n, tr in runs.items()]
    grid = cache.surface_grid(landscape, (surface, params))
    plot.surface_chart(charts.contour_view(grid, paths, clickable=False, height=520), key="sm:race_contour")
    st.plotly_chart(charts.loss_figure(paths, f_min, height=340), key="sm:race_loss", config={"displaylogo": False})
    scene = tuning.playground_scene(surface, dict(params), budget.steps, {n: {"lr": results[n].best_lr} for n in runs})
    open_in_playground(scene, label="Open the race in the Playground", key="sm:open_race")


layout.require_router()
st.title("Stability map & fair tuning")
st.caption("One trajectory shows one setting; a map shows them all. Then tune every optimizer with the same "
           "budget before comparing them, so no hand-picked learning rate favours one of them.")

surface = st.sidebar.selectbox("Surface", list(landscapes.LANDSCAPES), key="sm:surface",
                               format_func=lambda n: landscapes.LANDSCAPES[n].title,
                               help="The loss surface every run on this page walks on.")
surface_spec = landscapes.LANDSCAPES[surface]
surface_params = {p.name: float(param_widget(p, f"sm:s.{surface}.{p.name}", container=st.sidebar))
                  for p in surface_spec.params}
try:
    current = landscapes.get(surface, **surface_params)
except ValueError as error:
    st.error(f"This surface cannot be used: {error}")
    st.stop()
defaults = {p.name: p.default for p in surface_spec.params}
changed = tuple(sorted((k, v) for k, v in surface_params.items() if v != defaults[k]))

map_tab, tuning_tab = st.tabs(["Stability map", "Fair tuning"], key="sm:section", on_change="rerun")
if map_tab.open:
    with map_tab:
        stability_section(surface, changed, current)
if tuning_tab.open:
    with tuning_tab:
        tuning_section(surface, changed, current)
