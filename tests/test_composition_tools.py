"""Lesson 04's tools: moving a widget changes the picture and the readout; exports are full size and never overwrite."""

import numpy as np
import pytest
from PIL import Image

from portrait_lessons import examples
from portrait_lessons.checks import posture_framing_background as checks
from portrait_lessons.ui import composition_tools as ui
from event_loop import Loop


def test_figure_tool_redraws_when_a_slider_moves():
    tool = ui.figure_tool("neutral")
    before = tool.picture.value
    tool.sliders["head_pitch"].value = 20
    assert tool.picture.value != before
    assert "chin raised" in tool.readout.value
    tool.arms.value = "crossed"
    assert tool.model.pose.arms == "crossed" and "contracted" in tool.readout.value


def test_figure_presets_set_every_control():
    tool = ui.figure_tool("neutral")
    tool.presets.value = "calm_authority"
    assert tool.sliders["lean"].value == figure_lean("calm_authority")
    assert tool.arms.value == "hips"


def test_figure_tool_before_the_notebook_runs_shows_words_not_a_repr():
    bundle = ui.figure_tool("neutral")._repr_mimebundle_()
    assert bundle["text/plain"] == ui.PLACEHOLDER and "FigureTool(" not in bundle["text/plain"]


def figure_lean(name):
    from portrait_lessons.composition.figure import preset

    return preset(name).lean


def test_distance_tool_changes_the_face_not_its_size():
    tool = ui.distance_tool("jemison")
    before = tool.after.value
    assert "as taken" in tool.readout.value
    tool.distance.value = 0.3
    assert tool.after.value != before
    assert "28 % wider" in tool.readout.value
    assert tool.model.after.shape == tool.model.before.shape


def test_distance_presets_move_the_slider():
    tool = ui.distance_tool("koch")
    tool.presets.value = "across the room, 3 m"
    assert tool.distance.value == 3.0


def test_crop_tool_measures_follow_the_zoom_and_the_gaze():
    tool = ui.crop_tool("koch")
    wide = tool.model.measures()["face_ism"]
    tool.aspect.value = "4:5 (portrait)"
    tool.zoom.value = 0.8
    assert tool.model.measures()["face_ism"] > wide
    tool.gaze.value = -20
    tool.offset.value = 1
    assert tool.model.measures()["lead_room"] > 0.55
    assert "into the frame" in tool.readout.value
    tool.offset.value = -1
    assert "out of the frame" in tool.readout.value


def test_crop_export_is_full_resolution_and_never_overwrites(tmp_path):
    model = ui.CropModel(photo="ochoa", zoom=0.5, aspect="1:1 (square)")
    first = model.save(tmp_path)
    second = model.save(tmp_path)
    assert first != second and first.exists() and second.exists()
    width, height = Image.open(first).size
    full = examples.load_portrait("ochoa")
    box = model.box
    factor = full.shape[1] / model.image.shape[1]
    assert width == pytest.approx((box[2] - box[0]) * factor, abs=2) and width == pytest.approx(height, abs=2)
    assert width > box[2] - box[0]
    assert '"aspect": "1:1 (square)"' in first.with_suffix(".json").read_text()


def test_ground_tool_changes_the_picture():
    tool = ui.ground_tool("ochoa", "original")
    before = tool.after.value
    assert tool.after.value == tool.before.value  # "original" shows the photo as taken
    tool.ground.value = "city_night"
    assert tool.after.value != before
    tool.wrap.value = 0.0
    dry = tool.after.value
    tool.wrap.value = 1.0
    assert tool.after.value != dry


def test_distance_and_ground_save_full_size_with_settings_never_overwriting(tmp_path):
    import json

    full = examples.load_portrait("ochoa")
    for tool, settings in ((ui.distance_tool("ochoa"), {"distance_m": 0.3}),
                           (ui.ground_tool("ochoa", "paper_white"), {"ground": "paper_white", "light_wrap": 0.5})):  # fmt: skip
        if "distance_m" in settings:
            tool.distance.value = 0.3
        first, second = tool.model.save(tmp_path), tool.model.save(tmp_path)
        assert first != second and first.exists() and second.exists()
        assert Image.open(first).size == (full.shape[1], full.shape[0])
        assert json.loads(first.with_suffix(".json").read_text())["settings"] == settings
        assert "Nothing was overwritten" in tool.message.value
    saved = np.asarray(Image.open(first))
    assert saved[5:40, 5:40].mean() > 200, "the full-size save shows the white paper in a corner"


