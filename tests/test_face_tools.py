"""The gaze pad and the expression sliders, driven by setting widget values."""

from __future__ import annotations

import numpy as np
import pytest

from portrait_lessons import examples
from portrait_lessons.face.edits import FaceEdit, FaceEditError, edit_limits, iris_shift
from portrait_lessons.ui.face_tools import YOUR_PHOTO, ExpressionTool, FaceEditModel, expression_tool, gaze_tool

from face_measures import iris_displacement


def iris_moves(model: FaceEditModel, before: np.ndarray, after: np.ndarray) -> list[float]:
    """How far each iris moved in the tool's head crops (px)."""
    left, top, _, _ = model.box
    return [iris_displacement(before, after, model.landmarks, side, (left, top)) for side in ("left", "right")]


def test_moving_the_gaze_slider_moves_the_irises_that_way():
    tool = gaze_tool("glover")
    before = tool.model.after
    tool.gaze_x.value = 15
    right = tool.model.after
    expected = iris_shift(tool.model.landmarks, 15)[0]
    assert all(abs(moved - expected) < 1 for moved in iris_moves(tool.model, before, right))
    tool.gaze_x.value = -15
    assert all(abs(moved + expected) < 1 for moved in iris_moves(tool.model, before, tool.model.after))
    assert tool.after.value != tool.before.value
    assert "15° to the picture's left" in tool.readout.value


def test_pad_buttons_set_a_direction_within_the_face_limits():
    tool = gaze_tool("hopper")
    tool.pad["→"].click()
    high = edit_limits(tool.model.landmarks)["gaze_x"][1]
    assert high - 1 < tool.model.gaze_x <= high and tool.model.gaze_y == 0
    tool.pad["●"].click()
    assert tool.model.edit.is_neutral


def test_expression_presets_set_the_mouth():
    tool = gaze_tool("koch")
    tool.expression.value = "slight smile"
    assert tool.model.mouth_left == tool.model.mouth_right > 0 and tool.model.eyelid_narrowing > 0
    tool.expression.value = "corners down"
    assert tool.model.mouth_left < 0
    tool.expression.value = "as photographed"
    assert tool.model.edit.is_neutral


def test_expression_toggle_follows_reset_and_hand_changes():
    tool = gaze_tool("koch")
    tool.expression.value = "slight smile"
    tool.reset.click()
    assert tool.model.edit.is_neutral and tool.expression.value == "as photographed"
    tool.expression.value = "slight smile"  # clicking it again applies it again
    smile = tool.model.mouth_left
    assert smile > 0 and tool.expression.value == "slight smile"
    tool.model.mouth_right = 0  # changed by hand (another tool on the same model)
    assert tool.expression.value == "as photographed" and tool.model.mouth_left == smile  # amounts kept


def test_slider_ranges_follow_each_face():
    tool = expression_tool("koch")
    for name in ("glover", "armstrong"):
        tool.portrait.value = name
        limits = edit_limits(examples.portrait_landmarks(name, 1024))
        slider = tool.sliders["mouth_left"]
        low, high = limits["mouth_left"]
        assert low <= slider.min < low + 0.5 and high - 0.5 < slider.max <= high


def test_corners_move_together_when_asked_and_apart_otherwise():
    tool = expression_tool("koch")
    tool.sliders["mouth_left"].value = 3
    assert tool.model.mouth_right == 0 and "one-sided" in tool.readout.value
    tool.together.value = True
    tool.sliders["mouth_right"].value = 4
    assert tool.model.mouth_left == 4 and "symmetric" in tool.readout.value


def test_reset_returns_every_slider_to_zero():
    tool = expression_tool("koch")
    tool.model.edit = FaceEdit(mouth_left=3, brow_right=2, head_tilt=5)
    tool.reset.click()
    assert tool.model.edit.is_neutral and all(s.value == 0 for s in tool.sliders.values())


def test_use_photo_switches_to_any_photo_and_its_landmarks():
    tool = expression_tool("koch")
    full = examples.load_portrait("ochoa")  # full size: the tool reduces it, landmarks too
    tool.use_photo(full, examples.portrait_landmarks("ochoa"))
    assert tool.model.photo == YOUR_PHOTO and tool.portrait.value == YOUR_PHOTO
    assert ("Your photo", YOUR_PHOTO) in tool.portrait.options
    assert max(tool.model.image.shape[:2]) == 1024
    tool.use_photo(full, examples.portrait_landmarks("ochoa"), label="Ellen Ochoa (your points)")
    assert tool.portrait.options[-1] == ("Ellen Ochoa (your points)", YOUR_PHOTO)
    assert sum(value == YOUR_PHOTO for _, value in tool.portrait.options) == 1
    assert "Ellen Ochoa (your points)" in tool.message.value
    before = tool.model.after
    tool.sliders["mouth_left"].value = 4
    assert (tool.model.after != before).any()
    with pytest.raises(FaceEditError, match="different shape"):
        tool.use_photo(full[:, :200], examples.portrait_landmarks("ochoa"))


def test_save_never_overwrites(tmp_path):
    model = FaceEditModel(photo="collins", mouth_left=3)
    first, second = model.save(tmp_path), model.save(tmp_path)
    assert first != second and first.exists() and second.exists()
    assert "Nothing was overwritten" in model.status


def test_short_stable_repr():
    assert repr(gaze_tool("koch")) == "GazeTool(photo='koch', gaze_x=+0, gaze_y=+0)"
    assert repr(ExpressionTool(FaceEditModel(photo="koch"))) == "ExpressionTool(photo='koch', mouth=+0.0/+0.0)"


