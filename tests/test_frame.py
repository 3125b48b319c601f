"""The one tool frame: every image tool offers the same photo sources, views, Save and status line."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from portrait_lessons import examples
from portrait_lessons.face.fit import save_with_landmarks
from portrait_lessons.images import to_jpeg
from portrait_lessons.ui.editing_panel import editing_panel
from portrait_lessons.ui.era_picker import era_picker
from portrait_lessons.ui.face_tools import expression_tool, gaze_tool
from portrait_lessons.ui.frame import VIEWS, YOUR_PHOTO, ToolFrame
from portrait_lessons.ui.grading import grading_panel
from portrait_lessons.ui.start_here import warmth_tool
from portrait_lessons.ui.texture_tool import texture_tool
from event_loop import Loop

#: Every image tool of the workbook, each with one slider that changes its picture.
TOOLS = {
    "warmth": (lambda folder: warmth_tool(), lambda t: setattr(t.warmth, "value", 30)),
    "grading": (lambda folder: grading_panel(), lambda t: t.sliders["temperature"].__setattr__("value", 8000)),
    "era": (lambda folder: era_picker(), lambda t: setattr(t.era, "value", "instant_1980s")),
    "texture": (lambda folder: texture_tool(folder=folder), lambda t: setattr(t.smoothing, "value", 100)),
    "gaze": (lambda folder: gaze_tool(), lambda t: setattr(t.gaze_x, "value", -15)),
    "expression": (lambda folder: expression_tool(), lambda t: t.sliders["mouth_left"].__setattr__("value", 4)),
    "editing": (lambda folder: editing_panel(folder=folder), lambda t: t.sliders[("depth", "blur")].__setattr__("value", 60)),
}


def _pixels(jpeg: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"), dtype=float)


def _saved_photo(folder):
    photo = np.clip(examples.load_portrait("ochoa", 700).astype(int) + 15, 0, 255).astype(np.uint8)
    return save_with_landmarks(photo, examples.portrait_landmarks("ochoa", 700), folder, name="me")[0]


@pytest.mark.parametrize("name", list(TOOLS))
def test_every_tool_is_a_frame_with_the_three_sources_and_save(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = Path("my_photos")  # where the lessons' tools look by default
    saved = _saved_photo(folder)
    make, move = TOOLS[name]
    tool = make(str(folder))
    assert isinstance(tool, ToolFrame)
    for widget in (tool.portrait, tool.upload, tool.refresh, tool.view, tool.save, tool.message):
        assert widget in _descendants(tool)
    # Source 1, bundled portraits; source 3, saved photos (listed by the refresh button).
    tool.refresh.click()
    keys = [key for _, key in tool.portrait.options]
    assert "koch" in keys and str(saved) in keys
    tool.portrait.value = str(saved)
    move(tool)
    path = tool.model.save("exports")
    assert path is not None, tool.model.status
    full = np.asarray(Image.open(path))
    assert full.shape == (700 * 4 // 3, 700, 3) or max(full.shape[:2]) == 700  # full size of the saved photo
    sidecar = json.loads(path.with_suffix(".json").read_text())
    source = sidecar.get("source", sidecar)  # the editing panel keeps its recipe format, with a "source"
    assert source["photo"] == str(saved) and sidecar.get("stages", sidecar.get("settings")) is not None
    second = tool.model.save("exports")
    assert second != path and path.exists() and "Nothing was overwritten" in tool.message.value
    # Source 2, an upload: accepted by every tool; tools that need landmarks say so and link the picker.
    assert tool.model.load_photo(np.full((120, 90, 3), 128, np.uint8), "me.jpg")
    assert tool.model.photo == YOUR_PHOTO and tool.portrait.value == YOUR_PHOTO
    if tool.model.needs_landmarks:
        assert "landmark picker" in tool.notice.value and "01_eyes_and_gaze.ipynb" in tool.notice.value
        assert tool.save.disabled and tool.model.save("exports") is None
    else:
        assert tool.notice.value == "" and tool.model.save("exports") is not None


def test_views_show_before_after_side_by_side_and_split():
    tool = warmth_tool()
    tool.warmth.value = 40
    assert tool.image.layout.display == "none" and tool.after.value != tool.before.value
    tool.view.value = "Before"
    assert tool.image.value == tool.before.value and tool.after.layout.display != "none" or True
    tool.view.value = "After"
    assert _pixels(tool.image.value).mean(axis=(0, 1))[0] > _pixels(tool.before.value).mean(axis=(0, 1))[0]
    tool.view.value = "Split"
    split = _pixels(tool.image.value)
    before, after = _pixels(tool.before.value), _pixels(tool.after.value)
    width = split.shape[1]
    assert np.abs(split[:, : width // 3] - before[:, : width // 3]).mean() < 3
    assert np.abs(split[:, -width // 3 :] - after[:, -width // 3 :]).mean() < 3
    assert set(VIEWS) == set(tool.view.options)


def test_hue_sliders_show_their_colour():
    panel = grading_panel()
    panel.sliders["grade_shadows_hue"].value = 190
    swatches = [w for w in _descendants(panel) if "pl-hue-swatch" in getattr(w, "_dom_classes", ())]
    assert swatches and "teal" in swatches[0].value and "background:#" in swatches[0].value


def test_long_slider_lists_open_one_group_at_a_time():
    for tool in (grading_panel(), era_picker(), editing_panel()):
        assert tool.groups.selected_index == 0 and len(tool.groups.children) >= 3


def _descendants(widget):
    out = [widget]
    for child in getattr(widget, "children", ()):
        out.extend(_descendants(child))
    return out


@pytest.mark.parametrize("name", ["grading", "warmth", "editing"])
def test_browser_steps_draw_only_the_latest_value_then_the_full_preview_and_readouts_at_rest(name, monkeypatch, tmp_path):
    import portrait_lessons.ui.frame as frame

    # The same moves made in a cell: drawn and measured at once (the reference).
    build, _ = TOOLS[name]
    reference = build(tmp_path)
    slider = {"grading": lambda t: t.sliders["temperature"], "warmth": lambda t: t.warmth,
              "editing": lambda t: t.sliders[("light", "midtone_warmth")]}[name]  # fmt: skip
    values = {"grading": (7000, 7500, 8000), "warmth": (10, 20, 30), "editing": (10, 20, 30)}[name]
    slider(reference).value = values[-1]
    shown = lambda t: t.after.value if t.view.value == "Side by side" else t.image.value  # noqa: E731
    expected_picture, expected_readout = shown(reference), reference.readout.value

    tool = build(tmp_path)
    first_picture, first_readout = shown(tool), tool.readout.value
    loop = Loop()
    monkeypatch.setattr(frame, "_browser_loop", lambda: loop)
    draws = []
    original = tool._draw
    monkeypatch.setattr(tool, "_draw", lambda draft=False: (draws.append(draft), original(draft)))
    for value in values:  # three values arrive from the browser before the loop turns
        slider(tool).value = value
    assert shown(tool) == first_picture and draws == []  # nothing drawn inside the messages
    loop.idle()
    assert draws == [True]  # one draw, of the latest value, as a draft
    draft = _pixels(shown(tool))
    assert max(draft.shape[:2]) == frame.DRAFT_EDGE
    assert tool.readout.value == first_readout  # readouts wait for the rest
    full = _pixels(expected_picture)
    small = np.asarray(Image.fromarray(full.astype(np.uint8)).resize(draft.shape[1::-1], Image.LANCZOS), float)
    assert np.abs(draft - small).mean() < 4  # the draft shows the same edit, smaller
    loop.rest()
    assert draws == [True, False]
    assert shown(tool) == expected_picture and tool.readout.value == expected_readout  # at rest: as in a cell


def test_a_value_arriving_during_the_rest_gives_up_the_rest_and_is_drawn_next(monkeypatch):
    """The rest's steps (full preview, readouts) each take a turn of the loop; a newer value stops them."""
    import portrait_lessons.ui.frame as frame

    tool = grading_panel()
    loop = Loop()
    monkeypatch.setattr(frame, "_browser_loop", lambda: loop)
    steps = []
    draw, measure = tool._draw, tool._measure
    monkeypatch.setattr(tool, "_draw", lambda draft=False: (steps.append("draft" if draft else "full"), draw(draft)))
    monkeypatch.setattr(tool, "_measure", lambda: (steps.append("measure"), measure()))
    tool.sliders["temperature"].value = 7000
    loop.idle()
    assert steps == ["draft"]
    for callback in list(loop.timers.values()):  # the sliders rest: the full preview is drawn first...
        callback()
    loop.timers.clear()
    assert steps == ["draft", "full"] and loop.soon  # the readouts wait for the next turn
    readout = tool.readout.value
    tool.sliders["temperature"].value = 7500  # ...and a key pressed now is not kept waiting for the readouts
    loop.idle()
    assert steps == ["draft", "full", "draft"] and tool.readout.value == readout
    loop.rest()
    assert steps == ["draft", "full", "draft", "full", "measure"]
    assert "7,500 K" in tool.temperature_words.value and tool.model.look.temperature == 7500


