"""ui.session: the one place an EMEngine is made from Settings, and the kept settings."""

import numpy as np
import pytest
import streamlit as st
from sklearn.mixture import GaussianMixture as SklearnGM

from gmm_core.datasets import make_cigars
from ui import session
from ui.session import Settings, build_engine
from ui.start import Start


def test_build_engine_matches_scikit_learn_from_the_same_start():
    X = make_cigars(300, seed=0).X
    settings = Settings(3, "diag", Start.KMEANS_PP, 4, 1e-6, 1e-3, 100)
    engine = build_engine(X, settings)
    engine.run(settings.max_iter)
    theirs = SklearnGM(3, covariance_type="diag", init_params="k-means++", random_state=4,
                       reg_covar=1e-6, tol=1e-3, max_iter=100).fit(X)
    assert engine.covariance_type == "diag" and engine.n_components == 3
    assert engine.log_likelihood / len(X) == pytest.approx(theirs.score(X), rel=1e-9)


def test_build_engine_from_placed_means():
    X = make_cigars(300, seed=0).X
    settings = Settings(2, "full", Start.CLICK, 0, 1e-6, 1e-3, 100)
    engine = build_engine(X, settings, [(-20.0, -20.0), (0.0, 0.0)])
    np.testing.assert_allclose(engine.history[0].means, [[-20, -20], [0, 0]])
    with pytest.raises(ValueError):
        build_engine(X[:3], Settings(5, "full", "kmeans", 0, 1e-6, 1e-3, 100))


def test_kept_values_survive_a_widget_cleanup(monkeypatch):
    ss = {}
    monkeypatch.setattr(st, "session_state", ss)
    args = session.kept("speed", "normal")
    assert args["key"] == "speed" and ss["speed"] == "normal"
    ss["speed"] = "fast"
    args["on_change"](*args["args"])  # the widget's callback keeps the new value
    del ss["speed"]  # Streamlit drops a widget's key on a page without it
    session.kept("speed", "normal")
    assert ss["speed"] == "fast" and session.kept_value("speed") == "fast"
    session.set_kept("speed", "slow")
    assert ss["speed"] == session.kept_value("speed") == "slow"
