"""The four covariance types, one object each: everything that differs between them.

Shapes follow scikit-learn (K = n_components, d = n_features):

================ ======== ================== ==========================
covariance_type  mclust   covariances        precisions_cholesky
================ ======== ================== ==========================
"full"           VVV      (K, d, d)          (K, d, d), upper-triangular
"tied"           EEE      (d, d)             (d, d), upper-triangular
"diag"           VVI      (K, d)             (K, d)
"spherical"      VII      (K,)               (K,)
================ ======== ================== ==========================

``precisions_cholesky`` is a matrix ``U`` with ``precision = U @ U.T``, so the Mahalanobis
distance is ``||(x - mu) @ U||**2`` and ``log|precision|^(1/2) = sum(log(diag(U)))``.
Everything here is float64.

Use :func:`covariance_type` to get the object for a name, then call its methods::

    ct = covariance_type("diag")
    chol = ct.precisions_cholesky(covariances)
"""

from __future__ import annotations

import numpy as np
from scipy import linalg

LOG_2PI = np.log(2.0 * np.pi)

ILL_DEFINED_COVARIANCE = (
    "Fitting the mixture model failed because some components have ill-defined empirical "
    "covariance (for instance caused by singleton or collapsed samples). Try to decrease "
    "the number of components, increase reg_covar, or scale the input data."
)


def _flip(a):
    return a[..., ::-1, ::-1]


def _whiten_gemm(X, means, prec_chol):
    # All K products in one GEMM: [U_1 ... U_K]^T @ X^T is (K*d, c).
    k, d = means.shape
    prec_chol = np.broadcast_to(prec_chol, (k, d, d))
    stacked = prec_chol.transpose(0, 2, 1).reshape(k * d, d)
    shift = np.einsum("kd,kde->ke", means, prec_chol)
    y = stacked @ X.T
    y -= shift.reshape(k * d, 1)
    return y.reshape(k, d, len(X))


def _lower_triangular_inverse(lower):
    """``inv(L)`` of lower-triangular matrices ``L`` (..., d, d) by forward substitution,
    one row at a time for the whole stack (exactly lower-triangular, unlike a general
    inverse with pivoting)."""
    d = lower.shape[-1]
    inv = np.zeros_like(lower)
    for i in range(d):
        row = -np.einsum("...j,...jk->...k", lower[..., i, :i], inv[..., :i, :])
        row[..., i] += 1.0
        inv[..., i, :] = row / lower[..., i, i, None]
    return inv


class CovarianceType:
    """What every covariance type shares; the subclasses below hold what differs.

    Attributes
    ----------
    name : str
        scikit-learn's name ("full", "tied", "diag", "spherical").
    mclust : str
        mclust's model name (VVV, EEE, VVI, VII), for comparing with R.
    description : str
        One line for the app.
    is_matrix : bool
        True when covariances are matrices (full, tied), False for variances.
    shared : bool
        True when all components share one covariance (tied).

    Methods
    -------
    ``cov`` and ``chol`` are in this type's shape; X (n, d), means (K, d), resp (n, K).

    n_covariance_parameters(K, d), precision_shape(K, d)
        Free parameters of the covariances; the shape of ``cov`` and ``chol``.
    precisions_cholesky(cov), precisions_cholesky_from_precisions(prec)
        ``chol``: U with precision = U Uᵀ (upper-triangular for matrices).
    covariances_from_cholesky(chol), precisions_from_cholesky(chol)
        Back to covariances, or precisions.
    precisions_from_covariances(cov)
        Inverse covariances, same shape (scikit-learn's ``precisions_init``).
    log_det_cholesky(chol, d)
        log det(precision)^½ from the factor's diagonal, (K,).
    whiten(X, means, chol), unwhiten(mean_y, scatter_y, means, chol)
        (K, d, n) residuals (x − μ_k) U_k, and their weighted mean and scatter mapped back.
    log_prob(X, means, chol)
        log N(x_i | μ_k, Σ_k), (n, K).
    scatter(X, resp, means), covariances_from_scatter(scatter, nk, reg_covar)
        Centred Σ_i γ_ik (x_i − m_k)(x_i − m_k)ᵀ ((K, d, d), or its diagonal (K, d)); ``cov``.
    smallest_variances(cov), to_full(cov, K, d), isotropic(value, K, d)
        (K,) or shared (1,); (K, d, d); value · I in this type's shape.
    sample(rng, means, cov, counts)
        ``counts[k]`` draws of each component, stacked, (sum(counts), d).
    """

    name: str
    mclust: str
    description: str
    is_matrix: bool
    shared = False

    def __repr__(self):
        return f"covariance_type({self.name!r})"

    def log_prob(self, X, means, precisions_cholesky):
        """``log N(x_i | mu_k, Sigma_k)`` for every row of ``X`` (n, d): shape (n, K)."""
        d = means.shape[1]
        y = self.whiten(X, means, precisions_cholesky)
        np.square(y, out=y)
        maha = y.sum(axis=1).T
        return -0.5 * (d * LOG_2PI + maha) + self.log_det_cholesky(precisions_cholesky, d)


