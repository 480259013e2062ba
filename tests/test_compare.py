"""Initializations page: builders, the restarts study, and the page through AppTest."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from gmm_core import EMEngine
from gmm_core.datasets import make_cigars
from ui import compare, figures_compare, state

APP = str(Path(__file__).resolve().parents[1] / "app.py")
SETTINGS = state.Settings(3, "full", "kmeans", 0, 1e-6, 1e-3, 100)


def test_restarts_figure_has_one_strip_per_method_with_rows_as_customdata():
    methods = ["a", "a", "b", "b", "b"]
    ll = [-10.0, -12.0, -9.0, -9.5, -20.0]
    fig = figures_compare.restarts_figure(methods, ll, selected=4)
    strips = [t for t in fig.data if t.type == "scatter" and t.name in ("a", "b")]
    assert [list(t.customdata) for t in strips] == [[0, 1], [2, 3, 4]]
    assert [list(t.y) for t in strips] == [[-10.0, -12.0], [-9.0, -9.5, -20.0]]
    shown = [t for t in fig.data if t.name == "shown"][0]
    assert shown.y[0] == -20.0 and shown.x[0] == 1
    assert list(fig.layout.xaxis.ticktext) == ["a", "b"]


def test_run_title_format():
    X = make_cigars(300, seed=0).X
    engine = EMEngine(X, 3, random_state=0)
    engine.run(100)
    title = figures_compare.run_title("k-means++", engine.current, engine.converged)
    assert title.startswith(f"k-means++ · iteration {engine.n_iter} · converged · LL −")


def test_restarts_match_independent_engines():
    data = make_cigars(300, seed=1)
    results = compare.restarts(data, SETTINGS, ["k-means++", "random data points"], 5)
    assert len(results) == 10
    for _, row in results.iterrows():
        engine = EMEngine(data.X, 3, init=state.INIT_CHOICES[row.method],
                          random_state=int(row.seed))
        engine.run(100)
        assert row.final_ll == pytest.approx(engine.log_likelihood, rel=1e-12)
        assert row.n_iter == engine.n_iter


def test_n_init_table_and_sentence():
    results = pd.DataFrame({"method": ["a"] * 4 + ["b"] * 2,
                            "final_ll": [-1.0, -1.05, -3.0, -3.0, -1.0, -1.0]})
    table = compare.n_init_table(results).set_index("method")
    assert table.loc["a", "share reaching the best"] == 0.5
    assert table.loc["a", "n_init for 95 %"] == 5  # 0.5**5 < 0.05 <= 0.5**4
    assert table.loc["b", "n_init for 95 %"] == 1
    sentence = compare.n_init_sentence(table.reset_index())
    assert "50% of a starts reached it, so n_init = 5" in sentence
    assert "every b start reached it" in sentence
    never = compare.n_init_table(pd.DataFrame({"method": ["a", "b"], "final_ll": [-1.0, -5.0]}))
    assert np.isnan(never.set_index("method").loc["b", "n_init for 95 %"])
    assert "no b start reached it" in compare.n_init_sentence(never)


def test_panel_figure_shares_axes_and_draws_starts_as_diamonds():
    data = make_cigars(300, seed=0)
    ranges = figures_compare.shared_ranges(data.X)
    engine = EMEngine(data.X, 3, init="k-means++", random_state=0)
    start = engine.history[0].means
    engine.run(100)
    fig = figures_compare.panel_figure(data.X, engine.current, engine.responsibilities,
                                       title="t", ranges=ranges, initial_means=start)
    assert list(fig.layout.xaxis.range) == ranges[0] and list(fig.layout.yaxis.range) == ranges[1]
    assert fig.layout.showlegend is False
    [diamonds] = [t for t in fig.data if t.name == "start"]
    np.testing.assert_allclose(np.c_[diamonds.x, diamonds.y], start)
    # 1-D data: the density figure, same x range, starts on the axis.
    x = data.X[:, :1]
    engine = EMEngine(x, 2, random_state=0)
    fig = figures_compare.panel_figure(x, engine.current, None, title="t",
                                       ranges=figures_compare.shared_ranges(x),
                                       initial_means=engine.history[0].means)
    assert [t for t in fig.data if t.name == "start"][0].x.tolist() == pytest.approx(
        engine.history[0].means[:, 0].tolist())


def test_run_title_says_failed():
    X = make_cigars(300, seed=0).X
    engine = EMEngine(X, 3, random_state=0)
    assert " · failed · " in figures_compare.run_title("k-means", engine.current, False,
                                                        failed=True)


@pytest.fixture()
def at():
    app = AppTest.from_file(APP, default_timeout=60).run()
    app.switch_page("app_pages/initializations.py").run()
    assert not app.exception, app.exception
    return app


def click(at, label):
    [button] = [b for b in at.button if b.label == label]
    button.click().run()
    assert not at.exception, at.exception


def runs(at):
    return at.session_state["cmp_runs"]


def button(at, label):
    [b] = [b for b in at.button if b.label == label]
    return b


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
    for column in ("iterations to converge", "final log-likelihood", "BIC", "init ms",
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
    assert any(" · failed · " in t for t in _panel_titles(at))
    click(at, "Reset")
    assert broken.error == "" and len(broken.engine.history) == 1


def _panel_titles(at):
    import json

    return [json.loads(c.proto.spec)["layout"]["title"]["text"]
            for c in at.get("plotly_chart") if "cmp_panel" in c.proto.id]


def test_k_larger_than_the_data_is_a_message():
    data = make_cigars(300, seed=0)
    tiny = type(data)(**{**data.__dict__, "X": data.X[:3], "labels": None})
    run = compare.start_run(tiny, state.Settings(5, "full", "kmeans", 0, 1e-6, 1e-3, 100),
                            "k-means", 0)
    assert run.engine is None and run.finished and "n_components" in run.error


def test_user_placed_means_come_from_the_step_page(at):
    at.selectbox(key="cmp_init_2").select(compare.CLICK).run()
    waiting = runs(at)[2]
    assert waiting.waiting and waiting.engine is None
    assert any("No means placed" in w.value for w in at.warning)
    at.session_state["placed_means"] = [[-20.0, -20.0], [0.0, 0.0]]  # K = 2
    at.run()
    run = runs(at)[2]
    assert run.engine is not None
    np.testing.assert_allclose(run.engine.history[0].means, [[-20, -20], [0, 0]])
    # The page's own choices survive a visit to the other page.
    at.switch_page("app_pages/step_by_step.py").run()
    at.switch_page("app_pages/initializations.py").run()
    assert not at.exception
    assert at.selectbox(key="cmp_init_2").value == compare.CLICK
    assert runs(at)[2] is run  # same settings: the same runs, not new ones


def test_more_runs_and_their_own_starts(at):
    at.slider(key="cmp_n_runs").set_value(4).run()
    at.number_input(key="cmp_seed_1").set_value(7).run()
    rs = runs(at)
    assert [r.method for r in rs] == ["k-means", "k-means++", "random responsibilities",
                                      "random data points"]
    assert rs[1].seed == 7


def test_presets_set_the_data_k_and_the_runs(at):
    [preset] = [b for b in at.button if b.label.startswith("'random' start")]
    preset.click().run()
    assert not at.exception
    assert at.session_state["dataset"] == "Well-separated blobs" and at.session_state["K"] == 3
    rs = runs(at)
    assert [r.method for r in rs] == ["k-means", "random responsibilities"]
    assert any("random responsibilities" in i.value for i in at.info)
    click(at, "Run to convergence")
    good, random = rs
    assert random.converged_at() == 2  # stops at once, at a poor optimum
    assert random.engine.log_likelihood < good.engine.log_likelihood - 100


def test_restarts_study_with_its_cache(at):
    [preset] = [b for b in at.button if b.label.startswith("k-means start misleads")]
    preset.click().run()
    assert at.session_state["dataset"] == "Anisotropic cigars" and at.session_state["K"] == 3
    at.slider(key="cmp_n_seeds").set_value(20).run()
    at.button(key="cmp_study_go").click().run()
    assert not at.exception
    [(key, (results, _))] = at.session_state["cmp_studies"].items()
    assert len(results) == 4 * 20
    assert np.isfinite(results["final_ll"]).all()
    table = at.table[-1].value
    assert set(table.index if "method" not in table else table["method"]) == set(
        compare.METHODS)
    assert any("Why `n_init`?" in m.value and "Here, " in m.value for m in at.markdown)
    charts = [c for c in at.get("plotly_chart") if "cmp_solution" in c.proto.id]
    assert len(charts) == 2  # best and worst
    # The same study again comes from the session's cache, not a new fit.
    at.button(key="cmp_study_go").click().run()
    assert at.session_state["cmp_studies"][key][0] is results
    # A change of a sidebar setting the study does not depend on keeps it current.
    at.number_input(key="seed").set_value(3).run()
    assert not any("settings changed" in i.value for i in at.info)
    at.select_slider(key="tol").set_value(1e-2).run()
    assert any("settings changed" in i.value for i in at.info)


def test_play_moves_every_run_a_half_step_per_tick_and_stops_by_itself(at):
    click(at, "Play")  # each run of the page is one tick of the fragment's timer
    assert at.session_state["cmp_playing"]
    assert all(r.engine.next_phase == "M" for r in runs(at))
    for _ in range(40):
        if not at.session_state["cmp_playing"]:
            break
        at.run()
    assert not at.session_state["cmp_playing"] and not at.exception
    assert all(r.engine.converged and r.engine.n_iter == r.converged_at() for r in runs(at))
    assert button(at, "Play").disabled


def test_every_preset_runs(at):
    for name in compare.PRESETS:
        [preset] = [b for b in at.button if b.label == name]
        preset.click().run()
        assert not at.exception, name
        assert len(runs(at)) == len(compare.PRESETS[name]["runs"])
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
