"""The awkward-input corpus for ``tests/test_images.py``, built from scratch.

Each :class:`Awkward` writes one kind of file a learner might really hand to
``load_image`` (a phone photo on its side, a HEIC, a web page saved as .jpg, a
download cut short...) into a folder, and says what must happen: the picture
loads with a known shape and content, or loading fails with a given
:class:`~portrait_lessons.images.ImageLoadError` kind. Nothing here reads a file
from the repository, so the corpus works anywhere the tests run.
"""

from __future__ import annotations

import io
import os
import socket
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pillow_heif
from PIL import Image, ImageCms

from portrait_lessons.images import BACKGROUND

pillow_heif.register_heif_opener()  # so the tests can write HEIC as well as read it

RED, GREEN, BLUE, WHITE, BLACK = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255), (0, 0, 0)
GREY = (128, 128, 128)


@dataclass(frozen=True)
class Awkward:
    """One kind of awkward input and what loading it must do.

    ``shape`` set: it must load as that ``(height, width)``, and ``check``
    (if any) asserts something about the content. ``errors`` set: it must
    raise ``ImageLoadError`` of one of those kinds. Both set: either is fine
    (a JPEG with flipped bytes may still decode).
    """

    name: str
    build: Callable[[Path], Path]
    shape: tuple[int, int] | None = None
    check: Callable[[np.ndarray], None] | None = None
    errors: frozenset[str] = frozenset()


# --------------------------------------------------------------------------- content checks


def rle8_bmp(width: int, height: int) -> bytes:
    """A 256-grey BMP compressed with RLE8 the slowest way to decode: every pixel its own run of one."""
    rng = np.random.default_rng(0)
    row = np.ones(2 * width + 2, np.uint8)
    rows = []
    for _ in range(height):
        row[1:-2:2] = rng.integers(0, 256, width, dtype=np.uint8)
        row[-2:] = 0  # end of line
        rows.append(row.tobytes())
    pixels = b"".join(rows) + b"\0\1"  # end of picture
    palette = b"".join(bytes([level, level, level, 0]) for level in range(256))
    header = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 8, 1, len(pixels), 2835, 2835, 256, 0)
    offset = 14 + len(header) + len(palette)
    return b"BM" + struct.pack("<IHHI", offset + len(pixels), 0, 0, offset) + header + palette + pixels


def mean_colour(pixels: np.ndarray) -> tuple[float, ...]:
    return tuple(float(v) for v in pixels.reshape(-1, 3).mean(axis=0))


def assert_colour(pixels: np.ndarray, expected: tuple[int, int, int], tolerance: float = 3) -> None:
    found = mean_colour(pixels)
    assert all(abs(f - e) <= tolerance for f, e in zip(found, expected)), f"mean colour {found}, expected {expected}"


def colour_is(expected: tuple[int, int, int], tolerance: float = 3) -> Callable[[np.ndarray], None]:
    return lambda pixels: assert_colour(pixels, expected, tolerance)


def equals(expected: np.ndarray) -> Callable[[np.ndarray], None]:
    def check(pixels: np.ndarray) -> None:
        assert np.array_equal(pixels, expected), f"max difference {np.abs(pixels.astype(int) - expected).max()}"

    return check


def blend(colour: tuple[int, int, int], alpha: int) -> tuple[float, float, float]:
    """``colour`` at opacity ``alpha``/255 over BACKGROUND: what a proper alpha blend gives."""
    a = alpha / 255
    return tuple(c * a + b * (1 - a) for c, b in zip(colour, BACKGROUND))  # type: ignore[return-value]


# --------------------------------------------------------------------------- pictures


def upright_marker(width: int = 48, height: int = 32) -> np.ndarray:
    """A landscape grey picture with a red top-left, green top-right and blue bottom-left corner.

    No symmetry maps it onto itself, so each of the eight orientations is told apart.
    """
    pixels = np.full((height, width, 3), GREY, np.uint8)
    pixels[:8, :8] = RED
    pixels[:8, -8:] = GREEN
    pixels[-8:, :8] = BLUE
    return pixels


