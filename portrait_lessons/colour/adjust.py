"""Develop controls: white balance, exposure, tone, vibrance, saturation, grading.

Each public function takes an sRGB ``uint8`` array of shape (H, W, 3), returns a
new one, and returns an equal image at its neutral value. They are written for
clarity, in float64, one control at a time: they are the reference that the fast
renderer in :mod:`portrait_lessons.colour.look` compiles into lookup tables and matrices.

The shapes of the curves live in small private helpers (``_contrast_curve`` and
so on) that both the functions here and the fast renderer call, so the two
cannot drift apart.

Working spaces, and why:

- white balance and exposure act on light, so they work in **linear light**;
- contrast, highlights and shadows are about how bright things look, so they
  work on the **encoded** (perceptual) values;
- vibrance, saturation and grading work in **YCbCr** (the luma and two colour
  difference channels JPEG uses), where colour can change while luma stays put.

Examples
--------
>>> import numpy as np
>>> grey = np.full((2, 2, 3), 128, np.uint8)
>>> bool((contrast(grey, 0) == grey).all())
True
"""

from __future__ import annotations

import numpy as np

from .white_balance import NEUTRAL_KELVIN, linear_to_srgb, planckian_xy, srgb_to_linear

# --- colour science constants -------------------------------------------------

# Linear sRGB (D65) to XYZ and back, IEC 61966-2-1.
_SRGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_XYZ_TO_SRGB = np.linalg.inv(_SRGB_TO_XYZ)

# Bradford cone-response matrix (Lam 1985), as in darktable's chromatic_adaptation.h.
_BRADFORD = np.array(
    [
        [0.8951, 0.2664, -0.1614],
        [-0.7502, 1.7135, 0.0367],
        [0.0389, -0.0685, 1.0296],
    ]
)

#: Full-range BT.601 YCbCr (what JPEG and Pillow use): RGB -> (Y, Cb, Cr), offsets 0, 128, 128.
RGB_TO_YCC = np.array(
    [
        [0.299, 0.587, 0.114],
        [-0.168736, -0.331264, 0.5],
        [0.5, -0.418688, -0.081312],
    ]
)
YCC_TO_RGB = np.linalg.inv(RGB_TO_YCC)

#: Slider limits, in slider units, for every develop control here.
TEMPERATURE_RANGE = (3000.0, 12000.0)
#: The light the cool end of a look's temperature scale corrects for (:func:`developed_kelvin`):
#: skin then loses about as much colour there (x0.45-0.8) as the warm end adds (x1.3-1.7).
COOL_END_KELVIN = 5000.0
#: The light the warm end (12000 K) corrects for. Its settings follow the cool side's
#: curve, mirrored (gentle near daylight, steeper toward the end), so the two ends change
#: skin about equally: mean skin Delta E at half-way / the end, cool 2.8 / 9.6, warm 3.3 / 9.8
#: (the warm end taken literally gave 8.4 / 12.5, the cool side's being gentler).
WARM_END_KELVIN = 10000.0
TINT_RANGE = (-100.0, 100.0)
EXPOSURE_RANGE = (-3.0, 3.0)
PERCENT_RANGE = (-100.0, 100.0)

#: Middle grey (18 % reflectance) as an encoded sRGB value: the contrast pivot.
MID_GREY = float(linear_to_srgb(np.array(0.18)))

# Hue (CbCr angle, degrees) of skin in the bundled portraits: 126-132 degrees
# for every skin tone present; vibrance protects a band around it.
SKIN_CBCR_ANGLE = 129.0
_SKIN_WIDTH = 22.0
_SKIN_PROTECTION = 0.75  # skin gets a quarter of the vibrance boost


# --- white balance -------------------------------------------------------------


