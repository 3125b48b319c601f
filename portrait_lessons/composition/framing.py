"""Framing: where the crop's edges fall round a face, and what that is measured as.

Four measures describe a crop of a portrait. Each takes the face's landmarks
and a ``box`` = (left, top, right, bottom) in the pixels of the image the
landmarks belong to, and returns a fraction of that frame:

- :func:`face_ism`: how much of the visible figure's height is face (Archer,
  Iritani, Kimes & Barrios 1983). Close crops score high.
- :func:`headroom`: the gap above the head, as a share of the frame's height.
- :func:`eye_line_height`: how high the eyes sit, measured from the bottom.
- :func:`lead_room`: the room ahead of the gaze, as a share of the frame's width
  (Palmer, Gardner & Wickens 2008 found viewers prefer a subject facing into
  the frame).

The rule of thirds (eyes two thirds of the way up) and "leave a little
headroom" are popular claims, not findings: Amirshahi et al. (2014) found no
support for thirds as a predictor of preference. The measures report where
things are; the lesson says what is known about them.

:func:`frame_box` is the crop model behind the crop tool (one zoom from the
widest crop the photo holds to a tight headshot, plus where the eyes sit and
how far the face sits off centre); :func:`draw_overlays` draws the thirds,
eye line and headroom over a crop; :func:`crop` cuts the box out of the image
at any resolution, so a box chosen on a preview exports at full size with
:func:`scale_box`.

Landmarks are read by duck typing: anything with ``points`` (the 22 named
points of :mod:`portrait_lessons.face.landmarks`) and ``face_outline``.

Examples
--------
>>> marks = _example_marks()
>>> box = (0, 0, 80, 100)
>>> round(face_ism(marks, box), 2), round(headroom(marks, box), 2)
(0.84, 0.08)
>>> round(eye_line_height(marks, box), 2)
0.5
>>> round(lead_room(marks, box, "right"), 2)   # the face is centred: half the width is ahead
0.5
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from PIL import Image, ImageDraw

Box = tuple[float, float, float, float]

#: Head height (crown to chin) over brow-to-chin height. Adult anthropometric
#: norms (Farkas 1994) put vertex-to-chin at about 22-23 cm and the brows about
#: 12-13 cm above the chin, a ratio of about 1.8. Landmarks stop at the brows,
#: so the crown is estimated from this ratio (hair adds more on top).
HEAD_PER_BROW_TO_CHIN = 1.8
#: A tight headshot: the frame is this many head heights tall.
TIGHTEST_HEADS = 1.2
#: Eye line of a crop by default: two thirds of the way up (the popular rule).
DEFAULT_EYE_LINE = 2 / 3


class FramingError(ValueError):
    """A crop box or a gaze direction the measures cannot use."""


# ----------------------------------------------------------------- geometry
def head_top(landmarks) -> float:
    """Estimated y of the crown of the head, in image pixels.

    From the brows and the chin with :data:`HEAD_PER_BROW_TO_CHIN`; the value
    can lie above the image (negative) when the photo cuts the head.

    Examples
    --------
    >>> round(head_top(_example_marks()), 1)
    7.6
    """
    chin, brow = chin_y(landmarks), brow_y(landmarks)
    return chin - HEAD_PER_BROW_TO_CHIN * (chin - brow)


def chin_y(landmarks) -> float:
    """The lowest point of the face: the chin or the outline, whichever is lower."""
    outline = [y for _, y in landmarks.face_outline]
    return max([landmarks.points["chin"][1], *outline])


def brow_y(landmarks) -> float:
    """Mean height of the two brow middles."""
    p = landmarks.points
    return (p["left_brow_middle"][1] + p["right_brow_middle"][1]) / 2


def eye_y(landmarks) -> float:
    """Mean height of the two irises: the eye line."""
    p = landmarks.points
    return (p["left_iris"][1] + p["right_iris"][1]) / 2


def face_centre_x(landmarks) -> float:
    """Horizontal centre of the face: the middle of the outline's extent."""
    xs = [x for x, _ in landmarks.face_outline]
    return (min(xs) + max(xs)) / 2


def gaze_direction(landmarks) -> float:
    """Where the eyes point sideways, from -1 (the image's left) to +1 (its right).

    Each iris's offset from the middle of its eye corners, over half the eye's
    width, averaged over both eyes. 0 is a look into the lens (or a face that
    turns as much as the eyes do); about 0.3 is already clearly sideways.

    Examples
    --------
    >>> gaze_direction(_example_marks())
    0.0
    """
    p = landmarks.points
    values = []
    for side, outer, inner in (("left", "left_eye_outer", "left_eye_inner"), ("right", "right_eye_inner", "right_eye_outer")):
        a, b = p[outer][0], p[inner][0]
        half = abs(b - a) / 2
        values.append((p[f"{side}_iris"][0] - (a + b) / 2) / max(half, 1e-6))
    return float(np.clip(np.mean(values), -1.0, 1.0))


