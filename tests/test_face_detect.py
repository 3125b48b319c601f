"""The automatic facial points: accuracy on the bundled portraits, and the failure cases.

Accuracy figures are measured against the hand-placed points at 1024 px
(``tests/detect_accuracy.py``); the asserted bounds leave a margin over what
was measured, noted beside each.
"""

from __future__ import annotations

import math
import os

import numpy as np
import pytest

from portrait_lessons import examples
from portrait_lessons.face import detect
from portrait_lessons.face.landmarks import POINT_NAMES

pytestmark = pytest.mark.skipif(
    not detect.available() and not os.environ.get("CI"), reason="needs the faces extra (mediapipe); CI has it"
)

BROWS = [n for n in POINT_NAMES if "_brow_" in n]
IRISES = ["left_iris", "right_iris"]
OTHERS = [n for n in POINT_NAMES if n not in BROWS]


@pytest.fixture(scope="module")
def tables():
    from detect_accuracy import VARIANTS, errors

    return {kind: errors(kind) for kind in VARIANTS}


@pytest.fixture(scope="module")
def accuracy(tables):
    from detect_accuracy import summary

    return {kind: summary(table) for kind, table in tables.items()}


def test_upright_portraits_meet_the_targets_except_the_brows(accuracy, tables):
    from detect_accuracy import worst_confident

    stats = accuracy["upright"]
    for name in OTHERS:  # measured: means 0.6-2.5 px, worst 5.8 px (an inner eye corner)
        mean, worst = stats[name]
        assert mean < 3.0 and worst < 8.0, (name, mean, worst)
    for name in IRISES:  # measured: worst 1.7 px
        assert stats[name][1] < 2.0, (name, stats[name])
    for side in ("left", "right"):  # measured: mean 0.3 px, worst 0.8 px
        assert stats[f"{side}_iris_radius"][0] < 0.6 and stats[f"{side}_iris_radius"][1] < 1.5
    # The brows are measured on the hair (fit_brow). With glasses (Hopper, Johnson) the mesh takes the
    # frame for the brow; on Hopper, whose faint grey brows sit above the frame, frame_brow finds them
    # (1.2-7.1 px; 11-20 px on the frame before). Brows with glasses stay guesses; so do the ends of a
    # brow in shadow, found where the band's contrast fades (Glover's and Koch's right brows: 2.9-7.2 px;
    # 3.7-8.7 px on the hair map). Every brow point meets the 8 px target.
    sure = worst_confident(tables["upright"])
    bare = [name for name in examples.names() if name not in ("hopper", "johnson")]
    for name in BROWS:
        mean, worst = stats[name]
        assert mean < 4.7 and worst < 8.0, (name, mean, worst)  # measured: means 1.2-3.8 px, worst 7.2 px
        assert sure[name] < 8.0, (name, sure[name])  # measured: 1.1-6.0 px
        bare_mean = np.mean([tables["upright"][n][name] for n in bare])
        bound = 1.5 if "middle" in name else 3.6  # measured over those 6 photos: middles 0.7-1.1, ends 2.1-3.2 px
        assert bare_mean < bound, (name, bare_mean)
    overall = np.mean([stats[n][0] for n in POINT_NAMES])
    assert overall < 1.9  # measured 1.66 px (2.04 before frame_brow, 2.20 before the brows were measured on the hair)


def test_glasses_shade_and_small_faces_make_the_brows_guesses_and_nothing_else(tables):
    from detect_accuracy import guessed

    ends = {"left": ["left_brow_outer", "left_brow_inner"], "right": ["right_brow_inner", "right_brow_outer"]}
    expected = {"glover": ends["right"], "koch": ends["right"], "hopper": BROWS, "johnson": BROWS}  # shade, glasses
    assert guessed(tables["upright"]) == expected
    assert guessed(tables["turned 90"]) == expected and guessed(tables["300 px face"]) == expected
    assert guessed(tables["mirrored"]) == expected | {"glover": ends["left"], "koch": ends["left"]}
    # Faces under 32 px between the irises: every brow is a guess (Glover and Koch, 37-41 px, keep their shade).
    assert guessed(tables["300 px photo"]) == {name: BROWS for name in examples.names()} | {
        "glover": ends["right"], "koch": ends["right"]}
    assert guessed(tables["glasses"]) == {name: BROWS for name in examples.names()}  # frames drawn on each


def test_the_message_says_why_the_brows_are_guesses():
    found = detect.detect_faces(examples.load_portrait("hopper", 1024))
    face = found.faces[0]
    assert face.glasses and face.guesses == BROWS and not face.confident
    assert "6 points could not be seen well" in found.message and "Glasses" in found.message
    plain = detect.detect_faces(examples.load_portrait("jemison", 1024)).faces[0]
    assert not plain.glasses and plain.confident
    shaded = detect.detect_faces(examples.load_portrait("glover", 1024))
    assert shaded.faces[0].guesses == ["right_brow_inner", "right_brow_outer"] and "2 points" in shaded.message


