"""Grab a component (issue 22): while paused, drag a mean or stretch an ellipse on the data
chart (``ui/live_chart_frontend/drag.js`` answers in the browser), set a weight, and the
release becomes a history record (``EMEngine.set_parameters``); under the chart, what the
move did to log L and what EM, run from there on a throwaway copy, really does with it; and
the "Try to beat EM" preset."""

from __future__ import annotations

import numpy as np
import streamlit as st

from gmm_core import EMEngine
from ui import drag, session
from ui.formulas import subscript
from ui.playback import MAX_ITERATIONS, MAX_RECORDS, STEP_ERRORS
from ui.session import kept
from ui.session_cache import SessionCache

from . import keys
from .run import PLAYER, current_lane, show_latest

GRAB = "grab_on"  # the toggle (kept)
AFTERMATH = "grab_aftermath"  # {(run key, record index): Aftermath tuple}, bounded
CHALLENGE = "grab_challenge"  # (run key, EM's own final log L) while "Try to beat EM" is on
MAX_AFTERMATHS = 8
AFTERMATHS = SessionCache(AFTERMATH, MAX_AFTERMATHS)


def _run_key() -> str:
    return repr(st.session_state.get(keys.RUN_KEY))


# ------------------------------------------------------------------------------------------
# Above the chart: the toggle


def toggle_ui(n_points: int) -> bool:
    """The "Grab a component" toggle; off while playing and above ``MAX_GRAB_POINTS``."""
    playing = PLAYER.playing
    too_many = n_points > drag.MAX_GRAB_POINTS
    why = ("Pause first: components can be grabbed while EM is paused." if playing else
           f"Above {drag.MAX_GRAB_POINTS:,} points the chart shows a sample: no grabbing."
           if too_many else "Drag a mean or an ellipse's axes on the chart; the points "
           "recolour by the γ of where you put it.")
    on = st.toggle("Grab a component", disabled=playing or too_many, help=why,
                   **kept(GRAB, False))
    return bool(on) and not playing and not too_many


def drag_for(fig, data, engine, record, hint_type: str):
    """``live_chart``'s drag argument for the viewed record."""
    hint = ("Drag a ring (μ) to move a component, a dot to change its σ." if data.X.shape[1] == 1
            else "Drag a ring (μ) to move a component; " + drag.CONSTRAINTS[hint_type])
    return drag.drag_args(fig, data.X, record.params, record.log_likelihood,
                          engine.responsibilities_at(record.index), revision=record.index,
                          hint=hint)


# ------------------------------------------------------------------------------------------
# A release on the chart


def _note(drop: dict, covariance_type: str, d: int) -> str:
    z, handle = int(drop["component"]), drop["handle"]
    if handle == "mean":
        return f"you moved μ{subscript(z + 1)}"
    if covariance_type == "tied":
        return "you stretched the shared Σ (tied: every component's)"
    if d == 1 or covariance_type == "spherical":
        return f"you changed σ{subscript(z + 1)}"
    if covariance_type == "diag":
        return f"you stretched Σ{subscript(z + 1)} along {'x' if handle == 'axis1' else 'y'}"
    return f"you stretched and turned Σ{subscript(z + 1)}"


def _set(params, note: str):
    """Branch from the half-step shown and put ``params`` in force as a new record."""
    lane = current_lane()
    if lane is None or lane.engine is None:
        return
    engine = lane.engine
    view = int(session.kept_value(keys.VIEW_INDEX, len(engine.history) - 1))
    try:
        if view < len(engine.history) - 1:
            engine.rewind(view)
        if len(engine.history) >= MAX_RECORDS:
            raise ValueError("This run keeps no more records: Reset first.")
        engine.set_parameters(params, note=note)
        lane.error = ""
    except STEP_ERRORS as exc:
        lane.error = f"That move could not be made: {exc}"
    show_latest()


