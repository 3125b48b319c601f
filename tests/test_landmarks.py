import json

import numpy as np
import pytest

from portrait_lessons.face.landmarks import LandmarkError, Landmarks, draw_landmarks, example_dict, load_landmarks


def test_round_trip_through_dict():
    landmarks = Landmarks.from_dict(example_dict())
    assert Landmarks.from_dict(landmarks.to_dict() | {"notes": ""}) == landmarks


def test_swapped_eyes_are_refused():
    data = example_dict()
    p = data["points"]
    p["left_eye_outer"], p["right_eye_outer"] = p["right_eye_outer"], p["left_eye_outer"]
    with pytest.raises(LandmarkError, match="left to right"):
        Landmarks.from_dict(data)


def test_mouth_above_nose_is_refused():
    data = example_dict()
    data["points"]["nose_tip"] = [40, 70]
    with pytest.raises(LandmarkError, match="nose tip"):
        Landmarks.from_dict(data)


def test_point_outside_the_photo_is_refused():
    data = example_dict()
    data["points"]["chin"] = [40, 140]
    with pytest.raises(LandmarkError, match="outside the photo: chin"):
        Landmarks.from_dict(data)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["points"].pop("chin"),
        lambda d: d.update(schema=99),
        lambda d: d["points"].update(chin="below"),
        lambda d: d["points"].update(chin=[float("nan"), 3]),
        lambda d: d.update(face_outline=d["face_outline"][:4]),
        lambda d: d.pop("iris_radius"),
    ],
)
def test_malformed_data_gives_a_landmark_error(mutate):
    data = example_dict()
    mutate(data)
    with pytest.raises(LandmarkError):
        Landmarks.from_dict(data)


def test_unreadable_file_gives_a_landmark_error(tmp_path):
    path = tmp_path / "bad.landmarks.json"
    path.write_text("{not json")
    with pytest.raises(LandmarkError, match="bad.landmarks.json"):
        load_landmarks(path)


def test_load_from_file(tmp_path):
    path = tmp_path / "face.landmarks.json"
    path.write_text(json.dumps(example_dict()))
    assert load_landmarks(path).interocular_distance == 40


def test_scaling_is_exact_and_keeps_validity():
    landmarks = Landmarks.from_dict(example_dict()).scaled(2.5)
    assert landmarks.points["chin"] == (100, 212.5)
    assert landmarks.iris_radius["left"] == 10
    assert (landmarks.width, landmarks.height) == (200, 250)
    assert landmarks.problems() == []


def test_drawing_marks_points_and_leaves_the_input_alone():
    image = np.zeros((100, 80, 3), np.uint8)
    marked = draw_landmarks(image, Landmarks.from_dict(example_dict()), labels=True)
    assert not image.any()
    assert marked[25, 20].any() and marked[85, 40].any()
