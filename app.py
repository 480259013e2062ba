"""EM Playground: the entry only routes between pages."""

import streamlit as st

from pages import model_selection

st.set_page_config(page_title="EM Playground", page_icon=":material/scatter_plot:", layout="wide")
page = st.navigation([
    st.Page("app_pages/step_by_step.py", title="Step by step", icon=":material/footprint:",
            default=True),
    st.Page("app_pages/initializations.py", title="Initializations", icon=":material/casino:"),
    st.Page(model_selection.render, title="Model selection", url_path="model-selection",
            icon=":material/leaderboard:"),
])
page.run()
