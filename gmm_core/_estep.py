"""Mixture parameters, the streaming E-step (sufficient statistics) and the M-step from them.

The E-step walks over the data in chunks of rows. For each chunk it computes the
responsibilities, then folds them into :class:`SufficientStatistics`: N_z, the
responsibility-weighted means and the *centred* scatter Σγ(x - x̄)(x - x̄)ᵀ. Chunks are merged
with Chan et al.'s pairwise update, so nothing of size n × K × d is ever held and covariances
never come from the cancellation-prone Σγxxᵀ/N - μμᵀ (scikit-learn issue #30382).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _gaussian as g

#: Below this N_z (effective number of points) a component is reported as collapsed.
COLLAPSE_THRESHOLD = 1e-3

#: Target number of float64 values in one chunk's n × K × d temporaries (fits in L2 cache).
_CHUNK_VALUES = 1 << 15

_EPS10 = 10 * np.finfo(np.float64).eps


def default_chunk_size(n_components: int, n_features: int) -> int:
    return max(256, _CHUNK_VALUES // (n_components * max(n_features, 1)))


def _readonly(a):
    a = np.array(a, dtype=np.float64)
    a.setflags(write=False)
    return a


def _logsumexp_rows(wlp):
    top = wlp.max(axis=1, keepdims=True)
    return (top + np.log(np.exp(wlp - top).sum(axis=1, keepdims=True)))[:, 0]


@dataclass(frozen=True, eq=False)
class MixtureParameters:
    """Parameters of a Gaussian mixture in scikit-learn's shapes (read-only arrays).

    Attributes
    ----------
    weights : ndarray of shape (K,)
    means : ndarray of shape (K, d)
    covariances : ndarray, shape by ``covariance_type`` (see :mod:`gmm_core._gaussian`)
    precisions_cholesky : ndarray, same shape as ``covariances``
    covariance_type : {"full", "tied", "diag", "spherical"}
    """

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    precisions_cholesky: np.ndarray
    covariance_type: str

    def __post_init__(self):
        for name in ("weights", "means", "covariances", "precisions_cholesky"):
            object.__setattr__(self, name, _readonly(getattr(self, name)))

    @property
    def n_components(self) -> int:
        return self.means.shape[0]

    @property
    def n_features(self) -> int:
        return self.means.shape[1]

    @property
    def precisions(self) -> np.ndarray:
        return g.precisions_from_cholesky(self.precisions_cholesky, self.covariance_type)

    def full_covariances(self) -> np.ndarray:
        """Every component's covariance as a (K, d, d) array, whatever the type."""
        k, d = self.means.shape
        c = self.covariances
        if self.covariance_type == "full":
            return np.array(c)
        if self.covariance_type == "tied":
            return np.broadcast_to(c, (k, d, d)).copy()
        if self.covariance_type == "diag":
            return np.einsum("kd,de->kde", c, np.eye(d))
        return c[:, None, None] * np.eye(d)[None]

    def weighted_log_prob(self, X) -> np.ndarray:
        """``log π_k + log N(x_i | μ_k, Σ_k)``, shape (n, K)."""
        with np.errstate(divide="ignore"):
            log_w = np.log(self.weights)
        return (
            g.log_gaussian_prob(X, self.means, self.precisions_cholesky, self.covariance_type)
            + log_w
        )

    def score_samples(self, X, chunk_size=None) -> np.ndarray:
        """Log-density of the mixture at each row of ``X``, shape (n,)."""
        return self._rowwise(X, chunk_size, _logsumexp_rows)

    def predict(self, X, chunk_size=None) -> np.ndarray:
        """Most probable component of each row, shape (n,)."""
        return self._rowwise(X, chunk_size, lambda wlp: wlp.argmax(axis=1))

    def _rowwise(self, X, chunk_size, reduce):
        # Chunked so a prediction never holds n × K × d temporaries either.
        chunk = chunk_size or default_chunk_size(self.n_components, X.shape[1])
        parts = [reduce(self.weighted_log_prob(X[s : s + chunk]))
                 for s in range(0, len(X), chunk)]
        return np.concatenate(parts) if parts else np.empty(0)

    def responsibilities(self, X) -> np.ndarray:
        """Posterior probability of each component for each row, shape (n, K)."""
        resp = np.empty((len(X), self.n_components))
        estep(X, self, responsibilities_out=resp, statistics=False)
        return resp

    def log_likelihood(self, X) -> float:
        """Total log-likelihood of ``X`` (sum over rows)."""
        return estep(X, self, statistics=False).log_likelihood

    @classmethod
    def from_covariances(cls, weights, means, covariances, covariance_type):
        cov = np.asarray(covariances, dtype=np.float64)
        chol = g.precision_cholesky_from_covariances(cov, covariance_type)
        return cls(weights, means, cov, chol, covariance_type)


