"""The lesson 03 texture tool and the lesson 08 editing panel, driven through their widgets."""

from __future__ import annotations

import dataclasses
import datetime
import io

import numpy as np
import pytest
from PIL import Image

from portrait_lessons import examples
from portrait_lessons.editing import recipe as edit_recipe
from portrait_lessons.checks.editing_for_warmth_and_depth import (
    check_warm_deep_and_present,
)
from portrait_lessons.checks.texture_and_imperfection import (
    check_smooth_but_keep_texture,
)
from portrait_lessons.editing.recipe import (
    Stage,
    StageSettings,
    control,
    register_stage,
    render,
)
from portrait_lessons.images import load_image
from portrait_lessons.retouch.texture import skin_mask
from portrait_lessons.ui.editing_panel import editing_panel
from portrait_lessons.ui.texture_tool import texture_tool


def _pixels(image_widget) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(image_widget.value)).convert("RGB"))


def _sharpness(image: np.ndarray, where: np.ndarray | None = None) -> float:
    """Mean absolute difference between neighbours: high for texture, low for smooth areas."""
    steps = np.abs(np.diff(image.mean(axis=2), axis=1))
    return float(steps.mean() if where is None else steps[where[:, 1:]].mean())


# --------------------------------------------------------------------------- texture tool


def test_smoothing_slider_smooths_and_lowers_the_meter():
    tool = texture_tool("koch")
    skin = skin_mask(*tool.model.closeup) > 0.9
    before, meter = _pixels(tool.after), tool.meter.value
    assert "Texture kept:</b> 100%" in meter
    tool.smoothing.value = 100
    after = _pixels(tool.after)
    assert _sharpness(after, skin) < _sharpness(before, skin) * 0.8
    assert "plastic" in tool.meter.value and tool.model.report.texture_kept < 0.5
    tool.restore.value = 100
    assert _sharpness(_pixels(tool.after), skin) > _sharpness(after, skin) * 1.15
    assert tool.model.report.texture_kept > 0.85


def test_texture_tool_exercise_check_passes_only_with_restore():
    tool = texture_tool("koch")
    tool.smoothing.value = 80
    assert check_smooth_but_keep_texture(tool.model).startswith("Not there yet")
    tool.restore.value = 80
    assert check_smooth_but_keep_texture(tool.model).startswith("Well done")
    tool.texture.value = 30
    assert "Texture slider back to 0" in check_smooth_but_keep_texture(tool.model)


def test_texture_tool_follows_the_portrait_menu_and_shows_the_mask():
    tool = texture_tool("koch")
    tool.portrait.value = "jemison"
    assert tool.model.photo == "jemison" and tool.before.value != texture_tool("koch").before.value
    tool.show_mask.value = True
    shown = _pixels(tool.after)
    assert shown.mean() < _pixels(tool.before).mean()  # dimmed outside the skin
    assert repr(tool) == "TextureTool(photo='jemison', smoothing=0.00, restore=0.00, texture=+0.00)"


# --------------------------------------------------------------------------- editing panel


def test_panel_builds_its_controls_from_the_registry():
    panel = editing_panel("koch")
    for stage in edit_recipe.stages():
        for c in stage.sliders:
            assert (stage.name, c.name) in panel.sliders
    titles = [panel.groups.get_title(i) for i in range(5)]
    assert titles[:3] == ["Light & colour", "Texture & detail", "Depth"] or "Light & colour" in titles


