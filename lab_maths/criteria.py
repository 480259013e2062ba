"""Model selection maths: BIC, AIC and ICL over a K × covariance-type grid, degenerate-fit
detection, held-out log-likelihood curves and a Dirichlet-process fit.

Pure NumPy/SciPy/scikit-learn/pandas (no Streamlit or Plotly); uses only gmm_core's public
names. Every criterion is in scikit-learn's sign: **lower is better**.

* ``BIC = −2 log L + p log n`` and ``AIC = −2 log L + 2 p`` (``p`` free parameters), exactly
  scikit-learn's ``GaussianMixture.bic`` / ``aic``.
* **At the maximum**: each fit runs with the page's ``tol``, then goes on from there to the
  maximum: SQUAREM-accelerated EM (:func:`gmm_core.squarem.squarem`, Varadhan & Roland
  2008: an extrapolation of two EM steps, kept only when one more EM step from it beats
  plain EM, so the likelihood never drops),
  then plain EM (:func:`gmm_core.convergence.check_stop`) until the mean log-likelihood
  changes by less than ``EXACT_TOL`` = 1e-8 per iteration. A criterion compares maxima of
  the likelihood (what mclust publishes), not wherever a loose ``tol`` stopped (on Old
  Faithful that was 0.7 of BIC off).
* ``ICL = BIC + 2 E`` with ``E = −Σᵢ log γ_{i ẑᵢ}`` (``ẑᵢ`` = the most responsible component
  of point i). This is mclust's ``icl()`` (``BIC_mclust + 2 Σᵢₖ Cᵢₖ log zᵢₖ`` with the hard
  assignment matrix ``C``, higher-is-better there) turned into scikit-learn's sign; ``E ≥ 0``,
  so ICL ≥ BIC, and overlapping components (uncertain assignments) are penalised.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import linalg
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture
from sklearn.model_selection import KFold, ShuffleSplit

from gmm_core import (
    COVARIANCE_TYPES,
    GaussianMixture,
    MixtureParameters,
    n_parameters,
)
from gmm_core.convergence import MAX_EXTRA_ITERATIONS, check_stop
from gmm_core.squarem import squarem

#: mclust's names of scikit-learn's covariance types (volume, shape, orientation).
MCLUST_NAMES = {"spherical": "VII", "diag": "VVI", "tied": "EEE", "full": "VVV"}
CRITERIA = ("bic", "aic", "icl")
CRITERION_NAMES = {"bic": "BIC", "aic": "AIC", "icl": "ICL"}
#: A component is degenerate when it holds fewer than d + 1 points' worth of responsibility
#: (N_z < d + 1: too few points to span a d-dimensional ellipse), or when its variance in some
#: direction is below this fraction of the data's variance in that direction. A spike on tied
#: values sits at reg_covar: ~5e-9 of the data's on Old Faithful, ~2e-6 on iris petals.
#: Honest thin clusters go far lower than 1e-3: the article example's stretched half
#: (N_z = 300 of 600) is 1.1e-4 of the whole data's variance in its thin direction, and its
#: pieces at K = 7…10 reach 2e-4; so the line is drawn at 1e-5.
DEGENERATE_VARIANCE_RATIO = 1e-5
K_RANGE = tuple(range(1, 11))
#: The criteria are read at |Δ mean log-likelihood| < EXACT_TOL (a fixed point of EM).
EXACT_TOL = 1e-8
#: Rows × iterations one fit may spend going on to the maximum (1,000 rows: 2,000).
EXACT_BUDGET = 20_000_000


# --------------------------------------------------------------------------------------
# Criteria and degeneracy of one fitted model


def assignment_entropy(responsibilities) -> float:
    """``E = −Σᵢ log γ_{i ẑᵢ}``: mclust's ICL term (0 when every point is assigned surely)."""
    resp = np.asarray(responsibilities, dtype=float)
    top = resp.max(axis=1)
    with np.errstate(divide="ignore"):
        return float(-np.sum(np.where(top > 0, np.log(top), 0.0)))


def icl(bic: float, responsibilities) -> float:
    """Integrated completed likelihood in scikit-learn's sign: ``BIC + 2 E`` (lower is better)."""
    return float(bic + 2.0 * assignment_entropy(responsibilities))


