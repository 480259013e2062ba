"""State, callbacks and widgets of the Initializations page (keys prefixed "cmp_").

Several EM runs on the same data, K and covariance type, each with its own start, stepped in
lockstep; and a restarts study over many seeds. Per-user state lives in st.session_state.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st
from sklearn.metrics import adjusted_rand_score

from gmm_core import EMEngine, EMRecord, n_parameters, placed_means_start
from gmm_core.datasets import Dataset
from gmm_core.restarts import fit_restarts, n_init_table

from . import figures, figures_compare, state, widgets
from .palette import component_color
from .widgets import SPEEDS

CLICK = "place means by clicking"
METHODS = [m for m in state.INIT_CHOICES if m != CLICK]  # the seeded starts
DEFAULT_RUNS = (("k-means", 0), ("k-means++", 0), ("random responsibilities", 0),
                ("random data points", 0))
MAX_STUDIES = 6  # restarts studies kept per session (each is a few hundred small fits)


_kept = widgets.kept  # this page's own choices survive a page switch like the shared ones
_set = widgets.set_kept


# ------------------------------------------------------------------------------------------
# Runs


@dataclass
class Run:
    """One run of the side-by-side comparison.

    ``engine`` is None when the run could not start; ``error`` is set when it could not
    start or when a step failed (the engine then keeps its last good state and stays still).
    ``waiting`` marks a user-placed start with no means placed yet.
    """

    method: str
    seed: int
    engine: EMEngine | None = None
    error: str = ""
    waiting: bool = False
    init_seconds: float = 0.0
    fit_seconds: float = 0.0

    @property
    def finished(self) -> bool:
        return (self.engine is None or bool(self.error)
                or (self.engine.converged and self.engine.next_phase == "E"))

    def converged_at(self) -> int | None:
        """The iteration whose E-step found |Δ| < tol, or None."""
        if self.engine is None:
            return None
        return next((r.iteration for r in self.engine.history
                     if r.phase == "E" and r.converged), None)


def _placed():
    """Means placed on the Step by step page ("place means by clicking"), as tuples."""
    return [tuple(p) for p in (st.session_state.get("placed_means") or [])]


def start_run(data: Dataset, settings: state.Settings, method: str, seed: int,
              placed=()) -> Run:
    """A new run (timed); a start that cannot be made is kept as the run's error."""
    run = Run(method, seed)
    kwargs = dict(covariance_type=settings.covariance_type, reg_covar=settings.reg_covar,
                  tol=settings.tol, random_state=seed)
    k = settings.n_components
    if method == CLICK:
        if len(placed) != k:
            run.waiting = True
            run.error = (f"No means placed for K = {k} yet ({len(placed)} placed). Choose "
                         f"\"{CLICK}\" on the Step by step page, click {k} points there, then "
                         "come back: this run starts from those means.")
            return run
        kwargs.update(placed_means_start(data.X, k, settings.covariance_type, list(placed)))
    else:
        kwargs["init"] = state.INIT_CHOICES[method]
    try:
        t0 = time.perf_counter()
        run.engine = EMEngine(data.X, k, **kwargs)
        run.init_seconds = time.perf_counter() - t0
    except ValueError as exc:
        run.error = str(exc)
    return run


def runs_for(data: Dataset, settings: state.Settings, choices) -> list[Run]:
    """The side-by-side runs; new ones when the data, settings or any start changes."""
    ss = st.session_state
    placed = tuple(_placed()) if any(m == CLICK for m, _ in choices) else ()
    key = (ss.get("data_key"), settings.n_components, settings.covariance_type,
           settings.reg_covar, settings.tol, tuple(choices), placed)
    if ss.get("cmp_key") != key or "cmp_runs" not in ss:
        if ss.get("cmp_key") is not None:
            st.toast("New runs started: the data, settings or a start changed.")
        ss["cmp_runs"] = [start_run(data, settings, m, s, placed) for m, s in choices]
        ss["cmp_key"] = key
        ss["cmp_playing"] = False
    return ss["cmp_runs"]


# ------------------------------------------------------------------------------------------
# Lockstep callbacks: every run that can take the action takes it; a failing run keeps its
# last good state and its error, and the others go on; a converged run stays still.


def _each(action):
    for run in st.session_state.get("cmp_runs", []):
        if run.finished:
            continue
        t0 = time.perf_counter()
        try:
            action(run.engine)
        except (ValueError, RuntimeError, np.linalg.LinAlgError) as exc:
            run.error = f"At iteration {run.engine.n_iter + 1}: {exc}"
        run.fit_seconds += time.perf_counter() - t0


