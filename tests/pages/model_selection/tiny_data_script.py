"""AppTest script: the page on 5 points (K > n for most of the grid), reg_covar from the
session ("s_reg_covar"). The sidebar's data_ui is swapped only for this run: AppTest scripts
share the process's modules with every other test."""

import numpy as np

from gmm_core.datasets import Dataset
from pages.model_selection import render
from ui import widgets

X = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [1.0, 1.0], [2.0, 0.5]])
original = widgets.data_ui
widgets.data_ui = lambda: Dataset("Five points", X, ("x", "y"))
try:
    render()
finally:
    widgets.data_ui = original
