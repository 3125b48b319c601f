"""The one door for pixels: loading photos in, saving and encoding them out.

Every picture enters the workbook through :func:`load_image`, which turns
whatever a learner has (a path, an upload, bytes, a file object) into an RGB
``uint8`` array of shape ``(height, width, 3)``: upright (EXIF orientation
applied), in sRGB (an embedded ICC profile converted), with any transparency
blended onto :data:`BACKGROUND`. Anything it cannot read raises
:class:`ImageLoadError`, whose message says in plain words what is wrong and
what to do about it.

Pictures leave through :func:`save_image` (atomic, never overwrites),
:func:`preview` (a fast downscale for the screen) and :func:`to_jpeg` (bytes
for ``ipywidgets.Image``).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import io
import os
import re
import secrets
import struct
import warnings
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np
from PIL import Image, ImageChops, ImageCms, UnidentifiedImageError

try:  # HEIC is how iPhones save photos; Pillow needs this plugin to read it.
    import pillow_heif
except (ImportError, OSError) as _problem:  # OSError: the plugin's library failed to load
    _HEIF_PROBLEM: str | None = f"{type(_problem).__name__}: {_problem}"
else:
    pillow_heif.register_heif_opener()
    _HEIF_PROBLEM = None

__all__ = [
    "BACKGROUND",
    "MAX_PIXELS",
    "ImageLoadError",
    "load_image",
    "preview",
    "save_image",
    "to_jpeg",
]

#: Largest picture :func:`load_image` opens by default, in pixels (100 megapixels).
#: Checked from the file's header, before any pixel is decoded.
MAX_PIXELS: int = 100_000_000

#: Neutral mid grey that transparent pixels are blended onto. Neutral (R = G = B)
#: so that colour measurements are not tinted by the background.
BACKGROUND: tuple[int, int, int] = (128, 128, 128)

#: What :func:`load_image` accepts.
ImageSource = (
    str
    | os.PathLike[str]
    | bytes
    | bytearray
    | memoryview
    | IO[bytes]
    | Mapping[str, Any]
    | Sequence[Mapping[str, Any]]
)

# Formats never tried: EPS runs Ghostscript on the file (not something to do with
# a download from the internet); the others are stubs that identify a file but
# cannot decode its pixels.
_SKIPPED_FORMATS = frozenset({"EPS", "BUFR", "GRIB", "HDF5", "MPEG", "WMF"})

# What Pillow's plugins raise on malformed data. Broad on purpose: the plugins
# parse untrusted bytes and a malformed header surfaces as any of these.
_DECODE_ERRORS: tuple[type[Exception], ...] = (
    OSError,
    SyntaxError,
    AttributeError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
    OverflowError,
    RuntimeError,
    struct.error,
)

_SNIFF_BYTES = 1024
_STRIP_BYTES = 1 << 22  # rows copied at a time out of Pillow: 4 MB keeps peaks low
_SAVE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
_GREY_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N", "I", "F"})
_ORIENTATION_TAG = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class ImageLoadError(ValueError):
    """A picture could not be read; the message says why and what to do.

    Parameters
    ----------
    message : str
        Plain words for a learner: what is wrong, then what to do.
    kind : str
        A short code for programs: ``"empty"``, ``"truncated"``, ``"damaged"``,
        ``"not_image"``, ``"too_large"``, ``"not_found"``, ``"is_directory"``,
        ``"permission"``, ``"no_file"``, ``"unsupported"``, ``"heic_unavailable"``,
        ``"web_address"``, ``"out_of_memory"`` or ``"unreadable"``.
    name : str or None
        The file's name, when known.

    Examples
    --------
    >>> error = ImageLoadError("Couldn't read 'a.jpg': the file is empty.", kind="empty", name="a.jpg")
    >>> error.kind, error.name, isinstance(error, ValueError)
    ('empty', 'a.jpg', True)
    """

    def __init__(self, message: str, *, kind: str = "unreadable", name: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.name = name


# --------------------------------------------------------------------------- loading


def load_image(source: ImageSource, *, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """Read a picture into an upright sRGB array, whatever it came in.

    Parameters
    ----------
    source : str, os.PathLike, bytes, bytearray, memoryview, binary file, or upload
        A path to a file; the encoded bytes of a picture; a binary file object
        (read from its current position, left open); the ``.value`` of an
        ``ipywidgets.FileUpload`` (the first file is used), one of its entries
        (a dict with ``"content"`` and ``"name"``), or the widget itself.
    max_pixels : int, optional
        Refuse pictures whose header claims more pixels than this, before
        decoding any of them. Pillow's own safety limit (twice
        ``PIL.Image.MAX_IMAGE_PIXELS``) still applies above it: this function
        never changes that process-wide setting.

    Returns
    -------
    numpy.ndarray
        A new, writable, C-contiguous ``uint8`` array of shape
        ``(height, width, 3)``: sRGB, turned upright according to the EXIF
        orientation, transparency blended onto :data:`BACKGROUND`, and for an
        animation its first frame. 16-bit and floating-point greys are scaled
        to 0-255 (see Notes).

    Raises
    ------
    ImageLoadError
        For anything unreadable: a missing file, a folder, no permission, an
        empty, cut-off or damaged file, a file that is not a picture (the
        message says what it looks like instead), a picture larger than
        ``max_pixels``, or a HEIC photo without HEIC support installed.
    TypeError
        If ``source`` is none of the kinds above (a programming error).

    Notes
    -----
    The source is only ever read. Colour: an embedded ICC profile is
    converted to sRGB with LittleCMS (perceptual intent); a profile that cannot
    be read is ignored rather than failing the load. Greys deeper than 8 bits:
    16-bit (``I;16``) scales its full range to 0-255; 32-bit integer (``I``)
    keeps values already in 0-255, scales values in 0-65535 as 16-bit, and
    stretches anything else from its minimum to its maximum; floating point
    (``F``) in 0-1 is multiplied by 255, otherwise stretched the same way.

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> buffer = io.BytesIO()
    >>> Image.new("RGBA", (4, 3), (255, 0, 0, 0)).save(buffer, format="PNG")
    >>> picture = load_image(buffer.getvalue())
    >>> picture.shape, picture.dtype
    ((3, 4, 3), dtype('uint8'))
    >>> picture[0, 0].tolist()  # fully transparent, so the background shows
    [128, 128, 128]
    >>> try:
    ...     load_image(b"<!DOCTYPE html><html><body>Not found</body></html>")
    ... except ImageLoadError as error:
    ...     print(error.kind)
    not_image
    """
    if isinstance(max_pixels, bool) or not isinstance(max_pixels, int) or max_pixels < 1:
        raise ValueError(f"max_pixels must be a positive whole number, not {max_pixels!r}.")
    with _open_source(source) as (stream, name):
        stream, head = _peek(stream)
        if not head:
            raise _error(
                name,
                "empty",
                "the file is empty (0 bytes), so there is no picture in it. "
                "It may not have finished downloading or copying. Download or export it "
                "again, then load the new copy.",
            )
        with _quiet_pillow():
            image = _open_pillow(stream, head, name, max_pixels)
            try:
                return _decode(image, head, name)
            finally:
                image.close()


@contextlib.contextmanager
def _open_source(source: Any) -> Iterator[tuple[IO[bytes], str | None]]:
    """Yield a readable binary stream and the file name (when one is known)."""
    if isinstance(source, (str, os.PathLike)):
        name = os.path.basename(os.fsdecode(source)) or os.fsdecode(source)
        with _open_path(source) as stream:
            yield stream, name
        return
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield io.BytesIO(source), None  # shares a bytes object's buffer; copies the others
        return
    upload = _upload_entry(source)
    if upload is not None:
        name, content = upload
        yield io.BytesIO(content), name
        return
    if callable(getattr(source, "read", None)):
        data = source.read()  # from where the caller left it; Pillow would rewind to 0
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError("load_image needs a file opened in binary mode: use open(path, 'rb').")
        name = getattr(source, "name", None)
        yield io.BytesIO(data), os.path.basename(name) if isinstance(name, str) else None
        return
    raise TypeError(
        "load_image reads a file path, the bytes of a picture, a binary file object, "
        f"or a FileUpload's value; it got {type(source).__name__}."
    )


def _upload_entry(source: Any) -> tuple[str | None, bytes | bytearray | memoryview] | None:
    """The (name, content) of an ipywidgets 8 upload, or None if it isn't one."""
    value = getattr(source, "value", None)
    if isinstance(value, (tuple, list)) and not isinstance(source, (tuple, list, Mapping)):
        source = value  # the FileUpload widget itself
    if isinstance(source, (tuple, list)):
        if not source:
            raise ImageLoadError(
                "No file chosen yet: click the Upload button, pick a photo, then run this again.",
                kind="no_file",
            )
        source = source[0]
        if not isinstance(source, Mapping):
            raise TypeError("an upload value is a tuple of dicts with 'name' and 'content'.")
    if not isinstance(source, Mapping):
        return None
    if "content" not in source:
        raise TypeError("an upload entry is a dict with 'name' and 'content' keys, as FileUpload.value holds.")
    name = source.get("name")
    return (str(name) if name else None), source["content"]


