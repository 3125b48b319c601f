"""Camera distance: re-photograph a face from nearer or farther, at the same face size.

A camera close to a face sees the nose much nearer than the ears, so the
nose grows and the ears shrink; far away, every part of the face is at
nearly the same distance and the drawing flattens. Cropping a far photo
tightly never gives the close look: a close *crop* is not a close *camera*.
Bryan, Perona & Adolphs (2012) found faces photographed from inside
personal space were trusted less, with image size held equal; Ward et al.
(2018) computed that the nose base looks about 30 % wider from 30 cm than
from 1.5 m.

The model: every landmark gets a typical adult depth (:data:`DEPTH_MM`,
millimetres behind the tip of the nose); the face outline runs from the
ears' depth at eye height round to the chin. Distances are measured to the
eyes, where a photographer focuses; the nose tip is :data:`EYE_DEPTH_MM`
nearer. A point at depth ``z`` seen with the nose tip at distance ``d`` is
drawn at a size proportional to ``1 / (d + z)``. Re-photographing from ``d`` instead of the photo's own
``d0``, with the lens zoomed so the face keeps its size (the depth of the
cheeks, :data:`KEPT_DEPTH_MM`, is drawn at the same scale), scales each
point's offset from the nose tip by

    s(z) = (d0 + z) (d + z_kept) / ((d + z) (d0 + z_kept))

(:func:`perspective_scale`). The landmarks are moved there and the picture
follows by the moving-least-squares warp of :mod:`portrait_lessons.face.warp`;
the background and the body below the chin stay put (the warp cannot show
what the other lens would have seen beside the head).

Assumptions, said plainly: the face looks roughly at the lens; the camera
aims at the nose; the bundled photos were taken from about
:data:`REFERENCE_DISTANCE` (a usual portrait distance); the depths are
typical values, not those of the person in the photo.

Examples
--------
>>> round(nose_base_widening(0.3, 1.5), 2)    # the nose base, 30 cm against 1.5 m
1.28
>>> round(perspective_scale(0.0, 0.3), 2)       # the nose tip from 30 cm, face size kept
1.21
"""

from __future__ import annotations

import math

import numpy as np

from ..face.warp import mls_warp

#: Typical adult depths, millimetres behind the tip of the nose (pronasale).
#: Rounded from the ranges adult anthropometric surveys report (Farkas 1994,
#: "Anthropometry of the Head and Face"): the nasal tip stands about 15-20 mm
#: in front of the alar base and the upper lip, the corneas about 25 mm behind
#: the tip, the outer eye corners and mouth corners a little over 40 mm, the
#: chin about 30 mm, and the ears (tragion) about 120-135 mm.
DEPTH_MM: dict[str, float] = {
    "nose_tip": 0.0,
    "left_iris": 26.0, "right_iris": 26.0,
    "left_upper_lid": 28.0, "right_upper_lid": 28.0,
    "left_lower_lid": 30.0, "right_lower_lid": 30.0,
    "left_eye_inner": 32.0, "right_eye_inner": 32.0,
    "left_eye_outer": 46.0, "right_eye_outer": 46.0,
    "left_brow_inner": 24.0, "right_brow_inner": 24.0,
    "left_brow_middle": 30.0, "right_brow_middle": 30.0,
    "left_brow_outer": 46.0, "right_brow_outer": 46.0,
    "upper_lip": 18.0, "lower_lip": 22.0,
    "mouth_left": 40.0, "mouth_right": 40.0,
    "chin": 30.0,
}  # fmt: skip
#: Depths of points that are not landmarks: the nose base (the alar
#: creases), the face's outline at eye height (towards the ears), at the
#: chin, and the ears and hair beyond the outline.
NOSE_BASE_MM = 16.0
OUTLINE_TOP_MM = 125.0
OUTLINE_CHIN_MM = 32.0
EARS_MM = 135.0
#: Half the width of the nose base and of the face at the ears, in mm (for the figure).
NOSE_BASE_HALF_WIDTH_MM = 17.5
#: The depth drawn at the same scale at every distance: the cheeks, halfway
#: between the nose tip and the ears, so the face as a whole keeps its size
#: while the nose grows and the ears shrink as the camera comes close.
KEPT_DEPTH_MM = 75.0
#: Distances are measured to the eyes (the corneas), this far behind the nose tip.
EYE_DEPTH_MM = 26.0
#: The photos are taken to have been made from this far (metres); there the warp does nothing.
REFERENCE_DISTANCE = 1.5
#: The slider's range, in metres.
NEAREST, FARTHEST = 0.3, 3.0