def on_drop(chart_key: str) -> bool:
    """The chart's value after a release: a dragged component becomes a record. Returns
    False when the value is not a drag (a click on a point)."""
    value = st.session_state.get(chart_key) or {}
    drop = value.get("drag")
    if not isinstance(drop, dict):
        return False
    lane = current_lane()
    if lane is None or lane.engine is None:
        return True
    engine = lane.engine
    try:
        params = drag.parameters_from_drop(drop, engine.covariance_type)
    except (ValueError, KeyError, TypeError) as exc:
        lane.error = f"That move could not be made: {exc}"
        return True
    _set(params, _note(drop, engine.covariance_type, engine.n_features))
    return True


def _on_weight(z: int, key: str, record_index: int):
    lane = current_lane()
    if lane is None or lane.engine is None:
        return
    params = lane.engine.history[record_index].params
    new = float(st.session_state[key])
    w = np.array(params.weights, dtype=float)
    rest = 1.0 - w[z]
    # The others keep their proportions and the weights still sum to 1.
    w = w * ((1.0 - new) / rest) if rest > 0 else np.full_like(w, (1 - new) / (len(w) - 1))
    w[z] = new
    params = type(params)(w / w.sum(), params.means, params.covariances,
                          params.precisions_cholesky, params.covariance_type)
    _set(params, f"you set π{subscript(z + 1)} to {new:.2f}")


def weights_ui(record):
    """A small control for the weights: one π_z at a time, the others rescaled."""
    k = record.params.n_components
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        z = st.selectbox("Weight of", range(k), format_func=lambda c: f"π{subscript(c + 1)}",
                         key="grab_weight_z", width=110)
        key = f"grab_pi_{record.index}_{z}"
        st.slider(f"π{subscript(z + 1)} (the others keep their proportions; all sum to 1)",
                  0.01, 0.99, float(np.clip(record.params.weights[z], 0.01, 0.99)),
                  step=0.01, key=key, on_change=_on_weight, args=(z, key, record.index))


# ------------------------------------------------------------------------------------------
# Under the chart: what the move did, and what EM does with it


def aftermath(engine: EMEngine, record, max_iter: int):
    """EM run from a hand-set record on a throwaway branch of the run (same weights, frozen
    parameters, reg_covar, tol), to the rule's stop: (iterations, the first iteration whose
    log L is back at or above the one before the move (None if never), the final log L,
    converged). Cached per run and record."""
    def compute():
        before = engine.history[record.index - 1].log_likelihood
        copy = engine.branch(record.params)
        copy.run(min(max_iter, MAX_ITERATIONS))
        back = next((r.iteration for r in copy.history
                     if r.phase == "M" and r.log_likelihood >= before - 1e-9), None)
        return copy.n_iter, back, copy.log_likelihood, copy.converged

    return AFTERMATHS.get((_run_key(), record.index, max_iter), compute)


def _what_move(record, before: float) -> str:
    change = record.log_likelihood - before
    what = record.note[4:] if record.note.startswith("you ") else record.note
    verb = "lowered" if change < 0 else "raised"
    return f"**{what[0].upper() + what[1:]}**: that {verb} log L by {abs(change):,.1f} " \
           f"({before:,.1f} → {record.log_likelihood:,.1f})"


def teaching_line(engine: EMEngine, record, max_iter: int) -> str:
    """The sentence under the chart for a hand-set record: what the move did to log L and
    what EM from there really did (run on a copy)."""
    before = engine.history[record.index - 1].log_likelihood
    n_iter, back, final, converged = aftermath(engine, record, max_iter)
    stop = (f"the rule |Δ| < tol stops it after {n_iter} iteration(s)" if converged else
            f"it is still climbing at max iterations ({n_iter})")
    head = _what_move(record, before)
    if record.log_likelihood < before:
        if back is not None:
            gain = final - before
            tail = (f"; EM takes it back in {back} iteration(s), and {stop} at "
                    f"{final:,.1f}")
            if gain > 0.05:
                tail += f", {gain:,.1f} above where it was before your move"
            elif gain < -0.05:
                tail += f", {-gain:,.1f} below where it was before your move"
            return head + tail + "."
        return (head + f"; EM does not take it back: {stop} at {final:,.1f}, "
                f"{before - final:,.1f} below where it was (another local maximum).")
    return head + f". EM from here: {stop} at {final:,.1f} ({final - record.log_likelihood:+,.1f})."


