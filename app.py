"""EM Playground: the entry only routes between pages."""

import streamlit as st

from ui.state import keep_shared_settings

st.set_page_config(page_title="EM Playground", page_icon="🎯", layout="wide")
keep_shared_settings()
page = st.navigation([
    st.Page("pages/step_by_step.py", title="Step by step", icon="👣", default=True),
    st.Page("pages/initializations.py", title="Initializations", icon="🎲"),
])
page.run()
