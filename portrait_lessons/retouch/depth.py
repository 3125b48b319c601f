"""Depth: set the person apart from the background, and warm the light without burning it.

A portrait feels dimensional when the subject is sharp and the background
falls away. :func:`subject_mask` is the person (the shared mask of
:mod:`portrait_lessons.retouch.subject`, adjustable by eye);
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
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter

from ..colour.white_balance import (_LUMINANCE, WARMTH_RANGE, _warmth_table, linear_to_srgb, srgb_to_linear,
                                    warmth_gains)
from ..face.landmarks import Landmarks
from .filters import linear_to_srgb8, resize_float, srgb_to_linear_lut
from .foreground import foreground, keep_person_colour, tighten_alpha
from .subject import subject_mask as person_mask
from .texture import _check_rgb, _unit

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
) -> np.ndarray:
    """Where the person is, with the depth tool's adjustments: 1 on the person, 0 behind, soft between.

    The person comes from :func:`portrait_lessons.retouch.subject.subject_mask`
    (the one subject mask every tool shares: head, hair, clothes and what the
    person holds; flags, models and backdrops behind are out). The three
    adjustments let a learner correct it by eye: ``size`` grows (above 1) or
    shrinks the head and hair, ``shoulders`` the body below the chin, and
    ``softness`` widens or narrows the soft edge.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3)
    landmarks : Landmarks
    size : float
        0.7 to 1.6; 1 keeps the head as found.
    shoulders : float
        0.5 to 2; 1 keeps the body as found.
    softness : float
        0.2 to 3; 1 keeps the edge as found.

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
    small = _subject_mask_small(image, landmarks, size, shoulders, softness)
    # Exactly the alpha depth_effect composites with.
    return np.asarray(_full_alpha(image, landmarks, small), np.float32) * np.float32(1 / 255)


def _subject_mask_small(image, landmarks, size, shoulders, softness) -> np.ndarray:
    """The adjusted subject mask on a copy about _MASK_EDGE px long (cached while sliders move)."""
    for value, name, low, high in ((size, "size", 0.7, 1.6), (shoulders, "shoulders", 0.5, 2.0),
                                   (softness, "softness", 0.2, 3.0)):  # fmt: skip
        if not low <= float(value) <= high:
            raise ValueError(f"{name} goes from {low} to {high}, not {value:g}.")
    height, width = image.shape[:2]
    if (landmarks.width, landmarks.height) != (width, height):
        landmarks = landmarks.resized(width, height)
    person = person_mask(image, landmarks)  # cached per photo
    key = (id(person), round(size, 3), round(shoulders, 3), round(softness, 3))
    cached = _ADJUSTED.get(key)
    if cached is not None:
        return cached
    scale = min(1.0, _MASK_EDGE / max(height, width))
    small_size = (max(1, round(width * scale)), max(1, round(height * scale)))
    mask = np.clip(resize_float(person, small_size), 0, 1)
    face_width = _face_width(landmarks) * scale
    chin_y = landmarks.points["chin"][1] * scale
    rows = np.arange(small_size[1], dtype=np.float32)[:, None]
    below = np.clip((rows - chin_y) / max(1.0, 0.3 * face_width) + 0.5, 0, 1)  # 0 on the head, 1 on the body
    grown = [_grow(mask, amount * face_width) for amount in ((size - 1) * 0.5, (shoulders - 1) * 0.5)]
    mask = grown[0] * (1 - below) + grown[1] * below
    if softness != 1:
        if softness > 1:
            mask = np.asarray(Image.fromarray(np.clip(mask * 255 + 0.5, 0, 255).astype(np.uint8))
                              .filter(ImageFilter.GaussianBlur(0.03 * face_width * (softness - 1))), np.float32) / 255
        else:
            mask = np.clip((mask - 0.5) / softness + 0.5, 0, 1)
    mask = mask.astype(np.float32)
    mask.setflags(write=False)
    _PERSONS[id(person)] = person  # keep the cached mask alive, so its id stays its own
    if len(_ADJUSTED) >= 16:
        _ADJUSTED.pop(next(iter(_ADJUSTED)))
    _ADJUSTED[key] = mask
    return mask


_ADJUSTED: dict = {}
_PERSONS: dict = {}


