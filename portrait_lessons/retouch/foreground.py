"""The person's own colour at the soft edge, without the backdrop mixed in.

A pixel at the edge of hair or a shoulder is a mix: ``alpha`` of the person's
colour ``F`` and ``1 - alpha`` of the backdrop's ``B``. Blending the photo's
pixel over a new (or darkened) background keeps the old backdrop's share in
it, which shows as a light or coloured rim round the hair once the
background changes. :func:`estimate_foreground` recovers ``F`` at every pixel,
so a tool composites ``F * alpha + new_background * (1 - alpha)`` instead.

The method is the multi-level approximation of Germer, Uelwer, Conrad and
Harmeling, "Fast multi-level foreground estimation" (ICPR 2020; the method of
pymatting's ``estimate_foreground_ml``): at each level of a pyramid, from a
few pixels up to full size, every pixel solves the two-colour equation
``alpha F + (1 - alpha) B = image`` together with "look like your
neighbours", where a neighbour across a change of alpha counts more. Coarse
levels carry the person's colours out over the edge; fine levels fit them.
Written here in numpy (red-black sweeps; at large levels only the soft edge
is swept) because pymatting needs numba, whose compile on first use would
cost a learner seconds.

:func:`foreground` caches the result per photo and mask: it depends on
neither slider, so a slider step only blends.
"""

from __future__ import annotations

from collections import OrderedDict

import cv2
import numpy as np

__all__ = ["estimate_foreground", "foreground", "keep_person_colour", "tighten_alpha"]

#: Pull of every neighbour, and extra pull across a change of alpha (the paper's values).
REGULARIZATION = 1e-5
GRADIENT_WEIGHT = 1.0
#: Sweeps per level: many while the level is small, few at the large ones.
SMALL_SWEEPS, BIG_SWEEPS, SMALL_EDGE = 10, 2, 32
#: Above this long edge a level is swept only near the soft edge (the rest keeps the coarser estimate).
_BAND_FROM = 128
_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 8


