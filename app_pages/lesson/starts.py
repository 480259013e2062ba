"""Stop 7: three starts drawn on the data; predict which ends highest; then the three runs
play side by side (Play is a fragment with a timer, Step moves one iteration)."""

from __future__ import annotations

import streamlit as st

import app_pages
from lab_maths import lesson_questions as lq
from ui.palette import component_color
from ui.settings import FIRST_SCREEN

from . import figures_labs, keys, predict

TITLE = "Stop 7 · Initialisation: best start"
INTERVAL = 0.6  # seconds between iterations while playing


def _last() -> int:
    return max(r.n_iter for r in lq.init_runs())


def _step(to: int):
    ss = st.session_state
    ss[keys.IN_STEP] = min(max(to, 0), _last())
    ss[keys.IN_PLAYING] = False


def _toggle():
    ss = st.session_state
    if ss.get(keys.IN_STEP, 0) >= _last():
        ss[keys.IN_STEP] = 0
    ss[keys.IN_PLAYING] = not ss.get(keys.IN_PLAYING, False)


def init_stop(notice):
    runs, x = lq.init_runs(), lq.three_modes()
    q = lq.init_question()
    predict.chart(figures_labs.starts_figure(x, [r.mixtures[0] for r in runs], lq.INIT_NAMES),
                 key="lesson_fig_starts")
    picked = predict.ask_choice(
        q, keys.IN_PICK, keys.IN_REVEALED, "Reveal: run EM from all three", "lesson_in_reveal",
        "Each start puts three means μ₁, μ₂, μ₃ (markers) on the data; EM then climbs from "
        "there. Pick a start, then reveal.", notice)
    if picked is None:
        return
    predict.choice_result(TITLE, q, picked)
    _play(runs, x)
    notice()
    finals = ", ".join(f"{name}: {r.log_likelihoods[-1]:,.2f} after {r.n_iter} iterations"
                       for name, r in zip(lq.INIT_NAMES, runs))
    st.caption(f"Final log-likelihoods (EM, full covariances, tol = 10⁻³, reg_covar = 10⁻⁶, "
               f"random_from_data seeds {', '.join(map(str, lq.INIT_SEEDS))}): {finals}.")
    predict.open_button("Open Initializations", app_pages.INITIALIZATIONS, FIRST_SCREEN,
                        "lesson_open_init")


def _advance():
    ss = st.session_state
    ss[keys.IN_STEP] = min(ss.get(keys.IN_STEP, 0) + 1, _last())
    if ss[keys.IN_STEP] >= _last():
        ss[keys.IN_PLAYING] = False


def _play(runs, x):
    predict.timed(keys.IN_PLAYING, INTERVAL, _advance, lambda: _panels(runs, x))


def _panels(runs, x):
    ss = st.session_state
    step = ss.setdefault(keys.IN_STEP, 0)
    b1, b2, b3 = st.columns(3)
    b1.button("Pause" if ss.get(keys.IN_PLAYING) else "Play the three runs",
              key="lesson_in_play", on_click=_toggle, type="primary", use_container_width=True)
    b2.button("Step", key="lesson_in_step_btn", on_click=_step, args=(step + 1,),
              disabled=step >= _last(), use_container_width=True)
    b3.button("Restart", key="lesson_in_restart", on_click=_step, args=(0,),
              disabled=step == 0, use_container_width=True)
    cols = st.columns(3)
    for s, (col, name, run) in enumerate(zip(cols, lq.INIT_NAMES, runs)):
        t = min(step, run.n_iter)
        done = " (stopped)" if t == run.n_iter else ""
        with col:
            predict.chart(figures_labs.run_panel_figure(
                x, run.mixtures[t], f"{name}, iteration {t}{done}", component_color(s + 2)),
                key=f"lesson_fig_run_{s}")
            st.metric(f"{name}: log L", f"{run.log_likelihoods[t]:,.2f}")
    st.caption(f"Iteration {step} of {_last()}: the runs move in lockstep; a run that has "
               "stopped (its rule fired) stays where it ended.")
