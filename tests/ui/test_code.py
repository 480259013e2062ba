"""The "Show the code" code runs as it is and ends where the app's engine ends (to 1e-7)."""

import contextlib
import io

import numpy as np
import pytest

from gmm_core import datasets
from ui import data as data_mod
from ui.code import DataSpec, sklearn_code
from ui.session import Settings, build_engine


def run_code(code):
    namespace = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "<generated>", "exec"), namespace)  # noqa: S102
    return namespace


def settings(**kw):
    base = dict(n_components=3, covariance_type="full", init="kmeans", seed=0,
                reg_covar=1e-6, tol=1e-3, max_iter=100)
    return Settings(**{**base, **kw})


CASES = [
    (DataSpec("Article example (2 Gaussians)", n=600, seed=0), settings(n_components=2)),
    (DataSpec("Unequal cluster sizes", n=600, seed=1), settings()),
    (DataSpec("Overlapping blobs", n=400, seed=2),
     settings(init="random", covariance_type="diag", tol=1e-5)),
    (DataSpec("Old Faithful"), settings(n_components=2, init="k-means++", seed=3)),
    (DataSpec("Iris", columns=("sepal length (cm)", "petal width (cm)")),
     settings(covariance_type="tied", init="random_from_data")),
]


@pytest.mark.parametrize("spec, chosen", CASES, ids=[c[0].name for c in CASES])
def test_the_generated_code_reproduces_data_and_run(spec, chosen):
    X = data_mod.load(spec.name, n=spec.n, seed=spec.seed, columns=spec.columns).X
    ns = run_code(sklearn_code(spec, chosen))
    assert np.array_equal(ns["X"], X)
    engine = build_engine(X, chosen)
    engine.run(chosen.max_iter)
    gm = ns["gm"]
    assert gm.n_iter_ == engine.n_iter
    params = engine.params
    np.testing.assert_allclose(gm.weights_, params.weights, atol=1e-7)
    np.testing.assert_allclose(gm.means_, params.means, atol=1e-7)
    np.testing.assert_allclose(gm.covariances_, params.covariances, atol=1e-7)


def test_the_articles_data_are_written_as_the_articles_numpy_recipe():
    code = sklearn_code(DataSpec("Article example (2 Gaussians)"), settings(n_components=2))
    assert "gmm_core" not in code and "np.random.seed(0)" in code
    assert np.array_equal(run_code(code)["X"], datasets.make_article_example(600, 0).X)


def test_a_start_by_clicked_means_is_written_out():
    X = datasets.make_unequal_sizes(600, seed=1).X
    chosen = settings(init="click")
    placed = [tuple(X[0]), tuple(X[100]), tuple(X[400])]
    engine = build_engine(X, chosen, placed)
    code = sklearn_code(DataSpec("Unequal cluster sizes", n=600, seed=1), chosen,
                        start=engine.history[0].params)
    engine.run(chosen.max_iter)
    gm = run_code(code)["gm"]
    np.testing.assert_allclose(gm.means_, engine.params.means, atol=1e-7)


def test_an_upload_says_how_to_load_it():
    code = sklearn_code(DataSpec("upload", columns=("a", "b"), standardize=True), settings())
    assert "read_csv" in code and "['a', 'b']" in code and "standardised" in code


def test_spec_from_the_session_key():
    assert DataSpec.from_key(("Moons", 300, 4)) == DataSpec("Moons", n=300, seed=4)
    assert DataSpec.from_key(("Old Faithful",)) == DataSpec("Old Faithful")
    assert DataSpec.from_key(("upload", "abc", ("x", "y"), True)).standardize


def test_a_weighted_upload_runs_with_sample_weight(tmp_path, monkeypatch):
    """The code for an upload with a weight column executes and ends where the app ends."""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (40, 2)), rng.normal(4, 1, (40, 2))])
    w = rng.integers(1, 5, size=80)
    csv = "a,b,count\n" + "\n".join(f"{x!r},{y!r},{c}" for (x, y), c in zip(X.tolist(), w))
    (tmp_path / "your_file.csv").write_text(csv)
    monkeypatch.chdir(tmp_path)
    table = data_mod.read_csv_upload(csv.encode())
    dataset = data_mod.dataset_from_table(table, ["a", "b"], weight_column="count")
    spec = DataSpec.from_key(("upload", "digest", ("a", "b"), ("weight", "count")))
    assert spec.weight_column == "count" and not spec.standardize
    chosen = settings(n_components=2)
    code = sklearn_code(spec, chosen)
    assert "sample_weight=w" in code and "from gmm_core import GaussianMixture" in code
    ns = run_code(code)
    engine = build_engine(dataset.X, chosen, sample_weight=dataset.sample_weight)
    engine.run(chosen.max_iter)
    assert ns["gm"].n_iter_ == engine.n_iter
    np.testing.assert_allclose(ns["gm"].means_, engine.params.means, atol=1e-7)
    # and it is the fit of the rows repeated `count` times
    repeated = build_engine(np.repeat(dataset.X, w, axis=0), chosen)
    repeated.run(chosen.max_iter)
    np.testing.assert_allclose(engine.params.means, repeated.params.means, atol=1e-9)


def test_an_unstandardised_upload_key_reads():
    spec = DataSpec.from_key(("upload", "abc", ("x", "y")))
    assert spec == DataSpec("upload", columns=("x", "y"))
    assert DataSpec.from_key(("upload", "abc", ("x",), ("weight", "n"), "standardised")) == \
        DataSpec("upload", columns=("x",), standardize=True, weight_column="n")


def test_pinned_means_are_written_as_frozen_and_the_code_ends_where_the_app_ends():
    spec = DataSpec("Unequal cluster sizes", n=600, seed=1)
    chosen = settings(init="random_from_data", seed=2)
    X = data_mod.load(spec.name, n=spec.n, seed=spec.seed).X
    engine = build_engine(X, chosen, frozen={"means": [1]})
    code = sklearn_code(spec, chosen, frozen=engine.frozen.as_dict())
    assert "frozen={'means': [1]}" in code and "from gmm_core import GaussianMixture" in code
    start = engine.params
    engine.run(chosen.max_iter)
    gm = run_code(code)["gm"]
    assert gm.n_iter_ == engine.n_iter
    np.testing.assert_array_equal(gm.means_[1], start.means[1])
    np.testing.assert_allclose(gm.means_, engine.params.means, atol=1e-7)
