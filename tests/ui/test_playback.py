"""ui.playback: one controller for stepping and Play, over one engine or many in lockstep."""

import numpy as np
import pytest
import streamlit as st

from gmm_core import EMEngine
from gmm_core.datasets import make_cigars
from ui import playback
from ui.playback import Lane, Player

from ..pages.apptest import Clock


@pytest.fixture()
def state(monkeypatch):
    """A plain dict as the session state, and a clock that stands still."""
    fake = {}
    monkeypatch.setattr(st, "session_state", fake)
    clock = Clock()
    monkeypatch.setattr(playback, "_clock", clock)
    return fake, clock


def _player(lockstep, **kwargs):
    return Player(lanes_key="lanes", playing_key="playing", tick_key="tick",
                  speed_key="speed", lockstep=lockstep, **kwargs)


def _engines(n=3):
    X = make_cigars(300, seed=0).X
    return [EMEngine(X, 3, init="k-means++", random_state=s) for s in range(n)]


def test_lockstep_moves_only_the_runs_that_can_move(state):
    ss, _ = state
    lanes = [Lane(e) for e in _engines()]
    ss["lanes"] = lanes
    player = _player(lockstep=True)
    assert player.any_next("E") and not player.any_next("M")
    player.m_step()  # nobody's next half-step is M: nothing moves
    assert all(len(lane.engine.history) == 1 for lane in lanes)
    player.e_step()
    assert all(lane.engine.next_phase == "M" for lane in lanes)
    player.run(100)
    assert all(lane.engine.converged for lane in lanes)
    before = [len(lane.engine.history) for lane in lanes]
    player.iteration(100)  # converged runs hold still
    assert [len(lane.engine.history) for lane in lanes] == before
    assert not player.any_can_move(100)
    player.reset()
    assert all(len(lane.engine.history) == 1 and lane.fit_seconds == 0 for lane in lanes)


def test_a_failed_step_sticks_in_lockstep_and_clears_alone(state):
    ss, _ = state
    for lockstep in (True, False):
        engine = _engines(1)[0]
        ss["lanes"] = [lane := Lane(engine)]
        player = _player(lockstep, describe_error=lambda lane, exc: f"failed: {exc}")
        real = engine.e_step
        engine.e_step = lambda: (_ for _ in ()).throw(np.linalg.LinAlgError("singular"))
        ss["playing"] = True
        player.e_step()
        assert lane.error == "failed: singular" and len(engine.history) == 1
        assert ss["playing"] is lockstep  # a single run's failure stops Play
        engine.e_step = real
        player.e_step()
        assert (lane.error == "") is (not lockstep)
        assert len(engine.history) == (1 if lockstep else 2)


def test_only_a_timer_tick_takes_a_half_step(state):
    ss, clock = state
    lanes = [Lane(e) for e in _engines(2)]
    ss["lanes"] = lanes
    ss["speed"] = "normal: every 0.5 s"
    steps = []
    player = _player(lockstep=True, after_step=lambda: steps.append(1))
    player.toggle_play()
    assert player.playing
    for _ in range(5):  # the first run after Play ticks; reruns in the same instant do not
        player.tick(100, was_playing=True, was_interval=0.5)
    assert [len(lane.engine.history) for lane in lanes] == [2, 2] and len(steps) == 1
    clock.advance(0.3)  # too soon for the next tick
    player.tick(100, was_playing=True, was_interval=0.5)
    assert [len(lane.engine.history) for lane in lanes] == [2, 2]
    clock.advance(0.2)
    player.tick(100, was_playing=True, was_interval=0.5)
    assert [len(lane.engine.history) for lane in lanes] == [3, 3]


def test_play_stops_by_itself_when_nothing_can_move(state):
    ss, clock = state
    ss["lanes"] = lanes = [Lane(e) for e in _engines(2)]
    player = _player(lockstep=True)
    player.toggle_play()
    for _ in range(400):
        if not player.playing:
            break
        player.half_step(100) or player.stop()
        clock.advance(1.0)
    assert not player.playing
    assert all(lane.engine.converged and lane.engine.next_phase == "E" for lane in lanes)
    assert player.half_step(100) is False


def test_full_iteration_respects_max_iter_only_in_lockstep(state):
    ss, _ = state
    for lockstep, expected in ((True, 2), (False, 3)):
        ss["lanes"] = [lane := Lane(_engines(1)[0])]
        player = _player(lockstep)
        for _ in range(3):
            player.iteration(2 if lockstep else None)
        assert lane.engine.n_iter == expected
