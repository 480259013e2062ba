"""ui.live_chart: the in-place Plotly chart component (its Python side; the browser tests
drive the frontend)."""

import json
import os
import re
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import plotly
from streamlit.testing.v1 import AppTest

from gmm_core import EMEngine
from ui import figures, live_chart
from ui.palette import OKABE_ITO

from ..pages.apptest import APP


def _record_figure():
    X = np.random.default_rng(0).normal(size=(50, 2))
    engine = EMEngine(X, 2, random_state=0)
    engine.step()
    record = engine.history[-1]
    fig = figures.mixture_figure(X, record, engine.responsibilities_at(record.index),
                                 previous=engine.history[-2])
    return X, record, fig


def test_spec_is_the_figure_with_a_concrete_template():
    X, record, fig = _record_figure()
    colors = list(fig.data[0].marker.color)
    spec = live_chart.figure_spec(fig)
    assert isinstance(spec, bytes)
    parsed = json.loads(spec)
    assert parsed["layout"]["template"]["layout"]["colorway"] == list(OKABE_ITO)
    # no placeholder colours of Streamlit's own template ("#000001"…) reach the browser
    assert not re.search(rb'"#0000(0[1-9]|[1-3][0-9]|40)"', spec)
    assert parsed["layout"]["height"] == fig.layout.height
    assert parsed["layout"]["clickmode"] == "event"  # no lasting selection that dims points
    assert parsed["layout"]["title"]["text"] == figures.record_title(record)
    points = parsed["data"][0]
    assert points["marker"]["color"] == colors
    assert len(parsed["data"]) == len(fig.data)


def test_frontend_directory_holds_the_page_and_plotly():
    folder = live_chart._frontend_dir()
    assert folder == live_chart._frontend_dir()  # written once, then reused
    html = (folder / "index.html").read_text()
    assert 'src="plotly.min.js"' in html and 'src="main.js"' in html
    assert (folder / "main.js").read_text() == (live_chart._FRONTEND / "main.js").read_text()
    bundled = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    assert live_chart._PLOTLY_JS == bundled
    assert (folder / "plotly.min.js").read_bytes() == bundled.read_bytes()


def test_frontend_directory_is_private_to_this_process():
    """Another local user could make a predictable folder under the shared temp dir first,
    with a Plotly.js of their own: the component's folder is new, ours, and 0700."""
    folder = live_chart._frontend_dir()
    info = folder.stat()
    assert stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == os.getuid()
    assert folder.parent == Path(tempfile.gettempdir())
    # a folder planted beforehand is not what the component serves
    planted = Path(tempfile.mkdtemp(prefix="em-playground-live-chart-"))
    (planted / "plotly.min.js").write_text("alert('planted')")
    assert live_chart._frontend_dir() != planted
    assert b"planted" not in (folder / "plotly.min.js").read_bytes()


def test_a_new_process_gets_a_new_private_folder():
    code = ("import sys; sys.path.insert(0, '.'); from ui import live_chart; "
            "print(live_chart._frontend_dir())")
    root = Path(__file__).resolve().parents[2]
    folders = [subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                              text=True, check=True).stdout.strip().splitlines()[-1]
               for _ in range(2)]
    assert folders[0] != folders[1] and str(live_chart._frontend_dir()) not in folders
    assert not any(Path(f).exists() for f in folders)  # removed when the process exits


def test_click_payload_is_read_like_a_plotly_selection():
    # the frontend posts {"selection": {"points": [...]}, "click": n}
    click = {"selection": {"points": [{"curve_number": 0, "point_index": 7,
                                       "customdata": 7}]}, "click": 3}
    assert live_chart.point_index(click) == 7
    assert live_chart.point_index({"selection": {"points": [{"customdata": [12]}]}}) == 12
    assert live_chart.point_index({"selection": {"points": [{"point_index": 4}]}}) is None
    assert live_chart.point_index(None) is None


def _charts(at):
    """The live charts (not the width probe of ui/device.py, also a component)."""
    return {json.loads(c.proto.json_args)["key"]: c for c in at.get("component_instance")
            if c.proto.component_name.endswith("live_chart")}


def test_step_page_sends_each_step_to_the_same_two_charts():
    at = AppTest.from_file(APP, default_timeout=60).run()
    charts = _charts(at)
    assert set(charts) == {"main_chart", "ll_chart"}
    assert json.loads(charts["main_chart"].proto.json_args)["revision"] == "0"
    next(b for b in at.button if b.label == "Full iteration").click().run()
    charts = _charts(at)
    main = charts["main_chart"].proto
    assert json.loads(main.json_args)["revision"] == "2"
    spec = json.loads(next(a.bytes for a in main.special_args if a.key == "spec"))
    assert "iteration 1" in spec["layout"]["title"]["text"]
    ll = json.loads(next(a.bytes for a in charts["ll_chart"].proto.special_args
                         if a.key == "spec"))
    shown = next(t for t in ll["data"] if t.get("name") == "shown")
    assert shown["x"] == [2]


def test_axes_without_a_range_autorange():
    # a range set by an earlier figure must not stay on the in-place chart
    X = np.random.default_rng(1).normal(size=(40, 1))
    engine = EMEngine(X, 2, random_state=0)
    for _ in range(3):
        engine.step()
    ll = json.loads(live_chart.figure_spec(
        figures.log_likelihood_figure(engine.history, 2)))["layout"]
    assert ll["xaxis"]["autorange"] is True
    for axis in [ll["yaxis"]]:  # its own range when the start is far below, else autorange
        assert ("range" in axis) != (axis.get("autorange") is True), axis
    one_d = json.loads(live_chart.figure_spec(figures.density_1d_figure(
        X, engine.history[-1], engine.responsibilities_at(len(engine.history) - 1))))["layout"]
    assert one_d["yaxis"]["autorange"] is True
    assert "autorange" not in one_d["yaxis2"] and one_d["yaxis2"]["range"] == [-0.2, 1.02]
