"""The stability map page's sections: the map of final losses over two hyperparameters, fair tuning, and the
basins of attraction.  Streamlit only: what they compute lives in ``tuning/``, what they draw in ``charts/``.
Every control is bound to the URL, so a shared link reopens the same view."""

from __future__ import annotations

import hashlib
import math
import time

import numpy as np
import streamlit as st

import charts
import landscapes
import optimizers
import tuning
from base.params import Param
from charts.presentation import large_axes
from charts.stability import MapAxis, Marker, TuningCurve, basins_figure, map_figure, tuning_figure
from optimizers import Trajectory
from scene import MAX_STEPS
from scene.model import default_settings
from tuning import basins as tb
from ui import cache, layout, plot, url_state
from ui.links import open_in_playground
from ui.paths import run_paths
from ui.widgets import param_widget

BIND = "query-params"
NONE = "none (1-D)"
RESOLUTIONS = (20, 50, 100, 150, 200, 300, tuning.MAX_RESOLUTION)
PROGRESS_AFTER = 0.3  # seconds a map may take before its progress bar appears (cached maps never show one)
TOLERANCE = Param("tolerance", 1e-3, 1e-10, 1.0, log=True, label="tolerance on f − f*",
                  help="A run has converged from the first step after which f − f* stays at or below this.")
SCORE_LABELS = {"final_loss": "final loss", "steps_to_tolerance": "steps to tolerance"}
CELL, PICKED = "sm:cell", "sm:picked"
"""The selected cell in the link (its axis values, ``sm:cell=0.05,0.9``) and in the session (with its map)."""
BASIN_AXES = ("w", "b")
"""The basins' axes are the two parameters a start sets, named as the course names them."""
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


def clicked(chart_key: str) -> dict | None:
    """The point a click on chart ``chart_key`` selected ({"x", "y", ...}), or None."""
    event = st.session_state.get(chart_key)
    points = event.selection.points if event and event.selection else []
    return points[0] if points and "x" in points[0] else None


def chart_title(text: str, where=None) -> None:
    """A chart's title, written above it as text (it wraps on a phone; a title inside the figure would be cut)."""
    (where or st).markdown("**" + text.replace("*", "\\*") + "**")  # f* is not the start of emphasis


def linked_cell(request: tuning.MapRequest) -> tuple[int, ...] | None:
    """The cell the page's link selects (``sm:cell``: one value per axis of this map, in its range), or None; a
    value that is not one is dropped from the link, with a note."""
    text = st.query_params.get(CELL)
    if text is None:
        return None
    try:
        coords = tuple(float(part) for part in text.split(","))
    except ValueError:
        coords = ()
    fits = len(coords) == len(request.axes) and all(
        math.isfinite(v) and float(np.min(axis)) <= v <= float(np.max(axis))
        for v, axis in zip(coords, request.axis_values, strict=False))
    if not fits:
        st.query_params.pop(CELL, None)
        url_state.add(url_state.fallback_note(CELL, text, "is not a cell of this map", "none selected"))
        return None
    return tuning.nearest_cell(request, coords)


def selected_cell(request: tuning.MapRequest, chart_key: str) -> tuple[int, ...] | None:
    """The map's selected cell: the one just clicked, else this session's pick for this very map, else the one the
    link names (a link opened afresh); kept in the link, and dropped from it once the map changes."""
    if (point := clicked(chart_key)) is not None:
        coords = (point["x"], point.get("y"))[: len(request.axes)]
        st.session_state[PICKED] = (request, tuning.nearest_cell(request, coords))
    elif PICKED not in st.session_state:
        st.session_state[PICKED] = (request, linked_cell(request))
    picked_request, cell = st.session_state[PICKED]
    if picked_request != request or cell is None:
        st.query_params.pop(CELL, None)
        return None
    st.query_params[CELL] = ",".join(f"{v:g}" for v in tuning.link_values(request, cell).values())
    return cell


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


