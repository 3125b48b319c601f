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


def moved(before: np.ndarray, after: np.ndarray, centre, half_w: float, half_h: float, reach: int = 7,
          still: np.ndarray | None = None) -> float:
    """How far (px) the window of ``before`` round ``centre`` lies in ``after``: best match, to a quarter pixel.

    ``still`` (image-sized, bool) marks pixels that do not move with the feature and are left
    out of the match, such as a glare on glasses over an eye.
    """
    # Catchlights left out: reflections, they move less than the iris (CATCHLIGHT_FOLLOWS).
    spot_before, spot_after = _spots(before), _spots(after).astype(np.float32)[..., None]
    if still is not None:
        spot_before = spot_before | still
        spot_after = np.maximum(spot_after, still.astype(np.float32)[..., None])
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


def _lens_glare(image: np.ndarray, rig: fe._Rig) -> np.ndarray | None:
    """Image-sized mask of any glare on glasses over the eyes (it stays still: it is on the glass)."""
    if not rig.glasses:
        return None
    still = np.zeros(image.shape[:2], bool)
    for side in ("left", "right"):
        x, y = np.round(rig.p[f"{side}_iris"]).astype(int)
        reach = int(3 * rig.radius)
        x0, y0 = max(0, x - reach), max(0, y - reach)
        box = (x0, y0, x + reach, y + reach)
        crop = image[y0 : y + reach, x0 : x + reach].astype(np.float32)
        still[y0 : y + reach, x0 : x + reach] = fe._lens_glare(crop, fe._opening_mask(rig, side, box))
    # With the rest of its soft edge (3 px more each way): there the still glare is mixed
    # into the moving eye under it, and on Hopper's right eye it held the match at 0.35 px
    # where the pupil's pattern moves 2 px (rows compared by hand).
    import cv2

    return cv2.dilate(still.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool)


#: Short of the minimum, and the slider says why (:func:`edit_limits`'s notes, shown by the
#: tools: ``limit_notes``). Measured mid-way, in the photo's own pixels:
#: - looking up or down on the five small irises (radius 3.5-6 px: Collins, Armstrong, Jemison,
#:   Ochoa, Johnson; Armstrong looking down shows, 1.0 px; since the lids follow as far as asked,
#:   Jemison looking down and up and Armstrong looking up reach 1.0 px, on the edge and still
#:   under what reads, VISIBLE_MID_PIXELS): 1.3-1.5 px asked, 0-1.0 px found: the window holds lid that follows part
#:   way, and the upper lid, following the eye, is most of what shows. Turning further than
#:   MAX_GAZE_Y_SMALL_IRIS (25 degrees) would stare; Jemison's and Johnson's narrow eyes stop at
#:   MAX_GAZE_Y_NARROW (12 degrees), where the iris has moved a third of the opening.
#: - Johnson looking left: his eyes are narrow, so looking sideways stops at 14 degrees
#:   (NARROW_EYE); mid-way, 1.1 px asked, 0.75 px found.
#: - eyelid narrowing on the same five small eyes (openings 5-7 px): 1.0-1.4 px asked, 0-0.6
#:   px found; more than half the opening reads as a squint.
#: - Johnson's brows: with glasses at most 0.04 of the eye spacing (2.5 px at the end) above a
#:   still frame rim, which the window round the marked brow holds: 0-0.25 px found.
#: - Raising Collins's and Armstrong's brows: their brows sit 0.2 eye spacings over the lids,
#:   so a raise stops where the skin between would stretch more than BROW_STRETCH (2.3 and
#:   1.9 px at the end): mid-way 1.15 and 0.95 px asked, under the 1.5 px a brow needs to read
#:   (VISIBLE_MID_BROW); 0.5-1.0 px found. Lowering them keeps its range and shows (2 px).
EXPLAINED = {
    ("collins", "gaze_y", -1), ("armstrong", "gaze_y", 1),
    ("jemison", "gaze_y", -1), ("jemison", "gaze_y", 1), ("ochoa", "gaze_y", -1),
    ("johnson", "gaze_y", -1), ("johnson", "gaze_y", 1), ("johnson", "gaze_x", -1),
    ("collins", "eyelid_narrowing", 1), ("armstrong", "eyelid_narrowing", 1), ("jemison", "eyelid_narrowing", 1),
    ("ochoa", "eyelid_narrowing", 1), ("johnson", "eyelid_narrowing", 1),
    ("johnson", "brow_left", -1), ("johnson", "brow_left", 1), ("johnson", "brow_right", -1), ("johnson", "brow_right", 1),
    ("collins", "brow_left", 1), ("collins", "brow_right", 1), ("armstrong", "brow_left", 1), ("armstrong", "brow_right", 1),
}  # fmt: skip
#: - Ochoa looking right: his range that way ends early (14.5 degrees), where the iris nears the
#:   corner (the still zone there); mid-way (+7) 1.2 px asked, 0.35-0.75 px found.
EXPLAINED |= {("ochoa", "gaze_x", 1)}
#: Known short of the minimum with no note yet (strict xfail: a fix shows): none.
SHORT: set = set()
CASES = [
    pytest.param(name, field, sign, marks=pytest.mark.xfail(strict=True, reason="known: see SHORT"))
    if (name, field, sign) in SHORT else (name, field, sign)
    for name in examples.names() for field in fe.FaceEdit.units() for sign in (-1, 1)
    if not (field == "eyelid_narrowing" and sign < 0) and (name, field, sign) not in EXPLAINED
]  # fmt: skip


