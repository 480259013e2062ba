"""The floor under click-to-idle: what Plotly.js alone needs to draw one EM step's two charts.

The app's own figures (the data chart and the log-likelihood chart after each of several
"Full iteration" steps) are drawn with ``Plotly.react`` into a plain page in headless Chromium,
with no Streamlit around them, the way ``ui/live_chart.py`` updates them in the app. The time
runs from the call to the next painted frame; medians over the steps, repeated.

    .venv/bin/python bench/bench_chart_floor.py
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from gmm_core import EMEngine  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS, DEBIAN_CHROMIUM  # noqa: E402
from ui import data as data_mod  # noqa: E402
from ui import figures  # noqa: E402
from ui.live_chart import _PLOTLY_JS, figure_spec  # noqa: E402

STEPS = 8

DRAW = """async (figs) => {
  const chart = document.getElementById('chart');
  const times = [];
  await Plotly.newPlot(chart, figs[0].data, figs[0].layout);
  for (let round = 0; round < 3; round++) {
    for (let i = 1; i < figs.length; i++) {
      const t0 = performance.now();
      await Plotly.react(chart, figs[i].data, figs[i].layout);
      await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
      times.push(performance.now() - t0);
    }
  }
  Plotly.purge(chart);
  return times;
}"""


def step_figures(n):
    X = data_mod.load(data_mod.DEFAULT_DATASET, n=n).X
    engine = EMEngine(X, 2, random_state=0)
    main, ll = [], []
    for _ in range(STEPS):
        engine.step()
        history = engine.history
        record = history[-1]
        main.append(figures.mixture_figure(X, record, engine.responsibilities_at(record.index),
                                           previous=history[-2], uirevision="data"))
        ll.append(figures.log_likelihood_figure(history, record.index))
    return ([json.loads(figure_spec(f)) for f in main], [json.loads(figure_spec(f)) for f in ll])


def main():
    page_html = Path(tempfile.mkdtemp()) / "floor.html"
    page_html.write_text(f"<html><body><div id='chart' style='width:1180px'></div>"
                         f"<script src='{_PLOTLY_JS.as_uri()}'></script></body></html>")
    with sync_playwright() as p:
        kwargs = dict(headless=True, args=CHROMIUM_ARGS + ["--allow-file-access-from-files"])
        if Path(DEBIAN_CHROMIUM).exists():
            kwargs["executable_path"] = DEBIAN_CHROMIUM
        browser = p.chromium.launch(**kwargs)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(page_html.as_uri())
        print("Plotly.react of one step's figure, to the next painted frame (medians, ms)")
        for n in (600, 20_000):
            main_figs, ll_figs = step_figures(n)
            main_ms = statistics.median(page.evaluate(DRAW, main_figs))
            ll_ms = statistics.median(page.evaluate(DRAW, ll_figs))
            print(f"{n:>6,} points: data chart {main_ms:6.1f} ms, log-likelihood chart "
                  f"{ll_ms:5.1f} ms, both {main_ms + ll_ms:6.1f} ms", flush=True)
        browser.close()


if __name__ == "__main__":
    main()
