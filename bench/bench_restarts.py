"""Restarts study speed: 100 seeds × 4 initialisations on 1,000 points, as the app runs it.

Each fit runs to convergence (tol=1e-3, max_iter=100, K=3, full covariance) with
gmm_core (the app's engine), then the same fits with scikit-learn for comparison.

    .venv/bin/python bench/bench_restarts.py [--seeds 100]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as SklearnGM

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from gmm_core.datasets import make_cigars  # noqa: E402
from ui import compare, state  # noqa: E402

METHODS = ["k-means", "k-means++", "random responsibilities", "random data points"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100)
    args = parser.parse_args()
    data = make_cigars(1000, seed=0)
    settings = state.Settings(3, "full", "kmeans", 0, 1e-6, 1e-3, 100)
    t0 = time.perf_counter()
    results = compare.restarts(data, settings, METHODS, args.seeds)
    ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for method in METHODS:
            for seed in range(args.seeds):
                SklearnGM(3, init_params=state.INIT_CHOICES[method], random_state=seed).fit(data.X)
    theirs = time.perf_counter() - t0
    fits = len(results)
    print(f"{fits} fits ({args.seeds} seeds × {len(METHODS)} methods, 1,000 points, K=3, full)")
    print(f"gmm_core (the app's study): {ours:.2f} s ({1000 * ours / fits:.1f} ms per fit)")
    print(f"scikit-learn, same fits:    {theirs:.2f} s ({1000 * theirs / fits:.1f} ms per fit)")
    print(results.groupby("method", sort=False)["final_ll"].agg(["min", "max"]).round(1))


if __name__ == "__main__":
    main()
