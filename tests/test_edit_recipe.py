"""The edit model: stages, settings, recipes, rendering, sidecars and export."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pytest

from portrait_lessons import examples
from portrait_lessons.editing import recipe as edit_recipe
from portrait_lessons.editing.recipe import (
    GROUPS,
    Recipe,
    RecipeError,
    RenderCache,
    Stage,
    StageSettings,
    control,
    export_edit,
    get_stage,
    load_sidecar,
    register_stage,
    render,
    stages,
)
from portrait_lessons.editing.stages import DepthSettings, SkinSettings
from portrait_lessons.images import load_image

EDIT = (
    Recipe(seed=7)
    .set("skin", smoothing=0.6, restore=0.4)
    .set("detail", clarity=0.3)
    .set("light", warmth=10, midtone_warmth=15, highlights=0.5)
    .set("depth", blur=0.5, desaturate=0.3, darken=0.2, size=1.2)
)


def _photo(name="koch", edge=512):
    return examples.load_portrait(name, edge), examples.portrait_landmarks(name, edge)


def test_every_stage_is_grouped_ordered_and_neutral_by_default():
    names = [s.name for s in stages()]
    assert {"light", "skin", "detail", "depth"} <= set(names)
    assert names.index("skin") < names.index("detail") < names.index("light") < names.index("depth")
    photo, points = _photo(edge=256)
    for stage in stages():
        assert stage.group in GROUPS and stage.sliders, stage.name
        assert np.array_equal(stage.apply(photo, points, stage.neutral()), photo), stage.name
        for c in stage.sliders:  # every slider's neutral value is the settings' default
            assert getattr(stage.neutral(), c.name) == c.default, (stage.name, c.name)


def test_neutral_recipe_returns_the_original():
    photo, points = _photo()
    result = render(photo, points, Recipe())
    assert result is not photo and np.array_equal(result, photo)
    assert Recipe().summary() == ["No changes: the photo is as taken."]


def test_recipe_round_trips_through_json_exactly():
    text = json.dumps(EDIT.to_dict())
    again = Recipe.from_dict(json.loads(text))
    assert again == EDIT and again.seed == 7
    assert set(EDIT.to_dict()["stages"]) == {"skin", "detail", "light", "depth"}  # neutral stages are left out


def test_settings_are_validated_with_clear_errors():
    with pytest.raises(RecipeError, match="no 'smothing'; they are: smoothing, restore"):
        SkinSettings.from_dict({"smothing": 0.5})
    with pytest.raises(RecipeError, match="skin.smoothing goes from 0 to 1; 3 is outside"):
        SkinSettings.from_dict({"smoothing": 3})
    with pytest.raises(RecipeError, match="must be a number"):
        DepthSettings.from_dict({"blur": "lots"})
    with pytest.raises(RecipeError, match="no edit stage called 'sparkle'"):
        Recipe.from_dict({"stages": {"sparkle": {}}})
    with pytest.raises(RecipeError, match="seed must be a whole number"):
        Recipe.from_dict({"seed": 1.5, "stages": {}})


def test_summary_says_what_changed_in_words():
    lines = EDIT.summary()
    assert lines[0].startswith("Smoothed the skin moderately (60%) and put 40% of its fine texture back")
    assert any("midtones only (+15 mireds)" in line for line in lines)
    assert any("blurred the background" in line.lower() for line in lines)


def test_render_cache_matches_a_fresh_render_and_reuses_earlier_stages():
    photo, points = _photo()
    cache = RenderCache(photo, points)
    first = cache.render(EDIT)
    assert np.array_equal(first, render(photo, points, EDIT))
    changed = EDIT.set("depth", blur=0.8)
    second = cache.render(changed)
    assert cache.last_reused == 3  # skin, detail and light were not recomputed
    assert np.array_equal(second, render(photo, points, changed))
    undone = cache.render(EDIT.reset("skin"))
    assert cache.last_reused == 0 and np.array_equal(undone, render(photo, points, EDIT.reset("skin")))


@pytest.mark.parametrize("name", ["glover", "hopper"])
def test_the_light_stage_worked_in_two_halves_equals_one_piece(name):
    # The light stage splits the picture between two threads; every step in it works each pixel
    # on its own, so the halves must give exactly what the whole picture gives.
    from portrait_lessons.colour.white_balance import warmth
    from portrait_lessons.retouch.depth import protect_highlights, warm_midtones

    photo = examples.load_portrait(name, 1024)
    settings = {"warmth": -20.0, "midtone_warmth": 25.0, "highlights": 0.8}
    whole = protect_highlights(warm_midtones(warmth(photo, settings["warmth"]), settings["midtone_warmth"]),
                               settings["highlights"])  # fmt: skip
    staged = render(photo, examples.portrait_landmarks(name, 1024), Recipe().set("light", **settings))
    assert staged.shape == whole.shape
    assert np.array_equal(staged, whole)


def test_an_edit_upstream_of_depth_finds_the_person_once(monkeypatch):
    # The depth stage cuts the person out of the photo as taken (or as the face warp
    # left it), not out of the retouched pixels: a skin or light slider step upstream
    # must not segment the photo again (that cost a quarter to half a second a step).
    from portrait_lessons.retouch import subject

    photo, points = _photo("glover", 384)
    calls = []
    segment = subject._compute
    monkeypatch.setattr(subject, "_compute", lambda *args: calls.append(1) or segment(*args))
    cache = RenderCache(photo, points)
    cache.render(EDIT)
    found = len(calls)
    for smoothing in (0.2, 0.4, 0.8):
        cache.render(EDIT.set("skin", smoothing=smoothing).set("light", warmth=smoothing * 20))
    assert found <= 1 and len(calls) == found
    # The person keeps its edited colour: the face is as warm as the light stage made it.
    warm = render(photo, points, Recipe().set("light", warmth=30).set("depth", desaturate=1.0))
    x, y = (round(v) for v in points.points["nose_tip"])
    assert warm[y, x, 0] - warm[y, x, 2] > photo[y, x, 0] - photo[y, x, 2]


@pytest.mark.parametrize("suffix", [".png", ".jpg"])
def test_exported_sidecar_reproduces_the_image_exactly(tmp_path, suffix):
    full, points = examples.load_portrait("glover"), examples.portrait_landmarks("glover")
    image_path, sidecar = export_edit(full, points, EDIT, tmp_path / f"glover-edit{suffix}", {"photo": "glover"})
    assert sidecar == image_path.with_suffix(".json")
    recipe, source = load_sidecar(sidecar)
    assert recipe == EDIT and source["photo"] == "glover" and source["size"] == [960, 1280]
    again = render(full, points, recipe)
    if suffix == ".png":
        assert np.array_equal(load_image(image_path), again)
    else:  # the same pixels encode to the same bytes
        second, _ = export_edit(full, points, recipe, tmp_path / "again.jpg", source)
        assert second.read_bytes() == image_path.read_bytes()


def test_export_next_to_an_existing_file_does_not_touch_it(tmp_path):
    photo, points = _photo(edge=256)
    taken = tmp_path / "koch-edit.jpg"
    taken.write_bytes(b"somebody's photo")
    (tmp_path / "koch-edit.json").write_text("somebody's notes")
    image_path, sidecar = export_edit(photo, points, EDIT, taken, {"photo": "koch"})
    assert taken.read_bytes() == b"somebody's photo"
    assert (tmp_path / "koch-edit.json").read_text() == "somebody's notes"
    assert image_path.name == "koch-edit-1.jpg" and sidecar.name == "koch-edit-1.json"


@pytest.mark.parametrize(
    "content, words",
    [
        (b"{not json", "not valid JSON"),
        (b'{"format": "something-else"}', "not a Portrait Lessons edit file"),
        (b'{"format": "portrait-lessons-edit", "version": 99}', "version 99"),
        (b'{"format": "portrait-lessons-edit", "version": 1, "stages": {"depth": {"blur": 9}}}', "depth.blur goes"),
    ],
)
def test_a_bad_sidecar_gets_a_clear_error(content, words):
    with pytest.raises(RecipeError, match=words):
        load_sidecar({"name": "x.json", "content": content})


def test_a_new_stage_plugs_in_by_registering(monkeypatch):
    monkeypatch.setattr(edit_recipe, "_REGISTRY", dict(edit_recipe._REGISTRY))

    @dataclass(frozen=True)
    class InvertSettings(StageSettings):
        amount: float = control(0.0, 0, 1, 0.1, "Invert", unit="%", scale=100)

    def invert(image, landmarks, s):
        return (image + s.amount * (255 - 2 * image.astype(float))).round().astype(np.uint8)

    register_stage(Stage("invert", "Invert", "Film & look", InvertSettings, invert, 90, needs_landmarks=False))
    photo, points = _photo(edge=128)
    recipe = Recipe.from_dict({"stages": {"invert": {"amount": 1.0}}})
    assert np.array_equal(render(photo, points, recipe), 255 - photo)
    assert recipe.summary() == ["Invert: invert 100%."]
    assert get_stage("invert").sliders[0].label == "Invert"
    with pytest.raises(ValueError, match="already registered"):
        register_stage(Stage("invert", "Invert", "Film & look", InvertSettings, invert, 90))


def test_stages_from_other_modules_round_trip_when_present():
    for name in ("face", "look"):
        if name not in [s.name for s in stages()]:
            continue
        stage = get_stage(name)
        c = next(c for c in stage.sliders if c.high > 0)
        settings = stage.settings_from_dict({c.name: c.high / 2})
        recipe = Recipe().with_stage(name, settings)
        assert Recipe.from_dict(json.loads(json.dumps(recipe.to_dict()))) == recipe


def test_the_panel_tilts_the_head_over_a_still_backdrop():
    """The editing panel's head tilt, like the face tool's, turns the person over the unmoved backdrop:
    Hopper's flag beside her hat (top-left quarter of the frame, away from her) keeps its pixels."""
    photo, points = examples.load_portrait("hopper", 512), examples.portrait_landmarks("hopper", 512)
    tilted = render(photo, points, Recipe().set("face", head_tilt=12))
    left, top, right, bottom = points.face_box
    flag = (slice(0, int(top)), slice(0, int(left - 0.25 * (right - left))))
    assert not (tilted == photo).all()
    assert np.abs(tilted[flag].astype(int) - photo[flag]).max() <= 2
