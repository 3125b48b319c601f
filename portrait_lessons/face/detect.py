"""Facial points found automatically on a photo, with a confidence for each.

The 22 named points of :mod:`portrait_lessons.face.landmarks`, both iris circles
and the face outline, placed on any photo with no dragging. The face and its
mesh of 478 points come from MediaPipe's FaceMesh model (Apache-2.0), which
ships inside the ``mediapipe`` wheel: nothing is downloaded when it runs. It
is large, so it comes with the optional ``faces`` extra
(``pip install portrait-lessons[faces]``); without it :func:`available` is
False and the landmark picker starts from the template guess of
:mod:`portrait_lessons.face.fit` instead.

What comes from the mesh and what is measured here:

- eye corners, mouth corners, lips, chin, nose tip: mesh points;
- iris centres and radii: the limbus (the dark iris disc against the white of
  the eye) fitted in the picture, searched near the mesh's iris, on the sides
  of the disc that lids rarely cover;
- lid midpoints: where the mesh's lid contours cross the vertical through the
  fitted iris centre;
- brows: measured on the hair (:func:`fit_brow`): the centre line of the dark
  hair band near the mesh's brow contours, its ends where the band fades, its
  middle straight above the iris. Behind glasses the mesh can take the frame
  for the brow (on Grace Hopper's portrait it puts the brows on the frame's
  top, 8-19 px below them): when a frame's bridge crosses the nose
  (:func:`glasses_bridge`) and the frame's edge runs under both of the mesh's
  brow lines, the brows are looked for above the frame (:func:`frame_brow`).
  With glasses the brows are guesses for the learner to check; so are the
  ends of a brow in shadow (:func:`shaded_brow`), and every brow of a face
  under :data:`SMALL_FACE` px between the irises;
- outline: the mesh's face oval from eye-corner height on the left, round the
  chin, to eye-corner height on the right, resampled to 13 points.

A second, independent model (MediaPipe's BlazeFace face detector, in the same
wheel) says how sure it is that there is a face and where. On a blurred photo
the mesh can lay a face over a chest or a flag (a blurred bundled portrait at
GaussianBlur 12: a "face" 740 px wide where the detector sees one of 165 px):
when the detector finds no face where the mesh put one, is unsure of it, most
points lie outside its box, or the points' proportions are not a face's, the
face gets :attr:`DetectedFace.doubts` in the learner's words and every point
is a guess (:func:`face_doubts`).

Each point gets a confidence from 0 to 1. A point is a *guess* (below
:data:`CONFIDENT`) when the mesh put it outside the photo (the face is cut by
the frame), when it is on the far side of a head turned towards profile, for an
iris when the eye is nearly closed or no limbus stands out, and for a brow
when the face wears glasses, is small, or (its ends) when the brow is in shadow.

On the 8 bundled portraits at 1024 px, against the hand-placed points, see
``tests/test_face_detect.py`` for the figures asserted and the README for
what each install route gives.
"""

from __future__ import annotations

import contextlib
import importlib.util
import math
import os
import threading
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Mapping

import numpy as np

from ..images import preview
from .landmarks import POINT_NAMES, Landmarks, Point

__all__ = [
    "CONFIDENT",
    "SURE",
    "DETECT_EDGE",
    "DetectedFace",
    "Detection",
    "available",
    "detect_faces",
    "face_doubts",
    "face_from_mesh",
    "fit_brow",
    "fit_limbus",
    "frame_brow",
    "glasses_bridge",
    "shaded_brow",
]

#: Points whose confidence is below this are shown and treated as guesses.
CONFIDENT = 0.5
#: Long edge of the copy the detector looks at; points come back in the given image's pixels.
DETECT_EDGE = 1024
#: The face detector's score below which a face is doubtful. Measured at 1024 px: the 8 bundled
#: portraits score 0.83-0.95; blurred (Gaussian radius 12) 0.63-0.89 where it still finds them.
SURE = 0.5
#: Distance from between the eyes to the mouth's middle, in interocular distances, that a face
#: has. Measured on the bundled portraits, hand-placed and found: 0.88-1.18.
MOUTH_RANGE = (0.6, 1.6)
#: Most faces reported on one photo.
MAX_FACES = 6
OUTLINE_POINTS = 13
#: A glasses frame's bridge: the largest brightness change down the nose between the eyes
#: (see glasses_bridge) above which a face wears glasses. Measured on the bundled portraits
#: at 1024 px, upright and mirrored: 0.03-0.09 without glasses (0.09: a crease on Glover's
#: nose), 0.14-0.20 with them (Hopper, Johnson), 0.23-0.39 with frames drawn on; on the
#: photos at 300 px (faces 36-83 px wide) 0.05-0.10 without, Hopper 0.18, Johnson 0.07.
GLASSES_STEP = 0.12
#: Faces with less than this between the irises (px of the detector's copy) get their brows marked
#: as guesses: at 300 px the bundled photos' faces have 12-27 px, brows 1-2 px thick, and the
#: found brow ends land up to 5 px (in those pixels) from the hand-placed ones.
SMALL_FACE = 32.0
#: A brow whose forehead is darker than this fraction of the other brow's is in shadow (then its
#: ends are guesses). Measured on the bundled portraits: 0.66-0.98 lit evenly, 0.27 (Koch) and
#: 0.36 (Glover) with one side of the face in shadow.
SHADE_RATIO = 0.5
#: A brow in shadow ends where its band's contrast falls under this share of its middle's
#: (:func:`shaded_brow_ends`). On Glover's and Koch's shaded brows (upright, mirrored, 300 px face)
#: 0.4-0.6 give the same ends to 0.1 px (mean 4.7 px), 0.3 4.7-5.4 px, the mesh's places alone 5.8 px.
SHADE_FADE = 0.5
#: With glasses, the frame's sharpest edge lying this many brow thicknesses or more below the mesh's
#: brow line on both sides means the mesh took the frame's top for the brows (then frame_brow looks
#: above it). Measured at 1024 px: Hopper 0.92-1.08 (upright, mirrored, 300 px face), Johnson -0.15 to
#: 0.33 (brows right on the rim: left as they are), frames drawn on the 8 portraits -0.46 to 0.42.
FRAME_BELOW = 0.6
#: Where the brows' outer and inner ends lie along the eye's axis, in eye widths from the outer corner
#: towards the inner one: the mean over the six bundled portraits without glasses (outer -0.12 to -0.46,
#: inner 0.87 to 1.14). Used for brows found above a frame, whose faint ends can't be seen fading.
BROW_ENDS = (-0.31, 1.02)

# --- where our points are on MediaPipe's 478-point mesh ----------------------------------
# "left" is the picture's left, i.e. the sitter's right eye (mesh 33/133, iris 468-472).
_EYES = {
    "left": {"outer": 33, "inner": 133, "iris": 468, "ring": (469, 470, 471, 472),
             "upper": (33, 246, 161, 160, 159, 158, 157, 173, 133),
             "lower": (33, 7, 163, 144, 145, 153, 154, 155, 133)},
    "right": {"outer": 263, "inner": 362, "iris": 473, "ring": (474, 475, 476, 477),
              "upper": (362, 398, 384, 385, 386, 387, 388, 466, 263),
              "lower": (362, 382, 381, 380, 374, 373, 390, 249, 263)},
}  # fmt: skip
# Brow contours from the outer end to the inner end.
_BROWS = {
    "left": {"upper": (70, 63, 105, 66, 107), "lower": (46, 53, 52, 65, 55)},
    "right": {"upper": (300, 293, 334, 296, 336), "lower": (276, 283, 282, 295, 285)},
}
_MESH_POINTS = {"nose_tip": 4, "mouth_left": 61, "mouth_right": 291, "upper_lip": 0, "lower_lip": 17, "chin": 152}
# The face oval from above the left temple, down round the chin, up to above the right one.
_OVAL = (162, 127, 234, 93, 132, 58, 172, 136, 150, 149, 176, 148, 152,
         377, 400, 378, 379, 365, 397, 288, 361, 323, 454, 356, 389)  # fmt: skip

