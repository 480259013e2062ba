"""Clustering tab through AppTest: compute, draw, change a control, read numbers back; the
numbers checked against scikit-learn run here on the same data."""

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

from gmm_core import GaussianMixture
from lab_maths.applications import make_stretched_blobs

from .conftest import metrics, number, open_tab, use_data


def _charts(at):
    return [e for e in at.get("plotly_chart")]


def test_opens_on_clustering_with_numbers_from_sklearn(at):
    assert at.title[0].value == "Applications"
    data = at.session_state["data"]  # the sidebar's data (Article example, K = 2)
    gmm = GaussianMixture(2, random_state=0).fit(data.X)
    kmeans = KMeans(2, n_init=10, random_state=0).fit(data.X)
    m = metrics(at)
    assert number(m["ARI, GMM"]) == round(adjusted_rand_score(data.labels,
                                                              gmm.predict(data.X)), 3)
    assert number(m["ARI, k-means"]) == round(adjusted_rand_score(data.labels,
                                                                  kmeans.labels_), 3)
    split = int((gmm.predict_proba(data.X).max(axis=1) < 0.8).sum())
    assert m["Split points (max γ < 0.8)"] == f"{split:,} of {len(data.X):,}"
    assert len(_charts(at)) == 2
    assert not at.error


def test_preset_where_kmeans_fails(at):
    at.toggle(key="app_cl_preset").set_value(True).run()
    assert not at.exception, at.exception
    preset = make_stretched_blobs(600)
    expected_km = adjusted_rand_score(preset.labels,
                                      KMeans(3, n_init=10, random_state=0).fit(preset.X).labels_)
    expected_gmm = adjusted_rand_score(
        preset.labels, GaussianMixture(3, random_state=0).fit(preset.X).predict(preset.X))
    m = metrics(at)
    assert number(m["ARI, k-means"]) == round(expected_km, 3)
    assert number(m["ARI, GMM"]) == round(expected_gmm, 3)
    assert expected_gmm > 0.95 > 0.8 > expected_km  # the preset's point, by sklearn's own fit
    assert any("the GMM groups the points better" in md.value for md in at.markdown)


def test_k_above_n_keeps_last_result_with_a_message(at):
    use_data(at, [[0.0, 1.0], [1.0, 0.0], [2.0, 2.5], [3.0, 2.0]], ("x", "y"))
    before = metrics(at)
    assert not at.error and before["Split points (max γ < 0.8)"].endswith("of 4")
    at.session_state["s_K"] = 5
    at.run()
    assert any("K = 5 components need at least 5 points, but the data have only 4" in e.value
               for e in at.error)
    assert metrics(at) == before  # the last good result is still shown


def test_constant_column_is_a_message(at):
    use_data(at, np.c_[np.arange(20.0), np.full(20, 3.0)], ("x", "level"))
    assert any("level are constant" in e.value for e in at.error)
    assert any("last result that worked stays on screen" in e.value for e in at.error)


def test_other_tabs_open(at):
    open_tab(at, "Clustering")
    assert "Split points (max γ < 0.8)" in metrics(at)
