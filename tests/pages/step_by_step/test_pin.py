"""Pinning a component's mean on Step by step (AppTest): a new run with that mean frozen,
the other components adapt, the code shown carries ``frozen``."""

import numpy as np

from ..apptest import article_example_state, click, open_app
from .test_page import engine_of


def test_a_pinned_mean_stays_while_the_others_move():
    at = open_app(**article_example_state(init="random data points"))
    at.multiselect(key="pinned_means").select(2).run()
    assert not at.exception, at.exception
    engine = engine_of(at)
    assert engine.frozen.means == (1,)
    assert any("pinned means changed" in t.value for t in at.toast)
    start = engine.history[0].params
    click(at, "Run to convergence")
    engine = engine_of(at)
    assert engine.n_iter > 1
    np.testing.assert_array_equal(engine.means[1], start.means[1])
    assert np.abs(engine.means[0] - start.means[0]).max() > 0.1  # the other one adapts
    lls = [r.log_likelihood for r in engine.history]
    assert all(b >= a - 1e-9 * abs(a) for a, b in zip(lls, lls[1:]))
    assert any("frozen={'means': [1]}" in c.value for c in at.code)


def test_unpinning_and_lowering_k_drop_the_pin():
    at = open_app(**article_example_state(init="random data points"))
    at.slider(key="K").set_value(3).run()
    at.multiselect(key="pinned_means").select(3).run()
    assert engine_of(at).frozen.means == (2,)
    at.slider(key="K").set_value(2).run()
    assert not at.exception, at.exception
    assert not engine_of(at).frozen
