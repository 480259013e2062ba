"""Stops 1–2: a Gaussian, a mixture as a weighted sum."""

from __future__ import annotations

import streamlit as st

from lab_maths import lesson as lm
from ui.formulas import subscript
from ui.presenter import plotly_chart

from . import figures, keys
from .number_format import num


def gaussian_stop():
    left, right = st.columns([1, 2.2])
    with left:
        mu = st.slider("Mean μ", -3.0, 3.0, 0.0, 0.1, key=keys.G_MU)
        sigma = st.slider("Standard deviation σ", 0.3, 3.0, 1.0, 0.1, key=keys.G_SIGMA)
        x0 = st.slider("A point x₀", -6.0, 6.0, 1.0, 0.1, key=keys.G_X)
    with right:
        plotly_chart(figures.gaussian_figure(mu, sigma, x0), key="lesson_fig_gauss")
    f = float(lm.gaussian_pdf(x0, mu, sigma))
    st.latex(r"\begin{aligned}f(x_0 \mid \mu, \sigma^2) &= \frac{1}{\sqrt{2\pi\sigma^2}}"
             r"\exp\!\Big(-\frac{(x_0-\mu)^2}{2\sigma^2}\Big) \\ &= "
             rf"\frac{{1}}{{\sqrt{{2\pi \cdot {num(sigma ** 2)}}}}}"
             rf"\exp\!\Big(-\frac{{({num(x0)} - ({num(mu)}))^2}}{{2 \cdot {num(sigma ** 2)}}}\Big)"
             rf" = {num(f)}\end{{aligned}}")
    c1, c2 = st.columns(2)
    c1.metric("Mass within μ ± 1σ", f"{100 * lm.mass_within(1):.2f} %",
              help=f"From {num(mu - sigma)} to {num(mu + sigma)}.")
    c2.metric("Mass within μ ± 2σ", f"{100 * lm.mass_within(2):.2f} %",
              help=f"From {num(mu - 2 * sigma)} to {num(mu + 2 * sigma)}.")


def _pi_changed(i: int, k: int):
    ss = st.session_state
    old = [ss.get(keys.M_PI.format(j), 1 / k) for j in range(k)]
    for j, w in enumerate(lm.rebalance(old, i, ss[keys.M_PI.format(i)])):
        ss[keys.M_PI.format(j)] = round(w, 2)
    last = k - 1 if i != k - 1 else 0  # rounding: the total stays exactly 1
    ss[keys.M_PI.format(last)] = round(1 - sum(ss[keys.M_PI.format(j)] for j in range(k)
                                               if j != last), 2)


def _k_changed():
    k = st.session_state[keys.M_K]
    for j in range(k):
        st.session_state[keys.M_PI.format(j)] = round(1 / k, 2) if j else round(
            1 - (k - 1) * round(1 / k, 2), 2)


def mixture_now(k: int) -> lm.Mixture1D:
    ss = st.session_state
    return lm.Mixture1D(tuple(float(ss[keys.M_PI.format(j)]) for j in range(k)),
                        tuple(float(ss[keys.M_MU.format(j)]) for j in range(k)),
                        tuple(float(ss[keys.M_SIGMA.format(j)]) ** 2 for j in range(k)))


def mixture_stop():
    ss = st.session_state
    if keys.M_K not in ss:
        ss[keys.M_K] = 2
        _k_changed()
    defaults_mu, defaults_sigma = (-2.0, 2.0, 0.0), (0.8, 1.2, 0.6)
    for j in range(3):
        ss.setdefault(keys.M_MU.format(j), defaults_mu[j])
        ss.setdefault(keys.M_SIGMA.format(j), defaults_sigma[j])
        ss.setdefault(keys.M_PI.format(j), 0.0)
    left, right = st.columns([1.4, 2])
    with left:
        top = st.columns(2)
        k = top[0].radio("Components K", (2, 3), horizontal=True, key=keys.M_K,
                         on_change=_k_changed)
        x0 = top[1].slider("The point x", -6.0, 6.0, 0.0, 0.1, key=keys.M_X)
        for j in range(k):
            row = st.columns(3)
            s = subscript(j + 1)
            row[0].slider(f"π{s}", 0.0, 1.0, step=0.01, key=keys.M_PI.format(j),
                          on_change=_pi_changed, args=(j, k))
            row[1].slider(f"μ{s}", -4.0, 4.0, step=0.1, key=keys.M_MU.format(j))
            row[2].slider(f"σ{s}", 0.3, 2.5, step=0.1, key=keys.M_SIGMA.format(j))
    mix = mixture_now(k)
    with right:
        plotly_chart(figures.mixture_figure(mix, x0), key="lesson_fig_mix")
    terms = lm.mixture_terms(x0, mix)
    parts = " + ".join(rf"{num(p)} \cdot \mathcal{{N}}({num(x0)} \mid {num(m)}, {num(v)})"
                       for p, m, v in zip(mix.weights, mix.means, mix.variances))
    st.latex(rf"\begin{{aligned}}p(x \mid \lambda) &= \sum_{{i=1}}^{{{k}}} \pi_i "
             rf"\mathcal{{N}}(x \mid \mu_i, \sigma_i^2) \\ &= {parts} \\ &= "
             + " + ".join(num(t) for t in terms) + rf" = {num(terms.sum())}\end{{aligned}}")
    st.caption(rf"$\sum_i \pi_i = {' + '.join(num(p) for p in mix.weights)} = "
               rf"{num(sum(mix.weights))}$: moving one $\pi$ rescales the others.")
