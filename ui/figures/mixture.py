"""2-D data with the mixture on it: points coloured by γ, ellipses, means; and the
chart for placing means by clicking."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gmm_core import EMRecord, MixtureParameters

from ..palette import NEUTRAL, blend, component_color, darken, rgba
from .base import (
    WEBGL_THRESHOLD,
    base_layout,
    build_figure,
    drawn_sample,
    record_title,
    sample_note,
    unchecked,
)

#: Plotly's numeric marker symbols for true labels 0-7 (circle, square, diamond, cross, x,
#: triangle-up, triangle-down, triangle-left).
LABEL_SYMBOLS = 8
GHOST = "#6b6b6b"  # the ellipses before an M-step: grey, dotted, unlike any component's


def ellipse_xy(mean, covariance, n_sigma=1.0, n_points=72):
    """Closed outline of {x : (x-μ)ᵀ Σ⁻¹ (x-μ) = n_sigma²} as (x, y) arrays."""
    values, vectors = np.linalg.eigh(np.asarray(covariance, dtype=float))
    values = np.clip(values, 0, None)
    t = np.linspace(0, 2 * np.pi, n_points)
    circle = np.stack([np.cos(t), np.sin(t)])
    pts = vectors @ (np.sqrt(values)[:, None] * circle) * n_sigma
    return pts[0] + mean[0], pts[1] + mean[1]


def ellipse_set(means, covariances, sigmas, line, mean=None, *, kind="scatter") -> list[dict]:
    """The one builder of a mixture's ellipses, as trace dicts: for each component z, its
    outlines at the radii ``sigmas`` (largest first, so the 1σ line is drawn on top), each
    styled by ``line(z, s)``, then, if ``mean`` is given, its mean styled by ``mean(z)``.
    ``kind``: "scatter", or "scattergl" to be drawn with WebGL points."""
    traces = []
    for z, (mu, cov) in enumerate(zip(means, covariances)):
        for s in sorted(sigmas, reverse=True):
            ex, ey = ellipse_xy(mu, cov, s)
            traces.append(dict(type=kind, x=ex, y=ey, mode="lines", **line(z, s)))
        if mean is not None:
            traces.append(dict(type=kind, x=[mu[0]], y=[mu[1]], mode="markers", **mean(z)))
    return traces


def point_colors(responsibilities, n_points):
    if responsibilities is None:
        return [NEUTRAL] * n_points
    return blend(responsibilities)


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
    label_names=(),
    same_units=None,
    sample_weight=None,
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
        Drawn as marker symbols when given, one legend entry per symbol (``label_names``).
    selected : int, optional
        Index of a point to ring.
    initial_means : ndarray of shape (K, 2), optional
        Drawn as diamonds (where the run started).
    same_units : bool, optional
        Equal axis scales (the columns share a unit: ``Dataset.same_units``); otherwise each
        axis fits its column. None: equal unless the columns' spans differ more than 2×.
    sample_weight : ndarray of shape (n,), optional
        Each row's weight: marker area proportional to it (the largest 3× the usual
        size across), two legend keys give the scale.

    Above ``MAX_DRAWN_POINTS`` points a fixed random sample of them is drawn (the chart
    says so); the ellipses and means are those of the fit to all of them.
    """
    params = record.params
    n = len(X)
    # WebGL traces are drawn on a canvas above every SVG trace, so once the points are
    # WebGL the ellipses and means must be too, or the points would hide them.
    scatter = go.Scattergl if n > WEBGL_THRESHOLD else go.Scatter
    shown = drawn_sample(n)
    traces = _point_traces(scatter, X, responsibilities, hard_labels=hard_labels,
                           uncertainty=uncertainty, true_labels=true_labels, k=params.n_components,
                           shown=shown, sample_weight=sample_weight)
    traces += _legend_keys(scatter, uncertainty and responsibilities is not None,
                           true_labels, label_names, params.n_components, n, sample_weight)
    if density:
        traces.append(_density_contours(X, params))
    arrows = []
    if previous is not None:
        ghosts, arrows = _before_m_step(scatter, previous, params)
        traces += ghosts
    traces += _component_traces(scatter, params, sigmas)
    if initial_means is not None:
        traces.append(unchecked(scatter,
            x=initial_means[:, 0], y=initial_means[:, 1], mode="markers",
            name="start (initial means)",
            marker=dict(symbol="diamond-open", size=12, color="#333333", line=dict(width=2)),
            hovertemplate="initial mean<extra></extra>",
        ))
    if selected is not None and 0 <= selected < n:
        traces.append(unchecked(scatter,
            x=[X[selected, 0]], y=[X[selected, 1]], mode="markers", name="selected point",
            marker=dict(symbol="circle-open", size=20, color="#111111", line=dict(width=3)),
            hoverinfo="skip",
        ))
    xaxis, yaxis = data_axes(X, feature_names, same_units)
    return build_figure(
        traces, annotations=arrows + sample_note(n), xaxis=xaxis, yaxis=yaxis,
        clickmode="event+select", dragmode="pan", hovermode="closest",
        **base_layout(title=title or record_title(record), height=height,
                       uirevision=uirevision),
    )