@pytest.mark.parametrize("name, field, sign", CASES)
def test_each_face_edit_moves_its_feature_visibly_at_mid(name, field, sign):
    image = examples.load_portrait(name, 1024)
    landmarks = fe.fit_landmarks(examples.portrait_landmarks(name, 1024), image)
    low, high = fe.edit_limits(landmarks)[field]
    amount = (high if sign > 0 else low) / 2
    edited = fe.apply_face_edits(image, landmarks, fe.FaceEdit(**{field: amount}))
    rig = fe._Rig(landmarks)
    still = _lens_glare(image, rig) if field.startswith("gaze") else None
    shifts = [moved(image, edited, *window, still=still) for window in _windows(rig, field)]
    assert min(shifts) >= MIN_VISIBLE, f"{name} {field} at {amount:+.2f}: moved {min(shifts):.2f} px"


@pytest.mark.parametrize("name, field, sign", sorted(EXPLAINED))
def test_a_slider_that_moves_its_feature_little_mid_way_says_why(name, field, sign):
    """The issue's alternative to a visible move mid-way: the slider's range says why not."""
    image = examples.load_portrait(name, 1024)
    landmarks = fe.fit_landmarks(examples.portrait_landmarks(name, 1024), image)
    low, high = fe.edit_limits(landmarks)[field]
    edited = fe.apply_face_edits(image, landmarks, fe.FaceEdit(**{field: (high if sign > 0 else low) / 2}))
    rig = fe._Rig(landmarks)
    still = _lens_glare(image, rig) if field.startswith("gaze") else None
    shift = min(moved(image, edited, *window, still=still) for window in _windows(rig, field))
    note = fe.limit_notes(landmarks).get(field, "")
    # The note goes where the move reads, by the notes' own measure (limit_notes): a lid or an iris
    # VISIBLE_MID_PIXELS (the review found 1.0-1.4 px hard to see at 300 %), and a brow, a larger,
    # darker band, VISIBLE_MID_BROW. (With lids that follow as far as asked, Ochoa's narrowing and
    # Jemison's look down reach 1.0 px mid-way: still under what reads, and the note still holds.)
    enough = fe.VISIBLE_MID_BROW if field.startswith("brow") else fe.VISIBLE_MID_PIXELS
    assert shift < enough or not note, f"{name} {field}: moves {shift:.2f} px mid-way; its note can go"
    assert note, f"{name} {field}: moves {shift:.2f} px mid-way and the slider does not say why"
    if not field.startswith("brow"):  # (the window round Johnson's brow holds the still frame rim)
        # ... and it does move: at the end of the range, by half the minimum at least (the
        # windows hold lids that follow part way; the least found is Jemison's look down, 0.56 px).
        edited = fe.apply_face_edits(image, landmarks, fe.FaceEdit(**{field: high if sign > 0 else low}))
        end = max(moved(image, edited, *window, still=still) for window in _windows(rig, field))
        assert end >= MIN_VISIBLE / 2, f"{name} {field}: moves {end:.2f} px even at the end"


@pytest.mark.parametrize("name", examples.names())
def test_every_lid_or_brow_short_of_the_minimum_has_its_reason_on_the_slider(name):
    """Where eyelid narrowing or a brow stays under MIN_VISIBLE mid-way (EXPLAINED), the slider's range
    says why (fe.limit_notes, shown under the expression tool's sliders); where it shows, no note."""
    landmarks = examples.portrait_landmarks(name, 1024)
    notes = fe.limit_notes(landmarks)
    for field in ("eyelid_narrowing", "brow_left", "brow_right"):
        short = (name, field, 1) in EXPLAINED
        assert (field in notes) == short, f"{name} {field}: short of the minimum {short}, note {field in notes}"
