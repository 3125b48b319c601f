"""The landmark picker driven from code, as the browser drives it."""

from __future__ import annotations

import json
import re
import os
from datetime import datetime, timezone

import numpy as np
import pytest
from PIL import Image

from portrait_lessons import examples
from portrait_lessons.images import save_image
from portrait_lessons.face.landmarks import POINT_NAMES, Landmarks
from portrait_lessons.face import detect
from portrait_lessons.ui.landmark_picker import PICKER_EDGE, LandmarkModel, LandmarkPicker, landmark_picker


@pytest.fixture
def picker(tmp_path):
    return landmark_picker("jemison", save_folder=tmp_path / "my_photos")


def upload(data: bytes, name: str) -> tuple[dict]:
    """What ipywidgets' FileUpload holds after the learner picks a file."""
    return ({"name": name, "type": "image/jpeg", "size": len(data), "content": memoryview(data),
             "last_modified": datetime.now(timezone.utc)},)  # fmt: skip


def browser_drag(picker: LandmarkPicker, name: str, x: float, y: float) -> None:
    """What the browser sends when a drag ends: every point, one of them moved, rounded to 0.1 px."""
    points = {n: list(xy) for n, xy in picker.canvas.points.items()}
    points[name] = [round(x, 1), round(y, 1)]
    picker.canvas.selected = name
    picker.canvas.points = points


def test_starts_on_a_portrait_with_valid_points_on_the_canvas(picker):
    model = picker.model
    assert max(model.image.shape[:2]) == PICKER_EDGE
    assert model.problems == [] and model.landmarks is None  # a guess is not published
    assert "first guess" in picker.problems.value and not picker.use.disabled
    assert picker.use.description == "Use these points"
    picker.use.click()
    assert isinstance(model.landmarks, Landmarks) and picker.use.disabled and "now use" in picker.problems.value
    assert picker.use.description == "Points in use"
    assert (model.landmarks.width, model.landmarks.height) == (model.image.shape[1], model.image.shape[0])
    assert set(picker.canvas.points) == set(POINT_NAMES)
    assert picker.canvas.image[:2] == b"\xff\xd8"  # JPEG
    assert picker.canvas.image_size == [model.image.shape[1], model.image.shape[0]]
    assert not picker.save.disabled
    assert repr(picker) == "LandmarkPicker(photo='jemison', problems=0)"


def test_zoom_shows_the_face_and_can_show_the_whole_photo(picker):
    x, y, w, h = picker.canvas.view
    picker.model.confirm()
    left, top, right, bottom = picker.model.landmarks.face_box
    assert x <= left and y <= top and x + w >= right and y + h >= bottom
    assert w < picker.model.image.shape[1] / 2  # the face fills the view, not the photo
    picker.zoom.value = False
    assert picker.canvas.view == []


def test_a_drag_in_the_browser_moves_the_point_in_python(picker):
    picker.model.confirm()
    x, y = picker.model.points["nose_tip"]
    seen = []
    picker.model.observe(lambda change: seen.append(change["new"]), "landmarks")

    browser_drag(picker, "nose_tip", x + 12, y + 5)

    assert picker.model.points["nose_tip"] == pytest.approx((x + 12, y + 5), abs=0.06)
    assert seen and seen[-1].points["nose_tip"] == pytest.approx((x + 12, y + 5), abs=0.06)
    assert picker.point.value == "nose_tip"
    assert "x&nbsp;" + f"{x + 12:.0f}" in picker.hint.value
    others = {n: xy for n, xy in picker.model.points.items() if n != "nose_tip"}
    assert all(picker.canvas.points[n] == [round(a, 1), round(b, 1)] for n, (a, b) in others.items())


def test_moving_a_point_somewhere_impossible_lists_the_problem_and_blocks_saving(picker):
    picker.model.confirm()
    seen = []
    picker.model.observe(lambda change: seen.append(change["new"]), "landmarks")
    brow_x, brow_y = picker.model.points["left_brow_middle"]

    browser_drag(picker, "nose_tip", brow_x, brow_y - 20)

    assert picker.model.landmarks is None and seen == [None]
    assert "The nose tip should be below the eyes and above the mouth." in picker.model.problems
    assert "nose tip should be below the eyes" in picker.problems.value
    assert picker.save.disabled
    assert picker.model.save() is None and "Fix the problems" in picker.model.status

    picker.model.refit()  # "Start again": a new guess, to be confirmed again
    assert picker.model.problems == [] and seen[-1] is None and not picker.model.confirmed
    picker.use.click()
    assert isinstance(seen[-1], Landmarks)
    assert "To fix" not in picker.problems.value and not picker.save.disabled