def _xy_of_light(kelvin: float, tint: float) -> tuple[float, float]:
    """Chromaticity of a light on (tint 0) or beside (green/magenta) the Planckian locus.

    The tint moves the point perpendicular to the locus in the CIE 1960 (u, v)
    diagram; 100 tint units are a distance of 0.02 (Duv), positive toward green:
    the light is greener, so correcting for it makes the photo more magenta.
    """
    x, y = planckian_xy(kelvin)
    u, v = 4 * x / (-2 * x + 12 * y + 3), 6 * y / (-2 * x + 12 * y + 3)
    if tint:
        # Direction of the locus here, from a point 1 % cooler in mireds.
        x2, y2 = planckian_xy(1e6 / (1e6 / kelvin - 1.0))
        u2, v2 = 4 * x2 / (-2 * x2 + 12 * y2 + 3), 6 * y2 / (-2 * x2 + 12 * y2 + 3)
        du, dv = u2 - u, v2 - v
        norm = np.hypot(du, dv)
        # Normal pointing up (toward green) in the (u, v) plane.
        nu, nv = -dv / norm, du / norm
        if nv < 0:
            nu, nv = -nu, -nv
        u, v = u + nu * 0.0002 * tint, v + nv * 0.0002 * tint
    x, y = 3 * u / (2 * u - 8 * v + 4), 2 * v / (2 * u - 8 * v + 4)
    return x, y


def white_balance_matrix(kelvin: float = NEUTRAL_KELVIN, tint: float = 0.0) -> np.ndarray:
    """The 3x3 linear-light sRGB matrix of a white-balance correction.

    ``kelvin`` and ``tint`` name the light the photo is corrected *for*, as
    in Lightroom: a white under that light is mapped to a white under daylight
    (6504 K) by Bradford chromatic adaptation. So a higher ``kelvin`` makes
    the photo warmer, a lower one cooler; positive ``tint`` adds magenta.

    Examples
    --------
    >>> white_balance_matrix().round(6).tolist() == np.eye(3).tolist()
    True
    >>> red_row, _, blue_row = white_balance_matrix(9000)
    >>> bool(red_row.sum() > 1 > blue_row.sum())
    True
    """
    kelvin = float(np.clip(kelvin, *TEMPERATURE_RANGE))
    tint = float(np.clip(tint, *TINT_RANGE))
    if kelvin == NEUTRAL_KELVIN and tint == 0:
        return np.eye(3)

    def white(xy):
        x, y = xy
        return np.array([x / y, 1.0, (1 - x - y) / y])

    source = _BRADFORD @ white(_xy_of_light(kelvin, tint))
    target = _BRADFORD @ white(_xy_of_light(NEUTRAL_KELVIN, 0.0))
    cone_gain = np.diag(target / source)
    matrix = _XYZ_TO_SRGB @ np.linalg.inv(_BRADFORD) @ cone_gain @ _BRADFORD @ _SRGB_TO_XYZ
    # Keep the brightness of grey: scale so that luminance of white is 1.
    return matrix / (_SRGB_TO_XYZ[1] @ matrix @ np.ones(3))


def developed_kelvin(kelvin: float) -> float:
    """The light a temperature setting corrects a developed photo (a JPEG) for.

    A developed photo has already been balanced, and skin is warm: a full 3000 K
    correction (180 mireds) turns faces saturated cyan. So the scale is gentler
    than its labels. The cool end (3000 K) corrects as for a
    :data:`COOL_END_KELVIN` light, the settings between spaced evenly in mireds;
    the warm side mirrors that curve (the same share of its span at the same
    distance along the slider) up to a :data:`WARM_END_KELVIN` light at 12000 K.
    Half-way either side changes skin by about a third of what the end does.

    Examples
    --------
    >>> developed_kelvin(3000.0), developed_kelvin(NEUTRAL_KELVIN), developed_kelvin(12000.0)
    (5000.0, 6504.0, 10000.0)
    >>> round(developed_kelvin(9252.0))  # half-way up the slider: a third of the warm span in mireds
    7311
    """
    kelvin = float(np.clip(kelvin, *TEMPERATURE_RANGE))
    low, high = TEMPERATURE_RANGE
    neutral = 1e6 / NEUTRAL_KELVIN
    if kelvin == NEUTRAL_KELVIN:
        return NEUTRAL_KELVIN
    if kelvin < NEUTRAL_KELVIN:
        mirrored, end = kelvin, COOL_END_KELVIN
    else:  # the same distance along the cool side of the slider
        mirrored = NEUTRAL_KELVIN - (kelvin - NEUTRAL_KELVIN) / (high - NEUTRAL_KELVIN) * (NEUTRAL_KELVIN - low)
        end = WARM_END_KELVIN
    share = (1e6 / mirrored - neutral) / (1e6 / low - neutral)  # 0 at daylight, 1 at the end
    return round(1e6 / (neutral + share * (1e6 / end - neutral)), 6)


