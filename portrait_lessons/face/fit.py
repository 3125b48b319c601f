"""Landmarks for a learner's own photo: a first guess, checks, and saving.

The face-edit lessons need the 22 named points of :mod:`portrait_lessons.face.landmarks`
on the learner's own photo. No face-detection model ships with the workbook
(nothing may be downloaded), so the points start from a *template*: the mean
face of the bundled portraits, placed by a cheap estimate of where the face is.
The learner then drags each point onto its feature; :func:`validate_points`
says in plain words what still looks wrong, and :func:`save_with_landmarks`
keeps the result in a sidecar file beside a copy of the photo.

What :func:`fit_template` does: on a 256-pixel copy of the photo it scores
every eye position and face size near where a head-and-shoulders portrait has
them (within about a fifth of the width and a sixth of the height, from half
to twice the usual size) by two cues: the cheeks should be more skin-coloured
than the bands beside the face, and the eyes darker than the cheeks and the
bridge of the nose. The skin colour model and the usual face position are
learnt from the bundled portraits. What it does not do: find the eyes, mouth
or head tilt precisely; find a face far from the centre, a profile, or one of
several faces; use colour on a black-and-white photo (there the eye cue and
the prior alone place it); or know skin tones and lighting beyond the range of
the bundled portraits. On those, leaving each one out in turn, the guess is a
median 0.3 eye distances from the true points and at worst about 1.4 (dark,
low-key lighting, where it sits too high). Expect to drag the two iris
centres, then adjust the rest.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from os import PathLike
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from ..images import load_image, preview, save_image
from .landmarks import POINT_NAMES, LandmarkError, Landmarks, Point, load_landmarks

__all__ = [
    "MIN_EYE_DISTANCE",
    "POINT_HINTS",
    "POINT_LABELS",
    "Template",
    "build_template",
    "default_template",
    "fit_template",
    "landmarks_from_points",
    "load_with_landmarks",
    "point_hint",
    "save_with_landmarks",
    "saved_photos",
    "template_on_eyes",
    "validate_points",
]

#: Each point's name in plain words, for lists and messages.
POINT_LABELS: dict[str, str] = {
    "left_eye_outer": "left eye, outer corner",
    "left_eye_inner": "left eye, inner corner",
    "left_iris": "left eye, iris centre",
    "left_upper_lid": "left eye, upper lid",
    "left_lower_lid": "left eye, lower lid",
    "right_eye_inner": "right eye, inner corner",
    "right_eye_outer": "right eye, outer corner",
    "right_iris": "right eye, iris centre",
    "right_upper_lid": "right eye, upper lid",
    "right_lower_lid": "right eye, lower lid",
    "left_brow_outer": "left brow, outer end",
    "left_brow_middle": "left brow, middle",
    "left_brow_inner": "left brow, inner end",
    "right_brow_inner": "right brow, inner end",
    "right_brow_middle": "right brow, middle",
    "right_brow_outer": "right brow, outer end",
    "nose_tip": "nose tip",
    "mouth_left": "mouth, left corner",
    "mouth_right": "mouth, right corner",
    "upper_lip": "upper lip, top edge",
    "lower_lip": "lower lip, bottom edge",
    "chin": "chin, lowest point",
}

#: Where each kind of point goes, in a sentence (``images/LANDMARKS.md`` has the detail).
POINT_HINTS: dict[str, str] = {
    "eye_outer": "where the upper and lower lids meet, on the side towards the ear",
    "eye_inner": "where the upper and lower lids meet, on the side towards the nose",
    "iris": "the centre of the coloured disc of the eye",
    "upper_lid": "the edge of the upper lid, straight above the iris centre",
    "lower_lid": "the edge of the lower lid, straight below the iris centre",
    "brow_outer": "the outer end of the eyebrow, on the middle of the hair",
    "brow_middle": "the eyebrow's arch, above the iris",
    "brow_inner": "the inner end of the eyebrow, near the nose",
    "nose_tip": "the most forward point of the nose (not the nostrils)",
    "mouth_left": "the corner of the mouth, where the lips meet",
    "mouth_right": "the corner of the mouth, where the lips meet",
    "upper_lip": "the top edge of the upper lip, in the dip of the cupid's bow",
    "lower_lip": "the bottom edge of the lower lip, in the middle",
    "chin": "the lowest point of the chin's outline",
}


def point_hint(name: str) -> str:
    """Where the point ``name`` goes, in a sentence.

    Examples
    --------
    >>> point_hint("left_iris")
    'the centre of the coloured disc of the eye'
    """
    return POINT_HINTS.get(name) or POINT_HINTS[name.split("_", 1)[1]]


#: Smallest distance between the iris centres, in pixels of the image the points
#: are on, for which the face edits can work (smaller faces have eyes of a few pixels).
MIN_EYE_DISTANCE = 12.0

OUTLINE_POINTS = 13  # the template's face outline, resampled evenly
DETECT_EDGE = 256  # long edge of the copy the face search runs on
_SIDECAR_SUFFIX = ".landmarks.json"
SEARCH = (0.18, 0.15)  # how far from the usual eye position the search goes, as fractions of width and height
SIZES = (0.55, 2.0)  # smallest and largest face searched, relative to the usual size


@dataclass(frozen=True)
class Template:
    """A mean face, and where faces sit in a head-and-shoulders portrait.

    Coordinates are in an *eye frame*: the midpoint between the two eye
    centres (each the middle of its two corners) is the origin, the right eye
    centre is at (0.5, 0), x runs right and y down, so one unit is the
    distance between the eyes.

    Parameters
    ----------
    points : mapping of str to (x, y)
        The 22 named points in the eye frame.
    outline : tuple of (x, y)
        :data:`OUTLINE_POINTS` face-outline points in the eye frame.
    iris_ratio : float
        Iris radius divided by the width of the eye (corner to corner).
    eyes_at : (float, float)
        Typical position of the eye midpoint as fractions of image width and height.
    eye_span : float
        Typical eye distance as a fraction of the image's width.
    skin_mean, skin_inverse_cov : numpy.ndarray
        Gaussian model of skin chromaticity (r, g) = (R, G) / (R + G + B),
        or None when no colour photo was given.
    """

    points: Mapping[str, Point]
    outline: tuple[Point, ...]
    iris_ratio: float
    eyes_at: tuple[float, float]
    eye_span: float
    skin_mean: np.ndarray | None = None
    skin_inverse_cov: np.ndarray | None = None

    def place(self, centre: Point, scale: float, angle: float = 0.0) -> tuple[dict[str, Point], list[Point]]:
        """The template's points and outline with the eye midpoint at ``centre``.

        ``scale`` is the eye distance in pixels and ``angle`` a clockwise
        roll in degrees (y points down).
        """
        c, s = math.cos(math.radians(angle)) * scale, math.sin(math.radians(angle)) * scale

        def to_image(x: float, y: float) -> Point:
            return (centre[0] + c * x - s * y, centre[1] + s * x + c * y)

        return {name: to_image(*xy) for name, xy in self.points.items()}, [to_image(*xy) for xy in self.outline]


def build_template(samples: Iterable[tuple[np.ndarray | None, Landmarks]]) -> Template:
    """Average landmark sets into a :class:`Template`.

    Parameters
    ----------
    samples : iterable of (image or None, Landmarks)
        Each face's landmarks and, if given, its RGB picture at the landmarks'
        size (only colour pictures feed the skin model).

    Returns
    -------
    Template

    Examples
    --------
    >>> from portrait_lessons.face.landmarks import example_dict
    >>> t = build_template([(None, Landmarks.from_dict(example_dict()))])
    >>> [round(v, 3) for v in t.points["right_iris"]]
    [0.5, 0.0]
    """
    frames, outlines, ratios, eyes_at, spans, chroma = [], [], [], [], [], []
    for image, landmarks in samples:
        to_frame, centre, span = _eye_frame(landmarks.points)
        frames.append(np.array([to_frame(landmarks.points[n]) for n in POINT_NAMES]))
        outline = _resample(np.asarray(landmarks.face_outline, float), OUTLINE_POINTS)
        outlines.append(np.array([to_frame(p) for p in outline]))
        p = landmarks.points
        for side, outer, inner in (("left", "left_eye_outer", "left_eye_inner"),
                                   ("right", "right_eye_outer", "right_eye_inner")):  # fmt: skip
            ratios.append(landmarks.iris_radius[side] / math.dist(p[outer], p[inner]))
        eyes_at.append((centre[0] / landmarks.width, centre[1] / landmarks.height))
        spans.append(span / landmarks.width)
        if image is not None and not _is_grey(image):
            chroma.append(_chromaticity(image[_face_mask(landmarks)]))
    if not frames:
        raise ValueError("build_template needs at least one landmark set.")
    # Average each face with its mirror image: a frontal starting guess, not a turned head.
    mirror = [POINT_NAMES.index(_mirror_name(name)) for name in POINT_NAMES]
    mean = np.mean(frames, axis=0)
    mean = (mean + mean[mirror] * [-1, 1]) / 2
    outline_mean = np.mean(outlines, axis=0)
    outline_mean = (outline_mean + outline_mean[::-1] * [-1, 1]) / 2
    skin_mean = skin_inverse_cov = None
    if chroma:
        pixels = np.concatenate(chroma)
        skin_mean = pixels.mean(axis=0)
        # Widen the spread a little: eight faces don't cover every skin and light.
        skin_inverse_cov = np.linalg.inv(np.cov(pixels.T) * 1.5 + np.eye(2) * 1e-5)
    return Template(
        points={name: (float(x), float(y)) for name, (x, y) in zip(POINT_NAMES, mean)},
        outline=tuple((float(x), float(y)) for x, y in outline_mean),
        iris_ratio=float(np.mean(ratios)),
        eyes_at=tuple(float(v) for v in np.mean(eyes_at, axis=0)),
        eye_span=float(np.exp(np.mean(np.log(spans)))),
        skin_mean=skin_mean,
        skin_inverse_cov=skin_inverse_cov,
    )


@lru_cache(maxsize=1)
def default_template() -> Template:
    """The template of all bundled portraits (computed once, then cached)."""
    from .. import examples  # here, not at the top: examples is only needed for this

    return build_template(
        (examples.load_portrait(name, DETECT_EDGE), examples.portrait_landmarks(name, DETECT_EDGE))
        for name in examples.names()
    )


def fit_template(image: np.ndarray, template: Template | None = None) -> Landmarks:
    """A first guess of the landmarks on ``image``, for the learner to correct.

    Finds the face as the box with the most skin colour inside and the least
    beside it (see the module notes for what this can and cannot do), then
    places the template there. On a black-and-white photo, or when no box
    stands out, the template goes where faces usually sit in a
    head-and-shoulders portrait.

    Parameters
    ----------
    image : numpy.ndarray
        RGB ``uint8`` array of shape ``(height, width, 3)``.
    template : Template, optional
        Defaults to :func:`default_template`.

    Returns
    -------
    Landmarks
        In the pixel coordinates of ``image``, every point inside it.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo = examples.load_portrait("koch", 512)
    >>> guess = fit_template(photo)
    >>> (guess.width, guess.height), guess.problems()
    ((384, 512), [])
    """
    template = template or default_template()
    height, width = image.shape[:2]
    centre, scale = _find_face(image, template)
    centre, scale = _clamp_placement(centre, scale, template, width, height)
    points, _ = template.place(centre, scale)
    return landmarks_from_points(points, width, height, template)


def template_on_eyes(left_iris: Point, right_iris: Point, template: Template | None = None) -> dict[str, Point]:
    """The template's 22 points placed so that its iris centres land on these two.

    Moving, scaling and turning the template to two points fixes it completely,
    so once a learner has put both iris centres in place, every other point is
    a good start too.

    Examples
    --------
    >>> points = template_on_eyes((40.0, 50.0), (80.0, 50.0))
    >>> [round(v, 1) for v in points["right_iris"]]
    [80.0, 50.0]
    >>> points["chin"][1] > points["nose_tip"][1] > 50
    True
    """
    template = template or default_template()
    a, b = complex(*template.points["left_iris"]), complex(*template.points["right_iris"])
    target_a, target_b = complex(*left_iris), complex(*right_iris)
    if target_a == target_b:
        raise ValueError("The two iris centres are on the same spot; move one onto the other eye.")
    turn = (target_b - target_a) / (b - a)
    placed = {name: target_a + (complex(*xy) - a) * turn for name, xy in template.points.items()}
    return {name: (z.real, z.imag) for name, z in placed.items()}


def landmarks_from_points(
    points: Mapping[str, Point], width: int, height: int, template: Template | None = None
) -> Landmarks:
    """Complete 22 points into :class:`Landmarks`: iris radii and face outline.

    The learner places only the named points. The outline is the template's,
    carried over by the affine map that best fits the template's points to
    these (so it follows the face's size, position and tilt) and kept inside
    the image; each iris radius is the template's share of that eye's width.
    Nothing is validated here: see :func:`validate_points`.

    Examples
    --------
    >>> from portrait_lessons.face.landmarks import example_dict
    >>> data = example_dict()
    >>> lm = landmarks_from_points(data["points"], 80, 100)
    >>> len(lm.face_outline), lm.problems()
    (13, [])
    """
    template = template or default_template()
    points = {name: (float(points[name][0]), float(points[name][1])) for name in POINT_NAMES}
    source = np.array([template.points[n] for n in POINT_NAMES])
    target = np.array([points[n] for n in POINT_NAMES])
    design = np.column_stack([source, np.ones(len(source))])
    affine, *_ = np.linalg.lstsq(design, target, rcond=None)
    outline = np.column_stack([np.asarray(template.outline), np.ones(len(template.outline))]) @ affine
    outline = np.clip(outline, 0, [width, height])
    radius = {
        side: template.iris_ratio * math.dist(points[f"{side}_eye_outer"], points[f"{side}_eye_inner"])
        for side in ("left", "right")
    }
    return Landmarks(
        points, radius, tuple((float(x), float(y)) for x, y in outline), int(width), int(height),
        notes="Template fitted automatically, then placed by hand with the landmark picker.",
    )  # fmt: skip


def validate_points(points: Mapping[str, Point], width: int, height: int) -> list[str]:
    """Plain-words reasons why these points can't be used yet; empty when fine.

    Runs every check of :meth:`Landmarks.problems` (inside the photo, eye
    corners left to right, lids, nose between eyes and mouth, lips above the
    chin) and adds the ones a learner dragging points can trip: each iris
    between its eye's corners, brows above the eyes, lips below the nose and
    between the mouth corners, and a face big enough to edit.

    Parameters
    ----------
    points : mapping of str to (x, y)
        The 22 named points, in pixels of a ``width`` x ``height`` image.

    Returns
    -------
    list of str
        One sentence per problem, naming points as :data:`POINT_LABELS` does.

    Examples
    --------
    >>> from portrait_lessons.face.landmarks import example_dict
    >>> points = example_dict()["points"]
    >>> validate_points(points, 80, 100)
    []
    >>> validate_points(points | {"nose_tip": [40, 80]}, 80, 100)[0]
    'The nose tip should be below the eyes and above the mouth.'
    """
    missing = [POINT_LABELS[n] for n in POINT_NAMES if n not in points]
    if missing:
        return ["Some points are missing: " + ", ".join(missing) + "."]
    p = {name: (float(points[name][0]), float(points[name][1])) for name in POINT_NAMES}
    found = [_plain(problem) for problem in landmarks_from_points(p, width, height).problems()]
    for side in ("left", "right"):
        outer, inner, iris = p[f"{side}_eye_outer"][0], p[f"{side}_eye_inner"][0], p[f"{side}_iris"][0]
        if not min(outer, inner) < iris < max(outer, inner):
            found.append(f"The {side} iris centre should sit between the corners of the {side} eye.")
        brow_y = max(p[f"{side}_brow_{part}"][1] for part in ("outer", "middle", "inner"))
        if not brow_y < p[f"{side}_upper_lid"][1]:
            found.append(f"The {side} eyebrow should be above the {side} eye's upper lid.")
    if not p["nose_tip"][1] < p["upper_lip"][1]:
        found.append("The upper lip should be below the nose tip.")
    if not p["mouth_left"][0] < p["upper_lip"][0] < p["mouth_right"][0]:
        found.append("The lip points should sit between the two mouth corners.")
    eye_distance = math.dist(p["left_iris"], p["right_iris"])
    if eye_distance < MIN_EYE_DISTANCE:
        found.append(
            f"The eyes are only {eye_distance:.0f} px apart: the face is too small to edit. "
            "Use a photo where the face fills more of the picture, or crop it first."
        )
    return found


def save_with_landmarks(
    image: np.ndarray, landmarks: Landmarks, folder: str | PathLike = "my_photos", name: str = "my-photo"
) -> tuple[Path, Path]:
    """Save a copy of the photo with its landmarks in a sidecar file beside it.

    The copy is a new JPEG (quality 95) in ``folder``, made with
    :func:`~portrait_lessons.images.save_image`, so no file is ever
    overwritten and the original photo is never touched. The sidecar
    ``NAME.landmarks.json`` has the format of the bundled ones
    (``images/LANDMARKS.md``), scaled to the copy's size.

    Parameters
    ----------
    image : numpy.ndarray
        The photo, RGB ``uint8``, at any size with the landmarks' aspect ratio.
    landmarks : Landmarks
        Valid points on ``image`` or on a resized copy of it.
    folder : str or path-like
        Created if missing.
    name : str
        Stem for the copy; characters other than letters, digits, ``-`` and
        ``_`` are replaced. Taken names get ``-1``, ``-2``, ...

    Returns
    -------
    (pathlib.Path, pathlib.Path)
        The photo copy and its sidecar.

    Raises
    ------
    LandmarkError
        If the landmarks have problems or don't fit the photo's shape.

    Examples
    --------
    >>> import tempfile
    >>> from portrait_lessons import examples
    >>> photo, points = examples.load_portrait("koch", 256), examples.portrait_landmarks("koch", 256)
    >>> folder = tempfile.mkdtemp()
    >>> copy, sidecar = save_with_landmarks(photo, points, folder, "koch")
    >>> copy.name, sidecar.name
    ('koch.jpg', 'koch.landmarks.json')
    >>> save_with_landmarks(photo, points, folder, "koch")[0].name
    'koch-1.jpg'
    """
    landmarks = _landmarks_for(image, landmarks)
    problems = landmarks.problems()
    if problems:
        raise LandmarkError("These points can't be saved yet: " + " ".join(problems))
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(str(name)).stem).strip("-")[:60] or "my-photo"
    for number in range(1000):
        candidate = folder / (f"{stem}.jpg" if number == 0 else f"{stem}-{number}.jpg")
        if candidate.exists() or _sidecar(candidate).exists():
            continue
        copy = save_image(image, candidate, quality=95)
        data = landmarks.to_dict() | {"image": copy.name}
        try:
            return copy, _write_new(_sidecar(copy), json.dumps(data, indent=1) + "\n")
        except FileExistsError:  # a sidecar appeared meanwhile: drop our copy, try the next name
            copy.unlink()
    raise FileExistsError(f"Too many saved photos called {stem!r} in {folder}; choose another name.")


def load_with_landmarks(path: str | PathLike) -> tuple[np.ndarray, Landmarks]:
    """Read a photo and its landmark sidecar, as :func:`save_with_landmarks` wrote them.

    Raises
    ------
    ImageLoadError
        If the photo can't be read.
    LandmarkError
        If the sidecar is missing, broken, or made for a picture of another size.
    """
    path = Path(path)
    image = load_image(path)
    sidecar = _sidecar(path)
    if not sidecar.exists():
        raise LandmarkError(f"{path.name} has no landmark file beside it ({sidecar.name}); place the points again.")
    landmarks = load_landmarks(sidecar)
    height, width = image.shape[:2]
    if (landmarks.width, landmarks.height) != (width, height):
        raise LandmarkError(
            f"{sidecar.name} is for a {landmarks.width} x {landmarks.height} picture, but {path.name} is "
            f"{width} x {height}; place the points again."
        )
    return image, landmarks


def saved_photos(folder: str | PathLike = "my_photos") -> list[Path]:
    """Photos in ``folder`` that have a landmark sidecar, oldest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob("*.jpg") if _sidecar(p).exists()]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


