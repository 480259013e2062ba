"""The M-step: new weights, means and covariances from sufficient statistics; the ELBO.

The plain dense version of the same formulas is :func:`gmm_core.reference.m_step`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .covariance import ILL_DEFINED_COVARIANCE
from .covariance import covariance_type as _covariance_type
from .estep import default_chunk_size, logsumexp_rows
from .frozen import Frozen, held_covariances, held_means_scatter, held_weights
from .parameters import MixtureParameters
from .statistics import SufficientStatistics

#: Below this N_z (effective number of points) a component is reported as collapsed.
COLLAPSE_THRESHOLD = 1e-3

_EPS10 = 10 * np.finfo(np.float64).eps


@dataclass(frozen=True)
class MStepResult:
    """An M-step's new parameters and what it noticed.

    Attributes
    ----------
    params : MixtureParameters
    collapsed : tuple of int
        Components (0-based) with N_z below ``COLLAPSE_THRESHOLD``.
    regularized : tuple of int
        Components whose smallest variance was <= reg_covar before regularisation.
    singular : tuple of int
        With reg_covar = 0: components whose smallest variance is at the rounding-noise level
        of the data (collapsing onto a point or a line) but whose covariance still has a
        Cholesky factor, so EM goes on as scikit-learn does.
    """

    params: MixtureParameters
    collapsed: tuple[int, ...]
    regularized: tuple[int, ...]
    singular: tuple[int, ...] = ()


def mstep(
    stats: SufficientStatistics, covariance_type, reg_covar: float, data_scale: float,
    *, floor_singular: bool = False, frozen: Frozen | None = None,
    current: MixtureParameters | None = None,
) -> MStepResult:
    """New parameters from sufficient statistics (scikit-learn's estimates, centred form).

    Parameters
    ----------
    stats : SufficientStatistics
    covariance_type : str or CovarianceType
    reg_covar : float
        Added to the diagonal of every covariance.
    data_scale : float
        A variance at or below this is rounding noise (a singular covariance).
    floor_singular : bool
        With reg_covar = 0, give a component collapsing onto a point a variance of
        ``data_scale`` instead of failing (EM's own M-steps: scikit-learn's uncentred
        formulas leave rounding noise there and go on). Starts leave it False: a start from
        single points has an exactly zero variance, and scikit-learn fails there too.
    frozen : Frozen, optional
        Weights, means or covariances held at their values in ``current`` (the parameters
        the E-step used); see :mod:`gmm_core.frozen` for the M-step of the rest.

    Raises
    ------
    ValueError
        If a covariance is not positive-definite (its Cholesky factorisation fails), exactly
        where scikit-learn fails; with ``reg_covar == 0`` the message names the collapsing
        components and the fix. Before that, collapsing components are only flagged.
    """
    ct = _covariance_type(covariance_type)
    nk = stats.nk + _EPS10  # as scikit-learn: keeps empty components finite
    means = stats.sum_x / nk[:, None]
    scatter = stats.scatter
    if frozen:
        held, scatter = held_means_scatter(stats, frozen, current, ct)
        means[list(frozen.means)] = held[list(frozen.means)]
    k = len(nk)
    collapsed, singular, regularized = _noticed(stats, scatter, nk, ct, reg_covar, data_scale)
    # With reg_covar = 0, a component on one point has a centred variance of exactly 0,
    # while scikit-learn's uncentred E[x²] − E[x]² leaves rounding noise and goes on. A floor
    # at the data's rounding-noise level takes the same steps (flagged as singular). An
    # empty component (N_z ≈ 0) has no such noise in scikit-learn either: it fails there.
    floor = (data_scale if floor_singular and reg_covar == 0 and singular and not collapsed
             else reg_covar)
    covariances = ct.covariances_from_scatter(scatter, nk, floor)
    weights = nk / nk.sum()
    if frozen:
        weights = held_weights(nk, frozen, current)
        covariances = held_covariances(covariances, frozen, current, ct)
    try:
        params = MixtureParameters.from_covariances(weights, means, covariances, ct.name)
    except ValueError:
        if reg_covar > 0:
            raise
        bad = sorted(set(collapsed) | set(singular)) or list(range(k))
        raise ValueError(  # scikit-learn's sentence first, then which components
            f"{ILL_DEFINED_COVARIANCE} Component(s) {', '.join(str(i + 1) for i in bad)} "
            "collapsed onto too few points (singular covariance) and reg_covar=0 cannot keep "
            "them positive-definite: increase reg_covar (for example 1e-6)."
        ) from None
    return MStepResult(params, collapsed, regularized, singular if reg_covar == 0 else ())


def _noticed(stats, scatter, nk, ct, reg_covar, data_scale):
    """(collapsed, singular, regularized): the components with N_z below
    ``COLLAPSE_THRESHOLD``, with a smallest unregularised variance at the data's rounding
    noise, and at or below ``reg_covar``."""
    raw = ct.covariances_from_scatter(scatter, nk, 0.0)
    smallest = np.broadcast_to(ct.smallest_variances(raw), (len(nk),))  # tied: shared
    collapsed = tuple(int(i) for i in np.flatnonzero(stats.nk < COLLAPSE_THRESHOLD))
    singular = tuple(int(i) for i in np.flatnonzero(smallest <= data_scale))
    regularized = (
        tuple(int(i) for i in np.flatnonzero(smallest <= reg_covar)) if reg_covar > 0 else ()
    )
    return collapsed, singular, regularized


def lower_bound(X, params: MixtureParameters, resp, chunk_size=None, sample_weight=None):
    """ELBO Σ_i Σ_z γ_iz (log π_z + log N(x_i | θ_z) − log γ_iz) and the log-likelihood.

    With γ from the E-step on older parameters this is the bound the M-step maximised; it
    equals the log-likelihood when γ is the posterior under ``params``.

    Parameters
    ----------
    X : ndarray of shape (n, d)
    params : MixtureParameters
    resp : ndarray of shape (n, K)
    chunk_size : int, optional
    sample_weight : ndarray of shape (n,), optional
        Each row's terms count w_i times.

    Returns
    -------
    (float, float)
        The ELBO and the total log-likelihood of ``X`` under ``params``.
    """
    n, d = X.shape
    chunk = chunk_size or default_chunk_size(params.n_components, d)
    elbo = 0.0
    log_likelihood = 0.0
    for start in range(0, n, chunk):
        wlp = params.weighted_log_prob(X[start : start + chunk])
        gamma = resp[start : start + chunk]
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = gamma * (wlp - np.log(gamma))
        terms = np.where(gamma > 0, terms, 0.0).sum(axis=1)
        rows = logsumexp_rows(wlp)
        if sample_weight is None:
            elbo += float(terms.sum())
            log_likelihood += float(rows.sum())
        else:
            wc = sample_weight[start : start + chunk]
            elbo += float(terms @ wc)
            log_likelihood += float(rows @ wc)
    return elbo, log_likelihood
