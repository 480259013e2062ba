"""lab_maths.applications / anomaly / projection against scikit-learn and SciPy."""

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from gmm_core import MixtureParameters
from gmm_core.datasets import make_overlapping_blobs
from lab_maths import anomaly, projection
from lab_maths import applications as apps

# ------------------------------------------------------------------------------------------
# Clustering


@pytest.mark.parametrize("seed", range(6))
def test_ari_matches_sklearn(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 300))
    a = rng.integers(0, int(rng.integers(1, 6)), n)
    b = np.where(rng.random(n) < 0.6, a, rng.integers(0, 4, n)) * 7 - 3  # other label values
    assert apps.adjusted_rand_index(a, b) == pytest.approx(adjusted_rand_score(a, b),
                                                           abs=1e-12)


@pytest.mark.parametrize("a, b", [([0, 0, 0], [1, 1, 1]), ([0, 1, 2], [5, 6, 7]),
                                  ([0, 0, 1, 1], [0, 1, 0, 1]), ([1, 2], [1, 1])])
def test_ari_edge_cases_match_sklearn(a, b):
    assert apps.adjusted_rand_index(a, b) == pytest.approx(adjusted_rand_score(a, b))


def test_compare_clusterings_matches_sklearn_models():
    data = make_overlapping_blobs(500, seed=3)
    r = apps.compare_clusterings(data.X, 3, "full", labels=data.labels, random_state=0)
    sk = SkGaussianMixture(3, random_state=0).fit(data.X)
    np.testing.assert_allclose(r.responsibilities, sk.predict_proba(data.X), atol=1e-6)
    assert r.split.sum() == (sk.predict_proba(data.X).max(axis=1) < 0.8).sum() > 0
    km = KMeans(3, n_init=10, random_state=0).fit(data.X)
    assert r.ari_kmeans == pytest.approx(adjusted_rand_score(data.labels, km.labels_))
    assert r.ari_gmm == pytest.approx(adjusted_rand_score(data.labels, sk.predict(data.X)))
    np.testing.assert_allclose(r.uncertainty, 1 - sk.predict_proba(data.X).max(axis=1),
                               atol=1e-6)


def test_preset_defeats_kmeans_not_the_gmm():
    data = apps.make_stretched_blobs(600)
    km = KMeans(3, n_init=10, random_state=0).fit(data.X)
    sk = SkGaussianMixture(3, random_state=0).fit(data.X)
    assert adjusted_rand_score(data.labels, km.labels_) < 0.7
    assert adjusted_rand_score(data.labels, sk.predict(data.X)) > 0.95


@pytest.mark.parametrize("X, k, words", [
    (np.zeros((1, 2)), 1, "at least 2 are needed"),
    (np.arange(6.0).reshape(3, 2), 4, "K = 4 components need at least 4 points"),
    (np.c_[np.arange(5.0), np.ones(5)], 2, "column 2 are constant"),
    (np.array([[0.0, np.nan], [1.0, 2.0], [2.0, 1.0]]), 2, "missing or infinite"),
])
def test_bad_data_in_plain_words(X, k, words):
    with pytest.raises(ValueError, match=words):
        apps.check_data(X, k)


# ------------------------------------------------------------------------------------------
# Density estimation


@pytest.mark.parametrize("d", [1, 2, 3])
def test_kde_matches_scipy_gaussian_kde(d):
    from scipy.stats import gaussian_kde

    rng = np.random.default_rng(d)
    train = rng.standard_normal((700, d)) @ rng.standard_normal((d, d)) + 3
    points = rng.standard_normal((3000, d)) * 2  # > one chunk, far points too
    expected = gaussian_kde(train.T).logpdf(points.T)
    np.testing.assert_allclose(apps.kde_log_density(train, points), expected, rtol=1e-9,
                               atol=1e-9)


def test_histogram_density_matches_numpy():
    rng = np.random.default_rng(0)
    train, points = rng.normal(size=400), np.r_[rng.normal(size=200), 50.0, -50.0]
    log_h, edges, heights = apps.histogram_log_density(train, points)
    ref_heights, ref_edges = np.histogram(train, bins="fd", density=True)
    np.testing.assert_allclose(heights, ref_heights)
    assert np.sum(heights * np.diff(edges)) == pytest.approx(1.0)
    for x, value in zip(points, log_h):
        inside = ref_edges[0] <= x <= ref_edges[-1]
        j = min(np.searchsorted(ref_edges, x, side="right") - 1, len(ref_heights) - 1)
        expected = np.log(ref_heights[j]) if inside and ref_heights[j] > 0 else -np.inf
        assert value == expected
    assert np.isneginf(log_h[-2:]).all()


