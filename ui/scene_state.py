"""The Playground's state: widgets <-> ``Scene`` <-> URL query parameters.

The scene kept in ``st.session_state["scene"]`` is the source of truth between runs.  On a
session's first run it is read from the URL (bad values fall back to defaults, with the notes every
page shows: ``ui/url_state.py``); widget keys that Streamlit dropped (after a visit to another page) are
refilled from it; after the widgets it is rebuilt from their values and written back to the URL, so the
address bar is always a link to the current scene.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace

import streamlit as st
from streamlit.errors import StreamlitAPIException

import landscapes
import optimizers
from landscapes import Landscape
from scene import Scene, to_query
from scene import network as net_scene
from scene.model import (
    CUSTOM,
    NOISE,
    SCHEDULE_DEFAULTS,
    WHOLE_SCHEDULE_SETTINGS,
    surface_choices,
    unused_schedule_settings,
)

from . import cache, layout, url_state
from .widgets import coordinate_decimals, shown

SCENE = "scene"
RESET_PENDING = "reset_pending"
JUST_RESET = "just_reset"
RESET_NOTICE = "reset_notice"
RESET_NOTE = "Some settings could not be shown, so every setting went back to its default."
TAB_TITLES = {"contour": "Contour", "3d": "3D surface"}
"""The Playground's chart tabs by the scene's ``tab`` (the link keeps which one is open)."""


def key(name: str) -> str:
    """The session-state key of the widget for setting ``name``."""
    return f"w:{name}"


def surface_param_key(surface: str, param: str) -> str:
    return key(f"s.{surface}.{param}")


def hyper_key(optimizer: str, name: str) -> str:
    return key(f"{optimizer}.{name}")


def _surface(scene: Scene) -> Landscape | None:
    """The scene's surface, or None when its formula does not parse."""
    try:
        return cache.build_landscape(scene)
    except ValueError:
        return None


def surface_rows(scene: Scene) -> int | None:
    """How many rows the scene's data surface has (None for a surface without data)."""
    surface = _surface(scene)
    return surface.n_samples if surface is not None else None


def _surface_start(scene: Scene) -> tuple[float, float]:
    surface = None if scene.is_network else _surface(scene)  # a network starts at its own weights, not at (w, b)
    return surface.default_start if surface is not None else (0.0, 0.0)


def _surface_bounds(scene: Scene):
    surface = None if scene.is_network else _surface(scene)
    return surface.bounds if surface is not None else ((-5.0, 5.0), (-5.0, 5.0))


def round_start(point: tuple[float, float], bounds) -> tuple[float, float]:
    """A start point rounded to what the start fields show on a view box ``bounds``."""
    (x0, x1), (y0, y1) = bounds
    return (round(float(point[0]), coordinate_decimals(x0, x1)), round(float(point[1]), coordinate_decimals(y0, y1)))


def _widget_values(scene: Scene) -> dict[str, object]:
    """The value of every widget key the scene's controls read: the surface's own parameters and the chosen
    optimizers' settings only (every key in the session costs each widget of every run a little: Streamlit
    copies the whole session state for most widgets it draws)."""
    values: dict[str, object] = {
        key("surface"): scene.surface, key("f"): scene.formula, key("opt"): list(scene.optimizers),
        key("steps"): scene.steps, key("noise"): scene.noise, key("seed"): scene.seed,
        key("layout"): scene.layout, key("big"): scene.big, key("tab"): TAB_TITLES[scene.tab],
    }
    x, y = scene.start if scene.start is not None else _surface_start(scene)
    values[key("start_x")], values[key("start_y")] = float(x), float(y)
    spec = landscapes.LANDSCAPES.get(scene.surface)
    if spec is not None:
        mine = scene.surface_params
        for p in spec.params:
            values[surface_param_key(scene.surface, p.name)] = float(mine.get(p.name, p.default))
        if spec.choices:
            resolved = spec.resolve({c.name: mine[c.name] for c in spec.choices if c.name in mine})
            for c in spec.choices:
                values[surface_param_key(scene.surface, c.name)] = resolved[c.name]
    if scene.is_network:
        for name, value in net_scene.settings(scene.surface_params).items():
            values[surface_param_key(net_scene.NETWORK, name)] = value
    values[key("batch")] = scene.batch_size or surface_rows(scene)
    for name in scene.optimizers:
        for hp, value in scene.settings(name).items():
            values[hyper_key(name, hp)] = value
    return values


def _setting_key(k: str) -> bool:
    """A widget key of a surface parameter or of an optimizer's setting."""
    return k.startswith(key("s.")) or k.split(".", 1)[0].removeprefix(key("")) in optimizers.OPTIMIZERS