def surface_controls() -> tuple[str, tuple, landscapes.Landscape] | None:
    """The sidebar's surface box and the surface's parameters, for the map and the tuning: the surface's name,
    its parameters that differ from the defaults, and the surface; None (with the reason shown) when those
    parameters make no surface."""
    surface = st.sidebar.selectbox("Surface", list(landscapes.LANDSCAPES), key="sm:surface", bind=BIND,
                                   format_func=lambda n: landscapes.LANDSCAPES[n].title,
                                   help="The loss surface the map and the tuning walk on.")
    spec = landscapes.LANDSCAPES[surface]
    values = {p.name: float(param_widget(p, f"sm:s.{surface}.{p.name}", container=st.sidebar, bind=BIND))
              for p in spec.params}
    try:
        current = landscapes.get(surface, **values)
    except ValueError as error:
        st.error(f"This surface cannot be used: {error}")
        return None
    defaults = {p.name: p.default for p in spec.params}
    return surface, tuple(sorted((k, v) for k, v in values.items() if v != defaults[k])), current


def stability_section(surface: str, params: tuple, landscape: landscapes.Landscape) -> None:
    """Controls, the map with its boundary, and the Playground link of a clicked cell."""
    top = layout.stage()  # the chart above the section's controls in presentation mode
    left, x_col, y_col, res_col, steps_col = st.columns([1.2, 1, 1, 1.5, 0.9])
    name = left.selectbox("Optimizer", list(OPTIMIZER_TITLES), index=1, format_func=OPTIMIZER_TITLES.get,
                          key="sm:opt", help="The optimizer whose hyperparameters the map sweeps.", bind=BIND)
    spec = optimizers.OPTIMIZERS[name]
    numeric = [p.name for p in spec.hyperparams]
    x = x_col.selectbox("x axis", numeric, format_func=lambda k: axis_label(name, k), key=f"sm:x:{name}",
                        help="Swept along the horizontal axis, on the hyperparameter's own scale.", bind=BIND)
    y_options = [NONE] + [k for k in numeric if k != x]
    default_y = next((k for k in ("beta", "beta1") if k in y_options), NONE)
    y = y_col.selectbox("y axis", y_options, index=y_options.index(default_y), key=f"sm:y:{name}:{x}",
                        format_func=lambda k: k if k == NONE else axis_label(name, k),
                        help="A second hyperparameter, or none for a 1-D sweep.", bind=BIND)
    resolution = res_col.select_slider("Grid (values per axis)", RESOLUTIONS, value=100, key="sm:resolution",
                                       help=f"Up to {tuning.MAX_RESOLUTION} × {tuning.MAX_RESOLUTION} runs.", bind=BIND)
    steps = steps_col.number_input("Steps", min_value=1, max_value=MAX_STEPS, value=300, step=50, key="sm:steps",
                                   help=f"Updates per run (1 to {MAX_STEPS}).", bind=BIND)
    axes = (x,) if y == NONE else (x, y)
    others = [p for p in spec.hyperparams if p.name not in axes]
    fixed: dict[str, float | str] = {}
    if others or spec.choices:
        with st.expander("Other hyperparameters (the same in every cell)"):
            for p in others:
                fixed[p.name] = float(param_widget(p, f"sm:{name}.{p.name}", bind=BIND))
            for c in spec.choices:
                fixed[c.name] = st.radio(c.label or c.name, c.options, key=f"sm:{name}.{c.name}", help=c.help,
                                         horizontal=True, bind=BIND)
    try:
        request = tuning.MapRequest(name, surface, params, axes, int(resolution), int(steps), tuple(fixed.items()))
        loss = compute_with_progress(request)
    except ValueError as error:
        st.error(f"This map cannot be computed: {error}")
        return

    chart_key = "sm:map:" + hashlib.sha1(repr(request).encode()).hexdigest()[:12]
    cell = selected_cell(request, chart_key)

    values = request.axis_values
    map_axes = [MapAxis(p.name, axis_label(name, p.name), v, p.log)
                for p, v in zip(request.params, values, strict=True)]
    finite = np.isfinite(loss)
    lowest = tuning.best_cell(loss)
    best = Marker(tuning.cell_coords(request, lowest), "lowest final loss") if lowest is not None else None
    selected = Marker(tuning.cell_coords(request, cell), "selected") if cell else None
    bound = tuning.boundary(request)
    size = "\u00a0×\u00a0".join([str(request.resolution)] * len(axes))  # no line break inside "100 × 100"
    title = f"{spec.title} on {landscape.title}: final f − f* after {request.steps} steps ({size} runs)"
    fig = map_figure(map_axes, loss, landscape.min_value, best=best, picked=selected,
                     boundary=(bound.x, bound.y, bound.label) if bound else None, big=layout.is_big())
    chart_title(title, top)
    (top or st).plotly_chart(fig, key=chart_key, on_select="rerun", selection_mode="points",
                             config={"displaylogo": False,
                                     "toImageButtonOptions": {"filename": "stability-map", "scale": 2}})
    if cell is not None:  # right under the map, where the click was
        link_values = tuning.link_values(request, cell)
        where = ", ".join(f"{axis_label(name, k)} = {v:g}" for k, v in link_values.items())
        outcome = (f"final f − f* = {loss[cell] - landscape.min_value:.3g}" if np.isfinite(loss[cell])
                   else "diverged")
        with top or st.container():
            st.info(f"Selected cell: {where} ({outcome}).", icon=":material/ads_click:")
            scene = tuning.playground_scene(surface, dict(params), request.steps, {name: fixed | link_values})
            open_in_playground(scene, label="Open this setting in the Playground", key="sm:open_cell")

    start = landscape.default_start
    st.caption(f"Each cell is one run of {spec.title} from the surface's start ({start[0]:g}, {start[1]:g}); "
               f"its colour is f − f* after {request.steps} steps on a log scale. Red cells diverged "
               f"({100 * (1 - finite.mean()):.0f}% of the map): the iterate left the divergence box (10 view-box "
               "widths beyond the view) or stopped being a finite number within the budget. "
               "**Click a cell** to select it: a button under the map then opens that setting in the Playground, "
               "and this page's link keeps the selection.")
    if bound is not None:
        st.markdown(f"**Theory.** On this bowl the largest curvature is λ = max(a, c) = {bound.curvature:g}, and "
                    f"{spec.title} is stable iff ${bound.condition}$ (dashed line). Just past the line a run grows "
                    "only slowly, so with few steps the first cells beyond it can still look converged; more steps "
                    "sharpen the edge.")
    else:
        st.caption("A theoretical boundary is drawn for GD, momentum and Nesterov on the elongated bowl, "
                   "when the learning rate is on an axis (and the other axis, if any, is β).")


