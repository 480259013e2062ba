"""What the Step by step page shows of the viewed half-step: the metrics, one point's E-step
with its numbers, and the parameters with the M-step."""

from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd
import streamlit as st

from gmm_core.datasets import Dataset
from ui import figures, formulas, presenter, session
from ui.code import DataSpec, sklearn_code
from ui.playback import STEP_ERRORS
from ui.session import Settings

from . import keys, stop

#: The "Phase" metric: what the viewed half-step was.
PHASES = {"init": "start", "E": "E-step", "M": "M-step", "set": "moved by hand"}
#: A change of the mean log-likelihood smaller than this is float rounding (−8.88e-16).
ROUNDING = 1e-12


def delta_text(change) -> str:
    """The Δ mean log-likelihood metric: "—" before the second E-step, "0 (rounding)" for
    float noise, else 3 significant digits."""
    if change is None or not np.isfinite(change):
        return "—"
    if abs(change) < ROUNDING:
        return "0 (rounding)"
    return f"{change:+.2e}"


def gain_text(gain) -> str:
    """An M-step's change of the total log-likelihood: "0 (rounding)" for float noise."""
    if abs(gain) < 1e-9:
        return "0 (rounding)"
    return (f"{gain:+,.3f}" if abs(gain) >= 1e-3 else f"{gain:+.2e}").replace("-", "−")


def metrics_ui(engine, record, history, settings: Settings, notes=None):
    """Iteration, log-likelihood, phase and the one change that half-step made (issue 24:
    an E-step leaves the parameters and so the log-likelihood as they were; it is where the
    rule's Δ mean log-likelihood is measured. An M-step raises the log-likelihood: its
    gain). Then what happened: stopped by the rule (and what a tighter rule finds), stopped
    at max_iter, collapsed or regularised components (in the container ``notes`` if given:
    presenter mode puts them under the charts)."""
    previous = history[record.index - 1] if record.index > 0 else None
    # Each metric as wide as its value, in a row that wraps: fixed columns cut the values off
    # ("-1,5…") in a narrow window.
    with st.container(horizontal=True, gap="medium"):
        st.metric("Iteration", record.iteration, width="content",
                  help="The iteration this half-step belongs to: its E-step and its M-step "
                       "show the same number; 0 is the start.")
        st.metric("Log-likelihood", _number(record.log_likelihood), width="content",
                  help="Total log-likelihood Σᵢ log p(xᵢ) of the parameters in force.")
        st.metric("Phase", PHASES[record.phase], width="content")
        if record.phase == "M" and previous is not None:
            st.metric("Gain of this M-step",
                      gain_text(record.log_likelihood - previous.log_likelihood),
                      width="content",
                      help="Change of the total log-likelihood made by this M-step's new "
                           "π, μ, Σ (EM never lowers it). The rule's Δ mean log-likelihood "
                           "is measured at the E-steps.")
        else:
            st.metric("Δ mean log-likelihood", delta_text(record.change), width="content",
                      help="Change of the per-point mean log-likelihood since the previous "
                           "E-step (the rule's Δ: EM stops when its size falls below tol). An "
                           "E-step leaves the parameters, and so the log-likelihood, as they "
                           "were.")
    with notes if notes is not None else contextlib.nullcontext():
        _notes_ui(engine, record, history, settings)


def _notes_ui(engine, record, history, settings: Settings):
    at_end = record.index == len(history) - 1 and record.n_iter >= settings.max_iter
    if not stop.stop_ui(engine, history, record, settings) and at_end:
        st.warning(f"Stopped at max iterations ({settings.max_iter}) without converging.")
    if record.collapsed:
        st.warning("Component(s) " + ", ".join(str(c + 1) for c in record.collapsed)
                   + " collapsed: N_z ≈ 0, almost no point belongs to them.")
    if record.regularized:
        st.info("Component(s) " + ", ".join(str(c + 1) for c in record.regularized)
                + " stay positive-definite only thanks to reg_covar (a variance ≤ reg_covar).")
    if record.singular:
        st.warning("Component(s) " + ", ".join(str(c + 1) for c in record.singular)
                   + " collapsed onto a point or a line: with reg_covar = 0 its variance is "
                   "down to rounding noise and the log-likelihood can climb without bound "
                   "(a density can exceed 1). A positive reg_covar keeps it honest.")


def _number(value: float, sign=False) -> str:
    """A metric value that fits its column: 3 decimals, or 4 significant digits in scientific
    notation from a million on (a spike start's −2,946,879,301.862 was cut off)."""
    if abs(value) >= 1e6:
        return f"{value:+.4e}" if sign else f"{value:.4e}"
    return f"{value:+,.3f}" if sign else f"{value:,.3f}"


def point_details_ui(engine, data: Dataset, record):
    """The clicked point: its responsibilities and the E-step with its numbers."""
    index = st.session_state.get(session.SELECTED_POINT)
    if index is None or not 0 <= index < len(data.X):
        st.caption("Click a data point on the chart to see its responsibilities and the "
                   "E-step with its numbers.")
        return
    resp = engine.responsibilities_at(record.index)
    e_record = engine.history.last_e(record.index)
    if resp is None or e_record is None:
        st.caption(f"Point {index}: no E-step yet, so no responsibilities.")
        return
    left, right = st.columns([2, 3])
    with left:
        bar = figures.responsibilities_bar(resp[index], point_index=index)
        st.plotly_chart(presenter.styled(bar), key=keys.RESP_BAR,
                        config={"displayModeBar": False})
    with right:
        st.latex(formulas.E_STEP_1D if data.X.shape[1] == 1 else formulas.E_STEP_2D)
        st.latex(formulas.e_step_numbers(data.X[index], index, e_record))
        # st.table: static HTML, much lighter in the browser than a data grid.
        terms = pd.DataFrame(formulas.e_step_table(data.X[index], e_record))
        terms["z"] = [f"z = {z}" for z in terms["z"]]
        st.table(terms.set_index("z").map(lambda v: f"{v:.4g}"))
        st.caption(f"Point {index} = ({', '.join(f'{v:.4g}' for v in data.X[index])}), "
                   f"responsibilities of {stop.half_step_label(e_record)}; "
                   "computed in log space, so far-away points do not give 0/0.")


