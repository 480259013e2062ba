"""The app's thread policy holds in every Streamlit script run, not only the first.

libgomp (scikit-learn's OpenMP) keeps its thread count per thread, and each script run is a
new thread: only ``OMP_NUM_THREADS``, read when libgomp loads, reaches them all. Each case
runs in a fresh interpreter (this one has long loaded scikit-learn), without the variable.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = r'''
import sys
if sys.argv[1] == "sklearn-first":
    import sklearn.cluster  # noqa: F401  (loads libgomp before ui.threads can set the variable)
from streamlit.testing.v1 import AppTest

script = """
import ui.threads
import streamlit as st
from threadpoolctl import threadpool_info
for pool in threadpool_info():
    st.text(f"{pool['user_api']} {pool['num_threads']}")
"""
at = AppTest.from_string(script, default_timeout=120)
for _ in range(2):  # the second run is another script thread
    at.run()
    print(sorted(t.value for t in at.text))
'''


def pools_per_run(case: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-c", PROBE, case], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()


def test_every_script_run_has_one_blas_and_one_openmp_thread():
    runs = pools_per_run("app")
    assert runs == ["['blas 1', 'blas 1', 'openmp 1']"] * 2


def test_the_probe_sees_openmp_threads_when_scikit_learn_loads_first():
    # the fault the variable prevents: the limit held only for the thread that set it
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: libgomp's default is one thread anyway, nothing to tell apart")
    first, second = pools_per_run("sklearn-first")
    assert "openmp 1" in first  # the thread that imported ui.threads
    openmp = [pool for pool in eval(second) if pool.startswith("openmp")]
    assert openmp and openmp != ["openmp 1"]
