"""The sidebar every page shows: "Data" (``data_ui``) and "Model" (``model_ui``)."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import streamlit as st

from gmm_core import COVARIANCE_DESCRIPTIONS, COVARIANCE_TYPES, convergence, n_parameters
from gmm_core.datasets import IRIS_FEATURES, PENGUIN_NUMERIC, Dataset

from . import data as data_mod
from . import session, start_file
from .links import REG_COVAR_OPTIONS, TOL_OPTIONS
from .session import Settings, _default, shared

INIT_HELP = {
    "k-means": "Responsibilities from a k-means clustering (scikit-learn's default).",
    "k-means++": "Means at K data points spread out by k-means++. As in scikit-learn, each "
                 "component starts from its one point alone: weight 1/n, covariance a "
                 "needle-thin spike of reg_covar. So the start's log-likelihood is absurdly "
                 "low (about −10⁹, marked off the chart's scale); the first E-step and "
                 "M-step give every component its share of the data.",
    "random responsibilities": "Random γ per point: every component starts near the data "
                               "mean with the whole data's spread.",
    "random data points": "Means at K random data points. As in scikit-learn, each "
                          "component starts from its one point alone: weight 1/n, "
                          "covariance a needle-thin spike of reg_covar. So the start's "
                          "log-likelihood is absurdly low (about −10⁹, marked off the "
                          "chart's scale); the first E-step and M-step give every "
                          "component its share of the data.",
    session.CLICK: "Click K data points on the chart; round starting covariances, equal "
                   "weights.",
    session.FILE: "Weights, means and covariances from a JSON file (the Export section's "
                  "“Parameters (JSON)”): EM starts exactly there.",
}


#: The first screen: a run that visibly climbs. On "Unequal cluster sizes" with data seed 1,
#: the k-means start cuts the big cluster as k-means does (it assumes round clusters of
#: equal size); EM's weights π and covariances then move the ellipses for 15 iterations,
#: the log-likelihood climbing from −2,334.5 to −2,258.0, to the true clusters (adjusted
#: Rand index 0.82 → 0.96). Every k-means seed tried (0–3) gives this same climb.
FIRST_SCREEN = {
    session.DATASET: data_mod.DEFAULT_DATASET, session.N_POINTS: 600, session.DATA_SEED: 1,
    session.K: 3, session.COVARIANCE_TYPE: "full", session.INIT: "k-means", session.SEED: 0,
    session.REG_COVAR: 1e-6, session.TOL: 1e-3, session.MAX_ITER: 100,
    session.STANDARDIZE: False,
}
#: The columns first shown for the datasets with more than two.
COLUMN_DEFAULTS = {session.PENGUIN_COLUMNS: ["bill_length_mm", "flipper_length_mm"],
                   session.IRIS_COLUMNS: ["petal length (cm)", "petal width (cm)"]}
#: The article's own example (its section 5): X_train and GaussianMixture(2, "full", seed 0).
ARTICLE_EXAMPLE = {**FIRST_SCREEN, session.DATASET: data_mod.ARTICLE_DATASET,
                   session.DATA_SEED: 0, session.K: 2}


#: The one-click alternative that moves on the article's data: random responsibilities put
#: both components at the data mean and EM pulls them apart, −3,260.6 → −1,557.6 in 35
#: iterations (scikit-learn's n_iter_ from the same start). tol = 1e-6: under 1e-3 the rule
#: stops this start on its first slow stretch, after 2 iterations.
ARTICLE_MOVING = {**ARTICLE_EXAMPLE, session.INIT: "random responsibilities", session.TOL: 1e-6}
ARTICLE_WHY = (
    "The article's example stops after 2 iterations, as scikit-learn's does (n_iter_ = 2): "
    "its two Gaussians lie far apart, so the k-means start already sits where EM ends, a "
    "fixed point of EM, and there is nothing left to move. To watch EM move on the same "
    "data, start from random responsibilities: both components begin at the data mean and "
    "EM pulls them apart over 35 iterations (with tol = 1e-6; under 1e-3 the rule stops that "
    "start on its first slow stretch)."
)


def article_note_ui():
    """While the article's example is in use as the article has it: why nothing moves, and
    the one-click start that does move."""
    values = {key: session.kept_value(key) for key in ARTICLE_EXAMPLE}
    if values == ARTICLE_EXAMPLE:
        st.info(ARTICLE_WHY, icon=":material/info:")
        st.button("Watch EM move: random start", on_click=use_settings, args=(ARTICLE_MOVING,),
                  icon=":material/play_arrow:",
                  help="The article's data and K = 2 from random responsibilities, tol = 1e-6.")


def use_settings(values: dict):
    """Set kept sidebar settings from code (the article-example button, a preset)."""
    for key, value in values.items():
        session.set_kept(key, value)


@st.cache_data(max_entries=4, show_spinner=False)
def _read_upload(raw: bytes) -> pd.DataFrame:
    return data_mod.read_csv_upload(raw)


def data_ui() -> Dataset:
    """Sidebar "Data" section; returns the data in use (the previous data if a load fails)."""
    for key in (session.DATASET, session.N_POINTS, session.DATA_SEED):
        _default(key, FIRST_SCREEN[key])
    for key, value in COLUMN_DEFAULTS.items():
        _default(key, list(value))
    _default(session.STANDARDIZE, FIRST_SCREEN[session.STANDARDIZE])
    _default(session.SHOW_LABELS, False)
    with st.sidebar:
        st.header("Data")
        st.button("Use the article's example", on_click=use_settings, args=(ARTICLE_EXAMPLE,),
                  icon=":material/article:",
                  help="The article's X_train (600 points, seed 0) and its fit: "
                       "GaussianMixture(n_components=2, covariance_type='full', "
                       "random_state=0).")
        article_note_ui()
        name = st.selectbox("Dataset", data_mod.DATASET_NAMES, **shared(session.DATASET))
        try:
            _dataset_choice_ui(name)
        except ValueError as exc:
            st.error(f"{exc} The previous data stays in use.")
        data = session.current_data()
        if data is None:  # e.g. first visit straight to "Upload CSV"
            default, n, seed = (FIRST_SCREEN[k] for k in (session.DATASET, session.N_POINTS,
                                                              session.DATA_SEED))
            _use(session.cached_dataset(default, n, seed, ()), (default, n, seed))
            data = session.current_data()
        st.checkbox("Standardise (mean 0, variance 1)", **shared(session.STANDARDIZE),
                    help="Each column shifted and scaled to z-scores. Columns in different "
                         "units (minutes and minutes of another kind, mm and g) get their "
                         "own axis scales; standardised, they share one.")
        if data.labels is not None:
            st.checkbox("Show true labels (marker shapes)", **shared(session.SHOW_LABELS))
        caption = f"In use: **{data.name}**, {len(data.X):,} points × {data.X.shape[1]} feature(s)"
        st.caption(caption + (f". {data.note}" if data.note else "."))
    return data


def _dataset_choice_ui(name):
    """The controls of the chosen dataset; makes its data the data in use when it loads."""
    if data_mod.is_synthetic(name):
        n = st.slider("Number of points", 50, 20_000, step=50, **shared(session.N_POINTS))
        seed = int(st.number_input("Data seed", 0, 1_000_000, step=1,
                                   **shared(session.DATA_SEED)))
        _use(session.cached_dataset(name, n, seed, ()), (name, n, seed))
    elif name == data_mod.PENGUINS:
        cols = st.multiselect("Columns (choose 2)", PENGUIN_NUMERIC,
                              max_selections=2, **shared(session.PENGUIN_COLUMNS))
        _set_chosen(name, cols)
    elif name == data_mod.IRIS:
        cols = st.multiselect("Features (choose 2)", IRIS_FEATURES, max_selections=2,
                              **shared(session.IRIS_COLUMNS))
        _set_chosen(name, cols)
    elif name == data_mod.UPLOAD:
        _upload_ui()
    else:
        _use(session.cached_dataset(name, 0, 0, ()), (name,))


def _use(dataset: Dataset, key):
    """Make ``dataset`` the data in use, standardised when the checkbox says so."""
    if st.session_state.get(session.STANDARDIZE):
        key = (*key, "standardised")
        if session.data_key() == key:
            return  # in use already: no need to standardise again
        dataset = data_mod.standardized(dataset)
    session.set_data(dataset, key)


def _set_chosen(name, cols):
    if len(cols) != 2:
        st.info("Choose two columns; the previous data stays in use until then.")
        return
    _use(session.cached_dataset(name, 0, 0, tuple(cols)), (name, tuple(cols)))


def _upload_ui():
    upload = st.file_uploader("CSV file", key=session.UPLOAD_FILE, help=data_mod.ACCEPTED)
    if upload is None:
        st.info("Upload a CSV file; the previous data stays in use until then.")
        return
    raw = upload.getvalue()
    table = _read_upload(raw)
    numeric = list(table.columns)
    _default(session.UPLOAD_COLUMNS, numeric[:2])
    chosen = st.session_state[session.UPLOAD_COLUMNS]
    if not chosen or any(c not in numeric for c in chosen):
        session.set_kept(session.UPLOAD_COLUMNS, numeric[:2])
    cols = st.multiselect("Numeric columns (1 or 2)", numeric, max_selections=2,
                          **shared(session.UPLOAD_COLUMNS))
    if not cols:
        st.info("Choose 1 or 2 numeric columns.")
        return
    k = int(st.session_state.get(session.K, 2))
    dataset = data_mod.dataset_from_table(table, cols, min_rows=max(2, k), name=upload.name)
    digest = hashlib.sha1(raw).hexdigest()
    _use(dataset, ("upload", digest, tuple(cols)))
    if dataset.note:
        st.warning(dataset.note)


def model_ui(data: Dataset, show_start: bool = True) -> Settings:
    """Sidebar "Model" section; returns the settings.

    ``show_start=False`` (a page whose runs each have their own start and seed): the
    "Initialisation" and "Seed" widgets are not drawn, a caption says why, and the settings
    carry their kept values.
    """
    for key in (session.K, session.COVARIANCE_TYPE, session.INIT, session.SEED,
                session.REG_COVAR, session.TOL, session.MAX_ITER):
        _default(key, FIRST_SCREEN[key])
    d = data.X.shape[1]
    with st.sidebar:
        st.header("Model")
        k = st.slider("Components K", 1, 10, **shared(session.K))
        cov = st.selectbox(
            "Covariance type", COVARIANCE_TYPES, **shared(session.COVARIANCE_TYPE),
            format_func=lambda c: f"{c} ({n_parameters(k, d, c)} free parameters)",
        )
        st.caption(f"{COVARIANCE_DESCRIPTIONS[cov].capitalize()}.")
        init, seed = _start_ui(show_start)
        reg = st.select_slider("reg_covar (log scale)", REG_COVAR_OPTIONS,
                               **shared(session.REG_COVAR),
                               format_func=lambda v: "0" if v == 0 else f"1e{int(np.log10(v))}")
        tol = st.select_slider("tol", TOL_OPTIONS, **shared(session.TOL),
                               format_func=lambda v: f"1e{int(np.log10(v))}",
                               help=convergence.RULE_EXPLAINED)
        max_iter = int(st.number_input("Max iterations", 1, 1000, step=10,
                                       **shared(session.MAX_ITER)))
    return Settings(k, cov, session.INIT_CHOICES[init], seed, float(reg), float(tol), max_iter,
                    start_file=start_file.digest() if init == session.FILE else "")


def _start_ui(show: bool):
    """The "Initialisation" and "Seed" widgets (or, hidden, their kept values)."""
    if not show:
        st.caption("Each run below has its own start and seed.")
        return session.kept_value(session.INIT), int(session.kept_value(session.SEED))
    init = st.selectbox("Initialisation", list(session.INIT_CHOICES), **shared(session.INIT))
    st.caption(INIT_HELP[init])
    if init == session.FILE:
        start_file.start_file_ui()
    return init, int(st.number_input("Seed", 0, 1_000_000, step=1, **shared(session.SEED)))
