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

import numpy as np

from . import _validation as v
from .covariance import COVARIANCE_TYPES
from .data_passes import DataPasses
from .engine_state import EngineState
from .frozen import check_frozen
from .mstep import mstep
from .parameters import MixtureParameters
from .record import EMRecord
from .statistics import SufficientStatistics


class EMEngine(EngineState, DataPasses):
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
    start : MixtureParameters, optional
        Start from these parameters (a warm start, a loaded model); then ``init``,
        ``random_state`` and the ``*_init`` arguments are not used. See also
        :meth:`from_parameters`.
    previous_mean_log_likelihood : float, default=-inf
        Mean log-likelihood the first E-step's change is measured from (a warm start
        continues its convergence test from the last fit's value).
    frozen : dict, optional
        Parameters EM keeps at their start values while it fits the rest: keys
        ``"weights"``, ``"means"``, ``"covariances"``, each ``True`` (all components) or a
        list of component indices, e.g. ``{"means": [0], "weights": True}``. The M-step
        maximises over the free parameters given the frozen ones (a frozen mean enters its
        covariance's M-step), so the log-likelihood still never decreases. See
        :mod:`gmm_core.frozen`.
    sample_weight : array-like of shape (n_samples,), optional
        Weight w_i >= 0 of each row: the fit is the one of row i repeated w_i times (exactly,
        for integer weights), for any non-negative numbers. The statistics are
        N_z = Σ w_i γ_iz etc., the log-likelihood Σ w_i log p(x_i), and the mean
        log-likelihood (the convergence test) divides by Σ w_i. ``responsibilities`` stay
        the per-row posteriors γ_iz.

    Attributes
    ----------
    history : list of EMRecord
    responsibilities : ndarray of shape (n_samples, K) or None

    Notes
    -----
    For a ``dask.array`` chunked by rows, :func:`gmm_core.make_engine` makes a
    :class:`gmm_core.dask_backend.DaskEMEngine` (same API; every pass maps the E-step
    over the blocks where they are, only parameters and statistics travel).
    """

    def __new__(cls, X=None, *args, **kwargs):
        # Not reading a dask array into memory by accident (the Dask engine extends this one;
        # gmm_core.backends chooses between them, so this module never imports it).
        if cls is EMEngine and v.is_dask_array(X):
            raise ValueError("X is a dask array: make the engine with "
                             "gmm_core.make_engine(X, ...) (or gmm_core.dask_backend."
                             "DaskEMEngine), which runs EM where the blocks are.")
        return super().__new__(cls)

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
        start: MixtureParameters | None = None,
        previous_mean_log_likelihood=-np.inf,
        sample_weight=None,
        frozen=None,
    ):
        self.n_components = v.check_int(n_components, "n_components", minimum=1)
        self.covariance_type = v.check_choice(covariance_type, COVARIANCE_TYPES,
                                              "covariance_type")
        self.init = v.check_choice(init, v.INIT_METHODS, "init")
        self.reg_covar = v.check_nonnegative_float(reg_covar, "reg_covar")
        self.tol = v.check_nonnegative_float(tol, "tol")
        self.frozen = check_frozen(frozen, self.n_components, self.covariance_type)
        self.chunk_size = None if chunk_size is None else v.check_int(
            chunk_size, "chunk_size", minimum=1)
        X, biggest = self._check_data(X)
        self._X = X
        self.n_samples, self.n_features = X.shape
        self._sample_weight = self._check_sample_weight(sample_weight)
        #: Σ w_i (n_samples when unweighted): the mean log-likelihood's denominator.
        self.total_weight = (self.n_samples if self._sample_weight is None
                             else self._weight_total)
        # Scale for the "numerically singular covariance" test: a variance below
        # (100 eps max|x|)² is rounding noise of the centred data, not spread.
        self._data_scale = max((100 * np.finfo(float).eps * biggest) ** 2, np.finfo(float).tiny)

        if start is None:
            start = self._initial_parameters(random_state, weights_init, means_init,
                                             precisions_init)
        else:
            v.check_start(start, MixtureParameters, self.n_components, self.n_features,
                          self.covariance_type)
        self._params = start
        self._history: list[EMRecord] = []
        self._pending = None  # a record whose log-likelihood is not computed yet
        self._stats: SufficientStatistics | None = None  # from an E-step on current params
        self._resp = None
        self._resp_record = None  # index of the E record whose params gave self._resp
        self._resp_cache = {}  # responsibilities of earlier E records, for redrawing
        self._initial_mean_ll = float(previous_mean_log_likelihood)
        self._prev_mean_ll = self._initial_mean_ll
        self._converged = False
        self._n_iter = 0
        self._defer(phase="init", iteration=0)

    # ----------------------------------------------------------------------------------
    # Set-up

    @classmethod
    def from_parameters(cls, X, params: MixtureParameters, **kwargs) -> EMEngine:
        """An engine on ``X`` that starts from ``params`` (same K and covariance type).

        ``kwargs`` are the other constructor arguments (``reg_covar``, ``tol``,
        ``chunk_size``, ``previous_mean_log_likelihood``).
        """
        return cls(X, params.n_components, covariance_type=params.covariance_type,
                   start=params, **kwargs)

    def branch(self, params: MixtureParameters | None = None, **kwargs) -> EMEngine:
        """A new engine on the same data and model (weights, frozen parameters, reg_covar,
        tol, chunk_size) that starts from ``params`` (default: the current parameters), so a
        "what would EM do from here" run climbs the same objective as this one. ``kwargs``
        override any of those settings (e.g. ``tol``)."""
        same = dict(reg_covar=self.reg_covar, tol=self.tol, chunk_size=self.chunk_size,
                    sample_weight=self._sample_weight, frozen=self.frozen)
        return type(self).from_parameters(self._X, self._params if params is None else params,
                                          **{**same, **kwargs})

    # ----------------------------------------------------------------------------------
    # Half-steps

    def e_step(self) -> EMRecord:
        """Responsibilities γ_iz ∝ π_z N(x_i | μ_z, Σ_z) under the current parameters."""
        if self._stats is not None:
            raise RuntimeError(
                "An E-step was already done for the current parameters: call m_step() next "
                "(or step() to finish the iteration)."
            )
        stats, resp = self._pass(self._params, keep_responsibilities=True)
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
        result = mstep(self._stats, self.covariance_type, self.reg_covar, self._data_scale,
                       floor_singular=True, frozen=self.frozen, current=self._params)
        elbo, log_likelihood = self._lower_bound(result.params)
        self._apply_m(result)
        self._finish(log_likelihood, elbo)
        return self._history[-1]

    def preview_m_step(self):
        """``(N_z, parameters)`` that the coming M-step will make of the last E-step's
        responsibilities, from the statistics the engine holds (the run is not changed).

        Raises RuntimeError without a pending E-step, ValueError where ``m_step()`` would.
        """
        if self._stats is None:
            raise RuntimeError("No E-step is pending: the M-step preview needs e_step() first.")
        result = mstep(self._stats, self.covariance_type, self.reg_covar, self._data_scale,
                       floor_singular=True, frozen=self.frozen, current=self._params)
        return self._stats.nk.copy(), result.params

    def step(self) -> EMRecord:
        """One full iteration: E-step then M-step (only the M-step if an E-step is pending)."""
        if self._stats is None:
            self.e_step()
        return self.m_step()

    def run(self, max_iter=100, *, finalize=True) -> EMRecord | None:
        """Iterate until converged or until ``n_iter`` reaches ``max_iter``.

        ``max_iter`` counts every iteration of this run, including those already done, as
        scikit-learn's ``max_iter`` does for one fit. Uses the fast path: one pass over the
        data per iteration, responsibilities not stored (``responsibilities`` recomputes
        them on demand).

        Parameters
        ----------
        max_iter : int, default=100
        finalize : bool, default=True
            Compute the log-likelihood of the final parameters now and return the latest
            record. With False that extra pass over the data waits until ``history``,
            ``current`` or ``log_likelihood`` is read, and ``run`` returns None when it is
            pending (a fit that only needs ``params``, ``n_iter``, ``converged`` and
            :attr:`mean_log_likelihoods` saves it).
        """
        max_iter = v.check_int(max_iter, "max_iter", minimum=0)
        if self._stats is not None and self._n_iter < max_iter:
            self.m_step()
        while not self._converged and self._n_iter < max_iter:
            stats, _ = self._pass(self._params, keep_responsibilities=False)
            self._record_e(stats)
            self._resp = None
            self._apply_m(mstep(stats, self.covariance_type, self.reg_covar, self._data_scale,
                                floor_singular=True, frozen=self.frozen,
                                current=self._params))
        if finalize:
            self._flush()
        return self._history[-1] if self._pending is None else None

    def set_parameters(self, params: MixtureParameters, *, note: str = "") -> EMRecord:
        """Put ``params`` in force by hand (a component dragged on a chart, say) as a new
        record of phase ``"set"``; E-step, M-step and ``run`` go on from it.

        ``params`` must have the engine's K, number of features and covariance type (build
        them with :meth:`MixtureParameters.from_covariances`; a covariance that is not
        positive-definite is refused there). The record's ``iteration`` is the number of
        iterations done (a hand move is no iteration), its ``lower_bound`` the ELBO of the
        responsibilities still in force (the last E-step's) with ``params`` (None before
        any E-step), ``converged`` is False, and ``note`` says what was done ("you moved
        component 2"). The convergence test starts afresh: the next E-step's ``change`` is
        measured from ``-inf`` (the moved parameters are a new start, not an EM step).
        Rewinding to or past the record works as for any record.
        """
        v.check_start(params, MixtureParameters, self.n_components, self.n_features,
                      self.covariance_type)
        weights = params.weights
        if not (np.all(np.isfinite(weights)) and np.all(weights > 0)
                and abs(weights.sum() - 1.0) < 1e-9):
            raise ValueError("weights must be positive and sum to 1, got "
                             f"{np.round(weights, 6).tolist()}: renormalise them.")
        if not np.all(np.isfinite(params.means)):
            raise ValueError("means must be finite numbers.")
        self._flush()
        elbo, log_likelihood = None, None
        if self.responsibilities is not None:
            elbo, log_likelihood = self._lower_bound(params)
        if log_likelihood is None:
            log_likelihood = self._log_likelihood(params)
        self._params = params
        self._stats = None
        self._converged = False
        self._prev_mean_ll = -np.inf
        self._append(phase="set", iteration=self._n_iter, log_likelihood=float(log_likelihood),
                     lower_bound=None if elbo is None else float(elbo), note=str(note))
        return self._history[-1]

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
        self._prev_mean_ll = self._previous_mean_ll()
        self._resp_record = e_records[-1].index if e_records else None
        self._resp = None
        self._resp_cache.clear()
        self._stats = None
        if record.phase == "E":
            self._stats, self._resp = self._pass(self._params, keep_responsibilities=True)
        return record

    # ----------------------------------------------------------------------------------
    # Internals

    def _record_e(self, stats: SufficientStatistics):
        self._finish(stats.log_likelihood)
        mean_ll = stats.log_likelihood / self.total_weight
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
            singular=result.singular,
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
            self._finish(self._log_likelihood(self._params))

    def _previous_mean_ll(self) -> float:
        """What the next E-step's change is measured from: the last E-step's mean
        log-likelihood, unless a hand-set record (``set_parameters``) came after it."""
        for r in reversed(self._history):
            if r.phase == "E":
                return r.mean_log_likelihood
            if r.phase == "set":
                return -np.inf
        return self._initial_mean_ll

    def _append(self, **fields):
        fields.setdefault("converged", self._converged)
        self._history.append(
            EMRecord(index=len(self._history), params=self._params,
                     n_samples=self.total_weight, **fields)
        )

    def responsibilities_at(self, index: int):
        """Responsibilities in force at ``history[index]`` (n_samples, K), or None.

        They are the posterior under the parameters of the latest E-step at or before that
        record (after an M-step the points keep the colours that produced the new
        parameters until the next E-step). Recomputed from the stored parameters, so no
        earlier state needs re-running; the last few are cached.
        """
        history = self.history
        last_e = history.last_e(index)
        if last_e is None:
            return None
        e_index = last_e.index
        if e_index == self._resp_record:
            return self.responsibilities
        cache = self._resp_cache
        if e_index not in cache:
            if len(cache) >= 4:
                cache.pop(next(iter(cache)))
            cache[e_index] = self._responsibilities(history[e_index].params)
        return cache[e_index]
