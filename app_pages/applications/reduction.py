"""Dimensionality reduction tab: PCA of many-column data, a GMM in PCA space beside a GMM in
the full space drawn through the projection (Wᵀ Σ W)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import streamlit as st

from gmm_core import covariance_type as gmm_covariance_type
from lab_maths import projection
from ui import data as data_mod
from ui.presenter import plotly_chart

from . import figures_reduction, fitting, keys

UPLOAD = "Upload CSV (many columns)"
#: Above this many columns a full (or tied) covariance in the full space is slow (digits:
#: ~15 s for K = 10 on two busy cores), so that model uses diagonal covariances.
MAX_FULL_DIM = 20
MAX_BIC_DIM = 10


@dataclass(frozen=True, eq=False)
class ReductionView:
    name: str
    feature_names: tuple
    dropped: tuple
    n_rows: int
    n_pca: int
    n_components: int
    covariance_type: str
    result: projection.ReductionResult
    bic: tuple  # (m values, BIC values)
    n_classes: int  # distinct true labels (0 without labels)


@st.cache_data(max_entries=4, show_spinner=False)
def cached_dataset(name):
    return projection.load_many_columns(name)


@st.cache_data(max_entries=4, show_spinner=False)
def cached_upload(raw: bytes, name: str):
    return projection.dataset_from_numeric_table(data_mod.read_csv_upload(raw), name)


@st.cache_data(max_entries=8, show_spinner="PCA, then a GMM in PCA space and one in the "
                                            "full space…")
def cached_reduction(Z, labels, n_pca, k, cov, full_cov, seed, fit_kwargs):
    return projection.reduce_and_fit(Z, n_pca, k, cov, full_cov, labels=labels,
                                     random_state=seed, **fit_kwargs)


@st.cache_data(max_entries=8, show_spinner="BIC for each number of PCA components…")
def cached_bic(Z, max_pca, k, cov, seed, fit_kwargs):
    return projection.bic_by_pca_dimension(Z, max_pca, k, cov, random_state=seed,
                                           **fit_kwargs)


def full_space_type(covariance_type, d):
    if gmm_covariance_type(covariance_type).is_matrix and d > MAX_FULL_DIM:
        return "diag"
    return covariance_type


def _data_ui():
    """The tab's own data choice; returns a Dataset or None (waiting for an upload)."""
    name = st.selectbox("Data with many columns", (*projection.MANY_COLUMNS, UPLOAD),
                        key=keys.DR_DATASET, width=320)
    if name != UPLOAD:
        return cached_dataset(name)
    upload = st.file_uploader("CSV file with several numeric columns", type=["csv", "txt"],
                              key=keys.DR_UPLOAD, help=data_mod.ACCEPTED)
    if upload is None:
        st.info("Upload a CSV file: every numeric column is used, rows with a missing value "
                "are dropped.")
        return None
    raw = upload.getvalue()
    return cached_upload(raw, upload.name + " #" + hashlib.sha1(raw).hexdigest()[:6])


def compute(dataset, settings, n_pca):
    if dataset.X.shape[1] < 2:
        raise ValueError(f"{dataset.name} has {dataset.X.shape[1]} numeric column: PCA needs "
                         "at least 2.")
    if len(dataset.X) < 3:
        raise ValueError(f"Only {len(dataset.X)} usable row(s): at least 3 are needed.")
    Z, names, dropped = projection.standardize(dataset.X, dataset.feature_names)
    if Z.shape[1] < 2:
        raise ValueError("Fewer than 2 columns vary (the others are constant): nothing to "
                         "reduce.")
    k, cov = settings.n_components, settings.covariance_type
    fit = fitting.fit_kwargs(settings)
    n_pca = min(n_pca, *Z.shape)
    result = cached_reduction(Z, dataset.labels, n_pca, k, cov,
                              full_space_type(cov, Z.shape[1]), settings.seed, fit)
    bic = cached_bic(Z, MAX_BIC_DIM, k, cov, settings.seed, fit)
    n_classes = 0 if dataset.labels is None else len(np.unique(dataset.labels))
    return ReductionView(dataset.name.split(" #")[0], names, dropped, len(Z), n_pca, k, cov,
                         result, bic, n_classes)