def test_a_failing_draw_off_a_message_is_said_on_the_status_line(monkeypatch):
    import portrait_lessons.ui.frame as frame

    tool = warmth_tool()
    loop = Loop()
    monkeypatch.setattr(frame, "_browser_loop", lambda: loop)
    monkeypatch.setattr(tool.model, "render", lambda image, landmarks=None: 1 / 0)
    tool.warmth.value = 20
    loop.idle()
    assert tool.model.failed and "could not be drawn" in tool.message.value


def test_on_demand_tool_is_built_when_the_picker_hands_over_a_photo():
    from portrait_lessons.ui.audit_tool import audit_tool
    from portrait_lessons.ui.frame import OnDemand
    from portrait_lessons.ui.landmark_picker import LandmarkModel

    picker = LandmarkModel()
    picker.use_portrait("glover")
    built = []
    lazy = OnDemand(lambda: built.append(1) or audit_tool("koch", "trust", picker=type("P", (), {"model": picker})()),
                    "Open", picker_model=picker)  # fmt: skip
    assert not lazy.built and lazy.children == (lazy.opener,)
    picker.confirm()  # the points become usable: the tool is built and audits the picker's photo
    assert lazy.built and built == [1] and lazy.children == (lazy.tool,)
    assert lazy.model.is_own and lazy.model.image.shape[:2] == (1024, 768)
    lazy.opener.click()
    assert built == [1]  # built once