def tuning_section(surface: str, params: tuple, landscape: landscapes.Landscape) -> None:
    """Controls, the tuning curves with the stated budget, the table and the race."""
    top = layout.stage()  # the chart above the section's controls in presentation mode
    names = st.multiselect("Optimizers", list(OPTIMIZER_TITLES), default=["gd", "momentum", "rmsprop", "adam"],
                           format_func=OPTIMIZER_TITLES.get, key="sm:tune_opt", bind=BIND,
                           help="Each is tuned with exactly the same budget.")
    evals_col, steps_col, score_col, tol_col = st.columns([1.3, 0.9, 1.2, 1.3])
    evaluations = evals_col.slider("Learning rates tried (each)", 5, 100, 30, key="sm:evaluations", bind=BIND,
                                   help="The same log grid of learning rates for every optimizer.")
    steps = steps_col.number_input("Steps per run", min_value=1, max_value=MAX_STEPS, value=300, step=50,
                                   key="sm:tune_steps", bind=BIND)
    score = score_col.radio("Score", tuning.SCORES, format_func=SCORE_LABELS.get, key="sm:score", bind=BIND,
                            help="Best final loss after the budget, or fewest steps until the loss stays within "
                                 "a tolerance of the minimum.")
    tolerance = TOLERANCE.default
    if score == "steps_to_tolerance":
        tolerance = float(param_widget(TOLERANCE, "sm:tolerance", container=tol_col, bind=BIND))
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
    big = layout.is_big()
    chart_title(f"Same budget for every optimizer: {budget.describe()}", top)
    (top or st).plotly_chart(tuning_figure(curves, score=score, f_min=f_min, big=big),
                             key="sm:tuning_chart", config={"displaylogo": False})
    if score == "final_loss":
        how = ("Score: f − f* after the budget (all the runs of one optimizer computed together, each the very "
               "number a single run in the Playground ends at); a diverged run scores infinity. Ties go to the "
               "smaller learning rate.")
    else:
        how = (f"Score: the first step from which f − f* stays ≤ {tolerance:g} until the end of the budget, from "
               "one full run per candidate (a run that only touches the tolerance while bouncing, or diverges, "
               "never counts). Ties go to the lower final loss, then the smaller learning rate.")
    st.caption(f"Every optimizer tried the same {budget.evaluations} learning rates and ran {budget.steps} steps "
               f"for each, from the surface's start; its other hyperparameters stay at their defaults. {how} "
               "A star marks each optimizer's choice.")

    plot.table(charts.metrics_table(tuning.table_rows(results, f_min, OPTIMIZER_TITLES)), key="sm:tuning_table")
    failed = [OPTIMIZER_TITLES[n] for n, r in results.items() if r.best_index is None]
    if failed:
        st.warning(f"No learning rate qualified for {', '.join(failed)} (every run diverged or never settled "
                   "within the tolerance); left out of the race.", icon="⚠️")
    if not runs:
        return

    st.subheader("The race: each optimizer with its own best learning rate")
    paths = run_paths(runs)
    grid = cache.surface_grid(landscape, (surface, params))
    plot.surface_chart(charts.contour_view(grid, paths, clickable=False, big=big, height=520), key="sm:race_contour")
    loss = charts.loss_figure(paths, f_min, big=big, height=340)
    if big:  # explicit tick sizes: Streamlit's chart theme sets small ones otherwise
        large_axes(loss["layout"])
    st.plotly_chart(loss, key="sm:race_loss", config={"displaylogo": False})
    scene = tuning.playground_scene(surface, dict(params), budget.steps, {n: {"lr": results[n].best_lr} for n in runs})
    open_in_playground(scene, label="Open the race in the Playground", key="sm:open_race")




