"""The "Article example" data set is the article's own X_train, and its fit is the article's."""
# ruff: noqa: NPY002  (the article's code uses the legacy global RNG on purpose)

import numpy as np
import pytest
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from gmm_core import EMEngine
from gmm_core.datasets import make_article_example


def article_x_train():
    # The article's code, verbatim in substance (global legacy RNG).
    state = np.random.get_state()
    try:
        np.random.seed(0)
        shifted_gaussian = np.random.randn(300, 2) - np.array([20, 20])
        C = np.array([[0.0, -0.1], [1.7, 0.4]])
        stretched_gaussian = np.dot(np.random.randn(300, 2), C)
        X_train = np.vstack([shifted_gaussian, stretched_gaussian])
        np.random.shuffle(X_train)
        return X_train
    finally:
        np.random.set_state(state)


def test_article_example_is_the_articles_x_train():
    assert np.array_equal(make_article_example(600, 0).X, article_x_train())


def test_labels_follow_the_rows():
    data = make_article_example(600, 0)
    shifted = data.X[data.labels == 0]
    assert len(shifted) == 300
    assert np.all(shifted[:, 0] < -10)  # every shifted point lies near (-20, -20)
    assert np.all(data.X[data.labels == 1][:, 0] > -10)


def test_app_run_ends_where_the_articles_fit_does():
    X_train = article_x_train()
    sk = SkGaussianMixture(n_components=2, covariance_type="full", random_state=0).fit(X_train)
    engine = EMEngine(make_article_example(600, 0).X, 2, covariance_type="full",
                      init="kmeans", random_state=0)
    engine.run(100)
    assert engine.n_iter == sk.n_iter_
    np.testing.assert_allclose(engine.means, sk.means_, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(engine.covariances, sk.covariances_, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(engine.weights, sk.weights_, rtol=1e-9)
    assert np.array_equal(engine.params.predict(X_train), sk.predict(X_train))


@pytest.mark.parametrize("n, seed", [(50, 3), (601, 1)])
def test_other_sizes_and_seeds_follow_the_same_recipe(n, seed):
    data = make_article_example(n, seed)
    assert data.X.shape == (n, 2)
    assert np.bincount(data.labels).tolist() == [n // 2, n - n // 2]