def test_held_out_comparison_matches_sklearn_and_scipy():
    from scipy.stats import gaussian_kde
    from sklearn.model_selection import KFold

    data = make_overlapping_blobs(400, seed=1)
    c = apps.compare_densities(data.X, 4, "full", random_state=5)
    # 5-fold cross-validation, scikit-learn's KFold (the folds Model selection uses)
    folds = list(KFold(5, shuffle=True, random_state=5).split(data.X))
    assert c.n_folds == 5 and c.n_used == c.n_rows == 400
    for k, score in zip(c.ks, c.gmm_scores):
        sk = [SkGaussianMixture(k, random_state=5).fit(data.X[tr]).score(data.X[va])
              for tr, va in folds]
        assert score == pytest.approx(np.mean(sk), abs=1e-6)
    kde = np.mean([gaussian_kde(data.X[tr].T).logpdf(data.X[va].T).mean()
                   for tr, va in folds])
    assert c.kde_score == pytest.approx(kde, rel=1e-9)
    assert c.best_k == c.ks[np.argmax(c.gmm_scores)] and c.histogram_score is None


def test_density_grid_is_the_model_density():
    data = make_overlapping_blobs(300, seed=2)
    model = apps.fit_mixture(data.X, 3)
    xs, ys, log_p = apps.density_grid(model, data.X, resolution=30)
    sk = SkGaussianMixture(3, random_state=0).fit(data.X)
    i, j = 7, 19
    assert log_p[i, j] == pytest.approx(sk.score_samples([[xs[j], ys[i]]])[0], abs=1e-6)
    assert xs[0] < data.X[:, 0].min() and ys[-1] > data.X[:, 1].max()


# ------------------------------------------------------------------------------------------
# Anomaly detection


def test_precision_recall_match_sklearn():
    from sklearn.metrics import precision_score, recall_score

    rng = np.random.default_rng(0)
    for _ in range(20):
        truth, flagged = rng.random(80) < 0.2, rng.random(80) < rng.random()
        p, r = anomaly.precision_recall(truth, flagged)
        assert p == pytest.approx(precision_score(truth, flagged, zero_division=0))
        assert r == pytest.approx(recall_score(truth, flagged, zero_division=0))


def test_pr_curve_matches_sklearn_with_ties():
    from sklearn.metrics import average_precision_score, precision_recall_curve

    rng = np.random.default_rng(1)
    log_p = np.round(rng.normal(size=300), 1)  # many ties
    truth = rng.random(300) < 0.15
    curve = anomaly.precision_recall_curve(truth, log_p)
    # sklearn ranks high scores first: score = −log p.
    precision, recall, thresholds = precision_recall_curve(truth, -log_p)
    order = np.argsort(thresholds)[::-1]  # from the strictest threshold down
    np.testing.assert_allclose(curve.precision, precision[:-1][order])
    np.testing.assert_allclose(curve.recall, recall[:-1][order])
    np.testing.assert_allclose(curve.thresholds, -thresholds[order])
    assert curve.average_precision == pytest.approx(average_precision_score(truth, -log_p))


def test_mahalanobis_matches_scipy():
    from scipy.spatial.distance import mahalanobis

    data = make_overlapping_blobs(200, seed=4)
    params = apps.mixture_parameters(apps.fit_mixture(data.X, 3))
    covs = params.full_covariances()
    d = anomaly.mahalanobis_to_components(data.X, params.means, covs)
    for i in (0, 57, 199):
        for z in range(3):
            assert d[i, z] == pytest.approx(
                mahalanobis(data.X[i], params.means[z], np.linalg.inv(covs[z])))


def test_percentile_threshold_flags_that_share():
    rng = np.random.default_rng(2)
    log_p = rng.normal(size=1000)
    t = anomaly.threshold_from_percentile(log_p, 5)
    assert anomaly.flag(log_p, t).sum() == 50  # distinct values: exactly 5 %
    assert (np.sort(log_p)[:50] < t).all() and (np.sort(log_p)[50:] >= t).all()


def test_injected_outliers_and_table():
    data = make_overlapping_blobs(300, seed=0)
    X, truth = anomaly.inject_outliers(data.X, 15, seed=3)
    assert X.shape == (315, 2) and truth.sum() == 15 and not truth[:300].any()
    np.testing.assert_array_equal(X[:300], data.X)
    lo, hi = data.X.min(0), data.X.max(0)
    assert ((X[truth] >= lo - (hi - lo) * 0.5) & (X[truth] <= hi + (hi - lo) * 0.5)).all()
    model = apps.fit_mixture(X, 3)
    sk = SkGaussianMixture(3, random_state=0).fit(X)
    log_p = model.score_samples(X)
    params = apps.mixture_parameters(model)
    d = anomaly.mahalanobis_to_components(X, params.means, params.full_covariances())
    table = anomaly.most_anomalous(X, log_p, d, ("x", "y"), 5)
    expected_rows = np.argsort(sk.score_samples(X))[:5]
    np.testing.assert_array_equal(table["row"], expected_rows)
    np.testing.assert_allclose(table["log p(x)"], sk.score_samples(X)[expected_rows],
                               atol=1e-6)
    assert (table["closest z"] == d[expected_rows].argmin(1) + 1).all()


