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


@st.cache_data(max_entries=8, show_spinner="Cross-validating K = 1, 2, … (5 folds: fitted on "
                                            "four, scored on the fifth)…")
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
                  help=f"The K in 1..{c.ks[-1]} with the highest mean log p(x) on held-out "
                       f"points, {c.n_folds}-fold cross-validation.")
        st.metric(f"GMM, K = {c.best_k}", fitting.nats(gmm_at_k[c.best_k]), width="content",
                  help="Held-out mean log-likelihood (higher is better).")
        st.metric("KDE (gaussian_kde)", fitting.nats(c.kde_score), width="content",
                  help="SciPy's Gaussian kernel density estimate with Scott's bandwidth, "
                       "fitted on the same training points.")
        if c.histogram_score is not None:
            st.metric("Histogram", fitting.nats(c.histogram_score), width="content",
                      help="A histogram with Freedman–Diaconis bins, as a density.")
    st.caption(compared_text(c, view.covariance_type, settings.seed))
    st.markdown(_verdict(c))
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
        st.caption(f"T is one held-out fold (a random 1/{c.n_folds} of the points); every "
                   "model is fitted on the other folds, and the score is the mean over the "
                   f"{c.n_folds} folds. Sampling: pick z with probability π_z, then draw x "
                   "from N(μ_z, Σ_z).")


def compared_text(c, covariance_type, seed) -> str:
    """What the held-out comparison compared, in the words Model selection uses for the same
    cross-validation (issue 24: both pages' best K come from one machinery)."""
    what = f"GMMs with K = 1…{c.ks[-1]} ({covariance_type} covariances), a KDE" + (
        " and a histogram" if c.histogram_score is not None else "")
    rows = (f"all {c.n_used:,} points" if c.n_used == c.n_rows else
            f"a random {c.n_used:,} of the {c.n_rows:,} points (to stay quick; the map uses "
            "them all)")
    return (f"Compared: {what}, by {c.n_folds}-fold cross-validation over {rows}: each "
            f"fitted on {c.n_folds - 1} folds and scored on the held-out one, means over the "
            f"folds (scikit-learn's KFold, shuffled, random_state = {seed}). The same "
            "cross-validation as Model selection's held-out curve: with the same covariance "
            "type and seed it picks the same K.")


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
                         f"({c.histogram_empty:,} of {c.n_used:,} fall outside its bins or "
                         "in an empty one), so its mean log-likelihood is −∞"
                         + ("." if rest is None else
                            f"; over the other {c.n_used - c.histogram_empty:,} it is "
                            f"{fitting.nats(rest)}."))
        elif best > score:
            lines.append(f"The GMM with K = {c.best_k} beats {name} on held-out data by "
                         f"{best - score:.3f} nats per point.")
        else:
            lines.append(f"{name.capitalize()} beats every GMM tried on held-out data, by "
                         f"{score - best:.3f} nats per point.")
    return " ".join(lines)
