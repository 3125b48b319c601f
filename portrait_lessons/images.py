"""The one door for pixels: loading photos in, saving and encoding them out.

Every picture enters the workbook through :func:`load_image`, which turns
whatever a learner has (a path, an upload, bytes, a file object) into an RGB
``uint8`` array of shape ``(height, width, 3)``: upright (EXIF orientation
applied), in sRGB (an embedded ICC profile converted), with any transparency
blended onto :data:`BACKGROUND`. Anything it cannot read raises
:class:`ImageLoadError`, whose message says in plain words what is wrong and
what to do about it.

The door is built for a shared server where anyone may upload anything: only
the formats in :data:`FORMATS` are parsed (no plugin that opens nested data
with other plugins, none that runs another program), special files are
refused without being opened for reading, reads are bounded, and every
accepted picture up to its format's limit (:data:`MAX_PIXELS` for most)
decodes in about 3 s of processor time at most, with a peak of at most
about three times its decoded size (``benchmarks/load_limits.py``).

Pictures leave through :func:`save_image` (atomic, never overwrites),
:func:`preview` (a fast downscale for the screen) and :func:`to_jpeg` (bytes
for ``ipywidgets.Image``).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import io
import json
import os
import re
import secrets
import stat
import struct
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
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
    "FORMATS",
    "MAX_PIXELS",
    "ImageLoadError",
    "SaveError",
    "load_image",
    "preview",
    "save_image",
    "to_jpeg",
]

#: Largest picture :func:`load_image` opens by default, in pixels (100 megapixels).
#: Checked from the file's header, before any pixel is decoded, and again on
#: what was decoded.
MAX_PIXELS: int = 100_000_000

#: Neutral mid grey that transparent pixels are blended onto. Neutral (R = G = B)
#: so that colour measurements are not tinted by the background, and so that a
#: grey picture can take it as one value.
BACKGROUND: tuple[int, int, int] = (128, 128, 128)

#: The formats :func:`load_image` opens, by Pillow's names: what cameras, phones,
#: browsers and scanners save. Every other Pillow plugin stays shut: some open
#: data nested inside a file with *every* plugin (IPTC), embed other formats
#: (ICO and ICNS hold PNGs, BLP holds JPEGs), run Ghostscript (EPS) or decode
#: in pure Python far too slowly for a 100-megapixel file (QOI, DDS, PPM,
#: FITS). A camera's MPO (a JPEG with extra frames) opens as JPEG, the first
#: frame only; a TIFF's JPEG-compressed strips are decoded inside libtiff.
FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP", "GIF", "TIFF", "BMP", "HEIF", "AVIF")

# Formats (by Pillow's name) and decoders (by Pillow's codec name) opened only up
# to fewer pixels than max_pixels, as measured (benchmarks/load_limits.py), with
# the words a learner is told. WebP: the web's format, rarely large; kept at 25
# megapixels, where its decode takes about 0.6 s. HEIC: libheif decodes a
# phone's grid of HEVC tiles at about 0.1 s of processor time a megapixel, so
# 25 (a 24-megapixel iPhone photo fits; a 48-megapixel "HEIF Max" one is told
# to come as JPEG). AVIF: decoding alone takes about 2.7 s of processor time at
# 100 megapixels, so half that keeps to 3 s. RLE-compressed BMP (a Windows 3
# format): Pillow decodes it in Python, up to 0.4 s a megapixel. Transparency
# (an alpha channel, in any format) adds its blend to the decode: a
# 100-megapixel RGBA PNG took 3.7 s of processor time, so 75.
_FORMAT_MAX_PIXELS: dict[str, tuple[int, str]] = {
    "alpha": (75_000_000, "a picture with transparency"),
    "WEBP": (25_000_000, "a WebP picture"),
    "HEIF": (25_000_000, "a HEIC photo"),
    "AVIF": (50_000_000, "an AVIF picture"),
    "bmp_rle": (4_000_000, "a compressed (RLE) BMP"),
}

# What Pillow calls a file that one of FORMATS opened (JPEG's opener returns MPO
# for a multi-picture JPEG). Anything else is refused, whatever opened it.
_OPENED_AS = frozenset({*FORMATS, "MPO"})

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
    BufferError,
    struct.error,
)

# The largest file that can hold MAX_PIXELS of an accepted format: uncompressed
# 16-bit RGBA is 8 bytes a pixel, plus room for metadata. Bigger is refused
# before reading, so an endless stream (/dev/zero, a socket) cannot fill memory.
_BYTES_PER_PIXEL = 8
_METADATA_ROOM = 64 << 20
_READ_CHUNK = 1 << 20

_SNIFF_BYTES = 1024
_STRIP_BYTES = 1 << 20  # rows copied at a time out of Pillow: 1 MB keeps peaks low and fits the cache
_SAVE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
_JPEG_MAX_EDGE = 65_500  # libjpeg refuses edges over 65,500 pixels
_GREY_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N", "I", "F"})
_ALPHA_MODES = frozenset({"LA", "La", "PA", "RGBA", "RGBa"})
_ORIENTATION_TAG = 0x0112


class ImageLoadError(ValueError):
    """A picture could not be read; the message says why and what to do.

    Parameters
    ----------
    message : str
        Plain words for a learner: what is wrong, then what to do.
    kind : str
        A short code for programs: ``"empty"``, ``"truncated"``, ``"damaged"``,
        ``"not_image"``, ``"too_large"``, ``"not_found"``, ``"is_directory"``,
        ``"not_a_file"`` (a pipe, device or socket), ``"permission"``,
        ``"no_file"``, ``"unsupported"``, ``"too_much_metadata"``,
        ``"bytes_path"``, ``"heic_unavailable"``, ``"web_address"``,
        ``"out_of_memory"`` or ``"unreadable"``.
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
        Refuse pictures of more pixels than this, from the header before
        decoding any of them (WebP and HEIC above 25, AVIF above 50,
        RLE-compressed BMP above 4 and pictures with transparency above 75
        megapixels are refused whatever this says: they take longer to
        decode). Pillow's own safety limit (twice
        ``PIL.Image.MAX_IMAGE_PIXELS``) still applies above it: this function
        never changes that process-wide setting. Files (and streams) larger
        than such a picture can be are refused before they are read.

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
        For anything unreadable: a missing file, a folder, a pipe or device,
        no permission, an empty, cut-off or damaged file, a file that is not a
        picture or in a format outside :data:`FORMATS` (the message says what
        it looks like instead), a picture larger than ``max_pixels``, or a
        HEIC photo without HEIC support installed.
    TypeError
        If ``source`` is none of the kinds above (a programming error).

    Notes
    -----
    The source is only ever read, and no other program is ever run. Colour:
    an embedded ICC profile is converted to sRGB with LittleCMS (perceptual
    intent); a profile that cannot be read is ignored rather than failing the
    load. Greys deeper than 8 bits: 16-bit (``I;16``) scales its full range to
    0-255; 32-bit integer (``I``) keeps values already in 0-255, scales values
    in 0-65535 as 16-bit, and stretches anything else from its minimum to its
    maximum; floating point (``F``) in 0-1 is multiplied by 255, otherwise
    stretched the same way.

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
    byte_limit = _BYTES_PER_PIXEL * max_pixels + _METADATA_ROOM
    with _open_source(source, byte_limit) as (stream, name):
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
            return _load(stream, head, name, max_pixels)