@contextlib.contextmanager
def _open_path(source: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """Open a path read-only, turning the usual mistakes into clear errors."""
    text = os.fsdecode(source)
    name = os.path.basename(text) or text
    if not text.strip():
        raise ImageLoadError("No file name given: put the picture's file name between the quotes.", kind="not_found")
    if re.match(r"(?i)https?://", text):
        raise ImageLoadError(
            f"'{text}' is a web address. Pictures are loaded from files on this computer: "
            "download the picture first (right-click it and choose 'Save image as...'), put it "
            "next to this notebook, and load it by its file name.",
            kind="web_address",
            name=name,
        )
    path = Path(text)
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed by the with-block below
    except IsADirectoryError:
        raise _folder_error(text) from None
    except PermissionError:
        if path.is_dir():  # Windows reports a folder as "permission denied"
            raise _folder_error(text) from None
        raise ImageLoadError(
            f"Couldn't read '{name}': this computer doesn't allow the notebook to open it "
            "(permission denied). Copy the picture into the workbook's folder and load the copy.",
            kind="permission",
            name=name,
        ) from None
    except (FileNotFoundError, NotADirectoryError):
        where = (
            "" if path.is_absolute() else f" (a path without a folder means {os.getcwd()}, where this notebook runs)"
        )
        raise ImageLoadError(
            f"Couldn't find '{text}'. Check the spelling and the folder{where}. "
            "Moving the picture next to the notebook and using just its name is simplest.",
            kind="not_found",
            name=name,
        ) from None
    except OSError as exc:
        raise ImageLoadError(
            f"Couldn't open '{text}' ({exc.strerror or 'the system refused'}). Check the path, "
            "or copy the picture next to this notebook and load it by its name.",
            kind="unreadable",
            name=name,
        ) from None
    with stream:
        yield stream


def _folder_error(text: str) -> ImageLoadError:
    return ImageLoadError(
        f"'{text}' is a folder, not a picture. Add the file's name to the path, "
        f"for example '{os.path.join(text, 'portrait.jpg')}'.",
        kind="is_directory",
        name=os.path.basename(text.rstrip("/\\")) or text,
    )


def _peek(stream: IO[bytes]) -> tuple[IO[bytes], bytes]:
    """The first bytes of ``stream`` (to sniff), leaving it ready to read from 0."""
    head = stream.read(_SNIFF_BYTES)
    try:
        stream.seek(0)
    except (OSError, ValueError):  # a pipe: keep what was read
        stream = io.BytesIO(head + stream.read())
    return stream, head


@contextlib.contextmanager
def _quiet_pillow() -> Iterator[None]:
    """Silence Pillow's warnings, which mean nothing to a learner.

    The size limit is enforced by :func:`load_image` itself, and Pillow's
    other warnings (odd EXIF, short TIFF tags) do not stop a picture loading.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        warnings.filterwarnings("ignore", module=r"PIL(\.|$)")
        yield


def _open_pillow(stream: IO[bytes], head: bytes, name: str | None, max_pixels: int) -> Image.Image:
    """Identify the file and check its size from the header, decoding nothing yet."""
    try:
        image = Image.open(stream, formats=_formats())
    except Image.DecompressionBombError as exc:  # above Pillow's own hard limit
        found = re.search(r"\((\d+) pixels\)", str(exc))
        raise _too_large(name, None, int(found[1]) if found else None, max_pixels) from exc
    except UnidentifiedImageError as exc:
        raise _not_a_picture(head, name) from exc
    except _DECODE_ERRORS as exc:
        raise _damaged(exc, head, name) from exc
    width, height = image.size
    if width * height > max_pixels:
        image.close()
        raise _too_large(name, (width, height), width * height, max_pixels)
    if width < 1 or height < 1:
        image.close()
        raise _error(
            name,
            "damaged",
            "the file says its picture has no pixels, so it is damaged. "
            "Export or download it again, then load the new copy.",
        )
    return image


def _formats() -> list[str]:
    """Every registered format except the skipped ones (re-read: plugins may register later)."""
    Image.init()
    return [fmt for fmt in Image.ID if fmt not in _SKIPPED_FORMATS]


def _decode(image: Image.Image, head: bytes, name: str | None) -> np.ndarray:
    """Decode the first frame and turn it into an upright sRGB array."""
    try:
        image.load()
        orientation = _orientation(image)
        rgb = _to_srgb(image)
        if rgb is not image:
            image.close()  # frees the decoded original before the array is made
        try:
            return _to_array(rgb, orientation)
        finally:
            rgb.close()
    except MemoryError:
        width, height = image.size
        raise _error(
            name,
            "out_of_memory",
            f"there isn't enough memory to open a picture this large "
            f"({width:,} x {height:,} pixels). Close other notebooks, or export a smaller "
            "copy (for example 4000 pixels on the long edge) and load that.",
        ) from None
    except _UnsupportedMode as exc:
        raise _error(
            name,
            "unsupported",
            f"it stores colour in a way ({exc}) the workbook can't "
            "convert. Export it as an ordinary RGB JPEG or PNG and load that.",
        ) from None
    except _DECODE_ERRORS as exc:
        raise _damaged(exc, head, name) from exc


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation (1-8), or 1 if missing or unreadable.

    pillow-heif turns HEIC photos upright itself and resets this tag to 1,
    so nothing is rotated twice.
    """
    try:
        value = image.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:  # noqa: BLE001 - broken EXIF must not stop the picture loading
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _to_srgb(image: Image.Image) -> Image.Image:
    """Any Pillow mode to an 8-bit sRGB ``RGB`` image, alpha blended onto BACKGROUND."""
    icc = image.info.get("icc_profile")
    colour, alpha = _split_alpha(image)
    if icc:
        colour = _apply_icc(colour, icc)
    if colour.mode != "RGB":
        colour = colour.convert("RGB")
    if alpha is not None and alpha.getextrema() != (255, 255):
        # paste(colour, mask) blends: out = pixel * a + BACKGROUND * (1 - a), in place.
        colour.paste(BACKGROUND, mask=ImageChops.invert(alpha))
    return colour


def _split_alpha(image: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    """Split into an 8-bit colour image (``L``, ``RGB`` or ``CMYK``) and its alpha (or None)."""
    mode = image.mode
    if mode in _GREY_MODES:
        return _deep_grey(image)
    if mode in ("L", "RGB", "CMYK") and not image.has_transparency_data:
        return image, None
    if mode in ("LA", "La", "PA", "RGBA", "RGBa") or image.has_transparency_data:
        target = "LA" if mode in ("1", "L", "LA", "La") else "RGBA"
        with_alpha = image if mode == target else image.convert(target)
        alpha = with_alpha.getchannel("A")
        return with_alpha.convert(target[:-1]), alpha
    try:  # 1, P, RGBX, YCbCr, LAB, HSV and whatever else Pillow can convert
        return image.convert("L" if mode == "1" else "RGB"), None
    except ValueError:
        raise _UnsupportedMode(mode) from None


class _UnsupportedMode(Exception):
    """A Pillow mode with no route to RGB; load_image words the message."""


def _deep_grey(image: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    """16-bit, 32-bit and floating-point greys to 8-bit ``L`` (see load_image's Notes)."""
    values = np.asarray(image)
    alpha = None
    transparent = image.info.get("transparency")
    if isinstance(transparent, int) and image.mode != "F":
        alpha = Image.fromarray(np.where(values == transparent, 0, 255).astype(np.uint8))
    if image.mode.startswith("I;16"):
        grey = (values.astype(np.uint32) * 255 + 32767) // 65535
    else:  # float64 holds every int32 and float32 value, and their differences, exactly enough
        with np.errstate(all="ignore"):  # NaN and infinity are dealt with just below
            as_float = values.astype(np.float64)
        finite = as_float[np.isfinite(as_float)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
        as_float = np.nan_to_num(as_float, nan=low, posinf=high, neginf=low)
        if image.mode == "I" and low >= 0 and high <= 255:
            grey = as_float
        elif image.mode == "I" and low >= 0 and high <= 65535:
            grey = as_float * (255 / 65535)
        elif image.mode == "F" and low >= 0 and high <= 1:
            grey = as_float * 255
        elif high > low:
            grey = (as_float - low) * (255 / (high - low))
        else:  # a flat picture: keep its value where it can be kept
            grey = as_float
        grey = np.rint(grey)
    grey = np.clip(grey, 0, 255).astype(np.uint8)
    return Image.fromarray(grey), alpha


_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_PROFILE_SPACE = {"L": "GRAY", "RGB": "RGB", "CMYK": "CMYK"}


def _apply_icc(colour: Image.Image, icc: bytes) -> Image.Image:
    """Convert from the embedded profile to sRGB; unchanged if the profile is unusable."""
    try:
        transform = _icc_transform(bytes(icc), colour.mode)
        if transform is None:
            return colour
        if colour.mode == "RGB":  # same mode in and out: convert in place, no copy
            ImageCms.applyTransform(colour, transform, inPlace=True)
            return colour
        return ImageCms.applyTransform(colour, transform) or colour
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return colour  # a broken or mismatched profile: the plain conversion follows


@functools.lru_cache(maxsize=16)
def _icc_transform(icc: bytes, mode: str) -> ImageCms.ImageCmsTransform | None:
    """A cached transform from ``icc`` to sRGB for ``mode``, or None if they don't match."""
    profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    if profile.profile.xcolor_space.strip() != _PROFILE_SPACE.get(mode):
        return None  # e.g. an RGB profile on a greyscale picture: ignore it
    return ImageCms.buildTransform(profile, _SRGB, mode, "RGB", ImageCms.Intent.PERCEPTUAL)


def _to_array(image: Image.Image, orientation: int = 1) -> np.ndarray:
    """Copy an ``RGB`` image into a new array, turning it upright on the way.

    Works in strips of rows: ``np.asarray(image)`` would hold two extra
    full-size copies at once (Pillow's bytes plus their join), a strip holds a
    few megabytes.
    """
    width, height = image.size
    method = _TRANSPOSE.get(orientation)
    swaps = orientation >= 5  # these four turn width into height
    out = np.empty((width, height, 3) if swaps else (height, width, 3), dtype=np.uint8)
    rows = max(1, _STRIP_BYTES // (4 * width))
    for top in range(0, height, rows):
        bottom = min(height, top + rows)
        strip = image.crop((0, top, width, bottom))
        if method is not None:
            strip = strip.transpose(method)
        # Where the strip lands: mirrored orientations count rows (or columns) from the end.
        start, stop = (height - bottom, height - top) if orientation in (3, 4, 6, 7) else (top, bottom)
        if swaps:
            out[:, start:stop] = np.asarray(strip)
        else:
            out[start:stop] = np.asarray(strip)
    return out


# --------------------------------------------------------------------------- errors


def _error(name: str | None, kind: str, reason: str) -> ImageLoadError:
    subject = f"'{name}'" if name else "this picture"
    return ImageLoadError(f"Couldn't read {subject}: {reason}", kind=kind, name=name)


def _too_large(name: str | None, size: tuple[int, int] | None, pixels: int | None, limit: int) -> ImageLoadError:
    """The picture is bigger than ``limit`` (or than Pillow's own hard limit, if that is lower)."""
    pillow_limit = Image.MAX_IMAGE_PIXELS
    if pillow_limit is not None:
        limit = min(limit, 2 * pillow_limit)
    if size is not None:
        how_big = f"it is {size[0]:,} x {size[1]:,} pixels ({_count(size[0] * size[1])})"
    elif pixels is not None:
        how_big = f"it is {_count(pixels)}"
    else:
        how_big = "it is very large"
    return _error(
        name,
        "too_large",
        f"{how_big}, more than the {_count(limit)} the "
        "workbook opens at once. Export a smaller copy (for example 4000 pixels on the "
        "long edge) and load that.",
    )


def _count(pixels: int) -> str:
    """A pixel count as people say it: '24 megapixels', '1.5 megapixels', '2,000 pixels'."""
    if pixels >= 10_000_000:
        return f"{pixels / 1e6:,.0f} megapixels"
    if pixels >= 100_000:
        return f"{pixels / 1e6:.1f} megapixels"
    return f"{pixels:,} pixels"


def _damaged(exc: BaseException, head: bytes, name: str | None) -> ImageLoadError:
    """A picture Pillow recognised (or nearly) but could not decode."""
    text = str(exc).lower()
    if isinstance(exc, EOFError) or any(word in text for word in ("truncat", "end of file", "premature")):
        return _error(
            name,
            "truncated",
            "the file is cut off part-way (it may not have finished "
            "downloading or copying). Download or export it again, then load the new copy.",
        )
    return _error(
        name,
        "damaged",
        "the picture data inside it is damaged, so it can't be decoded. "
        "Download it again, or open it in a photo app and export a fresh copy as JPEG "
        "or PNG.",
    )


# Signatures of picture formats: a file that starts like one but does not open is damaged.
_PICTURE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"8BPS", "Photoshop"),
    (b"\x00\x00\x00\x0cjP  ", "JPEG 2000"),
)
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_VIDEO_BRANDS = {b"isom", b"iso2", b"mp41", b"mp42", b"qt  ", b"M4V ", b"3gp4", b"3gp5", b"avc1", b"dash"}


def _not_a_picture(head: bytes, name: str | None) -> ImageLoadError:
    """Say what a file Pillow could not identify looks like instead."""
    reason: str | None = None
    brand = head[8:12] if head[4:8] == b"ftyp" else b""
    text = _as_text(head)
    for magic, label in (*_PICTURE_MAGIC, *([(b"BM", "BMP")] if text is None else [])):
        if head.startswith(magic):
            return _starts_like(label, name)
    if brand in _HEIC_BRANDS:
        if _HEIF_PROBLEM is not None:
            return _error(
                name,
                "heic_unavailable",
                "it is a HEIC photo (the format iPhones use), and "
                "HEIC support isn't installed. Run  pip install pillow-heif  and restart the "
                "kernel, or export the photo as JPEG and load that.",
            )
        return _starts_like("HEIC", name)
    if brand in (b"avif", b"avis") or (head.startswith(b"RIFF") and head[8:12] == b"WEBP"):
        return _starts_like("WebP" if head.startswith(b"RIFF") else "AVIF", name)
    lowered = text.lstrip("\ufeff \t\r\n").lower() if text is not None else ""
    if lowered.startswith(("<!doctype html", "<html")) or (
        text is not None and "<svg" not in lowered and re.search(r"<(html|head|body|meta)\b", lowered)
    ):
        reason = (
            "it is a web page (HTML), not a picture. This happens when a link is saved instead "
            "of the image: open the page in a browser, right-click the photo, choose "
            "'Save image as...', and load that file."
        )
    elif "<svg" in lowered:
        reason = (
            "it is an SVG drawing (vector graphics), which the workbook can't open. Export it "
            "as PNG or JPEG from your drawing app (or take a screenshot) and load that."
        )
    elif head.startswith(b"%PDF"):
        reason = (
            "it is a PDF document, not a picture. Export the page or photo from it as PNG or "
            "JPEG (or take a screenshot) and load that."
        )
    elif head.startswith(b"%!PS"):
        reason = (
            "it is a PostScript or EPS drawing, which the workbook doesn't open. Export it as "
            "PNG or JPEG and load that."
        )
    elif head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        office = re.search(rb"(word|ppt|xl)/", head)
        what = {b"word": "a Word document", b"ppt": "a PowerPoint file", b"xl": "an Excel file"}.get(
            office[1] if office else b"", "a ZIP archive (or a document saved as one, like .docx)"
        )
        reason = f"it is {what}, not a picture. Open it, save the picture inside it as JPEG or PNG, and load that."
    elif head.startswith((b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf\x27\x1c")):
        reason = "it is a compressed archive, not a picture. Unpack it first, then load the picture inside."
    elif brand in _VIDEO_BRANDS or head.startswith(b"\x1aE\xdf\xa3") or head[8:12] == b"AVI ":
        reason = (
            "it is a video, not a picture. Take a still frame (a screenshot works) and save it "
            "as JPEG or PNG, then load that."
        )
    elif brand == b"crx " or head.startswith(b"FUJIFILMCCD-RAW"):
        reason = (
            "it is a camera RAW file, which the workbook can't develop. Export it as JPEG from "
            "your camera's or photo app's software, then load that."
        )
    elif text is not None:
        reason = (
            "it contains plain text, not a picture. Renaming a file doesn't change what is "
            "inside it: find the original photo, or export it as JPEG or PNG, and load that."
        )
    if reason is None:
        reason = "it isn't in a picture format the workbook can read. Save or export it as JPEG or PNG and load that."
    return _error(name, "not_image", reason)


def _starts_like(label: str, name: str | None) -> ImageLoadError:
    """A file with a picture format's signature that Pillow still could not open."""
    return _error(
        name,
        "damaged",
        f"it starts like a {label} picture, but the rest of the file is damaged or cut off. "
        "Download or export it again, then load the new copy.",
    )


def _as_text(head: bytes) -> str | None:
    """The head decoded as text if it reads as text, else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    text = head.decode("utf-8", errors="replace")
    if len(head) == _SNIFF_BYTES:
        text = text[:-3]  # the cut may fall inside a character
    odd = sum(ch == "\ufffd" or (ch < " " and ch not in "\t\n\r\f") for ch in text)
    return text if text and odd <= len(text) // 50 else None


# --------------------------------------------------------------------------- going out


def save_image(image: np.ndarray, path: str | os.PathLike[str], *, quality: int = 92) -> Path:
    """Save a picture without ever overwriting a file, atomically.

    If ``path`` is taken, the next free name of the form ``name-1.jpg``,
    ``name-2.jpg``, ... is used. The picture is written to a hidden temporary
    file in the same folder and flushed to disk, then linked to its final
    name in one step (which fails rather than replace a file that appeared
    meanwhile), so a reader never sees half a file. The temporary file is
    removed whatever happens.

    Parameters
    ----------
    image : numpy.ndarray
        RGB ``uint8`` array of shape ``(height, width, 3)``.
    path : str or os.PathLike
        Where to save; the suffix picks the format: ``.jpg``/``.jpeg``,
        ``.png`` or ``.webp``. The folder must already exist.
    quality : int, optional
        1-100, for JPEG and WebP (PNG is lossless). At 90 and above, JPEG
        keeps full colour resolution (4:4:4).

    Returns
    -------
    pathlib.Path
        The path actually written.

    Raises
    ------
    ValueError
        If ``image`` is not an RGB ``uint8`` array, the suffix is not one of
        the formats above, or ``quality`` is out of range.
    FileNotFoundError
        If the folder does not exist (it is not created silently).
    NotADirectoryError
        If the folder part of ``path`` is a file.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> picture = np.zeros((2, 3, 3), dtype=np.uint8)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     first = save_image(picture, Path(folder) / "edit.png")
    ...     second = save_image(picture, Path(folder) / "edit.png")
    ...     print(first.name, second.name)
    edit.png edit-1.png
    """
    pixels = _as_rgb_uint8(image)
    path = Path(path)
    fmt = _SAVE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(
            f"Can't save as '{path.name}': end the name with .jpg, .jpeg, .png or .webp "
            f"(got {path.suffix or 'no extension'!r})."
        )
    _check_quality(quality)
    folder = path.parent
    if not folder.exists():
        raise FileNotFoundError(
            f"Can't save '{path.name}': the folder '{folder}' doesn't exist. Create it first "
            f"(Path({str(folder)!r}).mkdir(parents=True)) or choose an existing folder."
        )
    if not folder.is_dir():
        raise NotADirectoryError(f"Can't save '{path.name}': '{folder}' is a file, not a folder.")
    options: dict[str, Any] = {}
    if fmt == "JPEG":
        options = {"quality": quality, "subsampling": "4:4:4" if quality >= 90 else "4:2:0"}
    elif fmt == "WEBP":
        options = {"quality": quality}

    # Hidden, random, and short enough for any filesystem's name limit.
    temporary = folder / f".{path.stem[:40]}.{secrets.token_hex(6)}.tmp"
    try:
        # O_EXCL: a fresh file of our own; mode 0o666 lets the umask decide, as for any new file.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        with os.fdopen(os.open(temporary, flags, 0o666), "wb") as stream:
            Image.fromarray(pixels).save(stream, format=fmt, **options)
            stream.flush()
            os.fsync(stream.fileno())
        written = _publish(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    _fsync_folder(folder)
    return written


def _candidates(path: Path) -> Iterator[Path]:
    """``path``, then ``stem-1.ext``, ``stem-2.ext``, ..."""
    yield path
    for number in range(1, 100_000):
        yield path.with_name(f"{path.stem}-{number}{path.suffix}")


def _publish(temporary: Path, path: Path) -> Path:
    """Give the finished temporary file the first free name, never replacing a file."""
    for candidate in _candidates(path):
        try:
            os.link(temporary, candidate)  # atomic, and fails if the name exists
            return candidate
        except FileExistsError:
            continue
        except (OSError, AttributeError) as exc:
            if isinstance(exc, OSError) and exc.errno not in _NO_HARD_LINKS:
                raise
        # A filesystem without hard links (FAT, some network drives): claim the name
        # with an exclusive create, then rename over that empty placeholder.
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        os.replace(temporary, candidate)
        return candidate
    raise FileExistsError(f"Can't save '{path.name}': too many copies with that name already; choose another name.")


_NO_HARD_LINKS = {
    errno.EPERM,
    errno.EXDEV,
    errno.EMLINK,
    errno.ENOSYS,
    getattr(errno, "ENOTSUP", -1),
    getattr(errno, "EOPNOTSUPP", -1),
}


def _fsync_folder(folder: Path) -> None:
    """Make the new name itself durable (POSIX; a no-op where folders can't be opened)."""
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def preview(image: np.ndarray, max_edge: int = 1024) -> np.ndarray:
    """Downscale so the long edge is at most ``max_edge`` pixels; never upscale.

    Big reductions first average whole blocks of pixels (Pillow's ``reduce``,
    strip by strip, so no second full-size copy is made) and then finish with
    a Lanczos filter; the result differs from a plain Lanczos resize by well
    under one level on average, at a fraction of the time (a 6000 x 4000
    photo takes tens of milliseconds).

    Parameters
    ----------
    image : numpy.ndarray
        RGB ``uint8`` array of shape ``(height, width, 3)``.
    max_edge : int, optional
        Longest allowed edge in pixels.

    Returns
    -------
    numpy.ndarray
        Always a new C-contiguous array (a plain copy when ``image`` is
        already small enough), never the input itself, so it can be written
        to freely. Its long edge is ``min(max_edge, long edge of image)`` and
        its short edge is scaled to match, rounded, at least 1.

    Raises
    ------
    ValueError
        If ``image`` is not an RGB ``uint8`` array or ``max_edge`` < 1.

    Examples
    --------
    >>> import numpy as np
    >>> picture = np.zeros((300, 400, 3), dtype=np.uint8)
    >>> preview(picture, 100).shape
    (75, 100, 3)
    >>> small = preview(picture, 1024)
    >>> small.shape, small is picture
    ((300, 400, 3), False)
    """
    pixels = _as_rgb_uint8(image)
    if isinstance(max_edge, bool) or not isinstance(max_edge, (int, np.integer)) or max_edge < 1:
        raise ValueError(f"max_edge must be a whole number of pixels, at least 1, not {max_edge!r}.")
    height, width = pixels.shape[:2]
    if max(height, width) <= max_edge:
        return np.array(pixels, order="C", copy=True)
    if width >= height:
        size = (int(max_edge), max(1, round(height * max_edge / width)))
    else:
        size = (max(1, round(width * max_edge / height)), int(max_edge))
    factor = min(width // size[0], height // size[1])  # whole blocks to average first
    reduced = _reduce(pixels, factor) if factor >= 2 else Image.fromarray(pixels)
    # The box keeps the geometry exact when the last block was a partial one.
    box = (0.0, 0.0, width / max(factor, 1), height / max(factor, 1))
    return np.array(reduced.resize(size, Image.Resampling.LANCZOS, box=box))


def _reduce(pixels: np.ndarray, factor: int) -> Image.Image:
    """``Image.fromarray(pixels).reduce(factor)``, strip by strip to keep memory and time low."""
    height, width = pixels.shape[:2]
    rows = max(1, _STRIP_BYTES // (4 * width * factor)) * factor
    reduced = Image.new("RGB", (-(-width // factor), -(-height // factor)))
    for top in range(0, height, rows):
        reduced.paste(Image.fromarray(pixels[top : top + rows]).reduce(factor), (0, top // factor))
    return reduced


def to_jpeg(image: np.ndarray, quality: int = 85) -> bytes:
    """Encode a picture as JPEG bytes, for ``ipywidgets.Image(format="jpeg")``.

    Parameters
    ----------
    image : numpy.ndarray
        RGB ``uint8`` array of shape ``(height, width, 3)``.
    quality : int, optional
        1-100. Chroma is subsampled 4:2:0, the usual JPEG default.

    Returns
    -------
    bytes
        A baseline JPEG.

    Raises
    ------
    ValueError
        If ``image`` is not an RGB ``uint8`` array or ``quality`` is out of range.

    Examples
    --------
    >>> import numpy as np
    >>> data = to_jpeg(np.full((8, 8, 3), 200, dtype=np.uint8))
    >>> data[:2] == b"\\xff\\xd8"
    True
    """
    pixels = _as_rgb_uint8(image)
    _check_quality(quality)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=quality, subsampling="4:2:0")
    return buffer.getvalue()


def _as_rgb_uint8(image: Any) -> np.ndarray:
    """``image`` as a C-contiguous RGB ``uint8`` array, or a clear error."""
    if not isinstance(image, np.ndarray):
        raise TypeError(
            f"Expected a picture as a numpy array (what load_image returns), got {type(image).__name__}. "
            "For a Pillow image, use np.asarray(picture.convert('RGB'))."
        )
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3 or 0 in image.shape:
        raise ValueError(
            "Expected an RGB picture: a uint8 array of shape (height, width, 3), "
            f"got a {image.dtype} array of shape {image.shape}. "
            "Float results can be brought back with np.clip(x, 0, 255).astype(np.uint8)."
        )
    return np.ascontiguousarray(image)


def _check_quality(quality: int) -> None:
    if isinstance(quality, bool) or not isinstance(quality, (int, np.integer)) or not 1 <= quality <= 100:
        raise ValueError(f"quality must be a whole number from 1 to 100, not {quality!r}.")
