"""The Lesson page: the article as a guided path of stops — predict, then reveal.

Progress (the stop shown, the predictions' points) lives in this session only; the stop is
also in the URL (``?stop=4``) so a link opens the same stop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from . import basics, keys, latent, steps, tour


@dataclass(frozen=True)
class Stop:
    title: str
    notice: str  # one sentence: what to notice
    show: Callable[[], None]
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
         "shrink until one is smaller than the tolerance.", steps.iterate_stop),
    Stop("Initialisation", "Same data, same K: different starts end on different optima, and "
         "the k-means start lands on a good one.", tour.init_stop),
    Stop("Choosing K with BIC and AIC", "The likelihood always grows with K; BIC and AIC charge "
         "for every parameter, so they have a lowest point.", tour.k_stop),
    Stop("Covariance types", "Spherical draws circles, diag axis-aligned ellipses, tied one "
         "shared ellipse, full any ellipse per component.", tour.cov_stop),
    Stop("Overfitting and singular covariances", "A component that shrinks onto one point sends "
         "the log-likelihood to +∞: a perfect fit of noise.", tour.overfit_stop),
    Stop("The four applications", "One fitted mixture serves four jobs: soft clustering, "
         "density estimation, anomaly detection and, with PCA, dimensionality reduction.",
         tour.applications_stop),
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
    back, middle, nxt = st.columns([1.2, 3, 1.2], vertical_alignment="center")
    if title:
        middle.markdown(f"#### {title}")
    back.button("← Back", key=f"lesson_back_{where}", on_click=_go, args=(stop - 1,),
                disabled=stop == 1, use_container_width=True)
    if stop < END:
        nxt.button("Next →" if stop < N else "Scores →", key=f"lesson_next_{where}",
                   on_click=_go, args=(stop + 1,), use_container_width=True)


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
    st.info(f"**Notice:** {current.notice}", icon=":material/visibility:")
    current.show()


def _scores():
    scores = st.session_state.get(keys.SCORES, {})
    predicts = [s.title for s in STOPS if s.predict]
    if not scores:
        st.write("No predictions revealed yet: go back to stops "
                 + " and ".join(str(i + 1) for i, s in enumerate(STOPS) if s.predict) + ".")
    else:
        st.table([{"prediction": name, "points": f"{points} / 100"}
                  for name, points in scores.items()])
        total = sum(scores.values())
        st.metric("Total", f"{total} / {100 * len(predicts)}",
                  help="Your last revealed guess at each predict stop counts.")
    st.caption("Kept only in this browser session: nothing is stored on the server.")
    st.button("Start the lesson again", key="lesson_restart", on_click=_restart,
              icon=":material/restart_alt:")
