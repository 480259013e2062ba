"""The Lesson's predict stops as :class:`lab_maths.questions.Question` objects.

Each factory takes what the stop shows (the point picked, the iteration reached, the slider
for the modes' distance, the data set chosen) and returns the question with its truth computed
by gmm_core on exactly those data; the page draws the question and takes the answer, and class
mode can put the same question to a room. The data and fits behind the stops are here too, so
the page and the question use one computation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from gmm_core import EMEngine, GaussianMixture, n_parameters, reference
from gmm_core.datasets import make_article_example, make_cigars, make_unequal_sizes

from . import lesson as lm
from .questions import AnswerKind, Question

#: An answer is a "miss" (its misconception shown on the scores page) below these points.
MISS_BELOW = 80


def is_miss(points: int) -> bool:
    return points < MISS_BELOW


# ---------------------------------------------------------------------------------------
# Stops 4 and 5: one E-step, one M-step from START on the lesson's data


def e_step_question(i: int) -> Question:
    """γ₁ᵢ of point ``i`` (an index into ``lesson_data()``) under the start λ."""
    x = lm.lesson_data()
    gamma, _ = lm.e_step(x, lm.START)
    return Question(
        id="lesson.e_step.gamma", kind=AnswerKind.VALUE, labels=("γ₁ᵢ",), low=0.0, high=1.0,
        prompt=f"What is γ₁ᵢ, component 1's share of the point x_i = {x[i]:.2f}?",
        truth=(float(gamma[i, 0]),), scale=0.5,
        misconception="γ is not 0 or 1 by the nearest mean: it is π₁N₁ over π₁N₁ + π₂N₂, so a "
                      "point between two wide components is shared, and a far point belongs "
                      "to the nearer one almost entirely.",
        context={"point": int(i), "x": float(x[i])})


def m_step_question() -> Question:
    """The new μ₁, μ₂ after the M-step from the start's responsibilities."""
    x = lm.lesson_data()
    gamma, _ = lm.e_step(x, lm.START)
    new = lm.m_step(x, gamma).mixture
    return Question(
        id="lesson.m_step.means", kind=AnswerKind.POSITIONS_1D, labels=("μ₁", "μ₂"),
        low=-6.0, high=6.0, prompt="Where does each μ_z move after the M-step?",
        truth=tuple(float(m) for m in new.means), scale=2.0,
        misconception="The mean moves to the γ-weighted average of all the points, not to "
                      "the nearest point or the middle of the points it 'owns'.")


# ---------------------------------------------------------------------------------------
# Stop 6: iterate to convergence (the engine, with scikit-learn's stopping rule)

ITERATE_AHEAD = 5
TOLERANCES = (1e-1, 1e-2, 1e-3, 1e-4, 1e-6)


@dataclass(frozen=True)
class IterateRun:
    """EM from START on the lesson's data, one entry per iteration t = 0, 1, …"""

    mixtures: list  # λ_t (Mixture1D)
    log_likelihoods: list  # log p(x | λ_t)
    bounds: list  # after M-step t: the lower bound L(γ_{t-1}, λ_t) (None at t = 0)
    changes: list  # |Δ mean log L| of λ_t vs λ_{t-1}, compared at E-step t+1 (or None)
    converged: bool
    n_iter: int
    tol: float


@lru_cache(maxsize=16)
def iterate_run(tol: float, max_iter: int = 200) -> IterateRun:
    """Step the engine (E, then M) until scikit-learn's rule stops it: at an E-step, the
    change of the MEAN log-likelihood per point since the previous E-step below ``tol``
    (then that iteration's M-step still runs, as in scikit-learn and Step by step)."""
    x = lm.lesson_data().reshape(-1, 1)
    s = lm.START
    engine = EMEngine(x, 2, covariance_type="spherical", weights_init=s.weights,
                      means_init=np.reshape(s.means, (-1, 1)),
                      precisions_init=1 / np.asarray(s.variances), reg_covar=0.0, tol=tol)
    while not engine.converged and engine.n_iter < max_iter:
        engine.step()
    mixtures, lls, bounds, changes = [], [], [], []
    for record in engine.history:
        if record.phase == "E":
            changes.append(None if math.isinf(record.change) else abs(record.change))
            continue
        p = record.params
        mixtures.append(lm.Mixture1D(tuple(map(float, p.weights)),
                                     tuple(float(m) for m in p.means[:, 0]),
                                     tuple(map(float, p.covariances))))
        lls.append(float(record.log_likelihood))
        bounds.append(None if record.phase == "init" else float(record.lower_bound))
    # the E-step of iteration t + 1 compares λ_t with λ_{t-1}: index the changes by t
    changes = [None] + changes[1:]
    changes += [None] * (len(lls) - len(changes))
    return IterateRun(mixtures, lls, bounds, changes, engine.converged, engine.n_iter, tol)