_LEFT_SIDE = {n for n in POINT_NAMES if n.startswith("left")} | {"mouth_left"}
_RIGHT_SIDE = {n for n in POINT_NAMES if n.startswith("right")} | {"mouth_right"}


@dataclass(frozen=True)
class DetectedFace:
    """One face found on a photo.

    Parameters
    ----------
    landmarks : Landmarks
        The 22 points, iris radii and outline, in pixels of the photo given
        to :func:`detect_faces` (turned upright, see :attr:`Detection.turns`).
    confidence : mapping of str to float
        0 to 1 for each point name.
    box : (left, top, right, bottom)
        The face's bounding box (the mesh's extent), in the same pixels.
    turn : float
        How far the head is turned: 0 facing the camera, towards -1 or 1 in
        profile (negative: the picture's left side of the face is the far one).
    mesh : numpy.ndarray, optional
        MediaPipe's ``(478, 3)`` points, in the same pixels.
    glasses : bool
        Whether the face wears glasses (then the brows are guesses).
    doubts : tuple of str
        Why these points may not be on a face at all, in the learner's
        words (see :func:`face_doubts`); then every point is a guess.
    """

    landmarks: Landmarks
    confidence: Mapping[str, float]
    box: tuple[float, float, float, float]
    turn: float = 0.0
    mesh: np.ndarray | None = field(default=None, compare=False, repr=False)
    glasses: bool = False
    doubts: tuple[str, ...] = ()

    @property
    def guesses(self) -> list[str]:
        """The names of the points that are guesses, in :data:`POINT_NAMES` order (all of them when in doubt)."""
        if self.doubts:
            return list(POINT_NAMES)
        return [n for n in POINT_NAMES if self.confidence[n] < CONFIDENT]

    @property
    def confident(self) -> bool:
        """Whether every point is confident (the face can be used as found)."""
        return not self.guesses


@dataclass(frozen=True)
class Detection:
    """What :func:`detect_faces` found.

    Parameters
    ----------
    faces : tuple of DetectedFace
        Largest first; empty when no face was found.
    turns : int
        Quarter turns counter-clockwise (as :func:`numpy.rot90` counts them)
        that bring the photo upright; the faces' points belong to the turned
        photo. 0 unless the photo was lying on its side or upside down.
    size : (width, height)
        Size of the photo the points belong to (after turning).
    """

    faces: tuple[DetectedFace, ...]
    turns: int
    size: tuple[int, int]

    @property
    def message(self) -> str:
        """What was found, in words for the learner."""
        turned = {1: " (the photo was lying on its side: it is shown upright)",
                  2: " (the photo was upside down: it is shown upright)",
                  3: " (the photo was lying on its side: it is shown upright)"}.get(self.turns, "")  # fmt: skip
        if not self.faces:
            return (
                "No face was found on this photo, so the points start from an average face: "
                "drag the two iris points onto the eyes and the others follow."
            )
        if len(self.faces) > 1:
            return (
                f"{len(self.faces)} faces were found{turned}. The points are on the largest: "
                "click another face to use it instead."
            )
        face = self.faces[0]
        if face.doubts:
            return (
                f"Something like a face was found{turned}, but {' and '.join(face.doubts)}: the points may not be "
                "on a face at all. They are shown as guesses (rings): check each one and drag it onto the face, "
                "or drag the two iris points onto the centres of the eyes and press Start again."
            )
        if face.confident:
            return f"The face was found and every point placed{turned}. Check them by eye."
        frame = " Glasses frames can hide the brows or look like them." if face.glasses else ""
        return (
            f"The face was found{turned}, but {len(face.guesses)} "
            f"{'point' if len(face.guesses) == 1 else 'points'} could not be seen well "
            f"(drawn as rings): check those and drag them into place.{frame}"
        )


def available() -> bool:
    """Whether the face detector is installed (the ``faces`` extra).

    Examples
    --------
    >>> isinstance(available(), bool)
    True
    """
    # Only look: importing the model's package takes seconds and about 40 MB; the first upload does it.
    return importlib.util.find_spec("mediapipe") is not None


def detect_faces(image: np.ndarray, *, try_turns: bool = True) -> Detection:
    """Find the faces on ``image`` and place every point on each.

    Parameters
    ----------
    image : numpy.ndarray
        RGB ``uint8`` array of shape ``(height, width, 3)``, any size (the
        detector looks at a copy of at most :data:`DETECT_EDGE` px).
    try_turns : bool
        If no face is found, look again with the photo turned by a quarter,
        three quarters and a half turn (phone photos saved without their
        orientation lie on their side).

    Returns
    -------
    Detection

    Raises
    ------
    ImportError
        If the ``faces`` extra is not installed (see :func:`available`).

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> found = detect_faces(examples.load_portrait("jemison", 512))
    >>> len(found.faces), found.turns, found.faces[0].confident
    (1, 0, True)
    >>> detect_faces(np.full((200, 300, 3), 128, np.uint8)).faces
    ()
    """
    height, width = image.shape[:2]
    small = preview(image, DETECT_EDGE)
    factor = width / small.shape[1]
    for turns in (0, 1, 3, 2) if try_turns else (0,):
        turned = np.ascontiguousarray(np.rot90(small, turns)) if turns else small
        meshes = _run_mesh(turned)
        if meshes:
            break
    else:
        return Detection((), 0, (width, height))
    # The model finds faces lying on their side too: then look again with the photo upright.
    upright = _quarter_turns(max(meshes, key=_mesh_area))
    if try_turns and upright:
        turns = (turns + upright) % 4
        turned = np.ascontiguousarray(np.rot90(small, turns))
        meshes = _run_mesh(turned) or meshes
    size = (height, width) if turns % 2 else (width, height)
    gray = _gray(turned)
    boxes = [(score, tuple(v * factor for v in box)) for score, box in _run_detector(turned)]
    faces = [face_from_mesh(mesh, gray, scale=factor, size=size, image=turned) for mesh in meshes]
    faces = [replace(face, doubts=face_doubts(face, boxes)) for face in faces]
    if turns and all(face.doubts for face in faces):
        # Found only on the photo turned, and the detector doesn't see it: on blurred photos the mesh
        # lays a sideways face over the body. Turning the learner's photo for that would be wrong twice.
        return Detection((), 0, (width, height))
    faces.sort(key=lambda f: -(f.box[2] - f.box[0]) * (f.box[3] - f.box[1]))
    return Detection(tuple(faces), turns, size)


