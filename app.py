"""EM Playground: the entry only routes between pages (the list is ``app_pages.menu``), and
keeps each page's settings in its URL (``ui.link_state``)."""

# First: one thread per BLAS/OpenMP pool, set before anything loads scikit-learn (see there).
import ui.threads  # noqa: F401

# isort: split
import streamlit as st

import app_pages
from app_pages import menu
from app_pages.link_fields import known_names, link_pages
from ui import device, link_state, presenter

st.set_page_config(page_title="EM Playground", page_icon=str(app_pages.PAGE_ICON),
                   layout="wide", initial_sidebar_state=presenter.sidebar_state())
presenter.controls()
device.probe()
page = st.navigation(list(menu.pages().values()))
fields = link_pages()[page.url_path or app_pages.STEP_BY_STEP]
link_state.read_link(fields, known_names())
with st.sidebar:
    link_state.copy_link_ui()
page.run()
link_state.write_link(fields)