_POINT_HOVER = "x=%{x:.3f}<br>y=%{y:.3f}<br>point %{customdata}<extra></extra>"


def data_axes(X, feature_names, same_units=None, pad=0.05):
    """x and y axes that the data fill: equal scales when the columns share a unit (see
    ``mixture_figure``), independent ones otherwise."""
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = np.maximum(hi - lo, 1e-9)
    if same_units is None:
        same_units = span.max() / span.min() <= 2
    xaxis = dict(title=dict(text=feature_names[0]), zeroline=False)
    yaxis = dict(title=dict(text=feature_names[1]), zeroline=False)
    if same_units:
        # Autorange: Plotly widens one axis to keep the scales equal, and rewrites a range
        # given here, so the next figure's range would differ and undo the user's zoom.
        yaxis.update(scaleanchor="x", scaleratio=1)
    else:
        xaxis["range"], yaxis["range"] = [
            [float(lo[i] - pad * span[i]), float(hi[i] + pad * span[i])] for i in (0, 1)]
    return xaxis, yaxis


def _point_size(n):
    return 6.0 if n <= 2000 else 3.5


def _weight_sizes(size, weights):
    """Marker diameters with area ∝ weight: the largest weight 3× ``size`` across."""
    top = float(np.max(weights))
    return np.maximum(3.0 * size * np.sqrt(np.asarray(weights) / top), 1.5)


def _legend_keys(scatter, uncertainty, true_labels, label_names, k, n, sample_weight=None):
    """Legend-only entries (no points) that explain marker sizes and shapes."""
    keys = []
    size = _point_size(n)

    def key(name, **marker):
        keys.append(unchecked(scatter, x=[None], y=[None], mode="markers", name=name,
                              legendgroup="keys", hoverinfo="skip",
                              marker=dict(color="#8c8c8c", **marker)))

    if sample_weight is not None:
        top = float(np.max(sample_weight))
        for share in (1.0, 0.25):
            key(f"weight {top * share:.4g}",
                size=float(_weight_sizes(size, [top * share, top])[0]))
    if uncertainty:
        key("certain (max γ = 1)", size=size)
        key(f"uncertain (max γ = 1/{k})", size=size + 14.0 * (1 - 1 / max(k, 1)))
    if true_labels is not None:
        for code in np.unique(np.asarray(true_labels)):
            name = (label_names[code] if code < len(label_names) else f"label {code + 1}")
            key(f"true: {name}", size=9, symbol=int(code) % LABEL_SYMBOLS)
    return keys


def _point_traces(scatter, X, responsibilities, *, hard_labels, uncertainty, true_labels, k,
                  shown=None, sample_weight=None):
    """The data points (only those ``shown``, if given): one trace coloured by the γ blend,
    or one per component (hard labels); sizes grow with uncertainty, symbols show true
    labels; with ``sample_weight`` the area shows each row's weight. Each point's
    customdata is its row in ``X``."""
    size = _point_size(len(X))
    weight_sizes = None if sample_weight is None else _weight_sizes(size, sample_weight)
    index = np.arange(len(X)) if shown is None else shown
    if shown is not None:
        X = X[shown]
        responsibilities = None if responsibilities is None else responsibilities[shown]
        true_labels = None if true_labels is None else np.asarray(true_labels)[shown]
        weight_sizes = None if weight_sizes is None else weight_sizes[shown]
    n = len(X)
    sizes = size if weight_sizes is None else weight_sizes
    if uncertainty and responsibilities is not None:
        sizes = sizes + 14.0 * (1.0 - responsibilities.max(axis=1))
    symbols = None
    if true_labels is not None:
        # numeric symbol codes, no per-point strings
        symbols = np.asarray(true_labels) % LABEL_SYMBOLS
    marker_line = dict(width=0)
    if not (hard_labels and responsibilities is not None):
        return [unchecked(scatter,
            x=X[:, 0], y=X[:, 1], mode="markers", customdata=index, name="data",
            showlegend=False,
            marker=dict(color=point_colors(responsibilities, n), size=sizes, opacity=0.6,
                        line=marker_line, symbol=symbols),
            hovertemplate=_POINT_HOVER,
        )]
    labels = responsibilities.argmax(axis=1)
    traces = []
    for c in range(k):
        mask = labels == c
        traces.append(unchecked(scatter,
            x=X[mask, 0], y=X[mask, 1], mode="markers", customdata=index[mask],
            name=f"points → {c + 1}", legendgroup=f"c{c}", showlegend=False,
            marker=dict(color=component_color(c), size=sizes if np.isscalar(sizes)
                        else sizes[mask], opacity=0.75, line=marker_line,
                        symbol=None if symbols is None else symbols[mask]),
            hovertemplate=_POINT_HOVER,
        ))
    return traces


