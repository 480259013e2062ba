"""The Step by step page's run: started from the sidebar's settings, stepped by ``PLAYER``,
viewed at any half-step of its history; and what a click on its charts does."""

from __future__ import annotations

from dataclasses import asdict

import streamlit as st

from gmm_core import EMEngine
from gmm_core.datasets import Dataset
from ui import link_moves, link_state, session
from ui.live_chart import clicked_index
from ui.playback import STEP_ERRORS, Lane, Player
from ui.session import Settings
from ui.settings import kept_settings
from ui.start import Start

from . import keys

_NAMES = {session.DATA_KEY: "data", "n_components": "K", "covariance_type": "covariance type",
          "init": "initialisation", "seed": "seed", "reg_covar": "reg_covar", "tol": "tol",
          "placed": "placed means", "pinned": "pinned means"}


def describe_change(old: dict, new: dict) -> str:
    changed = [_NAMES[k] for k in new if old.get(k) != new.get(k) and k in _NAMES]
    return ", ".join(changed) or "settings"


def set_view(index: int):
    """Show history record ``index`` (the history slider is a kept widget)."""
    session.set_kept(keys.VIEW_INDEX, index)


def show_latest():
    lane = current_lane()
    if lane is not None and lane.engine is not None:
        set_view(len(lane.engine.history) - 1)


PLAYER = Player(lanes_key=keys.RUN, playing_key=keys.PLAYING, tick_key=keys.PLAY_TICK,
                speed_key=keys.SPEED, lockstep=False, after_step=show_latest)


def current_lane() -> Lane | None:
    lanes = st.session_state.get(keys.RUN)
    return lanes[0] if lanes else None


def engine_for(data: Dataset, settings: Settings, pinned=()) -> EMEngine | None:
    """The user's EM run for these data and settings; a change starts a new run, visibly.

    Returns None while means are still being placed by clicking. If the settings cannot
    make a run (say K > n), shows ``st.error`` and keeps the previous run. A link's placed
    means and half-step (``ui.link_state``) are applied here, once the data are loaded.
    ``pinned``: components (0-based) whose mean EM keeps at the start's.
    """
    link_state.take_placed_means(data)
    engine = _engine_for(data, settings, tuple(pinned))
    if engine is None:
        link_state.clear_view()
        link_state.drop_view_request("the run has not started (place the means first).")
        return None
    at = link_state.take_view(engine, settings.max_iter, STEP_ERRORS)
    if at is not None:
        set_view(at)
    return engine


def _engine_for(data: Dataset, settings: Settings, pinned=()) -> EMEngine | None:
    ss = st.session_state
    click = settings.init is Start.CLICK
    placed = tuple(session.placed_means()) if click else ()
    key = {session.DATA_KEY: session.data_key(), **asdict(settings), "placed": placed,
           "pinned": pinned}
    key.pop("max_iter")
    lane = current_lane()
    if ss.get(keys.RUN_KEY) == key and lane is not None:
        return lane.engine
    if click and len(placed) < settings.n_components:
        return None
    if settings.init is Start.FILE and not settings.start_file and lane is not None:
        return lane.engine  # no parameters file yet: the sidebar asks for one
    try:
        engine = session.build_engine(data.X, settings, placed,
                                      sample_weight=data.sample_weight,
                                      frozen={"means": list(pinned)} if pinned else None)
    except ValueError as exc:
        st.error(f"These settings cannot start a run: {exc} The previous run is still shown.")
        return None if lane is None else lane.engine
    old = ss.get(keys.RUN_KEY)
    if old is not None:
        st.toast(f"New run started: {describe_change(old, key)} changed.")
    ss[keys.RUN] = [Lane(engine)]
    ss[keys.RUN_KEY] = key
    set_view(0)
    PLAYER.stop()
    return engine


def view_record(engine: EMEngine):
    """The history and the index of the half-step the slider shows (clamped to the run)."""
    history = engine.history
    last = len(history) - 1
    session._default(keys.VIEW_INDEX, last)
    view = int(st.session_state[keys.VIEW_INDEX])
    if not 0 <= view <= last:
        view = last
    set_view(view)
    if not PLAYER.playing:  # while playing, the URL follows when Play stops
        link_state.write_view(view, last)
        link_state.write_moves(link_moves.encode(history))
    return history, view


def continue_here():
    """Branch from the half-step shown: drop the later ones."""
    PLAYER.continue_from(int(session.kept_value(keys.VIEW_INDEX, 0)))


# ------------------------------------------------------------------------------------------
# Chart clicks


def on_chart_select(chart_key):
    """A click on the data chart: place a mean (click start) or select a point."""
    index = clicked_index(chart_key)
    if index is None:
        return
    ss = st.session_state
    settings = kept_settings()
    if settings.init is Start.CLICK:
        data = session.current_data()
        placed = ss.setdefault(session.PLACED_MEANS, [])
        k = settings.n_components
        if data is not None and len(placed) < k:
            placed.append([float(v) for v in data.X[index]])
            return
    ss[session.SELECTED_POINT] = index


def on_history_select(chart_key):
    """A click on the log-likelihood chart: show that half-step."""
    index = clicked_index(chart_key)
    if index is not None:
        set_view(index)
