"""Issue 9 on the Initializations page: the words match what happened (a stop by the rule
|Δ| < tol is not called convergence; plateau stops are told apart), the presets' numbers are
scikit-learn's, the plateau escape preset, and the sidebar start that does nothing here."""

import json
import re
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as SklearnGM

from app_pages import INITIALIZATIONS
from app_pages.initializations import keys, presets
from gmm_core.datasets import make_cigars, make_separated_blobs

from ..apptest import click, open_app

RANDOM = "'random' start: all means near the data mean"
ESCAPE = "Plateau escape (random start on the cigars)"


def sklearn_random(X, tol, max_iter=1000):
    """scikit-learn's own fit from the "random" start, seed 0: (n_iter_, total LL)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm = SklearnGM(3, init_params="random", random_state=0, reg_covar=1e-6, tol=tol,
                       max_iter=max_iter).fit(X)
    return gm.n_iter_, gm.score(X) * len(X)


def numbers(text):
    """The numbers of a note, as floats (a true minus sign and thousands commas)."""
    return [float(m.replace(",", "").replace("−", "-"))
            for m in re.findall(r"−?\d[\d,]*\.\d+|\b\d+\b", text)]


@pytest.fixture()
def at():
    return open_app(INITIALIZATIONS)


def apply_preset(at, name):
    at.selectbox(key=keys.PRESET_CHOICE).select(name).run()
    at.button(key=keys.PRESET_APPLY).click().run()
    assert not at.exception, at.exception


def runs(at):
    return at.session_state[keys.RUNS]


def test_random_preset_says_what_really_happens():
    X = make_separated_blobs(600, seed=0).X
    stop_at, stop_ll = sklearn_random(X, 1e-3)
    end_at, end_ll = sklearn_random(X, 1e-8)
    note = presets.PRESETS[RANDOM]["point"]
    assert "declares convergence" not in note and "poor solution" not in note
    found = numbers(note)
    assert stop_at in found and end_at in found
    assert round(stop_ll, 1) in found and round(end_ll, 1) in found


def test_plateau_escape_preset_numbers_are_scikit_learns():
    X = make_cigars(600, seed=0).X
    stop_at, stop_ll = sklearn_random(X, 1e-3)
    end_at, end_ll = sklearn_random(X, 1e-8)
    assert stop_at == 2 and end_ll > stop_ll + 100  # the lesson: an escape, not a wobble
    note = presets.PRESETS[ESCAPE]["point"]
    found = numbers(note)
    assert stop_at in found and round(stop_ll, 1) in found and round(end_ll, 1) in found
    assert f"about {round(end_at, -1):.0f} iterations" in note


def test_status_and_table_say_stopped_by_the_rule_and_what_a_check_found(at):
    apply_preset(at, RANDOM)
    click(at, "Run to convergence")
    good, random = runs(at)
    captions = [c.value for c in at.caption if c.value.startswith("Run ")]
    assert len(captions) == 2
    assert not any("converged" in c for c in captions), captions
    assert all("stopped: |Δ mean log-likelihood| < tol (tol = 0.001)" in c
               for c in captions), captions
    X = at.session_state["data"].X
    _, stop_ll = sklearn_random(X, 1e-3)
    _, end_ll = sklearn_random(X, 1e-9)
    # The random start stopped on a plateau: the check climbs to where scikit-learn's
    # tighter rule from the same start ends.
    assert "stopped on a plateau, not at a maximum" in captions[1]
    gain = random.check.gain
    assert random.check.log_likelihood_after == pytest.approx(end_ll, abs=0.05)
    assert f"{gain:+,.1f}".replace("-", "−") in captions[1]
    assert "plateau" not in captions[0]
    table = at.table[0].value
    assert list(table["status"]) == ["stopped: |Δ mean log-likelihood| < tol"] * 2
    assert list(table["tighter rule"]) == [good.check.verdict, "plateau"]
    assert good.check.verdict in ("fixed point", "near a maximum")
    assert table["its gain"].iloc[1] == pytest.approx(end_ll - stop_ll, abs=0.05)
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"]
              for c in at.get("plotly_chart") if "cmp_panel" in c.proto.id]
    assert titles and all("converged" not in t for t in titles)
    assert all("<br>stopped by the rule · LL" in t for t in titles), titles


def test_plateau_escape_with_a_tighter_rule(at):
    apply_preset(at, ESCAPE)
    assert at.session_state["tol"] == 1e-3 and at.session_state["K"] == 3
    click(at, "Run to convergence")
    X = at.session_state["data"].X
    stop_at, stop_ll = sklearn_random(X, 1e-3)
    end_at, end_ll = sklearn_random(X, 1e-8)
    random = runs(at)[0]
    assert random.engine.n_iter == stop_at
    assert random.engine.log_likelihood == pytest.approx(stop_ll, rel=1e-9)
    assert random.check.verdict == "plateau"
    status = next(c.value for c in at.caption if c.value.startswith("Run 1"))
    assert re.search(r"a tighter rule climbs \+10\d\.\d in \d+ more iterations", status)
    assert "Set tol to 1e-8 and press Run to convergence" in status
    # Do as it says: the same start now escapes, where scikit-learn's does.
    at.select_slider(key="tol").set_value(1e-8).run()
    click(at, "Run to convergence")
    random = runs(at)[0]
    assert random.engine.n_iter == end_at
    assert random.engine.log_likelihood == pytest.approx(end_ll, rel=1e-9)


def test_restarts_study_draws_plateau_stops_hollow_and_counts_them(at):
    apply_preset(at, RANDOM)
    at.multiselect(key=keys.METHODS).set_value(["random responsibilities"]).run()
    at.slider(key=keys.N_SEEDS).set_value(20).run()
    at.button(key=keys.STUDY_GO).click().run()
    assert not at.exception
    [(results, _)] = at.session_state[keys.STUDIES].values()
    n_plateau = int(results["plateau"].sum())
    assert n_plateau > 0
    assert any(f"{n_plateau} of 20 starts stopped on a plateau" in m.value
               for m in at.markdown)
    # Seed 0's dot is where scikit-learn's tighter rule from that start ends, not its stop.
    X = at.session_state["data"].X
    _, end_ll = sklearn_random(X, 1e-9)
    assert results.loc[results.seed == 0, "final_ll"].item() == pytest.approx(end_ll, abs=0.05)
    [chart] = [c for c in at.get("plotly_chart") if keys.RESTARTS_CHART in c.proto.id]
    spec = json.loads(chart.proto.spec)
    symbols = [s for t in spec["data"] if t.get("type") == "scatter"
               for s in np.atleast_1d(t.get("marker", {}).get("symbol", []))]
    assert symbols.count("circle-open") >= n_plateau
    assert any(t.get("name") == "stopped on a plateau by tol, continued"
               for t in spec["data"])
    table = at.table[-1].value
    assert table["best final LL"].max() == pytest.approx(results["final_ll"].max())


def test_the_sidebar_start_is_hidden_here(at):
    # The runs choose their own starts: the sidebar's Initialisation and Seed do nothing here.
    assert not [s for s in at.sidebar.selectbox if s.label == "Initialisation"]
    assert not [n for n in at.sidebar.number_input if n.label == "Seed"]


def test_buttons_and_presets_fit_narrow_screens(at):
    # The button row is one horizontal container (it wraps), not fixed columns, and the
    # presets are a select box and an Apply button, not a row of cut-off buttons.
    assert at.selectbox(key=keys.PRESET_CHOICE).options == list(presets.PRESETS)
    assert at.button(key=keys.PRESET_APPLY).label == "Apply preset"
    assert not [b for b in at.button if b.key and b.key.startswith("cmp_preset_") and
                b.key not in (keys.PRESET_APPLY,)]
