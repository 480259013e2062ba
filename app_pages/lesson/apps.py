"""Stop 11: the applications, one small interaction each: a threshold dragged over the
density flags points (anomaly detection), samples drawn from the fitted density (density
estimation), the number of PCA components chosen (dimensionality reduction) — each on a real
fit by gmm_core."""

from __future__ import annotations

from copy import deepcopy

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import app_pages
from gmm_core.datasets import IRIS_FEATURES, load_iris_features, make_unequal_sizes
from lab_maths import anomaly
from lab_maths.applications import fit_mixture
from lab_maths.projection import reduce_and_fit, standardize
from ui.figures import ellipse_xy
from ui.palette import NEUTRAL, component_color
from ui.settings import ARTICLE_EXAMPLE

from . import keys, predict
from .figures import _layout

N_SAMPLES = 300
FLAG = "#D55E00"  # Okabe-Ito vermillion


@st.cache_data(show_spinner=False, max_entries=1)
def _blobs_fit():
    """Three round blobs of unequal sizes and their K = 3 fit (st.cache_data: a copy per
    call, nobody shares a model)."""
    X = make_unequal_sizes(600, seed=0).X
    return X, fit_mixture(X, 3)


@st.cache_data(show_spinner=False, max_entries=4)
def _pca(m: int):
    ds = load_iris_features(IRIS_FEATURES)
    Z, _, _ = standardize(ds.X, ds.feature_names)
    return reduce_and_fit(Z, m, 3, "full", "full", labels=ds.labels)


def _scatter(X, colours, title, *, extra=()) -> go.Figure:
    fig = go.Figure([go.Scattergl(x=X[:, 0], y=X[:, 1], mode="markers", hoverinfo="skip",
                                  showlegend=False, marker=dict(size=5, color=colours)),
                     *extra])
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    fig.update_xaxes(constrain="domain")  # equal scales by a narrower plot, not a wider range
    fig.update_layout(dragmode=False)
    return _layout(fig, title, x_title="x₁", y_title="x₂", height=300)


def applications_stop():
    X, gm = _blobs_fit()
    log_p = gm.score_samples(X)
    st.markdown("**Anomaly detection:** points where the fitted density p(x | λ) is low. "
                "Drag the threshold on log p(x | λ).")
    lo, hi = float(np.floor(log_p.min())), float(np.ceil(np.percentile(log_p, 50)))
    default = float(np.round(anomaly.threshold_from_percentile(log_p, 2), 1))
    t = st.slider("Threshold on log p(x | λ)", lo, hi, default, 0.1, key=keys.AP_THRESHOLD)
    flagged = anomaly.flag(log_p, t)
    flags = go.Scattergl(x=X[flagged, 0], y=X[flagged, 1], mode="markers", name="flagged",
                         hoverinfo="skip", marker=dict(size=10, color=FLAG, symbol="x"))
    predict.chart(_scatter(X, NEUTRAL, f"{int(flagged.sum())} of {len(X)} points flagged "
                           f"(log p < {t:g})", extra=(flags,)), key="lesson_fig_anomaly")
    st.caption(f"{100 * flagged.mean():.1f} % flagged: the points of lowest density under "
               "the fitted mixture, on the clusters' outskirts.")

    st.markdown("**Density estimation:** the fitted p(x | λ) is a generative model: draw new "
                "points from it.")
    draws = st.session_state.get(keys.AP_SAMPLES, 0)
    if st.button(f"Draw {N_SAMPLES} samples from p(x | λ)", key="lesson_ap_draw",
                 icon=":material/casino:"):
        draws += 1
        st.session_state[keys.AP_SAMPLES] = draws
    extra = ()
    if draws:
        samples, _ = _sample(draws)
        extra = (go.Scattergl(x=samples[:, 0], y=samples[:, 1], mode="markers",
                              name=f"samples (draw {draws})",
                              marker=dict(size=6, color=component_color(1),
                                          symbol="x")),)
    predict.chart(_scatter(X, NEUTRAL, "The data (grey) and samples drawn from the fit",
                          extra=extra), key="lesson_fig_samples")
    if draws:
        st.caption(f"{N_SAMPLES} new points, drawn as the article draws: a component $z$ "
                   r"with probability $\pi_z$, then $x \sim \mathcal{N}(\mu_z, \Sigma_z)$. "
                   "Press again for another draw.")

    st.markdown("**Dimensionality reduction:** iris has 4 measurements; fit the mixture "
                "(K = 3) on the first m principal components.")
    m = st.slider("Principal components m", 1, 4, 2, key=keys.AP_PCA)
    res = _pca(m)
    predict.chart(_pca_figure(res, m), key="lesson_fig_pca")
    c1, c2 = st.columns(2)
    c1.metric(f"Variance kept by {m} component(s)",
              f"{100 * res.explained_variance_ratio[:m].sum():.1f} %")
    c2.metric("Agreement with the species (ARI)", f"{res.ari_pca:.3f}",
              help=f"Adjusted Rand index of the mixture's clusters in the first {m} "
                   f"components; the same mixture on all 4 standardised columns: "
                   f"{res.ari_full:.3f}.")
    predict.open_button("Open Applications", app_pages.APPLICATIONS, ARTICLE_EXAMPLE,
                        "lesson_open_apps")


@st.cache_data(show_spinner=False, max_entries=8)
def _sample(draw: int):
    _, gm = _blobs_fit()
    model = deepcopy(gm)  # the shared model stays untouched
    model.random_state = draw
    return model.sample(N_SAMPLES)


def _pca_figure(res, m: int) -> go.Figure:
    """The data in the first two principal coordinates (one when m = 1) coloured by the
    mixture's cluster, with the PCA-space mixture's 1σ/2σ ellipses when m ≥ 2."""
    labels = res.pca_labels
    colours = [component_color(int(c)) for c in labels]
    if m == 1:
        y = np.zeros(len(labels))
        fig = go.Figure(go.Scattergl(x=res.scores[:, 0], y=y + 0.1 * (labels - 1),
                                     mode="markers", marker=dict(size=6, color=colours),
                                     hoverinfo="skip", showlegend=False))
        fig.update_yaxes(showticklabels=False, range=[-0.5, 0.5])
        fig.update_layout(dragmode=False)
        return _layout(fig, "Clusters found on PC1 alone", x_title="PC1", y_title="",
                       height=260)
    extra = []
    params = res.pca_params
    covs = params.full_covariances() if hasattr(params, "full_covariances") else None
    for z in range(len(params.weights)):
        if covs is None:
            break
        for n_sigma in (1, 2):
            ex, ey = ellipse_xy(params.means[z, :2], covs[z][:2, :2], n_sigma=n_sigma)
            extra.append(go.Scatter(x=ex, y=ey, mode="lines", showlegend=False,
                                    hoverinfo="skip", line=dict(color=component_color(z))))
    fig = _scatter(res.scores[:, :2], colours, f"Iris on PC1, PC2: mixture fitted in {m}-D",
                   extra=extra)
    fig.update_xaxes(title_text="PC1")
    fig.update_yaxes(title_text="PC2")
    return fig
