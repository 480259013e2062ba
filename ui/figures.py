"""Plotly figure builders: pure functions, engine records (and data) in, ``go.Figure`` out.

No Streamlit here, so every builder is unit-tested on its own.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from scipy import stats

from gmm_core import EMRecord, MixtureParameters

from .palette import NEUTRAL, blend, component_color, darken, rgba

#: Above this many points the scatter switches to WebGL (Scattergl).
WEBGL_THRESHOLD = 1000

FONT = dict(family="Inter, Segoe UI, Helvetica, Arial, sans-serif", size=13)
PHASE_NAMES = {"init": "start", "E": "after E-step", "M": "after M-step"}


def _unchecked(cls, **kwargs) -> dict:
    """A trace of type ``cls`` as a plain dict, for ``_figure``.

    Plotly's per-property validation costs ~1 s per 20,000 colour strings, and even
    unvalidated trace objects and ``update_*`` calls cost 10-20 ms a figure (~45 ms of each
    EM step's script run); the builders' own tests check what they put in.
    """
    return dict(type=cls.__name__.lower(), **kwargs)


def _figure(traces, **layout) -> go.Figure:
    """The figure, built in one unvalidated call from dict traces and a dict layout."""
    return go.Figure(data=traces, layout=layout, _validate=False)


def _base_layout(*, title: str, height: int, uirevision) -> dict:
    return dict(
        title=dict(text=title, x=0.01, xanchor="left", font=dict(size=15)),
        height=height,
        margin=dict(l=10, r=10, t=48, b=10),
        font=FONT,
        uirevision=uirevision,
        # Below the chart, at the bottom of the figure: a legend in the top band ran into the
        # title once it wrapped (K = 10, or a narrow window).
        legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0,
                    xanchor="left"),
    )


def ellipse_xy(mean, covariance, n_sigma=1.0, n_points=72):
    """Closed outline of {x : (x-μ)ᵀ Σ⁻¹ (x-μ) = n_sigma²} as (x, y) arrays."""
    values, vectors = np.linalg.eigh(np.asarray(covariance, dtype=float))
    values = np.clip(values, 0, None)
    t = np.linspace(0, 2 * np.pi, n_points)
    circle = np.stack([np.cos(t), np.sin(t)])
    pts = vectors @ (np.sqrt(values)[:, None] * circle) * n_sigma
    return pts[0] + mean[0], pts[1] + mean[1]


def point_colors(responsibilities, n_points):
    if responsibilities is None:
        return [NEUTRAL] * n_points
    return blend(responsibilities)


def _covariances_2d(params: MixtureParameters):
    return params.full_covariances()


def mixture_figure(
    X,
    record: EMRecord,
    responsibilities=None,
    *,
    previous: EMRecord | None = None,
    hard_labels=False,
    uncertainty=False,
    sigmas=(1, 2),
    density=False,
    true_labels=None,
    selected=None,
    feature_names=("x", "y"),
    title=None,
    uirevision="data",
    height=560,
    initial_means=None,
) -> go.Figure:
    """2-D data coloured by responsibilities, with covariance ellipses and means.

    Parameters
    ----------
    X : ndarray of shape (n, 2)
    record : EMRecord
        Parameters to draw.
    responsibilities : ndarray of shape (n, K) or None
        γ in force (None before the first E-step: points are grey).
    previous : EMRecord, optional
        After an M-step, the parameters before it: drawn as dashed ghosts with an arrow
        from each old mean to its new one.
    hard_labels : bool
        Colour by argmax γ (one trace per component) instead of the γ-weighted blend.
    uncertainty : bool
        Marker size grows with 1 − max γ (mclust's uncertainty plot).
    sigmas : iterable of float
        Ellipse radii in standard deviations (Mahalanobis distance).
    density : bool
        Draw contours of the mixture log-density.
    true_labels : ndarray of shape (n,), optional
        Drawn as marker symbols when given.
    selected : int, optional
        Index of a point to ring.
    initial_means : ndarray of shape (K, 2), optional
        Drawn as diamonds (where the run started).
    """
    params = record.params
    n, k = len(X), params.n_components
    scatter = go.Scattergl if n > WEBGL_THRESHOLD else go.Scatter
    # WebGL traces are drawn on a canvas above every SVG trace, so once the points are
    # WebGL the ellipses and means must be too, or the points would hide them.
    traces = []
    arrows = []
    index = np.arange(n)
    size = 6.0 if n <= 2000 else 3.5
    sizes = size
    if uncertainty and responsibilities is not None:
        sizes = size + 14.0 * (1.0 - responsibilities.max(axis=1))
    symbols = None
    if true_labels is not None:
        symbols = np.asarray(true_labels) % 8  # numeric symbol codes, no per-point strings
    marker_line = dict(width=0)
    if hard_labels and responsibilities is not None:
        labels = responsibilities.argmax(axis=1)
        for c in range(k):
            mask = labels == c
            traces.append(_unchecked(scatter,
                x=X[mask, 0], y=X[mask, 1], mode="markers", customdata=index[mask],
                name=f"points → {c + 1}", legendgroup=f"c{c}", showlegend=False,
                marker=dict(color=component_color(c), size=sizes if np.isscalar(sizes)
                            else sizes[mask], opacity=0.75, line=marker_line,
                            symbol=None if symbols is None else symbols[mask]),
                hovertemplate="x=%{x:.3f}<br>y=%{y:.3f}<br>point %{customdata}<extra></extra>",
            ))
    else:
        traces.append(_unchecked(scatter,
            x=X[:, 0], y=X[:, 1], mode="markers", customdata=index, name="data",
            showlegend=False,
            marker=dict(color=point_colors(responsibilities, n), size=sizes, opacity=0.6,
                        line=marker_line, symbol=symbols),
            hovertemplate="x=%{x:.3f}<br>y=%{y:.3f}<br>point %{customdata}<extra></extra>",
        ))

    if density:
        traces.append(_density_contours(X, params))

    covs = _covariances_2d(params)
    weights = params.weights
    if previous is not None:
        old_covs = _covariances_2d(previous.params)
        for c in range(k):
            ex, ey = ellipse_xy(previous.means[c], old_covs[c], 1.0)
            traces.append(_unchecked(scatter,
                x=ex, y=ey, mode="lines", legendgroup=f"c{c}", showlegend=False,
                line=dict(color=component_color(c), dash="dash", width=1.5),
                hoverinfo="skip", name=f"component {c + 1} before M-step",
            ))
            arrows.append(dict(
                x=params.means[c, 0], y=params.means[c, 1],
                ax=previous.means[c, 0], ay=previous.means[c, 1],
                xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                arrowhead=3, arrowsize=1.2, arrowwidth=2, arrowcolor=component_color(c),
                text="",
            ))
    wmax = max(float(weights.max()), 1e-12)
    for c in range(k):
        color = component_color(c)
        for s in sorted(sigmas, reverse=True):
            ex, ey = ellipse_xy(params.means[c], covs[c], s)
            # Opacity by weight: a component that explains few points fades.
            alpha = (0.06 + 0.16 * weights[c] / wmax) * (0.5 if s > 1 else 1.0)
            traces.append(_unchecked(scatter,
                x=ex, y=ey, mode="lines", fill="toself", fillcolor=rgba(color, alpha),
                line=dict(color=darken(color), width=2.5 if s == 1 else 1.5,
                          dash=None if s == 1 else "dot"),
                opacity=0.55 + 0.45 * weights[c] / wmax,
                legendgroup=f"c{c}", showlegend=False, hoverinfo="skip",
                name=f"component {c + 1} {s}σ",
            ))
        traces.append(_unchecked(scatter,
            x=[params.means[c, 0]], y=[params.means[c, 1]], mode="markers",
            marker=dict(symbol="x", size=15, color=darken(color, 0.2),
                        line=dict(width=1.5, color="white")),
            legendgroup=f"c{c}", name=f"{c + 1}: π={weights[c]:.2f}",
            hovertemplate=(f"component {c + 1}<br>μ=(%{{x:.3f}}, %{{y:.3f}})"
                           f"<br>π={weights[c]:.3f}<extra></extra>"),
        ))
    if initial_means is not None:
        traces.append(_unchecked(scatter,
            x=initial_means[:, 0], y=initial_means[:, 1], mode="markers", name="start",
            marker=dict(symbol="diamond-open", size=12, color="#333333", line=dict(width=2)),
            hovertemplate="initial mean<extra></extra>",
        ))
    if selected is not None and 0 <= selected < n:
        traces.append(_unchecked(scatter,
            x=[X[selected, 0]], y=[X[selected, 1]], mode="markers", name="selected point",
            marker=dict(symbol="circle-open", size=20, color="#111111", line=dict(width=3)),
            hoverinfo="skip",
        ))
    return _figure(
        traces, annotations=arrows,
        xaxis=dict(title=dict(text=feature_names[0]), zeroline=False),
        yaxis=dict(title=dict(text=feature_names[1]), zeroline=False, scaleanchor="x",
                   scaleratio=1),
        clickmode="event+select", dragmode="pan", hovermode="closest",
        **_base_layout(title=title or record_title(record), height=height,
                       uirevision=uirevision),
    )


def _density_contours(X, params: MixtureParameters, resolution=70):
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.1 * (hi - lo + 1e-9)
    gx = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    gy = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    mx, my = np.meshgrid(gx, gy)
    z = params.score_samples(np.c_[mx.ravel(), my.ravel()]).reshape(mx.shape)
    top = z.max()
    return _unchecked(go.Contour, **dict(
        x=gx, y=gy, z=np.maximum(z, top - 12), showscale=False, ncontours=12,
        contours=dict(coloring="lines"), line=dict(width=1),
        colorscale=[[0, "#d9d9d9"], [1, "#525252"]], hoverinfo="skip", name="log density",
    ))


def placing_figure(X, placed, *, height=520) -> go.Figure:
    """The data in grey and the means placed so far (diamonds) for a click-to-place start.

    1-D data is drawn on the line y = 0. Each point's ``customdata`` is its index.
    """
    X = X if X.shape[1] == 2 else np.c_[X[:, 0], np.zeros(len(X))]
    scatter = go.Scattergl if len(X) > WEBGL_THRESHOLD else go.Scatter
    traces = [_unchecked(scatter, x=X[:, 0], y=X[:, 1], mode="markers", name="data",
                         customdata=np.arange(len(X)),
                         marker=dict(color=NEUTRAL, size=7, opacity=0.8))]
    if len(placed):
        p = np.asarray(placed, dtype=float)
        traces.append(_unchecked(
            scatter, x=p[:, 0], y=p[:, 1] if p.shape[1] > 1 else np.zeros(len(p)),
            mode="markers", name="placed means",
            marker=dict(symbol="diamond", size=16, line=dict(width=2, color="#222222"),
                        color=[component_color(i) for i in range(len(p))])))
    return _figure(traces, clickmode="event+select", hovermode="closest",
                   yaxis=dict(scaleanchor="x", scaleratio=1),
                   **_base_layout(title="Click data points to place the means",
                                  height=height, uirevision="placing"))


def record_title(record: EMRecord) -> str:
    # Iterations completed, as the "Iteration" metric counts them.
    return (f"{PHASE_NAMES[record.phase]} · iteration {record.n_iter} · "
            f"log-likelihood {record.log_likelihood:,.2f}")


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
    """
    params = record.params
    x = np.asarray(X, dtype=float).reshape(-1)
    k = params.n_components
    variances = params.full_covariances()[:, 0, 0]
    means = params.means[:, 0]
    lo, hi = x.min(), x.max()
    pad = 0.15 * (hi - lo + 1e-9)
    grid = np.linspace(lo - pad, hi + pad, 400)
    # Two panels on one x-axis: densities above (y), responsibilities below (y2).
    traces = []
    traces.append(_unchecked(go.Histogram,
        x=x, histnorm="probability density", nbinsx=bins, name="data",
        marker=dict(color="rgba(140,140,140,0.35)", line=dict(width=0)), showlegend=False,
        hoverinfo="skip",
    ))
    if previous is not None:
        old_var = previous.params.full_covariances()[:, 0, 0]
        for c in range(k):
            y = previous.weights[c] * stats.norm.pdf(grid, previous.means[c, 0],
                                                     np.sqrt(old_var[c]))
            traces.append(_unchecked(go.Scatter,
                x=grid, y=y, mode="lines", legendgroup=f"c{c}", showlegend=False,
                line=dict(color=component_color(c), dash="dash", width=1.2), hoverinfo="skip",
            ))
    total = np.zeros_like(grid)
    for c in range(k):
        y = params.weights[c] * stats.norm.pdf(grid, means[c], np.sqrt(variances[c]))
        total += y
        traces.append(_unchecked(go.Scatter,
            x=grid, y=y, mode="lines", fill="tozeroy",
            fillcolor=rgba(component_color(c), 0.15),
            line=dict(color=component_color(c), width=2), legendgroup=f"c{c}",
            name=f"π{c + 1}·N(x | μ{c + 1}, σ{c + 1}²)",
            hovertemplate=f"component {c + 1}<br>x=%{{x:.3f}}<br>π·N=%{{y:.4f}}<extra></extra>",
        ))
    traces.append(_unchecked(go.Scatter,
        x=grid, y=total, mode="lines", name="mixture p(x)",
        line=dict(color="#222222", width=2.5),
        hovertemplate="x=%{x:.3f}<br>p(x)=%{y:.4f}<extra></extra>",
    ))
    gamma = params.responsibilities(grid[:, None])
    for c in range(k):
        traces.append(_unchecked(go.Scatter,
            x=grid, y=gamma[:, c], mode="lines", stackgroup="gamma",
            line=dict(width=0.5, color=component_color(c)),
            fillcolor=rgba(component_color(c), 0.55), legendgroup=f"c{c}", showlegend=False,
            name=f"γ{c + 1}(x)",
            hovertemplate=f"γ{c + 1}(x)=%{{y:.3f}}<extra></extra>",
            yaxis="y2",
        ))
    traces.append(_unchecked(go.Scatter,
        x=x, y=np.full(len(x), -0.12), mode="markers", customdata=np.arange(len(x)),
        marker=dict(color=point_colors(responsibilities, len(x)), size=7, symbol="line-ns-open",
                    line=dict(width=2)), name="data points", showlegend=False,
        hovertemplate="x=%{x:.3f}<br>point %{customdata}<extra></extra>",
        yaxis="y2",
    ))
    shapes = []
    if selected is not None and 0 <= selected < len(x):
        shapes.append(dict(type="line", xref="x", yref="paper", x0=x[selected],
                           x1=x[selected], y0=0, y1=1,
                           line=dict(color="#111111", width=1.5, dash="dot")))
    return _figure(
        traces, shapes=shapes,
        xaxis=dict(title=dict(text=feature_name), anchor="y2"),
        yaxis=dict(title=dict(text="density"), domain=[0.32, 1.0]),
        yaxis2=dict(title=dict(text="γ(x)"), domain=[0.0, 0.26], range=[-0.2, 1.02]),
        clickmode="event+select", hovermode="closest", bargap=0.02,
        **_base_layout(title=title or record_title(record), height=height,
                       uirevision=uirevision),
    )


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
    traces = [_unchecked(go.Scatter, x=idx, y=ll, mode="lines", hoverinfo="skip",
                         line=dict(color="#555555", width=1.5), showlegend=False,
                         name="log-likelihood")]
    bound = np.array([np.nan if r.lower_bound is None else r.lower_bound for r in history])
    if np.isfinite(bound).any():
        traces.append(_unchecked(go.Scatter, x=idx, y=bound, mode="lines",
                                 name="lower bound (ELBO)", hoverinfo="skip",
                                 line=dict(color="#999999", width=1, dash="dot"),
                                 connectgaps=False))
    styles = {"init": ("diamond", "#333333", "start"), "E": ("circle", "#0072B2", "E-step"),
              "M": ("square", "#D55E00", "M-step")}
    for phase, (symbol, color, label) in styles.items():
        mask = np.array([p == phase for p in phases])
        if not mask.any():
            continue
        traces.append(_unchecked(go.Scatter,
            x=idx[mask], y=ll[mask], mode="markers", name=label, customdata=idx[mask],
            marker=dict(symbol=symbol, size=9, color=color),
            hovertemplate=("half-step %{customdata}<br>" + label +
                           "<br>log-likelihood %{y:,.3f}<extra></extra>"),
        ))
    if current_index is not None and 0 <= current_index < len(history):
        traces.append(_unchecked(go.Scatter,
            x=[current_index], y=[ll[current_index]], mode="markers", name="shown",
            marker=dict(symbol="circle-open", size=20, color="#111111", line=dict(width=2.5)),
            hoverinfo="skip",
        ))
    yaxis, annotations = _focus_on_progress(ll)
    xaxis = dict(title=dict(text="half-step"), rangemode="tozero")
    if len(history) <= 12:
        xaxis["dtick"] = 1  # whole half-steps only (no 0.5, 1.5 ticks)
    return _figure(
        traces, annotations=annotations, xaxis=xaxis,
        yaxis=dict(title=dict(text="log-likelihood"), **yaxis),
        clickmode="event+select", hovermode="closest",
        **_base_layout(title=title, height=height, uirevision=uirevision),
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


def responsibilities_bar(gamma_row, *, point_index=None, height=260) -> go.Figure:
    """Bar chart of one point's responsibilities γ_z (they sum to 1)."""
    gamma_row = np.asarray(gamma_row, dtype=float)
    k = len(gamma_row)
    names = [f"z={c + 1}" for c in range(k)]
    title = "Responsibilities" + ("" if point_index is None else f" of point {point_index}")
    return _figure(
        [_unchecked(go.Bar,
            x=names, y=gamma_row, marker=dict(color=[component_color(c) for c in range(k)]),
            text=[f"{g:.3f}" for g in gamma_row], textposition="outside",
            hovertemplate="%{x}: γ=%{y:.4f}<extra></extra>",
        )],
        yaxis=dict(range=[0, 1.15], title=dict(text="γ (responsibility)")),
        **_base_layout(title=title, height=height, uirevision="bar"),
    )


def curves_figure(curves, *, height=320, title="Log-likelihood per run") -> go.Figure:
    """Several runs' log-likelihood curves overlaid: ``curves`` maps a name to
    ``(history, color)``; x is the iteration (M-steps) of each run."""
    traces = []
    for name, (history, color) in curves.items():
        pts = [r for r in history if r.phase in ("init", "M")]
        traces.append(_unchecked(go.Scatter,
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
    return _figure(traces, xaxis=dict(title=dict(text="iteration")), yaxis=yaxis,
                   **_base_layout(title=title, height=height, uirevision="curves"))
