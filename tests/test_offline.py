"""The app works offline and says only what it must: a favicon shipped in the repository,
and `streamlit run app.py` printing the local URL alone."""

import tomllib
from pathlib import Path

from PIL import Image

import app_pages

ROOT = Path(__file__).resolve().parents[1]


def test_the_favicon_is_a_png_in_the_repository():
    icon = app_pages.PAGE_ICON
    assert icon.is_file() and ROOT in icon.resolve().parents
    with Image.open(icon) as image:
        assert image.format == "PNG" and image.size[0] == image.size[1] >= 32
    assert "page_icon=str(app_pages.PAGE_ICON)" in (ROOT / "app.py").read_text()
    assert ":material/" not in (ROOT / "app.py").read_text()


def test_streamlit_run_prints_only_the_local_url():
    # (checked by hand too: "URL: http://localhost:8501" and nothing about external IPs)
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["serverAddress"] == "localhost"
    assert config["server"]["address"] == "localhost"
