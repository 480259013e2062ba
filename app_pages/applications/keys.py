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

# Anomaly detection
AN_INJECT = "app_an_inject"
AN_N_OUTLIERS = "app_an_n_outliers"
AN_MODE = "app_an_mode"
AN_PERCENTILE = "app_an_percentile"
AN_VALUE = "app_an_value"
AN_UPLOAD = "app_an_upload"
AN_LAST = "app_an_last"

# Dimensionality reduction
DR_DATASET = "app_dr_dataset"
DR_UPLOAD = "app_dr_upload"
DR_N_PCA = "app_dr_n_pca"
DR_LAST = "app_dr_last"


def link_fields():
    """This page's choices that a link carries (``ui.links``): the open tab."""
    from ui.links import choice_field

    return (choice_field("tab", TAB, {"clustering": "Clustering", "density": "Density estimation",
                                      "anomaly": "Anomaly detection",
                                      "reduction": "Dimensionality reduction"}),)
