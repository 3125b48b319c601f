"""Skin texture: split it off, smooth skin as a beauty filter does, measure and restore what is lost.

A photo's fine detail (pores, fine lines, the grain of the film or sensor)
and its broad tones (the shape of the face, blotches and shadows) can be
pulled apart into two *bands* that add back to the original exactly:
:func:`split_frequencies`. Retouchers call this *frequency separation*.

A beauty filter smooths the broad band with an edge-preserving filter and
throws the fine band away inside a mask of the skin: :func:`smooth_skin`.
That is where the plastic look comes from, and :func:`texture_energy`
measures it: the fine detail left in the skin. Putting the original fine band
back (``restore``) keeps the even tone and brings the skin back.

Sizes are set from the face itself (the distance between the irises), so a
preview and the full-size photo get the same look.
"""

from __future__ import annotations

import hashlib
import math
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .filters import box_mean, guided_filter, luminance, resize_float
from ..face.landmarks import Landmarks

__all__ = [
    "FrequencyBands",
    "SkinReport",
    "add_clarity",
    "add_texture",
    "eye_keep",
    "face_closeup",
    "merge_frequencies",
    "skin_mask",
    "skin_report",
    "skin_texture_kept",
    "smooth_skin",
    "smoothing_mask",
    "split_frequencies",
    "texture_energy",
    "tone_unevenness",
]

#: Pore scale as a fraction of the distance between the irises: the blur
#: that separates fine texture from broad tone.
PORE_SCALE = 1 / 80
#: Window of the beauty filter's edge-preserving smoothing, same unit.
SMOOTHING_RADIUS = 1 / 6
#: Edges above about this contrast (0-1) survive the smoothing: jaw, nose, lips.
EDGE_CONTRAST = 0.06
#: Width of the band ``restore`` puts back, as a fraction of the pore scale.
RESTORE_BAND = 1.0
#: Clarity leaves edges of more than about this contrast (0-1) without a halo.
CLARITY_EDGE = 0.08
#: Fine detail of about this local contrast (0-1) gets half the *Texture* change; fainter gets all of it.
TEXTURE_CONTRAST = 0.017
#: With the face's landmarks, *Texture* leaves each eye, its lids, lashes and the skin just round
#: them as they are: an ellipse reaching this many eye distances past the eye's corners and lids,
#: feathered over :data:`EYE_KEEP_FEATHER`. Lid and under-eye skin is faint detail, so without it
#: texture -1 took 9-11 % of the fine detail round the eyes of the large faces (Glover, Koch, Hopper).
EYE_KEEP = 0.25
EYE_KEEP_FEATHER = 0.06
#: The skin mask's forehead reaches up to this many eye distances above the brows,
#: but only as far as the forehead's colour and brightness carry on (the hairline).
FOREHEAD_REACH = 1.2
#: Above the brows, skin is at least this share of the lower forehead's brightness
#: (hair, a hat's brim or the backdrop are darker); 0.1 wider is the soft edge.
HAIRLINE_BRIGHTNESS = 0.55
#: ... and has less than this many times the lower forehead's fine detail (hair's strands have more).
HAIR_DETAIL = 2.0
#: Above the eyes, a colour photo's skin is at least this share of the darker cheek's brightness:
#: skin in shadow keeps 0.45 or more on the bundled photos, dark hair in shadow 0.2 or less.
HAIR_DARKNESS = 0.3
#: Narrower runs of skin-like colour up into the hair than this (eye distances) are cut back.
HAIRLINE_WIDTH = 0.35
#: The smoothing reaches down the neck this many eye distances below the chin (a collar stops it sooner).
NECK_REACH = 1.6
#: Step edges of this contrast (0-1) or more, measured over 0.04 eye distances, keep their shape:
#: only their pores are smoothed away (a jaw's line, a fold under the chin); fainter wrinkles are evened.
EDGE_KEEP = (0.2, 0.3)
#: Step edges of this contrast or more stop the smoothing altogether (hair against a cheek, a jaw
#: against the neck's deep shadow, a collar).
EDGE_STOP = (0.25, 0.35)
#: Below the nose, dark dots of this relative depth (0-1) are hairs (stubble) ...
HAIR_DOT = (0.08, 0.12)
#: ... a face whose skin below the nose has a median cover of more of them than this has stubble
#: (Glover 0.039; the seven clean-shaven faces 0.007 or less, Hopper's wrinkles included) ...
BEARD_COVER = 0.02
#: ... and on it, where they cover this share of the skin (0-1), the whole patch is beard, left alone.
STUBBLE_COVER = (0.015, 0.035)


class FrequencyBands(NamedTuple):
    """The two bands of a photo: ``low + high == original`` exactly.

    ``low`` is a blurred copy (uint8, a viewable image); ``high`` is the
    signed remainder (int16), the fine detail the blur took out.
    """

    low: np.ndarray
    high: np.ndarray

    def merge(self) -> np.ndarray:
        """Add the bands back together (see :func:`merge_frequencies`)."""
        return merge_frequencies(self.low, self.high)


def split_frequencies(image: np.ndarray, radius: float = 2.0) -> FrequencyBands:
    """Split a photo into broad tone and fine texture that add back exactly.

    The low band is a Gaussian blur of ``radius`` pixels, rounded to whole
    levels like any picture; the high band is what is left, kept as a signed
    16-bit integer so that nothing is rounded away. Adding them gives the
    original back bit for bit.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3)
    radius : float
        Blur radius (Gaussian sigma) in pixels: detail smaller than this goes
        to the high band. 0 puts everything in the low band.

    Returns
    -------
    FrequencyBands
        ``(low, high)``: uint8 and int16 arrays of the image's shape.

    Examples
    --------
    >>> photo = np.random.default_rng(1).integers(0, 256, (20, 30, 3), dtype=np.uint8)
    >>> low, high = split_frequencies(photo, 2.0)
    >>> low.dtype, high.dtype
    (dtype('uint8'), dtype('int16'))
    >>> bool((merge_frequencies(low, high) == photo).all())
    True
    """
    _check_rgb(image)
    if radius < 0:
        raise ValueError(f"radius must be 0 or more pixels, not {radius}.")
    low = np.asarray(Image.fromarray(image).filter(ImageFilter.GaussianBlur(radius))) if radius else image.copy()
    high = image.astype(np.int16) - low
    return FrequencyBands(low, high)


