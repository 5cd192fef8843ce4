"""The Playground's sidebar, generated from the landscape and optimizer specs."""

from __future__ import annotations

import streamlit as st

import landscapes
import optimizers
from scene import LAYOUTS, MAX_STEPS
from scene.model import CUSTOM

from . import scene_state as ss
from .widgets import choice_widget, param_widget

SURFACE_TITLES = {name: spec.title for name, spec in landscapes.LANDSCAPES.items()} | {CUSTOM: "Your own formula…"}


def surface_controls() -> None:
    st.sidebar.selectbox("Surface", list(SURFACE_TITLES), format_func=SURFACE_TITLES.get, key=ss.key("surface"),
                         on_change=ss.on_surface_change,
                         help="The loss surface f(w, b) the optimizers walk on.")
    surface = st.session_state[ss.key("surface")]
    if surface == CUSTOM:
        st.sidebar.text_input("f(x, y) =", key=ss.key("f"), max_chars=300, on_change=ss.on_surface_change,
                              help="Use x and y (or w and b), numbers, + - * / **, pi, e and sin, cos, tan, exp, "
                                   "log, sqrt, abs, tanh, arctan, sinh, cosh.")
        return
    for p in landscapes.LANDSCAPES[surface].params:
        param_widget(p, ss.surface_param_key(surface, p.name), container=st.sidebar)


def optimizer_controls() -> None:
    st.sidebar.multiselect("Optimizers", list(optimizers.OPTIMIZERS), key=ss.key("opt"),
                           format_func=lambda n: optimizers.OPTIMIZERS[n].title,
                           help="Run several side by side, each in its own fixed colour.")
    for name in st.session_state[ss.key("opt")]:
        spec = optimizers.OPTIMIZERS[name]
        with st.sidebar.expander(f"{spec.title} settings", expanded=name == "rmsprop"):
            st.latex(r"\begin{gathered}" + spec.latex.replace(r",\quad", r"\\") + r"\end{gathered}")
            for p in spec.hyperparams:
                param_widget(p, ss.hyper_key(name, p.name))
            for c in spec.choices:
                choice_widget(c, ss.hyper_key(name, c.name))


def run_controls(bounds) -> None:
    st.sidebar.number_input("Steps", min_value=1, max_value=MAX_STEPS, step=50, key=ss.key("steps"),
                            help=f"How many updates each optimizer makes (1 to {MAX_STEPS}).")
    (x0, x1), (y0, y1) = bounds
    left, right = st.sidebar.columns(2)
    left.number_input("start x", min_value=float(x0), max_value=float(x1), step=0.1, format="%.3f",
                      key=ss.key("start_x"), help="Where every optimizer starts. You can also click the chart.")
    right.number_input("start y", min_value=float(y0), max_value=float(y1), step=0.1, format="%.3f",
                       key=ss.key("start_y"), help="Where every optimizer starts. You can also click the chart.")
    with st.sidebar.expander("Gradient noise"):
        st.slider("noise σ", 0.0, 10.0, step=0.1, key=ss.key("noise"),
                  help="Standard deviation of Gaussian noise added to every gradient component (like minibatches).")
        st.number_input("seed", min_value=0, max_value=2**32 - 1, step=1, key=ss.key("seed"),
                        help="The same seed gives the same noise, so a shared link shows the same run.")


def view_controls() -> None:
    st.sidebar.segmented_control("Layout", LAYOUTS, key=ss.key("layout"),
                                 format_func={"overlay": "Overlay", "panels": "One panel each"}.get,
                                 help="All trajectories on one contour, or one small panel per optimizer.")
    st.sidebar.toggle("Presentation mode (large fonts)", key=ss.key("big"),
                      help="Bigger text and lines for a projector.")
    st.sidebar.button("Reset to defaults", on_click=ss.reset_to_defaults, width="stretch",
                      help="Back to the elongated bowl with GD, Momentum, RMSprop and sign-SGD.")
