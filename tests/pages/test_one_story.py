"""Issue 24, "one story everywhere": the pages agree with each other on numbers, words and
colours (each test failed on the code before the fix)."""

from __future__ import annotations

import colorsys
import csv
import io
import json

import numpy as np
import pytest

from app_pages import INITIALIZATIONS, MODEL_SELECTION, STEP_BY_STEP
from gmm_core import EMEngine
from gmm_core.datasets import make_article_example
from ui import palette
from ui.exports import history_csv

from .apptest import article_example_state, click, open_app


def specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def title_of(spec) -> str:
    title = spec["layout"].get("title", {})
    return title.get("text", "") if isinstance(title, dict) else str(title)


def _hue(color: str) -> float:
    return colorsys.rgb_to_hsv(*[int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)])[0]


def _rgb(color: str) -> tuple:
    """'#rrggbb' or 'rgba(r,g,b,a)' as (r, g, b)."""
    if color.startswith("#"):
        return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))
    return tuple(int(float(v)) for v in color[color.index("(") + 1 : -1].split(",")[:3])


# ---- item 3: one change per half-step, labelled for what it is --------------------------

def test_each_half_step_shows_one_change_labelled_for_what_it_is():
    at = open_app(STEP_BY_STEP)  # the first screen: 15 iterations that climb
    engine = at.session_state["run"][0].engine
    click(at, "E-step")
    click(at, "M-step")
    click(at, "E-step")  # the second E-step: the rule's Δ exists
    shown = {m.label: m for m in at.metric}
    # An E-step leaves the parameters, so the log-likelihood, unchanged: no "±0.000" beside
    # the rule's Δ; the one change shown is the rule's.
    assert shown["Log-likelihood"].delta in (None, "")
    change = engine.history[-1].change
    assert shown["Δ mean log-likelihood"].value == f"{change:+.2e}"
    click(at, "M-step")
    shown = {m.label: m for m in at.metric}
    gain = engine.history[-1].log_likelihood - engine.history[-2].log_likelihood
    deltas = [m for m in at.metric if m.delta not in (None, "")]
    labelled = [m for m in at.metric if m.label.startswith("Gain of this M-step")]
    assert not deltas and len(labelled) == 1, [(m.label, m.value, m.delta) for m in at.metric]
    assert labelled[0].value == f"{gain:+,.3f}".replace("-", "−")
    assert "Δ mean log-likelihood" not in shown  # the rule's Δ belongs to E-steps


# ---- item 4: one colour per component, every chart, every mode ---------------------------

def test_presenter_palette_keeps_each_components_hue():
    for k, (normal, projected) in enumerate(zip(palette.OKABE_ITO, palette.PRESENTER)):
        if normal in ("#000000", "#999999"):  # black and grey: no hue to keep
            assert projected in ("#000000", "#929292"), (k, projected)
            continue
        assert abs(_hue(normal) - _hue(projected)) * 360 < 3, (k, normal, projected)
        assert palette.contrast_ratio(projected) >= 3.0
    # component 2 stays orange (hue ≈ 41°), not vermillion (≈ 26°)
    assert 35 < _hue(palette.PRESENTER[1]) * 360 < 48


def test_dirichlet_process_bars_and_ellipses_share_colours():
    from .model_selection.test_page import run

    at = run(ms_section="Dirichlet process")
    charts = specs(at)
    [bars] = [s for s in charts if title_of(s).startswith("Weights π_z")]
    [scatter] = [s for s in charts if "components with π_z" in title_of(s)]
    bar_colors = bars["data"][0]["marker"]["color"]
    # opaque bars: the components kept (weight ≥ 0.01); faded ones were switched off
    kept = [z for z, c in enumerate(bar_colors) if c.replace(" ", "").endswith(",1.000)")]
    assert kept != list(range(len(kept))), kept  # a gap: the case that went wrong
    ellipses = {t["name"]: t["line"]["color"] for t in scatter["data"]
                if t.get("name", "").startswith("z = ") and t.get("line", {}).get("color")}
    assert len(ellipses) == len(kept)
    for z in kept:
        [color] = [c for name, c in ellipses.items() if name.startswith(f"z = {z + 1}:")]
        assert _rgb(color) == _rgb(bar_colors[z]), (z, color, bar_colors[z])


