"""check_stop tells a plateau stop from a maximum; the restarts study counts only true ends.

Oracles: scikit-learn's GaussianMixture from the same start, once with the run's tol and
once with a tight tol (where EM really ends).
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from gmm_core import EMEngine
from gmm_core.convergence import GAIN_THRESHOLD, check_stop
from gmm_core.datasets import make_cigars, make_unequal_sizes
from gmm_core.restarts import fit_restarts


def sk_total_ll(X, **kwargs):
    sk = SkGaussianMixture(**kwargs).fit(X)
    return sk.score(X) * len(X), sk


def test_cigars_random_start_stops_on_a_plateau():
    X = make_cigars(600, seed=0).X
    start = dict(n_components=3, init_params="random", random_state=0)
    stop_ll, sk_stop = sk_total_ll(X, tol=1e-3, **start)
    end_ll, _ = sk_total_ll(X, tol=1e-9, max_iter=5000, **start)
    assert end_ll - stop_ll > 50  # the oracle: the tol stop was far from where EM ends
    engine = EMEngine(X, 3, init="random", random_state=0, tol=1e-3)
    engine.run(100)
    assert engine.n_iter == sk_stop.n_iter_
    check = check_stop(X, engine.params, run_tol=1e-3)
    assert check.log_likelihood_before == pytest.approx(stop_ll, abs=1e-6)
    assert check.log_likelihood_after == pytest.approx(end_ll, abs=0.05)
    assert check.plateau and check.verdict == "plateau" and not check.fixed_point


def test_unequal_sizes_kmeans_stop_is_near_a_maximum():
    X = make_unequal_sizes(600, seed=1).X
    start = dict(n_components=3, init_params="kmeans", random_state=0)
    stop_ll, _ = sk_total_ll(X, tol=1e-3, **start)
    end_ll, _ = sk_total_ll(X, tol=1e-10, max_iter=5000, **start)
    assert GAIN_THRESHOLD < end_ll - stop_ll < 1.0
    engine = EMEngine(X, 3, random_state=0, tol=1e-3)
    engine.run(100)
    check = check_stop(X, engine.params, run_tol=1e-3)
    assert check.log_likelihood_after == pytest.approx(end_ll, abs=1e-3)
    assert check.verdict == "near a maximum"


def test_a_tight_stop_is_a_fixed_point():
    X = make_unequal_sizes(600, seed=1).X
    engine = EMEngine(X, 3, random_state=0, tol=1e-10)
    engine.run(5000)
    check = check_stop(X, engine.params, run_tol=1e-10)
    assert check.gain < GAIN_THRESHOLD and check.verdict == "fixed point"


def test_budget_bounds_the_check():
    X = make_cigars(600, seed=0).X
    engine = EMEngine(X, 3, init="random", random_state=0)
    engine.run(100)
    check = check_stop(X, engine.params, run_tol=1e-3, budget=5 * len(X))
    assert check.extra_iterations == 5 and not check.settled
    assert check.verdict in ("still climbing", "plateau")


def test_restarts_study_reports_where_each_start_really_ends():
    X = make_cigars(600, seed=0).X
    results = pd.DataFrame(fit_restarts(X, 3, {"random": "random"}, 3, tol=1e-3))
    for _, row in results.iterrows():
        start = dict(n_components=3, init_params="random", random_state=int(row.seed))
        stop_ll, _ = sk_total_ll(X, tol=1e-3, **start)
        end_ll, _ = sk_total_ll(X, tol=1e-9, max_iter=5000, **start)
        assert row.stop_ll == pytest.approx(stop_ll, abs=1e-6)
        assert row.final_ll == pytest.approx(end_ll, abs=0.05)
        assert row.plateau == (end_ll - row.stop_ll > 10 * 600 * 1e-3)
    assert results["plateau"].any()  # seed 0 is the plateau of the first test


def test_the_check_climbs_the_runs_own_weighted_objective():
    """Integer weights are duplicated rows (the oracle): the check from a weighted stop ends
    where the check on the duplicated data ends, and counts Σ w points."""
    X = make_cigars(200, seed=4).X
    w = np.random.default_rng(0).integers(1, 4, len(X))
    engine = EMEngine(X, 3, init="random", random_state=0, tol=1e-3, sample_weight=w)
    engine.run(100)
    weighted = check_stop(X, engine.params, run_tol=1e-3, sample_weight=w)
    repeated = check_stop(np.repeat(X, w, axis=0), engine.params, run_tol=1e-3)
    assert weighted.n_samples == repeated.n_samples == w.sum()
    assert weighted.log_likelihood_before == pytest.approx(engine.log_likelihood, rel=1e-12)
    assert weighted.log_likelihood_after == pytest.approx(repeated.log_likelihood_after,
                                                          rel=1e-9)
    assert weighted.verdict == repeated.verdict


def test_the_check_keeps_frozen_parameters_frozen():
    """A run with a pinned mean, stopped at its constrained maximum: the check must not move
    the pinned mean (it would climb another objective and call the stop a plateau)."""
    X = make_unequal_sizes(400, seed=2).X
    pinned = np.array([[4.0, 4.0], [0.0, 0.0], [-3.0, 1.0]])
    engine = EMEngine(X, 3, means_init=pinned, tol=1e-10, frozen={"means": [0]})
    engine.run(5000)
    check = check_stop(X, engine.params, run_tol=1e-10, frozen={"means": [0]})
    np.testing.assert_array_equal(check.params.means[0], pinned[0])
    assert check.verdict.at_a_maximum and abs(check.gain) <= GAIN_THRESHOLD
    free = check_stop(X, engine.params, run_tol=1e-10)
    assert free.gain > 1.0  # without the pin the check climbs elsewhere (what it must not)


def test_a_branch_keeps_the_runs_weights_and_frozen_parameters():
    X = make_cigars(150, seed=5).X
    w = np.arange(1, len(X) + 1) % 3 + 1.0
    engine = EMEngine(X, 2, random_state=0, sample_weight=w, frozen={"weights": True},
                      reg_covar=1e-4, tol=1e-5)
    engine.step()
    twin = engine.branch()
    assert twin.params is engine.params and twin.n_iter == 0
    np.testing.assert_array_equal(twin.sample_weight, w)
    assert (twin.frozen, twin.reg_covar, twin.tol) == (engine.frozen, 1e-4, 1e-5)
    assert twin.log_likelihood == pytest.approx(engine.log_likelihood, rel=1e-12)
    assert engine.branch(tol=0.5).tol == 0.5


def test_the_restarts_study_fits_the_weighted_data():
    X = make_unequal_sizes(150, seed=3).X
    w = np.random.default_rng(2).integers(1, 4, len(X))
    weighted = fit_restarts(X, 2, {"k-means": "kmeans"}, 2, sample_weight=w)
    repeated = fit_restarts(np.repeat(X, w, axis=0), 2, {"k-means": "kmeans"}, 2)
    for a, b in zip(weighted, repeated):
        assert a["stop_ll"] == pytest.approx(b["stop_ll"], rel=1e-9)
        assert a["final_ll"] == pytest.approx(b["final_ll"], rel=1e-9)