def _before_m_step(scatter, previous: EMRecord, params: MixtureParameters):
    """Grey dotted ghosts of the 1σ ellipses before an M-step (one legend entry, "before
    this M-step"; unlike the coloured, filled σ ellipses), and an arrow from each old mean
    to its new one: (traces, annotations)."""
    old_covs = previous.params.full_covariances()
    traces, arrows = [], []
    for c in range(params.n_components):
        ex, ey = ellipse_xy(previous.means[c], old_covs[c], 1.0)
        traces.append(unchecked(scatter,
            x=ex, y=ey, mode="lines", legendgroup="before", showlegend=c == 0,
            line=dict(color=GHOST, dash="dot", width=2),
            hoverinfo="skip", name="before this M-step",
        ))
        arrows.append(dict(
            x=params.means[c, 0], y=params.means[c, 1],
            ax=previous.means[c, 0], ay=previous.means[c, 1],
            xref="x", yref="y", axref="x", ayref="y", showarrow=True,
            arrowhead=3, arrowsize=1.2, arrowwidth=2, arrowcolor=component_color(c),
            text="",
        ))
    return traces, arrows


def _component_traces(scatter, params: MixtureParameters, sigmas):
    """Each component's filled ellipses (one per radius in ``sigmas``) and its mean."""
    weights = params.weights
    wmax = max(float(weights.max()), 1e-12)

    def line(c, s):
        color = component_color(c)
        # Opacity by weight: a component that explains few points fades.
        alpha = (0.06 + 0.16 * weights[c] / wmax) * (0.5 if s > 1 else 1.0)
        return dict(fill="toself", fillcolor=rgba(color, alpha),
                    line=dict(color=darken(color), width=2.5 if s == 1 else 1.5,
                              dash=None if s == 1 else "dot"),
                    opacity=0.55 + 0.45 * weights[c] / wmax,
                    legendgroup=f"c{c}", showlegend=False, hoverinfo="skip",
                    name=f"component {c + 1} {s}σ")

    def mean(c):
        return dict(
            marker=dict(symbol="x", size=15, color=darken(component_color(c), 0.2),
                        line=dict(width=1.5, color="white")),
            legendgroup=f"c{c}", name=f"{c + 1}: π={weights[c]:.2f}",
            hovertemplate=(f"component {c + 1}<br>μ=(%{{x:.3f}}, %{{y:.3f}})"
                           f"<br>π={weights[c]:.3f}<extra></extra>"))

    return ellipse_set(params.means, params.full_covariances(), sigmas, line, mean,
                       kind=scatter.__name__.lower())


def _density_contours(X, params: MixtureParameters, resolution=70):
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.1 * (hi - lo + 1e-9)
    gx = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    gy = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    mx, my = np.meshgrid(gx, gy)
    z = params.score_samples(np.c_[mx.ravel(), my.ravel()]).reshape(mx.shape)
    top = z.max()
    return unchecked(go.Contour, **dict(
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
    traces = [unchecked(scatter, x=X[:, 0], y=X[:, 1], mode="markers", name="data",
                         customdata=np.arange(len(X)),
                         marker=dict(color=NEUTRAL, size=7, opacity=0.8))]
    if len(placed):
        p = np.asarray(placed, dtype=float)
        traces.append(unchecked(
            scatter, x=p[:, 0], y=p[:, 1] if p.shape[1] > 1 else np.zeros(len(p)),
            mode="markers", name="placed means",
            marker=dict(symbol="diamond", size=16, line=dict(width=2, color="#222222"),
                        color=[component_color(i) for i in range(len(p))])))
    return build_figure(traces, clickmode="event+select", hovermode="closest",
                   yaxis=dict(scaleanchor="x", scaleratio=1),
                   **base_layout(title="Click data points to place the means",
                                  height=height, uirevision="placing"))