# --- the face search --------------------------------------------------------------


def _find_face(image: np.ndarray, template: Template) -> tuple[Point, float]:
    """Eye midpoint and eye distance (pixels of ``image``) of the likeliest face."""
    height, width = image.shape[:2]
    prior = ((template.eyes_at[0] * width, template.eyes_at[1] * height), template.eye_span * width)
    small = preview(image, DETECT_EDGE)
    factor = width / small.shape[1]
    colour = template.skin_mean is not None and not _is_grey(small)
    best = _best_box(small, _skin_likelihood(small, template) if colour else None, template)
    if best is None:
        return prior
    (x, y), span = best
    return (x * factor, y * factor), span * factor


def _skin_likelihood(image: np.ndarray, template: Template) -> np.ndarray:
    """0-1 per pixel: how much its colour looks like the template's skin."""
    pixels = image.reshape(-1, 3).astype(np.float32)
    delta = _chromaticity(pixels) - template.skin_mean
    distance = np.einsum("ij,jk,ik->i", delta, template.skin_inverse_cov, delta)
    likelihood = np.exp(-0.5 * np.minimum(distance, 50))
    likelihood[pixels.sum(axis=1) < 60] = 0  # near-black pixels carry no reliable colour
    return likelihood.reshape(image.shape[:2])


