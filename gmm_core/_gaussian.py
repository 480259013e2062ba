"""Per-covariance-type Gaussian pieces, chosen from dicts keyed by ``covariance_type``.

Shapes follow scikit-learn (K = n_components, d = n_features):

================ ================== ==========================
covariance_type  covariances        precisions_cholesky
================ ================== ==========================
"full"           (K, d, d)          (K, d, d), upper-triangular
"tied"           (d, d)             (d, d), upper-triangular
"diag"           (K, d)             (K, d)
"spherical"      (K,)               (K,)
================ ================== ==========================

``precisions_cholesky`` is a matrix ``U`` with ``precision = U @ U.T``, so the Mahalanobis
distance is ``||(x - mu) @ U||**2`` and ``log|precision|^(1/2) = sum(log(diag(U)))``.
Everything here is float64.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")

#: One-line meaning of each covariance type, shown by the app.
COVARIANCE_DESCRIPTIONS = {
    "full": "each component has its own covariance matrix: any orientation and shape",
    "tied": "all components share one covariance matrix: same shape and orientation",
    "diag": "each component has its own axis-aligned ellipse (diagonal covariance)",
    "spherical": "each component is a circle with its own single variance",
}

LOG_2PI = np.log(2.0 * np.pi)

ILL_DEFINED_COVARIANCE = (
    "Fitting the mixture model failed because some components have ill-defined empirical "
    "covariance (for instance caused by singleton or collapsed samples). Try to decrease "
    "the number of components, increase reg_covar, or scale the input data."
)


# --------------------------------------------------------------------------------------
# Number of free parameters


def n_parameters(n_components: int, n_features: int, covariance_type: str) -> int:
    """Free parameters of the mixture: covariances + means + (K - 1) weights."""
    k, d = n_components, n_features
    cov_params = {
        "full": k * d * (d + 1) // 2,
        "tied": d * (d + 1) // 2,
        "diag": k * d,
        "spherical": k,
    }[covariance_type]
    return cov_params + k * d + k - 1


# --------------------------------------------------------------------------------------
# Precision Cholesky factors from covariances, and back


def _precision_cholesky_matrix(covariance: np.ndarray) -> np.ndarray:
    try:
        cov_chol = linalg.cholesky(covariance, lower=True)
    except linalg.LinAlgError:
        raise ValueError(ILL_DEFINED_COVARIANCE) from None
    d = covariance.shape[0]
    return linalg.solve_triangular(cov_chol, np.eye(d), lower=True).T


def _precision_cholesky_full(covariances):
    return np.stack([_precision_cholesky_matrix(c) for c in covariances])


def _precision_cholesky_vector(covariances):
    if np.any(covariances <= 0.0):
        raise ValueError(ILL_DEFINED_COVARIANCE)
    return 1.0 / np.sqrt(covariances)


PRECISION_CHOLESKY = {
    "full": _precision_cholesky_full,
    "tied": _precision_cholesky_matrix,
    "diag": _precision_cholesky_vector,
    "spherical": _precision_cholesky_vector,
}


def precision_cholesky_from_covariances(covariances, covariance_type):
    """Upper-triangular ``U`` with ``inv(covariance) = U @ U.T``; ValueError if not PD."""
    return PRECISION_CHOLESKY[covariance_type](covariances)


def _flip(a):
    return a[..., ::-1, ::-1]


def _chol_from_precision_matrix(precision):
    # precision = U U^T with U upper-triangular: Cholesky of the reversed matrix, reversed.
    return _flip(linalg.cholesky(_flip(precision), lower=True))


def precision_cholesky_from_precisions(precisions, covariance_type):
    """Cholesky factors of user-given precisions (scikit-learn's ``precisions_init``)."""
    if covariance_type == "full":
        return np.stack([_chol_from_precision_matrix(p) for p in precisions])
    if covariance_type == "tied":
        return _chol_from_precision_matrix(precisions)
    return np.sqrt(precisions)


def precisions_from_cholesky(precisions_cholesky, covariance_type):
    """``precision = U @ U.T`` (full, tied) or ``U**2`` (diag, spherical)."""
    if covariance_type in ("full", "tied"):
        u = precisions_cholesky
        return u @ np.swapaxes(u, -1, -2)
    return precisions_cholesky**2


def covariances_from_cholesky(precisions_cholesky, covariance_type):
    """Covariances from precision Cholesky factors: ``inv(U)^T inv(U)``."""
    if covariance_type in ("full", "tied"):
        u = precisions_cholesky
        d = u.shape[-1]
        u_inv = np.linalg.solve(u, np.broadcast_to(np.eye(d), u.shape))
        return np.swapaxes(u_inv, -1, -2) @ u_inv
    return 1.0 / precisions_cholesky**2


def log_det_cholesky(precisions_cholesky, covariance_type, n_features):
    """``log det(precision)^(1/2)`` of each component, shape (K,) or scalar for tied."""
    if covariance_type in ("full", "tied"):
        return np.log(np.diagonal(precisions_cholesky, axis1=-2, axis2=-1)).sum(axis=-1)
    if covariance_type == "diag":
        return np.log(precisions_cholesky).sum(axis=1)
    return n_features * np.log(precisions_cholesky)


# --------------------------------------------------------------------------------------
# Mahalanobis distances, chunk by chunk
#
# The E-step works component-major: whitened residuals y_kji = ((x_i - mu_k) @ U_k)_j as a
# (K, d, c) array, so reductions over components and features add whole contiguous rows.


def _whiten_full(X, means, prec_chol):
    k, d = means.shape
    # All K products in one GEMM: [U_1 ... U_K]^T @ X^T is (K*d, c).
    stacked = np.broadcast_to(prec_chol, (k, d, d)).transpose(0, 2, 1).reshape(k * d, d)
    shift = np.einsum("kd,kde->ke", means, np.broadcast_to(prec_chol, (k, d, d)))
    y = stacked @ X.T
    y -= shift.reshape(k * d, 1)
    return y.reshape(k, d, len(X))


def _whiten_diag(X, means, prec_chol):
    # Diagonal factors as matrices: the GEMM route beats broadcasting for small d.
    prec_chol = np.broadcast_to(prec_chol.reshape(len(means), -1), means.shape)
    if means.shape[1] > 16:
        y = prec_chol[:, :, None] * X.T[None]
        y -= (means * prec_chol)[:, :, None]
        return y
    return _whiten_full(X, means, prec_chol[:, :, None] * np.eye(means.shape[1]))


WHITEN = {
    "full": _whiten_full,
    "tied": _whiten_full,  # the one shared factor, broadcast to every component
    "diag": _whiten_diag,
    "spherical": _whiten_diag,
}


def unwhiten(mean_y, scatter_y, means, prec_chol, covariance_type):
    """Back from whitened coordinates about ``means``: new means and centred scatter.

    ``mean_y`` (K, d) and ``scatter_y`` ((K, d, d) or (K, d)) are the responsibility-weighted
    mean and centred scatter of y = (x - means) @ U; returns them in data coordinates.
    """
    k, d = means.shape
    if covariance_type in ("full", "tied"):
        u_inv = np.linalg.inv(np.broadcast_to(prec_chol, (k, d, d)))
        new_means = means + np.einsum("kd,kde->ke", mean_y, u_inv)
        u_inv_t = u_inv.transpose(0, 2, 1)
        return new_means, u_inv_t @ scatter_y @ u_inv
    pc = np.broadcast_to(prec_chol.reshape(k, -1), (k, d))
    return means + mean_y / pc, scatter_y / pc**2


def squared_mahalanobis(X, means, precisions_cholesky, covariance_type):
    """Squared Mahalanobis distance of every row of ``X`` to every mean, shape (n, K)."""
    y = WHITEN[covariance_type](X, means, precisions_cholesky)
    np.square(y, out=y)
    return y.sum(axis=1).T


def log_gaussian_prob(X, means, precisions_cholesky, covariance_type):
    """``log N(x_i | mu_k, Sigma_k)`` for every row and component, shape (n, K)."""
    d = means.shape[1]
    log_det = log_det_cholesky(precisions_cholesky, covariance_type, d)
    maha = squared_mahalanobis(X, means, precisions_cholesky, covariance_type)
    return -0.5 * (d * LOG_2PI + maha) + log_det


# --------------------------------------------------------------------------------------
# Covariances from centred scatter (M-step)


def _scatter_full(X, resp, means):
    # sum_i resp_ik (x_i - m_k)(x_i - m_k)^T, from data centred on each m_k (no cancellation)
    diff = X[:, None, :] - means[None]
    weighted = diff * resp[:, :, None]
    return np.matmul(weighted.transpose(1, 2, 0), diff.transpose(1, 0, 2))


def _scatter_diag(X, resp, means):
    diff = X[:, None, :] - means[None]
    np.square(diff, out=diff)
    return np.einsum("nk,nkd->kd", resp, diff)


#: Which centred scatter each covariance type needs: full matrices or only their diagonal.
SCATTER = {
    "full": _scatter_full,
    "tied": _scatter_full,
    "diag": _scatter_diag,
    "spherical": _scatter_diag,
}




def _covariances_full(scatter, nk, n_samples, reg_covar):
    cov = scatter / nk[:, None, None]
    d = cov.shape[1]
    cov[:, np.arange(d), np.arange(d)] += reg_covar
    return cov


def _covariances_tied(scatter, nk, n_samples, reg_covar):
    cov = scatter.sum(axis=0) / nk.sum()
    cov.flat[:: cov.shape[0] + 1] += reg_covar
    return cov


def _covariances_diag(scatter, nk, n_samples, reg_covar):
    return scatter / nk[:, None] + reg_covar


def _covariances_spherical(scatter, nk, n_samples, reg_covar):
    return _covariances_diag(scatter, nk, n_samples, reg_covar).mean(axis=1)


COVARIANCES_FROM_SCATTER = {
    "full": _covariances_full,
    "tied": _covariances_tied,
    "diag": _covariances_diag,
    "spherical": _covariances_spherical,
}


def smallest_variances(covariances, covariance_type):
    """Smallest variance (eigenvalue) of each component's covariance, shape (K,) or (1,)."""
    if covariance_type == "full":
        return np.linalg.eigvalsh(covariances)[:, 0]
    if covariance_type == "tied":
        return np.linalg.eigvalsh(covariances)[:1]
    if covariance_type == "diag":
        return covariances.min(axis=1)
    return np.asarray(covariances)


def largest_variances(covariances, covariance_type):
    """Largest variance (eigenvalue) of each component's covariance, shape (K,) or (1,)."""
    if covariance_type == "full":
        return np.linalg.eigvalsh(covariances)[:, -1]
    if covariance_type == "tied":
        return np.linalg.eigvalsh(covariances)[-1:]
    if covariance_type == "diag":
        return covariances.max(axis=1)
    return np.asarray(covariances)


PRECISION_SHAPES = {
    "full": lambda k, d: (k, d, d),
    "tied": lambda k, d: (d, d),
    "diag": lambda k, d: (k, d),
    "spherical": lambda k, d: (k,),
}