def do_e_step():
    _each(lambda e: e.e_step() if e.next_phase == "E" else None)


def do_m_step():
    _each(lambda e: e.m_step() if e.next_phase == "M" else None)


def do_iteration(max_iter=None):
    _each(lambda e: e.step() if max_iter is None or e.n_iter < max_iter else None)


def do_run(max_iter):
    _each(lambda e: e.run(max_iter))


def do_reset():
    for run in st.session_state.get("cmp_runs", []):
        if run.engine is not None:
            run.engine.rewind(0)
            run.error = ""
            run.fit_seconds = 0.0
    st.session_state["cmp_playing"] = False


def toggle_play():
    st.session_state["cmp_playing"] = not st.session_state.get("cmp_playing", False)


def _can_move(run, max_iter) -> bool:
    return not run.finished and (run.engine.next_phase == "M" or run.engine.n_iter < max_iter)


def half_step_all(max_iter) -> bool:
    """One half-step for every run that can move (Play); False when none can."""
    runs = st.session_state.get("cmp_runs", [])
    if not any(_can_move(r, max_iter) for r in runs):
        return False

    def half(e):
        if e.next_phase == "M":
            e.m_step()
        elif e.n_iter < max_iter:
            e.e_step()

    _each(half)
    return True


# ------------------------------------------------------------------------------------------
# Side-by-side widgets


def choices_ui() -> list[tuple[str, int]]:
    """How many runs, and each run's start and seed."""
    n_runs = st.slider("Runs side by side", 2, 4, **_kept("cmp_n_runs", 3))
    cols = st.columns(n_runs)
    choices = []
    all_methods = list(state.INIT_CHOICES)
    for i, col in enumerate(cols):
        method, seed = DEFAULT_RUNS[i]
        with col:
            m = st.selectbox(f"Run {i + 1} start", all_methods,
                             **_kept(f"cmp_init_{i}", method))
            s = int(st.number_input(f"Run {i + 1} seed", 0, 1_000_000, step=1,
                                    disabled=m == CLICK, **_kept(f"cmp_seed_{i}", seed)))
        choices.append((m, s))
    return choices


def lockstep_ui(runs, settings: state.Settings):
    """One set of buttons for every run."""
    ss = st.session_state
    can_move = any(_can_move(r, settings.max_iter) for r in runs)
    any_e = any(not r.finished and r.engine.next_phase == "E" for r in runs)
    any_m = any(not r.finished and r.engine.next_phase == "M" for r in runs)
    cols = st.columns([1, 1, 1.3, 1.6, 1, 1.1, 1.6])
    cols[0].button("E-step", on_click=do_e_step, width="stretch", key="cmp_e",
                   disabled=not any_e, help="E-step for every run whose next half-step is E.")
    cols[1].button("M-step", on_click=do_m_step, width="stretch", key="cmp_m",
                   disabled=not any_m, help="M-step for every run whose next half-step is M.")
    cols[2].button("Full iteration", on_click=do_iteration, args=(settings.max_iter,),
                   width="stretch", key="cmp_full", disabled=not can_move)
    cols[3].button("Run to convergence", on_click=do_run, args=(settings.max_iter,),
                   width="stretch", key="cmp_run", disabled=not can_move)
    cols[4].button("Reset", on_click=do_reset, width="stretch", key="cmp_reset",
                   help="Every run back to its start (same initialisation).")
    playing = ss.get("cmp_playing", False)
    cols[5].button("Pause" if playing else "Play", on_click=toggle_play, width="stretch",
                   type="primary" if playing else "secondary", key="cmp_play",
                   disabled=not (playing or can_move))
    cols[6].selectbox("Speed", list(SPEEDS), label_visibility="collapsed",
                      **_kept("cmp_speed", "normal (2 / s)"))


def _status(run, runs, max_iter) -> str:
    label = f"Run {runs.index(run) + 1}: {run.method}" + (
        "" if run.method == CLICK else f", seed {run.seed}")
    at = run.converged_at()
    if at is not None:
        others = any(_can_move(r, max_iter) for r in runs)
        return (f"{label}: converged at iteration {at}"
                + (" — holding still while the others go on." if others else "."))
    engine = run.engine
    if engine.next_phase == "E" and engine.n_iter >= max_iter:
        return f"{label}: stopped at max iterations ({max_iter}), not converged."
    return f"{label}: iteration {engine.n_iter}, not converged yet."