# --------------------------------------------------------------------------- sources


@contextlib.contextmanager
def _open_source(source: Any, byte_limit: int) -> Iterator[tuple[IO[bytes], str | None]]:
    """Yield a readable binary stream and the file name (when one is known)."""
    if isinstance(source, (str, os.PathLike)):
        name = os.path.basename(os.fsdecode(source)) or os.fsdecode(source)
        with _open_path(source, byte_limit) as stream:
            yield stream, name
        return
    if isinstance(source, (bytes, bytearray, memoryview)):
        _refuse_bytes_path(source)
        yield _bytes_stream(source, None, byte_limit), None
        return
    upload = _upload_entry(source)
    if upload is not None:
        name, content = upload
        yield _bytes_stream(content, name, byte_limit), name
        return
    if callable(getattr(source, "read", None)):
        name = getattr(source, "name", None)
        name = os.path.basename(name) if isinstance(name, str) else None
        yield _read_stream(source, name, byte_limit), name
        return
    raise TypeError(
        "load_image reads a file path, the bytes of a picture, a binary file object, "
        f"or a FileUpload's value; it got {type(source).__name__}."
    )


def _bytes_stream(data: Any, name: str | None, byte_limit: int) -> IO[bytes]:
    """A stream over any bytes-like object, even a non-contiguous view; refused if too big."""
    view = memoryview(data)
    if view.nbytes > byte_limit:
        raise _too_big_file(name, view.nbytes, byte_limit)
    if isinstance(data, bytes):
        return io.BytesIO(data)  # shares the bytes object's buffer
    return io.BytesIO(view.tobytes())  # one copy, in order, whatever the view's layout


def _read_stream(source: Any, name: str | None, byte_limit: int) -> IO[bytes]:
    """Read a file object from where it stands, never more than ``byte_limit`` bytes."""
    mode = None
    with contextlib.suppress(OSError, ValueError, AttributeError, TypeError):  # no file behind it
        mode = os.fstat(source.fileno()).st_mode
    if mode is not None:
        _refuse_special(mode, name or "this file", name)
    start = _position(source)
    buffer = io.BytesIO()
    while True:
        chunk = source.read(min(_READ_CHUNK, byte_limit + 1 - buffer.tell()))
        if not isinstance(chunk, (bytes, bytearray)):
            raise TypeError("load_image needs a file opened in binary mode: use open(path, 'rb').")
        if not chunk:
            break
        buffer.write(chunk)
        if buffer.tell() > byte_limit:
            raise _too_big_file(name, None, byte_limit)
    if buffer.tell() == 0 and start:
        raise _error(
            name,
            "empty",
            f"nothing is left to read: the file object was already read to its end "
            f"(position {start:,}). Open the file again, or call .seek(0) on it first, "
            "then pass it to load_image.",
        )
    buffer.seek(0)
    return buffer


def _position(source: Any) -> int:
    """Where a file object stands, or 0 if it can't say (a pipe)."""
    try:
        position = source.tell()
    except (OSError, ValueError, AttributeError):
        return 0
    return position if isinstance(position, int) else 0


# Looks like a file name: one short line ending in a picture's extension.
_PATH_LIKE = re.compile(
    r"[^\n\r\0]{0,4000}\.(jpe?g|png|gif|webp|tiff?|bmp|heic|heif|avif)\Z", re.IGNORECASE
)


