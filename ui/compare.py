"""State, callbacks and widgets of the Initializations page (keys prefixed "cmp_").

Several EM runs on the same data, K and covariance type, each with its own start, stepped in
lockstep; and a restarts study over many seeds. Per-user state lives in st.session_state.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st
from sklearn.metrics import adjusted_rand_score

from gmm_core import EMEngine, n_parameters
from gmm_core.datasets import Dataset

from . import figures, figures_compare, state
from .palette import component_color
from .widgets import SPEEDS

METHODS = [m for m in state.INIT_CHOICES if state.INIT_CHOICES[m] != "click"]
DEFAULT_RUNS = (("k-means", 0), ("k-means++", 0), ("random responsibilities", 0),
                ("random data points", 0))


@dataclass
class Run:
    """One run of the side-by-side comparison."""

    method: str
    seed: int
    engine: EMEngine | None = None
    error: str = ""
    init_seconds: float = 0.0
    fit_seconds: float = 0.0
    notes: list = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.engine is None or (self.engine.converged and self.engine.next_phase == "E")


def start_run(data: Dataset, settings: state.Settings, method: str, seed: int) -> Run:
    run = Run(method, seed)
    kwargs = dict(covariance_type=settings.covariance_type, reg_covar=settings.reg_covar,
                  tol=settings.tol, random_state=seed)
    placed = st.session_state.get("placed_means") or []
    try:
        t0 = time.perf_counter()
        if method == "place means by clicking":
            if len(placed) != settings.n_components:
                raise ValueError(
                    f"Place {settings.n_components} means on the Step by step page first "
                    f"({len(placed)} placed).")
            kwargs.update(state.click_start(data.X, settings.n_components,
                                             settings.covariance_type, placed))
        else:
            kwargs["init"] = state.INIT_CHOICES[method]
        run.engine = EMEngine(data.X, settings.n_components, **kwargs)
        run.init_seconds = time.perf_counter() - t0
    except ValueError as exc:
        run.error = str(exc)
    return run


def runs_for(data: Dataset, settings: state.Settings, choices) -> list[Run]:
    """The side-by-side runs; new ones when data, settings or any start changes."""
    ss = st.session_state
    key = (ss.get("data_key"), settings.n_components, settings.covariance_type,
           settings.reg_covar, settings.tol, tuple(choices))
    if ss.get("cmp_key") != key:
        if ss.get("cmp_key") is not None:
            st.toast("New runs started: the data, settings or a start changed.")
        ss["cmp_runs"] = [start_run(data, settings, m, s) for m, s in choices]
        ss["cmp_key"] = key
        ss["cmp_playing"] = False
    return ss["cmp_runs"]


# ------------------------------------------------------------------------------------------
# Lockstep callbacks: each run that can take the action takes it; a failing run keeps its
# error and the others go on; a converged run stays still.


def _each(action, only_unfinished=True):
    for run in st.session_state.get("cmp_runs", []):
        if run.engine is None or (only_unfinished and run.finished):
            continue
        t0 = time.perf_counter()
        try:
            action(run.engine)
        except (ValueError, RuntimeError) as exc:
            run.error = str(exc)
            run.engine = None
        run.fit_seconds += time.perf_counter() - t0


def do_e_step():
    _each(lambda e: e.e_step() if e.next_phase == "E" else None)


def do_m_step():
    _each(lambda e: e.m_step() if e.next_phase == "M" else None)


def do_iteration():
    _each(lambda e: e.step())


def do_run(max_iter):
    _each(lambda e: e.run(max_iter))


def do_reset():
    for run in st.session_state.get("cmp_runs", []):
        if run.engine is not None:
            run.engine.rewind(0)
            run.fit_seconds = 0.0
    st.session_state["cmp_playing"] = False


def toggle_play():
    st.session_state["cmp_playing"] = not st.session_state.get("cmp_playing", False)


def half_step_all(max_iter) -> bool:
    """One half-step for every unfinished run (Play); False when all are finished."""
    def half(e):
        if e.next_phase == "E" and e.n_iter >= max_iter:
            return
        (e.e_step if e.next_phase == "E" else e.m_step)()

    runs = st.session_state.get("cmp_runs", [])
    active = [r for r in runs if not r.finished and r.engine.n_iter < max_iter]
    if not active:
        return False
    _each(half)
    return True


# ------------------------------------------------------------------------------------------
# Widgets


def choices_ui() -> list[tuple[str, int]]:
    """How many runs, and each run's start and seed."""
    n_runs = st.slider("Runs side by side", 2, 4, value=st.session_state.get("cmp_n_runs", 3),
                       key="cmp_n_runs")
    cols = st.columns(n_runs)
    choices = []
    all_methods = list(state.INIT_CHOICES)
    for i, col in enumerate(cols):
        method, seed = DEFAULT_RUNS[i]
        with col:
            m = st.selectbox(f"Run {i + 1} start", all_methods, index=all_methods.index(method),
                             key=f"cmp_init_{i}")
            s = int(st.number_input(f"Run {i + 1} seed", 0, 1_000_000, value=seed, step=1,
                                    key=f"cmp_seed_{i}"))
        choices.append((m, s))
    return choices


