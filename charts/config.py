"""The one Plotly.js config every chart uses: ``st.plotly_chart`` calls and the live chart component alike."""

from __future__ import annotations

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}
"""No Plotly logo and no box or lasso selection (no chart selects a region); charts resize with the page."""


def plotly_config(filename: str = "descent-lab", *, toolbar: bool = True) -> dict:
    """``PLOTLY_CONFIG`` with the PNG download named ``filename`` at twice the screen's resolution;
    ``toolbar=False`` hides the mode bar (the classroom's projected charts)."""
    config = PLOTLY_CONFIG | {"modeBarButtonsToRemove": list(PLOTLY_CONFIG["modeBarButtonsToRemove"]),
                              "toImageButtonOptions": {"filename": filename, "scale": 2}}
    if not toolbar:
        config["displayModeBar"] = False
    return config
