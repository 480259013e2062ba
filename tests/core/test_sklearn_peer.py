"""scikit-learn's own ``sklearn/mixture/tests/test_gaussian_mixture.py``, run against ours.

The module ships with scikit-learn (BSD-3-Clause; it is imported, not copied). Each of its
tests that exercises the estimator is re-exported here and runs with the module's
``GaussianMixture`` name pointing at :class:`gmm_core.GaussianMixture` (an autouse fixture
monkeypatches it). The tests that cannot apply to another estimator are listed in
``NOT_APPLICABLE`` with the reason; a test asserts the two lists cover the module, so a new
scikit-learn test is never silently dropped.

scikit-learn's conftest fixtures are given here: ``global_dtype`` runs float32 and float64
(scikit-learn's CI runs float32 only when asked; we always do), ``global_random_seed`` three
seeds.
"""

import numpy as np
import pytest
from sklearn.mixture.tests import test_gaussian_mixture as sk

import gmm_core

NOT_APPLICABLE = {
    # scikit-learn's private functions, imported by name from sklearn.mixture._gaussian_mixture:
    # they test scikit-learn's code, not an estimator (ours is tested against the same
    # quantities in tests/core/test_estep.py, test_mstep.py and test_covariance.py).
    "test_suffstat_sk_full": "scikit-learn's private _estimate_gaussian_covariances_full",
    "test_suffstat_sk_tied": "scikit-learn's private _estimate_gaussian_covariances_tied",
    "test_suffstat_sk_diag": "scikit-learn's private _estimate_gaussian_covariances_diag",
    "test_gaussian_suffstat_sk_spherical":
        "scikit-learn's private _estimate_gaussian_covariances_spherical",
    "test_compute_log_det_cholesky": "scikit-learn's private _compute_log_det_cholesky",
    # Calls the private methods _estimate_log_prob / _estimate_log_prob_resp of sklearn's
    # BaseMixture (ours has no such private API; predict_proba/score_samples are tested).
    "test_gaussian_mixture_log_probabilities": "private _estimate_log_prob (sklearn BaseMixture)",
    "test_gaussian_mixture_estimate_log_prob_resp":
        "private _estimate_log_prob_resp (sklearn BaseMixture)",
    # Calls the private method gmm._initialize(X, resp) of sklearn's BaseMixture.
    "test_gaussian_mixture_precisions_init": "private _initialize(X, resp) (sklearn BaseMixture)",
    # Mocks sklearn.mixture._gaussian_mixture._estimate_gaussian_parameters and counts the
    # calls: a test of scikit-learn's internals (ours never calls that function).
    "test_gaussian_mixture_all_init_does_not_estimate_gaussian_parameters":
        "mocks a private scikit-learn function and counts its calls",
    # Its range check re.escapes scikit-learn's message, which labels the minimum "max value"
    # and the maximum "min value" (_check_weights); we do not print that. Its shape and
    # normalisation checks run in test_check_weights_messages below.
    "test_check_weights": "expects scikit-learn's message with max and min swapped",
    # Array API (torch, cupy...): gmm_core computes in NumPy float64 only.
    "test_gaussian_mixture_array_api_compliance": "Array API namespaces: gmm_core is NumPy only",
    "test_gaussian_mixture_raises_where_array_api_not_implemented":
        "Array API namespaces: gmm_core is NumPy only",
}

PEER_TESTS = sorted(
    name for name in dir(sk) if name.startswith("test_") and name not in NOT_APPLICABLE
)


@pytest.fixture(params=[np.float32, np.float64], ids=["float32", "float64"])
def global_dtype(request):
    return request.param


@pytest.fixture(params=[0, 1, 42])
def global_random_seed(request):
    return request.param


@pytest.fixture(autouse=True)
def _ours(monkeypatch):
    monkeypatch.setattr(sk, "GaussianMixture", gmm_core.GaussianMixture)


for _name in PEER_TESTS:
    globals()[_name] = getattr(sk, _name)


def test_every_peer_test_is_run_or_explained():
    in_module = {name for name in dir(sk) if name.startswith("test_")}
    assert set(NOT_APPLICABLE) <= in_module  # a stale name would hide a dropped test
    assert in_module == set(PEER_TESTS) | set(NOT_APPLICABLE)
    assert len(PEER_TESTS) >= 25


def test_the_peer_tests_run_our_estimator():
    # Inside a test the autouse fixture is active: the module's name is ours.
    assert sk.GaussianMixture is gmm_core.GaussianMixture


def test_check_weights_messages():
    """test_check_weights without its range message: same data, same expected wording."""
    import re

    rng = np.random.RandomState(0)
    rand_data = sk.RandomData(rng)
    k, X = rand_data.n_components, rand_data.X["full"]
    g = gmm_core.GaussianMixture(n_components=k)
    g.weights_init = bad_shape = rng.rand(k, 1)
    msg = re.escape(f"The parameter 'weights' should have the shape of ({k},), but got "
                    f"{bad_shape.shape}")
    with pytest.raises(ValueError, match=msg):
        g.fit(X)
    g.weights_init = rng.rand(k) + 1
    with pytest.raises(ValueError, match=r"must be in \[0, 1\]"):
        g.fit(X)
    bad_norm = rng.rand(k)
    g.weights_init = bad_norm = bad_norm / (bad_norm.sum() + 1)
    msg = re.escape(f"The parameter 'weights' should be normalized, but got sum(weights) = "
                    f"{np.sum(bad_norm):.5f}")
    with pytest.raises(ValueError, match=msg):
        g.fit(X)
    g = gmm_core.GaussianMixture(weights_init=rand_data.weights, n_components=k).fit(X)
    np.testing.assert_array_equal(rand_data.weights, g.weights_init)


@pytest.mark.parametrize("dtype, off, accepted", [
    (np.float32, 9e-7, True), (np.float32, 2e-6, False),
    (np.float64, 9e-9, True), (np.float64, 2e-8, False),
])
def test_weights_tolerance_follows_dtype(dtype, off, accepted):
    """scikit-learn's tolerance: 1e-6 for float32 weights, 1e-8 otherwise."""
    import sklearn.mixture

    X = np.random.RandomState(0).normal(size=(40, 2))
    w = np.array([0.5, 0.5 + off], dtype=np.float64).astype(dtype)
    for cls in (gmm_core.GaussianMixture, sklearn.mixture.GaussianMixture):
        g = cls(2, weights_init=w, random_state=0, max_iter=2)
        if accepted:
            g.fit(X)
        else:
            with pytest.raises(ValueError, match="should be normalized"):
                g.fit(X)
