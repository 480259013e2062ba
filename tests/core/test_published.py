"""Published reference values (mclust, independent of scikit-learn): Old Faithful and Iris."""

from importlib import resources

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris

from gmm_core import EMEngine, GaussianMixture, n_parameters


@pytest.fixture(scope="module")
def faithful():
    with resources.files("gmm_core").joinpath("data/faithful.csv").open() as f:
        frame = pd.read_csv(f)
    assert frame.shape == (272, 2)
    return frame[["eruptions", "waiting"]].to_numpy(dtype=float)


@pytest.fixture(scope="module")
def iris():
    return load_iris().data


def best_log_likelihood(X, k, cov_type, seeds=range(3), inits=("kmeans", "random")):
    best = -np.inf
    for init in inits:
        for seed in seeds:
            engine = EMEngine(X, k, covariance_type=cov_type, init=init, random_state=seed,
                              reg_covar=0.0, tol=1e-10)
            engine.run(max_iter=2000)
            best = max(best, engine.log_likelihood)
    return best


def test_old_faithful_two_components(faithful):
    engine = EMEngine(faithful, 2, covariance_type="full", reg_covar=0.0, tol=1e-10,
                      random_state=0)
    engine.run(max_iter=1000)
    assert engine.converged
    assert engine.log_likelihood == pytest.approx(-1130.264, abs=0.01)
    order = np.argsort(engine.means[:, 0])
    np.testing.assert_allclose(engine.weights[order], [0.356, 0.644], atol=5e-4)
    np.testing.assert_allclose(engine.means[order], [[2.036, 54.48], [4.290, 79.97]],
                               rtol=5e-4)
    assert n_parameters(2, 2, "full") == 11


def test_old_faithful_bic(faithful):
    gm = GaussianMixture(2, covariance_type="full", reg_covar=0.0, tol=1e-10, max_iter=1000,
                         random_state=0).fit(faithful)
    assert gm._n_parameters() == 11
    assert gm.bic(faithful) == pytest.approx(2322.192, abs=0.01)
    assert gm.score(faithful) * len(faithful) == pytest.approx(-1130.264, abs=0.01)


@pytest.mark.parametrize(
    ("cov_type", "expected"),
    [("spherical", -889.5161), ("diag", -741.0175), ("full", -379.9146),
     ("tied", -379.9146)],
)
def test_iris_one_component_closed_form(iris, cov_type, expected):
    engine = EMEngine(iris, 1, covariance_type=cov_type, reg_covar=0.0)
    engine.step()
    assert engine.log_likelihood == pytest.approx(expected, abs=1e-3)
    # one M-step is the maximum likelihood estimate: a second iteration changes nothing
    engine.step()
    assert engine.log_likelihood == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize(
    ("cov_type", "expected"),
    [("spherical", -478.5591), ("diag", -386.1853), ("tied", -296.4476),
     ("full", -214.3547)],
)
def test_iris_two_components_best_fit(iris, cov_type, expected):
    assert best_log_likelihood(iris, 2, cov_type) == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize(
    ("cov_type", "mclust_bic"),
    [("spherical", -1012.2352), ("diag", -857.5515), ("tied", -688.0972),
     ("full", -574.0178)],
)
def test_iris_two_components_bic(iris, cov_type, mclust_bic):
    gm = GaussianMixture(2, covariance_type=cov_type, reg_covar=0.0, tol=1e-10,
                         max_iter=2000, n_init=3, random_state=0).fit(iris)
    # mclust's BIC is 2 log L - p log n: scikit-learn's sign is the opposite
    assert gm.bic(iris) == pytest.approx(-mclust_bic, abs=2e-3)