def face_from_mesh(
    mesh: np.ndarray,
    gray: np.ndarray,
    *,
    scale: float = 1.0,
    size: tuple[int, int] | None = None,
    image: np.ndarray | None = None,
) -> DetectedFace:
    """Our points, radii, outline and confidences from one face's mesh.

    Parameters
    ----------
    mesh : numpy.ndarray
        ``(478, 3)``: MediaPipe's points in pixels of ``gray`` (x, y) and depth.
    gray : numpy.ndarray
        The photo the mesh was found on, as ``float32`` luminance 0-1.
    scale : float
        Factor from ``gray``'s pixels to those of the photo the points are for.
    size : (width, height), optional
        That photo's size; defaults to ``gray``'s times ``scale``.
    image : numpy.ndarray, optional
        The same photo in colour (RGB ``uint8``), for the glasses check; a
        frame's colour can stand out where its brightness does not.
    """
    height, width = gray.shape
    size = size or (round(width * scale), round(height * scale))
    xy = mesh[:, :2]
    points: dict[str, np.ndarray] = {}
    confidence: dict[str, float] = {}
    radius: dict[str, float] = {}
    for side, eye in _EYES.items():
        points[f"{side}_eye_outer"], points[f"{side}_eye_inner"] = xy[eye["outer"]], xy[eye["inner"]]
        upper, lower = xy[list(eye["upper"])], xy[list(eye["lower"])]
        mesh_radius = float(np.mean(np.hypot(*(xy[list(eye["ring"])] - xy[eye["iris"]]).T)))
        centre, radius[side], strength = fit_limbus(gray, xy[eye["iris"]], mesh_radius, upper, lower)
        points[f"{side}_iris"] = centre
        points[f"{side}_upper_lid"] = np.array([centre[0], _y_at(upper, centre[0])])
        points[f"{side}_lower_lid"] = np.array([centre[0], _y_at(lower, centre[0])])
        opening = (points[f"{side}_lower_lid"][1] - points[f"{side}_upper_lid"][1]) / max(mesh_radius, 1e-6)
        # A nearly closed eye or a limbus that doesn't stand out: the iris is a guess.
        confidence[f"{side}_iris"] = float(min(1.0, strength / 0.04, max(0.0, opening - 0.3) / 0.6))
        brow = fit_brow(gray, xy[list(_BROWS[side]["upper"])], xy[list(_BROWS[side]["lower"])], centre[0])
        for part in ("outer", "middle", "inner"):
            points[f"{side}_brow_{part}"] = brow[part]
    glasses = glasses_bridge(gray if image is None else image, xy) > GLASSES_STEP
    iod = float(np.hypot(*(points["right_iris"] - points["left_iris"])))
    if glasses and iod >= SMALL_FACE:
        framed = {side: frame_brow(gray, xy[list(_BROWS[side]["upper"])], xy[list(_BROWS[side]["lower"])],
                                   xy[eye["outer"]], xy[eye["inner"]], points[f"{side}_iris"][0])
                  for side, eye in _EYES.items()}  # fmt: skip
        if all(f is not None and f["below"] >= FRAME_BELOW for f in framed.values()):  # the mesh's brows on the frame
            for side, f in framed.items():
                points.update({f"{side}_brow_{part}": f[part] for part in ("outer", "middle", "inner")})
    if glasses or iod < SMALL_FACE:  # on, behind or mimicked by the frame, or too few pixels: the learner checks
        confidence.update({n: 0.3 for n in POINT_NAMES if "_brow_" in n})
    shaded = shaded_brow(gray, xy)
    if shaded:  # the hairs' ends fade into the shadow: where they stop is a guess
        confidence.update({f"{shaded}_brow_outer": 0.4, f"{shaded}_brow_inner": 0.4})
        if not glasses:  # and in shadow the hair map's ends stray (below the hair on Glover's): see shaded_brow_ends
            ends = shaded_brow_ends(gray, xy[list(_BROWS[shaded]["upper"])], xy[list(_BROWS[shaded]["lower"])])
            points.update({f"{shaded}_brow_{end}": at for end, at in ends.items()})
    for name, index in _MESH_POINTS.items():
        points[name] = xy[index]
    turn = _head_turn(xy)
    outline = _outline(xy)

    # Confidence: the far side of a turned head, and anything the mesh put outside the photo.
    far = _LEFT_SIDE if turn < 0 else _RIGHT_SIDE
    side_conf = float(np.clip((0.8 - abs(turn)) / 0.4, 0.0, 1.0))
    margin = 1.0
    for name in POINT_NAMES:
        x, y = points[name]
        inside = margin <= x <= width - margin and margin <= y <= height - margin
        value = confidence.get(name, 1.0)
        if name in far:
            value = min(value, side_conf)
        confidence[name] = round(value if inside else min(value, 0.1), 3)

    band = 0.04 * min(size)

    def to_photo(p) -> Point:
        return (_inside(float(p[0]) * scale, size[0], band), _inside(float(p[1]) * scale, size[1], band))

    box = (*(xy.min(axis=0) * scale), *(xy.max(axis=0) * scale))
    landmarks = Landmarks(
        points={name: to_photo(points[name]) for name in POINT_NAMES},
        iris_radius={side: r * scale for side, r in radius.items()},
        face_outline=tuple(to_photo(p) for p in outline),
        width=size[0],
        height=size[1],
        notes="found automatically",
    )
    box = tuple(float(v) for v in np.clip(box, 0, [size[0], size[1], size[0], size[1]]))
    return DetectedFace(landmarks, confidence, box, round(turn, 3), mesh * [scale, scale, scale], glasses)


def face_doubts(face: DetectedFace, boxes) -> tuple[str, ...]:
    """Why the points of ``face`` may not lie on a face, in words for the learner (empty: no doubt).

    Parameters
    ----------
    face : DetectedFace
        A face placed by the mesh.
    boxes : list of (score, (left, top, right, bottom))
        What the face detector found on the same photo, in the same pixels.

    The mesh always draws a face's shape, even over a blurred chest; the
    detector looks at the photo independently. The face is doubtful when no
    detected face matches it (its centre inside the mesh's box, its width
    within a factor of two of it), when the match scores below :data:`SURE`,
    when more than a quarter of the points the mesh saw lie outside the
    detected box (enlarged by half), or when the eyes-to-mouth distance is
    not a face's (:data:`MOUTH_RANGE` interocular distances; only when the
    eyes and the mouth were all seen: a frame may cut the mouth off).

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> face = detect_faces(examples.load_portrait("koch", 512)).faces[0]
    >>> face.doubts, face_doubts(face, [(0.9, face.box)])
    ((), ())
    >>> face_doubts(face, [])
    ('the face finder sees no face where the points are',)
    >>> face_doubts(face, [(0.3, face.box)])
    ('the face finder is only 30 % sure there is a face',)
    """
    doubts = []
    left, top, right, bottom = face.box
    width = max(right - left, 1e-6)
    match = None
    for score, (l, t, r, b) in sorted(boxes, key=lambda item: -item[0]):
        x, y = (l + r) / 2, (t + b) / 2
        if left <= x <= right and top <= y <= bottom and 0.5 <= width / max(r - l, 1e-6) <= 2.0:
            match = score, (l, t, r, b)
            break
    if match is None:
        doubts.append("the face finder sees no face where the points are")
    else:
        score, (l, t, r, b) = match
        if score < SURE:
            doubts.append(f"the face finder is only {score:.0%} sure there is a face".replace("%", " %"))
        grow_x, grow_y = (r - l) / 4, (b - t) / 4
        seen = [face.landmarks.points[n] for n in POINT_NAMES if face.confidence[n] >= CONFIDENT]
        outside = sum(not (l - grow_x <= x <= r + grow_x and t - grow_y <= y <= b + grow_y) for x, y in seen)
        if seen and outside * 4 > len(seen):
            doubts.append(f"{outside} of the points lie outside the face the finder sees")
    points = face.landmarks.points
    eyes = (np.asarray(points["left_iris"]) + points["right_iris"]) / 2
    mouth = (np.asarray(points["mouth_left"]) + points["mouth_right"]) / 2
    spacing = math.dist(points["left_iris"], points["right_iris"])
    seen_all = all(face.confidence[n] >= CONFIDENT for n in ("left_iris", "right_iris", "mouth_left", "mouth_right"))
    if seen_all and spacing and not MOUTH_RANGE[0] <= math.dist(eyes, mouth) / spacing <= MOUTH_RANGE[1]:
        doubts.append("the eyes and the mouth are not spaced as on a face")
    return tuple(doubts)