def _best_box(image: np.ndarray, skin: np.ndarray | None, template: Template) -> tuple[Point, float] | None:
    """Search eye positions and sizes for the likeliest face.

    Two cues, each a difference of box means taken from summed-area tables,
    so every position of one size costs a few array operations:

    - skin (colour photos): the cheeks, from eye to mouth level, should be
      more skin-coloured than bands just beyond the face outline on both sides
      (hair or background in a portrait);
    - eyes: the two eye boxes should be darker than the cheeks below them and
      the bridge of the nose between them.

    A weak head-and-shoulders prior breaks ties.
    """
    height, width = image.shape[:2]
    luma = np.pad(image.astype(np.float32) @ np.float32([0.299, 0.587, 0.114]) / 255, ((1, 0), (1, 0)))
    luma = luma.cumsum(0).cumsum(1)
    skin_table = None if skin is None else np.pad(skin, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    outline = np.asarray(template.outline)
    half_face = (outline[:, 0].max() - outline[:, 0].min()) / 2
    mouth = template.points["upper_lip"][1]
    boxes = {  # (x0, x1, y0, y1) in the eye frame
        "cheeks": (-0.75 * half_face, 0.75 * half_face, -0.1, mouth),
        "left_band": (-1.7 * half_face, -1.2 * half_face, -0.1, mouth),
        "right_band": (1.2 * half_face, 1.7 * half_face, -0.1, mouth),
        "left_eye": (-0.72, -0.28, -0.1, 0.08),
        "right_eye": (0.28, 0.72, -0.1, 0.08),
        "left_cheek": (-0.72, -0.28, 0.3, 0.55),
        "right_cheek": (0.28, 0.72, 0.3, 0.55),
        "bridge": (-0.12, 0.12, -0.1, 0.08),
    }
    reach = np.array([[b[0], b[1], b[2], b[3]] for b in boxes.values()])
    best, best_score = None, 0.1  # below this nothing looks like a face
    ex, ey = template.eyes_at
    for span in np.geomspace(SIZES[0], SIZES[1], 16) * template.eye_span * width:
        offsets = {name: np.round(np.array(b) * span).astype(int) for name, b in boxes.items()}
        left, right = -int(np.floor(reach[:, 0].min() * span)), int(np.ceil(reach[:, 1].max() * span))
        top, bottom = -int(np.floor(reach[:, 2].min() * span)), int(np.ceil(reach[:, 3].max() * span))
        # Only near where a head-and-shoulders portrait puts the eyes, and where every box fits.
        xs = np.arange(
            max(left, math.ceil((ex - SEARCH[0]) * width)), min(width - right - 1, int((ex + SEARCH[0]) * width))
        )
        ys = np.arange(
            max(top, math.ceil((ey - SEARCH[1]) * height)), min(height - bottom - 1, int((ey + SEARCH[1]) * height))
        )
        if len(xs) < 1 or len(ys) < 1:
            continue

        def mean(table, name):
            x0, x1, y0, y1 = offsets[name]
            return _box_means(table, ys + y0, ys + y1, xs + x0, xs + x1)

        eyes = (mean(luma, "left_eye") + mean(luma, "right_eye")) / 2
        around = (mean(luma, "left_cheek") + mean(luma, "right_cheek") + mean(luma, "bridge")) / 3
        score = around - eyes
        if skin_table is not None:
            beside = np.maximum(mean(skin_table, "left_band"), mean(skin_table, "right_band"))
            score = score + 2 * (mean(skin_table, "cheeks") - beside)  # the stronger cue: weighed double
        prior = ((xs[None, :] / width - ex) / 0.35) ** 2 + ((ys[:, None] / height - ey) / 0.35) ** 2
        score = score - 0.05 * prior - 0.05 * np.log(span / (template.eye_span * width)) ** 2
        row, col = np.unravel_index(np.argmax(score), score.shape)
        if score[row, col] > best_score:
            best_score = score[row, col]
            best = ((float(xs[col]) + 0.5, float(ys[row]) + 0.5), float(span))
    return best


def _box_means(table: np.ndarray, y0, y1, x0, x1) -> np.ndarray:
    """Mean of the map over rows y0..y1 and columns x0..x1 (inclusive), for every (y, x) pair."""
    y0, y1, x0, x1 = y0[:, None], y1[:, None] + 1, x0[None, :], x1[None, :] + 1
    total = table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0]
    return total / ((y1 - y0) * (x1 - x0))