def merge_frequencies(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Add a low and a (possibly edited) high band back into a uint8 photo.

    Examples
    --------
    >>> low = np.full((1, 1, 3), 250, np.uint8)
    >>> merge_frequencies(low, np.full((1, 1, 3), 9, np.int16)).tolist()  # clipped at white
    [[[255, 255, 255]]]
    """
    if low.shape != high.shape:
        raise ValueError(f"The bands differ in shape: {low.shape} and {high.shape}. Split one photo into both.")
    return np.clip(low.astype(np.int16) + high, 0, 255).astype(np.uint8)


# --------------------------------------------------------------------------- the skin mask


def skin_mask(image: np.ndarray, landmarks: Landmarks, *, colour_gate: bool = True) -> np.ndarray:
    """Where the skin of the face is: 1 on cheeks and forehead, 0 elsewhere, soft between.

    Built from the landmarks: the face outline closed over the forehead,
    minus the eyes, brows and mouth, with feathered edges. With
    ``colour_gate`` the mask also fades where the colour strays far from the
    cheeks' (hair over the forehead, glasses frames), as phone beauty filters
    do.

    Returns
    -------
    ndarray of float32, shape (H, W), values 0-1

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> mask = skin_mask(examples.load_portrait("koch", 256), examples.portrait_landmarks("koch", 256))
    >>> mask.shape, float(mask.max())
    ((256, 192), 1.0)
    """
    _check_rgb(image)
    (top, left), crop_mask = _skin_region(image, landmarks, colour_gate)
    mask = np.zeros(image.shape[:2], np.float32)
    mask[top : top + crop_mask.shape[0], left : left + crop_mask.shape[1]] = crop_mask
    return mask


def smoothing_mask(image: np.ndarray, landmarks: Landmarks) -> np.ndarray:
    """Where :func:`smooth_skin` acts: the face's skin and the neck's, 0-1, soft between.

    :func:`skin_mask` down the neck to the collar, less a beard's stubble (hair, not
    skin) and stopping short of strong outlines (the jaw against the neck's shadow,
    hair over a cheek), which the smoothing leaves crisp.

    Returns
    -------
    ndarray of float32, shape (H, W), values 0-1

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo, points = examples.load_portrait("hopper", 512), examples.portrait_landmarks("hopper", 512)
    >>> below_chin = round(points.points["chin"][1] + 0.4 * points.interocular_distance)
    >>> x = round(points.points["chin"][0])
    >>> float(skin_mask(photo, points)[below_chin, x]), float(smoothing_mask(photo, points)[below_chin, x]) > 0.5
    (0.0, True)
    """
    _check_rgb(image)
    (top, left), crop_mask = _smoothing_region(image, landmarks)
    mask = np.zeros(image.shape[:2], np.float32)
    mask[top : top + crop_mask.shape[0], left : left + crop_mask.shape[1]] = crop_mask
    return mask


def _skin_region(image: np.ndarray, landmarks: Landmarks, colour_gate: bool = True):
    """((top, left), mask) of the skin inside the face's bounding box, at full resolution."""
    key = _landmark_key(landmarks, image.shape)
    (top, left, bottom, right), shape_mask = _skin_shape(key)
    crop = np.ascontiguousarray(image[top:bottom, left:right])
    mask = shape_mask * _hairline_stop(crop, landmarks, (top, left))
    if colour_gate:
        mask = mask * _colour_gate(crop, landmarks, (top, left))
    return (top, left), mask