def _check_box(box: Sequence[float]) -> Box:
    try:
        left, top, right, bottom = (float(v) for v in box)
    except (TypeError, ValueError):
        raise FramingError("A crop box is four numbers: (left, top, right, bottom) in pixels.") from None
    if not (right > left and bottom > top) or not all(map(math.isfinite, (left, top, right, bottom))):
        raise FramingError(
            f"The crop box {tuple(box)} is empty: right must exceed left and bottom must exceed top."
        )
    return left, top, right, bottom


# ----------------------------------------------------------------- measures
def face_ism(landmarks, box: Sequence[float]) -> float:
    """Archer et al.'s (1983) face-ism index for a crop.

    Face-ism is the height of the head (crown to chin) over the height from the
    crown to the lowest part of the body shown. In a portrait crop the body
    runs on to the bottom edge, so it is the share of the frame's height, from
    the crown (or the top edge, if the crop cuts the crown) down to the bottom,
    that is head. 1.0 is a head filling the frame; Archer et al. found about
    0.7 for men and 0.6 for women in magazine photos of the time.

    Parameters
    ----------
    landmarks : Landmarks
        The face's points in the image's pixels.
    box : (left, top, right, bottom)
        The crop, in the same pixels.

    Returns
    -------
    float
        Between 0 (no head in the frame) and 1.

    Examples
    --------
    >>> marks = _example_marks()
    >>> round(face_ism(marks, (0, 0, 80, 200)), 2)   # a longer frame shows more body
    0.4
    """
    left, top, right, bottom = _check_box(box)
    crown = max(head_top(landmarks), top)
    chin = min(chin_y(landmarks), bottom)
    if bottom <= crown:
        return 0.0
    return float(np.clip((chin - crown) / (bottom - crown), 0.0, 1.0))


def headroom(landmarks, box: Sequence[float]) -> float:
    """The gap between the top of the frame and the crown, over the frame's height.

    Negative when the crop cuts into the head (a tight headshot does, often on
    purpose). The estimated crown (:func:`head_top`) does not count hair.

    Examples
    --------
    >>> round(headroom(_example_marks(), (0, -20, 80, 100)), 2)
    0.23
    >>> headroom(_example_marks(), (0, 20, 80, 100)) < 0   # the crown is cut
    True
    """
    left, top, right, bottom = _check_box(box)
    return float((head_top(landmarks) - top) / (bottom - top))


def eye_line_height(landmarks, box: Sequence[float]) -> float:
    """How high the eyes sit in the frame, from 0 (bottom edge) to 1 (top edge).

    The rule of thirds puts the eye line at 2/3; that is a popular claim.

    Examples
    --------
    >>> round(eye_line_height(_example_marks(), (0, 0, 80, 150)), 2)
    0.67
    """
    left, top, right, bottom = _check_box(box)
    return float((bottom - eye_y(landmarks)) / (bottom - top))


def lead_room(landmarks, box: Sequence[float], gaze_direction: float | str) -> float:
    """The room ahead of the gaze: from the face's centre to the frame's edge it looks at.

    As a share of the frame's width: 0.5 is a centred face, more than 0.5 a
    face looking into the frame (the composition Palmer, Gardner & Wickens
    2008 found viewers prefer), less than 0.5 a face looking out of it.

    Parameters
    ----------
    landmarks : Landmarks
        The face's points in the image's pixels.
    box : (left, top, right, bottom)
        The crop, in the same pixels.
    gaze_direction : "left", "right" or a non-zero number
        Which way the subject looks, in the image (the viewer's left or right).
        A number's sign gives the side, so :func:`gaze_direction`'s value
        can be passed straight in; 0 (a look into the lens) has no "ahead".

    Raises
    ------
    FramingError
        If the direction is 0 or not one of the above.

    Examples
    --------
    >>> marks = _example_marks()
    >>> round(lead_room(marks, (0, 0, 120, 100), "right"), 2)   # frame extends to the right
    0.67
    >>> round(lead_room(marks, (0, 0, 120, 100), -0.4), 2)      # looking left, out of the frame
    0.33
    """
    left, top, right, bottom = _check_box(box)
    side = _side(gaze_direction)
    centre = face_centre_x(landmarks)
    ahead = (right - centre) if side > 0 else (centre - left)
    return float(ahead / (right - left))


