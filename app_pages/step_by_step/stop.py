"""What the Step by step page says when the rule |Δ mean log-likelihood| < tol stopped EM:
the rule that fired, then what a tighter rule found from there (``check_stop``), so a stop on
a plateau is never called "converged"."""

from __future__ import annotations

import streamlit as st

from gmm_core.convergence import CHECK_TOL, StopCheck, check_stop
from ui import figures
from ui.session import Settings

from . import keys

#: Stop checks kept per session (one per run and stopped record).
MAX_CHECKS = 8
#: A change of the total log-likelihood smaller than this is float rounding, not a change.
ROUNDING = 1e-9


#: The one label of a half-step, shared with the chart titles (ui.figures).
half_step_label = figures.half_step_name


def stop_record(history, fired):
    """The record where the run stopped: the M-step of the iteration whose E-step fired the
    rule (scikit-learn still runs it), or that E-step while the M-step is not done."""
    after = history[fired.index + 1] if fired.index + 1 < len(history) else None
    return after if after is not None and after.phase == "M" else fired


def cached_check(X, stopped, settings: Settings) -> StopCheck:
    """``check_stop`` from the stopped record, once per run and record (a bounded cache)."""
    ss = st.session_state
    cache = ss.setdefault(keys.STOP_CHECKS, {})
    key = (repr(ss.get(keys.RUN_KEY)), stopped.index)
    if key not in cache:
        while len(cache) >= MAX_CHECKS:
            cache.pop(next(iter(cache)))
        cache[key] = check_stop(X, stopped.params, run_tol=settings.tol,
                                reg_covar=settings.reg_covar)
    return cache[key]


def verdict_text(check: StopCheck) -> str:
    """The check's verdict in words, with its numbers."""
    more = (f"{check.extra_iterations} more iterations under a tighter rule (|Δ| < "
            f"{CHECK_TOL:g})")
    gain, after = f"{check.gain:+,.3f}", f"{check.log_likelihood_after:,.3f}"
    if check.verdict == "failed":
        return f"A check under a tighter rule could not go on: {check.error}"
    if check.verdict == "plateau":
        return (f"The rule stopped EM on a plateau: {more} climb {gain} to {after}; "
                "lower tol to see it.")
    if check.verdict == "still climbing":
        return f"Still climbing: {more} gain {gain} to {after} and have not settled."
    if check.verdict == "fixed point":
        return f"A fixed point of EM: {more} gain only {gain}."
    return f"Near a maximum: {more} gain {gain}, to {after}."


def later_text(history, stopped, record) -> str:
    """What the iterations shown after the stop did, computed from the history."""
    if record.index <= stopped.index:
        return ""
    n_later = record.iteration - stopped.iteration
    change = record.log_likelihood - stopped.log_likelihood
    if n_later <= 0:
        return ""
    if abs(change) < ROUNDING:
        return f" The {n_later} iteration(s) after it change the log-likelihood by 0 (rounding)."
    return f" The {n_later} iteration(s) after it change the log-likelihood by {change:+,.4g}."


def stop_ui(X, history, record, settings: Settings):
    """The stop message for the viewed record: the rule that fired, and the check's verdict."""
    # A record set by hand (grab.py) starts the test afresh: only stops after it count.
    moved = next((r.index for r in reversed(history[: record.index + 1]) if r.phase == "set"),
                 -1)
    fired = next((r for r in history[moved + 1 : record.index + 1]
                  if r.phase == "E" and r.converged), None)
    if fired is None:
        return False
    stopped = stop_record(history, fired)
    label = half_step_label(fired)
    rule = (f"{label[0].upper()}{label[1:]}: stopped by the rule |Δ mean "
            f"log-likelihood| = {abs(fired.change):.2e} < tol = {settings.tol:g} (the M-step "
            f"of iteration {fired.iteration} still runs, as in scikit-learn).")
    check = cached_check(X, stopped, settings)
    text = f"{rule} {verdict_text(check)}{later_text(history, stopped, record)}"
    if check.verdict in ("fixed point", "near a maximum"):
        st.success(text)
    else:
        st.warning(text)
    return True
