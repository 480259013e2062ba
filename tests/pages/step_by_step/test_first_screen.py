"""The first screen moves: the default run climbs for many iterations to the true clusters;
the article's example is one click away and is the article's own fit."""

import numpy as np
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from gmm_core.datasets import make_article_example, make_unequal_sizes

from ..apptest import click, metrics, open_app


def number(text):
    return float(text.replace(",", "").replace("−", "-"))


def test_the_default_run_climbs_for_many_iterations_to_the_true_clusters():
    at = open_app()
    data = at.session_state["data"]
    truth = make_unequal_sizes(600, seed=1)
    assert np.array_equal(data.X, truth.X)
    start = number(metrics(at)["Log-likelihood"])
    # The oracle: scikit-learn's fit from the same start (k-means, seed 0, K = 3, full).
    sk = SkGaussianMixture(3, covariance_type="full", random_state=0).fit(truth.X)
    assert 8 <= sk.n_iter_ <= 30
    first = number(click(at, "Full iteration")["Log-likelihood"])
    assert first - start > 10  # the very first click shows EM climbing
    shown = click(at, "Run to convergence")
    assert int(shown["Iteration"]) == sk.n_iter_
    assert number(shown["Log-likelihood"]) - start > 50
    assert abs(number(shown["Log-likelihood"]) - sk.score(truth.X) * 600) < 1e-3
    engine_labels = sk.predict(truth.X)
    assert adjusted_rand_score(truth.labels, engine_labels) > 0.9


def test_the_articles_example_is_one_click_away():
    at = open_app()
    click(at, "Use the article's example")
    x_train = make_article_example(600, 0).X
    assert np.array_equal(at.session_state["data"].X, x_train)
    sk = SkGaussianMixture(n_components=2, covariance_type="full", random_state=0).fit(x_train)
    shown = click(at, "Run to convergence")
    assert int(shown["Iteration"]) == sk.n_iter_
    assert abs(number(shown["Log-likelihood"]) - sk.score(x_train) * 600) < 1e-3
