"""Bundled and synthetic data sets for teaching EM.

Every loader returns a :class:`Dataset`: the data ``X`` (n, d), optional true ``labels``,
feature names and a note (for example how many rows with missing values were dropped).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources

import numpy as np


@dataclass(frozen=True, eq=False)
class Dataset:
    """Data to fit: ``X`` of shape (n, d) with d in {1, 2} for the app, any d for the engine."""

    name: str
    X: np.ndarray
    feature_names: tuple[str, ...]
    labels: np.ndarray | None = None
    label_names: tuple[str, ...] = ()
    note: str = ""
    n_dropped: int = 0
    #: Whether the columns measure one kind of quantity in one unit (synthetic x and y, iris
    #: cm and cm, standardised data), so that equal axis scales show true shapes. Otherwise
    #: each axis gets its own scale, or the data would be a sliver of the chart.
    same_units: bool = True
    #: Weight w_i >= 0 of each row (an uploaded CSV's weight column), or None: every row once.
    sample_weight: np.ndarray | None = None


#: Cells read as missing (R's "NA" in penguins.csv, and an empty cell).
_MISSING = {"", "NA", "NaN", "nan"}


def _read_csv(filename: str) -> dict[str, np.ndarray]:
    """A bundled CSV as {column: array of str}, in the file's column order (no pandas: the
    engine's dependencies stay NumPy, SciPy and scikit-learn)."""
    text = resources.files("gmm_core").joinpath("data", filename).read_text(encoding="utf-8")
    header, *rows = csv.reader(io.StringIO(text))
    cells = np.array(rows, dtype=str).reshape(len(rows), len(header))
    return {name: cells[:, j] for j, name in enumerate(header)}


def _numbers(column: np.ndarray) -> np.ndarray:
    """Cells as floats, NaN where missing."""
    return np.array([np.nan if c in _MISSING else float(c) for c in column])


def load_faithful() -> Dataset:
    """Old Faithful eruptions: 272 rows of (eruptions [min], waiting [min]).

    Both in minutes, but an eruption's length and the wait for the next are different
    quantities whose spreads differ 15×: not ``same_units``.
    """
    frame = _read_csv("faithful.csv")
    X = np.column_stack([_numbers(column) for column in frame.values()])
    return Dataset("Old Faithful", X, tuple(frame), same_units=False)


PENGUIN_NUMERIC = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g")


def load_penguins(columns=("bill_length_mm", "flipper_length_mm")) -> Dataset:
    """Palmer penguins, chosen numeric columns; rows with a missing value there are dropped.

    The number of dropped rows is in ``n_dropped`` and said in ``note``; species are the
    true labels. Not ``same_units``: measures of different body parts (and a mass in g)
    whose spreads differ 2-20×.
    """
    columns = tuple(columns)
    unknown = [c for c in columns if c not in PENGUIN_NUMERIC]
    if unknown or not columns:
        raise ValueError(
            f"Unknown penguin column(s) {unknown}: choose from {', '.join(PENGUIN_NUMERIC)}."
        )
    frame = _read_csv("penguins.csv")
    X = np.column_stack([_numbers(frame[c]) for c in columns])
    keep = ~np.isnan(X).any(axis=1)
    dropped = int(len(X) - keep.sum())
    species, codes = np.unique(frame["species"][keep], return_inverse=True)
    note = (
        f"Dropped {dropped} of {len(X)} rows with a missing value in "
        f"{', '.join(columns)}." if dropped else ""
    )
    return Dataset("Penguins", X[keep], columns,
                   labels=codes, label_names=tuple(str(s) for s in species), note=note,
                   n_dropped=dropped, same_units=False)


IRIS_FEATURES = ("sepal length (cm)", "sepal width (cm)", "petal length (cm)",
                 "petal width (cm)")


def load_iris_features(columns=("petal length (cm)", "petal width (cm)")) -> Dataset:
    """Fisher's iris (from scikit-learn), chosen features, species as labels."""
    from sklearn.datasets import load_iris

    iris = load_iris()
    idx = [IRIS_FEATURES.index(c) for c in columns]
    return Dataset("Iris", iris.data[:, idx].astype(float), tuple(columns),
                   labels=iris.target.copy(), label_names=tuple(iris.target_names))


# --------------------------------------------------------------------------------------
# Synthetic sets: each takes n (total points, roughly) and a seed.


def _blobs(name, rng, centers, covs, sizes, note=""):
    parts = [rng.multivariate_normal(c, s, size=m) for c, s, m in zip(centers, covs, sizes)]
    labels = np.concatenate([np.full(m, i) for i, m in enumerate(sizes)])
    return Dataset(name, np.vstack(parts), ("x", "y"), labels=labels,
                   label_names=tuple(f"cluster {i + 1}" for i in range(len(sizes))), note=note)


def _split(n, fractions):
    sizes = [max(1, int(round(n * f))) for f in fractions]
    sizes[0] += n - sum(sizes)
    return sizes