def _grow(mask: np.ndarray, pixels: float) -> np.ndarray:
    """Grow (pixels > 0) or shrink the mask by about ``pixels``, keeping its soft edge."""
    k = int(round(abs(pixels)))
    if k < 1:
        return mask
    picture = Image.fromarray(np.clip(mask * 255 + 0.5, 0, 255).astype(np.uint8))
    kind = ImageFilter.MaxFilter if pixels > 0 else ImageFilter.MinFilter
    return np.asarray(picture.filter(kind(2 * k + 1)), np.float32) / 255


@lru_cache(maxsize=8)
def _alpha(mask_id: int, size: tuple[int, int]) -> Image.Image:
    """The mask at full size as an 8-bit alpha (by the cached small mask's identity)."""
    mask = _ALPHA_SOURCES[mask_id]
    alpha = Image.fromarray(np.clip(mask * 255 + 0.5, 0, 255).astype(np.uint8))
    return alpha.resize(size, Image.Resampling.BILINEAR) if alpha.size != size else alpha


_ALPHA_SOURCES: dict = {}


def _face_width(landmarks: Landmarks) -> float:
    xs = [x for x, _ in landmarks.face_outline]
    return max(xs) - min(xs)


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


def _blurred_linear(image, radius, weights, key=None):
    """Blur on a small copy; returns (linear RGB, weight sum, full size).

    ``key``, when given, names ``weights`` (an object kept alive as long as the
    weights are the same): their small copy and its disc sum, which depend on
    the mask alone, are then computed once, not at every slider step.
    """
    height, width = image.shape[:2]
    factor = max(1, int(radius / _WORK_RADIUS))
    small = _reduced(image, factor)  # a box average: fast, and exact for a blur this wide
    small_size = small.shape[1], small.shape[0]
    linear = srgb_to_linear_lut(small)
    r = radius / factor
    weight, total = _spread(weights, small_size, r, key)
    if weight is not None:
        linear *= weight[..., None]
    blurred = _disc_sum(linear, r)
    blurred /= np.maximum(total, 1e-4)[..., None]
    return blurred, total, (width, height)


def _reduced(image: np.ndarray, factor: int) -> np.ndarray:
    """Pillow's ``reduce(factor)`` of a photo (factor x factor box means), as an array.

    A large photo is cut at a row that is a multiple of ``factor``, so every
    box lies in one half, and the top half is reduced on a second thread:
    the same boxes, the same result, in about half the time on an idle machine.

    Examples
    --------
    >>> photo = np.random.default_rng(0).integers(0, 256, (301, 7, 3), dtype=np.uint8)
    >>> bool((_reduced(photo, 4) == np.asarray(Image.fromarray(photo).reduce(4))).all())
    True
    """
    if factor == 1:
        return np.asarray(image)
    middle = image.shape[0] // 2 // factor * factor
    if middle < 64:
        return np.asarray(Image.fromarray(image).reduce(factor))
    top = _second_thread().submit(lambda: np.asarray(Image.fromarray(image[:middle]).reduce(factor)))
    bottom = np.asarray(Image.fromarray(image[middle:]).reduce(factor))
    return np.concatenate((top.result(), bottom))