def iterate_range(run: IterateRun, shown: int) -> tuple[float, float]:
    """The guess's range (and the chart's y-axis): from 20 below log L now to 100 above,
    whatever EM will do, so the range gives nothing away."""
    now = run.log_likelihoods[shown]
    return math.floor(now - 20), math.ceil(now + 100)


def iterate_question(tol: float, shown: int) -> Question:
    """log L after ITERATE_AHEAD more iterations from iteration ``shown`` (where EM stops, if
    it stops sooner)."""
    run = iterate_run(tol)
    last = len(run.log_likelihoods) - 1
    target = min(shown + ITERATE_AHEAD, last)
    low, high = iterate_range(run, shown)
    return Question(
        id="lesson.iterate.log_likelihood", kind=AnswerKind.VALUE, labels=("log L",),
        low=low, high=high, truth=(run.log_likelihoods[target],), scale=20.0,
        prompt=f"What will log p(x | λ) be after {ITERATE_AHEAD} more iterations?",
        misconception="EM's gains shrink fast: most of the climb comes in the first "
                      "iterations, and it never goes down.",
        context={"tol": tol, "from": shown, "to": target})


# ---------------------------------------------------------------------------------------
# Stop 7: three starts on three modes

THREE_MODES = lm.Mixture1D((0.4, 0.3, 0.3), (-3.0, 0.5, 3.5), (0.5, 0.3, 0.6))
#: random_from_data seeds whose runs end on three different optima
INIT_SEEDS = (6, 0, 1)
INIT_NAMES = ("Start A", "Start B", "Start C")


@lru_cache(maxsize=16)
def three_modes() -> np.ndarray:
    return lm.sample_latent(THREE_MODES, 300, seed=5)[1].reshape(-1, 1)


@dataclass(frozen=True)
class InitRun:
    seed: int
    mixtures: list  # λ after 0, 1, 2, … iterations (Mixture1D)
    log_likelihoods: list
    n_iter: int


@lru_cache(maxsize=16)
def init_runs() -> tuple[InitRun, ...]:
    """EM (full covariances, tol 10⁻³, as scikit-learn's defaults) from each start."""
    X = three_modes()
    out = []
    for seed in INIT_SEEDS:
        engine = EMEngine(X, 3, init="random_from_data", random_state=seed)
        engine.run(max_iter=500)
        records = [r for r in engine.history if r.phase != "E"]
        out.append(InitRun(seed, [_mixture(r.params) for r in records],
                           [float(r.log_likelihood) for r in records], engine.n_iter))
    return tuple(out)


def _mixture(p) -> lm.Mixture1D:
    return lm.Mixture1D(tuple(map(float, p.weights)), tuple(float(m) for m in p.means[:, 0]),
                        tuple(float(c) for c in np.reshape(p.covariances, -1)))


def init_question() -> Question:
    finals = [r.log_likelihoods[-1] for r in init_runs()]
    return Question(
        id="lesson.init.best_start", kind=AnswerKind.CHOICE, labels=("start",),
        choices=INIT_NAMES, truth=(int(np.argmax(finals)),),
        prompt="Which start ends with the highest log-likelihood?",
        misconception="EM only climbs from where it starts: a start with two means on one "
                      "mode keeps them there, however long it runs.",
        context={"seeds": list(INIT_SEEDS)})


# ---------------------------------------------------------------------------------------
# Stop 8: choosing K

SEPARATIONS = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0)
K_RANGE = tuple(range(1, 7))
N_INIT, K_TOL = 5, 1e-6  # enough starts, run far enough, that log L grows with K on every set


@lru_cache(maxsize=16)
def modes_data(separation: float, n: int = 240, seed: int = 8) -> np.ndarray:
    """Three equal modes at −s, 0, s with σ = 1."""
    rng = np.random.default_rng(seed)
    z = rng.choice(3, n)
    return rng.normal(np.array([-separation, 0.0, separation])[z], 1.0).reshape(-1, 1)


@dataclass(frozen=True)
class KCurves:
    ks: tuple
    log_likelihood: list
    n_params: list
    penalty: list  # p ln n
    bic: list
    aic: list


@lru_cache(maxsize=16)
def k_curves(separation: float) -> KCurves:
    X = modes_data(separation)
    fits = [GaussianMixture(k, random_state=0, n_init=N_INIT, tol=K_TOL,
                            max_iter=2000).fit(X) for k in K_RANGE]
    ll = [float(f.score(X) * len(X)) for f in fits]
    p = [n_parameters(k, 1, "full") for k in K_RANGE]
    return KCurves(K_RANGE, ll, p, [q * math.log(len(X)) for q in p],
                   [float(f.bic(X)) for f in fits], [float(f.aic(X)) for f in fits])


def k_question(separation: float) -> Question:
    c = k_curves(separation)
    return Question(
        id="lesson.choose_k.bic", kind=AnswerKind.CHOICE, labels=("K",),
        choices=tuple(str(k) for k in c.ks), truth=(int(np.argmin(c.bic)),),
        prompt="Which K has the lowest BIC for these data?",
        misconception="BIC does not count the modes you see: when modes overlap, one wide "
                      "Gaussian explains them almost as well for fewer parameters.",
        context={"separation": separation})


