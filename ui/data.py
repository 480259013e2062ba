"""Data the app can show: the dataset menu and CSV uploads (pure functions, no Streamlit)."""

from __future__ import annotations

import csv
import dataclasses
import io

import numpy as np
import pandas as pd

from gmm_core import MAX_ABS_VALUE, datasets

UPLOAD = "Upload CSV"
FAITHFUL = "Old Faithful"
PENGUINS = "Penguins"
IRIS = "Iris"

#: Menu order of the "Dataset" select box.
DATASET_NAMES = (*datasets.SYNTHETIC, FAITHFUL, PENGUINS, IRIS, UPLOAD)
ARTICLE_DATASET = DATASET_NAMES[0]
#: The first screen's data (see ``ui.settings.FIRST_SCREEN`` for why).
DEFAULT_DATASET = "Unequal cluster sizes"
MAX_UPLOAD_MB = 20
ACCEPTED = (
    "Accepted: a UTF-8 text CSV file up to 20 MB with a header row and at least one "
    "column of numbers (1 or 2 of them are used)."
)


def is_synthetic(name: str) -> bool:
    return name in datasets.SYNTHETIC


def load(name: str, *, n=600, seed=0, columns=()) -> datasets.Dataset:
    """A dataset from the menu (not uploads). ``columns`` picks penguin or iris features."""
    if is_synthetic(name):
        return datasets.SYNTHETIC[name](n=n, seed=seed)
    if name == FAITHFUL:
        return datasets.load_faithful()
    if name == PENGUINS:
        return datasets.load_penguins(columns or ("bill_length_mm", "flipper_length_mm"))
    if name == IRIS:
        return datasets.load_iris_features(columns or ("petal length (cm)",
                                                        "petal width (cm)"))
    raise ValueError(f"Unknown dataset {name!r}.")


def read_csv_upload(raw: bytes) -> pd.DataFrame:
    """Parse an uploaded file; ValueError in plain words if it is not a usable CSV.

    Returns the table with only its numeric columns (at least one).
    """
    if len(raw) > MAX_UPLOAD_MB * 2**20:
        raise ValueError(f"The file is larger than {MAX_UPLOAD_MB} MB. {ACCEPTED}")
    if not raw.strip():
        raise ValueError(f"The file is empty. {ACCEPTED}")
    if b"\x00" in raw[:4096]:
        raise ValueError(f"The file is not text (it looks binary). {ACCEPTED}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"The file is not UTF-8 text. {ACCEPTED}") from None
    try:
        sep = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|").delimiter
    except csv.Error:
        sep = ","  # one column, or nothing to sniff: plain CSV
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise ValueError(f"The file could not be read as CSV ({exc}). {ACCEPTED}") from None
    numeric = frame.select_dtypes(include="number").select_dtypes(exclude="bool")
    if numeric.shape[1] == 0:
        raise ValueError(f"The file has no numeric column. {ACCEPTED}")
    return numeric


def dataset_from_table(table: pd.DataFrame, columns, *, standardize=False, min_rows=2,
                       name="Uploaded CSV", weight_column="") -> datasets.Dataset:
    """Rows of the chosen 1 or 2 numeric columns, missing values dropped (and counted).

    ``weight_column``: a numeric column giving each row's weight w_i >= 0 (a row counts as
    w_i rows; its missing values drop the row too). Raises ValueError for infinite or
    absurdly large values, bad weights and too few usable rows.
    """
    columns = list(columns)
    if not 1 <= len(columns) <= 2:
        raise ValueError("Choose 1 or 2 numeric columns.")
    if weight_column and weight_column in columns:
        raise ValueError(f"The weight column {weight_column!r} cannot also be a data column.")
    values = table[columns + ([weight_column] if weight_column else [])].astype(float)
    complete = values.dropna()
    dropped = len(values) - len(complete)
    weights = None
    if weight_column:
        weights = _checked_weights(complete.pop(weight_column).to_numpy(), weight_column,
                                   min_rows)
    X = complete.to_numpy()
    if not np.isfinite(X).all():
        bad = complete.columns[~np.isfinite(X).all(axis=0)].tolist()
        raise ValueError(f"Column(s) {', '.join(bad)} contain infinite values. {ACCEPTED}")
    if X.size and np.abs(X).max() > MAX_ABS_VALUE:
        raise ValueError(
            f"Values are absurdly large (max |x| = {np.abs(X).max():.3g} > {MAX_ABS_VALUE:g}): "
            "rescale the column(s) before uploading."
        )
    if len(X) < min_rows:
        raise ValueError(
            f"Only {len(X)} usable row(s) after dropping missing values; at least {min_rows} "
            "are needed (one per component, and never fewer than 2)."
        )
    note = f"Dropped {dropped} of {len(values)} rows with a missing value." if dropped else ""
    # An upload's units are unknown: independent axes, unless standardised.
    if weights is not None:
        note = " ".join(filter(None, [note, f"Each row weighs its {weight_column!r} value "
                                            f"(total {weights.sum():,.6g}); point size "
                                            "shows it."]))
    dataset = datasets.Dataset(name, X, tuple(columns), note=note, n_dropped=dropped,
                               same_units=False, sample_weight=weights)
    return standardized(dataset) if standardize else dataset


def _checked_weights(w, column, min_rows):
    """A weight column's values, or ValueError in plain words naming the fix."""
    if not np.isfinite(w).all():
        raise ValueError(f"The weight column {column!r} has infinite values: weights must be "
                         "finite numbers >= 0.")
    if (w < 0).any():
        raise ValueError(f"The weight column {column!r} has {int((w < 0).sum())} negative "
                         "value(s): weights must be >= 0 (0 leaves a row out).")
    if np.count_nonzero(w) < min_rows:
        raise ValueError(f"Only {np.count_nonzero(w)} row(s) have a positive weight in "
                         f"{column!r}; at least {min_rows} are needed.")
    return w


STANDARDISED_NOTE = "Standardised: each column shifted and scaled to mean 0, variance 1."


def standardized(dataset: datasets.Dataset) -> datasets.Dataset:
    """The dataset with each column at mean 0 and variance 1 (z-scores), said in its note.

    Standardised columns share a unit (standard deviations), so equal axis scales fit them.
    """
    X = dataset.X
    scale = X.std(axis=0)
    Z = (X - X.mean(axis=0)) / np.where(scale > 0, scale, 1.0)
    note = " ".join(filter(None, [dataset.note, STANDARDISED_NOTE]))
    return dataclasses.replace(dataset, X=Z, note=note, same_units=True)
