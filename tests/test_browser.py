"""Real-browser tests: each lesson's main tool, moved in Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

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


def test_start_here_upload_explains_a_bad_file_then_shows_a_good_one(lab, tmp_path):
    page = lab.open("00_start_here.ipynb")
    message = page.locator(".pl-start-here .pl-message").first
    button = page.locator(".pl-start-here .pl-upload button").first
    # The button is drawn by its own small script; its words, with no "(0)" counter:
    page.wait_for_function("(b) => b.textContent.trim() === 'Upload your photo'", arg=button.element_handle(),
                           timeout=30_000)  # fmt: skip

    fake = tmp_path / "holiday.jpg"
    fake.write_text("<html><body>not a photo</body></html>")
    lab.upload(page, ".pl-start-here .pl-upload", fake)
    page.wait_for_function("(el) => el.textContent.includes('holiday.jpg')", arg=message.element_handle())
    assert "web page" in message.inner_text()

    before = lab.image_stats(page, ".pl-start-here img.pl-after")
    photo = tmp_path / "me.png"
    Image.new("RGB", (300, 200), (40, 160, 90)).save(photo)
    lab.upload(page, ".pl-start-here .pl-upload", photo)
    after = lab.wait_for_new_image(page, ".pl-start-here img.pl-after", before)
    assert (after["width"], after["height"]) == (300, 200)
    assert after["g"] > after["r"] + 60  # the green test photo, not the portrait
    assert "untouched" in message.inner_text()

    # Back to a bundled portrait, then the same file chosen again: it loads again (it used to be ignored).
    page.locator(".pl-start-here .pl-photo-menu select").first.select_option(label="Christina Koch")
    portrait = lab.wait_for_new_image(page, ".pl-start-here img.pl-after", after)
    assert portrait["g"] < portrait["r"]
    lab.upload(page, ".pl-start-here .pl-upload", photo)
    again = lab.wait_for_new_image(page, ".pl-start-here img.pl-after", portrait)
    assert again["g"] > again["r"] + 60