def fit_limbus(
    gray: np.ndarray, centre, radius: float, upper=None, lower=None, *, reach: float = 0.25, pull: float = 0.5
) -> tuple[np.ndarray, float, float]:
    """Fit the iris circle: the dark disc inside the brighter white of the eye.

    Tries centres within ``reach`` radii of ``centre`` and radii from 0.9 to
    1.15 times ``radius``, scoring each circle by how much brighter the
    picture is just outside it than just inside (the median over the two
    sides of the disc that lids rarely cover, 60 degrees either side of
    horizontal). The score is discounted by ``pull`` times the squared shift
    in units of the reach: on the bundled portraits the mesh's own circle is
    already within 2 px, and an unconstrained fit wanders into shadows and
    pupils (3 px at worst), while this one halves the mesh's radius error and
    its worst centre error. When lid contours are given, centres stay between them.

    Returns
    -------
    (centre, radius, strength)
        ``strength`` is the winning brightness step (0-1 luminance): near 0
        when no limbus stands out.

    Examples
    --------
    >>> yy, xx = np.mgrid[0:40, 0:60] + 0.5
    >>> eye = np.where(np.hypot(xx - 31.0, yy - 20.0) < 6.0, 0.2, 0.9).astype(np.float32)
    >>> centre, r, strength = fit_limbus(eye, (30.0, 20.5), 5.5)
    >>> [round(float(v)) for v in centre], round(r), strength > 0.3
    ([31, 20], 6, True)
    """
    centre = np.asarray(centre, float)
    radius = max(float(radius), 1.5)
    step = max(0.25, radius / 16)
    offsets = np.arange(-reach * radius, reach * radius + 1e-9, step)
    dx, dy = np.meshgrid(offsets, offsets)
    centres = centre + np.column_stack([dx.ravel(), dy.ravel()])
    if upper is not None and lower is not None:
        top, bottom = np.min(np.asarray(upper)[:, 1]), np.max(np.asarray(lower)[:, 1])
        centres = centres[(centres[:, 1] > top) & (centres[:, 1] < bottom)] if bottom > top else centres
        if not len(centres):
            return centre, radius, 0.0
    radii = radius * np.linspace(0.9, 1.15, 6)
    angles = np.deg2rad(np.r_[np.arange(-60, 61, 10), np.arange(120, 241, 10)])
    ring = np.column_stack([np.cos(angles), np.sin(angles)])  # (A, 2)
    band = max(0.75, 0.15 * radius)
    # Sample just inside and just outside every circle: shape (centres, radii, angles).
    base = centres[:, None, None, :]
    inside = _sample(gray, base + (radii[None, :, None, None] - band) * ring[None, None])
    outside = _sample(gray, base + (radii[None, :, None, None] + band) * ring[None, None])
    # The median over angles: a bright reflection or a lash on one side doesn't win.
    contrast = np.median(outside - inside, axis=2)
    # The mesh's circle is good to a pixel or so: a circle far from it must stand out more to win.
    shift = np.hypot(*(centres - centre).T) / (reach * radius)
    score = contrast * (1 - pull * shift[:, None] ** 2)
    best = np.unravel_index(np.argmax(score), score.shape)
    return centres[best[0]], float(radii[best[1]]), float(contrast[best])


def fit_brow(gray: np.ndarray, upper, lower, iris_x: float) -> dict[str, np.ndarray]:
    """Outer end, middle and inner end of a brow, on the centre line of its hair.

    The mesh's two brow contours place the brow as a whole, but its centre line
    runs up to half a brow's thickness from the hair's (on Glover's portrait the
    hair hugs the lower contour), and its ends are not where the hairs stop (the
    outer end between its first two points, the inner one past the hairs on most
    bundled faces). So the hair is measured in the picture:

    1. Around the brow, the hair map: how much darker each pixel is than the
       picture blurred over two brow thicknesses (broad shading drops out, the
       hair band stays), at a scale where the brow is at most 6 px thick.
    2. Across the brow, the centre of that band at each step along the mesh's
       centre line (the darkness-weighted mean within 0.6 thicknesses), smoothed
       into a parabola along the brow: the hair's centre line.
    3. Along that line, the ends: where the band's darkness drops below 0.3
       times its median over the brow's middle, kept within half a thickness
       of where the mesh's contours put the ends on average and averaged with
       that place (an end found alone strays into shadows at the nose and
       into the hairline at the temple).
    4. The middle: the hair's centre line straight above ``iris_x``.

    Parameters
    ----------
    gray : numpy.ndarray
        Luminance 0-1, ``float32``, in the mesh's pixels.
    upper, lower : array-like
        ``(5, 2)``: the mesh's upper and lower brow contours, outer end first.
    iris_x : float
        The iris centre's x on the same side.

    Returns
    -------
    dict
        ``{"outer", "middle", "inner"}``: ``(x, y)`` arrays in ``gray``'s pixels.

    Examples
    --------
    A dark brow from x = 30 to 70 with its centre line at y = 30, and mesh
    contours that run from x = 24 to 76 with their centre line 3 px too high:
    the points move towards the hair (the ends half way, as in step 3).

    >>> yy, xx = np.mgrid[0:60, 0:100] + 0.5
    >>> face = np.where((abs(yy - 30) < 3) & (abs(xx - 50) < 20), 0.3, 0.8).astype(np.float32)
    >>> xs = np.linspace(24, 76, 5)
    >>> brow = fit_brow(face, np.column_stack([xs, np.full(5, 24.0)]), np.column_stack([xs, np.full(5, 30.0)]), 50.0)
    >>> {k: [round(float(v), 1) for v in p] for k, p in brow.items()}
    {'outer': [31.6, 29.0], 'inner': [73.2, 29.0], 'middle': [50.0, 29.0]}
    """
    import cv2  # a dependency of the package; imported here, as only this step needs it

    upper, lower = np.asarray(upper, float), np.asarray(lower, float)
    line = (upper + lower) / 2
    fallback = {**mesh_brow_ends(upper, lower), "middle": np.array([iris_x, _y_at(line, iris_x)])}
    thick = float(np.mean(np.hypot(*(upper - lower).T)))
    height, width = gray.shape
    x0, y0 = np.maximum(np.floor(line.min(axis=0) - 4 * thick).astype(int), 0)
    x1, y1 = np.minimum(np.ceil(line.max(axis=0) + 4 * thick).astype(int), [width, height])
    if thick < 0.5 or x1 - x0 < 8 or y1 - y0 < 8:
        return fallback
    # 1. The hair map, at a scale where the brow is at most 6 px thick (faster, and the same steps fit all sizes).
    factor = min(1.0, 6.0 / thick)
    crop = gray[y0:y1, x0:x1]
    if factor < 1.0:
        crop = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    thick *= factor
    hair = np.maximum(cv2.GaussianBlur(crop, (0, 0), 2 * thick) - cv2.GaussianBlur(crop, (0, 0), max(0.5, 0.15 * thick)), 0)
    # 2. The band's centre across the mesh's line, extended by 0.3 of its length each way.
    step = 0.25
    along, normal, knots = _brow_path((line - [x0, y0]) * factor, 0.3, step)
    offsets = np.arange(-0.6 * thick, 0.6 * thick + 1e-9, step)
    band = _sample(hair, along[:, None] + offsets[None, :, None] * normal[:, None])
    band = _running_mean(band, round(0.5 * thick / step))
    s = np.arange(len(along)) * step
    body = (s >= knots[0]) & (s <= knots[4])
    weight = band**2
    centre = (weight * offsets).sum(axis=1) / np.maximum(weight.sum(axis=1), 1e-12)
    strength = band.max(axis=1)
    if strength[body].sum() <= 0:
        return fallback
    parabola = np.polyfit(s[body], centre[body], 2, w=strength[body] + 1e-9)
    shift = np.clip(np.polyval(parabola, np.clip(s, knots[0], knots[4])), -0.6 * thick, 0.6 * thick)
    path = along + shift[:, None] * normal
    # 3. The ends, where the hair band fades.
    across = np.linspace(-0.3, 0.3, 5) * thick
    dark = _running_mean(_sample(hair, path[:, None] + across[None, :, None] * normal[:, None]).mean(axis=1), round(0.5 * thick / step))
    level = float(np.median(dark[(s >= knots[1]) & (s <= knots[3])]))
    found = {}
    for end, (far, near, part) in {"outer": (0, 1, 0.7), "inner": (4, 3, 0.1)}.items():
        expected = knots[far] + part * (knots[near] - knots[far])
        walk = np.nonzero(s <= knots[2])[0][::-1] if end == "outer" else np.nonzero(s >= knots[2])[0]
        faded = walk[dark[walk] < 0.3 * level]
        stop = s[faded[0]] if len(faded) else s[walk[-1]]
        at = (np.clip(stop, expected - 0.5 * thick, expected + 0.5 * thick) + expected) / 2
        found[end] = path[int(np.clip(round(at / step), 0, len(path) - 1))] / factor + [x0, y0]
    # 4. The middle, above the iris.
    xs, ys = path[:, 0] / factor + x0, path[:, 1] / factor + y0
    order = np.argsort(xs)
    found["middle"] = np.array([iris_x, float(np.interp(iris_x, xs[order], ys[order]))])
    return found


