"""Densities, parameter conversions and sufficient statistics against independent oracles."""

import numpy as np
import pytest
from scipy import stats
from scipy.special import logsumexp

from gmm_core import MixtureParameters, SufficientStatistics, n_parameters
from gmm_core import _gaussian as g
from gmm_core._estep import estep, mstep

COV_TYPES = ("full", "tied", "diag", "spherical")


def random_parameters(cov_type, k, d, seed=0):
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.ones(k))
    means = rng.normal(scale=3.0, size=(k, d))
    if cov_type == "full":
        a = rng.normal(size=(k, d, d))
        cov = a @ a.transpose(0, 2, 1) + 0.5 * np.eye(d)
    elif cov_type == "tied":
        a = rng.normal(size=(d, d))
        cov = a @ a.T + 0.5 * np.eye(d)
    elif cov_type == "diag":
        cov = rng.uniform(0.3, 3.0, size=(k, d))
    else:
        cov = rng.uniform(0.3, 3.0, size=k)
    return MixtureParameters.from_covariances(weights, means, cov, cov_type)


def dense_covariances(cov_type, cov, k, d):
    """(K, d, d) covariance matrices built independently of the package."""
    if cov_type == "full":
        return np.asarray(cov)
    if cov_type == "tied":
        return np.array([cov] * k)
    if cov_type == "diag":
        return np.array([np.diag(c) for c in cov])
    return np.array([c * np.eye(d) for c in cov])


def scipy_log_prob(X, params):
    k, d = params.means.shape
    covs = dense_covariances(params.covariance_type, params.covariances, k, d)
    return np.column_stack(
        [stats.multivariate_normal(params.means[j], covs[j]).logpdf(X).reshape(-1)
         for j in range(k)]
    )


CASES = [(c, d) for c in COV_TYPES for d in (1, 2, 3)]


@pytest.mark.parametrize(("cov_type", "d"), CASES)
def test_log_gaussian_prob_matches_scipy(cov_type, d):
    params = random_parameters(cov_type, 3, d, seed=d)
    X = np.random.default_rng(1).normal(scale=4.0, size=(40, d))
    got = g.log_gaussian_prob(X, params.means, params.precisions_cholesky, cov_type)
    assert got.shape == (40, 3)
    np.testing.assert_allclose(got, scipy_log_prob(X, params), rtol=1e-10, atol=1e-10)


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


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_parameter_conversions_round_trip(cov_type):
    k, d = 3, 3
    params = random_parameters(cov_type, k, d, seed=4)
    dense = dense_covariances(cov_type, params.covariances, k, d)
    np.testing.assert_allclose(params.full_covariances(), dense, rtol=1e-12)
    # precision = inverse covariance
    prec_dense = dense_covariances(cov_type, params.precisions, k, d)
    np.testing.assert_allclose(prec_dense @ dense, np.broadcast_to(np.eye(d), (k, d, d)),
                               atol=1e-10)
    np.testing.assert_allclose(
        g.covariances_from_cholesky(params.precisions_cholesky, cov_type),
        params.covariances, rtol=1e-10)
    chol = g.precision_cholesky_from_precisions(params.precisions, cov_type)
    np.testing.assert_allclose(g.precisions_from_cholesky(chol, cov_type), params.precisions,
                               rtol=1e-10)
    if cov_type in ("full", "tied"):  # documented as upper-triangular
        np.testing.assert_array_equal(np.tril(chol, -1), 0)
        np.testing.assert_array_equal(np.tril(params.precisions_cholesky, -1), 0)


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


@pytest.mark.parametrize(
    ("cov_type", "k", "d", "expected"),
    [("full", 2, 2, 11), ("tied", 3, 2, 11), ("diag", 3, 4, 26), ("spherical", 2, 4, 11),
     ("full", 1, 4, 14), ("full", 2, 4, 29)],
)
def test_n_parameters(cov_type, k, d, expected):
    assert n_parameters(k, d, cov_type) == expected


def _weighted_moments(X, resp):
    nk = resp.sum(0)
    means = (resp.T @ X) / nk[:, None]
    scatter = np.array([(resp[:, j, None] * (X - means[j])).T @ (X - means[j])
                        for j in range(resp.shape[1])])
    return nk, means, scatter


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_statistics_from_responsibilities(cov_type):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(30, 3))
    resp = rng.dirichlet(np.ones(2), size=30)
    s = SufficientStatistics.from_responsibilities(X, resp, cov_type)
    nk, means, scatter = _weighted_moments(X, resp)
    np.testing.assert_allclose(s.nk, nk, rtol=1e-13)
    np.testing.assert_allclose(s.means, means, rtol=1e-12)
    if cov_type in ("full", "tied"):
        np.testing.assert_allclose(s.scatter, scatter, rtol=1e-12)
    else:
        np.testing.assert_allclose(s.scatter, np.diagonal(scatter, axis1=1, axis2=2),
                                   rtol=1e-12)
    np.testing.assert_allclose(s.sum_x, resp.T @ X, rtol=1e-12)


@pytest.mark.parametrize("cov_type", COV_TYPES)
@pytest.mark.parametrize("split", [1, 13, 29])
def test_chan_merge_equals_whole(cov_type, split):
    rng = np.random.default_rng(6)
    X = rng.normal(loc=50.0, size=(30, 2))
    resp = rng.dirichlet(np.ones(3), size=30)
    whole = SufficientStatistics.from_responsibilities(X, resp, cov_type, log_likelihood=-3.0)
    a = SufficientStatistics.from_responsibilities(X[:split], resp[:split], cov_type, -1.0)
    b = SufficientStatistics.from_responsibilities(X[split:], resp[split:], cov_type, -2.0)
    merged = a.merge(b)
    np.testing.assert_allclose(merged.nk, whole.nk, rtol=1e-12)
    np.testing.assert_allclose(merged.means, whole.means, rtol=1e-12)
    np.testing.assert_allclose(merged.scatter, whole.scatter, rtol=1e-12, atol=1e-12)
    assert merged.n_samples == 30
    assert merged.log_likelihood == pytest.approx(-3.0)


def test_chan_merge_with_empty_component():
    X = np.arange(10.0).reshape(5, 2)
    resp = np.column_stack([np.ones(5), np.zeros(5)])
    a = SufficientStatistics.from_responsibilities(X[:2], resp[:2], "full")
    b = SufficientStatistics.from_responsibilities(X[2:], resp[2:], "full")
    merged = a.merge(b)
    assert np.isfinite(merged.scatter).all()
    np.testing.assert_array_equal(merged.nk, [5.0, 0.0])
    np.testing.assert_allclose(merged.scatter[0], np.cov(X.T, bias=True) * 5)


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
def test_mstep_estimates(cov_type):
    rng = np.random.default_rng(9)
    X = rng.normal(size=(40, 2))
    resp = rng.dirichlet(np.ones(2), size=40)
    s = SufficientStatistics.from_responsibilities(X, resp, cov_type)
    reg = 1e-3
    result = mstep(s, cov_type, reg, 1.0)
    nk, means, scatter = _weighted_moments(X, resp)
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
