import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from portrait_lessons import examples
from portrait_lessons.colour import adjust
from portrait_lessons.colour.white_balance import srgb_to_linear, warm_cool_index
from portrait_lessons.colour.measure import (
    NATURAL_SKIN_HUE,
    cheek_patch,
    colour_temperature,
    colourfulness,
    skin_tone,
)

images = arrays(np.uint8, st.tuples(st.integers(1, 16), st.integers(1, 16), st.just(3)))

NEUTRAL = [
    (adjust.white_balance, {}),
    (adjust.exposure, {}),
    (adjust.contrast, {}),
    (adjust.highlights_shadows, {}),
    (adjust.vibrance, {}),
    (adjust.saturation, {}),
    (adjust.colour_grade, {}),
    (adjust.naive_warmth, {}),
]


@pytest.mark.parametrize("function, kwargs", NEUTRAL, ids=lambda f: getattr(f, "__name__", ""))
@given(image=images)
@settings(max_examples=25, deadline=None)
def test_neutral_values_return_an_equal_new_image(function, kwargs, image):
    result = function(image, **kwargs)
    assert result is not image and np.array_equal(result, image)


@given(
    images,
    st.floats(3000, 12000), st.floats(-100, 100), st.floats(-3, 3), st.floats(-100, 100),
    st.floats(-100, 100), st.floats(-100, 100), st.floats(0, 360), st.floats(0, 100),
)  # fmt: skip
@settings(max_examples=60, deadline=None)
def test_every_control_keeps_shape_dtype_and_input(image, kelvin, tint, ev, amount, h, s, hue, strength):
    original = image.copy()
    for result in (
        adjust.white_balance(image, kelvin, tint),
        adjust.exposure(image, ev),
        adjust.contrast(image, amount),
        adjust.highlights_shadows(image, h, s),
        adjust.vibrance(image, amount),
        adjust.saturation(image, amount),
        adjust.colour_grade(image, (hue, strength), (hue, strength / 2), (360 - hue, strength)),
        adjust.naive_warmth(image, amount),
    ):
        assert result.shape == image.shape and result.dtype == np.uint8
    assert np.array_equal(image, original)


def test_white_balance_matrix_keeps_grey_brightness_and_is_bradford():
    for kelvin in (3000, 5000, 9000, 12000):
        matrix = adjust.white_balance_matrix(kelvin, 20)
        grey = matrix @ np.full(3, 0.18)
        assert np.dot([0.2126729, 0.7151522, 0.0721750], grey) == pytest.approx(0.18, rel=1e-6)
    # Correcting for a 3000 K light maps that light's white onto the neutral white, exactly.
    def white(kelvin):
        x, y = adjust.planckian_xy(kelvin)
        return adjust._XYZ_TO_SRGB @ np.array([x / y, 1, (1 - x - y) / y])

    mapped = adjust.white_balance_matrix(3000) @ white(3000)
    assert mapped / mapped[1] == pytest.approx(white(6504) / white(6504)[1], abs=1e-9)


def test_higher_temperature_measures_warmer():
    photo = examples.load_portrait("ochoa", 256)
    kelvins = range(3000, 12001, 1000)
    indices = [warm_cool_index(adjust.white_balance(photo, k)) for k in kelvins]
    temperatures = [colour_temperature(adjust.white_balance(photo, k)) for k in kelvins]
    assert indices == sorted(indices) and len(set(indices)) == len(indices)
    assert temperatures == sorted(temperatures, reverse=True)  # the picture's own CCT falls as it warms


def test_positive_tint_adds_magenta():
    grey = np.full((1, 1, 3), 128, np.uint8)
    r, g, b = adjust.white_balance(grey, tint=50)[0, 0].astype(int)
    assert g < r and g < b


