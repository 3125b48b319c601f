"""Tests for :mod:`portrait_lessons.images`, the one door for pixels in and out."""

from __future__ import annotations

import datetime
import errno
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings
from pathlib import Path

import ipywidgets
import numpy as np
import pytest
from awkward_files import (
    BLUE,
    CORPUS,
    GREEN,
    RED,
    assert_colour,
    assert_upright,
    blend,
    encoded,
    exif_with_orientation,
    smooth_photo,
    stored_for,
    upright_marker,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image, ImageCms, ImageFile, ImageOps, PngImagePlugin

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


def fingerprint(path: Path) -> tuple[object, ...] | None:
    """Content and modification time of a file (or folder); None if absent."""
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns
    if path.is_dir():
        return "folder", path.stat().st_mtime_ns, sorted(os.listdir(path))
    return None


def assert_plain_words(error: ImageLoadError) -> None:
    message = str(error)
    assert len(message) > 40, message
    for word in JARGON:
        assert word not in message, f"{word!r} in {message!r}"


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
    start = time.perf_counter()
    try:
        pixels = load_image(path)
    except ImageLoadError as error:
        elapsed = time.perf_counter() - start
        assert case.errors, f"{case.name} should load, but: {error.kind}: {error}"
        assert error.kind in case.errors, f"{error.kind}: {error}"
        assert_plain_words(error)
        assert path.name in str(error)
    else:
        elapsed = time.perf_counter() - start
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
    method = images._TRANSPOSE.get(orientation)
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
    colour, alpha = images._to_srgb(image)
    assert colour.mode in ("L", "RGB") and colour.size == (3, 2)
    rgb = images._to_array(colour, 1, alpha)
    assert rgb.shape == (2, 3, 3)
    assert_colour(rgb, expected, 3)


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
    for fmt, options in [("PNG", {}), ("JPEG", {}), ("GIF", {}), ("WEBP", {}), ("TIFF", {}), ("BMP", {})]
]


@st.composite
def damaged_pictures(draw) -> bytes:
    """A real small picture with random bytes changed, then perhaps cut short."""
    data = bytearray(draw(st.sampled_from(_SEEDS)))
    for _ in range(draw(st.integers(0, 6))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
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


@given(st.one_of(st.binary(max_size=2048), damaged_pictures()))
@settings(max_examples=100, deadline=None)
def test_any_bytes_give_a_picture_or_an_image_load_error(data):
    try:
        pixels = load_image(data, max_pixels=1_000_000)
    except ImageLoadError as error:
        assert str(error)
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


def test_preview_of_a_24_megapixel_photo_is_fast():
    photo = np.empty((4000, 6000, 3), np.uint8)
    photo[...] = np.linspace(0, 255, 6000, dtype=np.uint8)[None, :, None]
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        small = preview(photo, 1024)
        timings.append(time.perf_counter() - start)
    assert small.shape == (683, 1024, 3)
    assert min(timings) < 0.5  # about 50 ms on a laptop; generous for a busy test machine


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
    import io, json, resource, sys
    from PIL import Image
    from portrait_lessons.images import load_image

    warm_up = io.BytesIO()
    Image.new("RGB", (16, 16)).save(warm_up, "JPEG")
    load_image(warm_up.getvalue())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    pixels = load_image(sys.argv[1])
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"shape": pixels.shape, "extra": (after - before) * 1024, "decoded": pixels.nbytes}))
    """
)


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux only")
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


def test_corpus_checks_can_fail():
    # The corpus's content checks are only worth something if a wrong picture fails them.
    with pytest.raises(AssertionError):
        assert_colour(np.full((2, 2, 3), BLUE, np.uint8), RED)
    with pytest.raises(AssertionError):
        assert_upright(np.asarray(stored_for(3)))
