"""Warm looks keep skin believable; a preset described as cool renders cooler skin.

A review found the 1970s slide preset turning four faces orange, the "cool" 2000s
digital compact rendering skin red-orange, and warm sliders pushing skin orange.
Skin is measured as the mean colour inside the skin mask: its hue (HSV, within the
lessons' natural band :data:`portrait_lessons.measure.NATURAL_SKIN_HUE`), how strong
its colour is against the original (Cb-Cr chroma ratio), and red minus blue over the sum (warmth, apart from brightness).
"""

from __future__ import annotations

import numpy as np
import pytest

from portrait_lessons import examples
from portrait_lessons.retouch.depth import warm_midtones
from portrait_lessons.colour.eras import at_strength, eras, preset
from portrait_lessons.colour.look import Look, render_look
from portrait_lessons.colour.measure import NATURAL_SKIN_HUE, skin_tone
from portrait_lessons.retouch.texture import skin_mask

#: How much stronger skin colour may get.
PRESET_CHROMA = 1.25
SLIDER_MID_CHROMA = 1.5
COLOUR_PHOTOS = [name for name in examples.names() if name != "johnson"]  # Johnson's is black and white


def skin_colour(image: np.ndarray, mask: np.ndarray) -> tuple[float, float, float]:
    """(HSV hue in degrees, Cb-Cr chroma, red minus blue over the sum: warmth whatever the exposure) of the mask-weighted mean colour."""
    weights = (mask / mask.sum()).ravel()
    r, g, b = (image.reshape(-1, 3).astype(float) * weights[:, None]).sum(axis=0)
    cb, cr = -0.168736 * r - 0.331264 * g + 0.5 * b, 0.5 * r - 0.418688 * g - 0.081312 * b
    return skin_tone((r, g, b))[0], float(np.hypot(cb, cr)), float((r - b) / (r + g + b))


@pytest.fixture(scope="module")
def photos():
    out = {}
    for name in COLOUR_PHOTOS:
        image, points = examples.load_portrait(name, 384), examples.portrait_landmarks(name, 384)
        out[name] = (image, skin_mask(image, points))
    return out


def _check_natural(photos, render, chroma_limit, label):
    for name, (image, mask) in photos.items():
        hue, chroma, _ = skin_colour(render(image), mask)
        _, chroma_before, _ = skin_colour(image, mask)
        assert NATURAL_SKIN_HUE[0] <= hue <= NATURAL_SKIN_HUE[1], f"{label} on {name}: skin hue {hue:.0f} degrees"
        assert chroma / chroma_before <= chroma_limit, f"{label} on {name}: skin colour x{chroma / chroma_before:.2f}"


@pytest.mark.parametrize("era", [e.id for e in eras() if e.id != "bw_1960s"])
def test_every_colour_preset_keeps_skin_natural_at_strength_1(photos, era):
    look = at_strength(preset(era).look, 1.0)
    _check_natural(photos, lambda image: render_look(image, look), PRESET_CHROMA, era)


@pytest.mark.parametrize("label, render", [
    ("temperature mid-way warm (9250 K)", lambda image: render_look(image, Look(temperature=9250))),
    ("grading: warm midtones at 50", lambda image: render_look(image, Look(grade_midtones=50, grade_midtones_hue=40))),
    ("grading: warm highlights at 50", lambda image: render_look(image, Look(grade_highlights=50, grade_highlights_hue=40))),
    ("warm cast at 50", lambda image: render_look(image, Look(cast=50, cast_hue=30))),
    ("midtone warmth +30", lambda image: warm_midtones(image, 30)),
    ("halation at 50", lambda image: render_look(image, Look(halation=50))),
    ("light leak at 50", lambda image: render_look(image, Look(light_leak=50))),
])  # fmt: skip
def test_warm_sliders_at_mid_keep_skin_natural(photos, label, render):
    _check_natural(photos, render, SLIDER_MID_CHROMA, label)


def test_the_cool_preset_renders_cooler_skin(photos):
    era = preset("digicam_2000s")
    assert "cool" in era.cues
    for name, (image, mask) in photos.items():
        _, _, warmth_before = skin_colour(image, mask)
        _, _, warmth_after = skin_colour(render_look(image, era.look), mask)
        assert warmth_after < warmth_before, f"{name}: warmth {warmth_before:.3f} -> {warmth_after:.3f}"


