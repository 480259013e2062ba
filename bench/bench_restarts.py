"""Restarts study speed: 100 seeds × 4 initialisations on 1,000 points, as the app runs it.

Each fit runs to convergence (tol=1e-3, max_iter=100, K=3, full covariance):

* the app's study (``app_pages.initializations.study.restarts``: ``EMEngine.run`` per seed,
  single-threaded BLAS);
* ``gmm_core.GaussianMixture(n_init=1, random_state=seed)`` per seed, single-threaded;
* scikit-learn's ``GaussianMixture`` with the same starts, single-threaded and with its
  default threads (on a busy 2-core machine the default threads are much slower: fits this
  small only pay the threads' synchronisation).

    .venv/bin/python bench/bench_restarts.py [--seeds 100] [--points 1000]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as SklearnGM
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from app_pages.initializations.study import restarts  # noqa: E402
from gmm_core import GaussianMixture  # noqa: E402
from gmm_core.datasets import make_cigars  # noqa: E402
from ui import session  # noqa: E402
from ui.start import Start  # noqa: E402

METHODS = ["k-means", "k-means++", "random responsibilities", "random data points"]


def _fit_all(cls, X, seeds):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for method in METHODS:
            for seed in range(seeds):
                cls(3, init_params=Start(method).engine_init, n_init=1,
                    random_state=seed).fit(X)


def _timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--points", type=int, default=1000)
    args = parser.parse_args()
    data = make_cigars(args.points, seed=0)
    settings = session.Settings(3, "full", "kmeans", 0, 1e-6, 1e-3, 100)
    fits = args.seeds * len(METHODS)
    results = []
    with threadpool_limits(limits=1):  # the app's policy (ui/threads.py); gmm_core sets none
        study = _timed(lambda: results.append(restarts(data, settings, METHODS,
                                                       args.seeds)))
        ours = _timed(lambda: _fit_all(GaussianMixture, data.X, args.seeds))
        theirs_1 = _timed(lambda: _fit_all(SklearnGM, data.X, args.seeds))
    theirs = _timed(lambda: _fit_all(SklearnGM, data.X, args.seeds))
    print(f"{fits} fits ({args.seeds} seeds × {len(METHODS)} methods, {args.points:,} points, "
          "K=3, full, tol=1e-3)")
    for name, seconds in [("app's restarts study (EMEngine, 1 thread)", study),
                          ("gmm_core.GaussianMixture, 1 thread", ours),
                          ("scikit-learn GaussianMixture, 1 thread", theirs_1),
                          ("scikit-learn GaussianMixture, default threads", theirs)]:
        print(f"{name:<48} {seconds:6.2f} s  ({1000 * seconds / fits:5.1f} ms per fit)")
    print(results[0].groupby("method", sort=False)["final_ll"].agg(["min", "max"]).round(1))


if __name__ == "__main__":
    main()
