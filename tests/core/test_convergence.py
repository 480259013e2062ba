"""check_stop tells a plateau stop from a maximum; the restarts study counts only true ends.

Oracles: scikit-learn's GaussianMixture from the same start, once with the run's tol and
once with a tight tol (where EM really ends).
"""

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
