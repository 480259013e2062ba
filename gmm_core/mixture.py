"""``GaussianMixture``: a scikit-learn estimator running :class:`~gmm_core.EMEngine`.

With the same arguments and ``random_state`` it reaches scikit-learn's fitted model (same
``n_iter_``, same labels, parameters equal up to floating-point noise), and one iteration
costs one streaming pass over the data.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from sklearn.base import BaseEstimator, DensityMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _validation as v
from .backends import engine_class
from .covariance import COVARIANCE_TYPES, covariance_type, n_parameters
from .estep import estep
from .parameters import MixtureParameters


class GaussianMixture(DensityMixin, BaseEstimator):
    """Gaussian mixture fitted by EM; a drop-in for ``sklearn.mixture.GaussianMixture``.

    Parameters
    ----------
    n_components : int, default=1
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
    tol : float, default=1e-3
        Stop when the mean log-likelihood changes by less than this between E-steps.
    reg_covar : float, default=1e-6
    max_iter : int, default=100
    n_init : int, default=1
        Number of starts; the one with the best final lower bound is kept.
    init_params : {"kmeans", "k-means++", "random", "random_from_data"}, default="kmeans"
    weights_init, means_init, precisions_init : array-like, optional
    random_state : int, RandomState or None
    warm_start : bool, default=False
        Continue from the last fit's parameters (``n_init`` is then ignored).
    verbose : int, default=0
    verbose_interval : int, default=10
    frozen : dict, optional
        Not in scikit-learn: parameters kept at their start values while EM fits the rest,
        e.g. ``{"means": [0], "weights": True}`` (keys "weights", "means", "covariances";
        values True or component indices). Give the values with ``weights_init``,
        ``means_init``, ``precisions_init`` (or they are the ``init_params`` start's). See
        :class:`~gmm_core.EMEngine`.

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
    means_ : ndarray of shape (n_components, n_features)
    covariances_, precisions_, precisions_cholesky_ : ndarray (shape by covariance_type)
    converged_ : bool
    n_iter_ : int
    lower_bound_ : float
        Mean log-likelihood seen at the last E-step of the best start.
    lower_bounds_ : list of float
        That quantity at every iteration of the best start.
    n_features_in_ : int

    Notes
    -----
    ``X`` may be a ``dask.array`` chunked by rows (data bigger than memory, or on a
    cluster): ``fit`` then runs each E-step on the blocks where they are (see
    :mod:`gmm_core.dask_backend`; the start is computed on a sample of at most
    ``SAMPLE_ROWS`` rows), and ``fit_predict``, ``predict``, ``predict_proba`` and
    ``score_samples`` return lazy dask arrays.

    Everything is computed in float64. As in scikit-learn, the fitted arrays are returned
    in the dtype of the data fitted (float32 for float32 data), and ``predict_proba`` and
    ``score_samples`` in the dtype of the data they are given.
    """

    def __init__(
        self,
        n_components=1,
        *,
        covariance_type="full",
        tol=1e-3,
        reg_covar=1e-6,
        max_iter=100,
        n_init=1,
        init_params="kmeans",
        weights_init=None,
        means_init=None,
        precisions_init=None,
        random_state=None,
        warm_start=False,
        verbose=0,
        verbose_interval=10,
        frozen=None,
    ):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval
        self.frozen = frozen

    # ----------------------------------------------------------------------------------

    def _check_parameters(self):
        v.check_int(self.n_components, "n_components", minimum=1)
        v.check_choice(self.covariance_type, COVARIANCE_TYPES, "covariance_type")
        v.check_choice(self.init_params, v.INIT_METHODS, "init_params")
        v.check_nonnegative_float(self.tol, "tol")
        v.check_nonnegative_float(self.reg_covar, "reg_covar")
        v.check_int(self.max_iter, "max_iter", minimum=0)
        v.check_int(self.n_init, "n_init", minimum=1)
        v.check_int(self.verbose_interval, "verbose_interval", minimum=1)

    def fit(self, X, y=None, sample_weight=None):
        """Fit the mixture to ``X`` of shape (n_samples, n_features); returns self.

        ``sample_weight`` (n_samples,), optional: weight w_i >= 0 of each row; the fit is
        that of row i repeated w_i times (see :class:`~gmm_core.EMEngine`). With a dask
        ``X`` it may be a dask array chunked like X's rows, or a NumPy array.
        """
        self.fit_predict(X, y, sample_weight=sample_weight)
        return self

    def fit_predict(self, X, y=None, sample_weight=None):
        """Fit, then return the most probable component of each sample, shape (n,)."""
        self._check_parameters()
        if v.is_dask_array(X):
            X, dtype = self._dask_fit_data(X)
        else:
            X = validate_data(self, X, dtype=[np.float64, np.float32], ensure_min_samples=2)
            dtype = X.dtype  # results in X's dtype, as scikit-learn; computed in float64
            X = np.ascontiguousarray(X, dtype=np.float64)
        if X.shape[0] < self.n_components:
            raise ValueError(
                "Expected n_samples >= n_components but got "
                f"n_components = {self.n_components}, n_samples = {X.shape[0]}: "
                "reduce n_components or add data."
            )
        do_init = not (self.warm_start and hasattr(self, "converged_"))
        n_init = self.n_init if do_init else 1
        random_state = check_random_state(self.random_state)
        best = None
        best_bound = -np.inf
        converged = False
        for init in range(n_init):
            if self.verbose:
                print(f"Initialization {init}")
            engine = self._engine(X, random_state, do_init, sample_weight)
            engine.run(self.max_iter, finalize=False)
            bounds = list(engine.mean_log_likelihoods)
            bound = bounds[-1] if bounds else -np.inf
            if self.verbose:
                self._print_iterations(bounds, engine.converged)
            if self.max_iter == 0 or best is None or bound > best_bound:
                best, best_bound = engine.params, bound
                best_n_iter, best_bounds = engine.n_iter, bounds
                converged = engine.converged
        if not converged and self.max_iter > 0:
            warnings.warn(
                "Best performing initialization did not converge. Try different init "
                "parameters, or increase max_iter, tol, or check for degenerate data.",
                ConvergenceWarning,
                stacklevel=2,
            )
        self._set_parameters(best, dtype)
        self.converged_ = converged
        self.n_iter_ = best_n_iter
        self.lower_bound_ = best_bound
        self.lower_bounds_ = best_bounds
        if v.is_dask_array(X):
            return self._dask_rowwise(X, "predict", best)
        return best.predict(X)

    # Dask arrays (gmm_core.dask_backend is imported only when one is given)

    def _dask_fit_data(self, X):
        from .dask_backend import as_row_blocks

        dtype = np.float32 if X.dtype == np.float32 else np.float64
        X = as_row_blocks(X)
        self.n_features_in_ = X.shape[1]
        if hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        return X, dtype

    def _dask_rowwise(self, X, what, params=None):
        from .dask_backend import as_row_blocks, rowwise

        if params is None:
            check_is_fitted(self)
            dtype = _result_dtype(X)
            X = as_row_blocks(X)
            if X.shape[1] != self.n_features_in_:
                raise ValueError(
                    f"X has {X.shape[1]} features, but GaussianMixture is expecting "
                    f"{self.n_features_in_} features as input."
                )
            params = self._params()
        else:
            dtype = np.float64
        return rowwise(params, X, what, dtype)

    def _engine(self, X, random_state, do_init, sample_weight=None):
        if not do_init:  # warm start: continue from the last fit
            return engine_class(X).from_parameters(
                X, self._params(), reg_covar=self.reg_covar, tol=self.tol,
                previous_mean_log_likelihood=self.lower_bound_,
                sample_weight=sample_weight, frozen=self.frozen)
        return engine_class(X)(
            X,
            self.n_components,
            covariance_type=self.covariance_type,
            init=self.init_params,
            reg_covar=self.reg_covar,
            tol=self.tol,
            random_state=random_state,
            weights_init=self.weights_init,
            means_init=self.means_init,
            precisions_init=self.precisions_init,
            sample_weight=sample_weight,
            frozen=self.frozen,
        )

    def _print_iterations(self, bounds, converged):
        previous = -np.inf
        for n_iter, bound in enumerate(bounds, start=1):
            if n_iter % self.verbose_interval == 0:
                if self.verbose >= 2:
                    print(f"  Iteration {n_iter}\t ll change {bound - previous:.5f}")
                else:
                    print(f"  Iteration {n_iter}")
            previous = bound
        print(f"Initialization {'converged' if converged else 'did not converge'}.")

    def _set_parameters(self, params: MixtureParameters, dtype):
        self.weights_ = np.array(params.weights, dtype=dtype)
        self.means_ = np.array(params.means, dtype=dtype)
        self.covariances_ = np.array(params.covariances, dtype=dtype)
        self.precisions_cholesky_ = np.array(params.precisions_cholesky, dtype=dtype)
        self.precisions_ = np.array(params.precisions, dtype=dtype)

    def _params(self):
        return MixtureParameters(
            self.weights_, self.means_, self.covariances_, self.precisions_cholesky_,
            self.covariance_type,
        )

    def _validated(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return np.ascontiguousarray(X, dtype=np.float64), _result_dtype(X)

    # ----------------------------------------------------------------------------------

    def score_samples(self, X):
        """Log-density of the mixture at each sample, shape (n_samples,)."""
        if v.is_dask_array(X):
            return self._dask_rowwise(X, "score_samples")
        X, dtype = self._validated(X)  # before _params(): unfitted raises NotFittedError
        return self._params().score_samples(X).astype(dtype, copy=False)

    def score(self, X, y=None, sample_weight=None):
        """Mean log-likelihood per sample of ``X`` (weighted mean with ``sample_weight``)."""
        scores = self.score_samples(X)
        if sample_weight is None:
            return float(np.mean(scores))
        w = _checked_weights(sample_weight, scores.shape[0])
        return float((scores.astype(np.float64) * w).sum() / w.sum())

    def predict(self, X):
        """Most probable component of each sample, shape (n_samples,)."""
        if v.is_dask_array(X):
            return self._dask_rowwise(X, "predict")
        X, _ = self._validated(X)
        return self._params().predict(X)

    def predict_proba(self, X):
        """Responsibilities of each component for each sample, shape (n_samples, K)."""
        if v.is_dask_array(X):
            return self._dask_rowwise(X, "responsibilities")
        X, dtype = self._validated(X)
        resp = np.empty((len(X), self.n_components))
        estep(X, self._params(), responsibilities_out=resp, statistics=False)
        return resp.astype(dtype, copy=False)

    def sample(self, n_samples=1):
        """Draw ``n_samples`` points; returns ``(X, y)`` with component labels ``y``."""
        check_is_fitted(self)
        if n_samples < 1:
            raise ValueError(
                f"Invalid value for 'n_samples': {n_samples}. The sampling requires at "
                "least one sample."
            )
        rng = check_random_state(self.random_state)
        counts = rng.multinomial(n_samples, self.weights_)
        X = covariance_type(self.covariance_type).sample(rng, self.means_, self.covariances_,
                                                         counts)
        y = np.concatenate([np.full(s, j, dtype=int) for j, s in enumerate(counts)])
        return X, y

    def _n_parameters(self):
        return n_parameters(self.n_components, self.means_.shape[1], self.covariance_type)

    def _total_weight(self, X, sample_weight):
        if sample_weight is None:
            return X.shape[0]
        return float(_checked_weights(sample_weight, X.shape[0]).sum())

    def bic(self, X, sample_weight=None):
        """Bayesian information criterion on ``X`` (lower is better).

        With ``sample_weight`` the sample size is Σ w_i (the BIC of the repeated rows).
        """
        n = self._total_weight(X, sample_weight)
        return -2 * self.score(X, sample_weight=sample_weight) * n + (
            self._n_parameters() * math.log(n))

    def aic(self, X, sample_weight=None):
        """Akaike information criterion on ``X`` (lower is better)."""
        n = self._total_weight(X, sample_weight)
        return -2 * self.score(X, sample_weight=sample_weight) * n + 2 * self._n_parameters()


def _checked_weights(sample_weight, n):
    """Weights for scoring: NumPy (a dask array of weights is computed: n numbers)."""
    if v.is_dask_array(sample_weight):
        sample_weight = sample_weight.compute()
    return v.check_sample_weight(sample_weight, n)


def _result_dtype(X):
    """float32 results for float32 data (as scikit-learn), float64 otherwise."""
    return np.float32 if X.dtype == np.float32 else np.float64
