"""Every shared setting declared once: its session key, first-screen value, range or choices,
label, name in a link and help.

The sidebar draws its widgets from these rows (``ui.sidebar``), the link codec reads and
writes them (``ui.links``), the first screen is their defaults (``FIRST_SCREEN``) and
``Settings`` is made from their values (``settings_from``). K's 1–10 is ``K.lo``–``K.hi``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from gmm_core import COVARIANCE_TYPES, convergence
from gmm_core.datasets import IRIS_FEATURES, PENGUIN_NUMERIC

from . import data as data_mod
from . import session
from .session import Settings
from .start import Start


@dataclass(frozen=True)
class Setting:
    """One setting. ``widget``: "slider", "number" (a number input), "select", "select_slider",
    "checkbox" or "columns" (two columns of ``dataset``). ``lo``/``hi``/``step``: an integer's
    range (a slider takes only multiples of ``step``; a number input any integer);
    ``options``: the choices; ``tokens``: a choice's name in a link (by default its slug);
    ``url``: its parameter in a link (None: not carried); ``applies(values)``: whether it
    matters for these values (a link leaves it out otherwise); ``first_screen``: part of the
    first screen and of the presets that reset it."""

    key: str
    default: object
    label: str
    url: str | None
    widget: str
    lo: int = 0
    hi: int = 0
    step: int = 1
    options: tuple = ()
    tokens: Mapping[str, object] | None = None
    fmt: Callable[[object], str] | None = None
    help: str | None = None
    applies: Callable[[dict], bool] | None = None
    dataset: str | None = None
    first_screen: bool = True

    @property
    def grid(self) -> int:
        """The step a valid value keeps to (a number input accepts any integer)."""
        return self.step if self.widget == "slider" else 1


def _synthetic(values) -> bool:
    return data_mod.is_synthetic(values.get(session.DATASET))


def _log_tick(value) -> str:
    return "0" if value == 0 else f"1e{int(np.log10(value))}"


INIT_HELP = {
    Start.KMEANS: "Responsibilities from a k-means clustering (scikit-learn's default).",
    Start.KMEANS_PP: "Means at K data points spread out by k-means++. As in scikit-learn, each "
                     "component starts from its one point alone: weight 1/n, covariance a "
                     "needle-thin spike of reg_covar. So the start's log-likelihood is absurdly "
                     "low (about −10⁹, marked off the chart's scale); the first E-step and "
                     "M-step give every component its share of the data.",
    Start.RANDOM: "Random γ per point: every component starts near the data mean with the "
                  "whole data's spread.",
    Start.DATAPOINTS: "Means at K random data points. As in scikit-learn, each component "
                      "starts from its one point alone: weight 1/n, covariance a needle-thin "
                      "spike of reg_covar. So the start's log-likelihood is absurdly low "
                      "(about −10⁹, marked off the chart's scale); the first E-step and "
                      "M-step give every component its share of the data.",
    Start.CLICK: "Click K data points on the chart; round starting covariances, equal "
                 "weights.",
    Start.FILE: "Weights, means and covariances from a JSON file (the Export section's "
                "“Parameters (JSON)”): EM starts exactly there.",
}

# --- the rows ------------------------------------------------------------------------------
# The first screen (a run that visibly climbs): on "Unequal cluster sizes" with data seed 1,
# the k-means start cuts the big cluster as k-means does (it assumes round clusters of equal
# size); EM's weights π and covariances then move the ellipses for 15 iterations, the
# log-likelihood climbing from −2,334.5 to −2,258.0, to the true clusters (adjusted Rand
# index 0.82 → 0.96). Every k-means seed tried (0–3) gives this same climb.

DATASET = Setting(session.DATASET, data_mod.DEFAULT_DATASET, "Dataset", "data", "select",
                  options=data_mod.DATASET_NAMES)
N_POINTS = Setting(session.N_POINTS, 600, "Number of points", "n", "slider", 50, 20_000, 50,
                   applies=_synthetic)
DATA_SEED = Setting(session.DATA_SEED, 1, "Data seed", "dseed", "number", 0, 1_000_000,
                    applies=_synthetic)
PENGUIN_COLUMNS = Setting(session.PENGUIN_COLUMNS, ("bill_length_mm", "flipper_length_mm"),
                          "Columns (choose 2)", "cols", "columns", options=PENGUIN_NUMERIC,
                          dataset=data_mod.PENGUINS, first_screen=False)
IRIS_COLUMNS = Setting(session.IRIS_COLUMNS, ("petal length (cm)", "petal width (cm)"),
                       "Features (choose 2)", "cols", "columns", options=IRIS_FEATURES,
                       dataset=data_mod.IRIS, first_screen=False)
STANDARDIZE = Setting(session.STANDARDIZE, False, "Standardise (mean 0, variance 1)", "std",
                      "checkbox",
                      help="Each column shifted and scaled to z-scores. Columns in different "
                           "units (minutes and minutes of another kind, mm and g) get their "
                           "own axis scales; standardised, they share one.")
SHOW_LABELS = Setting(session.SHOW_LABELS, False, "Show true labels (marker shapes)", None,
                      "checkbox", first_screen=False)

K = Setting(session.K, 3, "Components K", "K", "slider", 1, 10)
COVARIANCE_TYPE = Setting(session.COVARIANCE_TYPE, "full", "Covariance type", "cov", "select",
                          options=COVARIANCE_TYPES)
INIT = Setting(session.INIT, Start.KMEANS.value, "Initialisation", "init", "select",
               options=tuple(s.value for s in Start),
               # a start from a file cannot travel in a link
               tokens={s.token: s.value for s in Start if s.token})
SEED = Setting(session.SEED, 0, "Seed", "seed", "number", 0, 1_000_000)
REG_COVAR = Setting(session.REG_COVAR, 1e-6, "reg_covar (log scale)", "reg", "select_slider",
                    options=(0.0, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1),
                    fmt=_log_tick)
TOL = Setting(session.TOL, 1e-3, "tol", "tol", "select_slider",
              options=(1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-8), fmt=_log_tick,
              help=convergence.RULE_EXPLAINED)
MAX_ITER = Setting(session.MAX_ITER, 100, "Max iterations", "iter", "number", 1, 1000, 10)

#: In link order: the data, the model, the start.
DATA = (DATASET, N_POINTS, DATA_SEED, PENGUIN_COLUMNS, IRIS_COLUMNS, STANDARDIZE, SHOW_LABELS)
MODEL = (K, COVARIANCE_TYPE, REG_COVAR, TOL, MAX_ITER)
START = (INIT, SEED)
ALL = DATA + MODEL + START

#: The first screen's values (the "Use the article's example" button and the Lesson's
#: buttons set these; columns and labels are left as the user chose them).
FIRST_SCREEN = {s.key: s.default for s in ALL if s.first_screen}
#: The columns first shown for the datasets with more than two.
COLUMN_DEFAULTS = {s.key: list(s.default) for s in DATA if s.widget == "columns"}
#: The article's own example (its section 5): X_train and GaussianMixture(2, "full", seed 0).
ARTICLE_EXAMPLE = {**FIRST_SCREEN, session.DATASET: data_mod.ARTICLE_DATASET,
                   session.DATA_SEED: 0, session.K: 2}


def defaults() -> dict:
    """Every setting's first value by session key."""
    return {s.key: (list(s.default) if isinstance(s.default, tuple) else s.default)
            for s in ALL}


def settings_from(values: Mapping) -> Settings:
    """The run's ``Settings`` from setting values by session key (a widget's or a kept one);
    a start from a file carries the digest of the file in use."""
    start = Start(values[INIT.key])
    return Settings(int(values[K.key]), values[COVARIANCE_TYPE.key], start,
                    int(values[SEED.key]), float(values[REG_COVAR.key]),
                    float(values[TOL.key]), int(values[MAX_ITER.key]),
                    start_file=session.digest() if start is Start.FILE else "")


def kept_settings() -> Settings:
    """The settings the sidebar keeps (their first-screen values before it has drawn)."""
    return settings_from({s.key: session.kept_value(s.key, s.default) for s in MODEL + START})
