"""AppTest script: the Model selection page alone, without st.navigation."""

from pages.model_selection import render

render()
