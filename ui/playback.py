"""The one playback controller: E-step, M-step, full iteration, run to convergence, reset,
continue from here, and Play / Pause, over one engine or many in lockstep.

A page makes one ``Player`` with its own session keys. The runs it steps are ``Lane``s kept
in ``st.session_state[player.lanes_key]`` (a page may subclass ``Lane`` with what else it
shows). Button callbacks are the Player's methods. Play works by a fragment with a timer:
the page calls ``player.tick(...)`` at the top of that fragment, and only a tick that the
timer brings advances the runs; any other rerun of the fragment (a click, a toggle) finds no
tick due. The clock is ``playback._clock`` (tests replace it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import streamlit as st

from gmm_core import EMEngine

#: Play's speeds, labelled by the timer's interval: a tick cannot come sooner, but it comes
#: later when a redraw takes longer ("fast (4 / s)" measured ≈ 2 half-steps/s). What Play
#: really achieves is measured (``Player.measured_rate``) and shown beside the choice.
SPEEDS = {"slow: every 1 s": 1.0, "normal: every 0.5 s": 0.5, "fast: every 0.25 s": 0.25}
DEFAULT_SPEED = "normal: every 0.5 s"
#: Play ticks remembered to measure the rate.
RATE_WINDOW = 6

#: What a failed step raises (a collapse, a singular covariance…): kept as the lane's error.
STEP_ERRORS = (ValueError, RuntimeError, np.linalg.LinAlgError)

#: The most iterations one run keeps: the sidebar's largest "Max iterations". The buttons
#: step past max_iter on request, but not past this, so a session's history (a record per
#: half-step) cannot grow without bound however long a student keeps pressing.
MAX_ITERATIONS = 1000
#: ... that is, at most this many records: the start and two half-steps per iteration.
MAX_RECORDS = 2 * MAX_ITERATIONS + 1
FULL_RUN = (f"This run has reached {MAX_ITERATIONS} iterations, the most one run keeps. "
            "Reset, or change a setting to start a new run.")


def _room(engine: EMEngine, half_steps: int):
    """Raise (a step error, shown as the lane's error) if ``half_steps`` more records would
    pass ``MAX_RECORDS``."""
    if len(engine.history) + half_steps > MAX_RECORDS:
        raise ValueError(FULL_RUN)


def _clock() -> float:
    return time.monotonic()


@dataclass
class Lane:
    """One run that a Player steps: its engine (None if it could not start), the error of
    its last failed step ("" if none) and the seconds its steps took."""

    engine: EMEngine | None
    error: str = ""
    fit_seconds: float = 0.0


@dataclass(frozen=True)
class Player:
    """Stepping and Play over the lanes in ``st.session_state[lanes_key]``.

    ``lockstep=True`` (several runs side by side): an action moves only the runs that can
    take it (a converged run holds still, Full iteration stops at ``max_iter``), and a run
    whose step failed keeps its last good state and its error until Reset while the others
    go on. ``lockstep=False`` (one run): every action is tried, and a later step that works
    clears the error. ``after_step`` is called after every action (e.g. to show the latest
    half-step); ``describe_error(lane, exc)`` words a failed step.
    """

    lanes_key: str
    playing_key: str
    tick_key: str
    speed_key: str
    lockstep: bool = False
    after_step: Callable[[], None] | None = None
    describe_error: Callable[[Lane, Exception], str] = lambda lane, exc: str(exc)

    # --------------------------------------------------------------------------------------
    # State

    def lanes(self) -> list[Lane]:
        return st.session_state.get(self.lanes_key) or []

    @property
    def playing(self) -> bool:
        return bool(st.session_state.get(self.playing_key))

    def interval(self) -> float:
        """Seconds between Play ticks, from the page's speed choice."""
        choice = st.session_state.get(self.speed_key, DEFAULT_SPEED)
        return SPEEDS.get(choice, SPEEDS[DEFAULT_SPEED])

    def measured_rate(self) -> float | None:
        """Half-steps per second over Play's last ticks (None before two ticks)."""
        times = st.session_state.get(self.tick_key + "_times") or []
        if len(times) < 2 or times[-1] <= times[0]:
            return None
        return (len(times) - 1) / (times[-1] - times[0])

    def _blocked(self, lane: Lane) -> bool:
        return lane.engine is None or (self.lockstep and bool(lane.error))

    def finished(self, lane: Lane) -> bool:
        """Converged (and its M-step done), failed for good, or never started."""
        return self._blocked(lane) or (lane.engine.converged and lane.engine.next_phase == "E")

    def can_move(self, lane: Lane, max_iter: int) -> bool:
        """Can Play (or Full iteration in lockstep) take this lane a half-step further?"""
        if self._blocked(lane):
            return False
        engine = lane.engine
        return engine.next_phase == "M" or not (engine.converged or engine.n_iter >= max_iter)

    def any_can_move(self, max_iter: int) -> bool:
        return any(self.can_move(lane, max_iter) for lane in self.lanes())

    def any_next(self, phase: str) -> bool:
        """Is there a lane whose next half-step is ``phase`` ("E" or "M")?"""
        return any(not self.finished(lane) and lane.engine.next_phase == phase
                   for lane in self.lanes())

    # --------------------------------------------------------------------------------------
    # Actions (button callbacks)

    def _each(self, action, *, skip_finished=None):
        skip = self.lockstep if skip_finished is None else skip_finished
        for lane in self.lanes():
            if self._blocked(lane) or (skip and self.finished(lane)):
                continue
            t0 = time.perf_counter()
            try:
                action(lane.engine)
                if not self.lockstep:
                    lane.error = ""
            except STEP_ERRORS as exc:
                lane.error = self.describe_error(lane, exc)
                if not self.lockstep:
                    st.session_state[self.playing_key] = False
            lane.fit_seconds += time.perf_counter() - t0
        if self.after_step is not None:
            self.after_step()

    def e_step(self):
        def e_step(e):
            if e.next_phase == "E":
                _room(e, 2)  # an E-step needs its M-step's room too
                e.e_step()

        self._each(e_step)

    def m_step(self):
        self._each(lambda e: e.m_step() if e.next_phase == "M" else None)

    def iteration(self, max_iter=None):
        """A full iteration (E then M); with ``max_iter``, not past it."""
        def step(e):
            if max_iter is None or e.n_iter < max_iter:
                _room(e, 2 if e.next_phase == "E" else 1)
                e.step()

        self._each(step)

    def run(self, max_iter):
        self._each(lambda e: e.run(min(max_iter, MAX_ITERATIONS)))

    def reset(self):
        """Every lane back to its start (same initialisation); Play stops."""
        for lane in self.lanes():
            if lane.engine is not None:
                lane.engine.rewind(0)
                lane.error = ""
                lane.fit_seconds = 0.0
        st.session_state[self.playing_key] = False
        if self.after_step is not None:
            self.after_step()

    def continue_from(self, index: int):
        """Drop every half-step after ``index``; Play stops."""
        for lane in self.lanes():
            if lane.engine is not None:
                lane.engine.rewind(index)
        st.session_state[self.playing_key] = False
        if self.after_step is not None:
            self.after_step()

    def toggle_play(self):
        st.session_state[self.playing_key] = not self.playing
        st.session_state[self.tick_key] = None  # the first run after Play is a tick
        st.session_state[self.tick_key + "_times"] = []

    def stop(self):
        st.session_state[self.playing_key] = False

    # --------------------------------------------------------------------------------------
    # Play

    def tick_due(self, interval: float) -> bool:
        """Is a Play tick due? Only the fragment's timer should advance the runs: a click or
        a toggle while playing also reruns the fragment, and must not add a half-step."""
        now, last = _clock(), st.session_state.get(self.tick_key)
        if last is not None and now - last < 0.8 * interval:
            return False
        st.session_state[self.tick_key] = now
        times = st.session_state.setdefault(self.tick_key + "_times", [])
        times[:] = [*times[-(RATE_WINDOW - 1):], now]
        return True

    def half_step(self, max_iter: int) -> bool:
        """One half-step for every lane that can move; False (and nothing done) when none
        can, or when a single run's step failed."""
        if not self.any_can_move(max_iter):
            return False

        def half(engine):
            if engine.next_phase == "M":
                engine.m_step()
            elif not (engine.converged or engine.n_iter >= max_iter):
                _room(engine, 2)
                engine.e_step()

        self._each(half, skip_finished=True)
        return self.lockstep or not any(lane.error for lane in self.lanes())

    def tick(self, max_iter: int, *, was_playing: bool, was_interval: float):
        """Call first in the page's Play fragment (``run_every=was_interval`` while
        ``was_playing``): takes a half-step if the timer brought a tick, stops Play when
        nothing can move, and reruns the whole page when Play started, stopped or changed
        speed (that starts, stops or re-times the fragment's timer)."""
        if self.playing and self.tick_due(self.interval()) and not self.half_step(max_iter):
            self.stop()
        if self.playing != was_playing or (was_playing and self.interval() != was_interval):
            st.rerun()