#: Tint (in slider units) the temperature scale adds at its ends, in proportion to how far
#: along it is: green toward the cool end, so skin under the cooler light turns paler rather
#: than mauve (Collins's cheek went from hue 21 to 343 degrees at 3000 K; with it, 15);
#: rose toward the warm end, as evening light is, so skin warms without going orange.
COOL_END_TINT = -20.0
WARM_END_TINT = 15.0


def developed_tint(kelvin: float, tint: float = 0.0) -> float:
    """The tint a temperature setting is corrected with: ``tint`` plus the scale's own (see :data:`COOL_END_TINT`).

    Examples
    --------
    >>> developed_tint(NEUTRAL_KELVIN, 5.0), developed_tint(3000.0), developed_tint(12000.0)
    (5.0, -20.0, 15.0)
    """
    developed = developed_kelvin(kelvin)
    neutral = 1e6 / NEUTRAL_KELVIN
    if developed < NEUTRAL_KELVIN:
        share, end = (1e6 / developed - neutral) / (1e6 / COOL_END_KELVIN - neutral), COOL_END_TINT
    else:
        share, end = (neutral - 1e6 / developed) / (neutral - 1e6 / WARM_END_KELVIN), WARM_END_TINT
    return float(np.clip(tint + share * end, *TINT_RANGE))


def white_balance(image: np.ndarray, kelvin: float = NEUTRAL_KELVIN, tint: float = 0.0) -> np.ndarray:
    """Correct the photo's white balance for a light of ``kelvin`` and ``tint``.

    Chromatic adaptation (Bradford) in linear light, the way raw editors do it:
    colours are converted to the cone responses of the eye, scaled there, and
    converted back. Unlike scaling red and blue in the file's values, this
    keeps skin looking like skin.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3)
    kelvin : float
        The light to correct for, 3000 to 12000 K; 6504 K (daylight) is neutral.
        Higher is warmer, as on a camera or in Lightroom.
    tint : float
        -100 (greener) to 100 (more magenta); 0 is neutral.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)

    See Also
    --------
    naive_warmth : the channel-gain shortcut, for comparison.

    Examples
    --------
    >>> grey = np.full((1, 1, 3), 128, np.uint8)
    >>> r, g, b = white_balance(grey, 8000)[0, 0].tolist()
    >>> r > g > b
    True
    >>> bool((white_balance(grey) == grey).all())
    True
    """
    matrix = white_balance_matrix(kelvin, tint)
    if np.array_equal(matrix, np.eye(3)):
        return image.copy()
    linear = srgb_to_linear(image / 255.0) @ matrix.T
    return _to_uint8(linear_to_srgb(linear))


def naive_warmth(image: np.ndarray, amount: float = 0.0) -> np.ndarray:
    """Warm a photo the quick, wrong way: raise red and lower blue in the file's values.

    Many one-click "warm" filters do this. It ignores the light: the gain hits
    the encoded numbers, so bright skin, already high in red, clips and swings
    toward orange long before the whites look warm. Compare with
    :func:`white_balance`.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3)
    amount : float
        -100 to 100; at 100 red is multiplied by 1.3 and blue by 0.7.

    Examples
    --------
    >>> skin = np.array([[[205, 150, 120]]], np.uint8)
    >>> naive_warmth(skin, 50)[0, 0].tolist()
    [236, 150, 102]
    """
    amount = float(np.clip(amount, *PERCENT_RANGE))
    if amount == 0:
        return image.copy()
    gains = np.array([1 + 0.3 * amount / 100, 1.0, 1 - 0.3 * amount / 100])
    return _to_uint8(image / 255.0 * gains)


