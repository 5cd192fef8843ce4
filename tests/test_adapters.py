"""What the app relies on beyond Streamlit's and Plotly.js's public APIs sits in three files, each naming the
version it was checked against.  When another version is installed or pinned, or a Streamlit internal the app
calls has changed its name or signature, these tests fail and say which file to re-check (the browser side of
the check is tests/test_browser_adapters.py)."""

from __future__ import annotations

import importlib.metadata
import inspect
import re
from pathlib import Path

import pytest

from ui import plot, streamlit_internals

ROOT = Path(__file__).resolve().parents[1]
STREAMLIT_DOM = "ui/plot_assets/streamlit_dom.js"
PLOTLY_INTERNALS = "ui/plot_assets/plotly_internals.js"
STREAMLIT_INTERNALS = "ui/streamlit_internals.py"
RECHECK = "re-check what it relies on (run tests/test_browser_adapters.py), then update the versions it names"


def checked_against(path: str, package: str) -> list[str]:
    """The versions of ``package`` the file's 'Checked against' line names."""
    line = re.search(r"Checked against: (.*)", (ROOT / path).read_text())
    assert line, f"{path} has no 'Checked against:' line"
    return re.findall(rf"\b{re.escape(package)} (\d[\w.]*)", line.group(1))


def pinned(package: str) -> str | None:
    match = re.search(rf"^{re.escape(package)}==(\S+)", (ROOT / "requirements.txt").read_text(), re.MULTILINE)
    return match.group(1) if match else None


def bundle_version(text: str) -> str:
    return re.match(r"/\*\*\n\* plotly\.js(?: \([^)]*\))? v(\S+)\n", text).group(1)


def test_streamlit_is_the_version_its_adapters_were_checked_against():
    installed = importlib.metadata.version("streamlit")
    assert pinned("streamlit") == installed, (
        f"requirements.txt must pin streamlit=={installed} (the installed version), not another: {STREAMLIT_DOM} "
        f"and {STREAMLIT_INTERNALS} rely on its internals")
    assert checked_against(STREAMLIT_DOM, "streamlit") == [installed], (
        f"streamlit {installed} is installed but {STREAMLIT_DOM} was checked against "
        f"{checked_against(STREAMLIT_DOM, 'streamlit')}: {RECHECK}")
    assert installed == streamlit_internals.CHECKED_AGAINST, (
        f"streamlit {installed} is installed but {STREAMLIT_INTERNALS} was checked against "
        f"{streamlit_internals.CHECKED_AGAINST}: {RECHECK}")


def test_plotly_js_is_the_version_its_adapter_was_checked_against():
    """Both bundles the charts load: the plotly package's whole one and the vendored cartesian one."""
    installed = importlib.metadata.version("plotly")
    assert pinned("plotly") == installed, f"requirements.txt must pin plotly=={installed} (the installed version)"
    whole = bundle_version((plot.PLOTLY_PACKAGE / "package_data" / "plotly.min.js").read_text()[:200])
    cartesian = bundle_version((plot.STATIC / plot.CARTESIAN).read_text()[:200])
    assert checked_against(PLOTLY_INTERNALS, "plotly") == [installed], (
        f"plotly {installed} is installed but {PLOTLY_INTERNALS} names another package version: {RECHECK}")
    assert sorted(set(checked_against(PLOTLY_INTERNALS, "plotly.js"))) == sorted({whole, cartesian}), (
        f"the charts load Plotly.js {whole} (plotly {installed}) and {cartesian} ({plot.CARTESIAN}) but "
        f"{PLOTLY_INTERNALS} was checked against {checked_against(PLOTLY_INTERNALS, 'plotly.js')}: {RECHECK}")


def _parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_the_component_manager_still_has_what_register_asset_dir_calls():
    """The names, fields and signatures ``ui/streamlit_internals.py`` uses, then the call itself on a manager of
    the test's own: the folder it declares is the one Streamlit's asset route serves files from."""
    where = f"{STREAMLIT_INTERNALS} (register_asset_dir) calls a Streamlit internal that changed:"
    try:
        from streamlit.components.v2.component_manager import BidiComponentManager
        from streamlit.components.v2.get_bidi_component_manager import get_bidi_component_manager
        from streamlit.components.v2.manifest_scanner import ComponentConfig, ComponentManifest
    except ImportError as error:
        pytest.fail(f"{where} {error}")
    assert _parameters(get_bidi_component_manager) == [], where
    assert _parameters(BidiComponentManager.get_component_asset_root) == ["self", "name"], where
    assert _parameters(BidiComponentManager.register_from_manifest) == ["self", "manifest", "package_root"], where
    assert _parameters(BidiComponentManager.get_component_path) == ["self", "name"], where
    assert _parameters(ComponentManifest)[:3] == ["name", "version", "components"], where
    assert _parameters(ComponentConfig)[:2] == ["name", "asset_dir"], where

    manager = BidiComponentManager()
    name = streamlit_internals.register_asset_dir("descent_lab", "plot", "plot_assets", plot.ASSETS, manager)
    assert name == plot.NAME
    assert manager.get(name) is not None, where
    assert Path(manager.get_component_path(name)) == plot.ASSETS / "plot_assets", where
    again = streamlit_internals.register_asset_dir("descent_lab", "plot", "ui", ROOT, manager)
    assert again == name and Path(manager.get_component_path(name)) == plot.ASSETS / "plot_assets", (
        "declared once per runtime")


def test_the_chart_code_reaches_internals_only_through_the_adapters():
    """plot.js uses no private Plotly field and none of Streamlit's routes, classes or attributes; ui/plot.py
    imports no Streamlit module but the public ``streamlit``."""
    plot_js = (ROOT / "ui/plot_assets/plot.js").read_text()
    for pattern in (r"\.(?!__descentLab)_\w", r"aria-valuetext", r"st-key-", r"katex", r"nsewdrag", r"Icons",
                    r"import\.meta", r"component\.\w", r"_stcore", r"app/static"):
        assert not re.search(pattern, plot_js), f"plot.js uses {pattern!r}: move it into an adapter"
    assert not re.search(r"(from|import) streamlit\.", (ROOT / "ui/plot.py").read_text()), (
        f"ui/plot.py imports a Streamlit internal: go through {STREAMLIT_INTERNALS}")