def make_article_example(n=600, seed=0) -> Dataset:
    """The source article's data, drawn exactly as its code draws them.

    ``np.random.seed(seed)``; n/2 points ``randn(n/2, 2) - [20, 20]`` and n/2 points
    ``randn(n/2, 2) @ [[0, -0.1], [1.7, 0.4]]``, stacked and shuffled with
    ``np.random.shuffle``: at n = 600, seed 0 this is the article's ``X_train`` bit for bit.
    A private ``RandomState`` stands in for the global one (same stream, no side effects).
    """
    rng = np.random.RandomState(seed)
    half = n // 2
    shifted = rng.randn(half, 2) - np.array([20.0, 20.0])
    stretched = rng.randn(n - half, 2) @ np.array([[0.0, -0.1], [1.7, 0.4]])
    X = np.vstack([shifted, stretched])
    labels = np.r_[np.zeros(half, int), np.ones(n - half, int)]
    # RandomState.shuffle moves whole rows with the same draws for any row shape, so
    # shuffling the row numbers gives the permutation it applies to X_train.
    order = np.arange(n)
    rng.shuffle(order)
    return Dataset("Article example", X[order], ("x", "y"), labels=labels[order],
                   label_names=("shifted", "stretched"))


def make_separated_blobs(n=600, seed=0) -> Dataset:
    rng = np.random.default_rng(seed)
    centers = [(-6, 0), (0, 6), (6, 0)]
    return _blobs("Well-separated blobs", rng, centers, [np.eye(2)] * 3, _split(n, [1 / 3] * 3))


def make_overlapping_blobs(n=600, seed=0) -> Dataset:
    rng = np.random.default_rng(seed)
    centers = [(-1.5, 0), (1.5, 0.5), (0, 2.5)]
    covs = [np.eye(2) * 1.2, np.array([[1.5, 0.6], [0.6, 1.0]]), np.eye(2) * 0.8]
    return _blobs("Overlapping blobs", rng, centers, covs, _split(n, [1 / 3] * 3))


def make_cigars(n=600, seed=0) -> Dataset:
    """Long parallel clusters: k-means cuts across them, a full-covariance GMM does not."""
    rng = np.random.default_rng(seed)
    cov = np.array([[12.0, 0.0], [0.0, 0.15]])
    rot = np.array([[np.cos(0.5), -np.sin(0.5)], [np.sin(0.5), np.cos(0.5)]])
    cov = rot @ cov @ rot.T
    centers = [(0, -1.6), (0, 0), (0, 1.6)]
    return _blobs("Anisotropic cigars", rng, centers, [cov] * 3, _split(n, [1 / 3] * 3),
                  note="Elongated parallel clusters: a k-means start cuts across them.")


def make_unequal_sizes(n=600, seed=0) -> Dataset:
    rng = np.random.default_rng(seed)
    centers = [(0, 0), (5, 1), (2, 5)]
    covs = [np.eye(2) * 2.0, np.eye(2) * 0.3, np.eye(2) * 0.5]
    return _blobs("Unequal sizes", rng, centers, covs, _split(n, [0.75, 0.18, 0.07]))


def make_moons(n=600, seed=0) -> Dataset:
    """Two interleaved half-circles: a GMM needs several components per moon."""
    rng = np.random.default_rng(seed)
    a, b = _split(n, [0.5, 0.5])
    t1, t2 = rng.uniform(0, np.pi, a), rng.uniform(0, np.pi, b)
    upper = np.c_[np.cos(t1), np.sin(t1)]
    lower = np.c_[1 - np.cos(t2), 0.5 - np.sin(t2)]
    X = np.vstack([upper, lower]) * 3 + rng.normal(scale=0.25, size=(n, 2))
    labels = np.r_[np.zeros(a, int), np.ones(b, int)]
    return Dataset("Moons", X, ("x", "y"), labels=labels, label_names=("upper", "lower"),
                   note="Not Gaussian: try K = 6 or more to cover each moon with ellipses.")


def make_bimodal_1d(n=600, seed=0) -> Dataset:
    """1-D: two Gaussians, N(-2, 0.8²) with 40% and N(2.5, 1.2²) with 60% of the points."""
    rng = np.random.default_rng(seed)
    a, b = _split(n, [0.4, 0.6])
    X = np.r_[rng.normal(-2.0, 0.8, a), rng.normal(2.5, 1.2, b)][:, None]
    labels = np.r_[np.zeros(a, int), np.ones(b, int)]
    return Dataset("1-D bimodal", X, ("x",), labels=labels, label_names=("left", "right"))


#: Synthetic generators by the name the app shows.
SYNTHETIC = {
    "Article example (2 Gaussians)": make_article_example,
    "Well-separated blobs": make_separated_blobs,
    "Overlapping blobs": make_overlapping_blobs,
    "Anisotropic cigars": make_cigars,
    "Unequal cluster sizes": make_unequal_sizes,
    "Moons": make_moons,
    "1-D bimodal": make_bimodal_1d,
}
