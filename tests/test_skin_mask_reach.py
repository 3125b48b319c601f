"""The skin mask reaches all the skin and stops at hair and frames.

A review found the mask stopping mid-forehead on Glover (a visible boundary at smoothing
1.0) and patchy on Johnson's shadowed cheek. Reaching higher by shape alone covered Koch's
fringe, so the forehead now grows upward only as far as it stays skin.
"""

from __future__ import annotations

import numpy as np
import pytest

from portrait_lessons import examples
from portrait_lessons.face.edits import _Rig, fit_landmarks
from portrait_lessons.retouch.texture import skin_mask


def test_shadowed_cheeks_of_a_black_and_white_photo_are_skin():
    image, landmarks = examples.load_portrait("johnson", 1024), examples.portrait_landmarks("johnson", 1024)
    mask = skin_mask(image, landmarks)
    p = {name: np.array(xy) for name, xy in landmarks.points.items()}
    iod = landmarks.interocular_distance
    ys, xs = np.mgrid[0 : image.shape[0], 0 : image.shape[1]]
    cheeks = {
        "left lower cheek": (p["left_eye_outer"] + p["mouth_left"]) / 2 + (0, 0.25 * iod),
        "right cheek": (p["right_eye_outer"] + p["right_eye_inner"] + 2 * p["mouth_right"]) / 4,
        "right lower cheek": (p["right_eye_outer"] + p["mouth_right"]) / 2 + (0, 0.25 * iod),
    }
    for name, (x, y) in cheeks.items():
        disc = np.hypot(xs - x, ys - y) < 0.2 * iod
        # Before: 0.73, 0.86 and 0.75 (the shadowed side and the smile's folds faded out); now 0.80, 0.91, 0.87.
        assert mask[disc].mean() > 0.78, f"{name}: {mask[disc].mean():.2f}"
    # The frames' top rim stays out of the mask: smoothing must not blur it.
    rig = _Rig(fit_landmarks(landmarks, image), image)
    for side in ("left", "right"):
        for x, y in rig._rim_edges(side):
            assert mask[int(round(y)), int(round(x))] < 0.2


def _forehead(name: str, low: float, high: float) -> float:
    """Mean mask over a band ``low``-``high`` eye distances above the brows, half an eye distance wide at the middle."""
    image, landmarks = examples.load_portrait(name, 1024), examples.portrait_landmarks(name, 1024)
    mask = skin_mask(image, landmarks)
    p = {n: np.array(xy) for n, xy in landmarks.points.items()}
    iod = landmarks.interocular_distance
    brow = min(xy[1] for n, xy in p.items() if "brow" in n)
    x = (p["left_brow_inner"][0] + p["right_brow_inner"][0]) / 2
    rows = slice(max(0, int(brow - high * iod)), max(1, int(brow - low * iod)))
    return float(mask[rows, int(x - 0.25 * iod) : int(x + 0.25 * iod)].mean())


@pytest.mark.parametrize("name, low, high", [("glover", 0.6, 1.0), ("armstrong", 0.6, 0.8), ("johnson", 0.6, 0.8)])
def test_a_high_forehead_is_skin_up_to_the_hairline(name, low, high):
    # Before: 0.00 on all three (the shape's arc stopped 0.55 eye distances above the brows).
    assert _forehead(name, low, high) > 0.8


@pytest.mark.parametrize("name", ["collins", "koch", "ochoa", "hopper", "jemison"])
def test_the_forehead_stops_at_a_fringe_hairline_or_hat(name):
    # A light blond fringe (Collins), dark curls (Koch), a hat's brim (Hopper).
    assert _forehead(name, 0.6, 0.8) < 0.3 and _forehead(name, 0.8, 1.0) < 0.1
