"""gmm_core: a steppable EM engine for Gaussian mixtures, and a scikit-learn estimator on it.

Pure NumPy/SciPy/scikit-learn; no Streamlit or Plotly here. Where things are:

================ =========================================================================
covariance.py    the four covariance types, one object each (shapes, Cholesky, scatter)
parameters.py    MixtureParameters: weights, means, covariances; densities, predictions
statistics.py    SufficientStatistics: N_z, weighted means, centred scatter; Chan merge
estep.py         the E-step: one streaming chunked pass -> responsibilities, statistics
estep_tied.py    a tied fit's pass with many features: statistics pooled over components
mstep.py         the M-step: parameters from statistics; the ELBO (lower bound)
reference.py     the same E- and M-step written plainly and densely (the test oracle)
starts.py        starting points: scikit-learn's init_params and user-placed means
record.py        EMRecord: an immutable snapshot after each half-step
io.py            parameters to and from plain dicts / JSON, checked (exports, file starts)
engine.py        EMEngine: step, run, rewind, history
backends.py      make_engine: EMEngine, or DaskEMEngine for a dask array
mixture.py       GaussianMixture: the scikit-learn estimator on EMEngine
dask_backend.py  the same EM on a dask array (imported only when one is given)
restarts.py      many starts of EM and the n_init arithmetic
squarem.py       SQUAREM: accelerated EM to a maximum (Model selection's criteria)
datasets.py      bundled and synthetic data sets
================ =========================================================================

The maths of the app's pages (criteria, applications, the Lesson) is in ``lab_maths``, a
client of this package's public API.
"""

from ._validation import INIT_METHODS, MAX_ABS_VALUE
from .backends import make_engine
from .covariance import (
    COVARIANCE_DESCRIPTIONS,
    COVARIANCE_TYPES,
    DIAG,
    FULL,
    SPHERICAL,
    TIED,
    CovarianceType,
    covariance_type,
    n_parameters,
)
from .engine import EMEngine
from .io import (
    PARAMETERS_FORMAT,
    parameters_from_dict,
    parameters_from_json,
    parameters_to_dict,
    parameters_to_json,
)
from .mixture import GaussianMixture
from .mstep import COLLAPSE_THRESHOLD, MStepResult
from .parameters import MixtureParameters
from .record import EMRecord, History
from .starts import initial_responsibilities, placed_means_start, start_parameters
from .statistics import SufficientStatistics

__all__ = [
    "COLLAPSE_THRESHOLD",
    "COVARIANCE_DESCRIPTIONS",
    "COVARIANCE_TYPES",
    "DIAG",
    "FULL",
    "SPHERICAL",
    "TIED",
    "CovarianceType",
    "EMEngine",
    "EMRecord",
    "GaussianMixture",
    "History",
    "INIT_METHODS",
    "MAX_ABS_VALUE",
    "MStepResult",
    "MixtureParameters",
    "PARAMETERS_FORMAT",
    "SufficientStatistics",
    "covariance_type",
    "initial_responsibilities",
    "make_engine",
    "n_parameters",
    "parameters_from_dict",
    "parameters_from_json",
    "parameters_to_dict",
    "parameters_to_json",
    "placed_means_start",
    "start_parameters",
]
