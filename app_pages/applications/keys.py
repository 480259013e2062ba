"""Session-state keys of the Applications page (all prefixed "app_", owned by this page)."""

TAB = "app_tab"

# Clustering
CL_PRESET = "app_cl_preset"
CL_UNCERTAINTY = "app_cl_uncertainty"
CL_LAST = "app_cl_last"

# Density estimation
DE_MAX_K = "app_de_max_k"
DE_SAMPLES = "app_de_samples"
DE_MAP_MODEL = "app_de_map_model"
DE_LAST = "app_de_last"
#: The "Model on the map" choices.
MAP_SIDEBAR = "K from the sidebar"
MAP_BEST = "best K on held-out data"

# Anomaly detection
AN_INJECT = "app_an_inject"
AN_N_OUTLIERS = "app_an_n_outliers"
AN_MODE = "app_an_mode"
AN_PERCENTILE = "app_an_percentile"
AN_VALUE = "app_an_value"
AN_UPLOAD = "app_an_upload"
AN_LAST = "app_an_last"
#: The "Threshold by" choices.
BY_PERCENTILE = "percentile"
BY_VALUE = "value"

# Dimensionality reduction
DR_DATASET = "app_dr_dataset"
DR_UPLOAD = "app_dr_upload"
DR_N_PCA = "app_dr_n_pca"
DR_LAST = "app_dr_last"


def link_fields():
    """This page's choices that a link carries (``ui.links``): the open tab and its controls
    (each only while its tab is open)."""
    import math

    from lab_maths.projection import MANY_COLUMNS
    from ui.links import Field, bool_field, choice_field, float_choice_field, int_field, slug

    def on(tab):
        return {"applies": lambda values: values.get(TAB) == tab}

    def read_threshold(text):
        try:
            value = float(text.strip())
        except ValueError:
            raise ValueError("t must be a number (a log-density)") from None
        if not math.isfinite(value):
            raise ValueError("t must be a finite number (a log-density)")
        return value

    cl, de, an, dr = ("Clustering", "Density estimation", "Anomaly detection",
                      "Dimensionality reduction")
    return (
        choice_field("tab", TAB, {"clustering": cl, "density": de, "anomaly": an,
                                  "reduction": dr}),
        bool_field("stretched", CL_PRESET, **on(cl)),
        bool_field("uncert", CL_UNCERTAINTY, **on(cl)),
        int_field("maxk", DE_MAX_K, 2, 10, **on(de)),
        choice_field("map", DE_MAP_MODEL, {"sidebar": MAP_SIDEBAR, "best": MAP_BEST}, **on(de)),
        int_field("samples", DE_SAMPLES, 0, 2000, step=100, **on(de)),
        bool_field("inject", AN_INJECT, **on(an)),
        int_field("outliers", AN_N_OUTLIERS, 5, 100, step=5, **on(an)),
        choice_field("by", AN_MODE, {"percentile": BY_PERCENTILE, "value": BY_VALUE}, **on(an)),
        float_choice_field("p", AN_PERCENTILE, [0.5 * i for i in range(1, 41)], **on(an)),
        Field("t", AN_VALUE, read_threshold, repr, **on(an)),
        choice_field("manycols", DR_DATASET, {slug(n): n for n in MANY_COLUMNS}, **on(dr)),
        int_field("m", DR_N_PCA, 1, 20, **on(dr)),
    )