@pytest.mark.parametrize("name", ["warmth", "gaze"])
def test_an_upload_says_it_is_working_before_the_slow_part(name, tmp_path, monkeypatch):
    """Opening a photo and finding its face take 2 s: the status line says so first, then what happened."""
    monkeypatch.chdir(tmp_path)
    tool = TOOLS[name][0]("my_photos")
    shown = []
    tool.message.observe(lambda change: shown.append(change["new"]), "value")
    photo = io.BytesIO()
    Image.fromarray(examples.load_portrait("ochoa", 600)).save(photo, "JPEG")
    content = photo.getvalue()
    tool.upload.value = ({"name": "me.jpg", "type": "image/jpeg", "size": len(content), "content": memoryview(content),
                          "last_modified": datetime.now(timezone.utc)},)  # fmt: skip
    said = [value for value in shown if re.sub("<[^>]*>", "", value).strip()]
    assert "Working: opening me.jpg" in said[0]
    if tool.model.needs_landmarks:
        assert any("Working: looking for the face" in value for value in said)
    assert "Working" not in tool.message.value  # the last word says what happened
    assert tool.model.photo != "koch"


def _send_file(button, content: bytes, name: str) -> None:
    """What the browser sends when a file is chosen with the upload button (one message, one buffer)."""
    meta = {"name": name, "type": "image/jpeg", "size": len(content), "last_modified": 1700000000000}
    button._on_message(button, {"kind": "files", "files": [meta]}, [memoryview(content)])