def test_untouched_points_follow_the_two_eyes(picker):
    model = picker.model
    chin_before = model.points["chin"]
    lx, ly = model.points["left_iris"]
    rx, ry = model.points["right_iris"]
    model.move_point("nose_tip", *model.points["nose_tip"])  # not a move: nothing counts as placed
    assert model.placed == set()

    model.move_point("left_iris", lx + 30, ly + 40)
    assert model.points["chin"] == chin_before  # one eye alone is not enough to go on
    model.move_point("right_iris", rx + 30, ry + 40)
    assert model.points["chin"] == pytest.approx((chin_before[0] + 30, chin_before[1] + 40), abs=6)

    hand_placed = model.points["chin"][0] + 7, model.points["chin"][1]
    model.move_point("chin", *hand_placed)
    model.move_point("right_iris", rx + 30, ry + 60)
    assert model.points["chin"] == hand_placed  # a point the learner placed stays where they put it


def test_arrow_key_nudges_arrive_as_one_point_moves(picker):
    x, y = picker.model.points["mouth_left"]
    browser_drag(picker, "mouth_left", round(x, 1) + 1, round(y, 1))
    assert picker.model.points["mouth_left"] == pytest.approx((x + 1, y), abs=0.06)
    assert picker.model.placed == {"mouth_left"}


def test_choosing_a_point_in_the_list_selects_it_on_the_canvas(picker):
    picker.point.value = "chin"
    assert picker.canvas.selected == "chin"
    assert "chin, lowest point" in picker.hint.value and "lowest point of the chin" in picker.hint.value
    picker.canvas.selected = "upper_lip"  # a press on a dot in the browser
    assert picker.point.value == "upper_lip"


def test_choosing_another_portrait_refits(picker):
    before = picker.canvas.image
    picker.source.value = "portrait:koch"
    assert picker.model.photo_name == "koch" and picker.model.image.shape == (1024, 768, 3)
    assert picker.canvas.image != before and picker.model.landmarks is None  # a new guess
    assert picker.model.display_name == "Christina Koch (your points)"


def test_upload_reports_a_bad_file_in_plain_words_and_keeps_the_photo(picker):
    before = picker.model.image
    picker.upload.value = upload(b"hello", "<b>notes</b>.jpg")
    assert picker.model.image is before
    assert picker.model.failed and "&lt;b&gt;notes&lt;/b&gt;" in picker.message.value
    assert "<b>notes" not in picker.message.value


def test_upload_of_a_photo_fits_points_and_offers_it(picker, tmp_path, monkeypatch):
    monkeypatch.setattr(detect, "available", lambda: False)  # the route without the faces extra
    photo = save_image(examples.load_portrait("ochoa", 700), tmp_path / "holiday.jpg")
    data = photo.read_bytes()
    picker.upload.value = upload(data, "holiday.jpg")
    assert picker.model.photo_name == "holiday" and picker.model.image.shape[:2] == (700, 560)
    assert picker.model.landmarks is None and picker.model.problems == []
    assert picker.source.value == "upload:holiday" and picker.model.display_name == "Your photo: holiday"
    assert "untouched" in picker.message.value


def test_save_writes_the_full_size_copy_and_reopens_from_the_list(picker, tmp_path):
    full = examples.load_portrait("jemison")
    browser_drag(picker, "nose_tip", *np.add(picker.model.points["nose_tip"], 3))
    assert picker.model.landmarks is None

    picker.save.click()  # saving confirms the points
    placed = picker.model.landmarks

    copy = tmp_path / "my_photos" / "jemison.jpg"
    sidecar = tmp_path / "my_photos" / "jemison.landmarks.json"
    assert copy.exists() and sidecar.exists() and "Saved" in picker.message.value
    assert Image.open(copy).size == (full.shape[1], full.shape[0])
    data = json.loads(sidecar.read_text())
    factor = full.shape[1] / placed.width
    assert data["points"]["nose_tip"] == pytest.approx([v * factor for v in placed.points["nose_tip"]], abs=0.1)
    assert f"saved:{copy}" in dict(picker.source.options).values()

    picker.source.value = "portrait:koch"
    picker.source.value = f"saved:{copy}"
    assert picker.model.photo_name == "jemison"
    assert picker.model.points["nose_tip"] == pytest.approx(placed.points["nose_tip"], abs=0.1)
    assert picker.model.landmarks is not None  # saved points were checked before
    picker.save.click()
    assert (tmp_path / "my_photos" / "jemison-1.jpg").exists()  # never overwrites


