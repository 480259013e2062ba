"""Computational cost of EM, measured: time per iteration and peak memory against N.

Pure NumPy/scikit-learn (no Streamlit or Plotly); uses only gmm_core's public names.
One EM iteration touches every point once per component: N·K distances, each costing about
d² (full, tied), d (diag) or d (spherical) operations, so its time grows as O(N·K·d²).
"""

from __future__ import annotations

import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as SklearnGaussianMixture

from gmm_core import EMEngine

N_VALUES = (1_000, 10_000, 100_000, 1_000_000)
MIB = 2.0**20


def _data(n, d, random_state):
    return np.random.default_rng(random_state).standard_normal((n, d))


def _engine_seconds(X, k, cov, n_iter, random_state):
    engine = EMEngine(X, k, covariance_type=cov, init="random", tol=0.0,
                      random_state=random_state)
    start = time.perf_counter()
    engine.run(n_iter)
    return (time.perf_counter() - start) / max(engine.n_iter, 1)


def _sklearn_seconds(X, k, cov, n_iter, random_state):
    model = SklearnGaussianMixture(k, covariance_type=cov, init_params="random", tol=0.0,
                                   max_iter=n_iter, random_state=random_state)
    start = time.perf_counter()
    model.fit(X)
    return (time.perf_counter() - start) / max(model.n_iter_, 1)


def _peak_mib(fn) -> float:
    """Peak of the memory NumPy allocates while ``fn()`` runs (tracemalloc), in MiB."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()


def measure_iterations(n_values=N_VALUES, n_components=3, n_features=2, covariance_type="full",
                       *, n_iter=3, budget_seconds=6.0, random_state=0,
                       progress=None) -> pd.DataFrame:
    """Seconds per EM iteration of :class:`gmm_core.EMEngine` (its fast ``run`` path) and of
    scikit-learn's ``GaussianMixture`` (``fit`` with ``max_iter = n_iter`` divided by its
    iterations, so its random start is included), and the peak memory of one iteration of
    each, for every N in ``n_values`` (ascending), on standard normal data.

    Sizes are measured in order until ``budget_seconds`` have been spent; the rest get NaN
    and ``measured = False``. The same thread policy for both: the caller's (the app runs
    one BLAS thread).
    Columns: ``n_samples``, ``engine_seconds``, ``sklearn_seconds``, ``engine_peak_mib``,
    ``sklearn_peak_mib``, ``responsibilities_mib`` (an n × K float64 matrix), ``measured``.
    """
    k, d, cov = int(n_components), int(n_features), covariance_type
    rows, spent = [], 0.0
    sizes = sorted(int(n) for n in n_values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for i, n in enumerate(sizes, start=1):
            row = dict(n_samples=n, engine_seconds=np.nan, sklearn_seconds=np.nan,
                       engine_peak_mib=np.nan, sklearn_peak_mib=np.nan,
                       responsibilities_mib=n * k * 8 / MIB, measured=False)
            if spent < budget_seconds and n >= k:
                start = time.perf_counter()
                X = _data(n, d, random_state)
                row.update(
                    engine_seconds=_engine_seconds(X, k, cov, n_iter, random_state),
                    sklearn_seconds=_sklearn_seconds(X, k, cov, n_iter, random_state),
                    engine_peak_mib=_peak_mib(lambda X=X: _engine_seconds(
                        X, k, cov, 1, random_state)),
                    sklearn_peak_mib=_peak_mib(lambda X=X: _sklearn_seconds(
                        X, k, cov, 1, random_state)),
                    measured=True)
                spent += time.perf_counter() - start
            rows.append(row)
            if progress is not None:
                progress(i, len(sizes), f"N = {n:,}")
    return pd.DataFrame(rows)


def scaling_law(table: pd.DataFrame, column="engine_seconds") -> pd.Series:
    """The O(N) line through the largest measured N: ``t(N) = t(N_max) · N / N_max``
    (K, d and the covariance type fixed)."""
    measured = table[table["measured"]]
    if measured.empty:
        return pd.Series(np.nan, index=table.index)
    anchor = measured.iloc[-1]
    return anchor[column] * table["n_samples"] / anchor["n_samples"]
