"""The fitting every tab of the Applications page shares: the sidebar's settings as fit
arguments, the last good result kept when a setting fails, and how its numbers are written."""

from __future__ import annotations

import streamlit as st

from ui.start import Start

#: The sidebar's "place means by clicking" start has no clicks here: k-means instead.
CLICK_FALLBACK = "kmeans"


def fit_kwargs(settings) -> dict:
    """The sidebar's model settings as ``fit_mixture`` keyword arguments."""
    init = settings.init.engine_init or CLICK_FALLBACK
    return dict(reg_covar=settings.reg_covar, tol=settings.tol, max_iter=settings.max_iter,
                init_params=init)


def click_note(settings):
    if not settings.init.seeded:
        what = ("Means placed by clicking exist" if settings.init is Start.CLICK
                else "A start from a parameters file exists")
        st.caption(f"{what} only on the Step by step page; this page starts EM from k-means.")


def compute_or_keep(key: str, compute, *args, **kwargs):
    """``compute(*args, **kwargs)``, remembered under ``key``; if it raises ValueError, the
    error in plain words and the last good result (None if there never was one)."""
    try:
        result = compute(*args, **kwargs)
    except ValueError as exc:
        last = st.session_state.get(key)
        st.error(f"{exc} " + ("The last result that worked stays on screen below."
                              if last is not None else "Nothing can be shown until then."))
        return last
    st.session_state[key] = result
    return result


def ari_text(value) -> str:
    return "—" if value is None else f"{value:.3f}"


def nats(value) -> str:
    return "−∞" if value == float("-inf") else f"{value:,.3f}".replace("-", "−")
