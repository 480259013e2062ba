"""Pure Plotly builders for the dimensionality reduction tab (no Streamlit)."""

from __future__ import annotations

import numpy as np

from ui.palette import component_color

from .figures import ellipse_traces, figure, point_size, scatter_type


def scree_figure(ratio, n_pca, *, height=320):
    """Explained variance per principal component (bars, the first m highlighted) and the
    cumulative share (line)."""
    ratio = np.asarray(ratio)
    idx = np.arange(1, len(ratio) + 1)
    colors = ["#0072B2" if i <= n_pca else "#b0bec5" for i in idx]
    traces = [
        dict(type="bar", x=idx, y=100 * ratio, name="each component", marker=dict(color=colors),
             hovertemplate="PC%{x}: %{y:.1f} %<extra></extra>"),
        dict(type="scatter", x=idx, y=100 * np.cumsum(ratio), mode="lines+markers",
             name="cumulative", line=dict(color="#E69F00", width=2),
             hovertemplate="PC1–PC%{x}: %{y:.1f} %<extra></extra>"),
    ]
    return figure(traces, title=f"Scree: variance explained (first m = {n_pca} in blue)",
                  height=height, x_title="principal component",
                  y_title="% of variance", xaxis=dict(dtick=1 if len(ratio) <= 20 else 5),
                  yaxis=dict(range=[0, 102]))


def _points(display, labels, n):
    kind = scatter_type(n)
    y = display[:, 1] if display.shape[1] > 1 else np.zeros(n)
    traces = []
    for z in np.unique(labels):
        mask = labels == z
        traces.append(dict(type=kind, x=display[mask, 0], y=y[mask], mode="markers",
                           name=f"points → z = {z + 1}", showlegend=False,
                           legendgroup=f"c{z}",
                           marker=dict(color=component_color(int(z)), size=point_size(n),
                                       opacity=0.6, line=dict(width=0)), hoverinfo="skip"))
    return traces


def pca_space_figure(result, n_pca, *, height=460):
    """The data on PC1–PC2 coloured by the GMM fitted in PCA space; its ellipses are the
    marginals on the first two coordinates (exact for a Gaussian)."""
    r = result
    n = len(r.display)
    traces = _points(r.display, r.pca_labels, n)
    if n_pca >= 2 and r.display.shape[1] >= 2:
        covs = r.pca_params.full_covariances()[:, :2, :2]
        traces += ellipse_traces(r.pca_params.means[:, :2], covs, r.pca_params.weights, n=n)
    return figure(traces, title=None, height=height, x_title="PC1",
                  y_title="PC2" if r.display.shape[1] > 1 else "", equal=True)


def full_space_figure(result, *, height=460):
    """The data on PC1–PC2 coloured by the GMM fitted in all columns, its components drawn
    as N(Wᵀ(μ − x̄), Wᵀ Σ W)."""
    r = result
    n = len(r.display)
    traces = _points(r.display, r.full_labels, n)
    if r.full_means_2d.shape[1] >= 2:
        traces += ellipse_traces(r.full_means_2d, r.full_covs_2d, None, n=n)
    return figure(traces, title=None, height=height, x_title="PC1", y_title="PC2", equal=True)


def bic_figure(ms, bics, n_pca, *, height=320):
    best = int(np.argmin(bics))
    traces = [dict(type="scatter", x=ms, y=bics, mode="lines+markers", name="BIC",
                   line=dict(color="#0072B2", width=2.5)),
              dict(type="scatter", x=[ms[best]], y=[bics[best]], mode="markers",
                   name=f"lowest: m = {ms[best]}",
                   marker=dict(symbol="star", size=16, color="#E69F00",
                               line=dict(width=1, color="#333")))]
    if n_pca in set(np.asarray(ms).tolist()):
        i = int(np.flatnonzero(np.asarray(ms) == n_pca)[0])
        traces.append(dict(type="scatter", x=[ms[i]], y=[bics[i]], mode="markers",
                           name=f"m = {n_pca} (slider)",
                           marker=dict(size=13, color="#D55E00", symbol="circle")))
    return figure(traces, title="BIC of the whole data against the number of PCA components m",
                  height=height, x_title="PCA components m", y_title="BIC (lower is better)",
                  xaxis=dict(dtick=1))
