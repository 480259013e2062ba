"""Every tab on 1-D data, on real data and with unusual settings: a result or a message in
words, never a traceback."""

import pytest

from .conftest import metrics, open_tab

TABS = ("Clustering", "Density estimation", "Anomaly detection")


@pytest.mark.parametrize("dataset", ["1-D bimodal", "Moons", "Old Faithful", "Iris"])
def test_tabs_on_sidebar_data(at, dataset):
    at.sidebar.selectbox(key="dataset").set_value(dataset).run()
    for tab in TABS:
        open_tab(at, tab)
        assert not at.error, [e.value for e in at.error]
        assert metrics(at), tab
        assert at.get("plotly_chart"), tab


@pytest.mark.parametrize("covariance_type", ["spherical", "diag", "tied"])
def test_tabs_with_k10_and_other_covariance_types(at, covariance_type):
    at.session_state["s_K"] = 10
    at.session_state["s_covariance_type"] = covariance_type
    for tab in (*TABS, "Dimensionality reduction"):
        open_tab(at, tab)
        assert not at.error, [e.value for e in at.error]
        assert metrics(at), tab


def test_click_start_is_replaced_by_kmeans_and_said(at):
    at.session_state["s_init"] = "place means by clicking"
    for tab in (*TABS, "Dimensionality reduction"):
        open_tab(at, tab)
        assert any("this page starts EM from k-means" in c.value for c in at.caption), tab
