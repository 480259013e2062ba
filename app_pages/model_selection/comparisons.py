"""The page's comparisons of models: held-out log-likelihood, covariance types side by side,
and a Dirichlet-process mixture that picks its own K; and ``side_by_side``, the row every
section of the page lays its chart and its words in."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from gmm_core import COVARIANCE_DESCRIPTIONS, COVARIANCE_TYPES
from lab_maths import criteria
from lab_maths.criteria import CRITERION_NAMES, EFFECTIVE_WEIGHT
from ui.presenter import plotly_chart
from ui.settings import K

from . import figures as fig
from . import keys, results


def side_by_side(left_width: int):
    """Two containers in a row that wraps: side by side in a wide window, one above the
    other in a narrow one (fixed columns squeezed a chart to 190 px at 900 px)."""
    with st.container(horizontal=True, wrap=True, gap="medium"):
        return st.container(width=left_width), st.container(width="stretch")


CV_METHODS = {"kfold": "k-fold cross-validation", "split": "one train/validation split"}
DP_PRIORS = keys.DP_PRIORS


def _best_type(table, best) -> str:
    return "full" if best is None else str(table.loc[best, "covariance_type"])


def _best_k(table, best) -> int:
    return 2 if best is None else int(table.loc[best, "n_components"])


def criterion_picks(table, covariance_type, include_degenerate=False) -> dict:
    """The K each criterion picks among the fits of one covariance type."""
    rows = table[table["covariance_type"] == covariance_type]
    picks = {}
    for criterion in criteria.CRITERIA:
        best = criteria.best_row(rows, criterion, include_degenerate=include_degenerate)
        picks[CRITERION_NAMES[criterion]] = None if best is None else int(
            rows.loc[best, "n_components"])
    return picks


def cross_validation_ui(data, settings, table, seed):
    st.header("Overfitting: held-out log-likelihood against K")
    st.caption(
        "Fit each K on part of the data and score it on points it has not seen. More "
        "components always fit their own training points at least as well, so the training "
        "curve climbs; on held-out points the extra components only fit noise, so the "
        "validation curve levels off or falls."
    )
    ss = st.session_state
    ss.setdefault(keys.CV_METHOD, "kfold")
    ss.setdefault(keys.CV_FOLDS, 5)
    ss.setdefault(keys.CV_COVARIANCE, _best_type(table, criteria.best_row(table, "bic")))
    with st.container(horizontal=True, gap="medium", vertical_alignment="bottom"):
        method = st.segmented_control("Scheme", list(CV_METHODS), format_func=CV_METHODS.get,
                                      key=keys.CV_METHOD, required=True) or "kfold"
        folds = st.slider("Folds", 2, 10, key=keys.CV_FOLDS, width=220,
                          disabled=method != "kfold",
                          help="scikit-learn's KFold(shuffle=True) with this many folds.")
        cov = st.selectbox("Covariance type", COVARIANCE_TYPES, key=keys.CV_COVARIANCE,
                           format_func=fig.type_label, width=200)
    if len(data.X) < 2 * folds and method == "kfold":
        st.error(f"{folds}-fold cross-validation needs at least {2 * folds} points; the data "
                 f"have {len(data.X)}.")
        return
    curve = results.cv_for(data.X, settings, cov, method, folds, seed)
    if curve["validation"].isna().all():
        st.error("No K could be fitted on the training folds, so there is no curve. Try a "
                 "larger reg_covar or more data.")
        return
    picks = criterion_picks(table, cov, st.session_state.get(keys.INCLUDE_DEGENERATE, False))
    k_valid = int(curve.loc[curve["validation"].idxmax(), "n_components"])
    picks["validation"] = k_valid
    scheme = (f"{folds}-fold cross-validation" if method == "kfold"
              else "one split, 25 % of the points held out")
    plotly_chart(fig.cv_figure(curve, picks=picks, title=(
     f"Mean log-likelihood per point, {fig.type_label(cov)}, {scheme}")),
     config={"displayModeBar": False}, key="ms_cv_chart")
    st.markdown(_cv_sentence(curve, k_valid))
    shown = pd.DataFrame({"picked K": [("—" if v is None else v) for v in picks.values()]},
                         index=[f"{name} (lowest)" if name != "validation"
                                else "validation log-likelihood (highest)"
                                for name in picks])
    shown.index.name = "rule"  # (a header cell with no text is invisible to screen readers)
    st.table(shown)
    st.caption(cv_compared_text(len(data.X), cov, method, folds, seed))
    failed = curve[curve["n_folds"] < (folds if method == "kfold" else 1)]
    if len(failed):
        st.caption("Some folds could not be fitted for K = "
                   + ", ".join(map(str, failed["n_components"])) + "; their points are means "
                   "over the folds that could.")


def cv_compared_text(n, covariance_type, method, folds, seed) -> str:
    """What the held-out curve compared (issue 24: Applications → Density picks its best K
    with this same cross-validation)."""
    scheme = (f"{folds}-fold cross-validation (scikit-learn's KFold, shuffled)"
              if method == "kfold" else "one train/validation split, 25 % held out")
    return (f"Compared: K = 1…10 with {covariance_type} covariances, by {scheme} over all "
            f"{n:,} points, random_state = {seed}, the sidebar's fitting settings. "
            "Applications → Density picks its best K with the same 5-fold cross-validation "
            "(the sidebar's covariance type and seed, K up to its “Largest K”).")


def _cv_sentence(curve, k_valid) -> str:
    train = curve["train"].to_numpy()
    ok = np.isfinite(train)
    rising = bool(np.all(np.diff(train[ok]) >= -1e-9))
    first, last = curve[ok].iloc[0], curve[ok].iloc[-1]
    text = (f"Training: {first['train']:.3f} per point at K = {int(first['n_components'])}, "
            f"{last['train']:.3f} at K = {int(last['n_components'])}"
            + (" (it rose at every step). " if rising else " (higher overall, not at every "
               "step: each K is a separate fit from its own start). "))
    text += f"Validation is highest at **K = {k_valid}**"
    if k_valid < int(last["n_components"]):
        drop = curve.loc[curve["validation"].idxmax(), "validation"] - last["validation"]
        text += (f" and is {drop:.3f} per point lower at K = {int(last['n_components'])}: "
                 "the extra components fit the training points' noise.")
    else:
        text += ": on these data more components kept helping on unseen points too."
    return text


def covariance_types_ui(data, grid, table, best):
    st.header("Covariance types side by side")
    st.caption(
        "The same data and K under the four covariance types. Fewer free parameters p means "
        "a smaller BIC penalty p·log n but a stiffer shape: "
        + "; ".join(f"**{c}** ({fig.MCLUST_NAMES[c]}): {COVARIANCE_DESCRIPTIONS[c]}"
                    for c in COVARIANCE_TYPES) + "."
    )
    st.session_state.setdefault(keys.TYPES_K, _best_k(table, best))
    k = st.slider("K for this comparison", K.lo, K.hi, key=keys.TYPES_K, width=320)
    summary = criteria.covariance_type_summary(table, k, len(data.X))
    plotly_chart(fig.covariance_types_figure(data.X, grid.models, k, summary,
                                             feature_names=data.feature_names, columns=2,
                                             height=330),
                 config={"displayModeBar": False}, key="ms_types_chart")
    st.table(summary.style.format({"BIC penalty p·log n": "{:,.1f}",
                                   "log-likelihood": "{:,.2f}", "BIC": "{:,.2f}"},
                                  na_rep="failed"))
    st.caption(f"n = {len(data.X)} points, so log n = {np.log(len(data.X)):.3f}; "
               "BIC = −2 log L + p log n.")


def dirichlet_ui(data, table, best, seed):
    st.header("Let the data decide: a Dirichlet-process mixture")
    st.caption(
        "scikit-learn's BayesianGaussianMixture with a Dirichlet-process prior starts with "
        "K = 10 components and lets the prior switch the unneeded ones off (their weights π_z "
        "shrink towards 0). A small weight concentration prior favours few components, a "
        "large one many."
    )
    ss = st.session_state
    ss.setdefault(keys.DP_PRIOR, 0.1)
    ss.setdefault(keys.DP_COVARIANCE, _best_type(table, best))
    with st.container(horizontal=True, gap="medium", vertical_alignment="bottom"):
        prior = st.select_slider("Weight concentration prior", DP_PRIORS, key=keys.DP_PRIOR,
                                 format_func=lambda v: f"{v:g}", width=360)
        cov = st.selectbox("Covariance type ", COVARIANCE_TYPES, key=keys.DP_COVARIANCE,
                           format_func=fig.type_label, width=200)
    try:
        result = results.dp_for(data.X, float(prior), cov, seed)
    except ValueError as exc:
        st.error(f"The Dirichlet-process mixture could not be fitted to these data: {exc}")
        return
    # BIC's own pick, whatever criterion the page ranks by (the metric says BIC).
    bic_best = criteria.best_row(table, "bic", include_degenerate=ss.get(
        keys.INCLUDE_DEGENERATE, False))
    bic_k = _best_k(table, bic_best) if bic_best is not None else None
    with st.container(horizontal=True, gap="large"):
        st.metric(f"Effective K (weights ≥ {EFFECTIVE_WEIGHT:g})", result.effective_k,
                  width="content")
        st.metric("K picked by BIC (the 40-model grid)", "—" if bic_k is None else bic_k,
                  width="content")
    left, right = side_by_side(460)
    with left:
        plotly_chart(fig.weights_figure(result.weights, EFFECTIVE_WEIGHT, title=(
         f"Weights π_z, prior {prior:g} (faded: below the dotted line at "
         f"{EFFECTIVE_WEIGHT:g})")),
         config={"displayModeBar": False}, key="ms_dp_weights")
    with right:
        shown = criteria.active_components(result.params)
        # each ellipse in its bar's colour: component z keeps its number and colour
        kept = np.flatnonzero(result.params.weights >= EFFECTIVE_WEIGHT)
        plotly_chart(fig.model_scatter(data.X, shown, feature_names=data.feature_names,
                                       title=f"Its {shown.n_components} components with "
                                             f"π_z ≥ {EFFECTIVE_WEIGHT:g}", height=320,
                                       components=kept),
                     config={"displayModeBar": False}, key="ms_dp_chart")
    if not result.converged:
        st.caption("The variational fit stopped at 500 iterations without converging.")