class FullCovariance(CovarianceType):
    """Each component has its own covariance matrix: covariances (K, d, d)."""

    name = "full"
    mclust = "VVV"
    description = "each component has its own covariance matrix: any orientation and shape"
    is_matrix = True

    # -- sizes ---------------------------------------------------------------------------

    def n_covariance_parameters(self, n_components: int, n_features: int) -> int:
        """Free parameters of the covariances alone."""
        return n_components * n_features * (n_features + 1) // 2

    def precision_shape(self, n_components: int, n_features: int) -> tuple[int, ...]:
        """Shape of ``covariances``, ``precisions`` and ``precisions_cholesky``."""
        return (n_components, n_features, n_features)

    # -- conversions -----------------------------------------------------------------------

    @staticmethod
    def _precision_cholesky_matrix(covariance):
        """``U`` of every matrix of a stack (..., d, d), batched: SciPy calls per component
        cost ≈ 45 µs each at d = 2 (0.45 ms of a K = 10 M-step). The same LAPACK potrf as
        scikit-learn's; the inverse by forward substitution, as its solve_triangular."""
        covariance = np.asarray(covariance, dtype=np.float64)
        if not np.isfinite(covariance).all():
            raise ValueError("array must not contain infs or NaNs")  # SciPy's words
        try:
            cov_chol = np.linalg.cholesky(covariance)
        except np.linalg.LinAlgError:
            raise ValueError(ILL_DEFINED_COVARIANCE) from None
        return np.swapaxes(_lower_triangular_inverse(cov_chol), -1, -2)

    @staticmethod
    def _chol_from_precision_matrix(precision):
        # precision = U U^T with U upper-triangular: Cholesky of the reversed matrix, reversed.
        return _flip(linalg.cholesky(_flip(precision), lower=True))

    def precisions_cholesky(self, covariances):
        """Upper-triangular ``U`` with ``inv(covariance) = U @ U.T``; ValueError if not PD."""
        return self._precision_cholesky_matrix(covariances)

    def precisions_cholesky_from_precisions(self, precisions):
        """Cholesky factors of user-given precisions (scikit-learn's ``precisions_init``)."""
        return np.stack([self._chol_from_precision_matrix(p) for p in precisions])

    def precisions_from_cholesky(self, precisions_cholesky):
        """``precision = U @ U.T``."""
        u = precisions_cholesky
        return u @ np.swapaxes(u, -1, -2)

    def precisions_from_covariances(self, covariances):
        return np.linalg.inv(covariances)

    def covariances_from_cholesky(self, precisions_cholesky):
        """Covariances from precision Cholesky factors: ``inv(U)^T inv(U)``."""
        u = precisions_cholesky
        d = u.shape[-1]
        u_inv = np.linalg.solve(u, np.broadcast_to(np.eye(d), u.shape))
        return np.swapaxes(u_inv, -1, -2) @ u_inv

    def log_det_cholesky(self, precisions_cholesky, n_features):
        """``log det(precision)^(1/2)`` of each component from the factor's diagonal, (K,)."""
        return np.log(np.diagonal(precisions_cholesky, axis1=-2, axis2=-1)).sum(axis=-1)

    def to_full(self, covariances, n_components, n_features):
        """Every component's covariance as a (K, d, d) array."""
        return np.array(covariances)

    def isotropic(self, value, n_components, n_features):
        """``value * I`` for every component, in this type's shape (for a round start)."""
        return np.stack([np.eye(n_features) * value] * n_components)

    # -- E-step: whitening -----------------------------------------------------------------
    #
    # The E-step works component-major: whitened residuals y_kji = ((x_i - mu_k) @ U_k)_j as
    # a (K, d, c) array, so reductions over components and features add contiguous rows.

    def whiten(self, X, means, precisions_cholesky):
        """Whitened residuals ``(x_i - mu_k) @ U_k`` of a chunk ``X`` (c, d): shape (K, d, c).

        Tied: the one shared factor, broadcast to every component.
        """
        return _whiten_gemm(X, means, precisions_cholesky)

    def unwhiten(self, mean_y, scatter_y, means, precisions_cholesky):
        """Back from whitened coordinates about ``means``: new means and centred scatter.

        ``mean_y`` (K, d) and ``scatter_y`` (K, d, d) are the responsibility-weighted mean
        and centred scatter of y = (x - means) @ U; returns them in data coordinates.
        """
        k, d = means.shape
        u_inv = np.linalg.inv(np.broadcast_to(precisions_cholesky, (k, d, d)))
        new_means = means + np.einsum("kd,kde->ke", mean_y, u_inv)
        return new_means, u_inv.transpose(0, 2, 1) @ scatter_y @ u_inv

    # -- M-step ------------------------------------------------------------------------------

    def scatter(self, X, resp, means):
        """Centred ``sum_i resp_ik (x_i - m_k)(x_i - m_k)^T`` (K, d, d); no cancellation.

        One component at a time over the rows it holds (γ > 0): a k-means start is one-hot,
        so this is O(n d²) in all, with no n × K × d temporary (at 100,000 × 32, K = 16
        the broadcast version took 1.26 s and 410 MB; the start now ≈ 0.1 s).
        """
        out = np.empty((len(means), X.shape[1], X.shape[1]))
        for z, mean in enumerate(means):
            gamma = resp[:, z]
            rows = np.flatnonzero(gamma)
            diff = X[rows] - mean
            out[z] = (diff * gamma[rows, None]).T @ diff
        return out

    def covariances_from_scatter(self, scatter, nk, reg_covar):
        """Covariances ``scatter / N_z`` plus ``reg_covar`` on the diagonal."""
        cov = scatter / nk[:, None, None]
        d = cov.shape[1]
        cov[:, np.arange(d), np.arange(d)] += reg_covar
        return cov

    def smallest_variances(self, covariances):
        """Smallest variance (eigenvalue) of each component: (K,), or (1,) when shared."""
        return np.linalg.eigvalsh(covariances)[:, 0]

    # -- sampling ------------------------------------------------------------------------------

    def sample(self, rng, means, covariances, counts):
        """``counts[k]`` draws from each component, stacked component by component."""
        return np.vstack([rng.multivariate_normal(m, c, int(s))
                          for m, c, s in zip(means, covariances, counts)])


