"""Class mode's questions, each with its truth computed by gmm_core on the data shown.

Every factory returns a :class:`lab_maths.questions.Question` whose ``context`` names the
data (a key of :data:`DATASETS`) and whatever the page needs to redraw the question (the
start, the highlighted point, the runs' starts); :func:`question_data` rebuilds the data
from it, so a question travels through the class store as plain JSON.

``MENU`` lists them in the order the lecturer's menu shows them. Nothing is typed in: the
truths come from :class:`gmm_core.EMEngine` (one E-step, one M-step, runs to convergence),
:class:`gmm_core.GaussianMixture` and :func:`lab_maths.criteria.fit_grid`.
"""

from __future__ import annotations

import functools
from dataclasses import replace

import numpy as np

from gmm_core import EMEngine, GaussianMixture, datasets
from lab_maths import anomaly, criteria
from lab_maths import lesson as lm
from lab_maths import lesson_questions as lq

from .questions import AnswerKind, Question


def _standardised(X) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    return np.round((X - X.mean(axis=0)) / X.std(axis=0), 4)


#: The data sets questions are asked on (each deterministic: a key rebuilds the same rows).
DATASETS = {
    "lesson": lambda: lm.lesson_data().reshape(-1, 1),
    "faithful": lambda: _standardised(datasets.load_faithful().X),
    "cigars": lambda: datasets.make_cigars(n=300, seed=0).X,
}


@functools.cache
def _data(key: str) -> np.ndarray:
    out = DATASETS[key]()
    out.setflags(write=False)
    return out


def question_data(question: Question) -> np.ndarray:
    """The data a question is asked on, shape (n, d)."""
    return _data(question.context["data"])


def _engine_from(X, weights, means, variances) -> EMEngine:
    """EMEngine started at the given spherical mixture (σ_z² per component)."""
    return EMEngine(X, len(weights), covariance_type="spherical",
                    weights_init=np.asarray(weights, float),
                    means_init=np.asarray(means, float).reshape(len(weights), -1),
                    precisions_init=1 / np.asarray(variances, float), tol=0.0)


def _start_context(data: str, weights, means, variances, **more) -> dict:
    return {"data": data, "weights": [float(w) for w in weights],
            "means": np.asarray(means, float).reshape(len(weights), -1).tolist(),
            "variances": [float(v) for v in variances], **more}


# ------------------------------------------------------------------------------------------
# The Lesson's two predict stops: its own questions (lab_maths.lesson_questions), asked of
# the class


def _lesson_context(**more) -> dict:
    return _start_context("lesson", lm.START.weights, lm.START.means, lm.START.variances,
                          **more)


def lesson_e_step_gamma(rank: int = 24) -> Question:
    """The Lesson's stop-4 question (γ₁ᵢ of its point of the given rank, 1 = the smallest
    x, under its start), with what a class needs to redraw it."""
    X = _data("lesson")
    i = int(np.argsort(X[:, 0])[rank - 1])
    q = lq.e_step_question(i)
    return replace(q, prompt=f"The E-step: {q.prompt[0].lower()}{q.prompt[1:]}",
                   context=_lesson_context(**q.context))


def lesson_m_step_means() -> Question:
    """The Lesson's stop-5 question (where μ₁ and μ₂ move in its first M-step), tapped on
    the chart in class."""
    q = lq.m_step_question()
    return replace(q, prompt=f"{q.prompt} Tap the chart for μ₁, then μ₂.",
                   context=_lesson_context())


# ------------------------------------------------------------------------------------------
# 2-D: Old Faithful, standardised, from a deliberately poor start

FAITHFUL_START = dict(weights=(0.5, 0.5), means=((-1.5, 0.5), (0.5, 1.5)),
                      variances=(0.5, 0.5))


def means_2d() -> Question:
    X = _data("faithful")
    engine = _engine_from(X, **FAITHFUL_START)
    engine.e_step()
    engine.m_step()
    lo, hi = float(np.floor(X.min())) - 1, float(np.ceil(X.max())) + 1
    return Question(
        id="class.m_step.means_2d", kind=AnswerKind.POINTS_2D,
        labels=("μ₁ x", "μ₁ y", "μ₂ x", "μ₂ y"),
        truth=tuple(float(v) for v in engine.means.ravel()),
        prompt="The M-step in 2-D: where does each mean μ_z move? Tap the chart for μ₁, "
               "then μ₂.", low=lo, high=hi, scale=1.5,
        misconception="Each new μ_z is the γ-weighted average of every point: a start "
                      "between the clusters moves each mean only part of the way.",
        context=_start_context("faithful", **FAITHFUL_START))


def gamma_2d(target: float = 0.7) -> Question:
    """γ₁ᵢ of an Old Faithful point (the one whose γ₁ᵢ is nearest ``target``)."""
    X = _data("faithful")
    engine = _engine_from(X, **FAITHFUL_START)
    engine.e_step()
    gamma = engine.responsibilities[:, 0]
    i = int(np.argmin(np.abs(gamma - target)))
    return Question(
        id="class.e_step.gamma_2d", kind=AnswerKind.VALUE, labels=("γ₁ᵢ",),
        truth=(float(gamma[i]),), low=0.0, high=1.0, scale=0.5,
        prompt="The E-step: what is γ₁ᵢ, component 1's share of the highlighted point?",
        misconception="γ₁ᵢ compares π_z N(x_i | μ_z, Σ_z) of both components: distance "
                      "counts in units of each component's spread, and it is rarely 0 or 1.",
        context=_start_context("faithful", **FAITHFUL_START, point=i))


