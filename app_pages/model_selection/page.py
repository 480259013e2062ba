"""The Model selection page: choosing K and the covariance type by BIC, AIC or ICL."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from gmm_core import convergence
from lab_maths import criteria
from lab_maths.criteria import CRITERION_NAMES
from ui import sidebar
from ui.presenter import plotly_chart
from ui.start import Start

from . import comparisons, cost_section, keys, lab_section, results
from . import figures as fig
from .comparisons import side_by_side

DEGENERATE_WHY = (
    "A degenerate fit squeezes a component onto a few identical or nearly identical points: "
    "its variance shrinks to about reg_covar, its density there grows without bound, and the "
    "log-likelihood rewards a spike instead of a cluster."
)
FORMULAS = (
    "BIC = −2 log L + p log n, AIC = −2 log L + 2p, and ICL = BIC + 2E with "
    "E = −Σᵢ log γ_{i ẑᵢ} (ẑᵢ: the component most responsible for point i). That is mclust's "
    "ICL in scikit-learn's sign: lower is better for all three, and ICL ≥ BIC, more so when "
    "components overlap. p counts the free parameters, n the points."
)


def _defaults():
    ss = st.session_state
    for key, value in ((keys.CRITERION, "bic"), (keys.N_INIT, 1), (keys.SEED, 0),
                       (keys.INCLUDE_DEGENERATE, False), (keys.MODEL, results.BEST)):
        ss.setdefault(key, value)


def render():
    """The whole page (a ``st.Page`` callable): the controls of the 40-model grid, then one
    tab per section, only the open one computed and drawn (issue 24: all nine charts in one
    run took seconds to switch to)."""
    _defaults()
    st.title("Model selection")
    st.caption(
        "How many components K, and which covariance type? Fit every K from 1 to 10 with each "
        "of the four covariance types and compare them by a criterion that trades the "
        "log-likelihood against the number of free parameters. Each tab below is one way to "
        "compare models."
    )
    data = sidebar.data_ui()
    settings = sidebar.model_ui(data)
    controls = _controls()
    _keep_closed_tabs()
    tabs = st.tabs(list(keys.SECTIONS.values()), key=keys.SECTION, on_change="rerun")
    for tab, draw in zip(tabs, (_choosing_k, _held_out, _types, _dirichlet)):
        if tab.open:
            with tab:
                draw(data, settings, controls)
    lab, cost = tabs[4:]
    if lab.open:
        with lab:
            lab_section.lab_ui()
    if cost.open:
        with cost:
            cost_section.cost_ui()


def _keep_closed_tabs():
    """Re-set the tabs' widget values, so a closed tab's survive this run (Streamlit drops
    the value of a widget not drawn) and the link keeps carrying them."""
    ss = st.session_state
    for key in keys.SECTION_WIDGETS:
        if key in ss:
            ss[key] = ss[key]


def _grid(data, settings, controls, note=False):
    """The 40 fits (cached; a progress bar while they run), with ``note`` their settings in
    a caption; None, with the errors in words, when none could be fitted."""
    n_init, seed, _criterion, _include = controls
    grid = results.grid_for(data.X, settings, n_init, seed)
    if note:
        st.caption(_fit_note(settings, n_init, seed, grid.table))
    return grid if _failures(grid.table) else None


def _choosing_k(data, settings, controls):
    _n_init, _seed, criterion, include = controls
    st.header("Choosing K and the covariance type")
    grid = _grid(data, settings, controls, note=True)
    if grid is None:
        return
    table = grid.table
    best = criteria.best_row(table, criterion, include_degenerate=include)
    _best_sentence(table, criterion, best, include)
    drawn = _drawn_row(table, best)
    plotly_chart(fig.criterion_figure(table, criterion, best=best, selected=drawn),
                 key=keys.LINE_CHART, selection_mode="points",
                 on_select=partial(results.on_chart_select, keys.LINE_CHART),
                 config={"displayModeBar": False})
    left, right = side_by_side(420)
    with left:
        plotly_chart(fig.heatmap_figure(table, criterion, best=best, selected=drawn),
                     key=keys.HEATMAP, selection_mode="points",
                     on_select=partial(results.on_chart_select, keys.HEATMAP),
                     config={"displayModeBar": False})
    with right:
        _drawn_model_ui(data, grid, table, drawn, best, criterion)
    _table_ui(table)


def _best(grid, controls):
    _n_init, _seed, criterion, include = controls
    return criteria.best_row(grid.table, criterion, include_degenerate=include)


# The other tabs read the grid too (the criteria's picks, the best model's type and K).
def _held_out(data, settings, controls):
    if (grid := _grid(data, settings, controls)) is not None:
        comparisons.cross_validation_ui(data, settings, grid.table, controls[1])


def _types(data, settings, controls):
    if (grid := _grid(data, settings, controls)) is not None:
        comparisons.covariance_types_ui(data, grid, grid.table, _best(grid, controls))


def _dirichlet(data, settings, controls):
    if (grid := _grid(data, settings, controls)) is not None:
        comparisons.dirichlet_ui(data, grid.table, _best(grid, controls), controls[1])


def _controls():
    with st.container(horizontal=True, gap="medium", vertical_alignment="bottom",
                      key="ms_controls"):  # (presenter mode puts it first: ui/presenter.py)
        criterion = st.segmented_control(
            "Criterion", criteria.CRITERIA, format_func=CRITERION_NAMES.get,
            key=keys.CRITERION, required=True,
            help="All three are in scikit-learn's sign: lower is better.")
        n_init = int(st.number_input("Starts per model (n_init)", 1, 20, step=1,
                                     key=keys.N_INIT, width=190,
                                     help="EM runs this many times from different starts "
                                          "for each model and keeps the best."))
        seed = int(st.number_input("Seed (random_state)", 0, 1_000_000, step=1,
                                   key=keys.SEED, width=170))
        include = st.toggle("Let degenerate fits win", key=keys.INCLUDE_DEGENERATE,
                            help=DEGENERATE_WHY)
    st.caption(FORMULAS)
    return n_init, seed, criterion or "bic", include


def _fit_note(settings, n_init, seed, table=None) -> str:
    options = results.fit_options(settings)
    note = (f"Each of the 40 models: {n_init} start(s) with random_state = {seed}, "
            f"initialisation “{options['init_params']}”, tol = {settings.tol:g} (the rule "
            f"{convergence.RULE}), "
            f"reg_covar = {settings.reg_covar:g}, at most {settings.max_iter} iterations "
            "(from the sidebar).")
    if not settings.init.seeded:
        what = "Means placed by clicking" if settings.init is Start.CLICK else "A parameters file"
        note += f" {what} cannot serve 40 models: k-means starts them here."
    if table is not None and "at_maximum" in table:
        fitted = table[table["error"] == ""]
        reached = int(fitted["at_maximum"].sum())
        note += (" The criteria are read at the maximum, not where tol stopped: from that "
                 "stop each fit went on (accelerated EM, then plain EM) until the mean "
                 f"log-likelihood changed by less than 1e-8 per iteration; {reached} of "
                 f"{len(fitted)} fitted models got there")
        note += "." if reached == len(fitted) else (
            " (the others ran out of their budget of iterations and are shown where they "
            "stopped).")
    return note


def _failures(table) -> bool:
    """Say which fits failed and why; False (and an error) when none could be fitted."""
    failed = table[table["error"] != ""]
    if len(failed) == len(table):
        st.error("No model could be fitted: " + failed["error"].iloc[0])
        return False
    for error, rows in failed.groupby("error", sort=False):
        cells = ", ".join(f"K = {r.n_components} {r.covariance_type}"
                          for r in rows.itertuples())
        st.error(f"{len(rows)} of {len(table)} fits failed ({cells}): {error} They have no "
                 "score: a gap on the line chart, “failed” on the heat-map.")
    return True


def _label(table, row) -> str:
    r = table.loc[row]
    return f"K = {r.n_components}, {fig.type_label(r.covariance_type)}"


def _best_sentence(table, criterion, best, include):
    name = CRITERION_NAMES[criterion]
    if best is None:
        st.warning(f"Every fitted model is degenerate, so none is crowned best by {name}. "
                   f"{DEGENERATE_WHY} Switch on “Let degenerate fits win” to rank them anyway.")
        return
    value = table.loc[best, criterion]
    st.success(f"Best by {name}: **{_label(table, best)}**, {name} = {value:,.2f}.")
    n_degenerate = int(table["degenerate"].sum())
    winner = criteria.best_row(table, criterion, include_degenerate=True)
    if not include and winner != best:
        st.warning(
            f"{_label(table, winner)} has a lower {name} ({table.loc[winner, criterion]:,.2f}) "
            f"but is degenerate ({table.loc[winner, 'reason']}), so it is not crowned. "
            f"{DEGENERATE_WHY}")
    elif include and table.loc[best, "degenerate"]:
        st.warning(f"This winner is degenerate ({table.loc[best, 'reason']}). {DEGENERATE_WHY}")
    if n_degenerate:
        st.caption(f"{n_degenerate} of the {len(table)} fits are degenerate: hollow markers "
                   "with a red rim on the line chart, a red frame and ⚠ on the heat-map"
                   + ("." if include else "; they are left out of “best”."))


def _drawn_row(table, best):
    """Row label of the model to draw: the one clicked or chosen, else the best."""
    key = st.session_state.get(keys.MODEL, results.BEST)
    parsed = results.parse_model_key(key)
    if parsed is not None:
        k, cov = parsed
        match = table[(table["n_components"] == k) & (table["covariance_type"] == cov)
                      & (table["error"] == "")]
        if not match.empty:
            return match.index[0]
    if key != results.BEST:
        st.session_state[keys.MODEL] = results.BEST
    return best


def _drawn_model_ui(data, grid, table, drawn, best, criterion):
    options = [results.BEST] + [results.model_key(r.n_components, r.covariance_type)
                                  for r in table.itertuples() if not r.error]
    best_text = "none" if best is None else _label(table, best)

    # The "best" option's label must not change with the criterion or the data: Streamlit
    # matches the chosen option by its label, and a changed label came back as a stale value.
    def name(option):
        if option == results.BEST:
            return "The best by the chosen criterion"
        k, cov = results.parse_model_key(option)
        return f"K = {k}, {fig.type_label(cov)}"

    st.selectbox("Model drawn (or click a point or a square)", options, format_func=name,
                 key=keys.MODEL,
                 help=f"The best by {CRITERION_NAMES[criterion]} is now {best_text}.")
    if drawn is None:
        st.info("No model to draw: every fit is degenerate or failed.")
        return
    row = table.loc[drawn]
    params = grid.models[(int(row.n_components), row.covariance_type)]
    title = (f"{_label(table, drawn)}: {CRITERION_NAMES[criterion]} = "
             f"{row[criterion]:,.1f}, log L = {row.log_likelihood:,.1f}")
    plotly_chart(fig.model_scatter(data.X, params, feature_names=data.feature_names,
                                   title=title, height=400, show_legend=True),
                 config={"displayModeBar": False}, key="ms_drawn_chart")
    if row.degenerate:
        st.warning(f"Degenerate fit: {row.reason}.")
    elif "at_maximum" in table:
        if not row.at_maximum:  # n_iter counts the passes after the tol stop too
            st.caption(f"This fit did not reach its maximum within its budget: it is drawn "
                       f"where it stopped, {int(row.extra_iterations)} passes after its tol "
                       "stop, with |Δ mean log-likelihood| still at or above 1e-8.")
    elif not row.converged:
        st.caption(f"This fit stopped at max iterations ({row.n_iter}) without converging.")


def _iterations_columns(table) -> dict:
    """How each fit ended: to tol, then (exact criteria) on to the maximum."""
    if "at_maximum" not in table:
        return {"iterations": table["n_iter"], "converged": table["converged"]}
    return {"iterations to the tol stop": table["n_iter"] - table["extra_iterations"],
            "stopped by tol": table["converged"],
            "passes from there to the maximum": table["extra_iterations"],
            "at the maximum (|Δ| < 1e-8)": table["at_maximum"]}


def _table_ui(table):
    with st.expander("All 40 fits as a table"):
        shown = pd.DataFrame({
            "K": table["n_components"], "covariance type": table["covariance_type"],
            "mclust": table["mclust"], "free parameters p": table["n_parameters"],
            "log-likelihood": table["log_likelihood"], "BIC": table["bic"],
            "AIC": table["aic"], "ICL": table["icl"], **_iterations_columns(table),
            "degenerate": [r.reason if r.degenerate else "" for r in table.itertuples()],
            "failed": table["error"],
        })
        st.dataframe(shown, hide_index=True, height=360,
                     column_config={c: st.column_config.NumberColumn(format="%.2f")
                                    for c in ("log-likelihood", "BIC", "AIC", "ICL")})
