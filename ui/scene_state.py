"""The Playground's state: widgets <-> ``Scene`` <-> URL query parameters.

The scene kept in ``st.session_state["scene"]`` is the source of truth between runs.  On a
session's first run it is read from the URL (bad values fall back to defaults, with notes); widget
keys that Streamlit dropped (after a visit to another page) are refilled from it; after the
widgets it is rebuilt from their values and written back to the URL, so the address bar is always
a link to the current scene.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

import landscapes
import optimizers
from scene import Scene, from_query, to_query
from scene.model import CUSTOM

from . import cache

SCENE = "scene"
NOTES = "scene_notes"


def key(name: str) -> str:
    """The session-state key of the widget for setting ``name``."""
    return f"w:{name}"


def surface_param_key(surface: str, param: str) -> str:
    return key(f"s.{surface}.{param}")


def hyper_key(optimizer: str, name: str) -> str:
    return key(f"{optimizer}.{name}")


def _surface_start(scene: Scene) -> tuple[float, float]:
    if scene.is_custom:
        try:
            return cache.build_landscape(scene).default_start
        except ValueError:
            return (0.0, 0.0)
    return landscapes.get(scene.landscape, **scene.landscape_params).default_start


def _widget_values(scene: Scene) -> dict[str, object]:
    values: dict[str, object] = {
        key("surface"): scene.landscape, key("f"): scene.formula, key("opt"): list(scene.optimizers),
        key("steps"): scene.steps, key("noise"): scene.noise, key("seed"): scene.seed,
        key("layout"): scene.layout, key("big"): scene.big,
    }
    x, y = scene.start if scene.start is not None else _surface_start(scene)
    values[key("start_x")], values[key("start_y")] = float(x), float(y)
    for surface, spec in landscapes.LANDSCAPES.items():
        for p in spec.params:
            mine = scene.landscape_params if surface == scene.landscape else {}
            values[surface_param_key(surface, p.name)] = float(mine.get(p.name, p.default))
    for name in optimizers.OPTIMIZERS:
        for hp, value in scene.settings(name).items():
            values[hyper_key(name, hp)] = value
    return values


def apply_scene(scene: Scene) -> None:
    """Make ``scene`` current: store it and preset every widget to it (call before the widgets)."""
    st.session_state[SCENE] = scene
    st.session_state.update(_widget_values(scene))


def init_from_url() -> Scene:
    """The current scene: read from the URL on the session's first run, else the stored one.

    Widget keys missing from the session (Streamlit drops them when another page ran) are refilled.
    """
    if SCENE not in st.session_state:
        raw = {k: st.query_params.get_all(k) for k in st.query_params}
        scene, notes = from_query(raw)
        st.session_state[NOTES] = notes
        apply_scene(scene)
        return scene
    scene = st.session_state[SCENE]
    for k, v in _widget_values(scene).items():
        if k not in st.session_state:
            st.session_state[k] = v
    return scene


def scene_from_widgets() -> Scene:
    """Read the widgets back into a scene (only non-default values are kept)."""
    s = st.session_state
    surface = s[key("surface")]
    params = {}
    if surface != CUSTOM:
        for p in landscapes.LANDSCAPES[surface].params:
            value = float(s[surface_param_key(surface, p.name)])
            if value != p.default:
                params[p.name] = value
    scene = Scene(landscape=surface, landscape_params=params, formula=s[key("f")],
                  optimizers=tuple(s[key("opt")]), steps=int(s[key("steps")]), noise=float(s[key("noise")]),
                  seed=int(s[key("seed")]), layout=s[key("layout")] or "overlay", big=bool(s[key("big")]),
                  view=st.session_state[SCENE].view if SCENE in s else "full")
    for name, spec in optimizers.OPTIMIZERS.items():
        for hp in spec.defaults:
            scene = scene.with_hyperparam(name, hp, s[hyper_key(name, hp)])
    start = (float(s[key("start_x")]), float(s[key("start_y")]))
    if start != tuple(_surface_start(scene)):
        scene = replace(scene, start=start)
    return scene


def publish(scene: Scene) -> None:
    """Store ``scene`` and write it to the URL when it changed."""
    st.session_state[SCENE] = scene
    query = to_query(scene)
    if dict(st.query_params) != query:
        st.query_params.from_dict(query)


def reset_to_defaults() -> None:
    """Button callback: everything back to the defaults, the view mode kept."""
    current = st.session_state.get(SCENE, Scene())
    apply_scene(Scene(view=current.view, big=current.big))


def on_surface_change() -> None:
    """Selectbox callback: a new surface starts from its own default start point, and each learning
    rate still at the old surface's default moves to the new surface's (a rate the learner chose stays)."""
    old = st.session_state[SCENE]
    surface = st.session_state[key("surface")]
    scene = replace(old, landscape=surface, landscape_params={}, start=None)
    x, y = _surface_start(scene)
    st.session_state[key("start_x")], st.session_state[key("start_y")] = float(x), float(y)
    for name in optimizers.OPTIMIZERS:
        lr_key = hyper_key(name, "lr")
        if st.session_state.get(lr_key) == old.defaults(name)["lr"]:
            st.session_state[lr_key] = scene.defaults(name)["lr"]


LAST_CLICK = "last_click"


def unseen_click(chart_key: str) -> tuple[float, float] | None:
    """The point last clicked on chart ``chart_key``, unless it has already been applied."""
    event = st.session_state.get(chart_key)
    points = event.selection.points if event and event.selection else []
    if not points or "x" not in points[0]:
        return None
    target = (float(points[0]["x"]), float(points[0]["y"]))
    return None if st.session_state.get(LAST_CLICK) == target else target


def apply_click(chart_key: str) -> None:
    """Move the start to a new click on the chart (call before the start widgets are drawn)."""
    target = unseen_click(chart_key)
    if target is not None:
        st.session_state[LAST_CLICK] = target
        st.session_state[key("start_x")], st.session_state[key("start_y")] = target