# ---- item 5: reg_covar runs the same way on every slider ---------------------------------

def test_degeneracy_lab_reg_covar_runs_like_the_sidebars():
    at = open_app(MODEL_SELECTION, ms_section="Degeneracy lab", **article_example_state())
    [sidebar] = [s for s in at.select_slider if s.label.startswith("reg_covar (log scale)")]
    [lab] = [s for s in at.select_slider if s.label == "reg_covar for the lab"]
    assert float(sidebar.options[0]) == 0 and float(lab.options[0]) == 0
    assert float(sidebar.options[-1]) == pytest.approx(0.1)
    assert float(lab.options[-1]) == pytest.approx(0.1)


# ---- item 6: numbers explained, no "inf" in the CSV ---------------------------------------

def test_history_csv_leaves_the_first_change_empty():
    X = make_article_example(600, 0).X
    engine = EMEngine(X, n_components=2, init="random", random_state=0)
    engine.step()
    engine.step()
    rows = list(csv.DictReader(io.StringIO(history_csv(engine.history, ("x", "y")))))
    assert rows[1]["phase"] == "E" and rows[1]["delta_mean_log_likelihood"] == ""
    assert "inf" not in rows[1].values()
    third_e = float(rows[3]["delta_mean_log_likelihood"])
    assert third_e == pytest.approx(engine.history[3].change)


def test_far_off_start_in_the_initializations_table_is_explained():
    at = open_app(INITIALIZATIONS, **article_example_state())
    lls = [r.engine.log_likelihood for r in at.session_state["cmp_runs"]]
    assert min(lls) < -1e6  # the k-means++ start: covariances of reg_covar
    words = " ".join(c.value for c in at.caption)
    assert "k-means++" in words and "reg_covar" in words and "first E-step" in words, words


# ---- item 2: one stopping rule, one name ---------------------------------------------------

RULE = "|Δ mean log-likelihood| < tol"


def _all_text(at) -> str:
    parts = [e.value for kind in ("caption", "markdown", "success", "warning", "info")
             for e in getattr(at, kind)]
    parts += [w.help or "" for w in list(at.button) + list(at.select_slider)]
    return " ".join(str(p) for p in parts)


def test_the_stopping_rule_has_one_name_on_every_page():
    at = open_app(STEP_BY_STEP, **article_example_state())
    [tol] = [s for s in at.select_slider if s.label == "tol"]
    assert "mean log-likelihood per point" in (tol.help or "") and RULE in tol.help
    click(at, "Run to convergence")
    assert "|Δ mean log-likelihood| = " in _all_text(at)  # "… = 2.1e-06 < tol = 0.001"
    at = open_app(INITIALIZATIONS, **article_example_state())
    click(at, "Run to convergence")
    text = _all_text(at)
    assert f"stopped: {RULE}" in text and "|Δ| < tol" not in text, text
    at = open_app(MODEL_SELECTION, **article_example_state())
    assert f"tol = 0.001 (the rule {RULE})" in _all_text(at)


# ---- item 7: the article's example says why it stops, and offers a start that moves --------

