"""Face edits: measurable properties on a synthetic face and on every bundled portrait."""

from __future__ import annotations

import dataclasses
import json
import math
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from portrait_lessons import examples
from portrait_lessons.face import edits as fe
from portrait_lessons.face.edits import FaceEdit, FaceEditError, apply_face_edits, edit_limits, iris_shift
from portrait_lessons.face.landmarks import Landmarks

from face_measures import iris_displacement

GOLDEN = Path(__file__).resolve().parent / "golden" / "faces"
SINGLE_EDITS = [
    fe.gaze_horizontal, fe.gaze_vertical, fe.lift_mouth_corner_left, fe.lift_mouth_corner_right,
    fe.raise_brow_left, fe.raise_brow_right, fe.narrow_eyelids, fe.tilt_head,
]  # fmt: skip
SKIN, WHITE, IRIS, MARK = (200, 160, 140), (235, 235, 230), (60, 45, 35), (0, 90, 255)


def synthetic_face() -> tuple[np.ndarray, Landmarks]:
    """A drawn face with tall eye openings (the whole iris shows) and blue marks on the eye corners."""
    points = {
        "left_eye_outer": (100, 200), "left_eye_inner": (180, 200), "left_iris": (140, 200),
        "left_upper_lid": (140, 178), "left_lower_lid": (140, 222),
        "right_eye_inner": (220, 200), "right_eye_outer": (300, 200), "right_iris": (260, 200),
        "right_upper_lid": (260, 178), "right_lower_lid": (260, 222),
        "left_brow_outer": (90, 160), "left_brow_middle": (140, 148), "left_brow_inner": (190, 158),
        "right_brow_inner": (210, 158), "right_brow_middle": (260, 148), "right_brow_outer": (310, 160),
        "nose_tip": (200, 280), "mouth_left": (160, 350), "mouth_right": (240, 350),
        "upper_lip": (200, 338), "lower_lip": (200, 365), "chin": (200, 440),
    }  # fmt: skip
    outline = [(200 + 150 * math.cos(a), 200 + 240 * math.sin(a)) for a in np.linspace(math.pi, 0, 11)]
    landmarks = Landmarks(points, {"left": 12.0, "right": 12.0}, tuple(outline), 400, 500)
    canvas = Image.new("RGB", (400, 500), SKIN)
    draw = ImageDraw.Draw(canvas)
    rig = fe._Rig(landmarks)
    for side in ("left", "right"):
        t = np.linspace(0, 1, 60)
        opening = np.concatenate([rig._lid(side, "upper", t), rig._lid(side, "lower", t)[::-1]])
        mask = Image.new("L", canvas.size, 0)
        ImageDraw.Draw(mask).polygon([tuple(p) for p in opening.tolist()], fill=255)
        eye = Image.new("RGB", canvas.size, WHITE)
        x, y = points[f"{side}_iris"]
        ImageDraw.Draw(eye).ellipse((x - 12, y - 12, x + 12, y + 12), fill=IRIS)
        canvas.paste(eye, mask=mask)
        for corner in ("outer", "inner"):
            cx, cy = points[f"{side}_eye_{corner}"]
            draw.rectangle((cx - 1.5, cy - 1.5, cx + 1.5, cy + 1.5), fill=MARK)
    for a, b in (("mouth_left", "mouth_right"), ("left_brow_outer", "left_brow_inner"), ("right_brow_inner", "right_brow_outer")):
        draw.line((points[a], points[b]), fill=(90, 50, 40), width=4)
    return np.asarray(canvas), landmarks


def dark_centroid(image: np.ndarray, box) -> tuple[float, float]:
    x0, y0, x1, y1 = box
    patch = image[y0:y1, x0:x1].astype(float)
    weight = np.clip(150 - patch.mean(axis=2), 0, None)
    yy, xx = np.mgrid[y0:y1, x0:x1] + 0.5
    return (xx * weight).sum() / weight.sum(), (yy * weight).sum() / weight.sum()


