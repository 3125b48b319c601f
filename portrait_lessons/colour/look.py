"""A look: every colour and film setting in one object, and a fast renderer for it.

:class:`Look` holds every setting of :mod:`portrait_lessons.colour.adjust` and
:mod:`portrait_lessons.colour.film` with its neutral default; each field is one slider
(see :data:`SETTINGS` for labels, limits and steps). It converts to and from a
plain dict (JSON), with validation.

:func:`render_look` applies a look fast enough to follow a slider on a
1024 px preview. It compiles the look rather than running each control in turn:

1. one 256-entry lookup table per channel (Pillow's ``Image.point``) holds
   white balance gains in linear light, exposure, contrast, highlights and
   shadows, and the print curves (cross-processing, cast, fade); tables are
   cached by the tone settings alone, so a film slider step reuses them;
2. one 3x3 matrix (a Pillow matrix conversion) holds the rest of the Bradford
   adaptation, saturation and the change to YCbCr;
3. luma and colour then go separate ways, on two cores. The calling thread
   works the colour from a half-size copy (see 4): the matrix, the glows
   (soft focus and halation, blurred at a 128 px short edge from
   that copy's luma), a 65,536-entry table on (Cb, Cr) for vibrance, tables
   on luma for the colour grade, the vignette. A worker thread makes the
   full-size luma, adds the glows' luma part as soon as it is handed over,
   then the vignette, the light leak (after the vignette: stray light does
   not pass the lens) and grain. The last step, luma plus colour into RGB, is
   split between the two by channel;
4. previews (long edge up to :data:`CHROMA_HALF_SIZE_EDGE`) carry colour at
   half size in each axis, 4:2:0 as in the JPEG sent to the browser: each
   colour value covers a 2 x 2 block of luma, which is what that JPEG keeps;
   larger images (exports) keep colour at full size. Textures and masks are cached per frame size, and the
   arithmetic is int16 fixed point.

:func:`render_look_reference` is the same look written plainly in float64
(:mod:`adjust` and :mod:`film` step by step); tests check that the two agree.

Examples
--------
>>> import numpy as np
>>> look = Look(temperature=7500, vibrance=20, grain=30)
>>> Look.from_dict(look.to_dict()) == look
True
>>> photo = np.full((64, 64, 3), 120, np.uint8)
>>> render_look(photo, Look()).tolist() == photo.tolist()
True
"""

from __future__ import annotations

import dataclasses
import json
import math
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageFilter

from . import adjust
from . import film
from .white_balance import NEUTRAL_KELVIN, linear_to_srgb, srgb_to_linear


@dataclass(frozen=True)
class Setting:
    """One slider: its field name, label, limits, step, neutral value and group."""

    name: str
    label: str
    minimum: float
    maximum: float
    step: float
    neutral: float
    group: str
    help: str


_S = Setting
#: Every setting of a look, in the order an editor shows them.
SETTINGS: tuple[Setting, ...] = (
    _S("temperature", "Temperature (K)", 3000, 12000, 50, NEUTRAL_KELVIN, "White balance",
       "the light to correct for; higher is warmer, 6504 K leaves the photo as it is; below it gentler, as skin cools fast"),
    _S("tint", "Tint", -100, 100, 1, 0, "White balance", "negative is greener, positive more magenta"),
    _S("exposure", "Exposure (EV)", -3, 3, 0.05, 0, "Tone", "stops of light; +1 doubles it"),
    _S("contrast", "Contrast", -100, 100, 1, 0, "Tone", "steeper or flatter about middle grey"),
    _S("highlights", "Highlights", -100, 100, 1, 0, "Tone", "bright areas down (negative) or up"),
    _S("shadows", "Shadows", -100, 100, 1, 0, "Tone", "dark areas up (positive) or down"),
    _S("vibrance", "Vibrance", -100, 100, 1, 0, "Colour", "dull colours stronger; skin and strong colours protected"),
    _S("saturation", "Saturation", -100, 100, 1, 0, "Colour", "every colour stronger or weaker; -100 is black and white"),
    _S("grade_shadows_hue", "Shadows hue", 0, 360, 1, 0, "Colour grading", "hue of the shadow tint"),
    _S("grade_shadows", "Shadows tint", 0, 100, 1, 0, "Colour grading", "strength of the shadow tint"),
    _S("grade_midtones_hue", "Midtones hue", 0, 360, 1, 0, "Colour grading", "hue of the midtone tint"),
    _S("grade_midtones", "Midtones tint", 0, 100, 1, 0, "Colour grading", "strength of the midtone tint"),
    _S("grade_highlights_hue", "Highlights hue", 0, 360, 1, 0, "Colour grading", "hue of the highlight tint"),
    _S("grade_highlights", "Highlights tint", 0, 100, 1, 0, "Colour grading", "strength of the highlight tint"),
    _S("cross_process", "Cross-process", 0, 100, 1, 0, "Film", "slide film in negative chemistry: blue shadows, yellow highlights"),
    _S("cast_hue", "Cast hue", 0, 360, 1, 0, "Film", "hue of an overall colour cast"),
    _S("cast", "Cast", 0, 100, 1, 0, "Film", "strength of the cast, as in an aged print"),
    _S("fade", "Fade", 0, 100, 1, 0, "Film", "lifted blacks of a faded or matte print"),
    _S("soft_focus", "Soft focus", 0, 100, 1, 0, "Film", "a diffusion filter's softness and glow"),
    _S("halation", "Halation", 0, 100, 1, 0, "Film", "red glow around bright areas"),
    _S("light_leak", "Light leak", 0, 100, 1, 0, "Film", "warm light spilling in at an edge"),
    _S("light_leak_angle", "Leak position", 0, 360, 1, 20, "Film", "where the leak enters: 0 right, 90 top, 180 left"),
    _S("vignette", "Vignette", -100, 100, 1, 0, "Film", "negative darkens the edges, positive lightens them"),
    _S("vignette_midpoint", "Vignette midpoint", 0, 100, 1, 50, "Film", "how far in the vignette starts"),
    _S("vignette_roundness", "Vignette roundness", -100, 100, 1, 0, "Film", "-100 squarer, 100 a circle"),
    _S("vignette_feather", "Vignette feather", 0, 100, 1, 50, "Film", "how soft the vignette's edge is"),
    _S("grain", "Grain", 0, 100, 1, 0, "Film", "film grain, strongest in the midtones"),
    _S("grain_size", "Grain size", 0, 100, 1, 50, "Film", "grain clump size, relative to the frame"),
)  # fmt: skip
SETTING = {s.name: s for s in SETTINGS}


