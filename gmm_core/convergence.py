"""Did a run stop at a fixed point of EM, or on a slope that a tolerance mistook for one?

EM stops when the mean log-likelihood changes by less than ``tol`` between two E-steps. On a
plateau (nearly identical components, a slow escape from a saddle) the change can be tiny
while the run is far from any maximum: with tol = 1e-3 a run on overlapping data can stop
while it still gains +0.01 per iteration, and escape to a much better optimum hundreds of
iterations later. :func:`check_stop` continues a copy of the run under a much tighter rule
and reports what that changed, so the app never calls a plateau stop "converged" or a
"local optimum".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from .engine import EMEngine
from .parameters import MixtureParameters

#: The stopping rule, named the same way on every page, in the exports and in the Lesson
#: (issue 24): scikit-learn's, on the change of the MEAN log-likelihood per point between two
#: E-steps, not of the total (on n points the total changes n times as much, so the same
#: tol would be an n-times different rule).
RULE = "|Δ mean log-likelihood| < tol"
RULE_EXPLAINED = (
    "EM stops when the mean log-likelihood per point changes by less than tol from one "
    "E-step to the next: " + RULE + " (scikit-learn's rule; the total log-likelihood "
    "changes n times as much)."
)


def rule_change(log_likelihood: float, previous_log_likelihood: float, n_samples: int) -> float:
    """The quantity the rule compares with tol: the change of the mean log-likelihood per
    point, from two TOTAL log-likelihoods of the same ``n_samples`` points."""
    return (log_likelihood - previous_log_likelihood) / n_samples


#: Tolerance of the check on the mean log-likelihood change per iteration.
CHECK_TOL = 1e-6
#: A stop whose check gains more total log-likelihood than this was not at a fixed point.
GAIN_THRESHOLD = 0.01
#: A stop is on a plateau when the check gains more than this many times n × tol: the rule
#: |Δ mean| < tol promises little more than n × tol per iteration, and near a maximum EM's
#: remaining gain is a small multiple of its last step.
PLATEAU_FACTOR = 10
#: Work allowed to one check, in rows × iterations (600 rows: 2,000 iterations at most).
DEFAULT_BUDGET = 4_000_000
MAX_EXTRA_ITERATIONS = 2_000


class Verdict(StrEnum):
    """What a check found at a rule's stop (its value is the word used in tables)."""

    FIXED_POINT = "fixed point"
    NEAR_MAXIMUM = "near a maximum"
    PLATEAU = "plateau"
    STILL_CLIMBING = "still climbing"
    FAILED = "failed"

    @property
    def at_a_maximum(self) -> bool:
        """The stop was where EM ends (a fixed point, or near a maximum)."""
        return self in (Verdict.FIXED_POINT, Verdict.NEAR_MAXIMUM)


@dataclass(frozen=True)
class StopCheck:
    """What continuing a stopped run under the tight rule found.

    Attributes
    ----------
    extra_iterations : int
        Iterations the check ran.
    log_likelihood_before, log_likelihood_after : float
        Total log-likelihood at the stop and at the end of the check.
    n_samples : int
    run_tol : float
        The tolerance whose stop is being checked.
    settled : bool
        The check itself met ``|Δ mean log-likelihood| < CHECK_TOL`` within its budget (when
        False it ran out of budget while still climbing).
    params : MixtureParameters
        Parameters at the end of the check.
    error : str
        Why the check could not go on ("" when it could), e.g. a component collapsing with
        reg_covar = 0.
    """

    extra_iterations: int
    log_likelihood_before: float
    log_likelihood_after: float
    n_samples: int
    run_tol: float
    settled: bool
    params: MixtureParameters | None = None
    error: str = ""

    @property
    def gain(self) -> float:
        """Total log-likelihood the extra iterations added."""
        return self.log_likelihood_after - self.log_likelihood_before

    @property
    def fixed_point(self) -> bool:
        """The stop was at a fixed point of EM (to within ``GAIN_THRESHOLD``)."""
        return self.settled and not self.error and self.gain <= GAIN_THRESHOLD

    @property
    def plateau(self) -> bool:
        """The rule stopped EM on a slow stretch far from a maximum: the check gained more
        than ``PLATEAU_FACTOR × n × tol`` (and more than ``GAIN_THRESHOLD``)."""
        limit = max(GAIN_THRESHOLD, PLATEAU_FACTOR * self.n_samples * self.run_tol)
        return self.gain > limit

    @property
    def verdict(self) -> Verdict:
        """Fixed point, near a maximum, plateau, still climbing (budget ran out before the
        check settled, without a plateau-sized gain) or failed."""
        if self.error:
            return Verdict.FAILED
        if self.plateau:
            return Verdict.PLATEAU
        if not self.settled:
            return Verdict.STILL_CLIMBING
        return Verdict.FIXED_POINT if self.fixed_point else Verdict.NEAR_MAXIMUM


def check_stop(X, params: MixtureParameters, *, run_tol, reg_covar=1e-6, tol=CHECK_TOL,
               budget=DEFAULT_BUDGET, sample_weight=None, frozen=None) -> StopCheck:
    """Continue EM from ``params`` under the tight rule ``tol`` and report the gain.

    Parameters
    ----------
    X : ndarray of shape (n, d)
    params : MixtureParameters
        Where the run stopped.
    run_tol : float
        The tolerance that stopped the run (to tell a plateau from a maximum).
    reg_covar : float
        The run's own reg_covar (the check must climb the same objective).
    tol : float
        Tight tolerance on the change of the mean log-likelihood.
    budget : int
        Rows × iterations the check may spend: at most ``budget // n`` iterations (and at
        most ``MAX_EXTRA_ITERATIONS``, at least 5), so a check on 400,000 rows stays cheap.
    sample_weight : array-like of shape (n,), optional
        The run's row weights: the check climbs the same weighted log-likelihood, and the
        plateau limit counts Σ w_i points.
    frozen : optional
        The run's frozen parameters (``EMEngine``'s ``frozen``): the check keeps them fixed
        too, or it would climb a different objective.

    Returns
    -------
    StopCheck
    """
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0] if X.ndim else 0
    max_extra = int(np.clip(budget // max(n, 1), 5, MAX_EXTRA_ITERATIONS))
    engine = EMEngine.from_parameters(X, params, reg_covar=reg_covar, tol=tol,
                                      sample_weight=sample_weight, frozen=frozen)
    n = engine.total_weight
    before = engine.log_likelihood
    error = ""
    try:
        engine.run(max_extra)
    except ValueError as exc:
        error = str(exc)
    return StopCheck(engine.n_iter, before, engine.log_likelihood, n, float(run_tol),
                     settled=engine.converged, params=engine.params, error=error)
