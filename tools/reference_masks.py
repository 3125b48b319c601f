"""Rebuild the reference subject masks in tests/subject_masks/ (and an overlay of each to check by eye).

Each photo (1024 px preview) is cut at :data:`EDGE` px by one GrabCut pass,
seeded by the wide landmark trimap of
:func:`portrait_lessons.retouch.subject.subject_trimap` and overridden by the
hand-drawn hints in ``tests/subject_masks/hints.json`` (the fast mask instead
learns its colours from a narrow body first, and needs no hints). Look at every overlay
(``sheets/reference_masks/*.png``, backdrop tinted cyan) before committing a change.

Usage: ``python tools/reference_masks.py [NAME ...]``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portrait_lessons import examples  # noqa: E402
from portrait_lessons.retouch import subject  # noqa: E402

FOLDER = ROOT / "tests" / "subject_masks"
EDGE = 400
ITERATIONS = 4


def hint_labels(hints: dict, size: tuple[int, int]) -> np.ndarray:
    """The hints as GrabCut labels on a (width, height) canvas; 255 where there is no hint."""
    width, height = size
    labels = np.full((height, width), 255, np.uint8)
    for kind, label in (("bg", cv2.GC_BGD), ("fg", cv2.GC_FGD)):
        for polygon in hints.get(kind, []):
            points = np.round(np.array(polygon) * (width, height)).astype(np.int32)
            cv2.fillPoly(labels, [points], int(label))
    return labels


def build(name: str, hints: dict) -> np.ndarray:
    """One GrabCut pass (not the fast mask's two) from the wide landmark trimap plus the hints."""
    image, points = examples.load_portrait(name, 1024), examples.portrait_landmarks(name, 1024)
    scale = EDGE / max(image.shape[:2])
    size = (round(image.shape[1] * scale), round(image.shape[0] * scale))
    small = np.asarray(Image.fromarray(image).resize(size, Image.Resampling.BOX))
    labels = subject.subject_trimap(points.resized(*size), size[::-1])
    hinted = hint_labels(hints, size)
    labels = np.where(hinted != 255, hinted, labels).astype(np.uint8)
    cv2.setRNGSeed(0)
    models = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.grabCut(np.ascontiguousarray(small[..., ::-1]), labels, None, *models, ITERATIONS, cv2.GC_INIT_WITH_MASK)
    person = (labels == cv2.GC_FGD) | (labels == cv2.GC_PR_FGD)
    return subject._tidy(person, labels == cv2.GC_FGD)


def overlay(name: str, mask: np.ndarray) -> Image.Image:
    image = examples.load_portrait(name, EDGE)
    m = mask[..., None].astype(np.float32)
    cyan = np.array([0, 255, 255], np.float32)
    return Image.fromarray((image * m + (image * 0.35 + cyan * 0.65) * (1 - m)).astype(np.uint8))


def main(names: list[str]) -> int:
    hints = json.loads((FOLDER / "hints.json").read_text())
    check = ROOT / "sheets" / "reference_masks"
    check.mkdir(parents=True, exist_ok=True)
    for name in names or examples.names():
        mask = build(name, hints[name])
        Image.fromarray(mask.astype(np.uint8) * 255).save(FOLDER / f"{name}.png", optimize=True)
        overlay(name, mask).save(check / f"{name}.png")
        print(f"{name}: {mask.mean():.1%} person")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