def render(_data, settings):
    st.markdown(
        "With many columns, PCA first finds the directions of largest spread; a GMM can then "
        "be fitted on the first m principal components instead of on every column. Every "
        "column is standardised first (mean 0, variance 1), so no unit dominates."
    )
    with st.container(horizontal=True, gap="medium", vertical_alignment="bottom"):
        dataset = _data_ui()
        st.session_state.setdefault(keys.DR_N_PCA, 2)  # no value=: a link may set it
        n_pca = st.slider("PCA components m", 1, 20, key=keys.DR_N_PCA, width=300)
    fitting.click_note(settings)
    view = None
    if dataset is not None:
        if dataset.note:
            st.caption(dataset.note)
        view = fitting.compute_or_keep(keys.DR_LAST, compute, dataset, settings, n_pca)
    elif st.session_state.get(keys.DR_LAST) is not None:
        view = st.session_state[keys.DR_LAST]
        st.caption("Showing the last data that worked until a file is uploaded.")
    if view is None:
        return
    _show(view, settings)


def _show(view, settings):
    r = view.result
    d = r.n_features
    kept = float(r.explained_variance_ratio[: view.n_pca].sum())
    st.caption(
        f"**{view.name}**: {view.n_rows:,} rows × {d} standardised columns"
        + (f" ({len(view.dropped)} constant column(s) dropped: "
           f"{', '.join(map(str, view.dropped[:6]))}{' …' if len(view.dropped) > 6 else ''})"
           if view.dropped else "")
        + f"; K = {view.n_components}."
    )
    if view.n_pca < st.session_state.get(keys.DR_N_PCA, view.n_pca):
        st.caption(f"m is capped at {view.n_pca}: there are only that many principal "
                   "components here.")
    with st.container(horizontal=True, gap="medium"):
        st.metric(f"Variance kept by m = {view.n_pca}", f"{100 * kept:.1f} %", width="content")
        st.metric("ARI, GMM in PCA space", fitting.ari_text(r.ari_pca), width="content",
                  help="Adjusted Rand index of its clusters against the true labels.")
        st.metric(f"ARI, GMM in all {d} columns", fitting.ari_text(r.ari_full),
                  width="content")
    if r.ari_pca is None:
        st.caption("These data have no true labels, so no ARI can be computed.")
    elif view.n_classes != view.n_components:
        st.caption(f"The data have {view.n_classes} true classes; the sidebar's K is "
                   f"{view.n_components}. Try K = {view.n_classes} to compare with them fairly.")
    if r.full_covariance_type != view.covariance_type:
        st.info(f"The full-space model uses **diag** covariances, not {view.covariance_type}: "
                f"in {d} dimensions a {view.covariance_type} covariance has "
                f"{d * (d + 1) // 2:,} numbers per component and takes many seconds to fit.")
    plotly_chart(figures_reduction.scree_figure(r.explained_variance_ratio, view.n_pca),
                 key="app_dr_scree")
    left, right = st.columns(2)
    with left:
        st.markdown(f"**GMM on m = {view.n_pca} PCA coordinates**")
        plotly_chart(figures_reduction.pca_space_figure(r, view.n_pca),
                     key="app_dr_pca")
    with right:
        st.markdown(f"**GMM in all {d} columns, projected**")
        plotly_chart(figures_reduction.full_space_figure(r), key="app_dr_full")
    st.caption(
        "Both show the data on the first two principal axes PC1, PC2, coloured by each "
        "model's clusters. Left: the GMM fitted on the m PCA coordinates"
        + (" (a 1-D model when m = 1: no ellipses)" if view.n_pca < 2 else
           ", its ellipses cut down to PC1–PC2")
        + f". Right: the GMM fitted on all {d} standardised columns ({r.full_covariance_type} "
        "covariances), each component drawn as N(Wᵀ(μ_z − x̄), Wᵀ Σ_z W) with W the first "
        "two principal axes.")
    plotly_chart(figures_reduction.bic_figure(*view.bic, view.n_pca), key="app_dr_bic")
    ms, bics = view.bic
    st.caption(f"Each BIC scores all {d} columns: a GMM (K = {view.n_components}) on the first "
               "m principal coordinates, and one shared noise variance σ² for the other d − m "
               f"(the model of probabilistic PCA). Lower is better: here m = "
               f"{ms[int(np.argmin(bics))]}, among m = 1…{ms[-1]}.")
    with st.expander("The formulas"):
        st.latex(r"y = W^\top (x - \bar x) \qquad \mathcal N(\mu_z, \Sigma_z) \;\mapsto\; "
                 r"\mathcal N\!\left(W^\top(\mu_z - \bar x),\; W^\top \Sigma_z W\right)")
        st.latex(r"\mathrm{BIC}(m) = -2 \sum_i \Big[\log p_{\mathrm{GMM}}(y_{i,1..m}) + "
                 r"\log \mathcal N(y_{i,m+1..d} \mid 0, \sigma^2 I)\Big] + k_m \log n")
        st.caption("W holds the first principal axes as columns (d × m). The right-hand chart "
                   "draws the full-space GMM's components with W = the first two axes; the "
                   "left-hand GMM was fitted on the m coordinates y directly.")
