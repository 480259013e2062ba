"""gmm_core: a steppable EM engine for Gaussian mixtures, and a scikit-learn estimator on it.

Pure NumPy/SciPy/scikit-learn; no Streamlit or Plotly here.
"""

from ._estep import COLLAPSE_THRESHOLD, MixtureParameters, SufficientStatistics
from ._gaussian import COVARIANCE_DESCRIPTIONS, COVARIANCE_TYPES, n_parameters
from ._validation import INIT_METHODS, MAX_ABS_VALUE
from .engine import EMEngine, EMRecord, initial_responsibilities
from .mixture import GaussianMixture
from .starts import placed_means_start

__all__ = [
    "COLLAPSE_THRESHOLD",
    "COVARIANCE_DESCRIPTIONS",
    "COVARIANCE_TYPES",
    "EMEngine",
    "EMRecord",
    "GaussianMixture",
    "INIT_METHODS",
    "MAX_ABS_VALUE",
    "MixtureParameters",
    "SufficientStatistics",
    "initial_responsibilities",
    "n_parameters",
    "placed_means_start",
]
