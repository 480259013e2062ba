"""The page's own ``st.session_state`` keys (all prefixed "ms_", so no other page's collide)."""

CRITERION = "ms_criterion"  # "bic" | "aic" | "icl"
N_INIT = "ms_n_init"
SEED = "ms_seed"
INCLUDE_DEGENERATE = "ms_include_degenerate"
MODEL = "ms_model"  # the drawn model: "best" or "K|covariance_type"
LINE_CHART = "ms_line_chart"
HEATMAP = "ms_heatmap"
CACHE = "ms_cache"  # bounded {key: result} of grids, CV curves and DP fits
CV_METHOD = "ms_cv_method"
CV_FOLDS = "ms_cv_folds"
CV_COVARIANCE = "ms_cv_covariance"
TYPES_K = "ms_types_k"
DP_PRIOR = "ms_dp_prior"
DP_COVARIANCE = "ms_dp_covariance"
COST_K = "ms_cost_k"
COST_D = "ms_cost_d"
COST_COVARIANCE = "ms_cost_covariance"
COST_BUDGET = "ms_cost_budget"
COST_RESULT = "ms_cost_result"
LAB_REG = "ms_lab_reg_covar"
LAB_ENGINE = "ms_lab_engine"  # (reg_covar, EMEngine)
LAB_ERROR = "ms_lab_error"
SECTION = "ms_section"  # the open tab: only its section is computed and drawn

#: The tabs, by their link token (the first opens by default).
SECTIONS = {"choosing": "Choosing K", "heldout": "Held-out curve",
            "types": "Covariance types", "dp": "Dirichlet process",
            "lab": "Degeneracy lab", "cost": "Computational cost"}
#: The tabs' own widgets: kept in the session while their tab is closed (Streamlit forgets
#: the value of a widget not drawn in a run), so a section reopens as it was left and the
#: link keeps carrying it.
SECTION_WIDGETS = (MODEL, CV_METHOD, CV_FOLDS, CV_COVARIANCE, TYPES_K, DP_PRIOR,
                   DP_COVARIANCE, COST_K, COST_D, COST_COVARIANCE, COST_BUDGET, LAB_REG)


def link_fields():
    """This page's choices that a link carries (``ui.links``)."""
    from gmm_core import COVARIANCE_TYPES
    from ui.links import Field, bool_field, choice_field, float_choice_field, int_field
    from ui.settings import K

    def read_model(text):
        k, _, cov = text.strip().partition("-")
        if text.strip().lower() == "best":
            return "best"
        if not (k.isdigit() and K.lo <= int(k) <= K.hi and cov in COVARIANCE_TYPES):
            raise ValueError("model must be best, or K-covariance type such as 3-full")
        return f"{int(k)}|{cov}"

    return (
        choice_field("crit", CRITERION, {"bic": "bic", "aic": "aic", "icl": "icl"}),
        int_field("ninit", N_INIT, 1, 20),
        int_field("mseed", SEED, 0, 1_000_000),
        bool_field("degen", INCLUDE_DEGENERATE),
        Field("model", MODEL, read_model, lambda v: v.replace("|", "-")),
        # the open tab, then every section as seen (issue 24): held-out curve, types side
        # by side, Dirichlet process, degeneracy lab (kept while their tab is closed)
        choice_field("sec", SECTION, SECTIONS),
        choice_field("cv", CV_METHOD, {"kfold": "kfold", "split": "split"}),
        int_field("folds", CV_FOLDS, 2, 10),
        choice_field("cvcov", CV_COVARIANCE, {c: c for c in COVARIANCE_TYPES}),
        int_field("typesk", TYPES_K, 1, 10),
        float_choice_field("dp", DP_PRIOR, DP_PRIORS),
        choice_field("dpcov", DP_COVARIANCE, {c: c for c in COVARIANCE_TYPES}),
        float_choice_field("labreg", LAB_REG, LAB_REG_OPTIONS),
    )


#: The Dirichlet-process prior's and the degeneracy lab's choices (sections, lab_section).
DP_PRIORS = (0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0)
#: 0 → 10⁻¹ left to right, the direction of the sidebar's reg_covar slider.
LAB_REG_OPTIONS = (0.0, 1e-9, 1e-6, 1e-4, 1e-3, 1e-2, 1e-1)
