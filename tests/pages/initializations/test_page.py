"""The Initializations page through Streamlit's AppTest: lockstep stepping, failures that
stop one run, presets, the restarts study, and Play with a clock only the test moves."""

import numpy as np
import pytest
from sklearn.mixture import GaussianMixture as SklearnGM

from app_pages import INITIALIZATIONS, STEP_BY_STEP
from app_pages.initializations import keys, presets
from app_pages.initializations.lockstep import PLAYER
from app_pages.initializations.runs import METHODS, start_run
from gmm_core.datasets import make_cigars
from ui.session import Settings
from ui.start import Start

from ..apptest import article_example_state, button, click, open_app, switch_to


@pytest.fixture()
def at():
    return open_app(INITIALIZATIONS, **article_example_state())


def runs(at):
    return at.session_state[keys.RUNS]


def apply_preset(at, name):
    at.selectbox(key=keys.PRESET_CHOICE).select(name).run()
    at.button(key=keys.PRESET_APPLY).click().run()
    assert not at.exception, at.exception


def test_lockstep_buttons_step_every_run(at):
    assert at.title[0].value == "Initializations"
    assert len(runs(at)) == 3
    assert button(at, "M-step").disabled  # no E-step done yet
    click(at, "E-step")
    assert all(r.engine.next_phase == "M" for r in runs(at))
    assert button(at, "E-step").disabled
    click(at, "M-step")
    assert all(r.engine.n_iter == 1 for r in runs(at))
    # Full iterations until some run has converged and another has not: the converged one
    # holds still while the others go on, and its panel says so.
    for _ in range(20):
        done = [r.engine.converged for r in runs(at)]
        if any(done) and not all(done):
            break
        click(at, "Full iteration")
    assert any(done) and not all(done), "the default data should converge at different times"
    assert any("holding still while the others go on" in c.value for c in at.caption)
    before = [len(r.engine.history) for r in runs(at)]
    click(at, "Full iteration")
    after = [len(r.engine.history) for r in runs(at)]
    assert all((a == b) == d for a, b, d in zip(after, before, done))
    click(at, "Reset")
    assert all(len(r.engine.history) == 1 and r.fit_seconds == 0 for r in runs(at))
    click(at, "Run to convergence")
    for r in runs(at):
        assert r.engine.converged
        # each stopped at the iteration whose E-step fired, plus its M-step
        assert r.engine.n_iter == r.converged_at()
    assert len({r.engine.n_iter for r in runs(at)}) > 1
    assert button(at, "Full iteration").disabled and button(at, "Play").disabled
    table = at.table[0].value
    assert list(table["method"]) == ["k-means", "k-means++", "random responsibilities"]
    for column in ("iterations to the stop", "final log-likelihood", "BIC", "init ms",
                   "fit ms", "ARI"):
        assert column in table.columns


def test_a_run_that_cannot_start_does_not_stop_the_others(at):
    at.select_slider(key="reg_covar").set_value(0.0).run()
    at.selectbox(key="cmp_init_2").select("random data points").run()
    failed = [r for r in runs(at) if r.engine is None]
    assert failed and "reg_covar" in failed[0].error
    assert any("This run could not start" in e.value for e in at.error)
    click(at, "Full iteration")
    assert all(r.engine.n_iter == 1 for r in runs(at) if r.engine is not None)
    assert "could not start" in list(at.table[0].value["status"])


def test_a_step_that_fails_keeps_the_runs_last_state(at):
    click(at, "Full iteration")
    broken = runs(at)[1]

    def collapse():
        raise ValueError("Component 2 collapsed onto one point: increase reg_covar.")

    broken.engine.m_step = collapse  # the next M-step of this run fails
    click(at, "Full iteration")
    assert "collapsed" in broken.error and broken.engine.n_iter == 1  # last good state kept
    assert [r.engine.n_iter for r in runs(at)] == [2, 1, 2]
    assert any("This run stopped" in e.value for e in at.error)
    assert any("<br>failed · LL" in t for t in _panel_titles(at))
    click(at, "Reset")
    assert broken.error == "" and len(broken.engine.history) == 1


