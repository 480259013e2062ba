"""One set of buttons for every run: the page's Player (``ui.playback``) in lockstep."""

from __future__ import annotations

import streamlit as st

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
    cols = st.columns([1, 1, 1.3, 1.6, 1, 1.1, 1.6])
    cols[0].button("E-step", on_click=PLAYER.e_step, width="stretch", key=keys.E_STEP,
                   disabled=not PLAYER.any_next("E"),
                   help="E-step for every run whose next half-step is E.")
    cols[1].button("M-step", on_click=PLAYER.m_step, width="stretch", key=keys.M_STEP,
                   disabled=not PLAYER.any_next("M"),
                   help="M-step for every run whose next half-step is M.")
    cols[2].button("Full iteration", on_click=PLAYER.iteration, args=(settings.max_iter,),
                   width="stretch", key=keys.FULL, disabled=not can_move)
    cols[3].button("Run to convergence", on_click=PLAYER.run, args=(settings.max_iter,),
                   width="stretch", key=keys.RUN, disabled=not can_move)
    cols[4].button("Reset", on_click=PLAYER.reset, width="stretch", key=keys.RESET,
                   help="Every run back to its start (same initialisation).")
    playing = PLAYER.playing
    cols[5].button("Pause" if playing else "Play", on_click=PLAYER.toggle_play,
                   width="stretch", type="primary" if playing else "secondary", key=keys.PLAY,
                   disabled=not (playing or can_move))
    cols[6].selectbox("Speed", list(SPEEDS), label_visibility="collapsed",
                      **kept(keys.SPEED, DEFAULT_SPEED))
