"""The Step by step page's Export section and the "parameters from a file" start, through
AppTest: each download's content (checked against the engine's history and scipy), every bad
file refused in words with the run kept, and a good file restarting the run at its numbers."""

import io
import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from streamlit.runtime.media_file_manager import MediaFileManager

from app_pages import APPLICATIONS, INITIALIZATIONS, LESSON, MODEL_SELECTION
from app_pages.step_by_step import keys
from ui import session, start_file
from ui.start import Start

from ..apptest import click, metrics, open_app, switch_to


@pytest.fixture()
def downloads(monkeypatch):
    """What each download button would hand the browser, by file name: eager data as given,
    deferred data by calling its callable (as the browser's click would)."""
    files = {}
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def record_add(self, data, mimetype, coordinates, file_name=None, **kwargs):
        if file_name:
            files[file_name] = lambda: data
        return add(self, data, mimetype, coordinates, file_name=file_name, **kwargs)

    def record_deferred(self, callable_, mimetype, coordinates, file_name=None, **kwargs):
        files[file_name] = callable_
        return add_deferred(self, callable_, mimetype, coordinates, file_name=file_name,
                            **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", record_add)
    monkeypatch.setattr(MediaFileManager, "add_deferred", record_deferred)
    return files


def engine_of(at):
    [lane] = at.session_state[keys.RUN]
    return lane.engine


def content(downloads, suffix):
    [name] = [n for n in downloads if n.endswith(suffix)]
    data = downloads[name]()
    return data.decode() if isinstance(data, bytes) else data


def test_downloads_hold_the_run(downloads):
    at = open_app()  # the first screen: 600 points, K = 3, full, k-means
    click(at, "Full iteration")
    click(at, "Full iteration")
    engine = engine_of(at)
    history = engine.history
    X = engine.X
    # JSON: the parameters of the half-step shown (the last), to the bit.
    data = json.loads(content(downloads, "half-step-4.json"))
    assert data["about"]["half_step"] == 4
    for name in ("weights", "means", "covariances"):
        assert np.array_equal(np.array(data[name]), getattr(history[4].params, name))
    # CSV: one row per half-step, log-likelihood equal to the engine's and to scipy's.
    table = pd.read_csv(io.StringIO(content(downloads, "history.csv")))
    assert list(table["phase"]) == ["start", "E", "M", "E", "M"]
    assert list(table["iteration"]) == [0, 1, 1, 2, 2]
    np.testing.assert_array_equal(table["log_likelihood"], [r.log_likelihood for r in history])
    for i in range(len(history)):
        w = table.loc[i, ["pi_1", "pi_2", "pi_3"]].to_numpy(float)
        means = np.array([[table.loc[i, f"mu_{z}[{f}]"] for f in ("x", "y")]
                          for z in (1, 2, 3)])
        covs = [np.array([[table.loc[i, f"Sigma_{z}[x,x]"], table.loc[i, f"Sigma_{z}[x,y]"]],
                          [table.loc[i, f"Sigma_{z}[x,y]"], table.loc[i, f"Sigma_{z}[y,y]"]]])
                for z in (1, 2, 3)]
        dens = sum(wz * stats.multivariate_normal(m, c).pdf(X) for wz, m, c in
                   zip(w, means, covs))
        assert table.loc[i, "log_likelihood"] == pytest.approx(np.log(dens).sum(), rel=1e-10)
    # HTML: standalone, one frame per half-step, says what it is.
    page = content(downloads, "replay.html")
    assert page.startswith("<!doctype html>") and "<script src=" not in page
    assert page.count('"name":"') >= len(history)  # frame names (and trace names)
    assert "K = 3, covariance type full, start: k-means, seed 0" in page
    assert "Not converged: the run was stepped to iteration 2 · M-step" in page


def test_csv_and_html_are_not_made_by_a_step(downloads, monkeypatch):
    """The CSV and the replay are callables: a click on a stepping button only registers
    them (they are made when the user presses their button)."""
    from app_pages.step_by_step import exports

    at = open_app()
    calls = []
    for name in ("replay_html", "history_csv"):
        made = getattr(exports, name)
        monkeypatch.setattr(exports, name,
                            lambda *a, made=made, name=name, **k: calls.append(name)
                            or made(*a, **k))
    click(at, "Full iteration")
    click(at, "E-step")
    assert calls == []
    assert "<html" in content(downloads, "replay.html") and calls == ["replay_html"]


def choose_file_start(at):
    at.selectbox(key=session.INIT).select(Start.FILE).run()
    assert not at.exception, at.exception


def upload(at, raw, name="start.json"):
    at.file_uploader(key=start_file.UPLOAD).upload(name, raw, "application/json").run()
    assert not at.exception, at.exception


GOOD = {"covariance_type": "full", "weights": [0.5, 0.3, 0.2],
        "means": [[0, 0], [4, 1], [1, 4]],
        "covariances": [[[1, 0], [0, 1]], [[1, 0.2], [0.2, 1]], [[2, 0], [0, 0.5]]]}


def _bad(**changes):
    return json.dumps({**GOOD, **changes}).encode()


BAD_FILES = [
    (b"{not json", "not valid JSON"),
    (_bad(weights=[0.5, 0.3, 0.3]), "sum to 1"),
    (_bad(means=[[0, 0, 0], [4, 1, 1], [1, 4, 4]]), "3 feature(s) but the data in use has 2"),
    (_bad(covariances=[[[1, 0], [0, 1]], [[1, 3], [3, 1]], [[2, 0], [0, 0.5]]]),
     "not positive-definite"),
    (_bad(means=[[float("nan"), 0], [4, 1], [1, 4]]), "NaN"),
    (json.dumps({k: v for k, v in GOOD.items() if k != "means"}).encode(), '"means"'),
    (_bad(covariances=[[1, 0], [0, 1]]), "shape (3, 2, 2)"),
]


@pytest.mark.parametrize("raw, words", BAD_FILES)
def test_bad_start_files_show_an_error_and_keep_the_run(raw, words):
    at = open_app()
    click(at, "Full iteration")
    engine = engine_of(at)
    before = metrics(at)
    choose_file_start(at)  # no file yet: the run stays, the sidebar says what to do
    assert engine_of(at) is engine and not at.main.error
    assert any("Upload a parameters file" in i.value for i in at.sidebar.info)
    upload(at, raw)
    errors = [e.value for e in at.sidebar.error]
    assert any(words in e for e in errors), errors
    assert any("The current run is kept" in e for e in errors), errors
    assert engine_of(at) is engine and metrics(at) == before
    assert click(at, "Full iteration")["Iteration"] == "2"


def test_round_trip_restarts_at_the_exported_parameters(downloads):
    """Export at the last half-step of a run, load it as the start: the new run begins at the
    original's last numbers, and stepping on gives what the original gives stepping on."""
    at = open_app()
    at.select_slider(key=session.TOL).set_value(1e-2).run()  # stops early: room to go on
    click(at, "Run to convergence")
    original = engine_of(at)
    last = original.history[-1]
    raw = content(downloads, f"half-step-{last.index}.json").encode()
    choose_file_start(at)
    at.select_slider(key=session.TOL).set_value(1e-8).run()
    upload(at, raw, "exported.json")
    restarted = engine_of(at)
    assert restarted is not original and len(restarted.history) == 1
    start = restarted.history[0]
    for name in ("weights", "means", "covariances", "precisions_cholesky"):
        assert np.array_equal(getattr(start.params, name), getattr(last.params, name)), name
    assert start.log_likelihood == last.log_likelihood
    assert metrics(at)["Log-likelihood"] == f"{last.log_likelihood:,.3f}"
    assert any("exported.json" in c.value for c in at.sidebar.caption)
    # Stepping on: the original engine continued from the same record by hand.
    click(at, "Full iteration")
    original.step()
    np.testing.assert_allclose(engine_of(at).params.means, original.params.means, rtol=1e-12)


def test_a_file_of_another_k_sets_the_sidebar_to_match():
    at = open_app()
    choose_file_start(at)
    two = {"covariance_type": "diag", "weights": [0.5, 0.5], "means": [[0, 0], [4, 4]],
           "covariances": [[1, 1], [2, 0.5]]}
    upload(at, json.dumps(two).encode(), "two.json")
    assert at.slider(key=session.K).value == 2
    assert at.selectbox(key=session.COVARIANCE_TYPE).value == "diag"
    assert any("K to 2 and covariance type to 'diag'" in c.value for c in at.sidebar.caption)
    engine = engine_of(at)
    assert engine.n_components == 2 and engine.covariance_type == "diag"
    np.testing.assert_array_equal(engine.history[0].params.means, [[0, 0], [4, 4]])
    # Changing K away from the file's: refused in words, the file's run kept.
    at.slider(key=session.K).set_value(3).run()
    assert any("set K and the covariance type back" in e.value for e in at.error)
    assert engine_of(at) is engine


@pytest.mark.parametrize("url_path", [INITIALIZATIONS, MODEL_SELECTION, APPLICATIONS, LESSON])
def test_other_pages_open_with_a_file_start_chosen(url_path):
    """A file start exists only on Step by step: the other pages open without an error
    (Model selection and Applications start from k-means and say so)."""
    at = open_app()
    choose_file_start(at)
    upload(at, json.dumps(GOOD).encode())
    switch_to(at, url_path).run()
    assert not at.exception, at.exception
    assert not at.main.error, [e.value for e in at.main.error]
    if url_path in (MODEL_SELECTION, APPLICATIONS):
        text = " ".join(c.value for c in at.main.caption)
        assert "parameters file" in text and "k-means" in text, text
