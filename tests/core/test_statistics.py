"""SufficientStatistics: direct moments of the responsibilities, and Chan's merge."""

import numpy as np
import pytest

from gmm_core import SufficientStatistics
from tests.helpers import COV_TYPES, weighted_moments


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_statistics_from_responsibilities(cov_type):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(30, 3))
    resp = rng.dirichlet(np.ones(2), size=30)
    s = SufficientStatistics.from_responsibilities(X, resp, cov_type)
    nk, means, scatter = weighted_moments(X, resp)
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