@pytest.mark.parametrize("name", ["koch", "jemison", "collins", "glover", "hopper"])
def test_skin_stays_natural_at_moderate_settings(name):
    photo = examples.load_portrait(name, 512)
    cheek = cheek_patch(photo, examples.portrait_landmarks(name, 512))
    _, sat0 = skin_tone(cheek)
    for edit in (
        lambda p: adjust.white_balance(p, 8000),
        lambda p: adjust.white_balance(p, 5200, -10),
        lambda p: adjust.vibrance(p, 50),
        lambda p: adjust.contrast(p, 30),
        lambda p: adjust.colour_grade(p, (200, 40), (30, 20), (45, 30)),
    ):
        hue, sat = skin_tone(edit(cheek))
        assert NATURAL_SKIN_HUE[0] <= hue <= NATURAL_SKIN_HUE[1]
        assert sat < sat0 + 0.15


def test_vibrance_protects_skin_more_than_saturation_does():
    photo = examples.load_portrait("jemison", 512)
    cheek = cheek_patch(photo, examples.portrait_landmarks("jemison", 512))
    _, base = skin_tone(cheek)
    _, vibrant = skin_tone(adjust.vibrance(cheek, 60))
    _, saturated = skin_tone(adjust.saturation(cheek, 60))
    assert vibrant - base < 0.35 * (saturated - base)


def test_vibrance_boosts_dull_colours_more_than_strong_ones():
    dull = np.array([[[110, 120, 140]]], np.uint8)
    strong = np.array([[[20, 60, 230]]], np.uint8)
    gain = lambda p: colourfulness(adjust.vibrance(p, 80)) / max(colourfulness(p), 1e-9)
    assert gain(dull) > 1.5 > gain(strong)


def test_exposure_doubles_linear_light_below_the_shoulder():
    grey = np.full((1, 1, 3), 80, np.uint8)
    before = srgb_to_linear(80 / 255)
    after = srgb_to_linear(adjust.exposure(grey, 1)[0, 0, 0] / 255)
    assert after / before == pytest.approx(2, rel=0.03)
    bright = np.repeat(np.arange(180, 256, dtype=np.uint8)[None, :, None], 3, axis=2)
    assert np.all(np.diff(adjust.exposure(bright, 1.5)[0, :, 0].astype(int)) >= 0)
    assert len(np.unique(adjust.exposure(bright, 1.5)[0, :, 0])) > 12  # rolls off, no flat clipped run


@pytest.mark.parametrize("amount", [-100, -50, 50, 100])
def test_tone_curves_are_monotonic_and_keep_black_and_white(amount):
    x = np.linspace(0, 1, 1001)
    for curve in (adjust._contrast_curve(x, amount), adjust._highlights_shadows_curve(x, amount, amount)):
        assert np.all(np.diff(curve) >= -1e-12)
        assert curve[0] == pytest.approx(0) and curve[-1] == pytest.approx(1)


def test_contrast_pivots_on_middle_grey():
    p = adjust.MID_GREY
    assert adjust._contrast_curve(np.array(p), 80) == pytest.approx(p)


def test_grading_keeps_luma_and_tints_the_right_region():
    ramp = np.repeat(np.linspace(10, 245, 24).astype(np.uint8)[None, :, None], 3, axis=2)
    graded = adjust.colour_grade(ramp, shadows=(200, 80), highlights=(40, 80))
    luma = lambda p: adjust.to_ycc(p)[..., 0]
    assert np.abs(luma(graded) - luma(ramp))[:, 1:].max() < 1.5  # the darkest step clips a channel
    dark, bright = graded[0, 2].astype(int), graded[0, -3].astype(int)
    assert dark[2] > dark[0]  # teal-blue shadows
    assert bright[0] > bright[2]  # warm highlights


def test_naive_warmth_clips_red_in_bright_skin_where_white_balance_does_not():
    photo = examples.load_portrait("collins", 512)
    cheek = cheek_patch(photo, examples.portrait_landmarks("collins", 512), 0.05)
    naive = adjust.naive_warmth(cheek, 40)
    balanced = adjust.white_balance(cheek, 9000)
    assert warm_cool_index(balanced) > warm_cool_index(cheek)
    assert (naive[..., 0] == 255).mean() > (balanced[..., 0] == 255).mean() + 0.05