def mesh_brow_ends(upper, lower) -> dict[str, np.ndarray]:
    """Where the mesh's brow contours put a brow's ends, on average over the bundled portraits.

    On the centre line between the two contours: the outer end 0.7 of the way
    from its first point to its second, the inner end 0.1 of the way from its
    last point back to the one before (the mesh's own ends lie beyond the
    hairs on most faces).

    Examples
    --------
    >>> xs = np.linspace(20, 60, 5)
    >>> ends = mesh_brow_ends(np.column_stack([xs, np.full(5, 10.0)]), np.column_stack([xs, np.full(5, 14.0)]))
    >>> {k: [float(v) for v in p] for k, p in ends.items()}
    {'outer': [27.0, 12.0], 'inner': [59.0, 12.0]}
    """
    line = (np.asarray(upper, float) + np.asarray(lower, float)) / 2
    return {"outer": line[0] + 0.7 * (line[1] - line[0]), "inner": line[4] + 0.1 * (line[3] - line[4])}


def shaded_brow_ends(gray: np.ndarray, upper, lower, fade: float = SHADE_FADE) -> dict[str, np.ndarray]:
    """The ends of a brow in shadow: where its band's contrast fades, along the mesh's centre line.

    In shadow the hair map of :func:`fit_brow` is weak and its centre line
    drifts below the hair at the ends (on Glover's right brow 7-9 px), so the
    band is followed on the mesh's own centre line instead:

    1. A strip straightened along that line (lengthened 0.3 of its length at
       both ends), smoothed over 0.2 brow thicknesses.
    2. At each step, the band's contrast: how much the picture within 0.4
       thicknesses of the line differs from it one thickness above AND below,
       in the same sense (darker or lighter than both: sign-agnostic, as
       shaded hair can be either), the largest across, averaged over half a
       thickness along.
    3. From the brow's middle outwards and inwards, the first step where that
       falls under ``fade`` times its median over the brow's middle, kept
       within half a thickness of the mesh's end place
       (:func:`mesh_brow_ends`) and averaged with it, as in :func:`fit_brow`.

    Parameters
    ----------
    gray : numpy.ndarray
        Luminance 0-1, ``float32``, in the mesh's pixels.
    upper, lower : array-like
        ``(5, 2)``: the mesh's upper and lower brow contours, outer end first.
    fade : float
        Share of the middle's contrast under which the band has ended.

    Returns
    -------
    dict
        ``{"outer", "inner"}``: ``(x, y)`` arrays in ``gray``'s pixels.

    Examples
    --------
    A dim brow from x = 30 to 70 on a dark face, and mesh contours from
    x = 24 to 76 (whose ends alone would sit at x = 33.1 and 74.7): the
    ends move towards where the hair stops, at most a quarter thickness.

    >>> face = np.full((60, 100), 0.25, np.float32)
    >>> face[27:33, 30:70] = 0.12
    >>> xs = np.linspace(24, 76, 5)
    >>> ends = shaded_brow_ends(face, np.column_stack([xs, np.full(5, 27.0)]), np.column_stack([xs, np.full(5, 33.0)]))
    >>> {k: [round(float(v), 1) for v in p] for k, p in ends.items()}
    {'outer': [31.8, 30.0], 'inner': [73.2, 30.0]}
    """
    import cv2

    upper, lower = np.asarray(upper, float), np.asarray(lower, float)
    line = (upper + lower) / 2
    thick = max(float(np.mean(np.hypot(*(upper - lower).T))), 1.0)
    lo, hi = line.min(axis=0) - 3 * thick, line.max(axis=0) + 3 * thick
    x0, y0 = int(max(lo[0], 0)), int(max(lo[1], 0))
    x1, y1 = int(min(hi[0], gray.shape[1])), int(min(hi[1], gray.shape[0]))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return mesh_brow_ends(upper, lower)
    # 1. The strip, one row per step of 0.1 thicknesses along the line.
    crop = cv2.GaussianBlur(np.ascontiguousarray(gray[y0:y1, x0:x1]), (0, 0), max(0.5, 0.2 * thick))
    step = 0.1 * thick
    along, normal, knots = _brow_path(line - [x0, y0], 0.3, step)
    offsets = np.linspace(-0.4, 0.4, 9) * thick

    def strip(shift):
        return _sample(crop, along[:, None] + (offsets + shift)[None, :, None] * normal[:, None])

    # 2. The band's contrast against the skin above and below it.
    middle = strip(0.0)
    above, below = strip(-thick) - middle, strip(thick) - middle
    contrast = np.maximum(np.minimum(above, below), np.minimum(-above, -below)).max(axis=1)
    contrast = _running_mean(contrast, 5)
    # 3. The ends, where it fades, near the mesh's places.
    s = np.arange(len(along)) * step
    level = float(np.median(contrast[(s >= knots[1]) & (s <= knots[3])]))
    found = {}
    for end, (far, near, part) in {"outer": (0, 1, 0.7), "inner": (4, 3, 0.1)}.items():
        expected = knots[far] + part * (knots[near] - knots[far])
        walk = np.nonzero(s <= knots[2])[0][::-1] if end == "outer" else np.nonzero(s >= knots[2])[0]
        faded = walk[contrast[walk] < fade * level]
        stop = s[faded[0]] if len(faded) else s[walk[-1]]
        at = (np.clip(stop, expected - 0.5 * thick, expected + 0.5 * thick) + expected) / 2
        found[end] = along[int(np.clip(round(at / step), 0, len(along) - 1))] + [x0, y0]
    return found


