"""Per-user state in ``st.session_state``: shared settings, the current data, the EM run.

A user's engine lives only in their session; pure data work is cached with
``st.cache_data`` (bounded).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import streamlit as st

from gmm_core import EMEngine, placed_means_start
from gmm_core.datasets import Dataset

from . import data as data_mod

#: Initialisation choices as shown → engine names ("click" is handled here).
INIT_CHOICES = {
    "k-means": "kmeans",
    "k-means++": "k-means++",
    "random responsibilities": "random",
    "random data points": "random_from_data",
    "place means by clicking": "click",
}


@dataclass(frozen=True)
class Settings:
    n_components: int
    covariance_type: str
    init: str  # engine name or "click"
    seed: int
    reg_covar: float
    tol: float
    max_iter: int


@st.cache_data(max_entries=32, show_spinner=False)
def cached_dataset(name: str, n: int, seed: int, columns: tuple) -> Dataset:
    return data_mod.load(name, n=n, seed=seed, columns=columns)


def set_data(dataset: Dataset, key):
    """Make ``dataset`` the data in use (only called with data that loaded fine)."""
    if st.session_state.get("data_key") != key:
        st.session_state["data"] = dataset
        st.session_state["data_key"] = key
        st.session_state["placed_means"] = []
        st.session_state["selected_point"] = None


def current_data() -> Dataset | None:
    return st.session_state.get("data")


def describe_change(old: dict, new: dict) -> str:
    names = {"data_key": "data", "n_components": "K", "covariance_type": "covariance type",
             "init": "initialisation", "seed": "seed", "reg_covar": "reg_covar", "tol": "tol",
             "placed": "placed means"}
    changed = [names.get(k, k) for k in new if old.get(k) != new.get(k) and k in names]
    return ", ".join(changed) or "settings"


def engine_for(data: Dataset, settings: Settings, *, prefix="") -> EMEngine | None:
    """The user's EM run for these data and settings; a change starts a new run, visibly.

    Returns None while means are still being placed by clicking. If the settings cannot
    make a run (say K > n), shows ``st.error`` and keeps the previous run.
    """
    ss = st.session_state
    placed = tuple(map(tuple, ss.get("placed_means", []))) if settings.init == "click" else ()
    key = dict(data_key=ss.get("data_key"), **asdict(settings), placed=placed)
    key.pop("max_iter")
    if ss.get(prefix + "run_key") == key and ss.get(prefix + "engine") is not None:
        return ss[prefix + "engine"]
    if settings.init == "click" and len(placed) < settings.n_components:
        return None
    try:
        kwargs = dict(covariance_type=settings.covariance_type, reg_covar=settings.reg_covar,
                      tol=settings.tol, random_state=settings.seed)
        if settings.init == "click":
            kwargs.update(placed_means_start(data.X, settings.n_components,
                                       settings.covariance_type, placed))
        else:
            kwargs["init"] = settings.init
        engine = EMEngine(data.X, settings.n_components, **kwargs)
    except ValueError as exc:
        st.error(f"These settings cannot start a run: {exc} The previous run is still shown.")
        return ss.get(prefix + "engine")
    old = ss.get(prefix + "run_key")
    if old is not None:
        st.toast(f"New run started: {describe_change(old, key)} changed.")
    ss[prefix + "engine"] = engine
    ss[prefix + "run_key"] = key
    set_view(0, prefix)
    ss[prefix + "playing"] = False
    return engine


# ------------------------------------------------------------------------------------------
# Callbacks that change the run (wired to buttons with on_click)


def _guard(action):
    """Run an engine action; keep a ValueError as a message for the page to show."""
    try:
        action()
        st.session_state["step_error"] = None
    except ValueError as exc:
        st.session_state["step_error"] = str(exc)
        st.session_state["playing"] = False


def set_kept(key, value):
    """Set a kept widget's value from code: the widget key and its plain store ``s_<key>``,
    which survives a visit to another page (see ``ui.widgets.kept``)."""
    st.session_state[key] = st.session_state["s_" + key] = value


def set_view(index: int, prefix=""):
    """Show history record ``index`` (the history slider is a kept widget)."""
    set_kept(prefix + "view_index", index)


def _show_latest(engine):
    set_view(len(engine.history) - 1)


def do_e_step():
    engine = st.session_state["engine"]
    _guard(engine.e_step)
    _show_latest(engine)


def do_m_step():
    engine = st.session_state["engine"]
    _guard(engine.m_step)
    _show_latest(engine)


def do_iteration():
    engine = st.session_state["engine"]
    _guard(engine.step)
    _show_latest(engine)


def do_run(max_iter):
    engine = st.session_state["engine"]
    _guard(lambda: engine.run(max_iter))
    _show_latest(engine)


def do_reset():
    engine = st.session_state["engine"]
    engine.rewind(0)
    st.session_state["playing"] = False
    st.session_state["step_error"] = None
    _show_latest(engine)


def do_continue_here():
    engine = st.session_state["engine"]
    engine.rewind(int(st.session_state.get("s_view_index", 0)))
    st.session_state["playing"] = False
    _show_latest(engine)


def toggle_play():
    st.session_state["playing"] = not st.session_state.get("playing", False)
    st.session_state["play_tick"] = None


def _clock() -> float:
    return time.monotonic()


def tick_due(interval: float) -> bool:
    """Is a Play tick due? Only the fragment's timer should advance the run: a click or a
    toggle while playing also reruns the fragment, and must not add a half-step."""
    now, last = _clock(), st.session_state.get("play_tick")
    if last is not None and now - last < 0.8 * interval:
        return False
    st.session_state["play_tick"] = now
    return True


def half_step(engine: EMEngine, max_iter: int) -> bool:
    """Advance one half-step for Play; returns False (and does nothing) when finished."""
    finished = engine.next_phase == "E" and (engine.converged or engine.n_iter >= max_iter)
    if finished:
        return False
    _guard(engine.e_step if engine.next_phase == "E" else engine.m_step)
    _show_latest(engine)
    return st.session_state.get("step_error") is None


def clicked_index(chart_key):
    """customdata (a point's index) of the last clicked point of a chart, or None."""
    return point_index(st.session_state.get(chart_key))


def point_index(event):
    """customdata of the last point in a click or selection event (``ui.live_chart``'s
    click and ``st.plotly_chart``'s selection have the same shape), or None."""
    points = (event or {}).get("selection", {}).get("points", [])
    for point in reversed(points):
        value = point.get("customdata")
        if isinstance(value, (list, tuple)) and value:
            value = value[0]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return int(value)
    return None


def on_chart_select(chart_key):
    """A click on the data chart: place a mean (click start) or select a point."""
    index = clicked_index(chart_key)
    if index is None:
        return
    if st.session_state.get("init") == "place means by clicking":
        data = st.session_state.get("data")
        placed = st.session_state.setdefault("placed_means", [])
        k = int(st.session_state.get("K", 2))
        if data is not None and len(placed) < k:
            placed.append([float(v) for v in data.X[index]])
            return
    st.session_state["selected_point"] = index


def on_history_select(chart_key):
    """A click on the log-likelihood chart: show that half-step."""
    index = clicked_index(chart_key)
    if index is not None:
        set_view(index)
