import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from portrait_lessons import examples
from portrait_lessons.colour.white_balance import (
    WARMTH_RANGE,
    linear_to_srgb,
    planckian_xy,
    srgb_to_linear,
    warm_cool_index,
    warmth,
    warmth_gains,
)

images = arrays(np.uint8, st.tuples(st.integers(1, 24), st.integers(1, 24), st.just(3)))


def test_srgb_round_trip_is_exact_on_8_bit_levels():
    levels = np.arange(256) / 255
    assert np.array_equal(np.rint(linear_to_srgb(srgb_to_linear(levels)) * 255), np.arange(256))


@pytest.mark.parametrize("kelvin, x, y", [(2856, 0.4476, 0.4074), (6500, 0.3135, 0.3236), (10000, 0.2807, 0.2884)])
def test_planckian_locus_matches_published_black_body_chromaticities(kelvin, x, y):
    # CIE illuminant A is a black body at 2856 K; the others are tabulated black-body values.
    found = planckian_xy(kelvin)
    assert found == pytest.approx((x, y), abs=0.004)


@given(images)
@settings(max_examples=60, deadline=None)
def test_neutral_warmth_returns_an_equal_new_image(image):
    result = warmth(image, 0)
    assert result is not image and np.array_equal(result, image)


@given(images, st.floats(-100, 100))
@settings(max_examples=60, deadline=None)
def test_warmth_keeps_shape_dtype_and_leaves_input_alone(image, mireds):
    original = image.copy()
    result = warmth(image, mireds)
    assert result.shape == image.shape and result.dtype == np.uint8
    assert np.array_equal(image, original)


def test_warmth_is_monotonic_in_the_warm_cool_index():
    photo = examples.load_portrait("koch", 256)
    indices = [warm_cool_index(warmth(photo, m)) for m in range(-60, 61, 10)]
    assert indices == sorted(indices) and len(set(indices)) == len(indices)


def test_warmth_keeps_grey_brightness():
    grey = np.full((1, 1, 3), 118, np.uint8)  # about 18 % reflectance
    for mireds in WARMTH_RANGE:
        r, g, b = srgb_to_linear(warmth(grey, mireds)[0, 0] / 255)
        assert 0.2126 * r + 0.7152 * g + 0.0722 * b == pytest.approx(srgb_to_linear(118 / 255), rel=0.03)


def test_warmth_is_clamped_to_its_range():
    photo = examples.load_portrait("glover", 128)
    assert np.array_equal(warmth(photo, 500), warmth(photo, WARMTH_RANGE[1]))


def test_gains_keep_luminance():
    for mireds in (-60, -20, 20, 60):
        assert np.dot([0.2126, 0.7152, 0.0722], warmth_gains(mireds)) == pytest.approx(1)


def _hue_degrees(rgb):
    r, g, b = np.asarray(rgb, float) / 255
    return np.degrees(np.arctan2(np.sqrt(3) * (g - b), 2 * r - g - b)) % 360


def test_moderate_warmth_keeps_skin_hue_natural():
    # A patch of the cheek: skin hue should stay in the natural band (about 5-45 degrees)
    # at moderate warmth, rather than swinging to orange-red or yellow.
    photo = examples.load_portrait("koch")
    lm = examples.portrait_landmarks("koch")
    x, y = lm.points["left_iris"]
    nose_y = lm.points["nose_tip"][1]
    cheek = photo[int(y + (nose_y - y) * 0.6) - 6 : int(y + (nose_y - y) * 0.6) + 6, int(x) - 6 : int(x) + 6]
    for mireds in (-30, 0, 30):
        hue = _hue_degrees(warmth(cheek, mireds).reshape(-1, 3).mean(axis=0))
        assert 5 <= hue <= 45, (mireds, hue)