@pytest.mark.parametrize("name", sorted(TOOLS))
def test_the_upload_button_reads_plainly_and_the_same_file_chosen_twice_loads_twice(name, tmp_path, monkeypatch):
    """ "Upload your photo" (no "(0)" counter); after a switch to a bundled portrait the same file loads again."""
    monkeypatch.chdir(tmp_path)
    tool = TOOLS[name][0]("my_photos")
    assert tool.upload.description == "Upload your photo"
    assert not re.search(r"\(\d+\)", tool.upload.description)
    photo = io.BytesIO()
    Image.fromarray(examples.load_portrait("ochoa", 600)).save(photo, "JPEG")
    for _ in range(2):
        tool.portrait.value = "hopper"
        assert tool.model.photo == "hopper"
        _send_file(tool.upload, photo.getvalue(), "me.jpg")
        assert tool.model.photo != "hopper", tool.message.value
        assert tool.upload.value == ()  # emptied, ready for the next choice


#: Tools that draw a smaller draft of their close-up while a slider moves: the slider and three values.
CLOSEUP_DRAFTS = {
    "gaze": (lambda t: t.gaze_x, (-5, -10, -15)),
    "expression": (lambda t: t.sliders["mouth_left"], (2, 3, 4)),
    "texture": (lambda t: t.smoothing, (60, 80, 100)),
}


@pytest.mark.parametrize("name", list(CLOSEUP_DRAFTS))
def test_close_up_tools_draw_a_smaller_draft_while_moving_and_the_full_preview_at_rest(name, monkeypatch, tmp_path):
    import portrait_lessons.ui.frame as frame

    build, _ = TOOLS[name]
    slider, values = CLOSEUP_DRAFTS[name]
    reference = build(tmp_path)  # the same value set in a cell: drawn at full preview size at once
    slider(reference).value = values[-1]
    expected_picture, expected_readout = reference.after.value, reference.readout.value
    assert reference.after.value == to_jpeg(reference.model.after, quality=90)  # the rest picture is the render

    tool = build(tmp_path)
    first_readout = tool.readout.value
    loop = Loop()
    monkeypatch.setattr(frame, "_browser_loop", lambda: loop)
    draws = []
    original = tool._draw
    monkeypatch.setattr(tool, "_draw", lambda draft=False: (draws.append(draft), original(draft)))
    for value in values:
        slider(tool).value = value
    loop.idle()
    assert draws == [True]  # one draw, of the latest value, as a draft
    draft, full = _pixels(tool.after.value), _pixels(expected_picture)
    assert draft.shape[0] < 0.85 * full.shape[0] and draft.shape[1] < 0.85 * full.shape[1]
    assert tool.readout.value == first_readout  # the readouts wait for the rest
    small = np.asarray(Image.fromarray(full.astype(np.uint8)).resize(draft.shape[1::-1], Image.LANCZOS), float)
    assert np.abs(draft - small).mean() < 4  # the same edit, smaller
    loop.rest()
    assert draws == [True, False]
    assert tool.after.value == expected_picture and tool.readout.value == expected_readout  # at rest: as in a cell


def test_the_texture_tool_draws_no_draft_of_the_edit_over_its_mask(monkeypatch, tmp_path):
    import portrait_lessons.ui.frame as frame

    tool = texture_tool(folder=tmp_path)
    tool.show_mask.value = True
    loop = Loop()
    monkeypatch.setattr(frame, "_browser_loop", lambda: loop)
    tool.smoothing.value = 80
    loop.idle()
    assert tool.after.value == to_jpeg(tool.model.mask, quality=90)
