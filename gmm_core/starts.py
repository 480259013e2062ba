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


def _chosen_points(X, n_components, init, random_state, sample_weight=None):
    """Row indices of the K points that "k-means++" or "random_from_data" start from.

    With ``sample_weight``: k-means++ draws with scikit-learn's weighted ``kmeans_plusplus``
    (the same draws pick the same points as on the rows repeated w_i times);
    random_from_data picks K distinct rows with probability ∝ w_i (unlike repeated rows it
    cannot pick one row twice, and it consumes different random draws).
    """
    if init == "random_from_data":
        p = None if sample_weight is None else sample_weight / sample_weight.sum()
        return random_state.choice(len(X), size=n_components, replace=False, p=p)
    _, indices = kmeans_plusplus(X, n_components, random_state=random_state,
                                 sample_weight=sample_weight)
    return indices


def _kmeans(n_components, random_state, X, sample_weight):
    """scikit-learn's k-means start; with weights, its tolerance as on repeated rows.

    KMeans scales ``tol`` by the *unweighted* mean variance of X; rows repeated w_i times
    have the weighted variance, so ``tol`` is rescaled to give the same absolute tolerance
    (and the same Lloyd iterations) as the repeated rows.
    """
    tol = 1e-4
    if sample_weight is not None:
        weighted = np.average((X - np.average(X, axis=0, weights=sample_weight)) ** 2,
                              axis=0, weights=sample_weight).mean()
        plain = X.var(axis=0).mean()
        tol = tol * weighted / plain if plain > 0 else tol
    km = KMeans(n_clusters=n_components, n_init=1, random_state=random_state, tol=tol)
    return km.fit(X, sample_weight=sample_weight).labels_


def initial_responsibilities(X, n_components, init, random_state, sample_weight=None):
    """Responsibilities of scikit-learn's initialisations (same draws for the same state).

    Parameters
    ----------
    X : ndarray of shape (n, d)
    n_components : int
    init : {"kmeans", "k-means++", "random", "random_from_data"}
    random_state : numpy.random.RandomState
    sample_weight : ndarray of shape (n,), optional
        Used by the k-means and k-means++ draws (see :func:`start_parameters`).

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
        resp[np.arange(n), _kmeans(n_components, random_state, X, sample_weight)] = 1
    else:
        chosen = _chosen_points(X, n_components, init, random_state, sample_weight)
        resp[chosen, np.arange(n_components)] = 1
    return resp


def _chosen_points_statistics(X, indices, kind, sample_weight=None):
    """Statistics scikit-learn's start gets from one-hot responsibilities on ``indices``.

    Each component owns one point: N_z = 1, mean x_z, zero scatter. For "tied", scikit-learn
    estimates the covariance as (XᵀX − Σ_z N_z μ_z μ_zᵀ) / Σ_z N_z, which equals the pooled
    scatter only when every row of the responsibilities sums to 1; here the rows of the
    n − K unchosen points sum to 0, so its start also counts x xᵀ of every unchosen point.
    That term is added to reproduce scikit-learn's exact start. O(n d²), no n × K matrix.
    With ``sample_weight`` the chosen point still counts once (one of its w_i copies) and
    the unchosen rows' term is Σ w_i x xᵀ: the start of the rows repeated w_i times.
    """
    k, d = len(indices), X.shape[1]
    chosen = X[indices]
    scatter = np.zeros((k, d, d) if kind.is_matrix else (k, d))
    if kind.shared:
        weighted = X if sample_weight is None else X * sample_weight[:, None]
        scatter[0] = weighted.T @ X - chosen.T @ chosen
    return SufficientStatistics(np.ones(k), chosen, scatter, len(X), np.nan)


def start_parameters(X, n_components, covariance_type, init, random_state, reg_covar,
                     data_scale, sample_weight=None) -> MixtureParameters:
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
    sample_weight : ndarray of shape (n,), optional
        Checked weights (:func:`gmm_core._validation.check_sample_weight`). "kmeans" and
        "k-means++" then give the start of the rows repeated w_i times with the same
        ``random_state`` (scikit-learn's weighted KMeans and kmeans_plusplus make the same
        draws); "random" draws one responsibility row per data row (weighted by w_i, not
        w_i independent draws) and "random_from_data" picks distinct rows with probability
        ∝ w_i, so those two differ from repeated rows.

    Returns
    -------
    MixtureParameters
        Weights N_z / n as scikit-learn's start (renormalised only by the first M-step);
        with weights n is Σ w_i.
    """
    kind = _covariance_type(covariance_type)
    if init in ("k-means++", "random_from_data"):
        indices = _chosen_points(X, n_components, init, random_state, sample_weight)
        stats = _chosen_points_statistics(X, indices, kind, sample_weight)
    else:
        resp = initial_responsibilities(X, n_components, init, random_state, sample_weight)
        if sample_weight is not None:
            resp *= sample_weight[:, None]
        stats = SufficientStatistics.from_responsibilities(X, resp, kind)
    start = mstep(stats, kind, reg_covar, data_scale).params
    total = len(X) if sample_weight is None else float(sample_weight.sum())
    weights = (stats.nk + _EPS10) / total
    return MixtureParameters(weights, start.means, start.covariances,
                             start.precisions_cholesky, kind.name)


_covariance_type = covariance_type


def initial_parameters(X, n_components, covariance_type, init, random_state, reg_covar,
                       data_scale, weights_init=None, means_init=None, precisions_init=None,
                       sample_weight=None):
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
                                 reg_covar, data_scale, sample_weight)
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
