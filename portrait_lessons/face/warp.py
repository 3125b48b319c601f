"""Moving-least-squares image deformation: move a few points, the picture follows.

Schaefer, McPhail & Warren (2006), "Image deformation using moving least
squares" (ACM SIGGRAPH), give every point of the plane its own best affine
map of the control points, weighted towards the nearest ones. Control points
land exactly where they are told; between them the picture bends smoothly.
That is what makes a face edit local: move the irises, hold the eye corners
and lids still (*anchors*), and only the eyes change.

The map is evaluated on a coarse grid that refines itself only where the
deformation bends sharply (round an iris, say); the grid's cells are spread
into one dense map of source positions per moving box, and OpenCV's ``remap``
resamples the pixels in C. While a slider moves, the share of the map's sums
owed to control points that did not move since the last step is kept, so a
step pays only for the points it moves. A dense per-pixel evaluation of the
same map, :func:`mls_warp_dense`, is kept as the reference the fast path is
tested and benchmarked against.

Coordinates are in pixels from the image's top-left corner (pixel centres sit
at half-integers), as in :mod:`portrait_lessons.face.landmarks`.
"""

from __future__ import annotations

import functools
import threading
from typing import Sequence

import numpy as np
from PIL import Image

Box = tuple[int, int, int, int]

#: Largest and smallest mesh cells, in pixels. Cells split until the mesh
#: follows the exact map to within the tolerance, or reach the smallest size.
MAX_CELL = 32
MIN_CELL = 2
#: A cell whose corners and midpoints all move less than this (px) is left as it is.
STILL = 0.1


class WarpError(ValueError):
    """Control points that cannot define a deformation."""


def mls_warp(
    image: np.ndarray,
    sources: Sequence[Sequence[float]],
    targets: Sequence[Sequence[float]],
    anchors: Sequence[Sequence[float]] = (),
    *,
    margin: float | None = None,
    alpha: float = 1.0,
    tolerance: float = 0.2,
) -> np.ndarray:
    """Deform ``image`` so that each source point moves to its target.

    Parameters
    ----------
    image : ndarray, RGB uint8, shape (H, W, 3)
        The picture; it is not modified.
    sources, targets : sequences of (x, y)
        Where content is, and where it should go (same length).
    anchors : sequence of (x, y), optional
        Points that must stay put (eye corners, lids, the face's edge).
    margin : float, optional
        Nothing moves farther than this many pixels outside the box round all
        the points; the deformation fades out over that band. Default: a
        quarter of the box's longer side.
    alpha : float
        How fast a control point's pull falls off with distance (the paper's
        alpha); larger is more local.
    tolerance : float
        Largest error, in pixels, of the coarse mesh against the exact map.

    Returns
    -------
    ndarray
        A new image; equal to ``image`` when no point moves.

    See Also
    --------
    mls_warp_dense : the same deformation evaluated at every pixel (slow reference).

    Examples
    --------
    >>> image = np.zeros((64, 64, 3), np.uint8)
    >>> image[28:36, 20:28] = 255                       # a white square
    >>> moved = mls_warp(image, [(24, 32)], [(30, 32)], anchors=[(8, 8), (56, 56), (8, 56), (56, 8)])
    >>> row = moved[32, :, 0].astype(float)
    >>> round(float(row @ (np.arange(64) + 0.5) / row.sum()))  # its centre: x=24 to about 29.5 (squeezed toward the anchor ahead)
    29
    """
    image, p, q, region, band = _prepare(image, sources, targets, anchors, margin)
    if region is None:
        return image.copy()
    return mesh_warp(image, mls_backward(p, q, alpha, region, band), region, tolerance)


