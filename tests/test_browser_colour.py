"""Real-browser tests for lessons 05 and 06: each notebook's main tool, moved in Chromium."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_grading_panel_temperature_slider_warms_the_portrait(lab):
    page = lab.open("05_colour_psychology.ipynb")
    after = ".pl-grading img.pl-after"
    before = lab.image_stats(page, after)

    lab.press(page, ".pl-grading .pl-temperature", "ArrowRight", 60)  # +3000 K
    warmed = lab.wait_for_new_image(page, after, before)

    # as a ratio: the same warming moves a dark portrait's means fewer levels (measured x1.08-1.10 on all 8)
    assert warmed["r"] / warmed["b"] > 1.05 * before["r"] / before["b"]
    readout = page.locator(".pl-grading .pl-readout").first.inner_text()
    assert "warm-cool index" in readout and "skin hue" in readout and "K: warm" in readout

    # A black-and-white portrait: the skin rows give way to a plain note.
    page.locator(".pl-grading select").first.select_option(label="Katherine Johnson")
    page.wait_for_function(
        "() => document.querySelector('.pl-grading .pl-readout').innerText.includes('Black and white')", timeout=30000
    )
    assert "skin hue" not in page.locator(".pl-grading .pl-readout").first.inner_text()


def test_era_picker_applies_an_era_and_its_strength(lab):
    page = lab.open("06_nostalgia_and_culture.ipynb")
    after = ".pl-era-picker img.pl-after"
    before = lab.image_stats(page, after)

    page.locator(".pl-era-picker .pl-era select").first.select_option(label="Instant photo")
    faded = lab.wait_for_new_image(page, after, before)
    brightness = lambda s: s["r"] + s["g"] + s["b"]
    assert brightness(faded) > brightness(before) + 15  # lifted, milky blacks on a dark portrait
    assert "instant" in page.locator(".pl-era-picker").first.inner_text().lower()

    lab.press(page, ".pl-era-picker .pl-strength", "ArrowLeft", 10)  # 100 % -> 50 %
    weaker = lab.wait_for_new_image(page, after, faded)
    assert brightness(before) < brightness(weaker) < brightness(faded)

    # The contrast slider (added for exercise 2) fine-tunes the look live.
    page.locator(".pl-era-picker").get_by_text("Grain and fade").first.click()
    lab.press(page, ".pl-era-picker .pl-contrast", "ArrowRight", 30)
    lab.wait_for_new_image(page, after, weaker)
