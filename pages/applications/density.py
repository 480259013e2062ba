"""TODO"""

import streamlit as st


def render(data, settings):
    st.info("Not built yet.")
