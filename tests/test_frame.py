"""The one tool frame: every image tool offers the same photo sources, views, Save and status line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from portrait_lessons import examples
from portrait_lessons.face.fit import save_with_landmarks
from portrait_lessons.ui.editing_panel import editing_panel
from portrait_lessons.ui.era_picker import era_picker
from portrait_lessons.ui.face_tools import expression_tool, gaze_tool
from portrait_lessons.ui.frame import VIEWS, YOUR_PHOTO, ToolFrame
from portrait_lessons.ui.grading import grading_panel
from portrait_lessons.ui.start_here import warmth_tool
from portrait_lessons.ui.texture_tool import texture_tool

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
