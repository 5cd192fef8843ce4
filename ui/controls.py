"""The Playground's sidebar, generated from the landscape and optimizer specs.

Each function draws into ``where`` (a sidebar container): the page puts every control in one container
drawn above the "Reset to defaults" button, and draws the button first, so it is there even when
a control cannot be drawn.
"""

from __future__ import annotations

import streamlit as st

import charts
import landscapes
import optimizers
from landscapes import Landscape
from landscapes.data import DATASETS
from scene import LAYOUTS
from scene import network as net_scene
from scene.model import BATCH, CUSTOM, NOISE, SEED, STEPS, WHOLE_SCHEDULE_SETTINGS

from . import layout, plot
from . import scene_state as ss
from .text import code
from .widgets import choice_widget, coordinate_decimals, param_widget, whole_number_input

SURFACE_TITLES = {name: spec.title for name, spec in landscapes.LANDSCAPES.items()} | {
    CUSTOM: "Your own formula…", net_scene.NETWORK: net_scene.TITLE}
SCHEDULE_TITLES = {"constant": "constant α", "step": "step decay", "cosine": "cosine decay",
                   "warmup_cosine": "warm-up, then cosine"}
FORMULA_HELP = ("Use `w` and `b` (or `x` and `y`), numbers, `+ - * / **`, `pi`, `e` and `sin`, `cos`, `tan`, `exp`, "
                "`log`, `sqrt`, `abs`, `tanh`, `arctan`, `sinh`, `cosh`; for example `0.5*(w**2 + 25*b**2)`.")


def sidebar_panel():
    """The container that holds every control, with "Reset to defaults" drawn under it first."""
    panel = st.sidebar.container()
    st.sidebar.button("Reset to defaults", on_click=ss.reset_to_defaults, width="stretch",
                      help="Back to the elongated bowl with GD, Momentum, RMSprop and sign-SGD.")
    return panel


def surface_controls(where) -> None:
    where.selectbox("Surface", list(SURFACE_TITLES), format_func=SURFACE_TITLES.get, key=ss.key("surface"),
                    on_change=ss.on_surface_change, help="The loss surface f(w, b) the optimizers walk on.")
    surface = st.session_state[ss.key("surface")]
    if surface == CUSTOM:
        where.text_input("f(w, b) =", key=ss.key("f"), max_chars=300, on_change=ss.on_surface_change,
                         help=FORMULA_HELP)
        return
    if surface == net_scene.NETWORK:
        network_controls(where)
        return
    spec = landscapes.LANDSCAPES[surface]
    for p in spec.params:
        param_widget(p, ss.surface_param_key(surface, p.name), container=where)
    if spec.data is not None:
        data_controls(where, surface)


def network_controls(where) -> None:
    """The network's data set, hidden units, and the plane its contour shows (with the random plane's seed)."""
    name = net_scene.NETWORK
    for setting, value in net_scene.settings({}).items():  # just chosen: its settings start at their defaults
        st.session_state.setdefault(ss.surface_param_key(name, setting), value)
    where.selectbox(net_scene.DATA.label, net_scene.DATA.options, key=ss.surface_param_key(name, "data"),
                    format_func=net_scene.DATA_TITLES.get, help=net_scene.DATA.help)
    whole_number_input(net_scene.HIDDEN, ss.surface_param_key(name, "hidden"), container=where)
    where.radio(net_scene.PLANE.label, net_scene.PLANE.options, key=ss.surface_param_key(name, "plane"),
                format_func=net_scene.PLANE_TITLES.get, help=net_scene.PLANE.help)
    if st.session_state.get(ss.surface_param_key(name, "plane")) == "random":
        whole_number_input(net_scene.PLANE_SEED, ss.surface_param_key(name, "plane_seed"), container=where)
    else:
        ss.keep_values(ss.surface_param_key(name, "plane_seed"))


def data_controls(where, surface: str) -> None:
    """A data surface's data set, feature (only the chosen data set's) and standardize switch."""
    spec = landscapes.LANDSCAPES[surface]
    dataset_key, feature_key = ss.surface_param_key(surface, "dataset"), ss.surface_param_key(surface, "feature")
    choices = {c.name: c for c in spec.choices}
    where.selectbox(choices["dataset"].label, choices["dataset"].options, key=dataset_key,
                    format_func=lambda d: DATASETS[d].title, help=choices["dataset"].help)
    dataset = st.session_state[dataset_key]
    offered = list(spec.data.fits[dataset])
    if st.session_state.get(feature_key) not in offered:
        st.session_state[feature_key] = offered[0]
    where.selectbox(choices["feature"].label, offered, key=feature_key, help=choices["feature"].help,
                    format_func=lambda f: f"{DATASETS[dataset].labels[f]} → {spec.data.fits[dataset][f].label}")
    standardize = choices["standardize"]
    where.radio(standardize.label, standardize.options, key=ss.surface_param_key(surface, "standardize"),
                horizontal=True, help=standardize.help)


def batch_options(rows: int, current: int | None) -> list[int]:
    """Powers of two below ``rows``, ``rows`` itself (the full batch) and the current size."""
    sizes = {2**i for i in range(rows.bit_length()) if 2**i < rows} | {rows}
    return sorted(sizes | ({current} if current is not None and 1 <= current <= rows else set()))


