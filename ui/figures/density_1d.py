"""1-D data: histogram, weighted component densities, the mixture and γ_z(x)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from scipy import stats

from gmm_core import EMRecord

from ..palette import component_color, rgba
from .base import base_layout, build_figure, drawn_sample, record_title, sample_note, unchecked
from .mixture import GHOST, point_colors


def density_1d_figure(
    X,
    record: EMRecord,
    responsibilities=None,
    *,
    previous: EMRecord | None = None,
    selected=None,
    feature_name="x",
    title=None,
    uirevision="data",
    height=560,
    bins=40,
) -> go.Figure:
    """1-D data: density histogram, each π_z N(x | μ_z, σ_z²), the mixture, and γ_z(x).

    Bottom panel: the responsibilities γ_z(x) of the record's parameters as a stacked band
    (they sum to 1 at every x), with the data as a strip coloured by the γ in force.
    Above ``MAX_DRAWN_POINTS`` points the histogram and the strip show a fixed random
    sample (the chart says so); the curves are those of the fit to all of them.
    """
    params = record.params
    x = np.asarray(X, dtype=float).reshape(-1)
    lo, hi = x.min(), x.max()
    pad = 0.15 * (hi - lo + 1e-9)
    grid = np.linspace(lo - pad, hi + pad, 400)
    n = len(x)
    shown = drawn_sample(n)
    if shown is not None:
        x = x[shown]
        responsibilities = None if responsibilities is None else responsibilities[shown]
    # Two panels on one x-axis: densities above (y), responsibilities below (y2).
    traces = [unchecked(go.Histogram,
        x=x, histnorm="probability density", nbinsx=bins, name="data",
        marker=dict(color="rgba(140,140,140,0.35)", line=dict(width=0)), showlegend=False,
        hoverinfo="skip",
    )]
    traces += _density_traces(grid, params, previous)
    traces += _gamma_traces(grid, params, x, responsibilities, shown)
    shapes = []
    if selected is not None and 0 <= selected < n:
        at = float(np.asarray(X, dtype=float).reshape(-1)[selected])
        shapes.append(dict(type="line", xref="x", yref="paper", x0=at, x1=at, y0=0, y1=1,
                           line=dict(color="#111111", width=1.5, dash="dot")))
    return build_figure(
        traces, shapes=shapes, annotations=sample_note(n),
        xaxis=dict(title=dict(text=feature_name), anchor="y2"),
        yaxis=dict(title=dict(text="density"), domain=[0.32, 1.0]),
        yaxis2=dict(title=dict(text="γ(x)"), domain=[0.0, 0.26], range=[-0.2, 1.02]),
        clickmode="event+select", hovermode="closest", bargap=0.02,
        **base_layout(title=title or record_title(record), height=height,
                       uirevision=uirevision),
    )


def _density_traces(grid, params, previous):
    """Each π_z N(x | μ_z, σ_z²) (grey dotted: before the M-step) and the mixture p(x)."""
    traces = []
    k = params.n_components
    if previous is not None:
        old_var = previous.params.full_covariances()[:, 0, 0]
        for c in range(k):
            y = previous.weights[c] * stats.norm.pdf(grid, previous.means[c, 0],
                                                     np.sqrt(old_var[c]))
            traces.append(unchecked(go.Scatter,
                x=grid, y=y, mode="lines", legendgroup="before", showlegend=c == 0,
                name="before this M-step", line=dict(color=GHOST, dash="dot", width=1.5),
                hoverinfo="skip",
            ))
    variances = params.full_covariances()[:, 0, 0]
    means = params.means[:, 0]
    total = np.zeros_like(grid)
    for c in range(k):
        y = params.weights[c] * stats.norm.pdf(grid, means[c], np.sqrt(variances[c]))
        total += y
        traces.append(unchecked(go.Scatter,
            x=grid, y=y, mode="lines", fill="tozeroy",
            fillcolor=rgba(component_color(c), 0.15),
            line=dict(color=component_color(c), width=2), legendgroup=f"c{c}",
            name=f"π{c + 1}·N(x | μ{c + 1}, σ{c + 1}²)",
            hovertemplate=f"component {c + 1}<br>x=%{{x:.3f}}<br>π·N=%{{y:.4f}}<extra></extra>",
        ))
    traces.append(unchecked(go.Scatter,
        x=grid, y=total, mode="lines", name="mixture p(x)",
        line=dict(color="#222222", width=2.5),
        hovertemplate="x=%{x:.3f}<br>p(x)=%{y:.4f}<extra></extra>",
    ))
    return traces


def _gamma_traces(grid, params, x, responsibilities, shown=None):
    """The bottom panel: γ_z(x) stacked, and the data as a strip coloured by γ in force."""
    gamma = params.responsibilities(grid[:, None])
    traces = []
    for c in range(params.n_components):
        traces.append(unchecked(go.Scatter,
            x=grid, y=gamma[:, c], mode="lines", stackgroup="gamma",
            line=dict(width=0.5, color=component_color(c)),
            fillcolor=rgba(component_color(c), 0.55), legendgroup=f"c{c}", showlegend=False,
            name=f"γ{c + 1}(x)",
            hovertemplate=f"γ{c + 1}(x)=%{{y:.3f}}<extra></extra>",
            yaxis="y2",
        ))
    traces.append(unchecked(go.Scatter,
        x=x, y=np.full(len(x), -0.12), mode="markers",
        customdata=np.arange(len(x)) if shown is None else shown,
        marker=dict(color=point_colors(responsibilities, len(x)), size=7, symbol="line-ns-open",
                    line=dict(width=2)), name="data points", showlegend=False,
        hovertemplate="x=%{x:.3f}<br>point %{customdata}<extra></extra>",
        yaxis="y2",
    ))
    return traces
