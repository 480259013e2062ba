"""EM Playground: the entry only routes between pages (the list is ``app_pages.pages``)."""

import streamlit as st

import app_pages
from ui import presenter

st.set_page_config(page_title="EM Playground", page_icon=str(app_pages.PAGE_ICON),
                   layout="wide", initial_sidebar_state=presenter.sidebar_state())
presenter.controls()
st.navigation(list(app_pages.pages().values())).run()
