"""The Lesson page: the article as a guided path of stops — predict, then reveal.

Progress (the stop shown, the predictions' points) lives in this session only; the stop is
also in the URL (``?stop=4``) so a link opens the same stop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from lab_maths.lesson_questions import ALL, is_miss

from . import apps, basics, iterate, keys, latent, overfit, selection, starts, steps


@dataclass(frozen=True)
class Stop:
    title: str
    notice: str  # one sentence: what to notice
    show: Callable  # a predict stop's takes the notice, to draw it after its guess
    predict: bool = False


STOPS = (
    Stop("A Gaussian", "μ moves the bell and σ widens it, yet 68.27 % of the mass stays within "
         "μ ± 1σ and 95.45 % within μ ± 2σ whatever you choose.", basics.gaussian_stop),
    Stop("A mixture is a weighted sum", r"The black curve $p(x \mid \lambda)$ is the sum of "
         r"the dashed $\pi_i \mathcal{N}(x \mid \mu_i, \sigma_i^2)$, and raising one $\pi$ "
         r"lowers the others so $\sum_i \pi_i$ stays 1.",
         basics.mixture_stop),
    Stop("Components are a hidden variable", "Each point comes from one component $z$, but once "
         "the colours are gone nothing in the data says which.", latent.latent_stop),
    Stop(r"The E-step: responsibilities $\gamma_{zi}$", r"$\gamma_{1i}$ is near 1 far left, "
         "near 0 far right, unsure only in between.", steps.e_step_stop,
         predict=True),
    Stop(r"The M-step: $N_z, \mu_z, \sigma_z^2, \pi_z$", r"Each new $\mu_z$ is a "
         r"$\gamma$-weighted average, so it moves towards the points component $z$ is "
         "responsible for.", steps.m_step_stop,
         predict=True),
    Stop("Iterate to convergence", "The log-likelihood rises at every iteration and the rises "
         "shrink until the change of the mean log-likelihood per point is below tol.",
         iterate.iterate_stop, predict=True),
    Stop("Initialisation", "Same data, same K: different starts end on different optima; EM "
         "only climbs from where it starts.", starts.init_stop, predict=True),
    Stop("Choosing K with BIC and AIC", "The likelihood grows with K; BIC and AIC charge for "
         "every parameter, so they have a lowest point.", selection.k_stop, predict=True),
    Stop("Covariance types", "Spherical draws circles, diag axis-aligned ellipses, tied one "
         "shared ellipse, full any ellipse per component.", selection.cov_stop, predict=True),
    Stop("Overfitting and singular covariances", "A component that shrinks onto one point sends "
         "the log-likelihood to +∞: a perfect fit of noise.", overfit.overfit_stop,
         predict=True),
    Stop("The four applications", "One fitted mixture serves four jobs: soft clustering (the "
         "γ of stop 4), and below, anomaly detection, density estimation (new points drawn "
         "from it) and, with PCA, dimensionality reduction.",
         apps.applications_stop),
)
N = len(STOPS)
END = N + 1  # the scores page


def _go(stop: int):
    st.session_state[keys.STOP] = min(max(stop, 1), END)
    st.session_state[keys.L_PLAYING] = False  # stop 3's animation waits for its Play


def _restart():
    for key in [k for k in st.session_state if str(k).startswith("lesson_")]:
        del st.session_state[key]
    st.session_state[keys.STOP] = 1


def current_stop() -> int:
    ss = st.session_state
    if keys.STOP not in ss:
        try:
            ss[keys.STOP] = min(max(int(st.query_params.get("stop", 1)), 1), END)
        except ValueError:  # ?stop=abc
            ss[keys.STOP] = 1
    return ss[keys.STOP]


def _nav(stop: int, where: str, title: str = ""):
    """The title, then Back and Next on one row at every width (columns stack on a phone
    and pushed the chart below the first screen)."""
    if title:
        st.markdown(f"#### {title}")
    with st.container(horizontal=True, horizontal_alignment="distribute", wrap=False):
        st.button("← Back", key=f"lesson_back_{where}", on_click=_go, args=(stop - 1,),
                  disabled=stop == 1, width=130)
        if stop < END:
            st.button("Next →" if stop < N else "Scores →", key=f"lesson_next_{where}",
                      on_click=_go, args=(stop + 1,), width=130)


def render():
    stop = current_stop()
    st.query_params["stop"] = str(stop)
    ss = st.session_state
    ss[keys.VISITED] = max(ss.get(keys.VISITED, 1), stop)
    if stop == END:
        st.title("Lesson: your scores")
        _scores()
        _nav(stop, "top")
        return
    current = STOPS[stop - 1]
    st.progress(stop / N, text=f"Stop {stop} of {N}"
                + (" · predict, then reveal" if current.predict else ""))
    _nav(stop, "top", f"{stop}. {current.title}")

    def notice():
        st.info(f"**Notice:** {current.notice}", icon=":material/visibility:")

    if current.predict:  # the chart that takes the guess first, the text after
        current.show(notice)
    else:
        notice()
        current.show()


def _scores():
    """Every predict stop, in order: its points (or "not answered"), and for a miss the one
    sentence that explains it (the question's misconception)."""
    scores = st.session_state.get(keys.SCORES, {})
    asked = [i + 1 for i, s in enumerate(STOPS) if s.predict]
    if not scores:
        st.write("No predictions revealed yet: go back to stops "
                 + ", ".join(map(str, asked[:-1])) + f" and {asked[-1]}.")
    else:
        rows = [{"prediction": v["stop"], "points": f"{v['points']} / 100",
                 "why a miss": v["misconception"] if is_miss(v["points"]) else ""}
                for qid in ALL if (v := scores.get(qid))]
        st.table(rows)
        total = sum(v["points"] for v in scores.values())
        st.metric("Total", f"{total} / {100 * len(asked)}",
                  help="Your last revealed guess at each predict stop counts; a stop not "
                       "answered counts 0.")
        missing = [str(n) for n, qid in zip(asked, ALL) if qid not in scores]
        if missing:
            st.caption("Not answered yet: stop " + ", ".join(missing) + ".")
    st.caption("Kept only in this browser session: nothing is stored on the server.")
    st.button("Start the lesson again", key="lesson_restart", on_click=_restart,
              icon=":material/restart_alt:")
