"""Starting points of EM that are not scikit-learn's ``init_params``.

scikit-learn's own starts (k-means, k-means++, random, random_from_data) are in
:mod:`gmm_core.engine`; here is the start a user makes by placing the means.
"""

from __future__ import annotations

import numpy as np

from . import _validation as v
from ._gaussian import COVARIANCE_TYPES


def placed_means_start(X, n_components, covariance_type, means) -> dict:
    """A start from means the user placed: equal weights, round covariances of the data's scale.

    Each component gets the spherical variance s² = mean feature variance / K^(2/d), so K
    round components side by side cover about as much space as the data.

    Parameters
    ----------
    X : ndarray of shape (n, d)
    n_components : int
    covariance_type : {"full", "tied", "diag", "spherical"}
    means : array-like of shape (K, d)

    Returns
    -------
    dict
        ``weights_init``, ``means_init`` and ``precisions_init`` for :class:`EMEngine` or
        :class:`GaussianMixture`.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1:
        X = X[:, None]
    k = v.check_int(n_components, "n_components", minimum=1)
    covariance_type = v.check_choice(covariance_type, COVARIANCE_TYPES, "covariance_type")
    d = X.shape[1]
    means = v.check_means(means, k, d)
    var = float(X.var(axis=0).mean()) / k ** (2 / d)
    prec = 1.0 / max(var, 1e-12)
    precisions = {
        "full": np.stack([np.eye(d) * prec] * k),
        "tied": np.eye(d) * prec,
        "diag": np.full((k, d), prec),
        "spherical": np.full(k, prec),
    }[covariance_type]
    return dict(weights_init=np.full(k, 1.0 / k), means_init=means, precisions_init=precisions)