def estimate_foreground(image: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """The colour of what lies in front at each pixel, given how much of it is in front.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3)
    alpha : ndarray of float, shape (H, W), values 0-1
        1 on the subject, 0 on the backdrop, between at mixed pixels.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
        Equal to ``image`` where ``alpha`` is 1 (from 0.998); at mixed pixels the subject's
        own colour; on the backdrop, the subject's colours carried smoothly out.

    Examples
    --------
    A red subject, a blue backdrop and a 40 % mix between them:

    >>> image = np.zeros((20, 20, 3), np.uint8); image[:, :10] = (200, 40, 40); image[:, 10:] = (30, 60, 220)
    >>> alpha = np.zeros((20, 20), np.float32); alpha[:, :10] = 1; alpha[:, 10] = 0.4
    >>> image[:, 10] = np.round(0.4 * image[0, 0] + 0.6 * image[0, 19]).astype(np.uint8)
    >>> image[5, 10].tolist(), estimate_foreground(image, alpha)[5, 10].tolist()
    ([98, 52, 148], [200, 40, 40])
    """
    image = np.asarray(image)
    alpha = np.clip(np.asarray(alpha, np.float32), 0, 1)
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8 or alpha.shape != image.shape[:2]:
        raise ValueError("Expected an RGB uint8 photo (H, W, 3) and a mask (H, W) of the same size.")
    # The pyramid, each level half the one above (area averages keep the mix of a mixed pixel).
    levels = [(image.astype(np.float32) * np.float32(1 / 255), alpha)]
    while max(levels[-1][1].shape) > 2:
        colour, mask = levels[-1]
        size = (max(1, (mask.shape[1] + 1) // 2), max(1, (mask.shape[0] + 1) // 2))
        levels.append((cv2.resize(colour, size, interpolation=cv2.INTER_AREA),
                       cv2.resize(mask, size, interpolation=cv2.INTER_AREA)))  # fmt: skip
    # Start from the mean colours of subject and backdrop on the coarsest level.
    colour, mask = levels[-1]
    weights = mask.reshape(-1, 1), 1 - mask.reshape(-1, 1)
    fg, bg = ((colour.reshape(-1, 3) * w).sum(axis=0) / max(float(w.sum()), 1e-6) for w in weights)
    fg = np.broadcast_to(fg, colour.shape).astype(np.float32)
    bg = np.broadcast_to(bg, colour.shape).astype(np.float32)
    for colour, mask in reversed(levels):
        size = (mask.shape[1], mask.shape[0])
        if fg.shape[:2] != mask.shape:
            fg = cv2.resize(fg, size, interpolation=cv2.INTER_LINEAR)
            bg = cv2.resize(bg, size, interpolation=cv2.INTER_LINEAR)
        sweeps = SMALL_SWEEPS if max(size) <= SMALL_EDGE else BIG_SWEEPS
        fg, bg = _sweep_level(colour, mask, fg, bg, sweeps, band_only=max(size) > _BAND_FROM)
    out = np.clip(fg * 255 + 0.5, 0, 255).astype(np.uint8)
    whole = alpha >= 0.998  # all that an 8-bit alpha calls whole person
    out[whole] = image[whole]
    return out


def _sweep_level(colour, alpha, fg, bg, sweeps: int, band_only: bool):
    """Red-black Gauss-Seidel sweeps of the per-pixel two-colour solve on one level."""
    height, width = alpha.shape
    if band_only:
        mixed = ((alpha > 0.002) & (alpha < 0.998)).astype(np.uint8)
        active = cv2.dilate(mixed, np.ones((5, 5), np.uint8)) > 0
    else:
        active = np.ones(alpha.shape, bool)
    ys, xs = np.nonzero(active)
    if ys.size == 0:
        return fg, bg
    fg, bg = fg.reshape(-1, 3).copy(), bg.reshape(-1, 3).copy()
    flat_alpha, flat_colour = alpha.reshape(-1), colour.reshape(-1, 3)
    groups = []
    for parity in (0, 1):
        pick = ((ys + xs) & 1) == parity
        y, x = ys[pick], xs[pick]
        here = y * width + x
        neighbours = np.stack([np.maximum(y - 1, 0) * width + x, np.minimum(y + 1, height - 1) * width + x,
                               y * width + np.maximum(x - 1, 0), y * width + np.minimum(x + 1, width - 1)])
        a = flat_alpha[here]
        weights = REGULARIZATION + GRADIENT_WEIGHT * np.abs(a[None] - flat_alpha[neighbours])
        pull = weights.sum(axis=0)
        a00, a11, a01 = a * a + pull, (1 - a) ** 2 + pull, a * (1 - a)
        inv_det = 1 / (a00 * a11 - a01 * a01)
        groups.append((here, neighbours, weights, a, a00, a11, a01, inv_det, flat_colour[here]))
    for _ in range(sweeps):
        for here, neighbours, weights, a, a00, a11, a01, inv_det, pixel in groups:
            b0 = a[:, None] * pixel + np.einsum("kn,knc->nc", weights, fg[neighbours])
            b1 = (1 - a)[:, None] * pixel + np.einsum("kn,knc->nc", weights, bg[neighbours])
            fg[here] = np.clip((inv_det * a11)[:, None] * b0 - (inv_det * a01)[:, None] * b1, 0, 1)
            bg[here] = np.clip((inv_det * a00)[:, None] * b1 - (inv_det * a01)[:, None] * b0, 0, 1)
    return fg.reshape(height, width, 3), bg.reshape(height, width, 3)


def tighten_alpha(image: np.ndarray, alpha: np.ndarray, front: np.ndarray) -> np.ndarray:
    """Lower the mask at edge pixels whose colour is the backdrop's, not a mix with the person.

    A mask's soft ramp can reach a few pixels past the person onto plain
    backdrop. There the estimated foreground is the person's colour carried
    out, so compositing would paint a faint person-coloured glow. Each mixed
    pixel is placed on the line from the local backdrop colour to the local
    person colour (normalised blurs of the pixels sure to be each; the
    estimated foreground where no sure person is near); where
    that says "less person" than the mask, the mask is lowered. It is never
    raised, and where person and backdrop are alike in colour (dark hair on a
    dark backdrop) the mask is kept. Nor is it lowered where the pixel is no
    mix of the two (further than :data:`OFF_THE_LINE` from the line): a third
    colour, such as a jaw's shadow or dark hair against a grey Moon, lies off
    the line and would otherwise read as "no person" and let the backdrop
    through (only where the mask calls it mostly person, as in
    :func:`keep_person_colour`).

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3)
    alpha : ndarray of float, shape (H, W), values 0-1
    front : ndarray of uint8, shape (H, W, 3)
        :func:`foreground` of ``image`` and ``alpha``.

    Returns
    -------
    ndarray of float32, shape (H, W)

    Examples
    --------
    A red subject on blue, with a mask whose ramp runs two pixels onto the blue:

    >>> image = np.zeros((20, 20, 3), np.uint8); image[:, :10] = (200, 40, 40); image[:, 10:] = (30, 60, 220)
    >>> alpha = np.zeros((20, 20), np.float32); alpha[:, :10] = 1; alpha[:, 10], alpha[:, 11] = 0.6, 0.3
    >>> tight = tighten_alpha(image, alpha, foreground(image, alpha))
    >>> round(float(tight[5, 11]), 2), float(tight[5, 5])
    (0.0, 1.0)
    """
    alpha = np.asarray(alpha, np.float32)
    fit = _two_colour_fit(image, alpha, front)
    if fit is None:
        return alpha
    ys, xs, share, trust, explained = fit
    out = alpha.copy()
    here = out[ys, xs]
    # Lowered only where the pixel is a mix of the two: a third colour (a jaw's shadow, dark
    # hair on a grey Moon) is not "less person" for lying off the line.
    out[ys, xs] = here - trust * (1 - (1 - explained) * _mostly_person(here)) * np.maximum(here - share, 0)
    return out


def keep_person_colour(image: np.ndarray, alpha: np.ndarray, front: np.ndarray) -> np.ndarray:
    """The estimated foreground, left at the photo's own colour where that colour is the person's.

    :func:`estimate_foreground` takes the mask at its word: a pixel at 0.7 is
    30 % backdrop, and that share of the backdrop's colour is taken out. Where
    the mask's ramp lies on the person (a jaw's shadow beside a red flag), that
    takes out colour the skin never had, and the skin turns green. Here each
    mixed pixel near the backdrop is placed on the line from the backdrop's
    colour to the person's (as in :func:`tighten_alpha`): where it is no mix
    of the two at all (off the line by more than :data:`OFF_THE_LINE`: a
    shadow, a dark spectacle frame) and the mask calls it mostly person (0.4
    and up, fully from 0.65), the photo's own colour is kept. Where person and
    backdrop are alike in colour, the estimate is kept as it is.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3)
    alpha : ndarray of float, shape (H, W), values 0-1
    front : ndarray of uint8, shape (H, W, 3)
        :func:`foreground` of ``image`` and ``alpha``.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)

    Examples
    --------
    A skin-coloured subject on red, the mask's ramp lying on the skin's own shadow:

    >>> image = np.zeros((20, 20, 3), np.uint8); image[:, :10] = (200, 150, 120); image[:, 10:] = (160, 10, 20)
    >>> image[:, 8:10] = (120, 85, 60)  # the jaw's shadow: darker skin, no red mixed in
    >>> alpha = np.zeros((20, 20), np.float32); alpha[:, :8] = 1; alpha[:, 8], alpha[:, 9] = 0.9, 0.7
    >>> front = foreground(image, alpha)
    >>> front[5, 9].tolist() != image[5, 9].tolist(), keep_person_colour(image, alpha, front)[5, 9].tolist()
    (True, [120, 85, 60])
    """
    alpha = np.asarray(alpha, np.float32)
    fit = _two_colour_fit(image, alpha, front)
    if fit is None:
        return front
    ys, xs, share, trust, explained = fit
    keep = trust * (1 - explained) * _mostly_person(alpha[ys, xs])  # 1: the photo's own colour; 0: the estimate
    out = np.array(front)
    pixel = np.asarray(image, np.float32)[ys, xs]
    out[ys, xs] = np.clip(np.rint(out[ys, xs] + keep[:, None] * (pixel - out[ys, xs])), 0, 255).astype(np.uint8)
    return out


#: Off the line from backdrop to person by more than this (0-1 RGB units), a pixel is no mix of
#: the two; fully so at twice this. Backdrop texture (the Moon's mottling) stays within it.
OFF_THE_LINE = 0.07


def _mostly_person(alpha: np.ndarray) -> np.ndarray:
    """0 below 0.4 person, 1 from 0.65 up: where an off-the-line pixel is taken as the person's own colour.

    Further out, a pixel off the line is more likely a mix with a third colour of the
    backdrop (a flag's stripe beside the wall), and the estimate is safer.
    """
    return np.clip((alpha - 0.4) / 0.25, 0, 1)


def _two_colour_fit(image: np.ndarray, alpha: np.ndarray, front: np.ndarray):
    """Each mixed pixel near the backdrop on the line from backdrop to person colour.

    Returns the pixels (ys, xs), the share of the way to the person's colour
    (0-1), how far the two colours differ (trust, 0-1) and how well the pixel
    is a mix of them (explained, 0-1); None when no pixel is mixed.
    """
    mixed = (alpha > 0.002) & (alpha < 0.998)
    if not mixed.any():
        return None
    # The plates are smooth, so they are made on a copy at most about 512 px long.
    step = max(1, max(alpha.shape) // 512)
    small_size = (max(1, alpha.shape[1] // step), max(1, alpha.shape[0] // step))
    colour = cv2.resize(np.asarray(image), small_size, interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    small_alpha = cv2.resize(alpha, small_size, interpolation=cv2.INTER_AREA)
    radius = max(3, round(0.015 * max(small_size)))
    kernel = (2 * radius + 1, 2 * radius + 1)
    plates = []
    for sure in ((small_alpha < 0.02).astype(np.float32), (small_alpha >= 0.998).astype(np.float32)):
        weight = cv2.boxFilter(sure, -1, kernel)
        mean = cv2.boxFilter(colour * sure[..., None], -1, kernel) / np.maximum(weight, 1e-4)[..., None]
        plates.append((weight > 1e-3, mean))
    ys, xs = np.nonzero(mixed)
    sy, sx = np.minimum(ys // step, small_size[1] - 1), np.minimum(xs // step, small_size[0] - 1)
    near_back = plates[0][0][sy, sx]
    ys, xs, sy, sx = ys[near_back], xs[near_back], sy[near_back], sx[near_back]
    pixel = np.asarray(image, np.float32)[ys, xs] * np.float32(1 / 255)
    back = plates[0][1][sy, sx]
    # The person's colour: the sure person nearby, else the estimate (thin strands far from it).
    estimate = np.asarray(front, np.float32)[ys, xs] * np.float32(1 / 255)
    person = np.where(plates[1][0][sy, sx, None], plates[1][1][sy, sx], estimate)
    span = person - back
    length2 = (span * span).sum(axis=1)
    along = ((pixel - back) * span).sum(axis=1) / np.maximum(length2, 1e-6)
    share = np.clip(along, 0, 1)
    # Trust the colour only where person and backdrop differ clearly (0.06 to 0.15 apart).
    trust = np.clip((np.sqrt(length2) - 0.06) / 0.09, 0, 1)
    # Distance from the line through the two (not the segment): the person's plate is a local mean, and a
    # darker or lighter pixel of the same colour (a navy cap beside its gold badge) lies beyond it, on the line.
    off = np.sqrt(((pixel - back - along[:, None] * span) ** 2).sum(axis=1))
    explained = np.clip(2 - off / OFF_THE_LINE, 0, 1)
    return ys, xs, share, trust, explained


def foreground(image: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """:func:`estimate_foreground`, cached per photo and mask (read-only; the same array again).

    Examples
    --------
    >>> image = np.full((8, 8, 3), 90, np.uint8); alpha = np.ones((8, 8), np.float32)
    >>> foreground(image, alpha) is foreground(image, alpha.copy())
    True
    """
    image, alpha = np.asarray(image), np.asarray(alpha, np.float32)
    key = (image.shape, hash(np.ascontiguousarray(image[::4, ::4]).tobytes()),
           hash(np.ascontiguousarray(alpha[::2, ::2]).tobytes()), float(alpha.sum()))  # fmt: skip
    cached = _CACHE.get(key)
    if cached is not None:
        _CACHE.move_to_end(key)
        return cached
    result = estimate_foreground(image, alpha)
    result.setflags(write=False)
    _CACHE[key] = result
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return result