class DistanceError(ValueError):
    """A camera distance the model cannot draw."""


def _check_distance(distance: float, name: str = "distance") -> float:
    distance = float(distance)
    if not (math.isfinite(distance) and NEAREST - 1e-9 <= distance <= FARTHEST + 1e-9):
        raise DistanceError(
            f"The camera {name} must be between {NEAREST:g} m and {FARTHEST:g} m (got {distance:g} m)."
        )
    return distance


def perspective_scale(depth_mm, distance: float, reference: float = REFERENCE_DISTANCE, kept_depth_mm: float = KEPT_DEPTH_MM):
    """How much a point's offset from the nose tip grows when the camera moves from ``reference`` to ``distance``.

    Parameters
    ----------
    depth_mm : float or ndarray
        The point's depth behind the nose tip, in millimetres.
    distance, reference : float
        New and original camera distance to the eyes, in metres.
    kept_depth_mm : float
        Depth of the part of the face whose size is kept, so the face fills
        the frame the same at every distance.

    Returns
    -------
    float or ndarray
        1 at ``distance == reference``; above 1 for points in front of the
        kept depth when the camera comes closer.

    Examples
    --------
    >>> perspective_scale(75.0, 0.3)     # the cheeks keep their size
    1.0
    >>> perspective_scale(40.0, 1.5)
    1.0
    """
    d, d0 = distance * 1000.0 - EYE_DEPTH_MM, reference * 1000.0 - EYE_DEPTH_MM  # to the nose tip
    z = np.asarray(depth_mm, float)
    scale = (d0 + z) * (d + kept_depth_mm) / ((d + z) * (d0 + kept_depth_mm))
    return float(scale) if scale.ndim == 0 else scale


def nose_base_widening(distance: float, reference: float = REFERENCE_DISTANCE) -> float:
    """The nose base's width relative to the face's at ``distance``, over the same at ``reference``.

    The figure Ward et al. (2018) computed: about 1.3 at 30 cm against 1.5 m.

    Examples
    --------
    >>> round(nose_base_widening(3.0), 3)     # farther than 1.5 m: a little narrower
    0.966
    """
    # The nose base against the face's width at the outline (towards the ears).
    return perspective_scale(NOSE_BASE_MM, distance, reference) / perspective_scale(OUTLINE_TOP_MM, distance, reference)


def outline_depths(count: int) -> np.ndarray:
    """Depths along a face outline of ``count`` points, from the ears' side at eye height round the chin.

    Examples
    --------
    >>> outline_depths(5).round(0).tolist()
    [125.0, 102.0, 32.0, 102.0, 125.0]
    """
    u = np.abs(np.linspace(-1.0, 1.0, count))  # 1 at the ends, 0 at the chin
    return OUTLINE_CHIN_MM + (OUTLINE_TOP_MM - OUTLINE_CHIN_MM) * (1 - (1 - u) ** 2)


HEAD_RING_POINTS = 16


def head_ring(landmarks, reach: float = 1.0) -> np.ndarray:
    """Points round the head beyond the face outline (ears, hair), ``reach`` times the usual distance out."""
    outline = np.asarray(landmarks.face_outline, float)
    width = float(np.ptp(outline[:, 0]))
    centre = outline.mean(axis=0) - (0, 0.2 * width)
    angles = np.linspace(0, 2 * np.pi, HEAD_RING_POINTS, endpoint=False)
    return centre + reach * width * np.stack([0.68 * np.cos(angles), 0.85 * np.sin(angles)], 1)


