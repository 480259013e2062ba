"""The page's "Computational cost" section: EM's time per iteration measured live."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from gmm_core import COVARIANCE_TYPES
from lab_maths import cost
from ui.presenter import plotly_chart
from ui.settings import K

from . import figures as fig
from . import keys

BUDGETS = (2.0, 5.0, 10.0, 20.0)


def _measure(k, d, cov, budget):
    bar = st.progress(0.0, text="Timing EM iterations")

    def progress(done, total, what):
        bar.progress(done / total, text=f"Timing EM iterations: {done} of {total} sizes "
                                        f"({what})")

    table = cost.measure_iterations(n_components=k, n_features=d, covariance_type=cov,
                                    budget_seconds=budget, progress=progress)
    bar.empty()
    st.session_state[keys.COST_RESULT] = dict(table=table, k=k, d=d, cov=cov, budget=budget)


def cost_ui():
    st.header("Computational cost")
    st.caption(
        "Every EM iteration visits each of the N points once per component: N·K distances, "
        "each costing about d² operations with full or tied covariances (d with diag or "
        "spherical), so the time of one iteration grows as O(N·K·d²). Measured live on this "
        "server on standard normal data, single-threaded, beside scikit-learn's time for "
        "the same sizes."
    )
    st.caption("Past one machine's memory: gmm_core.GaussianMixture also fits a dask array "
               "chunked by rows (requirements-dask.txt). 10⁸ points × 2 (1.5 GiB) read from "
               "disk by 2 workers capped at 1 GiB each took 15.6 s per iteration on this "
               "server's 2 shared cores (K = 5, full; bench/bench_dask.py).")
    ss = st.session_state
    ss.setdefault(keys.COST_K, 3)
    ss.setdefault(keys.COST_D, 2)
    ss.setdefault(keys.COST_COVARIANCE, "full")
    ss.setdefault(keys.COST_BUDGET, 5.0)
    with st.container(horizontal=True, gap="medium", vertical_alignment="bottom"):
        k = st.slider("K", K.lo, K.hi, key=keys.COST_K, width=200)
        d = st.select_slider("d (features)", (1, 2, 5, 10), key=keys.COST_D, width=200)
        cov = st.selectbox("Covariance type  ", COVARIANCE_TYPES, key=keys.COST_COVARIANCE,
                           width=160)
        budget = st.select_slider("Time budget (s)", BUDGETS, key=keys.COST_BUDGET,
                                  format_func=lambda v: f"{v:g}", width=200)
        clicked = st.button("Measure N = 10³ … 10⁶", type="primary")
    if clicked:
        _measure(k, d, cov, budget)
    result = ss.get(keys.COST_RESULT)
    if result is None:
        st.info("Press “Measure” to time 3 EM iterations at N = 1,000, 10,000, 100,000 and "
                "1,000,000 points, until the time budget is spent.")
        return
    _show(result)


def _show(result):
    table = result["table"]
    measured = table[table["measured"]]
    setting = f"K = {result['k']}, d = {result['d']}, {result['cov']}"
    law = cost.scaling_law(table)
    plotly_chart(fig.cost_figure(table, law, title=f"Seconds per EM iteration, {setting}"),
                 config={"displayModeBar": False}, key="ms_cost_chart")
    st.markdown(_sentence(measured, result["budget"], len(table)))
    shown = pd.DataFrame({
        "N": table["n_samples"].map("{:,}".format),
        "EMEngine s / iteration": table["engine_seconds"].map(_fmt),
        "scikit-learn s / iteration": table["sklearn_seconds"].map(_fmt),
        "EMEngine peak MiB": table["engine_peak_mib"].map(_fmt),
        "scikit-learn peak MiB": table["sklearn_peak_mib"].map(_fmt),
        "n × K responsibilities MiB": table["responsibilities_mib"].map("{:.2f}".format),
    })
    st.table(shown.set_index("N"))
    st.caption("Peak memory: what NumPy allocated while making a random start and doing one "
               "iteration (Python's tracemalloc), the data itself not counted. "
               "“—”: not measured, the time budget was spent.")


def _fmt(value):
    return "—" if not np.isfinite(value) else f"{value:.3g}"


def _growth(a, b) -> tuple[float, float]:
    """(how many times the points, how many times the engine's time) from row a to row b."""
    return b["n_samples"] / a["n_samples"], b["engine_seconds"] / a["engine_seconds"]


def _sentence(measured, budget, total) -> str:
    if measured.empty:
        return "Nothing was measured within the budget."
    text = ""
    if len(measured) >= 2:
        a, b = measured.iloc[-2], measured.iloc[-1]
        points, time_ = _growth(a, b)
        text += (f"From N = {a['n_samples']:,} to {b['n_samples']:,} ({points:.0f}× the "
                 f"points) one EMEngine iteration took {time_:.1f}× as long. ")
        first_points, first_time = _growth(measured.iloc[0], measured.iloc[1])
        if len(measured) >= 3 and first_time < 0.5 * first_points:
            text += (f"Between the two smallest sizes it grew only {first_time:.1f}×: there "
                     "the fixed cost of each iteration (Python, setting up small arrays) "
                     "outweighs the work per point, so the curve starts flatter than the "
                     "O(N) line. ")
    if len(measured) < total:
        text += (f"Only {len(measured)} of {total} sizes fit in the {budget:g} s budget; "
                 "raise it to measure more.")
    return text
