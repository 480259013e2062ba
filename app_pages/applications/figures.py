"""Pure Plotly builders for the Applications page (no Streamlit): arrays in, ``go.Figure`` out.

Traces are plain dicts built into one unvalidated figure: Plotly's per-point validation costs
about a second per 20,000 colour strings.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ui.figures import FONT, WEBGL_THRESHOLD, ellipse_set
from ui.palette import blend, component_color, darken

FLAG_COLOR = "#D55E00"
POINT_GREY = "#9e9e9e"
#: Light where p(x) is low, mid blue where it is high (points stay visible on it).
DENSITY_SCALE = [[0.0, "#f7fbff"], [0.5, "#c6dbef"], [0.8, "#6baed6"], [1.0, "#2171b5"]]


def scatter_type(n: int) -> str:
    return "scattergl" if n > WEBGL_THRESHOLD else "scatter"


def figure(traces, *, title, height=460, x_title="", y_title="", equal=False, **layout):
    """A figure with the page's layout; ``title=None`` when the page writes the title above
    the chart (side-by-side charts: a Plotly title cannot wrap and was cut off when narrow)."""
    layout = dict(
        title=dict(text=title or "", x=0.01, xanchor="left", font=dict(size=15)),
        height=height, font=FONT, margin=dict(l=10, r=10, t=48 if title else 16, b=10),
        legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0),
        xaxis=dict(title=dict(text=x_title), zeroline=False, **layout.pop("xaxis", {})),
        yaxis=dict(title=dict(text=y_title), zeroline=False, **layout.pop("yaxis", {})),
        hovermode="closest", **layout,
    )
    if equal:
        layout["yaxis"].update(scaleanchor="x", scaleratio=1)
    return go.Figure(data=traces, layout=layout, _validate=False)


def point_size(n: int) -> float:
    return 6.0 if n <= 2000 else 3.5


def plane(X):
    """(x, y, y axis title) for drawing: 2-D as is; 1-D against a random jitter."""
    if X.shape[1] >= 2:
        return X[:, 0], X[:, 1], None
    jitter = np.random.default_rng(0).uniform(-1, 1, len(X))
    return X[:, 0], jitter, "random jitter (no meaning)"


def ellipse_traces(means, covs, weights=None, sigmas=(1, 2), n=0):
    """Each component's 1σ (solid) and 2σ (dotted) ellipses and its mean, in component
    colours; legend entries "z = 1", "z = 2", …"""
    def line(z, s):
        return dict(hoverinfo="skip", legendgroup=f"c{z}", showlegend=False,
                    line=dict(color=darken(component_color(z)), width=2.5 if s == 1 else 1.2,
                              dash=None if s == 1 else "dot"),
                    name=f"z = {z + 1}, {s}σ")

    def mean(z):
        label = f"z = {z + 1}" + ("" if weights is None else f" (π = {weights[z]:.2f})")
        return dict(name=label, legendgroup=f"c{z}",
                    marker=dict(symbol="x", size=14, color=darken(component_color(z), 0.2),
                                line=dict(width=1.5, color="white")),
                    hovertemplate=f"μ_{z + 1}<extra></extra>")

    # WebGL points are drawn above SVG lines: match their kind
    return ellipse_set(means, covs, sigmas, line, mean, kind=scatter_type(n))


# ------------------------------------------------------------------------------------------
# Clustering


def soft_clustering_figure(X, gamma, means, covs, weights, split, feature_names, *,
                           uncertainty=True, height=460):
    """Points coloured by the γ-weighted mix of component colours, split points ringed."""
    x, y, jitter_title = plane(X)
    n = len(X)
    size = point_size(n)
    sizes = size + 12.0 * (1.0 - gamma.max(axis=1)) if uncertainty else size
    kind = scatter_type(n)
    traces = [dict(type=kind, x=x, y=y, mode="markers", name="points", showlegend=False,
                   marker=dict(color=blend(gamma), size=sizes, opacity=0.7, line=dict(width=0)),
                   customdata=gamma.max(axis=1),
                   hovertemplate="max γ = %{customdata:.2f}<extra></extra>")]
    if split.any():
        traces.append(dict(type=kind, x=x[split], y=y[split], mode="markers",
                           name=f"split: max γ < 0.8 ({int(split.sum())})",
                           marker=dict(symbol="circle-open", size=size + 6, color="#111111",
                                       line=dict(width=1.5)), hoverinfo="skip"))
    if X.shape[1] >= 2:
        traces += ellipse_traces(means, covs, weights, n=n)
    return figure(traces, title=None, height=height,
                  x_title=feature_names[0], y_title=jitter_title or feature_names[1],
                  equal=X.shape[1] >= 2)


def kmeans_figure(X, labels, centers, feature_names, *, height=460):
    """Points coloured by their k-means cluster (hard: one colour each), centres as crosses."""
    x, y, jitter_title = plane(X)
    n = len(X)
    kind = scatter_type(n)
    traces = []
    for c in range(len(centers)):
        mask = labels == c
        traces.append(dict(type=kind, x=x[mask], y=y[mask], mode="markers",
                           name=f"cluster {c + 1}", legendgroup=f"c{c}",
                           marker=dict(color=component_color(c), size=point_size(n),
                                       opacity=0.7, line=dict(width=0)), hoverinfo="skip"))
        cy = centers[c, 1] if X.shape[1] >= 2 else 0.0
        traces.append(dict(type=kind, x=[centers[c, 0]], y=[cy], mode="markers",
                           showlegend=False, legendgroup=f"c{c}",
                           marker=dict(symbol="x", size=14, color=darken(component_color(c)),
                                       line=dict(width=1.5, color="white")),
                           hovertemplate=f"centre {c + 1}<extra></extra>"))
    return figure(traces, title=None, height=height,
                  x_title=feature_names[0], y_title=jitter_title or feature_names[1],
                  equal=X.shape[1] >= 2)


# ------------------------------------------------------------------------------------------
# Density estimation


def density_map_figure(X, xs, ys, log_p, feature_names, samples=None, *, height=480):
    """2-D: heat-map of log p(x) with contour lines, the data, and optional model samples."""
    floor = float(log_p.max()) - 12.0  # 12 nats below the peak: the rest is one colour
    kind = scatter_type(len(X) + (0 if samples is None else len(samples)))
    traces = [
        dict(type="heatmap", x=xs, y=ys, z=np.maximum(log_p, floor), colorscale=DENSITY_SCALE,
             colorbar=dict(title=dict(text="log p(x)", side="right"), thickness=12),
             hovertemplate="log p = %{z:.2f}<extra></extra>"),
        dict(type="contour", x=xs, y=ys, z=np.maximum(log_p, floor), showscale=False,
             contours=dict(coloring="none"), ncontours=10, line=dict(color="#08306b", width=1),
             hoverinfo="skip", name="contours of log p"),
        dict(type=kind, x=X[:, 0], y=X[:, 1], mode="markers", name="data",
             marker=dict(color="#222222", size=3, opacity=0.5), hoverinfo="skip"),
    ]
    if samples is not None and len(samples):
        traces.append(dict(type=kind, x=samples[:, 0], y=samples[:, 1], mode="markers",
                           name=f"{len(samples):,} samples from the model",
                           marker=dict(color="#E69F00", size=6, symbol="diamond",
                                       line=dict(width=0.5, color="#333"))))
    return figure(traces, title="Mixture density log p(x) over the data", height=height,
                  x_title=feature_names[0], y_title=feature_names[1],
                  xaxis=dict(range=[xs[0], xs[-1]]), yaxis=dict(range=[ys[0], ys[-1]]))


def density_1d_figure(X, xs, log_p, kde_p, edges, heights, feature_name, samples=None, *,
                      height=440):
    """1-D: histogram, mixture density p(x), KDE, and optional samples as a rug."""
    traces = [
        dict(type="bar", x=(edges[:-1] + edges[1:]) / 2, y=heights, width=np.diff(edges),
             name="histogram (density)", marker=dict(color="#cfd8dc"), hoverinfo="skip"),
        dict(type="scatter", x=xs, y=np.exp(log_p), mode="lines", name="GMM p(x)",
             line=dict(color="#0072B2", width=3)),
        dict(type="scatter", x=xs, y=kde_p, mode="lines", name="KDE",
             line=dict(color="#009E73", width=2, dash="dash")),
    ]
    if samples is not None and len(samples):
        traces.append(dict(type="scatter", x=samples[:, 0], y=np.zeros(len(samples)),
                           mode="markers", name=f"{len(samples):,} samples from the model",
                           marker=dict(symbol="line-ns-open", size=12, color="#E69F00")))
    return figure(traces, title="Density estimates of the data", height=height,
                  x_title=feature_name, y_title="density", bargap=0)


def held_out_figure(comparison, *, height=340):
    """Held-out mean log-likelihood against K, with the KDE (and histogram) as lines."""
    c = comparison
    best = int(np.nanargmax(c.gmm_scores))
    traces = [
        dict(type="scatter", x=c.ks, y=c.gmm_scores, mode="lines+markers", name="GMM",
             line=dict(color="#0072B2", width=2.5)),
        dict(type="scatter", x=[c.ks[best]], y=[c.gmm_scores[best]], mode="markers",
             name=f"best K = {c.ks[best]}",
             marker=dict(symbol="star", size=16, color="#E69F00",
                         line=dict(width=1, color="#333"))),
    ]
    span = [c.ks[0] - 0.3, c.ks[-1] + 0.3]
    if np.isfinite(c.kde_score):
        traces.append(dict(type="scatter", x=span, y=[c.kde_score] * 2, mode="lines",
                           name="KDE (gaussian_kde)", line=dict(color="#009E73", dash="dash")))
    if c.histogram_score is not None and np.isfinite(c.histogram_score):
        traces.append(dict(type="scatter", x=span, y=[c.histogram_score] * 2, mode="lines",
                           name="histogram", line=dict(color="#999999", dash="dot")))
    return figure(traces, title=f"Held-out mean log-likelihood ({c.n_folds}-fold "
                                f"cross-validation, {c.n_used:,} points)",
                  height=height, x_title="components K", y_title="mean log p(x), held out",
                  xaxis=dict(dtick=1))


# ------------------------------------------------------------------------------------------
# Anomaly detection


def anomaly_figure(X, log_p, flagged, feature_names, grid=None, threshold=None, truth=None,
                   *, height=480):
    """Points, flagged ones in vermillion; in 2-D the contour log p(x) = t (the boundary);
    in 1-D log p(x) against x with the threshold line. Known outliers drawn as open squares."""
    n = len(X)
    kind = scatter_type(n)
    two_d = X.shape[1] >= 2
    y = X[:, 1] if two_d else log_p
    traces = []
    if two_d and grid is not None:
        xs, ys, lg = grid
        traces.append(dict(type="contour", x=xs, y=ys, z=lg, showscale=False,
                           autocontour=False,
                           contours=dict(coloring="none", start=threshold, end=threshold,
                                         size=1.0, showlabels=False),
                           line=dict(color=FLAG_COLOR, width=2, dash="dash"),
                           name="boundary log p(x) = t", showlegend=True, hoverinfo="skip"))
    for mask, name, color, size in ((~flagged, "not flagged", POINT_GREY, point_size(n)),
                                    (flagged, f"flagged ({int(flagged.sum()):,})", FLAG_COLOR,
                                     point_size(n) + 2)):
        traces.append(dict(type=kind, x=X[mask, 0], y=y[mask], mode="markers", name=name,
                           customdata=np.c_[np.flatnonzero(mask), log_p[mask]],
                           marker=dict(color=color, size=size, opacity=0.75),
                           hovertemplate="row %{customdata[0]}<br>log p = "
                                         "%{customdata[1]:.2f}<extra></extra>"))
    if truth is not None and truth.any():
        traces.append(dict(type=kind, x=X[truth, 0], y=y[truth], mode="markers",
                           name=f"injected outliers ({int(truth.sum())})",
                           marker=dict(symbol="square-open", size=point_size(n) + 7,
                                       color="#111111", line=dict(width=1.2)),
                           hoverinfo="skip"))
    if not two_d and threshold is not None:
        traces.append(dict(type="scatter", x=[X[:, 0].min(), X[:, 0].max()],
                           y=[threshold] * 2, mode="lines", name="threshold t",
                           line=dict(color=FLAG_COLOR, dash="dash")))
    return figure(traces, title="Points with log p(x) < t are flagged", height=height,
                  x_title=feature_names[0],
                  y_title=feature_names[1] if two_d else "log p(x)", equal=two_d)


def pr_curve_figure(curve, current=None, *, height=340):
    """Precision against recall over every threshold, the current one marked."""
    traces = [dict(type="scatter", x=curve.recall, y=curve.precision, mode="lines",
                   line=dict(shape="hv", color="#0072B2", width=2.5),
                   name=f"all thresholds (AP = {curve.average_precision:.2f})")]
    if current is not None:
        traces.append(dict(type="scatter", x=[current[1]], y=[current[0]], mode="markers",
                           name="current threshold",
                           marker=dict(size=13, color=FLAG_COLOR, symbol="circle",
                                       line=dict(width=1, color="#333"))))
    return figure(traces, title="Precision–recall curve", height=height, x_title="recall",
                  y_title="precision", xaxis=dict(range=[0, 1.02]),
                  yaxis=dict(range=[0, 1.05]))