# --- exposure and tone ---------------------------------------------------------

_SHOULDER_KNEE = 0.6  # linear light; above it, extra exposure rolls off instead of clipping


def _exposure_curve(linear: np.ndarray, ev: float) -> np.ndarray:
    """Scale linear light by 2**ev, with a soft shoulder so highlights roll off.

    The shoulder is extended Reinhard above a knee, with its white point at
    the brightest input: it reaches exactly 1 there, and is the identity at 0 EV.
    """
    gain = 2.0**ev
    scaled = linear * gain
    if gain <= 1:
        return scaled
    k = _SHOULDER_KNEE
    white = (gain - k) / (1 - k)
    t = np.maximum(scaled - k, 0) / (1 - k)
    rolled = k + (1 - k) * t * (1 + t / white**2) / (1 + t)
    return np.where(scaled > k, rolled, scaled)


def _contrast_curve(x: np.ndarray, amount: float) -> np.ndarray:
    """An S-curve about middle grey on encoded values; black and white stay put.

    It mixes the identity with a curve of slope 2 at the pivot (and 0 at the
    ends), so every setting from -100 to 100 is monotonic.
    """
    a = float(np.clip(amount, *PERCENT_RANGE)) / 100
    p = MID_GREY
    s = np.where(x < p, p * (x / p) ** 2, 1 - (1 - p) * ((1 - x) / (1 - p)) ** 2)
    return x + a * (s - x)


def _highlights_shadows_curve(x: np.ndarray, highlights: float, shadows: float) -> np.ndarray:
    """Lift or lower the bright and the dark ends separately; black and white stay put.

    Each weight peaks at a third of the way in from its end (at most 0.148)
    and its slope never exceeds 1, so the curve stays monotonic at full setting.
    """
    h = float(np.clip(highlights, *PERCENT_RANGE)) / 100
    s = float(np.clip(shadows, *PERCENT_RANGE)) / 100
    return x + s * x * (1 - x) ** 2 + h * x**2 * (1 - x)


def exposure(image: np.ndarray, ev: float = 0.0) -> np.ndarray:
    """Brighten or darken by ``ev`` stops, as if the shutter had been open longer.

    Works in linear light (one stop doubles the light). Brightening rolls the
    highlights off smoothly instead of clipping them flat.

    Examples
    --------
    >>> grey = np.full((1, 1, 3), 118, np.uint8)
    >>> int(exposure(grey, 1)[0, 0, 0]) > 118
    True
    >>> bool((exposure(grey, 0) == grey).all())
    True
    """
    ev = float(np.clip(ev, *EXPOSURE_RANGE))
    if ev == 0:
        return image.copy()
    return _to_uint8(linear_to_srgb(_exposure_curve(srgb_to_linear(image / 255.0), ev)))


def contrast(image: np.ndarray, amount: float = 0.0) -> np.ndarray:
    """Steepen (positive) or flatten (negative) the tones about middle grey.

    ``amount`` runs from -100 to 100; black, white and middle grey stay where
    they are.

    Examples
    --------
    >>> ramp = np.array([[[40] * 3, [200] * 3]], np.uint8)
    >>> dark, bright = contrast(ramp, 50)[0, :, 0].tolist()
    >>> dark < 40 and bright > 200
    True
    """
    if float(np.clip(amount, *PERCENT_RANGE)) == 0:
        return image.copy()
    return _to_uint8(_contrast_curve(image / 255.0, amount))


