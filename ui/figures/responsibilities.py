"""One point's responsibilities as bars."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..palette import component_color
from .base import base_layout, build_figure, unchecked


def responsibilities_bar(gamma_row, *, point_index=None, height=260) -> go.Figure:
    """Bar chart of one point's responsibilities γ_z (they sum to 1)."""
    gamma_row = np.asarray(gamma_row, dtype=float)
    k = len(gamma_row)
    names = [f"z={c + 1}" for c in range(k)]
    title = "Responsibilities" + ("" if point_index is None else f" of point {point_index}")
    return build_figure(
        [unchecked(go.Bar,
            x=names, y=gamma_row, marker=dict(color=[component_color(c) for c in range(k)]),
            text=[f"{g:.3f}" for g in gamma_row], textposition="outside",
            hovertemplate="%{x}: γ=%{y:.4f}<extra></extra>",
        )],
        yaxis=dict(range=[0, 1.15], title=dict(text="γ (responsibility)")),
        **base_layout(title=title, height=height, uirevision="bar"),
    )
