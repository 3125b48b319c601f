"""Depth: set the person apart from the background, and warm the light without burning it.

A portrait feels dimensional when the subject is sharp and the background
falls away. :func:`subject_mask` finds the head and shoulders from the face's
landmarks (adjustable, and snapped to the photo's own edges);
:func:`depth_effect` blurs the background as a wide-open lens does (a disc,
in linear light, so bright points bloom into round highlights), and can
desaturate and darken it. Two finishing touches from the same editing
advice sit here too: :func:`protect_highlights` keeps bright skin from
burning out, and :func:`warm_midtones` warms only the middle tones.

Sizes are fractions of the face or the frame, so a preview and the full-size
photo look alike.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter

from ..colour.white_balance import WARMTH_RANGE, warmth
from .filters import guided_filter, linear_to_srgb8, resize_float, srgb_to_linear_lut
from ..face.landmarks import Landmarks
from .texture import _check_rgb, _landmark_key, _unit

__all__ = [
    "MAX_BLUR",
    "depth_effect",
    "lens_blur",
    "protect_highlights",
    "subject_mask",
    "warm_midtones",
]

#: Disc radius at full blur, as a fraction of the photo's long edge (about f/1.4
#: on a head-and-shoulders portrait with the backdrop a few metres behind).
MAX_BLUR = 0.03
#: Long edge of the copy the subject mask is drawn and refined on.
_MASK_EDGE = 320
#: Radius of the blur disc on the small copy the blur is computed on.
_WORK_RADIUS = 3.5


# --------------------------------------------------------------------------- the subject


def subject_mask(
    image: np.ndarray,
    landmarks: Landmarks,
    *,
    size: float = 1.0,
    shoulders: float = 1.0,
    softness: float = 1.0,
    snap: bool = True,
) -> np.ndarray:
    """Where the person is: 1 on the head and shoulders, 0 on the background, soft between.

    Drawn from the landmarks: a generous ellipse for the head and hair
    (tilted with the eyes), and a neck, collar and shoulders that reach past
    the face at chin height and fill the frame's width below. With ``snap``
    the shape is then trimmed where the colour is clearly the backdrop's
    (compared with colours sure to be the person's), and its soft edge is
    pulled onto the photo's own edges by a guided filter, the way phone
    portrait modes refine a rough mask; so the cut follows hair, collar and
    helmet rather than a smooth curve. Where person and backdrop share a
    colour the mask keeps the person: a little backdrop may stay sharp, but
    the person is not blurred.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3)
    landmarks : Landmarks
    size : float
        Scales the head (hair, ears) from 0.7 to 1.6; 1 fits a short haircut.
    shoulders : float
        Width of the shoulders, 0.5 to 2; 1 is an average build.
    softness : float
        Width of the soft edge, 0.2 to 3.

    Returns
    -------
    ndarray of float32, shape (H, W), values 0-1

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo, points = examples.load_portrait("glover", 256), examples.portrait_landmarks("glover", 256)
    >>> mask = subject_mask(photo, points)
    >>> x, y = (round(v) for v in points.points["nose_tip"])
    >>> float(mask[y, x]) > 0.95, float(mask[5, 5]) < 0.05  # the face in, a top corner out
    (True, True)
    """
    _check_rgb(image)
    small = _subject_mask_small(image, landmarks, size, shoulders, softness, snap)
    height, width = image.shape[:2]
    return np.clip(resize_float(small, (width, height)), 0, 1)


def _subject_mask_small(image, landmarks, size, shoulders, softness, snap) -> np.ndarray:
    """The subject mask on a copy about _MASK_EDGE px long (cached while sliders move)."""
    for value, name, low, high in ((size, "size", 0.7, 1.6), (shoulders, "shoulders", 0.5, 2.0),
                                   (softness, "softness", 0.2, 3.0)):  # fmt: skip
        if not low <= float(value) <= high:
            raise ValueError(f"{name} goes from {low} to {high}, not {value:g}.")
    key = (_landmark_key(landmarks, image.shape), round(size, 3), round(shoulders, 3), round(softness, 3))
    shape = _subject_shape(*key)
    if not snap:
        return shape
    # The snapped mask depends on the pixels too: key it by a sparse sample of them.
    fingerprint = hash(np.ascontiguousarray(image[::7, ::7]).tobytes())
    cached = _SNAPPED.get((key, fingerprint))
    if cached is not None:
        return cached
    mask = _refine_by_colour(image, shape, _subject_shape(*key, core=True))
    guide = _small_grey(image, shape.shape)
    face_width = _face_width(landmarks) * shape.shape[1] / image.shape[1]
    # Pull the soft edge onto the photo's own edges (hair, collar), the way phone
    # portrait modes refine a rough mask.
    snapped = guided_filter(guide, mask, max(2.0, 0.06 * face_width * softness), 0.03**2)
    feather = Image.fromarray(np.clip(snapped * 255 + 0.5, 0, 255).astype(np.uint8))
    feather = feather.filter(ImageFilter.GaussianBlur(max(0.6, 0.015 * face_width * softness)))
    mask = np.asarray(feather, np.float32) * np.float32(1 / 255)
    mask.setflags(write=False)
    if len(_SNAPPED) >= 8:
        _SNAPPED.pop(next(iter(_SNAPPED)))
    _SNAPPED[(key, fingerprint)] = mask
    return mask


_SNAPPED: dict = {}
#: Colour histogram bins per channel for telling the person from the backdrop.
_BINS = 16


def _refine_by_colour(image: np.ndarray, shape: np.ndarray, core: np.ndarray) -> np.ndarray:
    """Keep, of the generous drawn shape, what looks like the person rather than the backdrop.

    Colours seen surely on the person (the core) and surely behind them
    (outside the shape) make two colour histograms; each uncertain pixel goes
    to the side its colour is more common on. A dark suit on a dark backdrop
    stays undecided (0.5) and so half sharp, rather than blurred away.
    """
    height, width = shape.shape
    small = np.asarray(Image.fromarray(image).resize((width, height), Image.Resampling.BOX))
    bins = (small // (256 // _BINS)).astype(np.int32)
    index = (bins[..., 0] * _BINS + bins[..., 1]) * _BINS + bins[..., 2]

    def histogram(weights):
        counts = np.bincount(index.ravel(), weights.ravel(), _BINS**3).reshape((_BINS,) * 3)
        for axis in range(3):  # share counts with neighbouring colours: shading varies
            counts = counts + np.roll(counts, 1, axis) * 0.5 + np.roll(counts, -1, axis) * 0.5
        return counts.ravel() / max(1.0, counts.sum())

    person = histogram(core >= 0.99)
    backdrop = histogram(shape <= 0.02)
    p_person, p_backdrop = person[index], backdrop[index]
    likely = (3 * p_person + 1e-6) / (3 * p_person + p_backdrop + 2e-6)  # odds 3:1 for the person
    # Only colours clearly of the backdrop leave the shape: blurring the person is worse
    # than leaving a little backdrop sharp.
    likely = np.clip((likely - 0.1) / 0.3, 0, 1)
    # Smooth the decision over a few pixels so single odd pixels don't flicker.
    likely = np.asarray(Image.fromarray((likely * 255).astype(np.uint8)).filter(ImageFilter.BoxBlur(1)), np.float32) / 255
    return np.maximum(core, shape * likely).astype(np.float32)


@lru_cache(maxsize=8)
def _alpha(mask_id: int, size: tuple[int, int]) -> Image.Image:
    """The mask at full size as an 8-bit alpha (by the cached small mask's identity)."""
    mask = _ALPHA_SOURCES[mask_id]
    alpha = Image.fromarray(np.clip(mask * 255 + 0.5, 0, 255).astype(np.uint8))
    return alpha.resize(size, Image.Resampling.BILINEAR) if alpha.size != size else alpha


_ALPHA_SOURCES: dict = {}


def _small_grey(image: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    small = Image.fromarray(image).convert("L").resize((shape[1], shape[0]), Image.Resampling.BILINEAR)
    return np.asarray(small, np.float32) * np.float32(1 / 255)


def _face_width(landmarks: Landmarks) -> float:
    xs = [x for x, _ in landmarks.face_outline]
    return max(xs) - min(xs)


@lru_cache(maxsize=32)
def _subject_shape(key: tuple, size: float, shoulders: float, softness: float, core: bool = False) -> np.ndarray:
    """The drawn (not yet snapped) head-and-shoulders shape on the small copy.

    The full shape is generous (long hair, wide collars and shoulders fit in);
    the ``core`` is the part that is surely the person (face, neck, chest).
    """
    points = {name: np.array((x, y)) for name, x, y in key[0]}
    outline = np.array(key[1])
    height, width = key[2]
    scale = min(1.0, _MASK_EDGE / max(height, width))
    small = (max(1, round(width * scale)), max(1, round(height * scale)))
    eyes = (points["left_iris"] + points["right_iris"]) / 2
    across = points["right_iris"] - points["left_iris"]
    angle = math.atan2(across[1], across[0])
    u = np.array((math.cos(angle), math.sin(angle)))  # along the eyes
    v = np.array((-u[1], u[0]))  # down the face
    face_w = outline[:, 0].max() - outline[:, 0].min()
    chin = float((points["chin"] - eyes) @ v)  # eyes to chin, along the face
    # Head and hair: the eyes sit about halfway down a head; hair adds to the top and,
    # for long or curly hair, well beyond the face's sides.
    top, bottom = -1.45 * chin * size, 1.05 * chin
    half_w = 0.5 * face_w * 1.75 * size
    if core:
        top, bottom, half_w = -1.05 * chin, 0.95 * chin, 0.5 * face_w * 0.95
    centre = eyes + v * (top + bottom) / 2
    half_h = (bottom - top) / 2
    t = np.linspace(0, 2 * math.pi, 72, endpoint=False)
    head = centre + np.outer(np.cos(t) * half_w, u) + np.outer(np.sin(t) * half_h, v)
    # Neck, collar and shoulders hang straight down (bodies rarely tilt with the head):
    # collars, helmet rings and shoulders already reach past the face at chin height,
    # and from a little lower the body fills the frame's width.
    cx, cy = eyes + v * chin
    shoulder_y = cy + 0.6 * chin
    wide = 0.5 * face_w * shoulders
    body = [
        (cx - 0.45 * face_w, cy - 0.4 * chin), (cx + 0.45 * face_w, cy - 0.4 * chin),
        (cx + 2.0 * wide, cy - 0.1 * chin), (cx + 3 * wide, cy + 0.3 * chin),
        (cx + 4 * wide, shoulder_y), (width * 2, shoulder_y + 0.5 * chin), (width * 2, height * 2),
        (-width, height * 2), (-width, shoulder_y + 0.5 * chin), (cx - 4 * wide, shoulder_y),
        (cx - 3 * wide, cy + 0.3 * chin), (cx - 2.0 * wide, cy - 0.1 * chin),
    ]  # fmt: skip
    if core:
        body = [
            (cx - 0.3 * face_w, cy - 0.3 * chin), (cx + 0.3 * face_w, cy - 0.3 * chin),
            (cx + 0.4 * face_w, cy + 0.5 * chin), (cx + 1.6 * wide, shoulder_y + 0.6 * chin),
            (cx + 2.2 * wide, height * 2), (cx - 2.2 * wide, height * 2), (cx - 1.6 * wide, shoulder_y + 0.6 * chin),
            (cx - 0.4 * face_w, cy + 0.5 * chin),
        ]  # fmt: skip
    canvas = Image.new("L", small, 0)
    draw = ImageDraw.Draw(canvas)
    draw.polygon([tuple(p * scale) for p in head], fill=255)
    draw.polygon([(x * scale, y * scale) for x, y in body], fill=255)
    # What sits low in the frame (hands, a desk) is about as near as the subject:
    # fade into focus from the shoulders to the bottom edge, as a real depth of field would.
    rows = np.arange(small[1], dtype=np.float32) / scale
    ground = np.clip((rows - shoulder_y) / max(1.0, height - shoulder_y), 0, 1) ** 1.5
    ground_band = Image.fromarray((np.repeat(ground[:, None], small[0], axis=1) * 255).astype(np.uint8))
    canvas = Image.fromarray(np.maximum(np.asarray(canvas), np.asarray(ground_band)))
    if core:
        return np.asarray(canvas, np.float32) * np.float32(1 / 255)
    blur = float(0.07 * face_w * scale * softness)
    mask = np.asarray(canvas.filter(ImageFilter.GaussianBlur(blur)), np.float32) * np.float32(1 / 255)
    mask.setflags(write=False)
    return mask


# --------------------------------------------------------------------------- the background


def lens_blur(image: np.ndarray, radius: float, weights: np.ndarray | None = None) -> np.ndarray:
    """Blur as an out-of-focus lens does: every point spreads into a disc, in linear light.

    Unlike a box or Gaussian blur, a lens turns small bright points into
    round, bright highlights ("bokeh") and keeps the brightness of light
    areas, because light adds up in linear units. The disc is built from one
    box sum per row (cost independent of the image content), on a copy scaled
    so the disc is a few pixels wide; the background is smooth after a blur,
    so scaling it back up loses nothing that shows.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3)
    radius : float
        Disc radius in pixels of ``image``. 0 returns an equal image.
    weights : ndarray of float32, shape (H, W), optional
        How much each pixel may spread (0-1). Pixels with weight 0 (the
        subject) do not leak into their surroundings: no halo.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)

    Examples
    --------
    >>> dark = np.zeros((41, 41, 3), np.uint8); dark[20, 20] = 255
    >>> spot = lens_blur(dark, 8)[..., 0]
    >>> bool(spot[20, 27] > 0), bool(spot[27, 27] == 0)  # round: inside the disc, not in its corner
    (True, True)
    """
    _check_rgb(image)
    if radius < 0:
        raise ValueError(f"The blur radius must be 0 or more pixels, not {radius}.")
    if radius == 0:
        return image.copy()
    linear, weight, size = _blurred_linear(image, radius, weights)
    return _to_full(linear, size)


def _blurred_linear(image, radius, weights):
    """Blur on a small copy; returns (linear RGB, weight sum, full size)."""
    height, width = image.shape[:2]
    factor = max(1, int(radius / _WORK_RADIUS))
    small = Image.fromarray(image)
    if factor > 1:
        small = small.reduce(factor)  # a box average: fast, and exact for a blur this wide
    small_size = small.size
    linear = srgb_to_linear_lut(np.asarray(small))
    r = radius / factor
    if weights is None:
        weight = np.ones(linear.shape[:2], np.float32)
    else:
        weight = weights if weights.shape == linear.shape[:2] else resize_float(weights, small_size)
    stacked = np.concatenate([linear * weight[..., None], weight[..., None]], axis=-1)
    blurred = _disc_sum(stacked, r)
    total = blurred[..., 3:]
    return blurred[..., :3] / np.maximum(total, 1e-4), total[..., 0], (width, height)


def _disc_sum(values: np.ndarray, radius: float) -> np.ndarray:
    """Sum over a disc of ``radius`` around each pixel (zero outside the image), one box per row."""
    height, width = values.shape[:2]
    r = max(1, int(math.ceil(radius)))
    padded = np.zeros((height + 2 * r, width + 2 * r + 1, values.shape[2]), np.float32)
    np.cumsum(values, axis=1, out=padded[r : r + height, r + 1 : r + 1 + width])
    padded[r : r + height, r + 1 + width :] = padded[r : r + height, r + width : r + width + 1]  # hold the sum
    out = np.zeros_like(values)
    for dy in range(-r, r + 1):
        half = math.sqrt(max(0.0, radius * radius - dy * dy))
        h = int(half + 0.5)
        if half <= 0:
            continue
        rows = padded[r + dy : r + dy + height]
        out += rows[:, r + h + 1 : r + h + 1 + width] - rows[:, r - h : r - h + width]
    return out


def _to_full(linear: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    small = Image.fromarray(linear_to_srgb8(linear))
    if small.size != size:
        small = small.resize(size, Image.Resampling.BILINEAR)
    return np.asarray(small)


def depth_effect(
    image: np.ndarray,
    landmarks: Landmarks,
    blur: float = 0.0,
    desaturate: float = 0.0,
    darken: float = 0.0,
    *,
    size: float = 1.0,
    shoulders: float = 1.0,
    softness: float = 1.0,
) -> np.ndarray:
    """Make the background fall away: lens blur, less colour, less light, behind a sharp subject.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3)
    landmarks : Landmarks
    blur : float
        0 (sharp) to 1 (a disc of :data:`MAX_BLUR` of the long edge).
    desaturate : float
        0 to 1: how much colour the background loses (1 = grey).
    darken : float
        0 to 1: how much light the background loses (1 = 60 % less, in linear light).
    size, shoulders, softness : float
        Shape of the subject mask; see :func:`subject_mask`.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
        Equal to ``image`` when blur, desaturate and darken are all 0.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo, points = examples.load_portrait("koch", 256), examples.portrait_landmarks("koch", 256)
    >>> bool((depth_effect(photo, points) == photo).all())
    True
    >>> darker = depth_effect(photo, points, darken=1.0)
    >>> int(darker[5, 5].sum()) < int(photo[5, 5].sum()), bool((darker[130, 96] == photo[130, 96]).all())
    (True, True)
    """
    _check_rgb(image)
    blur, desaturate, darken = _unit(blur, "blur"), _unit(desaturate, "desaturate"), _unit(darken, "darken")
    if blur == 0 and desaturate == 0 and darken == 0:
        return image.copy()
    mask = _subject_mask_small(image, landmarks, size, shoulders, softness, True)
    height, width = image.shape[:2]
    radius = blur * MAX_BLUR * max(height, width)
    if radius >= 1:
        # Only the background spreads; squaring keeps the soft edge of the subject out too.
        linear, _, size_full = _blurred_linear(image, radius, (1 - mask) ** 2)
        linear = _grade_linear(linear, desaturate, darken)
        background = Image.fromarray(_to_full(linear, size_full))
    else:
        background = _grade_full(Image.fromarray(image), desaturate, darken)
    _ALPHA_SOURCES[id(mask)] = mask  # cached masks live on, so their id stays theirs
    alpha = _alpha(id(mask), (width, height))
    return np.asarray(Image.composite(Image.fromarray(image), background, alpha))


def _grade_linear(linear: np.ndarray, desaturate: float, darken: float) -> np.ndarray:
    if desaturate:
        grey = linear @ np.array([0.2126, 0.7152, 0.0722], np.float32)
        linear = linear + desaturate * (grey[..., None] - linear)
    if darken:
        linear = linear * np.float32(1 - 0.6 * darken)
    return linear


@lru_cache(maxsize=32)
def _darken_table(darken: float) -> list[int]:
    levels = srgb_to_linear_lut(np.arange(256, dtype=np.uint8)) * np.float32(1 - 0.6 * darken)
    return linear_to_srgb8(levels).tolist() * 3


def _grade_full(image: Image.Image, desaturate: float, darken: float) -> Image.Image:
    """The same grading at full size, for an unblurred background (all in Pillow's C code)."""
    if desaturate:
        image = ImageEnhance.Color(image).enhance(1 - desaturate)
    if darken:
        image = image.point(_darken_table(round(darken, 3)))
    return image


# --------------------------------------------------------------------------- light


def protect_highlights(image: np.ndarray, amount: float = 0.0) -> np.ndarray:
    """Roll the brightest tones off gently, so shiny skin and white collars keep their detail.

    A soft shoulder on each pixel's brightest channel (the one that clips
    first), applied as one gain to all three channels so colours keep their
    hue. Tones below the knee are untouched; with ``amount`` 1 the knee sits
    at 65 % and white comes down to about 92 %.

    Examples
    --------
    >>> ramp = np.repeat(np.arange(0, 256, 5, dtype=np.uint8)[None, :, None], 3, axis=2)
    >>> soft = protect_highlights(ramp, 1.0)
    >>> int(soft[0, -1, 0]) < 240, bool((soft[0, :20] == ramp[0, :20]).all())
    (True, True)
    """
    _check_rgb(image)
    amount = _unit(amount, "amount")
    if amount == 0:
        return image.copy()
    # The gain is looked up from the brightest channel and applied by Pillow's
    # multiply (a * b / 255, in C); below the knee the gain is 255/255, exactly 1.
    brightest = Image.fromarray(np.maximum(np.maximum(image[..., 0], image[..., 1]), image[..., 2]))
    gain = brightest.point(_highlight_table(round(amount, 3)))
    return np.asarray(ImageChops.multiply(Image.fromarray(image), Image.merge("RGB", (gain, gain, gain))))


@lru_cache(maxsize=32)
def _highlight_table(amount: float) -> list[int]:
    return np.rint(_highlight_gains(amount) * 255).astype(int).tolist()


def _highlight_gains(amount: float) -> np.ndarray:
    v = np.arange(256, dtype=np.float64) / 255
    knee = 1 - 0.35 * amount
    rolled = np.where(v > knee, knee + (1 - knee) * np.tanh((v - knee) / (1 - knee)), v)
    gains = np.ones(256, np.float32)
    gains[1:] = (rolled[1:] / v[1:]).astype(np.float32)
    return gains


def warm_midtones(image: np.ndarray, mireds: float = 0.0) -> np.ndarray:
    """Warm (or cool) the middle tones only; shadows and highlights keep their colour.

    The warming is lesson 00's white-balance shift
    (:func:`portrait_lessons.colour.white_balance.warmth`), blended in by a weight that is 1
    for mid-grey and falls to 0 towards black and white: skin and the light
    on it warm up, while white collars stay white and shadows stay neutral.

    Examples
    --------
    >>> tones = np.array([[[10, 10, 10], [128, 128, 128], [250, 250, 250]]], np.uint8)
    >>> warm = warm_midtones(tones, 40)
    >>> int(warm[0, 1, 0]) - int(warm[0, 1, 2]) > int(warm[0, 2, 0]) - int(warm[0, 2, 2])
    True
    """
    _check_rgb(image)
    mireds = float(mireds)
    if not WARMTH_RANGE[0] <= mireds <= WARMTH_RANGE[1]:
        raise ValueError(f"Midtone warmth goes from {WARMTH_RANGE[0]:+.0f} to {WARMTH_RANGE[1]:+.0f} mireds, "
                         f"not {mireds:+g}.")  # fmt: skip
    if mireds == 0:
        return image.copy()
    picture = Image.fromarray(image)
    weight = picture.convert("L").point(_midtone_weights())
    return np.asarray(Image.composite(Image.fromarray(warmth(image, mireds)), picture, weight))


@lru_cache(maxsize=1)
def _midtone_weights() -> list[int]:
    v = np.arange(256) / 255
    bell = np.clip(4 * v * (1 - v), 0, 1) ** 1.5  # 1 at mid-grey, 0 at black and white
    return np.rint(bell * 255).astype(int).tolist()