def _clamp_placement(centre: Point, scale: float, template: Template, width: int, height: int) -> tuple[Point, float]:
    """Shrink and shift the placement until every point and the outline lie inside the image."""
    for _ in range(20):
        points, outline = template.place(centre, scale)
        xy = np.array([*points.values(), *outline])
        low, high = xy.min(axis=0), xy.max(axis=0)
        if (high - low)[0] > width * 0.95 or (high - low)[1] > height * 0.95:
            scale *= 0.8
            continue
        shift = np.maximum(0, 1 - low) - np.maximum(0, high - np.array([width, height]) + 1)
        return (centre[0] + shift[0], centre[1] + shift[1]), scale
    return centre, scale


# --- small helpers ------------------------------------------------------------------


def _eye_frame(points: Mapping[str, Point]):
    """A map from pixels into the eye frame, with the eye midpoint and distance."""
    left = np.mean([points["left_eye_outer"], points["left_eye_inner"]], axis=0)
    right = np.mean([points["right_eye_outer"], points["right_eye_inner"]], axis=0)
    centre, axis = (left + right) / 2, right - left
    span = float(np.hypot(*axis))
    c, s = axis / span**2  # rotate by minus the eye line's angle and divide by its length

    def to_frame(point) -> np.ndarray:
        dx, dy = np.asarray(point, float) - centre
        return np.array([c * dx + s * dy, -s * dx + c * dy])

    return to_frame, (float(centre[0]), float(centre[1])), span


