"""An uploaded CSV with a weight column, through AppTest: the run uses it as sample_weight,
the code shown passes it, bad weights give an error and keep the data."""

import numpy as np

from ..apptest import article_example_state, click, open_app
from .test_page import engine_of, upload

ROWS = [(i % 7, (i * 3) % 11, 1 + i % 4) for i in range(60)]
RAW = b"x,y,count\n" + b"\n".join(f"{x},{y},{c}".encode() for x, y, c in ROWS)


def test_a_weight_column_weighs_the_rows_and_is_in_the_code():
    at = open_app(**article_example_state(init="random data points"))
    upload(at, "weighted.csv", RAW)
    at.selectbox(key="upload_weight_column").select("count").run()
    assert not at.exception, at.exception
    click(at, "Full iteration")
    engine = engine_of(at)
    np.testing.assert_array_equal(engine.sample_weight, [c for _, _, c in ROWS])
    assert engine.total_weight == sum(c for _, _, c in ROWS)
    assert any("sample_weight=w" in c.value for c in at.code)
    assert any("weighs its 'count' value" in c.value for c in at.sidebar.caption)


def test_a_negative_weight_is_an_error_and_the_data_stay():
    at = open_app(**article_example_state(init="random data points"))
    upload(at, "weighted.csv", RAW + b"\n1,2,-3")
    before = at.session_state["data"]
    at.selectbox(key="upload_weight_column").select("count").run()
    assert any("negative value" in e.value for e in at.error), [e.value for e in at.error]
    assert at.session_state["data"] is before