# ------------------------------------------------------------------------------------------
# Which start ends highest (the Initializations page's runs)

STARTS = (("kmeans", 0), ("k-means++", 3), ("random", 1), ("random_from_data", 2))


def best_start(k: int = 3) -> Question:
    X = _data("cigars")
    finals, starts = [], []
    for init, seed in STARTS:
        engine = EMEngine(X, k, covariance_type="full", init=init, random_state=seed,
                          tol=1e-3)
        starts.append(engine.means.tolist())
        engine.run(max_iter=500)
        finals.append(float(engine.log_likelihood))
    order = np.argsort(finals)[::-1]
    if finals[order[0]] - finals[order[1]] < 0.5:
        raise ValueError("Two starts end within 0.5 of each other: choose other seeds.")
    letters = "ABCD"
    return Question(
        id="class.starts.best", kind=AnswerKind.CHOICE, labels=("start",),
        truth=(float(order[0]),),
        choices=tuple(f"{letters[j]}: {init}, seed {seed}" for j, (init, seed)
                      in enumerate(STARTS)),
        prompt=f"Four runs of EM (K = {k}, full covariances) from the starts drawn. Which "
               "one ends with the highest log-likelihood?",
        misconception="A start that looks closest is not always best: EM climbs to the "
                      "nearest local maximum, and k-means starts cut across long clusters.",
        context={"data": "cigars", "k": k, "starts": starts,
                 "final_log_likelihoods": finals})


# ------------------------------------------------------------------------------------------
# Model selection: which K (and covariance type) BIC chooses


def bic_choice(covariance_types=("full",), k_range=range(1, 6), data="faithful") -> Question:
    X = _data(data)
    grid = criteria.fit_grid(X, k_range, covariance_types, random_state=0)
    table = grid.table
    best = criteria.best_row(table, "bic")
    both = len(covariance_types) > 1
    choices = tuple(f"K = {int(r.n_components)}" + (f", {r.covariance_type}" if both else "")
                    for r in table.itertuples())
    what = "K and covariance type" if both else f"K ({covariance_types[0]} covariances)"
    return Question(
        id="class.bic." + ("model" if both else "k"), kind=AnswerKind.CHOICE,
        labels=("model",), truth=(float(table.index.get_loc(best)),), choices=choices,
        prompt=f"Which {what} does BIC choose on these data?",
        misconception="BIC does not pick the best fit: it charges log n per parameter, so "
                      "extra components or full covariances must earn their keep.",
        context={"data": data, "bic": [float(v) for v in table["bic"]]})


# ------------------------------------------------------------------------------------------
# Anomaly detection: is this point flagged at threshold t?


def anomaly_flag(percentile: float = 5.0, k: int = 2) -> Question:
    X = _data("faithful")
    model = GaussianMixture(k, covariance_type="full", random_state=0).fit(X)
    log_p = model.score_samples(X)
    t = anomaly.threshold_from_percentile(log_p, percentile)
    flagged = anomaly.flag(log_p, t)
    # a point near the border (the nearest to t on the flagged side), not an obvious one
    candidates = np.flatnonzero(flagged)
    i = int(candidates[np.argmax(log_p[candidates])])
    return Question(
        id="class.anomaly.flag", kind=AnswerKind.CHOICE, labels=("flagged",),
        truth=(0.0 if flagged[i] else 1.0,),
        choices=("Yes: flagged as an anomaly", "No: not flagged"),
        prompt=f"A {k}-component mixture is fitted (ellipses: 2 σ). A point is flagged when "
               f"log p(x) < t = {t:.2f} (the {percentile:g}th percentile). Is the "
               "highlighted point flagged?",
        misconception="Flagging follows the density log p(x), not the distance to the "
                      "nearest mean: a point off the narrow side of an ellipse is rarer.",
        context={"data": "faithful", "point": i, "threshold": t,
                 "means": model.means_.tolist(), "covariances": model.covariances_.tolist(),
                 "log_density": float(log_p[i])})


#: The lecturer's menu: key → (title, factory).
MENU = {
    "lesson_means": ("Lesson: where each μ_z moves (1-D)", lesson_m_step_means),
    "lesson_gamma": ("Lesson: γ of a point (1-D)", lesson_e_step_gamma),
    "means_2d": ("Where each μ_z moves (2-D, Old Faithful)", means_2d),
    "gamma_2d": ("γ of the highlighted point (2-D)", gamma_2d),
    "best_start": ("Which start ends highest?", best_start),
    "bic_k": ("Which K does BIC choose?", bic_choice),
    "bic_model": ("Which K and covariance type does BIC choose?",
                  functools.partial(bic_choice, ("full", "diag", "spherical", "tied"),
                                    range(1, 5))),
    "anomaly": ("Is this point flagged as an anomaly?", anomaly_flag),
}


@functools.cache
def build(key: str) -> Question:
    """The menu's question ``key`` (computed once per process: its truth never changes)."""
    return MENU[key][1]()