class TiedCovariance(FullCovariance):
    """All components share one covariance matrix: covariances (d, d)."""

    name = "tied"
    mclust = "EEE"
    description = "all components share one covariance matrix: same shape and orientation"
    shared = True

    def n_covariance_parameters(self, n_components, n_features):
        return n_features * (n_features + 1) // 2

    def precision_shape(self, n_components, n_features):
        return (n_features, n_features)

    def precisions_cholesky(self, covariances):
        return self._precision_cholesky_matrix(covariances)

    def precisions_cholesky_from_precisions(self, precisions):
        return self._chol_from_precision_matrix(precisions)

    def whiten(self, X, means, precisions_cholesky):
        """(K, d, c): the full type's xU − μ_k U, with xU computed once for all components
        (at 100,000 × 32, K = 16 its K-fold GEMM was most of a pass)."""
        u = precisions_cholesky
        y = np.empty((len(means), u.shape[1], len(X)))
        y[:] = u.T @ X.T
        y -= (means @ u)[:, :, None]
        return y

    def to_full(self, covariances, n_components, n_features):
        return np.broadcast_to(covariances, (n_components, n_features, n_features)).copy()

    def isotropic(self, value, n_components, n_features):
        return np.eye(n_features) * value

    def covariances_from_scatter(self, scatter, nk, reg_covar):
        cov = scatter.sum(axis=0) / nk.sum()
        cov.flat[:: cov.shape[0] + 1] += reg_covar
        return cov

    def smallest_variances(self, covariances):
        return np.linalg.eigvalsh(covariances)[:1]

    def sample(self, rng, means, covariances, counts):
        return np.vstack([rng.multivariate_normal(m, covariances, int(s))
                          for m, s in zip(means, counts)])


