"""Grab a component on Step by step (AppTest): the weights control makes a hand-set record,
the line under the chart says what EM then really does, "Try to beat EM", and a link and
the exports carry hand-set records. (Dragging itself is tests/browser/test_grab.py.)

Oracles: runs rebuilt here with gmm_core from the first screen's settings and the numbers
the hand set; scikit-learn from the moved parameters for EM's climb.
"""

import numpy as np
import pytest
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from gmm_core import EMEngine, MixtureParameters
from gmm_core.datasets import make_unequal_sizes
from ui import exports

from ..apptest import click, metrics, open_app
from ..test_links import open_link, params

X = make_unequal_sizes(600, seed=1).X


def _engine(at):
    return at.session_state["run"][0].engine


def _grab_on(at):
    at.toggle(key="grab_on").set_value(True).run()
    assert not at.exception, at.exception


def _set_weight(at, record_index, z, value):
    at.selectbox(key="grab_weight_z").set_value(z).run()
    at.slider(key=f"grab_pi_{record_index}_{z}").set_value(value).run()
    assert not at.exception, at.exception


def _first_screen(iterations):
    engine = EMEngine(X, 3, covariance_type="full", init="kmeans", random_state=0,
                      reg_covar=1e-6, tol=1e-3)
    for _ in range(iterations):
        engine.step()
    return engine


def test_a_weight_set_by_hand_is_a_record_and_the_line_says_what_em_does():
    at = open_app()
    click(at, "Full iteration")
    _grab_on(at)
    _set_weight(at, 2, 0, 0.3)
    engine = _engine(at)
    record = engine.history[-1]
    assert (record.phase, record.index, record.note) == ("set", 3, "you set π₁ to 0.30")
    before = _first_screen(1).current.params
    # π₁ = 0.3, the others keep their proportions, all sum to 1
    expected = np.r_[0.3, before.weights[1:] * 0.7 / before.weights[1:].sum()]
    np.testing.assert_allclose(record.weights, expected, rtol=1e-12)
    assert record.weights.sum() == pytest.approx(1.0, abs=1e-15)
    np.testing.assert_array_equal(record.means, before.means)
    assert metrics(at)["Phase"] == "moved by hand"
    # The line: EM from the set parameters on an independent run, scikit-learn's count
    moved = MixtureParameters.from_covariances(expected, before.means, before.covariances,
                                               "full")
    sk = SkGaussianMixture(3, covariance_type="full", weights_init=expected,
                           means_init=before.means, precisions_init=moved.precisions,
                           tol=1e-3, reg_covar=1e-6).fit(X)
    change = moved.log_likelihood(X) - _first_screen(1).current.log_likelihood
    [line] = [m.value for m in at.markdown if m.value.startswith("**Set π₁ to 0.30**")]
    assert f"{'lowered' if change < 0 else 'raised'} log L by {abs(change):,.1f}" in line
    assert f"after {sk.n_iter_} iteration(s)" in line
    assert f"{sk.score(X) * len(X):,.1f}" in line
    # E-step and M-step go on from it; exports carry it
    click(at, "E-step")
    assert _engine(at).history[-1].change == np.inf
    table = exports.history_table(_engine(at).history, ("x", "y"))
    assert list(table["phase"]) == ["start", "E", "M", "set", "E"]
    assert table["note"][3] == "you set π₁ to 0.30"
    assert '"note": "you set \\u03c0\\u2081 to 0.30"' in exports.parameters_json(
        record) or '"note": "you set π₁ to 0.30"' in exports.parameters_json(record)


def test_a_link_carries_a_record_set_by_hand():
    at = open_app()
    click(at, "Full iteration")
    _grab_on(at)
    _set_weight(at, 2, 1, 0.45)
    click(at, "Full iteration")
    link = params(at)
    assert link["at"] == "5" and link["moves"].startswith("3:")
    again = open_link(link)
    engine, original = _engine(again), _engine(at)
    assert [r.phase for r in engine.history] == ["init", "E", "M", "set", "E", "M"]
    for a, b in zip(engine.history, original.history):
        assert a.log_likelihood == b.log_likelihood  # bit for bit: repr'd numbers
    np.testing.assert_array_equal(engine.history[3].weights, original.history[3].weights)
    assert metrics(again) == metrics(at)
    assert params(again) == link


def test_a_tampered_moves_parameter_gives_a_notice():
    at = open_link({"at": "3", "moves": "3:1,2,x"})
    assert any("moves" in w.value for w in at.warning)
    assert [r.phase for r in _engine(at).history] == ["init", "E", "M", "E"]


def test_try_to_beat_em():
    at = open_app()
    click(at, "Run to convergence")
    click(at, "Try to beat EM")
    engine = _engine(at)
    assert len(engine.history) == 1 and at.session_state["s_grab_on"] is True
    em_alone = _first_screen(0)
    em_alone.run(1000)
    [info] = [i.value for i in at.info if "EM alone" in i.value]
    assert f"EM alone from this start reaches log L = {em_alone.log_likelihood:,.1f}" in info
    _set_weight(at, 0, 2, 0.5)
    click(at, "Let EM go on from my placement")
    mine = engine.history[1]
    copy = EMEngine.from_parameters(X, mine.params, reg_covar=1e-6, tol=1e-3)
    copy.run(100)
    [done] = [s.value for s in at.success if "Your placement" in s.value]
    assert f"Your placement: log L = {mine.log_likelihood:,.1f}" in done
    assert (f"EM climbed {copy.log_likelihood - mine.log_likelihood:,.1f} above you in "
            f"{copy.n_iter} iteration(s)") in done
