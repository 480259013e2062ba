"""Step by step: watch EM fit a Gaussian mixture one half-step at a time."""

from __future__ import annotations

import streamlit as st

from ui import device, presenter
from ui.sidebar import data_ui, model_ui

from . import controls, exports, grab, panels
from .run import PLAYER, current_lane, engine_for, view_record

#: Presenter mode's chart height (px): what a 1024 × 576 screen leaves under the page's top
#: margin (12 px), the stepping buttons (40 + 16 px) and the metrics with 18 px labels and
#: the delta chip (≈ 130 + 16 px). tests/browser/test_presenter.py measures that it fits.
PRESENTER_CHART_HEIGHT = 350
#: A phone's data chart (px): with the title, the status line above it and the buttons under
#: it, on a 390 × 844 screen without scrolling (tests/browser/test_devices.py).
PHONE_CHART_HEIGHT = 430


def intro(shape: str) -> str:
    return ("The **E-step** recolours every point by its responsibilities γ (how much each "
            f"component explains it); the **M-step** moves each {shape} to the γ-weighted "
            "mean and spread of its points. Press them in turn and watch the log-likelihood "
            "climb.")


def render():
    presenting = presenter.active()
    phone = not presenting and device.is_phone()
    if not presenting:
        st.title("EM, one half-step at a time")
    data = data_ui()
    shape = "bell curve" if data.X.shape[1] == 1 else "ellipse"
    if not presenting and not phone:  # a phone shows it under the chart and buttons
        st.caption(intro(shape))
    settings = model_ui(data)
    engine = engine_for(data, settings, pinned=controls.pin_ui(settings.n_components))
    if engine is None:
        with presenter.colors():
            controls.placing_ui(data, settings)
        return
    playing, interval = PLAYER.playing, PLAYER.interval()

    # Everything a step changes is in this fragment, buttons included: a click reruns only
    # it, and the sidebar is neither rerun nor redrawn. Play's timer reruns it too.
    @st.fragment(run_every=interval if playing else None)
    def stage():
        # (The palette is set inside the fragment: its reruns do not pass through here.)
        with presenter.colors():
            PLAYER.tick(settings.max_iter, was_playing=playing, was_interval=interval)
            if presenter.active():
                history, view = _charts_first(engine, data, settings)
            elif device.is_phone():
                history, view = _phone(engine, data, settings, intro(shape))
            else:
                history, view = _in_order(engine, data, settings)
            st.header("One point's responsibilities: the E-step")  # h2 under the h1
            panels.point_details_ui(engine, data, history[view])
            st.header("Parameters and the M-step")
            panels.parameters_ui(engine, data, history[view])
            panels.code_ui(engine, settings)
            exports.exports_ui(engine, data, settings, history[view], history)

    stage()


def _step_error():
    error = current_lane().error
    if error:
        st.error(f"That step could not be done: {error} The run is unchanged.")


def _in_order(engine, data, settings):
    """The normal layout: the buttons, the metrics, the chart's toggles, the data chart, the
    history. Returns the history and the index of the half-step shown."""
    controls.stepping_ui(engine, settings)
    _step_error()
    history, view = view_record(engine)
    record = history[view]
    panels.metrics_ui(engine, record, history, settings)
    has_gamma = history.gamma_in_force(view)
    options = controls.chart_options_ui(data.X.shape[1], data.labels is not None,
                                        has_gamma=has_gamma)
    grabbing = grab.toggle_ui(len(data.X))
    controls.main_chart_ui(engine, data, record, history, options, grab=grabbing)
    grab.below_chart_ui(engine, data, record, history, view, settings.max_iter, grabbing)
    controls.history_ui(history, view)
    return history, view


def _charts_first(engine, data, settings):
    """Presenter mode: the buttons in one row, the metrics, then the data chart and the
    log-likelihood chart side by side; the messages, Play's rate, the chart's toggles and
    the history slider under them."""
    head, top = st.container(), st.container()
    left, right = st.columns(2, gap="small")
    below = st.container()
    with head:
        controls.stepping_ui(engine, settings, rate_in=below)
    with below:
        _step_error()
    history, view = view_record(engine)
    record = history[view]
    with top:
        panels.metrics_ui(engine, record, history, settings, notes=below)
    has_gamma = history.gamma_in_force(view)
    with below:
        options = controls.chart_options_ui(data.X.shape[1], data.labels is not None,
                                            has_gamma=has_gamma)
        controls.history_slider_ui(history, view)
    with left:
        controls.main_chart_ui(engine, data, record, history, options,
                               height=PRESENTER_CHART_HEIGHT)
    with right:
        controls.log_likelihood_ui(history, view, height=PRESENTER_CHART_HEIGHT)
    return history, view


def _phone(engine, data, settings, text):
    """A phone: the iteration and log-likelihood in one line, the data chart, the compact
    buttons right under it (the first screen); then the introduction, the metrics with the
    messages, the chart's toggles and the history."""
    status, chart, buttons = st.container(), st.container(), st.container()
    with buttons:
        controls.stepping_ui(engine, settings, compact=True)
        _step_error()
    history, view = view_record(engine)
    record = history[view]
    with status:
        controls.status_line_ui(record)
    st.caption(text)
    panels.metrics_ui(engine, record, history, settings)
    options = controls.chart_options_ui(data.X.shape[1], data.labels is not None,
                                        has_gamma=history.gamma_in_force(view))
    grabbing = grab.toggle_ui(len(data.X))
    with chart:
        controls.main_chart_ui(engine, data, record, history, options,
                               height=PHONE_CHART_HEIGHT, grab=grabbing)
    # (the drag's teaching line goes here, not between the chart and its buttons)
    grab.below_chart_ui(engine, data, record, history, view, settings.max_iter, grabbing)
    controls.history_ui(history, view)
    return history, view
