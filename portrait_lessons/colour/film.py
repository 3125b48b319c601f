"""Film looks: grain, fade, halation, vignette, casts, cross-processing, soft focus, light leaks.

Like :mod:`portrait_lessons.colour.adjust`, each public function takes an sRGB
``uint8`` array (H, W, 3), returns a new one, and is exactly neutral at its
neutral value; they are the clear float64 reference that
:func:`portrait_lessons.colour.look.render_look` compiles into fast operations.
Everything that depends on position (grain, vignette, light leak, blur radii)
is sized relative to the frame, so a preview and a full-size export look the
same. Random textures take a seed, so a look repeats exactly.

Examples
--------
>>> import numpy as np
>>> grey = np.full((8, 8, 3), 128, np.uint8)
>>> bool((grain(grey, 0) == grey).all())
True
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image

from .adjust import _smoothstep, _to_uint8, from_ycc, hue_rgb, to_ycc
from .white_balance import srgb_to_linear

# --- per-channel print curves (shared with the fast renderer) -------------------


def _fade_curve(x: np.ndarray, amount: float) -> np.ndarray:
    """Lifted blacks and slightly dimmed whites, as on an old or matte print."""
    f = 0.22 * float(np.clip(amount, 0, 100)) / 100
    return x + f * (1 - x) ** 2.5 - 0.25 * f * x**4


def _cross_process_curves(x: np.ndarray, amount: float) -> np.ndarray:
    """Red, green and blue curves of slide film developed as negative (shape ... x 3).

    Steeper red and green, and a flattened blue that lifts the shadows toward
    blue and pulls the highlights toward yellow: the classic cross-processed look.
    """
    t = float(np.clip(amount, 0, 100)) / 100
    x = np.asarray(x, np.float64)
    s = x * x * (3 - 2 * x)  # a gentle S
    red = x + 0.55 * (s - x)
    green = x + 0.35 * (s - x)
    blue = 0.14 + 0.72 * x
    curves = np.stack([red, green, blue], axis=-1)
    return x[..., None] + t * (curves - x[..., None])


def cast_exponents(hue: float, amount: float) -> np.ndarray:
    """Per-channel gamma exponents that tint the midtones toward ``hue``.

    Black and white stay neutral, as with a print whose dyes have aged.

    Examples
    --------
    >>> red, green, blue = cast_exponents(40, 50)  # warm
    >>> bool(red < 1 < blue)
    True
    """
    t = 0.5 * float(np.clip(amount, 0, 100)) / 100
    rgb = hue_rgb(hue)
    direction = rgb - rgb.mean()
    direction /= np.abs(direction).max()
    return 2.0 ** (-t * direction)


def _cast_curves(x: np.ndarray, hue: float, amount: float) -> np.ndarray:
    """Apply :func:`cast_exponents` to values in [0, 1] (shape ... x 3)."""
    return np.clip(x, 0, 1) ** cast_exponents(hue, amount)


def fade(image: np.ndarray, amount: float = 0.0) -> np.ndarray:
    """Lift the blacks (and dim the whites a touch), from 0 to 100, like a faded print.

    Examples
    --------
    >>> black = np.zeros((1, 1, 3), np.uint8)
    >>> int(fade(black, 100)[0, 0, 0])
    56
    """
    if float(np.clip(amount, 0, 100)) == 0:
        return image.copy()
    return _to_uint8(_fade_curve(image / 255.0, amount))


def cross_process(image: np.ndarray, amount: float = 0.0) -> np.ndarray:
    """Cross-processed colour, from 0 to 100: blue shadows, yellow highlights, more contrast.

    Examples
    --------
    >>> white = np.full((1, 1, 3), 255, np.uint8)
    >>> r, g, b = cross_process(white, 100)[0, 0].tolist()
    >>> r == g == 255 and b < 255
    True
    """
    if float(np.clip(amount, 0, 100)) == 0:
        return image.copy()
    return _to_uint8(_cross_process_curves(image / 255.0, amount)[..., [0, 1, 2], [0, 1, 2]])


def colour_cast(image: np.ndarray, hue: float = 0.0, amount: float = 0.0) -> np.ndarray:
    """Tint the midtones toward ``hue`` (degrees; 40 is warm amber, 150 green, 200 teal).

    Examples
    --------
    >>> grey = np.full((1, 1, 3), 128, np.uint8)
    >>> r, g, b = colour_cast(grey, 40, 50)[0, 0].tolist()
    >>> r > g > b
    True
    """
    if float(np.clip(amount, 0, 100)) == 0:
        return image.copy()
    return _to_uint8(_cast_curves(image / 255.0, hue, amount))


# --- frame-relative textures and masks (cached: they depend only on size and settings) ----


def _short_edge(shape) -> int:
    return int(min(shape[0], shape[1]))


def grain_particle_px(shape, size: float) -> float:
    """Diameter of a grain clump in pixels: 0.05 % to 0.25 % of the frame's short edge.

    Larger clumps stop reading as grain and start reading as blotchy skin.

    Examples
    --------
    >>> round(grain_particle_px((1024, 768), 50), 2)
    1.15
    """
    return _short_edge(shape) * (0.0005 + 0.002 * float(np.clip(size, 0, 100)) / 100)


@lru_cache(maxsize=6)
def grain_texture(height: int, width: int, size: float = 50.0, seed: int = 0) -> np.ndarray:
    """Film-grain noise with unit standard deviation, float32 (height, width), read-only.

    Two octaves of smoothly enlarged white noise: clumps of the particle size
    from :func:`grain_particle_px` plus larger, weaker clusters. The same
    size, frame shape and seed always give the same texture.

    Examples
    --------
    >>> texture = grain_texture(64, 48, 50, seed=1)
    >>> texture.shape, round(float(texture.std()), 2)
    ((64, 48), 1.0)
    >>> bool((texture == grain_texture(64, 48, 50, seed=1)).all())
    True
    """
    rng = np.random.default_rng(seed)
    particle = grain_particle_px((height, width), size)
    total = np.zeros((height, width), np.float32)
    for scale, weight in ((1.0, 1.0), (2.0, 0.25)):
        step = max(particle * scale, 1.0)
        small = (max(1, round(height / step)), max(1, round(width / step)))
        noise = rng.standard_normal(small).astype(np.float32)
        if small != (height, width):
            noise = np.asarray(Image.fromarray(noise, "F").resize((width, height), Image.BICUBIC))
        total += weight * noise / max(float(noise.std()), 1e-6)
    total /= max(float(total.std()), 1e-6)
    # A picture of a pixel or two has no spread to measure: held to 4 standard deviations
    # (a grain that rare on a real picture) it cannot run to billions and overflow.
    np.clip(total, -4, 4, out=total)
    total.setflags(write=False)
    return total


def grain_amplitude(y: np.ndarray, amount: float) -> np.ndarray:
    """Grain strength (in levels) at luma ``y`` in [0, 1]: strongest in the midtones.

    Film grain shows least in clean highlights and deep shadows; this follows
    darktable's grain module in fading it toward both ends.

    Examples
    --------
    >>> strength = grain_amplitude(np.array([0.0, 0.5, 1.0]), 100)
    >>> strength.round(1).tolist()
    [0.0, 16.0, 0.0]
    """
    a = 16.0 * float(np.clip(amount, 0, 100)) / 100
    y = np.clip(y, 0, 1)
    return a * (4 * y * (1 - y)) ** 0.6


#: Luma level (0-255) below which grain's colour scaling stops growing (near black there is no colour to scale).
GRAIN_CHROMA_FLOOR = 16.0


def grain_colour_share(size: float) -> float:
    """How much of a grain clump's light change its colour follows: 1 up to ``size`` 50, then down to 0.5 at 100.

    Large clumps that carry their full share of colour read as coloured
    blotches on skin (copper light specks, mottled cheeks): real film's
    coarse grain is mostly light. Following half of the light's change
    looked the most neutral on skin at size 100 (neither copper nor pale
    specks), and it lowers the colour noise to below that at size 50.

    Examples
    --------
    >>> [grain_colour_share(size) for size in (0, 50, 75, 100)]
    [1.0, 1.0, 0.75, 0.5]
    """
    return 1.0 - 0.5 * float(np.clip((float(size) - 50) / 50, 0, 1))


def grain_colour_scale(y: np.ndarray, noise: np.ndarray, share: float = 1.0) -> np.ndarray:
    """How grain scales a pixel's colour (Cb, Cr about neutral) where it changes luma ``y`` by ``noise`` (levels).

    Film grain is dye density: a clump darkens or lightens all three dyes in
    proportion, so the colour scales with the luma and hue and saturation
    stay put. Added to luma alone, a dark clump on skin read redder and a
    light one paler: coloured mottling. The colour follows ``share`` of the
    light's change (:func:`grain_colour_share`: less for large clumps).

    Examples
    --------
    >>> grain_colour_scale(np.array([100.0, 100.0, 0.0]), np.array([10.0, -10.0, 2.0])).round(3).tolist()
    [1.1, 0.9, 1.125]
    >>> grain_colour_scale(np.array([100.0]), np.array([10.0]), share=0.5).round(3).tolist()
    [1.05]
    """
    return 1 + share * np.asarray(noise, np.float64) / np.maximum(np.asarray(y, np.float64), GRAIN_CHROMA_FLOOR)


@lru_cache(maxsize=16)
def vignette_mask(
    height: int, width: int, midpoint: float = 50.0, roundness: float = 0.0, feather: float = 50.0
) -> np.ndarray:
    """How strongly a vignette acts at each pixel: 0 in the middle to 1 at the edge.

    ``midpoint`` (0-100) moves where the falloff starts, ``roundness``
    (-100 rectangle-like, 0 following the frame, 100 a circle) its shape, and
    ``feather`` (0-100) how soft its edge is, as in Lightroom's post-crop
    vignette. Float32, read-only.

    Examples
    --------
    >>> mask = vignette_mask(100, 150)
    >>> float(mask[50, 75]) == 0.0 and float(mask[0, 0]) > 0.9
    True
    """
    r = float(np.clip(roundness, -100, 100)) / 100
    half_h, half_w = height / 2, width / 2
    short = min(half_h, half_w)
    # Round toward a circle by scaling both axes toward the short half-edge.
    scale_h = half_h ** (1 - max(r, 0)) * short ** max(r, 0)
    scale_w = half_w ** (1 - max(r, 0)) * short ** max(r, 0)
    power = 2 + 4 * max(-r, 0)  # superellipse: squarer corners as roundness falls
    ys = np.abs((np.arange(height) + 0.5 - half_h) / scale_h)[:, None]
    xs = np.abs((np.arange(width) + 0.5 - half_w) / scale_w)[None, :]
    distance = (xs**power + ys**power) ** (1 / power)
    centre = 0.35 + 0.9 * float(np.clip(midpoint, 0, 100)) / 100
    width_ = 0.08 + 1.0 * float(np.clip(feather, 0, 100)) / 100
    mask = _smoothstep(centre - width_ / 2, centre + width_ / 2, distance).astype(np.float32)
    mask.setflags(write=False)
    return mask


#: Colours of a light leak: its hot core and its outer fringe (RGB, 0-1).
LEAK_CORE = np.array([1.0, 0.72, 0.30])
LEAK_FRINGE = np.array([0.95, 0.22, 0.08])


@lru_cache(maxsize=8)
def light_leak_rgb(height: int, width: int, angle: float = 20.0) -> np.ndarray:
    """The light a leak adds at full strength, float32 (height, width, 3) in 0-1, read-only.

    Light enters through a gap at the frame's edge, in the direction
    ``angle`` (degrees; 0 is the right edge, 90 the top) from the centre: a
    warm core fading to red, spread along the edge as a real leak is.

    Examples
    --------
    >>> leak = light_leak_rgb(60, 80, angle=0)
    >>> bool(leak[30, 79].sum() > leak[30, 0].sum())
    True
    """
    theta = np.radians(angle)
    half_h, half_w = height / 2, width / 2
    direction = np.array([np.cos(theta), -np.sin(theta)])  # x right, y down
    reach = min(half_w / max(abs(direction[0]), 1e-9), half_h / max(abs(direction[1]), 1e-9))
    cx, cy = half_w + direction[0] * reach, half_h + direction[1] * reach
    short = min(height, width)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64) + 0.5
    along = (xs - cx) * -direction[1] + (ys - cy) * direction[0]
    into = (xs - cx) * direction[0] + (ys - cy) * direction[1]
    glow = np.exp(-0.5 * (along / (0.45 * short)) ** 2 - 0.5 * (into / (0.22 * short)) ** 2)
    core = glow**2.5
    rgb = glow[..., None] * LEAK_FRINGE + core[..., None] * (LEAK_CORE - LEAK_FRINGE)
    rgb = rgb.astype(np.float32)
    rgb.setflags(write=False)
    return rgb


# --- blur at a reduced scale (how the effects here, and the reference look, make glows) ---

#: Glows (soft focus, halation) are blurred on a copy whose short edge is about this long.
GLOW_EDGE = 256

#: Blur radii as fractions of the frame's short edge.
SOFT_FOCUS_SIGMA = 0.012
#: The wider halo of a diffusion filter: bright light spread this far (a fraction of the short edge).
SOFT_FOCUS_GLOW_SIGMA = 0.04
#: Luma (0-1) where light starts to count as bright enough to spread, and where it fully does.
SOFT_FOCUS_GLOW_RANGE = (0.45, 0.85)
#: At 100: the share of blurred luma mixed in (the rest stays sharp), and the share of the bright
#: light moved from the narrow blur's reach out into the wide halo. Mixing 0.6 of blurred luma
#: alone read as missed focus (review 4): a diffusion filter keeps a sharp image under its glow.
SOFT_FOCUS_MIX = 0.3
SOFT_FOCUS_GLOW = 0.8
HALATION_SIGMA = 0.010  # a thin fringe, as on film (a wider one reads as a colour cast)
#: Luma above which light spreads, at most: a bright photo's highlights (white suits, lit
#: backdrops) spread from here up.
HALATION_THRESHOLD = 0.70
#: A low-key photo's highlights (a lit forehead on a dark ground) may never reach 0.70: light
#: then spreads from this far below the photo's own highlight level (its
#: :data:`HALATION_HIGHLIGHT_PERCENTILE` th percentile of luma), but never from below
#: :data:`HALATION_LOWEST_THRESHOLD`. With a fixed 0.70, Glover's and Koch's photos showed
#: no halation at all (mean change 0.1-0.6 levels even at 100).
HALATION_DEPTH = 0.15
#: A photo whose highlight level reaches this luma spreads its highlights' own light; a darker
#: one spreads more (:func:`halation_low_key_gain`), up to :data:`HALATION_LOW_KEY_MAX_GAIN` times.
HALATION_FULL_TOP = 0.9
HALATION_LOW_KEY_MAX_GAIN = 2.0
HALATION_HIGHLIGHT_PERCENTILE = 99.5
HALATION_LOWEST_THRESHOLD = 0.40
#: Luma below which a pixel takes the full glow, and at or above which it takes none: light
#: parts of the picture (white suits, pale backdrops, lit skin) keep their own colour. These
#: are the values for the top threshold; a lower threshold moves both down with it.
HALATION_RECEIVER = (0.35, 0.70)
#: Halation shows on the dark side of a highlight's edge, not in a dark crease inside a highlight:
#: the folds of Glover's white collar, lit from all round, went saturated orange at 100 and read as
#: orange fabric (review 7). Round each pixel, a Gaussian of this sigma (a fraction of the short
#: edge, as the spread's) weighs how much of its neighbourhood is as dark as it is ...
HALATION_ROOM_SIGMA = 0.02
#: ... half or more beside a straight edge and out into the dark ground, hair or shadow; less in a
#: crease. The glow shows in full from the upper share, none below the lower.
HALATION_ROOM = (0.2, 0.4)
#: The colour halation adds: mostly red, some orange (RGB).
HALATION_TINT = np.array([1.0, 0.32, 0.10])
#: Levels of red a fully bright halation at 100 adds where it shows in full.
HALATION_LEVELS = 400.0


def glow_factor(shape) -> int:
    """The integer downscale at which glows are blurred (1 for small images).

    Examples
    --------
    >>> glow_factor((1024, 1024)), glow_factor((200, 300))
    (4, 1)
    """
    return max(1, _short_edge(shape) // GLOW_EDGE)


def _shrink(plane: np.ndarray, factor: int) -> np.ndarray:
    """Mean of each factor x factor block (partial blocks at the edges count what they have)."""
    if factor == 1:
        return plane.astype(np.float64)
    h, w = plane.shape
    hs, ws = -(-h // factor), -(-w // factor)
    padded = np.zeros((hs * factor, ws * factor))
    counts = np.zeros_like(padded)
    padded[:h, :w], counts[:h, :w] = plane, 1
    sums = padded.reshape(hs, factor, ws, factor).sum(axis=(1, 3))
    return sums / counts.reshape(hs, factor, ws, factor).sum(axis=(1, 3))


def _gaussian_blur(plane: np.ndarray, sigma: float) -> np.ndarray:
    """Separable Gaussian blur with edges extended, float64."""
    if sigma <= 0:
        return plane
    radius = int(np.ceil(3 * sigma))
    taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    taps /= taps.sum()
    out = np.pad(plane, radius, mode="edge")
    out = np.apply_along_axis(lambda row: np.convolve(row, taps, mode="valid"), 1, out)
    return np.apply_along_axis(lambda col: np.convolve(col, taps, mode="valid"), 0, out)


def _enlarge(plane: np.ndarray, shape) -> np.ndarray:
    """Bilinear enlargement with pixel centres aligned, edges clamped."""
    h, w = shape
    hs, ws = plane.shape
    if (hs, ws) == (h, w):
        return plane
    ys = np.clip((np.arange(h) + 0.5) * hs / h - 0.5, 0, hs - 1)
    xs = np.clip((np.arange(w) + 0.5) * ws / w - 0.5, 0, ws - 1)
    y0, x0 = np.floor(ys).astype(int), np.floor(xs).astype(int)
    y1, x1 = np.minimum(y0 + 1, hs - 1), np.minimum(x0 + 1, ws - 1)
    fy, fx = (ys - y0)[:, None], (xs - x0)[None, :]
    top = plane[y0][:, x0] * (1 - fx) + plane[y0][:, x1] * fx
    bottom = plane[y1][:, x0] * (1 - fx) + plane[y1][:, x1] * fx
    return top * (1 - fy) + bottom * fy


def blurred(plane: np.ndarray, sigma_fraction: float) -> np.ndarray:
    """Blur a float plane by ``sigma_fraction`` of its short edge, via a reduced copy.

    Examples
    --------
    >>> step = np.zeros((64, 64)); step[:, 32:] = 1
    >>> soft = blurred(step, 0.05)
    >>> bool(0.2 < soft[10, 31] < 0.8)
    True
    """
    factor = glow_factor(plane.shape)
    small = _shrink(plane, factor)
    sigma = sigma_fraction * _short_edge(plane.shape) / factor
    return _enlarge(_gaussian_blur(small, sigma), plane.shape)


def halation_levels(histogram) -> tuple[float, float]:
    """Where halation starts and where it is full, (threshold, top) as luma in [0, 1], from a photo's luma histogram.

    ``histogram`` counts the pixels at each of the 256 luma levels. Light
    spreads from the threshold up: :data:`HALATION_THRESHOLD` on a photo with
    bright highlights, lower on a low-key photo (see :data:`HALATION_DEPTH`),
    so halation is scaled to the photo's own highlights. The spread light is
    full at ``top``, the photo's highlight level (at least 0.1 above the threshold).

    Examples
    --------
    >>> bright = np.bincount([40] * 900 + [255] * 100, minlength=256)
    >>> halation_levels(bright)
    (0.7, 1.0)
    >>> dark = np.bincount([20] * 990 + [175] * 10, minlength=256)  # a low-key portrait
    >>> [round(level, 3) for level in halation_levels(dark)]
    [0.536, 0.686]
    """
    counts = np.cumsum(np.asarray(histogram, np.float64)[:256])
    if counts[-1] <= 0:
        return HALATION_THRESHOLD, 1.0
    highlight = int(np.searchsorted(counts, HALATION_HIGHLIGHT_PERCENTILE / 100 * counts[-1])) / 255
    threshold = min(HALATION_THRESHOLD, max(HALATION_LOWEST_THRESHOLD, highlight - HALATION_DEPTH))
    return round(threshold, 6), round(min(1.0, max(highlight, threshold + 0.1)), 6)


def luma_histogram(y: np.ndarray) -> np.ndarray:
    """The 256-level histogram of luma ``y`` in [0, 1] (what :func:`halation_levels` reads)."""
    return np.bincount(np.clip(np.rint(np.asarray(y) * 255), 0, 255).astype(np.int64).ravel(), minlength=256)


def halation_source(y: np.ndarray, threshold: float = HALATION_THRESHOLD, top: float = 1.0) -> np.ndarray:
    """The light (0-1) that pixels of luma ``y`` (0-1) scatter back through the film.

    The share of a pixel's light that counts as a highlight rises from
    ``threshold`` to ``top``; the light itself is the pixel's linear light, so
    a highlight that is not white scatters less: a lit forehead at luma 0.74
    (the top of Koch's low-key photo) has 0.51 of a white suit's light. At the
    full share of white, halation is a saturated red band on the dark hair and
    brows beside a lit face; scaled by its light, a faint warm glow. A low-key
    photo's light is raised by :func:`halation_low_key_gain` (Koch's forehead
    then sends 0.79 of what a white suit sends), and the result is at most 1.

    Examples
    --------
    >>> halation_source(np.array([0.5, 0.74, 1.0]), 0.6, 0.74).round(2).tolist()
    [0.0, 0.79, 1.0]
    >>> halation_source(np.array([0.5, 0.74, 1.0])).round(2).tolist()  # a bright photo's own light
    [0.0, 0.02, 1.0]
    """
    y = np.clip(y, 0, 1)
    light = srgb_to_linear(y) * halation_low_key_gain(top)
    return np.minimum(np.clip((y - threshold) / (top - threshold), 0, 1) ** 1.5 * light, 1.0)


def halation_low_key_gain(top: float) -> float:
    """How much more light a low-key photo's highlights spread: 1 when they reach :data:`HALATION_FULL_TOP`.

    A low-key photo's brightest parts (a lit forehead, a white collar in
    shadow) are printed darker than a bright photo's whites, so at their own
    linear light they spread almost nothing visible (halation at 50 changed
    Glover's and Koch's photos by 4-4.5 levels beside their highlights, the
    bright photos by 9-19). The gain is the linear-light ratio of
    :data:`HALATION_FULL_TOP` to the photo's highlight level, capped at
    :data:`HALATION_LOW_KEY_MAX_GAIN`: a faint warm glow comes back, but a lit
    forehead still spreads less than white's full share (which ringed Koch's
    hair in saturated orange).

    Examples
    --------
    >>> [round(halation_low_key_gain(top), 2) for top in (1.0, 0.9, 0.74, 0.69, 0.4)]
    [1.0, 1.0, 1.55, 1.81, 2.0]
    """
    ratio = float(srgb_to_linear(np.float64(HALATION_FULL_TOP))) / float(srgb_to_linear(np.float64(max(top, 1e-3))))
    return float(np.clip(ratio, 1.0, HALATION_LOW_KEY_MAX_GAIN))


def halation_receiver(y: np.ndarray, threshold: float = HALATION_THRESHOLD) -> np.ndarray:
    """How much of the spread halation light a pixel of luma ``y`` (0-1) shows, 0-1.

    The red fringe shows on the darker side of a bright edge; a pixel at
    :data:`HALATION_RECEIVER`'s upper end or brighter shows none (its own
    light hides it), so a white suit or a pale wall is not tinted. A lower
    ``threshold`` (a low-key photo) moves the band down with it.

    Examples
    --------
    >>> halation_receiver(np.array([0.1, 0.525, 0.9])).round(3).tolist()
    [1.0, 0.5, 0.0]
    """
    low, high = HALATION_RECEIVER
    shift = HALATION_THRESHOLD - threshold
    return np.clip((high - shift - y) / (high - low), 0, 1)


def halation_room(dark_share: np.ndarray, receiver: np.ndarray) -> np.ndarray:
    """How much of its glow a pixel shows (0-1): is the dark round it wide, or a crease in a highlight?

    ``receiver`` is the pixel's own :func:`halation_receiver` weight and
    ``dark_share`` the same weight blurred by :data:`HALATION_ROOM_SIGMA`;
    their ratio is the share of the neighbourhood as dark as the pixel: half
    or more beside a highlight's edge, in a dark ground or a wide shadow, and
    in an evenly mid-grey area (a dress beside its white piping), but low in a
    dark fold or crease inside a highlight, whose shadow keeps its own colour.

    Examples
    --------
    >>> dark = np.array([1.0, 1.0, 1.0, 0.4])
    >>> halation_room(np.array([0.6, 0.3, 0.1, 0.4]), dark).round(2).tolist()  # edge, corner, crease, grey
    [1.0, 0.5, 0.0, 1.0]
    """
    low, high = HALATION_ROOM
    receiver = np.asarray(receiver)
    crease = np.maximum(receiver, 1e-3)  # in place from here on: the fast renderer runs this per preview
    np.divide(dark_share, crease, out=crease)  # the share of the neighbourhood as dark as the pixel
    crease -= high
    crease *= -1 / (high - low)
    np.clip(crease, 0, 1, out=crease)
    # Only dark pixels count as a crease (in full at receiver 1, not at all below 2/3): a mid-grey
    # dress beside white piping is left to the receiver's own ramp.
    dark = receiver * 3
    dark -= 2
    np.clip(dark, 0, 1, out=dark)
    crease *= dark
    return np.subtract(1, crease, out=crease)


def halation_glow(y: np.ndarray, levels: tuple[float, float] | None = None) -> np.ndarray:
    """How much halation light (0-1) each pixel of luma ``y`` (0-1) shows, spread from its neighbours.

    It is the bright areas' light, spread, times :func:`halation_receiver`
    and, so a dark crease inside a highlight keeps its colour, :func:`halation_room`:
    halation shows as a thin fringe on the darker side of highlights' edges,
    and the highlights themselves and wide light areas (a pale backdrop, a
    white suit, a lit forehead) keep their colour, as in film printed to a
    neutral balance. ``levels`` is :func:`halation_levels`' (threshold, top),
    by default measured on ``y``.

    Examples
    --------
    >>> y = np.zeros((200, 200)); y[80:120, 80:120] = 1.0
    >>> glow = halation_glow(y)
    >>> round(float(glow[100, 100]), 6), bool(glow[100, 77] > 0.1), float(glow[5, 5])
    (0.0, True, 0.0)
    """
    threshold, top = halation_levels(luma_histogram(y)) if levels is None else levels
    receiver = halation_receiver(y, threshold)
    room = halation_room(blurred(receiver, HALATION_ROOM_SIGMA), receiver)
    return blurred(halation_source(y, threshold, top), HALATION_SIGMA) * room * receiver


# --- the effects -------------------------------------------------------------------


def grain(image: np.ndarray, amount: float = 0.0, size: float = 50.0, seed: int = 0) -> np.ndarray:
    """Add film grain: 0 to 100 strength, particle ``size`` 0-100 relative to the frame.

    Grain is luminance noise, strongest in the midtones (see
    :func:`grain_amplitude`), which scales each pixel's colour with its light
    as dye clouds do (:func:`grain_colour_scale`: no coloured mottling; large clumps
    carry less colour, :func:`grain_colour_share`), with clumps whose size is a fraction of the
    frame (see :func:`grain_particle_px`), so it looks the same on a preview
    and on the full-size export. ``seed`` picks the pattern.

    Examples
    --------
    >>> grey = np.full((32, 32, 3), 128, np.uint8)
    >>> noisy = grain(grey, 60, seed=3)
    >>> float(noisy.std()) > 3 and bool((noisy == grain(grey, 60, seed=3)).all())
    True
    """
    if float(np.clip(amount, 0, 100)) == 0:
        return image.copy()
    h, w = image.shape[:2]
    ycc = to_ycc(image)
    noise = grain_amplitude(ycc[..., 0] / 255, amount) * grain_texture(h, w, float(size), int(seed))
    share = grain_colour_share(size)
    ycc[..., 1:] = 128 + (ycc[..., 1:] - 128) * grain_colour_scale(ycc[..., 0], noise, share)[..., None]
    ycc[..., 0] += noise
    return _to_uint8(from_ycc(ycc) / 255)


def vignette(
    image: np.ndarray, amount: float = 0.0, midpoint: float = 50.0, roundness: float = 0.0, feather: float = 50.0
) -> np.ndarray:
    """Darken (negative ``amount``) or lighten (positive) the edges of the frame, -100 to 100.

    The shape follows :func:`vignette_mask`. Darkening scales the colour toward
    black, lightening blends it toward white, as Lightroom's does.

    Examples
    --------
    >>> grey = np.full((50, 50, 3), 128, np.uint8)
    >>> dark = vignette(grey, -60)
    >>> int(dark[0, 0, 0]) < 128 == int(dark[25, 25, 0])
    True
    """
    a = float(np.clip(amount, -100, 100)) / 100
    if a == 0:
        return image.copy()
    mask = vignette_mask(image.shape[0], image.shape[1], float(midpoint), float(roundness), float(feather))
    scale, lift = _vignette_terms(mask, a)
    return _to_uint8((image * scale[..., None] + lift[..., None]) / 255)


def _vignette_terms(mask: np.ndarray, a: float) -> tuple[np.ndarray, np.ndarray]:
    """Per-pixel scale and added grey (levels) of a vignette of strength ``a`` in [-1, 1]."""
    strength = abs(a) * mask.astype(np.float64)
    return 1 - strength, (255.0 * strength if a > 0 else np.zeros_like(strength))


def halation(image: np.ndarray, amount: float = 0.0) -> np.ndarray:
    """A red-orange glow around bright areas, 0 to 100, as light scatters in colour film.

    Examples
    --------
    >>> frame = np.full((200, 200, 3), 30, np.uint8); frame[80:120, 80:120] = 255
    >>> glowing = halation(frame, 80)
    >>> r, g, b = glowing[100, 78].tolist()
    >>> r > 30 and r - b > 5
    True
    """
    amount = float(np.clip(amount, 0, 100))
    if amount == 0:
        return image.copy()
    y = to_ycc(image)[..., 0] / 255
    return _to_uint8((image + halation_rgb(amount) * halation_glow(y)[..., None]) / 255)


def halation_rgb(amount: float) -> np.ndarray:
    """Levels of red, green and blue that a fully bright halation adds at ``amount``."""
    return HALATION_LEVELS * float(np.clip(amount, 0, 100)) / 100 * HALATION_TINT


def soft_focus(image: np.ndarray, amount: float = 0.0) -> np.ndarray:
    """Soften detail a little and let bright light glow around itself, 0 to 100, as a diffusion filter does.

    A diffusion filter (a Pro-Mist, a soft-focus lens) keeps a sharp image
    and spreads part of the bright light around it: the luma is mixed with a
    little of its blur (:data:`SOFT_FOCUS_MIX`), and the bright part of the
    light (:func:`soft_focus_source`) is spread from a narrow blur out to a
    wide halo where the wide blur reaches further (:data:`SOFT_FOCUS_GLOW`).
    Flat areas keep their level; dark sides of bright edges glow. Colour stays sharp (the halo is mostly light).

    Examples
    --------
    >>> frame = np.zeros((200, 200, 3), np.uint8); frame[:, 100:] = 200
    >>> soft = soft_focus(frame, 100)
    >>> 0 < int(soft[100, 97, 0]) and int(soft[100, 102, 0]) < 200
    True
    >>> int(soft[100, 5, 0]), int(soft[100, 195, 0])  # flat areas far from the edge keep their level
    (0, 200)
    """
    if soft_focus_mix(amount) == 0:
        return image.copy()
    y = to_ycc(image)[..., 0]
    return _to_uint8((image + soft_focus_shift(y, amount)[..., None]) / 255)


def soft_focus_shift(y: np.ndarray, amount: float) -> np.ndarray:
    """What soft focus adds to luma ``y`` (levels, 0-255): a little blur plus the bright light's halo."""
    source = soft_focus_source(y / 255) * y
    # Only the light reaching past the narrow blur: inside a bright area (a lit face) the wide blur is
    # dimmer than the narrow one, and taking that difference too turned the middle of faces grey.
    halo = np.maximum(blurred(source, SOFT_FOCUS_GLOW_SIGMA) - blurred(source, SOFT_FOCUS_SIGMA), 0)
    return soft_focus_mix(amount) * (blurred(y, SOFT_FOCUS_SIGMA) - y) + soft_focus_glow(amount) * halo


