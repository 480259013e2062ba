"""Issue 20's measured and NOT adopted experiment: the E-step's row loop compiled with Numba.

``bench/bench_numba_estep.py`` times it against :func:`gmm_core.estep.estep` (NumPy); the
figures and why it was left out are in README.md ("A compiled E-step (Numba): measured, not
adopted"). Needs ``pip install numba`` (not a dependency of gmm_core).

One fused pass per row: whitened residuals y = (x − μ_z) U_z of every component, log-sum-exp
over components, the responsibilities, and Σγ, Σγy, Σγyyᵀ in whitened coordinates — the
same quantities, in the same coordinates, as the NumPy chunk loop of :func:`gmm_core.estep.
estep` (whose ``_statistics_from_whitened`` then centres and maps them back). Nothing
n × K × d is allocated, and at n = 1,000 the pass is one call instead of a dozen NumPy
calls per chunk. Compiled on first use and cached on disk (``cache=True``); the parallel
version runs blocks of rows on Numba's threads, each with its own partial sums.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange


@njit(cache=True, nogil=True)
def _rows(X, start, stop, means, factors, matrix, const, w, resp, nk, sy, syy, stats):
    """Rows ``start:stop``: add to ``nk`` (K,), ``sy`` (K, d) and ``syy`` (K, d, d) (its
    lower triangle, or only its diagonal unless ``matrix``); write γ to ``resp`` (n, K)
    unless it has no rows; return the rows' log-likelihood.

    ``factors``: (K or 1, d, d) precision Cholesky factors when ``matrix``, else (K, 1, d)
    diagonal factors (one array type for both, so one compiled loop). ``w`` has no rows
    when unweighted.
    """
    k_count, d = means.shape
    shared = factors.shape[0] == 1
    y = np.empty((k_count, d))
    lp = np.empty(k_count)
    ll = 0.0
    for i in range(start, stop):
        top = -np.inf
        for k in range(k_count):
            f = 0 if shared else k
            m = 0.0
            for j in range(d):
                s = 0.0
                if matrix:
                    for a in range(d):  # the full product: a factor need not be triangular
                        s += (X[i, a] - means[k, a]) * factors[f, a, j]
                else:
                    s = (X[i, j] - means[k, j]) * factors[k, 0, j]
                y[k, j] = s
                m += s * s
            lp[k] = const[k] - 0.5 * m
            if lp[k] > top:
                top = lp[k]
        norm = 0.0
        for k in range(k_count):
            lp[k] = np.exp(lp[k] - top)
            norm += lp[k]
        wi = w[i] if w.shape[0] > 0 else 1.0
        ll += wi * (top + np.log(norm))
        for k in range(k_count):
            g = lp[k] / norm
            if resp.shape[0] > 0:
                resp[i, k] = g
            if not stats:
                continue
            g *= wi
            nk[k] += g
            for j in range(d):
                gy = g * y[k, j]
                sy[k, j] += gy
                if matrix:
                    for a in range(j + 1):  # lower triangle; mirrored by the caller
                        syy[k, j, a] += gy * y[k, a]
                else:
                    syy[k, j, j] += gy * y[k, j]
    return ll


@njit(cache=True, nogil=True)
def estep_serial(X, means, factors, matrix, const, w, resp, stats):
    """All rows in one loop: (log-likelihood, Σγ (K,), Σγy (K, d), Σγyyᵀ (K, d, d) as
    :func:`_rows` leaves it)."""
    k_count, d = means.shape
    nk = np.zeros(k_count)
    sy = np.zeros((k_count, d))
    syy = np.zeros((k_count, d, d))
    ll = _rows(X, 0, X.shape[0], means, factors, matrix, const, w, resp, nk, sy, syy, stats)
    return ll, nk, sy, syy


@njit(cache=True, parallel=True)
def estep_parallel(X, means, factors, matrix, const, w, resp, stats, n_blocks):
    """The same in ``n_blocks`` blocks of rows on Numba's threads; partial sums added."""
    k_count, d = means.shape
    n = X.shape[0]
    nk = np.zeros((n_blocks, k_count))
    sy = np.zeros((n_blocks, k_count, d))
    syy = np.zeros((n_blocks, k_count, d, d))
    lls = np.zeros(n_blocks)
    for b in prange(n_blocks):
        start = b * n // n_blocks
        stop = (b + 1) * n // n_blocks
        lls[b] = _rows(X, start, stop, means, factors, matrix, const, w, resp, nk[b], sy[b],
                       syy[b], stats)
    return lls.sum(), nk.sum(axis=0), sy.sum(axis=0), syy.sum(axis=0)
