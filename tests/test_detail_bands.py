"""Texture and clarity change the band they claim to, in the direction they claim, on every bundled photo.

A review found clarity working backwards (+1 softened fine detail by about 30 %,
-1 sharpened it) and texture -1 blurring eyes, lashes, teeth and glasses as well
as skin. These measures would have caught both.
"""

from __future__ import annotations

import numpy as np
import pytest

from portrait_lessons import examples
from portrait_lessons.retouch.filters import luminance
from portrait_lessons.retouch.texture import _gaussian_float, add_clarity, add_texture, skin_mask, texture_energy

PREVIEW = 768


def _bands(image: np.ndarray) -> tuple[float, float]:
    """RMS of the fine band (below about 1/700 of the long edge) and of clarity's band (up to 1/50)."""
    grey, long_edge = luminance(image), max(image.shape[:2])
    fine_base = _gaussian_float(grey, long_edge / 700)
    wide = _gaussian_float(grey, long_edge / 50)
    return float(np.sqrt(((grey - fine_base) ** 2).mean())), float(np.sqrt(((fine_base - wide) ** 2).mean()))


def _eye_boxes(points):
    iod = points.interocular_distance
    for side in ("left", "right"):
        x = (points.points[f"{side}_eye_inner"][0] + points.points[f"{side}_eye_outer"][0]) / 2
        y = points.points[f"{side}_iris"][1]
        yield slice(int(y - 0.18 * iod), int(y + 0.18 * iod)), slice(int(x - 0.35 * iod), int(x + 0.35 * iod))


@pytest.mark.parametrize("name", examples.names())
def test_clarity_moves_its_band_the_stated_way_and_keeps_fine_detail(name):
    photo = examples.load_portrait(name, PREVIEW)
    fine, mid = _bands(photo)
    for amount in (-1.0, -0.5, 0.5, 1.0):
        fine_after, mid_after = _bands(add_clarity(photo, amount))
        # Mid-size local contrast up for +, down for -, by at least 2 % at mid and 5 % at the ends.
        assert (mid_after / mid - 1) * np.sign(amount) > (0.05 if abs(amount) == 1 else 0.02), (amount, mid_after / mid)
        # Fine detail is not clarity's: it may not fall at + (the old bug: -30 %) nor rise at - (+35 %).
        assert (fine_after / fine - 1) * np.sign(amount) > -0.01, (amount, fine_after / fine)


@pytest.mark.parametrize("name", examples.names())
def test_texture_softens_skin_and_leaves_eyes_sharp(name):
    photo, points = examples.load_portrait(name, PREVIEW), examples.portrait_landmarks(name, PREVIEW)
    skin = skin_mask(photo, points)
    radius = PREVIEW / 700
    for amount in (-1.0, 1.0):
        out = add_texture(photo, amount)
        skin_change = texture_energy(out, skin, radius) / texture_energy(photo, skin, radius)
        eye_change = np.mean([texture_energy(out[b], None, radius) / texture_energy(photo[b], None, radius)
                              for b in _eye_boxes(points)])  # fmt: skip
        # Skin texture moves the stated way by at least 6 %; eyes and lashes stay within 8 %
        # (before the fix texture -1 took 55-70 % of the eyes' fine detail away).
        assert (skin_change - 1) * amount > 0.06, (amount, skin_change)
        assert abs(eye_change - 1) < 0.08, (amount, eye_change)


def _sheet_windows(points):
    """The review sheets' eye window (one eye with its lids and lashes) and cheek window (tools/sheets.py)."""
    p, iod = points.points, points.interocular_distance
    eye = (np.array(p["left_eye_inner"]) + np.array(p["left_eye_outer"])) / 2
    cheek = np.array(p["left_iris"]) * 0.45 + np.array(p["mouth_left"]) * 0.55
    for (x, y), half_w, half_h in ((eye, 0.42 * iod, 0.22 * iod), (cheek, 0.22 * iod, 0.22 * iod)):
        yield slice(int(y - half_h), int(y + half_h)), slice(int(x - half_w), int(x + half_w))


def _fine_energy(image: np.ndarray) -> float:
    """Mean absolute fine detail (each channel minus its Gaussian blur of sigma 1.5), as the review measured it."""
    import cv2

    values = image.astype(np.float32)
    return float(np.abs(values - cv2.GaussianBlur(values, (0, 0), 1.5)).mean())


#: Most share of the eye window's fine detail *Texture* may change at -1 or +1 with the face's landmarks.
#: Review 7: texture -1 took 9-11 % of it on the large faces (Glover 0.91, Koch 0.89, Hopper 0.90), the
#: lid and under-eye skin's faint detail, not the lashes (pixels of fine detail 16 levels or more lost
#: 0.2-0.3 %); the eyes and the lids round them now keep it (eye_keep): 0.985-1.000.
EYE_WINDOW_CHANGE = 0.03


@pytest.mark.parametrize("name", examples.names())
def test_texture_with_landmarks_keeps_the_eye_window_and_softens_skin(name):
    photo, points = examples.load_portrait(name, 1024), examples.portrait_landmarks(name, 1024)
    eye, cheek = _sheet_windows(points)
    skin = skin_mask(photo, points)
    radius = 1024 / 700
    for amount in (-1.0, 1.0):
        out = add_texture(photo, amount, points)
        eye_change = _fine_energy(out[eye]) / _fine_energy(photo[eye])
        assert abs(eye_change - 1) <= EYE_WINDOW_CHANGE, (amount, eye_change)
        # The skin still moves the stated way as clearly as without the landmarks (6 % or more).
        skin_change = texture_energy(out, skin, radius) / texture_energy(photo, skin, radius)
        assert (skin_change - 1) * amount > 0.06, (amount, skin_change)
        # ... and on the eye's own scale the cheek softens more than the eye window does.
        cheek_change = _fine_energy(out[cheek]) / _fine_energy(photo[cheek])
        assert (cheek_change - eye_change) * amount > 0, (amount, cheek_change, eye_change)
