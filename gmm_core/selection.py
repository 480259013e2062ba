"""Model selection: BIC, AIC and held-out log-likelihood over a grid of K × covariance type."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from . import _validation as v
from .covariance import COVARIANCE_TYPES
from .mixture import GaussianMixture


def compare_models(
    X,
    n_components_range=range(1, 7),
    covariance_types=COVARIANCE_TYPES,
    *,
    test_fraction=0.25,
    n_init=1,
    random_state=0,
    **fit_params,
) -> pd.DataFrame:
    """Fit every (K, covariance type) and score it three ways.

    BIC and AIC come from a fit on all of ``X``; the held-out score is the mean
    log-likelihood per sample of a random ``test_fraction`` of the rows under a model fitted
    on the rest (the same split for every row of the table).

    Parameters
    ----------
    X : array-like of shape (n_samples,) or (n_samples, n_features)
    n_components_range : iterable of int
    covariance_types : iterable of str
    test_fraction : float in (0, 1)
    n_init, random_state, **fit_params
        Passed to :class:`~gmm_core.GaussianMixture`.

    Returns
    -------
    pandas.DataFrame
        One row per model, columns ``n_components``, ``covariance_type``,
        ``n_parameters``, ``log_likelihood`` (total, all data), ``bic``, ``aic``,
        ``heldout_log_likelihood`` (mean per test sample), ``converged``, ``n_iter``; sorted
        by BIC (best first). Models that cannot be fitted (K larger than the training
        rows, collapsed components) have NaN scores and the reason in ``error``.
    """
    X = v.check_data(X)
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}.")
    rng = np.random.default_rng(random_state)
    order = rng.permutation(len(X))
    n_test = max(1, int(round(test_fraction * len(X))))
    test, train = X[order[:n_test]], X[order[n_test:]]
    rows = []
    for k in n_components_range:
        for cov_type in covariance_types:
            row = dict(n_components=int(k), covariance_type=cov_type)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    model = GaussianMixture(k, covariance_type=cov_type, n_init=n_init,
                                            random_state=random_state, **fit_params).fit(X)
                    held = GaussianMixture(k, covariance_type=cov_type, n_init=n_init,
                                           random_state=random_state, **fit_params).fit(train)
                row.update(
                    n_parameters=model._n_parameters(),
                    log_likelihood=model.score(X) * len(X),
                    bic=model.bic(X),
                    aic=model.aic(X),
                    heldout_log_likelihood=held.score(test),
                    converged=model.converged_,
                    n_iter=model.n_iter_,
                    error="",
                )
            except ValueError as exc:
                row.update(n_parameters=np.nan, log_likelihood=np.nan, bic=np.nan,
                           aic=np.nan, heldout_log_likelihood=np.nan, converged=False,
                           n_iter=0, error=str(exc))
            rows.append(row)
    table = pd.DataFrame(rows)
    return table.sort_values("bic", na_position="last", kind="stable").reset_index(drop=True)
