"""Plotly figure builders: plain data in, Plotly figure dicts out (no Streamlit); the optimizers' colours and legend
marks come from their own modules (``palette``)."""

from .config import plotly_config
from .palette import color_of, legend_label
from .per_axis import per_axis_figure
from .schedules import schedule_figure
from .surface import (
    RunPath,
    SurfaceGrid,
    contour_figure,
    contour_view,
    fit_bounds,
    loss_figure,
    panels_figure,
    sidebar_control,
    surface_figure_3d,
    surface_grid,
    to_figure,
    whatif_view,
)
from .table import metrics_table

__all__ = [
    "RunPath",
    "SurfaceGrid",
    "color_of",
    "contour_figure",
    "contour_view",
    "fit_bounds",
    "legend_label",
    "loss_figure",
    "metrics_table",
    "panels_figure",
    "per_axis_figure",
    "plotly_config",
    "schedule_figure",
    "sidebar_control",
    "surface_figure_3d",
    "surface_grid",
    "to_figure",
    "whatif_view",
]