# ---------------------------------------------------------------------------------------
# Stop 9: covariance types

COV_TYPES = ("spherical", "diag", "tied", "full")
COV_DATA = {  # name: (data, K)
    "Round blobs of different sizes": (lambda: make_unequal_sizes(400, seed=0).X, 3),
    "Parallel cigars": (lambda: make_cigars(400, seed=0).X, 3),
    "One round, one stretched": (lambda: make_article_example(400, seed=0).X, 2),
}


@dataclass(frozen=True)
class CovFit:
    bic: float
    n_params: int
    means: np.ndarray
    covariances: np.ndarray  # (K, d, d)


@lru_cache(maxsize=16)
def cov_data(name: str) -> tuple[np.ndarray, int]:
    make, k = COV_DATA[name]
    return make(), k


@lru_cache(maxsize=16)
def cov_fits(name: str) -> dict[str, CovFit]:
    X, k = cov_data(name)
    out = {}
    for kind in COV_TYPES:
        gm = GaussianMixture(k, covariance_type=kind, random_state=0).fit(X)
        out[kind] = CovFit(float(gm.bic(X)), n_parameters(k, X.shape[1], kind), gm.means_,
                           reference.dense_covariances(gm.covariances_, kind, k, X.shape[1]))
    return out


#: The covariance parameters of each type, as a formula in K and d (LaTeX).
COVARIANCE_FORMULAS = {"spherical": "K", "diag": "K d", "tied": r"\tfrac{d(d+1)}{2}",
                       "full": r"K \tfrac{d(d+1)}{2}"}


def cov_question(name: str) -> Question:
    fits = cov_fits(name)
    return Question(
        id="lesson.covariance.bic", kind=AnswerKind.CHOICE, labels=("type",),
        choices=COV_TYPES, truth=(int(np.argmin([fits[t].bic for t in COV_TYPES])),),
        prompt="Which covariance type has the lowest BIC for these data?",
        misconception="The most flexible type is not the best: BIC pays ln n for every "
                      "parameter, so a simpler shape that fits almost as well wins.",
        context={"data": name})


# ---------------------------------------------------------------------------------------
# Stop 10: a component collapsing onto one point

SIGMAS = tuple(10.0 ** -e for e in (0, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 10, 15, 20, 25, 30))
REG_COVARS = (0.0, 1e-6, 1e-4, 1e-2)
COLLAPSE_POINT = 0  # the lesson data's first point


def collapse_mixture(sigma: float, reg_covar: float = 0.0) -> lm.Mixture1D:
    """TRUE_MIXTURE's two components (weights × 2/3) plus a third of weight 1/3 on one data
    point with variance σ² + reg_covar (what EM's M-step would give it)."""
    x = lm.lesson_data()
    t = lm.TRUE_MIXTURE
    return lm.Mixture1D(tuple(w * 2 / 3 for w in t.weights) + (1 / 3,),
                        t.means + (float(x[COLLAPSE_POINT]),),
                        t.variances + (sigma ** 2 + reg_covar,))


def collapse_log_likelihood(sigma: float, reg_covar: float = 0.0) -> float:
    """log p(x | λ) of the collapsing mixture, by gmm_core's dense reference E-step."""
    mix = collapse_mixture(sigma, reg_covar)
    X = lm.lesson_data().reshape(-1, 1)
    return float(reference.e_step(X, np.asarray(mix.weights), np.reshape(mix.means, (-1, 1)),
                                  np.asarray(mix.variances), "spherical")[1])


COLLAPSE_CHOICES = ("It falls towards −∞", "It levels off at a finite value",
                    "It climbs without bound (+∞)")


def collapse_question() -> Question:
    """The truth from the engine's numbers: log L at σ = 10⁻⁴, 10⁻⁶, 10⁻⁸ (reg_covar = 0)
    still rising by ≈ ln 100 per step climbs without bound; rising by much less levels off."""
    ll = [collapse_log_likelihood(s) for s in (1e-4, 1e-6, 1e-8)]
    gains = np.diff(ll)
    answer = 0 if gains[-1] < -1 else 2 if gains[-1] > 0.9 * math.log(100) else 1
    return Question(
        id="lesson.overfit.collapse", kind=AnswerKind.CHOICE, labels=("log L",),
        choices=COLLAPSE_CHOICES, truth=(answer,),
        prompt="As the third component's σ shrinks to 0 on one point, what does log L do?",
        misconception="A Gaussian's density at its own centre is 1/(σ√2π), which grows "
                      "without bound: the likelihood rewards a component that sits on one "
                      "point.",
        context={"point": COLLAPSE_POINT})


ALL = ("lesson.e_step.gamma", "lesson.m_step.means", "lesson.iterate.log_likelihood",
       "lesson.init.best_start", "lesson.choose_k.bic", "lesson.covariance.bic",
       "lesson.overfit.collapse")
