"""The M-step against directly written estimates and the dense textbook one (reference)."""

import numpy as np
import pytest
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from gmm_core import MixtureParameters, SufficientStatistics, reference
from gmm_core.estep import estep
from gmm_core.mstep import lower_bound, mstep
from tests.helpers import COV_TYPES, blobs, random_parameters, user_start, weighted_moments


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_mstep_estimates(cov_type):
    rng = np.random.default_rng(9)
    X = rng.normal(size=(40, 2))
    resp = rng.dirichlet(np.ones(2), size=40)
    s = SufficientStatistics.from_responsibilities(X, resp, cov_type)
    reg = 1e-3
    result = mstep(s, cov_type, reg, 1.0)
    nk, means, scatter = weighted_moments(X, resp)
    covs = scatter / nk[:, None, None]
    expected = {
        "full": covs + reg * np.eye(2),
        "tied": scatter.sum(0) / 40 + reg * np.eye(2),
        "diag": np.diagonal(covs, axis1=1, axis2=2) + reg,
        "spherical": np.diagonal(covs, axis1=1, axis2=2).mean(1) + reg,
    }[cov_type]
    p = result.params
    np.testing.assert_allclose(p.weights, nk / 40, rtol=1e-12)
    np.testing.assert_allclose(p.means, means, rtol=1e-12)
    np.testing.assert_allclose(p.covariances, expected, rtol=1e-12)
    assert result.collapsed == ()


@pytest.mark.parametrize("cov_type", COV_TYPES)
@pytest.mark.parametrize("d", [1, 2, 3])
@pytest.mark.parametrize("chunk_size", [1, 7, None])
def test_em_iteration_matches_reference(cov_type, d, chunk_size):
    params = random_parameters(cov_type, 3, d, seed=30 + d)
    X = np.random.default_rng(10 + d).normal(scale=3.0, size=(57, d))
    reg = 1e-4
    stats = estep(X, params, chunk_size=chunk_size)
    got = mstep(stats, cov_type, reg, 0.0).params
    resp, _ = reference.e_step(X, params.weights, params.means, params.covariances, cov_type)
    weights, means, covariances = reference.m_step(X, resp, cov_type, reg)
    # 1e-9: the kernel adds scikit-learn's 10 eps to N_z, the textbook does not
    np.testing.assert_allclose(got.weights, weights, rtol=1e-9)
    np.testing.assert_allclose(got.means, means, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(got.covariances, covariances, rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_reference_iteration_matches_sklearn(cov_type):
    # the oracle itself against a third implementation: one scikit-learn iteration
    X = blobs()
    w, m, p = user_start(cov_type)
    sk = SkGaussianMixture(3, covariance_type=cov_type, max_iter=1, tol=0.0, weights_init=w,
                           means_init=m, precisions_init=p)
    with pytest.warns(UserWarning):  # ConvergenceWarning after one iteration
        sk.fit(X)
    start = MixtureParameters.from_precisions(w, m, p, cov_type)
    resp, ll = reference.e_step(X, w, m, start.covariances, cov_type)
    weights, means, covariances = reference.m_step(X, resp, cov_type, sk.reg_covar)
    np.testing.assert_allclose(weights, sk.weights_, rtol=1e-10)
    np.testing.assert_allclose(means, sk.means_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(covariances, sk.covariances_, rtol=1e-9)
    assert ll / len(X) == pytest.approx(sk.lower_bound_, rel=1e-12)


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_lower_bound_equals_log_likelihood_at_the_posterior(cov_type):
    params = random_parameters(cov_type, 3, 2, seed=5)
    X = np.random.default_rng(5).normal(scale=3.0, size=(40, 2))
    resp, ll = reference.e_step(X, params.weights, params.means, params.covariances, cov_type)
    elbo, log_likelihood = lower_bound(X, params, resp, chunk_size=9)
    assert log_likelihood == pytest.approx(ll, rel=1e-12)
    assert elbo == pytest.approx(ll, rel=1e-10)
    # any other responsibilities give a smaller bound (Gibbs' inequality)
    other = np.full_like(resp, 1 / 3)
    assert lower_bound(X, params, other)[0] < ll
