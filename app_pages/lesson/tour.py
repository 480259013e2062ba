"""Stops 7–11: short stops, each with its key picture and a button that opens the page
that explores it, with settings applied.

Every number here comes from this project's engine (``gmm_core.GaussianMixture`` on
``EMEngine``); the tests check them against scikit-learn's from the same start."""

from __future__ import annotations

import numpy as np
import streamlit as st

import app_pages
from gmm_core import COVARIANCE_TYPES, GaussianMixture
from gmm_core.datasets import make_cigars
from gmm_core.reference import dense_covariances
from lab_maths import lesson as lm
from ui import session
from ui.presenter import plotly_chart
from ui.sidebar import ARTICLE_EXAMPLE, FIRST_SCREEN, use_settings

from . import figures, keys


def _open(url_path: str, settings: dict):
    use_settings(settings)
    st.switch_page(app_pages.page(url_path))


def _open_button(label: str, url_path: str, settings: dict, key: str):
    # st.switch_page is not allowed inside a callback: the callback sets the settings and
    # the script switches right after it.
    if st.button(label, key=key, icon=":material/open_in_new:", type="primary"):
        _open(url_path, settings)


@st.cache_data(show_spinner=False)
def _three_modes() -> np.ndarray:
    mix = lm.Mixture1D((0.4, 0.3, 0.3), (-3.0, 0.5, 3.5), (0.5, 0.3, 0.6))
    return lm.sample_latent(mix, 300, seed=5)[1].reshape(-1, 1)


@st.cache_data(show_spinner=False)
def _start_results() -> dict[str, tuple[float, int]]:
    """{start: (final log-likelihood, iterations)} of EM on the three-mode data."""
    X = _three_modes()
    starts = {f"random start {seed}": ("random_from_data", seed) for seed in range(8)}
    starts["k-means start"] = ("kmeans", 0)
    out = {}
    for name, (init, seed) in starts.items():
        gm = GaussianMixture(3, init_params=init, random_state=seed, max_iter=500).fit(X)
        out[name] = (gm.score(X) * len(X), gm.n_iter_)
    return out


def init_stop():
    res = _start_results()
    colours = ["#8c8c8c"] * (len(res) - 1) + ["#0072B2"]
    plotly_chart(figures.dots_figure(list(res), [v for v, _ in res.values()],
                                        "Final log-likelihood, same data, different starts",
                                        "log-likelihood", colours), key="lesson_fig_init")
    kmeans, n_iter = res["k-means start"]
    worst = min(res, key=lambda name: res[name][0])
    st.caption(f"EM (tol = 10⁻³) from the k-means start: log-likelihood {kmeans:,.1f} after "
               f"{n_iter} iterations; the worst, {worst}: {res[worst][0]:,.1f} after "
               f"{res[worst][1]}.")
    _open_button("Open Initializations", app_pages.INITIALIZATIONS, FIRST_SCREEN,
                 "lesson_open_init")


@st.cache_data(show_spinner=False)
def _criteria():
    X = _three_modes()
    ks = list(range(1, 7))
    fits = [GaussianMixture(k, random_state=0, n_init=3).fit(X) for k in ks]
    return ks, [f.bic(X) for f in fits], [f.aic(X) for f in fits]


def k_stop():
    ks, bic, aic = _criteria()
    best_bic, best_aic = int(np.argmin(bic)), int(np.argmin(aic))
    plotly_chart(figures.lines_figure(ks, {"BIC": bic, "AIC": aic},
                                         "BIC and AIC by K (lower is better; 3 modes)",
                                         "K", "criterion"), key="lesson_fig_k")
    st.caption(f"Lowest BIC at K = {ks[best_bic]} ({bic[best_bic]:,.1f}); lowest AIC at "
               f"K = {ks[best_aic]} ({aic[best_aic]:,.1f}). Best of 3 k-means starts per K.")
    _open_button("Open Model selection", app_pages.MODEL_SELECTION, FIRST_SCREEN,
                 "lesson_open_k")


CIGARS = "Anisotropic cigars"


@st.cache_data(show_spinner=False)
def _cov_fits():
    X = make_cigars(400, seed=0).X
    fits = {}
    for kind in reversed(COVARIANCE_TYPES):  # from the fewest parameters to the most
        gm = GaussianMixture(2, covariance_type=kind, random_state=0).fit(X)
        fits[kind] = (gm.means_, dense_covariances(gm.covariances_, kind, 2, 2))
    return X, fits


def cov_stop():
    X, fits = _cov_fits()
    plotly_chart(figures.ellipses_figure(X, fits), key="lesson_fig_cov")
    st.caption("Parameters per component (2-D): spherical 1, diag 2, full 3; tied shares "
               "one full covariance between all components.")
    kind = st.radio("Try one on the Step by step page", ("spherical", "diag", "tied", "full"),
                    horizontal=True, key=keys.CT_TYPE)
    _open_button("Open Step by step", app_pages.STEP_BY_STEP,
                 {**FIRST_SCREEN, session.DATASET: CIGARS, session.K: 2,
                  session.COVARIANCE_TYPE: kind}, "lesson_open_cov")


def overfit_stop():
    x = lm.lesson_data()
    sigmas = np.geomspace(1.0, 1e-30, 31)
    ll = lm.single_point_log_likelihood(x, 0, sigmas, lm.TRUE_MIXTURE)
    plotly_chart(figures.lines_figure(sigmas, {"log p(x | λ)": ll},
                                         "A 3rd component on one point: σ → 0",
                                         "σ of that component (log scale)", "log-likelihood",
                                         log_x=True), key="lesson_fig_over")
    st.caption("Once σ is small, every tenfold shrink adds ln 10 ≈ 2.3: the likelihood has no "
               "maximum there (a singular covariance). reg_covar (a small variance added), "
               "fewer components, or cross-validation keep EM away.")
    _open_button("Open Model selection", app_pages.MODEL_SELECTION,
                 {**FIRST_SCREEN, session.N_POINTS: 60, session.K: 8}, "lesson_open_over")


APPLICATIONS = (
    ("Clustering", r"Soft memberships $\gamma_{zi}$ instead of k-means' hard labels."),
    ("Density estimation", r"$p(x \mid \lambda)$ of multimodal data; new samples drawn from it."),
    ("Anomaly detection", "Points of low density under the fitted model."),
    ("Dimensionality reduction", "PCA first, then a mixture in the reduced space."),
)


def applications_stop():
    cols = [c for _ in range(2) for c in st.columns(2)]  # 2 × 2: four in a row cut words
    for col, (name, text) in zip(cols, APPLICATIONS):
        with col.container(border=True):
            st.markdown(f"**{name}**  \n{text}")
    _open_button("Open Applications", app_pages.APPLICATIONS, ARTICLE_EXAMPLE,
                 "lesson_open_apps")