def _mirror_name(name: str) -> str:
    """The point's partner across the face's midline (itself for midline points)."""
    swapped = name.replace("left", "@").replace("right", "left").replace("@", "right")
    return swapped if swapped in POINT_NAMES else name


def _resample(polyline: np.ndarray, count: int) -> np.ndarray:
    """``count`` points evenly spaced along a polyline, ends included."""
    lengths = np.r_[0, np.cumsum(np.hypot(*np.diff(polyline, axis=0).T))]
    at = np.linspace(0, lengths[-1], count)
    return np.column_stack([np.interp(at, lengths, polyline[:, i]) for i in (0, 1)])


def _face_mask(landmarks: Landmarks) -> np.ndarray:
    """Pixels inside the face outline, without eyes and mouth (for skin colour)."""
    mask = Image.new("L", (landmarks.width, landmarks.height), 0)
    draw = ImageDraw.Draw(mask)
    draw.polygon(landmarks.face_outline, fill=1)
    p, r = landmarks.points, landmarks.interocular_distance * 0.25
    for name in ("left_iris", "right_iris", "upper_lip", "lower_lip"):
        x, y = p[name]
        draw.ellipse((x - r, y - r, x + r, y + r), fill=0)
    return np.asarray(mask).astype(bool)


def _chromaticity(pixels: np.ndarray) -> np.ndarray:
    """(r, g) = (R, G) / (R + G + B) per pixel: colour without brightness."""
    pixels = pixels.reshape(-1, 3).astype(np.float32)
    return pixels[:, :2] / np.maximum(pixels.sum(axis=1, keepdims=True), 1)