@lru_cache(maxsize=1)
def _second_thread() -> ThreadPoolExecutor:
    """A worker thread: Pillow releases the GIL while it works, so the two halves run at once."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="depth-half")


def _spread(weights, small_size, radius, key):
    """(weights at the small size or None for all ones, their disc sum), cached under ``key``."""
    cache_key = None if key is None else (id(key), small_size, radius)
    cached = _SPREAD.get(cache_key)
    if cached is not None and cached[0] is key:
        return cached[1:]
    width, height = small_size
    if weights is None:
        weight, spreading = None, np.ones((height, width, 1), np.float32)
    else:
        weight = weights if weights.shape == (height, width) else resize_float(weights, small_size)
        spreading = weight[..., None]
    total = _disc_sum(spreading, radius)[..., 0]
    if cache_key is not None:
        if len(_SPREAD) >= 4:
            _SPREAD.pop(next(iter(_SPREAD)))
        _SPREAD[cache_key] = (key, weight, total)  # the entry keeps ``key`` alive, so its id stays its own
    return weight, total


_SPREAD: dict = {}


def _disc_sum(values: np.ndarray, radius: float) -> np.ndarray:
    """Sum over a disc of ``radius`` around each pixel (zero outside the image), float32.

    The disc is a 0/1 kernel of whole rows (:func:`_disc_kernel`), run by OpenCV's
    correlation in C.

    Examples
    --------
    >>> ones = np.ones((9, 9, 1), np.float32)
    >>> float(_disc_sum(ones, 2)[4, 4, 0]), float(_disc_sum(ones, 2)[0, 0, 0])  # 15 pixels inside; a corner sees 6
    (15.0, 6.0)
    """
    import cv2  # noqa: PLC0415 - a dependency (the subject mask uses it)

    values = np.asarray(values, np.float32)
    out = cv2.filter2D(values, -1, _disc_kernel(float(radius)), borderType=cv2.BORDER_CONSTANT)
    return out.reshape(values.shape)  # OpenCV drops a single channel's axis


@lru_cache(maxsize=16)
def _disc_kernel(radius: float) -> np.ndarray:
    """The disc as rows of ones: row ``dy`` reaches ``round(sqrt(radius^2 - dy^2))`` pixels either side."""
    r = max(1, int(math.ceil(radius)))
    kernel = np.zeros((2 * r + 1, 2 * r + 1), np.float32)
    for dy in range(-r, r + 1):
        half = math.sqrt(max(0.0, radius * radius - dy * dy))
        if half > 0:
            h = int(half + 0.5)
            kernel[r + dy, r - h : r + h + 1] = 1
    return kernel


def _to_full(linear: np.ndarray, size: tuple[int, int], fast: bool = False) -> np.ndarray:
    """The blurred small copy, encoded to sRGB and enlarged bilinearly to ``size``.

    With ``fast`` the enlargement is OpenCV's, into a new writable array: it rounds
    once where Pillow's rounds after each pass, so the two differ by at most 1
    level, and it takes a fifth of the time (the depth slider's background).
    """
    small = linear_to_srgb8(linear)
    if (small.shape[1], small.shape[0]) == size:
        return small
    if fast:
        import cv2  # noqa: PLC0415 - a dependency (the subject mask uses it)

        return cv2.resize(small, size, interpolation=cv2.INTER_LINEAR)
    return np.asarray(Image.fromarray(small).resize(size, Image.Resampling.BILINEAR))


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
    source: np.ndarray | None = None,
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
    source : ndarray of uint8, shape (H, W, 3), optional
        The photo to find the person in, when ``image`` is that photo after
        colour or texture edits (an editing recipe passes the photo as taken):
        the mask then stays the one found once, and an edit upstream costs no
        new segmentation. Defaults to ``image``.

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
    source = image if source is None else np.asarray(source)
    if source.shape != image.shape:
        raise ValueError(f"The photo to find the person in is {source.shape[1]} x {source.shape[0]}, "
                         f"the picture {image.shape[1]} x {image.shape[0]}: they must be the same size.")
    mask = _subject_mask_small(source, landmarks, size, shoulders, softness)
    height, width = image.shape[:2]
    radius = blur * MAX_BLUR * max(height, width)
    if radius >= 1:
        # Only the background spreads; squaring keeps the soft edge of the subject out too.
        linear, _, size_full = _blurred_linear(image, radius, _spread_weights(mask), key=mask)
        linear = _grade_linear(linear, desaturate, darken)
        background = _to_full(linear, size_full, fast=True)
    else:
        background = np.array(_grade_full(Image.fromarray(image), desaturate, darken))
    return _composite_plan(source, landmarks, mask).apply(image, background)


def _spread_weights(mask: np.ndarray) -> np.ndarray:
    """How much each pixel of the small mask may spread in the blur: the background's share, squared."""
    cached = _WEIGHTS.get(id(mask))
    if cached is None or cached[0] is not mask:
        cached = (mask, (1 - mask) ** 2)
        _WEIGHTS.clear()  # one mask at a time: the one the sliders are on
        _WEIGHTS[id(mask)] = cached
    return cached[1]


_WEIGHTS: dict = {}


class _Composite(NamedTuple):
    """The subject laid over a new background, worked out once per photo and mask.

    Equal to Pillow's ``Image.composite(layer, background, alpha)`` with
    ``layer = image + correction`` (see :func:`_layer_correction`), but only
    the soft edge is blended: where alpha is 255 the layer is copied, where it
    is 0 the background stays, and the layer's correction is kept only where
    it shows.
    """

    mask: np.ndarray  # the small mask this plan belongs to (kept alive: its id is the key)
    inside: np.ndarray  # uint8 (H, W): 1 where the subject hides the background (alpha 255)
    fix: np.ndarray  # flat pixel indices inside where the layer's correction is not 0
    fix_correction: np.ndarray  # int16 (n, 3)
    edge: np.ndarray  # flat pixel indices of the soft edge (0 < alpha < 255)
    edge_alpha: np.ndarray  # int32 (n, 1)
    edge_correction: np.ndarray  # int16 (n, 3)

    def apply(self, image: np.ndarray, background: np.ndarray) -> np.ndarray:
        """Lay ``image``'s subject over ``background`` (changed in place and returned)."""
        import cv2  # noqa: PLC0415 - a dependency (the subject mask uses it)

        cv2.copyTo(image, self.inside, background)
        pixels, out = image.reshape(-1, 3), background.reshape(-1, 3)
        if len(self.fix):
            out[self.fix] = np.clip(pixels[self.fix] + self.fix_correction, 0, 255)
        if len(self.edge):
            layer = np.clip(pixels[self.edge] + self.edge_correction, 0, 255).astype(np.int32)
            # Pillow's blend: (layer * alpha + background * (255 - alpha)) / 255, rounded as it rounds.
            blend = out[self.edge] * (255 - self.edge_alpha) + layer * self.edge_alpha + 128
            out[self.edge] = ((blend >> 8) + blend) >> 8
        return background


def _composite_plan(source: np.ndarray, landmarks: Landmarks, mask: np.ndarray) -> _Composite:
    """The :class:`_Composite` for ``mask`` at ``source``'s size (cached, a few entries)."""
    height, width = source.shape[:2]
    key = (id(mask), (width, height))
    cached = _PLANS.get(key)
    if cached is not None and cached.mask is mask:
        return cached
    alpha = _full_alpha(source, landmarks, mask)
    correction = _layer_correction(source, landmarks, mask, alpha).reshape(-1, 3)
    alpha = np.asarray(alpha).reshape(-1)
    inside = alpha == 255
    fix = np.flatnonzero(inside & correction.any(axis=1))
    edge = np.flatnonzero((alpha > 0) & ~inside)
    plan = _Composite(mask, inside.astype(np.uint8).reshape(height, width), fix, correction[fix], edge,
                      alpha[edge].astype(np.int32)[:, None], correction[edge])  # fmt: skip
    if len(_PLANS) >= 4:
        _PLANS.pop(next(iter(_PLANS)))
    _PLANS[key] = plan
    return plan


_PLANS: dict = {}


def _full_alpha(image: np.ndarray, landmarks: Landmarks, mask: np.ndarray) -> Image.Image:
    """The adjusted mask at full size as an 8-bit alpha; the found mask itself when nothing is adjusted.

    The small copy makes the size and softness sliders fast, but its edge, scaled
    back up, is wider than the person's own: unadjusted, the sharper mask is used.
    """
    height, width = image.shape[:2]
    if mask is _subject_mask_small(image, landmarks, 1.0, 1.0, 1.0):
        return _found_alpha(image, landmarks)
    _ALPHA_SOURCES[id(mask)] = mask  # cached masks live on, so their id stays theirs
    return _alpha(id(mask), (width, height))


def _found_alpha(image: np.ndarray, landmarks: Landmarks) -> Image.Image:
    """The found subject mask at the image's size as an 8-bit alpha (cached with it)."""
    height, width = image.shape[:2]
    if (landmarks.width, landmarks.height) != (width, height):
        landmarks = landmarks.resized(width, height)
    person = person_mask(image, landmarks)  # cached per photo
    cached = _FOUND.get(id(person))
    if cached is None or cached[0] is not person:
        # Where the mask's ramp runs onto plain backdrop, the colour lowers it (see tighten_alpha).
        tight = tighten_alpha(image, person, foreground(image, person))
        cached = (person, Image.fromarray(np.clip(tight * 255 + 0.5, 0, 255).astype(np.uint8)))
        if len(_FOUND) >= 4:
            _FOUND.pop(next(iter(_FOUND)))
        _FOUND[id(person)] = cached
    return cached[1]


_FOUND: dict = {}


def _layer_correction(source: np.ndarray, landmarks: Landmarks, mask: np.ndarray, alpha: Image.Image) -> np.ndarray:
    """What is added to the photo to make the layer laid over the new background (int16, (H, W, 3)).

    The photo's edge pixels hold some of the old backdrop; over a darker or greyer
    background that share shows as a light or coloured rim round hair and
    shoulders. The person's colour is estimated once per photo (``source``) against
    the mask as found, and kept as a correction to the photo's pixels; where the
    learner grew the mask past it, the photo itself is kept (that is backdrop they
    chose to keep sharp). The image composited is ``source`` after any colour
    edits: the same correction applies to it.
    """
    base = _subject_mask_small(source, landmarks, 1.0, 1.0, 1.0)
    person = person_mask(source, landmarks)
    # The same estimate _found_alpha used, but where the mask's ramp lies on the person
    # (Hopper's jaw beside the red stripe) the skin keeps its own colour (see keep_person_colour).
    front = keep_person_colour(source, person, foreground(source, person))
    correction = front.astype(np.int16) - source
    if base is not mask:
        found = np.asarray(_found_alpha(source, landmarks), np.float32)
        share = np.clip(found / np.maximum(np.asarray(alpha, np.float32), 1.0), 0, 1)[..., None]
        correction = (share * correction + np.where(correction < 0, -0.5, 0.5)).astype(np.int16)
    return correction


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
    # The gain (x255) is looked up from the brightest channel and applied as a * gain // 255,
    # the way Pillow's multiply rounds. Below the knee the gain is 255/255, exactly 1, so
    # only the pixels above it (the highlights, a small share of a portrait) are worked.
    table = _highlight_table(round(amount, 3))
    brightest = np.maximum(np.maximum(image[..., 0], image[..., 1]), image[..., 2]).reshape(-1)
    out = image.copy()
    bright = np.flatnonzero(brightest >= _first_rolled(table))
    if len(bright):
        pixels = out.reshape(-1, 3)
        gains = np.asarray(table, np.uint16)[brightest[bright]]
        pixels[bright] = pixels[bright] * gains[:, None] // 255
    return out


def _first_rolled(table: list[int]) -> int:
    """The lowest level whose gain is below 1; the gains fall from there up (the shoulder is concave)."""
    return next((level for level, gain in enumerate(table) if gain < 255), 256)


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
    # Image.composite(warmed, picture, weight), pasting into the copy made above rather than a new one.
    picture.paste(picture.point(_midtone_table(round(mireds, 1))), None, weight)
    return np.asarray(picture)


#: Green added to the cooling at -60 mireds (a gain on green before luminance is restored):
#: cooling along the black-body line alone drifts skin toward magenta (Hopper's cheek hue
#: 18 -> 12 degrees, Armstrong's 17 -> 3 at -60); with it, 16 and 11.
COOL_GREEN = 0.09


@lru_cache(maxsize=32)
def _midtone_table(mireds: float) -> list[int]:
    """The white-balance shift of :func:`warmth` as a table, with :data:`COOL_GREEN` when cooling."""
    if mireds >= 0:
        return _warmth_table(mireds)
    gains = warmth_gains(mireds) * np.array([1.0, 1.0 + COOL_GREEN * -mireds / 60.0, 1.0])
    gains /= _LUMINANCE @ gains
    levels = srgb_to_linear(np.arange(256) / 255.0)
    return np.rint(np.concatenate([linear_to_srgb(levels * gain) * 255 for gain in gains])).astype(np.uint8).tolist()


@lru_cache(maxsize=1)
def _midtone_weights() -> list[int]:
    v = np.arange(256) / 255
    bell = np.clip(4 * v * (1 - v), 0, 1) ** 1.5  # 1 at mid-grey, 0 at black and white
    return np.rint(bell * 255).astype(int).tolist()

