"""Covariance types: densities against scipy.stats, conversions, parameter counts, lookup."""

import numpy as np
import pytest

from gmm_core import (
    COVARIANCE_DESCRIPTIONS,
    COVARIANCE_TYPES,
    DIAG,
    FULL,
    SPHERICAL,
    TIED,
    covariance_type,
    n_parameters,
)
from tests.helpers import COV_TYPES, dense_covariances, random_parameters, scipy_log_prob

CASES = [(c, d) for c in COV_TYPES for d in (1, 2, 3)]


@pytest.mark.parametrize(("cov_type", "d"), CASES)
def test_log_gaussian_prob_matches_scipy(cov_type, d):
    params = random_parameters(cov_type, 3, d, seed=d)
    X = np.random.default_rng(1).normal(scale=4.0, size=(40, d))
    got = covariance_type(cov_type).log_prob(X, params.means, params.precisions_cholesky)
    assert got.shape == (40, 3)
    np.testing.assert_allclose(got, scipy_log_prob(X, params), rtol=1e-10, atol=1e-10)


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
    kind = covariance_type(cov_type)
    np.testing.assert_allclose(kind.covariances_from_cholesky(params.precisions_cholesky),
                               params.covariances, rtol=1e-10)
    chol = kind.precisions_cholesky_from_precisions(params.precisions)
    np.testing.assert_allclose(kind.precisions_from_cholesky(chol), params.precisions,
                               rtol=1e-10)
    if cov_type in ("full", "tied"):  # documented as upper-triangular
        np.testing.assert_array_equal(np.tril(chol, -1), 0)
        np.testing.assert_array_equal(np.tril(params.precisions_cholesky, -1), 0)


@pytest.mark.parametrize(
    ("cov_type", "k", "d", "expected"),
    [("full", 2, 2, 11), ("tied", 3, 2, 11), ("diag", 3, 4, 26), ("spherical", 2, 4, 11),
     ("full", 1, 4, 14), ("full", 2, 4, 29)],
)
def test_n_parameters(cov_type, k, d, expected):
    assert n_parameters(k, d, cov_type) == expected

def test_lookup_names_and_objects():
    assert COVARIANCE_TYPES == ("full", "tied", "diag", "spherical")
    for obj, name, mclust in [(FULL, "full", "VVV"), (TIED, "tied", "EEE"),
                              (DIAG, "diag", "VVI"), (SPHERICAL, "spherical", "VII")]:
        assert covariance_type(name) is obj
        assert covariance_type(obj) is obj
        assert obj.name == name and obj.mclust == mclust
        assert COVARIANCE_DESCRIPTIONS[name] == obj.description
    with pytest.raises(ValueError, match="Use one of 'full'"):
        covariance_type("fulll")


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_shapes_follow_sklearn(cov_type):
    k, d = 3, 2
    params = random_parameters(cov_type, k, d, seed=1)
    kind = covariance_type(cov_type)
    assert kind.precision_shape(k, d) == params.covariances.shape
    assert params.precisions_cholesky.shape == params.covariances.shape
    iso = kind.isotropic(2.0, k, d)
    assert iso.shape == kind.precision_shape(k, d)
    np.testing.assert_array_equal(kind.to_full(iso, k, d), np.broadcast_to(2 * np.eye(d),
                                                                            (k, d, d)))


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_smallest_variances_are_smallest_eigenvalues(cov_type):
    params = random_parameters(cov_type, 3, 3, seed=2)
    dense = dense_covariances(cov_type, params.covariances, 3, 3)
    got = covariance_type(cov_type).smallest_variances(params.covariances)
    expected = np.linalg.eigvalsh(dense)[:, 0]
    np.testing.assert_allclose(np.broadcast_to(got, (3,)), expected, rtol=1e-12)


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_sample_has_the_component_moments(cov_type):
    params = random_parameters(cov_type, 2, 2, seed=3)
    counts = np.array([20000, 30000])
    kind = covariance_type(cov_type)
    X = kind.sample(np.random.RandomState(0), params.means, params.covariances, counts)
    dense = dense_covariances(cov_type, params.covariances, 2, 2)
    for j, part in enumerate(np.split(X, [counts[0]])):
        assert len(part) == counts[j]
        np.testing.assert_allclose(part.mean(axis=0), params.means[j],
                                   atol=5 * np.sqrt(dense[j].max() / counts[j]))
        np.testing.assert_allclose(np.cov(part.T), dense[j], atol=0.05 * dense[j].max())
