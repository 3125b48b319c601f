"""The landmark template, its fit to a photo, the checks, and saving beside a copy."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from portrait_lessons import examples
from portrait_lessons.images import save_image
from portrait_lessons.face.fit import (
    DETECT_EDGE,
    POINT_LABELS,
    build_template,
    default_template,
    fit_template,
    landmarks_from_points,
    load_with_landmarks,
    point_hint,
    save_with_landmarks,
    saved_photos,
    template_on_eyes,
    validate_points,
)
from portrait_lessons.face.landmarks import POINT_NAMES, LandmarkError, Landmarks, example_dict


def mean_error(fit: Landmarks, truth: Landmarks) -> float:
    """Mean distance from the fitted points to the true ones, in eye distances."""
    distances = [np.hypot(*np.subtract(fit.points[n], truth.points[n])) for n in POINT_NAMES]
    return float(np.mean(distances)) / truth.interocular_distance


def held_out_template(held: str):
    """The template of every bundled portrait except ``held``: a fair test on ``held``."""
    return build_template(
        (examples.load_portrait(n, DETECT_EDGE), examples.portrait_landmarks(n, DETECT_EDGE))
        for n in examples.names()
        if n != held
    )


@pytest.fixture(scope="module")
def fits():
    """Each bundled portrait at 512 px: (fit from a template that never saw it, true landmarks)."""
    found = {}
    for name in examples.names():
        image = examples.load_portrait(name, 512)
        found[name] = (
            fit_template(image, held_out_template(name)),
            examples.portrait_landmarks(name, 512),
            image.shape,
        )
    return found


# --- the template ---------------------------------------------------------------


def test_template_is_a_symmetric_frontal_face_in_eye_units():
    t = default_template()
    eye = lambda side: np.mean([t.points[f"{side}_eye_outer"], t.points[f"{side}_eye_inner"]], axis=0)
    np.testing.assert_allclose(eye("left"), [-0.5, 0], atol=1e-9)
    np.testing.assert_allclose(eye("right"), [0.5, 0], atol=1e-9)
    for name in POINT_NAMES:
        partner = name.replace("left", "@").replace("right", "left").replace("@", "right")
        partner = partner if partner in t.points else name
        assert t.points[name][0] == pytest.approx(-t.points[partner][0], abs=1e-9)
        assert t.points[name][1] == pytest.approx(t.points[partner][1], abs=1e-9)
    p = t.points
    assert p["left_brow_middle"][1] < p["left_iris"][1] < p["nose_tip"][1] < p["upper_lip"][1] < p["chin"][1]
    assert 0.05 < t.iris_ratio < 0.5
    assert t.skin_mean is not None and t.skin_mean[0] > t.skin_mean[1]  # skin is redder than green


def test_template_skin_model_ignores_black_and_white_photos():
    name = "johnson"  # the bundled black-and-white portrait
    grey = build_template([(examples.load_portrait(name, 128), examples.portrait_landmarks(name, 128))])
    assert grey.skin_mean is None


def test_build_template_needs_a_face():
    with pytest.raises(ValueError, match="at least one"):
        build_template([])


# --- fitting --------------------------------------------------------------------


@pytest.mark.parametrize("name", examples.names())
def test_fit_lands_inside_the_photo_as_a_valid_face(fits, name):
    fit, truth, shape = fits[name]
    assert (fit.height, fit.width) == shape[:2]
    assert fit.problems() == []
    left, top, right, bottom = fit.face_box
    assert 0 <= left < right <= fit.width and 0 <= top < bottom <= fit.height


@pytest.mark.parametrize("name", examples.names())
def test_fit_lands_near_the_true_face(fits, name):
    fit, truth, _ = fits[name]
    assert mean_error(fit, truth) < 1.5, "more than 1.5 eye distances away: not a useful start"
    assert 0.6 < fit.interocular_distance / truth.interocular_distance < 1.6


def test_fit_beats_the_head_and_shoulders_prior_alone(fits):
    errors, prior_errors = [], []
    for name, (fit, truth, _) in fits.items():
        t = held_out_template(name)
        prior_points, _ = t.place((t.eyes_at[0] * truth.width, t.eyes_at[1] * truth.height), t.eye_span * truth.width)
        prior = landmarks_from_points(prior_points, truth.width, truth.height, t)
        errors.append(mean_error(fit, truth))
        prior_errors.append(mean_error(prior, truth))
    assert np.mean(errors) < 0.8 < np.mean(prior_errors)
    assert np.median(errors) < 0.5


def test_fit_finds_a_face_moved_across_the_frame():
    # The same face pasted at two places on a plain background: the fit follows it
    # (within the search window, about a fifth of the width either side of centre).
    face = examples.load_portrait("jemison", 512)[40:220, 150:330]
    truth = examples.portrait_landmarks("jemison", 512)
    for x0 in (90, 200):
        canvas = np.full((400, 500, 3), (70, 90, 140), np.uint8)
        canvas[100:280, x0 : x0 + 180] = face
        fit = fit_template(canvas)
        true_x = (truth.points["left_iris"][0] + truth.points["right_iris"][0]) / 2 - 150 + x0
        fit_x = (fit.points["left_iris"][0] + fit.points["right_iris"][0]) / 2
        assert abs(fit_x - true_x) < truth.interocular_distance


def test_fit_on_a_blank_or_tiny_photo_still_gives_points_inside_it():
    for image in (np.zeros((300, 200, 3), np.uint8), np.full((40, 30, 3), 200, np.uint8)):
        fit = fit_template(image)
        xy = np.array([*fit.points.values(), *fit.face_outline])
        assert (xy >= 0).all() and (xy[:, 0] <= 200).all() and (xy[:, 1] <= 300).all()
        assert fit.problems() == []


def test_fit_is_deterministic():
    image = examples.load_portrait("koch", 400)
    assert fit_template(image) == fit_template(image)


def test_template_on_eyes_puts_the_irises_exactly_and_turns_with_them():
    level = template_on_eyes((100.0, 100.0), (160.0, 100.0))
    tilted = template_on_eyes((100.0, 100.0), (160.0, 130.0))
    assert level["left_iris"] == pytest.approx((100, 100)) and level["right_iris"] == pytest.approx((160, 100))
    assert tilted["right_iris"] == pytest.approx((160, 130))
    assert tilted["chin"][0] < level["chin"][0]  # the head rolls clockwise: the chin swings left
    with pytest.raises(ValueError, match="same spot"):
        template_on_eyes((5.0, 5.0), (5.0, 5.0))


def test_landmarks_from_points_carries_the_outline_and_keeps_it_inside():
    points = example_dict()["points"]
    lm = landmarks_from_points(points, 80, 100)
    assert lm.problems() == []
    box = lm.face_box
    assert box[0] <= points["left_eye_outer"][0] and box[2] >= points["right_eye_outer"][0]
    assert lm.iris_radius["left"] > 0
    shifted = landmarks_from_points({n: (x - 10, y) for n, (x, y) in points.items()}, 80, 100)
    assert min(x for x, _ in shifted.face_outline) == 0  # clipped at the photo's edge


# --- validation -----------------------------------------------------------------


def good_points() -> dict:
    return {name: tuple(xy) for name, xy in example_dict()["points"].items()}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"chin": (40, 140)}, "Points outside the photo: chin."),
        ({"left_iris": (-3, 25)}, "Points outside the photo: left eye, iris centre."),
        (
            {
                "left_eye_outer": (68, 25),
                "left_eye_inner": (52, 25),
                "right_eye_inner": (28, 25),
                "right_eye_outer": (12, 25),
            },
            "The eye corners should run left to right",
        ),
        ({"left_iris": (35, 25)}, "The left iris centre should sit between the corners of the left eye."),
        ({"nose_tip": (40, 70)}, "The nose tip should be below the eyes and above the mouth."),
        ({"upper_lip": (40, 40)}, "The upper lip should be below the nose tip."),
        ({"mouth_left": (45, 62)}, "The lip points should sit between the two mouth corners."),
        ({"right_brow_middle": (60, 24)}, "The right eyebrow should be above the right eye's upper lid."),
        ({"left_upper_lid": (20, 30)}, "The left upper lid should be above the lower lid."),
        ({"chin": (40, 60)}, "Upper lip, lower lip and chin should come in that order downwards."),
    ],
)
def test_validation_names_each_problem_in_plain_words(change, expected):
    assert validate_points(good_points(), 80, 100) == []
    problems = validate_points(good_points() | change, 80, 100)
    assert any(p.startswith(expected) for p in problems), problems
    assert not any("_" in p for p in problems), "code names leaked into a message"


def test_validation_flags_a_face_too_small_to_edit():
    small = {n: (x / 5, y / 5) for n, (x, y) in good_points().items()}
    problems = validate_points(small, 80, 100)
    assert any("too small to edit" in p and "crop" in p for p in problems)


def test_validation_lists_missing_points():
    points = good_points()
    del points["nose_tip"], points["chin"]
    assert validate_points(points, 80, 100) == ["Some points are missing: nose tip, chin, lowest point."]


def test_every_point_has_a_label_and_a_hint():
    assert set(POINT_LABELS) == set(POINT_NAMES)
    for name in POINT_NAMES:
        assert point_hint(name) and "_" not in point_hint(name)


# --- saving ---------------------------------------------------------------------


@pytest.fixture
def photo_and_points():
    return examples.load_portrait("ochoa", 300), examples.portrait_landmarks("ochoa", 300)


def test_save_writes_a_copy_and_a_sidecar_in_the_bundled_format(tmp_path, photo_and_points):
    photo, points = photo_and_points
    copy, sidecar = save_with_landmarks(photo, points, tmp_path / "my_photos", "me on holiday.png")
    assert copy == tmp_path / "my_photos" / "me-on-holiday.jpg"
    assert sidecar == tmp_path / "my_photos" / "me-on-holiday.landmarks.json"
    data = json.loads(sidecar.read_text())
    assert data["image"] == "me-on-holiday.jpg"
    assert Landmarks.from_dict(data) == Landmarks.from_dict(points.to_dict())
    assert saved_photos(tmp_path / "my_photos") == [copy]


def test_save_never_overwrites_and_never_touches_the_original(tmp_path, photo_and_points):
    photo, points = photo_and_points
    folder = tmp_path / "my_photos"
    folder.mkdir()
    original = save_image(photo, folder / "me.jpg")  # the learner's own file, in the same folder
    fingerprint = hashlib.sha256(original.read_bytes()).hexdigest()
    orphan = folder / "me-1.landmarks.json"  # a sidecar with no photo must not be replaced either
    orphan.write_text("{}")

    first, first_sidecar = save_with_landmarks(photo, points, folder, "me")
    second, second_sidecar = save_with_landmarks(photo, points, folder, "me")

    assert [first.name, second.name] == ["me-2.jpg", "me-3.jpg"]
    assert first_sidecar.name == "me-2.landmarks.json" and second_sidecar.name == "me-3.landmarks.json"
    assert hashlib.sha256(original.read_bytes()).hexdigest() == fingerprint
    assert orphan.read_text() == "{}"
    assert not list(folder.glob(".*.tmp"))  # no temporary files left behind


def test_save_at_full_size_scales_the_points(tmp_path):
    full = examples.load_portrait("ochoa")
    small_points = examples.portrait_landmarks("ochoa", 300)
    copy, sidecar = save_with_landmarks(full, small_points, tmp_path, "ochoa")
    image, landmarks = load_with_landmarks(copy)
    assert image.shape == full.shape
    assert landmarks.points["nose_tip"] == pytest.approx(
        examples.portrait_landmarks("ochoa").points["nose_tip"], abs=0.2
    )


def test_round_trip_gives_back_the_photo_and_the_points(tmp_path, photo_and_points):
    photo, points = photo_and_points
    copy, _ = save_with_landmarks(photo, points, tmp_path)
    image, landmarks = load_with_landmarks(copy)
    assert image.shape == photo.shape
    assert np.abs(image.astype(int) - photo).mean() < 2  # JPEG at quality 95
    assert landmarks == Landmarks.from_dict(points.to_dict())


def test_saving_points_with_problems_or_for_another_shape_is_refused(tmp_path, photo_and_points):
    photo, points = photo_and_points
    bad = Landmarks({**points.points, "nose_tip": (1.0, 1.0)}, points.iris_radius, points.face_outline,
                    points.width, points.height)  # fmt: skip
    with pytest.raises(LandmarkError, match="can't be saved yet"):
        save_with_landmarks(photo, bad, tmp_path)
    with pytest.raises(LandmarkError, match="place them on this photo"):
        save_with_landmarks(photo[:, :150], points, tmp_path)
    assert not list(tmp_path.iterdir())


def test_loading_explains_a_missing_or_mismatched_sidecar(tmp_path, photo_and_points):
    photo, points = photo_and_points
    lonely = save_image(photo, tmp_path / "lonely.jpg")
    with pytest.raises(LandmarkError, match="no landmark file"):
        load_with_landmarks(lonely)
    copy, sidecar = save_with_landmarks(photo, points, tmp_path, "pair")
    data = json.loads(sidecar.read_text())
    sidecar.unlink()
    sidecar.write_text(json.dumps(points.scaled(2).to_dict() | {"image": data["image"]}))
    with pytest.raises(LandmarkError, match="place the points again"):
        load_with_landmarks(copy)
