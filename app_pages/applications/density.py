"""Density estimation tab: the mixture's p(x) as a map, samples from it, and a held-out
comparison with a kernel density estimate (and a histogram in 1-D)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from lab_maths import applications as apps
from ui.presenter import plotly_chart

from . import figures, fitting, keys


@dataclass(frozen=True, eq=False)
class DensityView:
    X: np.ndarray
    feature_names: tuple
    name: str
    covariance_type: str
    comparison: apps.DensityComparison
    k_map: int
    model: object  # gmm_core.GaussianMixture fitted on all the data with k_map components
    grid: tuple  # (xs, ys or None, log p)
    kde_curve: np.ndarray | None  # 1-D: KDE density on the grid
    histogram: tuple | None  # 1-D: (edges, heights) of all the data


@st.cache_data(max_entries=8, show_spinner="Fitting K = 1, 2, … on 75 % of the data and "
                                            "scoring the held-out 25 %…")
def cached_comparison(X, max_k, covariance_type, seed, fit_kwargs):
    return apps.compare_densities(X, max_k, covariance_type, random_state=seed, **fit_kwargs)


@st.cache_data(max_entries=8, show_spinner="Fitting the mixture to all the data…")
def cached_map(X, k, covariance_type, seed, fit_kwargs):
    model = apps.fit_mixture(X, k, covariance_type, random_state=seed, **fit_kwargs)
    grid = apps.density_grid(model, X, resolution=200 if X.shape[1] == 1 else 90)
    kde = hist = None
    if X.shape[1] == 1:
        kde = np.exp(apps.kde_log_density(X, grid[0][:, None]))
        _, edges, heights = apps.histogram_log_density(X, X[:1])
        hist = (edges, heights)
    return model, grid, kde, hist


def compute(data, settings, max_k, which):
    cov, fit = settings.covariance_type, fitting.fit_kwargs(settings)
    X = apps.check_data(data.X, settings.n_components, data.feature_names)
    comparison = cached_comparison(X, max_k, cov, settings.seed, fit)
    k = comparison.best_k if which == keys.MAP_BEST else settings.n_components
    model, grid, kde, hist = cached_map(X, k, cov, settings.seed, fit)
    return DensityView(X, data.feature_names, data.name, cov, comparison, k, model, grid,
                       kde, hist)


def render(data, settings):
    st.markdown(
        "The fitted mixture is a **density**: log p(x) = log Σ_z π_z N(x | μ_z, Σ_z) is "
        "high where data are likely. It can be drawn as a map, sampled from, and judged by "
        "how likely it finds data it was **not** fitted to."
    )
    with st.container(horizontal=True, gap="medium", vertical_alignment="bottom"):
        st.session_state.setdefault(keys.DE_MAX_K, 6)  # no value=: a link may set it
        max_k = st.slider("Largest K to try", 2, 10, key=keys.DE_MAX_K, width=260)
        which = st.radio("Model on the map", (keys.MAP_SIDEBAR, keys.MAP_BEST),
                         key=keys.DE_MAP_MODEL, horizontal=True)
        n_samples = st.slider("Samples to draw from the model", 0, 2000, step=100,
                              key=keys.DE_SAMPLES, width=260)
    fitting.click_note(settings)
    view = fitting.compute_or_keep(keys.DE_LAST, compute, data, settings, max_k, which)
    if view is None:
        return
    c = view.comparison
    gmm_at_k = dict(zip(c.ks.tolist(), c.gmm_scores.tolist()))
    with st.container(horizontal=True, gap="medium"):
        st.metric("Best K (held out)", str(c.best_k), width="content",
                  help=f"The K in 1..{c.ks[-1]} whose model, fitted on {c.n_train:,} points, "
                       f"gives the {c.n_test:,} held-out points the highest mean log p(x).")
        st.metric(f"GMM, K = {c.best_k}", fitting.nats(gmm_at_k[c.best_k]), width="content",
                  help="Held-out mean log-likelihood (higher is better).")
        st.metric("KDE (gaussian_kde)", fitting.nats(c.kde_score), width="content",
                  help="SciPy's Gaussian kernel density estimate with Scott's bandwidth, "
                       "fitted on the same training points.")
        if c.histogram_score is not None:
            st.metric("Histogram", fitting.nats(c.histogram_score), width="content",
                      help="A histogram with Freedman–Diaconis bins, as a density.")
    st.markdown(_verdict(c))
    if c.n_train + c.n_test < c.n_rows:
        st.caption(f"To stay quick, the comparison uses a random {c.n_train:,} training and "
                   f"{c.n_test:,} held-out points of the {c.n_rows:,}; the map uses them all.")
    samples = None
    if n_samples:
        samples, _ = view.model.sample(n_samples)  # seeded by the sidebar's seed
    if view.X.shape[1] >= 2:
        xs, ys, log_p = view.grid
        fig = figures.density_map_figure(view.X, xs, ys, log_p, view.feature_names, samples)
    else:
        xs, _, log_p = view.grid
        fig = figures.density_1d_figure(view.X, xs, log_p, view.kde_curve, *view.histogram,
                                        view.feature_names[0], samples)
    st.caption(f"The map shows the GMM with K = {view.k_map} ({view.covariance_type} "
               f"covariances) fitted to all {len(view.X):,} points of **{view.name}**"
               + (f"; orange: {n_samples:,} points drawn from it." if n_samples else "."))
    plotly_chart(fig, key="app_de_map")
    plotly_chart(figures.held_out_figure(c), key="app_de_held_out")
    with st.expander("The formulas"):
        st.latex(r"\log p(x) = \log \sum_{z=1}^{K} \pi_z\,\mathcal N(x \mid \mu_z, \Sigma_z)"
                 r"\qquad \text{score} = \frac{1}{|T|} \sum_{x \in T} \log p(x)")
        st.caption(f"T is the held-out set ({c.n_test:,} points, a random 25 %); every "
                   f"model is fitted on the other {c.n_train:,}. Sampling: pick z with "
                   "probability π_z, then draw x from N(μ_z, Σ_z).")


def _verdict(c) -> str:
    best = float(np.nanmax(c.gmm_scores))
    others = [("the KDE", c.kde_score)]
    if c.histogram_score is not None:
        others.append(("the histogram", c.histogram_score))
    lines = []
    for name, score in others:
        if not np.isfinite(score):
            rest = c.histogram_finite_score
            lines.append(f"{name.capitalize()} gives some held-out points density 0 "
                         f"({c.histogram_empty:,} of {c.n_test:,} fall outside its bins or "
                         "in an empty one), so its mean log-likelihood is −∞"
                         + ("." if rest is None else
                            f"; over the other {c.n_test - c.histogram_empty:,} it is "
                            f"{fitting.nats(rest)}."))
        elif best > score:
            lines.append(f"The GMM with K = {c.best_k} beats {name} on held-out data by "
                         f"{best - score:.3f} nats per point.")
        else:
            lines.append(f"{name.capitalize()} beats every GMM tried on held-out data, by "
                         f"{score - best:.3f} nats per point.")
    return " ".join(lines)