class LookError(ValueError):
    """A look's settings are not valid; the message says which and how to fix it."""


@dataclass(frozen=True)
class Look:
    """Every colour and film setting, with neutral defaults (a neutral look changes nothing).

    Fields are in slider units (see :data:`SETTINGS`). Build one with
    keywords, change it with :meth:`replace`, save it with :meth:`to_dict` and
    load it with :meth:`from_dict`.

    Examples
    --------
    >>> Look().is_neutral()
    True
    >>> warm = Look(temperature=7200, grain=20)
    >>> warm.changes()
    {'temperature': 7200.0, 'grain': 20.0}
    >>> Look(grain=150)
    Traceback (most recent call last):
    ...
    portrait_lessons.colour.look.LookError: grain is 150, but it must be between 0 and 100.
    """

    temperature: float = NEUTRAL_KELVIN
    tint: float = 0.0
    exposure: float = 0.0
    contrast: float = 0.0
    highlights: float = 0.0
    shadows: float = 0.0
    vibrance: float = 0.0
    saturation: float = 0.0
    grade_shadows_hue: float = 0.0
    grade_shadows: float = 0.0
    grade_midtones_hue: float = 0.0
    grade_midtones: float = 0.0
    grade_highlights_hue: float = 0.0
    grade_highlights: float = 0.0
    cross_process: float = 0.0
    cast_hue: float = 0.0
    cast: float = 0.0
    fade: float = 0.0
    soft_focus: float = 0.0
    halation: float = 0.0
    light_leak: float = 0.0
    light_leak_angle: float = 20.0
    vignette: float = 0.0
    vignette_midpoint: float = 50.0
    vignette_roundness: float = 0.0
    vignette_feather: float = 50.0
    grain: float = 0.0
    grain_size: float = 50.0

    def __post_init__(self):
        for setting in SETTINGS:
            value = getattr(self, setting.name)
            object.__setattr__(self, setting.name, _checked(setting, value))

    def to_dict(self) -> dict[str, float]:
        """Every setting by name (JSON-ready), in :data:`SETTINGS` order."""
        return {s.name: getattr(self, s.name) for s in SETTINGS}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Look:
        """Build a look from a dict such as :meth:`to_dict` makes; missing settings stay neutral.

        Raises
        ------
        LookError
            On an unknown name, a value that is not a number, or one out of range.

        Examples
        --------
        >>> Look.from_dict({"vibrance": 25}).vibrance
        25.0
        >>> Look.from_dict({"warmth": 10})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        portrait_lessons.colour.look.LookError: 'warmth' is not a look setting. The settings are: temperature, tint, ...
        """
        if not isinstance(values, dict):
            raise LookError(f"A look must be a dict of settings, not {type(values).__name__}.")
        unknown = [name for name in values if name not in SETTING]
        if unknown:
            raise LookError(
                f"{unknown[0]!r} is not a look setting. The settings are: {', '.join(SETTING)}."
            )
        return cls(**values)

    def to_json(self) -> str:
        """The settings as a JSON string."""
        return json.dumps(self.to_dict(), indent=1)

    @classmethod
    def from_json(cls, text: str) -> Look:
        """Read a look from :meth:`to_json`'s text, with a clear error if it is not JSON."""
        try:
            values = json.loads(text)
        except json.JSONDecodeError as error:
            raise LookError(f"These look settings are not valid JSON ({error.msg} at line {error.lineno}).") from None
        return cls.from_dict(values)

    def replace(self, **changes: float) -> Look:
        """A copy with some settings changed (validated like the constructor)."""
        return dataclasses.replace(self, **changes)

    def changes(self) -> dict[str, float]:
        """The settings that differ from neutral (those that change the picture)."""
        active = _active(self)
        return {s.name: getattr(self, s.name) for s in SETTINGS if s.name in active}

    def is_neutral(self) -> bool:
        """Whether this look leaves every photo exactly as it is."""
        return not _active(self)


