"""What each page's link carries (``ui.links.PageFields``), by the page's url_path."""

from __future__ import annotations

from ui.links import STEP_FIELDS, PageFields

from . import APPLICATIONS, CLASS, INITIALIZATIONS, LESSON, MODEL_SELECTION, STEP_BY_STEP
from .applications import keys as applications_keys
from .initializations import keys as initializations_keys
from .model_selection import keys as model_selection_keys


def link_pages() -> dict[str, PageFields]:
    return {
        STEP_BY_STEP: PageFields("all", STEP_FIELDS),
        # Its runs choose their own starts: the sidebar's start and seed are not used there.
        INITIALIZATIONS: PageFields("data and model", initializations_keys.link_fields()),
        MODEL_SELECTION: PageFields("all", model_selection_keys.link_fields()),
        APPLICATIONS: PageFields("all", applications_keys.link_fields()),
        LESSON: PageFields("none"),  # its ?stop= is its own (app_pages/lesson)
        CLASS: PageFields("none"),  # its ?join= and ?class= are its own (app_pages/class_mode)
    }


def known_names() -> set[str]:
    """Every parameter name some page uses (one followed from another page is no error)."""
    return {f.name for page in link_pages().values() for f in page.all_fields()}
