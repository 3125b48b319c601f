"""Lesson 09's audit on a 12-megapixel upload: the first audit of a photo, and a change of goal.

Baseline: shrinking the same 12 MP photo to the audit's 768 px working copy
(:func:`portrait_lessons.images.preview`), the least any audit of it must do,
measured in the same run. Caches are emptied before each first-audit run, so
it counts the subject mask, the skin texture and the palette from scratch.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from portrait_lessons import examples
from portrait_lessons.audit import audit, core
from portrait_lessons.images import preview
from portrait_lessons.retouch import foreground, subject
from timing import median_ms, report


def _twelve_megapixels(name: str) -> tuple[np.ndarray, object]:
    image, points = examples.load_portrait(name), examples.portrait_landmarks(name)
    big = np.asarray(Image.fromarray(image).resize((3000, 4000), Image.Resampling.BICUBIC))
    return big, points.resized(3000, 4000)


def _fresh(big, points, goal):
    core._CACHE.clear()
    subject._CACHE.clear()  # the person found and its edge colour: a new upload starts without them
    foreground._CACHE.clear()
    return audit(big, points, goal)


def run() -> None:
    for name in ("glover", "hopper"):
        big, points = _twelve_megapixels(name)
        baseline = ("preview of the 12 MP photo to 768 px", median_ms(lambda: preview(big, 768), 7, 1))
        audit(big, points, "trust")
        rows = [
            ("first audit of a 12 MP photo (nothing cached)", median_ms(lambda: _fresh(big, points, "trust"), 7, 1)),
            ("first audit, no face points (colour only)", median_ms(lambda: _fresh(big, None, "trust"), 7, 1)),
            ("same photo, another goal (measures cached)", median_ms(lambda: audit(big, points, "warmth"), 15, 1)),
        ]
        report(f"Audit, {name} enlarged to 3000 x 4000", baseline, rows)
