"""The Class page's one store (per process, per URL) and plain-words errors.

The store client is shared by every session of a replica (``st.cache_resource``): it holds
connections, not anyone's data; the data lives in the store itself (SQLite file or Redis),
where every replica meets it.
"""

from __future__ import annotations

import streamlit as st

from classroom import ClassError, ClassStore, StoreUnavailable, open_store
from classroom.urls import store_url


@st.cache_resource(show_spinner=False)
def _store(url: str) -> ClassStore:
    return open_store(url)


def store() -> ClassStore | None:
    """The class store, or None after an ``st.error`` saying it cannot be reached (the rest
    of the app does not need it and goes on working)."""
    try:
        found = _store(store_url())
        found.ping()
        return found
    except StoreUnavailable as exc:
        _store.clear()  # try again on the next run: the store may come back
        st.error(f"Class mode is unavailable: {exc} The other pages work as usual.",
                 icon=":material/cloud_off:")
        return None


def attempt(action, *args, **kwargs):
    """``action(*args)``; a ClassError is shown as ``st.error`` and gives None."""
    try:
        return action(*args, **kwargs)
    except StoreUnavailable as exc:
        st.error(f"The class store cannot be reached: {exc}", icon=":material/cloud_off:")
    except ClassError as exc:
        st.error(str(exc))
    return None
