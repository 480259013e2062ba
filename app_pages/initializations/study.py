"""The restarts study: many seeds per start method, each run to convergence; where they end,
how often each method finds the best optimum (``n_init``), and the best, worst and clicked
solutions. Studies are cached per session (``MAX_STUDIES``)."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import streamlit as st

from gmm_core import EMRecord
from gmm_core.datasets import Dataset
from gmm_core.restarts import fit_restarts
from lab_maths.restarts import n_init_table
from ui import figures, link_state, session
from ui.live_chart import clicked_index
from ui.presenter import plotly_chart
from ui.session import Settings, kept
from ui.session_cache import SessionCache
from ui.start import Start

from . import keys
from .runs import METHODS

MAX_STUDIES = 6  # restarts studies kept per session (each is a few hundred small fits)
STUDIES = SessionCache(keys.STUDIES, MAX_STUDIES)


def restarts(data: Dataset, settings: Settings, methods, n_seeds, progress=None):
    """The restarts study for the page's methods (``gmm_core.restarts.fit_restarts``)."""
    def report(done, total):
        if progress is not None and (done % 5 == 0 or done == total):
            progress.progress(done / total, text=f"{done} of {total} fits")

    return pd.DataFrame(fit_restarts(
        data.X, settings.n_components, {m: Start(m).engine_init for m in methods},
        n_seeds, covariance_type=settings.covariance_type, reg_covar=settings.reg_covar,
        tol=settings.tol, max_iter=settings.max_iter, progress=report,
        sample_weight=data.sample_weight))


def n_init_sentence(table: pd.DataFrame) -> str:
    """One sentence reading the n_init table for this study."""
    parts = []
    for _, r in table.iterrows():
        p = r["share reaching the best"]
        if p == 0:
            parts.append(f"no {r['method']} start reached it")
        elif p == 1:
            parts.append(f"every {r['method']} start reached it (n_init = 1 is enough)")
        else:
            parts.append(f"{p:.0%} of {r['method']} starts reached it, so n_init = "
                         f"{int(r['n_init for 95 %'])} finds it 95 % of the time")
    return "Here, " + "; ".join(parts) + "."


PLATEAU_LEGEND = "stopped on a plateau by tol, continued"


def plateau_sentence(ok: pd.DataFrame) -> str:
    """How many starts the rule |Δ| < tol stopped on a plateau (their dots are hollow)."""
    n = int(ok["plateau"].sum())
    if n == 0:
        return ("No start stopped on a plateau: where the rule |Δ mean log-likelihood| < tol "
                "stopped each one, a "
                "tighter rule gained next to nothing.")
    return (f"{n} of {len(ok)} starts stopped on a plateau: the rule |Δ mean "
            "log-likelihood| < tol stopped them "
            "while they were still climbing, so each was continued under a tighter rule and "
            "its dot (hollow) is where it really ends, not a local optimum.")


def mark_plateaus(fig, plateau):
    """Hollow markers for the starts tol stopped on a plateau, with a legend entry."""
    plateau = np.asarray(plateau, dtype=bool)
    for trace in fig.data:
        rows = getattr(trace, "customdata", None)
        if trace.type != "scatter" or rows is None or trace.mode != "markers":
            continue
        rows = np.asarray(rows, dtype=int)
        trace.marker.symbol = np.where(plateau[rows], "circle-open", "circle").tolist()
    if plateau.any():
        fig.for_each_trace(lambda t: t.update(showlegend=False))
        fig.add_scatter(x=[None], y=[None], mode="markers", name=PLATEAU_LEGEND,
                        marker=dict(symbol="circle-open", size=9, color="#444444"),
                        showlegend=True)
        fig.update_layout(showlegend=True, legend=dict(
            orientation="h", x=1, xanchor="right", y=1.0, yanchor="bottom"))
    return fig


def study_key(data_key, settings: Settings, methods, n_seeds):
    """What a study's results depend on (not the sidebar's own init or seed)."""
    return (data_key, settings.n_components, settings.covariance_type, settings.reg_covar,
            settings.tol, settings.max_iter, tuple(methods), int(n_seeds))


def run_study(data: Dataset, settings: Settings, methods, n_seeds):
    """Fit the study (or reuse it from this session's cache) and make it the one shown."""
    ss = st.session_state
    key = study_key(session.data_key(), settings, methods, n_seeds)

    def fit():
        bar = st.progress(0.0, text="Starting…")
        t0 = time.perf_counter()
        results = restarts(data, settings, methods, n_seeds, bar)
        bar.empty()
        return results, time.perf_counter() - t0

    STUDIES.get(key, fit)
    ss[keys.STUDY_KEY] = key
    ss[keys.RESTART_SELECTED] = None


