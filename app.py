"""EM Playground: the entry only routes between pages."""

import streamlit as st

import pages.applications

st.set_page_config(page_title="EM Playground", page_icon=":material/scatter_plot:", layout="wide")
page = st.navigation([
    st.Page("app_pages/step_by_step.py", title="Step by step", icon=":material/footprint:",
            default=True),
    st.Page("app_pages/initializations.py", title="Initializations", icon=":material/casino:"),
    st.Page(pages.applications.render, title="Applications", url_path="applications",
            icon=":material/apps:"),
])
page.run()
