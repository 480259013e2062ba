"""The E-step: one streaming pass over the data, chunk by chunk.

For each chunk of rows it computes the responsibilities γ_iz ∝ π_z N(x_i | μ_z, Σ_z) and
folds them into :class:`~gmm_core.statistics.SufficientStatistics` (N_z, weighted means,
centred scatter), so nothing of size n × K × d is ever held. The plain dense version of the
same formulas is :func:`gmm_core.reference.e_step`; tests hold this one to it.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg.blas import dsyrk as _dsyrk

from .covariance import LOG_2PI, covariance_type
from .statistics import SufficientStatistics

#: From this many features on, the scatter of a full/tied chunk is a syrk per component
#: (100,000 × 32, K = 16: a full pass 0.56 → 0.45 s CPU); below, one batched matmul costs
#: less than K BLAS calls from Python.
_SYRK_MIN_FEATURES = 8

#: Target number of float64 values in one chunk's n × K × d temporaries (fits in L2 cache).
_CHUNK_VALUES = 1 << 15
#: Fewest rows per chunk. With many features the products are BLAS-3 calls whose cost is
#: per call: at 100,000 × 32, K = 16 (PyCave's case), a pass took 1.54 s in chunks of 256
#: rows and 0.64 s in chunks of 1,024 (4,096: 0.69 s), one thread, CPU time.
_MIN_CHUNK_ROWS = 1024


def default_chunk_size(n_components: int, n_features: int) -> int:
    """Rows per chunk so that a chunk's (K, d, rows) temporaries stay in cache, and at
    least ``_MIN_CHUNK_ROWS``."""
    return max(_MIN_CHUNK_ROWS, _CHUNK_VALUES // (n_components * max(n_features, 1)))


def logsumexp_rows(a):
    """``log Σ_k exp(a_ik)`` of each row of ``a`` (n, K), shape (n,).

    Written out rather than ``scipy.special.logsumexp(a, axis=1)``: on a chunk of
    (3276, 5) that takes about twice as long (its array-API and sign/weight handling), and
    this runs once per chunk of every prediction and score. Same result to 1 ulp.
    """
    top = a.max(axis=1, keepdims=True)
    return (top + np.log(np.exp(a - top).sum(axis=1, keepdims=True)))[:, 0]


def estep(
    X,
    params,  # MixtureParameters (not imported: parameters.py imports this module)
    *,
    responsibilities_out=None,
    statistics=True,
    chunk_size=None,
    sample_weight=None,
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
    sample_weight : ndarray of shape (n,), optional
        Checked weights w_i >= 0: the log-likelihood is Σ w_i log p(x_i) and the statistics
        Σ w_i γ_iz (...), exactly those of row i repeated w_i times. The responsibilities
        written out are the unweighted posteriors.

    Returns
    -------
    SufficientStatistics
        ``log_likelihood`` is always set; ``nk``, ``means`` and ``scatter`` are empty
        arrays when ``statistics`` is False.
    """
    # One function on purpose: the chunk loop is the hot path of every fit, and its
    # temporaries (y, y2, resp) are reused across the steps written out below.
    n, d = X.shape
    k = params.n_components
    ct = covariance_type(params.covariance_type)
    chunk = chunk_size or default_chunk_size(k, d)
    with np.errstate(divide="ignore"):
        const = (
            np.log(params.weights)
            + ct.log_det_cholesky(params.precisions_cholesky, d)
            - 0.5 * d * LOG_2PI
        )[:, None]
    nk = np.zeros(k)
    sum_y = np.zeros((k, d))
    sum_yy = np.zeros((k, d, d) if ct.is_matrix else (k, d))
    log_likelihood = 0.0
    for start in range(0, n, chunk):
        xc = X[start : start + chunk]
        y = ct.whiten(xc, params.means, params.precisions_cholesky)  # (K, d, c)
        y2 = y * y
        resp = np.add.reduce(y2, axis=1)  # (K, c): squared Mahalanobis distances
        resp *= -0.5
        resp += const
        # log-sum-exp over components written out in place (not scipy.special.logsumexp
        # nor logsumexp_rows): the exponentials computed here are the unnormalised
        # responsibilities, reused instead of computed twice, with no new temporaries.
        top = resp.max(axis=0)
        resp -= top
        np.exp(resp, out=resp)
        norm = resp.sum(axis=0)
        resp /= norm
        if responsibilities_out is not None:
            responsibilities_out[start : start + chunk] = resp.T
        if sample_weight is None:
            log_likelihood += float(top.sum() + np.log(norm).sum())
        else:
            wc = sample_weight[start : start + chunk]
            log_likelihood += float((top + np.log(norm)) @ wc)
            resp *= wc  # weighted responsibilities w_i γ_iz feed the statistics
        if statistics:
            nk += resp.sum(axis=1)
            if ct.is_matrix and d >= _SYRK_MIN_FEATURES:
                _add_scatter_syrk(y, resp, sum_y, sum_yy)
            elif ct.is_matrix:
                gy = y * resp[:, None, :]
                sum_y += gy.sum(axis=2)
                sum_yy += gy @ y.transpose(0, 2, 1)
            else:
                sum_y += (y @ resp[:, :, None])[:, :, 0]
                sum_yy += (y2 @ resp[:, :, None])[:, :, 0]
    if not statistics:
        empty = np.empty(0)
        return SufficientStatistics(empty, empty, empty, n, log_likelihood)
    return _statistics_from_whitened(nk, sum_y, sum_yy, params, n, log_likelihood)


def _add_scatter_syrk(y, resp, sum_y, sum_yy):
    """Σγy and Σγyyᵀ of one chunk added in place, the latter as the symmetric rank-c
    update (√γ y)(√γ y)ᵀ: BLAS's syrk does half a GEMM's work (only one triangle).

    y (K, d, c), resp (K, c), sum_y (K, d), sum_yy (K, d, d).
    """
    root = np.sqrt(resp)
    gy = y * root[:, None, :]
    sum_y += (y @ resp[:, :, None])[:, :, 0]
    for z in range(len(gy)):
        # gy[z].T is Fortran-ordered (c, d): syrk reads it without a copy (trans=1).
        upper = _dsyrk(1.0, gy[z].T, trans=1)
        sum_yy[z] += np.triu(upper) + np.triu(upper, 1).T


def _statistics_from_whitened(nk, sum_y, sum_yy, params, n_samples, log_likelihood):
    """Centre Σγy, Σγyyᵀ (whitened about the current means) and map them back to data space."""
    ct = covariance_type(params.covariance_type)
    mean_y = np.divide(sum_y, nk[:, None], out=np.zeros_like(sum_y), where=nk[:, None] > 0)
    if ct.is_matrix:
        scatter_y = sum_yy - nk[:, None, None] * mean_y[:, :, None] * mean_y[:, None, :]
    else:
        scatter_y = sum_yy - nk[:, None] * mean_y**2
    means, scatter = ct.unwhiten(mean_y, scatter_y, params.means, params.precisions_cholesky)
    return SufficientStatistics(nk, means, scatter, n_samples, log_likelihood)
