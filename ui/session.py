"""Per-user state shared by every page: key names, kept settings, ``Settings`` and the engine.

A user's engines live only in their session (``st.session_state``); pure data work is cached
with ``st.cache_data`` (bounded). Each page keeps its own keys in its package's ``keys.py``;
the keys here are the ones two or more pages (or the sidebar) read or write.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from gmm_core import EMEngine, MixtureParameters, placed_means_start
from gmm_core.datasets import Dataset

from . import data as data_mod
from .start import Start

# ------------------------------------------------------------------------------------------
# Shared session keys (widget keys of the sidebar, and the data in use)

DATASET = "dataset"
N_POINTS = "n_points"
DATA_SEED = "data_seed"
PENGUIN_COLUMNS = "penguin_columns"
IRIS_COLUMNS = "iris_columns"
STANDARDIZE = "standardize"
SHOW_LABELS = "show_labels"
UPLOAD_FILE = "upload_file"
UPLOAD_COLUMNS = "upload_columns"
K = "K"
COVARIANCE_TYPE = "covariance_type"
INIT = "init"
SEED = "seed"
REG_COVAR = "reg_covar"
TOL = "tol"
MAX_ITER = "max_iter"

DATA = "data"  # the Dataset in use
DATA_KEY = "data_key"  # what identifies it (name, size, seed, columns…)
PLACED_MEANS = "placed_means"  # means placed by clicking (Step by step), read by Initializations
SELECTED_POINT = "selected_point"  # the clicked data point, cleared with new data
START_FILE = "start_file"  # LoadedStart: the parameters file in use as a start


# ------------------------------------------------------------------------------------------
# Kept settings: widget values that survive a page switch


def _store(key: str) -> str:
    return "s_" + key


def _default(key, value):
    """A shared setting: its value lives in the plain key ``s_<key>`` (never cleaned up), and
    the widget ``key`` is refilled from it before each run, so every page shows the same value.

    (A widget's own state is per page: another page's widget with the same key starts from its
    default, and ``persist_state`` keeps values per page, not across pages.)
    """
    ss = st.session_state
    store = _store(key)
    if store not in ss:
        ss[store] = ss[key] if key in ss else value
    ss[key] = ss[store]


def _keep(key):
    st.session_state[_store(key)] = st.session_state[key]


def shared(key):
    """Widget arguments for a shared setting (see ``_default``)."""
    return dict(key=key, on_change=_keep, args=(key,))


def kept(key, default):
    """``_default`` + ``shared``: widget arguments for a value that survives page switches."""
    _default(key, default)
    return shared(key)


def kept_value(key, default=None):
    """The kept value of ``key`` (its plain store), ``default`` before it is set."""
    return st.session_state.get(_store(key), default)


def set_kept(key, value):
    """Set a kept widget's value from code (a callback or a preset): the widget key and its
    plain store ``s_<key>``, which survives a visit to another page."""
    st.session_state[key] = st.session_state[_store(key)] = value


# ------------------------------------------------------------------------------------------
# Settings and the one place that builds an engine from them


@dataclass(frozen=True)
class Settings:
    """A run's settings (made from the table of settings: ``ui.settings.settings_from``)."""

    n_components: int
    covariance_type: str
    init: Start  # (a label, engine name or link token is read as its Start)
    seed: int
    reg_covar: float
    tol: float
    max_iter: int
    start_file: str = ""  # digest of the parameters file of a Start.FILE start ("" otherwise)

    def __post_init__(self):
        object.__setattr__(self, "init", Start.of(self.init))


def build_engine(X, settings: Settings, placed=(), sample_weight=None,
                 frozen=None) -> EMEngine:
    """A new EM run on ``X`` for ``settings`` (``placed``: the means of a click start;
    ``sample_weight``: the rows' weights, an upload's weight column; ``frozen``: what EM
    keeps at the start, e.g. pinned means).

    Raises ValueError when the settings cannot make a run (K > n, too few placed means…).
    """
    kwargs = dict(covariance_type=settings.covariance_type, reg_covar=settings.reg_covar,
                  tol=settings.tol, random_state=settings.seed, sample_weight=sample_weight,
                  frozen=frozen)
    if settings.init is Start.FILE:
        return EMEngine.from_parameters(X, file_start(settings, X.shape[1]),
                                        reg_covar=settings.reg_covar, tol=settings.tol,
                                        sample_weight=sample_weight, frozen=frozen)
    if settings.init is Start.CLICK:
        kwargs.update(placed_means_start(X, settings.n_components, settings.covariance_type,
                                         [tuple(p) for p in placed]))
    else:
        kwargs["init"] = settings.init.engine_init
    return EMEngine(X, settings.n_components, **kwargs)


def placed_means() -> list[tuple[float, ...]]:
    """Means placed by clicking on the Step by step page, as tuples."""
    return [tuple(p) for p in (st.session_state.get(PLACED_MEANS) or [])]


# ------------------------------------------------------------------------------------------
# The parameters file of a "file" start (uploaded in the sidebar: ``ui.start_file``)


@dataclass(frozen=True)
class LoadedStart:
    digest: str  # sha1 of the file's bytes: a new file starts a new run
    name: str
    params: MixtureParameters


def loaded() -> LoadedStart | None:
    return st.session_state.get(START_FILE)


def digest() -> str:
    """The digest of the file in use ("" when none), for ``Settings.start_file``."""
    start = loaded()
    return start.digest if start is not None else ""


def file_start(settings, n_features: int) -> MixtureParameters:
    """The parameters of the loaded file, checked against ``settings`` and the data.

    Raises ValueError (naming the fix) when no file is loaded or it does not fit.
    """
    start = loaded()
    if start is None:
        raise ValueError("No parameters file is loaded yet: upload one under "
                         "“Initialisation” in the sidebar.")
    p = start.params
    if p.n_features != n_features:
        raise ValueError(f"The parameters file {start.name} is for {p.n_features} feature(s) "
                         f"but the data in use has {n_features}: upload a file made for "
                         "these data, or choose data with as many columns.")
    if (p.n_components, p.covariance_type) != (settings.n_components,
                                               settings.covariance_type):
        raise ValueError(f"The parameters file {start.name} has K = {p.n_components} and "
                         f"covariance type {p.covariance_type!r}, the sidebar K = "
                         f"{settings.n_components} and {settings.covariance_type!r}: set K and "
                         "the covariance type back to the file's, or choose another "
                         "initialisation.")
    return p


# ------------------------------------------------------------------------------------------
# The data in use


@st.cache_data(max_entries=32, show_spinner=False)
def cached_dataset(name: str, n: int, seed: int, columns: tuple) -> Dataset:
    return data_mod.load(name, n=n, seed=seed, columns=columns)


def set_data(dataset: Dataset, key):
    """Make ``dataset`` the data in use (only called with data that loaded fine)."""
    ss = st.session_state
    if ss.get(DATA_KEY) != key:
        ss[DATA] = dataset
        ss[DATA_KEY] = key
        ss[PLACED_MEANS] = []
        ss[SELECTED_POINT] = None


def current_data() -> Dataset | None:
    return st.session_state.get(DATA)


def data_key():
    return st.session_state.get(DATA_KEY)
