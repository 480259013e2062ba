"""Frozen parameters (``frozen=`` in EMEngine and GaussianMixture).

Oracles: a case solved by hand (frozen equal weights and known means, one-hot
responsibilities), the covariance M-step about a frozen mean written densely as
Σ_i γ_iz (x_i − m_z)(x_i − m_z)ᵀ / N_z (not the S_z + N_z δδᵀ form the code uses), the
weights' constrained maximum, and hypothesis: the log-likelihood never decreases and frozen
values never move.
"""

from __future__ import annotations

import warnings

import dask
import dask.array as da
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

from gmm_core import COVARIANCE_TYPES, EMEngine, GaussianMixture


def test_hand_derived_frozen_equal_weights_and_known_means():
    # Cluster A = {9, 11, 13}, B = {-9, -11}; π = (½, ½) and μ = (10, −10) frozen. The
    # components are ~20 apart with σ ≈ 2, so γ is one-hot (to e^-40). By hand:
    # σ_A² = ((9−10)² + (11−10)² + (13−10)²) / 3 = 11/3, σ_B² = ((−9+10)² + (−11+10)²)/2 = 1.
    X = np.array([[9.0], [11.0], [13.0], [-9.0], [-11.0]])
    gm = GaussianMixture(2, covariance_type="spherical", reg_covar=0.0, tol=1e-12,
                         weights_init=[0.5, 0.5], means_init=[[10.0], [-10.0]],
                         precisions_init=[1.0, 1.0], frozen={"weights": True, "means": True})
    gm.fit(X)
    np.testing.assert_array_equal(gm.weights_, [0.5, 0.5])
    np.testing.assert_array_equal(gm.means_, [[10.0], [-10.0]])
    np.testing.assert_allclose(gm.covariances_, [11 / 3, 1.0], rtol=1e-12)
    # unfrozen EM moves to the clusters' own means and sizes: (11, −10), (0.6, 0.4), (8/3, 1)
    free = GaussianMixture(2, covariance_type="spherical", reg_covar=0.0, tol=1e-12,
                           means_init=[[10.0], [-10.0]]).fit(X)
    np.testing.assert_allclose(free.means_, [[11.0], [-10.0]], rtol=1e-12)
    np.testing.assert_allclose(free.weights_, [0.6, 0.4], rtol=1e-12)
    np.testing.assert_allclose(free.covariances_, [8 / 3, 1.0], rtol=1e-12)


