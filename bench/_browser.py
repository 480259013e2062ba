"""What the browser benches share with tests/browser: starting and stopping a server,
launching Chromium, counting script runs. One import list, so the benches cannot drift apart.

A bench is run as a script (``python bench/bench_x.py``): its own folder is on ``sys.path``,
so ``from _browser import ...`` finds this module, which puts the repository root on the path
for ``tests.browser.conftest``."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402
    CHROMIUM_ARGS,
    DEBIAN_CHROMIUM,
    DRAWN_REVISIONS,
    RunCounter,
    free_port,
    launch_chromium,
    start_streamlit,
    stop,
    wait_for_app_idle,
)

__all__ = ["CHROMIUM_ARGS", "DEBIAN_CHROMIUM", "DRAWN_REVISIONS", "ROOT", "RunCounter",
           "free_port", "launch_chromium", "start_streamlit", "stop", "wait_for_app_idle"]