class DiagCovariance(CovarianceType):
    """Each component has its own axis-aligned variances: covariances (K, d)."""

    name = "diag"
    mclust = "VVI"
    description = "each component has its own axis-aligned ellipse (diagonal covariance)"
    is_matrix = False

    def n_covariance_parameters(self, n_components, n_features):
        return n_components * n_features

    def precision_shape(self, n_components, n_features):
        return (n_components, n_features)

    def precisions_cholesky(self, covariances):
        if np.any(covariances <= 0.0):
            raise ValueError(ILL_DEFINED_COVARIANCE)
        return 1.0 / np.sqrt(covariances)

    def precisions_cholesky_from_precisions(self, precisions):
        return np.sqrt(precisions)

    def precisions_from_cholesky(self, precisions_cholesky):
        return precisions_cholesky**2

    def precisions_from_covariances(self, covariances):
        return 1.0 / covariances

    def covariances_from_cholesky(self, precisions_cholesky):
        return 1.0 / precisions_cholesky**2

    def log_det_cholesky(self, precisions_cholesky, n_features):
        return np.log(precisions_cholesky).sum(axis=1)

    def to_full(self, covariances, n_components, n_features):
        return np.einsum("kd,de->kde", covariances, np.eye(n_features))

    def isotropic(self, value, n_components, n_features):
        return np.full((n_components, n_features), value)

    def _factors(self, precisions_cholesky, means):
        """The precision factors as a (K, d) array."""
        return np.broadcast_to(precisions_cholesky.reshape(len(means), -1), means.shape)

    def whiten(self, X, means, precisions_cholesky):
        prec_chol = self._factors(precisions_cholesky, means)
        if means.shape[1] > 16:
            y = prec_chol[:, :, None] * X.T[None]
            y -= (means * prec_chol)[:, :, None]
            return y
        # Diagonal factors as matrices: the GEMM route beats broadcasting for small d.
        return _whiten_gemm(X, means, prec_chol[:, :, None] * np.eye(means.shape[1]))

    def unwhiten(self, mean_y, scatter_y, means, precisions_cholesky):
        pc = self._factors(precisions_cholesky, means)
        return means + mean_y / pc, scatter_y / pc**2

    def scatter(self, X, resp, means):
        """Diagonal of the centred scatter, (K, d)."""
        diff = X[:, None, :] - means[None]
        np.square(diff, out=diff)
        return np.einsum("nk,nkd->kd", resp, diff)

    def covariances_from_scatter(self, scatter, nk, reg_covar):
        return scatter / nk[:, None] + reg_covar

    def smallest_variances(self, covariances):
        return covariances.min(axis=1)

    def sample(self, rng, means, covariances, counts):
        n_features = means.shape[1]
        return np.vstack([m + rng.standard_normal(size=(s, n_features)) * np.sqrt(c)
                          for m, c, s in zip(means, covariances, counts)])


class SphericalCovariance(DiagCovariance):
    """Each component has one variance for every direction: covariances (K,)."""

    name = "spherical"
    mclust = "VII"
    description = "each component is a circle with its own single variance"

    def n_covariance_parameters(self, n_components, n_features):
        return n_components

    def precision_shape(self, n_components, n_features):
        return (n_components,)

    def log_det_cholesky(self, precisions_cholesky, n_features):
        return n_features * np.log(precisions_cholesky)

    def to_full(self, covariances, n_components, n_features):
        return covariances[:, None, None] * np.eye(n_features)[None]

    def isotropic(self, value, n_components, n_features):
        return np.full(n_components, value)

    def covariances_from_scatter(self, scatter, nk, reg_covar):
        return super().covariances_from_scatter(scatter, nk, reg_covar).mean(axis=1)

    def smallest_variances(self, covariances):
        return np.asarray(covariances)


FULL = FullCovariance()
TIED = TiedCovariance()
DIAG = DiagCovariance()
SPHERICAL = SphericalCovariance()

_BY_NAME = {ct.name: ct for ct in (FULL, TIED, DIAG, SPHERICAL)}

COVARIANCE_TYPES = tuple(_BY_NAME)

#: One-line meaning of each covariance type, shown by the app.
COVARIANCE_DESCRIPTIONS = {name: ct.description for name, ct in _BY_NAME.items()}


def covariance_type(name):
    """The object for ``name`` ("full", "tied", "diag", "spherical"); objects pass through.

    Raises
    ------
    ValueError
        For an unknown name, listing the valid ones.
    """
    if isinstance(name, CovarianceType):
        return name
    try:
        return _BY_NAME[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown covariance_type {name!r}. Use one of "
            f"{', '.join(map(repr, COVARIANCE_TYPES))}."
        ) from None


_lookup = covariance_type


def n_parameters(n_components: int, n_features: int, covariance_type: str) -> int:
    """Free parameters of the mixture: covariances + means + (K - 1) weights."""
    k, d = n_components, n_features
    return _lookup(covariance_type).n_covariance_parameters(k, d) + k * d + k - 1