def panels_ui(runs, data: Dataset, settings: state.Settings):
    """Small multiples with shared axes, one per run, each with its status."""
    n_cols = len(runs) if len(runs) <= 3 else 2
    height = 340 if n_cols == 3 else 380
    ranges = figures_compare.shared_ranges(data.X)
    titles = [None if r.engine is None else figures_compare.run_title(
        r.method, r.engine.current, r.engine.converged, failed=bool(r.error)) for r in runs]
    # If one title needs two lines, all do: the panels' plot areas then line up.
    limit = 48 if n_cols == 3 else 80
    limit = 0 if any(t is not None and len(t) > limit for t in titles) else None
    cols = st.columns(n_cols)
    for i, run in enumerate(runs):
        with cols[i % n_cols]:
            if run.engine is None:
                label = f"Run {i + 1}: {run.method}"
                st.markdown(f"**{label}**")
                if run.waiting:
                    st.warning(run.error)
                    st.page_link("app_pages/step_by_step.py", label="Place means on Step by step",
                                 icon=":material/ads_click:")
                else:
                    st.error(f"This run could not start: {run.error} The other runs go on.")
                continue
            engine = run.engine
            record = engine.current
            fig = figures_compare.panel_figure(
                data.X, record, engine.responsibilities_at(record.index), title=titles[i],
                ranges=ranges, initial_means=engine.history[0].means, height=height,
                feature_names=data.feature_names, max_title_chars=limit)
            st.plotly_chart(fig, key=f"cmp_panel_{i}", config={"displayModeBar": False})
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
                        key="cmp_curves")


def summary_table(runs, data: Dataset, settings: state.Settings) -> pd.DataFrame:
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


def summary_ui(runs, data: Dataset, settings: state.Settings):
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


# ------------------------------------------------------------------------------------------
# Restarts study


def restarts(data: Dataset, settings: state.Settings, methods, n_seeds, progress=None):
    """The restarts study for the page's methods (``gmm_core.restarts.fit_restarts``)."""
    def report(done, total):
        if progress is not None and (done % 5 == 0 or done == total):
            progress.progress(done / total, text=f"{done} of {total} fits")

    return fit_restarts(data.X, settings.n_components,
                        {m: state.INIT_CHOICES[m] for m in methods}, n_seeds,
                        covariance_type=settings.covariance_type, reg_covar=settings.reg_covar,
                        tol=settings.tol, max_iter=settings.max_iter, progress=report)


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


def study_key(data_key, settings: state.Settings, methods, n_seeds):
    """What a study's results depend on (not the sidebar's own init or seed)."""
    return (data_key, settings.n_components, settings.covariance_type, settings.reg_covar,
            settings.tol, settings.max_iter, tuple(methods), int(n_seeds))


def run_study(data: Dataset, settings: state.Settings, methods, n_seeds):
    """Fit the study (or reuse it from this session's cache) and make it the one shown."""
    ss = st.session_state
    key = study_key(ss.get("data_key"), settings, methods, n_seeds)
    cache = ss.setdefault("cmp_studies", {})
    if key not in cache:
        bar = st.progress(0.0, text="Starting…")
        t0 = time.perf_counter()
        results = restarts(data, settings, methods, n_seeds, bar)
        cache[key] = (results, time.perf_counter() - t0)
        while len(cache) > MAX_STUDIES:
            cache.pop(next(iter(cache)))
        bar.empty()
    ss["cmp_study_key"] = key
    ss["cmp_restart_selected"] = None


def on_restart_select():
    index = state.clicked_index("cmp_restarts_chart")
    if index is not None:
        st.session_state["cmp_restart_selected"] = index