def test_distance_and_ground_take_the_learners_own_photo():
    marks = examples.portrait_landmarks("collins")
    image = examples.load_portrait("collins")
    for tool in (ui.distance_tool("koch"), ui.ground_tool("koch", "paper_blue")):
        before = tool.after.value
        tool.use_photo(image, marks, "Collins again")
        assert tool.model.photo == ui.YOUR_PHOTO and ("Collins again", ui.YOUR_PHOTO) in tool.portrait.options
        assert tool.after.value != before and "Collins again" in tool.message.value


def test_tools_take_the_learners_own_photo():
    image = np.asarray(Image.fromarray(examples.load_portrait("collins")).transpose(Image.FLIP_LEFT_RIGHT))
    marks = examples.portrait_landmarks("collins")
    flipped = {n: (marks.width - x, y) for n, (x, y) in marks.points.items()}
    # Left and right swap in a mirror image.
    swapped = {}
    for name, p in flipped.items():
        other = name.replace("left", "@").replace("right", "left").replace("@", "right")
        swapped[other] = p
    from portrait_lessons.face.landmarks import Landmarks

    own = Landmarks(swapped, {"left": marks.iris_radius["right"], "right": marks.iris_radius["left"]},
                    tuple((marks.width - x, y) for x, y in reversed(marks.face_outline)), marks.width, marks.height)  # fmt: skip
    tool = ui.crop_tool("koch")
    tool.use_photo(image, own, "Mirror test")
    assert tool.model.photo == ui.YOUR_PHOTO and ("Mirror test", ui.YOUR_PHOTO) in tool.portrait.options
    assert max(tool.model.image.shape[:2]) <= ui.PREVIEW_EDGE
    assert tool.picture.value  # the crop of the new photo is shown


def test_exercise_widgets_give_feedback_on_click():
    from portrait_lessons.ui.exercises import check_tool, choose

    rating = ui.rating_exercise(["open_confident", "calm_authority", "closed_guarded", "contemplative"],
                                checks.check_posture_ratings)  # fmt: skip
    rating.check.click()
    assert "same rating" in rating.feedback.value and "pl-feedback-todo" in rating.feedback.value
    rating.answers["open_confident"].value = 7
    rating.answers["closed_guarded"].value = 1
    rating.check.click()
    assert "Well done" in rating.feedback.value and "pl-feedback-done" in rating.feedback.value
    assert rating.check.description == "Compare with the studies"
    choice = choose(checks.check_camera_distance, ["A", "B"], buttons=True)
    assert choice.answers["answer"].value is None  # nothing chosen for the learner
    choice.check.click()
    assert "Choose an answer first" in choice.feedback.value
    choice.answers["answer"].value = "A"
    choice.check.click()
    assert "Well done" not in choice.feedback.value
    choice.answers["answer"].value = "B"
    choice.check.click()
    assert "Well done" in choice.feedback.value
    crop = ui.crop_tool("koch")
    button = check_tool(lambda: checks.check_lead_room(crop.model))
    button.check.click()
    assert "Not there yet" in button.feedback.value
    crop.gaze.value, crop.offset.value, crop.aspect.value, crop.zoom.value = -20, 1, "4:5 (portrait)", 0.6
    button.check.click()
    assert "Well done" in button.feedback.value


def _pixels(jpeg: bytes) -> np.ndarray:
    import io

    return np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"), float)


