"""Step by step: watch EM fit a Gaussian mixture one half-step at a time."""

import streamlit as st

from ui import state, widgets

st.title("EM, one half-step at a time")
st.caption(
    "The **E-step** recolours every point by its responsibilities γ (how much each component "
    "explains it); the **M-step** moves each ellipse to the γ-weighted mean and spread of its "
    "points. Press them in turn and watch the log-likelihood climb."
)

data = widgets.data_ui()
settings = widgets.model_ui(data)
engine = state.engine_for(data, settings)

if engine is None:
    widgets.placing_ui(data, settings)
    st.stop()

playing = bool(st.session_state.get("playing"))
interval = widgets.SPEEDS[st.session_state.get("speed", widgets.DEFAULT_SPEED)]


# Everything a step changes is in this fragment, buttons included: a click reruns only it,
# and the sidebar is neither rerun nor redrawn.
@st.fragment(run_every=interval if playing else None)
def stage():
    if (st.session_state.get("playing") and state.tick_due(interval)
            and not state.half_step(engine, settings.max_iter)):
        st.session_state["playing"] = False
    now_playing = bool(st.session_state.get("playing"))
    speed = widgets.SPEEDS[st.session_state.get("speed", widgets.DEFAULT_SPEED)]
    if now_playing != playing or (playing and speed != interval):
        st.rerun()  # the whole page: starts, stops or re-times the fragment's timer
    widgets.stepping_ui(engine, settings)
    if st.session_state.get("step_error"):
        st.error(f"That step could not be done: {st.session_state['step_error']} "
                 "The run is unchanged.")
    history, view = widgets.view_record(engine)
    record = history[view]
    widgets.metrics_ui(engine, record, history, settings)
    options = widgets.chart_options_ui(data.X.shape[1], data.labels is not None,
                                       has_gamma=any(r.phase == "E" for r in history[: view + 1]))
    widgets.main_chart_ui(engine, data, record, history, options)
    widgets.history_ui(engine, history, view)
    st.subheader("One point's responsibilities: the E-step")
    widgets.point_details_ui(engine, data, record)
    st.subheader("Parameters and the M-step")
    widgets.parameters_ui(engine, data, record)


stage()
