"""Density estimation tab through AppTest; numbers checked against scikit-learn and SciPy."""

import numpy as np
from scipy.stats import gaussian_kde
from sklearn.mixture import GaussianMixture as SkGaussianMixture
from sklearn.model_selection import KFold

from .conftest import metrics, number, open_tab, use_data

TAB = "Density estimation"


def _folds(X, seed=0):
    """5-fold cross-validation as Model selection's held-out curve (scikit-learn's KFold)."""
    return list(KFold(5, shuffle=True, random_state=seed).split(X))


def _held_out(X, k, seed=0):
    return np.mean([SkGaussianMixture(k, random_state=seed).fit(X[tr]).score(X[va])
                    for tr, va in _folds(X, seed)])


def test_held_out_scores_match_sklearn_and_scipy(at):
    open_tab(at, TAB)
    X = at.session_state["data"].X
    m = metrics(at)
    scores = {k: _held_out(X, k) for k in range(1, 7)}
    best = max(scores, key=scores.get)
    assert m["Best K (held out)"] == str(best)
    assert number(m[f"GMM, K = {best}"]) == round(scores[best], 3)
    kde = np.mean([gaussian_kde(X[tr].T).logpdf(X[va].T).mean() for tr, va in _folds(X)])
    assert number(m["KDE (gaussian_kde)"]) == round(kde, 3)
    assert len(at.get("plotly_chart")) == 2 and not at.error


def test_samples_slider_and_max_k(at):
    open_tab(at, TAB)
    at.slider(key="app_de_samples").set_value(300).run()
    assert not at.exception, at.exception
    assert any("300 points drawn from it" in c.value for c in at.caption)
    at.slider(key="app_de_max_k").set_value(2).run()
    assert metrics(at)["Best K (held out)"] in {"1", "2"}


def test_one_dimension_adds_a_histogram(at):
    open_tab(at, TAB)
    rng = np.random.default_rng(4)
    X = np.r_[rng.normal(-2, 0.5, 150), rng.normal(2, 1.0, 250)][:, None]
    use_data(at, X, ("x",))
    m = metrics(at)
    assert "Histogram" in m
    per_fold = []
    for train, test in _folds(X):
        heights, edges = np.histogram(X[train, 0], bins="fd", density=True)
        idx = np.clip(np.searchsorted(edges, X[test, 0], side="right") - 1, 0,
                      len(heights) - 1)
        inside = (X[test, 0] >= edges[0]) & (X[test, 0] <= edges[-1])
        with np.errstate(divide="ignore"):
            per_fold.append(np.where(inside, np.log(heights[idx]), -np.inf).mean())
    expected = np.mean(per_fold)
    assert m["Histogram"] == ("−∞" if np.isneginf(expected) else f"{expected:,.3f}"
                              .replace("-", "−"))


def test_too_few_rows_is_a_message(at):
    open_tab(at, TAB)
    use_data(at, [[0.0, 1.0]], ("x", "y"))
    assert any("Only 1 row(s) of data" in e.value for e in at.error)
