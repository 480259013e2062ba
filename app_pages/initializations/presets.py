"""Presets that make a point: each sets the data, K and the runs' starts, with a note."""

from __future__ import annotations

import streamlit as st

from ui import session
from ui.session import set_kept

from . import keys


def _blobs_of(dataset: str, *, k: int) -> dict:
    """The sidebar settings of a preset: 600 points of ``dataset`` (seed 0), K = ``k``, full
    covariances, reg_covar 1e-6, tol 1e-3 (scikit-learn's default: the notes' numbers)."""
    return {session.DATASET: dataset, session.N_POINTS: 600, session.DATA_SEED: 0,
            session.K: k, session.COVARIANCE_TYPE: "full", session.REG_COVAR: 1e-6,
            session.TOL: 1e-3}


PRESETS = {
    "k-means start misleads (anisotropic cigars)": dict(
        settings=_blobs_of("Anisotropic cigars", k=3),
        runs=[("k-means", 0), ("k-means", 5), ("k-means++", 11), ("random data points", 4)],
        point="k-means draws round clusters, so its start cuts the long thin cigars across, "
              "and EM started there stays in a wrong valley: in 100 seeds no k-means start "
              "reached the solution that matches the true cigars (log-likelihood ≈ −2,437, "
              "adjusted Rand index ≈ 0.87); k-means++ seed 11 does. Compare the final "
              "log-likelihood and ARI columns, then run the restarts study.",
    ),
    "'random' start: all means near the data mean": dict(
        settings=_blobs_of("Well-separated blobs", k=3),
        runs=[("k-means", 0), ("random responsibilities", 0)],
        point="scikit-learn's \"random\" start gives every point random responsibilities, so "
              "every component starts at the data mean with the whole data's spread. The "
              "components are nearly identical and the log-likelihood barely moves, so with "
              "tol = 1e-3 the rule |Δ mean log-likelihood| < tol stops EM after 2 "
              "iterations at −3,326.9. That is "
              "a plateau, not a solution: run on (tol = 1e-8) the same start separates the "
              "three blobs in 37 iterations and ends at −2,331.8, where k-means starts.",
    ),
    "Plateau escape (random start on the cigars)": dict(
        settings={**_blobs_of("Anisotropic cigars", k=3), session.MAX_ITER: 500},
        runs=[("random responsibilities", 0), ("k-means++", 11)],
        point="With tol = 1e-3 the random start stops after 2 iterations at −2,546.1 with "
              "three stacked ellipses: the rule |Δ mean log-likelihood| < tol took a slow "
              "stretch for the top. "
              "Press Run to convergence and read the status under the panel, then set tol to "
              "1e-8 in the sidebar and press Run to convergence again: after about 250 "
              "iterations (some 200 of them creeping) the ellipses pull apart and EM ends at "
              "−2,439.2, the true cigars' hill (k-means++ seed 11 reaches a near neighbour, "
              "−2,437).",
    ),
    "Too many components (K = 8 on 3 blobs)": dict(
        settings=_blobs_of("Well-separated blobs", k=8),
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
        set_kept(key, value)  # shared sidebar settings are kept the same way
    set_kept(keys.N_RUNS, len(preset["runs"]))
    for i, (method, seed) in enumerate(preset["runs"]):
        set_kept(keys.run_init(i), method)
        set_kept(keys.run_seed(i), seed)
    st.session_state[keys.PRESET] = name


def _apply_chosen():
    apply_preset(st.session_state[keys.PRESET_CHOICE])


def presets_ui():
    """A select box of presets and an Apply button (readable on any screen width)."""
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox("Preset (sets the data, K, tol and the runs' starts)", list(PRESETS),
                     key=keys.PRESET_CHOICE, width=420)
        st.button("Apply preset", on_click=_apply_chosen, key=keys.PRESET_APPLY)
    name = st.session_state.get(keys.PRESET)
    if name in PRESETS:
        st.info(f"**{name}.** {PRESETS[name]['point']}", icon=":material/lightbulb:")
