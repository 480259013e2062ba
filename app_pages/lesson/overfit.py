"""Stop 10: overfitting. A third component sits on one data point; predict what log L does
as its σ → 0, then watch it: the spike (the density on a log scale), log L climbing without
bound, and reg_covar (added to σ²) stopping it."""

from __future__ import annotations

import streamlit as st

import app_pages
from app_pages.model_selection import keys as ms_keys
from lab_maths import lesson as lm
from lab_maths import lesson_questions as lq
from ui import session
from ui.settings import FIRST_SCREEN

from . import figures_labs, keys, predict

TITLE = "Stop 10 · Overfitting: σ → 0"
INTERVAL = 0.7


def _sigma_text(s: float) -> str:
    return f"{s:.0e}".replace("e+00", "").replace("e-0", "e-")


def _toggle():
    ss = st.session_state
    if ss.get(keys.OF_SIGMA, lq.SIGMAS[0]) == lq.SIGMAS[-1]:
        ss[keys.OF_SIGMA] = lq.SIGMAS[0]
    ss[keys.OF_PLAYING] = not ss.get(keys.OF_PLAYING, False)


def _shrink():
    ss = st.session_state
    i = lq.SIGMAS.index(ss.get(keys.OF_SIGMA, lq.SIGMAS[0]))
    ss[keys.OF_SIGMA] = lq.SIGMAS[min(i + 1, len(lq.SIGMAS) - 1)]
    ss[keys.OF_PLAYING] = False


def overfit_stop(notice):
    ss = st.session_state
    x = lm.lesson_data()
    point = float(x[lq.COLLAPSE_POINT])
    q = lq.collapse_question()
    if not ss.get(keys.OF_REVEALED) or ss.get(keys.OF_PICK) is None:
        predict.chart(figures_labs.collapse_figure(x, lq.collapse_mixture(1.0), point),
                      key="lesson_fig_collapse")
        predict.ask_choice(q, keys.OF_PICK, keys.OF_REVEALED, "Reveal: shrink σ",
                           "lesson_of_reveal", f"Two components fit the data; a third "
                           f"(weight 1/3) sits on the point x = {point:g} with σ = 1. Its σ "
                           "will shrink towards 0.", notice)
        return
    _stage(x, point)
    picked = predict.choice(q, keys.OF_PICK, keys.OF_REVEALED, disabled=True)
    predict.choice_result(TITLE, q, picked)
    notice()
    st.caption("At its centre a Gaussian's density is 1/(σ√2π): every tenfold shrink of σ "
               "adds ln 10 ≈ 2.3 to log L, with no maximum (a singular covariance). "
               "reg_covar adds a small variance to every σ², so the spike stops growing; "
               "fewer components or cross-validation keep EM away too.")
    predict.open_button("Open Model selection", app_pages.MODEL_SELECTION,
                        {**FIRST_SCREEN, session.N_POINTS: 60, session.K: 8},
                        "lesson_open_over",
                        # the held-out curve: 60 points, where extra components overfit
                        {ms_keys.SECTION: ms_keys.SECTIONS["heldout"]})


def _stage(x, point):
    predict.timed(keys.OF_PLAYING, INTERVAL, _advance, lambda: _draw(x, point))


def _advance():
    ss = st.session_state
    i = lq.SIGMAS.index(ss.get(keys.OF_SIGMA, lq.SIGMAS[0]))
    ss[keys.OF_SIGMA] = lq.SIGMAS[min(i + 1, len(lq.SIGMAS) - 1)]
    if ss[keys.OF_SIGMA] == lq.SIGMAS[-1]:
        ss[keys.OF_PLAYING] = False


def _draw(x, point):
    ss = st.session_state
    sigma = ss.setdefault(keys.OF_SIGMA, lq.SIGMAS[0])
    reg = ss.setdefault(keys.OF_REG, 0.0)
    mix = lq.collapse_mixture(sigma, reg)
    predict.chart(figures_labs.collapse_figure(x, mix, point), key="lesson_fig_collapse")
    b1, b2 = st.columns(2)
    b1.button("Pause" if ss.get(keys.OF_PLAYING) else "Play σ → 0", key="lesson_of_play",
              on_click=_toggle, type="primary", use_container_width=True)
    b2.button("σ ÷ 10 (one notch)", key="lesson_of_shrink", on_click=_shrink,
              disabled=sigma == lq.SIGMAS[-1], use_container_width=True)
    st.select_slider("σ of the third component", lq.SIGMAS, key=keys.OF_SIGMA,
                     format_func=_sigma_text)
    st.select_slider("reg_covar (added to σ²)", lq.REG_COVARS, key=keys.OF_REG,
                     format_func=lambda r: "0" if r == 0 else f"{r:.0e}")
    ll = lq.collapse_log_likelihood(sigma, reg)
    fit = lq.collapse_log_likelihood(lq.SIGMAS[0], 0.0)
    c1, c2 = st.columns(2)
    c1.metric("log p(x | λ)", f"{ll:,.2f}", delta=f"{ll - fit:+,.2f} from σ = 1")
    c2.metric("Density at the point", f"{float(lm.mixture_terms(point, mix).sum()):.3g}")
    curves = {f"reg_covar = {_sigma_text(r) if r else 0}":
              [lq.collapse_log_likelihood(s, r) for s in lq.SIGMAS] for r in (0.0, reg)}
    predict.chart(figures_labs.collapse_ll_figure(lq.SIGMAS, curves, sigma, ll),
                 key="lesson_fig_over")