def blobs(seed, n=60, d=2):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    X[: n // 3] += 4.0
    X[n // 3 : 2 * n // 3] -= 3.0
    return X


def dense_scatter_about(X, gamma, m):
    return np.stack([((X - m[z]).T * gamma[:, z]) @ (X - m[z]) for z in range(len(m))])


@pytest.mark.parametrize("cov", COVARIANCE_TYPES)
def test_one_m_step_with_a_frozen_mean_matches_the_dense_formula(cov):
    X = blobs(1)
    engine = EMEngine(X, 3, covariance_type=cov, random_state=0, reg_covar=0.0,
                      frozen={"means": [1]})
    start = engine.params
    gamma = start.responsibilities(X)
    engine.step()
    nk = gamma.sum(axis=0)
    means = gamma.T @ X / nk[:, None]
    means[1] = start.means[1]
    scatter = dense_scatter_about(X, gamma, means)  # (K, d, d) about the M-step's means
    expected = {
        "full": scatter / nk[:, None, None],
        "tied": scatter.sum(axis=0) / nk.sum(),
        "diag": np.diagonal(scatter, axis1=1, axis2=2) / nk[:, None],
        "spherical": np.diagonal(scatter, axis1=1, axis2=2).mean(axis=1) / nk,
    }[cov]
    np.testing.assert_array_equal(engine.means[1], start.means[1])
    np.testing.assert_allclose(engine.means, means, rtol=1e-10)
    np.testing.assert_allclose(engine.covariances, expected, rtol=1e-9)
    np.testing.assert_allclose(engine.weights, nk / nk.sum(), rtol=1e-12)


def test_frozen_weights_leave_the_rest_to_the_free_components():
    X = blobs(2)
    engine = EMEngine(X, 3, random_state=0, weights_init=[0.2, 0.5, 0.3],
                      frozen={"weights": [0]})
    gamma = engine.params.responsibilities(X)
    engine.step()
    nk = gamma.sum(axis=0)
    # maximise Σ N_z log π_z with π_0 = 0.2 held and π_1 + π_2 = 0.8: π_z ∝ N_z
    np.testing.assert_allclose(engine.weights, [0.2, *(0.8 * nk[1:] / nk[1:].sum())],
                               rtol=1e-12)
    assert engine.weights[0] == 0.2


def frozen_specs(k, cov):
    part = st.one_of(st.just(True), st.lists(st.integers(0, k - 1), max_size=k))
    cov_part = st.just(True) if cov == "tied" else part
    return st.fixed_dictionaries({}, optional={"weights": part, "means": part,
                                               "covariances": cov_part})


@settings(max_examples=40, deadline=None)
@given(data=st.data(), seed=st.integers(0, 1000), k=st.integers(1, 4),
       cov=st.sampled_from(COVARIANCE_TYPES), init=st.sampled_from(["kmeans", "random"]))
def test_log_likelihood_never_decreases_and_frozen_values_stay(data, seed, k, cov, init):
    frozen = data.draw(frozen_specs(k, cov))
    X = blobs(seed)
    engine = EMEngine(X, k, covariance_type=cov, init=init, random_state=seed, tol=0,
                      frozen=frozen)
    start = engine.params
    engine.run(15)
    history = engine.history
    lls = [r.log_likelihood for r in history]
    assert all(b >= a - 1e-9 * abs(a) for a, b in zip(lls, lls[1:])), np.diff(lls)
    f = engine.frozen
    for r in history:
        np.testing.assert_array_equal(r.params.weights[list(f.weights)],
                                      start.weights[list(f.weights)])
        np.testing.assert_array_equal(r.params.means[list(f.means)],
                                      start.means[list(f.means)])
        if cov == "tied" and f.covariances:
            np.testing.assert_array_equal(r.params.covariances, start.covariances)
        elif cov != "tied":
            np.testing.assert_array_equal(r.params.covariances[list(f.covariances)],
                                          start.covariances[list(f.covariances)])


def test_pinned_mean_others_adapt_and_everything_frozen_is_the_start():
    X = blobs(3)
    start = dict(weights_init=[0.3, 0.3, 0.4], means_init=[[0, 0], [1, 1], [-1, 1]],
                 precisions_init=np.stack([np.eye(2)] * 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        pinned = GaussianMixture(3, **start, frozen={"means": [0]}).fit(X)
        everything = GaussianMixture(3, **start, max_iter=5, frozen={
            "weights": True, "means": True, "covariances": True}).fit(X)
    np.testing.assert_array_equal(pinned.means_[0], [0, 0])
    assert np.abs(pinned.means_[1:] - [[1, 1], [-1, 1]]).max() > 0.5
    np.testing.assert_array_equal(everything.weights_, start["weights_init"])
    np.testing.assert_array_equal(everything.means_, start["means_init"])
    np.testing.assert_allclose(everything.covariances_, start["precisions_init"], rtol=1e-15)
    assert clone(pinned).get_params()["frozen"] == {"means": [0]}


def test_dask_backend_honours_frozen():
    X = blobs(4, n=300)
    kw = dict(n_components=3, random_state=0, tol=1e-8, frozen={"means": [2], "weights": [0]})
    with dask.config.set(scheduler="synchronous"):
        on_dask = GaussianMixture(**kw).fit(da.from_array(X, chunks=70))
    in_memory = GaussianMixture(**kw).fit(X)
    np.testing.assert_allclose(on_dask.means_, in_memory.means_, rtol=1e-9)
    np.testing.assert_allclose(on_dask.weights_, in_memory.weights_, rtol=1e-9)


@pytest.mark.parametrize("frozen, match", [
    ({"mean": True}, r"unknown key\(s\) 'mean': use 'weights', 'means'"),
    ({"means": [3]}, r"names component\(s\) \[3\], but there are 3"),
    ({"means": "all"}, "must be True or a list of component indices"),
    (["means"], "frozen must be a dict"),
])
def test_bad_frozen_raises_value_error_naming_the_fix(frozen, match):
    with pytest.raises(ValueError, match=match):
        EMEngine(blobs(0), 3, frozen=frozen)
    with pytest.raises(ValueError, match=match):
        GaussianMixture(3, frozen=frozen).fit(blobs(0))


def test_tied_covariance_is_frozen_whole_or_not_at_all():
    with pytest.raises(ValueError, match="frozen=\\{'covariances': True\\}"):
        EMEngine(blobs(0), 3, covariance_type="tied", frozen={"covariances": [0]})
    EMEngine(blobs(0), 3, covariance_type="tied", frozen={"covariances": [0, 1, 2]})