def soft_focus_source(y: np.ndarray) -> np.ndarray:
    """The share (0-1) of light at luma ``y`` (0-1) bright enough for a diffusion filter to spread."""
    return _smoothstep(*SOFT_FOCUS_GLOW_RANGE, np.clip(y, 0, 1))


def soft_focus_mix(amount: float) -> float:
    """The share of blurred luma mixed in at ``amount`` (0-100): at most :data:`SOFT_FOCUS_MIX`."""
    return SOFT_FOCUS_MIX * float(np.clip(amount, 0, 100)) / 100


def soft_focus_glow(amount: float) -> float:
    """The share of the bright light spread into the wide halo at ``amount`` (0-100)."""
    return SOFT_FOCUS_GLOW * float(np.clip(amount, 0, 100)) / 100


def light_leak(image: np.ndarray, amount: float = 0.0, angle: float = 20.0) -> np.ndarray:
    """Warm light spilling in from the edge at ``angle`` degrees, 0 to 100.

    Examples
    --------
    >>> grey = np.full((40, 60, 3), 90, np.uint8)
    >>> leaked = light_leak(grey, 80, angle=0)
    >>> int(leaked[20, 59, 0]) > int(leaked[20, 0, 0])
    True
    """
    amount = float(np.clip(amount, 0, 100))
    if amount == 0:
        return image.copy()
    leak = light_leak_rgb(image.shape[0], image.shape[1], float(angle))
    luma = image @ np.array([0.299, 0.587, 0.114])
    return _to_uint8((image + light_leak_levels(amount) * leak * leak_headroom(luma)[..., None]) / 255)


#: How much of a light leak a white pixel still takes (a black one takes all of it).
LEAK_ON_WHITE = 0.1


def leak_headroom(luma: np.ndarray) -> np.ndarray:
    """The share of a light leak a pixel of ``luma`` (0-255 levels) takes: 1 on black, :data:`LEAK_ON_WHITE` on white.

    Film saturates: stray light on an already bright part adds little. Added in
    full, a leak at 100 clipped the red channel on 10-20 % of a bright portrait's
    pixels (a flat orange blotch); scaled by the room left, it glows instead.

    Examples
    --------
    >>> leak_headroom(np.array([0.0, 255.0])).round(3).tolist()
    [1.0, 0.1]
    """
    return 1 - (1 - LEAK_ON_WHITE) * np.clip(np.asarray(luma, np.float64), 0, 255) / 255


def light_leak_levels(amount: float) -> float:
    """Levels a leak adds at its brightest at ``amount`` (0-100)."""
    return 160.0 * float(np.clip(amount, 0, 100)) / 100


__all__ = [
    "colour_cast",
    "cross_process",
    "fade",
    "grain",
    "grain_texture",
    "halation",
    "light_leak",
    "soft_focus",
    "vignette",
    "vignette_mask",
]
