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
follows by a moving-least-squares warp (:class:`DistanceWarp`);
the background and the body below the chin stay put (the warp cannot show
what the other lens would have seen beside the head).

A near camera also hides things: the temples slip behind the brows, the
neck behind the chin. A warp cannot hide anything, so where two modelled
points close together would move apart faster than they are apart it would
fold the picture over itself. The landmarks go exactly where the model
says; the other points (forehead, outline, the ring round the head) give
way until no two points' moves differ by more than :data:`MAX_SLOPE` px per
px apart, so the picture is stretched or squeezed but never folded.

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
from collections import OrderedDict

import cv2
import numpy as np

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
#: Depth of the head's outline straight above the face (the crown seen from
#: the front) and of the neck below the chin: nearer than the ears, so the
#: top of the head shrinks less than the sides as the camera comes close.
CROWN_MM = 100.0


def ring_depths() -> np.ndarray:
    """Depths round :func:`head_ring`: the ears' at the sides, the crown's at the top and bottom.

    Examples
    --------
    >>> ring_depths()[[0, 4, 8, 12]].tolist()    # right, below, left, above
    [135.0, 100.0, 135.0, 100.0]
    """
    angles = np.linspace(0, 2 * np.pi, HEAD_RING_POINTS, endpoint=False)
    return EARS_MM - (EARS_MM - CROWN_MM) * np.sin(angles) ** 2


def head_ring(landmarks, reach: float = 1.0) -> np.ndarray:
    """Points round the head beyond the face outline (ears, hair), ``reach`` times the usual distance out."""
    outline = np.asarray(landmarks.face_outline, float)
    width = float(np.ptp(outline[:, 0]))
    centre = outline.mean(axis=0) - (0, 0.2 * width)
    angles = np.linspace(0, 2 * np.pi, HEAD_RING_POINTS, endpoint=False)
    return centre + reach * width * np.stack([0.68 * np.cos(angles), 0.85 * np.sin(angles)], 1)


#: The forehead above the brows, which has no landmarks: rows of points above
#: the inner, middle and outer brow, ``FOREHEAD_ROWS`` interocular distances up
#: (mid-forehead and near the hairline), at depths that curve back from the
#: brows' as a forehead does (assumed from the brows' depths, not measured).
FOREHEAD_ROWS = (0.45, 0.9)
FOREHEAD_MM = {"inner": (30.0, 56.0), "middle": (38.0, 60.0), "outer": (58.0, 76.0)}


def forehead_points(landmarks):
    """Points on the forehead above each brow point, with their depths (mm).

    Examples
    --------
    >>> from portrait_lessons.face.landmarks import Landmarks, example_dict
    >>> points, depths = forehead_points(Landmarks.from_dict(example_dict()))
    >>> points.shape, depths.min(), depths.max()
    ((12, 2), 30.0, 76.0)
    """
    p = landmarks.points
    eyes = np.subtract(p["left_iris"], p["right_iris"])
    # Up the face: perpendicular to the eye line, away from the mouth.
    up = np.array([eyes[1], -eyes[0]]) / max(float(np.hypot(*eyes)), 1e-9)
    if np.dot(up, np.subtract(p["upper_lip"], p["nose_tip"])) > 0:
        up = -up
    iod = float(np.hypot(*eyes))
    points, depths = [], []
    for row, height in enumerate(FOREHEAD_ROWS):
        for side in ("left", "right"):
            for part, depth in FOREHEAD_MM.items():
                points.append(np.asarray(p[f"{side}_brow_{part}"], float) + height * iod * up)
                depths.append(depth[row])
    return np.asarray(points), np.asarray(depths)


def _model_points(landmarks):
    """Every modelled point (landmarks, forehead, outline, ears and hair beyond it) with its depth."""
    names = list(DEPTH_MM)
    points = [landmarks.points[name] for name in names]
    depths = [DEPTH_MM[name] for name in names]
    forehead, forehead_depths = forehead_points(landmarks)
    points += [tuple(p) for p in forehead]
    depths += forehead_depths.tolist()
    outline = np.asarray(landmarks.face_outline, float)
    points += [tuple(p) for p in outline]
    depths += outline_depths(len(outline)).tolist()
    # Beyond the outline: the ears, the hair and the top of the head, a ring
    # round the face's centre, at the ears' depth at the sides and the
    # crown's (and the neck's) above and below.
    points += [tuple(p) for p in head_ring(landmarks)]
    depths += ring_depths().tolist()
    return np.asarray(points, float), np.asarray(depths, float)


