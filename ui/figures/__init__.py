"""Plotly figure builders: pure functions, engine records (and data) in, ``go.Figure`` out.

No Streamlit here (tests/test_layering.py checks it), so every builder is unit-tested on its
own. One module per subject; the names below are the public ones.
"""

from .base import (
    FONT,
    MAX_DRAWN_POINTS,
    PHASE_NAMES,
    WEBGL_THRESHOLD,
    drawn_sample,
    half_step_name,
    record_title,
)
from .density_1d import density_1d_figure
from .history import curves_figure, log_likelihood_figure
from .mixture import ellipse_set, ellipse_xy, mixture_figure, placing_figure, point_colors
from .panels import panel_figure, shared_ranges, wrap_title
from .projector import for_projector
from .responsibilities import responsibilities_bar
from .restarts import restarts_figure

__all__ = [
    "FONT", "MAX_DRAWN_POINTS", "PHASE_NAMES", "WEBGL_THRESHOLD", "curves_figure",
    "density_1d_figure", "drawn_sample", "ellipse_set", "ellipse_xy", "for_projector",
    "half_step_name", "log_likelihood_figure",
    "mixture_figure", "panel_figure", "placing_figure", "point_colors", "record_title",
    "responsibilities_bar", "restarts_figure", "shared_ranges", "wrap_title",
]