def _side(direction) -> int:
    if isinstance(direction, str):
        word = direction.strip().lower()
        if word in ("left", "right"):
            return 1 if word == "right" else -1
        raise FramingError(f"A gaze direction is 'left', 'right' or a number, not {direction!r}.")
    try:
        value = float(direction)
    except (TypeError, ValueError):
        raise FramingError(f"A gaze direction is 'left', 'right' or a number, not {direction!r}.") from None
    if value == 0 or not math.isfinite(value):
        raise FramingError(
            "A gaze into the lens has no room ahead of it: give 'left' or 'right' "
            "(the side the subject looks to, in the picture)."
        )
    return 1 if value > 0 else -1


def measures(landmarks, box: Sequence[float], gaze: float | str | None = None) -> dict[str, float | None]:
    """All four measures of one crop in a dict (lead room ``None`` for a look into the lens).

    ``gaze`` defaults to the landmarks' own :func:`gaze_direction`; a gaze
    within 0.05 of the lens counts as into the lens.

    Examples
    --------
    >>> sorted(measures(_example_marks(), (0, 0, 80, 100)))
    ['eye_line_height', 'face_ism', 'headroom', 'lead_room']
    """
    if gaze is None:
        gaze = gaze_direction(landmarks)
    looking = isinstance(gaze, str) or abs(float(gaze)) >= 0.05
    return {
        "face_ism": face_ism(landmarks, box),
        "headroom": headroom(landmarks, box),
        "eye_line_height": eye_line_height(landmarks, box),
        "lead_room": lead_room(landmarks, box, gaze) if looking else None,
    }


# --------------------------------------------------------------- the crop model
def frame_box(
    landmarks,
    size: tuple[int, int],
    zoom: float = 0.0,
    *,
    aspect: float | None = None,
    eye_line: float = DEFAULT_EYE_LINE,
    offset: float = 0.0,
) -> tuple[int, int, int, int]:
    """The crop box for a zoom, from the widest crop the photo holds to a tight headshot.

    Parameters
    ----------
    landmarks : Landmarks
        The face's points in the image's pixels.
    size : (width, height)
        The image's size.
    zoom : float
        0 is the widest crop of this aspect that fits in the photo, 1 a tight
        headshot (the frame :data:`TIGHTEST_HEADS` head heights tall); steps
        in between are even steps of scale.
    aspect : float, optional
        Width over height; default the photo's own (so zoom 0 is the whole photo).
    eye_line : float
        Where the eyes should sit, as a share of the height from the bottom.
    offset : float
        -1 to 1: how far the face sits off centre, as a share of the room the
        photo allows on that side; +1 puts the face as far right as it goes.

    Returns
    -------
    (left, top, right, bottom) : ints
        Always inside the image; where the photo runs out the box slides back
        in, so measure the box, not the settings.

    Examples
    --------
    >>> marks = _example_marks()
    >>> frame_box(marks, (80, 100))
    (0, 0, 80, 100)
    >>> frame_box(marks, (80, 100), 1.0)
    (3, 7, 77, 100)
    """
    width, height = size
    if width < 1 or height < 1:
        raise FramingError("The image has no pixels to crop.")
    if not 0.0 <= zoom <= 1.0:
        raise FramingError(f"Zoom runs from 0 (widest) to 1 (tightest), not {zoom}.")
    aspect = width / height if aspect is None else float(aspect)
    if not aspect > 0:
        raise FramingError("The aspect ratio (width over height) must be positive.")
    wide_h = min(height, width / aspect)
    head = chin_y(landmarks) - head_top(landmarks)
    tight_h = min(wide_h, TIGHTEST_HEADS * head)
    box_h = wide_h * (tight_h / wide_h) ** zoom
    box_w = min(width, box_h * aspect)
    box_h = min(box_h, box_w / aspect)
    top = eye_y(landmarks) - (1 - eye_line) * box_h
    centre = face_centre_x(landmarks)
    # offset moves the face in the frame: +1 = face at the right, frame shifted left.
    room = (centre - box_w / 2, width - (centre + box_w / 2))  # how far the box can slide left, right
    shift = -offset * room[0] if offset > 0 else -offset * room[1]
    left = centre - box_w / 2 + shift
    left = float(np.clip(left, 0, width - box_w))
    top = float(np.clip(top, 0, height - box_h))
    l, t = round(left), round(top)
    return l, t, min(width, l + round(box_w)), min(height, t + round(box_h))