def test_article_example_says_why_it_stops_and_offers_a_start_that_moves():
    from sklearn.mixture import GaussianMixture as SkGaussianMixture

    X = make_article_example(600, 0).X
    sk = SkGaussianMixture(2, covariance_type="full", random_state=0).fit(X)
    at = open_app(STEP_BY_STEP)
    click(at, "Use the article's example")
    info = " ".join(i.value for i in at.info)
    assert f"stops after {sk.n_iter_} iterations" in info and "fixed point" in info, info
    click(at, "Run to convergence")
    engine = at.session_state["run"][0].engine
    assert engine.n_iter == sk.n_iter_ == 2
    assert "fixed point" in " ".join(s.value for s in at.success)
    click(at, "Watch EM move: random start")
    click(at, "Run to convergence")
    engine = at.session_state["run"][0].engine
    moved = SkGaussianMixture(2, covariance_type="full", random_state=0, init_params="random",
                              tol=1e-6).fit(X)
    lls = [r.log_likelihood for r in engine.history if r.phase == "M"]
    assert engine.n_iter == moved.n_iter_ >= 10
    assert len(set(np.round(lls, 6))) >= 10 and np.all(np.diff(lls) > -1e-9)
    assert lls[-1] - lls[0] > 1000  # from the data mean to the two Gaussians
    assert lls[-1] == pytest.approx(moved.score(X) * len(X), abs=1e-3)
    assert not at.info or "stops after" not in " ".join(i.value for i in at.info)


# ---- item 1: one held-out machinery, the same best K on both pages ------------------------

def test_density_and_model_selection_agree_on_the_held_out_best_k():
    """The first screen's data ("Unequal cluster sizes", full covariances): the old
    Applications comparison (one 75/25 split) said 4 where Model selection's 5-fold
    cross-validation, BIC, AIC and ICL say 3."""
    from app_pages import APPLICATIONS

    apps = open_app(APPLICATIONS, app_tab="Density estimation")
    density_k = {m.label: m.value for m in apps.metric}["Best K (held out)"]
    density_words = " ".join(c.value for c in apps.caption)
    ms = open_app(MODEL_SELECTION, ms_cv_covariance="full",  # the sidebar's type, as Density
                  ms_section="Held-out curve")
    [table] = [t for t in ms.table if "validation log-likelihood (highest)" in
               t.value.index]
    ms_k = str(table.value.loc["validation log-likelihood (highest)", "picked K"])
    ms_words = " ".join(c.value for c in ms.caption)
    assert density_k == ms_k == "3", (density_k, ms_k)
    for words in (density_words, ms_words):  # each says what it compared
        assert "5-fold cross-validation" in words and "random_state = 0" in words, words
        assert "full covariances" in words, words


# ---- item 9: Model selection's link carries what its lower sections show ------------------

def test_model_selection_link_carries_its_lower_sections():
    from .test_links import notices, open_link, params

    # Each section is a tab: the link opens the one it names (sec) and keeps the others'.
    link = {"sec": "heldout", "cv": "split", "cvcov": "diag", "typesk": "2", "dp": "1e1",
            "dpcov": "spherical", "labreg": "1e-2"}
    at = open_link(link, MODEL_SELECTION)
    assert notices(at) == []
    assert at.segmented_control(key="ms_cv_method").value == "split"
    assert at.selectbox(key="ms_cv_covariance").value == "diag"
    assert "one split, 25 % of the points held out" in " ".join(
        c.proto.spec for c in at.get("plotly_chart"))
    assert {k: params(at)[k] for k in link} == link  # written back as read
    for tab, check in (("Covariance types", lambda: at.slider(key="ms_types_k").value == 2),
                       ("Dirichlet process",
                        lambda: at.select_slider(key="ms_dp_prior").value == 10.0
                        and at.selectbox(key="ms_dp_covariance").value == "spherical"),
                       ("Degeneracy lab", lambda: at.select_slider(
                           key="ms_lab_reg_covar").value == pytest.approx(1e-2))):
        at.session_state["ms_section"] = tab
        at.run()
        assert not at.exception and check(), tab
    at.session_state["ms_section"] = "Held-out curve"
    at.run()  # back: the held-out tab as it was left
    assert at.segmented_control(key="ms_cv_method").value == "split"
    assert {k: params(at)[k] for k in link} == link
