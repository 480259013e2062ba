"""The app's pages, one package each (``render()`` draws the page); their url paths and the
link from one to another (``page``). The one list that ``app.py`` routes from is
``app_pages.menu``.

(Not named ``pages/``: with a folder of that name next to ``app.py``, Streamlit 1.67 runs the
first script run of a fresh server through its file-based navigation, which shows a page
list of its own and "Page not found" on a direct load of ``/initializations``;
tests/browser/test_navigation.py checks the first load of each URL.)
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

#: The favicon, shipped with the app (an icon font from the internet fails offline).
PAGE_ICON = Path(__file__).resolve().parents[1] / "assets" / "icon.png"

STEP_BY_STEP = "step-by-step"
INITIALIZATIONS = "initializations"
MODEL_SELECTION = "model-selection"
APPLICATIONS = "applications"
LESSON = "lesson"
CLASS = "class"


#: The pages ``app.py`` routes between, by url_path, as ``menu.pages`` made them last (the
#: same for every session): a page links to another through here, without importing it.
_ROUTED: dict[str, st.Page] = {}


def routed(pages: dict[str, st.Page]) -> dict[str, st.Page]:
    """Record the pages routed between (``menu.pages``); returns them."""
    _ROUTED.update(pages)
    return pages


def page(url_path: str) -> st.Page:
    """The page at ``url_path`` (for ``st.page_link`` and ``st.switch_page``)."""
    return _ROUTED[url_path]
