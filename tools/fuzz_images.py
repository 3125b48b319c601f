"""Fuzz ``load_image`` with damaged pictures and keep what it finds as test cases.

Each case is a small real picture of an accepted format (or a refused
container) with bytes flipped, size and offset fields set to extremes, parts
cut, copied or deleted. Every case must give a picture or an
``ImageLoadError`` of a documented kind, within a second of processor time.
Anything else (another exception, a slow case) is written to
``tests/fuzz_cases/`` as ``failure-*.bin`` for a test to hold once fixed; and
the first case of every (seed, outcome) pair is kept there as
``<seed>--<kind>--<n>.bin`` (kind ``loaded`` for a picture), which
``tests/test_images.py`` replays: the outcome must stay the same.

Usage: ``python tools/fuzz_images.py [seconds] [random seed] [--keep]``
(``--keep`` writes the per-outcome cases; without it only failures are written).
"""

from __future__ import annotations

import random
import struct
import sys
import time
import traceback
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from awkward_files import (  # noqa: E402 - after the path is set
    EPS,
    encoded,
    icns_holding_png,
    ico_holding_png,
    iptc_holding,
    plain_tiff,
    psd_16_bit,
    smooth_photo,
)

from portrait_lessons.images import ImageLoadError, load_image  # noqa: E402

CASES = ROOT / "tests" / "fuzz_cases"
MAX_PIXELS = 4_000_000  # an extreme size field should be refused, not decoded for seconds
SLOW_S = 1.0


def seeds() -> dict[str, bytes]:
    """Small real pictures: every accepted format and storage, and refused containers."""
    photo = Image.fromarray(smooth_photo(40, 30))
    faded = photo.copy()
    faded.putalpha(Image.linear_gradient("L").resize((40, 30)))
    palette = photo.convert("P")
    return {
        "png": encoded(photo, "PNG"),
        "png-rgba": encoded(faded, "PNG"),
        "png-16-bit": encoded(Image.fromarray((np.ones((20, 30)) * 3000).astype(np.uint16)), "PNG"),
        "jpeg": encoded(photo, "JPEG"),
        "jpeg-progressive": encoded(photo, "JPEG", progressive=True),
        "mpo": encoded(photo, "MPO", save_all=True, append_images=[photo]),
        "gif": encoded(palette, "GIF", save_all=True, append_images=[palette]),
        "webp-lossy": encoded(photo, "WEBP"),
        "webp-lossless": encoded(photo, "WEBP", lossless=True),
        "webp-alpha": encoded(faded, "WEBP"),
        "webp-animated": encoded(photo, "WEBP", save_all=True, append_images=[faded], lossless=True),
        "tiff": encoded(photo, "TIFF"),
        "tiff-lzw": encoded(photo, "TIFF", compression="tiff_lzw"),
        "tiff-jpeg": encoded(photo, "TIFF", compression="jpeg"),
        "tiff-deflate": encoded(photo, "TIFF", compression="tiff_deflate"),
        "tiff-float": encoded(Image.fromarray(np.ones((20, 30), np.float32)), "TIFF"),
        "bmp": encoded(photo, "BMP"),
        "heic": encoded(photo, "HEIF"),
        "avif": encoded(photo, "AVIF"),
        "eps-in-iptc": iptc_holding(EPS),
        "ico": ico_holding_png(32, 32),
        "icns": icns_holding_png(32, 32),
        "psd-16-bit": psd_16_bit(),
        "tiff-hand-made": plain_tiff(4, 3, 64, 3),
    }


def mutate(data: bytes, rng: random.Random) -> bytes:
    """A few random changes of the kinds that find the most in picture parsers."""
    out = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 4, 8])):
        at = rng.randrange(len(out))
        roll = rng.random()
        if roll < 0.4:
            out[at] = rng.randrange(256)
        elif roll < 0.6:  # a size or offset at an extreme
            extreme = rng.choice([0, 1, 0x7FFFFFFF, 0xFFFFFFFF, 65535, 65536, rng.randrange(1 << 32)])
            out[at : at + 4] = struct.pack(rng.choice(["<I", ">I"]), extreme)
        elif roll < 0.7:
            out = out[: rng.randrange(1, len(out) + 1)]
        elif roll < 0.8:
            out[at:at] = out[rng.randrange(len(out)) :][: rng.randrange(1, 64)]
        elif roll < 0.9:
            out[at : at + 2] = struct.pack(rng.choice(["<H", ">H"]), rng.choice([0, 1, 0xFFFF, 0x7FFF, 16384]))
        else:
            del out[at : at + rng.randrange(1, 16)]
        if not out:
            out = bytearray(b"\0")
    return bytes(out)


def outcome(data: bytes) -> str:
    """``loaded`` or the ImageLoadError's kind (anything else propagates)."""
    try:
        load_image(data, max_pixels=MAX_PIXELS)
    except ImageLoadError as error:
        return error.kind
    return "loaded"


def main() -> None:
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    seconds = float(args[0]) if args else 60.0
    rng = random.Random(int(args[1]) if len(args) > 1 else 0)
    keep = "--keep" in sys.argv
    pictures = seeds()
    CASES.mkdir(exist_ok=True)
    kept = {path.name.split("--")[0] + "--" + path.name.split("--")[1] for path in CASES.glob("*--*--*.bin")}
    counts: dict[str, int] = {}
    failures = slow = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seed = rng.choice(sorted(pictures))
        data = mutate(pictures[seed], rng)
        started = time.process_time()
        try:
            kind = outcome(data)
        except Exception:  # noqa: BLE001 - what the fuzz is looking for
            failures += 1
            (CASES / f"failure-{seed}-{failures}.bin").write_bytes(data)
            traceback.print_exc()
            continue
        took = time.process_time() - started
        if took > SLOW_S:
            slow += 1
            (CASES / f"failure-slow-{seed}-{slow}.bin").write_bytes(data)
            print(f"slow: {seed} {kind} {took:.2f} s", flush=True)
        counts[kind] = counts.get(kind, 0) + 1
        if keep and f"{seed}--{kind}" not in kept:
            kept.add(f"{seed}--{kind}")
            (CASES / f"{seed}--{kind}--{len(kept)}.bin").write_bytes(data)
    total = sum(counts.values()) + failures
    print(f"{total} cases in {seconds:.0f} s: {dict(sorted(counts.items()))}; failures {failures}, slow {slow}")


if __name__ == "__main__":
    main()
