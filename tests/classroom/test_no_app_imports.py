"""The class store is usable without the app: it imports no Streamlit, Plotly, ui or pages
(read from its import statements, as tests/test_layering.py reads the other packages)."""

from tests.test_layering import offenders, python_files


def test_the_class_store_imports_no_app():
    app = {"streamlit", "plotly", "ui", "app_pages"}
    assert offenders(python_files("classroom"), lambda _, m: m.split(".")[0] in app) == {}


def test_the_class_questions_import_no_app():
    app = {"streamlit", "plotly", "ui", "app_pages", "classroom"}
    found = offenders(python_files("lab_maths"), lambda _, m: m.split(".")[0] in app)
    assert found == {}
