"""The skin mask covers shadowed skin in a black-and-white photo, and still leaves the glasses out.

A review found the mask patchy on Johnson's shadowed cheek: without colour, the mask fades
what is darker than the cheeks, and it faded shadowed skin and smile folds with the frames.
"""

from __future__ import annotations

import numpy as np

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
        # Before: 0.73, 0.86 and 0.75 (the shadowed side and the smile's folds faded out).
        assert mask[disc].mean() > 0.8, f"{name}: {mask[disc].mean():.2f}"
    # The frames' top rim stays out of the mask: smoothing must not blur it.
    rig = _Rig(fit_landmarks(landmarks, image), image)
    for side in ("left", "right"):
        for x, y in rig._rim_edges(side):
            assert mask[int(round(y)), int(round(x))] < 0.2
