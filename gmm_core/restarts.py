"""Many starts of EM on the same data, and the ``n_init`` arithmetic that reads them.

Pure NumPy: the Initializations page tabulates and draws the records these functions return
(its table of shares and ``n_init`` is ``lab_maths.restarts.n_init_table``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

import numpy as np

from .convergence import Verdict, check_stop
from .engine import EMEngine


def fit_restarts(
    X,
    n_components,
    inits: Mapping[str, str],
    n_seeds: int,
    *,
    covariance_type="full",
    reg_covar=1e-6,
    tol=1e-3,
    max_iter=100,
    progress: Callable[[int, int], None] | None = None,
    sample_weight=None,
) -> list[dict]:
    """Fit seeds 0..n_seeds-1 of every start method to the end; one row per fit.

    Parameters
    ----------
    X : ndarray of shape (n, d)
    n_components : int
    inits : mapping of label -> ``init`` name of :class:`EMEngine`
        The label is what the ``method`` column holds.
    n_seeds : int
    progress : callable(done, total), optional
        Called after every fit.
    sample_weight : array-like of shape (n,), optional
        Row weights, for every fit and its check.

    Returns
    -------
    list of dict
        One record per fit (``pandas.DataFrame(records)`` makes the table), keys
        ``method``, ``seed``, ``stop_ll`` (total log-likelihood where the rule |Δ mean| < tol
        stopped the run), ``final_ll`` (where the start really ends: after
        :func:`gmm_core.convergence.check_stop` continued it under a tight rule; NaN for a
        fit that failed), ``verdict`` (the check's: "fixed point", "near a maximum",
        "plateau", ...), ``plateau`` (bool), ``n_iter`` (iterations to the rule's stop),
        ``converged``, ``params`` (:class:`MixtureParameters` at ``final_ll``, or None),
        ``start`` (the starting means, (K, d)), ``error`` ("" when fine) and ``seconds``.

    Notes
    -----
    A run that tol stopped on a plateau is not a local optimum: counting it as one would
    make n_init look necessary where the start was merely slow. Hence the check.

    The thread policy is the caller's: the app runs one BLAS/OpenMP thread (``ui/threads.py``),
    which suits fits this small.
    """
    rows = []
    total = max(len(inits) * n_seeds, 1)
    for label, init in inits.items():
        for seed in range(n_seeds):
            row = {"method": label, "seed": seed}
            t0 = time.perf_counter()
            try:
                engine = EMEngine(X, n_components, covariance_type=covariance_type,
                                  init=init, reg_covar=reg_covar, tol=tol,
                                  random_state=seed, sample_weight=sample_weight)
                engine.run(max_iter)
                check = check_stop(X, engine.params, run_tol=tol, reg_covar=reg_covar,
                                   sample_weight=sample_weight)
                row.update(stop_ll=engine.log_likelihood,
                           final_ll=check.log_likelihood_after, verdict=check.verdict,
                           plateau=check.plateau, n_iter=engine.n_iter,
                           converged=engine.converged, params=check.params,
                           start=engine.history[0].means, error="")
            except ValueError as exc:
                row.update(stop_ll=np.nan, final_ll=np.nan, verdict=Verdict.FAILED,
                           plateau=False, n_iter=0, converged=False, params=None,
                           start=None, error=str(exc))
            row["seconds"] = time.perf_counter() - t0
            rows.append(row)
            if progress is not None:
                progress(len(rows), total)
    return rows


def n_init_needed(share: float, confidence: float = 0.95) -> float:
    """Smallest number of starts m with (1 − share)^m ≤ 1 − confidence (NaN if share = 0).

    If a share p of starts reach the best optimum, m independent starts all miss it with
    probability (1 − p)^m.
    """
    if share <= 0:
        return np.nan
    if share >= 1:
        return 1
    return int(np.ceil(np.log(1 - confidence) / np.log(1 - share)))

