import hashlib
from pathlib import Path

import numpy as np
import pytest

from portrait_lessons import examples
from portrait_lessons.face.landmarks import POINT_NAMES

CREDITS = (Path(__file__).resolve().parent.parent / "images" / "CREDITS.md").read_text()


def test_there_are_bundled_portraits():
    assert len(examples.names()) >= 7


@pytest.mark.parametrize("name", examples.names())
def test_photo_is_the_unchanged_original(name):
    entry = examples.portrait(name)
    assert hashlib.sha256(entry.path.read_bytes()).hexdigest() == entry.sha256


@pytest.mark.parametrize("name", examples.names())
def test_photo_is_credited(name):
    entry = examples.portrait(name)
    assert entry.file in CREDITS
    assert entry.evidence in ("documented", "identified by sight")
    assert "Public domain" in entry.licence


@pytest.mark.parametrize("name", examples.names())
def test_landmarks_fit_their_photo(name):
    photo = examples.load_portrait(name)
    landmarks = examples.portrait_landmarks(name)
    assert (landmarks.width, landmarks.height) == (photo.shape[1], photo.shape[0])
    assert set(landmarks.points) == set(POINT_NAMES)
    assert landmarks.problems() == []
    # A face in these portraits is between a tenth and two thirds of the frame wide.
    assert 0.1 * photo.shape[1] < landmarks.face_box[2] - landmarks.face_box[0] < 0.67 * photo.shape[1]
    assert landmarks.iris_radius["left"] == pytest.approx(landmarks.iris_radius["right"], rel=0.25)


@pytest.mark.parametrize("name", examples.names())
def test_iris_centres_sit_on_dark_pixels(name):
    # The iris is darker than the skin around the eye: a misplaced point fails this.
    photo = examples.load_portrait(name).astype(float).mean(axis=2)
    landmarks = examples.portrait_landmarks(name)
    for side in ("left", "right"):
        x, y = landmarks.points[f"{side}_iris"]
        r = max(2, int(landmarks.iris_radius[side] * 0.6))
        iris = photo[int(y) - r : int(y) + r + 1, int(x) - r : int(x) + r + 1].mean()
        bx, by = landmarks.points["nose_tip"]
        cheek = photo[int(y + (by - y) / 2) - r : int(y + (by - y) / 2) + r + 1, int(x) - r : int(x) + r + 1].mean()
        assert iris < cheek, (side, iris, cheek)


def test_scaled_landmarks_follow_the_preview():
    full = examples.portrait_landmarks("jemison")
    small = examples.portrait_landmarks("jemison", max_edge=300)
    photo = examples.load_portrait("jemison", max_edge=300)
    assert small.width == photo.shape[1]
    ratio = photo.shape[1] / full.width
    assert small.points["nose_tip"] == pytest.approx(tuple(v * ratio for v in full.points["nose_tip"]))


def test_loaded_portraits_are_cached_and_read_only():
    first = examples.load_portrait("koch", 200)
    assert examples.load_portrait("koch", 200) is first
    assert not first.flags.writeable
    assert first.dtype == np.uint8 and first.shape[2] == 3 and max(first.shape[:2]) == 200


def test_unknown_portrait_names_the_choices():
    with pytest.raises(KeyError, match="koch"):
        examples.portrait("mona lisa")


def test_credits_table_escapes_and_lists_every_photo():
    table = examples.credits_table()._repr_html_()
    assert all(examples.portrait(n).file in table for n in examples.names())


@pytest.mark.parametrize("max_edge", [512, 720, 1024])
def test_landmarks_match_the_preview_size_exactly(max_edge):
    for name in examples.names():
        height, width = examples.load_portrait(name, max_edge).shape[:2]
        marks = examples.portrait_landmarks(name, max_edge)
        assert (marks.width, marks.height) == (width, height), name
