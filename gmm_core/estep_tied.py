"""The E-step of a tied fit with many features: statistics pooled over the components.

A tied M-step needs only Σ_z N_z, the means and the pooled scatter Σ_z S_z, not each S_z.
With one precision factor U for every component, z_i = x_i U is computed once per row; the
Mahalanobis distances are ‖z_i‖² − 2 z_i·m_k + ‖m_k‖² (one GEMM for all components,
m_k = μ_k U), and the pooled scatter is Σ_i w_i z_i z_iᵀ − Σ_k s_k s_kᵀ / N_k
(s_k = Σ_i γ_ik z_i): O(n d² + n d K) a pass instead of O(n K d²). Everything is taken about
c = the mean of the m_k, so the subtractions lose only what the spread of the means over the
spread within components costs (scikit-learn's tied M-step, XᵀX − Σ N_k μ_k μ_kᵀ, takes it
about the origin). :func:`gmm_core.estep.estep` keeps per-component statistics (the stepping
API shows them); the engine's fast ``run`` uses this from ``POOLED_MIN_FEATURES`` on.
"""

from __future__ import annotations

import numpy as np

from .covariance import LOG_2PI
from .statistics import SufficientStatistics

#: From this many features on, a tied fit's passes pool the statistics (100,000 × 32,
#: K = 16: 0.40 → 0.09 s CPU per iteration, one thread); the app's 2-D data never do.
POOLED_MIN_FEATURES = 8


def estep_pooled_tied(X, params, chunk_size, sample_weight=None) -> SufficientStatistics:
    """One pass of a tied mixture: log-likelihood, N_z, new means and the pooled scatter.

    Parameters
    ----------
    X : ndarray of shape (n, d)
    params : MixtureParameters
        ``covariance_type == "tied"``.
    chunk_size : int
        Rows per chunk.
    sample_weight : ndarray of shape (n,), optional

    Returns
    -------
    SufficientStatistics
        ``scatter`` has shape (1, d, d): the centred scatter summed over the components (what
        the tied M-step uses; not a per-component scatter).
    """
    n, d = X.shape
    u = params.precisions_cholesky
    with np.errstate(divide="ignore"):
        const = np.log(params.weights) + np.log(np.diagonal(u)).sum() - 0.5 * d * LOG_2PI
    m = params.means @ u
    centre = m.mean(axis=0)
    m = m - centre
    m_sq = (m * m).sum(axis=1)
    k = len(m)
    nk, s, total, log_likelihood = np.zeros(k), np.zeros((k, d)), np.zeros((d, d)), 0.0
    for start in range(0, n, chunk_size):
        z = X[start : start + chunk_size] @ u
        z -= centre
        maha = z @ m.T  # (c, K)
        maha *= -2.0
        maha += (z * z).sum(axis=1)[:, None]
        maha += m_sq
        np.maximum(maha, 0.0, out=maha)  # rounding of the expansion, never a negative distance
        resp = const - 0.5 * maha
        top = resp.max(axis=1, keepdims=True)
        resp -= top
        np.exp(resp, out=resp)
        norm = resp.sum(axis=1, keepdims=True)
        resp /= norm
        rows = (top + np.log(norm))[:, 0]
        if sample_weight is None:
            log_likelihood += float(rows.sum())
            total += z.T @ z
        else:
            wc = sample_weight[start : start + chunk_size]
            log_likelihood += float(rows @ wc)
            resp *= wc[:, None]
            total += (z * wc[:, None]).T @ z
        nk += resp.sum(axis=0)
        s += resp.T @ z
    mean_z = np.divide(s, nk[:, None], out=np.zeros_like(s), where=nk[:, None] > 0)
    pooled = total - s.T @ mean_z  # Σ_k s_k s_kᵀ / N_k
    u_inv = np.linalg.inv(u)
    means = (mean_z + centre) @ u_inv
    means[nk <= 0] = params.means[nk <= 0]
    scatter = u_inv.T @ pooled @ u_inv
    return SufficientStatistics(nk, means, scatter[None], n, log_likelihood)
