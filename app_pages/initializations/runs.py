"""The side-by-side runs: each run's start and seed (``choices_ui``), and the runs made from
them (new ones when the data, the settings or a start changes)."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import streamlit as st

from gmm_core.convergence import StopCheck, check_stop
from gmm_core.datasets import Dataset
from ui import link_state, session
from ui.playback import STEP_ERRORS, Lane
from ui.session import Settings, kept
from ui.start import SEEDED, Start

from . import keys

METHODS = [s.value for s in SEEDED]  # the starts a seed chooses
DEFAULT_RUNS = (("k-means", 0), ("k-means++", 0), ("random responsibilities", 0),
                ("random data points", 0))


@dataclass
class Run(Lane):
    """One run of the side-by-side comparison (a ``Lane`` the page's Player steps).

    ``engine`` is None when the run could not start; ``error`` is set when it could not
    start or when a step failed (the engine then keeps its last good state and stays still).
    ``waiting`` marks a user-placed start with no means placed yet.
    """

    method: str = ""
    seed: int = 0
    waiting: bool = False
    init_seconds: float = 0.0
    check: StopCheck | None = None  # check_stop of the rule's stop (one per run: bounded)
    check_at: int | None = None  # the iteration it checked

    def converged_at(self) -> int | None:
        """The iteration whose E-step found |Δ| < tol, or None."""
        if self.engine is None:
            return None
        fired = self.engine.history.fired()
        return None if fired is None else fired.iteration

    def stop_check(self, X, reg_covar) -> StopCheck | None:
        """What a tighter rule makes of the rule's stop (``check_stop``), once per stop."""
        at = self.converged_at()
        if at is None or self.error or self.engine.n_iter != at:
            return None  # not stopped, or its last M-step is still to come
        if self.check is None or self.check_at != at:
            self.check = check_stop(X, self.engine.params, run_tol=self.engine.tol,
                                    reg_covar=reg_covar,
                                    sample_weight=self.engine.sample_weight)
            self.check_at = at
        return self.check


def start_run(data: Dataset, settings: Settings, method: str, seed: int, placed=()) -> Run:
    """A new run (timed); a start that cannot be made is kept as the run's error."""
    run = Run(None, method=method, seed=seed)
    k = settings.n_components
    if method == Start.CLICK and len(placed) != k:
        run.waiting = True
        run.error = (f"No means placed for K = {k} yet ({len(placed)} placed). Choose "
                     f"\"{Start.CLICK}\" on the Step by step page, click {k} points there, then "
                     "come back: this run starts from those means.")
        return run
    try:
        t0 = time.perf_counter()
        run.engine = session.build_engine(
            data.X, replace(settings, init=Start(method), seed=seed), placed,
            sample_weight=data.sample_weight)
        run.init_seconds = time.perf_counter() - t0
    except ValueError as exc:
        run.error = str(exc)
    return run


def runs_for(data: Dataset, settings: Settings, choices) -> list[Run]:
    """The side-by-side runs; new ones when the data, settings or any start changes."""
    ss = st.session_state
    placed = tuple(session.placed_means()) if any(m == Start.CLICK for m, _ in choices) else ()
    key = (session.data_key(), settings.n_components, settings.covariance_type,
           settings.reg_covar, settings.tol, tuple(choices), placed)
    if ss.get(keys.RUNS_KEY) != key or keys.RUNS not in ss:
        if ss.get(keys.RUNS_KEY) is not None:
            st.toast("New runs started: the data, settings or a start changed.")
        ss[keys.RUNS] = [start_run(data, settings, m, s, placed) for m, s in choices]
        ss[keys.RUNS_KEY] = key
        ss[keys.PLAYING] = False
    return ss[keys.RUNS]


def choices_ui() -> list[tuple[str, int]]:
    """How many runs, and each run's start and seed."""
    n_runs = st.slider("Runs side by side", 2, 4, **kept(keys.N_RUNS, 3))
    choices = []
    # Boxes of a readable width that wrap onto a second row on narrow screens.
    with st.container(horizontal=True, gap="small"):
        for i in range(n_runs):
            method, seed = DEFAULT_RUNS[i]
            with st.container(width=205):
                m = st.selectbox(f"Run {i + 1} start", [s.value for s in Start],
                                 **kept(keys.run_init(i), method))
                s = int(st.number_input(f"Run {i + 1} seed", 0, 1_000_000, step=1,
                                        disabled=m == Start.CLICK, **kept(keys.run_seed(i), seed)))
            choices.append((m, s))
    return choices


def follow_link(side_runs: list[Run], settings: Settings):
    """A link's half-steps (``steps``): step each new run as far as the link's runs had gone
    (issue 24: a link opened elsewhere shows every run where the lecturer's was)."""
    steps = link_state.take_pending(keys.HALF_STEPS)
    if not steps:
        return
    end = 2 * settings.max_iter
    for i, (run, target) in enumerate(zip(side_runs, steps)):
        if run.engine is None:
            continue
        engine, target = run.engine, min(target, end)
        t0 = time.perf_counter()
        while len(engine.history) - 1 < target:
            try:
                engine.e_step() if engine.next_phase == "E" else engine.m_step()
            except STEP_ERRORS as exc:
                run.error = str(exc)
                link_state.notice(f"This link's run {i + 1} stops at half-step "
                                  f"{len(engine.history) - 1}: {exc}")
                break
        run.fit_seconds += time.perf_counter() - t0


def link_half_steps(side_runs: list[Run]):
    """Each run's half-steps done, for the page's link (written at once: Play ticks rerun
    only the fragment, which the end-of-run ``write_link`` does not follow)."""
    steps = tuple(0 if r.engine is None else len(r.engine.history) - 1 for r in side_runs)
    st.session_state[keys.HALF_STEPS] = steps
    link_state.write_params({"steps": keys.write_half_steps(steps)})
