"""Anomaly detection tab: flag points of low log-density, measure it on injected outliers,
and score new points from a CSV file."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from lab_maths import anomaly
from lab_maths import applications as apps
from ui import data as data_mod
from ui.presenter import plotly_chart

from . import figures, fitting, keys

TABLE_ROWS = 10


@dataclass(frozen=True, eq=False)
class AnomalyView:
    X: np.ndarray
    truth: np.ndarray | None  # injected outliers (preset) or None
    feature_names: tuple
    name: str
    n_components: int
    covariance_type: str
    model: object
    log_p: np.ndarray
    distances: np.ndarray  # Mahalanobis distance to each component, (n, K)
    grid: tuple | None  # 2-D: (xs, ys, log p) for the boundary contour


@st.cache_data(max_entries=8, show_spinner="Fitting the mixture and scoring every point…")
def cached_scores(X, n_components, covariance_type, seed, fit_kwargs):
    model = apps.fit_mixture(X, n_components, covariance_type, random_state=seed,
                             **fit_kwargs)
    params = apps.mixture_parameters(model)
    distances = anomaly.mahalanobis_to_components(X, params.means, params.full_covariances())
    grid = apps.density_grid(model, X, resolution=90) if X.shape[1] >= 2 else None
    return model, model.score_samples(X), distances, grid


@st.cache_data(max_entries=4, show_spinner=False)
def cached_upload(raw: bytes):
    return data_mod.read_csv_upload(raw)


def compute(data, settings, n_outliers):
    X = apps.check_data(data.X, settings.n_components, data.feature_names)
    truth, name = None, data.name
    if n_outliers:
        X, truth = anomaly.inject_outliers(X, n_outliers, seed=settings.seed)
        name = f"{data.name} + {n_outliers} injected outliers"
    model, log_p, distances, grid = cached_scores(
        X, settings.n_components, settings.covariance_type, settings.seed,
        fitting.fit_kwargs(settings))
    return AnomalyView(X, truth, data.feature_names, name, settings.n_components,
                       settings.covariance_type, model, log_p, distances, grid)


def render(data, settings):
    st.markdown(
        "A point is unusual when the fitted mixture finds it unlikely: it is **flagged** when "
        "its log-density log p(x) = log Σ_z π_z N(x | μ_z, Σ_z) falls below a threshold t."
    )
    with st.container(horizontal=True, gap="medium", vertical_alignment="bottom"):
        inject = st.toggle("Preset: inject known outliers", key=keys.AN_INJECT,
                           help="Adds points drawn uniformly from a box 50 % wider than the "
                                "data on every side, so precision and recall can be measured.")
        st.session_state.setdefault(keys.AN_N_OUTLIERS, 20)  # no value=: a link may set it
        n_outliers = st.slider("Outliers to inject", 5, 100, step=5,
                               key=keys.AN_N_OUTLIERS, disabled=not inject, width=220)
        mode = st.radio("Threshold by", (keys.BY_PERCENTILE, keys.BY_VALUE), key=keys.AN_MODE,
                        horizontal=True)
    fitting.click_note(settings)
    view = fitting.compute_or_keep(keys.AN_LAST, compute, data, settings,
                                  n_outliers if inject else 0)
    if view is None:
        return
    threshold, how = _threshold_ui(view, mode)
    flagged = anomaly.flag(view.log_p, threshold)
    n = len(view.X)
    st.caption(f"Data: **{view.name}**, {n:,} points; K = {view.n_components}, "
               f"{view.covariance_type} covariances, fitted to all of them"
               + (" (injected outliers included, as in real use). " if view.truth is not None
                  else ". ")
               + how)
    with st.container(horizontal=True, gap="medium"):
        st.metric("Flagged", f"{int(flagged.sum()):,} of {n:,}", width="content")
        st.metric("Threshold t", fitting.nats(threshold), width="content",
                  help="Points with log p(x) < t are flagged.")
        if view.truth is not None:
            precision, recall = anomaly.precision_recall(view.truth, flagged)
            st.metric("Precision", f"{precision:.3f}", width="content",
                      help="Of the flagged points, the share that are injected outliers.")
            st.metric("Recall", f"{recall:.3f}", width="content",
                      help="Of the injected outliers, the share that are flagged.")
    left, right = st.columns([3, 2]) if view.truth is not None else (st.container(), None)
    with left:
        plotly_chart(figures.anomaly_figure(
         view.X, view.log_p, flagged, view.feature_names, view.grid, threshold,
         view.truth), key="app_an_chart")
    if right is not None:
        with right:
            curve = anomaly.precision_recall_curve(view.truth, view.log_p)
            plotly_chart(figures.pr_curve_figure(curve, (precision, recall)),
                         key="app_an_pr")
            st.caption("Each point of the curve is one threshold: flag the m least likely "
                       "points, for m = 1, 2, … n.")
    _table_ui(view)
    _score_new_points_ui(view, threshold)
    with st.expander("The formulas"):
        st.latex(r"\log p(x) = \log \sum_{z=1}^{K} \pi_z\,\mathcal N(x \mid \mu_z, \Sigma_z)"
                 r"\qquad x \text{ flagged} \iff \log p(x) < t")
        st.caption("By percentile, t is the p-th percentile of the data's own log p(x), so "
                   "about p % of them are flagged (ties can make it a few more).")


def _table_ui(view):
    st.subheader(f"The {min(TABLE_ROWS, len(view.X))} least likely points")
    table = anomaly.most_anomalous(view.X, view.log_p, view.distances, view.feature_names,
                                   TABLE_ROWS)
    if view.truth is not None:
        table["injected"] = view.truth[table["row"].to_numpy()]
    st.dataframe(table, hide_index=True, column_config=_number_format(table))
    st.caption("Closest z: the component with the smallest Mahalanobis distance "
               "d = √((x − μ_z)ᵀ Σ_z⁻¹ (x − μ_z)).")


def _threshold_ui(view, mode):
    """The threshold t from a percentile slider or a typed value; returns (t, sentence)."""
    if mode == keys.BY_PERCENTILE:
        st.session_state.setdefault(keys.AN_PERCENTILE, 2.0)
        p = st.slider("Percentile p (flag the least likely p %)", 0.5, 20.0, step=0.5,
                      key=keys.AN_PERCENTILE)
        t = anomaly.threshold_from_percentile(view.log_p, p)
        return t, (f"t = {fitting.nats(t)} is percentile {p:g} of log p(x): about {p:g} % of "
                   "the points lie below it.")
    lo, hi = float(view.log_p.min()), float(view.log_p.max())
    default = anomaly.threshold_from_percentile(view.log_p, 2.0)
    if keys.AN_VALUE not in st.session_state:
        st.session_state[keys.AN_VALUE] = round(default, 2)
    t = st.number_input(f"Threshold t on log p(x) (the data range from {fitting.nats(lo)} "
                        f"to {fitting.nats(hi)})", step=0.5, format="%.2f", key=keys.AN_VALUE)
    return float(t), f"t = {fitting.nats(t)} was typed in."


def _number_format(table):
    return {c: st.column_config.NumberColumn(format="%.3f") for c in table.columns
            if table[c].dtype.kind == "f"}


def _score_new_points_ui(view, threshold):
    st.subheader("Which of these are unusual? Score new points")
    names = list(view.feature_names)
    upload = st.file_uploader(
        f"A CSV of new points with the column(s) {', '.join(names)}", type=["csv", "txt"],
        key=keys.AN_UPLOAD, help=data_mod.ACCEPTED)
    if upload is None:
        st.caption("Upload a file to score it with the model above and the same threshold t.")
        return
    try:
        table = cached_upload(upload.getvalue())
        missing = [c for c in names if c not in table.columns]
        if missing and table.shape[1] < len(names):
            raise ValueError(f"The file has {table.shape[1]} numeric column(s); the model "
                             f"needs {len(names)} ({', '.join(names)}).")
        columns = names if not missing else list(table.columns[: len(names)])
        new = data_mod.dataset_from_table(table, columns, min_rows=1, name=upload.name)
    except ValueError as exc:
        st.error(f"{exc} Nothing was scored.")
        return
    if missing:
        st.warning(f"No column named {', '.join(missing)}: the first {len(names)} numeric "
                   f"column(s), {', '.join(columns)}, are used in their place.")
    log_p = view.model.score_samples(new.X)
    flagged = anomaly.flag(log_p, threshold)
    frame = table.loc[:, columns].dropna().reset_index(drop=True)
    frame["log p(x)"] = log_p
    frame["unusual (log p < t)"] = flagged
    st.markdown(f"**{int(flagged.sum()):,} of {len(new.X):,}** new points are unusual "
                f"(log p(x) < t = {fitting.nats(threshold)})."
                + (f" {new.note}" if new.note else ""))
    st.dataframe(frame, hide_index=True, column_config=_number_format(frame))