def assert_upright(pixels: np.ndarray, tolerance: float = 12) -> None:
    """The corners of :func:`upright_marker` are where they belong."""
    assert pixels.shape[:2] == (32, 48), f"shape {pixels.shape}: not turned upright"
    # Sample the middle of each marker block, away from lossy edges.
    assert_colour(pixels[2:6, 2:6], RED, tolerance)
    assert_colour(pixels[2:6, -6:-2], GREEN, tolerance)
    assert_colour(pixels[-6:-2, 2:6], BLUE, tolerance)
    assert_colour(pixels[-6:-2, -6:-2], GREY, tolerance)


# What a camera stores for each EXIF orientation: the upright picture turned the
# other way, so that a viewer applying the tag gets the upright picture back.
STORED_FOR = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,  # the tag says "turn 90 degrees clockwise to view"
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def stored_for(orientation: int) -> Image.Image:
    upright = Image.fromarray(upright_marker())
    method = STORED_FOR[orientation]
    return upright if method is None else upright.transpose(method)


def exif_with_orientation(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()  # bytes: pillow-heif ignores an Exif object here


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def smooth_photo(width: int = 64, height: int = 48) -> np.ndarray:
    """Gradients, like a photo's lighting, with no hard edges for JPEG to ring on."""
    y, x = np.mgrid[0:height, 0:width]
    return np.stack([40 + 150 * x / width, 60 + 120 * y / height, 90 + 60 * (x + y) / (width + height)], -1).astype(
        np.uint8
    )


# --------------------------------------------------------------------------- ICC profiles


def _s15f16(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ " + bytes(4) + _s15f16(x) + _s15f16(y) + _s15f16(z)


def _description(text: str) -> bytes:
    ascii_text = text.encode("ascii") + b"\0"
    return b"desc" + bytes(4) + struct.pack(">I", len(ascii_text)) + ascii_text + bytes(8) + bytes(3) + bytes(67)


D50 = (0.9642, 1.0, 0.8249)
#: Display P3's primaries adapted to D50 (Bradford), as in Apple's own profile.
DISPLAY_P3_COLORANTS = ((0.515121, 0.241196, -0.001053), (0.291977, 0.692245, 0.041885), (0.157104, 0.066574, 0.784073))
#: sRGB's, the same way: what the built-in sRGB profile of LittleCMS uses.
SRGB_COLORANTS = ((0.436066, 0.222488, 0.013916), (0.385147, 0.716873, 0.097076), (0.143066, 0.060608, 0.714096))
P3_GAMMA = 563 / 256  # 2.2 as the u8Fixed8 number a 'curv' tag stores


def matrix_profile(colorants=DISPLAY_P3_COLORANTS, gamma: float = P3_GAMMA, name: str = "Display P3 (test)") -> bytes:
    """A minimal ICC v2 RGB display profile: colorants, white point and gamma curves.

    ImageCms can only build sRGB, LAB and XYZ profiles, so a wide-gamut one is
    written by hand, tag by tag, as the ICC specification lays it out.
    """
    curve = b"curv" + bytes(4) + struct.pack(">IH", 1, round(gamma * 256)) + bytes(2)
    tags = [
        (b"desc", _description(name)),
        (b"cprt", b"text" + bytes(4) + b"No copyright, test data\0"),
        (b"wtpt", _xyz(*D50)),
        (b"rXYZ", _xyz(*colorants[0])),
        (b"gXYZ", _xyz(*colorants[1])),
        (b"bXYZ", _xyz(*colorants[2])),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    table, data = b"", b""
    start = 128 + 4 + 12 * len(tags)
    for signature, body in tags:
        table += signature + struct.pack(">II", start + len(data), len(body))
        data += body + bytes(-len(body) % 4)
    size = start + len(data)
    header = (
        struct.pack(">I", size)
        + bytes(4)  # preferred CMM
        + struct.pack(">I", 0x02100000)  # version 2.1
        + b"mntrRGB XYZ "
        + bytes(12)  # date
        + b"acsp"
        + bytes(4 + 4 + 4 + 4 + 8 + 4)  # platform, flags, maker, model, attributes, intent
        + _xyz(*D50)[8:]
        + bytes(4 + 16 + 28)  # creator, profile id, reserved
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


def p3_to_srgb(rgb: tuple[int, int, int]) -> np.ndarray:
    """Independent expectation: P3 (gamma curve) -> XYZ -> linear sRGB -> sRGB, clipped."""
    linear = (np.array(rgb) / 255) ** P3_GAMMA
    to_xyz = np.array(DISPLAY_P3_COLORANTS).T
    from_xyz = np.linalg.inv(np.array(SRGB_COLORANTS).T)
    out = np.clip(from_xyz @ to_xyz @ linear, 0, 1)
    encoded_srgb = np.where(out <= 0.0031308, 12.92 * out, 1.055 * out ** (1 / 2.4) - 0.055)
    return np.round(encoded_srgb * 255)


P3_ORANGE = (180, 60, 60)


def _check_p3(pixels: np.ndarray) -> None:
    expected = p3_to_srgb(P3_ORANGE)
    found = pixels.reshape(-1, 3).mean(axis=0)
    assert np.abs(found - expected).max() <= 3, f"{found} is not the sRGB {expected} of P3 {P3_ORANGE}"
    assert np.abs(found - P3_ORANGE).max() >= 10, "the colour was not converted from Display P3"


# --------------------------------------------------------------------------- builders


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return build


def _save(name: str, make: Callable[[], Image.Image], **options: object) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        make().save(path, **options)
        return path

    return build


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` and holds no pixels: a decompression bomb's calling card."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def _jpeg(pixels: np.ndarray | Image.Image, quality: int = 92, **options: object) -> bytes:
    image = pixels if isinstance(pixels, Image.Image) else Image.fromarray(pixels)
    return encoded(image, "JPEG", quality=quality, **options)


def _truncated(data: bytes, keep: float) -> bytes:
    return data[: int(len(data) * keep)]


def _flipped_middle(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes(b ^ 0xFF for b in data[middle : middle + 64]) + data[middle + 64 :]


def _with_big_metadata(jpeg: bytes) -> bytes:
    """Forty 64 KB comment and APP13 segments (2.5 MB) between SOI and the picture."""
    segment = b"portrait metadata " * 3640  # under a segment's 65533-byte limit
    extra = b"".join(
        marker + struct.pack(">H", len(segment) + 2) + segment for marker in [b"\xff\xfe", b"\xff\xed"] * 20
    )
    return jpeg[:2] + extra + jpeg[2:]


def _with_broken_icc(jpeg: bytes) -> bytes:
    """An APP2 ICC_PROFILE segment full of garbage."""
    body = b"ICC_PROFILE\0\x01\x01" + bytes(range(256)) * 8
    return jpeg[:2] + b"\xff\xe2" + struct.pack(">H", len(body) + 2) + body + jpeg[2:]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return buffer.getvalue()


def _animated(fmt: str, colours: list[tuple[int, int, int]], **options: object) -> bytes:
    frames = [Image.new("RGB", (24, 16), colour) for colour in colours]
    return encoded(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0, **options)


def _rgba_quadrants() -> Image.Image:
    """Red at alpha 255, 128 and 0, and a transparent-ish blue, one quadrant each."""
    pixels = np.zeros((16, 16, 4), np.uint8)
    pixels[:8, :8] = (*RED, 255)
    pixels[:8, 8:] = (*RED, 128)
    pixels[8:, :8] = (*RED, 0)
    pixels[8:, 8:] = (*BLUE, 64)
    return Image.fromarray(pixels)


def _check_rgba(pixels: np.ndarray) -> None:
    assert_colour(pixels[:8, :8], RED, 0)
    assert_colour(pixels[:8, 8:], blend(RED, 128), 1)
    assert_colour(pixels[8:, :8], BACKGROUND, 0)
    assert_colour(pixels[8:, 8:], blend(BLUE, 64), 1)


def _lab(colour: tuple[int, int, int]) -> Image.Image:
    to_lab = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.createProfile("LAB"), "RGB", "LAB")
    return ImageCms.applyTransform(Image.new("RGB", (12, 10), colour), to_lab)


def _p_with_transparency() -> Image.Image:
    image = Image.new("P", (10, 10), 1)
    image.putpalette([*RED, *GREEN, *BLUE] + [0] * (256 - 3) * 3)
    image.paste(0, (0, 0, 5, 10))  # left half red, right half index 1 (green) is transparent
    image.info["transparency"] = 1
    return image


def _grey16(big_endian: bool = False) -> Image.Image:
    # 255 and 65280 tell scaling (v / 257, rounded) from dropping the low byte (v >> 8).
    values = np.array([[0, 257 * 128, 65535, 257 * 64, 255, 65280]], dtype=">u2" if big_endian else np.uint16)
    return Image.fromarray(np.repeat(values, 3, axis=0))


def _check_grey_levels(levels: list[int]) -> Callable[[np.ndarray], None]:
    def check(pixels: np.ndarray) -> None:
        assert (pixels[..., 0] == pixels[..., 1]).all() and (pixels[..., 1] == pixels[..., 2]).all(), "not grey"
        assert pixels[0, :, 0].tolist() == levels

    return check


def _mpo() -> bytes:
    first, second = Image.new("RGB", (20, 10), RED), Image.new("RGB", (20, 10), BLUE)
    return encoded(first, "MPO", save_all=True, append_images=[second], quality=95)


def _heic(image: Image.Image, **options: object) -> bytes:
    return encoded(image, "HEIF", quality=95, **options)


def _mkdir(name: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.mkdir()
        (path / "inside.jpg").write_bytes(_jpeg(upright_marker()))
        return path

    return build


def _missing(folder: Path) -> Path:
    return folder / "holiday-photo-that-is-not-here.jpg"


# --------------------------------------------------------------------------- hostile and special files


def iptc_field(record: int, dataset: int, data: bytes) -> bytes:
    return bytes([0x1C, record, dataset]) + struct.pack(">H", len(data)) + data


def iptc_holding(embedded: bytes, width: int = 10, height: int = 10) -> bytes:
    """An IPTC/NAA stream whose picture is ``embedded``: Pillow opens that with every plugin it has."""
    return (
        iptc_field(3, 60, b"\x01\x00")  # one layer, no components: greyscale
        + iptc_field(3, 20, struct.pack(">I", width))
        + iptc_field(3, 30, struct.pack(">I", height))
        + iptc_field(3, 120, struct.pack(">I", 5))  # "compressed": the embedded file as it is
        + iptc_field(8, 10, embedded)
    )


EPS = (
    b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n%%EndComments\n"
    b"0 0 moveto 10 10 lineto stroke\nshowpage\n%%EOF\n"
)


def ico_holding_png(width: int, height: int) -> bytes:
    """A Windows icon whose one entry is a real PNG; the directory says 256 x 256 (0 means 256)."""
    png = encoded(Image.new("RGB", (width, height), RED), "PNG")
    return struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", 0, 0, 0, 0, 1, 32, len(png), 22) + png


def icns_holding_png(width: int, height: int) -> bytes:
    png = encoded(Image.new("RGB", (width, height), RED), "PNG")
    entry = b"ic10" + struct.pack(">I", 8 + len(png)) + png
    return b"icns" + struct.pack(">I", 8 + len(entry)) + entry


def psd_16_bit(width: int = 4, height: int = 3) -> bytes:
    """A valid 16-bit RGB Photoshop file: header, empty sections, raw merged picture."""
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, height, width, 16, 3)
    return header + struct.pack(">III", 0, 0, 0) + struct.pack(">H", 0) + bytes(width * height * 3 * 2)


def plain_tiff(width: int, height: int, bits: int, sample_format: int, samples: int = 1) -> bytes:
    """An uncompressed little-endian TIFF, tag by tag (Pillow cannot write float64 or absurd sizes)."""
    data_bytes = min(width * height * samples * bits // 8, 1 << 16)
    tags = [
        (256, 4, width),
        (257, 4, height),
        (258, 3, bits),
        (259, 3, 1),
        (262, 3, 2 if samples == 3 else 1),
        (273, 4, 0),
        (277, 3, samples),
        (278, 4, height),
        (279, 4, data_bytes),
        (339, 3, sample_format),
    ]
    start = 8 + 2 + 12 * len(tags) + 4
    body = b"".join(
        struct.pack("<HHI", tag, kind, 1)
        + (struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", start if tag == 273 else value))
        for tag, kind, value in tags
    )
    return b"II*\x00" + struct.pack("<IH", 8, len(tags)) + body + bytes(4) + bytes(data_bytes)


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_with_text_bomb() -> bytes:
    """A 4 x 4 PNG with a zTXt chunk of 8 kB that inflates to 8 MB of text."""
    png = encoded(Image.new("RGB", (4, 4), GREEN), "PNG")
    text = zlib.compress(b" " * (8 << 20), 9)
    return png[:33] + png_chunk(b"zTXt", b"Comment\0\0" + text) + png[33:]


def qoi(width: int, height: int) -> bytes:
    return b"qoif" + struct.pack(">IIBB", width, height, 3, 0) + b"\xfe\x80\x80\x80" * 4 + bytes(7) + b"\x01"


def _fifo(folder: Path) -> Path:
    path = folder / "upload.jpg"
    os.mkfifo(path)
    return path


def _socket(folder: Path) -> Path:
    path = folder / "s.jpg"
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(path))
    _KEEP.append(listener)  # closed when the test process ends; the file stays a socket
    return path


_KEEP: list[socket.socket] = []


def _device(name: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        link = folder / f"{name}.jpg"
        link.symlink_to(f"/dev/{name}")
        return link

    return build


def _corpus() -> list[Awkward]:
    photo = smooth_photo()
    marker_jpeg = _jpeg(upright_marker(), quality=95)
    big = Image.fromarray(np.tile(photo, (4, 4, 1)))
    big_png = encoded(big, "PNG")
    wide = np.tile(np.linspace(0, 255, 20000).astype(np.uint8)[None, :, None], (5, 1, 3))
    ints = np.tile(np.array([[0, 25_000, 50_000, 100_000]], np.int32), (2, 1))
    small_ints = np.tile(np.array([[0, 7, 130, 255]], np.int32), (2, 1))
    floats = np.tile(np.array([[0.0, 0.25, 0.5, 1.0]], np.float32), (2, 1))
    wide_floats = np.tile(np.array([[-10.0, 0.0, 5.0, 10.0]], np.float32), (2, 1))
    palette = Image.fromarray(
        np.repeat(np.repeat(np.array([[RED, GREEN, BLUE, WHITE]], np.uint8), 4, 1), 4, 0)
    ).convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    checker = np.indices((8, 8)).sum(axis=0) % 2 * 255

    corpus = [
        # Broken, empty and not-a-picture files.
        Awkward("zero-bytes", _write("empty.jpg", b""), errors=frozenset({"empty"})),
        Awkward("truncated-jpeg", _write("cut.jpg", _truncated(_jpeg(photo), 0.6)), errors=frozenset({"truncated"})),
        Awkward("truncated-png", _write("cut.png", _truncated(big_png, 0.5)), errors=frozenset({"truncated"})),
        *[
            Awkward(
                f"truncated-{fmt.lower()}",
                _write(f"cut.{fmt.lower()}", _truncated(encoded(big, fmt), keep)),
                errors=frozenset({"truncated", "damaged"}),
            )
            for fmt, keep in [("HEIF", 0.5), ("AVIF", 0.9), ("WEBP", 0.6), ("GIF", 0.6), ("TIFF", 0.6)]
        ],
        Awkward(
            "corrupt-jpeg-body",
            _write("flipped.jpg", _flipped_middle(_jpeg(np.tile(photo, (4, 4, 1))))),
            shape=(192, 256),
            errors=frozenset({"damaged", "truncated"}),
        ),
        Awkward(
            "text-named-jpg",
            _write("notes.jpg", b"Meeting notes\nBring the portraits.\n" * 20),
            errors=frozenset({"not_image"}),
        ),
        Awkward(
            "html-named-jpg",
            _write(
                "photo.jpg", b"<!DOCTYPE html>\n<html><head><title>Photo</title></head><body><img src=x></body></html>"
            ),
            errors=frozenset({"not_image"}),
        ),
        Awkward(
            "svg",
            _write(
                "logo.svg", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
            ),
            errors=frozenset({"not_image"}),
        ),
        Awkward(
            "pdf",
            _write("portfolio.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
            errors=frozenset({"not_image"}),
        ),
        Awkward("zip", _write("photos.zip", _zip({"a.jpg": marker_jpeg})), errors=frozenset({"not_image"})),
        Awkward(
            "docx",
            _write("brief.docx", _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})),
            errors=frozenset({"not_image"}),
        ),
        Awkward(
            "png-bomb-header", _write("bomb.png", _png_header_only(100_000, 100_000)), errors=frozenset({"too_large"})
        ),
        Awkward("directory", _mkdir("holiday"), errors=frozenset({"is_directory"})),
        Awkward("missing-path", _missing, errors=frozenset({"not_found"})),
        # Sizes.
        Awkward("one-pixel", _save("dot.png", lambda: Image.new("RGB", (1, 1), RED)), (1, 1), colour_is(RED, 0)),
        Awkward("very-wide-20000x5", _save("strip.png", lambda: Image.fromarray(wide)), (5, 20000), equals(wide)),
        # Every Pillow mode a file can hold.
        Awkward("png-16-bit-grey", _save("deep.png", _grey16), (3, 6), _check_grey_levels([0, 128, 255, 64, 1, 254])),
        Awkward(
            "tiff-16-bit-big-endian",
            _save("deep.tif", lambda: _grey16(big_endian=True)),
            (3, 6),
            _check_grey_levels([0, 128, 255, 64, 1, 254]),
        ),
        Awkward(
            "tiff-32-bit-int",
            _save("ints.tif", lambda: Image.fromarray(ints)),
            (2, 4),
            _check_grey_levels([0, 64, 128, 255]),
        ),
        Awkward(
            "tiff-32-bit-int-small-values",
            _save("small.tif", lambda: Image.fromarray(small_ints)),
            (2, 4),
            _check_grey_levels([0, 7, 130, 255]),
        ),
        Awkward(
            "tiff-float-0-to-1",
            _save("float.tif", lambda: Image.fromarray(floats)),
            (2, 4),
            _check_grey_levels([0, 64, 128, 255]),
        ),
        Awkward(
            "tiff-float-any-range",
            _save("wide.tif", lambda: Image.fromarray(wide_floats)),
            (2, 4),
            _check_grey_levels([0, 128, 191, 255]),
        ),
        Awkward(
            "png-mode-1",
            _save("bits.png", lambda: Image.fromarray(checker.astype(bool))),
            (8, 8),
            equals(np.repeat(checker.astype(np.uint8)[..., None], 3, axis=2)),
        ),
        Awkward(
            "png-mode-L", _save("grey.png", lambda: Image.fromarray(wide[:, :256, 0])), (5, 256), equals(wide[:, :256])
        ),
        Awkward(
            "png-mode-LA",
            _save("grey-alpha.png", lambda: Image.new("LA", (6, 6), (200, 128))),
            (6, 6),
            colour_is(tuple(round(v) for v in blend((200, 200, 200), 128)), 1),
        ),
        Awkward(
            "png-mode-P",
            _save("palette.png", lambda: palette),
            (4, 16),
            lambda p: [assert_colour(p[:, 4 * i : 4 * i + 4], c, 0) for i, c in enumerate([RED, GREEN, BLUE, WHITE])],
        ),
        Awkward(
            "png-P-with-transparency",
            _save("palette-t.png", _p_with_transparency),
            (10, 10),
            lambda p: (assert_colour(p[:, :5], RED, 0), assert_colour(p[:, 5:], BACKGROUND, 0)),
        ),
        Awkward(
            "png-RGB-with-tRNS",
            _save("rgb-t.png", lambda: Image.new("RGB", (4, 4), GREEN), transparency=GREEN),
            (4, 4),
            colour_is(BACKGROUND, 0),
        ),
        Awkward("png-RGBA", _save("alpha.png", _rgba_quadrants), (16, 16), _check_rgba),
        Awkward(
            "tiff-PA",
            _save("pa.tif", lambda: Image.new("RGBA", (6, 6), (*RED, 0)).convert("PA")),
            (6, 6),
            colour_is(BACKGROUND, 0),
        ),
        Awkward(
            "jpeg-CMYK-adobe",
            _write("print.jpg", _jpeg(Image.new("CMYK", (16, 16), (0, 255, 255, 0)), 95)),
            (16, 16),
            colour_is(RED, 6),
        ),
        Awkward(
            "tiff-CMYK",
            _save("print.tif", lambda: Image.new("CMYK", (8, 8), (0, 0, 255, 51))),
            (8, 8),
            colour_is((204, 204, 0), 0),
        ),
        Awkward(
            "tiff-YCbCr",
            _save("video.tif", lambda: Image.new("RGB", (8, 8), (200, 120, 40)).convert("YCbCr")),
            (8, 8),
            colour_is((200, 120, 40), 4),
        ),
        # 8-bit LAB steps are coarse: a round trip through it moves a colour by a level or two.
        Awkward("tiff-LAB", _save("lab.tif", lambda: _lab((200, 30, 40))), (10, 12), colour_is((200, 30, 40), 3)),
        # Colour management.
        Awkward(
            "icc-display-p3",
            _save("p3.png", lambda: Image.new("RGB", (8, 8), P3_ORANGE), icc_profile=matrix_profile()),
            (8, 8),
            _check_p3,
        ),
        Awkward(
            "icc-broken",
            _write("garbage-icc.jpg", _with_broken_icc(_jpeg(Image.new("RGB", (16, 16), BLUE), 95))),
            (16, 16),
            colour_is(BLUE, 4),
        ),
        # Animations: the first frame.
        Awkward("gif-animated", _write("blink.gif", _animated("GIF", [RED, BLUE, GREEN])), (16, 24), colour_is(RED, 0)),
        Awkward(
            "webp-animated",
            _write("blink.webp", _animated("WEBP", [GREEN, RED], lossless=True)),
            (16, 24),
            colour_is(GREEN, 0),
        ),
        Awkward("png-animated-apng", _write("blink.png", _animated("PNG", [BLUE, RED])), (16, 24), colour_is(BLUE, 0)),
        Awkward(
            "gif-with-transparency",
            _save("t.gif", _p_with_transparency),
            (10, 10),
            lambda p: (assert_colour(p[:, :5], RED, 0), assert_colour(p[:, 5:], BACKGROUND, 0)),
        ),
        # Other formats.
        Awkward(
            "webp",
            _save("photo.webp", lambda: Image.fromarray(photo), quality=95),
            (48, 64),
            lambda p: assert_colour(p, mean_colour(photo), 3),
        ),
        Awkward(
            "avif",
            _save("photo.avif", lambda: Image.fromarray(photo), quality=95),
            (48, 64),
            lambda p: assert_colour(p, mean_colour(photo), 3),
        ),
        Awkward(
            "avif-on-its-side",
            _write("turned.avif", encoded(stored_for(6), "AVIF", quality=95, exif=exif_with_orientation(6))),
            (32, 48),
            assert_upright,
        ),
        Awkward(
            "heic",
            _write("IMG_0001.HEIC", _heic(Image.fromarray(photo))),
            (48, 64),
            lambda p: assert_colour(p, mean_colour(photo), 3),
        ),
        Awkward(
            "heic-on-its-side",
            _write("IMG_0002.HEIC", _heic(stored_for(6), exif=exif_with_orientation(6))),
            (32, 48),
            assert_upright,
        ),
        Awkward("bmp", _save("old.bmp", lambda: Image.fromarray(photo)), (48, 64), equals(photo)),
        Awkward(
            "tiff-deflate",
            _save("scan.tif", lambda: Image.fromarray(photo), compression="tiff_deflate"),
            (48, 64),
            equals(photo),
        ),
        Awkward("mpo-camera-pair", _write("stereo.jpg", _mpo()), (10, 20), colour_is(RED, 4)),
        Awkward("jpeg-named-png", _write("really-a-jpeg.png", marker_jpeg), (32, 48), assert_upright),
        Awkward(
            "jpeg-huge-metadata", _write("metadata.jpg", _with_big_metadata(marker_jpeg)), (32, 48), assert_upright
        ),
    ]
    # A phone or camera photo in each of the eight EXIF orientations.
    for orientation in range(1, 9):
        data = _jpeg(stored_for(orientation), quality=95, exif=exif_with_orientation(orientation))
        corpus.append(
            Awkward(
                f"jpeg-exif-orientation-{orientation}", _write(f"o{orientation}.jpg", data), (32, 48), assert_upright
            )
        )
    # Hostile and special files (a shared server, where anyone uploads anything).
    corpus += [
        Awkward("eps", _write("drawing.eps", EPS), errors=frozenset({"unsupported"})),
        Awkward("iptc-holding-eps", _write("news.jpg", iptc_holding(EPS)), errors=frozenset({"unsupported"})),
        Awkward(
            "iptc-holding-png",
            _write("wire.iim", iptc_holding(encoded(Image.new("L", (8, 8)), "PNG"))),
            errors=frozenset({"unsupported"}),
        ),
        Awkward(
            "ico-holding-big-png", _write("favicon.ico", ico_holding_png(3000, 3000)), errors=frozenset({"unsupported"})
        ),
        Awkward(
            "icns-holding-big-png", _write("app.icns", icns_holding_png(3000, 3000)), errors=frozenset({"unsupported"})
        ),
        Awkward("psd-16-bit", _write("retouch.psd", psd_16_bit()), errors=frozenset({"unsupported"})),
        Awkward("tiff-float64", _write("scan.tif", plain_tiff(4, 3, 64, 3)), errors=frozenset({"unsupported"})),
        Awkward(
            "tiff-rgb-float32", _write("hdr.tif", plain_tiff(4, 3, 32, 3, samples=3)), errors=frozenset({"unsupported"})
        ),
        Awkward(
            "tiff-absurd-size", _write("huge.tif", plain_tiff(2**32 - 1, 2**32 - 1, 8, 1)), errors=frozenset({"too_large"})
        ),
        Awkward("png-text-bomb", _write("notes.png", png_with_text_bomb()), errors=frozenset({"too_much_metadata"})),
        Awkward("qoi", _write("game.qoi", qoi(2, 2)), errors=frozenset({"unsupported"})),
        Awkward(
            "ppm-16-bit", _write("raw.ppm", b"P6\n2 2\n65535\n" + bytes(24)), errors=frozenset({"unsupported"})
        ),
        Awkward("fifo", _fifo, errors=frozenset({"not_a_file"})),
        Awkward("socket", _socket, errors=frozenset({"not_a_file"})),
        Awkward("dev-zero", _device("zero"), errors=frozenset({"not_a_file"})),
        Awkward("dev-null", _device("null"), errors=frozenset({"not_a_file"})),
        Awkward(
            "png-tall-1x45000",
            _save("tall.png", lambda: Image.new("RGB", (1, 45000), BLUE)),
            (45000, 1),
            colour_is(BLUE, 0),
        ),
    ]
    return corpus


CORPUS: list[Awkward] = _corpus()
