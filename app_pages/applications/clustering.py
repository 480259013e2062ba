"""Clustering tab: a GMM's soft memberships beside k-means' hard labels on the same data."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from lab_maths import applications as apps
from ui.presenter import plotly_chart

from . import figures, fitting, keys

PRESET_N = 600
PRESET_K = 3


@dataclass(frozen=True, eq=False)
class ClusteringView:
    """A result with what it was computed on, so the last good one can be redrawn."""

    X: np.ndarray
    feature_names: tuple
    name: str
    n_components: int
    covariance_type: str
    result: apps.ClusteringResult


@st.cache_data(max_entries=8, show_spinner="Fitting the GMM and k-means…")
def cached_clustering(X, labels, n_components, covariance_type, seed, fit_kwargs):
    return apps.compare_clusterings(X, n_components, covariance_type, labels=labels,
                                    random_state=seed, **fit_kwargs)


@st.cache_data(max_entries=2, show_spinner=False)
def preset_data():
    return apps.make_stretched_blobs(PRESET_N)


def compute(data, settings, preset):
    if preset:
        data, k, cov = preset_data(), PRESET_K, "full"
    else:
        k, cov = settings.n_components, settings.covariance_type
    apps.check_data(data.X, k, data.feature_names)
    result = cached_clustering(data.X, data.labels, k, cov, settings.seed,
                               fitting.fit_kwargs(settings))
    return ClusteringView(data.X, data.feature_names, data.name, k, cov, result)


def render(data, settings):
    st.markdown(
        "k-means gives every point **one** cluster. A GMM gives each point a responsibility "
        "γ_zi for every component z, so a point between two clusters can be 60 % one and "
        "40 % the other."
    )
    with st.container(horizontal=True, gap="medium"):
        preset = st.toggle(
            "Preset: stretched blobs (k-means fails)", key=keys.CL_PRESET,
            help=f"{PRESET_N} points in three sheared blobs, K = {PRESET_K}, full "
                 "covariances. k-means draws straight borders half-way between centres and "
                 "cuts the stretched blobs; the GMM's ellipses follow them.")
        st.session_state.setdefault(keys.CL_UNCERTAINTY, True)  # no value=: a link may set it
        uncertainty = st.toggle("Uncertainty: bigger points where 1 − max γ is larger",
                                key=keys.CL_UNCERTAINTY)
    fitting.click_note(settings)
    view = fitting.compute_or_keep(keys.CL_LAST, compute, data, settings, preset)
    if view is None:
        return
    r = view.result
    n, n_split = len(view.X), int(r.split.sum())
    st.caption(f"Data: **{view.name}**, {n:,} points; K = {view.n_components}, "
               f"{view.covariance_type} covariances, k-means with the same K.")
    with st.container(horizontal=True, gap="medium"):
        st.metric("Split points (max γ < 0.8)", f"{n_split:,} of {n:,}", width="content",
                  help="Points whose largest responsibility is below 0.8: no component "
                       "explains them clearly.")
        st.metric("ARI, GMM", fitting.ari_text(r.ari_gmm), width="content",
                  help="Adjusted Rand index against the true labels: 1 = the same grouping, "
                       "about 0 = no better than chance.")
        st.metric("ARI, k-means", fitting.ari_text(r.ari_kmeans), width="content")
    if r.ari_gmm is None:
        st.caption("These data have no true labels, so no ARI can be computed.")
    params = r.model
    covs = apps.mixture_parameters(params).full_covariances()
    left, right = st.columns(2)
    with left:
        st.markdown("**GMM: soft memberships γ**")
        plotly_chart(figures.soft_clustering_figure(
         view.X, r.responsibilities, params.means_, covs, params.weights_, r.split,
         view.feature_names, uncertainty=uncertainty), key="app_cl_gmm_chart")
    with right:
        st.markdown("**k-means: hard labels**")
        plotly_chart(figures.kmeans_figure(view.X, r.kmeans_labels, r.kmeans_centers,
                                           view.feature_names), key="app_cl_km_chart")
    st.caption("Left: each point's colour mixes its components' colours in proportion to γ"
               + ("; bigger points are less certain" if uncertainty else "")
               + "; split points (max γ < 0.8) are ringed; ellipses at 1σ and 2σ. Right: one "
               "colour per point; crosses mark the k-means centres.")
    st.markdown(_verdict(r, n_split, n))
    with st.expander("The formulas"):
        st.latex(r"\gamma_{zi} = \frac{\pi_z\,\mathcal N(x_i \mid \mu_z, \Sigma_z)}"
                 r"{\sum_k \pi_k\,\mathcal N(x_i \mid \mu_k, \Sigma_k)}"
                 r"\qquad \text{uncertainty}_i = 1 - \max_z \gamma_{zi}")
        st.caption("A point is counted as split when max_z γ_zi < 0.8. k-means instead puts "
                   "x_i in the cluster of the nearest centre, with no degree of membership.")


def _verdict(r, n_split, n) -> str:
    parts = [f"{n_split:,} of {n:,} points ({100 * n_split / n:.1f} %) are split between "
             "components: the GMM says how unsure it is, k-means cannot."]
    if r.ari_gmm is not None:
        diff = r.ari_gmm - r.ari_kmeans
        if abs(diff) < 0.02:
            parts.append("Against the true labels both group the points about equally well.")
        else:
            better = "the GMM" if diff > 0 else "k-means"
            parts.append(f"Against the true labels {better} groups the points better "
                         f"(ARI {max(r.ari_gmm, r.ari_kmeans):.3f} against "
                         f"{min(r.ari_gmm, r.ari_kmeans):.3f}).")
    return " ".join(parts)