def test_k_larger_than_the_data_is_a_message():
    data = make_cigars(300, seed=0)
    tiny = type(data)(**{**data.__dict__, "X": data.X[:3], "labels": None})
    run = start_run(tiny, Settings(5, "full", "kmeans", 0, 1e-6, 1e-3, 100),
                            "k-means", 0)
    assert run.engine is None and PLAYER.finished(run) and "n_components" in run.error


def test_user_placed_means_come_from_the_step_page(at):
    at.selectbox(key="cmp_init_2").select(Start.CLICK).run()
    waiting = runs(at)[2]
    assert waiting.waiting and waiting.engine is None
    assert any("No means placed" in w.value for w in at.warning)
    at.session_state["placed_means"] = [[-20.0, -20.0], [0.0, 0.0]]  # K = 2
    at.run()
    run = runs(at)[2]
    assert run.engine is not None
    np.testing.assert_allclose(run.engine.history[0].means, [[-20, -20], [0, 0]])
    # The page's own choices survive a visit to the other page.
    switch_to(at, STEP_BY_STEP).run()
    switch_to(at, INITIALIZATIONS).run()
    assert not at.exception
    assert at.selectbox(key="cmp_init_2").value == Start.CLICK
    assert runs(at)[2] is run  # same settings: the same runs, not new ones


def test_more_runs_and_their_own_starts(at):
    at.slider(key="cmp_n_runs").set_value(4).run()
    at.number_input(key="cmp_seed_1").set_value(7).run()
    rs = runs(at)
    assert [r.method for r in rs] == ["k-means", "k-means++", "random responsibilities",
                                      "random data points"]
    assert rs[1].seed == 7


def test_presets_set_the_data_k_and_the_runs(at):
    apply_preset(at, "'random' start: all means near the data mean")
    assert not at.exception
    assert at.session_state["dataset"] == "Well-separated blobs" and at.session_state["K"] == 3
    rs = runs(at)
    assert [r.method for r in rs] == ["k-means", "random responsibilities"]
    assert any("random responsibilities" in i.value for i in at.info)
    click(at, "Run to convergence")
    good, random = rs
    # stops at once, at a poor optimum: where scikit-learn's own fit from that start stops
    X = at.session_state["data"].X
    theirs = SklearnGM(3, init_params="random", random_state=0, reg_covar=1e-6, tol=1e-3,
                       max_iter=100).fit(X)
    assert random.converged_at() == theirs.n_iter_ <= 3
    assert random.engine.log_likelihood == pytest.approx(theirs.score(X) * len(X), rel=1e-9)
    assert random.engine.log_likelihood < good.engine.log_likelihood - 100


def test_restarts_study_with_its_cache(at):
    apply_preset(at, "k-means start misleads (anisotropic cigars)")
    assert at.session_state["dataset"] == "Anisotropic cigars" and at.session_state["K"] == 3
    at.slider(key="cmp_n_seeds").set_value(20).run()
    at.button(key="cmp_study_go").click().run()
    assert not at.exception
    [(key, (results, _))] = at.session_state[keys.STUDIES].items()
    assert len(results) == 4 * 20
    assert np.isfinite(results["final_ll"]).all()
    table = at.table[-1].value
    assert set(table.index if "method" not in table else table["method"]) == set(
        METHODS)
    assert any("Why `n_init`?" in m.value and "Here, " in m.value for m in at.markdown)
    charts = [c for c in at.get("plotly_chart") if "cmp_solution" in c.proto.id]
    assert len(charts) == 2  # best and worst
    # The same study again comes from the session's cache, not a new fit.
    at.button(key="cmp_study_go").click().run()
    assert at.session_state[keys.STUDIES][key][0] is results
    # A change of a sidebar setting the study does not depend on keeps it current.
    at.select_slider(key="reg_covar").set_value(1e-6).run()
    assert not any("settings changed" in i.value for i in at.info)
    at.select_slider(key="tol").set_value(1e-2).run()
    assert any("settings changed" in i.value for i in at.info)


