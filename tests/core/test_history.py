"""The run's history answers the pages' questions (``gmm_core.History``): the E-step whose γ
is in force, where the rule |Δ| < tol fired, where the run stopped; and the M-step preview
from the engine's own statistics.

Oracles: the alternation of stepped half-steps (start, E, M, E, M…: E at odd indices) and
scikit-learn's ``n_iter_`` from the same start (its rule fires at iteration n_iter_)."""

import numpy as np
import pytest
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from gmm_core import COVARIANCE_TYPES, EMEngine, History
from tests.helpers import blobs


def stepped(n_half_steps, **kw):
    engine = EMEngine(blobs(60, seed=2), 3, random_state=0, **kw)
    for i in range(n_half_steps):
        engine.e_step() if i % 2 == 0 else engine.m_step()
    return engine


def test_the_e_step_in_force_at_every_half_step():
    history = stepped(9).history
    assert isinstance(history, History) and len(history) == 10
    assert history.last_e(0) is None and not history.gamma_in_force(0)
    for i in range(1, 10):
        expected = i if i % 2 else i - 1  # E at odd indices
        assert history.last_e(i).index == expected and history.gamma_in_force(i)
        assert history.last_e(i - 10).index == expected  # negative indices as in a list
    with pytest.raises(ValueError, match=r"index must be an integer in \[-10, 9\]"):
        history.last_e(10)


def test_where_the_rule_fired_and_the_run_stopped_match_scikit_learn():
    X = blobs(80, seed=5)
    engine = EMEngine(X, 3, random_state=1, tol=1e-3)
    engine.run(100)
    sk = SkGaussianMixture(3, random_state=1, tol=1e-3).fit(X)
    history = engine.history
    fired = history.fired()
    assert fired.phase == "E" and fired.iteration == sk.n_iter_
    assert history.stopped() is history[-1] and history[-1].phase == "M"
    assert history.stopped().iteration == sk.n_iter_
    # before the firing E-step nothing fired; from it, the stop is its iteration's M-step,
    # or the E-step itself while that M-step is not in the history yet
    assert history.fired(fired.index - 1) is None
    assert history.stopped(fired.index) is history[fired.index + 1]
    assert History(history[: fired.index + 1]).stopped() is fired


@pytest.mark.parametrize("cov", COVARIANCE_TYPES)
def test_the_m_step_preview_is_the_coming_m_step(cov):
    engine = stepped(3, covariance_type=cov)  # start, E, M, E: an M-step pending
    n_records = len(engine.history)
    nk, params = engine.preview_m_step()
    assert len(engine.history) == n_records and engine.next_phase == "M"  # run untouched
    after = engine.m_step()
    np.testing.assert_array_equal(nk, after.nk)
    for name in ("weights", "means", "covariances", "precisions_cholesky"):
        np.testing.assert_array_equal(getattr(params, name), getattr(after.params, name))
    with pytest.raises(RuntimeError, match="e_step\\(\\) first"):
        engine.preview_m_step()
