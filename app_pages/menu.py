"""The one list of pages ``app.py`` routes between (url path → ``st.Page(render)``), in menu
order. Only the router imports this module: the pages link to each other through
``app_pages.page``, so no page imports another.
"""

from __future__ import annotations

import streamlit as st

from . import (
    APPLICATIONS,
    CLASS,
    INITIALIZATIONS,
    LESSON,
    MODEL_SELECTION,
    STEP_BY_STEP,
    applications,
    class_mode,
    initializations,
    lesson,
    model_selection,
    routed,
    step_by_step,
)


def pages() -> dict[str, st.Page]:
    """Every page by its url_path, in menu order (the first is the default)."""
    return routed({
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
    })
