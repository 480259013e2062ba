"""``sample_weight`` in EMEngine, GaussianMixture and the Dask backend.

Oracle: integer weights w_i give the fit of row i repeated w_i times (``np.repeat``), which
is an ordinary unweighted fit, itself held to scikit-learn elsewhere. Non-integer weights:
scaling every weight by c changes nothing (the mean log-likelihood divides by Σ w_i), and
one M-step is checked against the weighted formulas written out here.
"""

from __future__ import annotations

import warnings

import dask
import dask.array as da
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning

from gmm_core import COVARIANCE_TYPES, EMEngine, GaussianMixture
from gmm_core.starts import start_parameters

FITTED = ("weights_", "means_", "covariances_", "precisions_cholesky_")


def blobs(seed, n, d):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    X[: n // 2] += 3.0
    return X


def assert_same_fit(a, b, rtol=1e-8):
    assert a.n_iter_ == b.n_iter_
    assert a.converged_ == b.converged_
    for name in FITTED:
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=rtol, atol=1e-10)
    np.testing.assert_allclose(a.lower_bound_, b.lower_bound_, rtol=1e-10)


def fit(X, sample_weight=None, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return GaussianMixture(**params).fit(X, sample_weight=sample_weight)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(12, 40), d=st.integers(1, 3),
       k=st.integers(1, 3), cov=st.sampled_from(COVARIANCE_TYPES),
       init=st.sampled_from(["kmeans", "k-means++"]))
def test_integer_weights_equal_repeated_rows(seed, n, d, k, cov, init):
    """The data starts (k-means, k-means++) and EM: weighted == rows repeated w_i times."""
    X = blobs(seed, n, d)
    w = np.random.default_rng(seed + 1).integers(0, 4, size=n)
    w[:k] = np.maximum(w[:k], 1)  # at least K rows with weight
    params = dict(n_components=k, covariance_type=cov, init_params=init, random_state=seed,
                  tol=1e-6, max_iter=30)
    weighted = fit(X, w, **params)
    repeated = fit(np.repeat(X, w, axis=0), **params)
    assert_same_fit(weighted, repeated)
    Xr = np.repeat(X, w, axis=0)
    # 1e-10: the two sums add the same terms in another order over up to 30 iterations; a
    # component shrunk to reg_covar amplifies that rounding (1.7e-12 seen)
    assert weighted.score(X, sample_weight=w) == pytest.approx(repeated.score(Xr), rel=1e-10)
    assert weighted.bic(X, sample_weight=w) == pytest.approx(repeated.bic(Xr), rel=1e-10)
    assert weighted.aic(X, sample_weight=w) == pytest.approx(repeated.aic(Xr), rel=1e-10)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), cov=st.sampled_from(COVARIANCE_TYPES))