def test_model_alone_needs_no_widgets():
    model = LandmarkModel()
    assert model.image is None and model.landmarks is None
    model.use_portrait("hopper")
    assert model.landmarks is None
    model.confirm()
    assert model.landmarks is not None
    with pytest.raises(KeyError, match="no point called"):
        model.set_points({"left_ear": (1, 2)})


def test_the_guess_is_published_only_after_both_irises_are_placed_by_hand(picker, tmp_path, monkeypatch):
    """A wrong first guess (here the mirrored photo, all points on the forehead) never reaches the tools."""
    monkeypatch.setattr(detect, "available", lambda: False)  # the template route
    seen = []
    picker.model.observe(lambda change: seen.append(change["new"]), "landmarks")
    mirrored = save_image(np.ascontiguousarray(examples.load_portrait("glover", PICKER_EDGE)[:, ::-1]), tmp_path / "m.png")
    picker.model.load_photo(mirrored, "mirrored.png")
    assert picker.model.problems == [] and picker.model.landmarks is None and seen == []
    truth = examples.portrait_landmarks("glover", PICKER_EDGE)
    width = picker.model.image.shape[1]
    (lx, ly), (rx, ry) = truth.points["right_iris"], truth.points["left_iris"]  # mirrored: sides swap
    browser_drag(picker, "left_iris", width - lx, ly)
    assert picker.model.landmarks is None  # one iris is not enough
    browser_drag(picker, "right_iris", width - rx, ry)
    assert isinstance(seen[-1], Landmarks) and seen[-1] is picker.model.landmarks
    nose = np.array(seen[-1].points["nose_tip"])
    assert np.linalg.norm(nose - ((width - truth.points["nose_tip"][0]), truth.points["nose_tip"][1])) < 0.25 * truth.interocular_distance


needs_detector = pytest.mark.skipif(
    not detect.available() and not os.environ.get("CI"), reason="needs the faces extra (mediapipe); CI has it"
)


@needs_detector
def test_upload_finds_the_face_and_the_tools_can_use_it_at_once(picker, tmp_path):
    truth = examples.portrait_landmarks("ochoa", 700)
    photo = save_image(examples.load_portrait("ochoa", 700), tmp_path / "holiday.jpg")
    picker.upload.value = upload(photo.read_bytes(), "holiday.jpg")
    model = picker.model
    assert model.landmarks is not None and model.guesses == [] and len(model.faces) == 1
    for name in ("left_iris", "right_iris", "mouth_left", "chin"):
        assert np.hypot(*np.subtract(model.points[name], truth.points[name])) < 4
    assert "found" in picker.message.value and picker.canvas.guesses == []
    assert picker.progress.layout.display == "none"  # shown only while looking
    # A moved point no longer matches the found face: the rest still hold, radii kept.
    found_radius = model.landmarks.iris_radius["left"]
    browser_drag(picker, "chin", *np.add(model.points["chin"], (0, 4)))
    assert model.landmarks.points["chin"][1] == pytest.approx(model.points["chin"][1])
    assert model.landmarks.iris_radius["left"] == found_radius
    picker.restart.click()  # back to the found points
    assert model.points["chin"] == pytest.approx(truth.points["chin"], abs=6)


@needs_detector
def test_two_faces_are_offered_and_a_click_chooses_one(picker, tmp_path):
    two = np.concatenate([examples.load_portrait("koch", 512), examples.load_portrait("jemison", 512)[:, :384]], axis=1)
    photo = save_image(two, tmp_path / "two.jpg")
    picker.upload.value = upload(photo.read_bytes(), "two.jpg")
    model = picker.model
    assert len(model.faces) == 2 and len(picker.canvas.faces) == 2
    assert model.landmarks is None and "2 faces" in picker.problems.value
    # Koch's brow in shadow has its ends as guesses: the advice on the faces is still given beside it.
    assert model.guesses == ["right_brow_inner", "right_brow_outer"] and "drawn as rings" in picker.problems.value
    assert picker.canvas.view == []  # the whole photo, so both faces can be seen
    other = 1 - model.face_index
    x, y, w, h = model.faces[other]
    picker.canvas.face = other  # what a click in the other box sends
    assert model.face_index == other and model.landmarks is not None
    assert x <= model.points["nose_tip"][0] <= x + w and y <= model.points["nose_tip"][1] <= y + h


