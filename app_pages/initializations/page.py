"""Initializations: why EM gives different answers from different starts, and what it costs."""

from __future__ import annotations

import streamlit as st

from ui.sidebar import data_ui, model_ui

from . import panels, presets, runs, study
from .lockstep import PLAYER, lockstep_ui


def render():
    st.title("Initializations")
    st.caption(
        "EM only ever climbs the log-likelihood, so the start decides which hill it ends on. "
        "Run several starts side by side on the same data, K and covariance type, then fit "
        "many seeds to see the landscape of local optima."
    )
    data = data_ui()
    settings = model_ui(data, show_start=False)  # the runs choose their own starts
    presets.presets_ui()

    st.header("Side by side")
    choices = runs.choices_ui()
    side_runs = runs.runs_for(data, settings, choices)
    runs.follow_link(side_runs, settings)
    lockstep_ui(settings)
    playing, interval = PLAYER.playing, PLAYER.interval()

    # Play's timer reruns only this fragment; a tick moves every run a half-step.
    @st.fragment(run_every=interval if playing else None)
    def side_by_side():
        PLAYER.tick(settings.max_iter, was_playing=playing, was_interval=interval)
        panels.panels_ui(side_runs, data, settings)
        panels.curves_ui(side_runs)
        panels.summary_ui(side_runs, data, settings)
        panels.code_ui(side_runs, settings)
        runs.link_half_steps(side_runs)

    side_by_side()

    st.header("Many restarts")
    study.study_ui(data, settings)