def lockstep_ui(runs, settings: state.Settings):
    cols = st.columns([1, 1, 1.3, 1.6, 1, 1.1, 1.6])
    cols[0].button("E-step", on_click=do_e_step, width="stretch", key="cmp_e")
    cols[1].button("M-step", on_click=do_m_step, width="stretch", key="cmp_m")
    cols[2].button("Full iteration", on_click=do_iteration, width="stretch", key="cmp_full")
    cols[3].button("Run to convergence", on_click=do_run, args=(settings.max_iter,),
                   width="stretch", key="cmp_run")
    cols[4].button("Reset", on_click=do_reset, width="stretch", key="cmp_reset")
    playing = st.session_state.get("cmp_playing", False)
    cols[5].button("Pause" if playing else "Play", on_click=toggle_play, width="stretch",
                   type="primary" if playing else "secondary", key="cmp_play")
    if "cmp_speed" not in st.session_state:
        st.session_state["cmp_speed"] = "normal (2 / s)"
    cols[6].selectbox("Speed", list(SPEEDS), key="cmp_speed", label_visibility="collapsed")


def panels_ui(runs, data: Dataset):
    """Small multiples with shared axes, one per run, with its status."""
    d = data.X.shape[1]
    ranges = figures_compare.shared_ranges(data.X) if d == 2 else None
    cols = st.columns(2) if len(runs) > 2 else st.columns(len(runs))
    for i, run in enumerate(runs):
        with cols[i % len(cols)]:
            label = f"Run {i + 1}: {run.method}, seed {run.seed}"
            if run.engine is None:
                st.markdown(f"**{label}**")
                st.error(f"This run failed: {run.error} The other runs go on.")
                continue
            engine = run.engine
            record = engine.current
            title = figures_compare.run_title(run.method, record, engine.converged)
            resp = engine.responsibilities_at(record.index)
            if d == 1:
                fig = figures.density_1d_figure(data.X, record, resp, title=title, height=360,
                                                feature_name=data.feature_names[0],
                                                uirevision="cmp")
            else:
                fig = figures.mixture_figure(data.X, record, resp, title=title, height=380,
                                             initial_means=engine.history[0].means,
                                             feature_names=data.feature_names,
                                             uirevision="cmp")
                fig.update_xaxes(range=ranges[0])
                fig.update_yaxes(range=ranges[1])
            _small(fig)
            st.plotly_chart(fig, key=f"cmp_panel_{i}", config={"displayModeBar": False})
            fired = next((r for r in engine.history if r.phase == "E" and r.converged), None)
            if fired is not None:
                st.caption(f"{label}: converged at iteration {fired.iteration}"
                           + (" — holding still while the others go on." if not all(
                               r.finished for r in runs) else "."))
            else:
                st.caption(f"{label}: iteration {engine.n_iter}, not converged yet.")


def _small(fig):
    """Small multiples: the title carries the story, so no legend to collide with it."""
    fig.update_layout(showlegend=False, title_font_size=13, margin=dict(t=40))


