"""AppTest script: the page on 5 points (K > n for most of the grid), reg_covar from the
session ("s_reg_covar"). The sidebar's data_ui is swapped only for this run: AppTest scripts
share the process's modules with every other test."""

import numpy as np

from app_pages.model_selection import render
from gmm_core.datasets import Dataset
from ui import sidebar

X = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [1.0, 1.0], [2.0, 0.5]])
original = sidebar.data_ui
sidebar.data_ui = lambda: Dataset("Five points", X, ("x", "y"))
try:
    render()
finally:
    sidebar.data_ui = original
