"""What the Step by step page says when the rule |Δ mean log-likelihood| < tol stopped EM:
the rule that fired, then what a tighter rule found from there (``check_stop``), so a stop on
a plateau is never called "converged"."""

from __future__ import annotations

import streamlit as st

from gmm_core.convergence import StopCheck, check_stop
from ui import figures
from ui.session import Settings
from ui.session_cache import SessionCache
from ui.stop_words import rule_text, verdict_text

from . import keys

#: Stop checks kept per session (one per run and stopped record).
MAX_CHECKS = 8
CHECKS = SessionCache(keys.STOP_CHECKS, MAX_CHECKS)
#: A change of the total log-likelihood smaller than this is float rounding, not a change.
ROUNDING = 1e-9


#: The one label of a half-step, shared with the chart titles (ui.figures).
half_step_label = figures.half_step_name


def cached_check(engine, stopped, settings: Settings) -> StopCheck:
    """``check_stop`` from the stopped record, once per run and record (a bounded cache).
    It climbs the run's own objective: its row weights and frozen parameters too."""
    key = (repr(st.session_state.get(keys.RUN_KEY)), stopped.index)
    return CHECKS.get(key, lambda: check_stop(
        engine.X, stopped.params, run_tol=settings.tol, reg_covar=settings.reg_covar,
        sample_weight=engine.sample_weight, frozen=engine.frozen))


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


def stop_ui(engine, history, record, settings: Settings):
    """The stop message for the viewed record: the rule that fired, and the check's verdict."""
    fired = history.fired(record.index)
    if fired is None:
        return False
    stopped = history.stopped(record.index)
    check = cached_check(engine, stopped, settings)
    text = (f"{rule_text(fired, settings.tol)} {verdict_text(check)}"
            f"{later_text(history, stopped, record)}")
    if check.verdict.at_a_maximum:
        st.success(text)
    else:
        st.warning(text)
    return True