def mark_centroid(image: np.ndarray, x: float, y: float) -> tuple[float, float]:
    x0, y0 = round(x) - 5, round(y) - 5
    patch = image[y0 : y0 + 10, x0 : x0 + 10].astype(float)
    weight = np.clip(patch[..., 2] - patch[..., 0] - 60, 0, None)  # blue, not skin or white
    yy, xx = np.mgrid[y0 : y0 + 10, x0 : x0 + 10] + 0.5
    return (xx * weight).sum() / weight.sum(), (yy * weight).sum() / weight.sum()


def dark_shift(before: np.ndarray, after: np.ndarray, box) -> tuple[float, float]:
    """Where pixels got darker minus where they got lighter: the way dark features moved."""
    x0, y0, x1, y1 = box
    change = after[y0:y1, x0:x1].astype(float).mean(axis=2) - before[y0:y1, x0:x1].astype(float).mean(axis=2)
    yy, xx = np.mgrid[y0:y1, x0:x1] + 0.5
    darker, lighter = np.clip(-change, 0, None), np.clip(change, 0, None)

    def centre(w):
        return (xx * w).sum() / w.sum(), (yy * w).sum() / w.sum()

    (dx, dy), (lx, ly) = centre(darker), centre(lighter)
    return dx - lx, dy - ly


def eye_box(landmarks: Landmarks, side: str) -> tuple[int, int, int, int]:
    p = landmarks.points
    (ox, oy), (ix, iy) = p[f"{side}_eye_outer"], p[f"{side}_eye_inner"]
    top, bottom = p[f"{side}_upper_lid"][1], p[f"{side}_lower_lid"][1]
    return (math.floor(min(ox, ix)) - 2, math.floor(top) - 3, math.ceil(max(ox, ix)) + 2, math.ceil(bottom) + 3)


# --- the measurable promises ----------------------------------------------------


@pytest.mark.parametrize("degrees", [-30, -15, -5, 10, 25])
def test_iris_centroid_moves_by_the_requested_amount(degrees):
    image, landmarks = synthetic_face()
    dx, dy = iris_shift(landmarks, degrees)
    looked = fe.gaze_horizontal(image, landmarks, degrees)
    for side in ("left", "right"):
        box = eye_box(landmarks, side)
        (bx, by), (ax, ay) = dark_centroid(image, box), dark_centroid(looked, box)
        assert abs((ax - bx) - dx) < 1.0, f"{side} iris moved {ax - bx:.2f} px, asked {dx:.2f}"
        assert abs(ay - by) < 1.0


@pytest.mark.parametrize(
    "edit",
    [FaceEdit(gaze_x=-25), FaceEdit(gaze_x=20, gaze_y=10), FaceEdit(mouth_left=8, brow_right=-6, eyelid_narrowing=4),
     FaceEdit(gaze_y=-12, brow_left=8, brow_right=8)],
    ids=["look-left", "look-right-up", "expression", "look-down-brows"],
)  # fmt: skip
def test_eye_corners_move_less_than_half_a_pixel(edit):
    image, landmarks = synthetic_face()
    edited = apply_face_edits(image, landmarks, edit)
    for side in ("left", "right"):
        for corner in ("outer", "inner"):
            x, y = landmarks.points[f"{side}_eye_{corner}"]
            (bx, by), (ax, ay) = mark_centroid(image, x, y), mark_centroid(edited, x, y)
            assert math.hypot(ax - bx, ay - by) < 0.5, f"{side} {corner} corner moved"


@pytest.mark.parametrize("name", examples.names())
@pytest.mark.parametrize("edit", SINGLE_EDITS, ids=lambda f: f.__name__)
def test_amount_zero_returns_an_identical_image(name, edit):
    image = examples.load_portrait(name, 256)
    result = edit(image, examples.portrait_landmarks(name, 256), 0)
    assert result is not image and result.dtype == np.uint8 and (result == image).all()


