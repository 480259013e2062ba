"""The one place that says how a run stopped: the rule |Δ mean log-likelihood| < tol that
fired, and what a tighter rule found from there (``gmm_core.convergence.Verdict``), in the
long form of the Step by step page and the short one of the Initializations page's run
status. A stop on a plateau is never called "converged"."""

from __future__ import annotations

from gmm_core.convergence import CHECK_TOL, StopCheck, Verdict
from gmm_core.convergence import RULE as THE_RULE

from .figures import half_step_name

#: The rule's own words in a status: a stop, not a proof of convergence.
RULE = f"stopped: {THE_RULE}"


def rule_text(fired, tol: float) -> str:
    """The rule that fired at E record ``fired``, as a sentence."""
    label = half_step_name(fired)
    return (f"{label[0].upper()}{label[1:]}: stopped by the rule |Δ mean "
            f"log-likelihood| = {abs(fired.change):.2e} < tol = {tol:g} (the M-step "
            f"of iteration {fired.iteration} still runs, as in scikit-learn).")


def verdict_text(check: StopCheck) -> str:
    """The check's verdict in words, with its numbers (the Step by step page)."""
    more = (f"{check.extra_iterations} more iterations under a tighter rule (|Δ mean "
            f"log-likelihood| < "
            f"{CHECK_TOL:g})")
    gain, after = f"{check.gain:+,.3f}", f"{check.log_likelihood_after:,.3f}"
    return {
        Verdict.FAILED: lambda: f"A check under a tighter rule could not go on: {check.error}",
        Verdict.PLATEAU: lambda: (f"The rule stopped EM on a plateau: {more} climb {gain} to "
                                  f"{after}; lower tol to see it."),
        Verdict.STILL_CLIMBING: lambda: (f"Still climbing: {more} gain {gain} to {after} and "
                                         "have not settled."),
        Verdict.FIXED_POINT: lambda: f"A fixed point of EM: {more} gain only {gain}.",
        Verdict.NEAR_MAXIMUM: lambda: f"Near a maximum: {more} gain {gain}, to {after}.",
    }[check.verdict]()


def _signed(x: float) -> str:
    return f"{x:+,.1f}".replace("-", "−") if abs(x) >= 0.05 else f"{x:+.2g}".replace("-", "−")


def check_sentence(check: StopCheck | None) -> str:
    """The check's verdict in one short sentence (a run's status on Initializations)."""
    if check is None:
        return ""
    more = f"{check.extra_iterations} more iterations"
    gain = _signed(check.gain)
    return {
        Verdict.FAILED: lambda: f" A check with a tighter rule could not go on: {check.error}",
        Verdict.PLATEAU: lambda: (f" It stopped on a plateau, not at a maximum: a tighter rule "
                                  f"climbs {gain} in {more}. Set tol to 1e-8 and press Run to "
                                  "convergence to watch it escape."),
        Verdict.STILL_CLIMBING: lambda: f" A tighter rule still climbs after {more} ({gain} so "
                                        "far).",
        Verdict.FIXED_POINT: lambda: f" A tighter rule gains only {gain}: a fixed point of EM.",
        Verdict.NEAR_MAXIMUM: lambda: f" A tighter rule gains {gain} in {more}: near a maximum.",
    }[check.verdict]()