def _refuse_bytes_path(data: bytes | bytearray | memoryview) -> None:
    """A file name passed as bytes (``b"photo.jpg"``) is not a picture's contents: say so."""
    if len(data) > 4096 or not isinstance(data, (bytes, bytearray)):
        return
    text = os.fsdecode(bytes(data))
    if not _PATH_LIKE.match(text) and not (text.strip() and "\n" not in text and os.path.isfile(text)):
        return
    raise ImageLoadError(
        f"{bytes(data)!r} is a file name written as bytes, not the picture itself. "
        f"Pass the name as ordinary text instead: load_image({text!r}).",
        kind="bytes_path",
        name=os.path.basename(text) or text,
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


# What a failed os.stat (looking the path up) or open (reading the file) means,
# first match wins: (exception class, kind, message). {where} explains a
# relative path, {why} is the system's own reason.
_NOT_FOUND = (
    "Couldn't find '{text}'. Check the spelling and the folder{where}. "
    "Moving the picture next to the notebook and using just its name is simplest."
)
_PATH_FAILURES: dict[str, tuple[tuple[type[OSError], str, str], ...]] = {
    "stat": (
        (FileNotFoundError, "not_found", _NOT_FOUND),
        (NotADirectoryError, "not_found", _NOT_FOUND),
        (
            PermissionError,
            "permission",
            "Couldn't open '{text}': a folder on the way to it is closed to you (permission "
            "denied); on a shared server it is usually someone else's folder. Copy the picture "
            "into your own folder and load it from there.",
        ),
        (
            OSError,
            "unreadable",
            "Couldn't open '{text}' ({why}). Check the path, or copy the picture next to "
            "this notebook and load it by its name.",
        ),
    ),
    "open": (
        (FileNotFoundError, "not_found", _NOT_FOUND),
        (
            PermissionError,
            "permission",
            "Couldn't read '{name}': this computer doesn't allow the notebook to open it "
            "(permission denied). Copy the picture into the workbook's folder and load the copy.",
        ),
        (
            OSError,
            "unreadable",
            "Couldn't open '{text}' ({why}). Check the path, or copy the picture next to "
            "this notebook and load it by its name.",
        ),
    ),
}

# File types that are not files of bytes: opening a FIFO blocks until someone
# writes to it, and a device can be endless (/dev/zero) or a terminal.
_SPECIAL_FILES: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a disk device"),
    (stat.S_ISSOCK, "a socket"),
)


@contextlib.contextmanager
def _open_path(source: str | os.PathLike[str], byte_limit: int) -> Iterator[IO[bytes]]:
    """Open a path read-only, turning the usual mistakes into clear errors, never blocking."""
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
    if "\0" in text:
        raise ImageLoadError(
            f"Couldn't open {text!r}: the name contains a NUL character (\\x00), which no file "
            "name can hold, so it was probably pasted or built by mistake. Type the picture's "
            "name again, or move the picture next to this notebook and use just its name.",
            kind="not_found",
            name=name.replace("\0", ""),
        )
    try:
        info = os.stat(text)
    except OSError as exc:
        raise _path_error("stat", exc, text, name) from None
    _refuse_special(info.st_mode, text, name)
    if info.st_size > byte_limit:
        raise _too_big_file(name, info.st_size, byte_limit)
    try:
        stream = open(text, "rb", opener=_open_nonblocking)  # noqa: SIM115 - closed by the with-block below
    except OSError as exc:
        raise _path_error("open", exc, text, name) from None
    with stream:
        # Checked again on what was opened: the path may have become a pipe since the look.
        _refuse_special(os.fstat(stream.fileno()).st_mode, text, name)
        yield stream


def _open_nonblocking(path: str, flags: int) -> int:
    """``os.open`` that returns at once even for a FIFO (POSIX; plain open elsewhere)."""
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _path_error(stage: str, exc: OSError, text: str, name: str) -> ImageLoadError:
    if stage == "open" and isinstance(exc, PermissionError) and os.path.isdir(text):
        return _folder_error(text)  # Windows reports a folder as "permission denied"
    for cls, kind, message in _PATH_FAILURES[stage]:
        if isinstance(exc, cls):
            break
    where = "" if os.path.isabs(text) else f" (a path without a folder means {os.getcwd()}, where this notebook runs)"
    why = exc.strerror or "the system refused"
    return ImageLoadError(message.format(text=text, name=name, where=where, why=why), kind=kind, name=name)


def _refuse_special(mode: int, text: str, name: str | None) -> None:
    """Refuse a folder, pipe, device or socket, by its file type alone."""
    if stat.S_ISDIR(mode):
        raise _folder_error(text)
    for is_kind, what in _SPECIAL_FILES:
        if is_kind(mode):
            raise ImageLoadError(
                f"'{text}' is {what}, not a picture file, so the workbook won't read from it. "
                "Save the picture as a file (JPEG or PNG) and load that.",
                kind="not_a_file",
                name=name,
            )


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
    stream.seek(0)  # every stream here is a file or a BytesIO
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


# --------------------------------------------------------------------------- decoding


def _load(stream: IO[bytes], head: bytes, name: str | None, max_pixels: int) -> np.ndarray:
    """Identify, check and decode; every Pillow failure becomes an ImageLoadError."""
    size: tuple[int, int] | None = None
    try:
        image = _identify(stream, head, name)
        try:
            size = image.size
            max_pixels, what = _own_limit(image, max_pixels)
            _check_size(size, name, max_pixels, what)
            if image.format == "WEBP":
                image = _decode_webp(stream, image)
            image.load()
            # What was decoded, not only what the header said (a plugin may change its mind).
            _check_size(image.size, name, max_pixels)
            _check_size(image.im.size, name, max_pixels)
            orientation = _orientation(image)
            rgb = _to_srgb(image)
            try:
                return _to_array(rgb, orientation)
            finally:
                rgb.close()
        finally:
            image.close()
    except ImageLoadError:
        raise
    except (*_DECODE_ERRORS, MemoryError, Image.DecompressionBombError, _UnsupportedMode) as exc:
        raise _failure(exc, name, size, max_pixels) from None