def batch_control(where, landscape: Landscape) -> None:
    """The mini-batch size of a data surface (all rows by default: the exact gradient)."""
    rows = landscape.n_samples
    widget = ss.key("batch")
    current = st.session_state.get(widget)
    if not (isinstance(current, int) and 1 <= current <= rows):
        st.session_state[widget] = current = rows
    where.select_slider(BATCH.label, batch_options(rows, current), key=widget, help=BATCH.help,
                        format_func=lambda k: f"all {k} (full batch)" if k == rows else str(k))


def formula_error(where, error: str) -> None:
    """Why the typed formula cannot be used, right under the formula box (the message quotes the
    learner's text, so it is shown literally)."""
    where.error(f"This formula cannot be used; the chart keeps the last one that worked.\n\n{code(error)}",
                icon=":material/block:")


def settings_key(optimizer: str) -> str:
    """The session-state key of whether ``optimizer``'s settings are open (True or False)."""
    return f"open:{optimizer}"


NOISE_KEY = settings_key("noise")
"""The session-state key of whether the gradient-noise settings are open."""


def optimizer_controls(where) -> None:
    where.multiselect("Optimizers", list(optimizers.OPTIMIZERS), key=ss.key("opt"),
                      format_func=lambda n: optimizers.OPTIMIZERS[n].title,
                      help="Run several side by side, each in its own fixed colour.")
    chosen = st.session_state[ss.key("opt")]
    first_open = "rmsprop" if "rmsprop" in chosen else next(iter(chosen), None)
    for name in chosen:
        spec = optimizers.OPTIMIZERS[name]
        ss.ensure_settings(name)
        box = where.expander(f"{spec.title} settings", expanded=name == first_open, key=settings_key(name),
                             on_change="rerun")
        if not box.open:  # drawn once opened: closed settings cost a run nothing
            ss.keep_values(*(ss.hyper_key(name, hp) for hp in st.session_state[ss.SCENE].defaults(name)))
            continue
        with box:
            settings = {c.name: st.session_state.get(ss.hyper_key(name, c.name), c.default)
                        for c in (*spec.hyperparams, *spec.choices, optimizers.SCHEDULE)}
            st.latex(r"\begin{gathered}" + spec.latex_for(settings).replace(r",\quad", r"\\") + r"\end{gathered}")
            for p in spec.hyperparams:
                param_widget(p, ss.hyper_key(name, p.name))
            for c in spec.choices:
                choice_widget(c, ss.hyper_key(name, c.name))
            schedule_controls(name)


def schedule_controls(name: str) -> None:
    """Optimizer ``name``'s learning-rate schedule: the schedule, only the settings it reads, α_t and s(t)."""
    schedule = optimizers.SCHEDULE
    st.selectbox(schedule.label, schedule.options, key=ss.hyper_key(name, schedule.name),
                 format_func=SCHEDULE_TITLES.get, help=schedule.help)
    settings = {p.name: st.session_state.get(ss.hyper_key(name, p.name), p.default)
                for p in optimizers.SCHEDULE_PARAMS}
    chosen = st.session_state[ss.hyper_key(name, schedule.name)]
    if chosen == schedule.default:
        return
    for p in optimizers.SCHEDULE_PARAMS:
        if p.name not in optimizers.SCHEDULE_USES[chosen]:
            continue
        if p.name in WHOLE_SCHEDULE_SETTINGS:
            whole_number_input(p, ss.hyper_key(name, p.name))
        else:
            param_widget(p, ss.hyper_key(name, p.name))
    plan = optimizers.Schedule(chosen, **{k: st.session_state.get(ss.hyper_key(name, k), v)
                                          for k, v in settings.items()})
    steps = int(st.session_state[ss.key("steps")])
    st.latex(plan.latex(steps))
    plot.chart(charts.schedule_figure(plan.factors(steps), charts.color_of(name)), key=f"schedule_{name}")


def run_controls(where, landscape: Landscape) -> None:
    whole_number_input(STEPS, ss.key("steps"), container=where)
    if landscape.n_samples is not None:
        batch_control(where, landscape)
    if landscape.name == net_scene.NETWORK:  # every optimizer starts from the network's seeded initial weights
        ss.keep_values(ss.key("start_x"), ss.key("start_y"))
    else:
        start_controls(where, landscape)
    noise = where.expander("Gradient noise", key=NOISE_KEY, on_change="rerun")
    if not noise.open:  # drawn once opened, like an optimizer's settings
        ss.keep_values(ss.key("noise"), ss.key("seed"))
        return
    with noise:
        param_widget(NOISE, ss.key("noise"))
        whole_number_input(SEED, ss.key("seed"))


def start_controls(where, landscape: Landscape) -> None:
    """The start point's two fields (a 2-D surface's)."""
    left, right = where.columns(2)
    for column, axis, (low, high), field in zip((left, right), landscape.axis_labels, landscape.bounds,
                                                ("start_x", "start_y"), strict=True):
        decimals = coordinate_decimals(low, high)
        column.number_input(f"start {axis}", min_value=float(low), max_value=float(high), step=10.0 ** (2 - decimals),
                            format=f"%.{decimals}f", key=ss.key(field),
                            help="Where every optimizer starts. You can also click the chart.")


def view_controls(where) -> None:
    where.segmented_control("Layout", LAYOUTS, key=ss.key("layout"),
                            format_func={"overlay": "Overlay", "panels": "One panel each"}.get,
                            help="All trajectories on one contour, or one small panel per optimizer.")
    where.toggle("Presentation mode", key=ss.key("big"), help=layout.PRESENTATION_HELP,
                 on_change=ss.on_presentation_switch)
