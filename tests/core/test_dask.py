"""EM on a dask array (gmm_core.dask_backend) on a real 2-process distributed.LocalCluster.

Oracles: the in-memory EMEngine / GaussianMixture from the same start (itself held to
scikit-learn elsewhere) to 1e-10 relative, scikit-learn's GaussianMixture directly, and
a subprocess's sys.modules for "dask is imported only when needed".
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import dask.array as da
import numpy as np
import pytest
from distributed import Client, LocalCluster, get_task_stream
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as SklearnGM

from gmm_core import COVARIANCE_TYPES, EMEngine, GaussianMixture, dask_backend, make_engine

ROOT = Path(__file__).resolve().parents[2]
CHUNK = 700  # uneven blocks: 700, 700, 700, 700, 200 rows


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    X = np.concatenate([
        rng.normal([0.5, 1.0], 1.0, (1000, 2)),
        rng.normal([5.0, 5.0], [1.0, 0.6], (1200, 2)),
        rng.normal([0.0, 7.0], 0.5, (800, 2)),
    ])
    return X[rng.permutation(len(X))]


def assert_rel(actual, expected, rtol=1e-10):
    """max |actual − expected| <= rtol · max |expected| (relative in the max norm)."""
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    assert actual.shape == expected.shape
    err = np.max(np.abs(actual - expected))
    assert err <= rtol * np.max(np.abs(expected)), (err, np.max(np.abs(expected)))


FITTED = ("weights_", "means_", "covariances_", "precisions_cholesky_")


@pytest.mark.parametrize("cov", COVARIANCE_TYPES)
def test_fit_equals_in_memory_fit_and_runs_on_the_workers(client, data, cov):
    # 40 iterations from single points (tol=0): rounding differences have time to grow.
    kwargs = dict(covariance_type=cov, init_params="random_from_data", random_state=0,
                  tol=0, max_iter=40)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = GaussianMixture(3, **kwargs).fit(data)
        with get_task_stream(client) as stream:
            dsk = GaussianMixture(3, **kwargs).fit(da.from_array(data, chunks=(CHUNK, 2)))
    assert dsk.n_iter_ == ours.n_iter_ == 40
    for name in FITTED:
        assert_rel(getattr(dsk, name), getattr(ours, name))
    assert_rel(dsk.lower_bounds_, ours.lower_bounds_)
    # The E-steps ran as tasks on the cluster, one per block per iteration.
    kernels = [t for t in stream.data if "_block_statistics" in str(t["key"])]
    assert len(kernels) == 5 * dsk.n_iter_
    assert {t["worker"] for t in kernels} <= set(client.scheduler_info()["workers"])


def test_fit_agrees_with_scikit_learn(client, data):
    ref = SklearnGM(3, covariance_type="full", random_state=1, tol=1e-6).fit(data)
    dsk = GaussianMixture(3, covariance_type="full", random_state=1, tol=1e-6).fit(
        da.from_array(data, chunks=(CHUNK, 2)))
    assert dsk.n_iter_ == ref.n_iter_
    np.testing.assert_allclose(dsk.means_, ref.means_, rtol=1e-6)
    np.testing.assert_allclose(dsk.covariances_, ref.covariances_, rtol=1e-6)


def test_stepping_history_and_rewind_equal_in_memory(client, data):
    mem = EMEngine(data, 3, covariance_type="diag", random_state=3)
    dsk = make_engine(da.from_array(data, chunks=(CHUNK, 2)), 3, covariance_type="diag",
                      random_state=3)
    assert isinstance(dsk, dask_backend.DaskEMEngine)
    for engine in (mem, dsk):
        engine.e_step()
        engine.m_step()
        engine.step()
        engine.e_step()
    assert isinstance(dsk.responsibilities, da.Array)
    assert_rel(dsk.responsibilities.compute(), mem.responsibilities)
    assert len(dsk.history) == len(mem.history) == 6
    for a, b in zip(dsk.history, mem.history):
        assert (a.phase, a.iteration) == (b.phase, b.iteration)
        assert_rel(a.log_likelihood, b.log_likelihood)
        if b.lower_bound is not None:
            assert_rel(a.lower_bound, b.lower_bound)  # the ELBO after an M-step
        assert_rel(a.params.covariances, b.params.covariances)
    assert_rel(dsk.responsibilities_at(2).compute(), mem.responsibilities_at(2))
    dsk.rewind(2)
    mem.rewind(2)
    assert_rel(dsk.step().params.means, mem.step().params.means)


@pytest.mark.parametrize("init", ["kmeans", "k-means++"])
def test_start_on_a_sample_reaches_the_same_fit(client, data, init, monkeypatch):
    monkeypatch.setattr(dask_backend, "SAMPLE_ROWS", 600)  # of 3000 rows
    Xd = da.from_array(data, chunks=(CHUNK, 2))
    first = make_engine(Xd, 3, init=init, random_state=5)
    again = make_engine(Xd, 3, init=init, random_state=5)
    whole = EMEngine(data, 3, init=init, random_state=5)
    start, mem_start = first.history[0].params, whole.history[0].params
    np.testing.assert_array_equal(start.means, again.history[0].params.means)
    assert not np.allclose(start.means, mem_start.means, rtol=1e-10)  # the sample's start
    for engine in (first, whole):
        engine.tol = 1e-10
        engine.run(500)
    order = np.argsort(first.means[:, 0])
    np.testing.assert_allclose(first.means[order], whole.means[np.argsort(whole.means[:, 0])],
                               rtol=1e-6)


def test_predictions_are_lazy_dask_arrays_equal_to_in_memory(client, data):
    model = GaussianMixture(3, random_state=0).fit(data)
    Xd = da.from_array(data.astype(np.float32), chunks=(CHUNK, 2))
    X32 = data.astype(np.float32)
    for method in ("predict", "predict_proba", "score_samples"):
        lazy = getattr(model, method)(Xd)
        assert isinstance(lazy, da.Array), method
        expected = getattr(model, method)(X32)
        assert lazy.dtype == expected.dtype
        np.testing.assert_allclose(lazy.compute(), expected, rtol=1e-12, atol=1e-12)
    bad = da.from_array(np.where(np.arange(3000)[:, None] == 1500, np.nan, data),
                        chunks=(CHUNK, 2))
    lazy = model.predict(bad)  # nothing computed yet, so no error yet
    with pytest.raises(ValueError, match="rows 1400 to 2099"):
        lazy.compute()


def test_fit_predict_is_lazy_and_labels_match(client, data):
    labels = GaussianMixture(3, random_state=0).fit_predict(da.from_array(data, chunks=CHUNK))
    assert isinstance(labels, da.Array)
    np.testing.assert_array_equal(labels.compute(),
                                  GaussianMixture(3, random_state=0).fit_predict(data))


def test_nan_in_a_block_names_its_rows(client, data):
    X = data.copy()
    X[1500, 1] = np.nan
    X[1600, 0] = np.inf
    with pytest.raises(ValueError, match=r"rows 1400 to 2099 \(first at row 1500, 2 rows"):
        GaussianMixture(3).fit(da.from_array(X, chunks=(CHUNK, 2)))


def test_unknown_chunk_sizes_ask_for_compute_chunk_sizes(client, data):
    Xd = da.from_array(data, chunks=(CHUNK, 2))
    filtered = Xd[Xd[:, 0] > -100]
    with pytest.raises(ValueError, match=r"compute_chunk_sizes\(\)"):
        make_engine(filtered, 3)
    engine = make_engine(filtered.compute_chunk_sizes(), 3, random_state=0)
    assert engine.n_samples == 3000


def test_column_chunks_are_rechunked_to_whole_rows(client, data):
    by_columns = da.from_array(data, chunks=(CHUNK, 1))
    dsk = GaussianMixture(3, random_state=0).fit(by_columns)
    ours = GaussianMixture(3, random_state=0).fit(data)
    assert_rel(dsk.covariances_, ours.covariances_)


@pytest.mark.parametrize("bad, match", [
    (da.zeros((10, 2, 2), chunks=5), "1-D .* or 2-D"),
    (da.from_array(np.ones((10, 2)) * 1j, chunks=5), "complex"),
    (da.from_array(np.array([["a", "b"]] * 10), chunks=5), "numeric"),
    (da.from_array(np.ones((2, 2)), chunks=1), "n_samples >= n_components"),
    (da.from_array(np.full((10, 2), 1e200), chunks=5), "too large to square"),
])
def test_bad_dask_input_raises_value_error_naming_the_fix(client, bad, match):
    with pytest.raises(ValueError, match=match):
        GaussianMixture(3).fit(bad)


def test_integer_data_and_wrong_feature_count(client, data):
    ints = da.from_array(np.rint(data * 10).astype(np.int64), chunks=(CHUNK, 2))
    model = GaussianMixture(3, random_state=0).fit(ints)
    ref = GaussianMixture(3, random_state=0).fit(np.rint(data * 10))
    assert_rel(model.means_, ref.means_)
    with pytest.raises(ValueError, match="3 features, but GaussianMixture is expecting 2"):
        model.predict(da.zeros((10, 3), chunks=5))


def test_numpy_fit_never_imports_dask():
    code = textwrap.dedent("""
        import sys
        import numpy as np
        import gmm_core
        X = np.random.default_rng(0).normal(size=(200, 2))
        model = gmm_core.GaussianMixture(2, random_state=0).fit(X)
        model.predict_proba(X)
        gmm_core.EMEngine(X, 2, random_state=0).step()
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed")))
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"
