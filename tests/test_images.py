"""Tests for :mod:`portrait_lessons.images`, the one door for pixels in and out."""

from __future__ import annotations

import datetime
import errno
import hashlib
import io
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import warnings
import zlib
from pathlib import Path

import cv2
import ipywidgets
import numpy as np
import pytest
from awkward_files import (
    BLUE,
    CORPUS,
    EPS,
    GREEN,
    RED,
    assert_colour,
    assert_upright,
    blend,
    encoded,
    exif_with_orientation,
    icns_holding_png,
    ico_holding_png,
    iptc_holding,
    matrix_profile,
    plain_tiff,
    png_chunk,
    png_with_text_bomb,
    psd_16_bit,
    rle8_bmp,
    smooth_photo,
    stored_for,
    upright_marker,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import BmpImagePlugin, Image, ImageCms, ImageFile, ImageOps, PngImagePlugin, WebPImagePlugin

from portrait_lessons import images
from portrait_lessons.images import (
    BACKGROUND,
    FORMATS,
    MAX_PIXELS,
    ImageLoadError,
    SaveError,
    load_image,
    preview,
    save_image,
    to_jpeg,
)

# Words a learner should never have to read in an error message.
JARGON = (
    "cannot identify",
    "PIL",
    "Pillow",
    "OSError",
    "SyntaxError",
    "Errno",
    "Traceback",
    "image file is truncated",
    "decoder",
    "NoneType",
    "Unidentified",
    "DecompressionBomb",
    "struct",
)

small_images = arrays(np.uint8, st.tuples(st.integers(1, 40), st.integers(1, 40), st.just(3)))


# What each EXIF orientation asks a viewer to do, in Pillow's words (as ImageOps.exif_transpose does).
TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def fingerprint(path: Path) -> tuple[object, ...] | None:
    """Content and modification time of a file (or folder); None if absent."""
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns
    if path.is_dir():
        return "folder", path.stat().st_mtime_ns, sorted(os.listdir(path))
    return None


# How a message tells the learner what to do: a sentence (or clause) starting with one of these.
_WHAT_TO_DO = re.compile(
    r"(?:^|[.:;!?]\s+|,\s+(?:or\s+|then\s+)?)(?:Download|Export|Save|Open|Load|Check|Copy|Move|Click|Pass|"
    r"Type|Put|Add|Close|Run|Unpack|Take|Find|Don't|Use|Free|Ask|Choose|Pick|Try)\b",
    re.IGNORECASE,
)


def assert_plain_words(error: BaseException) -> None:
    """The message is in a learner's words and says what to do."""
    message = str(error)
    assert len(message) > 40, message
    for word in JARGON:
        assert word not in message, f"{word!r} in {message!r}"
    assert _WHAT_TO_DO.search(message), f"says nothing to do: {message!r}"


def assert_rgb(pixels: np.ndarray) -> None:
    assert isinstance(pixels, np.ndarray) and pixels.dtype == np.uint8
    assert pixels.ndim == 3 and pixels.shape[2] == 3 and pixels.shape[0] >= 1 and pixels.shape[1] >= 1
    assert pixels.flags.c_contiguous and pixels.flags.writeable


def png_bytes(pixels: np.ndarray, **options: object) -> bytes:
    return encoded(Image.fromarray(pixels), "PNG", **options)


# --------------------------------------------------------------------------- the awkward corpus


def test_corpus_covers_many_kinds_of_awkward_input():
    names = [case.name for case in CORPUS]
    assert len(names) >= 25 and len(set(names)) == len(names)


@pytest.mark.parametrize("case", CORPUS, ids=[case.name for case in CORPUS])
def test_awkward_input_loads_correctly_or_fails_in_plain_words(case, tmp_path):
    path = case.build(tmp_path)
    before = fingerprint(path)
    start = time.process_time()  # processor time: the machine's load does not count
    try:
        pixels = load_image(path)
    except ImageLoadError as error:
        elapsed = time.process_time() - start
        assert case.errors, f"{case.name} should load, but: {error.kind}: {error}"
        assert error.kind in case.errors, f"{error.kind}: {error}"
        assert_plain_words(error)
        assert path.name in str(error)
    else:
        elapsed = time.process_time() - start
        assert case.shape is not None, f"{case.name} should not load"
        assert_rgb(pixels)
        assert pixels.shape[:2] == case.shape
        if case.check is not None:
            case.check(pixels)
    assert elapsed < 1.0
    assert fingerprint(path) == before, "loading changed the file"


def test_loading_opens_files_read_only(tmp_path, monkeypatch):
    path = tmp_path / "photo.png"
    path.write_bytes(png_bytes(upright_marker()))
    modes = []

    def spy(file, mode="r", *args, **kwargs):
        modes.append(mode)
        return open(file, mode, *args, **kwargs)

    monkeypatch.setattr(images, "open", spy, raising=False)
    load_image(path)
    assert modes == ["rb"]


def test_heic_orientation_is_applied_exactly_once(tmp_path):
    path = tmp_path / "IMG_0003.HEIC"
    path.write_bytes(encoded(stored_for(6), "HEIF", quality=95, exif=exif_with_orientation(6)))
    with Image.open(path) as raw:  # the file says "turn me" both in EXIF and in its irot box
        assert raw.info["original_orientation"] == 6
    assert_upright(load_image(path))


@pytest.mark.parametrize("orientation", range(1, 9))
def test_orientation_matches_pillow_exactly_across_strip_boundaries(orientation, monkeypatch):
    rng = np.random.default_rng(orientation)
    stored = rng.integers(0, 256, (23, 37, 3), dtype=np.uint8)
    data = png_bytes(stored, exif=exif_with_orientation(orientation))
    monkeypatch.setattr(images, "_STRIP_BYTES", 4 * 37 * 5)  # five rows a strip, the last one short
    expected = np.asarray(ImageOps.exif_transpose(Image.open(io.BytesIO(data))))
    assert np.array_equal(load_image(data), expected)


@given(
    arrays(np.uint8, st.tuples(st.integers(1, 30), st.integers(1, 30), st.just(3))),
    st.integers(1, 8),
    st.integers(1, 7),
)
@settings(max_examples=60, deadline=None)
def test_strip_copy_turns_any_picture_like_pillow(pixels, orientation, rows):
    image = Image.fromarray(pixels)
    width = pixels.shape[1]
    original = images._STRIP_BYTES
    try:
        images._STRIP_BYTES = 4 * width * rows
        result = images._to_array(image, orientation)
    finally:
        images._STRIP_BYTES = original
    method = TRANSPOSE.get(orientation)
    expected = np.asarray(image if method is None else image.transpose(method))
    assert np.array_equal(result, expected)


def test_srgb_tagged_picture_keeps_its_values():
    pixels = smooth_photo()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    loaded = load_image(png_bytes(pixels, icc_profile=srgb))
    assert np.abs(loaded.astype(int) - pixels).max() <= 1


@pytest.mark.parametrize(
    "mode, value, expected",
    [
        ("HSV", (0, 255, 255), RED),
        ("RGBX", (10, 20, 30, 0), (10, 20, 30)),
        ("RGBa", (100, 0, 0, 255), (100, 0, 0)),
        ("RGBa", (0, 0, 0, 0), BACKGROUND),
        ("RGBa", (64, 0, 0, 128), blend((128, 0, 0), 128)),  # premultiplied: the straight colour is 128
        ("La", (50, 255), (50, 50, 50)),
        ("YCbCr", (76, 85, 255), RED),
        ("I;16L", 65535, (255, 255, 255)),
        ("I;16B", 0, (0, 0, 0)),
        ("1", 1, (255, 255, 255)),
        ("PA", (0, 0), BACKGROUND),
    ],
)
def test_every_pillow_mode_has_a_route_to_rgb(mode, value, expected):
    image = Image.new(mode, (3, 2), value)
    rgb = images._to_srgb(image)
    assert rgb.mode == "RGB" and rgb.size == (3, 2)
    assert_colour(images._to_array(rgb), expected, 3)


def test_alpha_is_blended_not_dropped():
    pixels = np.zeros((1, 3, 4), np.uint8)
    pixels[0] = [(*RED, 255), (*RED, 128), (*GREEN, 1)]
    loaded = load_image(png_bytes(pixels))
    assert loaded[0, 0].tolist() == list(RED)
    assert np.abs(loaded[0, 1] - np.array(blend(RED, 128))).max() <= 1
    assert np.abs(loaded[0, 2] - np.array(blend(GREEN, 1))).max() <= 1


# --------------------------------------------------------------------------- size limits


def test_size_is_checked_from_the_header_before_decoding(monkeypatch):
    data = png_bytes(np.zeros((200, 300, 3), np.uint8))

    def must_not_decode(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", must_not_decode)
    with pytest.raises(ImageLoadError) as caught:
        load_image(data, max_pixels=10_000)
    assert caught.value.kind == "too_large"
    assert "300 x 200 pixels" in str(caught.value) and "smaller copy" in str(caught.value)
    assert "more than the 10,000 pixels" in str(caught.value)
    assert_plain_words(caught.value)


def test_pillow_warning_is_silenced_and_its_limit_left_alone(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # Pillow warns above 1000, refuses above 2000
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_image(png_bytes(np.zeros((40, 40, 3), np.uint8))).shape == (40, 40, 3)
    with pytest.raises(ImageLoadError) as caught:
        load_image(png_bytes(np.zeros((50, 50, 3), np.uint8)))
    assert caught.value.kind == "too_large" and "more than the 2,000 pixels" in str(caught.value)
    assert Image.MAX_IMAGE_PIXELS == 1000


def test_module_changes_no_pillow_globals():
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    assert MAX_PIXELS == 100_000_000
    assert BACKGROUND[0] == BACKGROUND[1] == BACKGROUND[2]


def test_max_pixels_must_be_positive():
    with pytest.raises(ValueError):
        load_image(b"x", max_pixels=0)


# --------------------------------------------------------------------------- sources


def _upload_entry(data: bytes, name: str = "me.png") -> dict[str, object]:
    return {
        "name": name,
        "type": "image/png",
        "size": len(data),
        "content": memoryview(data),
        "last_modified": datetime.datetime(2024, 5, 1, tzinfo=datetime.timezone.utc),
    }


def _upload_widget(data: bytes, name: str = "me.png") -> ipywidgets.FileUpload:
    widget = ipywidgets.FileUpload(accept="image/*")
    widget.value = (_upload_entry(data, name),)  # the trait can be set from Python
    return widget


class _Pipe(io.RawIOBase):
    """A stream that can be read but not rewound, like a socket or pipe."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


SOURCES = {
    "str path": lambda path, data: str(path),
    "Path": lambda path, data: path,
    "bytes": lambda path, data: data,
    "bytearray": lambda path, data: bytearray(data),
    "memoryview": lambda path, data: memoryview(data),
    "BytesIO": lambda path, data: io.BytesIO(data),
    "pipe": lambda path, data: _Pipe(data),
    "upload value": lambda path, data: _upload_widget(data).value,
    "upload widget": lambda path, data: _upload_widget(data),
    "upload entry": lambda path, data: _upload_entry(data),
}


@pytest.mark.parametrize("kind", SOURCES)
def test_every_kind_of_source_gives_the_same_pixels(kind, tmp_path):
    pixels = upright_marker()
    data = png_bytes(pixels)
    path = tmp_path / "marker.png"
    path.write_bytes(data)
    loaded = load_image(SOURCES[kind](path, data))
    assert_rgb(loaded)
    assert np.array_equal(loaded, pixels)


def test_open_file_is_read_and_left_open(tmp_path):
    path = tmp_path / "marker.png"
    path.write_bytes(png_bytes(upright_marker()))
    with open(path, "rb") as stream:
        assert np.array_equal(load_image(stream), upright_marker())
        assert not stream.closed


def test_file_object_is_read_from_where_it_stands():
    stream = io.BytesIO(b"header the caller already read" + png_bytes(upright_marker()))
    stream.seek(len(b"header the caller already read"))
    assert np.array_equal(load_image(stream), upright_marker())


def test_empty_upload_says_no_file_chosen():
    for source in (ipywidgets.FileUpload().value, ipywidgets.FileUpload(), []):
        with pytest.raises(ImageLoadError) as caught:
            load_image(source)
        assert caught.value.kind == "no_file" and "No file chosen yet" in str(caught.value)


def test_upload_errors_use_the_uploaded_file_name():
    with pytest.raises(ImageLoadError) as caught:
        load_image(_upload_widget(b"<html><body>Sign in</body></html>", name="holiday.jpg"))
    assert "'holiday.jpg'" in str(caught.value) and "web page" in str(caught.value)


def test_first_of_several_uploads_is_used():
    first, second = png_bytes(np.full((2, 2, 3), 7, np.uint8)), png_bytes(np.full((3, 3, 3), 9, np.uint8))
    assert load_image((_upload_entry(first), _upload_entry(second))).shape == (2, 2, 3)


@pytest.mark.parametrize("source", [42, 3.5, None, np.zeros((2, 2, 3), np.uint8), ("not", "uploads")])
def test_unsupported_source_is_a_type_error(source):
    with pytest.raises(TypeError):
        load_image(source)


def test_text_mode_file_is_a_type_error(tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(b"x")
    with open(path, encoding="latin-1") as stream, pytest.raises(TypeError, match="binary"):
        load_image(stream)


def test_permission_denied_is_explained(tmp_path, monkeypatch):
    path = tmp_path / "locked.jpg"
    path.write_bytes(b"x")

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(images, "open", refuse, raising=False)  # running as root, chmod can't refuse
    with pytest.raises(ImageLoadError) as caught:
        load_image(path)
    assert caught.value.kind == "permission" and "locked.jpg" in str(caught.value)
    assert_plain_words(caught.value)


@pytest.mark.parametrize(
    "source, kind",
    [("", "not_found"), ("https://example.com/portrait.jpg", "web_address"), ("no/such/folder/x.png", "not_found")],
)
def test_path_mistakes_are_explained(source, kind):
    with pytest.raises(ImageLoadError) as caught:
        load_image(source)
    assert caught.value.kind == kind
    assert_plain_words(caught.value)


_WITHOUT_HEIF = textwrap.dedent(
    """
    import sys
    sys.modules["pillow_heif"] = None  # as if it were not installed
    from portrait_lessons.images import ImageLoadError, load_image

    assert load_image(sys.argv[2]).shape == (8, 8, 3)  # everything else still loads
    try:
        load_image(sys.argv[1])
    except ImageLoadError as error:
        print(error.kind)
        print(error)
    """
)


def test_without_pillow_heif_a_heic_gets_a_clear_message(tmp_path):
    heic, png = tmp_path / "IMG_0004.HEIC", tmp_path / "fine.png"
    heic.write_bytes(encoded(Image.new("RGB", (8, 8), RED), "HEIF"))
    png.write_bytes(png_bytes(np.zeros((8, 8, 3), np.uint8)))
    run = subprocess.run(
        [sys.executable, "-c", _WITHOUT_HEIF, str(heic), str(png)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    kind, message = run.stdout.split("\n", 1)
    assert kind == "heic_unavailable"
    assert "'IMG_0004.HEIC'" in message and "pip install pillow-heif" in message


def test_cmyk_jpeg_from_photoshop_style_adobe_marker_loads_in_colour():
    data = encoded(Image.new("CMYK", (16, 16), (0, 255, 255, 0)), "JPEG", quality=95)
    assert data[2:4] == b"\xff\xee" and b"Adobe" in data[:32]  # APP14 "Adobe": the inverted-CMYK convention
    assert Image.open(io.BytesIO(data)).tile[0].args[0] == "CMYK;I"
    assert_colour(load_image(data), RED, 6)


# --------------------------------------------------------------------------- arbitrary bytes

_SEEDS = [
    encoded(Image.fromarray(smooth_photo(16, 12)), fmt, **options)
    for fmt, options in [
        ("PNG", {}),
        ("JPEG", {}),
        ("GIF", {}),
        ("WEBP", {}),
        ("TIFF", {}),
        ("BMP", {}),
        ("TIFF", {"compression": "tiff_lzw"}),
        ("TIFF", {"compression": "jpeg"}),
        ("HEIF", {}),
        ("AVIF", {}),
    ]
] + [iptc_holding(EPS), ico_holding_png(16, 16), icns_holding_png(16, 16), psd_16_bit(), plain_tiff(4, 3, 64, 3)]

# Every kind load_image may give (its docstring's list).
KINDS = {
    "empty", "truncated", "damaged", "not_image", "too_large", "not_found", "is_directory", "not_a_file", "permission",
    "no_file", "unsupported", "too_much_metadata", "bytes_path", "heic_unavailable", "web_address", "out_of_memory",
    "unreadable",
}  # fmt: skip


@st.composite
def damaged_pictures(draw) -> bytes:
    """A real small picture with random bytes changed, then perhaps cut short."""
    data = bytearray(draw(st.sampled_from(_SEEDS)))
    for _ in range(draw(st.integers(0, 6))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):  # a size or offset field set to an extreme, as the fuzz found most telling
        at = draw(st.integers(0, len(data) - 4))
        extreme = draw(st.sampled_from([0, 65535, 2**31 - 1, 2**32 - 1]))
        data[at : at + 4] = struct.pack(draw(st.sampled_from(["<I", ">I"])), extreme)
    return bytes(data[: draw(st.integers(1, len(data)))])


def _png_with(offset: int, replacement: bytes) -> bytes:
    data = bytearray(_SEEDS[0])
    data[offset : offset + len(replacement)] = replacement
    return bytes(data)


# Inputs on which Pillow raises something other than OSError (found by fuzzing).
ODD_FAILURES = {
    "ppm header cut short (ValueError)": b"P6\n",
    "xbm with a bad number (ValueError)": b"#define im",
    "png IHDR length too short (ValueError)": _png_with(8, b"\x00\x00\x00\x05"),
    "png chunk type garbled (SyntaxError)": _png_with(37, b"\xdcdf\x89"),
    "heic cut short (ValueError)": encoded(Image.fromarray(smooth_photo()), "HEIF")[:300],
}


@pytest.mark.parametrize("data", ODD_FAILURES.values(), ids=ODD_FAILURES.keys())
def test_odd_pillow_failures_become_image_load_errors(data):
    with pytest.raises(ImageLoadError) as caught:
        load_image(data)
    assert_plain_words(caught.value)


# Cases a fuzz run kept (tools/fuzz_images.py --keep): the first damaged picture of each seed
# format that gave each outcome. The outcome must stay what it was; the message plain.
FUZZ_CASES = sorted((Path(__file__).parent / "fuzz_cases").glob("*--*--*.bin"))


def test_the_fuzz_cases_cover_every_accepted_format_and_outcome():
    seeds = {path.name.split("--")[0] for path in FUZZ_CASES}
    outcomes = {path.name.split("--")[1] for path in FUZZ_CASES}
    assert {"jpeg", "mpo", "png", "webp-lossy", "webp-alpha", "gif", "tiff", "bmp", "heic", "avif"} <= seeds
    assert {"loaded", "damaged", "truncated", "not_image", "too_large", "unsupported"} <= outcomes
    assert not list(FUZZ_CASES[0].parent.glob("failure-*")), "a fuzz failure waits for a fix and a test"


@pytest.mark.parametrize("path", FUZZ_CASES, ids=[path.stem for path in FUZZ_CASES])
def test_fuzz_cases_keep_their_outcome(path):
    expected = path.name.split("--")[1]
    try:
        pixels = load_image(path.read_bytes(), max_pixels=4_000_000)  # the fuzz's limit
    except ImageLoadError as error:
        assert error.kind == expected, f"{error.kind}: {error}"
        assert_plain_words(error)
    else:
        assert expected == "loaded"
        assert_rgb(pixels)


@given(st.one_of(st.binary(max_size=2048), damaged_pictures()))
@settings(max_examples=200, deadline=None)
def test_any_bytes_give_a_picture_or_an_image_load_error(data):
    try:
        pixels = load_image(data, max_pixels=1_000_000)
    except ImageLoadError as error:
        assert error.kind in KINDS and str(error)
    else:
        assert_rgb(pixels)


# --------------------------------------------------------------------------- saving


@given(small_images)
@settings(max_examples=50, deadline=None)
def test_png_round_trip_is_exact(pixels):
    with tempfile.TemporaryDirectory() as folder:
        written = save_image(pixels, Path(folder) / "edit.png")
        assert np.array_equal(load_image(written), pixels)


@pytest.mark.parametrize("suffix, tolerance", [(".jpg", 2.0), (".jpeg", 2.0), (".webp", 3.0)])
def test_lossy_round_trip_is_close(tmp_path, suffix, tolerance):
    pixels = smooth_photo(96, 64)
    written = save_image(pixels, tmp_path / f"edit{suffix}")
    assert written.suffix == suffix
    assert np.abs(load_image(written).astype(int) - pixels).mean() < tolerance


def test_saving_never_overwrites(tmp_path):
    existing = tmp_path / "portrait.jpg"
    existing.write_bytes(b"the learner's original")
    before = fingerprint(existing)
    pixels = smooth_photo()
    written = [save_image(pixels, existing) for _ in range(3)]
    assert [path.name for path in written] == ["portrait-1.jpg", "portrait-2.jpg", "portrait-3.jpg"]
    assert fingerprint(existing) == before
    assert sorted(os.listdir(tmp_path)) == ["portrait-1.jpg", "portrait-2.jpg", "portrait-3.jpg", "portrait.jpg"]


def test_first_save_takes_the_name_asked_for(tmp_path):
    assert save_image(smooth_photo(), tmp_path / "new.png") == tmp_path / "new.png"
    assert save_image(smooth_photo(), str(tmp_path / "other.PNG")) == tmp_path / "other.PNG"


def test_a_name_taken_at_the_last_moment_is_skipped(tmp_path, monkeypatch):
    target = tmp_path / "race.png"
    real_link = os.link

    def link_after_someone_else(source, destination):
        if Path(destination) == target and not target.exists():
            target.write_bytes(b"another program got here first")
        real_link(source, destination)

    monkeypatch.setattr(images.os, "link", link_after_someone_else)
    assert save_image(smooth_photo(), target).name == "race-1.png"
    assert target.read_bytes() == b"another program got here first"
    assert sorted(os.listdir(tmp_path)) == ["race-1.png", "race.png"]


def test_failed_encoding_leaves_nothing_behind(tmp_path, monkeypatch):
    (tmp_path / "keep.txt").write_text("untouched")

    def broken_save(self, fp, *args, **kwargs):
        fp.write(b"half a picture")
        raise OSError("disk full")

    monkeypatch.setattr(Image.Image, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        save_image(smooth_photo(), tmp_path / "edit.jpg")
    assert os.listdir(tmp_path) == ["keep.txt"]


def test_failed_link_leaves_nothing_behind(tmp_path, monkeypatch):
    def refuse(source, destination):
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(images.os, "link", refuse)
    with pytest.raises(OSError):
        save_image(smooth_photo(), tmp_path / "edit.png")
    assert os.listdir(tmp_path) == []


def test_filesystem_without_hard_links_still_saves_safely(tmp_path, monkeypatch):
    def unsupported(source, destination):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(images.os, "link", unsupported)
    (tmp_path / "edit.png").write_bytes(b"original")
    written = save_image(smooth_photo(), tmp_path / "edit.png")
    assert written.name == "edit-1.png" and (tmp_path / "edit.png").read_bytes() == b"original"
    assert np.array_equal(load_image(written), smooth_photo())
    assert sorted(os.listdir(tmp_path)) == ["edit-1.png", "edit.png"]


def test_saved_file_gets_ordinary_permissions(tmp_path):
    ordinary = tmp_path / "ordinary.txt"
    ordinary.write_text("x")
    written = save_image(smooth_photo(), tmp_path / "edit.png")
    assert written.stat().st_mode & 0o777 == ordinary.stat().st_mode & 0o777


@pytest.mark.parametrize("name", ["edit.gif", "edit.tiff", "edit", "edit.jpg.txt"])
def test_unsupported_suffix_lists_the_choices(tmp_path, name):
    with pytest.raises(ValueError, match=r"\.jpg, \.jpeg, \.png or \.webp"):
        save_image(smooth_photo(), tmp_path / name)
    assert os.listdir(tmp_path) == []


def test_missing_folder_is_not_created(tmp_path):
    with pytest.raises(SaveError, match="doesn't exist") as caught:
        save_image(smooth_photo(), tmp_path / "exports" / "edit.png")
    assert caught.value.errno == errno.ENOENT and "edit.png" in str(caught.value)
    assert not (tmp_path / "exports").exists()


def test_folder_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "exports").write_text("a file")
    with pytest.raises(SaveError, match="is a file, not a folder"):
        save_image(smooth_photo(), tmp_path / "exports" / "edit.png")


@pytest.mark.parametrize("quality", [0, 101, 50.5, True])
def test_quality_out_of_range_is_refused(tmp_path, quality):
    with pytest.raises(ValueError, match="quality"):
        save_image(smooth_photo(), tmp_path / "edit.jpg", quality=quality)
    with pytest.raises(ValueError, match="quality"):
        to_jpeg(smooth_photo(), quality=quality)


def test_views_and_non_contiguous_arrays_are_fine(tmp_path):
    pixels = smooth_photo()
    mirrored = pixels[:, ::-1]
    assert np.array_equal(load_image(save_image(mirrored, tmp_path / "m.png")), mirrored)
    assert preview(mirrored, 16).shape == (12, 16, 3)
    assert to_jpeg(mirrored)[:2] == b"\xff\xd8"


BAD_ARRAYS = {
    "float": np.zeros((4, 4, 3), np.float64),
    "grey 2-D": np.zeros((4, 4), np.uint8),
    "RGBA": np.zeros((4, 4, 4), np.uint8),
    "no pixels": np.zeros((0, 4, 3), np.uint8),
    "16-bit": np.zeros((4, 4, 3), np.uint16),
}


@pytest.mark.parametrize("bad", BAD_ARRAYS.values(), ids=BAD_ARRAYS.keys())
def test_wrong_arrays_are_refused_clearly(tmp_path, bad):
    for call in (lambda: save_image(bad, tmp_path / "x.png"), lambda: preview(bad), lambda: to_jpeg(bad)):
        with pytest.raises(ValueError, match=r"uint8 array of shape \(height, width, 3\)"):
            call()
    with pytest.raises(TypeError):
        to_jpeg(bad.tolist())
    assert os.listdir(tmp_path) == []


# --------------------------------------------------------------------------- preview and JPEG


@given(small_images, st.integers(1, 50))
@settings(max_examples=100, deadline=None)
def test_preview_never_upscales_and_keeps_the_aspect(pixels, max_edge):
    original = pixels.copy()
    result = preview(pixels, max_edge)
    height, width = pixels.shape[:2]
    new_height, new_width = result.shape[:2]
    assert_rgb(result)
    assert result is not pixels and np.array_equal(pixels, original)
    assert max(new_height, new_width) == min(max_edge, max(height, width))
    assert new_height <= height and new_width <= width
    assert abs(new_height * width - new_width * height) <= max(height, width)  # within one pixel
    if max(height, width) <= max_edge:
        assert np.array_equal(result, pixels)


def test_preview_is_close_to_a_full_lanczos_resize_and_strip_independent(monkeypatch):
    rng = np.random.default_rng(3)
    photo = np.clip(np.repeat(np.repeat(smooth_photo(200, 150), 3, 0), 3, 1) + rng.normal(0, 6, (450, 600, 3)), 0, 255)
    photo = photo.astype(np.uint8)
    result = preview(photo, 100)
    assert result.shape == (75, 100, 3)
    reference = np.asarray(Image.fromarray(photo).resize((100, 75), Image.Resampling.LANCZOS))
    assert np.abs(result.astype(int) - reference).mean() < 1.0
    monkeypatch.setattr(images, "_STRIP_BYTES", 4 * 600 * 7)  # strips of a few rows
    assert np.array_equal(preview(photo, 100), result)


def test_preview_of_a_24_megapixel_photo_keeps_its_shape_and_tones():
    # Its speed is measured in benchmarks/bench_preview.py, not here: a timed test fails on a busy machine.
    photo = np.empty((4000, 6000, 3), np.uint8)
    photo[...] = np.linspace(0, 255, 6000, dtype=np.uint8)[None, :, None]
    small = preview(photo, 1024)
    assert small.shape == (683, 1024, 3)
    assert abs(int(small[:, 0].mean()) - 0) <= 3 and abs(int(small[:, -1].mean()) - 255) <= 3


def test_preview_rejects_a_silly_edge():
    with pytest.raises(ValueError, match="max_edge"):
        preview(smooth_photo(), 0)


@given(small_images, st.integers(1, 100))
@settings(max_examples=60, deadline=None)
def test_to_jpeg_gives_a_jpeg_of_the_same_shape(pixels, quality):
    data = to_jpeg(pixels, quality)
    assert data[:2] == b"\xff\xd8" and data[-2:] == b"\xff\xd9"
    assert np.asarray(Image.open(io.BytesIO(data))).shape == pixels.shape


def test_to_jpeg_quality_is_used():
    photo = np.clip(smooth_photo(128, 96) + np.random.default_rng(0).normal(0, 10, (96, 128, 3)), 0, 255)
    photo = photo.astype(np.uint8)
    assert len(to_jpeg(photo, 30)) < len(to_jpeg(photo, 85)) < len(to_jpeg(photo, 98))
    smooth = smooth_photo(128, 96)
    decoded = np.asarray(Image.open(io.BytesIO(to_jpeg(smooth, 95))))
    assert np.abs(decoded.astype(int) - smooth).mean() < 2


# --------------------------------------------------------------------------- memory

_MEASURE = textwrap.dedent(
    """
    import io, json, sys
    from PIL import Image
    from portrait_lessons.images import load_image

    def kib(field):
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))

    for fmt in ("JPEG", "WEBP"):  # a WebP imports OpenCV: once per process, not per picture
        warm_up = io.BytesIO()
        Image.new("RGB", (16, 16)).save(warm_up, fmt)
        load_image(warm_up.getvalue())
    # ru_maxrss would start at the test runner's own size (it carries over fork and exec):
    # reset this process's peak to what it holds now, then read the peak after loading.
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    before = kib("VmRSS")
    pixels = load_image(sys.argv[1])
    after = kib("VmHWM")
    print(json.dumps({"shape": pixels.shape, "extra": (after - before) * 1024, "decoded": pixels.nbytes}))
    """
)


@pytest.mark.skipif(sys.platform != "linux", reason="reads the peak from /proc/self/status")
@pytest.mark.parametrize("orientation", [1, 6])
def test_loading_a_24_megapixel_jpeg_peaks_under_4x_its_decoded_size(tmp_path, orientation):
    height, width = 4000, 6000
    rng = np.random.default_rng(0)
    photo = np.empty((height, width, 3), np.uint8)
    ramp_x = np.linspace(30, 220, width, dtype=np.float32)
    for top in range(0, height, 500):  # a smooth gradient plus noise, built in bands
        rows = slice(top, top + 500)
        ramp_y = np.linspace(20, 200, height, dtype=np.float32)[rows, None]
        noise = rng.normal(0, 6, (500, width)).astype(np.float32)
        photo[rows, :, 0] = np.clip(ramp_x + noise, 0, 255)
        photo[rows, :, 1] = np.clip(ramp_y + noise, 0, 255)
        photo[rows, :, 2] = np.clip((ramp_x + ramp_y) / 2 - noise, 0, 255)
    path = tmp_path / "phone.jpg"
    Image.fromarray(photo).save(path, "JPEG", quality=90, exif=exif_with_orientation(orientation))
    del photo

    run = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    expected_shape = [height, width, 3] if orientation == 1 else [width, height, 3]
    assert result["shape"] == expected_shape
    assert result["extra"] < 4 * result["decoded"], f"peak {result['extra'] / result['decoded']:.2f}x decoded size"


def _gradient(width: int, height: int) -> np.ndarray:
    """A smooth 0-1 ramp, quick to write in any format."""
    return np.add.outer(np.linspace(0, 0.5, height, dtype=np.float32), np.linspace(0, 0.5, width, dtype=np.float32))


# One big picture in each way of storing pixels whose route to RGB differs (12 megapixels).
BIG_PICTURES = {
    "tiff-float": lambda w, h: encoded(Image.fromarray(_gradient(w, h)), "TIFF"),
    "tiff-16-bit": lambda w, h: encoded(Image.fromarray((_gradient(w, h) * 65535).astype(np.uint16)), "TIFF"),
    "tiff-32-bit-int": lambda w, h: encoded(Image.fromarray((_gradient(w, h) * 1e6).astype(np.int32)), "TIFF"),
    "png-rgba": lambda w, h: encoded(
        Image.fromarray((np.dstack([_gradient(w, h)] * 4) * 255).astype(np.uint8)), "PNG", compress_level=1
    ),
    "png-palette-transparent": lambda w, h: encoded(
        Image.fromarray((_gradient(w, h) * 255).astype(np.uint8)).convert("P"), "PNG", transparency=0, compress_level=1
    ),
    "tiff-cmyk": lambda w, h: encoded(
        Image.fromarray((np.dstack([_gradient(w, h)] * 4) * 255).astype(np.uint8), "CMYK"), "TIFF"
    ),
    # Pillow's own WebP decoder peaks at 5.4x (two RGBA canvases and a copy): decoded another way.
    "webp-lossy": lambda w, h: encoded(
        Image.fromarray((np.dstack([_gradient(w, h)] * 3) * 255).astype(np.uint8)), "WEBP"
    ),
    "webp-transparent": lambda w, h: encoded(
        Image.fromarray((np.dstack([_gradient(w, h)] * 4) * 255).astype(np.uint8)), "WEBP"
    ),
    "webp-lossless": lambda w, h: encoded(
        Image.fromarray((np.dstack([_gradient(w, h)] * 3) * 255).astype(np.uint8)), "WEBP", lossless=True, method=0
    ),
}


@pytest.mark.skipif(sys.platform != "linux", reason="reads the peak from /proc/self/status")
@pytest.mark.parametrize("kind", BIG_PICTURES)
def test_every_route_to_rgb_peaks_under_4x_the_decoded_size(tmp_path, kind):
    height, width = 3000, 4000
    path = tmp_path / f"big-{kind}"
    path.write_bytes(BIG_PICTURES[kind](width, height))
    run = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["shape"] == [height, width, 3]
    assert result["extra"] < 4 * result["decoded"], f"peak {result['extra'] / result['decoded']:.2f}x decoded size"


def test_corpus_checks_can_fail():
    # The corpus's content checks are only worth something if a wrong picture fails them.
    with pytest.raises(AssertionError):
        assert_colour(np.full((2, 2, 3), BLUE, np.uint8), RED)
    with pytest.raises(AssertionError):
        assert_upright(np.asarray(stored_for(3)))


# --------------------------------------------------------------------------- hostile input (issue 12)

# Every program Pillow knows how to run (grep subprocess in PIL: EPS, JPEG's djpeg,
# GIF's netpbm savers, ImageShow's viewers, ImageGrab's clipboard and screen tools).
HELPER_PROGRAMS = (
    "gs", "gswin32c", "gswin64c", "djpeg", "cjpeg", "ppmquant", "ppmtogif", "display", "eog", "xdg-open",
    "xv", "gm", "open", "osascript", "screencapture", "xclip", "wl-paste", "gnome-screenshot", "spectacle", "grim",
)  # fmt: skip

_HOSTILE = {
    "eps": EPS,
    "eps-in-iptc": iptc_holding(EPS),
    "eps-in-iptc-raw": iptc_holding(EPS)[:-len(EPS)] + EPS.replace(b"%!PS", b"%!PS "),
    "png-in-iptc": iptc_holding(png_bytes(np.zeros((8, 8, 3), np.uint8))),
    "ico-holding-png": ico_holding_png(64, 64),
    "icns-holding-png": icns_holding_png(64, 64),
    "jpeg-with-iptc-eps-in-app13": b"\xff\xd8\xff\xed" + struct.pack(">H", 2 + 14 + len(iptc_holding(EPS)))
    + b"Photoshop 3.0\0" + iptc_holding(EPS) + encoded(Image.new("RGB", (4, 4)), "JPEG")[2:],
    "tiff-with-iptc-eps": encoded(Image.new("RGB", (4, 4)), "TIFF", tiffinfo={33723: iptc_holding(EPS)}),
}


def _mpo_with_eps_as_second_frame() -> bytes:
    """A camera's two-frame MPO whose second frame was overwritten with an EPS (same length)."""
    photo = Image.fromarray(smooth_photo(32, 24))
    data = encoded(photo, "MPO", save_all=True, append_images=[photo])
    second = data.rindex(b"\xff\xd8\xff")
    assert second > 0
    return data[:second] + (EPS * (len(data) // len(EPS) + 1))[: len(data) - second]


_EPS_ZTXT = png_chunk(b"zTXt", b"postscript\0\0" + zlib.compress(EPS))
_EPS_ANYWHERE = {"exif": b"Exif\0\0" + EPS, "icc_profile": EPS}
_SMALL = Image.fromarray(smooth_photo(24, 16))
_FRAMES = [_SMALL.convert("P"), _SMALL.transpose(Image.Transpose.FLIP_LEFT_RIGHT).convert("P")]

# Every accepted format, plain and with EPS (what reaches Ghostscript) hidden wherever the
# format keeps other data: frames, pages, metadata chunks, profiles. All must load.
_ACCEPTED = {
    "jpeg": encoded(_SMALL, "JPEG"),
    "jpeg-with-eps-as-exif-and-profile": encoded(_SMALL, "JPEG", **_EPS_ANYWHERE),
    "mpo": encoded(_SMALL, "MPO", save_all=True, append_images=[_SMALL]),
    "mpo-with-eps-as-second-frame": _mpo_with_eps_as_second_frame(),
    "png": encoded(_SMALL, "PNG"),
    "png-with-eps-in-ztxt": (lambda png: png[:33] + _EPS_ZTXT + png[33:])(encoded(_SMALL, "PNG")),
    "png-with-eps-as-exif-and-profile": encoded(_SMALL, "PNG", **_EPS_ANYWHERE),
    "webp": encoded(_SMALL, "WEBP"),
    "webp-animated": encoded(
        _FRAMES[0].convert("RGB"), "WEBP", save_all=True, append_images=[_FRAMES[1].convert("RGB")]
    ),
    "webp-with-eps-as-exif-and-profile": encoded(_SMALL, "WEBP", **_EPS_ANYWHERE),
    "gif": encoded(_FRAMES[0], "GIF"),
    "gif-animated-with-eps-comment": encoded(_FRAMES[0], "GIF", save_all=True, append_images=_FRAMES[1:], comment=EPS),
    "tiff-lzw": encoded(_SMALL, "TIFF", compression="tiff_lzw"),
    "tiff-jpeg": encoded(_SMALL, "TIFF", compression="jpeg"),
    "tiff-two-pages-with-eps-in-xmp": encoded(
        _SMALL, "TIFF", save_all=True, append_images=[_SMALL], tiffinfo={700: EPS}
    ),
    "bmp": encoded(_SMALL, "BMP"),
    "heic": encoded(_SMALL, "HEIF"),
    "heic-with-eps-as-xmp": encoded(_SMALL, "HEIF", xmp=EPS),
    "heic-grid": encoded(Image.fromarray(smooth_photo(700, 600)), "HEIF", tile_size=512),
    "avif": encoded(_SMALL, "AVIF"),
    "avif-with-eps-as-xmp": encoded(_SMALL, "AVIF", xmp=EPS),
}

_RUN_ALL = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from portrait_lessons.images import ImageLoadError, load_image

    for path in sorted(Path(sys.argv[1]).iterdir()):
        try:
            load_image(path)
            print(path.name, "loaded")
        except ImageLoadError as error:
            print(path.name, error.kind)
    """
)

_PLAIN_PILLOW = textwrap.dedent(
    """
    import sys
    from PIL import Image
    try:
        with Image.open(sys.argv[1]) as image:  # every plugin allowed, as Pillow does by default
            image.load()
    except Exception:
        pass
    """
)


def _fake_programs(folder: Path) -> tuple[dict[str, str], Path]:
    """A folder of fake helper programs that leave a mark when run, put first on PATH."""
    bin_folder, marks = folder / "bin", folder / "marks"
    bin_folder.mkdir()
    marks.mkdir()
    for program in HELPER_PROGRAMS:
        fake = bin_folder / program
        fake.write_text(f"#!/bin/sh\necho \"$@\" > '{marks}/{program}'\nexit 0\n")
        fake.chmod(0o755)
    environment = dict(os.environ, PATH=f"{bin_folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return environment, marks


@pytest.mark.skipif(sys.platform == "win32", reason="shell-script fakes")
def test_no_input_runs_another_program(tmp_path):
    environment, marks = _fake_programs(tmp_path)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name, data in {**_HOSTILE, **_ACCEPTED}.items():
        (inputs / name).write_bytes(data)
    # The fakes work: plain Pillow, every plugin allowed, runs "gs" for an EPS hidden in IPTC.
    subprocess.run([sys.executable, "-c", _PLAIN_PILLOW, str(inputs / "eps-in-iptc")], env=environment, timeout=60)
    assert (marks / "gs").exists(), "the fake Ghostscript was not reached: the test proves nothing"
    (marks / "gs").unlink()

    run = subprocess.run(
        [sys.executable, "-c", _RUN_ALL, str(inputs)], env=environment, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    outcomes = dict(line.split() for line in run.stdout.splitlines())
    assert set(outcomes) == {*_HOSTILE, *_ACCEPTED}
    assert list(marks.iterdir()) == [], f"programs ran: {os.listdir(marks)}"
    refused = {name for name, kind in outcomes.items() if kind != "loaded"}
    assert refused == {"eps", "eps-in-iptc", "eps-in-iptc-raw", "png-in-iptc", "ico-holding-png", "icns-holding-png"}


def test_only_the_listed_formats_are_tried(monkeypatch):
    seen = []
    real_open = Image.open

    def spy(fp, mode="r", formats=None):
        seen.append(formats)
        return real_open(fp, mode, formats)

    monkeypatch.setattr(Image, "open", spy)
    load_image(png_bytes(np.zeros((2, 2, 3), np.uint8)))
    with pytest.raises(ImageLoadError):
        load_image(EPS)
    assert seen and all(formats is not None and set(formats) <= set(FORMATS) for formats in seen)
    assert {"JPEG", "PNG", "WEBP", "GIF", "TIFF", "BMP", "HEIF", "AVIF"} <= set(images._formats())


@pytest.mark.parametrize("data", [ico_holding_png(3000, 3000), icns_holding_png(3000, 3000), iptc_holding(
    png_bytes(np.zeros((300, 300, 3), np.uint8)), 2, 2)], ids=["ico", "icns", "iptc"])  # fmt: skip
def test_containers_holding_a_big_picture_are_refused_before_decoding(data, monkeypatch):
    def must_not_decode(self):
        raise AssertionError("the embedded picture was decoded")

    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", must_not_decode)
    with pytest.raises(ImageLoadError) as caught:
        load_image(data)
    assert caught.value.kind == "unsupported" and "8-bit JPEG or PNG" in str(caught.value)
    assert_plain_words(caught.value)


def test_webp_has_a_lower_size_limit_of_its_own(monkeypatch):
    def must_not_decode(*args, **kwargs):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(images, "_FORMAT_MAX_PIXELS", {"WEBP": (1000, "a WebP picture")})
    monkeypatch.setattr(WebPImagePlugin.WebPImageFile, "load", must_not_decode)
    monkeypatch.setattr(cv2, "imdecode", must_not_decode)
    with pytest.raises(ImageLoadError) as caught:
        load_image(encoded(Image.new("RGB", (40, 30)), "WEBP"))
    assert caught.value.kind == "too_large" and "1,000 pixels the workbook opens for a WebP" in str(caught.value)
    assert "save it as JPEG" in str(caught.value)
    with pytest.raises(AssertionError, match="decoded"):  # a smaller one passes the check and is decoded
        load_image(encoded(Image.new("RGB", (30, 30)), "WEBP"))
    with pytest.raises(ImageLoadError, match="more than the 1,000 pixels the workbook opens at once"):
        load_image(encoded(Image.new("RGB", (40, 30)), "PNG"), max_pixels=1000)  # a PNG: the ordinary message


@pytest.mark.parametrize("fmt, what", [("HEIF", "a HEIC photo"), ("AVIF", "an AVIF picture")])
def test_heic_and_avif_have_lower_size_limits_of_their_own(fmt, what, monkeypatch):
    big, small = encoded(Image.new("RGB", (40, 30)), fmt), encoded(Image.new("RGB", (30, 30)), fmt)
    plugin = type(Image.open(io.BytesIO(big)))

    def must_not_decode(self):
        raise AssertionError("pixels were decoded")

    assert images._FORMAT_MAX_PIXELS[fmt][0] < MAX_PIXELS
    monkeypatch.setitem(images._FORMAT_MAX_PIXELS, fmt, (1000, what))
    monkeypatch.setattr(plugin, "load", must_not_decode)
    with pytest.raises(ImageLoadError) as caught:
        load_image(big)
    assert caught.value.kind == "too_large" and f"1,000 pixels the workbook opens for {what}" in str(caught.value)
    assert_plain_words(caught.value)
    with pytest.raises(AssertionError, match="decoded"):
        load_image(small)


def test_pictures_with_transparency_have_a_lower_size_limit(monkeypatch):
    limit, what = images._FORMAT_MAX_PIXELS["alpha"]
    assert limit < MAX_PIXELS
    monkeypatch.setitem(images._FORMAT_MAX_PIXELS, "alpha", (1000, what))
    for mode in ("RGBA", "LA"):
        with pytest.raises(ImageLoadError) as caught:
            load_image(encoded(Image.new(mode, (40, 30)), "PNG"))
        assert caught.value.kind == "too_large" and "for a picture with transparency" in str(caught.value)
        assert_plain_words(caught.value)
    assert load_image(encoded(Image.new("RGB", (40, 30)), "PNG")).shape == (30, 40, 3)  # opaque: the usual limit


_ACCEPTED["bmp-rle8"] = rle8_bmp(24, 16)  # decoded by Pillow's own Python code


def test_rle_bmp_decoded_in_python_has_a_lower_size_limit(monkeypatch):
    small = rle8_bmp(300, 200)
    assert Image.open(io.BytesIO(small)).tile[0].codec_name == "bmp_rle"
    assert load_image(small).shape == (200, 300, 3)

    def must_not_decode(self, buffer):
        raise AssertionError("the RLE decoder ran")

    monkeypatch.setattr(BmpImagePlugin.BmpRleDecoder, "decode", must_not_decode)
    with pytest.raises(ImageLoadError) as caught:
        load_image(rle8_bmp(2500, 1700))  # 4.25 megapixels: refused from the header
    assert caught.value.kind == "too_large" and "compressed (RLE) BMP" in str(caught.value)
    assert_plain_words(caught.value)


def _webp_cases() -> dict[str, tuple[bytes, Image.Image]]:
    """WebPs as they come (lossy, lossless, with transparency, animated, with an ICC profile and an
    EXIF orientation) and the picture Pillow's own decoder makes of each."""
    photo = Image.fromarray(smooth_photo(40, 30))
    faded = photo.copy()
    faded.putalpha(Image.linear_gradient("L").resize((40, 30)))
    frames = [faded, Image.new("RGBA", (40, 30), (0, 255, 0, 255))]
    cases = {
        "lossy": encoded(photo, "WEBP", quality=90),
        "lossless": encoded(photo, "WEBP", lossless=True),
        "transparent": encoded(faded, "WEBP", lossless=True),
        "animated": encoded(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True),
        "wide-gamut": encoded(photo, "WEBP", lossless=True, icc_profile=matrix_profile()),
        "turned": encoded(photo, "WEBP", lossless=True, exif=exif_with_orientation(6)),
    }
    return {name: (data, Image.open(io.BytesIO(data))) for name, data in cases.items()}


@pytest.mark.parametrize("name", ["lossy", "lossless", "transparent", "animated", "wide-gamut", "turned"])
def test_webp_decoded_without_pillows_decoder_gives_pillows_picture(name, monkeypatch):
    data, reference = _webp_cases()[name]
    expected = load_image(data)
    monkeypatch.setattr(images, "_decode_webp", lambda stream, image: image)  # Pillow's decoder instead
    through_pillow = load_image(data)
    assert expected.shape == through_pillow.shape
    assert np.abs(expected.astype(int) - through_pillow).max() <= 1
    if name == "turned":
        assert expected.shape == (reference.width, reference.height, 3)
    if name == "wide-gamut":  # the profile was applied: Display P3 values are not sRGB's
        plain = load_image(_webp_cases()["lossless"][0])  # the same pixels without the profile
        assert np.abs(expected.astype(int) - plain).max() > 5
    if name == "transparent":  # blended onto the grey background, not dropped
        assert np.abs(expected.astype(int) - load_image(_webp_cases()["lossless"][0])).max() > 50


@pytest.mark.parametrize("shape", [(60, 80, 3), (30, 40, 2), (30, 40)], ids=["bigger", "two-bands", "flat"])
def test_webp_decoder_output_is_checked_against_the_header(shape, monkeypatch):
    monkeypatch.setattr(cv2, "imdecode", lambda data, flags: np.zeros(shape, np.uint8))
    with pytest.raises(ImageLoadError) as caught:
        load_image(_webp_cases()["lossy"][0])
    assert caught.value.kind == "damaged"
    assert_plain_words(caught.value)


def test_without_opencv_webp_falls_back_to_pillows_decoder(monkeypatch):
    data, _ = _webp_cases()["transparent"]
    expected = load_image(data)
    monkeypatch.setitem(sys.modules, "cv2", None)  # import cv2 now raises ImportError
    assert np.array_equal(load_image(data), expected)


def test_webp_is_decoded_by_libwebps_plain_decoder_not_pillows(monkeypatch):
    def must_not_decode(self):
        raise AssertionError("Pillow's WebP decoder ran")

    monkeypatch.setattr(WebPImagePlugin.WebPImageFile, "load", must_not_decode)
    assert load_image(_webp_cases()["lossy"][0]).shape == (30, 40, 3)


@pytest.mark.parametrize("keep", [40, 0.5, 0.9])
def test_a_cut_webp_is_called_damaged(keep):
    data = encoded(Image.fromarray(smooth_photo(64, 48)), "WEBP", quality=90)
    with pytest.raises(ImageLoadError) as caught:
        load_image(data[: keep if isinstance(keep, int) else int(len(data) * keep)])
    assert caught.value.kind == "damaged"
    assert_plain_words(caught.value)


def test_the_size_is_checked_again_on_what_was_decoded(monkeypatch):
    real_load = PngImagePlugin.PngImageFile.load

    def load_more_than_promised(self):
        result = real_load(self)
        self.im = self.im.resize((2000, 2000), 0)  # as a plugin that decodes a bigger picture would
        return result

    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", load_more_than_promised)
    with pytest.raises(ImageLoadError) as caught:
        load_image(png_bytes(np.zeros((10, 10, 3), np.uint8)), max_pixels=1_000_000)
    assert caught.value.kind == "too_large" and "2,000 x 2,000" in str(caught.value)


# Each kind of Pillow failure, raised while decoding, and the kind it must become.
PILLOW_FAILURES = {
    "DecompressionBombError": (Image.DecompressionBombError("Image size (9000000000 pixels) exceeds"), "too_large"),
    "SyntaxError": (SyntaxError("broken PNG file"), "damaged"),
    "struct.error": (struct.error("unpack requires a buffer of 4 bytes"), "damaged"),
    "EOFError": (EOFError(), "truncated"),
    "truncated OSError": (OSError("image file is truncated (3 bytes not processed)"), "truncated"),
    "ValueError": (ValueError("invalid palette size"), "damaged"),
    "text chunk ValueError": (ValueError("Too much memory used in text chunks: 7>6"), "too_much_metadata"),
    "OverflowError": (OverflowError("Python int too large to convert to C long"), "damaged"),
    "MemoryError": (MemoryError(), "out_of_memory"),
    "BufferError": (BufferError("memoryview has 1 exported buffer"), "damaged"),
    "IndexError": (IndexError("list index out of range"), "damaged"),
    "KeyError": (KeyError(7), "damaged"),
    "ZeroDivisionError": (ZeroDivisionError("division by zero"), "damaged"),
    "RecursionError": (RecursionError("maximum recursion depth exceeded"), "damaged"),
    "unknown mode": (OSError("unknown pixel mode"), "unsupported"),
}


@pytest.mark.parametrize("failure, kind", PILLOW_FAILURES.values(), ids=PILLOW_FAILURES.keys())
def test_every_pillow_failure_becomes_an_image_load_error(failure, kind, monkeypatch):
    def fail(self):
        raise failure

    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", fail)
    with pytest.raises(ImageLoadError) as caught:
        load_image(png_bytes(np.zeros((3, 4, 3), np.uint8)), max_pixels=1000)
    assert caught.value.kind == kind
    assert_plain_words(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__  # no Pillow traceback shown


# --------------------------------------------------------------------------- misleading messages (issue 12)


def test_valid_but_unsupported_pictures_say_how_to_export_them():
    for data in (psd_16_bit(), plain_tiff(4, 3, 64, 3), plain_tiff(4, 3, 32, 3, samples=3)):
        with pytest.raises(ImageLoadError) as caught:
            load_image(data)
        assert caught.value.kind == "unsupported", str(caught.value)
        assert "8-bit JPEG or PNG" in str(caught.value) and "damaged" not in str(caught.value)


def test_a_huge_text_chunk_is_called_metadata_not_damage(monkeypatch):
    monkeypatch.setattr(PngImagePlugin, "MAX_TEXT_MEMORY", 10_000)  # the same check Pillow makes at 64 MB
    data = png_bytes(np.zeros((4, 4, 3), np.uint8))
    data = data[:33] + png_chunk(b"tEXt", b"Comment\0" + b"x" * 20_000) + data[33:]
    with pytest.raises(ImageLoadError) as caught:
        load_image(data)
    assert caught.value.kind == "too_much_metadata" and "damaged" not in str(caught.value)
    with pytest.raises(ImageLoadError) as caught:
        load_image(png_with_text_bomb())
    assert caught.value.kind == "too_much_metadata"


def test_an_absurd_size_is_not_read_out_in_megapixels():
    with pytest.raises(ImageLoadError) as caught:
        load_image(plain_tiff(2**32 - 1, 2**32 - 1, 8, 1))
    message = str(caught.value)
    assert caught.value.kind == "too_large" and "megapixels" not in message
    assert "any real picture" in message and not re.search(r"\d{1,3}(,\d{3}){4,} megapixels", message)


def test_a_path_given_as_bytes_is_explained(tmp_path):
    path = tmp_path / "portrait.jpg"
    path.write_bytes(encoded(Image.new("RGB", (4, 4)), "JPEG"))
    for source in (os.fsencode(path), b"holiday.JPG", bytearray(b"folder/picture.heic")):
        with pytest.raises(ImageLoadError) as caught:
            load_image(source)
        assert caught.value.kind == "bytes_path", str(caught.value)
        assert "plain text" not in str(caught.value) and "load_image(" in str(caught.value)
    assert load_image(str(path)).shape == (4, 4, 3)


def test_a_file_object_read_to_its_end_is_not_called_empty(tmp_path):
    path = tmp_path / "marker.png"
    path.write_bytes(png_bytes(upright_marker()))
    with open(path, "rb") as stream:
        stream.read()
        with pytest.raises(ImageLoadError) as caught:
            load_image(stream)
    assert caught.value.kind == "empty" and "0 bytes" not in str(caught.value)
    assert "already read to its end" in str(caught.value) and ".seek(0)" in str(caught.value)


# --------------------------------------------------------------------------- special files and odd sources


def _load_within(source: object, seconds: float = 20) -> ImageLoadError:
    """load_image(source) in a thread; fails (instead of hanging the suite) if it blocks."""
    outcome: list[BaseException | None] = []

    def target() -> None:
        try:
            load_image(source, max_pixels=10_000)
        except BaseException as error:  # noqa: BLE001 - handed to the test
            outcome.append(error)
        else:
            outcome.append(None)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"load_image({source!r}) blocked"
    assert isinstance(outcome[0], ImageLoadError), outcome[0]
    return outcome[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX named pipes")
def test_a_named_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "upload.jpg"
    os.mkfifo(fifo)
    error = _load_within(fifo)
    assert error.kind == "not_a_file" and "named pipe" in str(error)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX named pipes")
def test_a_pipe_swapped_in_after_the_look_is_refused_without_blocking(tmp_path, monkeypatch):
    fifo = tmp_path / "upload.jpg"
    os.mkfifo(fifo)
    regular = os.stat(__file__)
    real_stat = os.stat

    def looks_regular(path, *args, **kwargs):
        return regular if str(path) == str(fifo) else real_stat(path, *args, **kwargs)

    monkeypatch.setattr(images.os, "stat", looks_regular)
    error = _load_within(fifo)  # the look says "a file"; what is opened is a pipe
    assert error.kind == "not_a_file"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_devices_are_refused_by_path_and_as_open_files(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    assert _load_within(device).kind == "not_a_file"
    with open(device, "rb") as stream:
        assert _load_within(stream).kind == "not_a_file"


class _Endless(io.RawIOBase):
    """A stream that never ends and has no file behind it (like a socket that keeps sending)."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"\0" * len(buffer)
        return len(buffer)


def test_an_endless_stream_is_read_only_so_far():
    error = _load_within(_Endless())
    assert error.kind == "too_large" and "MB" in str(error)


def test_too_many_bytes_are_refused_before_decoding(tmp_path):
    data = png_bytes(np.zeros((100, 100, 3), np.uint8)) + bytes(200_000)
    with pytest.raises(ImageLoadError) as caught:
        load_image(data, max_pixels=10)  # 10 pixels can't need 200 kB
    assert caught.value.kind == "too_large"
    path = tmp_path / "padded.png"
    path.write_bytes(data)
    with pytest.raises(ImageLoadError):
        load_image(path, max_pixels=10)
    assert load_image(path).shape == (100, 100, 3)  # trailing bytes are fine under the default


def test_non_contiguous_and_shaped_buffers_load():
    data = png_bytes(upright_marker())
    spread = np.zeros(2 * len(data), np.uint8)
    spread[::2] = np.frombuffer(data, np.uint8)
    assert np.array_equal(load_image(memoryview(spread)[::2]), upright_marker())
    padded = np.frombuffer(data + bytes(-len(data) % 4), np.uint8).reshape(-1, 4)
    assert np.array_equal(load_image(memoryview(padded)), upright_marker())
    entry = {"name": "me.png", "content": memoryview(spread)[::2]}
    assert np.array_equal(load_image(entry), upright_marker())


def test_a_nul_in_the_path_is_explained():
    with pytest.raises(ImageLoadError) as caught:
        load_image("portrait\0.jpg")
    assert caught.value.kind == "not_found" and "NUL" in str(caught.value)


def test_a_folder_you_cannot_enter_is_explained(tmp_path, monkeypatch):
    locked = tmp_path / "someone-else"
    real_stat = os.stat

    def refuse(path, *args, **kwargs):  # what stat says under a folder without execute permission
        if str(path).startswith(str(locked)):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", refuse)  # Path.is_dir uses it too, as on a real shared hub
    with pytest.raises(ImageLoadError) as caught:
        load_image(locked / "photo.jpg")
    assert caught.value.kind == "permission" and "folder on the way" in str(caught.value)
    assert_plain_words(caught.value)


# --------------------------------------------------------------------------- extreme shapes out (issue 12)


@pytest.mark.parametrize("shape", [(45_000_000, 1, 3), (1, 45_000_000, 3)], ids=["tall", "wide"])
def test_preview_of_an_extreme_strip(shape):
    strip = np.empty(shape, np.uint8)
    ramp = np.linspace(0, 255, max(shape), dtype=np.float32).astype(np.uint8)
    strip[...] = ramp.reshape(shape[:2])[..., None]
    small = preview(strip, 1024)
    assert small.shape == ((1024, 1, 3) if shape[0] > 1 else (1, 1024, 3))
    values = small[..., 0].ravel().astype(int)
    assert abs(values[0] - 0) <= 2 and abs(values[-1] - 255) <= 2 and (np.diff(values) >= -1).all()


@pytest.mark.parametrize("shape", [(70_000, 3, 3), (2, 66_000, 3), (65_500, 1, 3)])
def test_to_jpeg_takes_edges_beyond_what_jpeg_holds(shape):
    pixels = np.full(shape, 90, np.uint8)
    decoded = np.asarray(Image.open(io.BytesIO(to_jpeg(pixels))))
    assert max(decoded.shape[:2]) == min(65_500, max(shape[:2]))
    assert decoded.shape[2] == 3 and abs(int(decoded.mean()) - 90) <= 2


@given(st.integers(1, 4), st.integers(1, 400_000), st.booleans(), st.integers(1, 2000))
@settings(max_examples=25, deadline=None)
def test_preview_and_to_jpeg_work_for_any_aspect(short, long, tall, max_edge):
    long = max(long, short)
    shape = (long, short, 3) if tall else (short, long, 3)
    pixels = np.random.default_rng(long).integers(0, 256, shape, dtype=np.uint8)
    small = preview(pixels, max_edge)
    assert max(small.shape[:2]) == min(max_edge, long) and min(small.shape[:2]) >= 1
    assert to_jpeg(small)[:2] == b"\xff\xd8"


# --------------------------------------------------------------------------- saving (issue 12)


def test_a_long_name_is_shortened_before_the_counter(tmp_path):
    stem = "portrait-of-my-grandmother-" * 9  # 243 characters: with ".jpg", just under 255 bytes
    first = save_image(smooth_photo(), tmp_path / f"{stem}.jpg")
    second = save_image(smooth_photo(), tmp_path / f"{stem}.jpg")
    third = save_image(smooth_photo(), tmp_path / f"{stem}.jpg")
    assert first.name == f"{stem}.jpg"
    assert second.name.endswith("-1.jpg") and third.name.endswith("-2.jpg")
    assert all(len(os.fsencode(path.name)) <= 255 for path in (second, third))
    assert second.name[:200] == stem[:200] and len({first, second, third}) == 3
    accented = "é" * 200  # two bytes each in UTF-8
    assert len(os.fsencode(save_image(smooth_photo(), tmp_path / f"{accented}.png").name)) <= 255


def test_stale_temporary_files_are_cleaned_up(tmp_path):
    old = tmp_path / ".edit.0123456789ab.tmp"  # what a save killed part-way leaves
    fresh = tmp_path / ".edit.ba9876543210.tmp"  # a save running right now elsewhere
    mine = tmp_path / ".notes.tmp"  # someone else's file
    for path in (old, fresh, mine):
        path.write_bytes(b"half")
    day_ago = time.time() - 86_400
    os.utime(old, (day_ago, day_ago))
    os.utime(mine, (day_ago, day_ago))
    save_image(smooth_photo(), tmp_path / "edit.png")
    assert sorted(os.listdir(tmp_path)) == [".edit.ba9876543210.tmp", ".notes.tmp", "edit.png"]


@pytest.mark.parametrize(
    "code, words",
    [(errno.ENOSPC, "disk is full"), (errno.EACCES, "isn't allowed to write"), (errno.EROFS, "can only be read")],
)
def test_save_errors_name_the_target_and_say_what_to_do(tmp_path, monkeypatch, code, words):
    def refuse(source, destination):
        raise OSError(code, os.strerror(code), str(source))

    monkeypatch.setattr(images.os, "link", refuse)
    with pytest.raises(SaveError) as caught:
        save_image(smooth_photo(), tmp_path / "edit.png")
    message = str(caught.value)
    assert "edit.png" in message and words in message and ".tmp" not in message
    assert isinstance(caught.value, OSError) and caught.value.errno == code
    assert os.listdir(tmp_path) == []