def _table(params, nk, d: int) -> pd.DataFrame:
    """π_z, N_z (when known), μ_z and Σ_z (σ_z²) per component."""
    covs = params.full_covariances()
    rows = []
    for z in range(params.n_components):
        row = {"component": f"z = {z + 1}"}
        if nk is not None:
            row["N_z"] = f"{nk[z]:.2f}"
        row["π_z"] = f"{params.weights[z]:.4f}"
        if d == 1:
            row.update({"μ_z": f"{params.means[z, 0]:.4g}", "σ_z²": f"{covs[z, 0, 0]:.4g}"})
        else:
            row.update({"μ_z": ", ".join(f"{v:.4g}" for v in params.means[z]),
                         "Σ_z": "  |  ".join(", ".join(f"{v:.4g}" for v in r) for r in covs[z])})
        rows.append(row)
    return pd.DataFrame(rows).set_index("component")


def m_step_preview(engine, record):
    """What the M-step makes of the responsibilities of E-step ``record``: (N_z, the new
    parameters, whether that M-step is still to come). The M-step already taken; for the
    E-step the run stands at, the engine's preview from the statistics it holds; for an
    E-step the run left another way (a move by hand came next), an M-step from its γ on a
    branch of the run. The run is not touched."""
    history = engine.history
    after = history[record.index + 1] if record.index + 1 < len(history) else None
    if after is not None and after.phase == "M":
        return after.nk, after.params, False
    if after is None and engine.next_phase == "M":
        return (*engine.preview_m_step(), True)
    twin = engine.branch(record.params)
    twin.e_step()
    return (*twin.preview_m_step(), False)


def after_is_move(engine, record) -> bool:
    """The record after ``record`` is a move by hand ("set")."""
    history = engine.history
    return record.index + 1 < len(history) and history[record.index + 1].phase == "set"


def parameters_ui(engine, data: Dataset, record):
    """The parameters in force, with N_z and the M-step's numbers after an M-step; after an
    E-step the parameters in force and, apart, what the coming M-step will make of this γ."""
    d, n = data.X.shape[1], len(data.X)
    for line in (formulas.M_STEP_1D if d == 1 else formulas.M_STEP_2D):
        st.latex(line)
    if record.phase == "E":
        st.markdown(f"**Parameters in force** ({stop.half_step_label(record)} used them; "
                    "the M-step has not changed them yet)")
        st.table(_table(record.params, None, d))
        try:
            nk, params, coming = m_step_preview(engine, record)
        except STEP_ERRORS as exc:
            st.warning(f"The M-step from this γ fails: {exc}")
            return
        if coming:
            st.markdown("**Preview: what the coming M-step will make of this γ** "
                        f"(iteration {record.iteration} · M-step, not yet done)")
        elif after_is_move(engine, record):
            st.markdown("**What an M-step would have made of this γ** (the run went on "
                        "with a move by hand instead)")
        else:
            st.markdown(f"**What the M-step made of this γ** (iteration {record.iteration} · "
                        "M-step)")
        st.table(_table(params, nk, d))
        label = f"the preview of iteration {record.iteration} · M-step"
    elif record.phase == "M":
        st.markdown(f"**Parameters after {stop.half_step_label(record)}**")
        nk, params = record.nk, record.params
        st.table(_table(params, nk, d))
        label = stop.half_step_label(record)
    elif record.phase == "set":
        st.markdown(f"**Parameters set by hand** ({record.note}; press E-step to go on)")
        st.table(_table(record.params, None, d))
        return
    else:
        st.markdown("**Starting parameters** (start (iteration 0): no M-step yet)")
        st.table(_table(record.params, None, d))
        return
    z = st.selectbox("Component for the M-step numbers", range(params.n_components),
                     format_func=lambda c: f"z = {c + 1}", key=keys.M_COMPONENT)
    for line in formulas.m_step_lines(nk, params, z, n):
        st.latex(line)
    st.caption(f"The M-step formulas with the numbers of {label}.")


def code_ui(engine, settings: Settings):
    """"Show the code": scikit-learn code that reproduces these data and this run."""
    with st.expander("Show the code"):
        try:
            code = sklearn_code(DataSpec.from_key(session.data_key()), settings,
                                start=engine.history[0].params,
                                frozen=engine.frozen.as_dict() or None)
        except (ValueError, TypeError, IndexError) as exc:
            st.caption(f"No code for this run: {exc}")
            return
        which = ("gmm_core's GaussianMixture (scikit-learn's API with sample_weight and "
                 "frozen)" if "from gmm_core import GaussianMixture" in code
                 else "scikit-learn's GaussianMixture")
        st.caption(f"Paste into a notebook: {which} from the same start ends where 'Run to "
                   "convergence' ends here (same iterations, same numbers).")
        st.code(code, language="python")
