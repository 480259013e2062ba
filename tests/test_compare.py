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


def test_n_init_table():
    results = pd.DataFrame({"method": ["a"] * 4 + ["b"] * 2,
                            "final_ll": [-1.0, -1.05, -3.0, -3.0, -1.0, -1.0]})
    table = compare.n_init_table(results).set_index("method")
    assert table.loc["a", "share reaching the best"] == 0.5
    assert table.loc["a", "n_init for 95 %"] == 5  # 0.5**5 < 0.05 <= 0.5**4
    assert table.loc["b", "n_init for 95 %"] == 1


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


def test_lockstep_buttons_step_every_run(at):
    assert at.title[0].value == "Initializations"
    assert len(runs(at)) == 3
    click(at, "E-step")
    assert all(r.engine.next_phase == "M" for r in runs(at))
    click(at, "M-step")
    assert all(r.engine.n_iter == 1 for r in runs(at))
    click(at, "Full iteration")
    click(at, "Run to convergence")
    for r in runs(at):
        assert r.engine.converged
        fired = next(h for h in r.engine.history if h.phase == "E" and h.converged)
        assert r.engine.n_iter == fired.iteration  # each stopped at its own iteration
    before = [len(r.engine.history) for r in runs(at)]
    click(at, "Full iteration")  # converged runs hold still
    assert [len(r.engine.history) for r in runs(at)] == before
    table = at.table[0].value
    assert list(table["method"]) == ["k-means", "k-means++", "random responsibilities"]
    assert "ARI" in table.columns and "BIC" in table.columns
    click(at, "Reset")
    assert all(len(r.engine.history) == 1 for r in runs(at))


def test_a_failing_run_does_not_stop_the_others(at):
    at.select_slider(key="reg_covar").set_value(0.0).run()
    at.selectbox(key="cmp_init_2").select("random data points").run()
    failed = [r for r in runs(at) if r.engine is None]
    assert failed and "reg_covar" in failed[0].error
    assert any("This run failed" in e.value for e in at.error)
    click(at, "Full iteration")
    assert all(r.engine.n_iter == 1 for r in runs(at) if r.engine is not None)


def test_more_runs_and_their_own_starts(at):
    at.slider(key="cmp_n_runs").set_value(4).run()
    at.number_input(key="cmp_seed_1").set_value(7).run()
    rs = runs(at)
    assert [r.method for r in rs] == ["k-means", "k-means++", "random responsibilities",
                                      "random data points"]
    assert rs[1].seed == 7


def test_restarts_study_and_presets(at):
    [preset] = [b for b in at.button if b.label.startswith("k-means start misleads")]
    preset.click().run()
    assert at.session_state["dataset"] == "Anisotropic cigars" and at.session_state["K"] == 3
    at.slider(key="cmp_n_seeds").set_value(20).run()
    at.button(key="cmp_study_go").click().run()
    assert not at.exception
    _, results, _ = at.session_state["cmp_study"]
    assert len(results) == 4 * 20
    table = at.table[-1].value
    assert set(table["method"]) == set(compare.METHODS[:4])
    assert np.isfinite(results["final_ll"]).all()
