"""The page's pure figure builders: what they draw is what the maths computed."""

import numpy as np

from app_pages.applications import figures, figures_reduction
from gmm_core.datasets import make_overlapping_blobs
from lab_maths import anomaly, projection
from lab_maths import applications as apps


def _traces(fig, name_start):
    return [t for t in fig.data if (t.name or "").startswith(name_start)]


def test_anomaly_figure_draws_exactly_the_flagged_points():
    data = make_overlapping_blobs(400, seed=0)
    model = apps.fit_mixture(data.X, 3)
    log_p = model.score_samples(data.X)
    t = anomaly.threshold_from_percentile(log_p, 5)
    flagged = anomaly.flag(log_p, t)
    fig = figures.anomaly_figure(data.X, log_p, flagged, ("x", "y"),
                                 apps.density_grid(model, data.X, 40), t)
    [red] = _traces(fig, "flagged")
    np.testing.assert_array_equal(red.x, data.X[flagged, 0])
    assert red.name == f"flagged ({flagged.sum()})"
    [boundary] = [tr for tr in fig.data if tr.type == "contour"]
    assert boundary.contours.start == boundary.contours.end == t


def test_projected_ellipses_are_the_1_sigma_curves_of_wtsw():
    wine = projection.load_many_columns("Wine (13)")
    Z, _, _ = projection.standardize(wine.X, wine.feature_names)
    r = projection.reduce_and_fit(Z, 2, 3, "full", "full", labels=wine.labels)
    fig = figures_reduction.full_space_figure(r)
    for z in range(3):
        [one_sigma] = _traces(fig, f"z = {z + 1}, 1σ")
        pts = np.c_[one_sigma.x, one_sigma.y] - r.full_means_2d[z]
        inv = np.linalg.inv(r.full_covs_2d[z])
        np.testing.assert_allclose(np.einsum("ni,ij,nj->n", pts, inv, pts), 1.0, rtol=1e-9)


def test_soft_clustering_rings_the_split_points_and_pr_curve_ends_at_full_recall():
    data = make_overlapping_blobs(300, seed=1)
    r = apps.compare_clusterings(data.X, 3, labels=data.labels)
    p = apps.mixture_parameters(r.model)
    fig = figures.soft_clustering_figure(data.X, r.responsibilities, p.means,
                                         p.full_covariances(), p.weights, r.split, ("x", "y"))
    [ring] = _traces(fig, "split")
    assert len(ring.x) == r.split.sum() and ring.name.endswith(f"({r.split.sum()})")
    X, truth = anomaly.inject_outliers(data.X, 10, seed=0)
    curve = anomaly.precision_recall_curve(truth, apps.fit_mixture(X, 3).score_samples(X))
    pr = figures.pr_curve_figure(curve)
    assert pr.data[0].x[-1] == 1.0 and pr.data[0].y[-1] == truth.mean()