def test_a_brow_in_shadow_ends_where_its_band_fades():
    """In shadow the hair map's ends stray below the hair (Glover's right brow: 8.7 and 7.2 px off);
    shaded_brow_ends follows the band's contrast on the mesh's line instead (4.3 and 2.9 px), near
    the mesh's own places, and the ends stay guesses.
    """
    photo, truth = examples.load_portrait("glover", 1024), examples.portrait_landmarks("glover", 1024)
    face = detect.detect_faces(photo).faces[0]
    upper, lower = (face.mesh[list(detect._BROWS["right"][c]), :2] for c in ("upper", "lower"))
    mesh_ends, thick = detect.mesh_brow_ends(upper, lower), float(np.mean(np.hypot(*(upper - lower).T)))
    for end, measured in (("outer", 4.3), ("inner", 2.9)):
        found = face.landmarks.points[f"right_brow_{end}"]
        assert f"right_brow_{end}" in face.guesses
        assert math.dist(found, mesh_ends[end]) <= 0.25 * thick + 0.5  # moved along the line, a quarter thickness at most
        assert math.dist(found, truth.points[f"right_brow_{end}"]) < measured + 1.0


def test_hoppers_brows_are_found_above_her_glasses_frame_and_stay_guesses(tables):
    """The mesh puts Hopper's brows on her frame's top (11-20 px off); frame_brow finds them above it.

    Johnson's brows sit right on her frame's top, and frames drawn on the portraits cross the brows:
    there the frame's edge is not under the mesh's brow line (FRAME_BELOW) and the points stay where
    fit_brow put them. Measured, Hopper's six brow points: upright 1.2-7.1 px, mirrored 1.3-6.5 px,
    300 px face 1.3-6.9 px.
    """
    for kind in ("upright", "turned 90", "mirrored", "300 px face"):
        row = tables[kind]["hopper"]
        assert max(row[n] for n in BROWS) < 8.0, (kind, {n: round(row[n], 1) for n in BROWS})
        assert np.mean([row[n] for n in BROWS]) < 5.5, kind  # measured 4.3-4.7 px (15.6 before)
        assert set(BROWS) <= set(row["_guesses"])  # found on a faint band: the learner still checks them


def test_frame_brow_lifts_a_brow_off_a_frame_only_when_the_frame_is_under_the_mesh_line():
    xs = np.linspace(25, 95, 5)
    upper, lower = np.column_stack([xs, np.full(5, 37.0)]), np.column_stack([xs, np.full(5, 43.0)])
    eyes = (40.0, 60.0), (80.0, 60.0)  # the brow ends 0.31 of 40 px beyond the outer corner, 0.02 past the inner
    face = np.full((90, 120), 0.7, np.float32)
    face[45:55, 10:110] = 0.25  # a frame just under the mesh's brow
    face[27:31, 25:95] = 0.6  # a faint brow 14-18 px above the frame's top
    found = detect.frame_brow(face, upper, lower, *eyes, 60.0)
    assert found["below"] >= detect.FRAME_BELOW
    assert abs(found["middle"][1] - 29.0) < 1.0 and abs(float(np.median(found["rim"][:, 1])) - 45.0) < 1.5
    assert 26 < found["outer"][0] < 30 and 79 < found["inner"][0] < 83  # BROW_ENDS along the eye
    brow = np.full((90, 120), 0.7, np.float32)
    brow[37:43, 25:95] = 0.35  # the brow where the mesh put it, a thin frame line across it
    brow[39:41, 10:110] = 0.1
    assert detect.frame_brow(brow, upper, lower, *eyes, 60.0)["below"] < detect.FRAME_BELOW


VARIANTS = ("upright", "turned 90", "mirrored", "300 px face", "300 px photo", "glasses")  # detect_accuracy's


