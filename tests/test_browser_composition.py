"""Real-browser tests for lesson 04: each tool moved in Chromium, at a 1366 x 768 laptop's viewport."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from jupyterlab_browser import read_loaded

pytestmark = pytest.mark.browser

_PIXELS_JS = """
(img) => {
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  canvas.getContext('2d').drawImage(img, 0, 0);
  return canvas.toDataURL('image/png');
}
"""


def pixels(page, selector: str) -> np.ndarray:
    url = read_loaded(page, selector, _PIXELS_JS)
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB")).astype(float)


@pytest.fixture(scope="module")
def page(lab):
    page = lab.open("04_posture_framing_background.ipynb", timeout=300)
    page.set_viewport_size({"width": 1366, "height": 768})
    yield page
    page.close()


def fits_the_laptop(page, tool: str, parts: list[str]) -> None:
    """Scrolled to the tool, its picture, main slider and readout are all inside 1366 x 768 at once."""
    page.locator(tool).first.scroll_into_view_if_needed()
    page.locator(f"{tool} {parts[0]}").first.evaluate("e => e.scrollIntoView({block: 'start'})")
    boxes = [page.locator(f"{tool} {part}").first.bounding_box() for part in parts]
    top = min(b["y"] for b in boxes)
    bottom = max(b["y"] + b["height"] for b in boxes)
    right = max(b["x"] + b["width"] for b in boxes)
    assert bottom - top <= 768 and right <= 1366, f"{tool}: {parts} span {bottom - top:.0f} px high, reach x={right:.0f}"


def test_figure_tool_redraws_in_the_browser(lab, page):
    tool = ".pl-figure-tool"
    before_stats = lab.image_stats(page, f"{tool} img.pl-figure-picture")
    before = pixels(page, f"{tool} img.pl-figure-picture")
    lab.press(page, f"{tool} .pl-figure-turn", "ArrowRight", 30)
    lab.wait_for_new_image(page, f"{tool} img.pl-figure-picture", before_stats)
    after = pixels(page, f"{tool} img.pl-figure-picture")
    assert "30" in page.locator(f"{tool} .pl-figure-turn .widget-readout").first.inner_text()
    assert (np.abs(after - before).sum(axis=2) > 40).mean() > 0.01
    fits_the_laptop(page, tool, ["img.pl-figure-picture", ".pl-figure-turn", ".pl-readout"])


def test_distance_tool_redraws_in_the_browser(lab, page):
    tool = ".pl-distance-tool"
    before_stats = lab.image_stats(page, f"{tool} img.pl-after")
    before = pixels(page, f"{tool} img.pl-after")
    lab.press(page, f"{tool} .pl-distance", "Home")  # to 0.3 m
    lab.wait_for_new_image(page, f"{tool} img.pl-after", before_stats)
    after = pixels(page, f"{tool} img.pl-after")
    assert before.shape == after.shape
    assert (np.abs(after - before).sum(axis=2) > 30).mean() > 0.02, "the face changed shape"
    assert "wider" in page.locator(f"{tool} .pl-readout").first.inner_text()
    fits_the_laptop(page, tool, ["img.pl-after", ".pl-distance", ".pl-readout"])


def test_crop_tool_zooms_in_the_browser(lab, page):
    tool = ".pl-crop-tool"
    before_stats = lab.image_stats(page, f"{tool} img.pl-crop-picture")
    readout = page.locator(f"{tool} .pl-readout").first.inner_text()
    lab.press(page, f"{tool} .pl-crop-zoom", "ArrowRight", 30)
    after_stats = lab.wait_for_new_image(page, f"{tool} img.pl-crop-picture", before_stats)
    assert after_stats["width"] < before_stats["width"], "a tighter crop has fewer pixels"
    assert page.locator(f"{tool} .pl-readout").first.inner_text() != readout
    fits_the_laptop(page, tool, ["img.pl-crop-picture", ".pl-crop-zoom", ".pl-readout"])


def test_ground_tool_changes_the_backdrop_in_the_browser(lab, page):
    tool = ".pl-ground-tool"
    before_stats = lab.image_stats(page, f"{tool} img.pl-after")
    page.locator(f"{tool} .pl-ground select").first.select_option(label="studio: seamless paper, white")
    after_stats = lab.wait_for_new_image(page, f"{tool} img.pl-after", before_stats)
    # From a city at night to white paper: the picture is much brighter.
    assert after_stats["r"] > before_stats["r"] + 20
    after = pixels(page, f"{tool} img.pl-after")
    assert after[5:30, 5:30].mean() > 150, "a top corner shows the white paper"
    fits_the_laptop(page, tool, ["img.pl-after", ".pl-ground-wrap", ".pl-readout"])
