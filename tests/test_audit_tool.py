"""Lesson 09's audit tool and exercises, driven through their widgets."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from portrait_lessons import examples
from portrait_lessons.checks.portrait_checklist import check_brief, check_fixed
from portrait_lessons.ui.audit_tool import YOUR_PHOTO, AuditModel, AuditTool, audit_tool
from portrait_lessons.ui.frame import ToolFrame
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
    assert tool.view.value == "After" and tool.image.value != original
    tool.report.value = "Compare"
    assert 'class="pl-compare"' in tool.table.value and "better" in tool.table.value
    assert check_fixed(tool.model).startswith("Well done")
    tool.reset.click()
    assert tool.model.edited_result is None and tool.image.value == original


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
    assert "Colour only" in tool.notice.value and "landmark picker" in tool.notice.value
    assert not tool.model.load_upload(b"not a photo", "notes.jpg") and tool.model.failed
    assert "notes.jpg" in tool.message.value
    tool.portrait.value = "glover"  # back to a bundled portrait with its points: the note goes
    assert tool.notice.value == "" and not tool.model.failed


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
    tool.save_brief.click()
    assert tool.model.failed and "emotional job" in tool.message.value
    tool.job.value = "<b>calm</b> & caring"
    tool.story.value = "A scientist who came home from a year in space."
    tool.save_brief.click()
    saved = Path(tool.model.saved)
    assert saved.parent.name == "exports" and saved.exists()
    assert "&lt;b&gt;calm&lt;/b&gt; &amp; caring" in saved.read_text()
    tool.save_brief.click()
    assert Path(tool.model.saved) != saved and saved.exists()  # a second brief, the first kept
    assert check_brief(tool.model).startswith("Well done")
    assert "pl-brief-link" in tool.saved.value


def test_the_tool_sits_on_the_one_frame_and_fits_beside_the_file_browser():
    tool = AuditTool(AuditModel(photo="koch"))
    assert isinstance(tool, ToolFrame) and "pl-tool-frame" in tool._dom_classes
    assert tool.layout.max_width == "1300px" and tool.table.layout.max_height == "400px"
    # the three photo sources: bundled portraits in the menu, the upload button, saved photos (the refresh button)
    assert ("koch" in [key for _, key in tool.portrait.options]) and tool.upload.accept.startswith("image/")


def test_picking_another_photo_in_the_menu_audits_it_and_drops_the_fixes():
    tool = audit_tool("hopper", "thought_leadership")
    tool.fix_menu.value = "colourfulness"
    tool.apply.click()
    edited_picture = tool.image.value
    tool.portrait.value = "jemison"
    assert tool.model.photo == "jemison" and tool.model.edited_result is None and tool.reset.disabled
    assert tool.image.value != edited_picture
    # Mae Jemison's broad smile works against thought leadership; Grace Hopper's closed mouth did not
    assert 'data-key="smile"' in tool.table.value
    assert tool.model.result.finding("smile").verdict == "works against the goal"


def test_save_writes_the_edited_photo_at_full_size_with_its_settings_never_overwriting(tmp_path):
    import json

    tool = audit_tool("hopper", "thought_leadership")
    tool.fix_menu.value = "colourfulness"
    tool.apply.click()
    first = tool.model.save(tmp_path)
    second = tool.model.save(tmp_path)
    assert first != second and first.exists() and second.exists()
    full = tool.model.full
    saved = np.asarray(Image.open(first))
    assert saved.shape == full.shape  # full size, not the tool's working copy
    # the fix (lower saturation) is in the saved picture: less colourful than the photo as it came
    def chroma(image):
        return float(np.mean(image.max(axis=2).astype(int) - image.min(axis=2)))
    assert chroma(saved) < chroma(full) - 1
    sidecar = json.loads(first.with_suffix(".json").read_text())
    assert sidecar["tool"] == "audit" and sidecar["settings"]["goal"] == "thought_leadership"
    assert sidecar["size"] == [full.shape[1], full.shape[0]] and "saturation" in " ".join(sidecar["settings"]["fixes"])


def test_a_crop_fix_is_scaled_to_the_full_size_photo():
    from portrait_lessons.audit import Edit

    model = AuditModel(photo="koch", goal="trust")
    left, top = 100, 80
    model.edit = Edit(box=(left, top, left + 400, top + 500))
    model.run()
    small = model.after
    big = model.saved_picture()
    scale = model.full.shape[1] / model.image.shape[1]
    assert small.shape[:2] == (500, 400)
    assert abs(big.shape[1] - 400 * scale) <= 2 and abs(big.shape[0] - 500 * scale) <= 2


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


@pytest.mark.skipif(not importlib.util.find_spec("mediapipe"), reason="the face finder is optional")
def test_an_upside_down_upload_is_audited_upright_with_its_points():
    """Lesson 08's upload turns such a photo upright and finds its face; the audit of lesson 09 does the same."""
    photo = examples.load_portrait("jemison", 640)
    out = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(photo[::-1, ::-1])).save(out, "PNG")
    model = AuditModel(photo="koch", goal="trust")
    assert model.load_photo(out.getvalue(), "upside down.png")
    assert model.has_landmarks, model.status
    assert model.result.finding("gaze").verdict != "not measured"
    # upright: the eyes sit in the top half of the picture
    eyes_y = model.landmarks.points["left_eye_inner"][1]
    assert eyes_y < model.image.shape[0] / 2


def test_the_closing_exercise_asks_for_a_brief_whose_audit_measured_the_face(tmp_path, monkeypatch):
    """A brief saved on colour only (no face found) is not the exercise done: the check says how to get the points."""
    monkeypatch.chdir(tmp_path)
    tool = audit_tool("koch", "warmth")
    wall = np.tile(np.linspace(60, 200, 320, dtype=np.uint8)[None, :, None], (400, 1, 3))  # no face in it
    content = _jpeg(wall)
    tool.upload.value = ({"name": "wall.jpg", "type": "image/jpeg", "size": len(content), "content": memoryview(content)},)
    assert not tool.model.has_landmarks
    tool.job.value = "warm and quietly confident"
    tool.story.value = "A potter who opens her studio to the neighbours every Friday."
    tool.save_brief.click()
    assert Path(tool.model.saved).exists()
    said = check_brief(tool.model)
    assert said.startswith("Not there yet") and "colour only" in said and "landmark picker" in said
    tool.portrait.value = "jemison"  # a photo with its points: every item measured
    tool.save_brief.click()
    assert check_brief(tool.model).startswith("Well done")
