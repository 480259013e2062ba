"""The app's pages, one package each (``render()`` draws the page), and the one list that
``app.py`` routes from.

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


def pages() -> dict[str, st.Page]:
    """Every page by its url_path, in menu order (the first is the default)."""
    # Imported here: the pages link to each other.
    from . import applications, class_mode, initializations, lesson, model_selection, step_by_step

    return {
        STEP_BY_STEP: st.Page(step_by_step.render, title="Step by step",
                              icon=":material/footprint:", url_path=STEP_BY_STEP, default=True),
        INITIALIZATIONS: st.Page(initializations.render, title="Initializations",
                                 icon=":material/casino:", url_path=INITIALIZATIONS),
        MODEL_SELECTION: st.Page(model_selection.render, title="Model selection",
                                 icon=":material/leaderboard:", url_path=MODEL_SELECTION),
        APPLICATIONS: st.Page(applications.render, title="Applications",
                              icon=":material/apps:", url_path=APPLICATIONS),
        LESSON: st.Page(lesson.render, title="Lesson", icon=":material/school:",
                        url_path=LESSON),
        CLASS: st.Page(class_mode.render, title="Class", icon=":material/groups:",
                       url_path=CLASS),
    }


def page(url_path: str) -> st.Page:
    """The page at ``url_path`` (for ``st.page_link``)."""
    return pages()[url_path]