def _is_grey(image: np.ndarray) -> bool:
    """True for a black-and-white photo (channels equal up to JPEG noise)."""
    sample = image[:: max(1, image.shape[0] // 64), :: max(1, image.shape[1] // 64)].astype(np.int16)
    return float(np.abs(sample - sample.mean(axis=2, keepdims=True)).mean()) < 2.0


def _plain(problem: str) -> str:
    """A problem from :meth:`Landmarks.problems` with point names in plain words."""
    return re.sub(r"\b(" + "|".join(_CODE_NAMES) + r")\b", lambda m: POINT_LABELS[m.group(1)], problem)


_CODE_NAMES = [name for name in POINT_NAMES if "_" in name]  # one-word names read well as they are


def _landmarks_for(image: np.ndarray, landmarks: Landmarks) -> Landmarks:
    """``landmarks`` scaled to ``image``'s size, or an error if the shapes differ."""
    height, width = image.shape[:2]
    if (landmarks.width, landmarks.height) == (width, height):
        return landmarks
    factor = width / landmarks.width
    if abs(landmarks.height * factor - height) > max(2.0, factor):
        raise LandmarkError(
            f"The points are for a {landmarks.width} x {landmarks.height} picture, "
            f"but the photo is {width} x {height}; place them on this photo."
        )
    return landmarks.scaled(factor)


def _sidecar(photo: Path) -> Path:
    return photo.with_name(photo.stem + _SIDECAR_SUFFIX)


def _write_new(path: Path, text: str) -> Path:
    """Write ``text`` to a new file at ``path`` in one step; never replaces a file."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(temporary, path)  # fails if the name exists
        except FileExistsError:
            raise
        except OSError:  # no hard links on this disk: claim the name, then fill it
            with open(path, "x", encoding="utf-8") as stream:
                stream.write(text)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return path
