"""Presenter mode through AppTest: ``?present=1`` turns it on, the sidebar toggle and the
exit button write the URL, it lasts across pages, and the charts are drawn for a projector
(bigger text, the high-contrast palette) only while it is on."""

import json

from streamlit.testing.v1 import AppTest

from app_pages import LESSON
from app_pages.step_by_step import keys
from ui import palette, presenter
from ui.figures import FONT

from ..apptest import APP, button, click, metrics, switch_to


def open_with(query=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def toggle(at):
    return at.sidebar.toggle(key=presenter.KEY)


def live_figures(at) -> dict:
    """The figures the live charts were sent, by chart key."""
    out = {}
    for element in at.get("component_instance"):
        proto = element.proto
        if proto.component_name != "ui.live_chart.live_chart":
            continue
        [spec] = [a.bytes for a in proto.special_args if a.key == "spec"]
        out[proto.id] = json.loads(spec)
    assert len(out) == 2, out.keys()  # the data chart and the log-likelihood chart
    return out


def component_marker_colors(fig) -> list:
    """The colours of the components' means ("1: π=…", "2: π=…", …), in order."""
    return [t["marker"]["color"] for t in fig["data"] if ": π=" in t.get("name", "")]


def test_the_link_turns_it_on():
    at = open_with({"present": "1"})
    assert toggle(at).value is True
    assert at.query_params["present"] == "1"
    # the compact layout: no title or caption, the stepping buttons and the exit button
    assert not at.title
    assert {"E-step", "M-step", "Full iteration", "Exit presenter mode"} <= {
        b.label for b in at.button}
    m = click(at, "Full iteration")
    assert m["Iteration"] == "1" and m["Phase"] == "M-step"


def test_off_by_default_and_nothing_changes():
    at = open_with()
    assert toggle(at).value is False
    assert "present" not in at.query_params
    assert at.title[0].value == "EM, one half-step at a time"
    assert "Exit presenter mode" not in {b.label for b in at.button}
    for fig in live_figures(at).values():
        assert fig["layout"]["font"]["size"] == FONT["size"]
    marks = component_marker_colors(next(f for f in live_figures(at).values()
                                         if component_marker_colors(f)))
    assert marks == [palette.darken(c, 0.2) for c in palette.OKABE_ITO[: len(marks)]]


def test_the_toggle_writes_the_link_and_the_exit_button_clears_it():
    at = open_with()
    toggle(at).set_value(True).run()
    assert not at.exception, at.exception
    assert at.query_params["present"] == "1"
    assert not at.title
    button(at, "Exit presenter mode").click().run()
    assert not at.exception, at.exception
    assert "present" not in at.query_params
    assert toggle(at).value is False
    assert at.title[0].value == "EM, one half-step at a time"


def test_charts_are_drawn_for_a_projector_with_the_presenter_palette():
    at = open_with({"present": "1"})
    click(at, "Full iteration")
    figs = live_figures(at)
    for fig in figs.values():
        layout = fig["layout"]
        assert layout["font"]["size"] >= 18 and layout["title"]["font"]["size"] >= 22
        assert layout["xaxis"]["tickfont"]["size"] >= 18
    marks = component_marker_colors(next(f for f in figs.values()
                                         if component_marker_colors(f)))
    assert len(marks) >= 2
    assert marks == [palette.darken(c, 0.2) for c in palette.PRESENTER[: len(marks)]]
    # the palette was set for the page's run only, not left on for whatever runs next
    assert palette.component_color(1) == palette.OKABE_ITO[1]


def test_it_lasts_across_pages_and_the_steps_go_on():
    at = open_with({"present": "1"})
    switch_to(at, LESSON).run()
    assert not at.exception, at.exception
    assert toggle(at).value is True and at.query_params["present"] == "1"
    assert "Exit presenter mode" in {b.label for b in at.button}
    switch_to(at, "step-by-step").run()
    assert not at.exception, at.exception
    assert not at.title
    assert metrics(at)["Phase"] == "start"
    assert at.session_state[keys.RUN]
