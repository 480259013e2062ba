"""The streaming E-step against the dense textbook one (gmm_core.reference) and itself."""

import numpy as np
import pytest

from gmm_core import SufficientStatistics, reference
from gmm_core.estep import estep
from tests.helpers import COV_TYPES, random_parameters


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_estep_chunked_equals_unchunked(cov_type):
    params = random_parameters(cov_type, 3, 2, seed=7)
    X = np.random.default_rng(8).normal(scale=3.0, size=(53, 2))
    r1, r2 = np.empty((53, 3)), np.empty((53, 3))
    s1 = estep(X, params, responsibilities_out=r1)
    s2 = estep(X, params, responsibilities_out=r2, chunk_size=7)
    np.testing.assert_allclose(s2.log_likelihood, s1.log_likelihood, rtol=1e-12)
    np.testing.assert_allclose(r2, r1, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(s2.nk, s1.nk, rtol=1e-12)
    np.testing.assert_allclose(s2.means, s1.means, rtol=1e-12)
    np.testing.assert_allclose(s2.scatter, s1.scatter, rtol=1e-10, atol=1e-12)
    # and both equal the direct statistics of the responsibilities
    direct = SufficientStatistics.from_responsibilities(X, r1, cov_type)
    np.testing.assert_allclose(s1.means, direct.means, rtol=1e-10)
    np.testing.assert_allclose(s1.scatter, direct.scatter, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(r1.sum(axis=1), 1.0, rtol=1e-13)

@pytest.mark.parametrize("cov_type", COV_TYPES)
# d = 12 and 20: the full/tied scatter by syrk (d >= 8), the diagonal whitening by broadcast
# (d > 16)
@pytest.mark.parametrize("d", [1, 2, 3, 12, 20])
@pytest.mark.parametrize("chunk_size", [1, 7, 64, None])
def test_estep_matches_reference(cov_type, d, chunk_size):
    params = random_parameters(cov_type, 3, d, seed=20 + d)
    X = np.random.default_rng(d).normal(scale=3.0, size=(61, d))
    expected_resp, expected_ll = reference.e_step(X, params.weights, params.means,
                                                  params.covariances, cov_type)
    resp = np.empty((61, 3))
    stats = estep(X, params, responsibilities_out=resp, chunk_size=chunk_size)
    np.testing.assert_allclose(resp, expected_resp, rtol=1e-9, atol=1e-12)
    assert stats.log_likelihood == pytest.approx(expected_ll, rel=1e-11)
    # the statistics are those of the reference responsibilities
    nk = expected_resp.sum(axis=0)
    means = expected_resp.T @ X / nk[:, None]
    np.testing.assert_allclose(stats.nk, nk, rtol=1e-10)
    np.testing.assert_allclose(stats.means, means, rtol=1e-9, atol=1e-12)
    scatter = np.array([(expected_resp[:, j, None] * (X - means[j])).T @ (X - means[j])
                        for j in range(3)])
    if cov_type in ("diag", "spherical"):
        scatter = np.diagonal(scatter, axis1=1, axis2=2)
    np.testing.assert_allclose(stats.scatter, scatter, rtol=1e-8, atol=1e-10)


def test_estep_log_likelihood_only():
    params = random_parameters("full", 2, 2, seed=4)
    X = np.random.default_rng(4).normal(size=(30, 2))
    stats = estep(X, params, statistics=False, chunk_size=8)
    _, expected = reference.e_step(X, params.weights, params.means, params.covariances, "full")
    assert stats.log_likelihood == pytest.approx(expected, rel=1e-12)
    assert stats.nk.size == 0 and stats.n_samples == 30


def test_logsumexp_rows_matches_scipy():
    from scipy.special import logsumexp

    from gmm_core.estep import logsumexp_rows

    a = np.random.default_rng(0).normal(scale=300.0, size=(50, 4))
    a[:5, 1] = -np.inf  # a component of weight 0
    np.testing.assert_allclose(logsumexp_rows(a), logsumexp(a, axis=1), rtol=1e-15)


@pytest.mark.parametrize("weighted", [False, True])
def test_pooled_tied_estep_equals_the_per_component_one(weighted):
    """The tied fit's pass with many features (gmm_core.estep_tied) pools the scatter over
    the components; its sum, N_z, means and log-likelihood are the per-component E-step's."""
    from gmm_core.estep_tied import estep_pooled_tied

    params = random_parameters("tied", 4, 12, seed=5)
    rng = np.random.default_rng(6)
    X = rng.normal(scale=3.0, size=(500, 12)) + 40.0  # far from the origin
    w = rng.uniform(0, 2, size=500) if weighted else None
    a = estep(X, params, sample_weight=w)
    b = estep_pooled_tied(X, params, chunk_size=64, sample_weight=w)
    assert b.log_likelihood == pytest.approx(a.log_likelihood, rel=1e-12)
    np.testing.assert_allclose(b.nk, a.nk, rtol=1e-10)
    np.testing.assert_allclose(b.means, a.means, rtol=1e-10)
    assert b.scatter.shape == (1, 12, 12)
    pooled = a.scatter.sum(axis=0)  # equal to 1e-10 of its size (the pooled form subtracts)
    np.testing.assert_allclose(b.scatter[0], pooled, atol=1e-10 * np.abs(pooled).max())


def test_tied_fit_with_many_features_equals_scikit_learn():
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.mixture import GaussianMixture as SkGaussianMixture

    from gmm_core import GaussianMixture

    rng = np.random.default_rng(3)
    X = rng.normal(size=(2000, 12))
    X[:800] += 2.5
    options = dict(n_components=3, covariance_type="tied", random_state=0, tol=1e-6,
                   max_iter=200)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = SkGaussianMixture(**options).fit(X)
        ours = GaussianMixture(**options).fit(X)
    assert ours.n_iter_ == sk.n_iter_
    np.testing.assert_array_equal(ours.predict(X), sk.predict(X))
    np.testing.assert_allclose(ours.covariances_, sk.covariances_, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(ours.means_, sk.means_, rtol=1e-8, atol=1e-10)
