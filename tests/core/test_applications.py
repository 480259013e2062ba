"""gmm_core.applications / anomaly / projection against scikit-learn and SciPy."""

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from gmm_core import applications as apps
from gmm_core.datasets import make_overlapping_blobs

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
