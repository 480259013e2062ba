"""Layout helpers shared by the page's sections."""

import streamlit as st


def side_by_side(left_width: int):
    """Two containers in a row that wraps: side by side in a wide window, one above the
    other in a narrow one (fixed columns squeezed a chart to 190 px at 900 px)."""
    with st.container(horizontal=True, wrap=True, gap="medium"):
        return st.container(width=left_width), st.container(width="stretch")
