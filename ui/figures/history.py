"""Log-likelihood over the half-steps of one run, and the curves of several runs."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .base import base_layout, build_figure, unchecked


def log_likelihood_figure(history, current_index=None, *, height=300, uirevision="ll",
                          title="Log-likelihood at every half-step") -> go.Figure:
    """Total log-likelihood over half-steps; E and M points marked, the current one ringed.

    The dotted line is the lower bound (ELBO) of the responsibilities in force: after an
    M-step it lies below the log-likelihood, and the next E-step closes the gap.
    Each point's ``customdata`` is its history index (clicking it jumps there).
    """
    idx = np.array([r.index for r in history])
    ll = np.array([r.log_likelihood for r in history])
    phases = [r.phase for r in history]
    traces = [unchecked(go.Scatter, x=idx, y=ll, mode="lines", hoverinfo="skip",
                         line=dict(color="#555555", width=1.5), showlegend=False,
                         name="log-likelihood")]
    bound = np.array([np.nan if r.lower_bound is None else r.lower_bound for r in history])
    if np.isfinite(bound).any():
        traces.append(unchecked(go.Scatter, x=idx, y=bound, mode="lines",
                                 name="lower bound (ELBO)", hoverinfo="skip",
                                 line=dict(color="#999999", width=1, dash="dot"),
                                 connectgaps=False))
    styles = {"init": ("diamond", "#333333", "start"), "E": ("circle", "#0072B2", "E-step"),
              "M": ("square", "#D55E00", "M-step")}
    for phase, (symbol, color, label) in styles.items():
        mask = np.array([p == phase for p in phases])
        if not mask.any():
            continue
        traces.append(unchecked(go.Scatter,
            x=idx[mask], y=ll[mask], mode="markers", name=label, customdata=idx[mask],
            marker=dict(symbol=symbol, size=9, color=color),
            hovertemplate=("half-step %{customdata}<br>" + label +
                           "<br>log-likelihood %{y:,.3f}<extra></extra>"),
        ))
    if current_index is not None and 0 <= current_index < len(history):
        traces.append(unchecked(go.Scatter,
            x=[current_index], y=[ll[current_index]], mode="markers", name="shown",
            marker=dict(symbol="circle-open", size=20, color="#111111", line=dict(width=2.5)),
            hoverinfo="skip",
        ))
    yaxis, annotations = _focus_on_progress(ll)
    xaxis = dict(title=dict(text="half-step"), rangemode="tozero")
    if len(history) <= 12:
        xaxis["dtick"] = 1  # whole half-steps only (no 0.5, 1.5 ticks)
    return build_figure(
        traces, annotations=annotations, xaxis=xaxis,
        yaxis=dict(title=dict(text="log-likelihood"), **yaxis),
        clickmode="event+select", hovermode="closest",
        **base_layout(title=title, height=height, uirevision=uirevision),
    )


def _focus_on_progress(ll):
    """y-axis settings (and a note) that keep the axis on the climb when the start is far
    below everything after it.

    (Starts with a covariance of reg_covar give a log-likelihood of −10⁸ or so; on a linear
    axis the whole run would then look flat.)
    """
    lo, hi = float(ll.min()), float(ll.max())
    if hi - lo < 1e-6 * max(abs(hi), 1.0):  # flat (converged at once): no rounding-noise axis
        span = 1e-4 * max(abs(hi), 1.0)
        return dict(range=[lo - span, hi + span], tickformat=",.2f"), []
    if len(ll) < 4:
        return {}, []
    later = ll[2:]  # after the first M-step
    lo, hi = float(later.min()), float(later.max())
    pad = max(0.08 * (hi - lo), 1e-6 * max(abs(hi), 1.0))
    if ll.min() < lo - 20 * pad:
        note = dict(xref="paper", yref="paper", x=0.0, y=0.0, xanchor="left",
                    yanchor="bottom", showarrow=False, font=dict(size=11, color="#555555"),
                    text=f"start: {ll[0]:,.4g} (below the axis)")
        return dict(range=[lo - pad, hi + pad]), [note]
    return {}, []


def curves_figure(curves, *, height=320, title="Log-likelihood per run") -> go.Figure:
    """Several runs' log-likelihood curves overlaid: ``curves`` maps a name to
    ``(history, color)``; x is the iteration (M-steps) of each run."""
    traces = []
    for name, (history, color) in curves.items():
        pts = [r for r in history if r.phase in ("init", "M")]
        traces.append(unchecked(go.Scatter,
            x=[r.iteration for r in pts], y=[r.log_likelihood for r in pts],
            mode="lines+markers", name=name, line=dict(color=color, width=2),
            marker=dict(size=5),
        ))
    yaxis = dict(title=dict(text="log-likelihood"))
    later = [r.log_likelihood for history, _ in curves.values() for r in history
             if r.phase == "M"]
    starts = [history[0].log_likelihood for history, _ in curves.values()]
    if later and min(starts) < min(later) - 20 * (max(later) - min(later) + 1e-9):
        lo, hi = min(later), max(later)  # spike starts (−1e8 or so) would flatten the climb
        pad = max(0.08 * (hi - lo), 1e-6 * max(abs(hi), 1.0))
        yaxis["range"] = [lo - pad, hi + pad]
    return build_figure(traces, xaxis=dict(title=dict(text="iteration")), yaxis=yaxis,
                   **base_layout(title=title, height=height, uirevision="curves"))