def mls_backward(sources: np.ndarray, targets: np.ndarray, alpha: float, region: Box, band: float):
    """The map from output pixels back to where they come from, for :func:`mesh_warp`.

    It is the MLS map from targets to sources (control points swapped), the
    usual way to warp an image without holes; points outside ``region`` map
    to themselves without being computed.

    While a slider moves, most control points stay where they were at the
    last step: the anchors, and the points that the other sliders move. Their
    share of the map's sums at a point never changes, so at whole pixels (the
    mesh's corners) and pixel centres it is kept (:class:`_SteadySums`) and
    only the share of the points that moved is computed at each step. Each
    distinct point is worked out once per call.
    """
    left, top, right, bottom = region
    sources, targets = np.asarray(sources, float), np.asarray(targets, float)
    key = (region, alpha, sources.tobytes())
    last = _LAST_TARGETS.pop(key, None)
    steady = (sources == targets).all(axis=1)
    if last is not None and last.shape == targets.shape:
        steady |= (last == targets).all(axis=1)
    _LAST_TARGETS[key] = targets
    while len(_LAST_TARGETS) > 8:
        _LAST_TARGETS.pop(next(iter(_LAST_TARGETS)))
    origin = sources[steady].mean(axis=0) if steady.any() else sources.mean(axis=0)
    moving_targets, moving_sources = targets[~steady] - origin, sources[~steady] - origin
    width = right - left + 1

    def on_lattice(v: np.ndarray, offset: float) -> np.ndarray:
        # Each distinct point once (neighbouring cells share their edges' midpoints).
        ix, iy = (v[:, 0] - offset).astype(np.int64) - left, (v[:, 1] - offset).astype(np.int64) - top
        flat, inverse = np.unique(iy * width + ix, return_inverse=True)
        sums = _steady_sums(targets[steady], sources[steady], origin, alpha, region, offset).lookup(flat)
        iy, ix = np.divmod(flat, width)
        c = np.stack([ix + (left + offset), iy + (top + offset)], 1) - origin
        if len(moving_targets):
            sums = sums + _weighted_sums(c, moving_targets, moving_sources, alpha)
        return _affine_from_sums(c, sums)[inverse.ravel()] + origin

    def mapped(v: np.ndarray) -> np.ndarray:
        if not steady.any():
            return mls_map(v, targets, sources, alpha, region=region, band=band)
        # Point by point: a map applied before this one (a raised brow) moves only the
        # points in its own box off the lattice; the others still find their sums kept.
        result = np.empty_like(v)
        rest = np.ones(len(v), bool)
        for offset in (0.0, 0.5):
            on = rest & (np.round(v - offset) == v - offset).all(axis=1)
            if on.any():
                result[on] = on_lattice(v[on], offset)
                rest &= ~on
        if rest.any():
            c = v[rest] - origin
            sums = _steady_sums(targets[steady], sources[steady], origin, alpha, region, None).lookup_points(c)
            if len(moving_targets):
                sums = sums + _weighted_sums(c, moving_targets, moving_sources, alpha)
            result[rest] = _affine_from_sums(c, sums) + origin
        return _faded(result, v, region, band)

    def backward(points: np.ndarray) -> np.ndarray:
        result = np.array(points, float)
        inside = (points[:, 0] > left) & (points[:, 0] < right) & (points[:, 1] > top) & (points[:, 1] < bottom)
        if inside.any():
            result[inside] = mapped(result[inside])
        return result

    return backward


#: The targets of the last warp of each set of control points, to tell which ones moved since.
_LAST_TARGETS: dict = {}