# ------------------------------------------------------------------------------------------
# "Try to beat EM"


def _challenge():
    """Preset: back to the start of this run with grabbing on; EM's own result from this
    start is remembered (on a copy) to compare with."""
    lane = current_lane()
    if lane is None or lane.engine is None:
        return
    PLAYER.reset()
    engine = lane.engine
    copy = engine.branch(engine.history[0].params)
    copy.run(MAX_ITERATIONS)
    st.session_state[CHALLENGE] = (_run_key(), copy.log_likelihood)
    session.set_kept(GRAB, True)


def _go_on(max_iter: int):
    lane = current_lane()
    if lane is None or lane.engine is None:
        return
    engine = lane.engine
    PLAYER.run(engine.n_iter + max_iter)


def challenge_ui(history, max_iter: int):
    """The preset's button, and once it is on, where the user stands against EM."""
    st.button("Try to beat EM", on_click=_challenge,
              help="Back to the start with grabbing on: place the components by hand, then "
                   "let EM go on and see how far it climbs above you.")
    ch = st.session_state.get(CHALLENGE)
    if not ch or ch[0] != _run_key():
        return
    em_alone = ch[1]
    sets = [r for r in history if r.phase == "set"]
    if not sets:
        st.info(f"Place the components by hand (drag the rings and dots). EM alone from this "
                f"start reaches log L = {em_alone:,.1f}.")
        return
    mine = sets[-1]
    after = [r for r in history[mine.index + 1:] if r.phase == "M"]
    if not after:
        st.info(f"Your placement: log L = {mine.log_likelihood:,.1f} (EM alone from this "
                f"start reaches {em_alone:,.1f}). Press the button to let EM go on from yours.")
        st.button("Let EM go on from my placement", on_click=_go_on, args=(max_iter,))
        return
    last = history[-1]
    climb = last.log_likelihood - mine.log_likelihood
    versus = last.log_likelihood - em_alone
    st.success(f"Your placement: log L = {mine.log_likelihood:,.1f}. EM climbed {climb:,.1f} "
               f"above you in {len(after)} iteration(s), to {last.log_likelihood:,.1f}; EM "
               f"alone from the start reached {em_alone:,.1f} "
               f"({'the same maximum' if abs(versus) < 0.05 else f'{versus:+,.1f} from yours'}).")


def below_chart_ui(engine: EMEngine, data, record, history, view: int, max_iter: int,
                   grabbing: bool):
    """Under the data chart: while grabbing, the constraint and the weights; for a hand-set
    record, the teaching line; and the "Try to beat EM" preset."""
    if grabbing:
        if data.X.shape[1] == 2:
            st.caption("Grab: drag a ring (μ) to move a component; "
                       + drag.CONSTRAINTS[engine.covariance_type]
                       + " The points recolour by the γ of where you put it; log L and the "
                         "lower bound (with the γ in force) are shown on the chart. Release to "
                         "make it a record; E-step, M-step and Play go on from there. While "
                         "grabbing, the points show the γ blend (hard labels, uncertainty and "
                         "density contours are not drawn).")
        else:
            st.caption("Grab: drag a ring to move μ, its dot to change σ"
                       + (" (tied: one σ for all)" if engine.covariance_type == "tied" else "")
                       + ". Release to make it a record; E-step, M-step and Play go on from "
                         "there.")
        weights_ui(record)
    if record.phase == "set":
        try:
            st.markdown(teaching_line(engine, record, max_iter))
        except STEP_ERRORS as exc:
            st.warning(f"EM cannot go on from this placement: {exc}")
    challenge_ui(history, max_iter)
