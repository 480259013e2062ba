"""The maths behind EM Playground's pages, built on gmm_core's public API.

gmm_core is the library (the estimator and what it needs); this package holds what only the
app's pages teach with: model-selection criteria, cost timing and the degeneracy lab
(Model selection), clustering, densities, anomalies and projections (Applications), and the
Lesson's one-dimensional maths. Pure NumPy/SciPy/scikit-learn/pandas; no Streamlit or Plotly.

================ =========================================================================
criteria.py      BIC/AIC/ICL grid, degenerate fits, held-out curves, Dirichlet process
cost.py          EM timing and memory against N
degeneracy.py    the degeneracy lab: a component collapsing onto one point
applications.py  clustering vs k-means, densities vs KDE
anomaly.py       anomaly thresholds and precision-recall
projection.py    PCA and projected covariances WᵀΣW
lesson.py        the Lesson's 1-D mixture maths
restarts.py      the restarts study's n_init table (Initializations)
================ =========================================================================
"""
