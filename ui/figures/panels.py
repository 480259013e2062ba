"""Small multiples of several runs on shared axes, with their titles."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .base import unchecked
from .density_1d import density_1d_figure
from .mixture import mixture_figure


def shared_ranges(X, pad=0.08):
    """Axis ranges that fit the data (one per feature), for small multiples with shared axes."""
    X = np.asarray(X, dtype=float).reshape(len(X), -1)
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = np.maximum(hi - lo, 1e-9)
    return [[float(lo[i] - pad * span[i]), float(hi[i] + pad * span[i])]
            for i in range(X.shape[1])]


def wrap_title(title: str, max_chars: int | None) -> str:
    """Break a "a · b · c" title after its first part when it is longer than ``max_chars``
    (a narrow panel would cut it off)."""
    if max_chars is None or len(title) <= max_chars or " · " not in title:
        return title
    head, tail = title.split(" · ", 1)
    return f"{head}<br>{tail}"


def panel_figure(X, record, responsibilities=None, *, title, ranges=None, initial_means=None,
                 height=380, feature_names=("x", "y"), max_title_chars=None,
                 same_units=None) -> go.Figure:
    """One small multiple: ``mixture_figure`` (2-D) or ``density_1d_figure`` (1-D) of a run,
    with the shared axis ``ranges`` of every panel, initial means as diamonds and no legend
    (the title carries the story; a legend would collide with it at this size). A title
    longer than ``max_title_chars`` goes on two lines. With no legend, a note in the corner
    says what the diamonds are."""
    X = np.asarray(X, dtype=float).reshape(len(X), -1)
    title = wrap_title(title, max_title_chars)
    if X.shape[1] == 1:
        fig = density_1d_figure(X, record, responsibilities, title=title, height=height,
                                feature_name=feature_names[0], uirevision="cmp")
        if initial_means is not None:
            m = np.asarray(initial_means, dtype=float).reshape(-1)
            fig.add_trace(unchecked(
                go.Scatter, x=m, y=np.zeros(len(m)), mode="markers",
                name="start (initial means)",
                marker=dict(symbol="diamond-open", size=12, color="#333333", line=dict(width=2)),
                hovertemplate="initial mean %{x:.3f}<extra></extra>", cliponaxis=False))
        if ranges is not None:
            fig.update_xaxes(range=ranges[0])
    else:
        means = None if initial_means is None else np.asarray(initial_means, dtype=float)
        fig = mixture_figure(X, record, responsibilities, title=title, height=height,
                             initial_means=means, feature_names=tuple(feature_names),
                             uirevision="cmp", same_units=same_units)
        if ranges is not None:
            fig.update_xaxes(range=ranges[0])
            fig.update_yaxes(range=ranges[1])
    if initial_means is not None:
        fig.add_annotation(xref="paper", yref="paper", x=1.0, y=1.0, xanchor="right",
                           yanchor="top", showarrow=False, font=dict(size=11, color="#333333"),
                           bgcolor="rgba(255,255,255,0.8)", text="◇ start (initial means)")
    top = 40 + 18 * title.count("<br>")  # each line of the title its room
    fig.update_layout(showlegend=False, title_font_size=13, margin=dict(l=10, r=10, t=top, b=10))
    return fig
