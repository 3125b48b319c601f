"""Facial symmetry: the midline, mirror composites, and how asymmetric a face is.

A *mirror composite* joins one half of a face to its own mirror image:
"left-left" is the picture's left half twice, "right-right" the right half
twice. Both are exactly symmetric, and they rarely look like the same person,
which is the point: every real face is asymmetric, and that asymmetry is part
of what makes it look like someone.

What the numbers mean, and what they do not:

- :func:`landmark_asymmetry` compares the positions of paired points (eye
  corners, brows, mouth corners) after mirroring one side onto the other, as a
  percentage of the eye spacing. It measures *shape*, but a head turned a few
  degrees, a lens close to the face, or a misplaced landmark all add to it.
- :func:`pixel_asymmetry` compares the face with its mirror image pixel by
  pixel. Light from one side raises it as much as the face itself does; its
  "detail" part removes the broad shading and keeps texture and features.
- Neither is a score of beauty, health, honesty or how genuine an expression
  is. In the study the workbook cites (Frontiers in Psychology 2021), it was
  symmetric *expressions* that were judged more genuine; the face's own
  structural asymmetry, and its skin texture, are normal and worth keeping.

Examples
--------
>>> from portrait_lessons import examples
>>> image, landmarks = examples.load_portrait("koch", 512), examples.portrait_landmarks("koch", 512)
>>> left_left, right_right = mirror_composites(image, landmarks)
>>> bool((left_left == left_left[:, ::-1]).all())
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

from .landmarks import Landmarks

#: Pairs of points that mirror each other across the midline (picture's left, right).
PAIRS = (
    ("left_eye_outer", "right_eye_outer"),
    ("left_eye_inner", "right_eye_inner"),
    ("left_iris", "right_iris"),
    ("left_upper_lid", "right_upper_lid"),
    ("left_lower_lid", "right_lower_lid"),
    ("left_brow_outer", "right_brow_outer"),
    ("left_brow_middle", "right_brow_middle"),
    ("left_brow_inner", "right_brow_inner"),
    ("mouth_left", "mouth_right"),
)
#: How far the upright crop reaches above the brows' box, in eye spacings: the crown
#: with its hair. On the bundled photos the head's top lies 1.2 (a bald head) to 1.9
#: (a full crop of hair) eye spacings above the brows, and 2.45 for a hair-up style;
#: the crop already keeps pad x the brows' height above the brows.
CROWN_REACH = 1.9
#: How far the upright crop reaches below the chin (the lowest point of the face's outline, as
#: the turned crop sees it), in eye spacings: the whole chin with its shadow on the neck. The
#: crop kept pad / 2 of the face box's lower half, which ended 0.2 eye spacings under Johnson's
#: chin on her tilted head (and only a few pixels under it at the crop's corners).
CHIN_REACH = 0.45
#: Points that lie on the midline itself.
MIDLINE_POINTS = ("nose_tip", "upper_lip", "lower_lip", "chin")


@dataclass(frozen=True)
class Midline:
    """The face's line of symmetry: a point on it and the angle it leans by.

    ``angle`` is in degrees, positive when the face's top leans toward the
    picture's right (the line turned clockwise from vertical).
    """

    x: float
    y: float
    angle: float


def facial_midline(landmarks: Landmarks) -> Midline:
    """The line of symmetry implied by the landmarks.

    Its direction is square to the average left-to-right direction of the
    paired points; it passes through the average of their midpoints and of
    the midline points (nose tip, lips, chin).

    Examples
    --------
    >>> from portrait_lessons.face.landmarks import example_dict
    >>> facial_midline(Landmarks.from_dict(example_dict()))
    Midline(x=40.0, y=37.5, angle=0.0)
    """
    p = {name: np.array(xy, float) for name, xy in landmarks.points.items()}
    across = sum((p[right] - p[left]) / np.linalg.norm(p[right] - p[left]) for left, right in PAIRS)
    angle = math.degrees(math.atan2(across[1], across[0]))
    centres = [(p[left] + p[right]) / 2 for left, right in PAIRS] + [p[name] for name in MIDLINE_POINTS]
    x, y = np.mean(centres, axis=0)
    return Midline(round(float(x), 1), round(float(y), 1), round(angle, 2))


def upright_face(image: np.ndarray, landmarks: Landmarks, pad: float = 0.35, forehead: float | None = None) -> np.ndarray:
    """The face turned so its midline is vertical, cropped symmetrically about it.

    The crop is centred exactly on the midline (which falls between two pixel
    columns), so mirroring it about its own centre mirrors the face. Below the
    chin it keeps :data:`CHIN_REACH` eye spacings at least. Above
    the brows it keeps ``forehead`` eye spacings more (the landmarks stop at
    the brows); by default :data:`CROWN_REACH`, the whole head with its hair,
    but never past the photo's top edge, so no empty band is added above.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> face = upright_face(examples.load_portrait("koch", 512), examples.portrait_landmarks("koch", 512))
    >>> face.shape[1] % 2
    0
    """
    midline = facial_midline(landmarks)
    left, top, right, bottom = landmarks.face_box
    half_width = max(midline.x - left, right - midline.x) * (1 + pad)
    up = (midline.y - top) * (1 + pad)
    if forehead is None:
        # To the crown, or to the photo's top edge where the head reaches it: as far up
        # the turned midline as keeps both top corners of the crop inside the photo.
        a = math.radians(midline.angle)
        to_edge = (midline.y - abs(math.sin(a)) * half_width) / max(math.cos(a), 0.5)
        up = max(up, min(up + CROWN_REACH * landmarks.interocular_distance, to_edge))
    else:
        up += forehead * landmarks.interocular_distance
    down = (bottom - midline.y) * (1 + pad / 2)
    # To below the chin, measured square to the turned midline: on a tilted head the chin
    # lies lower in the upright crop than in the face box.
    a = math.radians(midline.angle)
    outline = np.array(list(landmarks.face_outline) + [landmarks.points["chin"]], float) - (midline.x, midline.y)
    chin = float((-math.sin(a) * outline[:, 0] + math.cos(a) * outline[:, 1]).max())
    down = max(down, chin + CHIN_REACH * landmarks.interocular_distance)
    half = max(2, round(half_width))
    height = max(2, round(up + down))
    # Pillow's affine transform maps each output pixel to a source position:
    # rotate about the midline point, then offset so that point lands on the
    # crop's centre column boundary.
    a = math.radians(midline.angle)
    cos, sin = math.cos(a), math.sin(a)
    ox, oy = half, up
    coefficients = (cos, -sin, midline.x - cos * ox + sin * oy, sin, cos, midline.y - sin * ox - cos * oy)
    picture = Image.fromarray(np.asarray(image, np.uint8))
    turned = picture.transform((2 * half, height), Image.AFFINE, coefficients, Image.BICUBIC, fillcolor=(0, 0, 0))
    return np.asarray(turned)


def mirror_composites(image: np.ndarray, landmarks: Landmarks, pad: float = 0.35) -> tuple[np.ndarray, np.ndarray]:
    """The left-left and right-right mirror composites of a face.

    Returns
    -------
    left_left, right_right : ndarray
        The picture's left half of the upright face joined to its mirror
        image, and the same for the right half. Each equals its own mirror
        image exactly.

    See Also
    --------
    upright_face : the uncombined face they are made from.
    """
    face = upright_face(image, landmarks, pad)
    half = face.shape[1] // 2
    left, right = face[:, :half], face[:, half:]
    return np.concatenate([left, left[:, ::-1]], axis=1), np.concatenate([right[:, ::-1], right], axis=1)


@dataclass(frozen=True)
class LandmarkAsymmetry:
    """Shape asymmetry from paired landmarks, in percent of the eye spacing.

    ``overall`` is the mean distance between each left point mirrored onto
    the right and its partner; the others are height differences (positive
    when the picture's left feature sits higher) of the named features.
    """

    overall: float
    eyes: float
    brows: float
    mouth_corners: float

    def __str__(self) -> str:
        return (
            f"shape asymmetry {self.overall:.1f}% of the eye spacing "
            f"(heights, left minus right: eyes {self.eyes:+.1f}%, brows {self.brows:+.1f}%, "
            f"mouth corners {self.mouth_corners:+.1f}%)"
        )


def landmark_asymmetry(landmarks: Landmarks) -> LandmarkAsymmetry:
    """How far the paired landmarks are from mirror images of each other.

    Examples
    --------
    >>> from portrait_lessons.face.landmarks import example_dict
    >>> landmark_asymmetry(Landmarks.from_dict(example_dict())).overall
    0.0
    """
    midline = facial_midline(landmarks)
    a = math.radians(midline.angle)
    rotation = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])  # undoes the lean

    def upright(name):
        return rotation @ (np.array(landmarks.points[name], float) - (midline.x, midline.y))

    spacing = landmarks.interocular_distance
    gaps, heights = [], {}
    for left, right in PAIRS:
        l, r = upright(left), upright(right)
        gaps.append(np.linalg.norm(l * (-1, 1) - r))
        heights[left] = (r[1] - l[1]) / spacing * 100  # y grows downwards: positive = left higher

    def mean(*names):
        return round(float(np.mean([heights[name] for name in names])), 1)

    return LandmarkAsymmetry(
        overall=round(float(np.mean(gaps)) / spacing * 100, 1),
        eyes=mean("left_eye_outer", "left_eye_inner", "left_iris"),
        brows=mean("left_brow_outer", "left_brow_middle", "left_brow_inner"),
        mouth_corners=mean("mouth_left"),
    )


@dataclass(frozen=True)
class PixelAsymmetry:
    """Pixel asymmetry of the upright face on a 0-100 scale.

    ``overall`` is the mean brightness difference between each pixel of the
    face and its mirror twin (100 would be black against white everywhere);
    ``detail`` is the same after removing broad shading, so lighting from one
    side counts much less.
    """

    overall: float
    detail: float

    def __str__(self) -> str:
        return f"pixel asymmetry {self.overall:.1f} overall, {self.detail:.1f} in the detail (0 = mirror image)"


def pixel_asymmetry(image: np.ndarray, landmarks: Landmarks) -> PixelAsymmetry:
    """Compare the face with its mirror image, inside an oval round the face.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> image, landmarks = examples.load_portrait("koch", 512), examples.portrait_landmarks("koch", 512)
    >>> result = pixel_asymmetry(image, landmarks)
    >>> 0 < result.detail < result.overall < 100
    True
    """
    face = upright_face(image, landmarks, pad=0.0, forehead=0.0).astype(np.float32)
    grey = face @ np.array([0.299, 0.587, 0.114], np.float32)
    height, width = grey.shape
    yy, xx = np.mgrid[0:height, 0:width]
    oval = ((xx + 0.5 - width / 2) / (width / 2)) ** 2 + ((yy + 0.5 - height / 2) / (height / 2)) ** 2 < 0.8
    radius = max(1.0, landmarks.interocular_distance / 4)
    rounded = Image.fromarray(np.clip(grey + 0.5, 0, 255).astype(np.uint8))
    shading = np.asarray(rounded.filter(ImageFilter.GaussianBlur(radius)), np.float32)
    detail = grey - shading

    def difference(values):
        return float(np.abs(values - values[:, ::-1])[oval].mean()) / 255 * 100

    return PixelAsymmetry(round(difference(grey), 1), round(difference(detail), 1))
