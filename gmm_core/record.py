"""``EMRecord``: an immutable snapshot of an EM run, taken at the start and every half-step."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .parameters import MixtureParameters


@dataclass(frozen=True, eq=False)
class EMRecord:
    """An immutable snapshot taken at the start and after every half-step.

    Attributes
    ----------
    index : int
        Position in ``EMEngine.history``.
    phase : {"init", "E", "M", "set"}
        "set": parameters put in force by hand (``EMEngine.set_parameters``).
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
    singular : tuple of int
        With reg_covar = 0: components collapsing onto a point or a line (a variance at the
        data's rounding-noise level) that still have a Cholesky factor; EM goes on, as
        scikit-learn does, and the log-likelihood can climb without bound.
    note : str
        What a "set" record's hand did ("you moved component 2"); "" elsewhere.
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
    singular: tuple[int, ...] = ()
    note: str = ""

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


class History(tuple):
    """An EM run's records, oldest first (``EMEngine.history``): a tuple that also answers
    the questions asked of a run's past. ``index`` counts as in a list (negative from the
    end)."""

    __slots__ = ()

    def _upto(self, index) -> int:
        n = len(self)
        if (isinstance(index, bool) or not isinstance(index, (int, np.integer))
                or not -n <= index < n):
            raise ValueError(f"index must be an integer in [{-n}, {n - 1}], got {index!r}.")
        return int(index) + (n if index < 0 else 0)

    def last_e(self, index=-1) -> EMRecord | None:
        """The last E-step record at or before ``history[index]``: the one whose
        responsibilities γ are in force there (None before the first E-step)."""
        upto = self._upto(index)
        return next((r for r in reversed(self[: upto + 1]) if r.phase == "E"), None)

    def gamma_in_force(self, index=-1) -> bool:
        """Whether responsibilities exist at ``history[index]`` (an E-step came before)."""
        return self.last_e(index) is not None

    def fired(self, index=-1) -> EMRecord | None:
        """The E-step record where the rule |Δ mean log-likelihood| < tol first held, at or
        before ``history[index]`` (None if it has not). A record set by hand
        (``EMEngine.set_parameters``, phase "set") starts the test afresh: only a firing
        after the last such record counts."""
        upto = self._upto(index)
        since = next((r.index for r in reversed(self[: upto + 1]) if r.phase == "set"), -1)
        return next((r for r in self[since + 1 : upto + 1] if r.phase == "E" and r.converged),
                    None)

    def stopped(self, index=-1) -> EMRecord | None:
        """The record where the run stopped by its rule: the M-step that ends the iteration
        whose E-step fired (that M-step still runs, as in scikit-learn), or the firing
        E-step itself while that M-step is not in the history yet."""
        fired = self.fired(index)
        if fired is None:
            return None
        after = self[fired.index + 1] if fired.index + 1 < len(self) else None
        return after if after is not None and after.phase == "M" else fired