def frame_brow(gray: np.ndarray, upper, lower, eye_outer, eye_inner, iris_x: float) -> dict | None:
    """A brow above a glasses frame that the mesh took for it: its points, and the frame's edge.

    Behind glasses the mesh can put a brow on the frame's top (on Hopper's
    portrait 8-19 px below her faint grey brows). Working in a strip along the
    mesh's brow line, at a scale where the brow is at most 6 px thick:

    1. How far below the mesh's line the frame's sharpest edge runs: the
       smoothest path through the largest brightness steps within 1.5 brow
       thicknesses of it (``below``, in thicknesses; :data:`FRAME_BELOW` or
       more when the mesh's brow sits on the frame's top).
    2. The frame's top: at each step along the brow, the highest edge at least
       half as strong as the strongest there, median-filtered (``rim``).
    3. The brow: between 0.5 and 3.3 thicknesses above that top, the band
       darker than both its sides 0.6 thicknesses away (a slope, like the
       shading down the brow ridge to a frame, is no band), followed from end
       to end as the smoothest path through the strongest such valleys, and
       smoothed over 1.5 thicknesses (``line``).
    4. The points on that line: the ends where the six portraits without
       glasses have them along the eye (:data:`BROW_ENDS`), the middle above
       ``iris_x``.

    Parameters
    ----------
    gray : numpy.ndarray
        Luminance 0-1, ``float32``, in the mesh's pixels.
    upper, lower : array-like
        ``(5, 2)``: the mesh's upper and lower brow contours, outer end first.
    eye_outer, eye_inner : array-like
        The eye's corners on the same side.
    iris_x : float
        The iris centre's x on the same side.

    Returns
    -------
    dict or None
        ``{"outer", "middle", "inner"}``: ``(x, y)`` arrays; ``"rim"`` and
        ``"line"``: ``(n, 2)`` polylines of the frame's top and the brow found;
        ``"below"``: float. None when the brow is too near the picture's edge.

    Examples
    --------
    A frame (dark, from y = 45 down) just under the mesh's brow (y = 37 to 43),
    and a faint brow band 10 px above its top (y = 31 to 35):

    >>> face = np.full((90, 120), 0.7, np.float32)
    >>> face[45:55, 10:110] = 0.25
    >>> face[31:35, 25:95] = 0.6
    >>> xs = np.linspace(25, 95, 5)
    >>> upper, lower = np.column_stack([xs, np.full(5, 37.0)]), np.column_stack([xs, np.full(5, 43.0)])
    >>> found = frame_brow(face, upper, lower, (30.0, 60.0), (90.0, 60.0), 60.0)
    >>> found["below"] >= FRAME_BELOW, [round(float(v)) for v in found["middle"]]
    (True, [60, 33])
    """
    import cv2

    upper, lower = np.asarray(upper, float), np.asarray(lower, float)
    line = (upper + lower) / 2
    thick = max(float(np.mean(np.hypot(*(upper - lower).T))), 1.0)
    lo, hi = line.min(axis=0) - 5 * thick, line.max(axis=0) + 5 * thick
    x0, y0 = int(max(lo[0], 0)), int(max(lo[1], 0))
    x1, y1 = int(min(hi[0], gray.shape[1])), int(min(hi[1], gray.shape[0]))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    factor = min(1.0, 6.0 / thick)
    crop = gray[y0:y1, x0:x1]
    if factor < 1.0:
        crop = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    thick *= factor
    pace, step = 1.0, 0.5  # px between columns along the brow, and between samples across it
    along, normal, _ = _brow_path((line - [x0, y0]) * factor, 0.1, pace)
    offsets = np.arange(-4.5 * thick, 1.5 * thick, step)  # across the brow, down the face
    strip = _sample(crop, along[:, None] + offsets[None, :, None] * normal[:, None])
    strip = _running_mean(strip, max(1, round(thick / pace)))  # hair and frame run along, noise doesn't
    strip = cv2.GaussianBlur(strip.astype(np.float32), (0, 0), sigmaX=0.15 * thick / step, sigmaY=0.01)
    rows = np.arange(len(along))
    # 1. The frame's sharpest edge, relative to the mesh's line.
    near = np.abs(offsets) <= 1.5 * thick
    steps = np.zeros((len(along), int(near.sum())), np.float32)
    steps[:, 1:-1] = np.abs(strip[:, near][:, 2:] - strip[:, near][:, :-2])
    below = float(np.median(offsets[near][_ridge_path(steps, 0.01)])) / thick
    # 2. The frame's top: the highest strong edge, median-filtered along the brow.
    span = (offsets >= -thick) & (offsets <= 1.2 * thick)
    slope = np.abs(np.gradient(strip, step, axis=1))[:, span]
    rim = offsets[span][np.argmax(slope >= 0.5 * slope.max(axis=1, keepdims=True), axis=1)]
    n = max(1, round(thick / pace))
    rim = np.median(np.lib.stride_tricks.sliding_window_view(np.pad(rim, n, mode="edge"), 2 * n + 1), axis=1)
    rim = _running_mean(rim, n)
    # 3. The brow: a band darker than both its sides, above the frame's top.
    def across(where):  # the strip at offsets ``where`` (one row per column), linearly interpolated
        index = np.clip((where - offsets[0]) / step, 0, len(offsets) - 1.001)
        low = index.astype(int)
        return strip[rows[:, None], low] * (1 - index + low) + strip[rows[:, None], low + 1] * (index - low)

    grid = np.broadcast_to(offsets, strip.shape)
    above = across(grid - 0.6 * thick)
    under = across(np.minimum(grid + 0.6 * thick, rim[:, None] - 0.15 * thick))
    inside = (grid <= rim[:, None] - 0.5 * thick) & (grid >= rim[:, None] - 3.3 * thick)
    valley = np.where(inside, np.minimum(above, under) - strip, -1.0).astype(np.float32)
    band = _running_mean(offsets[_ridge_path(valley, 0.002)], max(1, round(1.5 * thick / pace)))
    found: dict = {"below": below}
    found["rim"] = (along + rim[:, None] * normal) / factor + [x0, y0]
    found["line"] = path = (along + band[:, None] * normal) / factor + [x0, y0]
    # 4. The points.
    eye_outer, eye_inner = np.asarray(eye_outer, float), np.asarray(eye_inner, float)
    width = max(float(np.hypot(*(eye_inner - eye_outer))), 1e-6)
    at = (path - eye_outer) @ (eye_inner - eye_outer) / width**2  # 0 at the outer corner, 1 at the inner
    for end, where in zip(("outer", "inner"), BROW_ENDS):
        found[end] = path[int(np.argmin(np.abs(at - where)))]
    order = np.argsort(path[:, 0])
    found["middle"] = np.array([iris_x, float(np.interp(iris_x, path[order, 0], path[order, 1]))])
    return found


