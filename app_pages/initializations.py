"""Initializations: why EM gives different answers from different starts, and what it costs."""

import streamlit as st

from ui import compare, widgets

st.title("Initializations")
st.caption(
    "EM only ever climbs the log-likelihood, so the start decides which hill it ends on. Run "
    "several starts side by side on the same data, K and covariance type, then fit many seeds "
    "to see the landscape of local optima."
)

data = widgets.data_ui()
settings = widgets.model_ui(data)
compare.presets_ui()

st.header("Side by side")
choices = compare.choices_ui()
runs = compare.runs_for(data, settings, choices)
compare.lockstep_ui(runs, settings)
interval = widgets.SPEEDS[st.session_state["cmp_speed"]]


@st.fragment(run_every=interval if st.session_state.get("cmp_playing") else None)
def side_by_side():
    if st.session_state.get("cmp_playing") and not compare.half_step_all(settings.max_iter):
        st.session_state["cmp_playing"] = False
        st.rerun()
    compare.panels_ui(runs, data, settings)
    compare.curves_ui(runs)
    compare.summary_ui(runs, data, settings)


side_by_side()

st.header("Many restarts")
compare.study_ui(data, settings)