def study_ui(data: Dataset, settings: state.Settings):
    """The restarts study: run it, see the distribution, click a dot, best vs worst."""
    ss = st.session_state
    cols = st.columns([3, 2, 1.4])
    methods = cols[0].multiselect("Methods", METHODS, **_kept("cmp_methods", METHODS))
    n_seeds = cols[1].slider("Seeds per method", 20, 200, step=10, **_kept("cmp_n_seeds", 50))
    cols[2].markdown("&nbsp;")
    if cols[2].button("Run restarts study", type="primary", key="cmp_study_go",
                      disabled=not methods):
        run_study(data, settings, methods, n_seeds)
    key = study_key(ss.get("data_key"), settings, methods, n_seeds)
    shown = ss.get("cmp_study_key")
    cache = ss.get("cmp_studies", {})
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
    selected = ss.get("cmp_restart_selected")
    if selected is not None and not 0 <= selected < len(ok):
        selected = None
    fig = figures_compare.restarts_figure(ok["method"], ok["final_ll"], selected=selected)
    st.plotly_chart(fig, key="cmp_restarts_chart", on_select=on_restart_select,
                    selection_mode="points")
    table = n_init_table(ok)
    st.markdown(
        "**Why `n_init`?** Each dot is one start run to convergence. Dots below the top are "
        "local optima: EM only climbs, so where it starts decides which hill it ends on. "
        "`n_init = m` fits m starts and keeps the best; if a share *p* of starts reach the "
        "best hill, all m miss it with probability (1 − p)ᵐ. " + n_init_sentence(table))
    st.table(table.set_index("method").style.format(
        {"share reaching the best": "{:.0%}", "n_init for 95 %": "{:.0f}",
         "worst final LL": "{:,.2f}", "best final LL": "{:,.2f}"}, na_rep="never reached"))
    best, worst = int(ok["final_ll"].idxmax()), int(ok["final_ll"].idxmin())
    panels = [("Best", best), ("Worst", worst)]
    if selected is not None:
        panels.insert(0, ("Clicked", selected))
    else:
        st.caption("Click a dot to see that solution next to the best and the worst.")
    ranges = figures_compare.shared_ranges(data.X)
    for col, (name, row) in zip(st.columns(len(panels)), panels):
        r = ok.loc[row]
        with col:
            record = _solution_record(r, data.X)
            ll = f"{r['final_ll']:,.1f}".replace("-", "−")
            title = f"{name}: {r['method']}, seed {r['seed']} · LL {ll}"
            fig = figures_compare.panel_figure(
                data.X, record, record.params.responsibilities(data.X), title=title,
                ranges=ranges, initial_means=r["start"], height=340 if len(panels) == 3 else 380,
                feature_names=data.feature_names, max_title_chars=0 if len(panels) == 3 else None)
            st.plotly_chart(fig, key=f"cmp_solution_{name}", config={"displayModeBar": False})


def _solution_record(row, X):
    return EMRecord.from_parameters(row["params"], X, iteration=int(row["n_iter"]))


# ------------------------------------------------------------------------------------------
# Presets


PRESETS = {
    "k-means start misleads (anisotropic cigars)": dict(
        settings=dict(dataset="Anisotropic cigars", n_points=600, data_seed=0, K=3,
                      covariance_type="full", reg_covar=1e-6),
        runs=[("k-means", 0), ("k-means", 5), ("k-means++", 11), ("random data points", 4)],
        point="k-means draws round clusters, so its start cuts the long thin cigars across, "
              "and EM started there stays in a wrong valley: in 100 seeds no k-means start "
              "reached the solution that matches the true cigars (log-likelihood ≈ −2,437, "
              "adjusted Rand index ≈ 0.87); k-means++ seed 11 does. Compare the final "
              "log-likelihood and ARI columns, then run the restarts study.",
    ),
    "'random' start: all means near the data mean": dict(
        settings=dict(dataset="Well-separated blobs", n_points=600, data_seed=0, K=3,
                      covariance_type="full", reg_covar=1e-6),
        runs=[("k-means", 0), ("random responsibilities", 0)],
        point="scikit-learn's \"random\" start gives every point random responsibilities, so "
              "every component starts at the data mean with the whole data's spread. The "
              "components are nearly identical, the log-likelihood barely moves, and EM "
              "declares convergence after 2 iterations at a poor solution.",
    ),
    "Too many components (K = 8 on 3 blobs)": dict(
        settings=dict(dataset="Well-separated blobs", n_points=600, data_seed=0, K=8,
                      covariance_type="full", reg_covar=1e-6),
        runs=[("k-means", 0), ("k-means++", 0), ("random data points", 0),
              ("random responsibilities", 0)],
        point="With K = 8 on 3 blobs every start splits the blobs differently: many solutions "
              "with almost the same log-likelihood, none of them \"the\" answer. BIC (lower is "
              "better) charges for the extra parameters.",
    ),
}


def apply_preset(name):
    preset = PRESETS[name]
    for key, value in preset["settings"].items():
        _set(key, value)  # shared sidebar settings are kept the same way
    _set("cmp_n_runs", len(preset["runs"]))
    for i, (method, seed) in enumerate(preset["runs"]):
        _set(f"cmp_init_{i}", method)
        _set(f"cmp_seed_{i}", seed)
    st.session_state["cmp_preset"] = name


def presets_ui():
    st.caption("Presets that make the point (they set the data, K and the runs' starts):")
    cols = st.columns(len(PRESETS))
    for i, (col, name) in enumerate(zip(cols, PRESETS)):
        col.button(name, on_click=apply_preset, args=(name,), width="stretch",
                   key=f"cmp_preset_{i}")
    name = st.session_state.get("cmp_preset")
    if name in PRESETS:
        st.info(f"**{name}.** {PRESETS[name]['point']}", icon=":material/lightbulb:")
