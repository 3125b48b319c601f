"""The subject mask: where the person is, and what is behind them.

One function, :func:`subject_mask`, that every tool calls (the depth effect,
the background tool, the portrait audit). The person is the head, hair,
ears, neck, shoulders and clothing, and what they hold in front of them (a
helmet); props behind them (flags, models, the Moon) are background.

How: a small trained network (MediaPipe's Selfie Segmentation, bundled and
run by OpenCV) gives the rough shape of the person; the face's landmarks say
for sure where some of the person is (the face, the neck, the middle of the
chest) and some of the backdrop (the top band, the sides beside the head).
Everything near the edge of that shape is left for OpenCV's GrabCut (Rother,
Kolmogorov and Blake 2004) to decide: it learns the colours of person and
backdrop and cuts along the photo's own edges with a graph cut. A second,
generous cut lets what the person holds in front of them (a helmet, a table
their hands rest on), which the network does not count as a person, join the
subject when its outline follows an edge in the photo. The hard cut is then
made soft by a guided filter (He, Sun and Tang 2010) at a larger size, so hair
and collars get a soft edge that follows the photo's edges.

The mask is computed once per photo (a 1024 px preview takes well under a
second and a half) and cached.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from .filters import guided_filter, resize_float
from ..face.landmarks import Landmarks

__all__ = ["SEGMENT_EDGE", "backdrop_beside_the_head", "crown_on_a_plain_wall", "person_prior", "refine_cut", "segment", "side_strips",
           "subject_mask", "subject_trimap"]

#: Long edge (px) of the copy GrabCut cuts on: enough for shoulders and helmets,
#: small enough to stay fast; the soft edge is refined at :data:`_REFINE_EDGE`.
SEGMENT_EDGE = 240
_REFINE_EDGE = 512
#: The first cut is placed again at this size, within this band (a fraction of the long edge)
#: of where it fell (see :func:`refine_cut`).
REFINE_CUT_EDGE = 480
REFINE_CUT_BAND = 0.012
#: The person-shape network (see :func:`person_prior`) and the side of the square it reads.
PRIOR_MODEL = Path(__file__).with_name("models") / "selfie_segmentation.tflite"
_PRIOR_SIDE = 256
#: Beyond this distance (a fraction of the frame's diagonal) from what the network calls a
#: person, GrabCut is told "surely backdrop". Beside the head it is small (props there are
#: behind the person); from the shoulders down it grows to PRIOR_MARGIN_BOTTOM at the frame's
#: foot, because the lower in the frame, the likelier a thing is in front of the person (a
#: helmet held out, a table leant on) rather than behind. Deeper than PRIOR_CORE inside
#: the network's person is "surely person".
PRIOR_MARGIN_HEAD = 0.04
PRIOR_MARGIN_BOTTOM = 0.2
PRIOR_CORE = 0.03
#: Above the brows, "surely person" starts this far inside the network's person (see
#: subject_trimap): its edge there is good to a few pixels at the size it is read at.
PRIOR_CROWN_CORE = 0.008
#: A thing the network does not count as a person joins the subject only if its outline
#: against the backdrop runs along an edge at least this strong, relative to the person's
#: own outline: a real object has an edge; a patch of backdrop that GrabCut's colours
#: could also read as person fades into the rest of the backdrop without one.
OBJECT_EDGE = 0.5
#: ... and only if it is thicker than this (its widest inscribed circle's radius, a fraction
#: of the diagonal): thinner is a strip of backdrop, not a thing held in front.
OBJECT_THICKNESS = 0.025
#: A part of the cut below the shoulders, outside the network's person, at least this share
#: of the frame's width wide is a table in front (see _behind_the_table).
TABLE_SPAN = 0.6
#: Each side of the frame is looked at in a window this share of the width wide; pixels of the cut
#: within SIDE_BAND of the frame's edge, below the shoulders, whose colour is nearer the backdrop's
#: by this factor, where the network's prior is under SIDE_UNSURE and lighter than SIDE_LIGHTNESS (L*),
#: are surely backdrop; GrabCut carries them to the nearest edge (see side_strips).
SIDE_WINDOW = 0.3
SIDE_BAND = 0.08
SIDE_NEARER = 0.85
SIDE_UNSURE = 0.8
SIDE_LIGHTNESS = 20
#: Backdrop beside the head: the cut's pixels there the network gives less than this, in pieces of
#: at least this share of the frame, are looked at again (see backdrop_beside_the_head).
BESIDE_HEAD_PRIOR = 0.15
BESIDE_HEAD_PIECE = 0.0002
#: A hat's crown or hair above the brows against a plain light wall (see crown_on_a_plain_wall): the
#: head's zone is an ellipse CROWN_ZONE (half-width, half-height) eye spacings wide and high, centred one
#: eye spacing above the eyes; the wall is the backdrop over CROWN_AWAY eye spacings from the cut. A pixel
#: in the zone stands out from the wall where it differs from the wall's local colour by CROWN_STANDS_OUT
#: (ΔE) more than CROWN_SPREAD times the wall's own spread there; the wall must be plain (spread under
#: CROWN_PLAIN ΔE: a flag or the Moon never is) and light (L* over CROWN_LIGHT_WALL); pieces under
#: CROWN_PIECE of the frame are specks, and parts thinner than CROWN_THICK eye spacings a rim of mixed pixels.
CROWN_ZONE = (2.0, 1.9)
CROWN_AWAY = 0.5
CROWN_STANDS_OUT = 6.0
CROWN_SPREAD = 3.0
CROWN_PLAIN = 8.0
CROWN_LIGHT_WALL = 50
CROWN_PIECE = 0.0002
CROWN_THICK = 0.1
_ITERATIONS = 4
_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 12
_NETWORK = None
_NETWORK_LOCK = threading.Lock()
_LAST_PRIOR: tuple = (None, None)

# GrabCut's labels.
_BG, _FG, _PR_BG, _PR_FG = cv2.GC_BGD, cv2.GC_FGD, cv2.GC_PR_BGD, cv2.GC_PR_FGD


def subject_mask(image: np.ndarray, landmarks: Landmarks) -> np.ndarray:
    """Where the person is: 1 on the person (and what they hold), 0 on the backdrop, soft between.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3)
        The photo (RGB).
    landmarks : Landmarks
        The face's points, for this image or for the same photo at another size.

    Returns
    -------
    ndarray of float32, shape (H, W), values 0 to 1
        Read-only; the same array is returned again for the same photo.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo, points = examples.load_portrait("ochoa", 400), examples.portrait_landmarks("ochoa", 400)
    >>> mask = subject_mask(photo, points)
    >>> mask.shape == photo.shape[:2], mask.dtype.name
    (True, 'float32')
    >>> x, y = (round(v) for v in points.points["nose_tip"])
    >>> float(mask[y, x]) > 0.99, float(mask[20, 20]) < 0.01  # the face in, the flag out
    (True, True)
    """
    _check(image)
    height, width = image.shape[:2]
    if (landmarks.width, landmarks.height) != (width, height):
        landmarks = landmarks.resized(width, height)
    key = (_landmark_key(landmarks), image.shape, hash(np.ascontiguousarray(image[::5, ::5]).tobytes()))
    cached = _CACHE.get(key)
    if cached is not None:
        _CACHE.move_to_end(key)
        return cached
    mask = _compute(image, landmarks)
    mask.setflags(write=False)
    _CACHE[key] = mask
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return mask


def _compute(image: np.ndarray, landmarks: Landmarks) -> np.ndarray:
    height, width = image.shape[:2]
    hard = refine_cut(image, segment(image, landmarks))
    hard = hard & ~side_strips(image, hard, landmarks)  # a flag down the frame's side below the arm
    hard = hard & ~backdrop_beside_the_head(image, hard, landmarks)  # a sliver of wall by the jaw
    hard = hard | crown_on_a_plain_wall(image, hard, landmarks)  # a white cap's crown on a light wall
    # Soft edge: a guided filter at a moderate size pulls the cut onto the photo's edges
    # (hair, collars) and gives it a one- or two-pixel ramp instead of a staircase.
    scale = min(1.0, _REFINE_EDGE / max(height, width))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    guide_rgb = np.asarray(Image.fromarray(image).resize(size, Image.Resampling.BILINEAR), np.float32) / 255
    guide = guide_rgb @ np.array([0.299, 0.587, 0.114], np.float32)
    coarse = resize_float(hard.astype(np.float32), size)
    radius = max(2.0, 0.006 * max(size))
    soft = guided_filter(guide, coarse, radius, 0.02**2)
    # Steepen a little and make the sure parts exact: 1 is untouched, 0 fully background.
    soft = np.clip((soft - 0.5) * 1.15 + 0.5, 0, 1)
    soft[soft > 0.98], soft[soft < 0.02] = 1, 0
    if size != (width, height):
        soft = np.clip(resize_float(soft, (width, height)), 0, 1)
    return soft.astype(np.float32)


def segment(image: np.ndarray, landmarks: Landmarks, hints: np.ndarray | None = None,
            edge: int = SEGMENT_EDGE, iterations: int = _ITERATIONS) -> np.ndarray:
    """The hard cut (bool, on a copy ``edge`` px long) between person and backdrop.

    ``hints`` (same size as that copy, GrabCut labels or 255 for "no hint")
    override the starting labels.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> cut = segment(examples.load_portrait("koch", 300), examples.portrait_landmarks("koch", 300))
    >>> cut.dtype.name, max(cut.shape)
    ('bool', 240)
    """
    height, width = image.shape[:2]
    scale = min(1.0, edge / max(height, width))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = np.asarray(Image.fromarray(image).resize(size, Image.Resampling.BOX))
    points = landmarks.resized(*size)
    bgr = np.ascontiguousarray(small[..., ::-1])
    prior = person_prior(image, size)
    # Two cuts: the person as the network sees them, refined to the photo's edges and
    # colours; and a generous one where the lower part of the frame starts as "person",
    # so a helmet or table in front can join if its colours and edges say so.
    person = _grabcut(bgr, subject_trimap(points, size[::-1], prior), hints, iterations)
    generous = _grabcut(bgr, subject_trimap(points, size[::-1], prior, generous=True), hints, iterations)
    cut = _tidy(person | _objects_with_edges(small, person, generous), person)
    return _tidy(cut & ~_behind_the_table(cut, prior > 0.5, points), person & cut)


def _behind_the_table(cut: np.ndarray, network: np.ndarray, landmarks: Landmarks) -> np.ndarray:
    """What stands on a table in front of the person, beside them: behind them, so backdrop.

    A table or desk across the frame (a part of the cut below the shoulders that the
    network does not call person, at least :data:`TABLE_SPAN` of the width wide) is
    kept up to its top edge (see :func:`_up_to_its_top`); a model's stand on it is not.
    """
    height, width = cut.shape
    shoulders = _shoulder_line(landmarks)
    below = (np.arange(height) > shoulders)[:, None]
    beyond = cut & ~network & below
    count, parts = cv2.connectedComponents(beyond.astype(np.uint8), connectivity=8)
    dropped = np.zeros_like(cut)
    for label in range(1, count):
        part = parts == label
        columns = np.flatnonzero(part.any(axis=0))
        if columns[-1] - columns[0] + 1 >= TABLE_SPAN * width:
            dropped |= part & ~_up_to_its_top(part, cut & network)
    return dropped


def side_strips(image: np.ndarray, cut: np.ndarray, landmarks: Landmarks) -> np.ndarray:
    """Backdrop along the frame's sides below the shoulders that the cut took for the person (bool, cut's size).

    Collins's flag runs down the left edge below her sleeve; the network half
    calls it person and the whole photo's colour models side with her orange
    suit. Each side is looked at on its own, in a window :data:`SIDE_WINDOW`
    of the width wide: the backdrop's colours are learnt from that side above
    the shoulders (the flag beside her head), the person's from the cut away
    from the frame's edge (her arm), as a few k-means centres each (Lab). A
    pixel of the cut within :data:`SIDE_BAND` of the edge, below the shoulders,
    that the network is not sure of (under :data:`SIDE_UNSURE`; it is sure of
    Glover's and Koch's dark sleeves against their dark backdrops), lit (over
    :data:`SIDE_LIGHTNESS`), whose colour is much nearer the backdrop's
    (:data:`SIDE_NEARER`) and which joins the frame's edge through such pixels,
    is surely backdrop. GrabCut, with that side's colours, then carries these
    seeds to the nearest strong edge (the arm's outline).

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo, points = examples.load_portrait("collins", 480), examples.portrait_landmarks("collins", 480)
    >>> cut = refine_cut(photo, segment(photo, points))
    >>> strip = side_strips(photo, cut, points)
    >>> bool(cut[380, 5]), bool(strip[380, 5]), bool(strip[380, 100])  # the flag below her sleeve out, the sleeve kept
    (True, True, False)
    """
    height, width = cut.shape
    small, lab = _small_and_lab(image, (width, height))
    shoulders = _shoulder_line(landmarks.resized(width, height))
    rows = np.arange(height)[:, None]
    prior = person_prior(image, (width, height))
    window, band = max(4, round(SIDE_WINDOW * width)), max(2, round(SIDE_BAND * width))
    dropped = np.zeros_like(cut)
    for left in (True, False):
        columns = slice(0, window) if left else slice(width - window, width)
        part, colour = cut[:, columns], lab[:, columns]
        inward = np.arange(window)[None, :] if left else np.arange(window)[::-1][None, :]
        candidate = part & (rows > shoulders) & (inward < band) & (prior[:, columns] < SIDE_UNSURE)
        backdrop, person = ~part & (rows < shoulders), part & (inward >= band)
        if not candidate.any() or backdrop.sum() < 50 or person.sum() < 50:
            continue
        # Deep shadow (Koch's sleeve at the frame's edge) is as near a dark backdrop as anything: no seed.
        asked = candidate & (colour[..., 0] > SIDE_LIGHTNESS * 255 / 100)
        if not asked.any():
            continue
        near_backdrop, near_person = (_nearest_centre(colour[asked], colour[mask]) for mask in (backdrop, person))
        like = np.zeros(part.shape, np.uint8)
        like[asked] = near_backdrop < SIDE_NEARER * near_person
        like = cv2.morphologyEx(like, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
        count, parts = cv2.connectedComponents(like, connectivity=4)
        edge_column = parts[:, 0] if left else parts[:, -1]
        touching = np.unique(edge_column[edge_column > 0])
        seeds = np.isin(parts, touching)
        if not seeds.any():
            continue
        # The seeds are sure backdrop; GrabCut, with this side's colours, carries them to the
        # nearest strong edge (the arm's outline) through what is left of the strip.
        labels = np.where(part, _FG, _BG).astype(np.uint8)
        labels[candidate] = _PR_FG
        labels[seeds] = _BG
        kept = _grabcut(np.ascontiguousarray(small[:, columns, ::-1]), labels, None, 2)
        dropped[:, columns] |= candidate & ~kept
    return dropped


def backdrop_beside_the_head(image: np.ndarray, cut: np.ndarray, landmarks: Landmarks) -> np.ndarray:
    """Backdrop beside the head and neck that the cut took for the person (bool, the cut's size).

    Between Hopper's jaw and the flag's red stripe a sliver of white wall shows;
    her white collar and hair give GrabCut's person colours white too, so the
    cut keeps it, though the network is sure it is no person. Here pixels of the
    cut above the shoulders where the network's prior is under
    :data:`BESIDE_HEAD_PRIOR`, lit, and much nearer the colours of the backdrop
    beside the head than those of the sure person (as in :func:`side_strips`),
    in pieces of at least :data:`BESIDE_HEAD_PIECE` of the frame, seed a local
    GrabCut that carries them to the nearest edge (the jaw's outline).

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo, points = examples.load_portrait("hopper", 600), examples.portrait_landmarks("hopper", 600)
    >>> cut = refine_cut(photo, segment(photo, points))
    >>> wall = backdrop_beside_the_head(photo, cut, points)
    >>> bool(cut[241, 210]), bool(wall[241, 210]), bool(wall[241, 230])  # the wall out, the jaw beside it kept
    (True, True, False)
    """
    height, width = cut.shape
    small, lab = _small_and_lab(image, (width, height))
    shoulders = _shoulder_line(landmarks.resized(width, height))
    above = (np.arange(height) < shoulders)[:, None]
    prior = person_prior(image, (width, height))
    dropped = np.zeros_like(cut)
    asked = cut & above & (prior < BESIDE_HEAD_PRIOR) & (lab[..., 0] > SIDE_LIGHTNESS * 255 / 100)
    backdrop, person = ~cut & above, cut & (prior > 0.9)
    if asked.sum() < BESIDE_HEAD_PIECE * cut.size or backdrop.sum() < 50 or person.sum() < 50:
        return dropped
    near_backdrop, near_person = (_nearest_centre(lab[asked], lab[mask]) for mask in (backdrop, person))
    like = np.zeros(cut.shape, np.uint8)
    like[asked] = near_backdrop < SIDE_NEARER * near_person
    like = cv2.morphologyEx(like, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    count, parts = cv2.connectedComponents(like, connectivity=8)
    sizes = np.bincount(parts.ravel(), minlength=count)
    sizes[0] = 0
    seeds = np.isin(parts, np.flatnonzero(sizes >= BESIDE_HEAD_PIECE * cut.size))
    if not seeds.any():
        return dropped
    # A window round the seeds; in it, the cut near them is undecided and GrabCut places the edge.
    ys, xs = np.nonzero(seeds)
    pad = max(4, round(0.04 * max(height, width)))
    top, bottom = max(0, ys.min() - pad), min(height, ys.max() + pad + 1)
    left, right = max(0, xs.min() - pad), min(width, xs.max() + pad + 1)
    window = (slice(top, bottom), slice(left, right))
    near = cv2.dilate(seeds.astype(np.uint8), np.ones((2 * pad + 1,) * 2, np.uint8)) == 1
    labels = np.where(cut, _FG, _BG).astype(np.uint8)
    labels[cut & near & (prior < 0.9)] = _PR_FG
    labels[seeds] = _BG
    kept = _grabcut(np.ascontiguousarray(small[window][..., ::-1]), labels[window], None, 2)
    dropped[window] = cut[window] & ~kept
    return dropped


def crown_on_a_plain_wall(image: np.ndarray, cut: np.ndarray, landmarks: Landmarks) -> np.ndarray:
    """What of the head above the brows stands out from a plain wall behind it but is not in the cut (bool, the cut's size).

    Hopper's cap has a white crown at its back, against a light grey wall: the
    network gives it 0 to 0.4 and its white is near the wall's and the flag's
    stripes, so the cut leaves it out and the cap ends flat at its black band.
    Colour still tells them apart where it is read *locally*: the wall is
    plain (its colour varies by a ΔE of 2 to 4 over a few dozen pixels), the
    crown is cream, shaded and in places pure white, 15 to 50 ΔE from the
    wall beside it. So, above the brows and inside the head's zone (an ellipse
    sized from the eye spacing, :data:`CROWN_ZONE`), the wall's local colour
    and spread are learnt from the backdrop well away from the cut (so the
    crown never teaches the wall's colour). A pixel outside the cut that
    stands out from it where the wall is plain and light, in a piece that
    joins the cut, is the person; the pieces are closed over the few crown
    pixels that match the wall, and the holes between them and the cut filled.
    Beside a flag, the Moon or a painted backdrop the wall is not plain, and
    on a dark wall the network's head already decides the hair: nothing is
    added there (nothing on the other seven photos).

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo, points = examples.load_portrait("hopper", 1024), examples.portrait_landmarks("hopper", 1024)
    >>> cut = refine_cut(photo, segment(photo, points))
    >>> crown = crown_on_a_plain_wall(photo, cut, points)
    >>> bool(cut[95, 280]), bool(crown[95, 280]), bool(crown[70, 280])  # the crown in, the wall above it out
    (False, True, False)
    """
    height, width = cut.shape
    added = np.zeros_like(cut)
    points = landmarks.resized(width, height).points
    p = {name: np.asarray(xy, np.float64) for name, xy in points.items()}
    eyes = (p["left_iris"] + p["right_iris"]) / 2
    spacing = float(np.linalg.norm(p["right_iris"] - p["left_iris"]))
    brow_top = min(p[n][1] for n in p if "brow" in n)
    if spacing < 2:
        return added
    zone = np.zeros((height, width), np.uint8)
    cv2.ellipse(zone, (round(eyes[0]), round(eyes[1] - spacing)),
                (round(CROWN_ZONE[0] * spacing), round(CROWN_ZONE[1] * spacing)), 0, 0, 360, 1, -1)
    zone &= (np.arange(height) < brow_top)[:, None].astype(np.uint8)
    if not (zone.astype(bool) & ~cut).any():
        return added
    _, lab = _small_and_lab(image, (width, height))
    # The wall: backdrop at least half an eye spacing from the cut (the crown stands out less far), so
    # the crown never teaches the wall's colour. Its local colour and spread: near the wall from a small
    # window; deep in the zone, where a small one holds no wall, from a wider one. Only round the zone.
    away = cv2.distanceTransform((~cut).astype(np.uint8), cv2.DIST_L2, 3)
    wall = (away > CROWN_AWAY * spacing).astype(np.float32)
    reach = max(3, round(0.12 * max(height, width)))
    ys, xs = np.nonzero(zone)
    box = (slice(max(0, ys.min() - reach), ys.max() + reach + 1), slice(max(0, xs.min() - reach), xs.max() + reach + 1))
    lab, wall = lab[box], wall[box]
    sums = [wall, *(lab[..., i] * wall for i in range(3)), *(lab[..., i] ** 2 * wall for i in range(3))]
    mean, spread = np.zeros_like(lab), np.full(wall.shape, np.inf, np.float32)
    for radius in (reach, max(3, round(0.06 * max(height, width)))):
        total, *moments = (cv2.boxFilter(v, -1, (2 * radius + 1,) * 2, borderType=cv2.BORDER_CONSTANT) for v in sums)
        here = total > 0.01
        weight = np.maximum(total, 1e-6)
        local = np.dstack(moments[:3]) / weight[..., None]
        variance = np.dstack(moments[3:]) / weight[..., None] - local**2
        mean[here] = local[here]
        spread[here] = np.sqrt(np.maximum(variance, 0).sum(axis=-1))[here]
    stands_out = np.linalg.norm(lab - mean, axis=-1) > CROWN_STANDS_OUT + CROWN_SPREAD * spread
    # A light wall only: on a dark one (Koch's) the network's head already decides the hair, and
    # what stands out there beyond the cut is loose curls the cut rightly leaves to the soft edge.
    light = mean[..., 0] > CROWN_LIGHT_WALL * 255 / 100
    candidate = np.zeros_like(cut)
    candidate[box] = (zone[box] == 1) & ~cut[box] & stands_out & (spread < CROWN_PLAIN) & light
    candidate = cv2.morphologyEx(candidate.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    # Pieces (closed over small gaps) of some size and thickness only: the rim of mixed pixels round any
    # hair on a plain wall stands out from it too, but is a pixel or two thin.
    candidate = cv2.morphologyEx(candidate, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8)) & (cut == 0)
    count, parts = cv2.connectedComponents(candidate, connectivity=8)
    inscribed = cv2.distanceTransform(candidate, cv2.DIST_L2, 3)
    sizes = np.bincount(parts.ravel(), minlength=count)
    thickness = np.zeros(count)
    np.maximum.at(thickness, parts.ravel(), inscribed.ravel())
    kept = (sizes >= CROWN_PIECE * cut.size) & (thickness >= CROWN_THICK * spacing)
    kept[0] = False
    candidate = kept[parts]
    count, parts = cv2.connectedComponents((candidate | cut).astype(np.uint8), connectivity=8)
    candidate &= np.isin(parts, np.unique(parts[cut]))
    if not candidate.any():
        return added
    # The outline is where the colour leaves the wall's (a few pixels of ramp at most): closed over
    # the pixels of the crown that happen to match the wall, and without holes between it and the cut.
    joined = cv2.morphologyEx((candidate | cut).astype(np.uint8), cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8)) == 1
    added = _tidy(joined, cut) & ~cut & (zone == 1)
    return added


def _shoulder_line(landmarks: Landmarks) -> float:
    """The row where the shoulders begin: 0.55 of the eyes-to-chin depth below the chin."""
    p = landmarks.points
    eyes_y = (p["left_iris"][1] + p["right_iris"][1]) / 2
    return p["chin"][1] + 0.55 * (p["chin"][1] - eyes_y)


def _small_and_lab(image: np.ndarray, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """``image`` reduced to ``size`` (uint8 RGB) and the same in CIELAB (float32, OpenCV's 0-255 scale)."""
    small = np.asarray(Image.fromarray(image).resize(size, Image.Resampling.BOX))
    return small, cv2.cvtColor(small, cv2.COLOR_RGB2LAB).astype(np.float32)


def _nearest_centre(colour: np.ndarray, samples: np.ndarray, k: int = 6) -> np.ndarray:
    """Distance (Lab) from each colour (N, 3) to the nearest of ``k`` k-means centres of ``samples``."""
    samples = np.ascontiguousarray(samples.reshape(-1, 3)[:: max(1, len(samples) // 2000)])
    k = min(k, len(samples))
    cv2.setRNGSeed(1)
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    _, _, centres = cv2.kmeans(samples, k, None, criteria, 2, cv2.KMEANS_PP_CENTERS)
    return np.sqrt(((colour[:, None, :] - centres[None]) ** 2).sum(axis=-1)).min(axis=-1)


def refine_cut(image: np.ndarray, cut: np.ndarray, edge: int = REFINE_CUT_EDGE,
               band: float = REFINE_CUT_BAND, iterations: int = 2) -> np.ndarray:
    """Cut again at ``edge`` px, deciding only a narrow band along the first cut's edge (bool, that size).

    The first cut works on a small copy, where a sliver of backdrop a few pixels wide
    (wall between a jaw and a flag's stripe) is one or two pixels and goes with its
    stronger edge. Here everything further than ``band`` (a fraction of the long
    edge) inside or outside the first cut is fixed, and GrabCut, with colour
    models learnt from the whole photo at this size, places the edge again.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo = examples.load_portrait("koch", 600)
    >>> cut = segment(photo, examples.portrait_landmarks("koch", 600))
    >>> fine = refine_cut(photo, cut)
    >>> fine.dtype.name, max(fine.shape), abs(float(fine.mean()) - float(cut.mean())) < 0.02
    ('bool', 480, True)
    """
    height, width = image.shape[:2]
    scale = min(1.0, edge / max(height, width))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = np.asarray(Image.fromarray(image).resize(size, Image.Resampling.BOX))
    coarse = cv2.resize(cut.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST)
    radius = max(1, round(band * max(size)))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    labels = np.where(coarse == 1, _PR_FG, _PR_BG).astype(np.uint8)
    labels[cv2.erode(coarse, kernel, borderType=cv2.BORDER_REPLICATE) == 1] = _FG
    labels[cv2.dilate(coarse, kernel, borderType=cv2.BORDER_REPLICATE) == 0] = _BG
    if not (labels == _FG).any() or not (labels == _BG).any():
        return coarse.astype(bool)
    return _grabcut(np.ascontiguousarray(small[..., ::-1]), labels, None, iterations)


def _grabcut(bgr: np.ndarray, labels: np.ndarray, hints: np.ndarray | None, iterations: int) -> np.ndarray:
    if hints is not None:
        labels = np.where(hints != 255, hints, labels).astype(np.uint8)
    background_model, foreground_model = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(1)  # GrabCut starts its colour clusters at random: the same photo, the same mask
    cv2.grabCut(bgr, labels, None, background_model, foreground_model, iterations, cv2.GC_INIT_WITH_MASK)
    return _tidy((labels == _FG) | (labels == _PR_FG), labels == _FG)


def _objects_with_edges(small: np.ndarray, person: np.ndarray, generous: np.ndarray) -> np.ndarray:
    """The parts only the generous cut found whose outline against the backdrop follows an edge."""
    lab = cv2.cvtColor(small, cv2.COLOR_RGB2LAB).astype(np.float32)
    gradient = np.sqrt((cv2.Sobel(lab, cv2.CV_32F, 1, 0) ** 2 + cv2.Sobel(lab, cv2.CV_32F, 0, 1) ** 2).sum(axis=2))
    near = cv2.dilate(gradient, np.ones((3, 3), np.uint8))  # the edge may sit a pixel either side

    def outline_strength(region, outside, away_from=None):
        rim = region & (cv2.dilate(outside.astype(np.uint8), np.ones((3, 3), np.uint8)) == 1)
        rim[0], rim[-1], rim[:, 0], rim[:, -1] = False, False, False, False  # the frame's edge is no outline
        if away_from is not None:  # where it touches the person, the person's edge is not its own
            rim &= cv2.dilate(away_from.astype(np.uint8), np.ones((7, 7), np.uint8)) == 0
        return float(near[rim].mean()) if rim.any() else 0.0

    reference = outline_strength(person, ~person)
    count, parts = cv2.connectedComponents((generous & ~person).astype(np.uint8), connectivity=8)
    keep = np.zeros_like(person)
    thick = OBJECT_THICKNESS * math.hypot(*person.shape)
    for label in range(1, count):
        part = parts == label
        # A strip of backdrop along the frame's side (Collins's flag below her arm) is thin;
        # a helmet or a table in front is not. The frame's edge counts as the part's edge.
        framed = cv2.copyMakeBorder(part.astype(np.uint8), 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)
        if cv2.distanceTransform(framed, cv2.DIST_L2, 3).max() < thick:
            continue
        if outline_strength(part, ~generous, person) >= OBJECT_EDGE * reference:
            keep |= _up_to_its_top(part, person)
    return keep


def _up_to_its_top(part: np.ndarray, person: np.ndarray) -> np.ndarray:
    """A table in front up to its top edge: what stands on it away from the person is behind them.

    The top edge is the median, over the part's columns, of each column's highest
    pixel; pixels above it by more than a few pixels are dropped unless they touch
    the person (hands, gloves and a helmet resting on the table stay). Ochoa's
    Shuttle model stands on the table behind her elbow: its stand is backdrop.
    """
    columns = np.flatnonzero(part.any(axis=0))
    tops = part[:, columns].argmax(axis=0)
    slack = max(2, round(0.01 * part.shape[0]))
    top = int(np.median(tops)) - slack
    near_person = cv2.dilate(person.astype(np.uint8), np.ones((2 * slack + 1,) * 2, np.uint8)) == 1
    above = np.arange(part.shape[0])[:, None] < top
    kept = part & ~(above & ~near_person)
    # Keep what still joins the table's body (a stand's loose tip would float).
    count, pieces = cv2.connectedComponents(kept.astype(np.uint8), connectivity=8)
    body = np.bincount(pieces[kept & ~above].ravel(), minlength=count)
    body[0] = 0
    return np.isin(pieces, np.flatnonzero(body))


def person_prior(image: np.ndarray, size: tuple[int, int] | None = None) -> np.ndarray:
    """How likely each pixel is a person, from a small trained network (float32 0-1, at ``size`` = (W, H)).

    The network is MediaPipe's Selfie Segmentation (Google, 2021; Apache 2.0,
    bundled in ``models/``), run by OpenCV's DNN module on a 256 x 256 copy.
    It knows the shape of people (hair, shoulders, arms) but not what they
    hold, and its edge is coarse, so it only guides GrabCut, never decides.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo, points = examples.load_portrait("hopper", 300), examples.portrait_landmarks("hopper", 300)
    >>> prior = person_prior(photo)
    >>> x, y = (round(v) for v in points.points["nose_tip"])
    >>> prior.shape == photo.shape[:2], float(prior[y, x]) > 0.9, float(prior[20, 20]) < 0.1
    (True, True, True)
    """
    global _LAST_PRIOR
    height, width = image.shape[:2]
    square = cv2.resize(image, (_PRIOR_SIDE, _PRIOR_SIDE), interpolation=cv2.INTER_AREA)
    with _NETWORK_LOCK:  # one network object; its input and output are not safe to share across threads
        key = hash(square.tobytes())
        if _LAST_PRIOR[0] == key:  # the mask asks twice per photo (the cut, then its sides)
            prob = _LAST_PRIOR[1]
        else:
            net = _prior_network()
            net.setInput(np.ascontiguousarray((square.astype(np.float32) / 255).transpose(2, 0, 1)[None]))
            prob = net.forward().reshape(_PRIOR_SIDE, _PRIOR_SIDE).copy()
            _LAST_PRIOR = (key, prob)
    return np.clip(cv2.resize(prob, size or (width, height), interpolation=cv2.INTER_LINEAR), 0, 1).astype(np.float32)


def _prior_network():
    global _NETWORK
    if _NETWORK is None:
        _NETWORK = cv2.dnn.readNetFromTFLite(str(PRIOR_MODEL))
    return _NETWORK


def _tidy(person: np.ndarray, sure: np.ndarray) -> np.ndarray:
    """Keep what is joined to the surely-person part; fill holes inside the person."""
    count, parts = cv2.connectedComponents(person.astype(np.uint8), connectivity=8)
    keep = np.unique(parts[sure & person])
    person = np.isin(parts, keep[keep > 0])
    # Holes: background pieces that do not touch the frame's top or sides.
    count, gaps = cv2.connectedComponents((~person).astype(np.uint8), connectivity=4)
    edge_parts = np.unique(np.concatenate([gaps[0], gaps[:, 0], gaps[:, -1]]))
    holes = ~np.isin(gaps, edge_parts) & ~person
    small_holes = holes.copy()
    if holes.any():
        sizes = np.bincount(gaps[holes], minlength=count)
        small_holes = holes & (sizes[gaps] < 0.002 * person.size)
    return person | small_holes


def subject_trimap(landmarks: Landmarks, shape: tuple[int, int], prior: np.ndarray | None = None,
                   generous: bool = False) -> np.ndarray:
    """GrabCut's starting labels: sure person, sure backdrop, and undecided.

    From the landmarks: sure person is the face, the neck and a column down
    the middle of the chest; sure backdrop a band along the top and the
    frame's sides beside and above the head; undecided a generous head (hair
    of any length) and everything from the shoulders down, where helmets,
    hands and props have to be told apart by colour and edges.

    With a ``prior`` (:func:`person_prior` at this size), the undecided part
    leans its way, its solid middle is surely person, and what lies well away
    from it is surely backdrop: a small margin beside and above the head (the
    network sees hair), a wide one below the shoulders, where a held helmet or
    the desk the person leans on is not a person to the network but is part of
    the subject.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> labels = subject_trimap(examples.portrait_landmarks("glover", 200), (200, 150))
    >>> sorted(int(v) for v in np.unique(labels))  # GrabCut's four labels
    [0, 1, 2, 3]
    """
    height, width = shape
    p = {name: np.array(xy, float) for name, xy in landmarks.points.items()}
    outline = np.array(landmarks.face_outline, float)
    eyes = (p["left_iris"] + p["right_iris"]) / 2
    across = p["right_iris"] - p["left_iris"]
    u = across / max(np.linalg.norm(across), 1e-6)  # along the eyes
    v = np.array((-u[1], u[0]))  # down the face
    face_w = float(outline[:, 0].max() - outline[:, 0].min())
    chin = float((p["chin"] - eyes) @ v)
    labels = np.full((height, width), _PR_BG, np.uint8)

    def ellipse(centre, half_w, half_h):
        t = np.linspace(0, 2 * math.pi, 48, endpoint=False)
        return centre + np.outer(np.cos(t) * half_w, u) + np.outer(np.sin(t) * half_h, v)

    def fill(polygon, label):
        cv2.fillPoly(labels, [np.round(np.asarray(polygon)).astype(np.int32)], int(label))

    chin_point = eyes + v * chin
    shoulder_y = chin_point[1] + 0.55 * chin
    # Undecided (likely person): head with room for big hair; neck and shoulders widening,
    # and everything below the shoulders.
    fill(ellipse(eyes + v * (-0.25 * chin), 0.5 * face_w * 2.0, 1.55 * chin), _PR_FG)
    cx, cy = chin_point
    fill([(cx - 0.5 * face_w, cy - 0.3 * chin), (cx + 0.5 * face_w, cy - 0.3 * chin),
          (cx + 2.6 * face_w, shoulder_y), (width, shoulder_y + 0.6 * chin), (width, height),
          (0, height), (0, shoulder_y + 0.6 * chin), (cx - 2.6 * face_w, shoulder_y)], _PR_FG)  # fmt: skip
    # Sure backdrop: the top band and the sides beside the head, above the shoulders,
    # outside a very generous head.
    sure_bg = np.zeros((height, width), np.uint8)
    band = max(2, round(0.03 * height))
    sure_bg[:band] = 1
    side = max(2, round(0.03 * width))
    top_of_shoulders = int(np.clip(cy - 0.2 * chin, 0, height))
    sure_bg[:top_of_shoulders, :side] = 1
    sure_bg[:top_of_shoulders, -side:] = 1
    head_zone = np.zeros_like(sure_bg)
    cv2.fillPoly(head_zone, [np.round(ellipse(eyes + v * (-0.3 * chin), 0.5 * face_w * 2.6, 1.9 * chin)).astype(np.int32)], 1)
    beside = np.zeros_like(sure_bg)
    # Beside the head down to mouth level: flags and props seen there teach GrabCut
    # the backdrop's colours for the rest of the frame.
    beside[: int(np.clip(cy - 0.3 * chin, 0, height))] = 1
    sure_bg |= beside & (1 - head_zone)
    labels[(sure_bg == 1) & (labels == _PR_BG)] = _BG
    brow_top = min(p[n][1] for n in p if "brow" in n)
    if prior is not None:
        _lean_on_prior(labels, prior, shoulder_y, generous)
        # Above the brows hair and backdrop often share their colours (grey hair on the
        # Moon, dark hair on a dark backdrop), so GrabCut's colours cannot be trusted
        # there: the network's head, a little inside its edge, is surely the person.
        crown = cv2.distanceTransform((prior > 0.5).astype(np.uint8), cv2.DIST_L2, 3)
        above = np.arange(height)[:, None] < brow_top
        labels[(crown > PRIOR_CROWN_CORE * math.hypot(height, width)) & above & (head_zone == 1)] = _FG
    # Sure person: the face inside its outline, the neck, and the middle of the chest.
    # Above the brows the skull goes on for about as far again as the eyes are from the
    # chin; its lower part (forehead, hairline) is surely the person's.
    face = np.vstack([outline, ellipse(eyes + v * (-0.2 * chin), 0.5 * face_w * 0.8,
                                       max(0.65 * chin, 0.3 * chin + (eyes[1] - brow_top)))])
    centre = face.mean(axis=0)
    fill(cv2.convexHull(np.round(centre + (face - centre) * 0.85).astype(np.int32))[:, 0], _FG)
    # The neck and chest column is drawn from the chin, but a turned head puts the neck off
    # the chin's line: with a prior, only the part the network also calls person is sure
    # (Hopper's column reached a sliver of wall between her jaw and the flag).
    column = np.zeros((height, width), np.uint8)
    cv2.fillPoly(column, [np.round(np.array([
        (cx - 0.22 * face_w, cy - 0.2 * chin), (cx + 0.22 * face_w, cy - 0.2 * chin),
        (cx + 0.3 * face_w, cy + 0.7 * chin), (cx + 0.45 * face_w, min(height, cy + 2.2 * chin)),
        (cx - 0.45 * face_w, min(height, cy + 2.2 * chin)), (cx - 0.3 * face_w, cy + 0.7 * chin)])).astype(np.int32)], 1)  # fmt: skip
    if prior is not None:
        column &= (prior > 0.5).astype(np.uint8)
    labels[column == 1] = _FG
    return labels


def _lean_on_prior(labels: np.ndarray, prior: np.ndarray, shoulder_y: float, generous: bool) -> None:
    """Set the undecided labels from the network's prior, in place (see :func:`subject_trimap`)."""
    height, width = labels.shape
    diagonal = math.hypot(height, width)
    person = (prior > 0.5).astype(np.uint8)
    rows = np.arange(height, dtype=np.float64)[:, None]
    below = np.clip((rows - shoulder_y) / max(height - shoulder_y, 1.0), 0, 1)  # 0 at the shoulders, 1 at the foot
    likely = (person == 1) | (generous & (below > 0.5))
    open_ = labels != _BG
    labels[open_] = np.where(likely[open_], _PR_FG, _PR_BG)
    away = cv2.distanceTransform(1 - person, cv2.DIST_L2, 3)
    # Depth inside the person counts the frame's top and sides as outside: a strip of
    # backdrop along a side (Collins's flag below her shoulder) that the network joins to
    # the person is never deep inside it, so GrabCut's colours decide it.
    framed = cv2.copyMakeBorder(person, 1, 0, 1, 1, cv2.BORDER_CONSTANT, value=0)
    inside = cv2.distanceTransform(framed, cv2.DIST_L2, 3)[1:, 1:-1]
    margin = (PRIOR_MARGIN_HEAD + (PRIOR_MARGIN_BOTTOM - PRIOR_MARGIN_HEAD) * below) * diagonal
    labels[away > margin] = _BG
    labels[(inside > PRIOR_CORE * diagonal) & (labels != _BG)] = _FG


def _landmark_key(landmarks: Landmarks) -> tuple:
    points = tuple((name, round(x, 1), round(y, 1)) for name, (x, y) in sorted(landmarks.points.items()))
    return points, tuple((round(x, 1), round(y, 1)) for x, y in landmarks.face_outline)


def _check(image) -> None:
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        got = f"{image.dtype} array of shape {image.shape}" if isinstance(image, np.ndarray) else type(image).__name__
        raise ValueError(f"Expected an RGB photo (uint8 array of shape (height, width, 3)), got {got}. "
                         "Load photos with portrait_lessons.images.load_image.")
