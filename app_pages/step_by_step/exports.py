"""The Step by step page's "Export" section: the parameters of the half-step shown (JSON, and
loadable as a start), the run's history (CSV), the whole run as a standalone HTML replay, and
where the charts' PNG/SVG buttons are.

The CSV and the HTML are made only when their button is pressed (``st.download_button`` with a
callable): a click on a stepping button costs no more than before.
"""

from __future__ import annotations

import re

import streamlit as st

from gmm_core import EMEngine
from gmm_core.datasets import Dataset
from ui import session
from ui.exports import (
    REPLAY_MAX_POINTS,
    history_csv,
    parameters_json,
    replay_html,
    stop_sentence,
)
from ui.figures import half_step_name
from ui.live_chart import IMAGE_HEIGHT, IMAGE_WIDTH
from ui.session import Settings
from ui.start import Start

from . import keys


def start_words(settings: Settings) -> str:
    """The run's start in words (as the sidebar names it)."""
    if settings.init is Start.FILE:
        start = session.loaded()
        return f"parameters from the file {start.name}" if start else settings.init.value
    if settings.init is Start.CLICK:
        return "means placed by clicking"
    return f"{settings.init.value}, seed {settings.seed}"


def run_description(data: Dataset, settings: Settings, history) -> tuple[str, str]:
    """The replay's title and caption: the data, the model, the start, how the run stopped."""
    n, d = data.X.shape
    title = (f"EM on {data.name}: K = {settings.n_components}, "
             f"{settings.covariance_type} covariances")
    caption = (f"{n:,} points × {d} feature(s) ({', '.join(data.feature_names)}). "
               f"K = {settings.n_components}, covariance type {settings.covariance_type}, "
               f"start: {start_words(settings)}; reg_covar = {settings.reg_covar:g}, "
               f"tol = {settings.tol:g}. {stop_sentence(history, settings.max_iter, settings.tol)} "
               f"{len(history)} half-steps. Made with EM Playground.")
    return title, caption


def _stem(data: Dataset) -> str:
    return re.sub(r"[^a-z0-9]+", "-", data.name.lower()).strip("-") or "data"


def exports_ui(engine: EMEngine, data: Dataset, settings: Settings, record, history):
    """The Export section (an expander) for the run and the half-step ``record`` shown."""
    stem, names = _stem(data), data.feature_names
    whole = engine.history  # the replay and the CSV cover the whole run, not just the view
    with st.expander("Export: parameters, history, replay, figures",
                     icon=":material/download:"):
        with st.container(horizontal=True):
            about = {"data": data.name, "n_samples": int(len(data.X)),
                     "feature_names": list(names), "start": start_words(settings)}
            st.download_button(
                "Parameters (JSON)", parameters_json(record, about), key=keys.EXPORT_JSON,
                file_name=f"em-{stem}-parameters-half-step-{record.index}.json",
                mime="application/json", on_click="ignore", icon=":material/data_object:",
                help=f"π_z, μ_z, Σ_z at {half_step_name(record)}; load it back with the "
                     f"sidebar's Initialisation “{Start.FILE}”.")
            st.download_button(
                "History (CSV)", lambda: history_csv(whole, names), key=keys.EXPORT_CSV,
                file_name=f"em-{stem}-history.csv", mime="text/csv", on_click="ignore",
                icon=":material/table:",
                help="One row per half-step: phase, iteration, log-likelihood, Δ, then π_z, "
                     "μ_z and the covariance entries.")
            title, caption = run_description(data, settings, whole)
            st.download_button(
                "Replay (HTML)", lambda: replay_html(data.X, whole, title=title,
                                                     caption=caption, feature_names=names,
                                                     same_units=data.same_units),
                key=keys.EXPORT_HTML, file_name=f"em-{stem}-replay.html", mime="text/html",
                on_click="ignore", icon=":material/slideshow:",
                help="The whole run in one HTML file (≈ 5 MB, Plotly.js inside): opens in any "
                     "browser with no server and no internet; Play or drag the slider.")
        notes = [f"Parameters: those of the half-step shown ({half_step_name(record)}). "
                 f"History and replay: the whole run, {len(whole)} half-steps."]
        if len(data.X) > REPLAY_MAX_POINTS:
            notes.append(f"The replay draws a fixed random sample of {REPLAY_MAX_POINTS:,} of "
                         f"the {len(data.X):,} points (it says so).")
        if session.data_key() and session.data_key()[0] == "upload":
            notes.append("Your uploaded data are not in the parameters or CSV files, but the "
                         "replay contains their points: share it only if you may share them.")
        notes.append(f"Charts: in a chart's toolbar (hover it), the camera saves a PNG of "
                     f"{IMAGE_WIDTH}×{IMAGE_HEIGHT} px and the disk at its right end an SVG.")
        st.caption(" ".join(notes))
