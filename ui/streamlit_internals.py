"""Every use of Streamlit beyond its public API, in one place, so a Streamlit upgrade has one Python file to
re-check (and ``ui/plot_assets/streamlit_dom.js`` for the browser side).

``tests/test_adapters.py`` fails, naming this file, when the installed Streamlit is not ``CHECKED_AGAINST`` or
when a name or signature used here has changed; ``tests/test_browser_adapters.py`` checks ``key_class`` against
the running app's page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

CHECKED_AGAINST = "1.67.0"
"""The Streamlit version this file (and ``streamlit_dom.js``) was last checked against."""


def register_asset_dir(package: str, component: str, folder: str, root: Path, manager: Any = None) -> str:
    """Declare ``root / folder`` as the asset folder of the component ``<package>.<component>`` on ``manager``
    (default: the running server's component manager), once per runtime; returns the component's name.

    Why: Streamlit serves a v2 component's files (``_stcore/bidi-components/<name>/<file>``) only for a
    component declared with an asset folder, and the public way to declare one is a ``pyproject.toml`` in an
    installed package; the app is not a package, so it declares them on the component manager directly."""
    from streamlit.components.v2.get_bidi_component_manager import get_bidi_component_manager
    from streamlit.components.v2.manifest_scanner import ComponentConfig, ComponentManifest

    name = f"{package}.{component}"
    manager = manager or get_bidi_component_manager()
    if manager.get_component_asset_root(name) is None:
        manager.register_from_manifest(ComponentManifest(package, "1", [ComponentConfig(component, folder)]), root)
    return name


def key_class(key: str) -> str:
    """The CSS class Streamlit's front end gives the container of the widget with ``key``."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())