def _data_covariance(X) -> np.ndarray:
    S = np.atleast_2d(np.cov(X, rowvar=False))
    # A constant column would make S singular; a tiny ridge keeps the ratio defined.
    return S + max(np.trace(S) / len(S) * 1e-12, 1e-300) * np.eye(len(S))


def variance_ratios(params: MixtureParameters, X) -> np.ndarray:
    """Per component, the smallest ``vᵀ Σ_z v / vᵀ S v`` over directions v (S = the data's
    covariance): how thin the component is compared with the data, shape (K,)."""
    S = _data_covariance(np.asarray(X, dtype=float))
    return np.array([linalg.eigh(c, S, eigvals_only=True)[0]
                     for c in params.full_covariances()])


@dataclass(frozen=True)
class Degeneracy:
    """Why a fit is degenerate (``reasons`` empty when it is not)."""

    nk: np.ndarray
    ratios: np.ndarray
    reasons: tuple[str, ...]

    @property
    def degenerate(self) -> bool:
        return bool(self.reasons)


def degeneracy(params: MixtureParameters, X, nk, *,
               ratio=DEGENERATE_VARIANCE_RATIO) -> Degeneracy:
    """Flag components with N_z < d + 1 or a variance below ``ratio`` × the data's in some
    direction."""
    d = params.n_features
    nk = np.asarray(nk, dtype=float)
    ratios = variance_ratios(params, X)
    reasons = []
    for z in range(params.n_components):
        if nk[z] < d + 1:
            reasons.append(f"component {z + 1} has N_z = {nk[z]:.2g} < d + 1 = {d + 1} points")
        elif ratios[z] < ratio:
            reasons.append(f"component {z + 1} holds N_z = {nk[z]:.3g} points and its variance "
                           f"in one direction is {ratios[z]:.1e} × the data's")
    return Degeneracy(nk, ratios, tuple(reasons))


# --------------------------------------------------------------------------------------
# The K × covariance-type grid


@dataclass
class GridResult:
    """``table``: one row per (K, covariance type); ``models``: fitted parameters by
    ``(K, covariance_type)`` (only the cells that could be fitted)."""

    table: pd.DataFrame
    models: dict = field(default_factory=dict)


def plain_error(exc: Exception, k: int, n: int) -> str:
    """A fitting failure in plain words."""
    text = str(exc)
    if "n_samples >= n_components" in text:
        return f"K = {k} is more than the {n} data points: no fit."
    if "ill-defined empirical covariance" in text:
        return ("a component collapsed onto too few points, so its covariance became "
                "singular: raise reg_covar or lower K.")
    return text


def fit_one(X, k, covariance_type, *, exact=True, **fit_params
            ) -> tuple[dict, MixtureParameters]:
    """Fit one model with :class:`gmm_core.GaussianMixture`; its row of the grid table.

    ``exact``: go on from the ``tol`` stop to the maximum: :func:`squarem` to a cycle gain
    below ``EXACT_TOL / 10`` per sample, then plain EM
    (:func:`~gmm_core.convergence.check_stop`) until |Δ mean log-likelihood| <
    ``EXACT_TOL`` within ``EXACT_BUDGET`` rows × iterations; ``at_maximum`` says whether it
    got there. ``extra_iterations`` counts the passes over the data after the stop.
    """
    n, d = X.shape
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = GaussianMixture(k, covariance_type=covariance_type, **fit_params).fit(X)
    params = MixtureParameters(model.weights_, model.means_, model.covariances_,
                               model.precisions_cholesky_, covariance_type)
    n_iter, at_maximum, extra = int(model.n_iter_), False, 0
    if exact:
        reg_covar = fit_params.get("reg_covar", 1e-6)
        run_tol = fit_params.get("tol", 1e-3)
        try:
            climbed, extra = squarem(X, params, reg_covar=reg_covar, tol=EXACT_TOL / 10)
            # plain EM certifies it: |Δ mean log-likelihood| < EXACT_TOL
            check = check_stop(X, climbed, run_tol=run_tol, reg_covar=reg_covar,
                               tol=EXACT_TOL,
                               budget=min(EXACT_BUDGET, n * MAX_EXTRA_ITERATIONS))
        except ValueError:  # a component collapsing on the way (reg_covar = 0)
            check = None
        if check is not None and not check.error:  # else: the rule's fit, not at_maximum
            params, at_maximum = check.params, check.settled
            extra += check.extra_iterations
    log_likelihood = params.log_likelihood(X)
    p = n_parameters(k, d, covariance_type)
    bic = -2 * log_likelihood + p * np.log(n)  # scikit-learn's GaussianMixture.bic
    resp = params.responsibilities(X)
    flag = degeneracy(params, X, resp.sum(axis=0))
    row = dict(
        n_parameters=p,
        log_likelihood=log_likelihood,
        bic=bic, aic=-2 * log_likelihood + 2 * p, icl=icl(bic, resp),
        entropy=assignment_entropy(resp),
        converged=bool(model.converged_), n_iter=n_iter + extra,
        extra_iterations=extra, at_maximum=bool(at_maximum),
        degenerate=flag.degenerate, reason="; ".join(flag.reasons),
        min_nk=float(flag.nk.min()), min_variance_ratio=float(flag.ratios.min()),
        error="", seconds=time.perf_counter() - start,
    )
    return row, params


