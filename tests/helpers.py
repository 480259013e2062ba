"""Shared test helpers: data makers, covariance type lists, user starts, independent oracles.

Nothing here uses gmm_core's kernels: the dense covariances and densities below are built
from NumPy and SciPy alone, so they can serve as oracles.
"""

import numpy as np
from scipy import stats

from gmm_core import MixtureParameters

COV_TYPES = ("full", "tied", "diag", "spherical")
INITS = ("kmeans", "k-means++", "random", "random_from_data")
PARAM_NAMES = ("weights", "means", "covariances", "precisions_cholesky")


def blobs(n_per=100, seed=0, d=2):
    """Three well-separated Gaussian blobs of ``n_per`` points each, in d <= 2 dimensions."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [5.0, 5.0], [-4.0, 6.0]])[:, :d]
    scales = (0.5, 0.8, 0.3)
    return np.vstack([rng.normal(c, s, size=(n_per, d)) for c, s in zip(centres, scales)])


def user_start(cov_type, k=3, d=2):
    """A hand-made (weights_init, means_init, precisions_init) near :func:`blobs`' clusters."""
    weights = np.array([0.2, 0.3, 0.5])[:k]
    weights = weights / weights.sum()
    means = np.array([[0.5, 0.5], [4.0, 4.0], [-3.0, 5.0]])[:k, :d]
    prec = {
        "full": np.array([np.eye(d) * (j + 1) + 0.2 * (1 - np.eye(d)) for j in range(k)]),
        "tied": np.eye(d) * 1.5 + 0.1 * (1 - np.eye(d)),
        "diag": np.arange(1.0, k * d + 1).reshape(k, d) / 2,
        "spherical": np.arange(1.0, k + 1),
    }[cov_type]
    return weights, means, prec


def random_covariances(cov_type, k, d, rng):
    """Random positive-definite covariances in the shape of ``cov_type``."""
    if cov_type == "full":
        a = rng.normal(size=(k, d, d))
        return a @ a.transpose(0, 2, 1) + 0.5 * np.eye(d)
    if cov_type == "tied":
        a = rng.normal(size=(d, d))
        return a @ a.T + 0.5 * np.eye(d)
    if cov_type == "diag":
        return rng.uniform(0.3, 3.0, size=(k, d))
    return rng.uniform(0.3, 3.0, size=k)


def random_parameters(cov_type, k, d, seed=0):
    """Random mixture parameters: Dirichlet weights, spread means, random covariances."""
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.ones(k))
    means = rng.normal(scale=3.0, size=(k, d))
    cov = random_covariances(cov_type, k, d, rng)
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
    """log N(x_i | mu_k, Sigma_k) from scipy.stats, shape (n, K)."""
    k, d = params.means.shape
    covs = dense_covariances(params.covariance_type, params.covariances, k, d)
    return np.column_stack(
        [stats.multivariate_normal(params.means[j], covs[j]).logpdf(X).reshape(-1)
         for j in range(k)]
    )


def weighted_moments(X, resp):
    """N_z, weighted means and centred (K, d, d) scatter, written out directly."""
    nk = resp.sum(0)
    means = (resp.T @ X) / nk[:, None]
    scatter = np.array([(resp[:, j, None] * (X - means[j])).T @ (X - means[j])
                        for j in range(resp.shape[1])])
    return nk, means, scatter


def sklearn_parameters(sk, cov_type):
    """A fitted scikit-learn GaussianMixture's parameters as MixtureParameters."""
    return MixtureParameters(sk.weights_, sk.means_, sk.covariances_, sk.precisions_cholesky_,
                             cov_type)


def assert_params_close(p, q, rtol=1e-10, atol=0.0):
    for name in PARAM_NAMES:
        np.testing.assert_allclose(getattr(p, name), getattr(q, name), rtol=rtol, atol=atol,
                                   err_msg=name)


def assert_params_equal(p, q):
    for name in PARAM_NAMES:
        np.testing.assert_array_equal(getattr(p, name), getattr(q, name), err_msg=name)
