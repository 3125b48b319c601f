"""Real-browser tests: each lesson's main tool, moved in Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent.parent / "images" / "screenshots"


def test_start_here_warmth_slider_warms_the_portrait(lab, tmp_path):
    page = lab.open("00_start_here.ipynb")
    tool = page.locator(".pl-start-here").first
    before = lab.image_stats(page, ".pl-start-here img.pl-after")

    lab.press(page, ".pl-start-here .pl-warmth", "ArrowRight", 6)
    after = lab.wait_for_new_image(page, ".pl-start-here img.pl-after", before)

    assert after["r"] - after["b"] > before["r"] - before["b"] + 3
    assert "+30" in page.locator(".pl-start-here .pl-warmth .widget-readout").first.inner_text()

    shot = tmp_path / "start_here.png"
    tool.screenshot(path=str(shot))
    if os.environ.get("UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(exist_ok=True)
        shutil.copy(shot, SCREENSHOTS / "start_here.png")
