"""The Step by step page through Streamlit's AppTest: every button and control, errors in
words, Play with a clock only the test moves."""

import base64
import json

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.stats import multivariate_normal

from app_pages import INITIALIZATIONS, STEP_BY_STEP
from app_pages.step_by_step import keys, panels

from ..apptest import article_example_state, button, click, metrics, open_app, switch_to


def engine_of(at):
    [lane] = at.session_state[keys.RUN]
    return lane.engine


@pytest.fixture()
def at():
    # the article's data, with a start that is not already the answer
    return open_app(**article_example_state(init="random data points"))


def test_opens_on_step_by_step_with_metrics(at):
    assert at.title[0].value == "EM, one half-step at a time"
    m = metrics(at)
    assert m["Iteration"] == "0" and m["Phase"] == "start"
    assert "Log-likelihood" in m


def test_stepping_buttons(at):
    start_ll = float(metrics(at)["Log-likelihood"].replace(",", ""))
    m = click(at, "E-step")
    # One convention (issue 9, item 6): the E-step of iteration 1 shows iteration 1.
    assert m["Phase"] == "E-step" and m["Iteration"] == "1"
    assert [b for b in at.button if b.label == "E-step"][0].disabled
    m = click(at, "M-step")
    assert m["Phase"] == "M-step" and m["Iteration"] == "1"
    assert float(m["Log-likelihood"].replace(",", "")) > start_ll
    for expected in (2, 3, 4):
        m = click(at, "Full iteration")
        assert m["Iteration"] == str(expected)
    m = click(at, "Run to convergence")
    assert any("stopped by the rule" in s.value for s in at.success)
    engine = engine_of(at)
    assert engine.converged and m["Iteration"] == str(engine.n_iter)
    m = click(at, "Reset")
    assert m["Iteration"] == "0" and m["Phase"] == "start"
    assert len(engine_of(at).history) == 1


def test_history_slider_and_continue(at):
    for _ in range(3):
        click(at, "Full iteration")
    at.slider(key="view_index").set_value(2).run()
    m = metrics(at)
    assert m["Phase"] == "M-step" and m["Iteration"] == "1"
    m = click(at, "Continue from here")
    assert len(engine_of(at).history) == 3 and m["Iteration"] == "1"


def test_changing_a_setting_starts_a_new_run(at):
    click(at, "Full iteration")
    old = engine_of(at)
    at.slider(key="K").set_value(3).run()
    assert engine_of(at) is not old
    assert engine_of(at).n_components == 3
    assert metrics(at)["Iteration"] == "0"
    assert any("New run started" in t.value for t in at.toast)
    at.selectbox(key="covariance_type").select("diag").run()
    assert engine_of(at).covariance_type == "diag"


@pytest.mark.parametrize("name", ["1-D bimodal", "Old Faithful", "Iris", "Moons",
                                  "Anisotropic cigars", "Unequal cluster sizes"])
def test_datasets(at, name):
    at.selectbox(key="dataset").select(name).run()
    assert not at.exception
    assert at.session_state["data_key"][0] == name
    m = click(at, "Full iteration")
    assert m["Iteration"] == "1"


def test_penguins_says_how_many_rows_were_dropped(at):
    at.selectbox(key="dataset").select("Penguins").run()
    assert "Dropped 2 of 344 rows" in " ".join(c.value for c in at.caption)


def test_bad_settings_show_an_error_and_keep_the_run(at):
    click(at, "Full iteration")
    old = engine_of(at)
    at.select_slider(key="reg_covar").set_value(0.0).run()
    at.slider(key="K").set_value(10).run()
    assert not at.exception
    assert any("cannot start a run" in e.value and "reg_covar" in e.value for e in at.error)
    assert engine_of(at) is old
    assert metrics(at)["Iteration"] == "1"


def test_collapse_during_stepping_is_reported_not_raised(at):
    at.selectbox(key="dataset").select("Well-separated blobs").run()
    at.slider(key="n_points").set_value(50).run()
    at.selectbox(key="init").select("random responsibilities").run()
    at.select_slider(key="reg_covar").set_value(0.0).run()
    at.slider(key="K").set_value(10).run()
    for _ in range(30):
        click(at, "Full iteration")
        if at.error:
            break
    assert any("reg_covar" in e.value for e in at.error), "expected a collapse with K=10, n=50"
    assert not at.exception


def data_chart(at) -> dict:
    """The figure the live data chart was sent (its first bytes argument: the Plotly JSON)."""
    specs = [json.loads(a.bytes) for node in at.get("component_instance")
             for a in node.proto.special_args if a.HasField("bytes")]
    return specs[0]  # the data chart, then the log-likelihood chart