def _model_points(landmarks):
    """Every modelled point (landmarks, outline, ears and hair beyond it) with its depth."""
    names = list(DEPTH_MM)
    points = [landmarks.points[name] for name in names]
    depths = [DEPTH_MM[name] for name in names]
    outline = np.asarray(landmarks.face_outline, float)
    points += [tuple(p) for p in outline]
    depths += outline_depths(len(outline)).tolist()
    # Beyond the outline: the ears, the hair and the top of the head, a ring
    # at the head's depth round the face's centre.
    points += [tuple(p) for p in head_ring(landmarks)]
    depths += [EARS_MM] * HEAD_RING_POINTS
    return np.asarray(points, float), np.asarray(depths, float)


def reproject_points(landmarks, distance: float, reference: float = REFERENCE_DISTANCE):
    """Where the modelled points go when the camera moves to ``distance`` (face size kept).

    Returns
    -------
    sources, targets : ndarray, shape (N, 2)
        The points in the photo and where the model puts them. The first 22
        are the landmarks in :data:`DEPTH_MM` order, then the face outline,
        then the ring of ears and hair.
    """
    distance = _check_distance(distance)
    reference = _check_distance(reference, "reference distance")
    sources, depths = _model_points(landmarks)
    tip = np.asarray(landmarks.points["nose_tip"], float)
    scale = perspective_scale(depths, distance, reference)
    return sources, tip + (sources - tip) * np.asarray(scale)[:, None]


def reproject_landmarks(landmarks, distance: float, reference: float = REFERENCE_DISTANCE):
    """The landmarks as the model draws them from ``distance`` (for overlays and measures).

    Examples
    --------
    >>> from portrait_lessons.face.landmarks import Landmarks, example_dict
    >>> marks = Landmarks.from_dict(example_dict())
    >>> near = reproject_landmarks(marks, 0.3)
    >>> near.points["nose_tip"] == marks.points["nose_tip"], near.interocular_distance > marks.interocular_distance
    (True, True)
    """
    from ..face.landmarks import Landmarks

    sources, targets = reproject_points(landmarks, distance, reference)
    names = list(DEPTH_MM)
    moved = {name: tuple(map(float, targets[i])) for i, name in enumerate(names)}
    outline = tuple(tuple(map(float, p)) for p in targets[len(names) : len(names) + len(landmarks.face_outline)])
    tip = np.asarray(landmarks.points["nose_tip"], float)
    radius = {
        side: landmarks.iris_radius[side] * perspective_scale(DEPTH_MM[f"{side}_iris"], distance, reference)
        for side in ("left", "right")
    }
    del tip
    return Landmarks(moved, radius, outline, landmarks.width, landmarks.height, landmarks.notes)


def change_distance(
    image: np.ndarray, landmarks, distance: float, reference: float = REFERENCE_DISTANCE, *, tolerance: float = 0.5
) -> np.ndarray:
    """Re-photograph the face in ``image`` from ``distance`` metres, keeping the face's size.

    Parameters
    ----------
    image : ndarray, RGB uint8, shape (H, W, 3)
        The portrait; not modified.
    landmarks : Landmarks
        Its landmarks, in its pixels.
    distance : float
        The new camera distance in metres, from 0.3 (a selfie at arm's length) to 3.
    reference : float
        The distance the photo is taken to have been made from.
    tolerance : float
        Largest error of the warp's mesh, in pixels (0.5 keeps every landmark
        within 1 px of where the model puts it).

    Returns
    -------
    ndarray
        A new image; equal to ``image`` at ``distance == reference``.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> image = examples.load_portrait("koch", 256)
    >>> marks = examples.portrait_landmarks("koch", 256)
    >>> bool((change_distance(image, marks, 1.5) == image).all())
    True
    >>> bool((change_distance(image, marks, 0.3) != image).any())
    True
    """
    image = np.asarray(image)
    sources, targets = reproject_points(landmarks, distance, reference)
    if np.abs(targets - sources).max() < 1e-6:
        return image.copy()
    # Fixed points round the head hold the shoulders and the background still.
    anchors = head_ring(landmarks, 1.7)
    span = float(np.ptp(anchors, axis=0).max())
    return mls_warp(image, sources, targets, anchors, margin=0.05 * span, alpha=1.5, tolerance=tolerance)