@dataclass(frozen=True, eq=False)
class SufficientStatistics:
    """What an E-step hands the M-step (pomegranate-style), kept in centred form.

    Attributes
    ----------
    nk : ndarray of shape (K,)
        N_z = Σ_i γ_iz, the effective number of points of each component.
    means : ndarray of shape (K, d)
        Σ_i γ_iz x_i / N_z (zero where N_z = 0).
    scatter : ndarray of shape (K, d, d) or (K, d)
        Centred Σ_i γ_iz (x_i - means_z)(x_i - means_z)ᵀ, or only its diagonal for the
        "diag" and "spherical" covariance types.
    n_samples : int
    log_likelihood : float
        Total log-likelihood of the data under the parameters the E-step used.
    """

    nk: np.ndarray
    means: np.ndarray
    scatter: np.ndarray
    n_samples: int
    log_likelihood: float

    @property
    def sum_x(self) -> np.ndarray:
        """Σ_i γ_iz x_i, shape (K, d)."""
        return self.nk[:, None] * self.means

    @property
    def sum_xx(self) -> np.ndarray:
        """Σ_i γ_iz x_i x_iᵀ (or its diagonal): the raw second moment, for display only."""
        if self.scatter.ndim == 3:
            return self.scatter + self.nk[:, None, None] * np.einsum(
                "ki,kj->kij", self.means, self.means
            )
        return self.scatter + self.nk[:, None] * self.means**2

    @classmethod
    def from_responsibilities(cls, X, resp, covariance_type, log_likelihood=np.nan):
        """Statistics of one block of rows ``X`` (n, d) with responsibilities (n, K)."""
        nk = resp.sum(axis=0)
        sx = resp.T @ X
        means = np.divide(sx, nk[:, None], out=np.zeros_like(sx), where=nk[:, None] > 0)
        scatter = g.SCATTER[covariance_type](X, resp, means)
        return cls(nk, means, scatter, len(X), float(log_likelihood))

    def merge(self, other: SufficientStatistics) -> SufficientStatistics:
        """Statistics of the union of two disjoint blocks (Chan et al.'s pairwise update)."""
        n = self.nk + other.nk
        positive = n > 0
        frac = np.divide(other.nk, n, out=np.zeros_like(n), where=positive)
        coef = np.divide(self.nk * other.nk, n, out=np.zeros_like(n), where=positive)
        delta = other.means - self.means
        means = self.means + delta * frac[:, None]
        if self.scatter.ndim == 3:
            extra = coef[:, None, None] * delta[:, :, None] * delta[:, None, :]
        else:
            extra = coef[:, None] * delta**2
        return SufficientStatistics(
            n,
            means,
            self.scatter + other.scatter + extra,
            self.n_samples + other.n_samples,
            self.log_likelihood + other.log_likelihood,
        )


def estep(
    X,
    params: MixtureParameters,
    *,
    responsibilities_out=None,
    statistics=True,
    chunk_size=None,
) -> SufficientStatistics:
    """One pass over ``X``: log-likelihood, responsibilities and sufficient statistics.

    Works chunk by chunk on whitened residuals y = (x − μ_z) U_z of the current parameters:
    Σγy and Σγyyᵀ about the current means are well scaled (y is O(1) for a component's own
    points), so the centred scatter comes out without cancellation, and no n × K × d
    temporary is held.

    Parameters
    ----------
    X : ndarray of shape (n, d), float64
    params : MixtureParameters
    responsibilities_out : ndarray of shape (n, K), optional
        Filled with the responsibilities when given (the stepping API); a fit passes None
        and keeps only O(chunk_size × K × d) memory.
    statistics : bool
        When False only the log-likelihood (and responsibilities) are computed.
    chunk_size : int, optional
        Rows per chunk; by default sized so a chunk's temporaries stay in cache.

    Returns
    -------
    SufficientStatistics
        ``log_likelihood`` is always set; ``nk``, ``means`` and ``scatter`` are empty
        arrays when ``statistics`` is False.
    """
    n, d = X.shape
    k = params.n_components
    cov_type = params.covariance_type
    full_scatter = cov_type in ("full", "tied")
    chunk = chunk_size or default_chunk_size(k, d)
    with np.errstate(divide="ignore"):
        const = (
            np.log(params.weights)
            + g.log_det_cholesky(params.precisions_cholesky, cov_type, d)
            - 0.5 * d * g.LOG_2PI
        )[:, None]
    whiten = g.WHITEN[cov_type]
    nk = np.zeros(k)
    sum_y = np.zeros((k, d))
    sum_yy = np.zeros((k, d, d) if full_scatter else (k, d))
    log_likelihood = 0.0
    for start in range(0, n, chunk):
        xc = X[start : start + chunk]
        y = whiten(xc, params.means, params.precisions_cholesky)  # (K, d, c)
        y2 = y * y
        resp = np.add.reduce(y2, axis=1)  # (K, c): squared Mahalanobis distances
        resp *= -0.5
        resp += const
        top = resp.max(axis=0)
        resp -= top
        np.exp(resp, out=resp)
        norm = resp.sum(axis=0)
        log_likelihood += float(top.sum() + np.log(norm).sum())
        resp /= norm
        if responsibilities_out is not None:
            responsibilities_out[start : start + chunk] = resp.T
        if statistics:
            nk += resp.sum(axis=1)
            if full_scatter:
                gy = y * resp[:, None, :]
                sum_y += gy.sum(axis=2)
                sum_yy += gy @ y.transpose(0, 2, 1)
            else:
                sum_y += (y @ resp[:, :, None])[:, :, 0]
                sum_yy += (y2 @ resp[:, :, None])[:, :, 0]
    if not statistics:
        empty = np.empty(0)
        return SufficientStatistics(empty, empty, empty, n, log_likelihood)
    mean_y = np.divide(sum_y, nk[:, None], out=np.zeros_like(sum_y), where=nk[:, None] > 0)
    if full_scatter:
        scatter_y = sum_yy - nk[:, None, None] * mean_y[:, :, None] * mean_y[:, None, :]
    else:
        scatter_y = sum_yy - nk[:, None] * mean_y**2
    means, scatter = g.unwhiten(mean_y, scatter_y, params.means, params.precisions_cholesky,
                                cov_type)
    return SufficientStatistics(nk, means, scatter, n, log_likelihood)


