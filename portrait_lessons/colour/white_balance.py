"""Colour: warmth as a photographer sets it, in linear light.

Colour changes work on light, not on the numbers in a JPEG. The file's
values are gamma-encoded sRGB, so each function here decodes to linear light,
changes it, and encodes again. Per-channel changes fold into one 256-entry
lookup table per channel, which Pillow applies in C: fast enough to follow a
slider live.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image

#: The white point of sRGB (daylight, D65), in kelvin.
NEUTRAL_KELVIN = 6504.0

#: Warmth slider limits in mireds. Past about 60 mireds either way the shift
#: stops reading as a change of light and starts to look like a colour filter.
WARMTH_RANGE = (-60.0, 60.0)

# XYZ (D65) to linear sRGB, IEC 61966-2-1.
_XYZ_TO_LINEAR_SRGB = np.array(
    [
        [3.2404542, -1.5371385, -0.4985314],
        [-0.9692660, 1.8760108, 0.0415560],
        [0.0556434, -0.2040259, 1.0572252],
    ]
)
_LUMINANCE = np.array([0.2126, 0.7152, 0.0722])


def srgb_to_linear(values: np.ndarray) -> np.ndarray:
    """Decode sRGB values in [0, 1] to linear light.

    Examples
    --------
    >>> float(srgb_to_linear(np.array(0.5)).round(4))
    0.214
    """
    values = np.asarray(values, dtype=np.float64)
    return np.where(values <= 0.04045, values / 12.92, ((values + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(values: np.ndarray) -> np.ndarray:
    """Encode linear light in [0, 1] as sRGB values, the inverse of :func:`srgb_to_linear`.

    Examples
    --------
    >>> float(linear_to_srgb(srgb_to_linear(np.array(0.5))).round(6))
    0.5
    """
    values = np.clip(np.asarray(values, dtype=np.float64), 0.0, 1.0)
    return np.where(values <= 0.0031308, values * 12.92, 1.055 * values ** (1 / 2.4) - 0.055)


def planckian_xy(kelvin: float) -> tuple[float, float]:
    """Chromaticity (x, y) of a black body at ``kelvin``, for 1667 K to 25000 K.

    Uses the cubic-spline fit of Kang et al. (2002), J. Korean Phys. Soc. 41(6),
    865-871; accurate to about 1e-3.

    Examples
    --------
    >>> [round(v, 3) for v in planckian_xy(6504)]
    [0.313, 0.324]
    """
    t = float(np.clip(kelvin, 1667.0, 25000.0))
    if t <= 4000:
        x = -0.2661239e9 / t**3 - 0.2343589e6 / t**2 + 0.8776956e3 / t + 0.179910
    else:
        x = -3.0258469e9 / t**3 + 2.1070379e6 / t**2 + 0.2226347e3 / t + 0.240390
    if t <= 2222:
        y = -1.1063814 * x**3 - 1.34811020 * x**2 + 2.18555832 * x - 0.20219683
    elif t <= 4000:
        y = -0.9549476 * x**3 - 1.37418593 * x**2 + 2.09137015 * x - 0.16748867
    else:
        y = 3.0817580 * x**3 - 5.87338670 * x**2 + 3.75112997 * x - 0.37001483
    return x, y


def _linear_rgb_of_light(kelvin: float) -> np.ndarray:
    """Linear sRGB of a black body's light, scaled to luminance 1."""
    x, y = planckian_xy(kelvin)
    rgb = _XYZ_TO_LINEAR_SRGB @ np.array([x / y, 1.0, (1 - x - y) / y])
    return rgb / (_LUMINANCE @ rgb)


def warmth_gains(mireds: float) -> np.ndarray:
    """Linear-light channel gains that warm (positive) or cool (negative) a photo.

    The gains turn daylight white into the white of a light ``mireds``
    warmer on the black-body scale (a mired is a million over the kelvin
    value; equal steps in mireds look like equal steps of warmth). Gains are
    relative to the neutral light, with luminance kept, so mid-grey stays as
    bright as before.

    Examples
    --------
    >>> warmth_gains(0).round(6).tolist()
    [1.0, 1.0, 1.0]
    >>> red, green, blue = warmth_gains(40)
    >>> bool(red > 1 > blue)
    True
    """
    kelvin = 1e6 / (1e6 / NEUTRAL_KELVIN + mireds)
    gains = _linear_rgb_of_light(kelvin) / _linear_rgb_of_light(NEUTRAL_KELVIN)
    return gains / (_LUMINANCE @ gains)


@lru_cache(maxsize=64)
def _warmth_table(mireds: float) -> list[int]:
    levels = srgb_to_linear(np.arange(256) / 255.0)
    tables = [linear_to_srgb(levels * gain) * 255.0 for gain in warmth_gains(mireds)]
    return np.rint(np.concatenate(tables)).astype(np.uint8).tolist()


def warmth(image: np.ndarray, mireds: float = 0.0) -> np.ndarray:
    """Warm or cool a photo as if it had been lit by a warmer or cooler light.

    A white-balance shift along the black-body (Planckian) locus, applied in
    linear light: positive values move toward candle and sunset light
    (orange), negative toward shade and overcast sky (blue). It is clamped to
    :data:`WARMTH_RANGE`.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3)
        An sRGB photo.
    mireds : float
        The shift; 0 is neutral and returns an equal image. 20 is a gentle
        warming, 50 a strong one.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
        A new array.

    Examples
    --------
    >>> grey = np.full((2, 2, 3), 128, np.uint8)
    >>> warmed = warmth(grey, 30)
    >>> r, g, b = warmed[0, 0].tolist()
    >>> r > g > b
    True
    >>> bool((warmth(grey, 0) == grey).all())
    True
    """
    mireds = float(np.clip(mireds, *WARMTH_RANGE))
    if mireds == 0:
        return image.copy()
    table = _warmth_table(round(mireds, 1))
    return np.asarray(Image.fromarray(image).point(table))


def warm_cool_index(image: np.ndarray) -> float:
    """How warm a photo looks: mean red minus mean blue, from -1 to 1.

    A quick, rough measure (positive = warmer), good for comparing two
    versions of the same photo rather than two different photos.

    Examples
    --------
    >>> grey = np.full((4, 4, 3), 128, np.uint8)
    >>> warm_cool_index(grey)
    0.0
    >>> warm_cool_index(warmth(grey, 30)) > 0
    True
    """
    if image.dtype == np.uint8:
        # Counting levels gives the exact sums a float mean reaches, in half the time.
        levels = np.arange(256)
        count = image.size // 3
        means = np.array([np.bincount(image[..., c].ravel(), minlength=256) @ levels for c in (0, 2)]) / count / 255.0
        return round(float(means[0] - means[1]), 4)
    means = image.reshape(-1, 3).mean(axis=0) / 255.0
    return round(float(means[0] - means[2]), 4)
