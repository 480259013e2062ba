"""Baseline for bench_navigation.py: a bare Streamlit multipage app with the app's five page
titles and url paths, each page a title and one line; the "Lesson" page has a button that
switches to Step by step as the Lesson's "Open Step by step" does."""

import streamlit as st

TITLES = {"step-by-step": "Step by step", "initializations": "Initializations",
          "model-selection": "Model selection", "applications": "Applications",
          "lesson": "Lesson"}


def make(url_path, title):
    def render():
        st.title(title)
        st.write("A bare page.")
        if url_path == "lesson" and st.button("Open Step by step", type="primary"):
            st.switch_page(pages["step-by-step"])
    render.__name__ = url_path.replace("-", "_")
    return st.Page(render, title=title, url_path=url_path, default=url_path == "step-by-step")


pages = {u: make(u, t) for u, t in TITLES.items()}
st.set_page_config(page_title="bare", layout="wide")
st.navigation(list(pages.values())).run()
