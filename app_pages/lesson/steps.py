"""Stops 4–6: the E-step and the M-step, each predicted then revealed; EM to convergence."""

from __future__ import annotations

import numpy as np
import streamlit as st

from lab_maths import lesson as lm
from ui.live_chart import live_chart, point_index
from ui.presenter import plotly_chart, styled

from . import figures, keys
from .number_format import num

START = lm.START


@st.cache_data(show_spinner=False)
def data() -> np.ndarray:
    return lm.lesson_data()


def record_score(stop: str, points: int):
    st.session_state.setdefault(keys.SCORES, {})[stop] = points


def _reveal(key: str):
    st.session_state[key] = True


def _hide(key: str):
    st.session_state[key] = False


def e_step_stop():
    x = data()
    ss = st.session_state
    order = np.argsort(x)
    left, right = st.columns([1, 1.7])
    with left:
        rank = st.slider("Pick a point $x_i$", 1, len(x), 24,
                         key=keys.E_POINT, on_change=_hide, args=(keys.E_REVEALED,))
        i = int(order[rank - 1])
        guess = st.slider(f"Your guess: $\\gamma_{{1i}}$ for $x_i = {x[i]:.2f}$ (blue's share)",
                          0.0, 1.0,
                          0.5, 0.01, key=keys.E_GUESS, on_change=_hide, args=(keys.E_REVEALED,))
        st.button("Reveal γ", key="lesson_e_reveal", type="primary", on_click=_reveal,
                  args=(keys.E_REVEALED,))
    with right:
        title = "The data and EM's current λ"
        plotly_chart(figures.data_figure(x, START, marked=float(x[i]), title=title,
                                            height=260),
                        key="lesson_fig_e")
        st.caption("λ now: π = (0.5, 0.5), μ = (−0.5, 0.5), σ² = (1, 1).")
    if not ss.get(keys.E_REVEALED):
        st.caption("Move the slider to your guess, then reveal.")
        return
    gamma, _ = lm.e_step(x, START)
    terms = lm.mixture_terms(float(x[i]), START)
    truth = float(gamma[i, 0])
    st.latex(r"\gamma_{1i} = \frac{\pi_1 \mathcal{N}(x_i \mid \mu_1, \sigma_1^2)}"
             r"{\sum_k \pi_k \mathcal{N}(x_i \mid \mu_k, \sigma_k^2)} = "
             rf"\frac{{{num(terms[0])}}}{{{num(terms[0])} + {num(terms[1])}}} = {num(truth)}")
    points = lm.score(guess, truth, 0.5)
    record_score("E-step: γ", points)
    c1, c2, c3 = st.columns(3)
    c1.metric("True γ₁ᵢ", f"{truth:.3f}")
    c2.metric("Your guess was off by", f"{abs(guess - truth):.3f}")
    c3.metric("Points", f"{points} / 100")
    st.caption(f"And γ₂ᵢ = 1 − γ₁ᵢ = {1 - truth:.3f}: each point's γ's sum to 1.")


def guesses() -> list:
    """The placed predictions of the new μ_z (None where not placed yet)."""
    return [st.session_state.get(keys.MS_GUESS.format(z)) for z in range(2)]


def turn() -> int | None:
    """Whose mean the next click places: the first component without a guess."""
    return next((z for z, g in enumerate(guesses()) if g is None), None)


def place_click():
    """Place the chart's newest click (the live chart's widget value: a grid point's index)
    as the guess of the component whose turn it is. Read at the top of the run, before the
    chart is drawn, so the guess is drawn by the same run; a click already placed (the same
    value on a later rerun) is not placed again."""
    ss = st.session_state
    event = ss.get(keys.MS_CHART)
    if event is None or event == ss.get(keys.MS_SEEN):
        ss[keys.MS_SEEN] = event  # None: the chart was left; its click counter restarts
        return
    ss[keys.MS_SEEN] = event
    index, z = point_index(event), turn()
    if index is not None and z is not None and not ss.get(keys.MS_REVEALED):
        ss[keys.MS_GUESS.format(z)] = round(float(figures.CLICK_GRID[index]), 3)


def _redo():
    for z in range(2):
        st.session_state.pop(keys.MS_GUESS.format(z), None)
    st.session_state[keys.MS_REVEALED] = False


