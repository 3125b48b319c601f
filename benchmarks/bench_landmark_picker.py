"""The landmark picker's costs: the first guess, a point move, a new photo.

A drag itself costs nothing in Python (the browser redraws the overlay); what
the kernel does is one validation when the mouse button is released, and a
face search plus one JPEG encode when a new photo arrives.
Baseline: a bare Pillow JPEG encode of the same 1024 px preview.
"""

from __future__ import annotations

import io

from PIL import Image

from portrait_lessons import examples
from portrait_lessons.images import preview, to_jpeg
from portrait_lessons.face.fit import default_template, fit_template, landmarks_from_points, validate_points
from portrait_lessons.ui.landmark_picker import LandmarkModel
from timing import median_ms, report


def new_photo(full) -> bytes:
    """What the kernel does when the learner picks another photo."""
    small = preview(full, 1024)
    fit_template(small)
    return to_jpeg(small, 88)


def run() -> None:
    default_template()  # built once per session, from the bundled photos; not part of a step
    full = examples.load_portrait("jemison")
    small = preview(full, 1024)
    height, width = small.shape[:2]
    points = dict(fit_template(small).points)
    model = LandmarkModel()
    model.use_portrait("jemison")
    x, y = model.points["nose_tip"]
    step = iter(range(10**9))

    def bare_encode() -> bytes:
        buffer = io.BytesIO()
        Image.fromarray(small).save(buffer, "JPEG")
        return buffer.getvalue()

    rows = [
        ("template built from the 8 bundled photos (once)", median_ms(lambda: default_template.__wrapped__(), repeat=5)),
        ("first guess: fit_template on the 1024 px photo", median_ms(lambda: fit_template(small))),
        ("validate_points (after each drag)", median_ms(lambda: validate_points(points, width, height))),
        ("landmarks_from_points (outline, radii)", median_ms(lambda: landmarks_from_points(points, width, height))),
        ("model: one point moved (validate + landmarks)",
         median_ms(lambda: model.move_point("nose_tip", x + next(step) % 3, y))),
        ("new photo: downscale + guess + JPEG for the canvas", median_ms(lambda: new_photo(full), repeat=10)),
    ]  # fmt: skip
    report(f"Landmark picker, {width} x {height} preview", ("bare JPEG encode", median_ms(bare_encode)), rows)


if __name__ == "__main__":
    run()
