"""Lesson 09's audit: each measure on cases with known answers, goals against the presets, verdicts, fixes, brief."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from awkward_files import CORPUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portrait_lessons import examples
from portrait_lessons.audit import (
    GOALS,
    ITEM,
    ITEMS,
    QUESTIONS,
    Brief,
    Edit,
    audit,
    brief_html,
    compare,
    goal_ranges,
    render_edit,
    save_brief,
    suggest_fix,
)
from portrait_lessons.audit import core
from portrait_lessons.audit.core import judge
from portrait_lessons.audit.fixes import crop_landmarks, edited_landmarks
from portrait_lessons.audit.goals import Range
from portrait_lessons.audit.measures import (
    background_measures,
    eye_opening,
    gaze_offset,
    head_roll,
    head_turn,
    skin_texture,
    smile,
    structural_asymmetry,
)
from portrait_lessons.face.edits import FaceEdit
from portrait_lessons.face.landmarks import Landmarks, example_dict
from portrait_lessons.images import ImageLoadError, load_image
from portrait_lessons.prompts.presets import PRESETS
from portrait_lessons.retouch.texture import smooth_skin


def face(**moves) -> Landmarks:
    """The synthetic 80 x 100 face, with named points moved by (dx, dy)."""
    data = example_dict()
    for name, (dx, dy) in moves.items():
        data["points"][name][0] += dx
        data["points"][name][1] += dy
    return Landmarks.from_dict(data)


def rotated(landmarks: Landmarks, degrees: float) -> Landmarks:
    """Every point turned clockwise (on screen) about the face's centre."""
    a = math.radians(degrees)
    cx, cy = 40.0, 45.0

    def turn(p):
        x, y = p[0] - cx, p[1] - cy
        return (cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a))

    return Landmarks({k: turn(v) for k, v in landmarks.points.items()}, landmarks.iris_radius,
                     tuple(turn(p) for p in landmarks.face_outline), landmarks.width, landmarks.height)  # fmt: skip


# --------------------------------------------------------------------------- measures with known answers


@pytest.mark.parametrize("shift", [-4.0, -2.0, 0.0, 2.0, 4.0])
def test_gaze_reads_an_iris_placed_at_a_known_offset(shift):
    # Each eye is 16 px wide: half a width is 8 px, so a shift of s px reads s / 8.
    marks = face(left_iris=(shift, 0), right_iris=(shift, 0))
    assert gaze_offset(marks).horizontal == pytest.approx(shift / 8, abs=0.005)


def test_gaze_looking_down_reads_as_averted_and_a_centred_iris_as_direct():
    down = gaze_offset(face(left_iris=(0, 2), right_iris=(0, 2)))
    assert down.vertical > gaze_offset(face()).vertical + 0.2
    assert down.direction == "down"
    assert gaze_offset(face(left_iris=(3, 0), right_iris=(3, 0))).direction == "right"


def test_smile_reads_lifted_corners_and_their_difference():
    level = smile(face())
    both = smile(face(mouth_left=(0, -4), mouth_right=(0, -4)))
    assert both.intensity == pytest.approx(level.intensity + 0.1, abs=0.002)  # 4 px of a 40 px eye spacing
    assert both.asymmetry == pytest.approx(0.0, abs=0.001)
    one = smile(face(mouth_right=(0, -4)))
    assert one.asymmetry == pytest.approx(0.1, abs=0.002) and one.right > one.left


def test_eye_narrowing_lowers_the_eye_opening():
    assert eye_opening(face()) == 0.38
    assert eye_opening(face(left_lower_lid=(0, -2), right_lower_lid=(0, -2))) == 0.25  # 4 of 16 px


@pytest.mark.parametrize("degrees", [-15.0, -5.0, 0.0, 8.0, 12.0])
def test_a_known_tilt_is_read_back_and_face_measures_do_not_change_with_it(degrees):
    marks = rotated(face(mouth_left=(0, -3)), degrees)
    assert head_roll(marks) == pytest.approx(degrees, abs=0.11)
    upright = face(mouth_left=(0, -3))
    assert smile(marks).intensity == pytest.approx(smile(upright).intensity, abs=0.002)
    assert gaze_offset(marks).horizontal == pytest.approx(0.0, abs=0.01)
    assert structural_asymmetry(marks) == pytest.approx(structural_asymmetry(upright), abs=0.2)