def _hairline_stop(crop: np.ndarray, landmarks: Landmarks, origin: tuple[int, int]) -> np.ndarray:
    """1 up to the hairline above the brows, 0 beyond it, for the crop round the face.

    From just above the brows each column of the forehead is followed upward while it
    stays skin: as bright as the lower forehead (at least HAIRLINE_BRIGHTNESS of it)
    and, in a colour photo, of the lower forehead's colour. The first row that is not
    ends the skin in that column: the fringe, a hat's brim or a bald head's top edge.
    A bright strand higher up does not start it again.
    """
    p = {name: np.array(xy) - (origin[1], origin[0]) for name, xy in landmarks.points.items()}
    iod = landmarks.interocular_distance
    step = max(1, int(iod // 48))
    small = Image.fromarray(crop).reduce(step) if step > 1 else Image.fromarray(crop)
    small = small.filter(ImageFilter.GaussianBlur(1))  # single dark pores and specks do not stop it
    ycc = np.asarray(small.convert("YCbCr"), np.float32)
    p = {name: xy / step for name, xy in p.items()}
    iod /= step
    height, width = ycc.shape[:2]
    brow_top = min(xy[1] for name, xy in p.items() if "brow" in name)
    start = int(np.clip(round(brow_top - 0.15 * iod), 0, height))
    stop = np.ones((height, width), np.float32)
    if start <= 1:
        return stop if step == 1 else resize_float(stop, (crop.shape[1], crop.shape[0]))
    # The lower forehead: between and just above the brows.
    middle = (p["left_brow_inner"] + p["right_brow_inner"]) / 2
    x0, x1 = int(max(0, middle[0] - 0.3 * iod)), int(min(width, middle[0] + 0.3 * iod + 1))
    y0, y1 = int(max(0, brow_top - 0.3 * iod)), int(max(1, min(height, brow_top - 0.05 * iod)))
    patch = ycc[y0:y1, x0:x1].reshape(-1, 3)
    if not len(patch):
        return stop if step == 1 else resize_float(stop, (crop.shape[1], crop.shape[0]))
    luma, chroma = float(np.median(patch[:, 0])), np.median(patch[:, 1:], axis=0)
    spread = max(4.0, 3.0 * float(np.sqrt(((patch[:, 1:] - chroma) ** 2).sum(axis=1).mean())))
    zone = ycc[:start]
    # Brightness against each column's own lower forehead (a head lit from one side is
    # darker on the other), and never less than half the middle's.
    base = np.median(ycc[max(0, start - max(2, round(0.1 * iod))) : start, :, 0], axis=0)
    base = np.maximum(_gaussian_float(base[None, :], max(1.0, 0.1 * iod))[0], 0.5 * luma)
    bright = np.clip((zone[..., 0] / np.maximum(base, 1.0) - HAIRLINE_BRIGHTNESS) / 0.1, 0, 1)
    hue = np.clip(2 - np.sqrt(((zone[..., 1:] - chroma) ** 2).sum(axis=-1)) / spread, 0, 1)
    # Hair is made of strands: far more fine detail than the forehead's skin, even where
    # its colour and brightness match (a light blond fringe).
    # (measured at full size, where strands are sharp, then brought to the small grid).
    import cv2  # fast blurs at full size; it ships with the subject mask

    grey = np.asarray(Image.fromarray(crop).convert("L"), np.float32)
    detail = cv2.GaussianBlur(np.abs(grey - cv2.GaussianBlur(grey, (0, 0), 1.0)), (0, 0), 1.5 * step)
    detail = resize_float(detail, (width, height)) if step > 1 else detail
    calm = float(np.median(detail[y0:y1, x0:x1]))
    smooth = np.clip(2 - detail[:start] / max(HAIR_DETAIL * calm, 0.5), 0, 1)
    skin = bright * hue * smooth
    # Followed upward from the brows: the first row that is not skin ends the column.
    ended = (skin < 0.5)[::-1]  # row 0 is now the one just above the brows
    reach = np.where(ended.any(axis=0), np.argmax(ended, axis=0), start).astype(np.float32)
    # A hairline is broad: a narrow run up a parting or between strands is cut back to
    # its neighbours' height (an opening over a third of the eye distance).
    reach = _open_1d(reach, max(1, round(HAIRLINE_WIDTH * iod)))
    rows = np.arange(start)[:, None]
    stop[:start] = (rows >= start - reach[None, :]).astype(np.float32)
    stop = np.asarray(Image.fromarray(np.uint8(stop * 255)).filter(ImageFilter.GaussianBlur(max(1.0, 0.05 * iod))), np.float32) / 255
    stop[start:] = 1.0
    if step > 1:
        stop = resize_float(stop, (crop.shape[1], crop.shape[0]))
    return stop


def _landmark_key(landmarks: Landmarks, shape: tuple[int, ...]) -> tuple:
    """A hashable, rounded copy of what the masks depend on (for caching)."""
    points = tuple((name, round(x, 1), round(y, 1)) for name, (x, y) in sorted(landmarks.points.items()))
    outline = tuple((round(x, 1), round(y, 1)) for x, y in landmarks.face_outline)
    return points, outline, tuple(shape[:2])


@lru_cache(maxsize=16)
def _skin_shape(key: tuple) -> tuple[tuple[int, int, int, int], np.ndarray]:
    """The landmark-only part of the skin mask, cropped to the face: (box, mask)."""
    points = {name: np.array((x, y)) for name, x, y in key[0]}
    outline = np.array(key[1])
    height, width = key[2]
    iod = float(np.linalg.norm(points["right_iris"] - points["left_iris"]))
    # The outline starts at eye height; close it over the forehead with an arc that
    # rises FOREHEAD_REACH eye distances above the brows (a bald head's forehead and
    # more); the hairline stop (:func:`_hairline_stop`) cuts it where hair begins.
    brow_top = min(points[n][1] for n in points if "brow" in n)
    start, end = outline[0], outline[-1]
    centre_x, base_y = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
    rise = base_y - (brow_top - FOREHEAD_REACH * iod)
    half = (end[0] - start[0]) / 2 * 0.92
    arc = [(centre_x + half * math.cos(a), base_y - rise * math.sin(a)) for a in np.linspace(0.15, math.pi - 0.15, 15)]
    polygon = np.array([*outline, *arc])
    # Shrink the polygon a little towards its centre so the feather ends at the face's edge.
    centre = polygon.mean(axis=0)
    polygon = centre + (polygon - centre) * 0.94
    feather = 0.09 * iod
    left = int(max(0, polygon[:, 0].min() - 2 * feather))
    top = int(max(0, polygon[:, 1].min() - 2 * feather))
    right = int(min(width, math.ceil(polygon[:, 0].max() + 2 * feather)))
    bottom = int(min(height, math.ceil(polygon[:, 1].max() + 2 * feather)))
    # Draw at about 48 px between the eyes: plenty for a soft mask, and cheap.
    scale = min(1.0, 48 / max(iod, 1))
    size = (max(1, round((right - left) * scale)), max(1, round((bottom - top) * scale)))

    def at(p):
        return ((p[0] - left) * scale, (p[1] - top) * scale)

    canvas = Image.new("L", size, 0)
    draw = ImageDraw.Draw(canvas)
    draw.polygon([at(p) for p in polygon], fill=255)
    margin = 0.13 * iod
    for side in ("left", "right"):
        outer, inner = points[f"{side}_eye_outer"], points[f"{side}_eye_inner"]
        upper, lower = points[f"{side}_upper_lid"], points[f"{side}_lower_lid"]
        xs = sorted((outer[0], inner[0]))
        box = (xs[0] - margin, upper[1] - 1.4 * margin, xs[1] + margin, lower[1] + margin)
        draw.ellipse([*at(box[:2]), *at(box[2:])], fill=0)
        brow = [at(points[f"{side}_brow_{part}"]) for part in ("outer", "middle", "inner")]
        draw.line(brow, fill=0, width=max(1, round(0.24 * iod * scale)), joint="curve")
        for end_point in (brow[0], brow[-1]):
            r = 0.12 * iod * scale
            draw.ellipse((end_point[0] - r, end_point[1] - r, end_point[0] + r, end_point[1] + r), fill=0)
    # The nose's ridge and nostrils are features, not skin: a beauty filter keeps them crisp.
    between_brows = (points["left_brow_inner"] + points["right_brow_inner"]) / 2
    tip = points["nose_tip"]
    ridge_top = between_brows + 0.35 * (tip - between_brows)
    draw.line([at(ridge_top), at(tip)], fill=0, width=max(1, round(0.2 * iod * scale)))
    nostrils = (tip[0] - 0.42 * iod, tip[1] - 0.2 * iod, tip[0] + 0.42 * iod, tip[1] + 0.2 * iod)
    draw.ellipse([*at(nostrils[:2]), *at(nostrils[2:])], fill=0)
    mouth = (
        points["mouth_left"][0] - 0.8 * margin,
        points["upper_lip"][1] - 0.8 * margin,
        points["mouth_right"][0] + 0.8 * margin,
        points["lower_lip"][1] + 0.6 * margin,
    )
    draw.ellipse([*at(mouth[:2]), *at(mouth[2:])], fill=0)
    canvas = canvas.filter(ImageFilter.GaussianBlur(feather * scale))
    mask = np.asarray(canvas.resize((right - left, bottom - top), Image.Resampling.BILINEAR), np.float32) / 255
    mask = np.clip((mask - 0.02) / 0.96, 0, 1)  # true 0 and 1 away from the feather
    mask.setflags(write=False)
    return (top, left, bottom, right), mask


def _open_1d(values: np.ndarray, width: int) -> np.ndarray:
    """Morphological opening of a 1-D array (a running minimum, then a running maximum)."""
    pad = width // 2

    def running(v, pick):
        padded = np.pad(v, pad, mode="edge")
        return pick(np.lib.stride_tricks.sliding_window_view(padded, 2 * pad + 1), axis=-1)

    return running(running(values, np.min), np.max)


def _colour_gate(crop: np.ndarray, landmarks: Landmarks, origin: tuple[int, int]) -> np.ndarray:
    """1 where the colour is like the cheeks', falling to 0 for clearly different colours."""
    p = {name: np.array(xy) - (origin[1], origin[0]) for name, xy in landmarks.points.items()}
    iod = landmarks.interocular_distance
    # Colour varies slowly: measure it on a copy about 48 px between the eyes.
    step = max(1, int(iod // 48))
    small = Image.fromarray(crop).reduce(step) if step > 1 else Image.fromarray(crop)
    ycc = np.asarray(small.convert("YCbCr"), np.float32)
    p = {name: xy / step for name, xy in p.items()}
    iod /= step
    chroma = ycc[..., 1:]
    samples = []
    cheeks = [
        (p["left_eye_outer"] + p["left_eye_inner"] + 2 * p["mouth_left"]) / 4,
        (p["right_eye_outer"] + p["right_eye_inner"] + 2 * p["mouth_right"]) / 4,
        p["nose_tip"] * 0.25 + (p["left_brow_inner"] + p["right_brow_inner"]) * 0.375,  # between the brows
    ]
    r = max(1, round(0.1 * iod))
    for x, y in cheeks:
        x, y = int(np.clip(x, 0, crop.shape[1] - 1)), int(np.clip(y, 0, crop.shape[0] - 1))
        samples.append(chroma[max(0, y - r) : y + r + 1, max(0, x - r) : x + r + 1].reshape(-1, 2))
    samples = np.concatenate(samples)
    centre = np.median(samples, axis=0)
    spread = max(4.0, 2.5 * float(np.sqrt(((samples - centre) ** 2).sum(axis=1).mean())))
    distance2 = ((chroma - centre) ** 2).sum(axis=-1) / (spread * spread)
    gate = np.exp(-0.125 * distance2).astype(np.float32)  # soft: two spreads away is still 0.6
    if float(np.abs(samples - 128).max()) < 3:
        # A black-and-white photo has no colour to tell a glasses frame or hair from
        # skin; they are much darker than the cheeks, so fade out what is.
        luma = ycc[..., 0]
        cheek = float(np.median(np.concatenate([
            luma[max(0, int(y) - r) : int(y) + r + 1, max(0, int(x) - r) : int(x) + r + 1].ravel() for x, y in cheeks])))
        # Shadowed skin (a turned cheek, a smile's fold) keeps two thirds of the cheeks' brightness
        # or more; frames and hair are darker still.
        gate = gate * np.clip((luma / max(cheek, 1.0) - 0.45) / 0.2, 0, 1)
        gate = np.asarray(Image.fromarray((gate * 255).astype(np.uint8)).filter(ImageFilter.MinFilter(3)), np.float32) / 255
    else:
        gate = gate * _dark_hair_gate(ycc[..., 0], cheeks, r, p, iod)
    if step > 1:
        gate = resize_float(gate, (crop.shape[1], crop.shape[0]))
    return gate


def _dark_hair_gate(luma: np.ndarray, cheeks, r: int, p: dict, iod: float) -> np.ndarray:
    """0 on hair far darker than the skin above the eyes (a fringe or a temple's hair in shadow), 1 elsewhere.

    Brown hair in shadow has the colour, and no more detail, of the skin in shadow beside
    it; it is much darker than even the darker cheek (Koch: hair 8-18 levels, her forehead
    in shadow 41, her darker cheek 90). Above the eyes, what is darker than
    HAIR_DARKNESS of the darker cheek fades out (0.1 darker is the soft edge), easing in
    over a tenth of the eye distance down to the eyes' top.
    """
    darker_cheek = min(float(np.median(luma[max(0, int(y) - r) : int(y) + r + 1, max(0, int(x) - r) : int(x) + r + 1]))
                       for x, y in cheeks)  # fmt: skip
    shade = _gaussian_float(luma, max(1.0, 0.03 * iod))
    dark = np.clip((HAIR_DARKNESS - shade / max(darker_cheek, 1.0)) / 0.1, 0, 1)
    eyes_top = min(p[f"{side}_upper_lid"][1] for side in ("left", "right"))
    rows = np.arange(luma.shape[0], dtype=np.float32)[:, None]
    above_eyes = np.clip((eyes_top - rows) / max(1.0, 0.1 * iod), 0, 1)
    return (1 - dark * above_eyes).astype(np.float32)


# --------------------------------------------------------------------------- smoothing


def smooth_skin(image: np.ndarray, landmarks: Landmarks, strength: float = 0.0, restore: float = 0.0) -> np.ndarray:
    """Smooth the skin as a beauty filter does; optionally put the texture back.

    Inside a soft mask of the skin, the broad band is evened out by a guided
    filter (an edge-preserving smoother: the jawline, nose and lips keep
    their edges) and the fine band is faded out: poreless, plastic skin at
    full strength. ``restore`` adds the original fine band back on top of the
    evened tone, which is what a careful retoucher does.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3)
    landmarks : Landmarks
        The face's points in ``image``'s pixels.
    strength : float
        0 (untouched, returns an equal image) to 1 (full beauty filter).
    restore : float
        0 (texture removed with the smoothing) to 1 (all the original fine
        texture kept on top of the evened tone).

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo, points = examples.load_portrait("koch", 512), examples.portrait_landmarks("koch", 512)
    >>> bool((smooth_skin(photo, points, 0.0) == photo).all())
    True
    >>> skin_report(photo, smooth_skin(photo, points, 1.0), points).texture_kept < 0.7
    True
    """
    _check_rgb(image)
    strength, restore = _unit(strength, "strength"), _unit(restore, "restore")
    if strength == 0:
        return image.copy()
    top, left, mask, original, even, pores = _smoothing_base(image, landmarks)
    bottom, right = top + mask.shape[0], left + mask.shape[1]
    change = even.copy()
    change -= original
    if restore:
        # The fine band of the brightness (pores, fine lines), put back on all three channels.
        change += (restore * pores)[..., None]
    change *= (strength * mask)[..., None]
    edited = change
    edited += original
    out = image.copy()
    out[top:bottom, left:right] = np.clip(edited + 0.5, 0, 255).astype(np.uint8)
    return out




def _smoothing_box(key: tuple) -> tuple[int, int, int, int]:
    """(top, left, bottom, right) of what the smoothing touches: the face's box, down the neck."""
    (top, left, bottom, right), _ = _skin_shape(key)
    points = {name: np.array((x, y)) for name, x, y in key[0]}
    iod = float(np.linalg.norm(points["right_iris"] - points["left_iris"]))
    return top, left, int(min(key[2][0], max(bottom, math.ceil(points["chin"][1] + NECK_REACH * iod)))), right


def _smoothing_region(image: np.ndarray, landmarks: Landmarks):
    """((top, left), mask) of the skin a beauty filter smooths: the face's skin and the neck's,
    less the beard's stubble, stopping short of strong edges (the jaw's outline, hair).

    The face's part is :func:`skin_mask`'s; the neck's is the region under the jaw down to
    NECK_REACH eye distances below the chin, kept where its colour is the cheeks' (a collar,
    a suit or the backdrop beside the neck is not). Left alone: strong step edges
    (:func:`_edge_stop`) and, below the nose, stubble (:func:`_stubble_stop`).
    """
    key = _landmark_key(landmarks, image.shape)
    top, left, bottom, right = _smoothing_box(key)
    (top, left), face = _skin_region(image, landmarks)
    crop = np.ascontiguousarray(image[top:bottom, left:right])
    mask = np.zeros(crop.shape[:2], np.float32)
    mask[: face.shape[0]] = face
    neck = _neck_shape(landmarks, (top, left), crop.shape[:2])
    if neck.any():
        # The colour gate is soft (for the face's shaded sides); under the jaw it is made firm,
        # so a collar or a dark suit ring of nearly skin-like colour drops out.
        colour = np.clip((_colour_gate(crop, landmarks, (top, left)) - 0.45) / 0.3, 0, 1)
        np.maximum(mask, neck * colour, out=mask)
    iod = landmarks.interocular_distance
    grey = np.asarray(Image.fromarray(crop).convert("L"), np.float32)
    mask *= _edge_stop(_edge_contrast(grey, iod), iod, EDGE_STOP)
    mask *= _stubble_stop(grey, iod, landmarks.points["nose_tip"][1] - top, mask)
    return (top, left), mask


def _neck_shape(landmarks: Landmarks, origin: tuple[int, int], shape: tuple[int, int]) -> np.ndarray:
    """1 under the jaw (the face outline below the mouth) down to NECK_REACH eye distances below the chin.

    Starts just above the jaw's line, so the face's feathered bottom edge and the neck overlap
    with no seam; narrows to 0.8 of the jaw's width at the bottom (the neck is narrower than
    the jaw); feathered by 0.09 eye distances like the face.
    """
    points = {name: np.array(xy) - (origin[1], origin[0]) for name, xy in landmarks.points.items()}
    iod = landmarks.interocular_distance
    outline = np.array(landmarks.face_outline, np.float64) - (origin[1], origin[0])
    mouth_y = (points["mouth_left"][1] + points["mouth_right"][1]) / 2
    jaw = outline[outline[:, 1] >= mouth_y]
    height, width = shape
    if len(jaw) < 2:
        return np.zeros(shape, np.float32)
    centre = jaw.mean(axis=0)
    jaw = centre + (jaw - centre) * (0.94, 1.0) - (0, 0.15 * iod)  # a little inside the outline, up into the face
    half = (jaw[:, 0].max() - jaw[:, 0].min()) / 2
    bottom = points["chin"][1] + NECK_REACH * iod
    x_mid = (jaw[0, 0] + jaw[-1, 0]) / 2
    polygon = [*jaw, (x_mid + 0.8 * half, bottom), (x_mid - 0.8 * half, bottom)]
    scale = min(1.0, 48 / max(iod, 1))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    canvas = Image.new("L", size, 0)
    ImageDraw.Draw(canvas).polygon([(x * scale, y * scale) for x, y in polygon], fill=255)
    canvas = canvas.filter(ImageFilter.GaussianBlur(0.09 * iod * scale))
    mask = np.asarray(canvas.resize((width, height), Image.Resampling.BILINEAR), np.float32) / 255
    return np.clip((mask - 0.02) / 0.96, 0, 1)


def _edge_contrast(grey: np.ndarray, iod: float) -> np.ndarray:
    """The contrast (0-1) of the step edge at each pixel, measured over 0.04 eye distances.

    The gradient of the grey blurred over that width, times the width: a step of
    contrast c reads about c; a thin wrinkle or a pore, much less.
    """
    import cv2  # noqa: PLC0415

    sigma = max(1.0, 0.04 * iod)
    blurred = cv2.GaussianBlur(grey, (0, 0), sigma) * np.float32(1 / 255)
    gx = cv2.Sobel(blurred, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(blurred, cv2.CV_32F, 0, 1, ksize=3)
    return np.sqrt(gx * gx + gy * gy) * np.float32(sigma * math.sqrt(2 * math.pi) / 8)


def _edge_stop(contrast: np.ndarray, iod: float, levels: tuple[float, float]) -> np.ndarray:
    """1 on skin, falling to 0 a little before step edges of ``levels`` contrast (see :func:`_edge_contrast`).

    A small minimum filter and a blur make the weight fall just before the edge.
    """
    import cv2  # noqa: PLC0415

    low, high = levels
    keep = np.clip((high - contrast) / (high - low), 0, 1)
    reach = max(1, round(0.03 * iod))
    keep = cv2.erode(keep, np.ones((2 * reach + 1, 2 * reach + 1), np.uint8))
    return cv2.GaussianBlur(keep, (0, 0), max(1.0, 0.02 * iod))


def _stubble_stop(grey: np.ndarray, iod: float, nose_y: float, skin: np.ndarray) -> np.ndarray:
    """0 on stubble below the nose, 1 elsewhere: beard is hair, not skin.

    Hairs of stubble are small dark dots: both curvatures of the grey are strongly
    positive there (a wrinkle is a line: only one is). Their depth relative to the
    brightness around them marks each hair (HAIR_DOT). A face has stubble when the
    median cover of hairs on its ``skin`` below the nose passes BEARD_COVER; then
    patches with STUBBLE_COVER of hairs are beard, and every hair is kept, so the
    smoothing touches only the skin between the odd hair. Eased in from 0.1 eye
    distances above the nose's tip to 0.5 below it.
    """
    import cv2  # noqa: PLC0415

    rows = np.arange(grey.shape[0], dtype=np.float32)[:, None]
    # A beard's upper edge is no line across the cheek: eased in from just above the nose's
    # tip to half an eye distance below it.
    below_nose = np.clip((rows - (nose_y - 0.1 * iod)) / max(1.0, 0.6 * iod), 0, 1)
    lower = (skin > 0.5) & (below_nose[:, 0] >= 1)[:, None]
    if not lower.any():
        return np.ones_like(grey)
    sigma = max(0.8, 0.015 * iod)
    fine = cv2.GaussianBlur(grey, (0, 0), sigma)
    around = cv2.GaussianBlur(grey, (0, 0), 4 * sigma)
    hxx = cv2.Sobel(fine, cv2.CV_32F, 2, 0, ksize=3)
    hyy = cv2.Sobel(fine, cv2.CV_32F, 0, 2, ksize=3)
    hxy = cv2.Sobel(fine, cv2.CV_32F, 1, 1, ksize=3) * np.float32(0.25)
    weaker = (hxx + hyy) * 0.5 - np.sqrt((hxx - hyy) ** 2 * 0.25 + hxy * hxy)  # the smaller curvature
    depth = weaker * np.float32(sigma * sigma) / np.maximum(around, 8)
    low, high = HAIR_DOT
    cover = cv2.GaussianBlur((depth > (low + high) / 2).astype(np.float32), (0, 0), 0.08 * iod)
    if float(np.median(cover[lower])) < BEARD_COVER:
        return np.ones_like(grey)  # clean-shaven: a dark pore or a wrinkles' crossing is skin
    hair = cv2.dilate(np.clip((depth - low) / (high - low), 0, 1), np.ones((3, 3), np.uint8))  # with its soft rim
    low, high = STUBBLE_COVER
    beard = cv2.GaussianBlur(np.clip((cover - low) / (high - low), 0, 1), (0, 0), 0.1 * iod)  # no hard rim
    return (1 - np.maximum(hair, beard) * below_nose).astype(np.float32)


_SMOOTHING_BASE: OrderedDict = OrderedDict()


def _smoothing_base(image: np.ndarray, landmarks: Landmarks):
    """(top, left, mask, crop as float, evened crop, pore band) for :func:`smooth_skin`, cached.

    None of it depends on the sliders, so a slider step reuses it; the key holds
    a digest of the face's pixels, so a different photo is worked out afresh.
    """
    key = _landmark_key(landmarks, image.shape)
    top, left, bottom, right = _smoothing_box(key)
    crop = np.ascontiguousarray(image[top:bottom, left:right])
    key = key, hashlib.blake2b(crop.data, digest_size=16).digest()
    if key in _SMOOTHING_BASE:
        _SMOOTHING_BASE.move_to_end(key)
        return _SMOOTHING_BASE[key]
    (top, left), mask = _smoothing_region(image, landmarks)
    crop = image[top : top + mask.shape[0], left : left + mask.shape[1]]
    iod = landmarks.interocular_distance
    original = crop.astype(np.float32)
    radius = SMOOTHING_RADIUS * iod
    # Guided by the grey of the broad band: flat skin becomes its local mean, while
    # the jaw, nose and lips (edges well above EDGE_CONTRAST) stay. A guide with
    # pores in it would copy them back, so it is blurred at the pore scale first.
    grey = Image.fromarray(crop).convert("L")
    blurred = np.asarray(grey.filter(ImageFilter.GaussianBlur(_pore_radius(iod))), np.float32)
    even = guided_filter(blurred * np.float32(1 / 255), original, radius, EDGE_CONTRAST**2, max(1, round(radius / 5)))
    grey = np.asarray(grey, np.float32)
    pores = _pore_band(grey, iod)
    # At an edge (a jaw's line, the fold under a chin) the evened tone would blur the edge:
    # there only what is finer than the pores goes, so the outline stays where it was.
    even_here = _edge_stop(_edge_contrast(grey, iod), iod, EDGE_KEEP)[..., None]
    even = even * even_here + (original - (grey - blurred)[..., None]) * (1 - even_here)
    # Each slider step works only where the mask is not 0 (a collar, a beard or a dark suit
    # can leave a third of the box out).
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if len(rows):
        inside = slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)
        top, left = top + rows[0], left + cols[0]
        mask, original, even, pores = (np.ascontiguousarray(a[inside]) for a in (mask, original, even, pores))
    entry = top, left, mask, original, even, pores
    for array in (mask, original, even, pores):
        array.setflags(write=False)  # shared by every later step
    _SMOOTHING_BASE[key] = entry
    if len(_SMOOTHING_BASE) > 4:
        _SMOOTHING_BASE.popitem(last=False)
    return entry

def _pore_band(grey: np.ndarray, iod: float) -> np.ndarray:
    """Only the pore-scale detail of ``grey``: a narrow high band with its blotch-scale part taken out.

    A plain "grey minus blur" keeps a tail of broader bumps; subtracting that
    band's own blur removes the tail, so restoring it brings pores back
    without bringing the blotches back.
    """
    radius = RESTORE_BAND * _pore_radius(iod)
    band = grey - _gaussian_float(grey, radius)
    return band - _gaussian_float(band, radius)


def _pore_radius(iod: float) -> float:
    """Blur radius in pixels that separates this face's pores from its broad tones."""
    return max(0.6, PORE_SCALE * iod)


# --------------------------------------------------------------------------- measuring


def texture_energy(image: np.ndarray, mask: np.ndarray | None = None, radius: float = 1.5) -> float:
    """How much fine texture a photo has: the RMS of its fine band, in grey levels.

    The fine band is the luminance minus a Gaussian blur of ``radius``
    pixels. With a ``mask`` (0-1 weights, such as :func:`skin_mask`), only
    the masked pixels count, in proportion to their weight. Smoothing lowers
    it; grain and sharpening raise it.

    Examples
    --------
    >>> flat = np.full((32, 32, 3), 128, np.uint8)
    >>> texture_energy(flat)
    0.0
    >>> noisy = np.random.default_rng(0).integers(100, 156, (32, 32, 3), dtype=np.uint8)
    >>> texture_energy(noisy) > 5
    True
    """
    _check_rgb(image)
    grey = luminance(image) * 255
    return _weighted_rms(grey - _gaussian_float(grey, radius), mask)


def _gaussian_float(values: np.ndarray, sigma: float) -> np.ndarray:
    """Separable Gaussian blur of a float array, edges extended (Pillow blurs only 8-bit images)."""
    if sigma <= 0:
        return values.copy()
    r = max(1, math.ceil(3 * sigma))
    kernel = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2).astype(np.float32)
    kernel /= kernel.sum()
    out = np.asarray(values, np.float32)
    for axis in (0, 1):
        padded = np.pad(out, [(r, r) if a == axis else (0, 0) for a in range(out.ndim)], mode="edge")
        n = out.shape[axis]
        window = (lambda i: padded[i : i + n]) if axis == 0 else (lambda i: padded[:, i : i + n])
        out = kernel[0] * window(0)
        for i in range(1, len(kernel)):
            out += kernel[i] * window(i)
    return out.astype(np.float32)


def tone_unevenness(image: np.ndarray, mask: np.ndarray | None = None, radius: float = 1.5) -> float:
    """How blotchy the broad tones are: RMS of the band between ``radius`` and 6 x ``radius``.

    Uneven colour and light (redness, shine, shadows of small bumps) lives in
    this band; pores and grain are below it, the shape of the face above it.
    Averaged over the three colour channels, in levels.

    Examples
    --------
    >>> tone_unevenness(np.full((32, 32, 3), 90, np.uint8))
    0.0
    """
    _check_rgb(image)
    picture = Image.fromarray(image)
    fine = np.asarray(picture.filter(ImageFilter.GaussianBlur(radius)), np.float32)
    broad = np.asarray(picture.filter(ImageFilter.GaussianBlur(6 * radius)), np.float32)
    band = fine - broad
    return _weighted_rms(np.sqrt((band * band).mean(axis=-1)), mask)


def _weighted_rms(values: np.ndarray, mask: np.ndarray | None) -> float:
    if mask is None:
        return round(float(np.sqrt(np.mean(values * values))), 4)
    mask = np.asarray(mask, np.float32)
    if mask.shape != values.shape:
        raise ValueError(f"The mask is {mask.shape[1]} x {mask.shape[0]} px but the photo {values.shape[1]} x "
                         f"{values.shape[0]}: make the mask from the same photo.")
    total = float(mask.sum())
    if total <= 0:
        raise ValueError("The mask is empty (all zero), so there is nothing to measure.")
    return round(float(np.sqrt((mask * values * values).sum() / total)), 4)


@dataclass(frozen=True)
class SkinReport:
    """What an edit did to the skin, relative to the original (1.0 = unchanged).

    ``texture_kept``: the fine texture left (the over-smoothing meter).
    ``tone_evenness``: how much of the blotchiness was removed (0 = none, 1 = all).
    """

    texture_kept: float
    tone_evened: float

    def __str__(self) -> str:
        return f"texture kept {self.texture_kept:.0%}, tone evened {self.tone_evened:.0%}"


def skin_report(original: np.ndarray, edited: np.ndarray, landmarks: Landmarks) -> SkinReport:
    """Compare the skin of an edit with the original: texture kept and tone evened.

    Only the face's box is measured, weighted by :func:`skin_mask` of the
    original, at the pore scale of this face.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo, points = examples.load_portrait("koch", 512), examples.portrait_landmarks("koch", 512)
    >>> skin_report(photo, photo, points)
    SkinReport(texture_kept=1.0, tone_evened=0.0)
    >>> skin_report(photo, smooth_skin(photo, points, 1.0), points).texture_kept < 0.7
    True
    """
    if original.shape != edited.shape:
        raise ValueError("The edit and the original differ in size: compare two versions of the same photo.")
    return SkinReport(skin_texture_kept(original, edited, landmarks), skin_tone_evened(original, edited, landmarks))


def skin_tone_evened(original: np.ndarray, edited: np.ndarray, landmarks: Landmarks) -> float:
    """The share of the skin's blotchiness an edit removed: :func:`skin_report`'s ``tone_evened`` alone.

    The costlier half of the report (two blurs of the face), apart so a tool
    can measure it in a turn of its own.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo, points = examples.load_portrait("koch", 512), examples.portrait_landmarks("koch", 512)
    >>> skin_tone_evened(photo, photo, points)
    0.0
    """
    if original.shape != edited.shape:
        raise ValueError("The edit and the original differ in size: compare two versions of the same photo.")
    box, mask, radius, _, tone_before = _original_skin(original, landmarks)
    blotch = tone_unevenness(edited[box], mask, radius) / max(tone_before, 1e-6)
    return round(max(0.0, 1 - blotch), 3)


def skin_texture_kept(original: np.ndarray, edited: np.ndarray, landmarks: Landmarks) -> float:
    """The fine skin texture an edit kept: :func:`skin_report`'s ``texture_kept`` alone.

    For readouts that show only this number: it skips the tone measure, the
    costlier half of the report.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo, points = examples.load_portrait("koch", 512), examples.portrait_landmarks("koch", 512)
    >>> skin_texture_kept(photo, photo, points)
    1.0
    >>> smoothed = smooth_skin(photo, points, 1.0)
    >>> skin_texture_kept(photo, smoothed, points) == skin_report(photo, smoothed, points).texture_kept
    True
    """
    if original.shape != edited.shape:
        raise ValueError("The edit and the original differ in size: compare two versions of the same photo.")
    box, mask, radius, texture_before, _ = _original_skin(original, landmarks)
    return round(texture_energy(edited[box], mask, radius) / max(texture_before, 1e-6), 3)


_ORIGINAL_SKIN: OrderedDict = OrderedDict()


def _original_skin(original: np.ndarray, landmarks: Landmarks):
    """(box, mask, radius, texture energy, tone unevenness) of the original's skin, cached.

    A tool compares every slider step with the same original, so what depends
    only on it is measured once per photo and landmarks; the key holds a digest
    of the face's pixels, so a changed original is measured afresh.
    """
    key = _landmark_key(landmarks, original.shape)
    (top, left, bottom, right), _ = _skin_shape(key)
    crop = np.ascontiguousarray(original[top:bottom, left:right])
    key = key, hashlib.blake2b(crop.data, digest_size=16).digest()
    if key in _ORIGINAL_SKIN:
        _ORIGINAL_SKIN.move_to_end(key)
        return _ORIGINAL_SKIN[key]
    (top, left), mask = _skin_region(original, landmarks)
    box = (slice(top, top + mask.shape[0]), slice(left, left + mask.shape[1]))
    radius = _pore_radius(landmarks.interocular_distance)
    mask = mask * mask  # weigh the skin's core, not the feathered rim
    # Strong outlines and hair against the skin (a jaw's line, curls over a cheek) are not
    # skin and the smoothing leaves them alone: they are not measured either.
    grey = np.asarray(Image.fromarray(np.ascontiguousarray(original[box])).convert("L"), np.float32)
    mask = mask * _edge_stop(_edge_contrast(grey, landmarks.interocular_distance), landmarks.interocular_distance, EDGE_STOP)
    mask.setflags(write=False)  # shared by every later call
    before = original[box]
    entry = box, mask, radius, texture_energy(before, mask, radius), tone_unevenness(before, mask, radius)
    _ORIGINAL_SKIN[key] = entry
    if len(_ORIGINAL_SKIN) > 8:
        _ORIGINAL_SKIN.popitem(last=False)
    return entry


# --------------------------------------------------------------------------- texture and clarity


def add_texture(image: np.ndarray, amount: float = 0.0, landmarks: Landmarks | None = None) -> np.ndarray:
    """Photo editors' *Texture* slider: strengthen or soften fine detail.

    Scales the faint part of the fine band of the luminance (detail a few
    pixels across at 1000 px: pores, skin, fabric). +1 doubles it, -1 removes
    it (softer skin); strong fine detail (lashes, iris rims, teeth, glasses,
    hair edges) is left alone, so the eyes stay sharp. Given the face's
    ``landmarks``, the eyes and the lids round them keep their detail too
    (:func:`eye_keep`): lid skin is as faint as a cheek's. 0 returns an equal
    image. Colours keep their hue because the same change goes to red, green and blue.

    Examples
    --------
    >>> photo = np.random.default_rng(2).integers(90, 170, (40, 40, 3), dtype=np.uint8)
    >>> texture_energy(add_texture(photo, 0.8)) > texture_energy(photo) > texture_energy(add_texture(photo, -0.8))
    True
    """
    return adjust_detail(image, texture=amount, landmarks=landmarks)


def add_clarity(image: np.ndarray, amount: float = 0.0) -> np.ndarray:
    """Photo editors' *Clarity* slider: mid-size local contrast, strongest in the midtones.

    Scales a wider band (structures about 2 % of the photo's long edge:
    the modelling of cheeks, folds of cloth), measured against an
    edge-preserving base so strong edges get no halo. Positive adds punch and
    grit, negative a soft glow; 0 returns an equal image.

    Examples
    --------
    >>> y, x = np.mgrid[0:200, 0:200]
    >>> photo = np.repeat((128 + 40 * np.sin(x / 6) * np.sin(y / 6)).astype(np.uint8)[..., None], 3, axis=2)
    >>> bool((add_clarity(photo, 0) == photo).all())
    True
    >>> float(add_clarity(photo, 1).std()) > float(photo.std())
    True
    """
    return adjust_detail(image, clarity=amount)


def adjust_detail(image: np.ndarray, texture: float = 0.0, clarity: float = 0.0,
                  landmarks: Landmarks | None = None) -> np.ndarray:
    """Texture and clarity in one pass (see :func:`add_texture`, :func:`add_clarity`).

    The blurs and the last step run in OpenCV's C code (separable Gaussians, one
    saturating add of the change to the three channels); the arithmetic is the
    plain one written out in :func:`_detail_change`, float32 throughout. With
    the face's ``landmarks`` the texture change fades out over the eyes (:func:`eye_keep`).

    Examples
    --------
    >>> grey = np.full((8, 8, 3), 100, np.uint8)
    >>> bool((adjust_detail(grey, 0.5, 0.5) == grey).all())
    True
    """
    _check_rgb(image)
    texture, clarity = _signed_unit(texture, "texture"), _signed_unit(clarity, "clarity")
    if texture == 0 and clarity == 0:
        return image.copy()
    import cv2  # noqa: PLC0415 - a dependency (the subject mask); imported when a detail slider first moves

    grey = luminance(image)
    keep = None
    if texture and landmarks is not None:
        if (landmarks.width, landmarks.height) != (image.shape[1], image.shape[0]):
            landmarks = landmarks.resized(image.shape[1], image.shape[0])
        keep = _eye_keep_region(_landmark_key(landmarks, image.shape))
    change = _detail_change(grey, texture, clarity, keep)  # in levels, the same for R, G and B
    # Rounded to the nearest level and clipped to 0-255 by OpenCV's saturating add.
    return cv2.add(image, cv2.merge((change, change, change)), dtype=cv2.CV_8U)


def _detail_change(grey: np.ndarray, texture: float, clarity: float, keep=None) -> np.ndarray:
    """How many levels texture and clarity add to each pixel (float32, may be negative).

    Texture: ``texture * fine * w`` with ``fine`` the band finer than
    ``long_edge / 700`` and ``w`` the low-contrast weight (:func:`_low_contrast`),
    times ``1 - keep`` where ``keep`` (``((top, left), zone)``, :func:`_eye_keep_region`) is given.
    Clarity: ``0.9 * clarity * (base - edge-preserving base) * midtones``.
    Both x 255, as levels.
    """
    long_edge = max(grey.shape)
    fine_base = _blur_plane(grey, max(0.5, long_edge / 700))
    change = np.zeros_like(grey)
    if texture:
        fine = grey - fine_base
        weight = _low_contrast(fine, long_edge)
        weight *= fine
        weight *= np.float32(texture * 255)
        if keep is not None:
            (top, left), zone = keep
            part = weight[top : top + zone.shape[0], left : left + zone.shape[1]]
            part *= 1 - zone[: part.shape[0], : part.shape[1]]
        change += weight
    if clarity:
        radius = long_edge / 50
        # The base is smoothed from the fine-free image: smoothed from ``grey`` itself, the
        # edge-preserving filter keeps fine detail in busy areas, and the band below would
        # then be minus that detail (clarity worked backwards, softening at +1).
        band = _clarity_band(fine_base, radius, CLARITY_EDGE**2, max(1, round(radius / 5)))
        midtones = 1 - (2 * grey - 1) ** 2  # 1 at mid-grey, 0 at black and white: no clipped highlights
        band *= midtones
        band *= np.float32(clarity * 0.9 * 255)
        change += band
    return change


def _clarity_band(base: np.ndarray, radius: float, eps: float, step: int) -> np.ndarray:
    """``base`` minus its guided filter guided by itself: the mid-size band clarity scales.

    The guided filter (:func:`portrait_lessons.retouch.filters.guided_filter`)
    with guide and source the same plane: the covariance is the variance, so
    half the box means are not needed; the line coefficients are worked on
    every ``step``-th pixel and enlarged bilinearly.
    """
    import cv2  # noqa: PLC0415

    height, width = base.shape
    small = base[::step, ::step]
    r = max(1, round(radius / step))
    mean = box_mean(small, r)
    variance = box_mean(small * small, r) - mean * mean
    a = variance / (variance + np.float32(eps))
    b = mean - a * mean
    mean_a, mean_b = box_mean(a, r), box_mean(b, r)
    if step > 1:
        mean_a = cv2.resize(mean_a, (width, height), interpolation=cv2.INTER_LINEAR)
        mean_b = cv2.resize(mean_b, (width, height), interpolation=cv2.INTER_LINEAR)
    # base - (a * base + b), as (1 - a) * base - b
    np.subtract(1, mean_a, out=mean_a)
    mean_a *= base
    mean_a -= mean_b
    return mean_a


def _blur_plane(values: np.ndarray, sigma: float) -> np.ndarray:
    """:func:`_gaussian_float` of one float32 plane in OpenCV's C code (the same kernel and edges).

    Examples
    --------
    >>> plane = np.random.default_rng(0).random((30, 40), dtype=np.float32)
    >>> bool(np.abs(_blur_plane(plane, 1.5) - _gaussian_float(plane, 1.5)).max() < 1e-5)
    True
    """
    import cv2  # noqa: PLC0415

    r = max(1, math.ceil(3 * sigma))
    kernel = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2).astype(np.float32)
    kernel /= kernel.sum()
    return cv2.sepFilter2D(np.asarray(values, np.float32), cv2.CV_32F, kernel, kernel,
                           borderType=cv2.BORDER_REPLICATE)  # fmt: skip


def _low_contrast(fine: np.ndarray, long_edge: int) -> np.ndarray:
    """Weight 1 where fine detail is faint (pores, skin, fabric), falling to 0 where it is strong.

    Lashes, iris rims, teeth, glasses and hair edges swing the fine band far
    more than skin texture does; the *Texture* slider leaves them alone, as
    photo editors' does, so -1 softens skin without blurring the eyes.
    The weight is ``1 / (1 + (local / TEXTURE_CONTRAST) ** 4)`` with ``local``
    the RMS of the fine band around each pixel; the 4th power of an RMS is the
    square of the mean square, so no square root is taken.
    """
    power = _blur_plane(fine * fine, max(1.0, long_edge / 350))  # local ** 2
    power *= np.float32(1 / TEXTURE_CONTRAST**2)
    power *= power
    power += 1
    return np.reciprocal(power, out=power)


def eye_keep(image: np.ndarray, landmarks: Landmarks) -> np.ndarray:
    """Where *Texture* leaves the detail alone: 1 over each eye and its lids, 0 on the rest, soft between.

    An ellipse round each eye, :data:`EYE_KEEP` eye distances wider than its
    corners and lids, feathered: the eye, the lashes, the lid line and crease
    and the skin just round them, which a retoucher keeps crisp when softening
    skin (their fine detail is as faint as a cheek's, so the low-contrast weight
    alone does not protect it).

    Returns
    -------
    ndarray of float32, shape (H, W), values 0-1

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo, points = examples.load_portrait("koch", 512), examples.portrait_landmarks("koch", 512)
    >>> keep = eye_keep(photo, points)
    >>> x, y = (round(v) for v in points.points["left_iris"])
    >>> cheek = points.points["left_iris"][1] * 0.45 + points.points["mouth_left"][1] * 0.55
    >>> float(keep[y, x]), float(keep[round(cheek), x])
    (1.0, 0.0)
    """
    _check_rgb(image)
    (top, left), zone = _eye_keep_region(_landmark_key(landmarks, image.shape))
    keep = np.zeros(image.shape[:2], np.float32)
    part = keep[top : top + zone.shape[0], left : left + zone.shape[1]]
    part[...] = zone[: part.shape[0], : part.shape[1]]
    return keep


@lru_cache(maxsize=16)
def _eye_keep_region(key: tuple) -> tuple[tuple[int, int], np.ndarray]:
    """((top, left), zone) of :func:`eye_keep`, cropped to the eyes (drawn at about 48 px between the eyes)."""
    points = {name: np.array((x, y)) for name, x, y in key[0]}
    height, width = key[2]
    iod = float(np.linalg.norm(points["right_iris"] - points["left_iris"]))
    reach, feather = EYE_KEEP * iod, EYE_KEEP_FEATHER * iod
    ellipses = []
    for side in ("left", "right"):
        xs = sorted((points[f"{side}_eye_outer"][0], points[f"{side}_eye_inner"][0]))
        ys = sorted((points[f"{side}_upper_lid"][1], points[f"{side}_lower_lid"][1]))
        ellipses.append((xs[0] - reach, ys[0] - reach, xs[1] + reach, ys[1] + reach))
    boxes = np.array(ellipses)
    left = int(np.clip(boxes[:, 0].min() - 3 * feather, 0, width))
    top = int(np.clip(boxes[:, 1].min() - 3 * feather, 0, height))
    right = int(np.clip(math.ceil(boxes[:, 2].max() + 3 * feather), left + 1, max(width, left + 1)))
    bottom = int(np.clip(math.ceil(boxes[:, 3].max() + 3 * feather), top + 1, max(height, top + 1)))
    scale = min(1.0, 48 / max(iod, 1))
    canvas = Image.new("L", (max(1, round((right - left) * scale)), max(1, round((bottom - top) * scale))), 0)
    draw = ImageDraw.Draw(canvas)
    for x0, y0, x1, y1 in ellipses:
        draw.ellipse(((x0 - left) * scale, (y0 - top) * scale, (x1 - left) * scale, (y1 - top) * scale), fill=255)
    canvas = canvas.filter(ImageFilter.GaussianBlur(max(0.5, feather * scale)))
    zone = np.asarray(canvas.resize((right - left, bottom - top), Image.Resampling.BILINEAR), np.float32) / 255
    zone = np.clip((zone - 0.02) / 0.96, 0, 1)  # true 0 and 1 away from the feather
    zone.setflags(write=False)
    return (top, left), zone


# --------------------------------------------------------------------------- close-ups


def face_closeup(image: np.ndarray, landmarks: Landmarks, edge: int = 640, margin: float = 0.35):
    """Crop the face (with ``margin`` around it) and scale it to ``edge`` px: for looking at skin.

    Returns the crop and the landmarks moved into it.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> crop, points = face_closeup(examples.load_portrait("koch"), examples.portrait_landmarks("koch"), 300)
    >>> max(crop.shape[:2]), points.width == crop.shape[1]
    (300, True)
    """
    _check_rgb(image)
    x0, y0, x1, y1 = landmarks.face_box
    pad_x, pad_y = (x1 - x0) * margin, (y1 - y0) * margin
    left, top = max(0, int(x0 - pad_x)), max(0, int(y0 - 1.6 * pad_y))
    right, bottom = min(image.shape[1], math.ceil(x1 + pad_x)), min(image.shape[0], math.ceil(y1 + pad_y))
    crop = np.ascontiguousarray(image[top:bottom, left:right])
    scale = edge / max(crop.shape[:2])
    size = (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale)))
    resized = np.asarray(Image.fromarray(crop).resize(size, Image.Resampling.LANCZOS))
    sx, sy = size[0] / crop.shape[1], size[1] / crop.shape[0]

    def move(p):
        return ((p[0] - left) * sx, (p[1] - top) * sy)

    moved = Landmarks(
        {name: move(p) for name, p in landmarks.points.items()},
        {side: r * sx for side, r in landmarks.iris_radius.items()},
        tuple(move(p) for p in landmarks.face_outline),
        size[0],
        size[1],
        landmarks.notes,
    )
    return resized, moved


# --------------------------------------------------------------------------- checks


def _check_rgb(image) -> None:
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        got = f"{image.dtype} array of shape {image.shape}" if isinstance(image, np.ndarray) else type(image).__name__
        raise ValueError(f"Expected an RGB photo (uint8 array of shape (height, width, 3)), got {got}. "
                         "Load photos with portrait_lessons.images.load_image.")


def _unit(value: float, name: str) -> float:
    value = float(value)
    if not 0 <= value <= 1:
        raise ValueError(f"{name} goes from 0 to 1, not {value:g}.")
    return value


def _signed_unit(value: float, name: str) -> float:
    value = float(value)
    if not -1 <= value <= 1:
        raise ValueError(f"{name} goes from -1 to 1, not {value:g}.")
    return value