#: Jemison looking left: her iris is barely taller than the band this measure reads (a 6 px
#: opening), and its two catchlights move as reflections do, 0.55 of the iris
#: (fe.CATCHLIGHT_FOLLOWS): the match finds 1.3 px of 2.4 (1.7 px when the catchlights moved fully).
_IRIS_SHIFT_SHORT: set = set()  # Jemison looking left measured 1.3 px of 2.4 until the white fill was sampled per side
_IRIS_SHIFT_CASES = [
    pytest.param(name, direction, id=f"{'left' if direction == 0 else 'right'}-{name}",
                 marks=[pytest.mark.xfail(strict=True, reason="see _IRIS_SHIFT_SHORT")] if (name, direction) in _IRIS_SHIFT_SHORT else [])
    for direction in (0, 1) for name in examples.names()
]  # fmt: skip


@pytest.mark.parametrize("name, direction", _IRIS_SHIFT_CASES)
def test_real_irises_move_by_the_requested_amount(name, direction):
    image, landmarks = examples.load_portrait(name, 1024), examples.portrait_landmarks(name, 1024)
    degrees = 0.8 * edit_limits(landmarks)["gaze_x"][direction]
    looked = fe.gaze_horizontal(image, landmarks, degrees)
    dx, _ = iris_shift(landmarks, degrees)
    for side in ("left", "right"):
        moved = iris_displacement(image, looked, landmarks, side)
        assert abs(moved - dx) < 1.0, f"{side} iris moved {moved:+.2f} px, asked {dx:+.2f} px"
    # Only the eyes changed.
    changed_rows = np.nonzero((looked != image).any(axis=2))[0]
    eyes = [eye_box(landmarks, side) for side in ("left", "right")]
    assert changed_rows.min() >= min(b[1] for b in eyes) - 4 and changed_rows.max() <= max(b[3] for b in eyes) + 4


def test_mouth_corner_and_brow_edits_stay_on_their_own_side_and_feature():
    image, landmarks = examples.load_portrait("koch", 1024), examples.portrait_landmarks("koch", 1024)
    p = landmarks.points
    midline = (p["left_iris"][0] + p["right_iris"][0]) / 2
    lifted = fe.lift_mouth_corner_left(image, landmarks, 6)
    difference = np.abs(lifted.astype(int) - image).sum(axis=2)
    ys, xs = np.nonzero(difference > 30)
    assert xs.mean() < midline and ys.mean() > p["nose_tip"][1]
    raised = fe.raise_brow_right(image, landmarks, 6)
    ys, xs = np.nonzero(np.abs(raised.astype(int) - image).sum(axis=2) > 30)
    assert xs.mean() > midline and ys.mean() < p["right_iris"][1]


def test_lifting_a_mouth_corner_moves_the_dark_lip_line_up():
    image, landmarks = synthetic_face()
    lifted = fe.lift_mouth_corner_left(image, landmarks, 8)
    box = (150, 320, 175, 380)
    assert dark_centroid(lifted, box)[1] < dark_centroid(image, box)[1] - 2


def test_head_tilt_turns_the_eye_line_clockwise():
    image, landmarks = synthetic_face()
    tilted = fe.tilt_head(image, landmarks, 8)
    blue = (tilted[..., 2].astype(int) - tilted[..., 0]) > 60
    ys, xs = np.nonzero(blue)
    left, right = xs < 200, xs >= 200
    angle = math.degrees(math.atan2(ys[right].mean() - ys[left].mean(), xs[right].mean() - xs[left].mean()))
    assert 7 < angle < 9  # clockwise: the picture's right eye drops


# --- limits, units and the FaceEdit value -------------------------------------------


def test_amounts_are_clamped_where_faces_stop_looking_human():
    image, landmarks = examples.load_portrait("glover", 512), examples.portrait_landmarks("glover", 512)
    limits = edit_limits(landmarks)
    assert (apply_face_edits(image, landmarks, FaceEdit(mouth_left=500)) ==
            apply_face_edits(image, landmarks, FaceEdit(mouth_left=limits["mouth_left"][1]))).all()  # fmt: skip
    assert fe.clamp_edit(FaceEdit(head_tilt=-90, eyelid_narrowing=-5), landmarks) == FaceEdit(head_tilt=-12)


