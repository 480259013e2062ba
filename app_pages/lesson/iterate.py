"""Stop 6: iterate to convergence. Predict log L a few iterations ahead on the chart's scale,
then run; the lower bound touching the log-likelihood after each E-step is drawn. One stopping
rule, scikit-learn's and Step by step's: the change of the MEAN log-likelihood per point."""

from __future__ import annotations

import streamlit as st

from gmm_core.convergence import rule_change
from lab_maths import lesson as lm
from lab_maths import lesson_questions as lq
from ui.formulas import subscript

from . import figures, figures_labs, keys, predict

TITLE = "Stop 6 · Iterate: log L ahead"
AHEAD = lq.ITERATE_AHEAD


def _set_shown(value: int):
    ss = st.session_state
    ss[keys.IT_SHOWN] = max(value, 0)
    ss[keys.IT_RESULT] = None


def _run_ahead(tol: float, shown: int, guess_key: str):
    """The reveal: score the guess against the question asked at ``shown``, then run."""
    ss = st.session_state
    q = lq.iterate_question(tol, shown)
    guess = ss[guess_key]
    points = predict.record(TITLE, q, guess)
    ss[keys.IT_RESULT] = {"from": shown, "to": q.context["to"], "guess": guess,
                          "points": points, "tol": tol}
    ss[keys.IT_SHOWN] = q.context["to"]


def iterate_stop(notice):
    ss = st.session_state
    tol = ss.get(keys.IT_TOL, 1e-3)
    run = lq.iterate_run(tol)
    last = len(run.log_likelihoods) - 1
    shown = min(ss.setdefault(keys.IT_SHOWN, 0), last)
    result = ss.get(keys.IT_RESULT)
    result = result if result and result["tol"] == tol and result["to"] == shown else None
    asking = result is None and shown < last
    q = lq.iterate_question(tol, shown)
    guess_key = keys.IT_GUESS.format(tol, shown)
    guess = ss.get(guess_key, round(run.log_likelihoods[shown])) if asking else None
    low, high = q.low, q.high
    predict.chart(figures_labs.iterate_figure(run, shown, (low, high) if asking else None, guess,
                                             result and result["guess"]),
                 key="lesson_fig_ll")
    if asking:
        st.slider(f"Your guess: log p(x | λ) after {AHEAD} more iterations (the dashed line)",
                  float(low), float(high), float(guess), 0.5, key=guess_key)
        st.button(f"Reveal: run {AHEAD} iterations", key="lesson_it_reveal", type="primary",
                  on_click=_run_ahead, args=(tol, shown, guess_key), use_container_width=True)
    elif result:
        truth = run.log_likelihoods[result["to"]]
        c1, c2, c3 = st.columns(3)
        c1.metric(f"log L at iteration {result['to']}", f"{truth:.2f}")
        c2.metric("Your guess was off by", f"{abs(result['guess'] - truth):.2f}")
        c3.metric("Points", f"{result['points']} / 100")
        predict.miss_note(q, result["points"])
    _controls(shown, last)
    notice()
    _rule(run, shown, last, tol)
    mix = run.mixtures[shown]
    predict.chart(figures.data_figure(lm.lesson_data(), mix,
                                     gamma=lm.e_step(lm.lesson_data(), mix)[0],
                                     title=f"λ after {shown} iteration(s)", height=260),
                 key="lesson_fig_it")


def _controls(shown: int, last: int):
    b1, b2, b3 = st.columns(3)
    b1.button("One EM iteration", key="lesson_it_one", on_click=_set_shown, args=(shown + 1,),
              disabled=shown >= last, use_container_width=True)
    b2.button("Run to convergence", key="lesson_it_all", on_click=_set_shown, args=(last,),
              disabled=shown >= last, use_container_width=True)
    b3.button("Start again", key="lesson_it_reset", on_click=_set_shown, args=(0,),
              disabled=shown == 0, use_container_width=True)
    st.select_slider("Tolerance tol on the change of the mean log-likelihood per point",
                     lq.TOLERANCES, value=1e-3, key=keys.IT_TOL,
                     format_func=lambda t: f"{t:g}", on_change=_set_shown, args=(0,))


def _rule(run, shown: int, last: int, tol: float):
    n = len(lm.lesson_data())
    lls = run.log_likelihoods
    change = lls[shown] - lls[shown - 1] if shown else None
    c1, c2, c3 = st.columns(3)
    c1.metric("log p(x | λ)", f"{lls[shown]:.4f}",
              delta=None if change is None else f"{change:+.4g}")
    c2.metric("Change of the mean per point", "—" if change is None
              else f"{rule_change(lls[shown], lls[shown - 1], n):+.3g}",
              help=f"The change of log p(x | λ) divided by n = {n}: what the rule compares "
                   "with tol.")
    stopped = "yes" if run.converged else "no: max iter"
    c3.metric("Stopped by the rule", stopped if shown == last else "not yet")
    if shown == last and run.converged:
        fired = run.changes[last - 1]
        st.caption(f"The rule (scikit-learn's and Step by step's): stop when the MEAN "
                   f"log-likelihood per point changes by less than tol = {tol:g} between two "
                   f"E-steps. At the E-step of iteration {last}, λ{subscript(last - 1)} "
                   f"vs λ{subscript(last - 2)} changed it by {fired:.3g} < {tol:g}; that "
                   f"iteration's M-step still ran, so EM stops after {last} iterations.")
    else:
        st.caption(f"The rule (scikit-learn's and Step by step's): stop when the MEAN "
                   f"log-likelihood per point, log p(x | λ) / {n}, changes by less than "
                   f"tol = {tol:g} between two E-steps.")
    st.caption(r"Why it never falls: after each E-step the lower bound on "
               r"$\log p(x \mid \lambda)$ touches it (the dotted line meets the black one); "
               "the M-step raises the bound, so the log-likelihood rises with it (or stays).")
