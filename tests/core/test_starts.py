"""Starting points: scikit-learn's four init_params give scikit-learn's start; placed means."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from gmm_core import EMEngine, covariance_type, initial_responsibilities, placed_means_start
from gmm_core.starts import start_parameters
from tests.helpers import COV_TYPES, INITS, PARAM_NAMES, blobs

X_START = blobs(n_per=1000, seed=3)  # moderate n: 3000 points


@pytest.mark.parametrize("cov_type", COV_TYPES)
@pytest.mark.parametrize("init", INITS)
def test_start_equals_sklearn_start(cov_type, init):
    # max_iter=0: scikit-learn's fitted parameters are its start, untouched by EM
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = SkGaussianMixture(4, covariance_type=cov_type, init_params=init, max_iter=0,
                               random_state=7).fit(X_START)
    start = EMEngine(X_START, 4, covariance_type=cov_type, init=init, random_state=7).params
    # scikit-learn's E[x²] − E[x]² (diag) and XᵀX − Σ N μμᵀ (tied) round to about
    # eps · max x²; beyond that the two starts agree to 1e-12
    noise = 100 * np.finfo(float).eps * float(np.max(X_START**2))
    for name in PARAM_NAMES:
        ours, theirs = getattr(start, name), getattr(sk, name + "_")
        atol = noise if name == "covariances" else 0.0
        if name == "precisions_cholesky":  # d(1/sqrt(v)) = -dv / (2 v^1.5)
            atol = noise * float(np.max(np.abs(theirs))) ** 3
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=atol, err_msg=name)


@pytest.mark.parametrize("cov_type", COV_TYPES)
@pytest.mark.parametrize("init", ("k-means++", "random_from_data"))
def test_chosen_points_start_equals_dense_responsibilities(cov_type, init):
    # the direct start from K points equals the M-step on scikit-learn's n × K one-hot matrix,
    # written out here with its tied formula (XᵀX − Σ_z N_z μ_z μ_zᵀ) / Σ_z N_z
    X = X_START
    resp = initial_responsibilities(X, 4, init, np.random.RandomState(5))
    start = start_parameters(X, 4, cov_type, init, np.random.RandomState(5), 1e-6, 0.0)
    nk = resp.sum(axis=0) + 10 * np.finfo(float).eps
    means = resp.T @ X / nk[:, None]
    np.testing.assert_array_equal(start.weights, nk / len(X))
    np.testing.assert_allclose(start.means, means, rtol=1e-15)
    kind = covariance_type(cov_type)
    if cov_type == "tied":
        expected = (X.T @ X - (nk[:, None] * means).T @ means) / nk.sum() + 1e-6 * np.eye(2)
        np.testing.assert_allclose(start.covariances, expected, rtol=1e-12)
    else:  # every component owns one point: nothing but reg_covar
        np.testing.assert_allclose(kind.to_full(start.covariances, 4, 2),
                                   np.broadcast_to(1e-6 * np.eye(2), (4, 2, 2)), rtol=1e-9)


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_placed_means_start(cov_type):
    X = blobs()
    means = [[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]]
    start = placed_means_start(X, 3, cov_type, means)
    np.testing.assert_allclose(start["weights_init"], 1 / 3)
    np.testing.assert_array_equal(start["means_init"], means)
    variance = X.var(axis=0).mean() / 3 ** (2 / 2)
    dense = covariance_type(cov_type).to_full(start["precisions_init"], 3, 2)
    np.testing.assert_allclose(dense, np.broadcast_to(np.eye(2) / variance, (3, 2, 2)),
                               rtol=1e-12)
    engine = EMEngine(X, 3, covariance_type=cov_type, **start)  # a valid start
    np.testing.assert_array_equal(engine.means, means)