@pytest.mark.parametrize("kind", VARIANTS)
def test_every_point_is_as_accurate_as_measured(accuracy, tables, kind):
    """Issue 19's figures per point, mean and worst, with a margin; and its 8 px bound where the detector is sure.

    The table (``detect_accuracy.MEASURED``) holds what was measured; a point may
    be worse by 15 % of its figure, at least 0.3 px on a mean and 1 px on a
    worst, before this fails. The brows with glasses are guesses (Hopper's, found above
    the frame, 1.2-7.1 px; on the 300 px photo, too small to look for them, 11-20 px): the 8 px bound holds for
    every point that is not a guess, on every variant (9 px on the 300 px photo,
    whose errors are scaled up 3.4 times to the 1024 px units; measured 7.95 px there).
    """
    from detect_accuracy import MEASURED, bound, worst_confident

    stats, measured = accuracy[kind], MEASURED[kind]
    assert set(stats) == set(measured)
    worse = {
        name: {"now": tuple(round(v, 2) for v in stats[name]), "measured": measured[name]}
        for name, (mean, worst) in measured.items()
        if stats[name][0] > bound(mean) or stats[name][1] > bound(worst, least=1.0)
    }  # fmt: skip
    assert not worse, worse
    sure = worst_confident(tables[kind])
    limit = 9.0 if kind == "300 px photo" else 8.0
    assert max(sure.values()) < limit, {n: round(v, 2) for n, v in sure.items() if v >= limit}


@pytest.mark.parametrize(
    "kind, overall_bound, iris_bound, brow_bound",
    [
        ("turned 90", 1.9, 2.0, 8.0),  # measured as upright: 1.66 px, iris worst 1.7 px, sure brows 6.0 px
        ("mirrored", 2.1, 2.0, 8.0),  # measured 1.86 px, iris worst 1.6 px, sure brows 4.7 px
        ("300 px face", 1.9, 2.0, 8.0),  # faces scaled to 300 px wide; measured 1.67 px, 1.6 px, 5.5 px
        ("glasses", 2.8, 2.0, 0.0),  # measured 2.45 px, iris worst 1.7 px; every brow is a guess
        # Faces 36-83 px wide; measured 2.89 px, iris worst 3.0 px; only Glover's and Koch's lit brows
        # are sure there (4.2 px at worst, in 1024 px units).
        ("300 px photo", 3.4, 3.5, 8.0),
    ],
)
def test_variants_of_the_portraits(accuracy, tables, kind, overall_bound, iris_bound, brow_bound):
    from detect_accuracy import worst_confident

    stats, sure = accuracy[kind], worst_confident(tables[kind])
    assert np.mean([stats[n][0] for n in POINT_NAMES]) < overall_bound
    assert max(stats[n][1] for n in IRISES) < iris_bound
    assert max(stats[n][1] for n in OTHERS) < 10.0
    assert max(sure[n] for n in BROWS) <= brow_bound


def test_a_plain_gradient_has_no_face_and_says_what_to_do():
    ramp = np.tile(np.linspace(0, 255, 400).astype(np.uint8)[None, :, None], (300, 1, 3))
    found = detect.detect_faces(ramp)
    assert found.faces == () and found.turns == 0 and found.size == (400, 300)
    assert "No face was found" in found.message and "drag" in found.message


def test_two_faces_side_by_side_are_both_found_with_their_boxes():
    left, right = examples.load_portrait("koch", 512), examples.load_portrait("jemison", 512)[:, :384]
    pair = np.concatenate([left, right], axis=1)
    found = detect.detect_faces(pair)
    assert len(found.faces) == 2 and "2 faces" in found.message
    truths = [examples.portrait_landmarks("koch", 512), examples.portrait_landmarks("jemison", 512)]
    by_x = sorted(found.faces, key=lambda f: f.box[0])
    assert by_x[0].box[2] <= 384 <= by_x[1].box[0]  # the boxes don't overlap
    for face, truth, shift in zip(by_x, truths, (0, 384)):
        for name in IRISES:
            x, y = truth.points[name]
            assert math.dist(face.landmarks.points[name], (x + shift, y)) < 3
    areas = [(f.box[2] - f.box[0]) * (f.box[3] - f.box[1]) for f in found.faces]
    assert areas == sorted(areas, reverse=True)  # largest first


def test_a_photo_lying_on_its_side_comes_back_upright():
    photo = np.ascontiguousarray(np.rot90(examples.load_portrait("glover", 512), -1))  # turned clockwise
    found = detect.detect_faces(photo)
    assert found.turns == 1 and found.size == (384, 512)
    truth = examples.portrait_landmarks("glover", 512)
    assert math.dist(found.faces[0].landmarks.points["nose_tip"], truth.points["nose_tip"]) < 4
    assert found.faces[0].landmarks.problems() == []


def test_a_face_cut_by_the_frame_marks_the_cut_points_as_guesses():
    full, truth = examples.load_portrait("koch", 1024), examples.portrait_landmarks("koch", 1024)
    cut = full[: int(truth.points["nose_tip"][1]) + 12]
    face = detect.detect_faces(cut).faces[0]
    assert {"chin", "lower_lip", "upper_lip", "mouth_left", "mouth_right"} <= set(face.guesses)
    assert not set(face.guesses) & {"left_iris", "right_iris", "left_eye_outer", "right_eye_outer"}
    assert not face.confident
    height = cut.shape[0]
    assert all(0 <= y <= height for _, y in face.landmarks.points.values())  # pressed inside the frame