def reproject_points(landmarks, distance: float, reference: float = REFERENCE_DISTANCE):
    """Where the modelled points go when the camera moves to ``distance`` (face size kept).

    Returns
    -------
    sources, targets : ndarray, shape (N, 2)
        The points in the photo and where the model puts them. The first 22
        are the landmarks in :data:`DEPTH_MM` order, then the forehead
        (:func:`forehead_points`), the face outline, and the ring of ears and hair.
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
    start = len(names) + 2 * len(FOREHEAD_MM) * len(FOREHEAD_ROWS)
    outline = tuple(tuple(map(float, p)) for p in targets[start : start + len(landmarks.face_outline)])
    tip = np.asarray(landmarks.points["nose_tip"], float)
    radius = {
        side: landmarks.iris_radius[side] * perspective_scale(DEPTH_MM[f"{side}_iris"], distance, reference)
        for side in ("left", "right")
    }
    del tip
    return Landmarks(moved, radius, outline, landmarks.width, landmarks.height, landmarks.notes)


def change_distance(image: np.ndarray, landmarks, distance: float, reference: float = REFERENCE_DISTANCE, box=None) -> np.ndarray:
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
    box : (left, top, right, bottom), optional
        Only this part of the result is made and returned (a close-up costs less than the whole photo).

    Returns
    -------
    ndarray
        A new image (``box``'s pixels of it, if given); equal to ``image`` at ``distance == reference``.

    Notes
    -----
    The slider-independent part (:class:`DistanceWarp`) is kept for the last
    few photos, so moving the slider on one photo costs only the per-step part.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> image = examples.load_portrait("koch", 256)
    >>> marks = examples.portrait_landmarks("koch", 256)
    >>> bool((change_distance(image, marks, 1.5) == image).all())
    True
    >>> bool((change_distance(image, marks, 0.3) != image).any())
    True
    >>> bool((change_distance(image, marks, 0.3, box=(60, 40, 150, 170)) == change_distance(image, marks, 0.3)[40:170, 60:150]).all())
    True
    """
    image = np.asarray(image)
    return distance_warp(landmarks, (image.shape[1], image.shape[0]))(image, distance, reference, box)


_WARPS: OrderedDict = OrderedDict()
#: How many photos' warps are kept (a tool shows one photo at a time, plus the learner's own).
KEPT_WARPS = 4


def distance_warp(landmarks, size: tuple[int, int]) -> DistanceWarp:
    """The :class:`DistanceWarp` for these landmarks on a photo of ``size``, made once and kept.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> marks = examples.portrait_landmarks("jemison", 256)
    >>> distance_warp(marks, (192, 256)) is distance_warp(marks, (192, 256))
    True
    """
    key = (tuple(map(int, size)), _model_points(landmarks)[0].tobytes())
    if key in _WARPS:
        _WARPS.move_to_end(key)
    else:
        _WARPS[key] = DistanceWarp(landmarks, size)
        while len(_WARPS) > KEPT_WARPS:
            _WARPS.popitem(last=False)
    return _WARPS[key]


#: The warp's displacement is smooth, so it is worked out on a grid this many
#: pixels apart per 1024 px of the photo's long edge, and interpolated (cubic)
#: in between: 4 px keeps every landmark within half a pixel of the model.
GRID_STEP = 4
#: Fixed-point steps that invert the forward map (each divides the error by
#: about five: the map's slope stays below 0.2 at 30 cm).
INVERSION_STEPS = 6
#: How fast a control point's pull falls off (the moving-least-squares alpha).
ALPHA = 1.5


