"""MixtureParameters: densities, responsibilities and predictions against scipy.stats."""

import numpy as np
import pytest
from scipy import stats
from scipy.special import logsumexp

from gmm_core import MixtureParameters
from tests.helpers import COV_TYPES, dense_covariances, random_parameters, scipy_log_prob

CASES = [(c, d) for c in COV_TYPES for d in (1, 2, 3)]


@pytest.mark.parametrize(("cov_type", "d"), CASES)
def test_score_samples_and_responsibilities_match_scipy(cov_type, d):
    params = random_parameters(cov_type, 3, d, seed=10 + d)
    X = np.random.default_rng(2).normal(scale=4.0, size=(50, d))
    wlp = scipy_log_prob(X, params) + np.log(params.weights)
    expected_score = logsumexp(wlp, axis=1)
    np.testing.assert_allclose(params.score_samples(X), expected_score, rtol=1e-10)
    np.testing.assert_allclose(params.score_samples(X, chunk_size=7), expected_score,
                               rtol=1e-10)
    np.testing.assert_allclose(params.log_likelihood(X), expected_score.sum(), rtol=1e-10)
    resp = params.responsibilities(X)
    np.testing.assert_allclose(resp, np.exp(wlp - expected_score[:, None]), rtol=1e-9,
                               atol=1e-12)
    np.testing.assert_array_equal(params.predict(X), wlp.argmax(axis=1))


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_one_dimensional_against_scipy_norm(cov_type):
    params = random_parameters(cov_type, 2, 1, seed=3)
    X = np.linspace(-8, 8, 33)[:, None]
    sd = np.sqrt(dense_covariances(cov_type, params.covariances, 2, 1)[:, 0, 0])
    dens = sum(w * stats.norm(m[0], s).pdf(X[:, 0])
               for w, m, s in zip(params.weights, params.means, sd))
    np.testing.assert_allclose(params.score_samples(X), np.log(dens), rtol=1e-10)


def test_parameters_are_read_only():
    params = random_parameters("full", 2, 2)
    for a in (params.weights, params.means, params.covariances, params.precisions_cholesky):
        assert not a.flags.writeable
        with pytest.raises(ValueError):
            a[...] = 0


def test_not_positive_definite_covariance_raises():
    with pytest.raises(ValueError, match="reg_covar"):
        MixtureParameters.from_covariances([1.0], [[0.0, 0.0]], [[[1.0, 2.0], [2.0, 1.0]]],
                                           "full")
    with pytest.raises(ValueError, match="reg_covar"):
        MixtureParameters.from_covariances([0.5, 0.5], [[0.0], [1.0]], [1.0, 0.0], "spherical")