def test_pixel_amounts_mean_the_same_at_any_size():
    """Pixels at 1024 px: the same edit on a preview and on the full photo match once resized."""
    full, small = examples.load_portrait("koch"), examples.load_portrait("koch", 640)
    edit = FaceEdit(mouth_left=8, mouth_right=8)
    big = apply_face_edits(full, examples.portrait_landmarks("koch"), edit)
    little = apply_face_edits(small, examples.portrait_landmarks("koch", 640), edit)
    reduced = np.asarray(Image.fromarray(big).resize(small.shape[1::-1], Image.BOX)).astype(int)
    changed = np.abs(little.astype(int) - small).sum(axis=2) > 20
    assert np.abs(reduced - little)[changed].mean() < np.abs(little.astype(int) - small)[changed].mean() / 3


def test_landmarks_for_another_size_are_rescaled_and_wrong_ones_refused():
    image = examples.load_portrait("koch", 512)
    full_size = examples.portrait_landmarks("koch")
    edit = FaceEdit(mouth_left=5)
    assert (apply_face_edits(image, full_size, edit) == apply_face_edits(image, full_size.scaled(512 / 960), edit)).all()
    with pytest.raises(FaceEditError, match="different shape"):
        apply_face_edits(image[:, :300], full_size, edit)


def test_face_edit_round_trips_through_json():
    edit = FaceEdit(gaze_x=-12.5, mouth_right=3, head_tilt=4)
    assert FaceEdit.from_dict(json.loads(json.dumps(edit.to_dict()))) == edit
    assert FaceEdit.from_dict({}) == FaceEdit() and FaceEdit().is_neutral
    assert set(FaceEdit.units()) == set(edit.to_dict())


@pytest.mark.parametrize(
    "data, words",
    [({"smile": 3}, "Unknown face edit 'smile'"), ({"gaze_x": "left"}, "finite number"),
     ({"head_tilt": float("nan")}, "finite number"), ({"mouth_left": True}, "finite number"), ([1, 2], "dict")],
)  # fmt: skip
def test_face_edit_refuses_bad_data_in_words(data, words):
    with pytest.raises(FaceEditError, match=words):
        FaceEdit.from_dict(data)


# --- golden thumbnails -------------------------------------------------------------

GOLDEN_CASES = {
    "koch_look_left": ("koch", FaceEdit(gaze_x=-20)),
    "jemison_felt_smile": ("jemison", FaceEdit(mouth_left=6, mouth_right=6, eyelid_narrowing=2)),
    "glover_brow_up": ("glover", FaceEdit(brow_left=8)),
    "armstrong_tilt": ("armstrong", FaceEdit(head_tilt=8, gaze_y=-8)),
}


@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_golden_thumbnails(case):
    """Edited heads, 160 px tall, within a small tolerance of the reviewed ones (UPDATE_GOLDEN=1 rewrites them)."""
    name, edit = GOLDEN_CASES[case]
    image, landmarks = examples.load_portrait(name, 1024), examples.portrait_landmarks(name, 1024)
    left, top, right, bottom = fe.head_box(landmarks, 0.15)
    head = Image.fromarray(apply_face_edits(image, landmarks, edit)[top:bottom, left:right])
    thumbnail = np.asarray(head.resize((round(head.width * 160 / head.height), 160), Image.BOX))
    path = GOLDEN / f"{case}.png"
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        GOLDEN.mkdir(parents=True, exist_ok=True)
        Image.fromarray(thumbnail).save(path)
    golden = np.asarray(Image.open(path).convert("RGB")).astype(int)
    assert golden.shape == thumbnail.shape
    difference = np.abs(golden - thumbnail)
    assert difference.mean() < 0.6 and np.percentile(difference, 99.9) < 20