def _identify(stream: IO[bytes], head: bytes, name: str | None) -> Image.Image:
    """Open the file with the allowed plugins only, decoding nothing yet."""
    formats = _formats()
    try:
        image = Image.open(stream, formats=formats)
    except UnidentifiedImageError:
        # Pillow hides why the plugin that knew the signature gave up; ask it again
        # so that a valid but unsupported file (a float64 TIFF) is told from a damaged one.
        claimed = [fmt for fmt in formats if _accepts(fmt, head)]
        if not claimed:
            raise _not_a_picture(head, name) from None
        stream.seek(0)
        image = Image.OPEN[claimed[0]][0](stream, None)
    if image.format not in _OPENED_AS:  # a plugin that handed the file on: never trusted
        image.close()
        raise _not_a_picture(head, name)
    return image


def _decode_webp(stream: IO[bytes], image: Image.Image) -> Image.Image:
    """Decode a WebP with libwebp's plain decoder (through OpenCV) instead of Pillow's.

    Pillow decodes every WebP with libwebp's animation decoder, which fills
    two RGBA canvases and then copies the frame out as bytes before Pillow
    copies it once more: about 5.4 times the RGB size at its peak. The plain
    decoder writes the picture straight into one array (about 2 times at its
    peak, 3 with transparency). Only a file Pillow's WebP plugin identified
    gets here, so OpenCV never chooses a decoder of its own, and no program
    runs. Without OpenCV, Pillow's decoder is used. Returns a decoded ``RGB``
    or ``RGBA`` image carrying the original's ICC profile and EXIF.
    """
    try:
        import cv2  # noqa: PLC0415 - only WebP needs it, and it takes a moment to import
    except ImportError:
        return image
    info = {key: image.info[key] for key in ("icc_profile", "exif", "xmp") if key in image.info}
    size = image.size
    stream.seek(0)
    # getvalue shares the bytes a BytesIO was made from; a file is read once.
    data = np.frombuffer(stream.getvalue() if isinstance(stream, io.BytesIO) else stream.read(), np.uint8)
    image.close()  # Pillow's decoder holds its own copy of the file and reserves two canvases: let them go
    try:
        pixels = cv2.imdecode(data, cv2.IMREAD_UNCHANGED | cv2.IMREAD_IGNORE_ORIENTATION)
    except cv2.error as exc:
        raise OSError(f"WebP decoding failed: {exc}") from None
    del data
    if pixels is None or pixels.ndim != 3 or pixels.shape[2] not in (3, 4) or pixels.dtype != np.uint8:
        raise OSError("the WebP decoder gave no picture")
    if pixels.shape[1::-1] != size:  # what was decoded, not only what the header said
        raise OSError("the WebP decoder gave a picture of another size than its header")
    # OpenCV's channel order is blue, green, red: turned around in place.
    cv2.cvtColor(pixels, cv2.COLOR_BGR2RGB if pixels.shape[2] == 3 else cv2.COLOR_BGRA2RGBA, dst=pixels)
    decoded = Image.fromarray(pixels)  # RGBA shares the array's memory; RGB is copied once
    del pixels
    decoded.info.update(info)
    return decoded


def _formats() -> list[str]:
    """The allowed formats whose plugins are available (re-read: plugins may register later)."""
    Image.init()
    return [fmt for fmt in FORMATS if fmt in Image.OPEN]


def _accepts(fmt: str, head: bytes) -> bool:
    accept = Image.OPEN[fmt][1]
    return accept is not None and bool(accept(head))


def _own_limit(image: Image.Image, max_pixels: int) -> tuple[int, str | None]:
    """The pixel limit for this picture's format and decoder, and what to call it if lower."""
    tiles = getattr(image, "tile", None) or []
    keys = [image.format or "", *(tile[0] for tile in tiles)]  # a tile's first field is its decoder's name
    if image.mode in _ALPHA_MODES:
        keys.append("alpha")
    own = [_FORMAT_MAX_PIXELS[key] for key in keys if key in _FORMAT_MAX_PIXELS]
    limit, what = min(own, default=(max_pixels, None))
    return (limit, what) if limit < max_pixels else (max_pixels, None)


def _check_size(size: tuple[int, int], name: str | None, max_pixels: int, what: str | None = None) -> None:
    """Refuse a picture with more pixels than allowed, or none."""
    width, height = size
    if width * height > max_pixels:
        raise _too_large(name, (width, height), width * height, max_pixels, what)
    if width < 1 or height < 1:
        raise _error(
            name,
            "damaged",
            "the file says its picture has no pixels, so it is damaged. "
            "Export or download it again, then load the new copy.",
        )


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
    """Any Pillow mode to an 8-bit sRGB ``RGB`` image, alpha blended onto BACKGROUND.

    Closes ``image`` as soon as a converted copy replaces it, so a big
    picture is never held three times over.
    """
    icc = image.info.get("icc_profile")
    colour, alpha = _split_alpha(image)
    if colour is not image:
        image.close()
    if icc:
        colour = _replace(colour, _apply_icc(colour, icc))
    if colour.mode != "RGB":
        colour = _replace(colour, colour.convert("RGB"))
    if alpha is not None and alpha.getextrema() != (255, 255):
        # paste(colour, mask) blends: out = pixel * a + BACKGROUND * (1 - a), in place, in C.
        colour.paste(BACKGROUND, mask=ImageChops.invert(alpha))
    return colour


def _replace(old: Image.Image, new: Image.Image) -> Image.Image:
    if new is not old:
        old.close()
    return new


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
        colour = with_alpha.convert(target[:-1])
        if with_alpha is not image:
            with_alpha.close()
        return colour, alpha
    try:  # 1, P, RGBX, YCbCr, LAB, HSV and whatever else Pillow can convert
        return image.convert("L" if mode == "1" else "RGB"), None
    except ValueError:
        raise _UnsupportedMode(mode) from None