@needs_detector
def test_no_face_opens_on_the_template_guess_and_says_so(picker, tmp_path):
    ramp = np.tile(np.linspace(0, 255, 400).astype(np.uint8)[None, :, None], (300, 1, 3))
    photo = save_image(ramp, tmp_path / "wall.jpg")
    picker.upload.value = upload(photo.read_bytes(), "wall.jpg")
    assert picker.model.faces == [] and len(picker.model.points) == 22 and picker.model.landmarks is None
    assert "No face was found" in picker.message.value


@needs_detector
def test_a_face_cut_by_the_frame_marks_the_hidden_points_as_guesses(picker, tmp_path):
    full, truth = examples.load_portrait("koch", 1024), examples.portrait_landmarks("koch", 1024)
    cut = full[: int(truth.points["nose_tip"][1]) + 12]
    photo = save_image(cut, tmp_path / "cut.jpg")
    picker.upload.value = upload(photo.read_bytes(), "cut.jpg")
    model = picker.model
    assert {"chin", "lower_lip", "mouth_left", "mouth_right"} <= set(model.guesses)
    assert "left_iris" not in model.guesses and model.landmarks is None
    assert set(picker.canvas.guesses) == set(model.guesses) and "drawn as rings" in picker.problems.value
    browser_drag(picker, "chin", *np.subtract(model.points["chin"], (0, 3)))
    assert "chin" not in model.guesses  # placed by hand


@needs_detector
def test_glasses_open_the_picker_on_the_brows_as_guesses(picker, tmp_path):
    photo = save_image(examples.load_portrait("hopper", 1024), tmp_path / "with_glasses.jpg")
    picker.upload.value = upload(photo.read_bytes(), "with_glasses.jpg")
    model = picker.model
    brows = [n for n in POINT_NAMES if "_brow_" in n]
    assert model.guesses == brows and set(picker.canvas.guesses) == set(brows)
    assert model.landmarks is None and not model.confirmed  # not used until the learner looks
    assert "Glasses" in picker.message.value and "left brow, outer end" in picker.problems.value
    for name in brows:  # the learner drags each brow point up off the frame
        browser_drag(picker, name, *np.subtract(model.points[name], (0, 12)))
    assert model.guesses == [] and picker.canvas.guesses == []
    picker.use.click()
    assert model.landmarks is not None and model.landmarks.points["left_iris"] == model.points["left_iris"]


def test_a_face_finder_that_cannot_start_leaves_the_template_guess(picker, tmp_path, monkeypatch):
    def broken(image):
        raise ImportError("libGL.so.1: cannot open shared object file")

    monkeypatch.setattr(detect, "available", lambda: True)
    monkeypatch.setattr(detect, "detect_faces", broken)
    photo = save_image(examples.load_portrait("ochoa", 700), tmp_path / "holiday.jpg")
    picker.upload.value = upload(photo.read_bytes(), "holiday.jpg")
    assert picker.model.photo_name == "holiday" and len(picker.model.points) == 22
    assert picker.model.landmarks is None and not picker.model.detecting
    assert "could not start" in picker.message.value and "first guess" in picker.message.value


def test_asymmetry_on_first_guess_points_comes_with_a_warning(picker):
    """The template is symmetric: an asymmetry measured on its guess must say so, until the points are placed."""
    model = picker.model
    lx, ly = model.points["left_iris"]
    rx, ry = model.points["right_iris"]
    model.move_point("left_iris", lx + 3, ly)
    model.move_point("right_iris", rx + 3, ry)
    assert model.landmarks is not None and "first guess" in model.asymmetry_warning()
    for name in model.guessed:
        x, y = model.points[name]
        model.move_point(name, x + 1, y)
    assert model.asymmetry_warning() == ""


def _blurred(name: str = "armstrong", radius: float = 12) -> np.ndarray:
    """A bundled portrait blurred until the face mesh lays a face over the chest.

    Measured on Armstrong at radius 12: a mesh box 491 px wide where the detector sees no face.
    """
    from PIL import ImageFilter

    return np.asarray(Image.fromarray(examples.load_portrait(name, 1024)).filter(ImageFilter.GaussianBlur(radius)))


