"""Measurements the face tests share: how far an iris moved between two pictures."""

from __future__ import annotations

import numpy as np

from portrait_lessons.face.landmarks import Landmarks


def _spots(image: np.ndarray) -> np.ndarray:
    """Small bright spots (catchlights): pixels well above the median of their 3 x 3 neighbourhood."""
    import cv2

    grey = image.astype(np.float32).mean(axis=2)
    return (grey - cv2.medianBlur(np.uint8(np.round(grey)), 3).astype(np.float32)) > 30


def iris_displacement(
    before: np.ndarray, after: np.ndarray, landmarks: Landmarks, side: str, origin: tuple[float, float] = (0, 0)
) -> float:
    """How far the iris moved sideways (px): the shift that best matches the iris band before and after.

    ``origin`` is where the pictures' top-left corner sits in the landmarks'
    coordinates (for crops). The band runs through the iris, inside the eye opening.
    """
    (x, y), r = landmarks.points[f"{side}_iris"], landmarks.iris_radius[side]
    x, y = x - origin[0], y - origin[1]
    top, bottom = landmarks.points[f"{side}_upper_lid"][1] - origin[1], landmarks.points[f"{side}_lower_lid"][1] - origin[1]
    rows = slice(round(max(top + 1, y - 0.5 * r)), round(min(bottom - 1, y + 0.5 * r)))
    columns = np.arange(round(x - r), round(x + r))
    grey_before = before[rows].astype(float).mean(axis=2)
    grey_after = after[rows].astype(float).mean(axis=2)
    # Catchlights left out: they are reflections and move less than the iris (CATCHLIGHT_FOLLOWS);
    # on a small dark iris they would otherwise decide the match.
    spot_before, spot_after = _spots(before)[rows], _spots(after)[rows]
    shifts = np.arange(-round(3 * r), round(3 * r) + 1)
    errors = []
    for s in shifts:
        keep = ~spot_before[:, columns] & ~spot_after[:, columns + s]
        errors.append(np.abs(grey_after[:, columns + s] - grey_before[:, columns])[keep].mean())
    errors = np.array(errors)
    k = int(errors.argmin())
    if 0 < k < len(errors) - 1:  # a parabola through the best three gives sub-pixel accuracy
        left, centre, right = errors[k - 1 : k + 2]
        return float(shifts[k] + 0.5 * (left - right) / max(left - 2 * centre + right, 1e-9))
    return float(shifts[k])
