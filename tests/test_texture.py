"""Frequency separation, skin smoothing, texture and clarity, and the over-smoothing meter."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from portrait_lessons import examples
from portrait_lessons.retouch.texture import (
    adjust_detail,
    face_closeup,
    merge_frequencies,
    skin_mask,
    skin_report,
    smooth_skin,
    split_frequencies,
    texture_energy,
)

PHOTOS = examples.names()


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.uint8, st.tuples(st.integers(1, 24), st.integers(1, 24), st.just(3))),
    st.floats(0, 12),
)
def test_low_plus_high_is_the_original_exactly(image, radius):
    low, high = split_frequencies(image, radius)
    assert low.dtype == np.uint8 and high.dtype == np.int16
    assert np.array_equal(low.astype(np.int16) + high, image)
    assert np.array_equal(merge_frequencies(low, high), image)


def test_bands_split_the_detail_from_the_tone():
    photo = examples.load_portrait("koch", 512)
    low, high = split_frequencies(photo, 3)
    assert texture_energy(low) < texture_energy(photo) / 3  # the low band lost the fine detail...
    assert np.abs(high).mean() > 1  # ...and the high band holds it


@pytest.mark.parametrize("name", PHOTOS)
def test_neutral_settings_return_the_original(name):
    photo, points = examples.load_portrait(name, 384), examples.portrait_landmarks(name, 384)
    for result in (smooth_skin(photo, points, 0.0, 0.7), adjust_detail(photo, 0, 0)):
        assert result is not photo and np.array_equal(result, photo)


@pytest.mark.parametrize("name", PHOTOS)
def test_texture_falls_monotonically_with_smoothing(name):
    photo, points = examples.load_portrait(name, 768), examples.portrait_landmarks(name, 768)
    kept = [skin_report(photo, smooth_skin(photo, points, s), points).texture_kept for s in np.linspace(0, 1, 6)]
    assert kept[0] == 1.0
    assert all(b < a for a, b in zip(kept, kept[1:])), kept
    # Full strength removes most pores on the sharp photos; the small, enlarged scans
    # (collins, armstrong, ochoa) had few pores to begin with, so less falls there.
    assert kept[-1] < (0.6 if name in ("glover", "koch", "hopper", "johnson") else 0.75)


@pytest.mark.parametrize("name", PHOTOS)
def test_restoring_brings_the_texture_back(name):
    photo, points = examples.load_portrait(name, 768), examples.portrait_landmarks(name, 768)
    smooth = skin_report(photo, smooth_skin(photo, points, 1.0, 0.0), points)
    restored = skin_report(photo, smooth_skin(photo, points, 1.0, 1.0), points)
    assert restored.texture_kept > 0.75 and restored.texture_kept > smooth.texture_kept + 0.15
    # Only the pore band comes back: the blotches stay as evened as without restoring.
    assert restored.tone_evened > 0.1 and restored.tone_evened > smooth.tone_evened - 0.03


def test_smoothing_stays_on_the_skin():
    from portrait_lessons.retouch.texture import _smoothing_region

    photo, points = examples.load_portrait("hopper", 768), examples.portrait_landmarks("hopper", 768)
    changed = (smooth_skin(photo, points, 1.0) != photo).any(axis=2)
    mask = skin_mask(photo, points)
    assert changed[mask > 0.5].mean() > 0.5
    # What the smoothing touches is the face's skin and the neck's (its own mask): nothing else.
    (top, left), region = _smoothing_region(photo, points)
    mask = np.zeros(photo.shape[:2], np.float32)
    mask[top : top + region.shape[0], left : left + region.shape[1]] = region
    assert not changed[mask == 0].any()  # background, hair outside the mask, eyes: untouched
    x, y = (round(v) for v in points.points["left_iris"])
    assert mask[y, x] == 0
    nose = points.points["nose_tip"]
    assert mask[round(nose[1]), round(nose[0])] < 0.05  # the nose is a feature, kept crisp
    assert (mask > 0.5).sum() > 2 * points.interocular_distance**2  # a real area of skin is in


def test_preview_and_full_size_agree():
    """Sizes follow the face, so the meter reads the same at any resolution."""
    small = skin_report(examples.load_portrait("glover", 600),
                        smooth_skin(examples.load_portrait("glover", 600), examples.portrait_landmarks("glover", 600), 0.8),
                        examples.portrait_landmarks("glover", 600))  # fmt: skip
    full_image, full_points = examples.load_portrait("glover"), examples.portrait_landmarks("glover")
    full = skin_report(full_image, smooth_skin(full_image, full_points, 0.8), full_points)
    assert abs(small.texture_kept - full.texture_kept) < 0.15


def test_texture_and_clarity_move_the_right_way():
    photo = examples.load_portrait("hopper", 512)  # a white backdrop, for the highlights
    # Texture acts on faint detail (skin), not on strong edges: measured on the skin.
    skin = skin_mask(photo, examples.portrait_landmarks("hopper", 512))
    assert texture_energy(adjust_detail(photo, texture=0.8), skin) > texture_energy(photo, skin) * 1.05
    assert texture_energy(adjust_detail(photo, texture=-0.8), skin) < texture_energy(photo, skin) * 0.95
    crisp, soft = adjust_detail(photo, clarity=1), adjust_detail(photo, clarity=-1)
    grey = photo.mean(axis=2)
    assert np.abs(crisp.mean(axis=2) - grey).mean() > 0.5
    assert np.abs(crisp.mean(axis=2) - grey).mean() == pytest.approx(np.abs(soft.mean(axis=2) - grey).mean(), rel=0.3)
    # Clarity spares black and white: the brightest pixels hardly move.
    bright = grey > 245
    assert bright.sum() > 1000
    assert np.abs(crisp.mean(axis=2)[bright] - grey[bright]).mean() < 1.5


def test_closeup_moves_the_landmarks_with_the_crop():
    photo, points = examples.load_portrait("jemison"), examples.portrait_landmarks("jemison")
    crop, moved = face_closeup(photo, points, 400)
    assert max(crop.shape[:2]) == 400 and not moved.problems()


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda p, lm: smooth_skin(p, lm, 1.5), "strength goes from 0 to 1"),
        (lambda p, lm: smooth_skin(p[..., 0], lm, 0.5), "Expected an RGB photo"),
        (lambda p, lm: adjust_detail(p, texture=2), "texture goes from -1 to 1"),
        (lambda p, lm: split_frequencies(p, -1), "0 or more pixels"),
        (lambda p, lm: texture_energy(p, np.ones((3, 3))), "make the mask from the same photo"),
    ],
)
def test_bad_input_gets_a_clear_error(call, words):
    photo, points = examples.load_portrait("koch", 128), examples.portrait_landmarks("koch", 128)
    with pytest.raises(ValueError, match=words):
        call(photo, points)


def _sharpness(image, box):
    """Mean gradient magnitude of the grey image inside box (top, bottom, left, right)."""
    grey = image[box[0] : box[1], box[2] : box[3]].astype(np.float32).mean(axis=2)
    return float(np.abs(np.diff(grey, axis=0)).mean() + np.abs(np.diff(grey, axis=1)).mean())


@pytest.mark.parametrize("name", PHOTOS)
def test_full_smoothing_keeps_the_nose_and_glasses_sharp(name):
    """A beauty filter erases pores, not features: the nose (and on two photos, glasses) stays crisp."""
    photo, points = examples.load_portrait(name, 768), examples.portrait_landmarks(name, 768)
    smooth = smooth_skin(photo, points, 1.0)
    iod = points.interocular_distance
    x, y = points.points["nose_tip"]
    nose = (round(y - 0.5 * iod), round(y + 0.2 * iod), round(x - 0.3 * iod), round(x + 0.3 * iod))
    assert _sharpness(smooth, nose) > 0.8 * _sharpness(photo, nose)
    if name in ("johnson", "hopper"):  # glasses: the frame between the eyes and over the irises
        (lx, ly), (rx, ry) = points.points["left_iris"], points.points["right_iris"]
        eyes = (round(min(ly, ry) - 0.4 * iod), round(max(ly, ry) + 0.4 * iod), round(lx - 0.5 * iod), round(rx + 0.5 * iod))
        assert _sharpness(smooth, eyes) > 0.8 * _sharpness(photo, eyes)  # the skin around them does smooth


def test_full_smoothing_leaves_the_hair_over_a_temple_alone():
    """Koch's hair over the temple on the picture's right (a box checked by eye at 300 %, dark
    brown strands in shadow) is not skin: full smoothing used to change it by 1.3 levels on
    average (11 at most), hazing it; now 0.2 (5 at most)."""
    from portrait_lessons import examples
    from portrait_lessons.retouch.texture import smooth_skin

    image, landmarks = examples.load_portrait("koch", 1024), examples.portrait_landmarks("koch", 1024)
    x0, y0, x1, y1 = 466, 240, 486, 262
    change = np.abs(smooth_skin(image, landmarks, 1.0)[y0:y1, x0:x1].astype(int) - image[y0:y1, x0:x1])
    assert change.mean() < 0.5, f"the hair changed by {change.mean():.2f} levels on average"
