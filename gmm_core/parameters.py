"""``MixtureParameters``: the weights, means and covariances of a Gaussian mixture.

Read-only, in scikit-learn's shapes (see :mod:`gmm_core.covariance`), with the densities,
responsibilities and predictions they give.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .covariance import CovarianceType, covariance_type
from .estep import default_chunk_size, estep, logsumexp_rows


def _readonly(a):
    a = np.array(a, dtype=np.float64)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class MixtureParameters:
    """Parameters of a Gaussian mixture in scikit-learn's shapes (read-only float64 arrays).

    Attributes
    ----------
    weights : ndarray of shape (K,)
    means : ndarray of shape (K, d)
    covariances : ndarray, shape by ``covariance_type`` (see :mod:`gmm_core.covariance`)
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
        if isinstance(self.covariance_type, CovarianceType):
            object.__setattr__(self, "covariance_type", self.covariance_type.name)

    @property
    def kind(self) -> CovarianceType:
        """The :class:`~gmm_core.covariance.CovarianceType` object of ``covariance_type``."""
        return covariance_type(self.covariance_type)

    @property
    def n_components(self) -> int:
        return self.means.shape[0]

    @property
    def n_features(self) -> int:
        return self.means.shape[1]

    @property
    def precisions(self) -> np.ndarray:
        """Inverse covariances, same shape as ``covariances``."""
        return self.kind.precisions_from_cholesky(self.precisions_cholesky)

    def full_covariances(self) -> np.ndarray:
        """Every component's covariance as a (K, d, d) array, whatever the type."""
        return self.kind.to_full(self.covariances, self.n_components, self.n_features)

    def weighted_log_prob(self, X) -> np.ndarray:
        """``log π_k + log N(x_i | μ_k, Σ_k)`` for ``X`` (n, d), shape (n, K)."""
        with np.errstate(divide="ignore"):
            log_w = np.log(self.weights)
        return self.kind.log_prob(X, self.means, self.precisions_cholesky) + log_w

    def score_samples(self, X, chunk_size=None) -> np.ndarray:
        """Log-density of the mixture at each row of ``X`` (n, d), shape (n,)."""
        return self._rowwise(X, chunk_size, logsumexp_rows)

    def predict(self, X, chunk_size=None) -> np.ndarray:
        """Most probable component of each row of ``X`` (n, d), shape (n,)."""
        return self._rowwise(X, chunk_size, lambda wlp: wlp.argmax(axis=1))

    def _rowwise(self, X, chunk_size, reduce):
        # Chunked so a prediction never holds n × K × d temporaries either.
        chunk = chunk_size or default_chunk_size(self.n_components, X.shape[1])
        parts = [reduce(self.weighted_log_prob(X[s : s + chunk]))
                 for s in range(0, len(X), chunk)]
        return np.concatenate(parts) if parts else np.empty(0)

    def responsibilities(self, X) -> np.ndarray:
        """Posterior probability of each component for each row of ``X``, shape (n, K)."""
        resp = np.empty((len(X), self.n_components))
        estep(X, self, responsibilities_out=resp, statistics=False)
        return resp

    def log_likelihood(self, X) -> float:
        """Total log-likelihood of ``X`` (n, d) (sum over rows)."""
        return estep(X, self, statistics=False).log_likelihood

    @classmethod
    def from_covariances(cls, weights, means, covariances, covariance_type):
        """Parameters from covariances (Cholesky factors of the precisions computed here).

        Raises
        ------
        ValueError
            If a covariance is not positive-definite.
        """
        cov = np.asarray(covariances, dtype=np.float64)
        chol = _kind(covariance_type).precisions_cholesky(cov)
        return cls(weights, means, cov, chol, covariance_type)

    @classmethod
    def from_precisions(cls, weights, means, precisions, covariance_type):
        """Parameters from precisions (inverse covariances), as scikit-learn's
        ``precisions_init``."""
        kind = _kind(covariance_type)
        chol = kind.precisions_cholesky_from_precisions(np.asarray(precisions, dtype=float))
        return cls(weights, means, kind.covariances_from_cholesky(chol), chol, covariance_type)


_kind = covariance_type