def curves_ui(runs):
    curves = {f"Run {i + 1}: {r.method} (seed {r.seed})": (r.engine.history, component_color(i))
              for i, r in enumerate(runs) if r.engine is not None}
    if curves:
        st.plotly_chart(figures.curves_figure(curves, title="Log-likelihood of every run"),
                        key="cmp_curves")


def summary_table(runs, data: Dataset, settings: state.Settings) -> pd.DataFrame:
    """Method, seed, iterations, final LL, BIC, times and ARI (when labels exist)."""
    n, d = data.X.shape
    p = n_parameters(settings.n_components, d, settings.covariance_type)
    rows = []
    for i, run in enumerate(runs):
        row = {"run": i + 1, "method": run.method, "seed": run.seed}
        if run.engine is None:
            row.update(status=f"failed: {run.error}")
            rows.append(row)
            continue
        e = run.engine
        ll = e.log_likelihood
        fired = next((r for r in e.history if r.phase == "E" and r.converged), None)
        row.update(
            status="converged" if fired else "running",
            **{"iterations to converge": fired.iteration if fired else None,
               "iterations": e.n_iter, "final log-likelihood": round(ll, 3),
               "BIC": round(-2 * ll + p * np.log(n), 3),
               "init ms": round(1000 * run.init_seconds, 1),
               "fit ms": round(1000 * run.fit_seconds, 1)},
        )
        if data.labels is not None:
            row["ARI"] = round(adjusted_rand_score(data.labels, e.params.predict(data.X)), 4)
        rows.append(row)
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------
# Restarts study


def restarts(data: Dataset, settings: state.Settings, methods, n_seeds, progress=None):
    """Fit ``n_seeds`` seeds per method to convergence; one row per fit, with its params."""
    rows = []
    total = max(len(methods) * n_seeds, 1)
    done = 0
    for method in methods:
        for seed in range(n_seeds):
            row = {"method": method, "seed": seed}
            try:
                engine = EMEngine(data.X, settings.n_components,
                                  covariance_type=settings.covariance_type,
                                  init=state.INIT_CHOICES[method], reg_covar=settings.reg_covar,
                                  tol=settings.tol, random_state=seed)
                engine.run(settings.max_iter)
                row.update(final_ll=engine.log_likelihood, n_iter=engine.n_iter,
                           converged=engine.converged, params=engine.params,
                           start=engine.history[0], error="")
            except ValueError as exc:
                row.update(final_ll=np.nan, n_iter=0, converged=False, params=None,
                           start=None, error=str(exc))
            rows.append(row)
            done += 1
            if progress is not None and (done % 5 == 0 or done == total):
                progress.progress(done / total, text=f"{done} of {total} fits")
    return pd.DataFrame(rows)


def n_init_table(results: pd.DataFrame, tolerance=0.1) -> pd.DataFrame:
    """Per method: share of seeds reaching the best log-likelihood found (within
    ``tolerance``), and the n_init that reaches it with 95 % probability."""
    ok = results.dropna(subset=["final_ll"])
    if ok.empty:
        return pd.DataFrame()
    best = ok["final_ll"].max()
    rows = []
    for method, group in ok.groupby("method", sort=False):
        p = float((group["final_ll"] >= best - tolerance).mean())
        need = (int(np.ceil(np.log(0.05) / np.log(1 - p))) if 0 < p < 1 else (1 if p == 1
                                                                                  else None))
        rows.append({"method": method, "fits": len(group),
                     "share reaching the best": round(p, 3),
                     "n_init for 95 %": need,
                     "worst final LL": round(group["final_ll"].min(), 2),
                     "best final LL": round(group["final_ll"].max(), 2)})
    return pd.DataFrame(rows)


def on_restart_select():
    index = state.clicked_index("cmp_restarts_chart")
    if index is not None:
        st.session_state["cmp_restart_selected"] = index