def _checked(setting: Setting, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise LookError(f"{setting.name} must be a number, not {value!r}.")
    value = float(value)
    if not math.isfinite(value) or not setting.minimum <= value <= setting.maximum:
        raise LookError(
            f"{setting.name} is {value:g}, but it must be between {setting.minimum:g} and {setting.maximum:g}."
        )
    return value


# Settings that only shape another one: they matter only when it is on.
_SHAPERS = {
    "grade_shadows_hue": "grade_shadows",
    "grade_midtones_hue": "grade_midtones",
    "grade_highlights_hue": "grade_highlights",
    "cast_hue": "cast",
    "light_leak_angle": "light_leak",
    "vignette_midpoint": "vignette",
    "vignette_roundness": "vignette",
    "vignette_feather": "vignette",
    "grain_size": "grain",
}


def _active(look: Look) -> set[str]:
    changed = {s.name for s in SETTINGS if getattr(look, s.name) != s.neutral}
    return {name for name in changed if _SHAPERS.get(name, name) in changed or name not in _SHAPERS}


#: Every adjustment on at once, at ordinary strengths: the look the tests check
#: against the reference and the benchmark times.
FULL_LOOK = Look(
    temperature=7400, tint=8, exposure=0.2, contrast=20, highlights=-30, shadows=25, vibrance=30, saturation=-10,
    grade_shadows_hue=200, grade_shadows=30, grade_midtones_hue=40, grade_midtones=10, grade_highlights_hue=50,
    grade_highlights=25, cross_process=20, cast_hue=40, cast=15, fade=25, soft_focus=30, halation=40,
    light_leak=30, vignette=-35, grain=40,
)  # fmt: skip


# --- the fast renderer ----------------------------------------------------------------

def _check_image(image: np.ndarray) -> None:
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        shape = getattr(image, "shape", None)
        dtype = getattr(image, "dtype", type(image).__name__)
        raise ValueError(
            f"render_look needs an RGB photo as a uint8 array of shape (height, width, 3); got {dtype} "
            f"with shape {shape}. Load photos with portrait_lessons.images.load_image."
        )


def _split_white_balance(look: Look) -> tuple[np.ndarray, np.ndarray]:
    """Split the linear-light white-balance matrix into channel gains and a grey-keeping mix.

    ``matrix = diag(gains) @ mix`` where every row of ``mix`` sums to 1, so
    ``mix`` leaves greys exactly grey. The gains go into the per-channel
    tables (in linear light, exactly); the small mix joins the YCbCr matrix.
    """
    return _white_balance_split(look.temperature, look.tint)


@lru_cache(maxsize=32)
def _white_balance_split(temperature: float, tint: float) -> tuple[np.ndarray, np.ndarray]:
    # Cached: both render threads need it at every step, and the matrix inverse inside
    # costs more than the rest of a small step's arithmetic (and wakes BLAS threads).
    matrix = adjust.white_balance_matrix(adjust.developed_kelvin(temperature), adjust.developed_tint(temperature, tint))
    gains = matrix @ np.ones(3)
    return _read_only(gains), _read_only(matrix / gains[:, None])


def _read_only(array: np.ndarray) -> np.ndarray:
    """The array, marked read-only: cached results are shared by every caller."""
    array.flags.writeable = False
    return array


def _channel_curves(x: np.ndarray, look: Look, gains: np.ndarray) -> np.ndarray:
    """Every per-channel step, for encoded values ``x`` in [0, 1]; returns (..., 3)."""
    linear = srgb_to_linear(x)[..., None] * gains
    linear = adjust._exposure_curve(linear, look.exposure)
    y = linear_to_srgb(linear)
    return _tone_and_print(y, look)


def _tone_and_print(y: np.ndarray, look: Look) -> np.ndarray:
    """Contrast, highlights and shadows, then the print curves, on encoded (..., 3) values."""
    y = adjust._contrast_curve(y, look.contrast)
    y = adjust._highlights_shadows_curve(y, look.highlights, look.shadows)
    if look.cross_process:
        y = film._cross_process_curves(y, look.cross_process)[..., [0, 1, 2], [0, 1, 2]]
    if look.cast:
        y = film._cast_curves(y, look.cast_hue, look.cast)
    if look.fade:
        y = film._fade_curve(y, look.fade)
    return y


def _channel_table(look: Look) -> list[int] | None:
    """The 768-entry table for ``Image.point``, or None if it is the identity."""
    return _channel_table_for(tuple(getattr(look, name) for name in _TONE_SETTINGS))


#: The settings the per-channel curves depend on (a grain or vignette step reuses the table).
_TONE_SETTINGS = ("temperature", "tint", "exposure", "contrast", "highlights", "shadows",
                  "cross_process", "cast_hue", "cast", "fade")  # fmt: skip


@lru_cache(maxsize=32)
def _channel_table_for(tone: tuple[float, ...]) -> list[int] | None:
    look = Look(**dict(zip(_TONE_SETTINGS, tone)))
    gains, _ = _split_white_balance(look)
    curves = _channel_curves(np.arange(256) / 255.0, look, gains)
    table = np.rint(np.clip(curves, 0, 1) * 255).astype(np.uint8).T.ravel()
    if np.array_equal(table, np.tile(np.arange(256, dtype=np.uint8), 3)):
        return None
    return table.tolist()


def _ycc_matrix(look: Look) -> np.ndarray:
    """The 3x3 map from encoded RGB to YCbCr (before offsets), with the white-balance mix and saturation."""
    return _ycc_matrix_for(look.temperature, look.tint, look.saturation)


@lru_cache(maxsize=32)
def _ycc_matrix_for(temperature: float, tint: float, saturation: float) -> np.ndarray:
    _, mix = _white_balance_split(temperature, tint)
    chroma = np.diag([1.0, 1 + saturation / 100, 1 + saturation / 100])
    return _read_only(chroma @ adjust.RGB_TO_YCC @ mix)


def _pillow_matrix(matrix: np.ndarray, offsets: np.ndarray) -> tuple[float, ...]:
    return tuple(float(v) for row, offset in zip(matrix, offsets) for v in (*row, offset))


@lru_cache(maxsize=1)
def _chroma_weights() -> tuple[np.ndarray, np.ndarray]:
    """Vibrance weight and chroma of every (Cb, Cr) pair, indexed Cb * 256 + Cr."""
    cb, cr = np.meshgrid(np.arange(256.0), np.arange(256.0), indexing="ij")
    return cb.ravel(), cr.ravel()


@lru_cache(maxsize=8)
def _vibrance_table(amount: float) -> np.ndarray:
    """(Cb', Cr') for every (Cb, Cr), packed as uint16 (Cb' low byte, Cr' high byte)."""
    cb, cr = _chroma_weights()
    gain = adjust._vibrance_gain(cb, cr, amount)
    new_cb = np.clip(np.rint(128 + (cb - 128) * gain), 0, 255).astype(np.uint16)
    new_cr = np.clip(np.rint(128 + (cr - 128) * gain), 0, 255).astype(np.uint16)
    return new_cb | (new_cr << 8)


@lru_cache(maxsize=8)
def _grade_tables(wheels) -> tuple[list[int], list[int]] | None:
    """Grading offsets (+128) for each luma level: a Cb table and a Cr table for ``Image.point``."""
    if not any(strength for _, strength in wheels):
        return None
    offsets = np.clip(np.rint(adjust._grade_offsets(np.arange(256) / 255.0, *wheels)) + 128, 0, 255).astype(np.uint8)
    return offsets[:, 0].tolist(), offsets[:, 1].tolist()


def _wheels(look: Look):
    return (
        (look.grade_shadows_hue, look.grade_shadows),
        (look.grade_midtones_hue, look.grade_midtones),
        (look.grade_highlights_hue, look.grade_highlights),
    )


#: Previews up to this long edge (and with even sides) carry colour at half size
#: in each axis (4:2:0, as the JPEG preview does anyway); larger images, such as
#: full-size exports, keep colour at full size.
CHROMA_HALF_SIZE_EDGE = 1024


def _chroma_factor(height: int, width: int) -> int:
    """2 when the colour planes are worked at half size (previews), else 1 (exports, odd sizes).

    Examples
    --------
    >>> _chroma_factor(1024, 768), _chroma_factor(3000, 2000), _chroma_factor(101, 100)
    (2, 1, 1)
    """
    small_preview = max(height, width) <= CHROMA_HALF_SIZE_EDGE and min(height, width) >= 4
    return 2 if small_preview and height % 2 == 0 and width % 2 == 0 else 1


def _block_mean(plane: np.ndarray, factor: int) -> np.ndarray:
    """Mean of each factor x factor block of a plane whose sides divide by factor (float64)."""
    if factor == 1:
        return plane.astype(np.float64)
    height, width = plane.shape
    return plane.reshape(height // factor, factor, width // factor, factor).mean(axis=(1, 3))


@lru_cache(maxsize=4)
def _vignette_shape(height, width, midpoint, roundness, feather, factor) -> tuple[np.ndarray, np.ndarray]:
    """The vignette's mask (float64) at full and at chroma size, cached apart from its amount.

    An era's strength slider changes only the amount: rebuilding the mask at
    every step cost most of that step's render.
    """
    mask = film.vignette_mask(height, width, midpoint, roundness, feather).astype(np.float64)
    return mask, _block_mean(mask, factor)


@lru_cache(maxsize=4)
def _vignette_planes(height, width, amount, midpoint, roundness, feather, factor=1) -> tuple[np.ndarray, ...]:
    """Integer vignette scale (x128) and added grey (levels), int16, and the scale at chroma size."""
    mask, chroma_mask = _vignette_shape(height, width, midpoint, roundness, feather, factor)
    a = abs(amount) / 100
    scale = np.rint(128 - (128 * a) * mask).astype(np.int16)
    lift = np.rint((255 * a) * mask).astype(np.int16) if amount > 0 else np.zeros(mask.shape, np.int16)
    return scale, lift, np.rint(128 - (128 * a) * chroma_mask).astype(np.int16)


@lru_cache(maxsize=4)
def _leak_fields(height, width, angle, amount) -> np.ndarray:
    """Light-leak offsets in Y, Cb, Cr levels, float32 (3, height, width), cached per size and setting."""
    rgb = film.light_leak_rgb(height, width, angle) * film.light_leak_levels(amount)
    return np.ascontiguousarray(np.moveaxis(rgb @ adjust.RGB_TO_YCC.T, -1, 0), dtype=np.float32)


@lru_cache(maxsize=4)
def _leak_planes(height, width, factor, angle, amount) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The light leak's luma (full size) and Cb, Cr (chroma size), cached per size and setting.

    int16, or int32 when a leak is too strong for int16 arithmetic in :func:`_add_leak`.

    Made smooth at the glows' reduced size and enlarged, like the glows.
    """
    step = _glow_factor(height, width, factor)
    fields = _leak_fields(-(-height // step), -(-width // step), angle, amount)
    small_height, small_width = -(-height // factor), -(-width // factor)
    planes = (_to_size(fields[0], height, width), _to_size(fields[1], small_height, small_width),
              _to_size(fields[2], small_height, small_width))  # fmt: skip
    # Times the headroom (x256, at most 256) plus the rounding half, int16 holds leaks up to 127 levels.
    wide = max(int(np.abs(plane).max(initial=0)) for plane in planes) > 127
    return tuple(_read_only(plane.astype(np.int32) if wide else plane) for plane in planes)


def _headroom_256(luma: np.ndarray, dtype=np.int32) -> np.ndarray:
    """:func:`film.leak_headroom` of integer luma levels, x256 (int32, or ``dtype``).

    Examples
    --------
    >>> _headroom_256(np.array([[-5, 0, 255, 300]], np.int16)).tolist() == [_HEADROOM[[0, 0, 255, 255]].tolist()]
    True
    """
    levels = np.empty(luma.shape, np.uint8)
    np.clip(luma, 0, 255, out=levels, casting="unsafe")  # in range, so the cast is exact
    return cv2.LUT(levels, _HEADROOM if dtype == np.int32 else _HEADROOM.astype(dtype))


def _add_leak(plane: np.ndarray, leak: np.ndarray, room: np.ndarray) -> None:
    """``plane += round(leak * room / 256)`` in place (int16 plane; leak and room x256 of one integer type)."""
    light = np.multiply(leak, room, dtype=leak.dtype)  # within range: see _leak_planes
    light += 128
    light >>= 8
    np.add(plane, light, out=plane, casting="unsafe")  # small values: the cast is exact


_HEADROOM = np.rint(film.leak_headroom(np.arange(256.0)) * 256).astype(np.int32)
_GRAIN_SCALE = 32  # texture stored x32 as int16; amplitudes x8, product >> 8


@lru_cache(maxsize=4)
def _grain_plane(height, width, size, seed) -> np.ndarray:
    texture = film.grain_texture(height, width, size, seed)
    return np.clip(np.rint(texture * _GRAIN_SCALE), -127, 127).astype(np.int16)


@lru_cache(maxsize=4)
def _grain_texture_small(height, width, size, seed, factor) -> np.ndarray:
    """The grain texture at chroma size (block means), float32: where the colour follows the grain."""
    return _block_mean(film.grain_texture(height, width, size, seed), factor).astype(np.float32)


@lru_cache(maxsize=8)
def _grain_colour_table(amount: float, share: float = 1.0) -> np.ndarray:
    """Grain amplitude over luma (floored), times the colour's ``share``, for each luma level, float32.

    See :func:`film.grain_colour_scale` and :func:`film.grain_colour_share`.
    """
    levels = np.arange(256.0)
    ratio = share * film.grain_amplitude(levels / 255, amount) / np.maximum(levels, film.GRAIN_CHROMA_FLOOR)
    return ratio.astype(np.float32)


@lru_cache(maxsize=8)
def _grain_table(amount: float) -> np.ndarray:
    """Grain amplitude x8 for each luma level (at most 128), a uint8 table for ``cv2.LUT``."""
    return _read_only(np.rint(film.grain_amplitude(np.arange(256) / 255.0, amount) * 8).astype(np.uint8))


@lru_cache(maxsize=1)
def _soft_focus_source_table() -> list[int]:
    """Each luma level's bright part, in levels (:func:`film.soft_focus_source` times the level)."""
    levels = np.arange(256.0)
    return np.rint(film.soft_focus_source(levels / 255) * levels).astype(np.uint8).tolist()


@lru_cache(maxsize=16)
def _halation_table(threshold: float, top: float) -> list[int]:
    return np.rint(film.halation_source(np.arange(256) / 255.0, threshold, top) * 255).astype(np.uint8).tolist()


@lru_cache(maxsize=16)
def _halation_receiver_table(threshold: float) -> list[int]:
    return np.rint(film.halation_receiver(np.arange(256) / 255.0, threshold) * 255).astype(np.uint8).tolist()


#: The fast renderer blurs its glows on a copy whose short edge is about this long
#: (the blur's cost follows the pixel count; repeated doubling brings them back smoothly).
GLOW_EDGE = 128


def _glow_factor(height: int, width: int, chroma_factor: int) -> int:
    """The downscale at which the glows are made: a multiple of the chroma factor.

    The glows are made from the colour thread's luma, which is already at
    chroma size, so the step from there is a whole number.

    Examples
    --------
    >>> _glow_factor(1024, 1024, 2), _glow_factor(400, 300, 2), _glow_factor(3000, 2000, 1)
    (8, 2, 15)
    """
    return chroma_factor * max(1, min(height, width) // (chroma_factor * GLOW_EDGE))


def _soft_focus_weight(look: Look) -> int:
    """How much of luma soft focus swaps for its blur, x128 (shared by both threads, so they agree)."""
    return round(film.soft_focus_mix(look.soft_focus) * 128)


def _blurred(luma: Image.Image, step: int, sigma: float) -> np.ndarray:
    """An L image reduced by ``step`` and blurred by ``sigma`` px; float32 levels."""
    small = luma.reduce(step) if step > 1 else luma
    return np.asarray(small.filter(ImageFilter.GaussianBlur(sigma)), np.float32)


def _glow_fields(luma: Image.Image, look: Look, step: int, short_edge: float) -> list[np.ndarray]:
    """Soft focus and halation as offsets in Y, Cb and Cr levels: float32 (3, h, w) fields to add up.

    ``luma`` is reduced by ``step`` before blurring; ``short_edge`` is the
    frame's short edge in pixels at that reduced size (blurs are fractions of
    it). The blurs are smooth, so a small size loses nothing visible. The
    halation's spread light is then brought back to ``luma``'s size, where
    :func:`film.halation_receiver` keeps it off light pixels next to dark
    ones (at the reduced size it would tint them).
    """
    width, height = luma.size
    fields = []
    if look.soft_focus:
        blur = _blurred(luma, step, film.SOFT_FOCUS_SIGMA * short_edge)
        fields.append(np.zeros((3,) + blur.shape, np.float32))
        fields[-1][0] += blur * np.float32(_soft_focus_weight(look) / 128)
        # The diffusion halo: the bright light, spread from the narrow blur's reach to the wide one's.
        source = luma.point(_soft_focus_source_table())
        source = source.reduce(step) if step > 1 else source  # once, for both blurs
        glow = film.soft_focus_glow(look.soft_focus)
        halo = _blurred(source, 1, film.SOFT_FOCUS_GLOW_SIGMA * short_edge)
        halo -= _blurred(source, 1, film.SOFT_FOCUS_SIGMA * short_edge)
        fields[-1][0] += np.maximum(halo, 0) * np.float32(glow)  # only light reaching past the narrow blur
    if look.halation:
        weights = (adjust.RGB_TO_YCC @ film.halation_rgb(look.halation) / 255).astype(np.float32)
        threshold, top = film.halation_levels(luma.histogram())  # scaled to this photo's highlights
        source = luma.point(_halation_table(threshold, top))
        source = source.reduce(step) if step > 1 else source
        blur = source.filter(ImageFilter.GaussianBlur(film.HALATION_SIGMA * short_edge))
        spread = _to_size(np.asarray(blur, np.float32), height, width).astype(np.float32)  # see film.halation_glow
        receiver = luma.point(_halation_receiver_table(threshold))
        # Not in a dark crease inside a highlight (film.halation_room): the share of the neighbourhood
        # as dark as the pixel, from the receiver weights blurred at the reduced size.
        dark = receiver.reduce(step) if step > 1 else receiver
        dark = np.asarray(dark.filter(ImageFilter.GaussianBlur(film.HALATION_ROOM_SIGMA * short_edge)), np.float32)
        dark = cv2.resize(dark, (width, height), interpolation=cv2.INTER_LINEAR)  # smooth: one bilinear step
        dark *= np.float32(1 / 255)
        receiver = np.asarray(receiver, np.float32) / np.float32(255)
        spread *= film.halation_room(dark, receiver)
        spread *= receiver
        fields.append(spread * weights[:, None, None])
    return fields


def _to_size(field: np.ndarray, height: int, width: int) -> np.ndarray:
    """A smooth float32 field (levels) enlarged to height x width, rounded to int16.

    Whole power-of-two factors double repeatedly (each step bilinear, which
    together is smoother than one bilinear step); other sizes use Pillow.
    """
    small_height, small_width = field.shape
    factor = height // small_height
    if factor * small_height == height and factor * small_width == width and factor & (factor - 1) == 0:
        plane = np.rint(field).astype(np.float32)
        while plane.shape[0] < height:
            plane = _double(plane)
        return plane.astype(np.int16)
    enlarged = Image.fromarray(np.ascontiguousarray(field, np.float32), "F").resize((width, height), Image.BILINEAR)
    return np.rint(np.asarray(enlarged)).astype(np.int16)


def _luma_plane(image: np.ndarray, look: Look, seed: int, luma_glow: Future | None) -> np.ndarray:
    """Final luma, int16 at full size: curves, the matrix, soft focus and glows, vignette and grain.

    Runs on the worker thread while the calling thread works the colour and,
    early on, makes the glows from its small luma and hands over their luma
    part through ``luma_glow``.
    """
    height, width = image.shape[:2]
    picture = Image.fromarray(image)  # here, not on the colour thread: the copy into Pillow takes a while
    table = _channel_table(look)
    curved = picture.point(table) if table is not None else picture
    # Soft focus swaps part of luma for its blur: the sharp part is scaled down in the matrix.
    sharp = 1 - _soft_focus_weight(look) / 128 if look.soft_focus else 1
    y = np.asarray(curved.convert("L", _pillow_matrix(_ycc_matrix(look)[:1] * sharp, np.zeros(1)))).astype(np.int16)
    if luma_glow is not None:
        for field in luma_glow.result():
            y += _to_size(field, height, width)
    np.clip(y, 0, 255, out=y)  # the film saturates at the ends of the range
    if look.vignette:
        scale, lift, _ = _vignette_planes(height, width, *_vignette_settings(look), _chroma_factor(height, width))
        y *= scale
        y += 64
        y >>= 7
        if look.vignette > 0:
            y += lift
    if look.light_leak:
        # Stray light reaches the film without passing the lens, so the vignette does not dim it;
        # a bright pixel takes less of it (film.leak_headroom): x256 fixed point.
        leak = _leak_planes(height, width, _chroma_factor(height, width), look.light_leak_angle, look.light_leak)[0]
        _add_leak(y, leak, _headroom_256(y, leak.dtype))
        np.clip(y, 0, 255, out=y)
    if look.grain:
        # Amplitude x8 per luma level through Pillow's table look-up, then texture x32, >> 8.
        amplitude = cv2.LUT(y.astype(np.uint8), _grain_table(look.grain))
        noise = np.multiply(amplitude, _grain_plane(height, width, look.grain_size, int(seed)), dtype=np.int16)
        noise += 128
        noise >>= 8
        y += noise
    return y


def _vignette_settings(look: Look) -> tuple[float, ...]:
    return look.vignette, look.vignette_midpoint, look.vignette_roundness, look.vignette_feather


def _colour_terms(image: np.ndarray, look: Look, factor: int, luma_glow: Future | None, seed: int = 0) -> np.ndarray:
    """What chroma adds to luma in R, G and B: int16 (3, h, w) at chroma size.

    The photo is reduced to chroma size first (2 x 2 block means at
    ``factor`` 2) and then curved. The white-balance mix, saturation and the
    change to YCbCr are one Pillow matrix conversion; its luma makes the
    glows, whose luma part goes straight to the other thread. Then vibrance
    (a 65,536-entry table on (Cb, Cr)), the colour grade (tables on luma), the
    colour of the glows, and the vignette.
    """
    try:
        return _chroma_terms(image, look, factor, luma_glow, seed)
    except BaseException as error:
        if luma_glow is not None and not luma_glow.done():
            luma_glow.set_exception(error)  # never leave the luma thread waiting
        raise


def _chroma_terms(image: np.ndarray, look: Look, factor: int, luma_glow: Future | None, seed: int = 0) -> np.ndarray:
    height, width = image.shape[:2]
    if factor > 1:
        # 2 x 2 block means rounded half up, as Pillow's reduce(2) gives, in a quarter of its time.
        image = cv2.resize(image, (width // factor, height // factor), interpolation=cv2.INTER_AREA)
    small = Image.fromarray(image)
    table = _channel_table(look)
    if table is not None:
        small = small.point(table)
    ycc = np.asarray(small.convert("RGB", _pillow_matrix(_ycc_matrix(look), np.array([0.0, 128.0, 128.0]))))
    small_luma = Image.fromarray(np.ascontiguousarray(ycc[..., 0]))
    glow_colour = None
    if luma_glow is not None:
        step = _glow_factor(height, width, factor) // factor
        fields = _glow_fields(small_luma, look, step, min(height, width) / (factor * step))
        luma_glow.set_result([field[0] for field in fields])
        glow_colour = [field[1:] for field in fields if field[1:].any()]  # soft focus has no colour
    cb8, cr8 = ycc[..., 1], ycc[..., 2]
    if look.vibrance:
        index = cb8.astype(np.uint16)
        index <<= 8
        index |= cr8
        packed = np.take(_vibrance_table(look.vibrance), index)
        cb = (packed & 255).astype(np.int16)
        packed >>= 8
        cr = packed.astype(np.int16)
    else:
        cb, cr = cb8.astype(np.int16), cr8.astype(np.int16)
    bias = 128  # what the chroma planes carry above their centred values
    grades = _grade_tables(_wheels(look))
    if grades is not None:
        # Pillow's 256-entry look-ups on luma give each offset (+128) as a uint8 plane.
        cb += np.asarray(small_luma.point(grades[0]))
        cr += np.asarray(small_luma.point(grades[1]))
        bias += 128
    cb -= bias
    cr -= bias
    for field in glow_colour or ():
        cb += _to_size(field[0], *cb.shape)
        cr += _to_size(field[1], *cr.shape)
    for plane in (cb, cr):
        np.clip(plane, -128, 127, out=plane)
    if look.vignette:
        _, _, scale = _vignette_planes(height, width, *_vignette_settings(look), factor)
        for plane in (cb, cr):
            plane *= scale
            plane += 64
            plane >>= 7
    if look.light_leak:  # after the vignette, less on bright pixels (see _luma_plane)
        _, cb_leak, cr_leak = _leak_planes(height, width, factor, look.light_leak_angle, look.light_leak)
        luma = ycc[..., 0].astype(np.int32)
        if look.vignette:
            luma = luma * _vignette_planes(height, width, *_vignette_settings(look), factor)[2] + 64 >> 7
        room = _headroom_256(luma, cb_leak.dtype)
        _add_leak(cb, cb_leak, room)
        _add_leak(cr, cr_leak, room)
        for plane in (cb, cr):
            np.clip(plane, -128, 127, out=plane)
    if look.grain:  # colour scales with the grain's light (film.grain_colour_scale), at chroma size
        texture = _grain_texture_small(height, width, look.grain_size, int(seed), factor)
        table = _grain_colour_table(look.grain, film.grain_colour_share(look.grain_size))
        scale = np.take(table, ycc[..., 0]) * texture
        scale += np.float32(1)
        cb = np.rint(cb * scale).astype(np.int16)
        cr = np.rint(cr * scale).astype(np.int16)
    return _chroma_to_rgb_terms(cb, cr)


def _chroma_to_rgb_terms(cb: np.ndarray, cr: np.ndarray) -> np.ndarray:
    """Centred int16 chroma to what it adds to R, G and B (int16, planar), per :data:`adjust.YCC_TO_RGB`.

    Fixed point with 8 fractional bits; each coefficient is split into a
    whole part and a fraction so that no product overflows int16.
    """
    terms = np.empty((3,) + cb.shape, np.int16)
    red, green, blue = terms
    np.multiply(cr, 103, out=red)  # 1.402 = 1 + 103/256
    red += 128
    red >>= 8
    red += cr
    np.multiply(cb, 198, out=blue)  # 1.772 = 1 + 198/256
    blue += 128
    blue >>= 8
    blue += cb
    chroma = cb * 88  # 0.344 = 88/256
    chroma += 128
    chroma >>= 8
    np.negative(chroma, out=green)
    np.multiply(cr, 183, out=chroma)  # 0.714 = 183/256
    chroma += 128
    chroma >>= 8
    green -= chroma
    return terms


def _full_size(term: np.ndarray, height: int, width: int) -> np.ndarray:
    """A colour term at luma size: a half-size term gives its value to a 2 x 2 block of luma.

    That is what the preview's 4:2:0 JPEG keeps (it averages each block's
    colour, and the browser enlarges it smoothly), so enlarging more smoothly
    here would only blur the colour a little more on the way.

    Examples
    --------
    >>> _full_size(np.array([[1, 2]], np.int16), 2, 4).tolist()
    [[1, 1, 2, 2], [1, 1, 2, 2]]
    """
    if term.shape == (height, width):
        return term
    return cv2.resize(term, (width, height), interpolation=cv2.INTER_NEAREST)  # an exact 2 x 2 copy


def _add_channel(y: np.ndarray | Future, term: np.ndarray) -> np.ndarray:
    """One channel of the result: luma plus that channel's colour term (int16), clipped to uint8."""
    if isinstance(y, Future):
        y = y.result()
    return cv2.add(y, _full_size(term, *y.shape), dtype=cv2.CV_8U)  # saturates to 0..255, as np.clip would


#: Up to this many pixels (a 720 px preview and the drafts) a look is rendered on the calling thread
#: alone. Handing luma to a second thread paid off on a quiet machine, but a kernel shares two cores
#: with the browser and the server: at load 5.5 the threaded era draft (288 x 384) took a median of
#: 4.5 ms (p95 16.6) against 2.5 ms (8.8) on one thread, the 720 px preview 10.1 (28.5) against 6.5 (19.8).
ONE_THREAD_PIXELS = 720 * 720


@lru_cache(maxsize=1)
def _worker() -> ThreadPoolExecutor:
    """One background thread for the glows (Pillow and numpy release the GIL while they work)."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="look-glow")


def render_look(image: np.ndarray, look: Look, seed: int = 0) -> np.ndarray:
    """Apply every setting of ``look`` to a photo, fast (about 12 ms at 1024 x 1024, 80x the reference).

    Previews (long edge up to :data:`CHROMA_HALF_SIZE_EDGE`, even sides) carry
    colour at half size in each axis, as the JPEG sent to the browser does;
    larger images (exports) keep colour at full size.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3)
        An sRGB photo; it is not changed.
    look : Look
        The settings; ``Look()`` returns an equal copy of ``image``.
    seed : int
        Picks the grain pattern; the same seed gives the same picture.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)

    See Also
    --------
    render_look_reference : the same look in plain float64, for checking.

    Examples
    --------
    >>> photo = np.full((32, 32, 3), 110, np.uint8)
    >>> r, g, b = render_look(photo, Look(temperature=8000))[16, 16].tolist()
    >>> r > g > b
    True
    """
    _check_image(image)
    if not isinstance(look, Look):
        raise TypeError(f"look must be a Look, not {type(look).__name__}; build one with Look(...).")
    active = _active(look)
    if not active:
        return image.copy()
    height, width = image.shape[:2]
    plane_work = active & {"vibrance", "grade_shadows", "grade_midtones", "grade_highlights",
                           "soft_focus", "halation", "light_leak", "vignette", "grain"}  # fmt: skip
    if not plane_work:
        picture = Image.fromarray(image)
        table = _channel_table(look)
        if table is not None:
            picture = picture.point(table)
        if active & {"temperature", "tint", "saturation"}:
            # White balance mix and saturation only: one RGB-to-RGB matrix, no detour through YCbCr.
            rgb_matrix = adjust.YCC_TO_RGB @ _ycc_matrix(look)
            picture = picture.convert("RGB", _pillow_matrix(rgb_matrix, np.zeros(3)))
        return np.array(picture)
    luma_glow = Future() if look.soft_focus or look.halation else None
    if height * width <= ONE_THREAD_PIXELS:
        # Colour first (it hands the glows' luma part over), then luma, each channel at once.
        terms = _colour_terms(image, look, _chroma_factor(height, width), luma_glow, seed)
        luma = _luma_plane(image, look, seed, luma_glow)
        return cv2.merge([_add_channel(luma, term) for term in terms])
    # Luma (with every glow, the vignette and grain) on the second core, colour on this one.
    luma = _worker().submit(_luma_plane, image, look, seed, luma_glow)
    red, green, blue = _colour_terms(image, look, _chroma_factor(height, width), luma_glow, seed)
    # The last step is split by channel: red on the worker (once its luma is done), green and blue
    # here, their terms brought to luma size while the worker may still be on luma.
    red_done = _worker().submit(_add_channel, luma, red)
    green, blue = _full_size(green, height, width), _full_size(blue, height, width)
    green = _add_channel(luma.result(), green)
    blue = _add_channel(luma.result(), blue)
    return cv2.merge((red_done.result(), green, blue))


def _double(small: np.ndarray) -> np.ndarray:
    """Bilinear enlargement by 2 of a plane of whole numbers (float32): weights 3/4 and 1/4, edges clamped.

    OpenCV's bilinear resize at exactly twice the size uses these weights;
    in float32 its sums of whole numbers are exact (multiples of 1/16), and
    the result is rounded half up to whole numbers again, so a chain of
    doublings rounds once per step.

    Examples
    --------
    >>> _double(np.array([[0, 64]], np.float32)).tolist()
    [[0.0, 16.0, 48.0, 64.0], [0.0, 16.0, 48.0, 64.0]]
    """
    height, width = small.shape
    out = cv2.resize(small, (2 * width, 2 * height), interpolation=cv2.INTER_LINEAR)
    out += np.float32(0.5)
    return np.floor(out, out=out)


# --- the plain float64 reference --------------------------------------------------------


def render_look_reference(image: np.ndarray, look: Look, seed: int = 0) -> np.ndarray:
    """The same look as :func:`render_look`, computed plainly in float64 (slow, for checking).

    Each step is the textbook operation: white balance is the full Bradford
    matrix in linear light, blurs are true Gaussians, nothing is rounded
    until the end.

    Examples
    --------
    >>> photo = np.full((16, 16, 3), 110, np.uint8)
    >>> render_look_reference(photo, Look()).tolist() == photo.tolist()
    True
    """
    _check_image(image)
    if not _active(look):
        return image.copy()
    height, width = image.shape[:2]
    # White balance and exposure in linear light.
    matrix = adjust.white_balance_matrix(adjust.developed_kelvin(look.temperature),
                                          adjust.developed_tint(look.temperature, look.tint))
    linear = srgb_to_linear(image / 255.0) @ matrix.T
    linear = adjust._exposure_curve(linear, look.exposure)
    rgb = _tone_and_print(linear_to_srgb(linear), look) * 255
    # Colour in YCbCr: saturation, vibrance, grading.
    ycc = adjust.to_ycc(rgb)
    ycc[..., 1:] = 128 + (ycc[..., 1:] - 128) * (1 + look.saturation / 100)
    if look.vibrance:
        ycc[..., 1:] = np.clip(ycc[..., 1:], 0, 255)
        gain = adjust._vibrance_gain(ycc[..., 1], ycc[..., 2], look.vibrance)
        ycc[..., 1:] = 128 + (ycc[..., 1:] - 128) * gain[..., None]
    ycc[..., 1:] += adjust._grade_offsets(np.clip(ycc[..., 0], 0, 255) / 255, *_wheels(look))
    # Film, on luma and colour.
    luma = np.clip(ycc[..., 0], 0, 255)
    if look.soft_focus:
        ycc[..., 0] += film.soft_focus_shift(luma, look.soft_focus)
    if look.halation:
        ycc += film.halation_glow(luma / 255)[..., None] * (adjust.RGB_TO_YCC @ film.halation_rgb(look.halation))
    ycc = np.clip(ycc, 0, 255)  # the film saturates: nothing brighter than white
    if look.vignette:
        mask = film.vignette_mask(height, width, look.vignette_midpoint, look.vignette_roundness, look.vignette_feather)
        scale, lift = film._vignette_terms(mask, look.vignette / 100)
        ycc[..., 0] = ycc[..., 0] * scale + lift
        ycc[..., 1:] = 128 + (ycc[..., 1:] - 128) * scale[..., None]
    if look.light_leak:
        # Stray light reaches the film without passing the lens, so the vignette does not dim it.
        leak = film.light_leak_rgb(height, width, look.light_leak_angle) * film.light_leak_levels(look.light_leak)
        ycc += (leak @ adjust.RGB_TO_YCC.T) * film.leak_headroom(ycc[..., 0])[..., None]
    ycc = np.clip(ycc, 0, 255)
    if look.grain:
        texture = film.grain_texture(height, width, look.grain_size, int(seed))
        noise = film.grain_amplitude(ycc[..., 0] / 255, look.grain) * texture
        share = film.grain_colour_share(look.grain_size)
        ycc[..., 1:] = 128 + (ycc[..., 1:] - 128) * film.grain_colour_scale(ycc[..., 0], noise, share)[..., None]
        ycc[..., 0] += noise
    return adjust._to_uint8(adjust.from_ycc(ycc) / 255)
