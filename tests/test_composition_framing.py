"""Crop measures on synthetic frames and the bundled photos."""

import numpy as np
import pytest

from portrait_lessons import examples
from portrait_lessons.composition import framing as f
from portrait_lessons.face.landmarks import Landmarks, example_dict


@pytest.fixture
def marks():
    return Landmarks.from_dict(example_dict())


def test_measures_on_a_synthetic_frame(marks):
    top = f.head_top(marks)
    chin = f.chin_y(marks)
    # A frame from the crown to twice the head height: face-ism exactly 0.5, no headroom.
    box = (0, top, 80, top + 2 * (chin - top))
    assert f.face_ism(marks, box) == pytest.approx(0.5)
    assert f.headroom(marks, box) == pytest.approx(0.0, abs=1e-9)
    # Eyes at y = 25 in a frame 0..100: three quarters of the way up.
    assert f.eye_line_height(marks, (0, 0, 80, 100)) == pytest.approx(0.75)
    # Headroom of 20 px in a frame 100 px tall.
    assert f.headroom(marks, (0, top - 20, 80, top + 80)) == pytest.approx(0.2)


def test_lead_room_follows_the_gaze_side(marks):
    centre = f.face_centre_x(marks)  # 40
    box = (0, 0, 160, 100)
    assert f.lead_room(marks, box, "right") == pytest.approx((160 - centre) / 160)
    assert f.lead_room(marks, box, "left") == pytest.approx(centre / 160)
    assert f.lead_room(marks, box, 0.3) + f.lead_room(marks, box, -0.3) == pytest.approx(1.0)
    with pytest.raises(f.FramingError, match="into the lens"):
        f.lead_room(marks, box, 0)
    with pytest.raises(f.FramingError, match="'left', 'right'"):
        f.lead_room(marks, box, "up")


def test_bad_boxes_get_clear_errors(marks):
    with pytest.raises(f.FramingError, match="empty"):
        f.face_ism(marks, (10, 10, 5, 20))
    with pytest.raises(f.FramingError, match="four numbers"):
        f.headroom(marks, (1, 2, 3))


def test_cutting_the_crown_gives_negative_headroom_and_face_ism_rises_with_zoom():
    image = examples.load_portrait("koch", 512)
    lm = examples.portrait_landmarks("koch", 512)
    size = image.shape[1], image.shape[0]
    values = [f.face_ism(lm, f.frame_box(lm, size, z, aspect=0.8)) for z in np.linspace(0, 1, 6)]
    assert all(b > a for a, b in zip(values, values[1:]))
    assert f.headroom(lm, (0, f.head_top(lm) + 10, size[0], size[1])) < 0


def test_neutral_crop_is_the_whole_photo_and_crop_returns_it():
    image = examples.load_portrait("jemison", 400)
    lm = examples.portrait_landmarks("jemison", 400)
    box = f.frame_box(lm, (image.shape[1], image.shape[0]))
    assert box == (0, 0, image.shape[1], image.shape[0])
    out = f.crop(image, box)
    assert out is not image and np.array_equal(out, image)


@pytest.mark.parametrize("name", examples.names())
def test_frame_boxes_stay_inside_and_keep_the_aspect(name):
    image = examples.load_portrait(name, 600)
    lm = examples.portrait_landmarks(name, 600)
    h, w = image.shape[:2]
    for zoom in (0, 0.3, 0.7, 1):
        for offset in (-1, 0, 1):
            left, top, right, bottom = f.frame_box(lm, (w, h), zoom, aspect=0.8, offset=offset)
            assert 0 <= left < right <= w and 0 <= top < bottom <= h
            assert (right - left) / (bottom - top) == pytest.approx(0.8, abs=0.02)


def test_offset_moves_the_face_across_the_frame():
    lm = examples.portrait_landmarks("koch", 800)
    size = (lm.width, lm.height)
    right = f.frame_box(lm, size, 0.6, aspect=0.8, offset=1)
    left = f.frame_box(lm, size, 0.6, aspect=0.8, offset=-1)
    # Face at the right of the frame: more room on the left, so a leftward gaze gets lead room.
    assert f.lead_room(lm, right, "left") > 0.5 > f.lead_room(lm, left, "left")


def test_full_resolution_export_matches_the_preview_crop():
    full = examples.load_portrait("ochoa")
    small = examples.load_portrait("ochoa", 512)
    lm = examples.portrait_landmarks("ochoa", 512)
    box = f.frame_box(lm, (small.shape[1], small.shape[0]), 0.7, aspect=0.8)
    big = f.crop(full, f.scale_box(box, full.shape[1] / small.shape[1]))
    factor = full.shape[1] / small.shape[1]
    assert big.shape[0] == pytest.approx((box[3] - box[1]) * factor, abs=2)
    assert big.shape[1] / big.shape[0] == pytest.approx(0.8, abs=0.02)


def test_gaze_direction_reads_the_irises(marks):
    data = example_dict()
    for side in ("left", "right"):
        x, y = data["points"][f"{side}_iris"]
        data["points"][f"{side}_iris"] = [x + 4, y]
    assert f.gaze_direction(marks) == 0
    assert f.gaze_direction(Landmarks.from_dict(data)) == pytest.approx(0.5)


def test_overlays_draw_without_touching_the_input(marks):
    image = np.zeros((100, 80, 3), np.uint8)
    drawn = f.draw_overlays(image, marks, (0, 0, 80, 100))
    assert not image.any() and drawn.any()
    assert tuple(drawn[0, 0]) == (0, 0, 0)
