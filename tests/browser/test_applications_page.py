"""The Applications page in headless Chromium against a real `streamlit run app.py`: each tab
computes, draws, takes a control change and shows numbers that scikit-learn reproduces."""

from __future__ import annotations

import re

import numpy as np
from playwright.sync_api import expect
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture as SkGaussianMixture
from sklearn.preprocessing import StandardScaler

from gmm_core.datasets import make_article_example
from lab_maths.applications import make_stretched_blobs
from lab_maths.projection import load_many_columns

from .conftest import act, screenshot, wait_for_app_idle

ARTICLE = make_article_example(600, seed=0)  # the sidebar's default data


def open_tab(page, url, tab):
    # Through the navigation, as a student does.
    page.goto(url)
    page.wait_for_selector("h1", timeout=60_000)
    wait_for_app_idle(page)
    # The article's data, as these tests were written for (the first screen has other data).
    act(page, page.get_by_role("button", name="Use the article's example").click)
    act(page, page.locator('[data-testid="stSidebarNav"]').get_by_text("Applications").click)
    expect(page.get_by_role("heading", name="Applications")).to_be_visible()
    if tab != "Clustering":
        act(page, page.get_by_role("tab", name=tab).click)
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
    wait_for_app_idle(page)


def metric(page, label):
    name = re.compile(f"^{re.escape(label)}$")
    box = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=name))
    return box.locator('[data-testid="stMetricValue"]').inner_text()


def number(text):
    return float(text.replace(",", "").replace("−", "-").split()[0])


def plots(page):
    return page.locator(".js-plotly-plot")


def test_clustering_tab_and_the_preset(server, page):
    open_tab(page, server, "Clustering")
    gmm = SkGaussianMixture(2, random_state=0).fit(ARTICLE.X)
    assert number(metric(page, "ARI, GMM")) == round(
        adjusted_rand_score(ARTICLE.labels, gmm.predict(ARTICLE.X)), 3)
    expect(plots(page)).to_have_count(2)
    screenshot(page, "applications_clustering")
    act(page, page.get_by_text("Preset: stretched blobs (k-means fails)").click)
    preset = make_stretched_blobs(600)
    km = KMeans(3, n_init=10, random_state=0).fit(preset.X)
    expected = round(adjusted_rand_score(preset.labels, km.labels_), 3)
    expect(page.get_by_text("stretched blobs", exact=False).first).to_be_visible()
    assert number(metric(page, "ARI, k-means")) == expected < 0.7
    assert number(metric(page, "ARI, GMM")) > 0.95
    expect(page.get_by_text("the GMM groups the points better")).to_be_visible()


def test_density_tab_samples_slider(server, page):
    open_tab(page, server, "Density estimation")
    expect(plots(page)).to_have_count(2)
    assert metric(page, "Best K (held out)") in {str(k) for k in range(1, 7)}
    slider = page.get_by_role("slider", name="Samples to draw from the model")
    slider.focus()
    act(page, lambda: slider.press("ArrowRight"))  # 0 → 100 samples
    expect(page.get_by_text(re.compile("orange: 100 points drawn from it"))).to_be_visible()
    legend = page.locator(".js-plotly-plot .legendtext").all_text_contents()
    assert "100 samples from the model" in legend
    screenshot(page, "applications_density")


def test_anomaly_tab_scores_an_uploaded_csv(server, page, tmp_path):
    open_tab(page, server, "Anomaly detection")
    model = SkGaussianMixture(2, random_state=0).fit(ARTICLE.X)
    log_p = model.score_samples(ARTICLE.X)
    t = np.percentile(log_p, 2.0)
    assert metric(page, "Flagged") == f"{int((log_p < t).sum())} of 600"
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(1)
    new = np.array([[-20.0, -20.0], [0.0, 0.0], [40.0, 40.0], [-20.0, 10.0], [3.0, 0.5]])
    csv = tmp_path / "new_points.csv"
    csv.write_text("x,y\n" + "\n".join(f"{a},{b}" for a, b in new))
    upload = page.locator('[data-testid="stFileUploaderDropzoneInput"]').last
    act(page, lambda: upload.set_input_files(str(csv)))
    unusual = int((model.score_samples(new) < t).sum())
    expect(page.get_by_text(f"{unusual} of 5 new points are unusual")).to_be_visible()
    assert 0 < unusual < 5  # the file has both kinds, by scikit-learn's own model
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(2)
    screenshot(page, "applications_anomaly")


def test_reduction_tab_wine_and_a_csv_with_a_constant_column(server, page, tmp_path):
    open_tab(page, server, "Dimensionality reduction")
    expect(plots(page)).to_have_count(4)
    page.get_by_role("combobox", name="Data with many columns").click()
    act(page, page.get_by_role("option", name="Wine (13)", exact=True).click)
    wine = load_many_columns("Wine (13)")
    Z = StandardScaler().fit_transform(wine.X)
    scores = PCA(2).fit_transform(Z)
    ari = adjusted_rand_score(wine.labels, SkGaussianMixture(2, random_state=0)
                              .fit(scores).predict(scores))
    expect(page.get_by_text(re.compile(r"Wine.*178 rows × 13"))).to_be_visible()
    assert number(metric(page, "ARI, GMM in PCA space")) == round(ari, 3)
    screenshot(page, "applications_reduction")

    page.get_by_role("combobox", name="Data with many columns").click()
    act(page, page.get_by_role("option", name="Upload CSV (many columns)").click)
    rng = np.random.default_rng(0)
    table = np.c_[rng.normal(size=(40, 3)), np.full(40, 7.0)]
    csv = tmp_path / "wide.csv"
    csv.write_text("a,b,c,flat\n" + "\n".join(",".join(map(str, r)) for r in table))
    upload = page.locator('[data-testid="stFileUploaderDropzoneInput"]').last
    act(page, lambda: upload.set_input_files(str(csv)))
    expect(page.get_by_text(re.compile(r"40 rows × 3 standardised columns \(1 constant "
                                       r"column\(s\) dropped: flat\)"))).to_be_visible()
    assert metric(page, "ARI, GMM in PCA space") == "—"  # no labels in the file