def m_step_stop():
    x = data()
    ss = st.session_state
    place_click()
    gamma, _ = lm.e_step(x, START)
    new = lm.m_step(x, gamma)
    revealed = bool(ss.get(keys.MS_REVEALED))
    placed, z = guesses(), turn()
    if z is not None:
        colour = ("blue", "orange")[z]
        state = f"**Your turn: μ{figures._sub(z + 1)}** (:{colour}[{colour}])."
    else:
        state = "Both placed: " + ", ".join(
            f"μ{figures._sub(c + 1)} = {g:.2f}" for c, g in enumerate(placed)) + "."
    st.markdown(r"Points coloured by $\gamma_{zi}$. Where will each $\mu_z$ move? "
                "**Click on the chart**, one mean at a time. " + state)
    # the chart full width (a bigger target); the buttons above it, on one row
    b1, b2 = st.columns(2)  # with a third, empty column the labels were cut at 900 px
    b1.button("Reveal the M-step", key="lesson_ms_reveal", type="primary",
              on_click=_reveal, args=(keys.MS_REVEALED,), disabled=z is not None or revealed,
              use_container_width=True)
    b2.button("Redo my guesses", key="lesson_ms_redo", on_click=_redo,
              icon=":material/undo:", disabled=all(g is None for g in placed),
              use_container_width=True)
    fig = figures.m_step_figure(x, START, gamma, placed, None if revealed else z,
                                new.mixture.means if revealed else None)
    live_chart(styled(fig), key=keys.MS_CHART, revision=f"{placed}-{z}-{revealed}",
               config={"displayModeBar": False})  # its buttons covered the title
    if not revealed:
        st.caption("The dotted lines are the old means; a diamond marks each guess.")
        return
    _m_step_numbers(x, gamma, new, placed)


def _m_step_numbers(x, gamma, new: lm.MStep, guesses):
    n = len(x)
    rows = []
    for z in range(2):  # one below the other: side by side they overflow 1024 px
        s = figures._sub(z + 1)
        g, c = gamma[:, z], z + 1
        m = new.mixture
        st.latex(rf"\begin{{aligned}}N_{c} &= \textstyle\sum_i \gamma_{{{c}i}} = "
                 rf"{num(new.n_z[z])}"
                 rf"\\ \mu_{c} &= \tfrac{{1}}{{N_{c}}}\textstyle\sum_i \gamma_{{{c}i}} x_i = "
                 rf"\tfrac{{{num(g @ x)}}}{{{num(new.n_z[z])}}} = {num(m.means[z])}"
                 rf"\\ \sigma_{c}^2 &= \tfrac{{1}}{{N_{c}}}\textstyle\sum_i \gamma_{{{c}i}}"
                 rf"(x_i - \mu_{c})^2 = {num(m.variances[z])}"
                 rf"\\ \pi_{c} &= \tfrac{{N_{c}}}{{N}} = \tfrac{{{num(new.n_z[z])}}}{{{n}}} = "
                 rf"{num(m.weights[z])}\end{{aligned}}")
        miss = abs(guesses[z] - m.means[z])
        st.markdown(f"Your μ{s} = {guesses[z]:.2f}: off by **{miss:.3f}**")
        rows.append({"z": z + 1, "your μ": guesses[z], f"μ{s} (new)": m.means[z],
                     "distance": miss})
    dist = float(np.mean([r["distance"] for r in rows]))
    points = lm.score(dist, 0.0, 2.0)
    record_score("M-step: μ", points)
    c1, c2 = st.columns(2)
    c1.metric("Mean distance from your guesses", f"{dist:.3f}")
    c2.metric("Points", f"{points} / 100")
    st.caption(r"Each point counts in every component by its $\gamma_{zi}$.")


def _step(n: int, total: int):
    ss = st.session_state
    ss[keys.IT_SHOWN] = min(ss.get(keys.IT_SHOWN, 0) + n, total)


def iterate_stop():
    x = data()
    ss = st.session_state
    tol = st.select_slider("Tolerance: stop when the log-likelihood changes by less than",
                           (1e-1, 1e-2, 1e-3, 1e-4, 1e-6), value=1e-3, key=keys.IT_TOL,
                           on_change=lambda: ss.__setitem__(keys.IT_SHOWN, 0))
    run = lm.run_em(x, START, tol=tol)
    last = len(run.log_likelihoods) - 1
    shown = min(ss.setdefault(keys.IT_SHOWN, 0), last)
    b1, b2, b3 = st.columns(3)
    b1.button("One EM iteration", key="lesson_it_one", on_click=_step, args=(1, last),
              disabled=shown >= last)
    b2.button("Run to convergence", key="lesson_it_all", on_click=_step, args=(last, last),
              disabled=shown >= last)
    b3.button("Start again", key="lesson_it_reset", on_click=_step, args=(-last, last))
    left, right = st.columns(2)
    mix = run.mixtures[shown]
    with left:
        plotly_chart(figures.data_figure(x, mix, gamma=lm.e_step(x, mix)[0],
                                            title=f"λ after {shown} iteration(s)"),
                        key="lesson_fig_it")
    with right:
        plotly_chart(figures.log_likelihood_figure(run.log_likelihoods, shown),
                        key="lesson_fig_ll")
    lls = run.log_likelihoods
    change = lls[shown] - lls[shown - 1] if shown else None
    c1, c2, c3 = st.columns(3)
    c1.metric("log p(x | λ)", f"{lls[shown]:.4f}",
              delta=None if change is None else f"{change:+.4g}")
    c2.metric("Smallest change so far", "—" if not shown else
              f"{min(np.diff(lls[:shown + 1])):+.4g}")
    done = shown == last
    c3.metric("Stopped by |change| < tol", ("yes" if run.converged else "no: max iter")
              if done else "not yet")
    st.caption(r"Why it never falls: after each E-step the lower bound on "
               r"$\log p(x \mid \lambda)$ touches it; the M-step raises the bound, so the "
               "log-likelihood rises with it (or stays).")