def test_a_known_turn_is_read_from_the_outline():
    data = example_dict()
    data["face_outline"] = [[x + 8, y] for x, y in data["face_outline"]]  # the eyes 8 px left of the face's middle
    data["face_outline"] = [[min(x, 80), y] for x, y in data["face_outline"]]
    turn = head_turn(Landmarks.from_dict(data))
    assert turn < -10  # toward the picture's left
    assert head_turn(face()) == 0.0


def test_structural_asymmetry_is_zero_for_a_mirror_face_and_grows_with_a_moved_brow():
    assert structural_asymmetry(face()) == 0.0
    assert structural_asymmetry(face(left_brow_middle=(0, -4))) > 1.0


def test_skin_texture_falls_with_smoothing_and_is_not_measured_on_a_tiny_face():
    photo, points = examples.load_portrait("koch"), examples.portrait_landmarks("koch")
    kept = skin_texture(photo, points)
    half = skin_texture(smooth_skin(photo, points, 0.5), points)
    full = skin_texture(smooth_skin(photo, points, 1.0), points)
    assert kept > half > full
    assert full < 2.0 <= kept  # the shared "natural texture" range's edge sits between them
    small, small_points = examples.load_portrait("koch", 256), examples.portrait_landmarks("koch", 256)
    assert skin_texture(small, small_points) is None


def test_skin_texture_does_not_depend_on_the_photos_size():
    photo, points = examples.load_portrait("glover"), examples.portrait_landmarks("glover")
    smaller, small_points = examples.load_portrait("glover", 900), examples.portrait_landmarks("glover", 900)
    assert skin_texture(smaller, small_points) == pytest.approx(skin_texture(photo, points), rel=0.35)


def test_background_separation_clutter_and_colour_on_synthetic_scenes():
    mask = np.zeros((120, 120), np.float32)
    mask[30:90, 30:90] = 1
    plain = np.full((120, 120, 3), (60, 80, 150), np.uint8)
    plain[30:90, 30:90] = (210, 170, 140)
    busy = plain.copy()
    busy[::4, :] = (250, 250, 250)  # stripes everywhere...
    busy[30:90, 30:90] = (210, 170, 140)  # ...except on the person
    grey = plain.copy()
    grey[mask == 0] = (200, 165, 140)  # a backdrop of the person's own colour
    calm, loud, blended = (background_measures(i, mask) for i in (plain, busy, grey))
    assert calm.clutter == 0.0 and loud.clutter > 20
    assert calm.separation > 40 and blended.separation < 5
    assert calm.colourfulness > 10 and background_measures(np.full_like(plain, 128), mask).colourfulness == 0
    assert background_measures(plain, np.ones((120, 120), np.float32)) is None  # no background at all


