"""One set of buttons for every run: the page's Player (``ui.playback``) in lockstep."""

from __future__ import annotations

import streamlit as st

from gmm_core import convergence
from ui import device
from ui.playback import DEFAULT_SPEED, SPEEDS, Lane, Player
from ui.session import Settings, kept

from . import keys


def _at_iteration(lane: Lane, exc: Exception) -> str:
    return f"At iteration {lane.engine.n_iter + 1}: {exc}"


PLAYER = Player(lanes_key=keys.RUNS, playing_key=keys.PLAYING, tick_key=keys.PLAY_TICK,
                speed_key=keys.SPEED, lockstep=True, describe_error=_at_iteration)


def lockstep_ui(settings: Settings):
    """E-step, M-step, Full iteration, Run to convergence, Reset, Play / Pause and speed."""
    can_move = PLAYER.any_can_move(settings.max_iter)
    if device.is_phone():
        return _phone_ui(settings, can_move)
    # (A row that wraps when narrow; presenter mode puts it first: ui/presenter.py.)
    with st.container(horizontal=True, vertical_alignment="center", key="lockstep_row"):
        st.button("E-step", on_click=PLAYER.e_step, key=keys.E_STEP,
                  disabled=not PLAYER.any_next("E"),
                  help="E-step for every run whose next half-step is E.")
        st.button("M-step", on_click=PLAYER.m_step, key=keys.M_STEP,
                  disabled=not PLAYER.any_next("M"),
                  help="M-step for every run whose next half-step is M.")
        st.button("Full iteration", on_click=PLAYER.iteration, args=(settings.max_iter,),
                  key=keys.FULL, disabled=not can_move)
        st.button("Run to convergence", on_click=PLAYER.run, args=(settings.max_iter,),
                  key=keys.RUN, disabled=not can_move,
                  help=f"Every run until the rule {convergence.RULE} stops it "
                       "(or max iterations).")
        st.button("Reset", on_click=PLAYER.reset, key=keys.RESET,
                  help="Every run back to its start (same initialisation).")
        playing = PLAYER.playing
        st.button("Pause" if playing else "Play", on_click=PLAYER.toggle_play,
                  type="primary" if playing else "secondary", key=keys.PLAY,
                  disabled=not (playing or can_move))
        st.selectbox("Speed", list(SPEEDS), label_visibility="collapsed", width=180,
                     **kept(keys.SPEED, DEFAULT_SPEED))


def _phone_ui(settings: Settings, can_move: bool):
    """A phone: E-step, M-step, Full iteration and Play in one row that stays at the top of
    the screen while the runs scroll under it (``ui.device.CSS``); the rest under "More"."""
    playing = PLAYER.playing
    with st.container(horizontal=True, vertical_alignment="center", gap="small",
                      key=device.STICKY_ROW):
        st.button("E-step", on_click=PLAYER.e_step, key=keys.E_STEP,
                  disabled=not PLAYER.any_next("E"))
        st.button("M-step", on_click=PLAYER.m_step, key=keys.M_STEP,
                  disabled=not PLAYER.any_next("M"))
        st.button("Full iteration", on_click=PLAYER.iteration, args=(settings.max_iter,),
                  key=keys.FULL, disabled=not can_move)
        st.button("Pause" if playing else "Play", on_click=PLAYER.toggle_play,
                  type="primary" if playing else "secondary", key=keys.PLAY,
                  disabled=not (playing or can_move))
        with st.popover("More", help="Run to convergence, Reset and Play's speed"):
            st.button("Run to convergence", on_click=PLAYER.run, args=(settings.max_iter,),
                      key=keys.RUN, disabled=not can_move)
            st.button("Reset", on_click=PLAYER.reset, key=keys.RESET)
            st.selectbox("Speed", list(SPEEDS), **kept(keys.SPEED, DEFAULT_SPEED))
