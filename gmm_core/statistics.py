"""``SufficientStatistics``: what an E-step hands the M-step, in centred form.

Chunks of rows are merged with Chan et al.'s pairwise update, so covariances never come from
the cancellation-prone Σγxxᵀ/N − μμᵀ (scikit-learn issue #30382).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .covariance import covariance_type as _covariance_type


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
        """Statistics of one block of rows ``X`` (n, d) with responsibilities ``resp`` (n, K).

        ``covariance_type`` is a name or a :class:`~gmm_core.covariance.CovarianceType`.
        """
        nk = resp.sum(axis=0)
        sx = resp.T @ X
        means = np.divide(sx, nk[:, None], out=np.zeros_like(sx), where=nk[:, None] > 0)
        scatter = _covariance_type(covariance_type).scatter(X, resp, means)
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
            between = coef[:, None, None] * delta[:, :, None] * delta[:, None, :]
        else:
            between = coef[:, None] * delta**2
        return SufficientStatistics(
            n,
            means,
            self.scatter + other.scatter + between,
            self.n_samples + other.n_samples,
            self.log_likelihood + other.log_likelihood,
        )
