"""Load time and peak memory of the largest picture of each accepted format.

``load_image`` promises that any picture it accepts, up to its format's pixel
limit, loads in at most 3 s on a 2-core machine with a peak of at most 4 times
its decoded RGB size. This writes one photo-like picture (smooth gradients plus
noise, like a camera's) for each accepted format and way of storing pixels at
that limit (100 megapixels; with transparency 75; WebP 25, HEIC 25, AVIF 50, RLE BMP 4) and loads each in a fresh
process, three times, reporting medians of:

- wall time and processor time (all threads) of ``load_image``;
- the same for a bare ``Image.open(...).load()`` of the same file (Pillow's
  decode alone, for HEIC pillow-heif's), to show what the decoder itself costs;
- the peak memory growth of the ``load_image`` process (its ``VmHWM`` less what
  it held before loading) as a
  multiple of the decoded RGB size (3 bytes a pixel);
- the one-minute load average while it ran.

Every round also times a bare Pillow decode of a plain 100-megapixel JPEG: the
same-run baseline. On a shared machine wall times follow the load; processor
time and the ratio to that baseline are what to compare between runs.

Writing the pictures takes minutes (PNG, GIF, HEIC and AVIF encoders are
slow at this size), so they are kept in a cache folder between runs. PNGs are
written with zlib's fastest level (bigger files than most apps write).

Usage: ``python benchmarks/load_limits.py [--cache DIR] [--rounds N] [case ...]``
(cases by name, e.g. ``webp heic``: every case whose name contains one).
Results go to ``benchmarks/results/load_limits.json``.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

import portrait_lessons.images  # noqa: F401 - registers the HEIF plugin for writing HEIC

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from awkward_files import rle8_bmp  # noqa: E402 - the same slow-to-decode BMP the tests use
RESULTS = HERE / "results" / "load_limits.json"

BAND = 500  # rows built at a time, so writing a 100-megapixel picture needs little more than itself


@functools.lru_cache(maxsize=1)  # every 100-megapixel case starts from the same photo
def photo(width: int, height: int) -> np.ndarray:
    """Camera-like RGB content: smooth gradients plus sensor-like noise, built in bands."""
    rng = np.random.default_rng(0)
    out = np.empty((height, width, 3), np.uint8)
    ramp_x = np.linspace(30, 220, width, dtype=np.float32)
    ramp_y = np.linspace(20, 200, height, dtype=np.float32)
    for top in range(0, height, BAND):
        rows = slice(top, min(height, top + BAND))
        noise = rng.normal(0, 6, (rows.stop - top, width)).astype(np.float32)
        y = ramp_y[rows, None]
        out[rows, :, 0] = np.clip(ramp_x + noise, 0, 255)
        out[rows, :, 1] = np.clip(y + noise, 0, 255)
        out[rows, :, 2] = np.clip((ramp_x + y) / 2 - noise, 0, 255)
    return out


def _grey(width: int, height: int) -> np.ndarray:
    """The photo's luminance as float32 in 0-1."""
    rgb = photo(width, height)
    grey = np.empty((height, width), np.float32)
    for top in range(0, height, BAND):
        grey[top : top + BAND] = rgb[top : top + BAND].mean(axis=2) / 255
    return grey


def _with_alpha(width: int, height: int) -> Image.Image:
    """The photo with a left-to-right alpha ramp (transparency to blend)."""
    alpha = np.broadcast_to(np.linspace(0, 255, width).astype(np.uint8), (height, width))
    return Image.fromarray(np.dstack([photo(width, height), alpha]), "RGBA")


def _gif(width: int, height: int) -> Image.Image:
    """A palette picture (GIF holds 256 colours): 6 x 7 x 6 levels of the photo."""
    rgb = photo(width, height)
    index = np.empty((height, width), np.uint8)
    for top in range(0, height, BAND):
        band = rgb[top : top + BAND].astype(np.uint16)
        red, green, blue = band[..., 0] * 6 // 256, band[..., 1] * 7 // 256, band[..., 2] * 6 // 256
        index[top : top + BAND] = red * 42 + green * 6 + blue
    image = Image.fromarray(index, "P")
    levels = [(r * 51, g * 42, b * 51) for r in range(6) for g in range(7) for b in range(6)]
    image.putpalette([value for colour in levels for value in colour] + [0] * 3 * (256 - len(levels)))
    return image


def _save(image: Image.Image, path: Path, fmt: str, **options: object) -> None:
    image.save(path, fmt, **options)


