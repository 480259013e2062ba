"""What one session keeps is bounded however long it lasts: a run's history stops at the
most iterations one run keeps (1000: the sidebar's largest "Max iterations"), and the Step
by step page's per-session caches keep at most 8 entries each."""

from __future__ import annotations

import numpy as np
import pytest
import streamlit as st

from app_pages.step_by_step import keys, panels, stop
from gmm_core import EMEngine, MixtureParameters
from gmm_core.datasets import make_cigars
from ui import playback
from ui.playback import Lane, Player
from ui.session import Settings

from ..pages.apptest import Clock


@pytest.fixture()
def ss(monkeypatch):
    fake = {}
    monkeypatch.setattr(st, "session_state", fake)
    monkeypatch.setattr(playback, "_clock", Clock())
    return fake


def _player():
    return Player(lanes_key="lanes", playing_key="playing", tick_key="tick",
                  speed_key="speed", lockstep=False)


def test_full_iterations_stop_at_1000_with_a_plain_error(ss):
    X = make_cigars(120, seed=1).X
    ss["lanes"] = [lane := Lane(EMEngine(X, 2, random_state=0))]
    player = _player()
    for _ in range(999):
        player.iteration()
    engine = lane.engine
    assert engine.n_iter == 999 and not lane.error
    player.e_step()  # iteration 1000's E-step, then its M-step: both allowed
    player.m_step()
    assert len(engine.history) == 1 + 2 * 1000 and not lane.error
    for action in (player.iteration, player.e_step, player.iteration):
        action()
        assert len(engine.history) == 2001  # nothing added
        assert "reached 1000 iterations" in lane.error and "Reset" in lane.error
    player.run(5000)  # run to convergence is capped too
    assert len(engine.history) <= 2001
    player.reset()
    assert len(engine.history) == 1 and not lane.error
    player.iteration()
    assert len(engine.history) == 3 and not lane.error


def test_play_stops_at_the_cap(ss, monkeypatch):
    monkeypatch.setattr(playback, "MAX_RECORDS", 7)  # 3 iterations, to keep it short
    X = make_cigars(120, seed=1).X
    ss["lanes"] = [lane := Lane(EMEngine(X, 2, random_state=0, tol=0.0))]
    player = _player()
    moved = [player.half_step(max_iter=50) for _ in range(10)]
    assert len(lane.engine.history) == 7
    assert moved[:6] == [True] * 6 and not any(moved[6:])


def _settings():
    return Settings(n_components=2, covariance_type="full", init="kmeans", seed=0,
                    reg_covar=1e-6, tol=1e-3, max_iter=100)


def test_stop_checks_keep_at_most_8(ss):
    X = make_cigars(150, seed=2).X
    engine = EMEngine(X, 2, random_state=0)
    engine.run(100)
    stopped = engine.history[-1]
    for run in range(20):
        ss[keys.RUN_KEY] = {"run": run}
        stop.cached_check(engine, stopped, _settings())
        assert len(ss[keys.STOP_CHECKS]) == min(run + 1, stop.MAX_CHECKS) <= 8
    assert (repr({"run": 19}), stopped.index) in ss[keys.STOP_CHECKS]  # the newest kept


def test_m_step_previews_keep_nothing_in_the_session(ss):
    X = make_cigars(150, seed=3).X
    engine = EMEngine(X, 2, random_state=0)
    for _ in range(12):
        engine.e_step()
        record = engine.history[-1]
        before = dict(ss)
        nk, params, _ = panels.m_step_preview(engine, record)
        assert dict(ss) == before  # from the engine's statistics: no cache, no second engine
        after = engine.m_step()
        # the preview is the engine's own M-step: the oracle is the step it then takes
        np.testing.assert_array_equal(nk, after.nk)
        np.testing.assert_array_equal(params.means, after.params.means)
        np.testing.assert_array_equal(params.covariances, after.params.covariances)
        # and once taken, the preview of that E-step is the M record
        assert panels.m_step_preview(engine, record)[1] is after.params


@pytest.mark.parametrize("cov", ["full", "tied", "diag", "spherical"])
def test_the_m_step_of_an_e_step_followed_by_a_move_is_from_that_e_steps_gamma(ss, cov):
    """An E-step, then a move by hand: viewing the E-step shows what an M-step makes of its
    γ (oracle: scikit-learn's own M-step formulas on those responsibilities), not the
    engine's pending preview (there is none) nor a later E-step's."""
    from sklearn.mixture._gaussian_mixture import _estimate_gaussian_parameters

    X = make_cigars(150, seed=6).X
    engine = EMEngine(X, 2, random_state=0, covariance_type=cov)
    engine.step()
    e_record = engine.e_step()
    p = engine.params
    moved = MixtureParameters.from_covariances(p.weights, p.means + 0.5, p.covariances, cov)
    engine.set_parameters(moved, note="you moved both means")
    engine.e_step()  # a later E-step, on the moved parameters: not the one viewed
    nk, params, coming = panels.m_step_preview(engine, e_record)
    assert not coming and panels.after_is_move(engine, e_record)
    gamma = engine.responsibilities_at(e_record.index)
    sk_nk, sk_means, sk_covs = _estimate_gaussian_parameters(X, gamma, engine.reg_covar, cov)
    np.testing.assert_allclose(nk, sk_nk, rtol=1e-10)
    np.testing.assert_allclose(params.means, sk_means, rtol=1e-10)
    np.testing.assert_allclose(params.covariances, sk_covs, rtol=1e-8)
