"""Links through the whole app (AppTest): a link opens the same run at the same half-step,
with the numbers of a run built independently (scikit-learn from the same start); a
tampered link opens with a notice and safe values; each page's own choices travel."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as SkGaussianMixture
from streamlit.testing.v1 import AppTest

from app_pages import APPLICATIONS, INITIALIZATIONS, MODEL_SELECTION, STEP_BY_STEP
from gmm_core.datasets import make_cigars, make_unequal_sizes

from .apptest import APP, button, click, metrics, switch_to


def open_link(params: dict, url_path: str | None = None) -> AppTest:
    """A fresh session opened on a link (``url_path``'s page, ``params``)."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(params)
    if url_path not in (None, STEP_BY_STEP):
        switch_to(at, url_path)
    at.run()
    assert not at.exception, at.exception
    return at


def number(text):
    return float(text.replace(",", ""))


def notices(at) -> list[str]:
    return [w.value for w in at.warning if w.icon == ":material/link_off:"]


def params(at) -> dict:
    return {k: at.query_params[k][-1] if isinstance(at.query_params[k], list)
            else at.query_params[k] for k in at.query_params}


def sklearn_log_likelihood(X, iterations, **kwargs) -> float:
    """Total log-likelihood after ``iterations`` EM iterations, by scikit-learn."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = SkGaussianMixture(max_iter=iterations, **kwargs).fit(X)
    assert sk.n_iter_ == iterations  # not converged earlier: the run really went this far
    return sk.score(X) * len(X)


def test_a_link_opens_its_run_at_its_half_step_with_scikit_learns_numbers():
    link = {"data": "anisotropic-cigars", "n": "400", "dseed": "3", "std": "0", "K": "4",
            "cov": "diag", "init": "kmeanspp", "seed": "7", "reg": "1e-4", "tol": "1e-6",
            "iter": "50", "at": "9"}
    at = open_link(link)
    assert notices(at) == []
    m = metrics(at)
    # Half-step 9 is the E-step of iteration 5: the parameters of 4 full iterations.
    assert (m["Iteration"], m["Phase"]) == ("5", "E-step")
    X = make_cigars(400, seed=3).X
    assert np.array_equal(at.session_state["data"].X, X)
    oracle = sklearn_log_likelihood(X, 4, n_components=4, covariance_type="diag",
                                    init_params="k-means++", random_state=7, reg_covar=1e-4,
                                    tol=1e-6)
    assert abs(number(m["Log-likelihood"]) - oracle) < 1e-3
    assert params(at) == link  # written back unchanged


def test_a_link_copied_after_stepping_and_rewinding_reopens_the_same_view():
    at = open_link({})
    click(at, "Full iteration")
    click(at, "Full iteration")
    click(at, "Full iteration")
    click(at, "E-step")
    at.slider(key="view_index").set_value(5).run()
    shown = metrics(at)
    link = params(at)
    assert (link["at"], link["ran"]) == ("5", "7")
    again = open_link(link)
    assert notices(again) == [] and metrics(again) == shown
    assert len(again.session_state["run"][0].engine.history) == 8  # 7 half-steps run
    assert params(again) == link
    # The oracle: the default run (unequal sizes, 600 points, seed 1; k-means seed 0, K = 3)
    # after 2 iterations (half-step 5 is the E-step of iteration 3).
    oracle = sklearn_log_likelihood(make_unequal_sizes(600, seed=1).X, 2, n_components=3,
                                    covariance_type="full", random_state=0)
    assert (shown["Iteration"], shown["Phase"]) == ("3", "E-step")
    assert abs(number(shown["Log-likelihood"]) - oracle) < 1e-3


def test_placed_means_travel_as_data_rows():
    at = open_link({"data": "well-separated-blobs", "n": "300", "dseed": "2", "K": "2",
                    "init": "click", "means": "5,120", "at": "2"})
    assert notices(at) == []
    X = at.session_state["data"].X
    engine = at.session_state["run"][0].engine
    np.testing.assert_array_equal(engine.history[0].means, X[[5, 120]])
    assert params(at)["means"] == "5,120"
    assert (metrics(at)["Iteration"], metrics(at)["Phase"]) == ("1", "M-step")


def test_changing_a_setting_updates_the_link_and_the_half_step_follows_each_click():
    at = open_link({})
    assert params(at)["K"] == "3" and params(at)["at"] == "0"
    at.slider(key="K").set_value(5).run()
    assert params(at)["K"] == "5"
    click(at, "E-step")
    assert params(at)["at"] == "1" and "ran" not in params(at)
    at.selectbox(key="dataset").set_value("Moons").run()
    assert params(at)["data"] == "moons" and params(at)["at"] == "0"


# ------------------------------------------------------------------------------------------
# Tampered and stale links: a notice, safe values, the page still there


def default_metrics():
    return metrics(open_link({}))


@pytest.mark.parametrize("link, words, safe", [
    ({"data": "nonsense"}, "data = 'nonsense'", "using data = unequal-cluster-sizes"),
    ({"K": "0"}, "K = '0'", "using K = 3"),
    ({"K": "abc"}, "K = 'abc'", "using K = 3"),
    ({"tol": "xyz"}, "tol = 'xyz'", "using tol = 1e-3"),
    ({"n": "-5"}, "n = '-5'", "using n = 600"),
    ({"foo": "bar"}, "'foo' is unknown", "ignored"),
])
def test_a_tampered_link_opens_the_default_run_with_a_notice(link, words, safe):
    at = open_link(link)
    [text] = notices(at)
    assert words in text and safe in text
    assert metrics(at) == default_metrics()
    assert "foo" not in params(at) and params(at)["K"] == "3"  # the URL now says what is used


def test_columns_not_in_the_dataset():
    at = open_link({"data": "penguins", "cols": "bill_length_mm,nope"})
    [text] = notices(at)
    assert "two different columns of Penguins" in text
    assert at.session_state["data"].feature_names == ("bill_length_mm", "flipper_length_mm")
    assert params(at)["cols"] == "bill_length_mm,flipper_length_mm"


def test_means_of_the_wrong_count_or_off_the_data():
    at = open_link({"K": "3", "init": "click", "means": "1,2"})
    [text] = notices(at)
    assert "2 mean(s) but K = 3" in text
    assert any("Click 3 more data point(s)" in i.value for i in at.info)
    at = open_link({"K": "2", "init": "click", "means": "1,999999", "at": "4"})
    texts = notices(at)
    assert any("rows 0 to 599" in t for t in texts)
    assert any("half-step was not shown" in t for t in texts)


def test_a_half_step_past_the_end_of_the_run():
    at = open_link({"iter": "5", "at": "50"})
    [text] = notices(at)
    assert "ends at half-step 10" in text and "showing half-step 10" in text
    assert (metrics(at)["Iteration"], metrics(at)["Phase"]) == ("5", "M-step")
    assert params(at)["at"] == "10"


def test_a_link_made_on_uploaded_data_says_it_cannot_carry_them():
    at = open_link({"data": "upload-csv", "K": "2", "at": "3"})
    [text] = notices(at)
    assert "uploaded data" in text and "upload the same CSV file" in text
    # The half-step belongs to data this session does not have: the run in use (on the
    # first screen's data, said in the sidebar) stays at its start.
    assert metrics(at)["Phase"] == "start" and params(at)["at"] == "0"
    assert at.session_state["K"] == 2
    assert any("Uploaded data cannot travel in a link" in c.value for c in at.sidebar.caption)


def test_parameters_of_other_parts_are_kept_and_never_reported():
    at = open_link({"present": "1", "stop": "4", "K": "2"})
    assert notices(at) == []
    assert params(at)["present"] == "1" and params(at)["stop"] == "4"
    click(at, "Full iteration")
    assert params(at)["present"] == "1" and params(at)["at"] == "2"


# ------------------------------------------------------------------------------------------
# Each page's own choices


def test_the_initializations_runs_travel():
    link = {"runs": "2", "start1": "random", "seed1": "5", "start2": "kmeanspp", "seed2": "11",
            "data": "anisotropic-cigars", "K": "3", "seeds": "30"}
    at = open_link(link, INITIALIZATIONS)
    assert notices(at) == []
    assert [s.value for s in at.selectbox if s.label.startswith("Run ")] == [
        "random responsibilities", "k-means++"]
    assert [n.value for n in at.number_input if n.label.startswith("Run ")] == [5, 11]
    assert at.slider(key="cmp_n_seeds").value == 30
    written = params(at)
    assert {k: written[k] for k in link} == link
    assert "init" not in written  # this page's runs choose their own starts


def test_the_model_selection_choices_travel():
    link = {"crit": "aic", "ninit": "2", "mseed": "4", "model": "2-tied", "K": "2"}
    at = open_link(link, MODEL_SELECTION)
    assert notices(at) == []
    assert at.session_state["ms_criterion"] == "aic"
    assert at.number_input(key="ms_n_init").value == 2
    assert at.selectbox(key="ms_model").value == "2|tied"
    assert {k: params(at)[k] for k in link} == link
    bad = open_link({"crit": "best-one"}, MODEL_SELECTION)
    assert any("crit = 'best-one'" in t for t in notices(bad))


def test_the_applications_tab_travels():
    at = open_link({"tab": "anomaly"}, APPLICATIONS)
    assert notices(at) == []
    assert at.session_state["app_tab"] == "Anomaly detection"
    assert any(t.label == "Preset: inject known outliers" for t in at.toggle)
    assert params(at)["tab"] == "anomaly"


@pytest.mark.parametrize("link, widgets", [
    ({"tab": "anomaly", "inject": "1", "outliers": "35", "by": "percentile", "p": "4.5"},
     {"app_an_inject": True, "app_an_n_outliers": 35, "app_an_percentile": 4.5}),
    ({"tab": "density", "maxk": "4", "map": "best", "samples": "300"},
     {"app_de_max_k": 4, "app_de_map_model": "best K on held-out data", "app_de_samples": 300}),
    ({"tab": "clustering", "stretched": "1", "uncert": "0"},
     {"app_cl_preset": True, "app_cl_uncertainty": False}),
    ({"tab": "reduction", "manycols": "wine-13", "m": "3"},
     {"app_dr_dataset": "Wine (13)", "app_dr_n_pca": 3}),
])
def test_the_controls_inside_an_applications_tab_travel(link, widgets):
    at = open_link(link, APPLICATIONS)
    assert notices(at) == []
    for key, value in widgets.items():
        assert at.session_state[key] == value, key
    shown = {w.key: w.value for kind in (at.slider, at.toggle, at.radio, at.selectbox)
             for w in kind if w.key in widgets}
    assert shown == {k: v for k, v in widgets.items() if k in shown} and shown, shown
    assert {k: params(at)[k] for k in link} == link


def test_a_tampered_control_inside_an_applications_tab():
    at = open_link({"tab": "anomaly", "outliers": "7", "p": "abc"}, APPLICATIONS)
    said = " ".join(notices(at))
    assert "outliers = '7'" in said and "p = 'abc'" in said, said
    assert at.slider(key="app_an_n_outliers").value == 20  # the page's default stays


def test_a_page_switch_keeps_the_settings():
    at = open_link({"K": "4", "at": "0"})
    switch_to(at, INITIALIZATIONS).run()
    assert not at.exception and notices(at) == []
    assert params(at)["K"] == "4" and "at" not in params(at)
    switch_to(at, STEP_BY_STEP).run()
    assert notices(at) == [] and at.session_state["K"] == 4
    assert button(at, "E-step")


def test_the_lesson_keeps_its_stop_and_drops_the_run_settings():
    from app_pages import LESSON

    at = open_link({"stop": "4", "K": "2", "present": "1"}, LESSON)
    assert notices(at) == []
    assert at.session_state["lesson_stop"] == 4
    assert params(at) == {"stop": "4", "present": "1"}


def test_a_start_that_cannot_travel_is_said_next_to_copy_link():
    def sidebar_copy_link():
        import streamlit as st

        from ui import link_state
        from ui.start import Start

        st.session_state["s_init"] = Start.FILE.value
        st.session_state["s_dataset"] = "Upload CSV"
        link_state.copy_link_ui()

    at = AppTest.from_function(sidebar_copy_link).run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "A start from a file cannot travel in a link" in captions
    assert "Uploaded data cannot travel in a link" in captions