def test_play_moves_every_run_a_half_step_per_tick_and_stops_by_itself(at, ticking):
    click(at, "Play")  # each run of the page is one tick of the fragment's timer
    assert at.session_state[keys.PLAYING]
    assert all(r.engine.next_phase == "M" for r in runs(at))
    for _ in range(40):
        if not at.session_state[keys.PLAYING]:
            break
        at.run()
    assert not at.session_state[keys.PLAYING] and not at.exception
    assert all(r.engine.converged and r.engine.n_iter == r.converged_at() for r in runs(at))
    assert button(at, "Play").disabled


def test_every_preset_runs(at):
    for name in presets.PRESETS:
        apply_preset(at, name)
        assert not at.exception, name
        assert len(runs(at)) == len(presets.PRESETS[name]["runs"])
        click(at, "Run to convergence")
        assert all(r.engine is not None and r.engine.converged for r in runs(at)), name


def test_one_dimensional_data(at):
    at.selectbox(key="dataset").select("1-D bimodal").run()
    assert not at.exception and len(runs(at)) == 3
    click(at, "Full iteration")
    at.slider(key="cmp_n_seeds").set_value(20).run()
    at.button(key="cmp_study_go").click().run()
    assert not at.exception
    assert len([c for c in at.get("plotly_chart") if "cmp_solution" in c.proto.id]) == 2


def _panel_titles(at):
    import json

    return [json.loads(c.proto.spec)["layout"]["title"]["text"]
            for c in at.get("plotly_chart") if "cmp_panel" in c.proto.id]


def test_other_widgets_while_playing_do_not_step_the_runs(at, clock):
    # Moving a slider reruns the page (and its Play fragment); only a timer tick may step.
    click(at, "Play")
    assert all(len(r.engine.history) == 2 for r in runs(at))  # Play's own first tick
    for seeds in (30, 40, 60):
        at.slider(key=keys.N_SEEDS).set_value(seeds).run()
        assert not at.exception, at.exception
    assert all(len(r.engine.history) == 2 for r in runs(at))
    assert at.session_state[keys.PLAYING]
    clock.advance(0.5)  # one tick at the normal speed: every run takes one half-step
    at.run()
    assert all(len(r.engine.history) == 3 for r in runs(at))


def test_show_the_code_reproduces_each_run(at):
    # One code block per run; executing one gives scikit-learn's fit from that run's start,
    # which must end where this page's run ends.
    import numpy as np

    blocks = [c.value for c in at.code]
    side = [r for r in runs(at) if r.engine is not None]
    assert len(blocks) == len(side)
    run = side[1]
    namespace = {}
    exec(blocks[1], namespace)  # noqa: S102  (the generated code, as a user would paste it)
    run.engine.run(100)
    np.testing.assert_allclose(namespace["gm"].means_, run.engine.means, atol=1e-7)


def test_the_summary_bic_of_a_weighted_run_is_the_bic_of_the_repeated_rows():
    """Integer weights are repeated rows: the table's BIC equals scikit-learn's BIC of the
    run's parameters on the repeated data (n = Σ w_i, not the number of rows)."""
    from app_pages.initializations.panels import summary_table

    data = make_cigars(200, seed=3)
    w = np.random.default_rng(1).integers(1, 5, len(data.X)).astype(float)
    weighted = type(data)(**{**data.__dict__, "sample_weight": w})
    settings = Settings(3, "full", "kmeans", 0, 1e-6, 1e-3, 100)
    run = start_run(weighted, settings, "k-means", 0)
    for _ in range(4):
        run.engine.step()
    params = run.engine.params
    sk = SklearnGM(3, covariance_type="full")
    sk.weights_, sk.means_, sk.covariances_ = params.weights, params.means, params.covariances
    sk.precisions_cholesky_ = params.precisions_cholesky
    expected = sk.bic(np.repeat(data.X, w.astype(int), axis=0))
    assert summary_table([run], weighted, settings)["BIC"][0] == pytest.approx(expected,
                                                                               rel=1e-10)