@pytest.mark.parametrize("name", examples.names())
def test_narrowing_lids_cover_the_iris_instead_of_squashing_it(name):
    """Inside what stays open, the eye is the original picture: the lids slide over it."""
    image, landmarks = examples.load_portrait(name, 1024), examples.portrait_landmarks(name, 1024)
    most = edit_limits(landmarks)["eyelid_narrowing"][1]
    edit = FaceEdit(eyelid_narrowing=most)
    after = apply_face_edits(image, landmarks, edit)
    rig = fe._Rig(landmarks)
    still_open = fe._covered_opening_mask(rig, edit, image.shape) > 0.5
    assert still_open.sum() > 10
    squashed = fe._warp(image, rig, edit)  # the lids moved by the warp alone, eyeball and all
    kept = np.abs(after.astype(int) - image)[still_open].mean()
    assert kept < 0.5 * np.abs(squashed.astype(int) - image)[still_open].mean() and kept < 9
    for side in ("left", "right"):
        # The iris keeps its width: the visible dark band across the middle of what stays open over
        # the iris is as wide as before (the lower lid now rises to about the iris's centre).
        x, _ = landmarks.points[f"{side}_iris"]
        r = landmarks.iris_radius[side]
        y = float(np.nonzero(still_open[:, round(x)])[0].mean())
        row = slice(round(y - 0.15 * r), round(y + 0.15 * r) + 1)
        columns = slice(round(x - 2 * r), round(x + 2 * r) + 1)
        dark_before = (image[row, columns].mean(axis=2) < np.percentile(image[row, columns], 35)).sum()
        dark_after = (after[row, columns].mean(axis=2) < np.percentile(image[row, columns], 35)).sum()
        assert abs(int(dark_after) - int(dark_before)) <= 0.15 * dark_before + 2


def test_narrowing_stops_near_half_the_eye_opening_and_shows_on_small_eyes():
    for name in examples.names():
        landmarks = examples.portrait_landmarks(name, 1024)
        rig = fe._Rig(landmarks)
        to_reference = 1024 / max(landmarks.width, landmarks.height)
        opening = min(rig.opening("left"), rig.opening("right")) * to_reference
        most = edit_limits(landmarks)["eyelid_narrowing"][1]
        assert most <= max(fe.MAX_NARROWING, fe.MAX_NARROWING_SMALL_EYE) * opening + 0.05
        # at least 2 of the photo's own pixels, unless that would close half the eye
        assert most / to_reference >= min(fe.MIN_NARROWING_PIXELS, 0.5 * opening / to_reference) - 0.05


def test_small_irises_turn_sideways_less():
    assert fe.max_gaze_x(3.5) == fe.MAX_GAZE_X_SMALL_IRIS < fe.max_gaze_x(7.5) < fe.max_gaze_x(11) == fe.MAX_GAZE_X
    armstrong = edit_limits(examples.portrait_landmarks("armstrong", 1024))["gaze_x"]  # iris radius 3.5 px
    assert max(abs(armstrong[0]), abs(armstrong[1])) <= fe.MAX_GAZE_X_SMALL_IRIS
    for name in examples.names():
        low, high = edit_limits(examples.portrait_landmarks(name, 1024))["gaze_x"]
        assert -fe.MAX_GAZE_X <= low < 0 < high <= fe.MAX_GAZE_X


def test_sideways_gaze_keeps_the_corner_it_leaves_still():
    image, landmarks = examples.load_portrait("hopper", 1024), examples.portrait_landmarks("hopper", 1024)
    after = apply_face_edits(image, landmarks, FaceEdit(gaze_x=edit_limits(landmarks)["gaze_x"][0]))
    # Looking to the picture's left, the right eye's iris leaves its reddish outer corner: it must not stretch.
    (ix, iy), (ox, oy) = landmarks.points["right_eye_outer"], landmarks.points["right_eye_inner"]
    t = np.linspace(0, 0.8 * fe.STRETCHED_CORNER_ZONE, 6)
    xs, ys = np.round(ix + t * (ox - ix)).astype(int), np.round(iy + t * (oy - iy)).astype(int)
    assert np.abs(after[ys, xs].astype(int) - image[ys, xs]).max() <= 4