@pytest.mark.parametrize("name", ["crop", "ground"])
def test_a_slider_moved_in_the_browser_shows_a_small_draft_of_the_latest_value_then_the_preview(name, monkeypatch):
    import portrait_lessons.ui.frame as frame

    build, slider, values, shown = {
        "crop": (lambda: ui.crop_tool("koch"), lambda t: t.zoom, (0.04, 0.08, 0.12), lambda t: t.image.value),
        "ground": (lambda: ui.ground_tool("ochoa", "city_night"), lambda t: t.wrap, (0.6, 0.8, 1.0), lambda t: t.after.value),
    }[name]  # fmt: skip
    reference = build()
    slider(reference).value = values[-1]  # the same move in a cell: the preview at once
    expected = shown(reference)

    tool = build()
    loop = Loop()
    monkeypatch.setattr(frame, "_browser_loop", lambda: loop)
    draws = []
    original = tool._draw
    monkeypatch.setattr(tool, "_draw", lambda draft=False: (draws.append(draft), original(draft)))
    for value in values:  # three values arrive before the loop turns
        slider(tool).value = value
    loop.idle()
    assert draws == [True]  # one picture, of the latest value
    draft = _pixels(shown(tool))
    assert max(draft.shape[:2]) <= frame.DRAFT_EDGE
    full = _pixels(expected)
    small = np.asarray(Image.fromarray(full.astype(np.uint8)).resize(draft.shape[1::-1], Image.LANCZOS), float)
    # the same picture, smaller (a draft is sent at JPEG quality 80: 4.2 levels on the crop's busy frame)
    assert np.abs(draft - small).mean() < 6
    loop.rest()
    assert shown(tool) == expected  # at rest: the preview, as in a cell


def test_a_tight_crop_is_drawn_from_the_preview_while_the_zoom_moves():
    model = ui.CropModel(photo="koch", zoom=1.0)
    assert model.draft() is None  # a draft would have fewer pixels than the picture's box


def test_the_distance_close_up_is_the_head_of_the_whole_photo_re_photographed():
    from portrait_lessons.composition import distance

    model = ui.DistanceModel(photo="jemison")
    for value in (0.3, 0.8, 2.5):
        model.distance = value
        left, top, right, bottom = model.box
        whole = distance.change_distance(model.image, model.landmarks, value)
        assert np.array_equal(model.after, whole[top:bottom, left:right])


def test_figure_steps_from_the_browser_draw_only_the_latest_pose_and_a_preset_draws_once(monkeypatch):
    tool = ui.figure_tool("neutral")
    drawn = []
    original = tool.model.picture
    monkeypatch.setattr(tool.model, "picture", lambda: (drawn.append(tool.model.turn), original())[1])
    tool.presets.value = "closed_guarded"  # sets every field: one picture
    assert len(drawn) == 1
    loop = Loop()
    monkeypatch.setattr(ui, "_browser_loop", lambda: loop)
    first = tool.picture.value
    for value in (-10, -20, -35):  # a held key: three values before the loop turns
        tool.sliders["turn"].value = value
    assert tool.picture.value == first
    loop.idle()
    assert drawn[1:] == [-35.0] and tool.picture.value != first
    assert _pixels(tool.picture.value).shape[:2] == ui.FIGURE_SIZE[::-1]  # the size it is shown at


def test_light_wrap_steps_reuse_the_drafts_and_the_previews_wrap(monkeypatch):
    # A wrap step draws a draft, the rest the full preview: each keeps its own full wrap, so
    # alternating the two works out the edge light once per size, and the pictures do not change.
    from portrait_lessons.composition import background as bg

    model = ui.GroundModel(photo="ochoa", ground="city_night")
    model.wrap = 0.5
    first = (model.draft(), model.after)
    calls = []
    wrapped = bg.wrapped_light
    monkeypatch.setattr(bg, "wrapped_light", lambda *a, **k: (calls.append(1), wrapped(*a, **k))[1])
    for wrap in (0.55, 0.6, 0.5):
        model.wrap = wrap
        draft, after = model.draft(), model.after
    assert calls == []
    assert np.array_equal(draft, first[0]) and np.array_equal(after, first[1])
    # The cached preview is the one worked out afresh.
    bg._FULL_WRAP.clear()
    ground, light = model._ground()
    assert np.array_equal(after, bg.composite(model.image, ground, model.mask, 0.5, light)) and len(calls) == 1
