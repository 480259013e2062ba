"""The page's results: grids, held-out curves and Dirichlet-process fits computed once per
session (bounded), the model drawn, and the chart clicks that choose it."""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import in_cached_function

from lab_maths import criteria
from ui.session_cache import SessionCache

from . import keys

#: Results (grids, CV curves, Dirichlet-process fits) kept per session, least recently used
#: dropped first.
MAX_CACHED = 8
CACHE = SessionCache(keys.CACHE, MAX_CACHED)
BEST = "best"


def data_digest(X) -> str:
    X = np.ascontiguousarray(X, dtype=np.float64)
    return hashlib.sha1(repr(X.shape).encode() + X.tobytes()).hexdigest()


@st.cache_data(max_entries=32, show_spinner=False)
def _shared(key, _compute, _progress):
    """The same fits for every session (issue 24: switching to the page took 2.4 s, mostly
    the 40-model grid, the CV curve and the Dirichlet-process fit, recomputed for each
    session): pure results keyed by the data's digest and every setting, bounded."""
    return _compute(_progress)


def cached(key, compute, label: str):
    """``compute(progress)`` once per ``key`` (with a progress bar); later runs reuse it."""
    def with_progress():
        bar = st.progress(0.0, text=label)

        def progress(done, total, what):
            # Not part of the cached result: a hit must not replay another session's bar.
            token = in_cached_function.set(False)
            try:
                bar.progress(done / total, text=f"{label}: {done} of {total} fits done ({what})")
            finally:
                in_cached_function.reset(token)

        value = _shared(key, compute, progress)
        bar.empty()
        return value

    return CACHE.get(key, with_progress)


def fit_options(settings) -> dict:
    """The sidebar's fitting settings as scikit-learn arguments (a click-placed start has no
    meaning across 40 models: k-means stands in for it)."""
    init = settings.init.engine_init or "kmeans"
    return dict(init_params=init, tol=settings.tol, reg_covar=settings.reg_covar,
                max_iter=settings.max_iter)


def grid_for(X, settings, n_init: int, seed: int) -> criteria.GridResult:
    options = fit_options(settings)
    key = ("grid", data_digest(X), n_init, seed, tuple(sorted(options.items())))
    return cached(key, lambda progress: criteria.fit_grid(
        X, n_init=n_init, random_state=seed, progress=progress, **options),
        "Fitting 40 models")


def cv_for(X, settings, covariance_type, method, n_splits, seed):
    options = fit_options(settings)
    key = ("cv", data_digest(X), covariance_type, method, n_splits, seed,
           tuple(sorted(options.items())))
    return cached(key, lambda progress: criteria.cross_validation_curve(
        X, covariance_type=covariance_type, method=method, n_splits=n_splits,
        random_state=seed, progress=progress, **options),
        "Cross-validating K = 1…10")


def dp_for(X, prior, covariance_type, seed):
    key = ("dp", data_digest(X), prior, covariance_type, seed)
    return cached(key, lambda progress: criteria.dirichlet_process_fit(
        X, prior, covariance_type=covariance_type, random_state=seed),
        "Fitting the Dirichlet-process mixture")


def model_key(k: int, covariance_type: str) -> str:
    return f"{int(k)}|{covariance_type}"


def parse_model_key(key) -> tuple[int, str] | None:
    """(K, covariance_type) of a model key, or None for anything else (a stale widget value)."""
    parts = key.split("|") if isinstance(key, str) else []
    if len(parts) != 2 or not parts[0].isdigit():
        return None
    return int(parts[0]), parts[1]


def on_chart_select(chart_key: str):  # bound with functools.partial
    """A click on a model's point or square draws that model."""
    event = st.session_state.get(chart_key)
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    for point in points:
        data = point.get("customdata")
        if data is not None and len(data) == 2:
            st.session_state[keys.MODEL] = model_key(int(data[0]), str(data[1]))
            return


def draw_best():
    st.session_state[keys.MODEL] = BEST