def test_panel_slider_changes_the_picture_the_right_way():
    panel = editing_panel("hopper")
    before = _pixels(panel.image)
    panel.sliders[("light", "midtone_warmth")].value = 30
    warm = _pixels(panel.image)
    assert (warm[..., 0].mean() - warm[..., 2].mean()) > (before[..., 0].mean() - before[..., 2].mean()) + 2
    panel.sliders[("depth", "blur")].value = 100
    blurred = _pixels(panel.image)
    assert _sharpness(blurred[: blurred.shape[0] // 3, : blurred.shape[1] // 4]) < _sharpness(warm[: warm.shape[0] // 3, : warm.shape[1] // 4]) * 0.6
    assert "Blurred the background" in panel.summary.value and "midtones only" in panel.summary.value


def test_a_look_slider_step_does_not_redo_depth_or_light(monkeypatch):
    # Each stage's output is kept for the recipe's settings: moving a film-look slider renders
    # the look alone, from the depth stage's kept output; moving a light slider redoes depth.
    monkeypatch.setattr(edit_recipe, "_REGISTRY", dict(edit_recipe._REGISTRY))
    calls = {"light": 0, "depth": 0, "look": 0}
    for name in calls:
        stage = edit_recipe.get_stage(name)

        def counted(*args, _render=stage.render, _name=name, **kwargs):
            calls[_name] += 1
            return _render(*args, **kwargs)

        register_stage(dataclasses.replace(stage, render=counted), replace=True)
    panel = editing_panel("glover")
    panel.sliders[("light", "midtone_warmth")].value = 15
    panel.sliders[("depth", "blur")].value = 50
    before, counted_before = _pixels(panel.image), dict(calls)
    for kelvin in (9000, 10500, 12000):
        panel.sliders[("look", "temperature")].value = kelvin
    warmer = _pixels(panel.image)
    assert warmer[..., 0].mean() - warmer[..., 2].mean() > before[..., 0].mean() - before[..., 2].mean() + 2
    assert calls["depth"] == counted_before["depth"] and calls["light"] == counted_before["light"]
    assert calls["look"] > counted_before["look"]
    panel.sliders[("light", "midtone_warmth")].value = 25  # upstream of depth: depth is redone
    assert calls["depth"] > counted_before["depth"]


def test_before_after_split_toggle():
    panel = editing_panel("glover")
    panel.sliders[("depth", "darken")].value = 100
    after = _pixels(panel.image)
    panel.view.value = "Before"
    before = _pixels(panel.image)
    assert before[:50, :50].mean() > after[:50, :50].mean() + 2
    panel.view.value = "Split"
    split = _pixels(panel.image)
    w = split.shape[1]
    assert abs(split[:50, : w // 4].mean() - before[:50, : w // 4].mean()) < 2
    assert abs(split[:50, -w // 4 :].mean() - after[:50, -w // 4 :].mean()) < 2


def test_undo_and_reset_move_the_sliders_back():
    panel = editing_panel("koch")
    original = panel.image.value
    panel.sliders[("skin", "smoothing")].value = 50
    panel.sliders[("skin", "smoothing")].value = 70
    panel.sliders[("depth", "blur")].value = 40
    panel.undo.click()
    assert panel.sliders[("depth", "blur")].value == 0 and panel.sliders[("skin", "smoothing")].value == 70
    panel.reset.click()
    assert panel.sliders[("skin", "smoothing")].value == 0 and panel.image.value == original
    panel.undo.click()
    assert panel.model.recipe.get("skin").smoothing == 0.7


def test_export_and_load_reproduce_the_edit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    panel = editing_panel("koch")
    panel.sliders[("skin", "smoothing")].value = 60
    panel.sliders[("light", "midtone_warmth")].value = 15
    panel.export.click()
    exported = tmp_path / "exports" / "koch-edit.jpg"
    sidecar = exported.with_suffix(".json")
    assert exported.exists() and sidecar.exists() and "Nothing was overwritten" in panel.message.value
    assert load_image(exported).shape == examples.load_portrait("koch").shape  # full size
    panel.export.click()  # a second export never replaces the first
    assert (tmp_path / "exports" / "koch-edit-1.jpg").exists()

    fresh = editing_panel("glover")
    fresh.load.value = ({"name": "koch-edit.json", "type": "application/json", "size": 1,
                         "content": memoryview(sidecar.read_bytes()),
                         "last_modified": datetime.datetime(2026, 11, 21)},)  # fmt: skip
    assert fresh.model.photo == "koch" and fresh.portrait.value == "koch"
    assert fresh.sliders[("skin", "smoothing")].value == 60 and fresh.model.recipe == panel.model.recipe
    full = render(examples.load_portrait("koch"), examples.portrait_landmarks("koch"), fresh.model.recipe)
    assert np.array_equal(full, render(examples.load_portrait("koch"), examples.portrait_landmarks("koch"),
                                       panel.model.recipe))  # fmt: skip


def test_reset_then_loading_the_same_edit_file_again_brings_it_back(tmp_path, monkeypatch):
    """Exercise 2 of lesson 08, twice: Save, Reset, Load edit; Reset, Load edit the same file again."""
    monkeypatch.chdir(tmp_path)
    panel = editing_panel("glover")
    panel.sliders[("depth", "blur")].value = 50
    panel.export.click()
    entry = {"name": "glover-edit.json", "type": "application/json", "size": 1,
             "content": memoryview((tmp_path / "exports" / "glover-edit.json").read_bytes()),
             "last_modified": datetime.datetime(2026, 12, 4)}  # fmt: skip
    for _ in range(2):
        panel.reset.click()
        assert panel.model.recipe.is_neutral
        # the status line says what Reset did, not what the last load did
        assert "Reset" in panel.message.value and "Loaded" not in panel.message.value
        panel.load.value = (dict(entry),)  # the browser sends the same file again
        assert panel.model.recipe.get("depth").blur == 0.5, "the same file chosen again was ignored"
        assert "Loaded the edit from glover-edit.json" in panel.message.value
        assert panel.load.value == ()  # emptied, so the next choice of the same file counts


def test_the_summary_never_says_more_than_all_the_texture_is_kept():
    panel = editing_panel("glover")
    panel.sliders[("detail", "texture")].value = panel.sliders[("detail", "texture")].max
    kept = [line for line in panel.model.summary() if "skin keeps" in line]
    assert kept, panel.model.summary()
    assert int(kept[0].split("keeps ")[1].split("%")[0]) <= 100, kept


def test_loading_a_wrong_file_keeps_the_edit_and_explains():
    panel = editing_panel("koch")
    panel.sliders[("depth", "blur")].value = 30
    assert not panel.model.load(b'{"not": "an edit"}', "notes.json")
    assert "not a Portrait Lessons edit file" in panel.message.value
    assert panel.model.recipe.get("depth").blur == 0.3


def test_lesson_08_check():
    panel = editing_panel("glover")
    assert check_warm_deep_and_present(panel.model).startswith("Not there yet")
    panel.sliders[("depth", "blur")].value = 50
    panel.sliders[("light", "midtone_warmth")].value = 15
    assert check_warm_deep_and_present(panel.model).startswith("Well done")
    panel.sliders[("skin", "smoothing")].value = 100
    assert "texture" in check_warm_deep_and_present(panel.model)
    panel.sliders[("light", "warmth")].value = 45
    assert check_warm_deep_and_present(panel.model).startswith("Too warm")


def test_a_stage_registered_later_appears_in_a_new_panel(monkeypatch):
    monkeypatch.setattr(edit_recipe, "_REGISTRY", dict(edit_recipe._REGISTRY))
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class DimSettings(StageSettings):
        amount: float = control(0.0, 0, 1, 0.1, "Dim", unit="%", scale=100)

    register_stage(Stage("dim", "Dim", "Film & look", DimSettings,
                         lambda image, lm, s: (image * (1 - s.amount)).astype(np.uint8), 95, needs_landmarks=False))
    panel = editing_panel("koch")
    before = _pixels(panel.image).mean()
    panel.sliders[("dim", "amount")].value = 50
    assert _pixels(panel.image).mean() < before * 0.6
    assert "Dim: dim 50%." in panel.summary.value


# --------------------------------------------------------------------------- the learner's own photo


def _save_own_photo(folder):
    """A photo saved as lessons 01/02's landmark picker saves it (a brightened portrait at an odd size)."""
    from portrait_lessons.face.fit import save_with_landmarks

    photo = np.clip(examples.load_portrait("glover", 900).astype(int) + 20, 0, 255).astype(np.uint8)
    return save_with_landmarks(photo, examples.portrait_landmarks("glover", 900), folder, name="me")[0], photo


def test_tools_offer_the_learners_saved_photos(tmp_path):
    """A photo saved with landmarks appears in both menus (after a refresh), renders, and exports at full size."""
    folder = tmp_path / "my_photos"
    tool = texture_tool("koch", folder=folder)
    panel = editing_panel("koch", folder=folder)
    assert all("(saved)" not in label for label, _ in panel.portrait.options)
    saved, photo = _save_own_photo(folder)
    for widget in (tool, panel):
        widget.refresh.click()
        assert (f"Your photo: {saved.name} (saved)", str(saved)) in [tuple(o) for o in widget.portrait.options]
    tool.portrait.value = str(saved)
    tool.smoothing.value = 100
    assert tool.model.photo == str(saved) and tool.model.report.texture_kept < 0.8
    panel.portrait.value = str(saved)
    panel.sliders[("depth", "blur")].value = 60
    shown = _pixels(panel.image)
    assert max(shown.shape[:2]) <= 1024 and shown.shape[1] / shown.shape[0] == pytest.approx(photo.shape[1] / photo.shape[0], abs=0.01)
    image_path, sidecar = panel.model.export(tmp_path / "exports")
    exported = load_image(image_path)
    assert exported.shape == load_image(saved).shape  # full size, from the saved copy
    assert image_path.name.startswith("me-edit")
    # Loading the settings file brings the saved photo and the edit back.
    panel.reset.click()
    panel.portrait.value = "koch"
    assert panel.model.load(sidecar)
    assert panel.model.photo == str(saved) and panel.model.recipe.get("depth").blur == 0.6


def test_a_browser_snapped_slider_at_its_default_is_no_change(tmp_path):
    """The browser snaps 6504 K to its 50 K grid (6500): that is not an edit, and loading says so."""
    panel = editing_panel("glover")
    panel.sliders[("look", "temperature")].value = 6500.0
    assert panel.model.recipe.is_neutral
    assert "No changes" in panel.summary.value and "6,500" not in panel.summary.value
    panel.sliders[("look", "temperature")].value = 6550.0
    assert panel.model.recipe.get("look").temperature == 6550.0
    panel.reset.click()
    image, sidecar = panel.model.export(tmp_path)
    assert panel.model.load(str(sidecar), sidecar.name)
    assert "no changes (the photo as taken)" in panel.message.value and "stage" not in panel.message.value


def test_the_temperature_summary_says_what_the_slider_shows():
    """Three steps up from 6504 K arrive as 6654: the slider shows 6,650, so the edit and the summary say 6,650 K."""
    panel = editing_panel("glover")
    slider = panel.sliders[("look", "temperature")]
    assert "," in slider.readout_format  # "6,650" as the summary writes it
    for widget in panel.sliders.values():  # every slider keeps its whole label and answers while dragged
        if hasattr(widget, "readout_format"):
            assert widget.style.description_width == "150px" and widget.continuous_update
    slider.value = 6504.0 + 3 * 50
    assert panel.model.recipe.get("look").temperature == 6650
    assert slider.value == 6650
    assert "6,650 K" in panel.summary.value and "6,654" not in panel.summary.value


def test_every_photo_source_and_save_in_the_panel(tmp_path):
    """An upload without landmarks: the panel says what is missing, links the picker and saves nothing."""
    panel = editing_panel("koch")
    photo = np.zeros((200, 160, 3), np.uint8)
    assert panel.model.load_photo(photo, "me.jpg")
    assert "landmark picker" in panel.notice.value and panel.save.disabled
    assert panel.model.save(tmp_path) is None and "landmarks" in panel.model.status
    assert not any(tmp_path.iterdir())
    panel.portrait.value = "koch"
    assert panel.notice.value == "" and not panel.save.disabled
