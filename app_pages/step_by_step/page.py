"""Step by step: watch EM fit a Gaussian mixture one half-step at a time."""

from __future__ import annotations

import streamlit as st

from ui.sidebar import data_ui, model_ui

from . import controls, exports, panels
from .run import PLAYER, current_lane, engine_for, view_record


def render():
    st.title("EM, one half-step at a time")
    data = data_ui()
    shape = "bell curve" if data.X.shape[1] == 1 else "ellipse"
    st.caption(
        "The **E-step** recolours every point by its responsibilities γ (how much each "
        f"component explains it); the **M-step** moves each {shape} to the γ-weighted mean "
        "and spread of its points. Press them in turn and watch the log-likelihood climb."
    )
    settings = model_ui(data)
    engine = engine_for(data, settings)
    if engine is None:
        controls.placing_ui(data, settings)
        return
    playing, interval = PLAYER.playing, PLAYER.interval()

    # Everything a step changes is in this fragment, buttons included: a click reruns only
    # it, and the sidebar is neither rerun nor redrawn. Play's timer reruns it too.
    @st.fragment(run_every=interval if playing else None)
    def stage():
        PLAYER.tick(settings.max_iter, was_playing=playing, was_interval=interval)
        controls.stepping_ui(engine, settings)
        error = current_lane().error
        if error:
            st.error(f"That step could not be done: {error} The run is unchanged.")
        history, view = view_record(engine)
        record = history[view]
        panels.metrics_ui(data.X, record, history, settings)
        has_gamma = any(r.phase == "E" for r in history[: view + 1])
        options = controls.chart_options_ui(data.X.shape[1], data.labels is not None,
                                            has_gamma=has_gamma)
        controls.main_chart_ui(engine, data, record, history, options)
        controls.history_ui(history, view)
        st.subheader("One point's responsibilities: the E-step")
        panels.point_details_ui(engine, data, record)
        st.subheader("Parameters and the M-step")
        panels.parameters_ui(engine, data, record)
        panels.code_ui(engine, settings)
        exports.exports_ui(engine, data, settings, record, history)

    stage()
