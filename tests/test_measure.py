import numpy as np
import pytest

from portrait_lessons import examples
from portrait_lessons.colour import adjust
from portrait_lessons.colour.measure import (
    LIGHT_COLOUR,
    Swatch,
    colour_temperature,
    colourfulness,
    dominant_palette,
    is_black_and_white,
    mean_saturation,
    measurements,
    palette_figure,
    palette_map_figure,
    skin_tone,
    valence_arousal,
)  # fmt: skip


@pytest.mark.parametrize("kelvin", [3000, 4000, 5000, 6504, 8000, 10000])
def test_colour_temperature_recovers_a_black_body_grey(kelvin):
    x, y = adjust.planckian_xy(kelvin)
    linear = adjust._XYZ_TO_SRGB @ np.array([x / y, 1, (1 - x - y) / y])
    linear = np.clip(linear / linear.max() * 0.5, 0, 1)
    pixel = np.rint(adjust.linear_to_srgb(linear) * 255).astype(np.uint8)
    found = colour_temperature(np.tile(pixel, (8, 8, 1)))
    assert found == pytest.approx(kelvin, rel=0.03)


def test_colourfulness_matches_the_hasler_suesstrunk_formula():
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (50, 60, 3), dtype=np.uint8)
    r, g, b = image.reshape(-1, 3).astype(float).T
    rg, yb = r - g, (r + g) / 2 - b
    expected = np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean())
    assert colourfulness(image) == pytest.approx(expected, abs=0.01)
    assert colourfulness(np.full((5, 5, 3), 77, np.uint8)) == 0


def test_mean_saturation_and_skin_tone():
    assert mean_saturation(np.full((3, 3, 3), (255, 128, 0), np.uint8)) == 1.0
    hue, saturation = skin_tone(np.array([[[200, 100, 50]]]))
    assert 15 < hue < 30 and saturation == 0.75


def test_palette_shares_sum_to_one_and_find_the_main_colours():
    image = np.zeros((30, 30, 3), np.uint8)
    image[:20] = (240, 200, 40)
    image[20:] = (20, 40, 120)
    palette = dominant_palette(image, 3)
    assert sum(s.share for s in palette) == pytest.approx(1)
    assert palette[0].rgb == (240, 200, 40) and palette[0].share == pytest.approx(2 / 3, abs=0.01)
    assert dominant_palette(image, 3, seed=5) == dominant_palette(image, 3, seed=5)


def test_palette_of_a_portrait_is_deterministic_and_plausible():
    photo = examples.load_portrait("jemison", 256)
    palette = dominant_palette(photo, 6)
    assert len(palette) == 6 and palette == dominant_palette(photo, 6)
    # The orange suit is among the main colours.
    assert any(s.rgb[0] > 180 and s.rgb[2] < 90 for s in palette)
    with pytest.raises(ValueError, match="1 to 12"):
        dominant_palette(photo, 30)


def test_valence_arousal_follows_the_reported_directions():
    grey = valence_arousal((128, 128, 128))
    saturated = valence_arousal((220, 60, 40))
    bright = valence_arousal((200, 200, 200))
    warm, cool = valence_arousal((200, 140, 80)), valence_arousal((80, 140, 200))
    assert saturated[1] > grey[1]  # saturation raises arousal
    assert bright[0] > grey[0]  # brightness raises valence
    assert valence_arousal((200, 40, 40))[1] > valence_arousal((40, 40, 200))[1]  # red more arousing than blue
    # Hue alone does not make a colour more pleasant (Wilms & Oberfeld found saturated blue the most pleasant):
    # valence follows lightness and chroma only, so a warm and a cool colour differ only by those.
    from portrait_lessons.colour.measure import _lab

    def predicted(rgb):
        lightness, a, b = _lab(np.asarray(rgb, np.float64).reshape(1, 3))[0]
        return 0.6 * (lightness / 100 - 0.5) + 0.45 * min(np.hypot(a, b) / 80, 1.0)

    assert warm[0] - cool[0] == pytest.approx(predicted((200, 140, 80)) - predicted((80, 140, 200)), abs=0.002)
    assert all(-1 <= v <= 1 for v in (*grey, *saturated, *bright, *warm, *cool))


def test_figures_are_labelled_as_approximation():
    palette = [Swatch((200, 40, 40), 0.6), Swatch((30, 60, 200), 0.4)]
    assert len(palette_figure(palette).axes) == 1
    assert "approximation" in palette_map_figure(palette).axes[0].get_xlabel()


def test_measurements_respond_to_edits():
    photo = examples.load_portrait("ochoa", 256)
    before, after = measurements(photo), measurements(adjust.white_balance(photo, 9000))
    assert after["warm-cool index"] > before["warm-cool index"]
    assert after[LIGHT_COLOUR] < before[LIGHT_COLOUR]


def test_black_and_white_detection_on_bundled_photos():
    assert is_black_and_white(examples.load_portrait("johnson", 360))
    assert not is_black_and_white(examples.load_portrait("koch", 360))
    assert not is_black_and_white(examples.load_portrait("collins", 360))


def _float_path(image):
    """The light colour and mean saturation computed plainly in float64, pixel by pixel."""
    step = max(1, int(np.sqrt(image.shape[0] * image.shape[1] / 65536)))
    pixels = image[::step, ::step].reshape(-1, 3).astype(np.float64)
    high, low = pixels.max(axis=1), pixels.min(axis=1)
    saturation = round(float(np.where(high > 0, (high - low) / np.maximum(high, 1), 0).mean()), 4)
    return colour_temperature(image.astype(np.float64)), saturation


@pytest.mark.parametrize("seed", range(6))
def test_counted_measures_agree_with_the_float_path(seed):
    # The uint8 path counts levels (and saturation by (brightest, darkest) pair) for speed:
    # it must give the float path's numbers, on photos, renders and random pixels alike.
    from portrait_lessons import examples
    from portrait_lessons.colour import eras
    from portrait_lessons.colour.look import render_look

    rng = np.random.default_rng(seed)
    name = examples.names()[seed % len(examples.names())]
    photo = examples.load_portrait(name, 720)
    era = eras.eras()[seed % len(eras.eras())]
    for image in (photo, render_look(photo, eras.at_strength(era.look, 1.5)),
                  rng.integers(0, 256, (37 + seed, 53, 3), dtype=np.uint8), np.zeros((4, 4, 3), np.uint8)):
        kelvin, saturation = _float_path(image)
        assert colour_temperature(image) == kelvin
        assert mean_saturation(image) == saturation
