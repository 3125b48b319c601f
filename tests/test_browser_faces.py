"""Real-browser tests for lessons 01 and 02: each main face tool, moved in Chromium."""

from __future__ import annotations

import base64
import io
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from face_measures import iris_displacement
from jupyterlab_browser import read_loaded
from portrait_lessons.face.edits import iris_shift
from portrait_lessons.ui.face_tools import GAZE_PAD, FaceEditModel

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent.parent / "images" / "screenshots"
_PIXELS_JS = """
(img) => {
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  canvas.getContext('2d').drawImage(img, 0, 0);
  return canvas.toDataURL('image/png');
}
"""


def pixels(page, selector: str) -> np.ndarray:
    """The RGB pixels of the first rendered <img> at ``selector``, as the browser decoded them."""
    url = read_loaded(page, selector, _PIXELS_JS)
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB"))


def keep_screenshot(locator, tmp_path: Path, name: str) -> None:
    shot = tmp_path / name
    locator.screenshot(path=str(shot))
    if os.environ.get("UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(exist_ok=True)
        shutil.copy(shot, SCREENSHOTS / name)


def test_gaze_pad_moves_the_irises_to_the_right(lab, tmp_path):
    page = lab.open("01_eyes_and_gaze.ipynb")
    tool = page.locator(".pl-gaze").first
    before_stats = lab.image_stats(page, ".pl-gaze img.pl-after")
    before = pixels(page, ".pl-gaze img.pl-after")

    lab.press(page, ".pl-gaze .pl-gaze-x", "ArrowRight", 10)
    lab.wait_for_new_image(page, ".pl-gaze img.pl-after", before_stats)
    after = pixels(page, ".pl-gaze img.pl-after")

    assert "+10" in page.locator(".pl-gaze .pl-gaze-x .widget-readout").first.inner_text()
    model = FaceEditModel(photo="koch", pad=GAZE_PAD)  # the notebook's tool shows Christina Koch
    left, top, _, _ = model.box
    expected = iris_shift(model.landmarks, 10)[0]
    for side in ("left", "right"):
        moved = iris_displacement(before, after, model.landmarks, side, (left, top))
        assert abs(moved - expected) < 1.5, f"{side} iris moved {moved:+.2f} px in the browser, expected {expected:+.2f}"
    keep_screenshot(tool, tmp_path, "eyes_and_gaze.png")


def test_expression_slider_lifts_the_left_mouth_corner(lab, tmp_path):
    page = lab.open("02_expression_and_asymmetry.ipynb")
    tool = page.locator(".pl-expression").first
    before_stats = lab.image_stats(page, ".pl-expression img.pl-after")
    before = pixels(page, ".pl-expression img.pl-after").astype(float)

    lab.press(page, ".pl-expression .pl-mouth-left", "ArrowRight", 10)  # steps of 0.5 px: +5 px
    lab.wait_for_new_image(page, ".pl-expression img.pl-after", before_stats)
    after = pixels(page, ".pl-expression img.pl-after").astype(float)

    assert "+5.0" in page.locator(".pl-expression .pl-mouth-left .widget-readout").first.inner_text()
    model = FaceEditModel(photo="koch")
    left, top, _, _ = model.box
    p = model.landmarks.points
    centre_x = (p["mouth_left"][0] + p["mouth_right"][0]) / 2 - left
    change = after.mean(axis=2) - before.mean(axis=2)
    ys, xs = np.nonzero(np.abs(change) > 12)
    assert len(xs) > 20 and xs.mean() < centre_x, "the change is on the picture's left side"
    # Round the corner, pixels got darker above where they got lighter: the lip line went up.
    cx, cy = round(p["mouth_left"][0] - left), round(p["mouth_left"][1] - top)
    box = change[cy - 15 : cy + 15, cx - 15 : cx + 15]
    yy = np.arange(cy - 15, cy + 15)[:, None] + np.zeros_like(box)
    darker, lighter = np.clip(-box, 0, None), np.clip(box, 0, None)
    assert (yy * darker).sum() / darker.sum() < (yy * lighter).sum() / lighter.sum()
    assert "one-sided" in page.locator(".pl-expression .pl-readout").first.inner_text()
    keep_screenshot(tool, tmp_path, "expression_and_asymmetry.png")
