"""lab_maths.cost: EM timing and memory against N, within a time budget."""

import numpy as np
import pandas as pd
import pytest

from lab_maths import cost


def test_measures_each_size_until_the_budget_is_spent():
    table = cost.measure_iterations((2000, 200), n_components=2, n_features=2,
                                    covariance_type="diag", n_iter=2, budget_seconds=60)
    assert list(table.n_samples) == [200, 2000]  # ascending
    assert table.measured.all()
    for col in ("engine_seconds", "sklearn_seconds", "engine_peak_mib", "sklearn_peak_mib"):
        assert (table[col] > 0).all(), col
    # Definition: an n × K float64 matrix.
    assert table.responsibilities_mib.tolist() == pytest.approx(
        [200 * 2 * 8 / 2**20, 2000 * 2 * 8 / 2**20])
    # The engine holds at least the 2000 × 2 responsibilities of its random start.
    assert table.engine_peak_mib.iloc[1] >= table.responsibilities_mib.iloc[1]


def test_nothing_is_measured_without_budget():
    seen = []
    table = cost.measure_iterations((100, 1000), budget_seconds=0.0,
                                    progress=lambda d, t, w: seen.append(d))
    assert not table.measured.any() and table.engine_seconds.isna().all()
    assert seen == [1, 2]
    assert cost.scaling_law(table).isna().all()


def test_scaling_law_is_proportional_to_n_through_the_largest_measured():
    table = pd.DataFrame(dict(n_samples=[10, 100, 1000], engine_seconds=[1.0, 2.0, np.nan],
                              measured=[True, True, False]))
    np.testing.assert_allclose(cost.scaling_law(table), [0.2, 2.0, 20.0])
