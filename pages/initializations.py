"""Initializations: the same data fitted from different starts (placeholder until built)."""

import streamlit as st

st.title("Initializations")