def _ridge_path(score: np.ndarray, bend: float) -> np.ndarray:
    """The path across ``score``'s rows (one column per row, moving at most one column a row) with the
    largest total score, less ``bend`` for each move: a brow or a frame edge followed from end to end.
    """
    rows, cols = score.shape
    total = score[0].astype(float)
    back = np.zeros((rows, cols), int)
    index = np.arange(cols)
    options = np.full((3, cols), -np.inf)  # coming from the column before, the same one, the one after
    for i in range(1, rows):
        options[0, 1:], options[1], options[2, :-1] = total[:-1] - bend, total, total[1:] - bend
        move = options.argmax(axis=0)
        back[i] = index + move - 1
        total = options[move, index] + score[i]
    path = np.empty(rows, int)
    path[-1] = int(total.argmax())
    for i in range(rows - 1, 0, -1):
        path[i - 1] = back[i, path[i]]
    return path


def shaded_brow(gray: np.ndarray, mesh: np.ndarray) -> str | None:
    """``"left"`` or ``"right"`` if that brow is in shadow, else None.

    Compares the forehead just above each brow (0.8 to 2 brow thicknesses above
    the mesh's centre line): in shadow when its median luminance is below
    :data:`SHADE_RATIO` times the other side's.

    Examples
    --------
    >>> mesh = np.zeros((478, 2))
    >>> for side, x in (("left", 30.0), ("right", 70.0)):
    ...     mesh[list(_BROWS[side]["upper"]), 0] = mesh[list(_BROWS[side]["lower"]), 0] = np.linspace(x - 10, x + 10, 5)
    ...     mesh[list(_BROWS[side]["upper"]), 1], mesh[list(_BROWS[side]["lower"]), 1] = 36.0, 40.0
    >>> face = np.full((60, 100), 0.7, np.float32)
    >>> shaded_brow(face, mesh) is None
    True
    >>> face[:, 50:] = 0.2  # the right half in shadow
    >>> shaded_brow(face, mesh)
    'right'
    """
    xy = np.asarray(mesh, float)[:, :2]
    level = {}
    for side, brow in _BROWS.items():
        upper, lower = xy[list(brow["upper"])], xy[list(brow["lower"])]
        thick = max(float(np.mean(np.hypot(*(upper - lower).T))), 1.0)
        along, normal, _ = _brow_path((upper + lower) / 2, 0.0, 0.5)
        heights = np.linspace(0.8, 2.0, 5) * thick
        level[side] = float(np.median(_sample(gray, along[:, None] - heights[None, :, None] * normal[:, None])))
    dark, light = sorted(level, key=level.get)
    return dark if level[dark] < SHADE_RATIO * level[light] else None


