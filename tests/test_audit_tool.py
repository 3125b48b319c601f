"""Lesson 09's audit tool and exercises, driven through their widgets."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from portrait_lessons import examples
from portrait_lessons.checks.portrait_checklist import check_brief, check_fixed
from portrait_lessons.ui.audit_tool import YOUR_PHOTO, AuditModel, AuditTool, CheckButton, Exercise, audit_tool
from portrait_lessons.ui.landmark_picker import LandmarkModel


def _jpeg(image: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(image).save(out, "JPEG")
    return out.getvalue()


def test_changing_the_goal_in_the_menu_changes_the_verdicts():
    tool = audit_tool("jemison", "approachable")
    def smile_row():
        row = tool.table.value.split('data-key="smile"')[1].split("</tr>")[0]
        return row.split('data-verdict="')[1].split('"')[0]

    assert smile_row() == "fits"
    before = tool.model.result.finding("smile").verdict
    tool.goal.value = "thought_leadership"
    assert tool.model.goal == "thought_leadership"
    assert before == "fits" and tool.model.result.finding("smile").verdict == "works against the goal"
    assert smile_row() == "works against the goal"
    assert "Thought leadership" in tool.table.value


def test_apply_fix_edits_the_photo_and_the_audit_runs_again():
    tool = audit_tool("hopper", "thought_leadership")
    original = tool.image.value
    keys = [key for _, key in tool.fix_menu.options]
    assert "colourfulness" in keys
    tool.fix_menu.value = "colourfulness"
    tool.apply.click()
    assert tool.model.edited_result is not None
    assert tool.model.edited_result.finding("colourfulness").value < tool.model.result.finding("colourfulness").value
    assert tool.shown.value == "Edited" and tool.image.value != original
    tool.view.value = "Compare"
    assert 'class="pl-compare"' in tool.table.value and "better" in tool.table.value
    assert check_fixed(tool.model).startswith("Well done")
    tool.reset.click()
    assert tool.model.edited_result is None and tool.shown.value == "Original"


def test_an_upload_without_points_gets_colour_only_and_a_clear_note():
    tool = audit_tool("koch", "trust")
    # a picture with no face in it: the face finder (when installed) finds no points either
    ramp = np.linspace(40, 220, 400, dtype=np.uint8)
    scene = np.stack([np.tile(ramp, (300, 1)), np.tile(ramp[::-1], (300, 1)), np.full((300, 400), 90, np.uint8)], -1)
    tool.model.load_upload(_jpeg(scene), "me.jpg")
    assert tool.model.photo == YOUR_PHOTO
    measured = {f.item.key for f in tool.model.result.findings if f.verdict != "not measured"}
    assert measured == {"warmth", "colourfulness"}
    assert "landmark picker" in tool.table.value
    assert not tool.model.load_upload(b"not a photo", "notes.jpg") and tool.model.failed
    assert "notes.jpg" in tool.status.value


def test_the_landmark_pickers_points_reach_the_audit():
    picker_model = LandmarkModel()
    picker_model.use_portrait("glover")
    model = AuditModel(photo="koch", goal="trust")
    model.connect_picker(picker_model)
    assert model.photo == "koch"  # only a guess so far: the audit waits
    picker_model.confirm()
    assert model.photo == YOUR_PHOTO
    assert model.result.finding("gaze").verdict != "not measured"


def test_saving_the_brief_from_the_tool(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tool = audit_tool("koch", "warmth")
    tool.save.click()
    assert tool.model.failed and "emotional job" in tool.status.value
    tool.job.value = "<b>calm</b> & caring"
    tool.story.value = "A scientist who came home from a year in space."
    tool.save.click()
    saved = Path(tool.model.saved)
    assert saved.parent.name == "exports" and saved.exists()
    assert "&lt;b&gt;calm&lt;/b&gt; &amp; caring" in saved.read_text()
    tool.save.click()
    assert Path(tool.model.saved) != saved and saved.exists()  # a second brief, the first kept
    assert check_brief(tool.model).startswith("Well done")
    assert "pl-brief-link" in tool.saved.value


def test_exercise_widgets_check_the_choice():
    exercise = Exercise("Which?", [("a", 1), ("b", 2)], lambda v: "Well done" if v == 2 else "Not yet")
    exercise.check.click()
    assert exercise.reply.value == "<b>Not yet</b>"
    exercise.choice.value = 2
    exercise.check.click()
    assert exercise.reply.value == "<b>Well done</b>"
    button = CheckButton(lambda: "<i>done</i>")
    button.check.click()
    assert button.reply.value == "<b>&lt;i&gt;done&lt;/i&gt;</b>"


def test_the_tool_is_one_screen_wide():
    tool = AuditTool(AuditModel(photo="koch"))
    assert tool.layout.max_width == "1300px"
    assert tool.image.layout.max_height == "440px" and tool.table.layout.max_height == "430px"
    assert tool.image.layout.max_width == "100%"  # the picture shrinks with its column


def test_an_upload_uses_automatically_found_points_when_the_finder_is_sure(monkeypatch):
    from types import SimpleNamespace

    from portrait_lessons.face import detect

    photo = examples.load_portrait("glover", 400)
    points = examples.portrait_landmarks("glover", 400)
    face = SimpleNamespace(landmarks=points, confident=True)
    monkeypatch.setattr(detect, "available", lambda: True)
    monkeypatch.setattr(detect, "detect_faces", lambda image, try_turns=True: SimpleNamespace(faces=(face,), turns=0))
    model = AuditModel(photo="koch", goal="trust")
    assert model.load_upload(_jpeg(photo), "me.jpg")
    assert model.result.finding("gaze").verdict != "not measured"
    assert "found automatically" in model.status
    face.confident = False  # a guessed point: the learner places them instead
    assert model.load_upload(_jpeg(photo), "me.jpg")
    assert model.result.finding("gaze").verdict == "not measured"