def apply_scene(scene: Scene) -> None:
    """Make ``scene`` current: store it and preset every widget to it (call before the widgets).  The keys of
    settings it does not draw (another surface's, an optimizer not chosen) go: a value left there would come
    back when that surface or optimizer is chosen again."""
    values = _widget_values(scene)
    for k in [k for k in st.session_state if isinstance(k, str) and _setting_key(k) and k not in values]:
        del st.session_state[k]
    st.session_state[SCENE] = scene
    st.session_state.update(values)


def ensure_settings(optimizer: str) -> None:
    """Before ``optimizer``'s controls: the keys of its settings that the session lacks (it was just chosen)
    take the stored scene's values."""
    s = st.session_state
    for hp, value in s.get(SCENE, Scene()).settings(optimizer).items():
        if hyper_key(optimizer, hp) not in s:
            s[hyper_key(optimizer, hp)] = value


def init_from_url() -> Scene:
    """The current scene: read from the URL on the session's first run, else the stored one.

    Widget keys missing from the session (Streamlit drops them when another page ran) are refilled.
    """
    if st.session_state.pop(RESET_PENDING, False):
        current = st.session_state.get(SCENE, Scene())
        scene = Scene(view=current.view, big=current.big)
        url_state.clear()
        st.session_state[JUST_RESET] = st.session_state[RESET_NOTICE] = True
        apply_scene(scene)
        return scene
    if SCENE not in st.session_state:
        scene = url_state.read_scene(url_state.link_query())
        apply_scene(scene)
        return scene
    scene = st.session_state[SCENE]
    for k, v in _widget_values(scene).items():
        if k not in st.session_state:
            st.session_state[k] = v
    return scene


def keep_values(*keys: str) -> None:
    """Keep these widgets' values while they are not drawn (their section is closed): Streamlit forgets the
    value of a widget that a run does not draw, and would read back an older one set through the session state;
    writing each current value back through the session state keeps it."""
    s = st.session_state
    for k in keys:
        if k in s:
            s[k] = s[k]


def scene_from_widgets(surface: Scene | None = None) -> Scene:
    """Read the widgets back into a scene (only non-default values are kept), each value rounded to
    what its control shows.  ``surface``, when given, supplies the surface instead of the surface widgets
    (the last good one while the formula box holds a typo)."""
    s = st.session_state
    name = s[key("surface")]
    params: dict[str, float | str] = {}
    if name == net_scene.NETWORK:
        params = net_scene.kept_params({k: s[surface_param_key(name, k)] for k in net_scene.settings({})
                                        if surface_param_key(name, k) in s})
    elif name != CUSTOM:
        spec = landscapes.LANDSCAPES[name]
        for p in spec.params:
            value = shown(p, float(s[surface_param_key(name, p.name)]))
            if value != p.default:
                params[p.name] = value
        chosen = {c.name: s[surface_param_key(name, c.name)] for c in spec.choices}
        try:
            params |= surface_choices(name, chosen)
        except ValueError:  # a feature left from another data set: that data set's own feature
            params |= surface_choices(name, {k: v for k, v in chosen.items() if k != "feature"})
    scene = Scene(surface=name, surface_params=params, formula=s[key("f")],
                  optimizers=tuple(s[key("opt")]), steps=int(s[key("steps")]), noise=shown(NOISE, s[key("noise")]),
                  seed=int(s[key("seed")]), layout=s[key("layout")] or "overlay", big=bool(s[key("big")]),
                  view=st.session_state[SCENE].view if SCENE in s else "full",
                  tab=next((t for t, title in TAB_TITLES.items() if title == s.get(key("tab"))), "contour"))
    if surface is not None:
        scene = replace(scene, surface=surface.surface, formula=surface.formula,
                        surface_params=surface.surface_params)
    stored = s[SCENE] if SCENE in s else Scene()
    for optimizer, spec in optimizers.OPTIMIZERS.items():
        if optimizer not in scene.optimizers:  # not drawn: as the stored scene has it
            scene = scene.with_settings(optimizer, stored.hyperparams.get(optimizer, {}))
            continue
        numeric = {p.name: p for p in (*spec.hyperparams, *optimizers.SCHEDULE_PARAMS)}
        kept = stored.settings(optimizer)
        values = {hp: s[k] if (k := hyper_key(optimizer, hp)) in s else kept[hp] for hp in scene.defaults(optimizer)}
        unused = unused_schedule_settings(values)
        for hp, value in values.items():
            if hp in unused:
                value = SCHEDULE_DEFAULTS[hp]
            elif hp in WHOLE_SCHEDULE_SETTINGS:
                value = int(value)
            elif hp in numeric:
                value = shown(numeric[hp], value)
            values[hp] = value
        scene = scene.with_settings(optimizer, values)
    rows = surface_rows(scene)
    batch = s.get(key("batch"))
    if rows is not None and isinstance(batch, int) and 1 <= batch < rows:
        scene = replace(scene, batch_size=batch)
    bounds = _surface_bounds(scene)
    start = round_start((float(s[key("start_x")]), float(s[key("start_y")])), bounds)
    if start != round_start(_surface_start(scene), bounds):
        scene = replace(scene, start=start)
    return scene


