"""The reference subject masks (tests/subject_masks/) and the measures that compare a mask with them."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image

FOLDER = Path(__file__).resolve().parent / "subject_masks"


def reference_mask(name: str, shape: tuple[int, int] | None = None) -> np.ndarray:
    """The hand-checked person mask of a bundled photo (bool), at ``shape`` (H, W) if given."""
    picture = Image.open(FOLDER / f"{name}.png").convert("L")
    if shape is not None and picture.size != (shape[1], shape[0]):
        picture = picture.resize((shape[1], shape[0]), Image.Resampling.BILINEAR)
    return np.asarray(picture) > 127


def iou(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two bool masks."""
    return float((a & b).sum() / max(1, (a | b).sum()))


def boundary_f_score(a: np.ndarray, b: np.ndarray, tolerance: float) -> float:
    """Boundary F-measure (Perazzi et al. 2016): edge pixels of each within ``tolerance`` px of the other's."""

    def edges(mask):
        m = mask.astype(np.uint8)
        return (m - cv2.erode(m, np.ones((3, 3), np.uint8))).astype(bool)

    ea, eb = edges(a), edges(b)
    da = cv2.distanceTransform((~ea).astype(np.uint8), cv2.DIST_L2, 3)
    db = cv2.distanceTransform((~eb).astype(np.uint8), cv2.DIST_L2, 3)
    precision = (db[ea] <= tolerance).mean() if ea.any() else 1.0
    recall = (da[eb] <= tolerance).mean() if eb.any() else 1.0
    return float(2 * precision * recall / max(precision + recall, 1e-9))
