"""With reg_covar = 0 the engine takes every step scikit-learn takes: a collapsing component
is flagged, not refused, until a covariance really has no Cholesky factor."""

import warnings

import numpy as np
from sklearn.datasets import make_blobs
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from gmm_core import EMEngine


def test_engine_goes_on_where_scikit_learn_goes_on():
    X, _ = make_blobs(n_samples=500, centers=4, cluster_std=[0.8, 1.2, 0.5, 1.0],
                      random_state=11)
    kwargs = dict(covariance_type="spherical", reg_covar=0, tol=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = SkGaussianMixture(4, init_params="random", random_state=2, max_iter=40,
                               **kwargs).fit(X)
    assert sk.n_iter_ == 40
    engine = EMEngine(X, 4, init="random", random_state=2, **kwargs)
    engine.run(40)
    assert engine.n_iter == 40
    np.testing.assert_allclose(engine.means, sk.means_, atol=1e-8)
    np.testing.assert_allclose(engine.weights, sk.weights_, atol=1e-10)
    # the component that sits on one point is flagged, at a variance of rounding noise
    lonely = int(np.argmin(sk.weights_))
    assert round(sk.weights_[lonely] * len(X)) == 1
    assert lonely in engine.current.singular
    assert engine.covariances[lonely] < 1e-12