def _mpo(width: int, height: int, path: Path) -> None:
    """A camera's multi-picture JPEG: the photo plus a second frame."""
    first = Image.fromarray(photo(width, height))
    _save(first, path, "MPO", save_all=True, append_images=[first.resize((width // 4, height // 4))], quality=90)


# name: (width, height, writer(width, height, path)). Sizes are each format's limit.
Writer = Callable[[int, int, Path], None]
CASES: dict[str, tuple[int, int, Writer]] = {
    "jpeg": (10_000, 10_000, lambda w, h, p: _save(Image.fromarray(photo(w, h)), p, "JPEG", quality=90)),
    "jpeg-mpo": (10_000, 10_000, _mpo),
    "png-rgb": (10_000, 10_000, lambda w, h, p: _save(Image.fromarray(photo(w, h)), p, "PNG", compress_level=1)),
    "png-rgba": (10_000, 7_500, lambda w, h, p: _save(_with_alpha(w, h), p, "PNG", compress_level=1)),
    "png-16-bit-grey": (
        10_000,
        10_000,
        lambda w, h, p: _save(Image.fromarray((_grey(w, h) * 65535).astype(np.uint16)), p, "PNG", compress_level=1),
    ),
    "webp-lossy": (5_000, 5_000, lambda w, h, p: _save(Image.fromarray(photo(w, h)), p, "WEBP", quality=90)),
    "webp-lossy-alpha": (5_000, 5_000, lambda w, h, p: _save(_with_alpha(w, h), p, "WEBP", quality=90)),
    "webp-lossless": (
        5_000,
        5_000,
        lambda w, h, p: _save(Image.fromarray(photo(w, h)), p, "WEBP", lossless=True, method=0),
    ),
    "gif": (10_000, 10_000, lambda w, h, p: _save(_gif(w, h), p, "GIF")),
    "tiff-raw": (10_000, 10_000, lambda w, h, p: _save(Image.fromarray(photo(w, h)), p, "TIFF")),
    "tiff-lzw": (
        10_000,
        10_000,
        lambda w, h, p: _save(Image.fromarray(photo(w, h)), p, "TIFF", compression="tiff_lzw"),
    ),
    "tiff-deflate": (
        10_000,
        10_000,
        lambda w, h, p: _save(Image.fromarray(photo(w, h)), p, "TIFF", compression="tiff_adobe_deflate"),
    ),
    "tiff-jpeg": (
        10_000,
        10_000,
        lambda w, h, p: _save(Image.fromarray(photo(w, h)), p, "TIFF", compression="jpeg", quality=90),
    ),
    "tiff-float-grey": (10_000, 10_000, lambda w, h, p: _save(Image.fromarray(_grey(w, h)), p, "TIFF")),
    "tiff-16-bit-grey": (
        10_000,
        10_000,
        lambda w, h, p: _save(Image.fromarray((_grey(w, h) * 65535).astype(np.uint16)), p, "TIFF"),
    ),
    "bmp": (10_000, 10_000, lambda w, h, p: _save(Image.fromarray(photo(w, h)), p, "BMP")),
    "bmp-rle8": (2_000, 2_000, lambda w, h, p: p.write_bytes(rle8_bmp(w, h))),
    # Phones store big HEIC photos as a grid of 512 x 512 tiles (one HEVC frame can hold at
    # most 35.6 megapixels); pillow-heif writes such a grid when given a tile size. x265's
    # fastest preset, or writing it takes many minutes.
    "heic-grid": (
        5_000,
        5_000,
        lambda w, h, p: _save(
            Image.fromarray(photo(w, h)), p, "HEIF", quality=80, tile_size=512, enc_params={"preset": "ultrafast"}
        ),
    ),
    "heic-12mp": (4_032, 3_024, lambda w, h, p: _save(Image.fromarray(photo(w, h)), p, "HEIF", quality=80)),
    "avif": (10_000, 5_000, lambda w, h, p: _save(Image.fromarray(photo(w, h)), p, "AVIF", quality=80, speed=10)),
}

SUFFIX = {
    "jpeg": ".jpg", "png": ".png", "webp": ".webp", "gif": ".gif", "tiff": ".tif", "bmp": ".bmp", "heic": ".heic",
    "avif": ".avif",
}  # fmt: skip

BASELINE = "jpeg"  # a bare Pillow decode of the plain 100-megapixel JPEG, every round

# Runs in a fresh process: imports and a tiny warm-up load first (so the one-time
# cost of importing OpenCV or pillow-heif is not counted), then one timed load.
_CHILD = textwrap.dedent(
    """
    import io, json, os, sys, time
    import numpy as np
    from PIL import Image
    from portrait_lessons.images import load_image

    how, path = sys.argv[1], sys.argv[2]
    for fmt in ("JPEG", "WEBP", "HEIF"):
        warm_up = io.BytesIO()
        Image.new("RGB", (16, 16)).save(warm_up, fmt)
        load_image(warm_up.getvalue())
    def kib(field):
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))

    # ru_maxrss would start at the parent's size (it carries over fork and exec): reset
    # this process's peak to what it holds now, then read the peak after loading.
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    before = kib("VmRSS")
    wall, cpu = time.perf_counter(), time.process_time()
    if how == "load_image":
        shape = load_image(path).shape
    else:
        with Image.open(path) as image:
            image.load()
            shape = (image.height, image.width)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = (kib("VmHWM") - before) * 1024
    print(json.dumps({"wall": wall, "cpu": cpu, "peak": peak, "shape": list(shape), "load": os.getloadavg()[0]}))
    """
)


def _file(cache: Path, name: str) -> Path:
    width, height, write = CASES[name]
    path = cache / f"{name}-{width}x{height}{SUFFIX[name.split('-')[0]]}"
    if not path.exists():
        print(f"  writing {path.name} ...", flush=True)
        partial = path.with_suffix(".partial" + path.suffix)
        write(width, height, partial)
        partial.rename(path)
    return path


def _run(how: str, path: Path) -> dict[str, float]:
    run = subprocess.run(
        [sys.executable, "-c", _CHILD, how, str(path)], capture_output=True, text=True, check=False, timeout=600
    )
    if run.returncode != 0:
        raise RuntimeError(f"{how} {path.name} failed:\n{run.stderr}")
    return json.loads(run.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", help="case names (or parts of them); all by default")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "portrait-lessons-load-limits")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    names = [name for name in CASES if not args.cases or any(word in name for word in args.cases)]
    args.cache.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} cores; pictures in {args.cache}")
    paths = {name: _file(args.cache, name) for name in {*names, BASELINE}}
    runs: dict[str, list[dict[str, dict[str, float]]]] = {name: [] for name in names}
    baseline: list[dict[str, float]] = []
    for round_ in range(args.rounds):
        print(f"  round {round_ + 1} of {args.rounds}", flush=True)
        baseline.append(_run("pillow", paths[BASELINE]))
        for name in names:
            runs[name].append({how: _run(how, paths[name]) for how in ("load_image", "pillow")})

    def median(values: list[float]) -> float:
        return statistics.median(values)

    base_wall = median([run["wall"] for run in baseline])
    base_cpu = median([run["cpu"] for run in baseline])
    rows = []
    for name in names:
        width, height, _ = CASES[name]
        ours = [run["load_image"] for run in runs[name]]
        bare = [run["pillow"] for run in runs[name]]
        assert all(run["shape"][:2] == [height, width] for run in ours), name
        rows.append(
            {
                "case": name,
                "width": width,
                "height": height,
                "megapixels": width * height / 1e6,
                "file_mb": paths[name].stat().st_size / 1e6,
                "load_image_wall_s": median([run["wall"] for run in ours]),
                "load_image_cpu_s": median([run["cpu"] for run in ours]),
                "pillow_wall_s": median([run["wall"] for run in bare]),
                "pillow_cpu_s": median([run["cpu"] for run in bare]),
                "peak_x_rgb": median([run["peak"] for run in ours]) / (3 * width * height),
                "pillow_peak_x_rgb": median([run["peak"] for run in bare]) / (3 * width * height),
                "wall_x_baseline": median([run["wall"] for run in ours]) / base_wall,
                "load_average": median([run["load"] for run in ours]),
            }
        )
    print(f"\nBaseline, bare Pillow decode of a 100 MP JPEG: wall {base_wall:.2f} s, cpu {base_cpu:.2f} s (median)")
    header = (
        "case", "MP", "MB", "wall s", "cpu s", "Pillow wall", "Pillow cpu", "peak x RGB", "Pillow peak x",
        "wall x base", "load avg",
    )  # fmt: skip
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print(
            f"| {row['case']} | {row['megapixels']:.0f} | {row['file_mb']:.0f} | {row['load_image_wall_s']:.2f} | "
            f"{row['load_image_cpu_s']:.2f} | {row['pillow_wall_s']:.2f} | {row['pillow_cpu_s']:.2f} | "
            f"{row['peak_x_rgb']:.2f} | {row['pillow_peak_x_rgb']:.2f} | {row['wall_x_baseline']:.2f} | "
            f"{row['load_average']:.1f} |"
        )
    RESULTS.parent.mkdir(exist_ok=True)
    summary = {"baseline": {"wall_s": base_wall, "cpu_s": base_cpu}, "rounds": args.rounds, "rows": rows}
    RESULTS.write_text(json.dumps(summary, indent=1) + "\n")


if __name__ == "__main__":
    main()