@pytest.mark.parametrize("kelvin", [3000.0, 12000.0])
def test_both_ends_of_the_temperature_scale_keep_skin_believable(photos, kelvin):
    """The cool end is as mild as the warm end: 3000 K used to turn skin saturated cyan (hue 192-198 degrees, colour x1-3.6)."""
    for name, (image, mask) in photos.items():
        hue_before, chroma_before, _ = skin_colour(image, mask)
        hue, chroma, _ = skin_colour(render_look(image, Look(temperature=kelvin)), mask)
        assert NATURAL_SKIN_HUE[0] <= hue <= NATURAL_SKIN_HUE[1], f"{kelvin:.0f} K on {name}: skin hue {hue:.0f} degrees"
        assert abs(hue - hue_before) <= 12, f"{kelvin:.0f} K on {name}: skin hue {hue_before:.0f} -> {hue:.0f} degrees"
        assert 0.4 <= chroma / chroma_before <= 1.7, f"{kelvin:.0f} K on {name}: skin colour x{chroma / chroma_before:.2f}"


def _skin_delta_e(photos, look) -> float:
    """Mean CIELAB Delta E of the skin's mean colour over the colour photos."""
    import cv2

    def lab(rgb):
        return cv2.cvtColor(np.array([[rgb]], np.float32) / 255, cv2.COLOR_RGB2LAB)[0, 0]

    def mean_rgb(image, mask):
        return (image.reshape(-1, 3).astype(float) * (mask / mask.sum()).ravel()[:, None]).sum(axis=0)

    return float(np.mean([np.linalg.norm(lab(mean_rgb(render_look(image, look), mask)) - lab(mean_rgb(image, mask)))
                          for image, mask in photos.values()]))  # fmt: skip


def test_the_temperature_slider_is_as_strong_warm_as_cool(photos):
    """Equal distances along the slider either side of daylight change skin about equally.

    Taken literally the warm end (12000 K, 70 mireds) changed skin by 12.5 against the cool
    end's 9.6 (which corrects as for 5000 K), and half-way 8.4 against 2.8.
    """
    from portrait_lessons.colour.adjust import NEUTRAL_KELVIN, TEMPERATURE_RANGE

    low, high = TEMPERATURE_RANGE
    for share in (0.5, 1.0):
        cool = _skin_delta_e(photos, Look(temperature=NEUTRAL_KELVIN - share * (NEUTRAL_KELVIN - low)))
        warm = _skin_delta_e(photos, Look(temperature=NEUTRAL_KELVIN + share * (high - NEUTRAL_KELVIN)))
        assert 0.8 <= warm / cool <= 1.25, f"at {share:.0%} of the way: warm {warm:.1f}, cool {cool:.1f}"


@pytest.mark.parametrize("look, label", [(Look(temperature=3000), "3000 K"), (Look(temperature=12000), "12000 K")])
def test_the_cheek_stays_skin_at_both_ends_of_the_temperature_scale(look, label):
    """The review's measure, the cheek patch the colour tools show: 3000 K turned Collins's cheek
    mauve (hue 21 -> 343 degrees) and Armstrong's 17 -> 4; 12000 K pushed Collins's to 31 (orange)."""
    from portrait_lessons.colour.measure import cheek_patch, skin_tone

    for name in COLOUR_PHOTOS:
        image, points = examples.load_portrait(name, 1024), examples.portrait_landmarks(name, 1024)
        before = skin_tone(cheek_patch(image, points))[0]
        hue = skin_tone(cheek_patch(render_look(image, look), points))[0]
        assert NATURAL_SKIN_HUE[0] + 3 <= hue <= NATURAL_SKIN_HUE[1], f"{label} on {name}: cheek hue {hue:.0f}"
        assert abs(hue - before) <= 9, f"{label} on {name}: cheek hue {before:.0f} -> {hue:.0f} degrees"


def test_cool_midtones_keep_the_cheek_out_of_magenta():
    """Midtone warmth at -60 drifted skin toward magenta (Armstrong's cheek 17 -> 3 degrees, Hopper's 18 -> 12)."""
    from portrait_lessons.colour.measure import cheek_patch, skin_tone

    for name in COLOUR_PHOTOS:
        image, points = examples.load_portrait(name, 1024), examples.portrait_landmarks(name, 1024)
        before = skin_tone(cheek_patch(image, points))[0]
        hue = skin_tone(cheek_patch(warm_midtones(image, -60), points))[0]
        assert NATURAL_SKIN_HUE[0] + 3 <= hue and before - hue <= 7, f"{name}: cheek hue {before:.0f} -> {hue:.0f}"


def test_the_cool_preset_keeps_skin_colour(photos):
    """The 2000s compact keeps skin's colour: it used to take Collins's down to x0.69 (now about x0.91)."""
    look = preset("digicam_2000s").look
    for name, (image, mask) in photos.items():
        ratio = skin_colour(render_look(image, look), mask)[1] / skin_colour(image, mask)[1]
        assert ratio >= 0.75, f"{name}: skin colour x{ratio:.2f}"
