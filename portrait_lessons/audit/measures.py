"""The audit's measures: each checklist question turned into a number the package can compute.

Every function is pure and takes the landmarks (face geometry) or the photo
(pixels). Face measures work in the *face's own frame*: the origin midway
between the irises, x along the line through them, and the distance between
the irises as the unit, so they do not change with the photo's size or a
tilted head. "Left" and "right" mean as seen in the picture.

What the numbers can and cannot say is part of the lesson: landmarks hold the
corners of the mouth but not the cheeks, so a closed-mouth smile can read as
neutral; a head turn moves the irises between the eye corners as a glance does.

Examples
--------
>>> from portrait_lessons.face.landmarks import Landmarks, example_dict
>>> face = Landmarks.from_dict(example_dict())
>>> gaze_offset(face).horizontal, head_roll(face), head_turn(face)
(0.0, 0.0, 0.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image

from ..colour.measure import _lab, colourfulness
from ..face.landmarks import Landmarks
from ..face.symmetry import landmark_asymmetry
from ..retouch.filters import linear_to_srgb8, srgb_to_linear_lut
from ..retouch.texture import skin_mask, texture_energy

__all__ = [
    "Background",
    "Gaze",
    "Smile",
    "background_measures",
    "eye_opening",
    "gaze_offset",
    "head_roll",
    "head_turn",
    "skin_texture",
    "smile",
    "structural_asymmetry",
    "subject_mask",
]

#: Where the iris sits above the eye corners' line when a face looks straight
#: into the lens, in half eye widths (the mean of the eight bundled portraits,
#: all with direct gaze: the iris centre sits a little above the corners).
IRIS_REST_HEIGHT = -0.17
#: The distance between the irises that the skin texture is measured at (px):
#: every face is resampled to it, so a phone selfie and a scan compare.
TEXTURE_IOD = 96.0
#: Up to this far off centre (half eye widths) a gaze reads as into the lens: the
#: goals' "direct gaze" range ends here too (landmarks placed by hand wobble by about 0.1).
DIRECT_GAZE = 0.2
#: Below this distance between the irises (px, in the photo) pores are not resolved.
MIN_TEXTURE_IOD = 50.0
#: Pore scale at TEXTURE_IOD (the retouch module's 1/80 of the eye spacing).
TEXTURE_RADIUS = TEXTURE_IOD / 80


# --------------------------------------------------------------------------- the face's frame


def _face_frame(landmarks: Landmarks):
    """A function mapping picture (x, y) to the face frame: irises on the x axis, 1 unit apart."""
    (x1, y1), (x2, y2) = landmarks.points["left_iris"], landmarks.points["right_iris"]
    angle = math.atan2(y2 - y1, x2 - x1)
    cos, sin, unit = math.cos(angle), math.sin(angle), max(landmarks.interocular_distance, 1e-6)
    ox, oy = (x1 + x2) / 2, (y1 + y2) / 2

    def to_face(point):
        dx, dy = point[0] - ox, point[1] - oy
        return ((cos * dx + sin * dy) / unit, (-sin * dx + cos * dy) / unit)

    return to_face


def _face_points(landmarks: Landmarks) -> dict[str, tuple[float, float]]:
    to_face = _face_frame(landmarks)
    return {name: to_face(xy) for name, xy in landmarks.points.items()}


# --------------------------------------------------------------------------- gaze


@dataclass(frozen=True)
class Gaze:
    """Where the irises sit between the eye corners, in half eye widths.

    ``horizontal``: 0 centred, +1 at the corner on the picture's right.
    ``vertical``: 0 at the height of a direct gaze, + lower (looking down).
    ``off_centre``: how far from a direct gaze, both together.
    """

    horizontal: float
    vertical: float

    @property
    def off_centre(self) -> float:
        return round(math.hypot(self.horizontal, self.vertical), 2)

    @property
    def direction(self) -> str:
        """'left', 'right', 'down', 'up' (the picture's sides) or 'ahead'."""
        if self.off_centre <= DIRECT_GAZE:
            return "ahead"
        if abs(self.horizontal) >= abs(self.vertical):
            return "right" if self.horizontal > 0 else "left"
        return "down" if self.vertical > 0 else "up"


def gaze_offset(landmarks: Landmarks) -> Gaze:
    """The iris position between the eye corners, both eyes averaged.

    A direct gaze puts each iris midway between its corners; a glance to the
    side moves both irises toward one corner. A head turned with the eyes on
    the lens moves them a little too, so read it with :func:`head_turn`.

    Examples
    --------
    >>> from portrait_lessons.face.landmarks import example_dict
    >>> data = example_dict()
    >>> for side in ("left_iris", "right_iris"):
    ...     data["points"][side][0] += 4  # half of the 8 px from the eye's middle to its corner
    >>> gaze_offset(Landmarks.from_dict(data)).horizontal
    0.5
    """
    p = _face_points(landmarks)
    across, down = [], []
    for side, outer, inner in (("left", "left_eye_outer", "left_eye_inner"),
                               ("right", "right_eye_inner", "right_eye_outer")):  # fmt: skip
        (ax, ay), (bx, by) = p[outer], p[inner]
        half = max(abs(bx - ax) / 2, 1e-6)
        ix, iy = p[f"{side}_iris"]
        across.append((ix - (ax + bx) / 2) / half)
        down.append((iy - (ay + by) / 2) / half)
    horizontal = float(np.mean(across))
    vertical = float(np.mean(down)) - IRIS_REST_HEIGHT
    return Gaze(round(horizontal, 2), round(vertical, 2))


# --------------------------------------------------------------------------- expression


@dataclass(frozen=True)
class Smile:
    """The mouth corners, in eye spacings.

    ``intensity``: how far the corners sit above the middle of the lips
    (the mean of both sides; 0 or less is a neutral mouth).
    ``asymmetry``: how much higher one corner is lifted than the other.
    """

    intensity: float
    asymmetry: float
    left: float
    right: float


def smile(landmarks: Landmarks) -> Smile:
    """Smile intensity and symmetry from the mouth corners and lips.

    Examples
    --------
    >>> from portrait_lessons.face.landmarks import example_dict
    >>> data = example_dict()
    >>> data["points"]["mouth_left"][1] -= 4   # lift the left corner by 4 px (a tenth of the eye spacing)
    >>> result = smile(Landmarks.from_dict(data))
    >>> result.left, result.right, result.asymmetry
    (0.113, 0.012, 0.1)
    """
    p = _face_points(landmarks)
    middle = (p["upper_lip"][1] + p["lower_lip"][1]) / 2
    left, right = middle - p["mouth_left"][1], middle - p["mouth_right"][1]
    return Smile(round((left + right) / 2, 3), round(abs(left - right), 3), round(left, 3), round(right, 3))


def eye_opening(landmarks: Landmarks) -> float:
    """Lid-to-lid opening over eye width, both eyes averaged: smiling eyes narrow from below.

    Examples
    --------
    >>> from portrait_lessons.face.landmarks import example_dict
    >>> eye_opening(Landmarks.from_dict(example_dict()))  # 6 px open, 16 px wide
    0.38
    """
    p = _face_points(landmarks)
    ratios = []
    for side, a, b in (("left", "left_eye_outer", "left_eye_inner"), ("right", "right_eye_inner", "right_eye_outer")):
        width = max(abs(p[b][0] - p[a][0]), 1e-6)
        ratios.append((p[f"{side}_lower_lid"][1] - p[f"{side}_upper_lid"][1]) / width)
    return round(float(np.mean(ratios)), 2)


def structural_asymmetry(landmarks: Landmarks) -> float:
    """The face's shape asymmetry, % of the eye spacing (lesson 02's measure).

    Examples
    --------
    >>> from portrait_lessons.face.landmarks import example_dict
    >>> structural_asymmetry(Landmarks.from_dict(example_dict()))
    0.0
    """
    return landmark_asymmetry(landmarks).overall


# --------------------------------------------------------------------------- the head


def head_roll(landmarks: Landmarks) -> float:
    """Head tilt to the side, degrees: + when the head's top leans toward the picture's right.

    The angle of the line through the irises (the face edit's sign, so
    ``head_tilt = -head_roll`` levels a face).

    Examples
    --------
    >>> from portrait_lessons.face.landmarks import example_dict
    >>> data = example_dict()
    >>> data["points"]["right_iris"][1] += 40 * math.tan(math.radians(10))
    >>> head_roll(Landmarks.from_dict(data))
    10.0
    """
    (x1, y1), (x2, y2) = landmarks.points["left_iris"], landmarks.points["right_iris"]
    return round(math.degrees(math.atan2(y2 - y1, x2 - x1)), 1)


def head_turn(landmarks: Landmarks) -> float:
    """How far the face is turned from the lens, degrees (approximate): + toward the picture's right.

    A turned head shows more of one cheek: the eyes' midpoint moves away
    from the middle of the face outline (the outline's ends at eye height).
    For a roughly cylindrical head the shift, as a share of the half width,
    is the sine of the turn.

    Examples
    --------
    >>> from portrait_lessons.face.landmarks import example_dict
    >>> data = example_dict()
    >>> data["face_outline"] = [[x - 8, y] for x, y in data["face_outline"]]  # the face's middle 8 px left
    >>> head_turn(Landmarks.from_dict(data))  # 8 of the 32 px half width: asin(0.25)
    14.5
    """
    p = _face_points(landmarks)
    to_face = _face_frame(landmarks)
    (lx, _), (rx, _) = to_face(landmarks.face_outline[0]), to_face(landmarks.face_outline[-1])
    half = max((rx - lx) / 2, 1e-6)
    eyes = (p["left_eye_outer"][0] + p["right_eye_outer"][0]) / 2
    shift = float(np.clip((eyes - (lx + rx) / 2) / half, -1, 1))
    return round(math.degrees(math.asin(shift)), 1)


# --------------------------------------------------------------------------- skin


def skin_texture(image: np.ndarray, landmarks: Landmarks) -> float | None:
    """Fine texture left in the skin, grey levels at the pore scale (None when the face is too small).

    The face is cut out and resampled so the irises are :data:`TEXTURE_IOD`
    px apart, then lesson 03's texture meter runs on its skin mask. So the
    number means the same on a phone selfie and a scan: pores, fine lines,
    grain. Beauty filters and many generators leave little of it.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> from portrait_lessons.retouch.texture import smooth_skin
    >>> photo, points = examples.load_portrait("glover"), examples.portrait_landmarks("glover")
    >>> skin_texture(smooth_skin(photo, points, 1.0), points) < skin_texture(photo, points)
    True
    """
    iod = landmarks.interocular_distance
    if iod < MIN_TEXTURE_IOD:
        return None
    crop, points = _standard_face(image, landmarks)
    mask = skin_mask(crop, points)
    if float(mask.sum()) < 50:
        return None
    return round(texture_energy(crop, mask * mask, TEXTURE_RADIUS), 2)


def _standard_face(image: np.ndarray, landmarks: Landmarks) -> tuple[np.ndarray, Landmarks]:
    """The face's box, resampled so the irises are TEXTURE_IOD px apart, with its landmarks."""
    left, top, right, bottom = landmarks.face_box
    pad = 0.15 * (right - left)
    height, width = image.shape[:2]
    box = (max(0, int(left - pad)), max(0, int(top - pad)), min(width, int(right + pad) + 1),
           min(height, int(bottom + pad) + 1))  # fmt: skip
    factor = TEXTURE_IOD / landmarks.interocular_distance
    size = (max(8, round((box[2] - box[0]) * factor)), max(8, round((box[3] - box[1]) * factor)))
    # Only the face's box goes to Pillow (not a copy of a whole 12 MP photo).
    piece = Image.fromarray(np.ascontiguousarray(image[box[1] : box[3], box[0] : box[2]]))
    crop = np.asarray(piece.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0))
    fx, fy = size[0] / (box[2] - box[0]), size[1] / (box[3] - box[1])

    def move(point):
        return (min(size[0], max(0.0, (point[0] - box[0]) * fx)), min(size[1], max(0.0, (point[1] - box[1]) * fy)))

    points = Landmarks(
        {name: move(xy) for name, xy in landmarks.points.items()},
        {side: r * fx for side, r in landmarks.iris_radius.items()},
        tuple(move(xy) for xy in landmarks.face_outline),
        size[0], size[1],
    )  # fmt: skip
    return crop, points


