"""What the Initializations page shows of its runs: one small multiple per run with its
status, the log-likelihood curves, and the summary table."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st
from sklearn.metrics import adjusted_rand_score

import app_pages
from gmm_core import n_parameters
from gmm_core.convergence import CHECK_TOL
from gmm_core.datasets import Dataset
from ui import device, figures, session
from ui.code import DataSpec, sklearn_code
from ui.palette import component_color
from ui.presenter import plotly_chart
from ui.session import Settings
from ui.start import Start
from ui.stop_words import RULE, check_sentence

from . import keys
from .lockstep import PLAYER


def _status(run, runs, settings: Settings, X) -> str:
    label = f"Run {runs.index(run) + 1}: {run.method}" + (
        "" if run.method == Start.CLICK else f", seed {run.seed}")
    at = run.converged_at()
    if at is not None:
        others = PLAYER.any_can_move(settings.max_iter)
        check = run.stop_check(X, settings.reg_covar)
        return (f"{label}: {RULE} (tol = {settings.tol:g}) at iteration {at}"
                + (" — holding still while the others go on." if others else ".")
                + check_sentence(check))
    engine = run.engine
    if engine.next_phase == "E" and engine.n_iter >= settings.max_iter:
        return (f"{label}: stopped at max iterations ({settings.max_iter}), |Δ mean "
                "log-likelihood| still ≥ tol.")
    return f"{label}: iteration {engine.n_iter}, still going."


def panel_title(method, record, stopped: bool, *, failed=False) -> str:
    """Two lines, "k-means++ · iteration 12" over "stopped by the rule · LL −1,130.3", so the
    title fits a narrow panel (the status under it names the rule in full)."""
    state = "failed" if failed else ("stopped by the rule" if stopped else "running")
    ll = f"{record.log_likelihood:,.1f}".replace("-", "−")  # a true minus sign
    return f"{method} · iteration {record.n_iter}<br>{state} · LL {ll}"


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
    # A phone: one run a row, in order (Streamlit stacks columns column by column).
    n_cols = 1 if device.is_phone() else len(runs) if len(runs) <= 3 else 2
    height = 340 if n_cols == 3 else 380
    ranges = figures.shared_ranges(data.X)
    titles = [None if r.engine is None else panel_title(
        r.method, r.engine.current, r.engine.converged, failed=bool(r.error)) for r in runs]
    cols = st.container(key="init_panels").columns(n_cols)  # (key: ui/presenter.py's CSS)
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
                feature_names=data.feature_names, same_units=data.same_units)
            plotly_chart(fig, key=keys.panel_chart(i), config={"displayModeBar": False})
            if run.error:
                st.error(f"This run stopped: {run.error} Its last good state is shown; the "
                         "other runs go on. Reset starts it again.")
            else:
                st.caption(_status(run, runs, settings, data.X))


def curves_ui(runs):
    curves = {f"Run {i + 1}: {r.method}" + ("" if r.method == Start.CLICK else f" (seed {r.seed})"):
              (r.engine.history, component_color(i))
              for i, r in enumerate(runs) if r.engine is not None}
    if curves:
        plotly_chart(figures.curves_figure(curves, title="Log-likelihood of every run"),
                     key=keys.CURVES_CHART)


def summary_table(runs, data: Dataset, settings: Settings) -> pd.DataFrame:
    """Method, seed, iterations to converge, final LL, BIC, times and ARI (when labels
    exist); one row per run."""
    n, d = data.X.shape
    p = n_parameters(settings.n_components, d, settings.covariance_type)
    rows = []
    for i, run in enumerate(runs):
        row = {"run": i + 1, "method": run.method,
               "seed": None if run.method == Start.CLICK else run.seed}
        if run.engine is None:
            row["status"] = "waiting for placed means" if run.waiting else "could not start"
            rows.append(row)
            continue
        e = run.engine
        ll = e.log_likelihood
        at = run.converged_at()
        check = run.stop_check(data.X, settings.reg_covar)
        row.update({
            "status": "failed" if run.error else (RULE if at else "running"),
            "iterations to the stop": at, "iterations": e.n_iter,
            # n = Σ w_i with a weight column (the BIC of the repeated rows, as gmm_core's)
            "final log-likelihood": ll, "BIC": -2 * ll + p * np.log(e.total_weight),
            "init ms": 1000 * run.init_seconds, "fit ms": 1000 * run.fit_seconds,
            "tighter rule": "" if check is None else check.verdict,
            "its gain": None if check is None else check.gain,
        })
        if data.labels is not None:
            row["ARI"] = adjusted_rand_score(data.labels, e.params.predict(data.X))
        rows.append(row)
    return pd.DataFrame(rows)


def summary_ui(runs, data: Dataset, settings: Settings):
    table = summary_table(runs, data, settings).set_index("run")
    formats = {"seed": "{:.0f}", "iterations to the stop": "{:.0f}", "iterations": "{:.0f}",
               "final log-likelihood": "{:,.2f}", "BIC": "{:,.2f}", "init ms": "{:.1f}",
               "fit ms": "{:.1f}", "ARI": "{:.3f}", "its gain": "{:+,.2f}"}
    st.table(table.style.format({k: v for k, v in formats.items() if k in table},
                                na_rep="—"))
    notes = ["BIC = −2·LL + p·log n (lower is better"
             + ("; n = the sum of the weights)" if data.sample_weight is not None else ")"),
             "\"tighter rule\": what continuing a stopped run until |Δ mean log-likelihood| "
             f"< {CHECK_TOL:g} found (a "
             "fixed point, near a maximum, or a plateau the rule mistook for one) and the "
             "log-likelihood it gained"]
    if data.labels is None:
        notes.append("no adjusted Rand index: this data set has no true labels")
    else:
        notes.append("ARI compares each run's hard labels with the true ones (1 = identical)")
    st.caption("; ".join(notes) + ".")
    far = far_off_note(runs)  # the huge numbers in the table, in words (issue 24)
    if far:
        st.caption(far)


def far_off_note(runs) -> str:
    """Words for a run whose log-likelihood (and so BIC) is absurdly far below the others':
    a start from K data points (k-means++, random data points), as the chart marks off
    scale."""
    lls = {i: r.engine.log_likelihood for i, r in enumerate(runs) if r.engine is not None}
    if not lls:
        return ""
    top = max(lls.values())
    far = [i for i, ll in lls.items() if top - ll > 20 * max(abs(top), 1.0)]
    if not far:
        return ""
    named = ", ".join(f"Run {i + 1} ({runs[i].method}, log-likelihood "
                      + f"{lls[i]:,.0f})".replace("-", "−") for i in far)
    at_start = all(runs[i].engine.n_iter == 0 for i in far)
    return (f"{named}: far below the others"
            + (" because it is still at its start" if at_start else "")
            + ". As in scikit-learn, a start from K data points (k-means++, random data "
            "points) gives each component weight 1/n and a needle-thin covariance of "
            "reg_covar, so the start's log-likelihood is about −10⁹ and its BIC about "
            "2·10⁹; the first E-step and M-step give every component its share of the data.")


def code_ui(runs, settings: Settings):
    """"Show the code": for every run, scikit-learn code that reproduces the data and it."""
    with st.expander("Show the code"):
        st.caption("Paste into a notebook: scikit-learn's GaussianMixture from each run's start "
                   "ends where 'Run to convergence' ends that run here.")
        spec = DataSpec.from_key(session.data_key())
        for i, run in enumerate(runs):
            if run.engine is None:
                continue
            run_settings = replace(settings, init=Start(run.method),
                                   seed=run.seed)
            try:
                code = sklearn_code(spec, run_settings, start=run.engine.history[0].params)
            except (ValueError, TypeError, IndexError) as exc:
                st.caption(f"Run {i + 1}: no code ({exc}).")
                continue
            st.markdown(f"**Run {i + 1}: {run.method}, seed {run.seed}**")
            st.code(code, language="python")