@dataclass(frozen=True)
class MStepResult:
    params: MixtureParameters
    collapsed: tuple[int, ...]
    regularized: tuple[int, ...]


def mstep(
    stats: SufficientStatistics, covariance_type: str, reg_covar: float, data_scale: float
) -> MStepResult:
    """New parameters from sufficient statistics (scikit-learn's estimates, centred form).

    Raises
    ------
    ValueError
        If a covariance is not positive-definite, or, with ``reg_covar == 0``, a component
        collapsed (N_z ≈ 0) or its covariance is singular.
    """
    nk = stats.nk + _EPS10  # as scikit-learn: keeps empty components finite
    means = stats.sum_x / nk[:, None]
    to_cov = g.COVARIANCES_FROM_SCATTER[covariance_type]
    raw = to_cov(stats.scatter, nk, stats.n_samples, 0.0)
    smallest = g.smallest_variances(raw, covariance_type)
    k = len(nk)
    collapsed = tuple(int(i) for i in np.flatnonzero(stats.nk < COLLAPSE_THRESHOLD))
    singular = smallest <= data_scale
    if covariance_type == "tied":
        singular = np.repeat(singular, k)
        smallest = np.repeat(smallest, k)
    if reg_covar == 0 and (collapsed or singular.any()):
        bad = sorted(set(collapsed) | {int(i) for i in np.flatnonzero(singular)})
        raise ValueError(
            f"Component(s) {', '.join(str(i + 1) for i in bad)} collapsed onto too few "
            "points (singular covariance) and reg_covar=0 cannot keep them positive-definite. "
            "Increase reg_covar (for example 1e-6), reduce n_components, or scale the data."
        )
    regularized = (
        tuple(int(i) for i in np.flatnonzero(smallest <= reg_covar)) if reg_covar > 0 else ()
    )
    covariances = to_cov(stats.scatter, nk, stats.n_samples, reg_covar)
    params = MixtureParameters.from_covariances(nk / nk.sum(), means, covariances, covariance_type)
    return MStepResult(params, collapsed, regularized)


def lower_bound(X, params: MixtureParameters, resp, chunk_size=None):
    """ELBO Σ_i Σ_z γ_iz (log π_z + log N(x_i | θ_z) − log γ_iz) and the log-likelihood.

    With γ from the E-step on older parameters this is the bound the M-step maximised; it
    equals the log-likelihood when γ is the posterior under ``params``.
    """
    n, d = X.shape
    chunk = chunk_size or default_chunk_size(params.n_components, d)
    elbo = 0.0
    log_likelihood = 0.0
    for start in range(0, n, chunk):
        xc = X[start : start + chunk]
        wlp = params.weighted_log_prob(xc)
        gamma = resp[start : start + chunk]
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = gamma * (wlp - np.log(gamma))
        elbo += float(np.where(gamma > 0, terms, 0.0).sum())
        top = wlp.max(axis=1, keepdims=True)
        log_likelihood += float(top.sum() + np.log(np.exp(wlp - top).sum(axis=1)).sum())
    return elbo, log_likelihood