def test_gaze_pad_on_a_narrow_face_agrees_with_its_slider_and_its_words():
    """The pad clamps to the slider's whole-degree range: slider, model and readout say the same."""
    tool = gaze_tool("koch")
    limits = tool.model.limits["gaze_x"]
    tool.pad["→"].click()
    tool.pad["←"].click()
    assert tool.model.gaze_x == tool.gaze_x.value >= limits[0]
    assert f"{abs(tool.gaze_x.value):.0f}°" in tool.readout.value
    for name in ("koch", "glover", "ochoa", "collins"):  # each has a fractional limit on one side
        tool.portrait.value = name
        for arrow, side in (("→", "right"), ("←", "left")):
            tool.pad[arrow].click()
            assert tool.model.gaze_x == tool.gaze_x.value == round(tool.gaze_x.value)
            assert f"{abs(tool.gaze_x.value):.0f}° to the picture's {side}" in tool.readout.value


def _small_face_photo():
    """Ellen Ochoa's portrait at 400 px on a 1024 px grey canvas: a small face, whose gaze slider stops near -13."""
    from portrait_lessons.face.landmarks import Landmarks

    small, points = examples.load_portrait("ochoa", 400), examples.portrait_landmarks("ochoa", 400)
    canvas = np.full((1024, 1024, 3), 128, np.uint8)
    canvas[: small.shape[0], : small.shape[1]] = small
    return canvas, Landmarks(points.points, points.iris_radius, points.face_outline, 1024, 1024)


def test_gaze_exercise_asks_only_for_what_the_photo_allows():
    """On a photo whose slider stops before 15 degrees, the slider's end passes, and the message says what to do."""
    from portrait_lessons.checks.eyes_and_gaze import check_averted_gaze, check_shared_signal

    tool = gaze_tool("koch")
    tool.use_photo(*_small_face_photo())
    end = tool.gaze_x.min
    assert -15 < end < 0  # this photo's slider stops before -15
    tool.gaze_x.value = end + 3
    words = check_averted_gaze(tool.model)
    assert words.startswith("Not there yet") and f"stops at {end:.0f}°" in words and "all the way to the left" in words
    tool.pad["←"].click()  # as far as the slider goes
    assert tool.gaze_x.value == end
    assert check_averted_gaze(tool.model).startswith("Well done") and "as far as this photo allows" in check_averted_gaze(tool.model)
    tool.expression.value = "corners down"
    assert check_shared_signal(tool.model, "avoidance").startswith("Well done")
    tool.portrait.value = "koch"  # a face with room: 15 degrees are asked again
    tool.gaze_x.value = -14
    assert "at least 15°" in check_averted_gaze(tool.model)


def test_status_line_speaks_of_the_photo_chosen_in_the_menu():
    """After working on your photo, choosing a bundled portrait again says so (the line was left stale)."""
    tool = gaze_tool("koch")
    tool.use_photo(*_small_face_photo(), label="Your photo: me")
    assert "Your photo: me" in tool.message.value
    tool.portrait.value = "koch"
    assert "Now working on Christina Koch" in tool.message.value and "Your photo" not in tool.message.value
    tool.portrait.value = YOUR_PHOTO
    assert "Now working on Your photo: me" in tool.message.value


def test_a_short_gaze_range_says_why_on_the_photo_it_applies_to():
    """Issue 13: where a slider stops early or moves little mid-way, the tool says why."""
    tool = gaze_tool("jemison")
    assert tool.gaze_x.max == 14 and tool.gaze_x.min == -14  # narrow eyes (NARROW_EYE)
    assert "stops at ±14°" in tool.limit_notes.value and "narrow" in tool.limit_notes.value
    assert tool.gaze_y.max == 12 and tool.gaze_y.min == -12  # narrow eyes up and down too
    assert "Look down / up stops at ±12°" in tool.limit_notes.value
    tool.pad["→"].click()  # the pad's 25° is held at the slider's end
    assert tool.model.gaze_x == 14
    tool.portrait.value = "koch"  # a close-up: full ranges, nothing to explain
    assert tool.gaze_x.max > 14 and tool.limit_notes.value == ""
    tool.portrait.value = "johnson"
    assert "stops at ±14°" in tool.limit_notes.value and "stops at ±12°" in tool.limit_notes.value
    tool.portrait.value = "collins"  # small irises, open eyes: the full range, and why it moves little
    assert tool.gaze_y.max == 25 and "Look down / up moves these irises only" in tool.limit_notes.value


def test_expression_sliders_say_why_a_small_eye_narrows_little():
    tool = expression_tool("collins")
    most = edit_limits(tool.model.landmarks)["eyelid_narrowing"][1]
    own = max(tool.model.landmarks.width, tool.model.landmarks.height) / 1024  # the note speaks of the photo's pixels
    assert f"can close by {most * own:.1f} px at most" in tool.limit_notes.value
    assert "gaze" not in tool.limit_notes.value.lower()  # only its own sliders' notes


def test_slider_range_says_why_mid_shows_little_on_small_eyes():
    """Issue 13: each face edit moves its feature visibly at mid, or the slider's range says why.
    Eyelid narrowing on the small eyes (Collins, Armstrong, Jemison, Ochoa, Johnson: 5-7 px openings at
    1024) stops at 2-3 px, whose half is hard to see; Johnson's brows stop above her frame's rim."""
    tool = expression_tool("koch")
    assert tool.limit_notes.value == ""  # Koch: 3.2 px of narrowing and 5.7 px of brow at mid
    tool.portrait.value = "johnson"
    note = tool.limit_notes.value
    assert "Eyelid narrowing" in note and "squint" in note and "rim" in note
    assert tool.sliders["eyelid_narrowing"].max <= 2.0
    tool.portrait.value = "glover"
    assert tool.limit_notes.value == ""