def on_restart_select():
    index = clicked_index(keys.RESTARTS_CHART)
    if index is not None:
        st.session_state[keys.RESTART_SELECTED] = index


def study_ui(data: Dataset, settings: Settings):
    """The restarts study: run it, see the distribution, click a dot, best vs worst."""
    ss = st.session_state
    # The methods on a line of their own, then a row that wraps: fixed columns cut the
    # method chips and the button's label at 900 px.
    methods = st.multiselect("Methods", METHODS, **kept(keys.METHODS, METHODS))
    with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
        n_seeds = st.slider("Seeds per method", 20, 200, step=10, width=320,
                            **kept(keys.N_SEEDS, 50))
        go = st.button("Run restarts study", type="primary", key=keys.STUDY_GO,
                       disabled=not methods)
    linked = link_state.take_pending(keys.STUDY_SHOWN)  # a link's study: fitted again
    picked = link_state.take_pending(keys.RESTART_SELECTED)
    if go or (linked and methods):
        run_study(data, settings, methods, n_seeds)
        if linked and picked is not None:
            ss[keys.RESTART_SELECTED] = picked
    key = study_key(session.data_key(), settings, methods, n_seeds)
    shown = ss.get(keys.STUDY_KEY)
    cache = STUDIES.entries()
    ss[keys.STUDY_SHOWN] = True if shown == key and shown in cache else None  # for the link
    if shown not in cache:
        st.caption("Fit many seeds per method to see how often EM lands in each local optimum.")
        return
    results, seconds = cache[shown]
    if shown != key:
        st.info("The settings changed since this study ran: run it again to update it.")
    errors = results.loc[results["error"].astype(bool), "error"]
    st.caption(f"{len(results)} fits in {seconds:.2f} s "
               f"({1000 * seconds / max(len(results), 1):.1f} ms per fit)"
               + (f"; {len(errors)} failed, for example: {errors.iloc[0]}" if len(errors)
                  else "."))
    ok = results.dropna(subset=["final_ll"]).reset_index(drop=True)
    if ok.empty:
        st.error("Every fit failed with these settings: try a larger reg_covar or a smaller K.")
        return
    selected = ss.get(keys.RESTART_SELECTED)
    if selected is not None and not 0 <= selected < len(ok):
        selected = None
    fig = mark_plateaus(figures.restarts_figure(ok["method"], ok["final_ll"],
                                                selected=selected), ok["plateau"])
    plotly_chart(fig, key=keys.RESTARTS_CHART, on_select=on_restart_select,
                 selection_mode="points")
    table = n_init_table(ok)
    st.markdown(
        plateau_sentence(ok) + "\n\n"
        "**Why `n_init`?** Each dot is one start run to where it really ends. Dots below "
        "the top are local optima: EM only climbs, so where it starts decides which hill "
        "it ends on. "
        "`n_init = m` fits m starts and keeps the best; if a share *p* of starts reach the "
        "best hill, all m miss it with probability (1 − p)ᵐ. " + n_init_sentence(table))
    st.table(table.set_index("method").style.format(
        {"share reaching the best": "{:.0%}", "n_init for 95 %": "{:.0f}",
         "worst final LL": "{:,.2f}", "best final LL": "{:,.2f}"}, na_rep="never reached"))
    _solutions_ui(data, ok, selected)


def _solutions_ui(data: Dataset, ok, selected):
    """The clicked restart's solution (if any) next to the best and the worst one."""
    best, worst = int(ok["final_ll"].idxmax()), int(ok["final_ll"].idxmin())
    panels = [("Best", best), ("Worst", worst)]
    if selected is not None:
        panels.insert(0, ("Clicked", selected))
    else:
        st.caption("Click a dot to see that solution next to the best and the worst.")
    ranges = figures.shared_ranges(data.X)
    for col, (name, row) in zip(st.columns(len(panels)), panels):
        r = ok.loc[row]
        with col:
            record = _solution_record(r, data.X)
            ll = f"{r['final_ll']:,.1f}".replace("-", "−")
            title = f"{name}: {r['method']}, seed {r['seed']} · LL {ll}"
            fig = figures.panel_figure(
                data.X, record, record.params.responsibilities(data.X), title=title,
                ranges=ranges, initial_means=r["start"], height=340 if len(panels) == 3 else 380,
                feature_names=data.feature_names, same_units=data.same_units,
                max_title_chars=0 if len(panels) == 3 else None)
            plotly_chart(fig, key=keys.solution_chart(name), config={"displayModeBar": False})


def _solution_record(row, X):
    return EMRecord.from_parameters(row["params"], X, iteration=int(row["n_iter"]))