@needs_detector
def test_implausible_points_on_a_blurred_photo_open_as_guesses_and_say_why(picker, tmp_path):
    """A blurred photo: the mesh finds a 'face' the detector does not see. Say so, and open on guesses."""
    found = detect.detect_faces(_blurred())
    face = found.faces[0]
    assert face.doubts and face.guesses == list(POINT_NAMES) and not face.confident
    assert "may not be on a face" in found.message and "face was found and every point" not in found.message
    photo = save_image(_blurred(), tmp_path / "blurry.jpg")
    shown = []
    picker.message.observe(lambda change: shown.append(change["new"]), "value")
    picker.upload.value = upload(photo.read_bytes(), "blurry.jpg")
    model = picker.model
    assert "Working: opening blurry.jpg" in [s for s in shown if re.sub("<[^>]*>", "", s).strip()][0]
    assert model.landmarks is None and set(picker.canvas.guesses) == set(POINT_NAMES)
    assert "may not be on a face" in picker.problems.value and "may not be on a face" in picker.message.value
    assert "lower lip" not in picker.problems.value  # the reason, not a list of all 22 points
    assert "face finder doubted" in model.asymmetry_warning(5.0)  # beside any measure made on them
    assert "more than any of the bundled portraits" in model.asymmetry_warning(16.7)


@needs_detector
def test_a_high_asymmetry_on_unchecked_points_is_flagged_until_they_are_placed_by_hand(picker, tmp_path):
    photo = save_image(examples.load_portrait("ochoa", 700), tmp_path / "me.jpg")
    picker.upload.value = upload(photo.read_bytes(), "me.jpg")
    model = picker.model
    assert model.landmarks is not None and not model.doubts
    assert model.asymmetry_warning(3.4) == ""  # plausible: no warning
    assert "16.7 %" in model.asymmetry_warning(16.7)  # implausible on points nobody checked
    for name in POINT_NAMES:  # the learner checks every point by hand
        browser_drag(picker, name, *np.add(model.points[name], (0.5, 0)))
    assert model.asymmetry_warning(16.7) == ""


def test_mirror_composites_follow_the_points_the_picker_hands_over(picker, tmp_path, monkeypatch):
    """Lesson 02: the composites appear when the points are ready and change when a point moves; no cell is re-run."""
    from portrait_lessons.ui.mirror import MirrorView

    monkeypatch.setattr(detect, "available", lambda: False)  # the template route: two iris drags hand the points over
    view = MirrorView(picker.model)
    assert "Load your own photo" in view.message.value and view.readout.value == ""
    photo = save_image(examples.load_portrait("glover", PICKER_EDGE), tmp_path / "me.png")
    picker.upload.value = upload(photo.read_bytes(), "me.png")
    assert "not ready" in view.message.value and len(view.pictures[1].value) == 0
    truth = examples.portrait_landmarks("glover", PICKER_EDGE)
    browser_drag(picker, "left_iris", *truth.points["left_iris"])
    browser_drag(picker, "right_iris", *truth.points["right_iris"])
    assert picker.model.landmarks is not None
    first = bytes(view.pictures[1].value)
    assert first and view.message.value == "" and "Shape asymmetry" in view.readout.value
    assert "first guess" in view.readout.value  # most points are still the template's
    browser_drag(picker, "mouth_left", *np.subtract(picker.model.points["mouth_left"], (0, 12)))
    assert bytes(view.pictures[1].value) != first  # left-left changed with the point


def test_the_picker_upload_reads_plainly_and_the_same_file_chosen_twice_loads_twice(picker, tmp_path):
    """"Upload your photo", no counter; back to a bundled portrait, the same file chosen again opens again."""
    assert picker.upload.description == "Upload your photo"
    photo = save_image(examples.load_portrait("ochoa", 500), tmp_path / "holiday.jpg").read_bytes()
    for _ in range(2):
        picker.source.value = "portrait:hopper"
        assert picker.model.photo_name == "hopper"
        meta = {"name": "holiday.jpg", "type": "image/jpeg", "size": len(photo), "last_modified": 0}
        picker.upload._on_message(picker.upload, {"kind": "files", "files": [meta]}, [memoryview(photo)])
        assert picker.model.photo_name != "hopper", picker.message.value
        assert picker.upload.value == ()
