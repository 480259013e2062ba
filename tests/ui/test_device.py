"""ui.device: a phone's chart restyling (pure figure work; the width probe is tested in the
browser, tests/browser/test_devices.py)."""

import plotly.graph_objects as go

from ui import device


def test_long_titles_wrap_at_spaces_and_keep_their_words():
    title = "Mean log-likelihood per point, spherical (VII), 5-fold cross-validation"
    lines = device.wrap_title(title, width=30)
    assert all(len(line) <= 30 for line in lines), lines
    assert " ".join(lines) == title
    assert device.wrap_title("a<br>b") == ["a", "b"]


def test_for_phone_fewer_ticks_legend_below_no_drag_and_room_for_the_title():
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]), layout=dict(
        title=dict(text="x " * 40, font=dict(size=20)), legend=dict(orientation="v"),
        xaxis=dict(nticks=12), margin=dict(l=60, r=60, t=20)))
    out = device.for_phone(fig).to_dict()["layout"]
    assert out["xaxis"]["nticks"] == device.PHONE_TICKS
    assert out["yaxis"]["nticks"] == device.PHONE_TICKS
    assert out["legend"]["orientation"] == "h" and out["legend"]["yref"] == "container"
    assert out["dragmode"] is False
    assert out["margin"]["l"] == 10 and out["margin"]["r"] == 10
    lines = out["title"]["text"].split("<br>")
    assert len(lines) >= 2 and out["title"]["font"]["size"] == device.TITLE_FONT
    assert out["margin"]["t"] >= 18 * len(lines)
    # the input is untouched
    assert fig.layout.xaxis.nticks == 12 and fig.layout.legend.orientation == "v"


def test_not_a_phone_without_a_report_or_a_mobile_agent():
    # (outside a Streamlit run: no session report, no headers)
    assert device.is_phone() is False