class _UnsupportedMode(Exception):
    """A Pillow mode with no route to RGB; load_image words the message."""


def _bands(image: Image.Image, bytes_per_pixel: int) -> Iterator[tuple[slice, np.ndarray]]:
    """``(rows, values)`` for strips of ``image``, each a few megabytes as a numpy array."""
    width, height = image.size
    rows = max(1, _STRIP_BYTES // (bytes_per_pixel * width))
    for top in range(0, height, rows):
        bottom = min(height, top + rows)
        yield slice(top, bottom), np.asarray(image.crop((0, top, width, bottom)))


def _deep_grey(image: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    """16-bit, 32-bit and floating-point greys to 8-bit ``L`` (see load_image's Notes).

    Works in strips: a 100-megapixel float picture is 400 MB as it is, and
    whole-picture float64 temporaries would double that several times over.
    """
    width, height = image.size
    grey = np.empty((height, width), np.uint8)
    transparent = image.info.get("transparency")
    keyed = isinstance(transparent, int) and image.mode != "F"
    alpha = np.empty((height, width), np.uint8) if keyed else None
    scale, offset, low, high = _grey_scale(image)
    # float32 holds every float picture's values; int32 ones need float64 to subtract exactly.
    working = np.float32 if image.mode == "F" else np.float64
    for rows, values in _bands(image, 8):
        if alpha is not None:
            alpha[rows] = np.where(values == transparent, 0, 255)
        if scale is None:  # 16-bit: the full range, by table
            grey[rows] = _SIXTEEN_TO_EIGHT[values]
            continue
        with np.errstate(all="ignore"):  # NaN and infinity are dealt with next
            level = values.astype(working)
        np.nan_to_num(level, copy=False, nan=low, posinf=high, neginf=low)
        level -= offset
        level *= scale
        grey[rows] = np.clip(np.rint(level, out=level), 0, 255, out=level)
    return Image.fromarray(grey), (None if alpha is None else Image.fromarray(alpha))


# 16-bit to 8-bit, rounded: (v * 255 + 32767) // 65535 for each of the 65,536 values.
_SIXTEEN_TO_EIGHT = ((np.arange(65536, dtype=np.uint32) * 255 + 32767) // 65535).astype(np.uint8)


def _grey_scale(image: Image.Image) -> tuple[float | None, float, float, float]:
    """``(scale, offset, low, high)``: 8-bit grey = (value - offset) * scale.

    ``low`` and ``high`` are the finite extremes (NaN and -inf become low,
    +inf high); scale is None for 16-bit, which a table turns into 8 bits.
    """
    if image.mode.startswith("I;16"):
        return None, 0.0, 0.0, 65535.0
    low, high = (float(v) for v in image.getextrema())  # in C; exact unless NaN or infinity are about
    if not (np.isfinite(low) and np.isfinite(high)):
        low, high = np.inf, -np.inf  # find the finite extremes strip by strip
        for _, values in _bands(image, 8):
            finite = values[np.isfinite(values)]
            if finite.size:
                low, high = min(low, float(finite.min())), max(high, float(finite.max()))
        if low > high:  # nothing finite at all
            low = high = 0.0
    if image.mode == "I" and low >= 0 and high <= 255:
        scale, offset = 1.0, 0.0
    elif image.mode == "I" and low >= 0 and high <= 65535:
        scale, offset = 255 / 65535, 0.0
    elif image.mode == "F" and low >= 0 and high <= 1:
        scale, offset = 255.0, 0.0
    elif high > low:
        scale, offset = 255 / (high - low), low
    else:  # a flat picture: keep its value where it can be kept
        scale, offset = 1.0, 0.0
    return scale, offset, low, high


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

    Works in strips of rows, each copied once out of Pillow and turned in
    numpy: ``np.asarray(image)`` would hold two extra full-size copies at once
    (Pillow's bytes plus their join).
    """
    width, height = image.size
    turn = _TURN[orientation]
    swaps = orientation >= 5  # these four turn width into height
    out = np.empty((width, height, 3) if swaps else (height, width, 3), dtype=np.uint8)
    rows = max(1, _STRIP_BYTES // (4 * width))
    for top in range(0, height, rows):
        bottom = min(height, top + rows)
        pixels = _rows(image, top, bottom)
        # Where the strip lands: mirrored orientations count rows (or columns) from the end.
        start, stop = (height - bottom, height - top) if orientation in (3, 4, 6, 7) else (top, bottom)
        if swaps:
            out[:, start:stop] = turn(pixels)
        else:
            out[start:stop] = turn(pixels)
    return out


# What each EXIF orientation asks for, done to a strip of rows: Pillow's
# FLIP_LEFT_RIGHT, ROTATE_180, FLIP_TOP_BOTTOM, TRANSPOSE, ROTATE_270, TRANSVERSE, ROTATE_90.
_TURN: dict[int, Callable[[np.ndarray], np.ndarray]] = {
    1: lambda a: a,
    2: lambda a: a[:, ::-1],
    3: lambda a: a[::-1, ::-1],
    4: lambda a: a[::-1],
    5: lambda a: a.transpose(1, 0, 2),
    6: lambda a: a.transpose(1, 0, 2)[:, ::-1],
    7: lambda a: a[::-1, ::-1].transpose(1, 0, 2),
    8: lambda a: a.transpose(1, 0, 2)[::-1],
}


def _rows(image: Image.Image, top: int, bottom: int) -> np.ndarray:
    """Rows ``top:bottom`` of an ``RGB`` or ``L`` image as a ``(rows, width, bands)`` array.

    Pillow's raw encoder packs a region straight into one bytes object;
    ``crop`` and ``np.asarray`` would copy each strip three times, which for a
    100-megapixel picture costs more than decoding its JPEG.
    """
    width, bands = image.size[0], len(image.mode)
    size = (bottom - top) * width * bands
    try:
        encoder = Image._getencoder(image.mode, "raw", (image.mode, 0, 1))
        encoder.setimage(image.im, (0, top, width, bottom))
        _, status, data = encoder.encode(size)
    except (AttributeError, TypeError):  # a Pillow without these internals
        status, data = 0, b""
    if status != 1 or len(data) != size:  # the public, slower way
        data = image.crop((0, top, width, bottom)).tobytes()
    return np.frombuffer(data, np.uint8).reshape(bottom - top, width, bands)


# --------------------------------------------------------------------------- errors


def _error(name: str | None, kind: str, reason: str) -> ImageLoadError:
    subject = f"'{name}'" if name else "this picture"
    return ImageLoadError(f"Couldn't read {subject}: {reason}", kind=kind, name=name)


# What each Pillow failure means, first match wins: (exception classes, words
# one of which the lower-cased message must hold (None: any message), kind).
_FAILURES: tuple[tuple[tuple[type[BaseException], ...], tuple[str, ...] | None, str], ...] = (
    ((Image.DecompressionBombError,), None, "too_large"),
    ((MemoryError,), None, "out_of_memory"),
    ((_UnsupportedMode,), None, "unsupported"),
    ((EOFError,), None, "truncated"),
    (_DECODE_ERRORS, ("text chunk", "max_text"), "too_much_metadata"),
    (_DECODE_ERRORS, ("truncat", "end of file", "premature", "not enough data"), "truncated"),
    (_DECODE_ERRORS, ("unknown pixel mode", "unsupported", "not supported", "bit depth"), "unsupported"),
    (_DECODE_ERRORS, None, "damaged"),
)

_REASONS = {
    "truncated": "the file is cut off part-way (it may not have finished downloading or copying). "
    "Download or export it again, then load the new copy.",
    "damaged": "the picture data inside it is damaged, so it can't be decoded. Download it again, "
    "or open it in a photo app and export a fresh copy as JPEG or PNG.",
    "unsupported": "it is a kind of picture the workbook can't read (for example 16-bit or "
    "floating-point colour, or an unusual colour space). Open it in a photo app and export it "
    "as an ordinary 8-bit JPEG or PNG, then load that.",
    "too_much_metadata": "it carries far more hidden text (metadata) than any photo needs, so "
    "the workbook won't read it. Open it in a photo app and export a fresh copy as JPEG or "
    "PNG (the extra text stays behind), then load that.",
    "out_of_memory": "there isn't enough memory to open a picture this large{size}. Close other "
    "notebooks, or export a smaller copy (for example 4000 pixels on the long edge) and load that.",
}


def _failure(
    exc: BaseException, name: str | None, size: tuple[int, int] | None, max_pixels: int
) -> ImageLoadError:
    """The learner's words for a Pillow failure, found in :data:`_FAILURES`."""
    text = str(exc).lower()
    kind = next(
        kind
        for classes, words, kind in _FAILURES
        if isinstance(exc, classes) and (words is None or any(word in text for word in words))
    )
    if kind == "too_large":
        found = re.search(r"\((\d+) pixels\)", str(exc))
        return _too_large(name, size, int(found[1]) if found else None, max_pixels)
    shown = f" ({size[0]:,} x {size[1]:,} pixels)" if size else ""
    return _error(name, kind, _REASONS[kind].format(size=shown))


# A header claiming more than this is not a big picture but a broken (or hostile) file.
_IMPOSSIBLE_PIXELS = 10**12


def _too_large(
    name: str | None, size: tuple[int, int] | None, pixels: int | None, limit: int, what: str | None = None
) -> ImageLoadError:
    """The picture is bigger than ``limit`` (or than Pillow's own hard limit, if that is lower).

    ``what`` names the kind of picture when its own, lower limit applies.
    """
    pillow_limit = Image.MAX_IMAGE_PIXELS
    if pillow_limit is not None:
        limit = min(limit, 2 * pillow_limit)
    if pixels is not None and pixels > _IMPOSSIBLE_PIXELS:
        claim = f"{size[0]:,} x {size[1]:,} pixels" if size else "billions of pixels"
        return _error(
            name,
            "too_large",
            f"its header claims {claim}, far more than any real picture, so the file is "
            "damaged or was made to crash programs. Don't use it: download or export the "
            "picture again from where it came.",
        )
    if size is not None:
        how_big = f"it is {size[0]:,} x {size[1]:,} pixels ({_count(size[0] * size[1])})"
    elif pixels is not None:
        how_big = f"it is {_count(pixels)}"
    else:
        how_big = "it is very large"
    if what is not None:
        return _error(
            name,
            "too_large",
            f"{how_big}, more than the {_count(limit)} the workbook opens for {what}, which "
            "takes longer to decode than a JPEG. Open it in a photo app and save it as JPEG or "
            "PNG (or export a smaller copy), then load that.",
        )
    return _error(
        name,
        "too_large",
        f"{how_big}, more than the {_count(limit)} the "
        "workbook opens at once. Export a smaller copy (for example 4000 pixels on the "
        "long edge) and load that.",
    )


def _too_big_file(name: str | None, size: int | None, limit: int) -> ImageLoadError:
    """A file (or stream) longer than any picture the workbook opens can be."""
    how_big = f"{size / 1e6:,.0f} MB" if size is not None else "endless, or very long"
    return _error(
        name,
        "too_large",
        f"the file is {how_big}, more than the {limit / 1e6:,.0f} MB the largest picture the "
        "workbook opens can take. Export a smaller copy as JPEG (for example 4000 pixels on "
        "the long edge) and load that.",
    )


def _count(pixels: int) -> str:
    """A pixel count as people say it: '24 megapixels', '1.5 megapixels', '2,000 pixels'."""
    if pixels >= 10_000_000:
        return f"{pixels / 1e6:,.0f} megapixels"
    if pixels >= 100_000:
        return f"{pixels / 1e6:.1f} megapixels"
    return f"{pixels:,} pixels"


# Signatures of the accepted formats: a file that starts like one but does not open is damaged.
_PICTURE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
# Signatures of picture formats the workbook knows of but does not open (see FORMATS),
# each named with its article.
_REFUSED_MAGIC = (
    (b"8BPS", "a Photoshop (PSD)"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000"),
    (b"\xff\x4f\xff\x51", "a JPEG 2000"),
    (b"\x00\x00\x00\x0cJXL ", "a JPEG XL"),
    (b"\xff\x0a", "a JPEG XL"),
    (b"%!PS", "a PostScript or EPS"),
    (b"\xc5\xd0\xd3\xc6", "a PostScript or EPS"),
    (b"\x00\x00\x01\x00", "a Windows icon (ICO)"),
    (b"\x00\x00\x02\x00", "a Windows cursor (CUR)"),
    (b"icns", "a Mac icon (ICNS)"),
    (b"BLP1", "a BLP texture"),
    (b"BLP2", "a BLP texture"),
    (b"DDS ", "a DirectDraw texture (DDS)"),
    (b"qoif", "a QOI"),
    (b"SIMPLE  =", "a FITS"),
    (b"\x76\x2f\x31\x01", "an OpenEXR"),
    (b"#?RADIANCE", "a Radiance HDR"),
    (b"\x59\xa6\x6a\x95", "a Sun raster"),
    (b"\x01\xda", "an SGI"),
    *((b"\x1c" + bytes([record]), "an IPTC/NAA") for record in range(1, 10)),
    *(
        (b"P" + bytes([digit]) + space, "a Netpbm (PPM/PGM)")
        for digit in b"1234567"
        for space in (b" ", b"\n", b"\r", b"\t")
    ),
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
    for magic, label in _REFUSED_MAGIC:
        if head.startswith(magic):
            return _error(
                name,
                "unsupported",
                f"it is {label} file, a format the workbook doesn't open. Open it in a photo "
                "or drawing app and export it as an ordinary 8-bit JPEG or PNG, then load that.",
            )
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


class SaveError(OSError):
    """A picture could not be saved; the message names the file and says what to do.

    An ``OSError``, so code that catches those keeps working; ``errno`` is the
    system's code when there was one, ``path`` the file that was asked for.

    Examples
    --------
    >>> error = SaveError("Couldn't save 'a.jpg': the disk is full.", path="a.jpg")
    >>> isinstance(error, OSError), str(error), error.path.name
    (True, "Couldn't save 'a.jpg': the disk is full.", 'a.jpg')
    """

    def __init__(self, message: str, *, path: str | os.PathLike[str], code: int | None = None) -> None:
        super().__init__(message)
        self.errno = code
        self.strerror = message
        self.path = Path(path)

    def __str__(self) -> str:
        return str(self.strerror)


# What a failed save means, by the system's error code; {folder} is where it went.
_SAVE_PROBLEMS: dict[int, str] = {
    errno.ENOSPC: "the disk is full. Delete files you no longer need (old exports, say), then save again.",
    getattr(errno, "EDQUOT", -1): "your share of the disk is used up. Delete files you no longer need "
    "(old exports, say), then save again.",
    errno.EACCES: "this notebook isn't allowed to write in '{folder}'. Save into a folder of your own, "
    "for example 'exports' next to the notebook.",
    errno.EPERM: "this notebook isn't allowed to write in '{folder}'. Save into a folder of your own, "
    "for example 'exports' next to the notebook.",
    errno.EROFS: "'{folder}' can only be read, not written. Save into another folder, for example "
    "'exports' next to the notebook.",
    errno.ENAMETOOLONG: "the name is too long for this disk. Choose a shorter name.",
    errno.ENOENT: "the folder '{folder}' doesn't exist. Create it first (Path({folder!r}).mkdir(parents=True)) "
    "or choose an existing folder.",
    errno.ENOTDIR: "'{folder}' is a file, not a folder. Choose a folder to save into.",
    errno.EEXIST: "too many copies with that name already. Choose another name.",
}


def _save_error(path: Path, exc: BaseException | None = None, code: int | None = None) -> SaveError:
    code = code if code is not None else getattr(exc, "errno", None)
    why = getattr(exc, "strerror", None) or (str(exc) if exc is not None else "") or "the system refused"
    reason = _SAVE_PROBLEMS.get(code, f"the computer refused ({why}). Try again, or choose another name or folder.")
    return SaveError(f"Couldn't save '{path}': {reason.format(folder=str(path.parent))}", path=path, code=code)


def save_image(image: np.ndarray, path: str | os.PathLike[str], *, quality: int = 92) -> Path:
    """Save a picture without ever overwriting a file, atomically.

    If ``path`` is taken, the next free name of the form ``name-1.jpg``,
    ``name-2.jpg``, ... is used (a name too long for the disk is shortened
    first, keeping its extension). The picture is written to a hidden
    temporary file in the same folder and flushed to disk, then linked to its
    final name in one step (which fails rather than replace a file that
    appeared meanwhile), so a reader never sees half a file. The temporary
    file is removed whatever happens, and ones left by a save that was killed
    part-way (older than an hour) are removed by the next save there.

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
    SaveError
        If the picture could not be written: the folder is missing (it is
        not created silently) or is a file, the disk is full, writing there
        is not allowed... The message names the file and says what to do.

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
        raise _save_error(path, code=errno.ENOENT)
    if not folder.is_dir():
        raise _save_error(path, code=errno.ENOTDIR)
    options: dict[str, Any] = {}
    if fmt == "JPEG":
        options = {"quality": quality, "subsampling": "4:4:4" if quality >= 90 else "4:2:0"}
    elif fmt == "WEBP":
        options = {"quality": quality}

    _remove_stale_temporaries(folder)
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
    except SaveError:
        raise
    except OSError as exc:
        raise _save_error(path, exc) from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    _fsync_folder(folder)
    return written


# A temporary file of save_image's: hidden, then the name, 12 hex digits, ".tmp".
_TEMPORARY_NAME = re.compile(r"\..+\.[0-9a-f]{12}\.tmp\Z", re.DOTALL)
_STALE_AFTER_SECONDS = 3600  # far longer than any save takes, so a save running elsewhere is left alone


def _remove_stale_temporaries(folder: Path) -> None:
    """Delete temporary files that a killed save left behind in ``folder``."""
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not _TEMPORARY_NAME.match(entry.name):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and now - info.st_mtime > _STALE_AFTER_SECONDS:
                    os.unlink(entry.path)


def _candidates(path: Path) -> Iterator[Path]:
    """``path``, then ``stem-1.ext``, ``stem-2.ext``, ..., each shortened to fit the disk's name limit."""
    limit = _name_limit(path.parent)
    yield path.with_name(_fit(path.stem, path.suffix, limit))
    for number in range(1, 100_000):
        yield path.with_name(_fit(path.stem, f"-{number}{path.suffix}", limit))


def _name_limit(folder: Path) -> int:
    """The longest file name the folder's disk takes, in bytes (255 on most)."""
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):
        return 255


def _fit(stem: str, ending: str, limit: int) -> str:
    """``stem + ending``, with the stem cut short until the name fits in ``limit`` bytes.

    >>> _fit("a" * 300, "-1.jpg", 255) == "a" * 249 + "-1.jpg"
    True
    """
    room = limit - len(os.fsencode(ending))
    stem = stem[: max(room, 1)]
    while stem and len(os.fsencode(stem)) > room:
        stem = stem[:-1]  # a character can be several bytes
    return (stem or "picture") + ending


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
    raise _save_error(path, code=errno.EEXIST)


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
    tile by tile, so no second full-size copy is made), with a block size of
    its own along each edge, and then finish with a Lanczos filter; the result
    differs from a plain Lanczos resize by well under one level on average, at
    a fraction of the time (a 6000 x 4000 photo takes tens of milliseconds)
    and memory (a 1 x 45,000,000 strip works too).

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
    # Whole blocks to average first, along each edge: a Lanczos filter over a
    # 45,000-to-1 reduction would need gigabytes of weights.
    factors = (max(1, width // size[0]), max(1, height // size[1]))
    reduced = _reduce(pixels, factors) if max(factors) >= 2 else Image.fromarray(pixels)
    # The box keeps the geometry exact when the last block was a partial one.
    box = (0.0, 0.0, width / factors[0], height / factors[1])
    return np.array(reduced.resize(size, Image.Resampling.LANCZOS, box=box))


def _reduce(pixels: np.ndarray, factors: tuple[int, int]) -> Image.Image:
    """``Image.fromarray(pixels).reduce(factors)``, tile by tile to keep memory and time low."""
    height, width = pixels.shape[:2]
    across, down = factors
    tile_pixels = _STRIP_BYTES // 4
    # Tiles hold whole blocks, so averaging them apart gives what one reduce would.
    columns = min(width, max(1, tile_pixels // (across * down)) * across)
    rows = max(1, tile_pixels // (columns * down)) * down
    reduced = Image.new("RGB", (-(-width // across), -(-height // down)))
    for top in range(0, height, rows):
        for left in range(0, width, columns):
            tile = Image.fromarray(pixels[top : top + rows, left : left + columns])
            reduced.paste(tile.reduce(factors), (left // across, top // down))
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
        A baseline JPEG, the size of ``image``; a picture with an edge over
        65,500 pixels (JPEG's limit) is first shrunk with :func:`preview` to
        fit, since no JPEG can hold it.

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
    if max(pixels.shape[:2]) > _JPEG_MAX_EDGE:
        pixels = preview(pixels, _JPEG_MAX_EDGE)
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


def write_sidecar(image_path: str | os.PathLike[str], data: dict) -> Path:
    """Write ``data`` as ``<image name>.json`` beside a saved picture; never overwrites.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_sidecar(folder / "koch-warmth.jpg", {"a": 1}).name
    'koch-warmth.json'
    >>> write_sidecar(folder / "koch-warmth.jpg", {"a": 2}).name
    'koch-warmth-1.json'
    """
    image_path = Path(image_path)
    text = json.dumps(data, indent=2) + "\n"
    stem, n = image_path.with_suffix(""), 0
    while True:
        path = Path(f"{stem}{'' if n == 0 else f'-{n}'}.json")
        try:
            with open(path, "x", encoding="utf-8") as stream:  # "x": fails rather than overwrite
                stream.write(text)
            return path
        except FileExistsError:
            n += 1
