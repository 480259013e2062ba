"""The page's "Degeneracy lab": step EM while a component collapses onto duplicated points."""

from __future__ import annotations

import numpy as np
import streamlit as st

from lab_maths import degeneracy
from ui.presenter import plotly_chart

from . import figures as fig
from . import keys
from .comparisons import side_by_side

#: Axes wide enough for the broad starting ellipses (2σ) as well as the data.
LAB_RANGES = [(-4.0, 6.5), (-4.0, 6.5)]
REG_OPTIONS = keys.LAB_REG_OPTIONS  # 0 → 10⁻¹ left to right, as the sidebar's


@st.cache_data(max_entries=1, show_spinner=False)
def _preset():
    return degeneracy.collapse_preset()


def _engine():
    """The lab's run for the chosen reg_covar (a new reg_covar starts a new run)."""
    ss = st.session_state
    reg = float(ss[keys.LAB_REG])
    held = ss.get(keys.LAB_ENGINE)
    if held is None or held[0] != reg:
        ss[keys.LAB_ENGINE] = (reg, degeneracy.lab_engine(_preset(), reg))
        ss[keys.LAB_ERROR] = None
    return ss[keys.LAB_ENGINE][1]


def _step(count: int):
    engine = _engine()
    for _ in range(count):
        try:
            engine.step()
        except ValueError as exc:
            st.session_state[keys.LAB_ERROR] = (engine.n_iter + 1, str(exc))
            return


def _reset():
    st.session_state.pop(keys.LAB_ENGINE, None)
    st.session_state[keys.LAB_ERROR] = None


def lab_ui():
    st.header("Degeneracy lab: a component collapses")
    st.caption(
        "120 points from one Gaussian and 4 copies of the point (3, 3). EM starts with one "
        "broad component on the blob and one on the copies. Step it: the second component "
        "keeps only the copies, its ellipse shrinks towards a point and the log-likelihood "
        "climbs. With reg_covar = 0 nothing stops it; reg_covar is added to every variance "
        "and stops the shrinking at about its value."
    )
    st.session_state.setdefault(keys.LAB_REG, 0.0)
    with st.container(horizontal=True, gap="small", vertical_alignment="bottom"):
        st.select_slider("reg_covar for the lab", REG_OPTIONS, key=keys.LAB_REG, width=300,
                         format_func=lambda v: "0" if v == 0 else f"1e{int(np.log10(v))}")
        st.button("EM step", on_click=_step, args=(1,), key="ms_lab_step")
        st.button("10 steps", on_click=_step, args=(10,), key="ms_lab_step10")
        st.button("Reset", on_click=_reset, key="ms_lab_reset")
    engine = _engine()
    preset = _preset()
    trace = degeneracy.collapse_trace(engine, preset.duplicate)
    last = trace.iloc[-1]
    with st.container(horizontal=True, gap="medium"):
        st.metric("Iteration", int(last.iteration), width="content")
        st.metric("Log-likelihood", f"{last.log_likelihood:,.3f}", width="content")
        st.metric("Smallest σ² of component 2", f"{last.smallest_variance:.3g}",
                  width="content")
        st.metric("log p(x) at (3, 3)", f"{last.log_density_at_point:+.3f}", width="content")
    error = st.session_state.get(keys.LAB_ERROR)
    if error is not None:
        st.error(f"EM refused iteration {error[0]}: {error[1]} The charts show the last "
                 "iteration it could do.")
    elif engine.current.regularized:
        st.info("Component 2's variance is held at reg_covar: it cannot shrink further, so "
                "the log-likelihood stops climbing.")
    left, right = side_by_side(460)
    with left:
        plotly_chart(fig.model_scatter(preset.X, engine.current.params, height=420,
                                       ranges=LAB_RANGES,
                                       title=f"Iteration {int(last.iteration)}: 1σ and 2σ "
                                             "ellipses"),
                     config={"displayModeBar": False}, key="ms_lab_chart")
    with right:
        plotly_chart(fig.collapse_figure(trace, title="As EM steps"),
                     config={"displayModeBar": False}, key="ms_lab_trace")
    st.caption(
        "Why a log-density can be positive: a density is not a probability. A Gaussian's "
        "height at its mean is 1/(2π σ₁ σ₂) in 2-D, above 1 as soon as the variances are "
        "small, so log p(x) > 0 there; a likelihood is a product of such heights, and a "
        "component squeezed onto repeated points makes it grow without bound. That is why "
        "the maximum likelihood of a Gaussian mixture does not exist without reg_covar (or "
        "a prior), and why such fits must not win BIC."
    )
