"""The sidebar every page shows: "Data" (``data_ui``) and "Model" (``model_ui``)."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from gmm_core import COVARIANCE_DESCRIPTIONS, n_parameters
from gmm_core.datasets import Dataset

from . import data as data_mod
from . import session, start_file
from . import settings as table
from .session import Settings, _default, shared
from .settings import Setting
from .start import Start


def widget(setting: Setting, **extra):
    """The setting's widget, drawn from its row (its value kept across pages)."""
    args = dict(**shared(setting.key), **extra)
    if setting.help:
        args["help"] = setting.help
    if setting.fmt is not None:
        args.setdefault("format_func", setting.fmt)
    kind = setting.widget
    if kind == "slider":
        step = {"step": setting.step} if setting.step != 1 else {}
        return st.slider(setting.label, setting.lo, setting.hi, **step, **args)
    if kind == "number":
        return int(st.number_input(setting.label, setting.lo, setting.hi, step=setting.step,
                                   **args))
    if kind == "select":
        return st.selectbox(setting.label, setting.options, **args)
    if kind == "select_slider":
        return st.select_slider(setting.label, setting.options, **args)
    if kind == "checkbox":
        return st.checkbox(setting.label, **args)
    if kind == "columns":
        return st.multiselect(setting.label, setting.options, max_selections=2, **args)
    raise ValueError(f"Unknown widget {kind!r} for {setting.key}.")


#: The one-click alternative that moves on the article's data: random responsibilities put
#: both components at the data mean and EM pulls them apart, −3,260.6 → −1,557.6 in 35
#: iterations (scikit-learn's n_iter_ from the same start). tol = 1e-6: under 1e-3 the rule
#: stops this start on its first slow stretch, after 2 iterations.
ARTICLE_MOVING = {**table.ARTICLE_EXAMPLE, session.INIT: Start.RANDOM.value,
                  session.TOL: 1e-6}
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
    values = {key: session.kept_value(key) for key in table.ARTICLE_EXAMPLE}
    if values == table.ARTICLE_EXAMPLE:
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
    first = table.defaults()
    for setting in table.DATA:
        _default(setting.key, first[setting.key])
    with st.sidebar:
        st.header("Data")
        st.button("Use the article's example", on_click=use_settings, args=(table.ARTICLE_EXAMPLE,),
                  icon=":material/article:",
                  help="The article's X_train (600 points, seed 0) and its fit: "
                       "GaussianMixture(n_components=2, covariance_type='full', "
                       "random_state=0).")
        article_note_ui()
        name = widget(table.DATASET)
        try:
            _dataset_choice_ui(name)
        except ValueError as exc:
            st.error(f"{exc} The previous data stays in use.")
        data = session.current_data()
        if data is None:  # e.g. first visit straight to "Upload CSV"
            default, n, seed = (table.FIRST_SCREEN[k] for k in (
                session.DATASET, session.N_POINTS, session.DATA_SEED))
            _use(session.cached_dataset(default, n, seed, ()), (default, n, seed))
            data = session.current_data()
        widget(table.STANDARDIZE)
        if data.labels is not None:
            widget(table.SHOW_LABELS)
        caption = f"In use: **{data.name}**, {len(data.X):,} points × {data.X.shape[1]} feature(s)"
        st.caption(caption + (f". {data.note}" if data.note else "."))
    return data


def _dataset_choice_ui(name):
    """The controls of the chosen dataset; makes its data the data in use when it loads."""
    if data_mod.is_synthetic(name):
        n = widget(table.N_POINTS)
        seed = widget(table.DATA_SEED)
        _use(session.cached_dataset(name, n, seed, ()), (name, n, seed))
    elif name == data_mod.PENGUINS:
        cols = widget(table.PENGUIN_COLUMNS)
        _set_chosen(name, cols)
    elif name == data_mod.IRIS:
        cols = widget(table.IRIS_COLUMNS)
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
    frame = _read_upload(raw)
    numeric = list(frame.columns)
    _default(session.UPLOAD_COLUMNS, numeric[:2])
    chosen = st.session_state[session.UPLOAD_COLUMNS]
    if not chosen or any(c not in numeric for c in chosen):
        session.set_kept(session.UPLOAD_COLUMNS, numeric[:2])
    cols = st.multiselect("Numeric columns (1 or 2)", numeric, max_selections=2,
                          **shared(session.UPLOAD_COLUMNS))
    if not cols:
        st.info("Choose 1 or 2 numeric columns.")
        return
    weight = _weight_column_ui(numeric, cols)
    k = table.kept_settings().n_components  # (the Model section is drawn after this one)
    dataset = data_mod.dataset_from_table(frame, cols, min_rows=max(2, k), name=upload.name,
                                          weight_column=weight)
    digest = hashlib.sha1(raw).hexdigest()
    _use(dataset, ("upload", digest, tuple(cols), ("weight", weight)))
    if dataset.note:
        st.warning(dataset.note)


NO_WEIGHT = "(none: every row once)"


def _weight_column_ui(numeric, cols) -> str:
    """An optional weight column for an upload (sample_weight); "" for none."""
    others = [c for c in numeric if c not in cols]
    choice = st.selectbox("Weight column (optional)", [NO_WEIGHT, *others],
                          key="upload_weight_column",
                          help="Each row counts as many times as its weight (sample_weight "
                               "in gmm_core's GaussianMixture.fit); point size shows it.")
    return "" if choice == NO_WEIGHT or choice not in others else choice


def model_ui(data: Dataset, show_start: bool = True) -> Settings:
    """Sidebar "Model" section; returns the settings.

    ``show_start=False`` (a page whose runs each have their own start and seed): the
    "Initialisation" and "Seed" widgets are not drawn, a caption says why, and the settings
    carry their kept values.
    """
    first = table.defaults()
    for setting in table.MODEL + table.START:
        _default(setting.key, first[setting.key])
    d = data.X.shape[1]
    with st.sidebar:
        st.header("Model")
        k = widget(table.K)
        cov = widget(table.COVARIANCE_TYPE,
                     format_func=lambda c: f"{c} ({n_parameters(k, d, c)} free parameters)")
        st.caption(f"{COVARIANCE_DESCRIPTIONS[cov].capitalize()}.")
        init, seed = _start_ui(show_start)
        values = {session.K: k, session.COVARIANCE_TYPE: cov, session.INIT: init,
                  session.SEED: seed}
        for setting in (table.REG_COVAR, table.TOL, table.MAX_ITER):
            values[setting.key] = widget(setting)
    return table.settings_from(values)


def _start_ui(show: bool):
    """The "Initialisation" and "Seed" widgets (or, hidden, their kept values)."""
    if not show:
        st.caption("Each run below has its own start and seed.")
        return session.kept_value(session.INIT), int(session.kept_value(session.SEED))
    init = Start(widget(table.INIT))
    st.caption(table.INIT_HELP[init])
    if init is Start.FILE:
        start_file.start_file_ui()
    return init, widget(table.SEED)