def test_framing_items_follow_a_known_crop():
    photo, points = examples.load_portrait("ochoa"), examples.portrait_landmarks("ochoa")
    whole = audit(photo, points, "approachable").finding("face_size").value
    height, width = photo.shape[:2]
    box = (width // 6, height // 12, width - width // 6, height - height // 3)  # a tighter crop round the face
    cropped, cropped_points = render_edit(photo, points, Edit(box=box))
    assert cropped.shape[:2] == (box[3] - box[1], box[2] - box[0])
    tighter = audit(cropped, cropped_points, "approachable").finding("face_size").value
    assert tighter > whole + 0.1


# --------------------------------------------------------------------------- goals against the presets


def test_every_preset_phrase_has_a_rule_and_every_goal_is_a_preset():
    assert set(GOALS) == set(PRESETS)
    for goal in GOALS:
        ranges = goal_ranges(goal)
        assert {"gaze", "smile", "skin_texture", "warmth", "colourfulness", "clutter"} <= set(ranges)


@pytest.mark.parametrize("goal", list(PRESETS))
def test_goal_ranges_say_what_the_preset_says(goal):
    spec, ranges = PRESETS[goal].spec, goal_ranges(goal)
    gaze = ranges["gaze"]
    if "eye contact" in spec.gaze:
        assert gaze.contains(0.0) and not gaze.contains(0.5)
    else:
        assert not gaze.contains(0.0) and gaze.contains(0.5)
        assert ranges["lead_room"] is not None and ranges["lead_room"].low >= 0.5
    if PRESETS[goal].serious:
        assert ranges["smile"].high <= 0.08  # a broad smile works against it
    if "genuine smile" in spec.expression:
        assert ranges["smile"].low >= 0.1 and ranges["smiling_eyes"] is not None
    palette = spec.palette
    if "warm" in palette:
        assert ranges["warmth"].low > 0
    if "cool" in palette:
        assert ranges["warmth"].high <= 0.06
    if "saturated" in palette:
        assert ranges["colourfulness"].low >= 50
    if "muted" in palette or "soft neutrals" in palette:
        assert ranges["colourfulness"].high <= 50
    if "natural skin texture" in spec.realism:
        assert ranges["skin_texture"].low > 0
    if any(word in spec.context for word in ("uncluttered", "studio backdrop", "softly blurred")):
        assert ranges["clutter"].high <= 3


def test_framing_ranges_follow_the_crop_the_preset_names():
    close, chest, waist = (goal_ranges(g)["face_size"] for g in ("approachable", "trust", "creativity"))
    assert close.low > chest.low > waist.low and close.high > chest.high > waist.high


# --------------------------------------------------------------------------- verdicts


@given(value=st.floats(-1000, 1000, allow_nan=False), low=st.floats(-10, 10), width=st.floats(0, 10),
       margin=st.floats(0.01, 5))  # fmt: skip
def test_popular_claims_are_never_said_to_work_against_the_goal(value, low, width, margin):
    found = Range(low, low + width, margin, "the range")
    for item in ITEMS:
        finding = judge(item, value, found)
        if item.card.strength == "popular claim":
            assert finding.verdict != "works against the goal"
            assert finding.verdict == "fits" or "rule of thumb" in finding.sentence
        assert "wrong" not in finding.sentence.lower()


def test_verdicts_fit_look_and_against_by_distance():
    found = Range(0.0, 1.0, 0.5, "the range")
    item = ITEM["colourfulness"]  # supported evidence
    assert judge(item, 0.5, found).verdict == "fits"
    assert judge(item, 1.3, found).verdict == "worth a look"
    assert judge(item, 2.0, found).verdict == "works against the goal"


def test_each_item_rests_on_a_card_lesson_09_shows():
    from portrait_lessons.audit import CARD_KEYS
    from portrait_lessons.cards import LESSON_CARDS

    assert set(CARD_KEYS) == {item.key for item in ITEMS} | {"story"}
    assert set(CARD_KEYS.values()) <= set(LESSON_CARDS[9])


def test_each_item_names_a_question_a_lesson_and_an_evidence_card():
    assert set(item.question for item in ITEMS) == set(QUESTIONS) - {"story"}
    for item in ITEMS:
        assert 1 <= item.lesson <= 8 and item.card.sources and item.card.measured


def test_the_audit_is_deterministic_and_a_goal_change_reuses_the_measures():
    photo, points = examples.load_portrait("jemison"), examples.portrait_landmarks("jemison")
    core._CACHE.clear()
    first = audit(photo, points, "trust")
    core._CACHE.clear()
    again = audit(photo.copy(), points, "trust")
    assert first == again
    measured = core.measure_photo(photo, points)
    assert core.measure_photo(photo, points) is measured
    assert audit(photo, points, "contemplative").finding("gaze").verdict != first.finding("gaze").verdict


def test_a_broad_smile_works_against_thought_leadership_and_fits_approachable():
    photo, points = examples.load_portrait("jemison"), examples.portrait_landmarks("jemison")
    assert audit(photo, points, "thought_leadership").finding("smile").verdict == "works against the goal"
    assert audit(photo, points, "approachable").finding("smile").verdict == "fits"


# --------------------------------------------------------------------------- any photo, with or without points


@pytest.mark.parametrize("case", [c for c in CORPUS if c.shape is not None], ids=lambda c: c.name)
def test_the_audit_never_raises_on_a_photo_load_image_accepts(case, tmp_path):
    try:
        image = load_image(case.build(tmp_path))
    except ImageLoadError:
        pytest.skip("this file may also fail to load, which the corpus allows")
    result = audit(image, None, "trust")
    measured = {f.item.key for f in result.findings if f.verdict != "not measured"}
    assert measured <= {"warmth", "colourfulness"}
    assert result.notes and "landmark picker" in result.notes[0]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(height=st.integers(1, 60), width=st.integers(1, 60), seed=st.integers(0, 2**16),
       grey=st.booleans(), goal=st.sampled_from(GOALS))  # fmt: skip
def test_the_audit_never_raises_on_random_pixels_without_points(height, width, seed, grey, goal):
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
    if grey:
        pixels[:] = pixels[..., :1]
    result = audit(pixels, None, goal)
    assert len(result.findings) == len(ITEMS)
    if grey:
        assert result.finding("warmth").verdict == "not measured"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edge=st.integers(40, 700), name=st.sampled_from(examples.names()), goal=st.sampled_from(GOALS))
