"""EM Playground: the entry only routes between pages."""

import streamlit as st

from ui.state import keep_shared_settings

st.set_page_config(page_title="EM Playground", page_icon=":material/scatter_plot:", layout="wide")
keep_shared_settings()
page = st.navigation([
    st.Page("pages/step_by_step.py", title="Step by step", icon=":material/footprint:",
            default=True),
    st.Page("pages/initializations.py", title="Initializations", icon=":material/casino:"),
])
page.run()
