"""Starting points of EM: scikit-learn's four ``init_params``, and means the user placed.

scikit-learn starts from responsibilities: one-hot k-means labels ("kmeans"), random
normalised rows ("random"), or one chosen point per component ("k-means++",
"random_from_data"), followed by an M-step. :func:`start_parameters` gives exactly its
starting parameters (the same draws for the same ``random_state``).
"""

from __future__ import annotations

import numpy as np
from sklearn.cluster import KMeans, kmeans_plusplus
from sklearn.utils import check_random_state

from . import _validation as v
from .covariance import COVARIANCE_TYPES, covariance_type
from .mstep import mstep
from .parameters import MixtureParameters
from .statistics import SufficientStatistics

_EPS10 = 10 * np.finfo(np.float64).eps


def _chosen_points(X, n_components, init, random_state):
    """Row indices of the K points that "k-means++" or "random_from_data" start from."""
    if init == "random_from_data":
        return random_state.choice(len(X), size=n_components, replace=False)
    _, indices = kmeans_plusplus(X, n_components, random_state=random_state)
    return indices


def initial_responsibilities(X, n_components, init, random_state):
    """Responsibilities of scikit-learn's initialisations (same draws for the same state).

    Parameters
    ----------
    X : ndarray of shape (n, d)
    n_components : int
    init : {"kmeans", "k-means++", "random", "random_from_data"}
    random_state : numpy.random.RandomState

    Returns
    -------
    ndarray of shape (n, K)
        For "k-means++" and "random_from_data" only the K chosen rows are non-zero
        (:func:`start_parameters` does not build this matrix for them).
    """
    n = len(X)
    if init == "random":
        resp = random_state.uniform(size=(n, n_components))
        resp /= resp.sum(axis=1)[:, None]
        return resp
    resp = np.zeros((n, n_components))
    if init == "kmeans":
        labels = (
            KMeans(n_clusters=n_components, n_init=1, random_state=random_state).fit(X).labels_
        )
        resp[np.arange(n), labels] = 1
    else:
        resp[_chosen_points(X, n_components, init, random_state), np.arange(n_components)] = 1
    return resp


def _chosen_points_statistics(X, indices, kind):
    """Statistics scikit-learn's start gets from one-hot responsibilities on ``indices``.

    Each component owns one point: N_z = 1, mean x_z, zero scatter. For "tied", scikit-learn
    estimates the covariance as (XᵀX − Σ_z N_z μ_z μ_zᵀ) / Σ_z N_z, which equals the pooled
    scatter only when every row of the responsibilities sums to 1; here the rows of the
    n − K unchosen points sum to 0, so its start also counts x xᵀ of every unchosen point.
    That term is added to reproduce scikit-learn's exact start. O(n d²), no n × K matrix.
    """
    k, d = len(indices), X.shape[1]
    chosen = X[indices]
    scatter = np.zeros((k, d, d) if kind.is_matrix else (k, d))
    if kind.shared:
        scatter[0] = X.T @ X - chosen.T @ chosen
    return SufficientStatistics(np.ones(k), chosen, scatter, len(X), np.nan)


def start_parameters(X, n_components, covariance_type, init, random_state, reg_covar,
                     data_scale) -> MixtureParameters:
    """scikit-learn's starting parameters for ``init_params=init``.

    Parameters
    ----------
    X : ndarray of shape (n, d), float64
    n_components : int
    covariance_type : str or CovarianceType
    init : {"kmeans", "k-means++", "random", "random_from_data"}
    random_state : numpy.random.RandomState
    reg_covar : float
    data_scale : float
        See :func:`gmm_core.mstep.mstep`.

    Returns
    -------
    MixtureParameters
        Weights N_z / n as scikit-learn's start (renormalised only by the first M-step).
    """
    kind = _covariance_type(covariance_type)
    if init in ("k-means++", "random_from_data"):
        indices = _chosen_points(X, n_components, init, random_state)
        stats = _chosen_points_statistics(X, indices, kind)
    else:
        resp = initial_responsibilities(X, n_components, init, random_state)
        stats = SufficientStatistics.from_responsibilities(X, resp, kind)
    start = mstep(stats, kind, reg_covar, data_scale).params
    weights = (stats.nk + _EPS10) / len(X)
    return MixtureParameters(weights, start.means, start.covariances,
                             start.precisions_cholesky, kind.name)


_covariance_type = covariance_type


def initial_parameters(X, n_components, covariance_type, init, random_state, reg_covar,
                       data_scale, weights_init=None, means_init=None, precisions_init=None):
    """The start of EM, as scikit-learn's: user-given parts, the rest from ``init``.

    ``weights_init``, ``means_init`` and ``precisions_init`` (scikit-learn's shapes) are
    checked here; when all three are given no initialisation runs. ``random_state`` is
    None, an int or a RandomState. Other arguments as :func:`start_parameters`.

    Returns
    -------
    MixtureParameters
    """
    k, d = n_components, X.shape[1]
    if weights_init is not None:
        weights_init = v.check_weights(weights_init, k)
    if means_init is not None:
        means_init = v.check_means(means_init, k, d)
    if precisions_init is not None:
        precisions_init = v.check_precisions(precisions_init, covariance_type, k, d)
    if weights_init is None or means_init is None or precisions_init is None:
        start = start_parameters(X, k, covariance_type, init, check_random_state(random_state),
                                 reg_covar, data_scale)
    weights = start.weights if weights_init is None else weights_init
    means = start.means if means_init is None else means_init
    if precisions_init is None:
        return MixtureParameters.from_covariances(weights, means, start.covariances,
                                                  covariance_type)
    return MixtureParameters.from_precisions(weights, means, precisions_init, covariance_type)


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
    precisions = _covariance_type(covariance_type).isotropic(prec, k, d)
    return dict(weights_init=np.full(k, 1.0 / k), means_init=means, precisions_init=precisions)
