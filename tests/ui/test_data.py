"""CSV uploads: usable files become data; unusable ones raise ValueError in plain words."""

import numpy as np
import pytest

from ui import data as data_mod


def table(text):
    return data_mod.read_csv_upload(text.encode())


def test_numeric_columns_are_kept_and_missing_rows_counted():
    t = table("name,a,b,c\nx,1,2,3\ny,4,,6\nz,7,8,9\nw,1.5,2.5,3.5\n")
    assert list(t.columns) == ["a", "b", "c"]
    ds = data_mod.dataset_from_table(t, ["a", "b"])
    np.testing.assert_array_equal(ds.X, [[1, 2], [7, 8], [1.5, 2.5]])
    assert ds.n_dropped == 1 and "Dropped 1 of 4 rows" in ds.note


def test_semicolon_separator_and_one_column():
    t = table("u;v\n1;2\n3;4\n5;7\n")
    ds = data_mod.dataset_from_table(t, ["v"], standardize=True)
    assert ds.X.shape == (3, 1)
    np.testing.assert_allclose([ds.X.mean(), ds.X.std()], [0, 1], atol=1e-12)


@pytest.mark.parametrize(
    "raw, words",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not text"),
        (b"\xff\xfe\xfa bad", "not UTF-8"),
        (b"only,text\nfoo,bar\nbaz,qux\n", "no numeric column"),
        (b'a,b\n1,"2\n3,4\n', "could not be read as CSV"),
    ],
)
def test_unusable_files_say_what_is_wrong(raw, words):
    with pytest.raises(ValueError, match=words) as info:
        data_mod.read_csv_upload(raw)
    assert "Accepted:" in str(info.value)


def test_too_large_file():
    with pytest.raises(ValueError, match="larger than 20 MB"):
        data_mod.read_csv_upload(b"a\n" + b"1\n" * (11 * 2**20))


@pytest.mark.parametrize(
    "text, words",
    [
        ("a,b\n1,2\ninf,3\n4,5\n", "infinite"),
        ("a,b\n1,2\n1e200,3\n4,5\n", "absurdly large"),
        ("a,b\n1,2\n,3\n", "Only 1 usable row"),
    ],
)
def test_unusable_values(text, words):
    with pytest.raises(ValueError, match=words):
        data_mod.dataset_from_table(table(text), ["a", "b"], min_rows=2)


def test_fewer_rows_than_components():
    with pytest.raises(ValueError, match="at least 5"):
        data_mod.dataset_from_table(table("a\n1\n2\n3\n"), ["a"], min_rows=5)


def test_menu_datasets_load():
    for name in data_mod.DATASET_NAMES:
        if name == data_mod.UPLOAD:
            continue
        ds = data_mod.load(name, n=200, seed=1)
        assert ds.X.ndim == 2 and ds.X.shape[1] in (1, 2) and np.isfinite(ds.X).all()
    with pytest.raises(ValueError, match="Unknown dataset"):
        data_mod.load("nope")


def test_a_weight_column_becomes_sample_weight():
    import pandas as pd

    table = pd.DataFrame({"x": [1.0, 2.0, 3.0, None], "y": [1.0, 0.0, 2.0, 5.0],
                          "n": [1.0, 3.0, None, 2.0]})
    d = data_mod.dataset_from_table(table, ["x", "y"], weight_column="n")
    assert d.X.tolist() == [[1.0, 1.0], [2.0, 0.0]]
    assert d.sample_weight.tolist() == [1.0, 3.0]
    assert d.n_dropped == 2 and "weighs its 'n' value" in d.note
    assert data_mod.standardized(d).sample_weight is d.sample_weight


@pytest.mark.parametrize("weights, match", [
    ([1.0, -1.0, 2.0], "negative value"),
    ([1.0, float("inf"), 2.0], "infinite"),
    ([0.0, 0.0, 1.0], "Only 1 row"),
])
def test_bad_weight_columns_are_refused_in_plain_words(weights, match):
    import pandas as pd

    table = pd.DataFrame({"x": [1.0, 2.0, 3.0], "n": weights})
    with pytest.raises(ValueError, match=match):
        data_mod.dataset_from_table(table, ["x"], weight_column="n")
    with pytest.raises(ValueError, match="cannot also be a data column"):
        data_mod.dataset_from_table(table, ["x", "n"], weight_column="n")