def highlights_shadows(image: np.ndarray, highlights: float = 0.0, shadows: float = 0.0) -> np.ndarray:
    """Bring bright areas down or up (``highlights``) and dark areas up or down (``shadows``).

    A global tone curve, each end on its own, from -100 to 100. (Lightroom's
    controls of the same names also adapt to the neighbourhood of each pixel;
    these do not, which keeps them fast and free of halos.)

    Examples
    --------
    >>> dark = np.full((1, 1, 3), 40, np.uint8)
    >>> int(highlights_shadows(dark, shadows=60)[0, 0, 0]) > 40
    True
    """
    h = float(np.clip(highlights, *PERCENT_RANGE))
    s = float(np.clip(shadows, *PERCENT_RANGE))
    if h == 0 and s == 0:
        return image.copy()
    return _to_uint8(_highlights_shadows_curve(image / 255.0, h, s))


# --- colour in YCbCr --------------------------------------------------------------


def to_ycc(image: np.ndarray) -> np.ndarray:
    """RGB (0-255) to full-range YCbCr as floats, Cb and Cr centred on 128.

    Examples
    --------
    >>> to_ycc(np.array([[[255, 255, 255]]], np.uint8)).round(3).tolist()
    [[[255.0, 128.0, 128.0]]]
    """
    return np.asarray(image, np.float64) @ RGB_TO_YCC.T + np.array([0.0, 128.0, 128.0])


def from_ycc(ycc: np.ndarray) -> np.ndarray:
    """Full-range YCbCr floats back to RGB floats (0-255, not clipped)."""
    return (ycc - np.array([0.0, 128.0, 128.0])) @ YCC_TO_RGB.T


def _vibrance_gain(cb: np.ndarray, cr: np.ndarray, amount: float) -> np.ndarray:
    """How much vibrance multiplies the colour (chroma) of each (Cb, Cr) pair.

    Dull colours get the full effect, saturated ones little (the weight falls
    with chroma), and skin hues only a quarter, so faces do not turn orange.
    """
    a = float(np.clip(amount, *PERCENT_RANGE)) / 100
    u, v = cb - 128.0, cr - 128.0
    chroma = np.clip(np.hypot(u, v) / 110.0, 0, 1)
    angle = np.degrees(np.arctan2(v, u))
    distance = (angle - SKIN_CBCR_ANGLE + 180) % 360 - 180
    skin = np.exp(-0.5 * (distance / _SKIN_WIDTH) ** 2) * np.clip(chroma * 6, 0, 1)
    weight = (1 - chroma) ** 2 * (1 - _SKIN_PROTECTION * skin)
    return np.maximum(1 + a * weight, 0)


def vibrance(image: np.ndarray, amount: float = 0.0) -> np.ndarray:
    """Strengthen dull colours and leave skin and already-strong colours mostly alone.

    ``amount`` runs from -100 to 100. Luma (brightness) stays as it was.

    Examples
    --------
    >>> dull_blue = np.array([[[110, 120, 140]]], np.uint8)
    >>> r, g, b = vibrance(dull_blue, 80)[0, 0].tolist()
    >>> b - r > 140 - 110
    True
    """
    amount = float(np.clip(amount, *PERCENT_RANGE))
    if amount == 0:
        return image.copy()
    ycc = to_ycc(image)
    gain = _vibrance_gain(ycc[..., 1], ycc[..., 2], amount)
    ycc[..., 1:] = 128 + (ycc[..., 1:] - 128) * gain[..., None]
    return _to_uint8(from_ycc(ycc) / 255)


def saturation(image: np.ndarray, amount: float = 0.0) -> np.ndarray:
    """Scale every colour's strength by the same factor; -100 gives black and white.

    Examples
    --------
    >>> red = np.array([[[200, 60, 60]]], np.uint8)
    >>> r, g, b = saturation(red, -100)[0, 0].tolist()
    >>> abs(r - g) <= 1 and abs(g - b) <= 1
    True
    """
    amount = float(np.clip(amount, *PERCENT_RANGE))
    if amount == 0:
        return image.copy()
    ycc = to_ycc(image)
    ycc[..., 1:] = 128 + (ycc[..., 1:] - 128) * (1 + amount / 100)
    return _to_uint8(from_ycc(ycc) / 255)


