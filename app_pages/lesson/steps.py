"""Stops 4–5: the E-step and the M-step, each predicted then revealed."""

from __future__ import annotations

import numpy as np
import streamlit as st

from lab_maths import lesson as lm
from lab_maths import lesson_questions as lq
from ui.formulas import subscript
from ui.live_chart import live_chart, point_index
from ui.presenter import styled

from . import figures, keys, predict
from .number_format import num

START = lm.START


@st.cache_data(show_spinner=False)
def data() -> np.ndarray:
    return lm.lesson_data()


def e_step_stop(notice):
    """Stop 4. The chart first, the guess and the reveal right under it, the text after."""
    x = data()
    ss = st.session_state
    order = np.argsort(x)
    rank = ss.get(keys.E_POINT, 24)
    i = int(order[rank - 1])
    predict.chart(figures.data_figure(x, START, marked=float(x[i]), height=260,
                                     title="The data and EM's current λ"),
                 key="lesson_fig_e")
    q = lq.e_step_question(i)
    st.slider("Pick a point $x_i$ (▲ on the chart)", 1, len(x), 24, key=keys.E_POINT,
              on_change=predict.hide, args=(keys.E_REVEALED,))
    guess = st.slider(f"Your guess: $\\gamma_{{1i}}$ for $x_i = {x[i]:.2f}$ (blue's share)",
                      0.0, 1.0, 0.5, 0.01, key=keys.E_GUESS, on_change=predict.hide,
                      args=(keys.E_REVEALED,))
    predict.reveal_button("Reveal γ", "lesson_e_reveal", keys.E_REVEALED)
    if not ss.get(keys.E_REVEALED):
        st.caption("λ now: π = (0.5, 0.5), μ = (−0.5, 0.5), σ² = (1, 1). Move the slider to "
                   "your guess, then reveal.")
        notice()
        return
    terms = lm.mixture_terms(float(x[i]), START)
    truth = q.truth[0]
    points = predict.record(TITLE_E, q, guess)
    c1, c2, c3 = st.columns(3)
    c1.metric("True γ₁ᵢ", f"{truth:.3f}")
    c2.metric("Your guess was off by", f"{abs(guess - truth):.3f}")
    c3.metric("Points", f"{points} / 100")
    predict.miss_note(q, points)
    notice()
    # two lines: on one, the numbers ran off a phone's screen
    st.latex(r"\begin{aligned}\gamma_{1i} &= \frac{\pi_1 \mathcal{N}(x_i \mid \mu_1, \sigma_1^2)}"
             r"{\sum_k \pi_k \mathcal{N}(x_i \mid \mu_k, \sigma_k^2)} \\ &= "
             rf"\frac{{{num(terms[0])}}}{{{num(terms[0])} + {num(terms[1])}}} = {num(truth)}"
             r"\end{aligned}")
    st.caption(f"And γ₂ᵢ = 1 − γ₁ᵢ = {1 - truth:.3f}: each point's γ's sum to 1. "
               "λ: π = (0.5, 0.5), μ = (−0.5, 0.5), σ² = (1, 1).")


TITLE_E, TITLE_M = "Stop 4 · E-step: γ", "Stop 5 · M-step: μ"


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
        st.session_state[keys.MS_TYPED.format(z)] = None
    st.session_state[keys.MS_REVEALED] = False


def _typed(z: int):
    """The keyboard alternative: a typed μ_z is placed like a click there."""
    ss = st.session_state
    value = ss.get(keys.MS_TYPED.format(z))
    if value is None:
        ss.pop(keys.MS_GUESS.format(z), None)
    else:
        ss[keys.MS_GUESS.format(z)] = round(float(value), 3)
    ss[keys.MS_REVEALED] = False


def m_step_stop(notice):
    """Stop 5. The chart that takes the guesses first, the reveal right under it, the text
    after; a number input per mean for a keyboard."""
    x = data()
    ss = st.session_state
    place_click()
    for z, g in enumerate(guesses()):  # a click shows in its number input too
        ss[keys.MS_TYPED.format(z)] = g
    q = lq.m_step_question()
    gamma, _ = lm.e_step(x, START)
    new = lm.m_step(x, gamma)
    revealed = bool(ss.get(keys.MS_REVEALED))
    placed, z = guesses(), turn()
    fig = figures.m_step_figure(x, START, gamma, placed, None if revealed else z,
                                new.mixture.means if revealed else None)
    live_chart(styled(fig), key=keys.MS_CHART, revision=f"{placed}-{z}-{revealed}",
               config={"displayModeBar": False})  # its buttons covered the title
    if z is not None:
        colour = ("blue", "orange")[z]
        state = f"**Your turn: μ{subscript(z + 1)}** (:{colour}[{colour}])."
    else:
        state = "Both placed: " + ", ".join(
            f"μ{subscript(c + 1)} = {g:.2f}" for c, g in enumerate(placed)) + "."
    st.markdown("**Tap or click on the chart** where each new $\\mu_z$ will be, one at a "
                "time. " + state)
    b1, b2 = st.columns(2)  # with a third, empty column the labels were cut at 900 px
    b1.button("Reveal the M-step", key="lesson_ms_reveal", type="primary",
              on_click=predict.reveal, args=(keys.MS_REVEALED,),
              disabled=z is not None or revealed, use_container_width=True)
    b2.button("Redo my guesses", key="lesson_ms_redo", on_click=_redo,
              icon=":material/undo:", disabled=all(g is None for g in placed),
              use_container_width=True)
    with st.expander("Or type your guesses (keyboard)"):
        cols = st.columns(2)
        for c in range(2):
            cols[c].number_input(f"Your μ{subscript(c + 1)}", -6.0, 6.0, value=None,
                                 step=0.1, key=keys.MS_TYPED.format(c), on_change=_typed,
                                 args=(c,), disabled=revealed)
    if not revealed:
        st.caption(r"Points coloured by $\gamma_{zi}$. The dotted lines are the old means; "
                   "a diamond marks each guess.")
        notice()
        return
    _m_step_numbers(x, gamma, new, placed, q)
    notice()


def _m_step_numbers(x, gamma, new: lm.MStep, guesses, q):
    points = predict.record(TITLE_M, q, guesses)
    c1, c2 = st.columns(2)
    c1.metric("Farther guess off by", f"{q.error(guesses):.3f}",
              help="The larger of your two misses: the score counts the farther guess.")
    c2.metric("Points", f"{points} / 100")
    predict.miss_note(q, points)
    n = len(x)
    for z in range(2):  # one below the other: side by side they overflow 1024 px
        s = subscript(z + 1)
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
    st.caption(r"Each point counts in every component by its $\gamma_{zi}$.")