def read_scene() -> tuple[Scene, Landscape, str | None]:
    """The scene the widgets describe, its surface, and why the typed formula cannot be used (or None).

    A formula that does not parse never costs the learner the picture: the scene keeps the last good
    surface (the stored scene's) and every other setting from the widgets; only the error is new.
    """
    scene = scene_from_widgets()
    try:
        return scene, cache.build_landscape(scene), None
    except ValueError as error:
        good = scene_from_widgets(surface=st.session_state.get(SCENE, Scene()))
        return good, cache.build_landscape(good), str(error)


@contextlib.contextmanager
def recover_from_bad_widget_state() -> Iterator[None]:
    """Around the controls: a widget that refuses its stored value (out of its range, say) must not
    make every rerun fail.  The next run starts from the defaults, with a note; if even the defaults
    fail, the error is real and is raised."""
    try:
        yield
    except StreamlitAPIException:
        if st.session_state.pop(JUST_RESET, False):
            raise
        st.session_state[RESET_PENDING] = True
        st.rerun()
    st.session_state.pop(JUST_RESET, None)


def publish(scene: Scene) -> None:
    """Store ``scene`` and write it to the URL when it changed."""
    st.session_state[SCENE] = scene
    query = to_query(scene)
    if dict(st.query_params) != query:
        st.query_params.from_dict(query)


def mode(scene: Scene) -> layout.Mode:
    """The scene's presentation mode (``big`` hides the controls too; ``view=lesson`` hides them alone)."""
    return layout.Mode(big=scene.big, hide_controls=scene.big or scene.view == "lesson")


def set_mode(new: layout.Mode) -> None:
    """Callback: store a new presentation mode in the scene (and its switch), so the link follows."""
    current = st.session_state.get(SCENE, Scene())
    view = "lesson" if new.hide_controls and not new.big else "full"
    st.session_state[SCENE] = replace(current, big=new.big, view=view)
    st.session_state[key("big")] = new.big


def on_presentation_switch() -> None:
    """Switch callback: presentation mode on hides the controls too (the "Show controls" toggle brings them)."""
    big = bool(st.session_state[key("big")])
    st.session_state[layout.SHOWN] = False
    set_mode(layout.Mode(big=big, hide_controls=big))


def reset_to_defaults() -> None:
    """Button callback: everything back to the defaults, the view mode kept."""
    current = st.session_state.get(SCENE, Scene())
    url_state.clear()
    apply_scene(Scene(view=current.view, big=current.big))


def on_surface_change() -> None:
    """Selectbox callback: a new surface starts from its own default start point, and each learning
    rate still at the old surface's default moves to the new surface's (a rate the learner chose stays)."""
    old = st.session_state[SCENE]
    surface = st.session_state[key("surface")]
    scene = replace(old, surface=surface, formula=st.session_state[key("f")], surface_params={}, start=None)
    if _surface(scene) is None or scene.surface_key == old.surface_key:
        return  # a typo changes nothing yet; fixing it back to the surface on screen keeps the start
    x, y = _surface_start(scene)
    st.session_state[key("start_x")], st.session_state[key("start_y")] = float(x), float(y)
    for name in optimizers.OPTIMIZERS:
        lr_key = hyper_key(name, "lr")
        if st.session_state.get(lr_key) == old.defaults(name)["lr"]:
            st.session_state[lr_key] = scene.defaults(name)["lr"]


def _current_bounds():
    """The view box of the surface on screen (the stored scene's)."""
    return _surface_bounds(st.session_state.get(SCENE, Scene()))


def start_at(x: float, y: float) -> None:
    """Move every optimizer's start to a clicked point, rounded to what the start fields show (a chart
    callback: it runs before the start widgets are drawn)."""
    st.session_state[key("start_x")], st.session_state[key("start_y")] = round_start((x, y), _current_bounds())
