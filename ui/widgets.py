"""Streamlit widgets shared by pages: ``*_ui()`` helpers that draw and return values."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import streamlit as st

from gmm_core import COVARIANCE_DESCRIPTIONS, COVARIANCE_TYPES, EMEngine, n_parameters
from gmm_core.datasets import IRIS_FEATURES, PENGUIN_NUMERIC, Dataset

from . import data as data_mod
from . import figures, formulas, state
from .live_chart import live_chart

REG_COVAR_OPTIONS = (0.0, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1)
TOL_OPTIONS = (1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-8)
INIT_HELP = {
    "k-means": "Responsibilities from a k-means clustering (scikit-learn's default).",
    "k-means++": "Means at k-means++ seeds; each covariance starts as a spike of reg_covar.",
    "random responsibilities": "Random γ per point: every component starts near the data "
                               "mean with the whole data's spread.",
    "random data points": "Means at K random data points; each covariance starts as a "
                          "spike of reg_covar.",
    "place means by clicking": "Click K data points on the chart; round starting "
                               "covariances, equal weights.",
}
SPEEDS = {"slow (1 / s)": 1.0, "normal (2 / s)": 0.5, "fast (4 / s)": 0.25}
DEFAULT_SPEED = "normal (2 / s)"


def _default(key, value):
    """A shared setting: its value lives in the plain key ``s_<key>`` (never cleaned up), and
    the widget ``key`` is refilled from it before each run, so every page shows the same value.

    (A widget's own state is per page: another page's widget with the same key starts from its
    default, and ``persist_state`` keeps values per page, not across pages.)
    """
    ss = st.session_state
    store = "s_" + key
    if store not in ss:
        ss[store] = ss[key] if key in ss else value
    ss[key] = ss[store]


def _keep(key):
    st.session_state["s_" + key] = st.session_state[key]


def shared(key):
    """Widget arguments for a shared setting (see ``_default``)."""
    return dict(key=key, on_change=_keep, args=(key,))


def kept(key, default):
    """``_default`` + ``shared``: widget arguments for a value that survives page switches."""
    _default(key, default)
    return shared(key)


set_kept = state.set_kept  # set a kept widget's value from code (a callback or a preset)


@st.cache_data(max_entries=4, show_spinner=False)
def _read_upload(raw: bytes) -> pd.DataFrame:
    return data_mod.read_csv_upload(raw)


def data_ui() -> Dataset | None:
    """Sidebar "Data" section; returns the data in use (the previous data if a load fails)."""
    _default("dataset", data_mod.DEFAULT_DATASET)
    _default("n_points", 600)
    _default("data_seed", 0)
    _default("penguin_columns", ["bill_length_mm", "flipper_length_mm"])
    _default("iris_columns", ["petal length (cm)", "petal width (cm)"])
    _default("standardize", False)
    _default("show_labels", False)
    with st.sidebar:
        st.header("Data")
        name = st.selectbox("Dataset", data_mod.DATASET_NAMES, **shared("dataset"))
        try:
            if data_mod.is_synthetic(name):
                n = st.slider("Number of points", 50, 20_000, step=50, **shared("n_points"))
                seed = int(st.number_input("Data seed", 0, 1_000_000, step=1,
                                           **shared("data_seed")))
                state.set_data(state.cached_dataset(name, n, seed, ()), (name, n, seed))
            elif name == data_mod.PENGUINS:
                cols = st.multiselect("Columns (choose 2)", PENGUIN_NUMERIC,
                                      max_selections=2, **shared("penguin_columns"))
                _set_chosen(name, cols)
            elif name == data_mod.IRIS:
                cols = st.multiselect("Features (choose 2)", IRIS_FEATURES, max_selections=2,
                                      **shared("iris_columns"))
                _set_chosen(name, cols)
            elif name == data_mod.UPLOAD:
                _upload_ui()
            else:
                state.set_data(state.cached_dataset(name, 0, 0, ()), (name,))
        except ValueError as exc:
            st.error(f"{exc} The previous data stays in use.")
        data = state.current_data()
        if data is None:  # e.g. first visit straight to "Upload CSV"
            default = data_mod.DEFAULT_DATASET
            state.set_data(state.cached_dataset(default, 600, 0, ()), (default, 600, 0))
            data = state.current_data()
        if data.labels is not None:
            st.checkbox("Show true labels (marker shapes)", **shared("show_labels"))
        caption = f"In use: **{data.name}**, {len(data.X):,} points × {data.X.shape[1]} feature(s)"
        st.caption(caption + (f". {data.note}" if data.note else "."))
    return data


def _set_chosen(name, cols):
    if len(cols) != 2:
        st.info("Choose two columns; the previous data stays in use until then.")
        return
    state.set_data(state.cached_dataset(name, 0, 0, tuple(cols)), (name, tuple(cols)))


def _upload_ui():
    upload = st.file_uploader("CSV file", key="upload_file",
                              help=data_mod.ACCEPTED)
    if upload is None:
        st.info("Upload a CSV file; the previous data stays in use until then.")
        return
    raw = upload.getvalue()
    table = _read_upload(raw)
    numeric = list(table.columns)
    _default("upload_columns", numeric[:2])
    chosen = st.session_state["upload_columns"]
    if not chosen or any(c not in numeric for c in chosen):
        st.session_state["upload_columns"] = st.session_state["s_upload_columns"] = numeric[:2]
    cols = st.multiselect("Numeric columns (1 or 2)", numeric, max_selections=2,
                          **shared("upload_columns"))
    standardize = st.checkbox("Standardise (mean 0, variance 1)", **shared("standardize"))
    if not cols:
        st.info("Choose 1 or 2 numeric columns.")
        return
    k = int(st.session_state.get("K", 2))
    dataset = data_mod.dataset_from_table(table, cols, standardize=standardize,
                                          min_rows=max(2, k), name=upload.name)
    digest = hashlib.sha1(raw).hexdigest()
    state.set_data(dataset, ("upload", digest, tuple(cols), standardize))
    if dataset.note:
        st.warning(dataset.note)


def model_ui(data: Dataset) -> state.Settings:
    """Sidebar "Model" section; returns the settings."""
    _default("K", 2)
    _default("covariance_type", "full")
    _default("init", "k-means")
    _default("seed", 0)
    _default("reg_covar", 1e-6)
    _default("tol", 1e-3)
    _default("max_iter", 100)
    d = data.X.shape[1]
    with st.sidebar:
        st.header("Model")
        k = st.slider("Components K", 1, 10, **shared("K"))
        cov = st.selectbox(
            "Covariance type", COVARIANCE_TYPES, **shared("covariance_type"),
            format_func=lambda c: f"{c} ({n_parameters(k, d, c)} free parameters)",
        )
        st.caption(f"{COVARIANCE_DESCRIPTIONS[cov].capitalize()}.")
        init = st.selectbox("Initialisation", list(state.INIT_CHOICES), **shared("init"))
        st.caption(INIT_HELP[init])
        seed = int(st.number_input("Seed", 0, 1_000_000, step=1, **shared("seed")))
        reg = st.select_slider("reg_covar (log scale)", REG_COVAR_OPTIONS, **shared("reg_covar"),
                               format_func=lambda v: "0" if v == 0 else f"1e{int(np.log10(v))}")
        tol = st.select_slider("tol", TOL_OPTIONS, **shared("tol"),
                               format_func=lambda v: f"1e{int(np.log10(v))}")
        max_iter = int(st.number_input("Max iterations", 1, 1000, step=10, **shared("max_iter")))
    return state.Settings(k, cov, state.INIT_CHOICES[init], seed, float(reg), float(tol),
                          max_iter)


def stepping_ui(engine: EMEngine, settings: state.Settings):
    """The stepping buttons (callbacks change the run) and Play / Pause with a speed."""
    ss = st.session_state
    e_next = engine.next_phase == "E"
    playing = ss.get("playing", False)
    # One row that wraps on narrow screens (fixed columns cut the labels off).
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button("E-step", on_click=state.do_e_step, disabled=not e_next,
                  help="Recompute every point's responsibilities γ from the current π, μ, Σ.")
        st.button("M-step", on_click=state.do_m_step, disabled=e_next,
                  help="Re-estimate π, μ, Σ from the responsibilities (needs an E-step first).")
        st.button("Full iteration", on_click=state.do_iteration)
        st.button("Run to convergence", on_click=state.do_run, args=(settings.max_iter,))
        st.button("Reset", on_click=state.do_reset,
                  help="Back to the start of this run (same initialisation).")
        st.button("Pause" if playing else "Play", on_click=state.toggle_play,
                  type="primary" if playing else "secondary")
        st.selectbox("Speed", list(SPEEDS), label_visibility="collapsed", width=170,
                     **kept("speed", DEFAULT_SPEED))


def view_record(engine: EMEngine):
    history = engine.history
    last = len(history) - 1
    _default("view_index", last)
    view = int(st.session_state["view_index"])
    if not 0 <= view <= last:
        view = last
    state.set_view(view)
    return history, view


def metrics_ui(engine: EMEngine, record, history, settings: state.Settings):
    previous = history[record.index - 1] if record.index > 0 else None
    last_e = next((r for r in reversed(history[: record.index + 1]) if r.phase == "E"), None)
    change = None if last_e is None else last_e.change
    change_ll = None if previous is None else record.log_likelihood - previous.log_likelihood
    delta = None if change_ll is None else _number(change_ll, sign=True)
    # A change that rounds to 0 (float noise after convergence) is no fall: no red arrow.
    flat = change_ll is not None and abs(change_ll) < 5e-4
    # Each metric as wide as its value, in a row that wraps: fixed columns cut the values off
    # ("-1,5…") in a narrow window.
    with st.container(horizontal=True, gap="medium"):
        st.metric("Iteration", record.n_iter, width="content")
        st.metric("Log-likelihood", _number(record.log_likelihood), width="content",
                  delta="±0.000" if flat else delta, delta_color="off" if flat else "normal",
                  help="Total log-likelihood Σᵢ log p(xᵢ); the delta is the last half-step's.")
        st.metric("Phase", figures.PHASE_NAMES[record.phase], width="content")
        st.metric("Δ mean log-likelihood", "—" if change is None or not np.isfinite(change)
                  else f"{change:.2e}", width="content",
                  help="Change of the per-point mean log-likelihood since the previous E-step; "
                       "EM stops when its size falls below tol.")
    fired = next((r for r in history[: record.index + 1] if r.phase == "E" and r.converged),
                 None)
    if fired is not None:
        st.success(
            f"EM converged after {fired.iteration} iterations: the E-step of iteration "
            f"{fired.iteration} found |Δ mean log-likelihood| = {abs(fired.change):.2e} "
            f"< tol = {settings.tol:g} (the M-step of that iteration still runs, as in "
            "scikit-learn)."
            + (" The iterations after it change nothing." if record.n_iter > fired.iteration
               else "")
        )
    elif record.index == len(history) - 1 and record.n_iter >= settings.max_iter:
        st.warning(f"Stopped at max iterations ({settings.max_iter}) without converging.")
    if record.collapsed:
        st.warning("Component(s) " + ", ".join(str(c + 1) for c in record.collapsed)
                   + " collapsed: N_z ≈ 0, almost no point belongs to them.")
    if record.regularized:
        st.info("Component(s) " + ", ".join(str(c + 1) for c in record.regularized)
                + " stay positive-definite only thanks to reg_covar (a variance ≤ reg_covar).")


def _number(value: float, sign=False) -> str:
    """A metric value that fits its column: 3 decimals, or 4 significant digits in scientific
    notation from a million on (a spike start's −2,946,879,301.862 was cut off)."""
    if abs(value) >= 1e6:
        return f"{value:+.4e}" if sign else f"{value:.4e}"
    return f"{value:+,.3f}" if sign else f"{value:,.3f}"


def chart_options_ui(d: int, has_labels: bool, has_gamma: bool = True) -> dict:
    """The data chart's toggles; the two that show responsibilities wait for an E-step."""
    if d == 1:
        return {}
    wait = None if has_gamma else "Needs responsibilities: press E-step first."
    with st.container(horizontal=True, gap="medium"):
        return dict(
            hard_labels=st.toggle("Hard labels", disabled=not has_gamma, help=wait,
                                  **kept("opt_hard", False)),
            uncertainty=st.toggle("Uncertainty (1 − max γ)", disabled=not has_gamma, help=wait,
                                  **kept("opt_uncertainty", False)),
            sigmas=(1, 2, 3) if st.toggle("3σ ellipse", **kept("opt_3sigma", False))
            else (1, 2),
            density=st.toggle("Density contours", **kept("opt_density", False)),
        )


def main_chart_ui(engine, data: Dataset, record, history, options, *, key="main_chart"):
    """The data chart for the viewed record; clicking a point selects it (or places a mean)."""
    ss = st.session_state
    resp = engine.responsibilities_at(record.index)
    previous = history[record.index - 1] if record.phase == "M" else None
    selected = ss.get("selected_point")
    uirevision = str(ss.get("data_key"))
    if data.X.shape[1] == 1:
        fig = figures.density_1d_figure(data.X, record, resp, previous=previous,
                                        selected=selected, feature_name=data.feature_names[0],
                                        uirevision=uirevision)
    else:
        labels = data.labels if ss.get("show_labels") and data.labels is not None else None
        fig = figures.mixture_figure(data.X, record, resp, previous=previous,
                                     true_labels=labels, selected=selected,
                                     feature_names=data.feature_names, uirevision=uirevision,
                                     **options)
    live_chart(fig, key=key, revision=record.index,
               on_click=lambda: state.on_chart_select(key))


def placing_ui(data: Dataset, settings: state.Settings, key="main_chart"):
    """Chart for placing the means by clicking points, before the run can start."""
    placed = st.session_state.setdefault("placed_means", [])
    left = settings.n_components - len(placed)
    st.info(f"Click {left} more data point(s) on the chart to place the means "
            f"({len(placed)} of {settings.n_components} placed).")
    st.button("Clear placed means", on_click=lambda: st.session_state.update(placed_means=[]))
    fig = figures.placing_figure(data.X, placed)
    live_chart(fig, key=key + "_placing", revision=len(placed),
               on_click=lambda: state.on_chart_select(key + "_placing"))


def history_ui(engine, history, view, *, key="ll_chart"):
    last = len(history) - 1
    if last > 0:
        st.slider("History (half-step)", 0, last, **shared("view_index"),
                  help="Go back to any earlier half-step; 'Continue from here' branches from it.")
        if view < last:
            st.button("Continue from here", on_click=state.do_continue_here,
                      help="Drop the later half-steps and step on from this one.")
    fig = figures.log_likelihood_figure(history, view)
    live_chart(fig, key=key, revision=view, on_click=lambda: state.on_history_select(key))


def point_details_ui(engine, data: Dataset, record):
    """The clicked point: its responsibilities and the E-step with its numbers."""
    index = st.session_state.get("selected_point")
    if index is None or not 0 <= index < len(data.X):
        st.caption("Click a data point on the chart to see its responsibilities and the "
                   "E-step with its numbers.")
        return
    resp = engine.responsibilities_at(record.index)
    e_record = next((r for r in reversed(engine.history[: record.index + 1]) if r.phase == "E"),
                    None)
    if resp is None or e_record is None:
        st.caption(f"Point {index}: no E-step yet, so no responsibilities.")
        return
    left, right = st.columns([2, 3])
    with left:
        st.plotly_chart(figures.responsibilities_bar(resp[index], point_index=index),
                        key="resp_bar", config={"displayModeBar": False})
    with right:
        st.latex(formulas.E_STEP_1D if data.X.shape[1] == 1 else formulas.E_STEP_2D)
        st.latex(formulas.e_step_numbers(data.X[index], index, e_record))
        # st.table: static HTML, much lighter in the browser than a data grid.
        terms = pd.DataFrame(formulas.e_step_table(data.X[index], e_record))
        terms["z"] = [f"z = {z}" for z in terms["z"]]
        st.table(terms.set_index("z").map(lambda v: f"{v:.4g}"))
        st.caption(f"Point {index} = ({', '.join(f'{v:.4g}' for v in data.X[index])}), "
                   f"with the parameters of the E-step of iteration {e_record.iteration}; "
                   "computed in log space, so far-away points do not give 0/0.")


def parameters_ui(engine, data: Dataset, record):
    """Table of π_z, μ_z, Σ_z (σ_z²), N_z and the M-step with one component's numbers."""
    params = record.params
    covs = params.full_covariances()
    d = data.X.shape[1]
    rows = []
    for z in range(params.n_components):
        row = {"component": f"z = {z + 1}", "π_z": f"{params.weights[z]:.4f}",
               "N_z": "—" if record.nk is None else f"{record.nk[z]:.2f}"}
        if d == 1:
            row.update({"μ_z": f"{params.means[z, 0]:.4g}", "σ_z²": f"{covs[z, 0, 0]:.4g}"})
        else:
            row.update({"μ_z": ", ".join(f"{v:.4g}" for v in params.means[z]),
                         "Σ_z": "  |  ".join(", ".join(f"{v:.4g}" for v in r) for r in covs[z])})
        rows.append(row)
    st.table(pd.DataFrame(rows).set_index("component"))
    m_record = next((r for r in reversed(engine.history[: record.index + 1]) if r.phase == "M"),
                    None)
    for line in (formulas.M_STEP_1D if d == 1 else formulas.M_STEP_2D):
        st.latex(line)
    if m_record is None:
        st.caption("No M-step yet: these are the starting parameters.")
        return
    z = st.selectbox("Component for the M-step numbers", range(params.n_components),
                     format_func=lambda c: f"z = {c + 1}", key="m_component")
    for line in formulas.m_step_numbers(m_record, z, len(data.X)):
        st.latex(line)
    st.caption(f"From the M-step of iteration {m_record.iteration}.")