# --- colour grading --------------------------------------------------------------

#: Chroma offset (in Cb/Cr levels) of a grading wheel at full strength.
GRADE_CHROMA = 24.0


def hue_direction(hue: float) -> np.ndarray:
    """The unit (Cb, Cr) direction of a hue on the colour wheel (0 red, 120 green, 240 blue).

    Examples
    --------
    >>> cb, cr = hue_direction(0)
    >>> bool(cr > 0 > cb)
    True
    """
    direction = (RGB_TO_YCC @ hue_rgb(hue))[1:]
    return direction / np.hypot(*direction)


def hue_rgb(hue: float) -> np.ndarray:
    """The fully saturated colour of a hue, RGB in [0, 1] (0 red, 60 yellow, 120 green...).

    Examples
    --------
    >>> hue_rgb(60).tolist()
    [1.0, 1.0, 0.0]
    """
    k = (np.array([5.0, 3.0, 1.0]) + float(hue) / 60) % 6
    return 1 - np.clip(np.minimum(np.minimum(k, 4 - k), 1), 0, 1)


def _grade_masks(y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Smooth shadow, midtone and highlight weights of luma ``y`` in [0, 1].

    They sum to one (Bernstein polynomials) except at the very ends, where a
    short taper keeps pure black and pure white neutral.
    """
    taper = _smoothstep(0.0, 0.06, y) * _smoothstep(0.0, 0.06, 1 - y)
    return (1 - y) ** 2 * taper, 2 * y * (1 - y), y**2 * taper


def _grade_offsets(y: np.ndarray, shadows, midtones, highlights) -> np.ndarray:
    """(Cb, Cr) offsets, shape y.shape + (2,), for three (hue, strength) wheels."""
    offsets = np.zeros(np.shape(y) + (2,))
    for mask, (hue, strength) in zip(_grade_masks(y), (shadows, midtones, highlights)):
        if strength:
            amount = float(np.clip(strength, 0, 100)) / 100 * GRADE_CHROMA
            offsets += mask[..., None] * amount * hue_direction(hue)
    return offsets


def colour_grade(
    image: np.ndarray,
    shadows: tuple[float, float] = (0.0, 0.0),
    midtones: tuple[float, float] = (0.0, 0.0),
    highlights: tuple[float, float] = (0.0, 0.0),
) -> np.ndarray:
    """Tint the shadows, midtones and highlights, each toward its own hue.

    Each wheel is a (hue in degrees, strength 0-100) pair, like the colour
    wheels of Lightroom's Color Grading or darktable's color balance rgb. The
    regions are smooth masks of luma that sum to one, so the tints blend
    without edges, and luma itself is not changed.

    Examples
    --------
    >>> grey = np.full((1, 1, 3), 60, np.uint8)
    >>> r, g, b = colour_grade(grey, shadows=(200, 60))[0, 0].tolist()  # teal shadows
    >>> b > r and g > r
    True
    """
    if not any(strength for _, strength in (shadows, midtones, highlights)):
        return image.copy()
    ycc = to_ycc(image)
    ycc[..., 1:] += _grade_offsets(ycc[..., 0] / 255, shadows, midtones, highlights)
    return _to_uint8(from_ycc(ycc) / 255)


# --- helpers -----------------------------------------------------------------------


def _smoothstep(edge0: float, edge1: float, x: np.ndarray) -> np.ndarray:
    t = np.clip((np.asarray(x, np.float64) - edge0) / (edge1 - edge0), 0, 1)
    return t * t * (3 - 2 * t)


def _to_uint8(values: np.ndarray) -> np.ndarray:
    """Floats in [0, 1] to uint8, rounded and clipped."""
    return np.rint(np.clip(values, 0, 1) * 255).astype(np.uint8)
