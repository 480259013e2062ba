"""What the Initializations page shows of its runs: one small multiple per run with its
status, the log-likelihood curves, and the summary table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
from sklearn.metrics import adjusted_rand_score

import app_pages
from gmm_core import n_parameters
from gmm_core.datasets import Dataset
from ui import figures
from ui.palette import component_color
from ui.session import CLICK, Settings

from . import keys
from .lockstep import PLAYER


def _status(run, runs, max_iter) -> str:
    label = f"Run {runs.index(run) + 1}: {run.method}" + (
        "" if run.method == CLICK else f", seed {run.seed}")
    at = run.converged_at()
    if at is not None:
        others = PLAYER.any_can_move(max_iter)
        return (f"{label}: converged at iteration {at}"
                + (" — holding still while the others go on." if others else "."))
    engine = run.engine
    if engine.next_phase == "E" and engine.n_iter >= max_iter:
        return f"{label}: stopped at max iterations ({max_iter}), not converged."
    return f"{label}: iteration {engine.n_iter}, not converged yet."


def _not_started_ui(i, run):
    st.markdown(f"**Run {i + 1}: {run.method}**")
    if run.waiting:
        st.warning(run.error)
        st.page_link(app_pages.page(app_pages.STEP_BY_STEP),
                     label="Place means on Step by step", icon=":material/ads_click:")
    else:
        st.error(f"This run could not start: {run.error} The other runs go on.")


def panels_ui(runs, data: Dataset, settings: Settings):
    """Small multiples with shared axes, one per run, each with its status."""
    n_cols = len(runs) if len(runs) <= 3 else 2
    height = 340 if n_cols == 3 else 380
    ranges = figures.shared_ranges(data.X)
    titles = [None if r.engine is None else figures.run_title(
        r.method, r.engine.current, r.engine.converged, failed=bool(r.error)) for r in runs]
    # If one title needs two lines, all do: the panels' plot areas then line up.
    limit = 48 if n_cols == 3 else 80
    limit = 0 if any(t is not None and len(t) > limit for t in titles) else None
    cols = st.columns(n_cols)
    for i, run in enumerate(runs):
        with cols[i % n_cols]:
            if run.engine is None:
                _not_started_ui(i, run)
                continue
            engine = run.engine
            record = engine.current
            fig = figures.panel_figure(
                data.X, record, engine.responsibilities_at(record.index), title=titles[i],
                ranges=ranges, initial_means=engine.history[0].means, height=height,
                feature_names=data.feature_names, max_title_chars=limit)
            st.plotly_chart(fig, key=keys.panel_chart(i), config={"displayModeBar": False})
            if run.error:
                st.error(f"This run stopped: {run.error} Its last good state is shown; the "
                         "other runs go on. Reset starts it again.")
            else:
                st.caption(_status(run, runs, settings.max_iter))


def curves_ui(runs):
    curves = {f"Run {i + 1}: {r.method}" + ("" if r.method == CLICK else f" (seed {r.seed})"):
              (r.engine.history, component_color(i))
              for i, r in enumerate(runs) if r.engine is not None}
    if curves:
        st.plotly_chart(figures.curves_figure(curves, title="Log-likelihood of every run"),
                        key=keys.CURVES_CHART)


def summary_table(runs, data: Dataset, settings: Settings) -> pd.DataFrame:
    """Method, seed, iterations to converge, final LL, BIC, times and ARI (when labels
    exist); one row per run."""
    n, d = data.X.shape
    p = n_parameters(settings.n_components, d, settings.covariance_type)
    rows = []
    for i, run in enumerate(runs):
        row = {"run": i + 1, "method": run.method,
               "seed": None if run.method == CLICK else run.seed}
        if run.engine is None:
            row["status"] = "waiting for placed means" if run.waiting else "could not start"
            rows.append(row)
            continue
        e = run.engine
        ll = e.log_likelihood
        at = run.converged_at()
        row.update({
            "status": "failed" if run.error else ("converged" if at else "running"),
            "iterations to converge": at, "iterations": e.n_iter,
            "final log-likelihood": ll, "BIC": -2 * ll + p * np.log(n),
            "init ms": 1000 * run.init_seconds, "fit ms": 1000 * run.fit_seconds,
        })
        if data.labels is not None:
            row["ARI"] = adjusted_rand_score(data.labels, e.params.predict(data.X))
        rows.append(row)
    return pd.DataFrame(rows)


def summary_ui(runs, data: Dataset, settings: Settings):
    table = summary_table(runs, data, settings).set_index("run")
    formats = {"seed": "{:.0f}", "iterations to converge": "{:.0f}", "iterations": "{:.0f}",
               "final log-likelihood": "{:,.2f}", "BIC": "{:,.2f}", "init ms": "{:.1f}",
               "fit ms": "{:.1f}", "ARI": "{:.3f}"}
    st.table(table.style.format({k: v for k, v in formats.items() if k in table},
                                na_rep="—"))
    notes = ["BIC = −2·LL + p·log n (lower is better)"]
    if data.labels is None:
        notes.append("no adjusted Rand index: this data set has no true labels")
    else:
        notes.append("ARI compares each run's hard labels with the true ones (1 = identical)")
    st.caption("; ".join(notes) + ".")
