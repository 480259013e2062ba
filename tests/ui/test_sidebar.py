"""ui.sidebar through AppTest: the standardise checkbox for every dataset, and a Model section
without the start widgets for pages whose runs have their own."""

from streamlit.testing.v1 import AppTest


def _model_script(show_start):
    import streamlit as st

    from ui.sidebar import data_ui, model_ui

    data = data_ui()
    st.session_state["settings"] = model_ui(data, show_start=show_start)


def _run(show_start, **state):
    at = AppTest.from_function(_model_script, args=(show_start,), default_timeout=60)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_model_ui_without_the_start_widgets_keeps_complete_settings():
    at = _run(False, s_init="k-means++", s_seed=7)
    labels = [w.label for w in (*at.sidebar.selectbox, *at.sidebar.number_input)]
    assert "Initialisation" not in labels and "Seed" not in labels
    assert any("own start and seed" in c.value for c in at.sidebar.caption)
    settings = at.session_state["settings"]
    assert settings.init == "k-means++" and settings.seed == 7 and settings.n_components == 3
    shown = _run(True)
    labels = [w.label for w in (*shown.sidebar.selectbox, *shown.sidebar.number_input)]
    assert "Initialisation" in labels and "Seed" in labels


def test_every_dataset_can_be_standardised_from_the_sidebar():
    for name in ("Old Faithful", "Penguins", "1-D bimodal", "Unequal cluster sizes"):
        at = _run(True, s_dataset=name)
        [box] = [c for c in at.sidebar.checkbox if c.label.startswith("Standardise")]
        box.check().run()
        data = at.session_state["data"]
        assert abs(data.X.mean(axis=0)).max() < 1e-9 and abs(data.X.std(axis=0) - 1).max() < 1e-9
        assert data.same_units
        assert any("Standardised" in c.value for c in at.sidebar.caption), name
