"""Baseline for bench_clicks.py: a button that only bumps an st.metric."""

import streamlit as st


def bump():
    st.session_state["n"] = st.session_state.get("n", 0) + 1


st.button("Full iteration", on_click=bump)
st.metric("Iteration", st.session_state.get("n", 0))
