"""gmm_core as people install it: ``python -m build`` makes an sdist and a wheel, and the
wheel installed into a fresh virtualenv (no checkout on the path) loads every bundled
dataset, fits, and runs the Dask backend with the ``[dask]`` extra.

The build runs without isolation (the dev requirements carry setuptools >= 77), so nothing
is downloaded. The fresh venv sees the shared environment's site-packages through a .pth
file, as ``--system-site-packages`` would, and pip installs the wheel with ``--no-index``:
every dependency must already be satisfied, and the wheel's metadata is checked to pull no
app package (Streamlit, Plotly).
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent("""
    import sys, warnings
    from pathlib import Path
    import numpy as np
    import gmm_core
    from gmm_core import GaussianMixture, datasets

    where = Path(gmm_core.__file__).resolve()
    assert where.is_relative_to(Path(sys.prefix).resolve()), where
    loaded = [datasets.load_faithful(), datasets.load_penguins(),
              datasets.load_iris_features()]
    loaded += [make(n=300, seed=0) for make in datasets.SYNTHETIC.values()]
    warnings.simplefilter("ignore")
    for data in loaded:
        gm = GaussianMixture(2, random_state=0).fit(data.X)
        assert np.isfinite(gm.score(data.X)), data.name
        print(data.name, len(data.X), round(gm.score(data.X), 4))
    faithful = loaded[0].X
    w = np.arange(len(faithful)) % 3
    GaussianMixture(2, random_state=0, frozen={"means": [0]}).fit(faithful, sample_weight=w)
    import dask, dask.array as da
    from gmm_core import dask_backend
    with dask.config.set(scheduler="synchronous"):
        on_dask = GaussianMixture(2, random_state=0).fit(da.from_array(faithful, chunks=100))
    in_memory = GaussianMixture(2, random_state=0).fit(faithful)
    assert np.allclose(on_dask.means_, in_memory.means_, rtol=1e-9), dask_backend.__file__
    print("ok", where)
""")


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out),
                    str(ROOT)], check=True, capture_output=True, text=True, cwd=out)
    return out


def test_sdist_and_wheel_carry_the_data_and_the_licence(dist):
    [wheel] = dist.glob("*.whl")
    [sdist] = dist.glob("*.tar.gz")
    names = zipfile.ZipFile(wheel).namelist()
    assert {"gmm_core/data/faithful.csv", "gmm_core/data/penguins.csv"} <= set(names)
    assert any(n.endswith("licenses/LICENSE") for n in names)
    assert not any(n.startswith(("app_pages/", "ui/", "lab_maths/", "tests/")) for n in names)
    metadata = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith("METADATA"))).decode()
    assert "License-Expression: BSD-3-Clause" in metadata
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist")]
    assert not any(app in line.lower() for line in requires for app in ("streamlit", "plotly"))
    assert any("dask[array]" in line and 'extra == "dask"' in line for line in requires)
    members = tarfile.open(sdist).getnames()
    assert any(m.endswith("gmm_core/data/faithful.csv") for m in members)
    assert any(m.endswith("/LICENSE") for m in members)


def test_the_wheel_installs_into_a_fresh_venv_and_works(dist, tmp_path):
    [wheel] = dist.glob("*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # The shared environment's packages (numpy, scipy, scikit-learn, dask...), after the
    # venv's own: like --system-site-packages, without any download.
    Path(site, "shared_env.pth").write_text(sysconfig.get_path("purelib") + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    install = subprocess.run(
        [python, "-m", "pip", "install", "--no-index", "--quiet", f"{wheel}[dask]"],
        capture_output=True, text=True, cwd=tmp_path, env=env)
    assert install.returncode == 0, install.stdout + install.stderr
    run = subprocess.run([python, "-c", SCRIPT], capture_output=True, text=True,
                         cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Old Faithful 272" in run.stdout
    assert f"ok {Path(site).resolve()}" in run.stdout
