"""Stops 8 and 9: choosing K (fit, penalty and BIC over K, modes moved apart by a slider) and
covariance types (which one BIC prefers; parameters by type with the formula)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

import app_pages
from gmm_core import n_parameters
from lab_maths import lesson_questions as lq
from ui import session
from ui.settings import FIRST_SCREEN

from . import figures, figures_labs, keys, predict

TITLE_K, TITLE_COV = "Stop 8 · Choosing K: BIC", "Stop 9 · Covariance type: BIC"


def k_stop(notice):
    ss = st.session_state
    sep = ss.get(keys.K_SEP, 4.0)
    x = lq.modes_data(sep)
    predict.chart(figures_labs.modes_figure(x, sep), key="lesson_fig_modes")
    st.select_slider("How far apart the three modes are (in σ)", lq.SEPARATIONS, value=4.0,
                     key=keys.K_SEP, format_func=lambda s: f"{s:g}", on_change=predict.hide,
                     args=(keys.K_REVEALED,))
    with st.spinner("Fitting K = 1 … 6 (5 starts each)…"):
        q = lq.k_question(sep)
    picked = predict.ask_choice(
        q, keys.K_PICK, keys.K_REVEALED, "Reveal BIC and AIC", "lesson_k_reveal",
        "BIC = −2 log L + p ln n: the fit plus a price of ln n per parameter (p = 3K − 1 "
        "here). Pick the K you expect BIC to choose, then reveal.", notice)
    if picked is None:
        return
    predict.choice_result(TITLE_K, q, picked)
    c = lq.k_curves(sep)
    best_bic, best_aic = int(np.argmin(c.bic)), int(np.argmin(c.aic))
    predict.chart(figures_labs.k_curves_figure(c, best_bic, best_aic), key="lesson_fig_k")
    ks = c.ks
    agree = ("BIC and AIC agree here." if best_bic == best_aic else
             f"**BIC and AIC disagree here**: AIC's penalty (2 per parameter) is lighter than "
             f"BIC's (ln {len(x)} = {np.log(len(x)):.2f} per parameter), so AIC keeps more "
             f"components.")
    st.markdown(f"Lowest BIC at **K = {ks[best_bic]}** ({c.bic[best_bic]:,.1f}); lowest AIC "
                f"at **K = {ks[best_aic]}** ({c.aic[best_aic]:,.1f}). {agree} Move the modes "
                "apart or together and reveal again.")
    notice()
    st.caption(f"log L grows with every K here ({', '.join(f'{v:,.1f}' for v in c.log_likelihood)}"
               f"): best of {lq.N_INIT} k-means starts per K, EM run to tol = 10⁻⁶.")
    predict.open_button("Open Model selection", app_pages.MODEL_SELECTION, FIRST_SCREEN,
                        "lesson_open_k")


def cov_stop(notice):
    ss = st.session_state
    name = ss.get(keys.CT_DATA, next(iter(lq.COV_DATA)))
    X, k = lq.cov_data(name)
    predict.chart(figures_labs.scatter_figure(X, f"{len(X)} points, K = {k}"),
                 key="lesson_fig_cov_data")
    st.radio("Data", list(lq.COV_DATA), key=keys.CT_DATA, horizontal=True,
             on_change=predict.hide, args=(keys.CT_REVEALED,))
    q = lq.cov_question(name)
    picked = predict.ask_choice(q, keys.CT_PICK, keys.CT_REVEALED, "Reveal the four fits",
                                "lesson_ct_reveal", "", lambda: None)
    _parameter_table(k, X.shape[1])
    if picked is None:
        notice()
        return
    predict.choice_result(TITLE_COV, q, picked)
    fits = lq.cov_fits(name)
    predict.chart(figures.ellipses_figure(X, {f"{t}: BIC {f.bic:,.1f}": (f.means, f.covariances)
                                             for t, f in fits.items()}),
                 key="lesson_fig_cov")
    notice()
    st.caption("Each fit: EM from one k-means start (random_state 0), 1σ and 2σ ellipses.")
    kind = st.radio("Try one on the Step by step page (parallel cigars, K = 3)", lq.COV_TYPES,
                    horizontal=True,
                    key=keys.CT_TYPE)
    predict.open_button("Open Step by step", app_pages.STEP_BY_STEP,
                        {**FIRST_SCREEN, session.DATASET: "Anisotropic cigars", session.K: 3,
                         session.COVARIANCE_TYPE: kind}, "lesson_open_cov")


def _parameter_table(k: int, d: int):
    """Free parameters by type: the covariances' formula, then the total with K·d means and
    K − 1 weights, for the K and d in use."""
    formulas = lq.COVARIANCE_FORMULAS
    fits_rows = []
    for kind in lq.COV_TYPES:
        total = n_parameters(k, d, kind)
        fits_rows.append({"type": kind, "Σ": total - k * d - (k - 1), "μ": k * d,
                          "π": k - 1, "total p": total})
    st.markdown(f"**Parameters, K = {k}, d = {d}:** spherical ${formulas['spherical']}$, "
                f"diag ${formulas['diag']}$, tied ${formulas['tied']}$, full "
                f"${formulas['full']}$ covariance numbers, plus $K d$ means and $K - 1$ "
                "weights.")
    st.table(pd.DataFrame(fits_rows).set_index("type"))
