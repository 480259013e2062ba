"""Dimensionality reduction tab through AppTest; numbers checked against scikit-learn."""

import numpy as np
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture as SkGaussianMixture
from sklearn.preprocessing import StandardScaler

from lab_maths.projection import load_many_columns

from .conftest import metrics, number, open_tab

TAB = "Dimensionality reduction"


def _expected(name, m, k=2, full_cov="full"):
    data = load_many_columns(name)
    X = data.X[:, data.X.std(axis=0) > 0]
    Z = StandardScaler().fit_transform(X)
    pca = PCA().fit(Z)
    scores = pca.transform(Z)[:, :m]
    ari_pca = adjusted_rand_score(data.labels, SkGaussianMixture(k, random_state=0)
                                  .fit(scores).predict(scores))
    ari_full = adjusted_rand_score(data.labels, SkGaussianMixture(
        k, covariance_type=full_cov, random_state=0).fit(Z).predict(Z))
    return pca.explained_variance_ratio_[:m].sum(), ari_pca, ari_full, Z.shape[1]


def test_penguins_by_default_then_iris_and_m(at):
    open_tab(at, TAB)
    kept, ari_pca, ari_full, d = _expected("Penguins (4 numeric)", 2)
    m = metrics(at)
    assert m["Variance kept by m = 2"] == f"{100 * kept:.1f} %"
    assert number(m["ARI, GMM in PCA space"]) == round(ari_pca, 3)
    assert number(m[f"ARI, GMM in all {d} columns"]) == round(ari_full, 3)
    assert len(at.get("plotly_chart")) == 4 and not at.error  # scree, two panels, BIC
    at.selectbox(key="app_dr_dataset").set_value("Iris (4)").run()
    at.slider(key="app_dr_n_pca").set_value(3).run()
    assert not at.exception, at.exception
    kept, ari_pca, _, _ = _expected("Iris (4)", 3)
    m = metrics(at)
    assert m["Variance kept by m = 3"] == f"{100 * kept:.1f} %"
    assert number(m["ARI, GMM in PCA space"]) == round(ari_pca, 3)


def test_digits_drops_constant_columns_and_says_diag(at):
    open_tab(at, TAB)
    at.selectbox(key="app_dr_dataset").set_value("Digits (64)").run()
    assert not at.exception, at.exception
    dropped = int((load_many_columns("Digits (64)").X.std(axis=0) == 0).sum())
    assert dropped > 0
    assert any(f"{dropped} constant column(s) dropped" in c.value for c in at.caption)
    assert any("uses **diag** covariances" in i.value for i in at.info)
    assert any("The data have 10 true classes; the sidebar's K is 2" in c.value
               for c in at.caption)
    _, _, ari_full, d = _expected("Digits (64)", 2, full_cov="diag")
    assert number(metrics(at)[f"ARI, GMM in all {d} columns"]) == round(ari_full, 3)


def test_m_above_the_columns_is_capped(at):
    open_tab(at, TAB)
    at.slider(key="app_dr_n_pca").set_value(9).run()  # penguins have 4 columns
    assert not at.exception, at.exception
    assert "Variance kept by m = 4" in metrics(at)
    assert metrics(at)["Variance kept by m = 4"] == "100.0 %"
    assert any("m is capped at 4" in c.value for c in at.caption)
    assert np.isfinite(at.session_state["app_dr_last"].bic[1]).all()