def test_engine_history_equals_repeated_rows_from_a_given_start(seed, cov):
    """Every half-step from one start (the "random" and "random_from_data" draws differ)."""
    X = blobs(seed, 30, 2)
    w = np.random.default_rng(seed).integers(0, 4, size=30)
    w[:2] = 1
    start = start_parameters(X, 2, cov, "random_from_data", np.random.RandomState(seed),
                             1e-6, 1e-300)
    a = EMEngine.from_parameters(X, start, sample_weight=w, tol=0)
    b = EMEngine.from_parameters(np.repeat(X, w, axis=0), start, tol=0)
    for engine in (a, b):
        engine.e_step()
        engine.m_step()
        engine.run(8)
    for ra, rb in zip(a.history, b.history, strict=True):
        assert ra.log_likelihood == pytest.approx(rb.log_likelihood, rel=1e-11)
        assert ra.mean_log_likelihood == pytest.approx(rb.mean_log_likelihood, rel=1e-11)
        if ra.lower_bound is not None:
            assert ra.lower_bound == pytest.approx(rb.lower_bound, rel=1e-11)
        np.testing.assert_allclose(ra.params.means, rb.params.means, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(ra.params.covariances, rb.params.covariances, rtol=1e-9,
                                   atol=1e-15)  # an off-diagonal of 0 vs 2e-45: rounding


@pytest.mark.parametrize("cov", COVARIANCE_TYPES)
def test_scaling_every_weight_changes_nothing(cov):
    X = blobs(3, 50, 2)
    w = np.random.default_rng(0).uniform(0.1, 2.0, size=50)
    a = fit(X, w, n_components=2, covariance_type=cov, random_state=0)
    b = fit(X, 7.5 * w, n_components=2, covariance_type=cov, random_state=0)
    assert_same_fit(a, b, rtol=1e-7)


def test_one_m_step_matches_the_weighted_formulas():
    X = blobs(5, 40, 2)
    w = np.random.default_rng(1).uniform(0.0, 3.0, size=40)
    engine = EMEngine(X, 2, covariance_type="full", random_state=0, sample_weight=w,
                      reg_covar=0.0)
    gamma = engine.params.responsibilities(X)
    engine.step()
    r = gamma * w[:, None]
    nk = r.sum(axis=0)
    means = r.T @ X / nk[:, None]
    covs = [((X - means[z]).T * r[:, z]) @ (X - means[z]) / nk[z] for z in range(2)]
    np.testing.assert_allclose(engine.weights, nk / w.sum(), rtol=1e-12)
    np.testing.assert_allclose(engine.means, means, rtol=1e-12)
    np.testing.assert_allclose(engine.covariances, covs, rtol=1e-10)


def test_zero_weight_rows_are_left_out():
    X = blobs(2, 40, 2)
    w = np.ones(40)
    w[::3] = 0
    a = fit(X, w, n_components=2, random_state=0, init_params="k-means++")
    b = fit(X[w > 0], n_components=2, random_state=0, init_params="k-means++")
    np.testing.assert_allclose(a.means_, b.means_, rtol=1e-8)


def test_random_from_data_picks_rows_by_weight():
    X = blobs(2, 40, 2)
    w = np.zeros(40)
    w[[4, 9, 30]] = [1.0, 2.0, 5.0]
    for seed in range(10):
        start = start_parameters(X, 3, "full", "random_from_data",
                                 np.random.RandomState(seed), 1e-6, 1e-300, w)
        order = np.lexsort(start.means.T)
        expected = X[[4, 9, 30]]
        np.testing.assert_allclose(start.means[order], expected[np.lexsort(expected.T)],
                                   rtol=1e-12)


BAD = [
    (lambda n: -np.ones(n), "negative weights.*must be >= 0"),
    (lambda n: np.r_[np.ones(n - 1), np.nan], "NaN or infinity in 1 of .*finite weight"),
    (lambda n: np.ones(n - 1), r"has shape \(\d+,\) but X has \d+ rows: pass one weight"),
    (lambda n: np.zeros(n), "zero for every row: give at least one row a positive weight"),
    (lambda n: np.r_[np.zeros(n - 1), 1.0], "Only 1 rows have a positive sample_weight"),
    (lambda n: ["a"] * n, "sample_weight must be numbers"),
]


@pytest.mark.parametrize("make, match", BAD)
def test_bad_weights_raise_value_error_naming_the_fix(make, match):
    X = blobs(0, 20, 2)
    with pytest.raises(ValueError, match=match):
        GaussianMixture(2).fit(X, sample_weight=make(20))
    with pytest.raises(ValueError, match=match):
        EMEngine(X, 2, sample_weight=make(20))


@pytest.mark.parametrize("make, match", BAD[:5])
def test_bad_weights_on_dask_raise_value_error(make, match):
    X = da.from_array(blobs(0, 20, 2), chunks=7)
    with dask.config.set(scheduler="synchronous"), pytest.raises(ValueError, match=match):
        GaussianMixture(2).fit(X, sample_weight=da.from_array(make(20), chunks=5))


@pytest.mark.parametrize("cov", COVARIANCE_TYPES)
def test_dask_weighted_fit_equals_repeated_rows(cov):
    X = blobs(4, 300, 2)
    w = np.random.default_rng(4).integers(0, 4, size=300)
    params = dict(n_components=3, covariance_type=cov, random_state=1, tol=1e-8, max_iter=40)
    with dask.config.set(scheduler="synchronous"):
        on_dask = fit(da.from_array(X, chunks=70), da.from_array(w, chunks=100), **params)
        numpy_weights = fit(da.from_array(X, chunks=70), w, **params)
    repeated = fit(np.repeat(X, w, axis=0), **params)
    assert_same_fit(on_dask, repeated, rtol=1e-9)
    assert_same_fit(numpy_weights, repeated, rtol=1e-9)