def test_the_audit_never_raises_on_a_bundled_portrait_at_any_size(edge, name, goal):
    photo, points = examples.load_portrait(name, edge), examples.portrait_landmarks(name, edge)
    result = audit(photo, points, goal)
    assert result.finding("gaze").verdict != "not measured"


# --------------------------------------------------------------------------- fix-it links


@pytest.mark.parametrize("photo, goal, key", [
    ("hopper", "thought_leadership", "clutter"),
    ("hopper", "thought_leadership", "colourfulness"),
    ("jemison", "thought_leadership", "smile"),
    ("ochoa", "trust", "warmth"),
    ("armstrong", "trust", "face_size"),
])  # fmt: skip
def test_a_fix_moves_its_item_toward_the_goal_when_the_audit_runs_again(photo, goal, key):
    image, points = examples.load_portrait(photo), examples.portrait_landmarks(photo)
    before = audit(image, points, goal).finding(key)
    assert before.worth_fixing
    fix = suggest_fix(before, image, points)
    assert fix is not None and fix.applicable
    edited, moved = render_edit(image, points, Edit().add(fix))
    after = audit(edited, moved, goal).finding(key)
    assert before.range.distance(after.value) < before.range.distance(before.value)
    if fix.reaches:
        assert after.verdict == "fits"


def test_items_no_edit_can_honestly_change_get_words_for_the_prompt():
    image, points = examples.load_portrait("koch"), examples.portrait_landmarks("koch")
    flat = judge(ITEM["asymmetry"], 0.2, goal_ranges("trust")["asymmetry"])
    fix = suggest_fix(flat, image, points)
    assert fix.kind == "prompt" and not fix.applicable and "asymmetry" in fix.words


def test_moved_points_follow_the_face_edit():
    points = examples.portrait_landmarks("glover")
    level = edited_landmarks(points, FaceEdit(head_tilt=10))
    assert head_roll(level) == pytest.approx(head_roll(points) + 10, abs=0.2)
    looked = edited_landmarks(points, FaceEdit(gaze_x=15))
    assert gaze_offset(looked).horizontal > gaze_offset(points).horizontal + 0.1
    assert crop_landmarks(points, (10, 20, 500, 600)).width == 490


def test_compare_lines_up_the_two_versions():
    image, points = examples.load_portrait("hopper"), examples.portrait_landmarks("hopper")
    before = audit(image, points, "thought_leadership")
    edited, moved = render_edit(image, points, Edit().add(suggest_fix(before.finding("colourfulness"), image, points)))
    rows = {row["key"]: row for row in compare(before, audit(edited, moved, "thought_leadership"))}
    assert rows["colourfulness"]["change"] < 0 and rows["colourfulness"]["better"] is True


# --------------------------------------------------------------------------- the brief

HOSTILE = '<script>alert("job")</script><img src=x onerror=alert(1)> & "quotes"'


def test_the_brief_escapes_everything_the_learner_typed_and_embeds_the_pictures():
    image, points = examples.load_portrait("koch", 600), examples.portrait_landmarks("koch", 600)
    result = audit(image, points, "warmth", story=HOSTILE)
    brief = Brief("warmth", result, image, job=HOSTILE, story=HOSTILE, identity=HOSTILE, title=HOSTILE,
                  edited=image[::-1].copy(), edited_audit=result, edit_summary=(HOSTILE,))  # fmt: skip
    page = brief_html(brief)
    assert "<script" not in page and "<img src=x" not in page  # typed text stays text
    assert page.count("&lt;script&gt;") >= 4
    assert len(re.findall(r'src="data:image/jpeg;base64,', page)) == 2
    assert "http" not in re.sub(r"https://doi\.org/\S+", "", page)  # standalone: nothing fetched
    for swatch in result.palette:
        assert swatch.hex in page
    assert "--ar 4:5" in page  # the Midjourney export is there


def test_saving_a_brief_never_overwrites(tmp_path):
    first = save_brief("<p>one</p>", "brief-koch", tmp_path)
    second = save_brief("<p>two</p>", "brief-koch", tmp_path)
    assert (first.name, second.name) == ("brief-koch.html", "brief-koch-2.html")
    assert first.read_text() == "<p>one</p>" and second.read_text() == "<p>two</p>"
    assert save_brief("x", "../../etc/passwd", tmp_path).parent == tmp_path
    assert not list(tmp_path.glob(".brief-*"))  # no temporary files left behind