def mesh_warp(image: np.ndarray, backward, region: Box, tolerance: float = 0.2, max_cell: int = MAX_CELL) -> np.ndarray:
    """Resample ``region`` of ``image`` through ``backward`` on an adaptive mesh.

    ``backward`` maps output positions, an (N, 2) array, to the source
    positions they take their colour from; it must be the identity on the
    region's edge. The map is evaluated only at mesh corners, refined where
    bilinear interpolation misses it by more than ``tolerance`` px. Each box
    of moving cells then gets one dense map of source positions, spread
    bilinearly over every cell from its corners (what a mesh transform does
    cell by cell), and one OpenCV ``remap`` resamples it in C. Cells that do
    not move are not resampled at all.

    The mesh starts from cells of ``max_cell`` px (a power of two up to
    :data:`MAX_CELL`). A cell is refined only where its centre or edge
    midpoints show the map bending: a move confined to a band narrower than
    half a cell (a lid on an eye a few pixels tall) can fall between them and
    be lost, so such a feature's box is warped again from smaller cells.

    Examples
    --------
    >>> image = np.arange(48, dtype=np.uint8).reshape(4, 4, 3)
    >>> bool((mesh_warp(image, lambda v: v, (0, 0, 4, 4)) == image).all())
    True
    """
    import cv2  # a core dependency (the subject mask's GrabCut)

    image = np.asarray(image)
    cells, sources, moving = _adaptive_mesh(region, backward, tolerance, max_cell)
    result = image.copy()
    for box in _moving_boxes(cells, moving, region):
        left, top, right, bottom = box
        source = _source_map(cells, sources, box)
        result[top:bottom, left:right] = cv2.remap(image, source, None, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return result


@functools.lru_cache(maxsize=64)
def _bilinear_weights(w: int, h: int) -> np.ndarray:
    """Weights (h * w, 4) of the corners nw, sw, se, ne at each pixel centre of a w x h cell."""
    fx = np.tile((np.arange(w, dtype=np.float32) + 0.5) / w, h)
    fy = np.repeat((np.arange(h, dtype=np.float32) + 0.5) / h, w)
    return np.stack([(1 - fx) * (1 - fy), (1 - fx) * fy, fx * fy, fx * (1 - fy)], 1)


def _source_map(cells: np.ndarray, sources: np.ndarray, box: Box) -> np.ndarray:
    """Source (x, y) of every pixel in ``box``, float32 (H, W, 2), pixel centres at integers (OpenCV's way).

    Inside a leaf cell the source of a pixel centre is the bilinear blend of
    the cell's corner sources, as in Pillow's mesh transform. ``box`` is aligned
    to the base grid, so every leaf lies wholly inside it or outside. Square
    cells of one size sit on a grid of that size: they are written together
    as blocks of a view of the map; the few others (cut by the region's edge)
    pixel by pixel, a size at a time.
    """
    left, top, right, bottom = box
    inside = (cells[:, 0] >= left) & (cells[:, 1] >= top) & (cells[:, 2] <= right) & (cells[:, 3] <= bottom)
    cells = cells[inside] - (left, top, left, top)
    quads = sources[inside].astype(np.float32) - np.float32(0.5)
    height, width = (-(-(bottom - top) // MAX_CELL) * MAX_CELL, -(-(right - left) // MAX_CELL) * MAX_CELL)
    maps = np.zeros((height, width, 2), np.float32)
    sizes = cells[:, 2:] - cells[:, :2]
    aligned = (sizes[:, 0] == sizes[:, 1]) & (cells[:, 0] % sizes[:, 0] == 0) & (cells[:, 1] % sizes[:, 1] == 0)
    # Only sizes that tile the map make blocks of it (a 3 px square, split from a cell the region's
    # edge cut to 6 or 7 px, does not tile a 32 px grid): the others go pixel by pixel.
    aligned &= (height % sizes[:, 1] == 0) & (width % sizes[:, 0] == 0)
    for w, h in np.unique(sizes, axis=0).tolist():
        for square in (True, False):
            group = (sizes[:, 0] == w) & (sizes[:, 1] == h) & (aligned == square)
            if not group.any():
                continue
            values = (_bilinear_weights(w, h) @ quads[group]).reshape(-1, h, w, 2)
            x0, y0 = cells[group, 0], cells[group, 1]
            if square:
                blocks = maps.reshape(height // h, h, width // w, w, 2)
                blocks[y0 // h, :, x0 // w] = values
            else:
                rows = y0[:, None, None] + np.arange(h)[:, None]
                columns = x0[:, None, None] + np.arange(w)
                maps[rows, columns] = values
    return maps[: bottom - top, : right - left]


def mls_warp_dense(
    image: np.ndarray,
    sources: Sequence[Sequence[float]],
    targets: Sequence[Sequence[float]],
    anchors: Sequence[Sequence[float]] = (),
    *,
    margin: float | None = None,
    alpha: float = 1.0,
) -> np.ndarray:
    """The same deformation as :func:`mls_warp`, evaluated at every pixel.

    Exact but slow (the map is solved once per pixel); it is the reference
    that tests and ``benchmarks/bench_warp.py`` compare the mesh against.

    Examples
    --------
    >>> image = np.zeros((32, 32, 3), np.uint8)
    >>> mls_warp_dense(image, [(16, 16)], [(18, 16)], [(4, 4), (28, 28)]).shape
    (32, 32, 3)
    """
    image, p, q, region, band = _prepare(image, sources, targets, anchors, margin)
    if region is None:
        return image.copy()
    left, top, right, bottom = region
    ys, xs = np.mgrid[top:bottom, left:right]
    centres = np.stack([xs.ravel() + 0.5, ys.ravel() + 0.5], axis=1)
    source = np.concatenate(
        [mls_map(chunk, q, p, alpha, region=region, band=band) for chunk in np.array_split(centres, 1 + len(centres) // 8192)]
    )
    result = image.copy()
    result[top:bottom, left:right] = _sample_bilinear(image, source).reshape(bottom - top, right - left, 3)
    return result


def mls_map(
    points: np.ndarray,
    controls: np.ndarray,
    images: np.ndarray,
    alpha: float = 1.0,
    *,
    region: Box | None = None,
    band: float = 0.0,
) -> np.ndarray:
    """The affine moving-least-squares map of ``points``, shape (P, 2).

    Each point gets the affine map that best carries ``controls`` onto
    ``images`` with weights ``1 / distance ** (2 * alpha)`` (Schaefer et al.
    2006, section 2.1). With ``region`` and ``band`` the displacement fades
    smoothly to zero over the last ``band`` pixels inside the region's edge.

    Examples
    --------
    >>> controls = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    >>> mls_map(np.array([[5.0, 5.0]]), controls, controls + (2.0, 1.0))  # a pure shift stays a shift
    array([[7., 6.]])
    """
    v = np.asarray(points, float)
    origin = controls.mean(axis=0)  # centred coordinates keep the sums below well conditioned
    mapped = _affine_from_sums(v - origin, _weighted_sums(v - origin, controls - origin, images - origin, alpha)) + origin
    return _faded(mapped, v, region, band)


def _faded(mapped: np.ndarray, v: np.ndarray, region: Box | None, band: float) -> np.ndarray:
    """``mapped`` with its displacement from ``v`` faded out toward the region's edge."""
    if region is not None and band > 0:
        mapped = v + (mapped - v) * _fade(v, region, band)[:, None]
    return mapped


def _weighted_sums(c: np.ndarray, p: np.ndarray, q: np.ndarray, alpha: float) -> np.ndarray:
    """The MLS map's weighted sums at points ``c`` over controls ``p`` with images ``q``, shape (P, 12).

    Columns: sums of w p, w q (x and y), of w p_i p_j and w p_i q_j, and of w, with
    ``w = 1 / |c - p| ** (2 alpha)`` not yet normalised; sums over disjoint sets of
    controls add up. All coordinates relative to one origin.
    """
    # Squared distances to every control point, then 1 / d2 ** alpha, in place (these
    # (points x controls) arrays are most of the work) and without a general power
    # for the common alphas (pow is slow).
    d2 = c[:, :1] - p[:, 0]
    d2 *= d2
    dy2 = c[:, 1:] - p[:, 1]
    dy2 *= dy2
    d2 += dy2
    w = np.maximum(d2, 1e-9, out=d2)
    if alpha == 1.5:
        w = np.sqrt(d2)
        w *= d2
    elif alpha == 2.0:
        w *= w
    elif alpha != 1.0:
        w **= alpha
    np.reciprocal(w, out=w)
    # Every weighted sum is one column of a single matrix product: BLAS does the work
    # in one pass over the weights.
    (px, py), (qx, qy) = p.T, q.T
    columns = np.stack([px, py, qx, qy, px * px, px * py, py * py, px * qx, px * qy, py * qx, py * qy, np.ones_like(px)], 1)
    return w @ columns


def _affine_from_sums(c: np.ndarray, sums: np.ndarray) -> np.ndarray:
    """Where the best affine map at each point ``c`` carries it, from :func:`_weighted_sums`."""
    # Weighted centroids p* and q*, then M = sum w p^T p and B = sum w p^T q about them
    # (2 x 2 per point, Schaefer et al. eq. 5).
    psx, psy, qsx, qsy, sxx, sxy, syy, bxx, bxy, byx, byy = (sums[:, :11] / sums[:, 11:]).T
    m00 = sxx - psx * psx
    m01 = sxy - psx * psy
    m11 = syy - psy * psy
    b00 = bxx - psx * qsx
    b01 = bxy - psx * qsy
    b10 = byx - psy * qsx
    b11 = byy - psy * qsy
    det = m00 * m11 - m01 * m01
    det = np.where(np.abs(det) < 1e-9, 1e-9, det)
    # (v - p*) M^-1, then times B, plus q*.
    dx, dy = c[:, 0] - psx, c[:, 1] - psy
    ux, uy = (dx * m11 - dy * m01) / det, (dy * m00 - dx * m01) / det
    return np.stack([ux * b00 + uy * b10 + qsx, ux * b01 + uy * b11 + qsy], axis=1)


class _SteadySums:
    """The steady control points' share of the MLS sums on a lattice of points, kept between calls.

    The lattice is whole pixels (``offset`` 0, the mesh's corners) or pixel
    centres (``offset`` 0.5) over ``region``; a table gives each lattice point
    its row of sums once they are known. With ``offset`` None the points are
    anywhere, found by their exact coordinates (:meth:`lookup_points`).
    """

    def __init__(self, controls: np.ndarray, images: np.ndarray, origin: np.ndarray, alpha: float, region: Box, offset: float | None):
        self.controls, self.images, self.alpha = controls - origin, images - origin, alpha
        self.points: dict[complex, int] = {}  # for offset None: any point, by its exact place
        left, top, right, bottom = region
        size = (bottom - top + 1) * (right - left + 1) if offset is not None else 0
        offset = offset or 0.0
        self.corner = np.array([left + offset, top + offset]) - origin
        self.slot = np.full(size, -1, np.int32)
        self.width = right - left + 1
        self.sums = np.empty((0, 12))
        self.count = 0
        self.lock = threading.Lock()  # (the review sheets warp on two threads)

    def lookup(self, flat: np.ndarray) -> np.ndarray:
        """Sums at lattice points ``flat`` (row * width + column, distinct), computed where not yet known."""
        with self.lock:
            return self._lookup(flat)

    def _lookup(self, flat: np.ndarray) -> np.ndarray:
        slot = self.slot[flat]
        missing = slot < 0
        if missing.any():
            rows, columns = np.divmod(flat[missing], self.width)
            new = _weighted_sums(np.stack([columns, rows], 1) + self.corner, self.controls, self.images, self.alpha)
            start = self._grow(len(new))
            self.sums[start : start + len(new)] = new
            slot[missing] = self.slot[flat[missing]] = np.arange(start, start + len(new))
        return self.sums[slot]

    def lookup_points(self, c: np.ndarray) -> np.ndarray:
        """Sums at any points ``c`` (relative to the origin), computed where not yet known.

        Points off the lattice (moved there by a map applied before, a raised brow's) come
        back at the same places while another slider moves: they are told apart by their
        exact coordinates.
        """
        with self.lock:
            return self._lookup_points(c)

    def _lookup_points(self, c: np.ndarray) -> np.ndarray:
        keys = (c[:, 0] + 1j * c[:, 1]).tolist()
        known = self.points
        if len(known) > POINTS_KEPT:  # a brow dragged on and on: start again
            known.clear()
            self.count = 0
        slot = np.fromiter((known.get(key, -1) for key in keys), np.int64, len(keys))
        missing = slot < 0
        if missing.any():
            new_keys = dict.fromkeys(key for key, gone in zip(keys, missing.tolist()) if gone)
            fresh = np.array(list(new_keys), complex)
            sums = _weighted_sums(np.stack([fresh.real, fresh.imag], 1), self.controls, self.images, self.alpha)
            start = self._grow(len(sums))
            self.sums[start : start + len(sums)] = sums
            known.update(zip(new_keys, range(start, start + len(sums))))
            slot[missing] = [known[key] for key, gone in zip(keys, missing.tolist()) if gone]
        return self.sums[slot]

    def _grow(self, count: int) -> int:
        """Room for ``count`` more rows of sums; the index of the first."""
        if self.count + count > len(self.sums):
            grown = np.empty((max(2 * len(self.sums), self.count + count), 12))
            grown[: self.count] = self.sums[: self.count]
            self.sums = grown
        self.count += count
        return self.count - count


#: Points off the lattice whose sums are kept, at most (about 100 bytes each).
POINTS_KEPT = 100_000

#: Steady sums of the last few control sets, newest last (a few photos, a few sliders).
_STEADY_SUMS: dict = {}


def _steady_sums(controls, images, origin, alpha, region, offset) -> _SteadySums:
    key = (controls.tobytes(), images.tobytes(), origin.tobytes(), alpha, region, offset)
    cached = _STEADY_SUMS.pop(key, None)
    if cached is None:
        cached = _SteadySums(controls, images, origin, alpha, region, offset)
        while len(_STEADY_SUMS) >= 8:
            _STEADY_SUMS.pop(next(iter(_STEADY_SUMS)))
    _STEADY_SUMS[key] = cached
    return cached


def _prepare(image, sources, targets, anchors, margin):
    """Validate inputs; return the arrays, the region that moves and its fade band."""
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise WarpError(f"Expected an RGB uint8 image of shape (H, W, 3), got {image.dtype} {image.shape}.")
    sources = np.asarray(sources, float).reshape(-1, 2)
    targets = np.asarray(targets, float).reshape(-1, 2)
    anchors = np.asarray(anchors, float).reshape(-1, 2)
    if sources.shape != targets.shape:
        raise WarpError(f"Give one target for each source point ({len(sources)} sources, {len(targets)} targets).")
    if not (np.isfinite(sources).all() and np.isfinite(targets).all() and np.isfinite(anchors).all()):
        raise WarpError("Control points must be finite numbers.")
    if not len(sources) or np.abs(targets - sources).max() < 1e-9:
        return image, None, None, None, 0.0
    p = np.concatenate([sources, anchors])
    q = np.concatenate([targets, anchors])
    if len(p) < 3:
        raise WarpError("A deformation needs at least three points in all (sources plus anchors).")
    everything = np.concatenate([p, q])
    low, high = everything.min(axis=0), everything.max(axis=0)
    if margin is None:
        margin = 0.25 * float((high - low).max()) + 4
    height, width = image.shape[:2]
    left, top = np.floor(low - margin).astype(int)
    right, bottom = np.ceil(high + margin).astype(int)
    region = (max(0, left), max(0, top), min(width, right), min(height, bottom))
    if region[2] - region[0] < 2 or region[3] - region[1] < 2:
        raise WarpError("The control points lie outside the image.")
    return image, p, q, region, max(1.0, margin / 2)


def _fade(v: np.ndarray, region: Box, band: float) -> np.ndarray:
    """1 inside the region, falling smoothly to 0 at its edge over ``band`` px."""
    left, top, right, bottom = region
    inside = np.minimum.reduce([v[:, 0] - left, right - v[:, 0], v[:, 1] - top, bottom - v[:, 1]])
    t = np.clip(inside / band, 0.0, 1.0)
    return t * t * (3 - 2 * t)


def _adaptive_mesh(region: Box, backward, tolerance: float, max_cell: int = MAX_CELL):
    """Leaf cells (x0, y0, x1, y1) of a quadtree over ``region``, with the
    source position of each cell's corners (nw, sw, se, ne), and whether the
    cell moves at all.

    A cell splits in four while bilinear interpolation of its corners misses
    the exact map by more than ``tolerance`` at its centre or edge midpoints.
    Children inherit those nine evaluations as their corners, so each level
    evaluates the map only at five new points per cell.
    """
    left, top, right, bottom = region
    if max_cell < 1 or MAX_CELL % max_cell:  # its cells must tile the base grid's blocks (_moving_boxes)
        raise ValueError(f"The mesh's first cells must be a power of two up to {MAX_CELL} px, not {max_cell}.")
    backward = _Remembered(backward, region, tolerance)
    xs = np.unique(np.r_[np.arange(left, right, max_cell), right])
    ys = np.unique(np.r_[np.arange(top, bottom, max_cell), bottom])
    gx, gy = np.meshgrid(xs, ys)
    grid = np.stack([gx, gy], -1).astype(float)
    shift = (backward(grid.reshape(-1, 2)) - grid.reshape(-1, 2)).reshape(grid.shape)
    cells = np.stack([gx[:-1, :-1], gy[:-1, :-1], gx[1:, 1:], gy[1:, 1:]], -1).reshape(-1, 4)
    corners = np.stack([shift[:-1, :-1], shift[1:, :-1], shift[1:, 1:], shift[:-1, 1:]], 2).reshape(-1, 4, 2)
    done_cells, done_corners, done_moving = [], [], []
    while len(cells):
        x0, y0, x1, y1 = cells.T
        xm, ym = (x0 + x1) // 2, (y0 + y1) // 2
        # centre, top, bottom, left, right midpoints
        tests = np.empty((len(cells), 5, 2))
        tests[:, [0, 1, 2], 0] = xm[:, None]
        tests[:, [0, 3, 4], 1] = ym[:, None]
        tests[:, 1, 1], tests[:, 2, 1], tests[:, 3, 0], tests[:, 4, 0] = y0, y1, x0, x1
        found = backward(tests.reshape(-1, 2)).reshape(-1, 5, 2) - tests
        # Bilinear weights of the corners (nw, sw, se, ne) at the five points, one product.
        fx = np.empty((len(cells), 5))
        fx[:, [0, 1, 2]] = ((xm - x0) / (x1 - x0))[:, None]
        fx[:, 3], fx[:, 4] = 0.0, 1.0
        fy = np.empty((len(cells), 5))
        fy[:, [0, 3, 4]] = ((ym - y0) / (y1 - y0))[:, None]
        fy[:, 1], fy[:, 2] = 0.0, 1.0
        weights = np.stack([(1 - fx) * (1 - fy), (1 - fx) * fy, fx * fy, fx * (1 - fy)], axis=2)
        predicted = weights @ corners
        error = np.abs(found - predicted).max(axis=(1, 2))
        split = (error > tolerance) & (np.maximum(x1 - x0, y1 - y0) > MIN_CELL)
        moving = np.maximum(np.abs(found).max(axis=(1, 2)), np.abs(corners).max(axis=(1, 2))) > STILL
        done_cells.append(cells[~split])
        done_corners.append(corners[~split])
        done_moving.append(moving[~split])
        cells, corners = _children(cells[split], corners[split], found[split])
    backward.remember()
    cells = np.concatenate(done_cells)
    sources = np.concatenate(done_corners) + cells[:, [[0, 1], [0, 3], [2, 3], [2, 1]]]
    return cells, sources, np.concatenate(done_moving)


class _Remembered:
    """``backward`` at a mesh's points, worked out at the last mesh's points of the region in one call.

    The mesh asks for the map level by level, five or six calls each paying numpy's fixed
    costs many times over. From one slider step to the next the mesh of a region splits
    nearly the same cells: the points the last one asked for are mapped together first,
    and a level then calls ``backward`` only for points not among them. Each point's value
    is the map's own, whichever call worked it out (the maps go point by point).
    """

    def __init__(self, backward, region: Box, tolerance: float):
        left, top, right, bottom = region
        self.backward, self.key, self.corner, self.width = backward, (region, tolerance), (left, top), right - left + 1
        self.slot = np.full((bottom - top + 1) * self.width, -1, np.int64)
        self.points, self.values, self.count = np.empty((0, 2)), np.empty((0, 2)), 0
        self.asked: list[np.ndarray] = []
        last = _MESH_POINTS.get(self.key)
        if last is not None:
            self._add(last, backward(last), self._flat(last))

    def _flat(self, points: np.ndarray) -> np.ndarray:
        return (points[:, 1].astype(np.int64) - self.corner[1]) * self.width + (points[:, 0].astype(np.int64) - self.corner[0])

    def _add(self, points: np.ndarray, values: np.ndarray, flat: np.ndarray) -> None:
        flat, first = np.unique(flat, return_index=True)
        fresh = self.slot[flat] < 0
        flat, first = flat[fresh], first[fresh]
        self.slot[flat] = np.arange(self.count, self.count + len(flat))
        self.points = np.concatenate([self.points, points[first]])
        self.values = np.concatenate([self.values, values[first]])
        self.count += len(flat)

    def __call__(self, points: np.ndarray) -> np.ndarray:
        flat = self._flat(points)
        slot = self.slot[flat]
        missing = slot < 0
        if missing.any():
            values = self.backward(points[missing])
            self._add(points[missing], values, flat[missing])
            slot = self.slot[flat]
        self.asked.append(flat)
        return self.values[slot]

    def remember(self) -> None:
        """Keep the points this mesh asked for (not those only the last one did) for the next."""
        used = np.unique(np.concatenate(self.asked)) if self.asked else np.empty(0, np.int64)
        _MESH_POINTS.pop(self.key, None)  # newest last
        _MESH_POINTS[self.key] = self.points[self.slot[used]]
        while len(_MESH_POINTS) > 8:
            _MESH_POINTS.pop(next(iter(_MESH_POINTS)), None)


#: The points the last mesh of each region (and tolerance) asked the map for.
_MESH_POINTS: dict = {}


#: For each child of a split cell (nw, ne, sw, se quarter): its box as picks from the
#: parent's (x0, y0, x1, y1, xm, ym), and its corners (nw, sw, se, ne) as picks from
#: the parent's nine shifts: corners nw, sw, se, ne (0-3), then centre, top, bottom,
#: left, right midpoints (4-8).
_CHILD_BOXES = np.array([[0, 1, 4, 5], [4, 1, 2, 5], [0, 5, 4, 3], [4, 5, 2, 3]])
_CHILD_CORNERS = np.array([[0, 7, 4, 5], [5, 4, 8, 3], [7, 1, 6, 4], [4, 6, 2, 8]])


def _children(cells: np.ndarray, corners: np.ndarray, found: np.ndarray):
    """Split cells in four; each child's corner shifts come from its parent's nine values."""
    x0, y0, x1, y1 = cells.T
    bounds = np.concatenate([cells, ((x0 + x1) // 2)[:, None], ((y0 + y1) // 2)[:, None]], axis=1)
    nine = np.concatenate([corners, found], axis=1)
    new_cells = bounds[:, _CHILD_BOXES].transpose(1, 0, 2).reshape(-1, 4)
    new_corners = nine[:, _CHILD_CORNERS].transpose(1, 0, 2, 3).reshape(-1, 4, 2)
    keep = (new_cells[:, 2] > new_cells[:, 0]) & (new_cells[:, 3] > new_cells[:, 1])
    return new_cells[keep], new_corners[keep]


def _moving_boxes(cells: np.ndarray, moving: np.ndarray, region: Box) -> list[Box]:
    """Rectangles, aligned to the base grid, that together hold every moving cell.

    Moving cells are marked on the grid of base cells; each connected group
    of marked blocks gives its bounding box, and boxes that overlap merge.
    """
    left, top, right, bottom = region
    columns, rows = -(-(right - left) // MAX_CELL), -(-(bottom - top) // MAX_CELL)
    marked = np.zeros((rows, columns), bool)
    blocks = (cells[moving][:, :2] - (left, top)) // MAX_CELL
    marked[blocks[:, 1], blocks[:, 0]] = True
    # Connected groups over the 8 neighbours, and the bounding box of each.
    import cv2  # a core dependency (the subject mask's GrabCut)

    count, _, stats, _ = cv2.connectedComponentsWithStats(marked.astype(np.uint8), connectivity=8)
    boxes = [[x, y, x + w, y + h] for x, y, w, h in stats[1:count, :4].tolist()]
    merged = True
    while merged:
        merged = False
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                a, b = boxes[i], boxes[j]
                if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                    boxes[i] = [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]
                    del boxes[j]
                    merged = True
                    break
            if merged:
                break
    return [
        (left + x0 * MAX_CELL, top + y0 * MAX_CELL, min(right, left + x1 * MAX_CELL), min(bottom, top + y1 * MAX_CELL))
        for x0, y0, x1, y1 in boxes
    ]


def _sample_bilinear(image: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Bilinear samples of ``image`` at continuous positions (pixel centres at +0.5)."""
    height, width = image.shape[:2]
    x = np.clip(xy[:, 0] - 0.5, 0, width - 1)
    y = np.clip(xy[:, 1] - 0.5, 0, height - 1)
    x0 = np.minimum(x.astype(int), width - 2).clip(0)
    y0 = np.minimum(y.astype(int), height - 2).clip(0)
    fx, fy = (x - x0)[:, None], (y - y0)[:, None]
    # Only the pixels the samples reach are converted to float (not the whole photo).
    left, top = (int(x0.min()), int(y0.min())) if len(x0) else (0, 0)
    pixels = image[top : int(y0.max(initial=0)) + 2, left : int(x0.max(initial=0)) + 2].astype(np.float32)
    x0, y0 = x0 - left, y0 - top
    upper = pixels[y0, x0] * (1 - fx) + pixels[y0, x0 + 1] * fx
    lower = pixels[y0 + 1, x0] * (1 - fx) + pixels[y0 + 1, x0 + 1] * fx
    return np.clip(upper * (1 - fy) + lower * fy + 0.5, 0, 255).astype(np.uint8)