def _brow_path(line: np.ndarray, extend: float, step: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points every ``step`` px along a brow's line, lengthened by ``extend`` of its length at both ends.

    Returns the points, unit normals pointing down the face (towards the eye)
    and where the line's own points fall, in px along the path.
    """
    lengths = np.r_[0, np.cumsum(np.hypot(*np.diff(line, axis=0).T))]
    total = max(float(lengths[-1]), 1e-6)
    first, last = (line[1] - line[0]) / max(lengths[1], 1e-6), (line[-1] - line[-2]) / max(lengths[-1] - lengths[-2], 1e-6)
    ends = np.vstack([line[0] - extend * total * first, line, line[-1] + extend * total * last])
    knots = np.r_[0, np.cumsum(np.hypot(*np.diff(ends, axis=0).T))]
    s = np.arange(0, knots[-1], step)
    path = np.column_stack([np.interp(s, knots, ends[:, i]) for i in (0, 1)])
    tangent = np.gradient(path, axis=0) if len(path) > 1 else np.array([[1.0, 0.0]])
    tangent /= np.maximum(np.hypot(*tangent.T), 1e-12)[:, None]
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
    normal *= np.where(normal[:, 1] < 0, -1.0, 1.0)[:, None]  # down the (upright) face
    return path, normal, knots[1:-1]


def _running_mean(values: np.ndarray, width: int) -> np.ndarray:
    """Mean over ``width`` neighbours along the first axis (the ends held), as brows are smooth."""
    if width <= 1 or len(values) < 2:
        return values
    pad = [(width // 2, width - 1 - width // 2)] + [(0, 0)] * (values.ndim - 1)
    padded = np.pad(values, pad, mode="edge")
    cumulative = np.cumsum(np.concatenate([np.zeros_like(padded[:1]), padded]), axis=0)
    return (cumulative[width:] - cumulative[:-width]) / width


def glasses_bridge(image: np.ndarray, mesh: np.ndarray) -> float:
    """How strongly a glasses frame's bridge crosses the nose: near 0 on bare skin.

    The largest change in brightness (any colour channel, 0-1) across 0.04
    interocular distances (and at least 2 px), going down a strip of the
    nose between the eyes from the height of the brows' inner ends to that
    of the inner eye corners. Skin there changes slowly; a bridge, metal or
    plastic, has edges across the nose. Measured over a fraction of the
    face, not per pixel, so a small face gives about the same figure as a
    large one, and over at least 2 px, the width of an edge once a photo
    is resampled. Above :data:`GLASSES_STEP` the face wears glasses.

    Parameters
    ----------
    image : numpy.ndarray
        The photo, RGB ``uint8`` or luminance 0-1, in the mesh's pixels.
    mesh : numpy.ndarray
        ``(478, 2 or 3)`` FaceMesh points.

    Examples
    --------
    >>> mesh = np.zeros((478, 2))
    >>> mesh[[33, 133, 362, 263], 0], mesh[[33, 133, 362, 263], 1] = [20, 40, 60, 80], 50
    >>> mesh[468], mesh[473], mesh[107], mesh[336] = (30, 50), (70, 50), (42, 30), (58, 30)
    >>> skin = np.full((100, 100), 0.6, np.float32)
    >>> framed = skin.copy(); framed[40:43] = 0.1  # a dark bar across the nose
    >>> round(glasses_bridge(skin, mesh), 2), round(glasses_bridge(framed, mesh), 2)
    (0.0, 0.5)
    """
    xy = np.asarray(mesh, float)[:, :2]
    iod = float(np.hypot(*(xy[473] - xy[468])))
    axis = (xy[263] - xy[33]) / max(float(np.hypot(*(xy[263] - xy[33]))), 1e-9)
    down = np.array([-axis[1], axis[0]])
    corners = (xy[133] + xy[362]) / 2
    top = float(((xy[107] + xy[336]) / 2 - corners) @ down)  # the brows' inner ends, above the corners
    step = 0.25
    lag = max(1, round(max(0.04 * iod, 2.0) / step))  # at least 2 px: the width of an edge once resampled
    offsets = np.arange(min(top, -1.0), lag * step, step)
    across = np.linspace(-0.08, 0.08, 9) * iod
    where = corners + offsets[:, None, None] * down + across[None, :, None] * axis
    planes = [image] if image.ndim == 2 else [image[..., c] for c in range(image.shape[2])]
    profiles = [_sample(plane, where).mean(axis=1) for plane in planes]
    change = max(float(np.abs(p[lag:] - p[:-lag]).max()) for p in profiles)
    return change / (255 if image.dtype == np.uint8 else 1)


def _sample(gray: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Bilinear samples of ``gray`` at pixel coordinates ``xy`` (..., 2); centres at +0.5."""
    height, width = gray.shape
    x = np.clip(xy[..., 0] - 0.5, 0, width - 1.001)
    y = np.clip(xy[..., 1] - 0.5, 0, height - 1.001)
    x0, y0 = x.astype(int), y.astype(int)
    fx, fy = x - x0, y - y0
    top = gray[y0, x0] * (1 - fx) + gray[y0, x0 + 1] * fx
    bottom = gray[y0 + 1, x0] * (1 - fx) + gray[y0 + 1, x0 + 1] * fx
    return top * (1 - fy) + bottom * fy


def _inside(value: float, size: float, band: float) -> float:
    """``value`` if inside 0..size; else pulled into a band along the edge, keeping the order.

    A point the frame cuts off lands inside the photo where the learner can
    grab it, the farther out the nearer the edge, so lips and chin stay in order.

    Examples
    --------
    >>> _inside(50.0, 100, 4), round(_inside(110.0, 100, 4), 2), round(_inside(130.0, 100, 4), 2)
    (50.0, 97.86, 99.39)
    """
    if value > size:
        return size - band * math.exp(-(value - size) / (4 * band))
    if value < 0:
        return band * math.exp(value / (4 * band))
    return value


def _y_at(polyline: np.ndarray, x: float) -> float:
    """The polyline's height at ``x`` (its points sorted by x, the ends held beyond them)."""
    order = np.argsort(polyline[:, 0])
    return float(np.interp(x, polyline[order, 0], polyline[order, 1]))


def _quarter_turns(mesh: np.ndarray) -> int:
    """Quarter turns counter-clockwise (as :func:`numpy.rot90` counts) that make the eye line level."""
    dx, dy = mesh[263, :2] - mesh[33, :2]  # from the picture's left eye corner to the right one
    return round(math.degrees(math.atan2(dy, dx)) / 90) % 4


def _mesh_area(mesh: np.ndarray) -> float:
    extent = mesh[:, :2].max(axis=0) - mesh[:, :2].min(axis=0)
    return float(extent[0] * extent[1])


def _head_turn(xy: np.ndarray) -> float:
    """-1..1: where the nose tip sits between the outer eye corners, 0 in the middle."""
    left, right, nose = xy[33], xy[263], xy[4]
    axis = right - left
    length = float(np.hypot(*axis))
    if length == 0:
        return 0.0
    along = float(np.dot(nose - left, axis) / length**2)  # 0 at the left corner, 1 at the right
    return float(np.clip(2 * along - 1, -1, 1))


def _outline(xy: np.ndarray) -> np.ndarray:
    """The face oval from eye-corner height on the left, round the chin, to the right."""
    oval = xy[list(_OVAL)]
    axis = xy[263] - xy[33]
    down = np.array([-axis[1], axis[0]]) / max(float(np.hypot(*axis)), 1e-9)
    depth = (oval - xy[33]) @ down, (oval - xy[263]) @ down  # below each eye's outer corner
    chin = _OVAL.index(152)
    start = _crossing(oval[: chin + 1], depth[0][: chin + 1])
    end = _crossing(oval[chin:][::-1], depth[1][chin:][::-1])[::-1]
    return _resample(np.vstack([start, end[1:]]), OUTLINE_POINTS)


def _crossing(path: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """The part of ``path`` (ending at the chin) below depth 0, starting exactly at 0."""
    above = np.nonzero(depth < 0)[0]
    if not len(above):
        return path
    i = above[-1]
    if i + 1 >= len(path):
        return path[-1:]
    t = depth[i] / (depth[i] - depth[i + 1])
    return np.vstack([path[i] + t * (path[i + 1] - path[i]), path[i + 1 :]])


def _resample(polyline: np.ndarray, count: int) -> np.ndarray:
    """``count`` points evenly spaced along a polyline, ends included."""
    lengths = np.r_[0, np.cumsum(np.hypot(*np.diff(polyline, axis=0).T))]
    at = np.linspace(0, lengths[-1], count)
    return np.column_stack([np.interp(at, lengths, polyline[:, i]) for i in (0, 1)])


def _gray(image: np.ndarray) -> np.ndarray:
    return (image.astype(np.float32) @ np.float32([0.299, 0.587, 0.114])) / 255


# --- the model -------------------------------------------------------------------------
_lock = threading.Lock()  # one FaceMesh graph, used by one caller at a time


@lru_cache(maxsize=1)
def _face_mesh_module():
    from mediapipe.python.solutions import face_mesh  # the faces extra; ImportError without it

    return face_mesh


@lru_cache(maxsize=1)
def _mesh_model():
    with _quiet_stderr():
        model = _face_mesh_module().FaceMesh(
            static_image_mode=True, max_num_faces=MAX_FACES, refine_landmarks=True, min_detection_confidence=0.5
        )
        from .. import examples  # here: only this first run needs a face

        model.process(np.ascontiguousarray(examples.load_portrait("koch", 256)))  # the first run with a face logs too
    return model


@contextlib.contextmanager
def _quiet_stderr():
    """Silence the C++ log lines the model prints while it loads (a notebook would show them)."""
    try:
        saved = os.dup(2)
    except OSError:  # no standard error to silence
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def warm_up() -> None:
    """Load the models now (about 2 s the first time) so the first photo is fast."""
    _run_mesh(np.zeros((64, 64, 3), np.uint8))
    _run_detector(np.zeros((64, 64, 3), np.uint8))


@lru_cache(maxsize=1)
def _detector_model():
    from mediapipe.python.solutions import face_detection  # the faces extra; ImportError without it

    with _quiet_stderr():
        # The full-range model: faces up to about 5 m away, small in the frame (a group, a wide shot).
        model = face_detection.FaceDetection(model_selection=1, min_detection_confidence=0.2)
        from .. import examples  # here: only this first run needs a face

        model.process(np.ascontiguousarray(examples.load_portrait("koch", 256)))  # its first run logs to stderr too
    return model


def _run_detector(image: np.ndarray) -> list[tuple[float, tuple[float, float, float, float]]]:
    """The face detector's faces on ``image``: (score 0-1, (left, top, right, bottom) in pixels) each."""
    height, width = image.shape[:2]
    with _lock:
        result = _detector_model().process(np.ascontiguousarray(image))
    found = []
    for detection in result.detections or []:
        box = detection.location_data.relative_bounding_box
        found.append((float(detection.score[0]), (box.xmin * width, box.ymin * height,
                                                  (box.xmin + box.width) * width, (box.ymin + box.height) * height)))  # fmt: skip
    return found


def _run_mesh(image: np.ndarray) -> list[np.ndarray]:
    """MediaPipe's meshes on ``image``: one ``(478, 3)`` array in pixels per face."""
    height, width = image.shape[:2]
    with _lock:
        result = _mesh_model().process(np.ascontiguousarray(image))
    found = result.multi_face_landmarks or []
    return [np.array([(p.x * width, p.y * height, p.z * width) for p in face.landmark]) for face in found]