def _rim_band(landmarks, side):
    """Rows between brow and upper lid, where a spectacle frame's top rim runs."""
    p = landmarks.points
    brow, lid = p[f"{side}_brow_middle"][1], p[f"{side}_upper_lid"][1]
    x0, x1 = sorted([p[f"{side}_eye_outer"][0], p[f"{side}_eye_inner"][0]])
    return slice(round(brow + 0.35 * (lid - brow)), round(brow + 0.75 * (lid - brow))), slice(round(x0), round(x1))


@pytest.mark.parametrize("name", ["hopper", "johnson"])
@pytest.mark.parametrize("direction", [-1, 1])
def test_brow_edits_keep_spectacle_frames_straight(name, direction):
    image, landmarks = examples.load_portrait(name, 1024), examples.portrait_landmarks(name, 1024)
    assert fe.wears_glasses(landmarks)
    most = edit_limits(landmarks)["brow_left"][1]
    assert most <= fe.MAX_BROW_GLASSES * landmarks.interocular_distance + 0.1
    after = apply_face_edits(image, landmarks, FaceEdit(brow_left=direction * most, brow_right=direction * most))
    without_rule = dataclasses.replace(landmarks, notes="")  # the same move, rigged as for a face without glasses
    bent = apply_face_edits(image, without_rule, FaceEdit(brow_left=direction * most, brow_right=direction * most))
    for side in ("left", "right"):
        band = _rim_band(landmarks, side)
        kept = np.abs(after[band].astype(int) - image[band]).mean()
        assert kept < 15 and kept < 0.6 * np.abs(bent[band].astype(int) - image[band]).mean()
    assert (after != image).any()  # the brows still move


def _forget_kept_work():
    """Empty every cache of the face path, as in a fresh kernel."""
    from portrait_lessons.face import warp

    for kept in (fe._RIGS, fe._TEETH, warp._STEADY_SUMS, warp._LAST_TARGETS):
        kept.clear()


@pytest.mark.parametrize("name", ["jemison", "hopper"])
def test_a_drag_with_kept_work_gives_the_pixels_of_a_fresh_start(name):
    """Across a drag the rig's brow columns, the teeth mask and the warp's sums are kept: every
    step must give the pixels the same edit gives from nothing kept (an open smile, and glasses)."""
    image, points = examples.load_portrait(name, 512), examples.portrait_landmarks(name, 512)
    expression = dict(gaze_y=6, mouth_right=4, brow_left=3, brow_right=2, eyelid_narrowing=1.5)
    drag = [FaceEdit(**expression, mouth_left=value) for value in (3.0, 3.5, 4.0)]
    _forget_kept_work()
    dragged = [apply_face_edits(image, points, edit) for edit in drag]
    for edit, kept in zip(drag, dragged):
        _forget_kept_work()
        assert np.array_equal(apply_face_edits(image, points, edit), kept)
    assert fe._TEETH and fe._RIGS  # the work was kept
    for found in fe._TEETH.values():
        assert (found is not None) == (name == "jemison")  # her open smile shows teeth
        if found is not None:
            assert not found[1].flags.writeable  # shared between steps: no caller may change it


def test_two_threads_editing_one_face_get_the_pixels_of_one_thread():
    """The review sheets edit on two threads: the kept sums, meshes and masks they share must not
    mix one thread's work into the other's."""
    from concurrent.futures import ThreadPoolExecutor

    image, points = examples.load_portrait("jemison", 512), examples.portrait_landmarks("jemison", 512)
    edits = [FaceEdit(brow_left=2, mouth_left=value, eyelid_narrowing=1.0, gaze_y=4) for value in np.linspace(1, 4, 8)]
    alone = [apply_face_edits(image, points, edit) for edit in edits]
    _forget_kept_work()
    with ThreadPoolExecutor(2) as pool:
        together = list(pool.map(lambda edit: apply_face_edits(image, points, edit), edits + edits[::-1]))
    for kept, one in zip(together, alone + alone[::-1]):
        assert np.array_equal(kept, one)
