"""Real-browser tests for lessons 03 and 08: move a slider in Chromium, check the pixels that come back."""

from __future__ import annotations

import time

import pytest

from jupyterlab_browser import read_loaded

pytestmark = pytest.mark.browser

# Mean absolute difference between horizontal neighbours over an <img>'s middle:
# high for textured skin, lower once it is smoothed.
_TEXTURE_JS = """
(img) => {
  const c = document.createElement('canvas');
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const x0 = Math.floor(c.width * 0.3), x1 = Math.floor(c.width * 0.7);
  const y0 = Math.floor(c.height * 0.35), y1 = Math.floor(c.height * 0.75);
  const d = ctx.getImageData(x0, y0, x1 - x0, y1 - y0).data;
  const w = x1 - x0; let sum = 0, n = 0;
  for (let y = 0; y < y1 - y0; y++) for (let x = 1; x < w; x++) {
    const i = (y * w + x) * 4, j = i - 4;
    sum += Math.abs((d[i] + d[i+1] + d[i+2]) - (d[j] + d[j+1] + d[j+2])) / 3; n++;
  }
  return {src: img.src, texture: sum / n};
}
"""


def _texture(page, selector):
    return read_loaded(page, selector, _TEXTURE_JS)


def test_texture_tool_smoothing_slider_smooths_the_skin_and_drops_the_meter(lab):
    page = lab.open("03_texture_and_imperfection.ipynb")
    after_img = ".pl-texture-tool img.pl-after"
    before = _texture(page, after_img)
    meter = page.locator(".pl-texture-tool .pl-meter").first
    assert meter.get_attribute("data-kept") == "1.000"

    lab.press(page, ".pl-texture-tool .pl-smoothing", "ArrowRight", 20)  # 0 -> 100 %
    lab.wait_for_new_image(page, after_img, lab.image_stats(page, after_img) | {"src": before["src"]})
    smoothed = _texture(page, after_img)
    assert smoothed["texture"] < before["texture"] * 0.85
    page.wait_for_function("(el) => parseFloat(el.dataset.kept) < 0.6", arg=meter.element_handle())

    lab.press(page, ".pl-texture-tool .pl-restore", "ArrowRight", 20)  # restore 100 %
    deadline = time.monotonic() + 30
    while _texture(page, after_img)["src"] == smoothed["src"] and time.monotonic() < deadline:
        page.wait_for_timeout(300)
    page.wait_for_timeout(800)
    restored = _texture(page, after_img)
    assert restored["texture"] > smoothed["texture"] * 1.05
    page.wait_for_function("(el) => parseFloat(el.dataset.kept) > 0.85", arg=meter.element_handle())


def test_editing_panel_slider_warms_and_the_toggle_shows_the_original(lab):
    page = lab.open("08_editing_for_warmth_and_depth.ipynb")
    image = ".pl-editing-panel img.pl-panel-image"
    original = lab.image_stats(page, image)

    lab.press(page, ".pl-editing-panel .pl-light-midtone-warmth", "ArrowRight", 6)  # +30 mireds
    warmed = lab.wait_for_new_image(page, image, original)
    assert warmed["r"] - warmed["b"] > original["r"] - original["b"] + 1  # a dark photo: midtones are few
    summary = page.locator(".pl-editing-panel .pl-summary").first
    assert "midtones only (+30 mireds)" in summary.inner_text()

    page.locator(".pl-editing-panel .pl-compare button", has_text="Before").first.click()
    shown = lab.wait_for_new_image(page, image, warmed)
    assert abs((shown["r"] - shown["b"]) - (original["r"] - original["b"])) < 0.5

    page.locator(".pl-editing-panel .pl-compare button", has_text="After").first.click()
    back = lab.wait_for_new_image(page, image, shown)
    assert abs((back["r"] - back["b"]) - (warmed["r"] - warmed["b"])) < 0.5

    page.locator(".pl-editing-panel .pl-undo").first.click()
    undone = lab.wait_for_new_image(page, image, back)
    assert abs((undone["r"] - undone["b"]) - (original["r"] - original["b"])) < 0.5
    assert "+0" in page.locator(".pl-editing-panel .pl-light-midtone-warmth .widget-readout").first.inner_text()