class DistanceWarp:
    """The part of the warp that depends on the photo and its landmarks, not on the distance.

    Moving-least-squares (Schaefer et al. 2006, affine) carries each modelled
    point to its target and bends the picture smoothly in between. With the
    control points fixed where they are in the photo, the affine map is
    *linear in the targets*: the displacement at any point is a fixed blend of
    the control points' displacements. The blend weights are worked out once,
    on a coarse grid; a slider step is then one small matrix product, a few
    fixed-point steps that turn the forward map into the backward one the
    resampler needs, a cubic upsampling of that smooth field and a single
    bicubic :func:`cv2.remap` of the head's region (bilinear would soften pores and freckles).

    Parameters
    ----------
    landmarks : Landmarks
        The photo's landmarks, in its pixels.
    size : (width, height)
        The photo's size.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> image = examples.load_portrait("koch", 256)
    >>> warp = DistanceWarp(examples.portrait_landmarks("koch", 256), (image.shape[1], image.shape[0]))
    >>> bool((warp(image, 1.5) == image).all()), warp(image, 0.3).shape == image.shape
    (True, True)
    """

    def __init__(self, landmarks, size: tuple[int, int]):
        width, height = map(int, size)
        self.landmarks, self.size = landmarks, (width, height)
        sources, _ = _model_points(landmarks)
        # Two modelled points on one pixel (the chin landmark and the outline's
        # lowest point) with slightly different depths would pull it two ways:
        # keep the first, the landmark.
        gaps = np.hypot(*(sources[:, None] - sources[None]).transpose(2, 0, 1))
        self._keep = ~np.triu(gaps < 2.0, 1).any(axis=0)
        self.sources = sources[self._keep]
        # Fixed points round the head hold the shoulders and the background still.
        anchors = head_ring(landmarks, 1.7)
        margin = 0.05 * float(np.ptp(anchors, axis=0).max())
        controls = np.concatenate([self.sources, anchors])
        # The landmarks go exactly where the model says; the other points may
        # give way so that no two points' moves tear the picture (see field).
        self._fixed = np.concatenate([np.arange(len(sources))[self._keep] < len(DEPTH_MM), np.ones(len(anchors), bool)])
        self._gaps = np.hypot(*(controls[:, None] - controls[None]).transpose(2, 0, 1))
        # Neighbours' weights for smoothing the free points' moves (see targets).
        reach = SMOOTHING * float(np.ptp(np.asarray(landmarks.face_outline, float)[:, 0]))
        near = np.exp(-((self._gaps / reach) ** 2))
        np.fill_diagonal(near, 0.0)
        self._near = near / np.maximum(near.sum(axis=1, keepdims=True), 1e-12)
        left, top = np.floor(controls.min(axis=0) - margin).astype(int)
        right, bottom = np.ceil(controls.max(axis=0) + margin).astype(int)
        left, top, right, bottom = max(0, left), max(0, top), min(width, right), min(height, bottom)
        self.region = (int(left), int(top), int(right), int(bottom))
        self.step = step = max(GRID_STEP, round(GRID_STEP * max(width, height) / 1024))
        self.shape = (-(-(bottom - top) // step), -(-(right - left) // step))  # grid rows, columns
        # Grid points sit at the centres of step x step blocks, where cv2.resize
        # puts a coarse sample when it enlarges by ``step``.
        gx = left + step * np.arange(self.shape[1]) + step / 2
        gy = top + step * np.arange(self.shape[0]) + step / 2
        xs, ys = np.meshgrid(gx, gy)
        grid = np.stack([xs.ravel(), ys.ravel()], axis=1)
        fade = _fade(grid, self.region, max(1.0, margin / 2))
        self.blend = (_affine_blend(grid, controls)[:, : len(self.sources)] * fade[:, None]).astype(np.float32)
        # Grid positions in grid units, for reading the coarse field back at moved points.
        self._grid_x = np.tile(np.arange(self.shape[1], dtype=np.float32), (self.shape[0], 1))
        self._grid_y = np.tile(np.arange(self.shape[0], dtype=np.float32)[:, None], (1, self.shape[1]))
        self._columns = np.arange(left, right, dtype=np.float32)[None, :]
        self._rows = np.arange(top, bottom, dtype=np.float32)[:, None]
        # Right at each modelled point the map bends more sharply than a grid
        # can follow: keep its exact blend at every pixel of a small patch there.
        r = PATCH
        self._patched = self._fixed[: len(self.sources)].copy()
        corners = np.floor(self.sources[self._patched]).astype(int) - r  # each patch's top-left pixel
        offsets = np.stack(np.mgrid[0 : 2 * r + 1, 0 : 2 * r + 1][::-1], -1).reshape(-1, 2)  # (x, y) in a patch
        centres = (corners[:, None, :] + offsets[None] + 0.5).reshape(-1, 2)
        exact = _affine_blend(centres, controls)[:, : len(self.sources)] * _fade(centres, self.region, max(1.0, margin / 2))[:, None]
        self._patch_corners = corners
        self._patch_blend = exact.astype(np.float32)

    def targets(self, distance: float, reference: float = REFERENCE_DISTANCE):
        """The control points and where the warp takes them: the landmarks where the model says, the others untangled."""
        sources, targets = (points[self._keep] for points in reproject_points(self.landmarks, distance, reference))
        count = len(sources)
        moves = _untangle(np.concatenate([targets - sources, np.zeros((len(self._fixed) - count, 2))]), self._gaps, self._fixed)
        # Untangling pulls each free point by its own neighbours, which leaves
        # the head's outline lumpy: smooth the free points' moves, then untangle again.
        free = ~self._fixed
        for _ in range(SMOOTHING_STEPS):
            moves[free] = 0.5 * moves[free] + 0.5 * (self._near @ moves)[free]
        return sources, sources + _untangle(moves, self._gaps, self._fixed)[:count]

    def forward(self, distance: float, reference: float = REFERENCE_DISTANCE) -> np.ndarray:
        """How far each grid point (``step`` px apart over the region) moves, px (rows, columns, 2)."""
        sources, targets = self.targets(distance, reference)
        return (self.blend @ (targets - sources).astype(np.float32)).reshape(*self.shape, 2)

    def field(self, distance: float, reference: float = REFERENCE_DISTANCE) -> np.ndarray:
        """Where each output pixel of the region takes its colour from, as offsets (rows, columns, 2).

        float32 pixels; zero everywhere at ``distance == reference``.
        """
        sources, targets = self.targets(distance, reference)
        rows, columns = self.shape
        forward = (self.blend @ (targets - sources).astype(np.float32)).reshape(rows, columns, 2)
        # Invert y = x + forward(x) on the grid by fixed-point steps x = y - forward(x).
        backward = -forward
        for _ in range(INVERSION_STEPS):
            map_x = self._grid_x + backward[..., 0] / self.step
            map_y = self._grid_y + backward[..., 1] / self.step
            backward = -cv2.remap(forward, map_x, map_y, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
        left, top, right, bottom = self.region
        size = (columns * self.step, rows * self.step)
        field = cv2.resize(backward, size, interpolation=cv2.INTER_CUBIC)[: bottom - top, : right - left].copy()
        self._refine_near_points(field, sources, targets)
        return field

    def _refine_near_points(self, field: np.ndarray, sources: np.ndarray, targets: np.ndarray) -> None:
        """Invert the exact map round each landmark's target, blending it into ``field`` (in place)."""
        r, left, top = PATCH, self.region[0], self.region[1]
        side = 2 * r + 1
        forward = (self._patch_blend @ (targets - sources).astype(np.float32)).reshape(-1, side, side, 2)
        targets = targets[self._patched]
        # Output pixels round each target, where the patch's content lands.
        reach = r // 2
        ys, xs = np.mgrid[-reach : reach + 1, -reach : reach + 1]
        centre = np.floor(targets).astype(int)
        px = centre[:, None, None, 0] + xs  # (count, k, k) output pixel columns
        py = centre[:, None, None, 1] + ys
        y = np.stack([px + 0.5, py + 0.5], -1).astype(np.float32)
        x = y + _sample(field, px - left, py - top)
        for _ in range(INVERSION_STEPS):
            # Position in the patch, in patch pixels (pixel centres at integers).
            u = x - self._patch_corners[:, None, None, :] - 0.5
            x = y - _sample_patches(forward, u)
        # Blend the exact offsets in, fading out toward each patch's edge; where
        # patches overlap (round the eyes) their weighted mean is used.
        taper = np.broadcast_to(_smooth_step(1 - np.hypot(xs, ys) / (reach + 1)), px.shape)
        inside = (px >= left) & (px < left + field.shape[1]) & (py >= top) & (py < top + field.shape[0])
        flat = ((py - top) * field.shape[1] + (px - left))[inside]
        weight = taper[inside].astype(np.float32)
        touched, slot = np.unique(flat, return_inverse=True)
        total = np.maximum(np.bincount(slot, weight), 1e-12)
        exact = (x - y)[inside]
        plane = field.reshape(-1, 2)
        share = np.minimum(total, 1.0)
        for k in (0, 1):
            mean = np.bincount(slot, weight * exact[:, k]) / total
            plane[touched, k] += share * (mean - plane[touched, k])

    def __call__(self, image: np.ndarray, distance: float, reference: float = REFERENCE_DISTANCE, box=None) -> np.ndarray:
        """``image`` re-photographed from ``distance`` metres (a new array), or only its ``box`` (left, top, right, bottom).

        A box gives exactly those pixels of the whole picture, and resamples only them.
        """
        image = np.asarray(image)
        if (image.shape[1], image.shape[0]) != self.size:
            raise DistanceError(f"This warp was made for a {self.size[0]} x {self.size[1]} photo, not {image.shape[1]} x {image.shape[0]}.")
        distance, reference = _check_distance(distance), _check_distance(reference, "reference distance")
        left, top, right, bottom = (0, 0, *self.size) if box is None else map(int, box)
        result = image[top:bottom, left:right].copy()
        if abs(distance - reference) < 1e-9:
            return result
        offsets = self.field(distance, reference)
        # The warped region's part inside the box; the rest of the box is the photo as it is.
        region_left, region_top = self.region[:2]
        x0, y0 = max(left, region_left), max(top, region_top)
        x1, y1 = min(right, self.region[2]), min(bottom, self.region[3])
        if x0 >= x1 or y0 >= y1:
            return result
        columns, rows = slice(x0 - region_left, x1 - region_left), slice(y0 - region_top, y1 - region_top)
        map_x = offsets[rows, columns, 0] + self._columns[:, columns]
        map_y = offsets[rows, columns, 1] + self._rows[rows]
        result[y0 - top : y1 - top, x0 - left : x1 - left] = cv2.remap(image, map_x, map_y, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
        return result


#: Radius (px) of the patch of exact map kept round each landmark.
PATCH = 8
#: The steepest the moves may change between two modelled points, in px of
#: move per px apart. A camera nearer a face hides the temples and the neck
#: behind the face (occlusion); a smooth warp cannot hide anything, and where
#: nearby points move apart or together faster than they are apart it folds
#: the picture over itself (a pale cut-out edge along the brows, a jagged
#: chin). Below 1 the warp cannot fold; 0.5 keeps it at least half as
#: stretched or squeezed anywhere.
MAX_SLOPE = 0.3
#: How far apart (times the face's width) free points' moves are smoothed
#: together, and in how many rounds.
SMOOTHING, SMOOTHING_STEPS = 0.25, 3
#: Rounds of :func:`_untangle`.
UNTANGLE_STEPS = 30


def _untangle(moves: np.ndarray, gaps: np.ndarray, fixed: np.ndarray, slope: float = MAX_SLOPE, steps: int = UNTANGLE_STEPS) -> np.ndarray:
    """The moves with the free points' pulled toward their neighbours' until no pair changes faster than ``slope``.

    Parameters
    ----------
    moves : ndarray (N, 2)
        Each control point's move, px.
    gaps : ndarray (N, N)
        The distances between the control points, px.
    fixed : ndarray of bool (N,)
        Points whose moves are kept as they are (the landmarks, the anchors).

    Returns
    -------
    ndarray (N, 2)
        New moves; the fixed ones unchanged.

    Examples
    --------
    >>> gaps = np.array([[0.0, 10.0], [10.0, 0.0]])
    >>> _untangle(np.array([[0.0, 0.0], [-12.0, 0.0]]), gaps, np.array([True, False])).round(2).tolist()
    [[0.0, 0.0], [-3.0, 0.0]]
    """
    moves = np.array(moves, float)
    free = np.flatnonzero(~fixed)
    share = np.where(fixed, 1.0, 0.5)[None, :]  # a free pair meets halfway
    allowed = slope * gaps[free]
    for _ in range(steps):
        apart = moves[free, None] - moves[None]  # (F, N, 2): move of free point i relative to j
        length = np.hypot(apart[..., 0], apart[..., 1])
        excess = np.maximum(length - allowed, 0.0)
        if excess.max(initial=0.0) < 0.02:  # px: nothing that shows
            break
        pull = (excess * share / np.maximum(length, 1e-12))[..., None] * apart
        # Each point's pulls, averaged over the pairs that pull.
        moves[free] -= pull.sum(axis=1) / np.maximum((excess > 0).sum(axis=1), 1)[:, None]
    return moves


def _smooth_step(t):
    t = np.clip(t, 0.0, 1.0)
    return t * t * (3 - 2 * t)


def _sample(field: np.ndarray, cols: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``field`` (H, W, 2) at integer pixels, clamped to its edge."""
    return field[np.clip(rows, 0, field.shape[0] - 1), np.clip(cols, 0, field.shape[1] - 1)]


def _sample_patches(patches: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Bilinear samples of ``patches`` (P, S, S, 2) at positions ``u`` (P, ..., 2), in patch pixels, clamped."""
    side = patches.shape[1]
    ux = np.clip(u[..., 0], 0, side - 1.001)
    uy = np.clip(u[..., 1], 0, side - 1.001)
    x0, y0 = ux.astype(int), uy.astype(int)
    fx, fy = (ux - x0)[..., None], (uy - y0)[..., None]
    index = np.arange(len(patches)).reshape((-1,) + (1,) * (u.ndim - 2))
    top = patches[index, y0, x0] * (1 - fx) + patches[index, y0, x0 + 1] * fx
    bottom = patches[index, y0 + 1, x0] * (1 - fx) + patches[index, y0 + 1, x0 + 1] * fx
    return top * (1 - fy) + bottom * fy


def _affine_blend(points: np.ndarray, controls: np.ndarray, alpha: float = ALPHA) -> np.ndarray:
    """Weights ``A`` (points x controls) with which affine MLS maps ``points`` to ``A @ targets``.

    The affine moving-least-squares map (Schaefer et al. 2006, eq. 5) is
    ``f(v) = (v - p*) M^-1 sum_j w_j p^_j^T q^_j + q*``; since the weighted
    ``p^_j`` sum to zero it equals ``sum_j w_j (1 + (v - p*) M^-1 p^_j^T) q_j``.
    Each row sums to 1, and ``A @ controls`` gives the points back.

    Examples
    --------
    >>> controls = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]])
    >>> points = np.array([[3.0, 4.0], [7.5, 1.0]])
    >>> bool(np.allclose(_affine_blend(points, controls) @ controls, points))
    True
    """
    origin = controls.mean(axis=0)  # centred coordinates keep the sums well conditioned
    # float64: right beside a control point the weighted covariance below is a
    # small difference of large sums, and float32 left one-cell spikes of
    # tens of px in the field where a grid point fell within a pixel of a control.
    p, v = controls - origin, points - origin
    d2 = np.maximum((v[:, :1] - p[:, 0]) ** 2 + (v[:, 1:] - p[:, 1]) ** 2, 1e-6)
    w = 1.0 / (d2 * np.sqrt(d2)) if alpha == 1.5 else d2**-alpha  # pow is slow; alpha 1.5 is the one used
    w /= w.sum(axis=1, keepdims=True)
    (px, py), centre = p.T, w @ p
    m00 = w @ (px * px) - centre[:, 0] ** 2
    m01 = w @ (px * py) - centre[:, 0] * centre[:, 1]
    m11 = w @ (py * py) - centre[:, 1] ** 2
    det = m00 * m11 - m01 * m01
    det = np.where(np.abs(det) < 1e-9, 1e-9, det)
    dx, dy = v[:, 0] - centre[:, 0], v[:, 1] - centre[:, 1]
    ux, uy = (dx * m11 - dy * m01) / det, (dy * m00 - dx * m01) / det  # (v - p*) M^-1
    return w * (1 + ux[:, None] * (px - centre[:, :1]) + uy[:, None] * (py - centre[:, 1:]))


def _fade(points: np.ndarray, region, band: float) -> np.ndarray:
    """1 inside the region, falling smoothly to 0 at its edge over ``band`` px."""
    left, top, right, bottom = region
    inside = np.minimum.reduce([points[:, 0] - left, right - points[:, 0], points[:, 1] - top, bottom - points[:, 1]])
    t = np.clip(inside / band, 0.0, 1.0)
    return t * t * (3 - 2 * t)