def scale_box(box: Sequence[float], factor: float) -> tuple[int, int, int, int]:
    """A box chosen on a preview, in the pixels of an image ``factor`` times larger.

    Examples
    --------
    >>> scale_box((10, 20, 110, 145), 4.0)
    (40, 80, 440, 580)
    """
    left, top, right, bottom = _check_box(box)
    return tuple(int(round(v * factor)) for v in (left, top, right, bottom))  # type: ignore[return-value]


def crop(image: np.ndarray, box: Sequence[float]) -> np.ndarray:
    """Cut ``box`` out of ``image`` (a new array); the whole box returns an equal copy.

    Examples
    --------
    >>> image = np.arange(5 * 4 * 3, dtype=np.uint8).reshape(5, 4, 3)
    >>> crop(image, (1, 1, 3, 4)).shape
    (3, 2, 3)
    >>> bool((crop(image, (0, 0, 4, 5)) == image).all())
    True
    """
    image = np.asarray(image)
    height, width = image.shape[:2]
    left, top, right, bottom = (int(round(v)) for v in _check_box(box))
    left, top = max(0, left), max(0, top)
    right, bottom = min(width, right), min(height, bottom)
    if right <= left or bottom <= top:
        raise FramingError(f"The crop box {tuple(box)} lies outside the {width} x {height} image.")
    return image[top:bottom, left:right].copy()


# ----------------------------------------------------------------- overlays
OVERLAY_COLOURS = {"thirds": (255, 255, 255), "eye_line": (255, 214, 0), "headroom": (0, 200, 255)}


def draw_overlays(
    image: np.ndarray,
    landmarks,
    box: Sequence[float],
    *,
    thirds: bool = True,
    eyes: bool = True,
    head: bool = True,
) -> np.ndarray:
    """The crop of ``image`` with the thirds grid, the eye line and the headroom drawn on.

    ``landmarks`` and ``box`` are in ``image``'s pixels. The thirds are thin
    white lines; the eye line is yellow; the headroom is a cyan bracket from
    the top edge to the estimated crown (red where the crop cuts the head).

    Examples
    --------
    >>> image = np.zeros((100, 80, 3), np.uint8)
    >>> drawn = draw_overlays(image, _example_marks(), (0, 0, 80, 100))
    >>> drawn.shape, bool(drawn[33, 5].any())     # a thirds line at y = 100 / 3
    ((100, 80, 3), True)
    """
    piece = crop(image, box)
    left, top = int(round(box[0])), int(round(box[1]))
    h, w = piece.shape[:2]
    canvas = Image.fromarray(piece)
    draw = ImageDraw.Draw(canvas, "RGBA")
    line = max(1, round(min(w, h) / 400))
    if thirds:
        colour = (*OVERLAY_COLOURS["thirds"], 150)
        for k in (1, 2):
            draw.line([(w * k / 3, 0), (w * k / 3, h)], fill=colour, width=line)
            draw.line([(0, h * k / 3), (w, h * k / 3)], fill=colour, width=line)
    if eyes:
        y = eye_y(landmarks) - top
        draw.line([(0, y), (w, y)], fill=(*OVERLAY_COLOURS["eye_line"], 230), width=line * 2)
    if head:
        crown = head_top(landmarks) - top
        x = face_centre_x(landmarks) - left
        cut = crown < 0
        colour = (255, 60, 60, 230) if cut else (*OVERLAY_COLOURS["headroom"], 230)
        reach = max(crown, 0.0) if not cut else 0.0
        tick = max(4, w // 40)
        draw.line([(x, 0), (x, reach)], fill=colour, width=line * 2)
        draw.line([(x - tick, reach), (x + tick, reach)], fill=colour, width=line * 2)
        if cut:
            draw.line([(x - 2 * tick, 0), (x + 2 * tick, 0)], fill=colour, width=line * 3)
    return np.asarray(canvas)


def _example_marks():
    """A small synthetic face in an 80 x 100 frame (for doctests), duck-typed."""
    from types import SimpleNamespace

    points = {
        "left_eye_outer": (12, 50), "left_eye_inner": (28, 50), "left_iris": (20, 50),
        "right_eye_inner": (52, 50), "right_eye_outer": (68, 50), "right_iris": (60, 50),
        "left_brow_middle": (20, 42), "right_brow_middle": (60, 42),
        "nose_tip": (40, 64), "chin": (40, 85),
    }  # fmt: skip
    angles = np.linspace(math.pi, 0, 11)
    outline = tuple((round(40 + 30 * math.cos(a), 1), round(50 + 35 * math.sin(a), 1)) for a in angles)
    return SimpleNamespace(points=points, face_outline=outline)
