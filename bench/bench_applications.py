"""Applications page: each tab's first computation (no cache) on 20,000 points and on digits.

    .venv/bin/python bench/bench_applications.py [--repeat 3]

Part 1 times the pure work of each tab (gmm_core + the figure builders) with the page's
default settings: K = 2, full covariances, k-means start; the density tab tries K = 1..6.
Digits (1,797 × 64, standardised, constant columns dropped) can only reach the Reduction tab
in the app (the sidebar gives at most 2 columns); the other tabs' maths is timed on it too
with K = 10, diagonal covariances (full ones take ~15 s in 61 dimensions).
Part 2 times a whole AppTest script run of each tab, caches cleared, on the sidebar's
"Overlapping blobs" at 20,000 points (Reduction: digits, K = 2).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The app's thread policy (one BLAS/OpenMP thread), set before scikit-learn loads.
import ui.threads  # noqa: E402, F401

# isort: split
from sklearn.datasets import make_blobs  # noqa: E402

from app_pages.applications import figures, figures_reduction  # noqa: E402
from gmm_core.datasets import make_overlapping_blobs  # noqa: E402
from lab_maths import anomaly, projection  # noqa: E402
from lab_maths import applications as apps  # noqa: E402


def clustering(X, k, cov):
    r = apps.compare_clusterings(X, k, cov)
    if X.shape[1] == 2:
        p = apps.mixture_parameters(r.model)
        figures.soft_clustering_figure(X, r.responsibilities, p.means, p.full_covariances(),
                                       p.weights, r.split, ("x", "y"))
        figures.kmeans_figure(X, r.kmeans_labels, r.kmeans_centers, ("x", "y"))


def density(X, k, cov):
    c = apps.compare_densities(X, 6, cov)
    model = apps.fit_mixture(X, k, cov)
    if X.shape[1] == 2:
        xs, ys, log_p = apps.density_grid(model, X, resolution=90)
        figures.density_map_figure(X, xs, ys, log_p, ("x", "y"))
    figures.held_out_figure(c)


def anomaly_tab(X, k, cov):
    model = apps.fit_mixture(X, k, cov)
    p = apps.mixture_parameters(model)
    log_p = model.score_samples(X)
    d = anomaly.mahalanobis_to_components(X, p.means, p.full_covariances())
    t = anomaly.threshold_from_percentile(log_p, 2)
    anomaly.most_anomalous(X, log_p, d, [f"c{j}" for j in range(X.shape[1])])
    if X.shape[1] == 2:
        grid = apps.density_grid(model, X, resolution=90)
        figures.anomaly_figure(X, log_p, anomaly.flag(log_p, t), ("x", "y"), grid, t)


def reduction(Z, labels, k, cov):
    full = "diag" if Z.shape[1] > 20 and cov in ("full", "tied") else cov
    r = projection.reduce_and_fit(Z, 2, k, cov, full, labels=labels)
    projection.bic_by_pca_dimension(Z, 10, k, cov)
    figures_reduction.scree_figure(r.explained_variance_ratio, 2)
    figures_reduction.pca_space_figure(r, 2)
    figures_reduction.full_space_figure(r)


def timed(fn, *args, repeat=1):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def part1(repeat):
    big = make_overlapping_blobs(20_000, seed=0)
    digits = projection.load_many_columns("Digits (64)")
    Zd, _, _ = projection.standardize(digits.X, digits.feature_names)
    Xb, yb = make_blobs(20_000, n_features=8, centers=3, random_state=0)
    Zb, _, _ = projection.standardize(Xb, [f"c{j}" for j in range(8)])
    print("Part 1: pure work per tab (median of", repeat, "runs), seconds")
    rows = [
        ("Clustering", lambda: clustering(big.X, 2, "full"), lambda: clustering(Zd, 10, "diag")),
        ("Density", lambda: density(big.X, 2, "full"), lambda: density(Zd, 10, "diag")),
        ("Anomaly", lambda: anomaly_tab(big.X, 2, "full"), lambda: anomaly_tab(Zd, 10, "diag")),
        ("Reduction", lambda: reduction(Zb, yb, 2, "full"),
         lambda: reduction(Zd, digits.labels, 10, "full")),
    ]
    print(f"{'tab':<12}{'20,000 points':>16}{'digits':>12}")
    for name, a, b in rows:
        print(f"{name:<12}{timed(a, repeat=repeat):>16.2f}{timed(b, repeat=repeat):>12.2f}")
    print("(20,000 points: Overlapping blobs 2-D; Reduction: 20,000 × 8 blobs.)")


def part2():
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    def script():
        import app_pages.applications

        app_pages.applications.render()

    print("\nPart 2: one AppTest script run per tab, caches cleared, seconds")
    for tab in ("Clustering", "Density estimation", "Anomaly detection",
                "Dimensionality reduction"):
        at = AppTest.from_function(script, default_timeout=300)
        at.session_state["s_dataset"] = "Overlapping blobs"
        at.session_state["s_n_points"] = 20_000
        at.session_state["app_tab"] = tab
        if tab == "Dimensionality reduction":
            at.session_state["app_dr_dataset"] = "Digits (64)"
        st.cache_data.clear()
        t = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - t
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        print(f"{tab:<26}{elapsed:>8.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    part1(args.repeat)
    part2()