# ------------------------------------------------------------------------------------------
# Dimensionality reduction


def test_projected_covariance_matches_sampling():
    from sklearn.decomposition import PCA

    rng = np.random.default_rng(0)
    d = 5
    A = rng.standard_normal((d, d))
    cov = A @ A.T + np.eye(d)
    mu = rng.standard_normal(d)
    data = rng.standard_normal((400, d)) @ A.T
    pca = PCA(2).fit(data)
    params = MixtureParameters(np.ones(1), mu[None], cov[None],
                               np.linalg.cholesky(np.linalg.inv(cov))[None], "full")
    means, covs = projection.projected_gaussians(params, pca.mean_, pca.components_.T)
    samples = rng.multivariate_normal(mu, cov, size=200_000)
    projected = pca.transform(samples)  # sklearn's own projection of the samples
    np.testing.assert_allclose(means[0], projected.mean(axis=0), atol=0.03)
    np.testing.assert_allclose(covs[0], np.cov(projected, rowvar=False), rtol=0.02, atol=0.05)
    np.testing.assert_allclose(means[0], pca.transform(mu[None])[0], atol=1e-10)


def test_standardize_drops_constant_columns():
    X = np.c_[np.arange(10.0), np.full(10, 4.0), np.arange(10.0) ** 2]
    Z, kept, dropped = projection.standardize(X, ("a", "b", "c"))
    assert kept == ("a", "c") and dropped == ("b",)
    from sklearn.preprocessing import StandardScaler

    np.testing.assert_allclose(Z, StandardScaler().fit_transform(X[:, [0, 2]]))


@pytest.mark.parametrize("name", projection.MANY_COLUMNS)
def test_many_column_data(name):
    data = projection.load_many_columns(name)
    d = {"Penguins (4 numeric)": 4, "Iris (4)": 4, "Wine (13)": 13, "Digits (64)": 64}[name]
    assert data.X.shape[1] == d and np.isfinite(data.X).all()
    assert len(data.labels) == len(data.X)


def test_reduce_and_fit_matches_sklearn():
    from sklearn.decomposition import PCA

    data = projection.load_many_columns("Wine (13)")
    Z, _, _ = projection.standardize(data.X, data.feature_names)
    r = projection.reduce_and_fit(Z, 3, 3, "full", "full", labels=data.labels)
    scores = PCA(3).fit_transform(Z)
    sk_pca = SkGaussianMixture(3, random_state=0).fit(scores)
    sk_full = SkGaussianMixture(3, random_state=0).fit(Z)
    assert r.ari_pca == pytest.approx(adjusted_rand_score(data.labels, sk_pca.predict(scores)))
    assert r.ari_full == pytest.approx(adjusted_rand_score(data.labels, sk_full.predict(Z)))
    np.testing.assert_allclose(r.explained_variance_ratio, PCA().fit(Z).explained_variance_ratio_)
    W = PCA(2).fit(Z).components_.T
    np.testing.assert_allclose(np.abs(r.full_means_2d), np.abs(sk_full.means_ @ W), atol=1e-6)
    for z in range(3):  # sign of each axis is arbitrary; WᵀΣW's diagonal is not
        np.testing.assert_allclose(np.diag(r.full_covs_2d[z]),
                                   np.diag(W.T @ sk_full.covariances_[z] @ W), rtol=1e-6)
    ms, bics = projection.bic_by_pca_dimension(Z, 4, 3, "full")
    assert list(ms) == [1, 2, 3, 4]
    from scipy.stats import norm

    n, d = Z.shape
    all_scores = PCA().fit_transform(Z)
    for m, bic in zip(ms, bics):
        x, rest = all_scores[:, :m], all_scores[:, m:]
        sk = SkGaussianMixture(3, random_state=0).fit(x)
        sigma = np.sqrt((rest**2).mean())  # MLE of one shared noise variance
        ll = sk.score(x) * n + norm.logpdf(rest, scale=sigma).sum()
        k = sk._n_parameters() + (d * m - m * (m + 1) // 2) + 1 + d
        assert bic == pytest.approx(-2 * ll + k * np.log(n), rel=1e-6)


def test_held_out_comparison_subsamples_large_data():
    data = make_overlapping_blobs(9000, seed=0)
    from sklearn.model_selection import KFold

    c = apps.compare_densities(data.X, 2, "full", random_state=1)
    assert (c.n_used, c.n_rows) == (apps.MAX_ROWS, 9000)
    assert len(np.unique(c.rows)) == c.n_used and c.rows.max() < 9000
    X = data.X[c.rows]
    sk = [SkGaussianMixture(2, random_state=1).fit(X[tr]).score(X[va])
          for tr, va in KFold(5, shuffle=True, random_state=1).split(X)]
    assert c.gmm_scores[1] == pytest.approx(np.mean(sk), abs=1e-6)
