"""The preview path a slider drives: load, downscale to 1024 px, warmth, JPEG encode.

Baseline: a bare Pillow JPEG encode of the same 1024 px preview.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from portrait_lessons import examples
from portrait_lessons.colour.white_balance import warmth
from portrait_lessons.images import load_image, preview, to_jpeg
from timing import median_ms, report


def _phone_photo(width: int = 4000, height: int = 3000) -> bytes:
    """A 12-megapixel JPEG with photo-like content: gradients plus noise."""
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    base = np.stack([x / width, y / height, (x + y) / (width + height)], axis=-1) * 200 + 20
    noisy = base + rng.normal(0, 8, size=(height, width, 1)).astype(np.float32)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _bare_encode(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, "JPEG")
    return buffer.getvalue()


def run() -> None:
    sources = {
        "bundled portrait, 1200 x 1500": examples.portrait("jemison").path,
        "phone photo, 4000 x 3000": _phone_photo(),
    }
    for label, source in sources.items():
        full = load_image(source)
        small = preview(full, 1024)
        warmed = warmth(small, 30)
        baseline = ("bare JPEG encode of the 1024 px preview", median_ms(lambda: _bare_encode(small)))
        repeat = 10 if full.size > 20e6 else 30
        rows = [
            ("load (decode, orient, colour-manage)", median_ms(lambda: load_image(source), repeat=repeat)),
            ("downscale to 1024 px", median_ms(lambda: preview(full, 1024), repeat=repeat)),
            ("warmth +30 mireds", median_ms(lambda: warmth(small, 30))),
            ("JPEG encode for widgets.Image", median_ms(lambda: to_jpeg(warmed))),
            ("slider step: warmth + encode", median_ms(lambda: to_jpeg(warmth(small, 30)))),
            ("whole path: load + downscale + warmth + encode",
             median_ms(lambda: to_jpeg(warmth(preview(load_image(source), 1024), 30)), repeat=repeat)),
        ]  # fmt: skip
        report(f"Preview path, {label} -> {small.shape[1]} x {small.shape[0]}", baseline, rows)
