"""The Applications page: what a fitted Gaussian mixture is used for, one tab per use."""

import streamlit as st

from ui import sidebar

from . import anomaly, clustering, density, keys, reduction

TABS = {
    "Clustering": clustering.render,
    "Density estimation": density.render,
    "Anomaly detection": anomaly.render,
    "Dimensionality reduction": reduction.render,
}


def render():
    st.title("Applications")
    st.caption(
        "A fitted mixture is more than a picture: its responsibilities γ_zi cluster the data "
        "softly, its density p(x) estimates where data fall, a low p(x) flags the unusual, and "
        "with PCA it works on data with many columns. Each tab fits the model set in the "
        "sidebar to the sidebar's data (the last tab picks its own many-column data)."
    )
    data = sidebar.data_ui()
    settings = sidebar.model_ui(data)
    # Lazy tabs: only the open tab's code runs (each fits its own models).
    tabs = st.tabs(list(TABS), key=keys.TAB, on_change="rerun")
    for tab, draw in zip(tabs, TABS.values()):
        if tab.open:
            with tab:
                draw(data, settings)
