"""``EMEngine``: one run of EM on one data set, one half-step at a time, with history.

Conventions (the same as scikit-learn's ``GaussianMixture``):

* One *iteration* is an E-step followed by an M-step.
* Convergence is checked at the E-step: it compares the mean (per-sample) log-likelihood of
  the current parameters with the one the previous E-step saw. When
  ``|Δ| < tol`` the run is converged; the M-step of that iteration still runs, so
  ``n_iter`` equals scikit-learn's ``n_iter_`` for the same start.
* ``m_step()`` needs responsibilities from an E-step on the current parameters. Called
  at any other time it raises ``RuntimeError`` saying to call ``e_step()`` first: an M-step
  from stale responsibilities would only recompute the parameters the app already shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans, kmeans_plusplus
from sklearn.utils import check_random_state

from . import _gaussian as g
from . import _validation as v
from ._estep import (
    MixtureParameters,
    SufficientStatistics,
    estep,
    lower_bound,
    mstep,
)

PHASES = ("init", "E", "M")


@dataclass(frozen=True, eq=False)
class EMRecord:
    """An immutable snapshot taken at the start and after every half-step.

    Attributes
    ----------
    index : int
        Position in ``EMEngine.history``.
    phase : {"init", "E", "M"}
    iteration : int
        The iteration this half-step belongs to (0 for the start).
    params : MixtureParameters
        Parameters in force after this half-step (an E-step leaves them unchanged).
    log_likelihood : float
        Total log-likelihood of the data under ``params``.
    n_samples : int
    lower_bound : float or None
        Evidence lower bound Σγ(log π N − log γ) of the responsibilities in force and
        ``params``; equals ``log_likelihood`` after an E-step; None where not computed
        (the start, and half-steps done by the fast path of ``run()``).
    change : float or None
        At an E-step: change of the mean log-likelihood since the previous E-step (the
        quantity compared with ``tol``); None elsewhere.
    converged : bool
        True once an E-step found ``|change| < tol``.
    nk : ndarray of shape (K,) or None
        N_z of the responsibilities in force (None at the start).
    collapsed : tuple of int
        Components (0-based) whose N_z fell below ``COLLAPSE_THRESHOLD`` at this M-step.
    regularized : tuple of int
        Components whose covariance has a variance <= reg_covar before regularisation,
        i.e. that stay positive-definite only thanks to ``reg_covar``.
    """

    index: int
    phase: str
    iteration: int
    params: MixtureParameters
    log_likelihood: float
    n_samples: int
    lower_bound: float | None = None
    change: float | None = None
    converged: bool = False
    nk: np.ndarray | None = None
    collapsed: tuple[int, ...] = ()
    regularized: tuple[int, ...] = ()

    def __post_init__(self):
        # Records are snapshots: N_z is read-only like the parameter arrays.
        if self.nk is not None:
            nk = np.array(self.nk, dtype=np.float64)
            nk.setflags(write=False)
            object.__setattr__(self, "nk", nk)

    @classmethod
    def from_parameters(cls, params: MixtureParameters, X, *, iteration=0, phase="M"):
        """A record of parameters found elsewhere (a restart's result, a loaded model), with
        the log-likelihood of ``X`` (n, d) under them."""
        X = np.asarray(X, dtype=np.float64)
        return cls(index=0, phase=phase, iteration=int(iteration), params=params,
                   log_likelihood=params.log_likelihood(X), n_samples=len(X))

    @property
    def weights(self):
        return self.params.weights

    @property
    def means(self):
        return self.params.means

    @property
    def covariances(self):
        return self.params.covariances

    @property
    def precisions_cholesky(self):
        return self.params.precisions_cholesky

    @property
    def covariance_type(self):
        return self.params.covariance_type

    @property
    def mean_log_likelihood(self) -> float:
        return self.log_likelihood / self.n_samples

    @property
    def n_iter(self) -> int:
        """Iterations completed when this record was taken."""
        return self.iteration - 1 if self.phase == "E" else self.iteration


def initial_responsibilities(X, n_components, init, random_state):
    """Responsibilities of scikit-learn's initialisations (same draws for the same state).

    Parameters
    ----------
    X : ndarray of shape (n, d)
    n_components : int
    init : {"kmeans", "k-means++", "random", "random_from_data"}
    random_state : numpy.random.RandomState
    """
    n = len(X)
    resp = np.zeros((n, n_components))
    if init == "kmeans":
        labels = (
            KMeans(n_clusters=n_components, n_init=1, random_state=random_state).fit(X).labels_
        )
        resp[np.arange(n), labels] = 1
    elif init == "random":
        resp = random_state.uniform(size=(n, n_components))
        resp /= resp.sum(axis=1)[:, None]
    elif init == "random_from_data":
        indices = random_state.choice(n, size=n_components, replace=False)
        resp[indices, np.arange(n_components)] = 1
    else:  # "k-means++"
        _, indices = kmeans_plusplus(X, n_components, random_state=random_state)
        resp[indices, np.arange(n_components)] = 1
    return resp


def _tied_unassigned_mass(X, resp, stats):
    """Reproduce scikit-learn's tied start for "k-means++" and "random_from_data".

    scikit-learn estimates the tied covariance as (XᵀX − Σ_z N_z μ_z μ_zᵀ) / Σ_z N_z, which
    equals the pooled scatter only when every row of ``resp`` sums to 1. Those two starts give
    responsibility to just K points, so its starting covariance also counts x xᵀ of every
    other point. Adding that term here gives scikit-learn's exact starting point.
    """
    unassigned = 1.0 - resp.sum(axis=1)
    if not np.any(unassigned > 0):
        return stats
    scatter = stats.scatter.copy()
    scatter[0] += (X * unassigned[:, None]).T @ X
    return SufficientStatistics(stats.nk, stats.means, scatter, stats.n_samples,
                                stats.log_likelihood)


class EMEngine:
    """Expectation-Maximization for a Gaussian mixture, steppable and rewindable.

    Parameters
    ----------
    X : array-like of shape (n_samples,) or (n_samples, n_features)
        Data; a 1-D array is one feature.
    n_components : int
        Number of mixture components K (1 <= K <= n_samples).
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
    init : {"kmeans", "k-means++", "random", "random_from_data"}, default="kmeans"
        How the starting parameters are chosen, exactly as scikit-learn's ``init_params``
        (the same ``random_state`` gives scikit-learn's starting point).
    reg_covar : float, default=1e-6
        Added to the diagonal of every covariance.
    tol : float, default=1e-3
        Convergence threshold on the change of the mean log-likelihood.
    random_state : None, int or numpy.random.RandomState
    weights_init, means_init, precisions_init : array-like, optional
        User-given start, as in scikit-learn; when all three are given no
        initialisation is run.
    chunk_size : int, optional
        Rows per chunk of the E-step pass.

    Attributes
    ----------
    history : list of EMRecord
    responsibilities : ndarray of shape (n_samples, K) or None
    """

    def __init__(
        self,
        X,
        n_components,
        *,
        covariance_type="full",
        init="kmeans",
        reg_covar=1e-6,
        tol=1e-3,
        random_state=None,
        weights_init=None,
        means_init=None,
        precisions_init=None,
        chunk_size=None,
        _start=None,
        _previous_mean_log_likelihood=-np.inf,
    ):
        self.n_components = v.check_int(n_components, "n_components", minimum=1)
        self.covariance_type = v.check_choice(covariance_type, g.COVARIANCE_TYPES,
                                              "covariance_type")
        self.init = v.check_choice(init, v.INIT_METHODS, "init")
        self.reg_covar = v.check_nonnegative_float(reg_covar, "reg_covar")
        self.tol = v.check_nonnegative_float(tol, "tol")
        self.chunk_size = None if chunk_size is None else v.check_int(
            chunk_size, "chunk_size", minimum=1)
        X = v.check_data(X, self.n_components)
        X.setflags(write=False)
        self._X = X
        self.n_samples, self.n_features = X.shape
        # Scale for the "numerically singular covariance" test: a variance below
        # (100 eps max|x|)² is rounding noise of the centred data, not spread.
        biggest = max(float(X.max()), -float(X.min()))
        self._data_scale = max((100 * np.finfo(float).eps * biggest) ** 2, np.finfo(float).tiny)

        if _start is None:
            _start = self._initial_parameters(random_state, weights_init, means_init,
                                              precisions_init)
        self._params = _start
        self._history: list[EMRecord] = []
        self._pending = None  # a record whose log-likelihood is not computed yet
        self._stats: SufficientStatistics | None = None  # from an E-step on current params
        self._resp = None
        self._resp_record = None  # index of the E record whose params gave self._resp
        self._resp_cache = {}  # responsibilities of earlier E records, for redrawing
        self._initial_mean_ll = float(_previous_mean_log_likelihood)
        self._prev_mean_ll = self._initial_mean_ll
        self._converged = False
        self._n_iter = 0
        self._defer(phase="init", iteration=0)

    # ----------------------------------------------------------------------------------
    # Set-up

    def _initial_parameters(self, random_state, weights_init, means_init, precisions_init):
        k, d, cov_type = self.n_components, self.n_features, self.covariance_type
        if weights_init is not None:
            weights_init = v.check_weights(weights_init, k)
        if means_init is not None:
            means_init = v.check_means(means_init, k, d)
        if precisions_init is not None:
            precisions_init = v.check_precisions(precisions_init, cov_type, k, d)
        weights = means = covariances = None
        if weights_init is None or means_init is None or precisions_init is None:
            rng = check_random_state(random_state)
            resp = initial_responsibilities(self._X, k, self.init, rng)
            stats = SufficientStatistics.from_responsibilities(self._X, resp, cov_type)
            if cov_type == "tied":
                stats = _tied_unassigned_mass(self._X, resp, stats)
            start = mstep(stats, cov_type, self.reg_covar, self._data_scale).params
            # scikit-learn's start: weights N_z / n (not renormalised until the first M-step)
            weights = (stats.nk + 10 * np.finfo(float).eps) / self.n_samples
            means, covariances = start.means, start.covariances
        if weights_init is not None:
            weights = weights_init
        if means_init is not None:
            means = means_init
        if precisions_init is None:
            return MixtureParameters.from_covariances(weights, means, covariances, cov_type)
        chol = g.precision_cholesky_from_precisions(precisions_init, cov_type)
        return MixtureParameters(
            weights, means, g.covariances_from_cholesky(chol, cov_type), chol, cov_type
        )

    # ----------------------------------------------------------------------------------
    # Public state

    @property
    def X(self) -> np.ndarray:
        """The data as a read-only (n_samples, n_features) float64 array."""
        return self._X

    @property
    def params(self) -> MixtureParameters:
        return self._params

    @property
    def weights(self):
        return self._params.weights

    @property
    def means(self):
        return self._params.means

    @property
    def covariances(self):
        return self._params.covariances

    @property
    def precisions_cholesky(self):
        return self._params.precisions_cholesky

    @property
    def n_iter(self) -> int:
        """Completed iterations (E-step + M-step pairs)."""
        return self._n_iter

    @property
    def converged(self) -> bool:
        return self._converged

    @property
    def next_phase(self) -> str:
        """"E" or "M": which half-step comes next."""
        return "M" if self._stats is not None else "E"

    @property
    def history(self) -> tuple[EMRecord, ...]:
        self._flush()
        return tuple(self._history)

    @property
    def current(self) -> EMRecord:
        """The latest record."""
        self._flush()
        return self._history[-1]

    @property
    def log_likelihood(self) -> float:
        """Total log-likelihood of the data under the current parameters."""
        return self.current.log_likelihood

    @property
    def responsibilities(self):
        """Responsibilities in force, (n_samples, K): from the latest E-step; None before."""
        if self._resp_record is None:
            return None
        if self._resp is None:
            self._resp = self._history[self._resp_record].params.responsibilities(self._X)
            self._resp.setflags(write=False)
        return self._resp

    # ----------------------------------------------------------------------------------
    # Half-steps

    def e_step(self) -> EMRecord:
        """Responsibilities γ_iz ∝ π_z N(x_i | μ_z, Σ_z) under the current parameters."""
        if self._stats is not None:
            raise RuntimeError(
                "An E-step was already done for the current parameters: call m_step() next "
                "(or step() to finish the iteration)."
            )
        resp = np.empty((self.n_samples, self.n_components))
        stats = estep(self._X, self._params, responsibilities_out=resp,
                      chunk_size=self.chunk_size)
        resp.setflags(write=False)
        self._record_e(stats)
        self._resp = resp
        return self._history[-1]

    def m_step(self) -> EMRecord:
        """New π, μ, Σ from the responsibilities of the last E-step; ends the iteration."""
        if self._stats is None:
            raise RuntimeError(
                "m_step() needs responsibilities from an E-step on the current parameters: "
                "call e_step() first (or step() to do both)."
            )
        resp = self.responsibilities
        result = mstep(self._stats, self.covariance_type, self.reg_covar, self._data_scale)
        elbo, log_likelihood = lower_bound(self._X, result.params, resp, self.chunk_size)
        self._apply_m(result)
        self._finish(log_likelihood, elbo)
        return self._history[-1]

    def step(self) -> EMRecord:
        """One full iteration: E-step then M-step (only the M-step if an E-step is pending)."""
        if self._stats is None:
            self.e_step()
        return self.m_step()

    def run(self, max_iter=100, *, _finalize=True) -> EMRecord:
        """Iterate until converged or until ``n_iter`` reaches ``max_iter``.

        ``max_iter`` counts every iteration of this run, including those already done, as
        scikit-learn's ``max_iter`` does for one fit. Uses the fast path: one pass over the
        data per iteration, responsibilities not stored (``responsibilities`` recomputes
        them on demand).
        """
        max_iter = v.check_int(max_iter, "max_iter", minimum=0)
        if self._stats is not None and self._n_iter < max_iter:
            self.m_step()
        while not self._converged and self._n_iter < max_iter:
            stats = estep(self._X, self._params, chunk_size=self.chunk_size)
            self._record_e(stats)
            self._resp = None
            self._apply_m(mstep(stats, self.covariance_type, self.reg_covar, self._data_scale))
        if _finalize:
            self._flush()
        return self._history[-1] if self._pending is None else None

    # ----------------------------------------------------------------------------------
    # History

    def rewind(self, index: int) -> EMRecord:
        """Go back to ``history[index]`` and drop what came after; stepping continues from it.

        Replaying the same half-steps afterwards reproduces the same records.
        """
        self._flush()
        n = len(self._history)
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
            raise ValueError(f"index must be an integer in [0, {n - 1}], got {index!r}.")
        index = int(index) + (n if index < 0 else 0)
        if not 0 <= index < n:
            raise ValueError(f"index must be in [0, {n - 1}], got {index}.")
        del self._history[index + 1 :]
        record = self._history[index]
        self._params = record.params
        self._converged = record.converged
        self._n_iter = record.n_iter
        e_records = [r for r in self._history if r.phase == "E"]
        self._prev_mean_ll = (
            e_records[-1].mean_log_likelihood if e_records else self._initial_mean_ll
        )
        self._resp_record = e_records[-1].index if e_records else None
        self._resp = None
        self._resp_cache.clear()
        self._stats = None
        if record.phase == "E":
            resp = np.empty((self.n_samples, self.n_components))
            self._stats = estep(self._X, self._params, responsibilities_out=resp,
                                chunk_size=self.chunk_size)
            resp.setflags(write=False)
            self._resp = resp
        return record

    # ----------------------------------------------------------------------------------
    # Internals

    def _record_e(self, stats: SufficientStatistics):
        self._finish(stats.log_likelihood)
        mean_ll = stats.log_likelihood / self.n_samples
        change = mean_ll - self._prev_mean_ll
        self._prev_mean_ll = mean_ll
        self._converged = bool(abs(change) < self.tol)
        self._stats = stats
        self._append(
            phase="E",
            iteration=self._n_iter + 1,
            log_likelihood=stats.log_likelihood,
            lower_bound=stats.log_likelihood,
            change=float(change),
            nk=stats.nk.copy(),
        )
        self._resp_record = len(self._history) - 1

    def _apply_m(self, result):
        nk = self._stats.nk.copy()
        self._params = result.params
        self._stats = None
        self._n_iter += 1
        self._defer(
            phase="M",
            iteration=self._n_iter,
            nk=nk,
            collapsed=result.collapsed,
            regularized=result.regularized,
        )

    def _defer(self, **fields):
        self._pending = fields

    def _finish(self, log_likelihood, elbo=None):
        """Complete the pending record with the log-likelihood of the current parameters."""
        if self._pending is not None:
            fields, self._pending = self._pending, None
            self._append(log_likelihood=log_likelihood, lower_bound=elbo, **fields)

    def _flush(self):
        if self._pending is not None:
            self._finish(self._params.log_likelihood(self._X))

    def _append(self, **fields):
        fields.setdefault("converged", self._converged)
        self._history.append(
            EMRecord(index=len(self._history), params=self._params, n_samples=self.n_samples,
                     **fields)
        )

    def responsibilities_at(self, index: int):
        """Responsibilities in force at ``history[index]`` (n_samples, K), or None.

        They are the posterior under the parameters of the latest E-step at or before that
        record (after an M-step the points keep the colours that produced the new
        parameters until the next E-step). Recomputed from the stored parameters, so no
        earlier state needs re-running; the last few are cached.
        """
        history = self.history
        n = len(history)
        if (isinstance(index, bool) or not isinstance(index, (int, np.integer))
                or not -n <= index < n):
            raise ValueError(f"index must be an integer in [{-n}, {n - 1}], got {index!r}.")
        index = int(index) + (n if index < 0 else 0)
        e_index = next((r.index for r in reversed(history[: index + 1]) if r.phase == "E"),
                       None)
        if e_index is None:
            return None
        if e_index == self._resp_record:
            return self.responsibilities
        cache = self._resp_cache
        if e_index not in cache:
            if len(cache) >= 4:
                cache.pop(next(iter(cache)))
            resp = history[e_index].params.responsibilities(self._X)
            resp.setflags(write=False)
            cache[e_index] = resp
        return cache[e_index]
