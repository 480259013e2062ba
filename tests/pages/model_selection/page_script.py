"""AppTest script: the Model selection page alone, without st.navigation."""

from app_pages.model_selection import render

render()