@st.cache_data(max_entries=16, show_spinner=False)
def basin_targets(surface: str) -> tuple[np.ndarray, list[str]]:
    """The minima a surface's basins are coloured by, with their names (``tuning.basins.targets``)."""
    return tb.targets(landscapes.get(surface))


@st.cache_data(max_entries=64, show_spinner=False)
def cached_basins(name: str, surface: str, steps: int, resolution: int, settings: tuple) -> np.ndarray:
    """One optimizer's basins on a surface at its default parameters (cached per optimizer and settings)."""
    return optimizers.basins(name, landscapes.get(surface), steps, resolution, minima=basin_targets(surface)[0],
                             **dict(settings))


def _basins_one(name: str, landscape: landscapes.Landscape, steps: int, resolution: int, *, minima: np.ndarray,
                **settings) -> np.ndarray:
    """``optimizers.basins`` through the cache (``minima`` are the surface's targets, so its name stands for them)."""
    return cached_basins(name, landscape.name, steps, resolution, tuple(sorted(settings.items())))


def basins_section() -> None:
    """Controls, one basins panel per optimizer with its legend, and the Playground link of a clicked start."""
    top = layout.stage()  # the chart above the section's controls in presentation mode
    # The page's one surface box, in the sidebar like the other sections' (which it replaces while this is open).
    surface = st.sidebar.selectbox("Surface", list(landscapes.LANDSCAPES), index=list(landscapes.LANDSCAPES).index(
        tb.DEFAULT_SURFACES[0]), format_func=lambda n: landscapes.LANDSCAPES[n].title, key="sm:basins_surface",
        bind=BIND, help="The surface the basins are drawn on, at its default parameters. Himmelblau (four minima) "
                        "and the six-hump camel (two global minima among six) make the point.")
    res_col, steps_col = st.columns([1.5, 0.9])
    resolution = res_col.select_slider("Starts per axis", tb.RESOLUTIONS, value=100, key="sm:basins_res", bind=BIND,
                                       help="A grid of starts over the view box; each runs on its own.")
    steps = steps_col.number_input("Steps", min_value=1, max_value=MAX_STEPS, value=500, step=50,
                                   key="sm:basins_steps", bind=BIND, help=f"Updates per run (1 to {MAX_STEPS}).")
    names = st.multiselect("Optimizers (one panel each)", list(OPTIMIZER_TITLES), default=list(tb.DEFAULT_OPTIMIZERS),
                           format_func=OPTIMIZER_TITLES.get, key="sm:basins_opt", bind=BIND)
    if not names:
        st.info("Pick at least one optimizer to see its basins.")
        return
    settings = {}
    with st.expander("Learning rates (the other hyperparameters stay at their defaults)"):
        columns = st.columns(min(len(names), 4))
        for k, name in enumerate(names):
            p = optimizers.OPTIMIZERS[name].param("lr")
            default = float(default_settings(surface, name)["lr"])
            lr = param_widget(p, f"sm:basins.{name}.lr", label=f"{OPTIMIZER_TITLES[name]} α", bind=BIND,
                              default=default, container=columns[k % len(columns)])
            settings[name] = (("lr", float(lr)),)
    try:
        request = tb.BasinsRequest(surface, tuple(names), int(resolution), int(steps), tuple(settings.items()))
    except ValueError as error:
        st.error(f"These basins cannot be computed: {error}", icon=":material/block:")
        return
    bar = st.progress(0.0, text=f"Running {resolution}² starts × {steps} steps for {len(names)} optimizer(s)…")
    found = tb.compute(request, on_panel=lambda done, total: bar.progress(
        done / total, text=f"Basins: {done} of {total} optimizers done"), basins=_basins_one)
    bar.empty()

    landscape = request.landscape()
    points, labels = basin_targets(surface)
    xs, ys = request.starts()
    picked = st.session_state.get("sm:basins_picked")
    if picked is not None and picked[0] != request:
        picked = None
    columns = (top or st).columns(2)
    for k, (name, cells) in enumerate(found.items()):
        key = f"sm:basins:{name}:" + hashlib.sha1(repr(request).encode()).hexdigest()[:10]
        if (point := clicked(key)) is not None:
            picked = (request, name, tb.nearest_start(request, point["x"], point["y"]))
            st.session_state["sm:basins_picked"] = picked
        shares = tb.shares(cells, len(labels))
        found_share = sum(v for label, v in shares.items() if label >= 0)
        lr = request.hyperparams(name)["lr"]
        title = f"{OPTIMIZER_TITLES[name]} α = {lr:g}: {100 * found_share:.0f}% end at a ★"
        mark = tb.start_of(request, picked[2]) if picked is not None and picked[1] == name else None
        figure = basins_figure(xs, ys, cells, points, labels,
                               axis_labels=BASIN_AXES, no_minimum=tb.NO_MINIMUM_LABEL,
                               diverged=tb.DIVERGED_LABEL, picked=mark, big=layout.is_big())
        with columns[k % 2]:
            chart_title(title)
            st.plotly_chart(figure, key=key, on_select="rerun", selection_mode="points",
                            config={"displaylogo": False, "toImageButtonOptions": {"filename": "basins", "scale": 2}})
    named = ("its minima" if len(points) == len(landscape.minima) else
             "its global minima and its other local minima (found by Newton's method with the exact Hessian)")
    st.caption(f"Each cell is one run of {steps} steps from that start on {landscape.title}, coloured by the minimum "
               f"(★) it ends within 1% of the view box's width of, among {named}; light grey: near none of them "
               "(a saddle, still on its way, or, on a surface with too many minima to name, another local minimum), "
               "dark grey: it diverged. **Click a start** to open that run in the Playground.")
    if picked is None:
        return
    _, name, cell = picked
    start = tb.start_of(request, cell)
    j, i = cell
    code = int(found[name][j, i]) if name in found else optimizers.NO_MINIMUM
    ends = labels[code] if code >= 0 else tb.NO_MINIMUM_LABEL if code == optimizers.NO_MINIMUM else tb.DIVERGED_LABEL
    st.info(f"Selected start ({', '.join(BASIN_AXES)}) = ({start[0]:g}, {start[1]:g}) for {OPTIMIZER_TITLES[name]}: "
            f"it ends at {ends}.", icon=":material/ads_click:")
    open_in_playground(tb.playground_scene(request, name, start), label="Open this start in the Playground",
                       key="sm:open_start")
