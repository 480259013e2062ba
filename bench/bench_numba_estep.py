"""A compiled E-step (``bench/numba_estep.py``, Numba) against gmm_core's NumPy E-step.

Issue 20 asked to measure a compiled kernel before adopting one. Same parameters, same data:
checks that the kernel's log-likelihood, responsibilities and statistics equal the NumPy
path's (max relative difference printed), then CPU time per pass (``time.process_time``,
medians of alternating runs, one BLAS thread; the parallel kernel at 2 Numba threads is
timed by the wall clock too). Needs ``pip install numba``.

    .venv/bin/python bench/bench_numba_estep.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import numba  # noqa: E402
import numba_estep  # noqa: E402
from bench_fit import blobs  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from gmm_core import GaussianMixture, MixtureParameters  # noqa: E402
from gmm_core.covariance import LOG_2PI, covariance_type  # noqa: E402
from gmm_core.datasets import make_overlapping_blobs  # noqa: E402
from gmm_core.estep import _statistics_from_whitened, estep  # noqa: E402

CASES = [  # (label, n, d, K, covariance_type)
    ("grid cell", 1_000, 2, 5, "full"),
    ("grid cell", 1_000, 2, 10, "diag"),
    ("10⁶ × 2", 1_000_000, 2, 5, "full"),
    ("10⁶ × 2", 1_000_000, 2, 5, "diag"),
    ("PyCave", 100_000, 32, 16, "full"),
    ("PyCave", 100_000, 32, 16, "tied"),
]


def kernel_estep(X, params, resp=None, threads=1):
    """:func:`gmm_core.estep.estep`'s result from the compiled loop."""
    ct = covariance_type(params.covariance_type)
    k, d = params.means.shape
    const = (np.log(params.weights) + ct.log_det_cholesky(params.precisions_cholesky, d)
             - 0.5 * d * LOG_2PI)
    chol = params.precisions_cholesky
    factors = (chol.reshape(-1, d, d) if ct.is_matrix
               else np.ascontiguousarray(np.broadcast_to(chol.reshape(k, -1), (k, d)))
               .reshape(k, 1, d))
    out = np.empty((0, k)) if resp is None else resp
    args = (X, params.means, factors, ct.is_matrix, const, np.empty(0), out, True)
    if threads > 1:
        ll, nk, sy, syy = numba_estep.estep_parallel(*args, 4 * threads)
    else:
        ll, nk, sy, syy = numba_estep.estep_serial(*args)
    if ct.is_matrix:
        syy = syy + np.tril(syy, -1).transpose(0, 2, 1)  # the loop fills the lower half
    else:
        syy = np.diagonal(syy, axis1=1, axis2=2).copy()
    return _statistics_from_whitened(nk, sy, syy, params, len(X), ll)


def _data(n, d, k, cov):
    X = (make_overlapping_blobs(n, seed=0).X if n <= 1000 else blobs(n, d, k))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = GaussianMixture(k, covariance_type=cov, random_state=0, max_iter=2,
                            init_params="random_from_data").fit(X[:20_000])
    return X, MixtureParameters(m.weights_, m.means_, m.covariances_,
                                m.precisions_cholesky_, cov)


def _rel(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)), 1e-300))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    X, params = _data(1000, 2, 3, "full")
    kernel_estep(X, params)
    kernel_estep(X, params, threads=2)
    print(f"first calls (compile or load from the on-disk cache): "
          f"{time.perf_counter() - start:.2f} s\n")
    print(f"{'case':>10} {'n':>9} {'d':>3} {'K':>3} {'cov':>5} {'max rel Δ':>10} "
          f"{'NumPy ms':>9} {'Numba ms':>9} {'Numba 2 threads wall ms':>24}")
    for label, n, d, k, cov in CASES:
        X, params = _data(n, d, k, cov)
        ra, rb = np.empty((n, k)), np.empty((n, k))
        a, b = estep(X, params, responsibilities_out=ra), kernel_estep(X, params, rb)
        rel = max(_rel(ra, rb), abs(a.log_likelihood - b.log_likelihood) / abs(a.log_likelihood),
                  _rel(a.nk, b.nk), _rel(a.means, b.means), _rel(a.scatter, b.scatter))
        loops = max(1, 2000 // n * 50)
        times = {"numpy": [], "numba": [], "wall2": []}
        with threadpool_limits(limits=1):
            for _ in range(args.repeats):
                for name, fn in (("numpy", lambda X=X, p=params: estep(X, p)),
                                 ("numba", lambda X=X, p=params: kernel_estep(X, p))):
                    t0 = time.process_time()
                    for _ in range(loops):
                        fn()
                    times[name].append((time.process_time() - t0) / loops)
                numba.set_num_threads(2)
                t0 = time.perf_counter()
                kernel_estep(X, params, threads=2)
                times["wall2"].append(time.perf_counter() - t0)
        med = {key: 1e3 * statistics.median(v) for key, v in times.items()}
        print(f"{label:>10} {n:>9,} {d:>3} {k:>3} {cov:>5} {rel:>10.1e} {med['numpy']:>9.3f} "
              f"{med['numba']:>9.3f} {med['wall2']:>24.3f}", flush=True)


if __name__ == "__main__":
    main()
