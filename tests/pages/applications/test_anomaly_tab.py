"""Anomaly detection tab through AppTest; numbers checked against scikit-learn."""

import numpy as np
from sklearn.metrics import precision_score, recall_score
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from lab_maths.anomaly import inject_outliers

from .conftest import metrics, number, open_tab, use_data

TAB = "Anomaly detection"


def test_percentile_flags_and_table(at):
    open_tab(at, TAB)
    X = at.session_state["data"].X
    log_p = SkGaussianMixture(2, random_state=0).fit(X).score_samples(X)
    t = np.percentile(log_p, 2.0)
    m = metrics(at)
    assert m["Flagged"] == f"{int((log_p < t).sum())} of {len(X)}"
    assert number(m["Threshold t"]) == round(t, 3)
    table = at.dataframe[0].value
    np.testing.assert_array_equal(table["row"], np.argsort(log_p)[:10])
    np.testing.assert_allclose(table["log p(x)"], np.sort(log_p)[:10], atol=1e-5)
    at.slider(key="app_an_percentile").set_value(10.0).run()
    assert metrics(at)["Flagged"] == f"{int((log_p < np.percentile(log_p, 10)).sum())} of 600"
    assert len(at.get("plotly_chart")) == 1 and not at.error


def test_injected_outliers_precision_recall_by_value(at):
    open_tab(at, TAB)
    at.toggle(key="app_an_inject").set_value(True).run()
    at.radio(key="app_an_mode").set_value("value").run()
    at.number_input(key="app_an_value").set_value(-12.0).run()
    assert not at.exception, at.exception
    data = at.session_state["data"]
    X, truth = inject_outliers(data.X, 20, seed=0)
    flagged = SkGaussianMixture(2, random_state=0).fit(X).score_samples(X) < -12.0
    m = metrics(at)
    assert m["Flagged"] == f"{int(flagged.sum())} of 620"
    assert number(m["Precision"]) == round(precision_score(truth, flagged), 3)
    assert number(m["Recall"]) == round(recall_score(truth, flagged), 3)
    assert len(at.get("plotly_chart")) == 2  # the data and the precision–recall curve
    assert "injected" in at.dataframe[0].value.columns


def test_k_above_n_is_a_message(at):
    open_tab(at, TAB)
    at.session_state["s_K"] = 3
    use_data(at, [[0.0, 1.0], [1.0, 0.5]], ("x", "y"))
    assert any("K = 3 components need at least 3 points" in e.value for e in at.error)
    assert "Flagged" in metrics(at)  # the last good result stays