def fit_grid(X, n_components_range=K_RANGE, covariance_types=COVARIANCE_TYPES, *,
             n_init=1, random_state=0, init_params="kmeans", tol=1e-3, reg_covar=1e-6,
             max_iter=100, progress=None, exact=True) -> GridResult:
    """Fit every (K, covariance type); a cell that cannot be fitted gets NaN scores and
    its reason in plain words in ``error``. With ``exact`` (the default) each fit goes on
    from its ``tol`` stop to the maximum (see :func:`fit_one`).

    ``progress(done, total, label)`` is called after each fit. The thread policy is the
    caller's (the app runs one BLAS thread: threads fight over small matrices on a shared
    machine, 30× slower here).
    """
    X = np.ascontiguousarray(X, dtype=np.float64)
    fit_params = dict(n_init=n_init, random_state=random_state, init_params=init_params,
                      tol=tol, reg_covar=reg_covar, max_iter=max_iter)
    cells = [(int(k), c) for k in n_components_range for c in covariance_types]
    rows, models = [], {}
    for done, (k, cov) in enumerate(cells, start=1):
        row = dict(n_components=k, covariance_type=cov, mclust=MCLUST_NAMES[cov])
        try:
            values, params = fit_one(X, k, cov, exact=exact, **fit_params)
            row.update(values)
            models[(k, cov)] = params
        except (ValueError, np.linalg.LinAlgError, FloatingPointError) as exc:
            row.update(n_parameters=n_parameters(k, X.shape[1], cov),
                       log_likelihood=np.nan, bic=np.nan, aic=np.nan, icl=np.nan,
                       entropy=np.nan, converged=False, n_iter=0, extra_iterations=0,
                       at_maximum=False, degenerate=False,
                       reason="", min_nk=np.nan, min_variance_ratio=np.nan,
                       error=plain_error(exc, k, len(X)), seconds=np.nan)
        rows.append(row)
        if progress is not None:
            progress(done, len(cells), f"K = {k}, {cov}")
    return GridResult(pd.DataFrame(rows), models)


def best_row(table: pd.DataFrame, criterion: str, *, include_degenerate=False):
    """Index of the row with the lowest ``criterion`` (degenerate fits left out unless
    ``include_degenerate``); None if no row qualifies."""
    candidates = table[table[criterion].notna()]
    if not include_degenerate:
        candidates = candidates[~candidates["degenerate"].astype(bool)]
    if candidates.empty:
        return None
    return candidates[criterion].idxmin()


def covariance_type_summary(table: pd.DataFrame, k: int, n_samples: int) -> pd.DataFrame:
    """The four covariance types at one K: free parameters, BIC penalty ``p log n``,
    log-likelihood, BIC and mclust's name."""
    rows = table[table["n_components"] == k].set_index("covariance_type")
    out = pd.DataFrame({
        "mclust": [MCLUST_NAMES[c] for c in rows.index],
        "free parameters": rows["n_parameters"].astype(int),
        "BIC penalty p·log n": rows["n_parameters"] * np.log(n_samples),
        "log-likelihood": rows["log_likelihood"],
        "BIC": rows["bic"],
    }, index=rows.index)
    out.index.name = "covariance type"
    return out


