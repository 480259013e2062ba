"""Log-likelihood over the half-steps of one run, and the curves of several runs."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .base import base_layout, build_figure, unchecked


def log_likelihood_figure(history, current_index=None, *, height=300, uirevision="ll",
                          title="Log-likelihood at every half-step") -> go.Figure:
    """Total log-likelihood over half-steps; E and M points marked, the current one ringed.

    A start far below the climb (−10⁸ and so on) is drawn as a triangle on the bottom edge
    with its value in a note (``_off_scale``).

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
              "M": ("square", "#D55E00", "M-step"),
              "set": ("star", "#009E73", "moved by hand")}
    for phase, (symbol, color, label) in styles.items():
        mask = np.array([p == phase for p in phases])
        if not mask.any():
            continue
        traces.append(unchecked(go.Scatter,
            x=idx[mask], y=ll[mask], mode="markers", name=label, customdata=idx[mask],
            marker=dict(symbol=symbol, size=9, color=color),
            cliponaxis=False,  # the start at half-step 0 sits on the axis: draw it whole
            hovertemplate=("half-step %{customdata}<br>" + label +
                           "<br>log-likelihood %{y:,.3f}<extra></extra>"),
        ))
    if current_index is not None and 0 <= current_index < len(history):
        traces.append(unchecked(go.Scatter,
            x=[current_index], y=[ll[current_index]], mode="markers", name="shown",
            marker=dict(symbol="circle-open", size=20, color="#111111", line=dict(width=2.5)),
            hoverinfo="skip",
        ))
    yaxis, annotations = _flat_axis(ll)
    if not yaxis:
        yaxis, annotations, marks = _off_scale(idx, ll, ["#333333"] * len(ll))
        traces += marks
        ring = [t for t in traces if t["name"] == "shown"]
        if ring and marks and ll[current_index] < yaxis["range"][0]:
            ring[0]["y"] = [marks[0]["y"][0]]  # ring the off-scale mark, not empty space
    xaxis = dict(title=dict(text="half-step"), rangemode="tozero")
    if len(history) <= 12:
        xaxis["dtick"] = 1  # whole half-steps only (no 0.5, 1.5 ticks)
    return build_figure(
        traces, annotations=annotations, xaxis=xaxis,
        yaxis=dict(title=dict(text="log-likelihood"), **yaxis),
        clickmode="event+select", hovermode="closest",
        **base_layout(title=title, height=height, uirevision=uirevision),
    )


def _flat_axis(ll):
    """A readable axis for a run that does not move (converged at once): no rounding noise."""
    lo, hi = float(ll.min()), float(ll.max())
    if hi - lo < 1e-6 * max(abs(hi), 1.0):
        span = 1e-4 * max(abs(hi), 1.0)
        return dict(range=[lo - span, hi + span], tickformat=",.2f"), []
    return {}, []


def readable(value: float) -> str:
    """A log-likelihood in a few characters with a true minus: −1,234.0 or −2.9e9."""
    if abs(value) < 1e6:
        text = f"{value:,.1f}"
    else:
        text = f"{value:.2g}".replace("e+0", "e").replace("e+", "e")
    return text.replace("-", "−")


def _off_scale(x, y, colors):
    """Keep the y axis on the climb when some starts lie absurdly far below it, and mark
    those.

    Starts from K data points (k-means++, random data points) give every component a
    covariance of reg_covar, so their log-likelihood is −10⁸ or so; on an axis down to them
    the whole climb would be one flat line. A point more than 20 × |best log-likelihood|
    below the best is off scale: it is drawn as a triangle on the axis' bottom edge, with an
    arrow note giving its value. Every other point (an ordinary start, the biggest jump) stays
    on the axis.

    Returns (y-axis settings, annotations, marker traces); all empty when nothing is off.
    """
    x, y = np.asarray(x), np.asarray(y, dtype=float)
    top = float(y.max())
    off = top - y > 20 * max(abs(top), 1.0)
    if not off.any():
        return {}, [], []
    lo = float(y[~off].min())
    pad = max(0.08 * (top - lo), 1e-6 * max(abs(top), 1.0))
    bottom = lo - pad
    edge = bottom + 0.3 * pad  # just inside the axis, so the mark is drawn
    marks = [unchecked(go.Scatter,
        x=x[off], y=np.full(int(off.sum()), edge), mode="markers", name="off scale (below)",
        customdata=x[off], text=[readable(v) for v in y[off]], showlegend=False,
        cliponaxis=False,
        marker=dict(symbol="triangle-down", size=12, color=np.asarray(colors)[off].tolist(),
                    line=dict(width=1, color="white")),
        hovertemplate="%{text}: off scale, far below the axis<extra></extra>",
    )]
    values = list(dict.fromkeys(readable(v) for v in sorted(y[off])))
    what = "start" if len(values) == 1 else "starts"
    note = dict(xref="x", yref="y", x=float(x[off].min()), y=edge, showarrow=True,
                arrowhead=2, arrowwidth=1, arrowcolor="#555555", ax=36, ay=-34,
                xanchor="left", font=dict(size=11, color="#333333"),
                bgcolor="rgba(255,255,255,0.85)",
                text=f"{what}: {', '.join(values)}, off scale ▼")
    return dict(range=[bottom, top + pad]), [note], marks


def curves_figure(curves, *, height=320, title="Log-likelihood per run") -> go.Figure:
    """Several runs' log-likelihood curves overlaid: ``curves`` maps a name to
    ``(history, color)``; x is the iteration (M-steps) of each run. Starts far below the
    climb (−10⁸ and so on) are marked on the bottom edge with their value."""
    traces, xs, ys, colors = [], [], [], []
    for name, (history, color) in curves.items():
        pts = [r for r in history if r.phase in ("init", "M")]
        traces.append(unchecked(go.Scatter,
            x=[r.iteration for r in pts], y=[r.log_likelihood for r in pts],
            mode="lines+markers", name=name, line=dict(color=color, width=2),
            marker=dict(size=5),
        ))
        xs += [r.iteration for r in pts]
        ys += [r.log_likelihood for r in pts]
        colors += [color] * len(pts)
    yaxis, annotations = dict(title=dict(text="log-likelihood")), []
    if ys:
        axis, annotations, marks = _off_scale(xs, ys, colors)
        yaxis.update(axis)
        traces += marks
    return build_figure(traces, annotations=annotations,
                        xaxis=dict(title=dict(text="iteration")), yaxis=yaxis,
                        **base_layout(title=title, height=height, uirevision="curves"))
