"""Upload to points on a 12-megapixel phone photo: found automatically, or the template guess.

What the kernel does when a learner uploads a photo to the landmark picker:
decode the file, make the 1024 px working copy, find the face and place the
points (or fit the template when the faces extra is missing), and encode the
JPEG the canvas shows. The target is at most 1 s in all.
Baseline: decoding the same file alone (every route pays it).
The model itself loads once per kernel (about 2 s), while the picker is
being built, before any photo is chosen; it is timed on its own row.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from unittest import mock

import numpy as np
from PIL import Image

from portrait_lessons import examples
from portrait_lessons.face import detect
from portrait_lessons.images import load_image, preview
from portrait_lessons.ui.landmark_picker import LandmarkModel, LandmarkPicker
from timing import median_ms, report


def phone_photo() -> bytes:
    """A 3000 x 4000 JPEG (12 MP, quality 92): a bundled portrait enlarged to a phone's size."""
    image = Image.fromarray(examples.load_portrait("jemison")).resize((3000, 4000), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def run() -> None:
    data = phone_photo()
    small = preview(load_image(data), 1024)
    rows = []
    with mock.patch.object(detect, "available", lambda: False):
        template = LandmarkModel()
        rows.append(("upload to points, template guess (no faces extra)",
                     median_ms(lambda: template.load_photo(data, "phone.jpg"), repeat=7, warmup=1)))  # fmt: skip
    if detect.available():
        rows.append(("model load, once per kernel (graph only; import excluded)",
                     median_ms(lambda: (detect._mesh_model.cache_clear(), detect.warm_up()), repeat=3, warmup=1)))  # fmt: skip
        model = LandmarkModel()
        rows.append(("upload to points, found automatically",
                     median_ms(lambda: model.load_photo(data, "phone.jpg"), repeat=7, warmup=1)))  # fmt: skip
        assert model.landmarks is not None, "the benchmark photo's face should be found"
        picker = LandmarkPicker(save_folder="no-such-folder")

        def through_the_picker() -> None:  # the upload widget's value, as the browser sets it
            picker.upload.value = ({"name": "phone.jpg", "type": "image/jpeg", "size": len(data),
                                    "content": memoryview(data), "last_modified": datetime.now(timezone.utc)},)  # fmt: skip
            picker.upload.value = ()

        rows.append(("the same through the picker (+ its views, JPEG for the canvas)",
                     median_ms(through_the_picker, repeat=7, warmup=1)))  # fmt: skip
        rows.append(("detect_faces on the 1024 px copy", median_ms(lambda: detect.detect_faces(small), repeat=15)))
        mesh = detect._run_mesh(small)[0]
        gray = detect._gray(small)
        rows.append(("  of which the mesh model", median_ms(lambda: detect._run_mesh(small), repeat=15)))
        rows.append(("  of which our steps (irises, lids, brows, glasses, outline)",
                     median_ms(lambda: detect.face_from_mesh(mesh, gray, image=small), repeat=15)))  # fmt: skip
    else:
        print("(the faces extra is not installed: only the template route is timed)")
    report("Own photo, 3000 x 4000 JPEG, upload to points",
           ("decode the JPEG alone", median_ms(lambda: load_image(data), repeat=7, warmup=1)), rows)  # fmt: skip


if __name__ == "__main__":
    run()
