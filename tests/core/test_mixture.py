"""GaussianMixture: parity with sklearn.mixture.GaussianMixture, and sklearn's estimator checks."""

import warnings

import numpy as np
import pytest
from scipy.special import logsumexp
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.mixture import GaussianMixture as SkGaussianMixture
from sklearn.utils.estimator_checks import parametrize_with_checks

from gmm_core import GaussianMixture, MixtureParameters
from tests.helpers import COV_TYPES, INITS, blobs, scipy_log_prob

FITTED = ("weights_", "means_", "covariances_", "precisions_cholesky_", "precisions_")

X = blobs(n_per=200)  # 600 points, 3 clear clusters
X_TEST = blobs(n_per=20, seed=1)


def fit_both(**kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = SkGaussianMixture(**kwargs).fit(X)
        ours = GaussianMixture(**kwargs).fit(X)
    return sk, ours


def assert_same_fit(sk, ours, rtol=1e-7, atol=1e-9, bounds_rtol=1e-7):
    assert ours.n_iter_ == sk.n_iter_
    assert ours.converged_ == sk.converged_
    for name in FITTED:
        np.testing.assert_allclose(getattr(ours, name), getattr(sk, name), rtol=rtol,
                                   atol=atol, err_msg=name)
    np.testing.assert_array_equal(ours.predict(X), sk.predict(X))
    assert ours.lower_bound_ == pytest.approx(sk.lower_bound_, rel=1e-10, abs=1e-12)
    assert len(ours.lower_bounds_) == len(sk.lower_bounds_)
    np.testing.assert_allclose(ours.lower_bounds_, sk.lower_bounds_, rtol=bounds_rtol)


@pytest.mark.parametrize("cov_type", COV_TYPES)
@pytest.mark.parametrize("init", INITS)
def test_fit_matches_sklearn(cov_type, init):
    sk, ours = fit_both(n_components=3, covariance_type=cov_type, init_params=init,
                        random_state=1)
    # With "k-means++"/"random_from_data" a component starts on one point, variance
    # reg_covar=1e-6: scikit-learn's diag/spherical start (E[x^2] - E[x]^2) carries rounding
    # noise ~1e-15 on that, which moves the first (hugely negative) bound in its 8th digit.
    assert_same_fit(sk, ours, bounds_rtol=1e-6)


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_n_init_matches_sklearn(cov_type):
    sk, ours = fit_both(n_components=3, covariance_type=cov_type, init_params="random",
                        n_init=3, random_state=0, max_iter=20)
    assert_same_fit(sk, ours)


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_warm_start_matches_sklearn(cov_type):
    kwargs = {"n_components": 3, "covariance_type": cov_type, "init_params": "random",
              "warm_start": True, "max_iter": 2, "random_state": 0, "tol": 1e-8}
    sk = SkGaussianMixture(**kwargs)
    ours = GaussianMixture(**kwargs)
    for _ in range(3):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            sk.fit(X)
            ours.fit(X)
        assert_same_fit(sk, ours)
    # a warm start continues: the parameters differ from a cold fit with max_iter=2
    cold = GaussianMixture(**{**kwargs, "warm_start": False})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        cold.fit(X)
    assert not np.allclose(cold.means_, ours.means_)


def test_max_iter_zero_matches_sklearn():
    sk, ours = fit_both(n_components=3, max_iter=0, random_state=0)
    assert ours.n_iter_ == sk.n_iter_ == 0
    for name in FITTED:
        np.testing.assert_allclose(getattr(ours, name), getattr(sk, name), rtol=1e-7,
                                   atol=1e-9)


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_scores_match_sklearn(cov_type):
    sk, ours = fit_both(n_components=3, covariance_type=cov_type, random_state=0)
    np.testing.assert_allclose(ours.score_samples(X_TEST), sk.score_samples(X_TEST),
                               rtol=1e-9)
    assert ours.score(X_TEST) == pytest.approx(sk.score(X_TEST), rel=1e-9)
    assert ours.bic(X) == pytest.approx(sk.bic(X), rel=1e-9)
    assert ours.aic(X) == pytest.approx(sk.aic(X), rel=1e-9)
    np.testing.assert_allclose(ours.predict_proba(X_TEST), sk.predict_proba(X_TEST),
                               rtol=1e-7, atol=1e-12)
    np.testing.assert_array_equal(ours.predict(X_TEST), sk.predict(X_TEST))
    assert ours._n_parameters() == sk._n_parameters()


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_fit_predict_matches_fit_then_predict(cov_type):
    a = GaussianMixture(3, covariance_type=cov_type, random_state=0)
    labels = a.fit_predict(X)
    np.testing.assert_array_equal(labels, a.predict(X))
    sk = SkGaussianMixture(3, covariance_type=cov_type, random_state=0)
    np.testing.assert_array_equal(labels, sk.fit_predict(X))


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_sample_matches_sklearn(cov_type):
    sk, ours = fit_both(n_components=3, covariance_type=cov_type, random_state=5)
    xs, ys = sk.sample(50)
    xo, yo = ours.sample(50)
    np.testing.assert_array_equal(yo, ys)
    np.testing.assert_allclose(xo, xs, rtol=1e-6, atol=1e-8)
    with pytest.raises(ValueError, match="n_samples"):
        ours.sample(0)


def test_float32_input_far_from_origin():
    # scikit-learn #30382: variance from E[x^2] - E[x]^2 cancels catastrophically in float32
    rng = np.random.default_rng(0)
    for centre, spread in [(1e8, 10.0), (1e4, 0.01)]:
        X32 = (centre + spread * rng.standard_normal((300, 1))).astype(np.float32)
        reg = 1e-9
        gm = GaussianMixture(1, reg_covar=reg).fit(X32)
        x64 = X32.astype(np.float64)
        assert np.var(x64) > 0
        np.testing.assert_allclose(gm.covariances_[0, 0, 0] - reg, np.var(x64), rtol=1e-6)
        # results come in X's dtype: the float64 mean, rounded once to float32
        assert gm.means_.dtype == np.float32
        assert gm.means_[0, 0] == np.float32(x64.mean())


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_float32_results_have_sklearns_dtypes(cov_type):
    X32 = X.astype(np.float32)
    sk, ours = (cls(3, covariance_type=cov_type, random_state=0).fit(X32)
                for cls in (SkGaussianMixture, GaussianMixture))
    for name in FITTED:
        assert getattr(ours, name).dtype == getattr(sk, name).dtype == np.float32, name
        # the same model up to scikit-learn's float32 arithmetic (we compute in float64)
        np.testing.assert_allclose(getattr(ours, name), getattr(sk, name), rtol=1e-3,
                                   atol=1e-4, err_msg=name)
    # values: scipy.stats densities under our float32 parameters, computed in float64
    params = MixtureParameters(ours.weights_, ours.means_, ours.covariances_,
                               ours.precisions_cholesky_, cov_type)
    wlp = scipy_log_prob(X32.astype(np.float64), params) + np.log(params.weights)
    score = logsumexp(wlp, axis=1)
    expected = {"score_samples": score, "predict_proba": np.exp(wlp - score[:, None])}
    for data in (X32, X):  # the dtype of the data scored, as scikit-learn
        for method in ("predict_proba", "score_samples"):
            got = getattr(ours, method)(data)
            assert got.dtype == getattr(sk, method)(data).dtype == data.dtype, method
            if data is X32:
                # scikit-learn computes in float32 (errors ~1e-4 here); we round once
                np.testing.assert_allclose(got, expected[method], rtol=1e-6, atol=1e-7,
                                           err_msg=method)
    np.testing.assert_array_equal(ours.predict(X32), sk.predict(X32))
    # a float64 fit stays float64
    assert GaussianMixture(3, covariance_type=cov_type, random_state=0).fit(X).means_.dtype \
        == np.float64


def test_unfitted_raises_not_fitted():
    gm = GaussianMixture(2)
    for method in (gm.predict, gm.predict_proba, gm.score_samples, gm.score):
        with pytest.raises(NotFittedError):
            method(X)
    with pytest.raises(NotFittedError):
        gm.sample(3)


def test_convergence_warning_when_not_converged():
    with pytest.warns(ConvergenceWarning):
        GaussianMixture(3, max_iter=1, tol=0.0, random_state=0).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        GaussianMixture(3, random_state=0).fit(X)


def test_verbose_prints(capsys):
    GaussianMixture(3, random_state=0, verbose=2, verbose_interval=1).fit(X)
    out = capsys.readouterr().out
    assert "Initialization 0" in out and "Iteration 1" in out and "converged" in out


@parametrize_with_checks([GaussianMixture()])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
