"""EM for a Gaussian mixture written plainly: the textbook E-step and M-step, dense.

This is the version to read (and the one the lesson quotes). It holds the whole n × K
responsibility matrix and calls :func:`scipy.stats.multivariate_normal` once per component,
so it is slow and memory-hungry on big data; :mod:`gmm_core.estep` and
:mod:`gmm_core.mstep` compute the same quantities in one streaming pass, and the tests use
these functions as the oracle they must agree with. Nothing here is shared with them: the
covariance shapes are spelt out by hand below.

Shapes (K = n_components, d = n_features), as scikit-learn's ``covariances_``:

* "full": (K, d, d); "tied": (d, d); "diag": (K, d); "spherical": (K,).
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp
from scipy.stats import multivariate_normal


def _unknown(covariance_type):
    return (f"Unknown covariance_type {covariance_type!r}: use 'full', 'tied', 'diag' or "
            "'spherical'.")


def dense_covariances(covariances, covariance_type, n_components, n_features):
    """Every component's covariance as a full (K, d, d) matrix.

    Parameters
    ----------
    covariances : ndarray
        In the shape of ``covariance_type`` (see the module docstring).
    covariance_type : {"full", "tied", "diag", "spherical"}
    n_components, n_features : int

    Returns
    -------
    ndarray of shape (K, d, d)
    """
    covariances = np.asarray(covariances, dtype=float)
    if covariance_type == "full":
        return covariances.copy()
    if covariance_type == "tied":
        return np.array([covariances] * n_components)
    if covariance_type == "diag":
        return np.array([np.diag(c) for c in covariances])
    if covariance_type == "spherical":
        return np.array([c * np.eye(n_features) for c in covariances])
    raise ValueError(_unknown(covariance_type))


def e_step(X, weights, means, covariances, covariance_type):
    """Responsibilities γ_zi = π_z N(x_i | μ_z, Σ_z) / Σ_j π_j N(x_i | μ_j, Σ_j).

    Parameters
    ----------
    X : ndarray of shape (n, d)
    weights : ndarray of shape (K,)
        Mixing weights π_z.
    means : ndarray of shape (K, d)
    covariances : ndarray
        In the shape of ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}

    Returns
    -------
    responsibilities : ndarray of shape (n, K)
        Row i holds γ_zi for every component z; each row sums to 1.
    log_likelihood : float
        Σ_i log Σ_z π_z N(x_i | μ_z, Σ_z).
    """
    X = np.asarray(X, dtype=float)
    n_components, n_features = np.shape(means)
    sigmas = dense_covariances(covariances, covariance_type, n_components, n_features)
    # log π_z + log N(x_i | μ_z, Σ_z), one column per component: shape (n, K)
    log_joint = np.column_stack([
        np.log(weights[z])
        + multivariate_normal(means[z], sigmas[z]).logpdf(X).reshape(len(X))
        for z in range(n_components)
    ])
    # log p(x_i) = log Σ_z exp(log π_z + log N(x_i | μ_z, Σ_z)), computed without overflow
    log_evidence = logsumexp(log_joint, axis=1)
    responsibilities = np.exp(log_joint - log_evidence[:, None])
    return responsibilities, float(log_evidence.sum())


def m_step(X, responsibilities, covariance_type, reg_covar=0.0):
    """Weights, means and covariances that maximise the expected complete log-likelihood.

    With N_z = Σ_i γ_zi:  π_z = N_z / n,  μ_z = Σ_i γ_zi x_i / N_z,
    Σ_z = Σ_i γ_zi (x_i − μ_z)(x_i − μ_z)ᵀ / N_z + reg_covar · I, and for the other types:

    * "tied": one Σ = Σ_z Σ_i γ_zi (x_i − μ_z)(x_i − μ_z)ᵀ / n + reg_covar · I;
    * "diag": only the diagonal of each Σ_z;
    * "spherical": the mean of that diagonal, one variance per component.

    Parameters
    ----------
    X : ndarray of shape (n, d)
    responsibilities : ndarray of shape (n, K)
    covariance_type : {"full", "tied", "diag", "spherical"}
    reg_covar : float, default=0.0
        Added to every variance (the diagonal), as scikit-learn's ``reg_covar``.

    Returns
    -------
    weights : ndarray of shape (K,)
    means : ndarray of shape (K, d)
    covariances : ndarray in the shape of ``covariance_type``
    """
    X = np.asarray(X, dtype=float)
    n, d = X.shape
    gamma = np.asarray(responsibilities, dtype=float)
    nk = gamma.sum(axis=0)  # N_z, shape (K,)
    weights = nk / n
    means = (gamma.T @ X) / nk[:, None]
    scatter = []  # Σ_i γ_zi (x_i − μ_z)(x_i − μ_z)ᵀ, one (d, d) matrix per component
    for z in range(len(nk)):
        centred = X - means[z]
        scatter.append((gamma[:, z, None] * centred).T @ centred)
    scatter = np.array(scatter)
    identity = np.eye(d)
    if covariance_type == "full":
        covariances = scatter / nk[:, None, None] + reg_covar * identity
    elif covariance_type == "tied":
        covariances = scatter.sum(axis=0) / n + reg_covar * identity
    elif covariance_type == "diag":
        covariances = np.array([np.diag(s) / nz + reg_covar for s, nz in zip(scatter, nk)])
    elif covariance_type == "spherical":
        covariances = np.array([np.mean(np.diag(s) / nz) + reg_covar
                                for s, nz in zip(scatter, nk)])
    else:
        raise ValueError(_unknown(covariance_type))
    return weights, means, covariances
