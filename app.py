"""EM Playground: the entry only routes between pages (the list is ``app_pages.pages``)."""

import streamlit as st

import app_pages
import ui.threads  # noqa: F401  one thread per BLAS/OpenMP pool (see there)

st.set_page_config(page_title="EM Playground", page_icon=str(app_pages.PAGE_ICON),
                   layout="wide")
st.navigation(list(app_pages.pages().values())).run()
