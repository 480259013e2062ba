"""The Initializations page's restarts study: its fits, its n_init table and sentence."""

import numpy as np
import pandas as pd
import pytest

from app_pages.initializations import study
from gmm_core import EMEngine
from gmm_core.datasets import make_cigars
from lab_maths.restarts import n_init_table
from ui.session import Settings
from ui.start import Start

SETTINGS = Settings(3, "full", "kmeans", 0, 1e-6, 1e-3, 100)


def test_restarts_match_independent_engines():
    data = make_cigars(300, seed=1)
    results = study.restarts(data, SETTINGS, ["k-means++", "random data points"], 5)
    assert len(results) == 10
    for _, row in results.iterrows():
        engine = EMEngine(data.X, 3, init=Start(row.method).engine_init,
                          random_state=int(row.seed))
        engine.run(100)
        assert row.stop_ll == pytest.approx(engine.log_likelihood, rel=1e-12)
        assert row.final_ll >= row.stop_ll - 1e-9  # the check only climbs on
        assert row.n_iter == engine.n_iter


def test_n_init_table_and_sentence():
    results = pd.DataFrame({"method": ["a"] * 4 + ["b"] * 2,
                            "final_ll": [-1.0, -1.05, -3.0, -3.0, -1.0, -1.0]})
    table = n_init_table(results).set_index("method")
    assert table.loc["a", "share reaching the best"] == 0.5
    assert table.loc["a", "n_init for 95 %"] == 5  # 0.5**5 < 0.05 <= 0.5**4
    assert table.loc["b", "n_init for 95 %"] == 1
    sentence = study.n_init_sentence(table.reset_index())
    assert "50% of a starts reached it, so n_init = 5" in sentence
    assert "every b start reached it" in sentence
    never = n_init_table(pd.DataFrame({"method": ["a", "b"], "final_ll": [-1.0, -5.0]}))
    assert np.isnan(never.set_index("method").loc["b", "n_init for 95 %"])
    assert "no b start reached it" in study.n_init_sentence(never)