# --------------------------------------------------------------------------- the background


def subject_mask(image: np.ndarray, landmarks: Landmarks) -> np.ndarray:
    """Where the person is (1) and the background (0): the one door the audit takes to the mask.

    Lesson 08's landmark mask, snapped to the photo's edges. Kept behind this
    one function so a better subject mask can replace it in one place.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> mask = subject_mask(examples.load_portrait("koch", 256), examples.portrait_landmarks("koch", 256))
    >>> mask.shape, mask.dtype.name
    ((256, 192), 'float32')
    """
    try:  # the dedicated subject mask, where this copy of the workbook has it
        from ..retouch.subject import subject_mask as dedicated
    except ImportError:
        from ..retouch.depth import subject_mask as dedicated
    return np.asarray(dedicated(image, landmarks), np.float32)


@dataclass(frozen=True)
class Background:
    """How the background relates to the person.

    ``separation``: colour and tone difference between person and
    background (CIELAB delta E between their average colours; under about
    10 they blend). ``clutter``: the background's detail, mean brightness gradient
    in levels per pixel on a 384 px copy (a plain backdrop is 1-3, a busy
    room 8 or more). ``colourfulness``: the background's own colourfulness.
    """

    separation: float
    clutter: float
    colourfulness: float
    share: float


def background_measures(image: np.ndarray, mask: np.ndarray) -> Background | None:
    """Separation, clutter and colourfulness of the background; None if the person fills the frame.

    Examples
    --------
    >>> photo = np.zeros((64, 64, 3), np.uint8); photo[:, :] = (40, 60, 160)
    >>> mask = np.zeros((64, 64), np.float32); mask[16:48, 16:48] = 1
    >>> photo[16:48, 16:48] = (220, 180, 150)
    >>> result = background_measures(photo, mask)
    >>> result.separation > 50, result.clutter
    (True, 0.0)
    """
    small, small_mask = _at_most(image, mask, 384)
    person, backdrop = small_mask > 0.9, small_mask < 0.1
    share = float(backdrop.mean())
    if backdrop.sum() < 200 or person.sum() < 50:
        return None
    # The average colour of each region (averaged in linear light, as light mixes), then CIELAB.
    linear = srgb_to_linear_lut(small)
    means = np.stack([linear[person].mean(axis=0), linear[backdrop].mean(axis=0)])
    lab = _lab(linear_to_srgb8(means).astype(np.float64))
    separation = float(np.linalg.norm(lab[0] - lab[1]))
    grey = np.asarray(Image.fromarray(small).convert("L"), np.float32)
    gradient = np.zeros_like(grey)
    gradient[:, :-1] += np.abs(np.diff(grey, axis=1))
    gradient[:-1, :] += np.abs(np.diff(grey, axis=0))
    # Pixels next to the person hold the person's edge, not the background's detail.
    away = _erode(backdrop, 3)
    clutter = float(gradient[away].mean()) if away.sum() >= 100 else float(gradient[backdrop].mean())
    colour = colourfulness(small[backdrop][None, :, :])
    return Background(round(separation, 1), round(clutter, 2), round(colour, 1), round(share, 3))


def _at_most(image: np.ndarray, mask: np.ndarray, edge: int) -> tuple[np.ndarray, np.ndarray]:
    height, width = image.shape[:2]
    if max(height, width) <= edge:
        return image, mask
    factor = edge / max(height, width)
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    small = np.asarray(Image.fromarray(np.ascontiguousarray(image)).resize(size, Image.Resampling.BOX))
    small_mask = np.asarray(Image.fromarray(np.asarray(mask, np.float32), "F").resize(size, Image.Resampling.BILINEAR))
    return small, small_mask


def _erode(region: np.ndarray, steps: int) -> np.ndarray:
    out = region.copy()
    for _ in range(steps):
        shrunk = out.copy()
        shrunk[1:] &= out[:-1]
        shrunk[:-1] &= out[1:]
        shrunk[:, 1:] &= out[:, :-1]
        shrunk[:, :-1] &= out[:, 1:]
        out = shrunk
    return out