@pytest.fixture(scope="module")
def koch():
    image = examples.load_portrait("koch", 1024)
    mesh = detect._run_mesh(image)[0]
    return detect._gray(image), mesh


def test_the_far_side_of_a_head_turned_to_profile_is_a_guess(koch):
    gray, mesh = koch
    frontal = detect.face_from_mesh(mesh, gray)
    assert frontal.guesses == ["right_brow_inner", "right_brow_outer"] and abs(frontal.turn) < 0.4  # in shade
    turned = mesh.copy()
    turned[4, 0] = mesh[33, 0] + 0.05 * (mesh[263, 0] - mesh[33, 0])  # the nose tip near the left eye's corner
    face = detect.face_from_mesh(turned, gray)
    assert face.turn < -0.8
    assert {"left_eye_outer", "left_iris", "left_brow_outer", "mouth_left"} <= set(face.guesses)
    assert not {"right_eye_outer", "right_iris", "nose_tip", "chin"} & set(face.guesses)


def test_a_closed_eye_makes_its_iris_a_guess(koch):
    gray, mesh = koch
    closed = mesh.copy()
    eye = detect._EYES["left"]
    closed[list(eye["lower"])] = mesh[list(eye["upper"])]  # lower lid up onto the upper one
    face = detect.face_from_mesh(closed, gray)
    assert "left_iris" in face.guesses and "right_iris" not in face.guesses


def test_the_outline_runs_from_eye_height_round_the_chin(koch):
    gray, mesh = koch
    marks = detect.face_from_mesh(mesh, gray).landmarks
    outline = np.array(marks.face_outline)
    assert len(outline) == detect.OUTLINE_POINTS and marks.problems() == []
    assert outline[0, 0] < marks.points["left_eye_outer"][0] and outline[-1, 0] > marks.points["right_eye_outer"][0]
    assert abs(outline[0, 1] - marks.points["left_eye_outer"][1]) < 3  # starts at the eye corners' height
    assert distance_to_polyline(marks.points["chin"], outline) < 0.03 * marks.interocular_distance


def distance_to_polyline(point, polyline) -> float:
    from detect_accuracy import distance_to_polyline as measure

    return measure(point, polyline)


def test_the_outline_follows_the_hand_placed_one(accuracy):
    # Mean distance of the found outline's points from the hand-drawn outline (measured: 2.9 px, worst face 6.2).
    mean, worst = accuracy["upright"]["outline"]
    assert mean < 3.5 and worst < 8.0


def test_detection_is_the_same_every_time():
    photo = examples.load_portrait("hopper", 512)
    assert detect.detect_faces(photo).faces[0].landmarks == detect.detect_faces(photo).faces[0].landmarks


def test_an_upload_to_a_face_tool_is_saved_with_its_points_and_chosen(tmp_path):
    from portrait_lessons.images import save_image
    from portrait_lessons.photos import load_photo
    from portrait_lessons.ui.frame import YOUR_PHOTO
    from portrait_lessons.ui.texture_tool import texture_tool

    tool = texture_tool(folder=tmp_path / "my_photos")
    model = tool.model
    photo = save_image(examples.load_portrait("ochoa", 800), tmp_path / "me.jpg")
    assert model.load_photo(photo.read_bytes(), "me.jpg")
    assert model.photo.endswith("me.jpg") and tool.portrait.value == model.photo
    image, marks = load_photo(model.photo)
    truth = examples.portrait_landmarks("ochoa", 800)
    assert image.shape == (800, 640, 3) and math.dist(marks.points["left_iris"], truth.points["left_iris"]) < 2.5
    assert "untouched" in tool.message.value

    ramp = np.tile(np.linspace(0, 255, 400).astype(np.uint8)[None, :, None], (300, 1, 3))
    assert model.load_photo(save_image(ramp, tmp_path / "wall.jpg").read_bytes(), "wall.jpg")
    assert "No face was found" in tool.message.value and "landmark picker" in tool.notice.value
    assert model.photo == YOUR_PHOTO and tool.save.disabled  # shown as taken, nothing to save


def test_an_upload_with_glasses_is_sent_to_the_picker_with_the_reason(tmp_path):
    from portrait_lessons.images import save_image
    from portrait_lessons.photos import save_upload

    photo = save_image(examples.load_portrait("johnson", 800), tmp_path / "specs.jpg")
    key, message = save_upload(photo.read_bytes(), "specs.jpg", tmp_path / "my_photos")
    assert key is None and "glasses frames can hide the brows" in message and "landmark picker" in message
    assert not (tmp_path / "my_photos").exists() or not any((tmp_path / "my_photos").iterdir())