def values(v) -> np.ndarray:
    """An array of the figure JSON (Plotly writes NumPy arrays as base64 typed arrays)."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
    return np.asarray(v)


def test_chart_toggles_change_what_the_chart_draws(at):
    click(at, "Full iteration")  # an M record: the γ in force are the E-step's
    engine = engine_of(at)
    X = at.session_state["data"].X
    e_params = engine.history.last_e(-1).params
    # γ from scipy's densities of the E-step's parameters (independent of the engine)
    log_dens = np.column_stack([np.log(w) + multivariate_normal(m, c).logpdf(X) for w, m, c in
                                zip(e_params.weights, e_params.means,
                                    e_params.full_covariances())])
    gamma = np.exp(log_dens - logsumexp(log_dens, axis=1, keepdims=True))
    k = len(e_params.weights)
    before = data_chart(at)["data"]
    assert not any(t["type"] == "contour" for t in before)
    assert not any(t.get("name", "").endswith("3σ") for t in before)

    at.toggle(key="opt_hard").set_value(True).run()
    points = {t["name"]: t for t in data_chart(at)["data"]
              if t.get("name", "").startswith("points → ")}
    assert sorted(points) == [f"points → {z + 1}" for z in range(k)]
    for z in range(k):
        rows = values(points[f"points → {z + 1}"]["customdata"])
        assert set(rows.tolist()) == set(np.flatnonzero(gamma.argmax(axis=1) == z).tolist())

    at.toggle(key="opt_hard").set_value(False).run()
    at.toggle(key="opt_uncertainty").set_value(True).run()
    [data] = [t for t in data_chart(at)["data"] if t.get("name") == "data"]
    sizes = np.empty(len(X))
    sizes[values(data["customdata"])] = values(data["marker"]["size"])
    # marker size = base + 14 (1 − max γ): the same base for every point
    np.testing.assert_allclose(sizes - 14 * (1 - gamma.max(axis=1)), sizes[0] - 14 * (
        1 - gamma[0].max()), atol=1e-6)

    at.toggle(key="opt_3sigma").set_value(True).run()
    names = [t.get("name", "") for t in data_chart(at)["data"]]
    assert [f"component {z + 1} 3σ" in names for z in range(k)] == [True] * k

    at.toggle(key="opt_density").set_value(True).run()
    assert [t["type"] for t in data_chart(at)["data"]].count("contour") == 1
    assert not at.exception


def upload(at, name, raw):
    at.selectbox(key="dataset").select("Upload CSV").run()
    at.file_uploader(key="upload_file").upload(name, raw, "text/csv").run()
    assert not at.exception, at.exception


@pytest.mark.parametrize(
    "raw, words",
    [
        (b"name,colour\nann,red\nbob,blue\n", "no numeric column"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not text"),
        (b"a,b\n1,2\ninf,4\n5,6\n", "infinite"),
        (b"a,b\n1,2\n1e300,4\n5,6\n", "absurdly large"),
        (b"a,b\n1,2\n", "usable row"),
    ],
)
def test_bad_uploads_show_an_error_and_keep_the_data(at, raw, words):
    click(at, "Full iteration")
    before = at.session_state["data"]
    upload(at, "bad.csv", raw)
    assert any(words in e.value for e in at.error), [e.value for e in at.error]
    assert at.session_state["data"] is before
    m = click(at, "Full iteration")
    assert m["Iteration"] == "2"


def test_good_upload_is_used_with_dropped_rows_counted(at):
    raw = b"x,y,label\n" + b"\n".join(
        f"{i % 7},{(i * 3) % 11},{'' if i % 10 == 0 else 'a'}".encode() for i in range(50))
    raw += b"\n1,,b\n"
    upload(at, "good.csv", raw)
    data = at.session_state["data"]
    assert data.X.shape == (50, 2) and data.n_dropped == 1
    assert any("Dropped 1 of 51 rows" in w.value for w in at.warning)
    assert metrics(at)["Iteration"] == "0"
    at.multiselect(key="upload_columns").unselect("y").run()
    assert at.session_state["data"].X.shape == (51, 1)  # y no longer needed: no row dropped


def test_shared_settings_survive_a_page_switch(at):
    at.slider(key="K").set_value(4).run()
    at.selectbox(key="covariance_type").select("tied").run()
    at.selectbox(key="dataset").select("Moons").run()
    click(at, "Full iteration")
    engine = engine_of(at)
    switch_to(at, INITIALIZATIONS).run()
    assert not at.exception
    switch_to(at, STEP_BY_STEP).run()
    assert at.slider(key="K").value == 4
    assert at.selectbox(key="covariance_type").value == "tied"
    assert at.selectbox(key="dataset").value == "Moons"
    assert engine_of(at).n_components == 4
    assert engine_of(at) is engine and engine.n_iter == 1  # the run survives
    assert not at.toast  # and no "new run" flash on the way back


def test_play_advances_each_run_and_stops_by_itself(at, ticking):
    # Play makes the fragment take one half-step per timer tick; here each run is a tick.
    # It must stop by itself after the converged iteration.
    [play] = [b for b in at.button if b.label == "Play"]
    play.click().run()
    assert at.session_state["playing"] is True
    assert [b for b in at.button if b.label == "Pause"]
    seen = []
    for _ in range(400):
        seen.append((metrics(at)["Iteration"], metrics(at)["Phase"]))
        if not at.session_state["playing"]:
            break
        at.run()
        assert not at.exception, at.exception
    assert not at.session_state["playing"]
    assert len(set(seen)) > 3, seen
    assert any("stopped by the rule" in s.value for s in at.success)
    assert [b for b in at.button if b.label == "Play"]  # the button says Play again
    final = metrics(at)
    at.run()
    assert metrics(at) == final  # stopped: nothing moves any more


def test_clicks_while_playing_do_not_add_half_steps(at, clock):
    # the clock stands still: no timer tick is due, so only Play's own first run steps
    button(at, "Play").click().run()
    history = len(engine_of(at).history)
    assert history == 2
    for _ in range(3):
        at.toggle(key="opt_hard").set_value(not at.toggle(key="opt_hard").value).run()
    assert len(engine_of(at).history) == history
    clock.advance(0.5)  # one tick of the normal speed: the next run steps once
    at.run()
    assert len(engine_of(at).history) == history + 1


def test_pause_stops_play(at):
    [play] = [b for b in at.button if b.label == "Play"]
    play.click().run()
    at.run()
    [pause] = [b for b in at.button if b.label == "Pause"]
    pause.click().run()
    assert at.session_state["playing"] is False
    frozen = metrics(at)
    at.run()
    assert metrics(at) == frozen


def test_speed_choice_is_kept_while_stepping(at):
    speed = at.selectbox(key="speed")
    speed.set_value("fast: every 0.25 s").run()
    click(at, "Full iteration")
    assert at.selectbox(key="speed").value == "fast: every 0.25 s"


def test_view_and_toggles_survive_a_page_switch(at):
    click(at, "Full iteration")
    click(at, "Full iteration")
    at.slider(key="view_index").set_value(2).run()
    at.toggle(key="opt_hard").set_value(True).run()
    switch_to(at, INITIALIZATIONS).run()
    assert not at.exception, at.exception
    switch_to(at, STEP_BY_STEP).run()
    assert not at.exception, at.exception
    assert at.slider(key="view_index").value == 2
    assert metrics(at)["Iteration"] == "1"
    assert at.toggle(key="opt_hard").value is True


def test_gamma_toggles_wait_for_an_e_step(at):
    assert at.toggle(key="opt_hard").disabled and at.toggle(key="opt_uncertainty").disabled
    assert not at.toggle(key="opt_3sigma").disabled
    click(at, "E-step")
    assert not at.toggle(key="opt_hard").disabled
    assert not at.toggle(key="opt_uncertainty").disabled


def test_huge_log_likelihoods_fit_their_metric(at):
    # a k-means++ start: covariances of reg_covar, a log-likelihood of about −10⁹
    at.selectbox(key="dataset").set_value("Old Faithful").run()
    at.selectbox(key="init").set_value("k-means++").run()
    value = metrics(at)["Log-likelihood"]
    ll = engine_of(at).log_likelihood
    assert abs(ll) >= 1e6 and "e+" in value, (ll, value)
    assert float(value) == pytest.approx(ll, rel=1e-4)


def test_no_red_arrow_for_float_noise_after_convergence(at):
    click(at, "Run to convergence")
    click(at, "Full iteration")  # past convergence: the change is float noise at most
    ll = [m for m in at.metric if m.label == "Log-likelihood"][0]
    assert not ll.delta  # one change per half-step (issue 24): the M-step's gain, no arrow
    history = engine_of(at).history
    gain = history[-1].log_likelihood - history[-2].log_likelihood
    assert metrics(at)["Gain of this M-step"] == (
        "0 (rounding)" if abs(gain) < 1e-9 else panels.gain_text(gain))
    change = history[-1].log_likelihood - history[-3].log_likelihood
    words = "0 (rounding)" if abs(change) < 1e-9 else f"{change:+,.4g}"
    assert any(f"The 1 iteration(s) after it change the log-likelihood by {words}" in s.value
               for s in at.success)
    assert "change nothing" not in " ".join(s.value for s in at.success)
    noise = history[-2].change
    at.slider(key="view_index").set_value(len(history) - 2).run()  # the E-step: the rule's Δ
    shown = metrics(at)["Δ mean log-likelihood"]
    assert shown == ("0 (rounding)" if abs(noise) < 1e-12 else f"{noise:+.2e}"), (noise, shown)


def test_a_component_collapsing_at_reg_covar_zero_is_flagged_not_refused():
    # The case of tests/core/test_reg_covar_zero.py: scikit-learn goes on while a spherical
    # component collapses onto one point; so does the page, and it says so in words.
    from sklearn.datasets import make_blobs

    from gmm_core.datasets import Dataset

    X, _ = make_blobs(n_samples=500, centers=4, cluster_std=[0.8, 1.2, 0.5, 1.0],
                      random_state=11)
    at = open_app(**article_example_state(
        K=4, covariance_type="spherical", init="random responsibilities", seed=2,
        reg_covar=0.0, tol=1e-8))
    at.sidebar.selectbox(key="dataset").set_value("Upload CSV").run()
    at.session_state["data"] = Dataset("blobs", X, ("x", "y"))
    at.session_state["data_key"] = ("blobs",)
    at.run()
    click(at, "Run to convergence")
    assert not at.exception and not at.error
    assert any("collapsed onto a point or a line" in w.value for w in at.warning)
