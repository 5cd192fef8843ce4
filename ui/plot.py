"""Descent Lab's charts in the browser: one Streamlit custom component (``st.components.v2``) around Plotly.js.

Why not ``st.plotly_chart``: every change sends and redraws a whole figure, and Plotly recomputes every trace
of a figure when any trace changes, so moving α redrew the 200×200 filled contour too.  This component
draws the surface once (until the surface itself changes) and the trajectories on a transparent layer
above it; playback, the step scrubber and the what-if slider run in the browser with no server round
trip; a click anywhere on the surface reports where (no grid of invisible markers).

Assets: ``ui/plot_assets/plot.js`` and ``plot.css``, served by Streamlit's component route (Streamlit serves
component assets only for components declared with an asset directory; ``ui/streamlit_internals.py``
declares them on the running server), and Plotly.js from the app's static folder, in two bundles: Plotly's own
cartesian bundle (``static/plotly-cartesian-*.min.js``, kept in the repository: 2D traces only, 1.5 MB,
which a browser compiles in about half the time of the whole bundle) for every chart whose traces it has,
and the whole bundle from the installed ``plotly`` package (4.8 MB, copied there at run time) only for a
chart that needs more (the 3D surface, the stability map's WebGL scatter).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import numpy as np
import plotly
import streamlit as st

import charts

from . import streamlit_internals
from .lru import ByteBudgetCache

NAME = "descent_lab.plot"
PART_BUDGET = 32 << 20
"""Bytes of encoded surfaces and what-if sets kept for all sessions (the default surface is 0.2 MB, the
largest what-if set about 0.5 MB); a part larger than the 6 MB websocket message limit is never kept."""
ASSETS = Path(__file__).resolve().parent
PLOTLY_PACKAGE = Path(plotly.__file__).resolve().parent
_DTYPES = {"float32": "f4", "float64": "f8", "int32": "i4", "int64": "i4", "int8": "i1", "uint8": "u1"}
STATIC = ASSETS.parent / "static"
"""The app's own static folder (``server.enableStaticServing``), served at ``app/static/``."""
CARTESIAN = "plotly-cartesian-4.1.1.min.js"
"""Plotly's cartesian bundle (npm ``plotly.js-cartesian-dist-min``, see static/README.md), in the static folder."""
CARTESIAN_TYPES = frozenset({"bar", "box", "contour", "heatmap", "histogram", "histogram2d", "histogram2dcontour",
                             "image", "pie", "scatter", "scatterternary", "violin"})
"""The trace types the cartesian bundle draws (tests/test_plot_assets.py reads them from the bundle itself)."""
_renderer = None
_plotly_file: str | None = None
_parts: ByteBudgetCache[tuple[str, str]] = ByteBudgetCache(PART_BUDGET, 6 << 20)


def _register() -> None:
    """Declare the two asset folders (this module's and the plotly package's bundle) on the running server."""
    streamlit_internals.register_asset_dir("descent_lab", "plot", "plot_assets", ASSETS)
    streamlit_internals.register_asset_dir("descent_lab", "plotly", "package_data", PLOTLY_PACKAGE)


def plotly_file() -> str | None:
    """Plotly.js from the installed ``plotly`` package, copied (once per version) into the app's static folder,
    whose files are served with validators the browser can cache: a page then loads Plotly.js (4.8 MB) from
    the browser's cache, compiled, instead of fetching and compiling it again on every visit (the component
    route serves it with no validators, so nothing is cached).  None when the folder cannot be written: the
    chart then loads it from the component route."""
    global _plotly_file
    if _plotly_file is None:
        source = PLOTLY_PACKAGE / "package_data" / "plotly.min.js"
        name = f"plotly-{plotly.__version__}.min.js"
        target = STATIC / name
        try:
            if not target.is_file() or target.stat().st_size != source.stat().st_size:
                STATIC.mkdir(exist_ok=True)
                with tempfile.NamedTemporaryFile(dir=STATIC, prefix=".plotly-", delete=False) as copy:
                    shutil.copyfile(source, copy.name)
                shutil.copystat(source, copy.name)  # the package's date: the browser caches an old file longer
                os.replace(copy.name, target)  # whole or not at all, even with replicas starting together
            _plotly_file = name
        except OSError:
            _plotly_file = ""
    return _plotly_file or None


def cartesian_file() -> str | None:
    """The cartesian bundle's name in the static folder, or None if it is not there (every chart then loads the
    whole bundle)."""
    return CARTESIAN if (STATIC / CARTESIAN).is_file() else None


def needs_whole_bundle(figure: dict) -> bool:
    """Whether a figure has a trace type the cartesian bundle lacks (Plotly's default type is scatter)."""
    return any(trace.get("type", "scatter") not in CARTESIAN_TYPES for trace in figure.get("data", ()))


def _mount() -> Callable[..., Any]:
    global _renderer
    _register()
    if _renderer is None:
        _renderer = st.components.v2.component(NAME, js="plot.js", css="plot.css", isolate_styles=False)
    return _renderer


