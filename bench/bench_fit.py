"""Fit time and peak memory: gmm_core.GaussianMixture against scikit-learn's.

Same data, same start (weights/means/precisions given, so no k-means runs), same iteration
count (tol=0, max_iter=10). Runs alternate between the two; medians are reported.

    .venv/bin/python bench/bench_fit.py [--repeats 5] [--sizes 10000 100000 1000000]

``--practitioners`` runs instead the cases practitioners compare on, start included
(scikit-learn's k-means start with the same random_state, timed in both), each at one
BLAS/OpenMP thread against one thread and at all cores against all cores (threadpoolctl):
PyCave's published CPU cases, 100,000 × 32, K = 16, full and tied, 100 iterations after the
start (tol = 0), and 1,000,000 × 2, K = 5, full, a default fit (tol = 1e-3, max_iter = 100).

    .venv/bin/python bench/bench_fit.py --practitioners [--repeats 1] [--iterations 100]
        [--threads 1 all]

``--iterations`` replaces PyCave's 100 iterations (a shorter run on a busy machine); the
start alone (scikit-learn's KMeans, the same in both) is timed too, so the time of 100
iterations can be told apart from it.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as SklearnGM

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from gmm_core import GaussianMixture  # noqa: E402

K, D = 5, 2


def make_data(n, seed=0):
    rng = np.random.default_rng(seed)
    centers = rng.uniform(-10, 10, size=(K, D))
    labels = rng.integers(K, size=n)
    return centers[labels] + rng.standard_normal((n, D))


def start(X, covariance_type):
    ref = SklearnGM(K, covariance_type=covariance_type, max_iter=1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ref.fit(X[:5000])
    return dict(weights_init=ref.weights_, means_init=ref.means_,
                precisions_init=ref.precisions_)


def fit(cls, X, covariance_type, init):
    model = cls(K, covariance_type=covariance_type, tol=0, max_iter=10, **init)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t0 = time.perf_counter()
        model.fit(X)
        return time.perf_counter() - t0, model


def peak_memory(cls, X, covariance_type, init):
    tracemalloc.start()
    fit(cls, X, covariance_type, init)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    print(f"K={K}, d={D}, tol=0, max_iter=10, {args.repeats} alternating runs, medians\n")
    header = (f"{'N':>9} {'cov':>5} {'sklearn s':>10} {'gmm_core s':>11} {'speed-up':>9} "
              f"{'same fit':>9} {'max |Δμ|':>9} {'data MB':>8} {'sk peak MB':>10} "
              f"{'ours peak MB':>12}")
    print(header)
    for n in args.sizes:
        X = make_data(n)
        for covariance_type in ("full", "diag"):
            init = start(X, covariance_type)
            times = {SklearnGM: [], GaussianMixture: []}
            for _ in range(args.repeats):
                for cls in (SklearnGM, GaussianMixture):
                    seconds, model = fit(cls, X, covariance_type, init)
                    times[cls].append(seconds)
            _, sk = fit(SklearnGM, X, covariance_type, init)
            _, ours = fit(GaussianMixture, X, covariance_type, init)
            same = (sk.n_iter_ == ours.n_iter_ and
                    np.array_equal(sk.predict(X), ours.predict(X)) and
                    np.allclose(sk.covariances_, ours.covariances_, rtol=1e-8, atol=1e-12))
            delta = float(np.abs(sk.means_ - ours.means_).max())
            t_sk, t_ours = np.median(times[SklearnGM]), np.median(times[GaussianMixture])
            mb = 1 / 2**20
            print(f"{n:>9} {covariance_type:>5} {t_sk:>10.4f} {t_ours:>11.4f} "
                  f"{t_sk / t_ours:>8.2f}x {str(same):>9} {delta:>9.1e} {X.nbytes * mb:>8.1f} "
                  f"{peak_memory(SklearnGM, X, covariance_type, init) * mb:>10.1f} "
                  f"{peak_memory(GaussianMixture, X, covariance_type, init) * mb:>12.1f}",
                  flush=True)


PRACTITIONER_CASES = [  # (label, n, d, K, covariance_type, tol, max_iter)
    ("PyCave 100k×32 K=16", 100_000, 32, 16, "full", 0.0, 100),
    ("PyCave 100k×32 K=16", 100_000, 32, 16, "tied", 0.0, 100),
    ("10⁶×2 K=5", 1_000_000, 2, 5, "full", 1e-3, 100),
]


def blobs(n, d, k, seed=0):
    rng = np.random.default_rng(seed)
    centers = rng.uniform(-10, 10, size=(k, d))
    return centers[rng.integers(k, size=n)] + rng.standard_normal((n, d))


def fit_from_kmeans(cls, X, k, covariance_type, tol, max_iter):
    model = cls(k, covariance_type=covariance_type, tol=tol, max_iter=max_iter,
                random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t0, c0 = time.perf_counter(), time.process_time()
        model.fit(X)
        return time.perf_counter() - t0, time.process_time() - c0, model


def time_start(X, k):
    from sklearn.cluster import KMeans

    t0 = time.perf_counter()
    KMeans(n_clusters=k, n_init=1, random_state=np.random.RandomState(0)).fit(X)
    return time.perf_counter() - t0


def practitioners(repeats, iterations=100, threads_list=(1, None)):
    from threadpoolctl import threadpool_limits

    print("start included (k-means, random_state=0); medians of alternating runs\n")
    print("wall clock, and CPU time (process_time: all threads' seconds; at one thread it"
          " does not count the time other processes take)\n")
    print(f"{'case':>21} {'cov':>5} {'threads':>7} {'sklearn s':>10} {'gmm_core s':>11} "
          f"{'speed-up':>9} {'CPU: sklearn':>12} {'gmm_core':>9} {'speed-up':>9} "
          f"{'n_iter':>7} {'same labels':>11} {'max |Δμ|':>9} {'start s':>8}")
    for label, n, d, k, cov, tol, max_iter in PRACTITIONER_CASES:
        X = blobs(n, d, k)
        if tol == 0.0:
            max_iter = iterations
        for threads in threads_list:
            with threadpool_limits(limits=threads):
                start_seconds = time_start(X, k)
                times = {SklearnGM: [], GaussianMixture: []}
                cpu = {SklearnGM: [], GaussianMixture: []}
                models = {}
                for _ in range(repeats):
                    for cls in (SklearnGM, GaussianMixture):
                        seconds, cpu_seconds, models[cls] = fit_from_kmeans(
                            cls, X, k, cov, tol, max_iter)
                        times[cls].append(seconds)
                        cpu[cls].append(cpu_seconds)
            sk, ours = models[SklearnGM], models[GaussianMixture]
            same = np.array_equal(sk.predict(X), ours.predict(X))
            delta = float(np.abs(sk.means_ - ours.means_).max())
            t_sk, t_ours = np.median(times[SklearnGM]), np.median(times[GaussianMixture])
            c_sk, c_ours = np.median(cpu[SklearnGM]), np.median(cpu[GaussianMixture])
            print(f"{label:>21} {cov:>5} {threads or 'all':>7} {t_sk:>10.2f} {t_ours:>11.2f} "
                  f"{t_sk / t_ours:>8.2f}x {c_sk:>12.2f} {c_ours:>9.2f} {c_sk / c_ours:>8.2f}x "
                  f"{sk.n_iter_:>3}/{ours.n_iter_:<3} {str(same):>11} "
                  f"{delta:>9.1e} {start_seconds:>8.2f}", flush=True)


if __name__ == "__main__":
    if "--practitioners" in sys.argv:
        options = argparse.ArgumentParser()
        options.add_argument("--practitioners", action="store_true")
        options.add_argument("--repeats", type=int, default=1)
        options.add_argument("--iterations", type=int, default=100)
        options.add_argument("--threads", nargs="+", default=["1", "all"])
        opts = options.parse_args()
        practitioners(opts.repeats, opts.iterations,
                      [None if t == "all" else int(t) for t in opts.threads])
    else:
        main()