def study_ui(data: Dataset, settings: state.Settings):
    """The restarts study: run it, see the distribution, click a dot, best vs worst."""
    ss = st.session_state
    cols = st.columns([3, 2, 1.4])
    methods = cols[0].multiselect("Methods", METHODS, default=METHODS[:4], key="cmp_methods")
    n_seeds = cols[1].slider("Seeds per method", 20, 200, value=50, step=10, key="cmp_n_seeds")
    key = (ss.get("data_key"), settings, tuple(methods), n_seeds)
    cols[2].markdown("&nbsp;")
    if cols[2].button("Run restarts study", type="primary", key="cmp_study_go",
                      disabled=not methods):
        bar = st.progress(0.0, text="Starting…")
        t0 = time.perf_counter()
        ss["cmp_study"] = (key, restarts(data, settings, methods, n_seeds, bar),
                           time.perf_counter() - t0)
        ss["cmp_restart_selected"] = None
        bar.empty()
    study = ss.get("cmp_study")
    if study is None:
        st.caption("Fit many seeds per method to see how often EM lands in each local optimum.")
        return
    study_key, results, seconds = study
    if study_key != key:
        st.info("The settings changed since this study ran: run it again to update it.")
    failed = results["error"].astype(bool).sum()
    st.caption(f"{len(results)} fits in {seconds:.2f} s"
               + (f"; {failed} failed (for example: {results.loc[results.error.astype(bool), 'error'].iloc[0]})"  # noqa: E501
                  if failed else "."))
    ok = results.dropna(subset=["final_ll"]).reset_index(drop=True)
    if ok.empty:
        st.error("Every fit failed with these settings.")
        return
    selected = ss.get("cmp_restart_selected")
    fig = figures_compare.restarts_figure(ok["method"], ok["final_ll"], selected=selected)
    st.plotly_chart(fig, key="cmp_restarts_chart", on_select=on_restart_select,
                    selection_mode="points")
    st.markdown(
        "**Why `n_init`?** Each dot is one start run to convergence. Dots below the top are "
        "local optima: EM only climbs, so where it starts decides which hill it ends on. "
        "`n_init = m` keeps the best of m starts; if a share *p* of starts reach the best "
        "hill, m starts miss it with probability (1 − p)^m."
    )
    st.table(n_init_table(ok))
    best, worst = int(ok["final_ll"].idxmax()), int(ok["final_ll"].idxmin())
    shown = [("Best", best), ("Worst", worst)]
    if selected is not None and 0 <= selected < len(ok):
        shown = [("Clicked", selected), ("Best", best)]
    cols = st.columns(2)
    for col, (name, row) in zip(cols, shown):
        r = ok.loc[row]
        with col:
            record = _solution_record(r, len(data.X))
            ll = f"{r['final_ll']:,.1f}".replace("-", "−")
            title = f"{name}: {r['method']}, seed {r['seed']} · LL {ll}"
            if data.X.shape[1] == 1:
                fig = figures.density_1d_figure(data.X, record, None, title=title, height=360)
            else:
                fig = figures.mixture_figure(data.X, record, record.params.responsibilities(
                    data.X), title=title, height=380, initial_means=r["start"].means)
            _small(fig)
            st.plotly_chart(fig, key=f"cmp_solution_{name}", config={"displayModeBar": False})


def _solution_record(row, n_samples):
    from gmm_core import EMRecord

    return EMRecord(index=0, phase="M", iteration=int(row["n_iter"]), params=row["params"],
                    log_likelihood=float(row["final_ll"]), n_samples=n_samples)


PRESETS = {
    "k-means start misleads (anisotropic cigars)": dict(
        dataset="Anisotropic cigars", K=3, covariance_type="full"),
    "'random' start: all means near the data mean": dict(
        dataset="Well-separated blobs", K=3, covariance_type="full"),
    "Too many components (K = 8 on 3 blobs)": dict(
        dataset="Well-separated blobs", K=8, covariance_type="full"),
}


def apply_preset(name):
    for key, value in PRESETS[name].items():
        st.session_state[key] = st.session_state["s_" + key] = value


def presets_ui():
    st.caption("Presets that make the point:")
    cols = st.columns(len(PRESETS))
    for col, name in zip(cols, PRESETS):
        col.button(name, on_click=apply_preset, args=(name,), width="stretch",
                   key=f"cmp_preset_{list(PRESETS).index(name)}")