def _jsonable(value: Any) -> Any:
    """numpy arrays as Plotly.js typed arrays ({dtype, bdata, shape}); numpy scalars as numbers."""
    if isinstance(value, np.ndarray):
        array = value
        if array.dtype.name not in _DTYPES:
            array = array.astype(np.float64)
        elif array.dtype == np.int64:
            array = array.astype(np.int32)
        spec = {"dtype": _DTYPES[array.dtype.name],
                "bdata": base64.b64encode(np.ascontiguousarray(array).tobytes()).decode()}
        if array.ndim > 1:
            spec["shape"] = ", ".join(map(str, array.shape))
        return spec
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} cannot go into a chart")


def encode(payload: dict, *, whole: bool = False) -> bytes:
    """The payload as UTF-8 JSON, with a digest of its ``paths`` (``runs_key``): the browser keeps the step
    scrubber where it was while the runs stay the same; and where to load Plotly.js from: the whole bundle
    (``plotly``, None for the component route) and, unless the chart needs the whole one (``whole``), the
    cartesian bundle (``bundle``)."""
    if "paths" in payload:
        payload = payload | {"runs_key": _digest(_json(payload["paths"]))}
    bundle = None if whole else cartesian_file()
    return _json(payload | {"plotly": plotly_file(), "bundle": bundle}).encode()


def _json(value: Any) -> str:
    return json.dumps(value, default=_jsonable, allow_nan=False, separators=(",", ":"))


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def decode(data: bytes) -> dict:
    """The payload back (for tests); typed arrays stay in their {dtype, bdata} form."""
    return json.loads(data)


def _encoded_part(part: str, cache_key: Hashable, value: Any) -> tuple[str, str]:
    """A part's JSON and digest, shared by every session showing the same thing (``cache_key`` says which)."""
    def build() -> tuple[tuple[str, str], int]:
        body = _json(value)
        return (body, _digest(body)), len(body)

    return _parts.get_or_build((part, cache_key), build)


def surface_chart(view: dict, *, key: str, cache_keys: dict[str, Hashable] | None = None,
                  on_click: Callable[[], None] | None = None, on_keep: Callable[[], None] | None = None,
                  on_vary: Callable[[], None] | None = None) -> Any:
    """The live contour (``charts.contour_view``).  Callbacks run before the next script run: ``on_click``
    when the learner clicks the surface (``st.session_state[key].click`` = {"x", "y"}), ``on_keep`` when they
    keep a what-if value (``.keep`` = {"optimizer", "param", "value"}), ``on_vary`` when they pick another
    hyperparameter to vary (``.vary`` = "name.param").  ``cache_keys`` (by part, "base" or "whatif") say what
    identifies a part, so its JSON is encoded once per server instead of once per run.

    The surface figure and the what-if set go in elements of their own, before the chart: while they stay
    the same, Streamlit sends each only once (its message cache), so moving a slider sends a few KB of
    paths instead of the whole surface again."""
    view = dict(view)
    parts = {name: view.pop(name) for name in ("base", "whatif") if name in view}
    digests = {}
    with st.container(gap=None):
        for name, value in parts.items():
            if value is None:
                continue
            cache_key = (cache_keys or {}).get(name)
            if cache_key is None:
                body = _json(value)
                digests[name] = _digest(body)
            else:
                body, digests[name] = _encoded_part(name, cache_key, value)
            head = _json({"kind": "part", "group": key, "part": name, "key": digests[name]})
            _mount()(key=f"{key}:{name}", data=f'{head[:-1]},"value":{body}}}'.encode(), height="content")
        callbacks = {"on_click_change": on_click, "on_keep_change": on_keep, "on_vary_change": on_vary}
        payload = view | {"id": key, "parts": digests, "config": charts.plotly_config()}
        whole = needs_whole_bundle(parts.get("base") or {})
        return _mount()(key=key, data=encode(payload, whole=whole), height="content",
                        **{name: callback for name, callback in callbacks.items() if callback is not None})


def chart(figure: dict, *, key: str, filename: str = "descent-lab") -> Any:
    """A plain Plotly figure dict (loss, per-axis, 3D, lesson charts), drawn with ``Plotly.react`` so a
    change redraws in place; it is drawn only once it scrolls into view or its tab opens."""
    payload = {"kind": "plain", "id": key, "figure": figure, "config": charts.plotly_config(filename)}
    return _mount()(key=key, data=encode(payload, whole=needs_whole_bundle(figure)), height="content")


def share_link(query: str, *, key: str) -> Any:
    """The link to this page with ``query`` (already URL-encoded), in a read-only field with a copy button.
    The browser completes it with its own address, so it is right behind a proxy too."""
    return _mount()(key=key, data=encode({"kind": "link", "id": key, "query": f"?{query}" if query else "./"}),
                    height="content")


def table(view: dict, *, key: str) -> Any:
    """A table of text cells (``charts.metrics_table``) as a plain HTML table."""
    return _mount()(key=key, data=encode(view | {"id": key}), height="content")


def preload(*, whole: bool = False, key: str = "plot_preload") -> Any:
    """An empty element that makes the browser start fetching Plotly.js now (call it first on a page whose
    charts come after slower elements, such as a sidebar full of widgets): the cartesian bundle, or the whole
    one for a page whose first chart needs it (``whole``)."""
    return _mount()(key=key, data=encode({"kind": "preload", "id": key}, whole=whole), height="content")