# --------------------------------------------------------------------------------------
# Held-out log-likelihood


def cross_validation_curve(X, n_components_range=K_RANGE, covariance_type="full", *,
                           method="kfold", n_splits=5, test_size=0.25, random_state=0,
                           progress=None, **fit_params) -> pd.DataFrame:
    """Mean log-likelihood per point on the training and the validation rows, against K.

    ``method="kfold"``: scikit-learn's ``KFold(n_splits, shuffle=True)``; ``"split"``: one
    ``ShuffleSplit`` with ``test_size``. Columns ``n_components``, ``train``, ``validation``
    (means over folds), ``train_std``, ``validation_std``, ``n_folds`` (folds that could be
    fitted). A K no fold can fit has NaN scores.
    """
    X = np.ascontiguousarray(X, dtype=np.float64)
    splits = held_out_splits(X, method=method, n_splits=n_splits, test_size=test_size,
                             random_state=random_state)
    ks = [int(k) for k in n_components_range]
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for i, k in enumerate(ks, start=1):
            train, valid = [], []
            for tr, va in splits:
                try:
                    model = GaussianMixture(k, covariance_type=covariance_type,
                                            random_state=random_state, **fit_params).fit(X[tr])
                except (ValueError, np.linalg.LinAlgError, FloatingPointError):
                    continue
                train.append(model.score(X[tr]))
                valid.append(model.score(X[va]))
            rows.append(dict(n_components=k, train=_mean(train), validation=_mean(valid),
                             train_std=_std(train), validation_std=_std(valid),
                             n_folds=len(train)))
            if progress is not None:
                progress(i, len(ks), f"K = {k}")
    return pd.DataFrame(rows)


def held_out_splits(X, *, method="kfold", n_splits=5, test_size=0.25, random_state=0):
    """The (train, validation) row indices of :func:`cross_validation_curve`: the one
    held-out machinery of Model selection and Applications → Density (issue 24)."""
    if method == "kfold":
        splitter = KFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    elif method == "split":
        splitter = ShuffleSplit(n_splits=1, test_size=test_size, random_state=random_state)
    else:
        raise ValueError(f"method must be 'kfold' or 'split', got {method!r}.")
    return list(splitter.split(X))


def _mean(values):
    return float(np.mean(values)) if values else np.nan


def _std(values):
    return float(np.std(values)) if values else np.nan


# --------------------------------------------------------------------------------------
# Let the data decide: a Dirichlet-process mixture


EFFECTIVE_WEIGHT = 0.01


@dataclass(frozen=True)
class DirichletFit:
    weights: np.ndarray
    params: MixtureParameters
    effective_k: int
    converged: bool


def active_components(params: MixtureParameters, threshold=EFFECTIVE_WEIGHT) -> MixtureParameters:
    """Only the components with weight ≥ ``threshold`` (weights not renormalised)."""
    keep = np.flatnonzero(params.weights >= threshold)
    if params.kind.shared:
        covs, chol = params.covariances, params.precisions_cholesky
    else:
        covs, chol = params.covariances[keep], params.precisions_cholesky[keep]
    return MixtureParameters(params.weights[keep], params.means[keep], covs, chol,
                             params.covariance_type)


def dirichlet_process_fit(X, weight_concentration_prior, *, n_components=10,
                          covariance_type="full", random_state=0, max_iter=500,
                          threshold=EFFECTIVE_WEIGHT) -> DirichletFit:
    """scikit-learn's ``BayesianGaussianMixture`` with a Dirichlet-process prior; the
    effective K counts the components with weight ≥ ``threshold``."""
    X = np.ascontiguousarray(X, dtype=np.float64)
    model = BayesianGaussianMixture(
        n_components=min(n_components, len(X)), covariance_type=covariance_type,
        weight_concentration_prior_type="dirichlet_process",
        weight_concentration_prior=weight_concentration_prior,
        max_iter=max_iter, random_state=random_state)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X)
    params = MixtureParameters(model.weights_, model.means_, model.covariances_,
                               model.precisions_cholesky_, covariance_type)
    weights = np.array(model.weights_)
    return DirichletFit(weights, params, int(np.sum(weights >= threshold)),
                        bool(model.converged_))
